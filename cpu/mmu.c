/* Slow paths of guest memory access: TLB misses and fills, paging, accesses
 * that cross a page, MMIO, writes to pages holding decoded code, and write
 * logging.  Linear addresses are translated by mem/paging.c when CR0.PG is
 * set; physical addresses are then masked by the A20 gate. */
#include "mmu.h"

#include "debug.h"
#include "icache.h"
#include "mem/paging.h"

static void flush_where(struct cpu *c, bool keep_global)
{
    c->fetch_page_lin = TLB_INVALID;
    if (!keep_global)
        c->tlb_has_large = false;
    for (unsigned s = 0; s < 2; s++) {
        struct tlb_set *set = &c->tlb.set[s];
        unsigned kept = 0;
        if (set->used_overflow) { /* rare: scan everything, rebuild the list from what stays */
            set->used_overflow = false;
            for (unsigned i = 0; i < TLB_KINDS * TLB_SIZE; i++) {
                struct tlb_entry *e = &set->e[0][0] + i;
                if (e->tag == TLB_INVALID)
                    continue;
                if (keep_global && e->global)
                    set->used[kept++] = (uint16_t)i;
                else
                    e->tag = TLB_INVALID;
            }
            set->used_count = kept;
            continue;
        }
        for (unsigned u = 0; u < set->used_count; u++) {
            struct tlb_entry *e = &set->e[0][0] + set->used[u];
            if (e->tag == TLB_INVALID)
                continue;
            if (keep_global && e->global)
                set->used[kept++] = set->used[u];
            else
                e->tag = TLB_INVALID;
        }
        set->used_count = kept;
    }
}

void tlb_init(struct cpu *c)
{
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned k = 0; k < TLB_KINDS; k++)
            for (unsigned i = 0; i < TLB_SIZE; i++)
                c->tlb.set[s].e[k][i].tag = TLB_INVALID;
        c->tlb.set[s].used_count = 0;
        c->tlb.set[s].used_overflow = false;
    }
    /* The uncached set is never filled, but its tags must read as invalid. */
    for (unsigned k = 0; k < TLB_KINDS; k++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            c->tlb.uncached.e[k][i].tag = TLB_INVALID;
    c->fetch_page_lin = TLB_INVALID;
    c->tlb_has_large = false;
}

void tlb_flush(struct cpu *c) { flush_where(c, false); }

/* Record a newly valid entry for the next flush. */
static void tlb_note_used(struct tlb_set *set, struct tlb_entry *e)
{
    if (e->tag != TLB_INVALID)
        return;
    if (set->used_count < TLB_KINDS * TLB_SIZE)
        set->used[set->used_count++] = (uint16_t)(e - &set->e[0][0]);
    else
        set->used_overflow = true;
}
void tlb_flush_nonglobal(struct cpu *c) { flush_where(c, true); }

void tlb_flush_page(struct cpu *c, uint64_t lin)
{
    /* SDM vol. 3 §4.10.4.1: INVLPG invalidates the entries of the page holding
     * lin, global or not.  A large page is cached as many 4 KiB tags, so when any
     * are cached everything is flushed (invalidating more is always allowed). */
    if (c->tlb_has_large) {
        tlb_flush(c);
        return;
    }
    uint64_t page = lin & ~0xFFFull;
    unsigned idx = (unsigned)(lin >> 12) & (TLB_SIZE - 1);
    c->fetch_page_lin = TLB_INVALID;
    for (unsigned s = 0; s < 2; s++)
        for (unsigned k = 0; k < TLB_KINDS; k++)
            if (c->tlb.set[s].e[k][idx].tag == page)
                c->tlb.set[s].e[k][idx].tag = TLB_INVALID;
}

_Noreturn void seg_limit_fault(struct cpu *c, unsigned seg)
{
    /* SDM vol. 2 "Real-Address Mode Exceptions": a limit violation is #SS(0)
     * for the stack segment and #GP(0) otherwise.  The 80286 in real mode
     * raises interrupt 13 ("segment overrun") for any segment, as the
     * recorded 286 vectors show for BP-based operands at offset FFFFh. */
    if (c->model == CPU_MODEL_80286 && !(c->cr0 & CR0_PE))
        cpu_raise(c, EXC_GP, 0);
    cpu_raise(c, seg == S_SS ? EXC_SS : EXC_GP, 0);
}

static void paging_regs_of(const struct cpu *c, struct paging_regs *r)
{
    r->mode = (c->efer & (1u << 10)) ? PAGING_4LEVEL : (c->cr4 & (1u << 5)) ? PAGING_PAE : PAGING_32;
    r->cr3 = c->cr3;
    r->wp = (c->cr0 & CR0_WP) != 0;
    r->pse = (c->cr4 & (1u << 4)) != 0;
    r->pge = (c->cr4 & (1u << 7)) != 0;
    r->nxe = (c->efer & (1u << 11)) != 0;
    for (unsigned k = 0; k < 4; k++)
        r->pdpte[k] = c->pdpte[k];
}

bool mmu_cr3_written(struct cpu *c)
{
    if ((c->cr0 & CR0_PG) && (c->cr4 & (1u << 5)) && !(c->efer & (1u << 10)) &&
        !paging_load_pdptes(c->mem, c->cr3, c->pdpte))
        return false;
    tlb_flush_nonglobal(c);
    return true;
}

struct xlate {
    uint64_t phys;
    bool cacheable; /* a TLB entry for this access kind may be filled */
    bool global;
    bool large;     /* from a page larger than 4 KiB */
};

/* Linear -> physical for one access; raises #PF (with CR2) on failure. */
static struct xlate translate(struct cpu *c, uint64_t lin, enum tlb_kind kind, bool user)
{
    struct xlate x = {.cacheable = true, .global = false};
    if (!(c->cr0 & CR0_PG)) {
        x.phys = lin & c->mem->a20_mask;
        return x;
    }
    /* IA-32e mode: a non-canonical address is #GP(0) (#SS for stack references,
     * which this path cannot tell apart: they get #GP too). SDM vol. 3 §6.14.5. */
    if (unlikely(!is_canonical(lin)) && (c->efer & EFER_LMA_BIT))
        cpu_raise_gp0(c);
    struct paging_regs r;
    paging_regs_of(c, &r);
    unsigned access = (kind == TLB_WRITE ? PG_ACCESS_WRITE : 0) | (kind == TLB_EXEC ? PG_ACCESS_FETCH : 0) |
                      (user ? PG_ACCESS_USER : 0);
    struct paging_result res;
    uint32_t ec;
    if (!paging_translate(c->mem, &r, lin, access, &res, &ec)) {
        c->cr2 = lin;
        cpu_raise(c, EXC_PF, ec);
    }
    x.phys = res.phys & c->mem->a20_mask;
    x.global = res.global;
    x.large = res.page_size > 4096;
    /* A write entry is cached only once D is set, so the first write walks and sets it. */
    x.cacheable = kind != TLB_WRITE || res.dirty;
    return x;
}

/* User-privilege paging checks follow the selected TLB set (desc.c selects the
 * other privilege's set while it writes a new privilege level's stack frame). */
static bool user_access(const struct cpu *c)
{
    return c->tlb_cur == &c->tlb.set[1] || (c->tlb_cur == &c->tlb.uncached && c->cpl == 3);
}

/* #AC(0) for a misaligned data access while alignment checking is on (SDM vol. 3 §6.15). */
static void check_alignment(struct cpu *c, uint64_t lin, unsigned size)
{
    if (unlikely(c->align_check) && (lin & (size - 1)))
        cpu_raise(c, EXC_AC, 0);
}

static void tlb_fill(struct cpu *c, struct tlb_set *set, enum tlb_kind kind, uint64_t lin, const struct xlate *x)
{
    if (!x->cacheable || set == &c->tlb.uncached)
        return;
    if (x->large)
        c->tlb_has_large = true;
    struct tlb_entry *e = &set->e[kind][(lin >> 12) & (TLB_SIZE - 1)];
    uint64_t page = lin & ~0xFFFull;
    uint64_t phys_page = x->phys & ~0xFFFull;
    if (kind == TLB_EXEC) {
        tlb_note_used(set, e);
        /* The exec TLB only maps to physical addresses (the decoder reads the bytes). */
        e->tag = page;
        e->phys_page = phys_page;
        e->host_off = 0;
        e->global = x->global;
        return;
    }
    if (kind == TLB_WRITE && (c->log_writes || physmem_page_has_code(c->mem, phys_page)))
        return; /* keep writes on the slow path: they must be logged or invalidate code */
    if (c->dbg_data_armed)
        return; /* data breakpoints must see every access */
    uint8_t *host = physmem_host_page(c->mem, phys_page, kind == TLB_WRITE);
    if (!host)
        return; /* MMIO or unmapped: always slow */
    tlb_note_used(set, e);
    e->tag = page;
    e->phys_page = phys_page;
    e->host_off = (uintptr_t)host - (uintptr_t)page;
    e->global = x->global;
}

const struct tlb_entry *mmu_fill_exec(struct cpu *c, uint64_t lin)
{
    struct xlate x = translate(c, lin, TLB_EXEC, user_access(c));
    x.cacheable = true;
    /* Fetches are never alignment-checked: they use the privilege's own set. */
    struct tlb_set *set = &c->tlb.set[c->cpl == 3];
    tlb_fill(c, set, TLB_EXEC, lin, &x);
    return &set->e[TLB_EXEC][(lin >> 12) & (TLB_SIZE - 1)];
}

/* Remove write entries that map phys_page: it now holds decoded code. */
void tlb_drop_write_page(struct cpu *c, uint64_t phys_page)
{
    for (unsigned s = 0; s < 2; s++)
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            struct tlb_entry *e = &c->tlb.set[s].e[TLB_WRITE][i];
            if (e->tag != TLB_INVALID && e->phys_page == phys_page)
                e->tag = TLB_INVALID;
        }
}

static uint64_t read_slow(struct cpu *c, struct tlb_set *set, uint64_t lin, unsigned size, bool user)
{
    if (unlikely(c->dbg_data_armed))
        debug_data_access(c, lin, size, false);
    if ((lin & 0xFFF) + size > 0x1000) {
        /* Crosses a page: translate both pages before reading (either may fault). */
        unsigned first = 0x1000 - (unsigned)(lin & 0xFFF);
        struct xlate x0 = translate(c, lin, TLB_READ, user);
        struct xlate x1 = translate(c, (lin + first) & c->lin_mask, TLB_READ, user);
        uint64_t lo = physmem_read(c->mem, x0.phys, first);
        uint64_t hi = physmem_read(c->mem, x1.phys, size - first);
        return lo | (hi << (8 * first));
    }
    struct xlate x = translate(c, lin, TLB_READ, user);
    tlb_fill(c, set, TLB_READ, lin, &x);
    /* If that made a TLB entry, read through it: no second region lookup. */
    const struct tlb_entry *e = &set->e[TLB_READ][(lin >> 12) & (TLB_SIZE - 1)];
    if (e->tag == (lin & ~0xFFFull))
        return load_le((const uint8_t *)(uintptr_t)(lin + e->host_off), size);
    return physmem_read(c->mem, x.phys, size);
}

static void write_slow(struct cpu *c, struct tlb_set *set, uint64_t lin, uint64_t value, unsigned size, bool user)
{
    if (unlikely(c->dbg_data_armed))
        debug_data_access(c, lin, size, true);
    if ((lin & 0xFFF) + size > 0x1000) {
        unsigned first = 0x1000 - (unsigned)(lin & 0xFFF);
        struct xlate x0 = translate(c, lin, TLB_WRITE, user);
        struct xlate x1 = translate(c, (lin + first) & c->lin_mask, TLB_WRITE, user);
        if (c->write_hook) {
            c->write_hook(c->write_hook_opaque, lin, x0.phys, value & size_mask(first), first);
            c->write_hook(c->write_hook_opaque, lin + first, x1.phys, value >> (8 * first), size - first);
        }
        physmem_write(c->mem, x0.phys, value & size_mask(first), first);
        physmem_write(c->mem, x1.phys, value >> (8 * first), size - first);
        return;
    }
    struct xlate x = translate(c, lin, TLB_WRITE, user);
    if (c->write_hook)
        c->write_hook(c->write_hook_opaque, lin, x.phys, value, size);
    tlb_fill(c, set, TLB_WRITE, lin, &x);
    /* A write entry is only made for RAM without decoded code: store through it. */
    const struct tlb_entry *e = &set->e[TLB_WRITE][(lin >> 12) & (TLB_SIZE - 1)];
    if (e->tag == (lin & ~0xFFFull)) {
        store_le((uint8_t *)(uintptr_t)(lin + e->host_off), value, size);
        return;
    }
    physmem_write(c->mem, x.phys, value, size); /* notes writes to code blocks */
}

uint64_t mmu_read_slow(struct cpu *c, uint64_t lin, unsigned size)
{
    check_alignment(c, lin, size);
    return read_slow(c, c->tlb_cur, lin, size, user_access(c));
}

void mmu_write_slow(struct cpu *c, uint64_t lin, uint64_t value, unsigned size)
{
    check_alignment(c, lin, size);
    write_slow(c, c->tlb_cur, lin, value, size, user_access(c));
}

void mmu_probe_write(struct cpu *c, uint64_t lin, unsigned size)
{
    if (tlb_hit(c, TLB_WRITE, lin, size))
        return;
    bool user = user_access(c);
    translate(c, lin, TLB_WRITE, user);
    if ((lin & 0xFFF) + size > 0x1000)
        translate(c, (lin + 0x1000 - (lin & 0xFFF)) & c->lin_mask, TLB_WRITE, user);
}

void mmu_rmw_prepare_slow(struct cpu *c, uint64_t lin, unsigned size)
{
    check_alignment(c, lin, size);
    bool user = user_access(c);
    translate(c, lin, TLB_WRITE, user);
    if ((lin & 0xFFF) + size > 0x1000)
        translate(c, (lin + 0x1000 - (lin & 0xFFF)) & c->lin_mask, TLB_WRITE, user);
    c->rmw_host = NULL;
    c->rmw_lin = lin;
}

uint64_t sys_read(struct cpu *c, uint64_t lin, unsigned size)
{
    lin &= c->lin_mask;
    struct tlb_set *set = &c->tlb.set[0];
    const struct tlb_entry *e = &set->e[TLB_READ][(lin >> 12) & (TLB_SIZE - 1)];
    if (e->tag == (lin & ~0xFFFull) && (lin & 0xFFF) <= 0x1000u - size)
        return load_le((const uint8_t *)(uintptr_t)(lin + e->host_off), size);
    return read_slow(c, set, lin, size, false);
}

void sys_write(struct cpu *c, uint64_t lin, uint64_t value, unsigned size)
{
    lin &= c->lin_mask;
    write_slow(c, &c->tlb.set[0], lin, value, size, false);
}
