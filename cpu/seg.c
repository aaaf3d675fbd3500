/* Segment register loads: real-address mode (SDM vol. 3 §20.1), virtual-8086
 * mode (§20.2) and protected mode (desc.c, SDM vol. 3 ch. 3 and 5), and the
 * mode bits that follow from CS, SS and CPL. */
#include "seg.h"

#include "desc.h"
#include "fault.h"
#include "icache.h"

void cpu_icache_flush(struct cpu *c)
{
    icache_flush(c->icache);
    c->icache_tag = icache_tag(c->icache, (unsigned)c->code32 | ((unsigned)c->mode64 << 1));
}

/* 64-bit mode (SDM vol. 3 §3.4.4, §5.2.1): CS, DS, ES and SS have base 0 and no
 * limit, FS and GS keep only their base, and no type or null checks apply to data
 * accesses. The hidden parts are rewritten to say exactly that, so the fast path
 * in mmu.h needs no mode test; a later switch to compatibility mode gets limits
 * clamped to 4 GiB (an OS reloads its data segments there anyway). */
void seg_flatten_64(struct cpu *c, unsigned seg)
{
    struct seg_cache *sc = &c->seg[seg];
    if (seg != S_FS && seg != S_GS)
        sc->base = 0;
    sc->limit = ~0ull;
    sc->check = 0;
}

void cpu_update_mode(struct cpu *c)
{
    bool was64 = c->mode64;
    /* IA-32e mode: 64-bit mode with CS.L, compatibility mode without (SDM vol. 3 §2.2). */
    c->mode64 = (c->efer & EFER_LMA_BIT) && (c->seg[S_CS].attr & SEG_ATTR_L);
    if (c->mode64) {
        for (unsigned s = 0; s < S_COUNT; s++)
            seg_flatten_64(c, s);
    } else if (was64) {
        for (unsigned s = 0; s < S_COUNT; s++)
            if (c->seg[s].limit > 0xFFFFFFFFull)
                c->seg[s].limit = 0xFFFFFFFFull;
    }
    c->code32 = (c->seg[S_CS].attr & SEG_ATTR_D) != 0;
    c->stack32 = (c->seg[S_SS].attr & SEG_ATTR_D) != 0;
    c->sp_mask = c->mode64 ? ~0ull : c->stack32 ? 0xFFFFFFFFull : 0xFFFFull;
    /* Linear addresses are 64 bits wide whenever IA-32e mode is active (system
     * structures such as the IDT and TSS may lie above 4 GiB even in compatibility mode). */
    c->lin_mask = (c->efer & EFER_LMA_BIT) ? ~0ull : 0xFFFFFFFFull;
    c->icache_tag = icache_tag(c->icache, (unsigned)c->code32 | ((unsigned)c->mode64 << 1));
}

void cpu_update_align_check(struct cpu *c)
{
    /* SDM vol. 3 §6.15 "Interrupt 17": checks apply at CPL 3 with CR0.AM and EFLAGS.AC.
     * Then every data access goes through the slow path, which checks alignment. */
    c->align_check = c->cpl == 3 && (c->cr0 & CR0_AM) && (c->eflags & F_AC);
    c->tlb_cur = c->align_check ? &c->tlb.uncached : &c->tlb.set[c->cpl == 3];
}

void cpu_set_cpl(struct cpu *c, unsigned cpl)
{
    c->cpl = cpl;
    cpu_update_align_check(c);       /* selects the TLB set: user pages have their own */
    c->fetch_page_lin = TLB_INVALID; /* the cached code page was checked for the old privilege */
}

void seg_load_v86(struct seg_cache *sc, uint16_t sel)
{
    /* SDM vol. 3 §20.1.1/§20.2: base = selector * 16, 64 KiB limit; every segment
     * is a present, writable, accessed data segment at DPL 3 (attributes F3h). */
    *sc = (struct seg_cache){.sel = sel, .base = (uint64_t)sel << 4, .limit = 0xFFFF, .attr = 0xF3, .check = 0};
}

void seg_load(struct cpu *c, unsigned seg, uint16_t sel)
{
    struct seg_cache *sc = &c->seg[seg];
    if (likely(!(c->cr0 & CR0_PE))) {
        /* Real mode: only the selector and base change; the limit and attributes stay
         * as they were (which is what makes "unreal mode" work). A selector loaded
         * now is usable even if a null one was loaded in protected mode. */
        sc->sel = sel;
        sc->base = (uint64_t)sel << 4;
        if (unlikely(sc->check & SEG_CHECK_NULL)) {
            sc->limit = 0xFFFF;
            sc->attr = 0x93;
            sc->check = 0;
        }
    } else if (c->eflags & F_VM) {
        seg_load_v86(sc, sel);
    } else {
        seg_load_protected(c, seg, sel, EXC_GP);
        if (c->mode64)
            seg_flatten_64(c, seg);
        return; /* seg_load_protected refreshes the mode bits for SS (and CS) */
    }
    if (seg == S_SS)
        cpu_update_mode(c);
}

void seg_load_cs(struct cpu *c, uint16_t sel)
{
    seg_load(c, S_CS, sel);
    cpu_update_mode(c);
}
