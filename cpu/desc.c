/* Segment descriptors: decoding, the GDT/LDT, protected-mode segment loads and
 * the slow segment check (SDM vol. 3 ch. 3 and 5); the helpers privilege
 * transfers share (TSS inner stacks, staged stack frames); and the
 * instructions that inspect descriptors: LAR, LSL, VERR/VERW, ARPL, and the
 * 0F 00 group SLDT/STR/LLDT/LTR (SDM vol. 2, one page per instruction).
 *
 * Descriptor tables, the TSS and the IDT are read and written with supervisor
 * privilege whatever the CPL (SDM vol. 3 §4.6.1, "implicit supervisor-mode
 * accesses"), through sys_read/sys_write. */
#include "desc.h"

#include "operand.h"
#include "seg.h"

/* ---- descriptors ---- */

void desc_decode(uint32_t lo, uint32_t hi, struct desc *d)
{
    d->lo = lo;
    d->hi = hi;
    d->base = (lo >> 16) | ((hi & 0xFFu) << 16) | (hi & 0xFF000000u);
    d->type = (hi >> 8) & 0xF;
    d->s = (hi >> 12) & 1;
    d->dpl = (hi >> 13) & 3;
    d->present = (hi >> 15) & 1;
    d->avl = (hi >> 20) & 1;
    d->l = (hi >> 21) & 1;
    d->db = (hi >> 22) & 1;
    d->g = (hi >> 23) & 1;
    uint32_t limit = (lo & 0xFFFF) | (hi & 0x000F0000u);
    d->limit = d->g ? (limit << 12) | 0xFFF : limit; /* SDM vol. 3 §3.4.5: G scales by 4 KiB */
    /* Gates (SDM vol. 3 Fig. 5-8, 6-2): selector in bits 16-31 of the low word,
     * offset in the low half of each word; 286 (16-bit) gates have no upper offset. */
    d->gate_sel = (uint16_t)(lo >> 16);
    bool gate16 = !d->s && (d->type == DESC_CALL16 || d->type == DESC_INT16 || d->type == DESC_TRAP16);
    d->gate_offset = (lo & 0xFFFF) | (gate16 ? 0 : (hi & 0xFFFF0000u));
    d->gate_params = hi & 0x1F;
}

bool desc_addr(struct cpu *c, uint16_t sel, uint64_t *lin)
{
    uint64_t off = sel & ~7u;
    if (sel & 4) {
        if ((c->ldtr.check & SEG_CHECK_NULL) || off + 7 > c->ldtr.limit)
            return false;
        *lin = c->ldtr.base + off;
    } else {
        if (off + 7 > c->gdtr.limit)
            return false;
        *lin = c->gdtr.base + off;
    }
    return true;
}

bool desc_read(struct cpu *c, uint16_t sel, struct desc *d)
{
    uint64_t lin;
    if (!desc_addr(c, sel, &lin))
        return false;
    uint64_t raw = sys_read(c, lin, 8);
    desc_decode((uint32_t)raw, (uint32_t)(raw >> 32), d);
    return true;
}

void desc_set_accessed(struct cpu *c, uint16_t sel, struct desc *d)
{
    uint64_t lin;
    if (!d->s || (d->type & DESC_T_ACCESSED) || !desc_addr(c, sel, &lin))
        return;
    d->hi |= DESC_T_ACCESSED << 8;
    d->type |= DESC_T_ACCESSED;
    sys_write(c, lin + 5, (d->hi >> 8) & 0xFF, 1);
}

void seg_cache_from_desc(struct seg_cache *sc, uint16_t sel, const struct desc *d)
{
    sc->base = d->base;
    sc->limit = d->limit;
    sc->sel = sel;
    sc->attr = (uint16_t)((d->hi >> 8) & 0xF0FF); /* type/S/DPL/P, and AVL/L/D/G in bits 12-15 */
    uint8_t check = 0;
    if (d->s) {
        if (d->type & DESC_T_CODE) {
            check = SEG_CHECK_NOWRITE; /* code is never writable (SDM vol. 3 §5.6) */
            if (!(d->type & DESC_T_RW))
                check |= SEG_CHECK_NOREAD;
        } else {
            if (!(d->type & DESC_T_RW))
                check |= SEG_CHECK_NOWRITE;
            if (d->type & DESC_T_EC)
                check |= SEG_CHECK_EXPDOWN;
        }
    }
    sc->check = check;
}

void seg_cache_null(struct seg_cache *sc, uint16_t sel)
{
    *sc = (struct seg_cache){.sel = sel, .base = 0, .limit = 0, .attr = 0, .check = SEG_CHECK_NULL};
}

bool seg_cache_in_limit(const struct seg_cache *sc, uint64_t off, unsigned size)
{
    uint64_t last = off + size - 1;
    if (sc->check & SEG_CHECK_EXPDOWN) {
        /* SDM vol. 3 §5.3: valid offsets run from limit+1 to FFFFh, or FFFFFFFFh with B set. */
        uint64_t upper = (sc->attr & SEG_ATTR_D) ? 0xFFFFFFFFull : 0xFFFFull;
        return off > sc->limit && last <= upper && last >= off;
    }
    return last <= sc->limit;
}

/* The slow half of seg_linear (mmu.h), for segments with check bits. In real
 * mode the cached attributes are not enforced (only the limit, as "unreal mode"
 * relies on); in protected mode a null selector, a read of execute-only code and
 * a write to code or read-only data are #GP(0) (SDM vol. 3 §5.5-5.6), and a
 * limit violation is #GP(0), or #SS(0) for SS. */
uint64_t seg_linear_slow(struct cpu *c, unsigned seg, uint64_t off, unsigned size, bool write)
{
    const struct seg_cache *s = &c->seg[seg];
    bool pm = (c->cr0 & CR0_PE) != 0;
    if (c->mode64)
        return (s->base + off) & c->lin_mask; /* 64-bit mode: no segment checks (long-mode issue) */
    if (pm) {
        if (s->check & SEG_CHECK_NULL)
            cpu_raise_gp0(c);
        if (s->check & (write ? SEG_CHECK_NOWRITE : SEG_CHECK_NOREAD))
            cpu_raise_gp0(c);
    }
    if (!seg_cache_in_limit(s, off, size)) {
        if (!pm)
            seg_limit_fault(c, seg);
        cpu_raise(c, seg == S_SS ? EXC_SS : EXC_GP, 0);
    }
    return (s->base + off) & c->lin_mask;
}

/* ---- protected-mode segment loads ---- */

static void load_cs_task(struct cpu *c, uint16_t sel, unsigned vector)
{
    uint32_t err = sel & 0xFFFC;
    unsigned rpl = sel & 3;
    struct desc d;
    if (sel_is_null(sel) || !desc_read(c, sel, &d) || !desc_is_code(&d))
        cpu_raise(c, vector, err);
    if (desc_is_conforming(&d) ? d.dpl > rpl : d.dpl != rpl)
        cpu_raise(c, vector, err);
    if (!d.present)
        cpu_raise(c, EXC_NP, err);
    desc_set_accessed(c, sel, &d);
    load_cs_commit(c, sel, &d, rpl);
}

void seg_load_protected(struct cpu *c, unsigned seg, uint16_t sel, unsigned vector)
{
    if (seg == S_CS) {
        load_cs_task(c, sel, vector);
        return;
    }
    uint32_t err = sel & 0xFFFC;
    unsigned rpl = sel & 3;
    struct desc d;
    if (sel_is_null(sel)) {
        /* SDM vol. 2 MOV: "IF SS is loaded: IF segment selector is NULL THEN #GP(0)";
         * a null selector in DS, ES, FS, GS is allowed and faults on use. */
        /* In 64-bit mode a null SS is allowed at CPL 0-2 with RPL = CPL (SDM vol. 2 MOV, 64-bit mode). */
        if (seg == S_SS && !(c->mode64 && c->cpl != 3 && rpl == c->cpl))
            cpu_raise(c, vector, 0);
        seg_cache_null(&c->seg[seg], sel);
        if (seg == S_SS)
            cpu_update_mode(c);
        return;
    }
    if (!desc_read(c, sel, &d))
        cpu_raise(c, vector, err);
    if (seg == S_SS) {
        if (rpl != c->cpl || !desc_is_data(&d) || !(d.type & DESC_T_RW) || d.dpl != c->cpl)
            cpu_raise(c, vector, err);
        if (!d.present)
            cpu_raise(c, EXC_SS, err);
    } else {
        /* Data, or readable code; unless conforming code, DPL >= max(CPL, RPL). */
        if (!d.s || (d.type & (DESC_T_CODE | DESC_T_RW)) == DESC_T_CODE)
            cpu_raise(c, vector, err);
        if (!desc_is_conforming(&d) && (rpl > d.dpl || c->cpl > d.dpl))
            cpu_raise(c, vector, err);
        if (!d.present)
            cpu_raise(c, EXC_NP, err);
    }
    desc_set_accessed(c, sel, &d);
    seg_cache_from_desc(&c->seg[seg], sel, &d);
    if (seg == S_SS)
        cpu_update_mode(c);
}

/* In IA-32e mode LDT and TSS descriptors are 16 bytes: the second 8 bytes hold
 * base bits 63:32 and a type field that must be 0 (SDM vol. 3 §7.2.3, §8.2.3).
 * Returns false (the caller raises #GP(sel)) if they lie beyond the table or are invalid. */
static bool system_desc_upper(struct cpu *c, uint16_t sel, struct desc *d)
{
    if (!(c->efer & EFER_LMA_BIT))
        return true;
    uint64_t lin;
    if (!desc_addr(c, (uint16_t)(sel + 8), &lin))
        return false;
    uint64_t hi = sys_read(c, lin, 8);
    if ((hi >> 40) & 0x1F)
        return false;
    d->base |= (hi & 0xFFFFFFFFull) << 32;
    return is_canonical(d->base);
}

void ldtr_load(struct cpu *c, uint16_t sel, unsigned vector)
{
    uint32_t err = sel & 0xFFFC;
    struct desc d;
    if (sel_is_null(sel)) {
        seg_cache_null(&c->ldtr, sel);
        return;
    }
    /* SDM vol. 2 LLDT: TI set, beyond the GDT or not an LDT descriptor is #GP(sel). */
    if ((sel & 4) || !desc_read(c, sel, &d) || d.s || d.type != DESC_LDT || !system_desc_upper(c, sel, &d))
        cpu_raise(c, vector, err);
    if (!d.present)
        cpu_raise(c, vector == EXC_TS ? EXC_TS : EXC_NP, err); /* Table 7-1: an absent LDT is #TS */
    seg_cache_from_desc(&c->ldtr, sel, &d);
}

/* ---- helpers for privilege transfers ---- */

static bool tss_is_32(const struct cpu *c)
{
    unsigned t = c->tr.attr & 0xF;
    return t == DESC_TSS32_AVAIL || t == DESC_TSS32_BUSY;
}

void tss_inner_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint64_t *sp, uint32_t ext)
{
    /* SDM vol. 2 CALL / INT n: "IF (TSSstackAddress + 5) > current TSS limit THEN #TS" (+3, 16-bit TSS). */
    bool t32 = tss_is_32(c);
    uint64_t off = t32 ? 8u * dpl + 4 : 4u * dpl + 2;
    if (off + (t32 ? 5 : 3) > c->tr.limit)
        cpu_raise(c, EXC_TS, (c->tr.sel & 0xFFFC) | ext);
    if (t32) {
        *sp = sys_read(c, c->tr.base + off, 4);
        *ss = (uint16_t)sys_read(c, c->tr.base + off + 4, 2);
    } else {
        *sp = sys_read(c, c->tr.base + off, 2);
        *ss = (uint16_t)sys_read(c, c->tr.base + off + 2, 2);
    }
}

void check_stack_desc(struct cpu *c, uint16_t sel, unsigned cpl, struct desc *d, unsigned vector, uint32_t ext)
{
    uint32_t err = (sel & 0xFFFC) | ext;
    if (sel_is_null(sel))
        cpu_raise(c, vector, ext);
    if (!desc_read(c, sel, d) || (sel & 3) != cpl)
        cpu_raise(c, vector, err);
    if (d->dpl != cpl || !desc_is_data(d) || !(d->type & DESC_T_RW))
        cpu_raise(c, vector, err);
    if (!d->present)
        cpu_raise(c, EXC_SS, err);
}

void check_gate_target(struct cpu *c, uint16_t sel, struct desc *d, uint32_t ext, bool same_level)
{
    uint32_t err = (sel & 0xFFFC) | ext;
    if (sel_is_null(sel))
        cpu_raise(c, EXC_GP, ext);
    if (!desc_read(c, sel, d) || !desc_is_code(d) || d->dpl > c->cpl)
        cpu_raise(c, EXC_GP, err);
    if (same_level && !desc_is_conforming(d) && d->dpl != c->cpl)
        cpu_raise(c, EXC_GP, err);
    if (!d->present)
        cpu_raise(c, EXC_NP, err);
}

void load_cs_commit(struct cpu *c, uint16_t sel, const struct desc *d, unsigned cpl)
{
    seg_cache_from_desc(&c->seg[S_CS], (uint16_t)((sel & ~3u) | cpl), d);
    cpu_set_cpl(c, cpl);
    cpu_update_mode(c);
}

/* ---- staged stack frames ---- */

void probe_write(struct cpu *c, uint64_t lin, unsigned size, bool user)
{
    if (!(c->cr0 & CR0_PG))
        return; /* without paging a linear write cannot fault */
    /* mmu_rmw_prepare_slow translates for a write at the privilege of the
     * current TLB set; a #PF unwinds through cpu_raise, which re-selects the set from CPL. */
    struct tlb_set *saved = c->tlb_cur;
    c->tlb_cur = &c->tlb.set[user];
    mmu_rmw_prepare_slow(c, lin & c->lin_mask, size);
    c->tlb_cur = saved;
    c->rmw_host = NULL;
}

void frame_init(struct cpu *c, struct stack_frame *f, const struct seg_cache *ss, uint64_t sp, unsigned cpl,
                uint32_t err)
{
    f->ss = ss;
    f->mask = c->mode64 ? ~0ull : (ss->attr & SEG_ATTR_D) ? 0xFFFFFFFFull : 0xFFFFull;
    f->sp = sp & f->mask;
    f->user = cpl == 3;
    f->err = err;
    f->n = 0;
}

void frame_push(struct cpu *c, struct stack_frame *f, uint64_t v, unsigned size)
{
    f->sp = (f->sp - size) & f->mask;
    if (!c->mode64 && !seg_cache_in_limit(f->ss, f->sp, size))
        cpu_raise(c, EXC_SS, f->err);
    if (f->n >= FRAME_MAX)
        cpu_raise(c, EXC_SS, f->err); /* cannot happen: at most 31 parameters + 9 slots */
    f->slot[f->n].lin = (f->ss->base + f->sp) & c->lin_mask;
    f->slot[f->n].val = v & size_mask(size);
    f->slot[f->n].size = size;
    f->n++;
}

void frame_commit(struct cpu *c, struct stack_frame *f)
{
    for (unsigned k = 0; k < f->n; k++)
        probe_write(c, f->slot[k].lin, f->slot[k].size, f->user);
    /* Nothing below can fault: write with the frame's privilege. */
    struct tlb_set *saved = c->tlb_cur;
    c->tlb_cur = &c->tlb.set[f->user];
    for (unsigned k = 0; k < f->n; k++)
        lin_write(c, f->slot[k].lin, f->slot[k].val, f->slot[k].size);
    c->tlb_cur = saved;
}

/* ---- LAR, LSL, VERR, VERW, ARPL ---- */

static bool protected_mode(const struct cpu *c) { return (c->cr0 & CR0_PE) != 0; }
static bool v86_mode(const struct cpu *c) { return (c->eflags & F_VM) != 0; }

/* All of these are #UD in real-address and virtual-8086 mode (SDM vol. 2). */
static void require_pm_no_v86(struct cpu *c)
{
    if (!protected_mode(c) || v86_mode(c))
        cpu_raise_ud(c);
}

/* Only ZF changes (SDM vol. 2 LAR, LSL, VERR, ARPL: "other flags unaffected"). */
static void set_zf(struct cpu *c, bool zf) { lf_set_flags(c, (lf_get_flags(c) & ~F_ZF) | (zf ? F_ZF : 0)); }

static uint16_t read_rm16(struct cpu *c, const struct insn *i)
{
    return (uint16_t)((i->flags & INSN_MEM) ? mem_read(c, i->seg, insn_ea(c, i), 2) : reg16(c, i->rm));
}

/* The descriptor LAR (lsl = false) or LSL may report: not null, inside its
 * table, a type the instruction accepts, and (unless conforming code) DPL >=
 * CPL and DPL >= RPL (SDM vol. 2 LAR, LSL; 16/32-bit mode type tables). */
static bool lar_lsl_visible(struct cpu *c, uint16_t sel, struct desc *d, bool lsl)
{
    if (sel_is_null(sel) || !desc_read(c, sel, d))
        return false;
    if (!d->s) {
        switch (d->type) {
        case DESC_TSS16_AVAIL: case DESC_LDT: case DESC_TSS16_BUSY: case DESC_TSS32_AVAIL: case DESC_TSS32_BUSY:
            break;
        case DESC_CALL16: case DESC_TASK_GATE: case DESC_CALL32:
            if (lsl)
                return false; /* gates have no limit */
            break;
        default:
            return false; /* reserved types, interrupt and trap gates */
        }
    }
    if (!desc_is_conforming(d) && (d->dpl < c->cpl || d->dpl < (sel & 3)))
        return false;
    return true;
}

/* LAR Gv, Ew (0F 02): access rights, the second descriptor word masked by FF00h
 * (16-bit) or 00FxFF00h (32-bit; bits 19:16 are undefined, we pass them). */
ALWAYS_INLINE void lar(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    require_pm_no_v86(c);
    struct desc d;
    uint16_t sel = read_rm16(c, i);
    if (!lar_lsl_visible(c, sel, &d, false)) {
        set_zf(c, false);
        return;
    }
    reg_set(c, i->reg, size, d.hi & (size == 2 ? 0xFF00u : 0x00FFFF00u));
    set_zf(c, true);
}

/* LSL Gv, Ew (0F 03): the byte-granular limit (scaled when G is set). */
ALWAYS_INLINE void lsl(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    require_pm_no_v86(c);
    struct desc d;
    uint16_t sel = read_rm16(c, i);
    if (!lar_lsl_visible(c, sel, &d, true)) {
        set_zf(c, false);
        return;
    }
    reg_set(c, i->reg, size, d.limit);
    set_zf(c, true);
}
HSET_RM(lar);
HSET_RM(lsl);

/* VERR/VERW Ew (0F 00 /4, /5): ZF = the segment could be read / written at the
 * current CPL with the selector's RPL. No presence check (SDM vol. 2 VERR). */
static void verify(struct cpu *c, const struct insn *i, bool write)
{
    require_pm_no_v86(c);
    uint16_t sel = read_rm16(c, i);
    struct desc d;
    bool ok = false;
    if (!sel_is_null(sel) && desc_read(c, sel, &d) && d.s &&
        (desc_is_conforming(&d) || (d.dpl >= c->cpl && d.dpl >= (sel & 3)))) {
        if (write)
            ok = desc_is_data(&d) && (d.type & DESC_T_RW);
        else
            ok = desc_is_data(&d) || (d.type & DESC_T_RW);
    }
    set_zf(c, ok);
}
static void verr(struct cpu *c, const struct insn *i) { verify(c, i, false); }
static void verw(struct cpu *c, const struct insn *i) { verify(c, i, true); }
HSET_1(verr);
HSET_1(verw);

/* ARPL Ew, Gw (63): raise the RPL of the destination selector to the source's.
 * #UD in real and virtual-8086 mode. In 64-bit mode opcode 63 is MOVSXD (a
 * later step; OA_NO64 keeps it #UD there until then). */
ALWAYS_INLINE void arpl(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    require_pm_no_v86(c);
    uint16_t dst = (uint16_t)rm_read_rmw(c, i, 2, mem);
    uint16_t src = reg16(c, i->reg);
    if ((dst & 3) < (src & 3)) {
        rm_write_rmw(c, i, 2, mem, (dst & ~3u) | (src & 3));
        set_zf(c, true);
    } else {
        set_zf(c, false);
    }
}
HSET_RM(arpl);

/* ---- 0F 00: SLDT, STR, LLDT, LTR ---- */

/* SLDT/STR: a memory destination takes 16 bits; a 32/64-bit register gets the
 * selector zero-extended (P6 and later). */
static void store_sel(struct cpu *c, const struct insn *i, uint16_t sel)
{
    if (i->flags & INSN_MEM)
        mem_write(c, i->seg, insn_ea(c, i), sel, 2);
    else
        reg_set(c, i->rm, i->osize, sel);
}
static void sldt(struct cpu *c, const struct insn *i)
{
    require_pm_no_v86(c);
    store_sel(c, i, c->ldtr.sel);
}
static void str_(struct cpu *c, const struct insn *i)
{
    require_pm_no_v86(c);
    store_sel(c, i, c->tr.sel);
}

/* LLDT Ew: CPL 0 only (#GP(0)). */
static void lldt(struct cpu *c, const struct insn *i)
{
    require_pm_no_v86(c);
    if (c->cpl != 0)
        cpu_raise_gp0(c);
    ldtr_load(c, read_rm16(c, i), EXC_GP);
}

/* LTR Ew: CPL 0 only; the selector must name an available TSS in the GDT,
 * which LTR marks busy (SDM vol. 2 LTR). */
static void ltr(struct cpu *c, const struct insn *i)
{
    require_pm_no_v86(c);
    if (c->cpl != 0)
        cpu_raise_gp0(c);
    uint16_t sel = read_rm16(c, i);
    uint32_t err = sel & 0xFFFC;
    struct desc d;
    uint64_t lin;
    if (sel_is_null(sel))
        cpu_raise_gp0(c);
    if ((sel & 4) || !desc_addr(c, sel, &lin) || !desc_read(c, sel, &d))
        cpu_raise(c, EXC_GP, err);
    if (d.s || (d.type != DESC_TSS16_AVAIL && d.type != DESC_TSS32_AVAIL))
        cpu_raise(c, EXC_GP, err);
    /* IA-32e mode has only the 64-bit TSS (type 9, SDM vol. 3 §8.7). */
    if ((c->efer & EFER_LMA_BIT) && (d.type != DESC_TSS32_AVAIL || !system_desc_upper(c, sel, &d)))
        cpu_raise(c, EXC_GP, err);
    if (!d.present)
        cpu_raise(c, EXC_NP, err);
    d.hi |= 0x200; /* busy: type 1 -> 3, 9 -> 11 */
    d.type |= 2;
    sys_write(c, lin + 5, (d.hi >> 8) & 0xFF, 1);
    seg_cache_from_desc(&c->tr, sel, &d);
}
HSET_1(sldt);
HSET_1(str_);
HSET_1(lldt);
HSET_1(ltr);

/* All of these exist on the 80286 (no OA_386). */
const struct opdef desc_opdefs[] = {
    {0x0F00, 0, OA_MODRM, &hs_sldt}, {0x0F00, 1, OA_MODRM, &hs_str_},
    {0x0F00, 2, OA_MODRM, &hs_lldt}, {0x0F00, 3, OA_MODRM, &hs_ltr},
    {0x0F00, 4, OA_MODRM, &hs_verr}, {0x0F00, 5, OA_MODRM, &hs_verw},
    {0x0F02, -1, OA_MODRM, &hs_lar}, {0x0F03, -1, OA_MODRM, &hs_lsl},
    {0x63, -1, OA_MODRM | OA_NO64, &hs_arpl},
    {0, 0, 0, NULL},
};
