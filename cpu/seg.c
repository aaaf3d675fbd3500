/* Segment register loads (SDM vol. 3 ch. 3 and §20.1 for real mode). */
#include "seg.h"

#include "fault.h"
#include "icache.h"

void cpu_icache_flush(struct cpu *c)
{
    icache_flush(c->icache);
    c->icache_tag = icache_tag(c->icache, (unsigned)c->code32 | ((unsigned)c->mode64 << 1));
}

void cpu_update_mode(struct cpu *c)
{
    c->code32 = (c->seg[S_CS].attr & SEG_ATTR_D) != 0;
    c->stack32 = (c->seg[S_SS].attr & SEG_ATTR_D) != 0;
    c->sp_mask = c->mode64 ? ~0ull : c->stack32 ? 0xFFFFFFFFull : 0xFFFFull;
    c->lin_mask = c->mode64 ? ~0ull : 0xFFFFFFFFull;
    c->icache_tag = icache_tag(c->icache, (unsigned)c->code32 | ((unsigned)c->mode64 << 1));
}

void cpu_set_cpl(struct cpu *c, unsigned cpl)
{
    c->cpl = cpl;
    c->tlb_cur = &c->tlb.set[cpl == 3]; /* user pages are checked through their own TLB set */
    c->fetch_page_lin = TLB_INVALID;
}

static bool real_addressing(const struct cpu *c) { return !(c->cr0 & CR0_PE) || (c->eflags & F_VM); }

void seg_load(struct cpu *c, unsigned seg, uint16_t sel)
{
    if (!real_addressing(c)) {
        /* Protected-mode descriptor loads are the next step (issue: protected mode). */
        cpu_raise(c, EXC_GP, sel & 0xFFFC);
    }
    /* Real mode: only the selector and base change; the limit and attributes stay
     * as they were (which is what makes "unreal mode" work). */
    c->seg[seg].sel = sel;
    c->seg[seg].base = (uint64_t)sel << 4;
    if (seg == S_SS)
        cpu_update_mode(c);
}

void seg_load_cs(struct cpu *c, uint16_t sel)
{
    seg_load(c, S_CS, sel);
    cpu_update_mode(c);
}
