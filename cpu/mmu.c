/* Slow paths of guest memory access: TLB misses and fills, accesses that cross
 * a page, MMIO, writes to pages holding decoded code, and write logging.
 * Linear-to-physical translation goes through paging when CR0.PG is set
 * (mem/paging, a later step); otherwise the linear address is physical,
 * masked by the A20 gate. */
#include "mmu.h"

#include "icache.h"

void tlb_flush(struct cpu *c)
{
    for (unsigned k = 0; k < TLB_KINDS; k++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            c->tlb.e[k][i].tag = TLB_INVALID;
}

_Noreturn void seg_limit_fault(struct cpu *c, unsigned seg)
{
    /* SDM vol. 2 "Real-Address Mode Exceptions": a limit violation is #SS(0)
     * for the stack segment and #GP(0) otherwise.  The 80286 in real mode
     * raises interrupt 13 ("segment overrun") for any segment, as the
     * recorded 286 vectors show for BP-based operands at offset FFFFh. */
    if (c->model == CPU_MODEL_80286)
        cpu_raise(c, EXC_GP, 0);
    cpu_raise(c, seg == S_SS ? EXC_SS : EXC_GP, 0);
}

static uint64_t translate(struct cpu *c, uint64_t lin, enum tlb_kind kind)
{
    (void)kind;
    /* Paging (CR0.PG) is not modelled yet: linear is physical. */
    return lin & c->mem->a20_mask;
}

static void tlb_fill(struct cpu *c, enum tlb_kind kind, uint64_t lin, uint64_t phys)
{
    struct tlb_entry *e = &c->tlb.e[kind][(lin >> 12) & (TLB_SIZE - 1)];
    uint64_t page = lin & ~0xFFFull;
    uint64_t phys_page = phys & ~0xFFFull;
    if (kind == TLB_EXEC) {
        /* The exec TLB only maps to physical addresses (the decoder reads the bytes). */
        uint8_t *host = physmem_host_page(c->mem, phys_page, false);
        e->tag = page;
        e->phys_page = phys_page;
        e->host_off = host ? (uintptr_t)host - (uintptr_t)page : 0;
        return;
    }
    if (kind == TLB_WRITE && (c->log_writes || physmem_page_has_code(c->mem, phys_page)))
        return; /* keep writes on the slow path: they must be logged or invalidate code */
    uint8_t *host = physmem_host_page(c->mem, phys_page, kind == TLB_WRITE);
    if (!host)
        return; /* MMIO or unmapped: always slow */
    e->tag = page;
    e->phys_page = phys_page;
    e->host_off = (uintptr_t)host - (uintptr_t)page;
}

const struct tlb_entry *mmu_fill_exec(struct cpu *c, uint64_t lin)
{
    uint64_t phys = translate(c, lin, TLB_EXEC);
    tlb_fill(c, TLB_EXEC, lin, phys);
    return &c->tlb.e[TLB_EXEC][(lin >> 12) & (TLB_SIZE - 1)];
}

/* Remove write entries that map phys_page: it now holds decoded code. */
void tlb_drop_write_page(struct cpu *c, uint64_t phys_page)
{
    for (unsigned i = 0; i < TLB_SIZE; i++)
        if (c->tlb.e[TLB_WRITE][i].tag != TLB_INVALID && c->tlb.e[TLB_WRITE][i].phys_page == phys_page)
            c->tlb.e[TLB_WRITE][i].tag = TLB_INVALID;
}

uint64_t mmu_read_slow(struct cpu *c, uint64_t lin, unsigned size)
{
    if ((lin & 0xFFF) + size > 0x1000) {
        /* Crosses a page: translate both pages before reading (either may fault). */
        unsigned first = 0x1000 - (unsigned)(lin & 0xFFF);
        uint64_t p0 = translate(c, lin, TLB_READ);
        uint64_t p1 = translate(c, (lin + first) & c->lin_mask, TLB_READ);
        uint64_t lo = physmem_read(c->mem, p0, first);
        uint64_t hi = physmem_read(c->mem, p1, size - first);
        return lo | (hi << (8 * first));
    }
    uint64_t phys = translate(c, lin, TLB_READ);
    tlb_fill(c, TLB_READ, lin, phys);
    return physmem_read(c->mem, phys, size);
}

void mmu_write_slow(struct cpu *c, uint64_t lin, uint64_t value, unsigned size)
{
    if ((lin & 0xFFF) + size > 0x1000) {
        unsigned first = 0x1000 - (unsigned)(lin & 0xFFF);
        uint64_t p0 = translate(c, lin, TLB_WRITE);
        uint64_t p1 = translate(c, (lin + first) & c->lin_mask, TLB_WRITE);
        if (c->write_hook) {
            c->write_hook(c->write_hook_opaque, lin, p0, value & size_mask(first), first);
            c->write_hook(c->write_hook_opaque, lin + first, p1, value >> (8 * first), size - first);
        }
        physmem_write(c->mem, p0, value & size_mask(first), first);
        physmem_write(c->mem, p1, value >> (8 * first), size - first);
        return;
    }
    uint64_t phys = translate(c, lin, TLB_WRITE);
    if (c->write_hook)
        c->write_hook(c->write_hook_opaque, lin, phys, value, size);
    tlb_fill(c, TLB_WRITE, lin, phys);
    physmem_write(c->mem, phys, value, size); /* notes writes to code blocks */
}

void mmu_rmw_prepare_slow(struct cpu *c, uint64_t lin, unsigned size)
{
    translate(c, lin, TLB_WRITE);
    if ((lin & 0xFFF) + size > 0x1000)
        translate(c, (lin + 0x1000 - (lin & 0xFFF)) & c->lin_mask, TLB_WRITE);
    c->rmw_host = NULL;
    c->rmw_lin = lin;
}
