/* Guest memory access from the CPU: segmentation checks, then the software
 * TLB.  The hit path is an index, one compare and a host load; everything else
 * (misses, page-crossing accesses, MMIO, code pages, write logging) goes to
 * the slow path in mmu.c. */
#ifndef RINGZERO_CPU_MMU_H
#define RINGZERO_CPU_MMU_H

#include <string.h>

#include "cpu_state.h"
#include "fault.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

uint64_t mmu_read_slow(struct cpu *c, uint64_t lin, unsigned size);
void mmu_write_slow(struct cpu *c, uint64_t lin, uint64_t value, unsigned size);
/* Translate for a write (raising any fault now) and remember where to write. */
void mmu_rmw_prepare_slow(struct cpu *c, uint64_t lin, unsigned size);
_Noreturn void seg_limit_fault(struct cpu *c, unsigned seg);
void tlb_init(struct cpu *c);                     /* every entry invalid (CPU creation) */
void tlb_flush(struct cpu *c);                    /* everything: CR0/CR4 changes, A20 */
void tlb_flush_nonglobal(struct cpu *c);          /* a CR3 write */
void tlb_flush_page(struct cpu *c, uint64_t lin); /* INVLPG */
/* A CR3 write: flush, and load the PAE PDPTEs; false (caller raises #GP) if they are invalid. */
bool mmu_cr3_written(struct cpu *c);
/* Check that a write of size bytes at lin would succeed (raising #PF now if not)
 * without writing: for stores in several parts that must not half-happen. */
void mmu_probe_write(struct cpu *c, uint64_t lin, unsigned size);
/* Implicit supervisor-privilege accesses to linear memory (descriptor tables, TSS, IDT). */
uint64_t sys_read(struct cpu *c, uint64_t lin, unsigned size);
void sys_write(struct cpu *c, uint64_t lin, uint64_t value, unsigned size);
/* Translate lin for an instruction fetch, filling the exec TLB entry; raises on failure. */
const struct tlb_entry *mmu_fill_exec(struct cpu *c, uint64_t lin);

ALWAYS_INLINE uint64_t load_le(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}
ALWAYS_INLINE void store_le(uint8_t *p, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

/* The slow segment check (desc.c) for segments whose check bits are set: null
 * selector, execute-only or read-only segments, expand-down limits. */
uint64_t seg_linear_slow(struct cpu *c, unsigned seg, uint64_t off, unsigned size, bool write);

/* Offset -> linear address, with the segment checks (SDM vol. 3 §5.3, §5.5-5.6):
 * an ordinary segment (check == 0) costs one limit compare; the others go to
 * seg_linear_slow.  seg_linear() is a read (also right for any SS access: a
 * loaded SS is always writable data); seg_linear_w() is a write. */
ALWAYS_INLINE uint64_t seg_linear_access(struct cpu *c, unsigned seg, uint64_t off, unsigned size, bool write)
{
    const struct seg_cache *s = &c->seg[seg];
    if (unlikely(s->check))
        return seg_linear_slow(c, seg, off, size, write);
    if (unlikely(off + size - 1 > s->limit))
        seg_limit_fault(c, seg);
    return (s->base + off) & c->lin_mask;
}
ALWAYS_INLINE uint64_t seg_linear(struct cpu *c, unsigned seg, uint64_t off, unsigned size)
{
    return seg_linear_access(c, seg, off, size, false);
}
ALWAYS_INLINE uint64_t seg_linear_w(struct cpu *c, unsigned seg, uint64_t off, unsigned size)
{
    return seg_linear_access(c, seg, off, size, true);
}

ALWAYS_INLINE const struct tlb_entry *tlb_hit(struct cpu *c, enum tlb_kind k, uint64_t lin, unsigned size)
{
    const struct tlb_entry *e = &c->tlb_cur->e[k][(lin >> 12) & (TLB_SIZE - 1)];
    if (likely(e->tag == (lin & ~0xFFFull) && (lin & 0xFFF) <= 0x1000u - size))
        return e;
    return NULL;
}

ALWAYS_INLINE uint64_t lin_read(struct cpu *c, uint64_t lin, unsigned size)
{
    const struct tlb_entry *e = tlb_hit(c, TLB_READ, lin, size);
    if (likely(e))
        return load_le((const uint8_t *)(uintptr_t)(lin + e->host_off), size);
    return mmu_read_slow(c, lin, size);
}

ALWAYS_INLINE void lin_write(struct cpu *c, uint64_t lin, uint64_t v, unsigned size)
{
    const struct tlb_entry *e = tlb_hit(c, TLB_WRITE, lin, size);
    if (likely(e))
        store_le((uint8_t *)(uintptr_t)(lin + e->host_off), v, size);
    else
        mmu_write_slow(c, lin, v, size);
}

ALWAYS_INLINE uint64_t mem_read(struct cpu *c, unsigned seg, uint64_t off, unsigned size)
{
    return lin_read(c, seg_linear(c, seg, off, size), size);
}
ALWAYS_INLINE void mem_write(struct cpu *c, unsigned seg, uint64_t off, uint64_t v, unsigned size)
{
    lin_write(c, seg_linear_w(c, seg, off, size), v, size);
}

/* Read half of a read-modify-write: checks write access now, so the write half cannot fault. */
ALWAYS_INLINE uint64_t mem_read_rmw(struct cpu *c, unsigned seg, uint64_t off, unsigned size)
{
    uint64_t lin = seg_linear_w(c, seg, off, size);
    const struct tlb_entry *e = tlb_hit(c, TLB_WRITE, lin, size);
    if (likely(e)) {
        c->rmw_host = (uint8_t *)(uintptr_t)(lin + e->host_off);
        return load_le(c->rmw_host, size);
    }
    mmu_rmw_prepare_slow(c, lin, size);
    return mmu_read_slow(c, lin, size);
}
ALWAYS_INLINE void mem_write_rmw(struct cpu *c, uint64_t v, unsigned size)
{
    if (likely(c->rmw_host))
        store_le(c->rmw_host, v, size);
    else
        mmu_write_slow(c, c->rmw_lin, v, size);
}

#endif
