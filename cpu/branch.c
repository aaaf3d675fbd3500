/* Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP/LOOPcc, JCXZ,
 * INT n / INT3 / INTO / INT1, IRET and BOUND (SDM vol. 2).
 *
 * Near targets are truncated to the operand size and checked against the CS
 * limit by branch_to(). In real-address and virtual-8086 mode loading CS only
 * sets selector and base, so the new IP is checked against the (unchanged) CS
 * limit before anything is committed. Protected-mode far transfers check
 * descriptors and gates, switch stacks on privilege changes and hand task
 * gates and TSSs to task_switch() (task.c). */
#include "desc.h"
#include "eflags.h"
#include "operand.h"
#include "seg.h"
#include "task.h"
#include "v86.h"

/* Real-address or virtual-8086 mode: CS := selector, base := selector * 16. */
static inline bool real_addressing(const struct cpu *c) { return !(c->cr0 & CR0_PE) || (c->eflags & F_VM); }

/* ---- Jcc, JMP rel, CALL rel ---- */

/* One handler set per condition, so cond_true() folds to the flag test. */
#define JCC(cc)                                                                                              \
    ALWAYS_INLINE void jcc_##cc(struct cpu *c, const struct insn *i, unsigned size)                          \
    {                                                                                                        \
        if (cond_true(c, cc))                                                                                \
            branch_to(c, c->rip + i->imm, size);                                                             \
    }                                                                                                        \
    HSET_W(jcc_##cc)
JCC(0x0); JCC(0x1); JCC(0x2); JCC(0x3); JCC(0x4); JCC(0x5); JCC(0x6); JCC(0x7);
JCC(0x8); JCC(0x9); JCC(0xA); JCC(0xB); JCC(0xC); JCC(0xD); JCC(0xE); JCC(0xF);

ALWAYS_INLINE void jmp_rel(struct cpu *c, const struct insn *i, unsigned size) { branch_to(c, c->rip + i->imm, size); }
HSET_W(jmp_rel);

/* The target is checked (and RIP set) before the push; a fault in the push puts
 * RIP back at the instruction, so nothing is left behind either way. */
ALWAYS_INLINE void near_call(struct cpu *c, uint64_t target, unsigned size)
{
    uint64_t ret = c->rip;
    branch_to(c, target, size);
    push(c, ret, size);
}
ALWAYS_INLINE void call_rel(struct cpu *c, const struct insn *i, unsigned size) { near_call(c, c->rip + i->imm, size); }
HSET_W(call_rel);

/* ---- near CALL/JMP Ev (FF /2, FF /4) ---- */

ALWAYS_INLINE void call_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    near_call(c, rm_read(c, i, size, mem), size);
}
ALWAYS_INLINE void jmp_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    branch_to(c, rm_read(c, i, size, mem), size);
}
HSET_RM(call_E);
HSET_RM(jmp_E);

/* ---- near RET (C3, C2 Iw) ---- */

ALWAYS_INLINE void ret_near(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t target = stack_peek(c, 0, size);
    branch_to(c, target, size);
    set_sp(c, stack_top(c) + size + i->imm); /* C3 decodes no immediate: imm is 0 */
}
HSET_W(ret_near);

/* ---- far JMP / CALL / RET ---- */

/* Protected mode (SDM vol. 2 JMP, CALL, RET, IRET; vol. 3 §5.8 and ch. 7).
 * Each transfer reads and checks every descriptor, stages the stack frame and
 * checks the new offset before it changes anything; CPL changes only through
 * load_cs_commit (cpu_set_cpl). */

/* A far JMP/CALL to a code segment named directly: conforming code needs
 * DPL <= CPL; nonconforming RPL <= CPL and DPL = CPL. CPL stays; CS.RPL := CPL. */
static void check_direct_code(struct cpu *c, uint16_t sel, const struct desc *d)
{
    uint32_t err = sel & 0xFFFC;
    if (!desc_is_code(d))
        cpu_raise(c, EXC_GP, err);
    if (desc_is_conforming(d) ? d->dpl > c->cpl : ((sel & 3u) > c->cpl || d->dpl != c->cpl))
        cpu_raise(c, EXC_GP, err);
    if (!d->present)
        cpu_raise(c, EXC_NP, err);
}

/* The new RIP of a far transfer to code segment d: a 64-bit code segment in
 * IA-32e mode has no limit but needs a canonical offset; otherwise the limit applies. */
static void check_far_offset(struct cpu *c, const struct desc *d, uint64_t off)
{
    if ((c->efer & EFER_LMA_BIT) && d->l) {
        if (!is_canonical(off))
            cpu_raise_gp0(c);
    } else if (off > d->limit) {
        cpu_raise_gp0(c);
    }
}

/* The descriptor a far JMP/CALL names: null is #GP(0), outside its table #GP(sel). */
static void read_far_target(struct cpu *c, uint16_t sel, struct desc *d)
{
    if (sel_is_null(sel))
        cpu_raise_gp0(c);
    if (!desc_read(c, sel, d))
        cpu_raise(c, EXC_GP, sel & 0xFFFC);
}

/* A task gate or TSS named by a far JMP/CALL (TASK-GATE, TASK-STATE-SEGMENT):
 * DPL >= max(CPL, RPL) and present; a task gate must name an available TSS in
 * the GDT. task_switch() (task.c) checks the TSS itself and does the switch. */
static void far_to_task(struct cpu *c, uint16_t sel, const struct desc *d, enum task_switch_reason why)
{
    uint32_t err = sel & 0xFFFC;
    if (d->dpl < c->cpl || d->dpl < (sel & 3u))
        cpu_raise(c, EXC_GP, err);
    if (!d->present)
        cpu_raise(c, EXC_NP, err);
    uint16_t tss_sel = sel;
    struct desc tss = *d;
    if (d->type == DESC_TASK_GATE) {
        tss_sel = d->gate_sel;
        err = tss_sel & 0xFFFC;
        if ((tss_sel & 4) || !desc_read(c, tss_sel, &tss))
            cpu_raise(c, EXC_GP, err);
        if (tss.s || (tss.type != DESC_TSS16_AVAIL && tss.type != DESC_TSS32_AVAIL))
            cpu_raise(c, EXC_GP, err);
        if (!tss.present)
            cpu_raise(c, EXC_NP, err);
    } else if (sel & 4) {
        cpu_raise(c, EXC_GP, err); /* TSS descriptors live in the GDT only (SDM vol. 3 §7.2.2) */
    }
    task_switch(c, tss_sel, &tss, why, false, 0);
}

static void far_jump_pm(struct cpu *c, uint16_t sel, uint64_t off)
{
    struct desc d;
    read_far_target(c, sel, &d);
    if (d.s) {
        check_direct_code(c, sel, &d);
        check_far_offset(c, &d, off);
        desc_set_accessed(c, sel, &d);
        load_cs_commit(c, sel, &d, c->cpl);
        c->rip = off;
        return;
    }
    if (c->efer & EFER_LMA_BIT)
        cpu_raise(c, EXC_GP, sel & 0xFFFC); /* 64-bit call gates and task switches: not supported in IA-32e mode here */
    switch (d.type) {
    case DESC_CALL16:
    case DESC_CALL32: {
        /* JMP through a call gate: to the same privilege level only. */
        if (d.dpl < c->cpl || d.dpl < (sel & 3u))
            cpu_raise(c, EXC_GP, sel & 0xFFFC);
        if (!d.present)
            cpu_raise(c, EXC_NP, sel & 0xFFFC);
        struct desc cd;
        check_gate_target(c, d.gate_sel, &cd, 0, true);
        if (d.gate_offset > cd.limit)
            cpu_raise_gp0(c);
        desc_set_accessed(c, d.gate_sel, &cd);
        load_cs_commit(c, d.gate_sel, &cd, c->cpl);
        c->rip = d.gate_offset;
        return;
    }
    case DESC_TASK_GATE:
    case DESC_TSS16_AVAIL:
    case DESC_TSS32_AVAIL:
        far_to_task(c, sel, &d, TASK_JMP);
        return;
    default:
        cpu_raise(c, EXC_GP, sel & 0xFFFC); /* busy TSS, LDT, interrupt/trap gate, reserved */
    }
}

/* CALL through a call gate (CALL-GATE; SDM vol. 3 §5.8.5): to a more privileged
 * nonconforming segment the stack switches to the TSS's inner stack, which gets
 * the caller's SS and ESP, gate_params parameters copied from the caller's
 * stack (in their order), then CS and EIP; every push has the gate's size. */
static void call_gate(struct cpu *c, uint16_t sel, const struct desc *g)
{
    uint32_t err = sel & 0xFFFC;
    if (g->dpl < c->cpl || g->dpl < (sel & 3u))
        cpu_raise(c, EXC_GP, err);
    if (!g->present)
        cpu_raise(c, EXC_NP, err);
    struct desc cd;
    uint16_t cs_sel = g->gate_sel;
    check_gate_target(c, cs_sel, &cd, 0, false);
    unsigned gsize = g->type == DESC_CALL32 ? 4 : 2;
    uint16_t old_cs = c->seg[S_CS].sel;
    struct stack_frame f;
    if (!desc_is_conforming(&cd) && cd.dpl < c->cpl) {
        unsigned new_cpl = cd.dpl;
        uint16_t ss_sel;
        uint64_t sp;
        struct desc sd;
        struct seg_cache ss;
        tss_inner_stack(c, new_cpl, &ss_sel, &sp, 0);
        check_stack_desc(c, ss_sel, new_cpl, &sd, EXC_TS, 0);
        seg_cache_from_desc(&ss, ss_sel, &sd);
        /* "IF new stack does not have room for parameters plus 16 (8) bytes THEN #SS(SS selector)" */
        frame_init(c, &f, &ss, sp, new_cpl, ss_sel & 0xFFFC);
        frame_push(c, &f, c->seg[S_SS].sel, gsize);
        frame_push(c, &f, c->regs[R_SP], gsize);
        uint64_t top = stack_top(c);
        for (unsigned k = g->gate_params; k-- > 0;)
            frame_push(c, &f, mem_read(c, S_SS, (top + (uint64_t)k * gsize) & c->sp_mask, gsize), gsize);
        frame_push(c, &f, old_cs, gsize);
        frame_push(c, &f, c->rip, gsize);
        if (g->gate_offset > cd.limit)
            cpu_raise_gp0(c);
        desc_set_accessed(c, cs_sel, &cd);
        desc_set_accessed(c, ss_sel, &sd);
        seg_cache_from_desc(&ss, ss_sel, &sd);
        frame_commit(c, &f);
        c->seg[S_SS] = ss;
        c->regs[R_SP] = (sp & ~f.mask) | f.sp;
        load_cs_commit(c, cs_sel, &cd, new_cpl); /* also refreshes stack32 from the new SS */
    } else {
        frame_init(c, &f, &c->seg[S_SS], c->regs[R_SP], c->cpl, 0);
        frame_push(c, &f, old_cs, gsize);
        frame_push(c, &f, c->rip, gsize);
        if (g->gate_offset > cd.limit)
            cpu_raise_gp0(c);
        desc_set_accessed(c, cs_sel, &cd);
        frame_commit(c, &f);
        set_sp(c, f.sp);
        load_cs_commit(c, cs_sel, &cd, c->cpl);
    }
    c->rip = g->gate_offset;
}

static void far_call_pm(struct cpu *c, uint16_t sel, uint64_t off, unsigned size)
{
    struct desc d;
    read_far_target(c, sel, &d);
    if (d.s) {
        /* "IF stack not large enough for a 6-byte (10-byte) return address THEN #SS(0)",
         * then "IF the instruction pointer is not within code segment limit THEN #GP(0)". */
        check_direct_code(c, sel, &d);
        struct stack_frame f;
        frame_init(c, &f, &c->seg[S_SS], c->regs[R_SP], c->cpl, 0);
        frame_push(c, &f, c->seg[S_CS].sel, size);
        frame_push(c, &f, c->rip, size);
        check_far_offset(c, &d, off);
        desc_set_accessed(c, sel, &d);
        frame_commit(c, &f);
        set_sp(c, f.sp);
        load_cs_commit(c, sel, &d, c->cpl);
        c->rip = off;
        return;
    }
    if (c->efer & EFER_LMA_BIT)
        cpu_raise(c, EXC_GP, sel & 0xFFFC); /* 64-bit call gates: not supported here */
    switch (d.type) {
    case DESC_CALL16:
    case DESC_CALL32:
        call_gate(c, sel, &d);
        return;
    case DESC_TASK_GATE:
    case DESC_TSS16_AVAIL:
    case DESC_TSS32_AVAIL:
        far_to_task(c, sel, &d, TASK_CALL);
        return;
    default:
        cpu_raise(c, EXC_GP, sel & 0xFFFC);
    }
}

/* The CS a far RET or IRET returns to: RPL >= CPL; conforming code DPL <= RPL,
 * nonconforming DPL = RPL; present. */
static void check_return_cs(struct cpu *c, uint16_t sel, struct desc *d)
{
    uint32_t err = sel & 0xFFFC;
    unsigned rpl = sel & 3;
    if (sel_is_null(sel))
        cpu_raise_gp0(c);
    if (!desc_read(c, sel, d) || !desc_is_code(d) || rpl < c->cpl)
        cpu_raise(c, EXC_GP, err);
    if (desc_is_conforming(d) ? d->dpl > rpl : d->dpl != rpl)
        cpu_raise(c, EXC_GP, err);
    if (!d->present)
        cpu_raise(c, EXC_NP, err);
}

/* After a return to an outer level: ES, DS, FS and GS holding data or
 * nonconforming code with DPL < CPL are nulled (SDM vol. 2 RET, IRET:
 * "SegmentSelector := 0"), so the outer level cannot keep inner segments. */
static void null_inner_data_segments(struct cpu *c)
{
    static const uint8_t segs[] = {S_ES, S_DS, S_FS, S_GS};
    for (unsigned k = 0; k < sizeof segs; k++) {
        struct seg_cache *sc = &c->seg[segs[k]];
        unsigned dpl = (sc->attr >> 5) & 3;
        bool conforming_code = (sc->attr & 0x1C) == 0x1C;
        bool usable = !(sc->check & SEG_CHECK_NULL) && (sc->attr & 0x10); /* S: code or data */
        if (usable && !conforming_code && dpl < c->cpl) {
            uint64_t base = sc->base;
            seg_cache_null(sc, 0);
            if (c->mode64) {
                /* 64-bit mode: a null data segment is usable; FS and GS keep their base. */
                seg_flatten_64(c, segs[k]);
                if (segs[k] == S_FS || segs[k] == S_GS)
                    sc->base = base;
            }
        }
    }
}

/* RETF/IRET to an outer level that is 64-bit code at CPL 1 or 2 may load a null
 * SS (SDM vol. 2 IRET, IA-32e mode: "IF new CS is 64-bit and new CPL != 3, a
 * null SS is allowed"). */
static bool outer_null_ss_ok(const struct cpu *c, const struct desc *cd, uint16_t ss_sel, unsigned rpl)
{
    return (c->efer & EFER_LMA_BIT) && cd->l && rpl != 3 && sel_is_null(ss_sel);
}

/* Commit the outer stack of a RET/IRET to an outer level (CS and CPL first).
 * With a 16-bit SS only SP is loaded and the upper half of ESP keeps its value,
 * as on hardware. `release` is RET imm16's parameter area on the outer stack. */
static void load_outer_stack(struct cpu *c, uint16_t ss_sel, const struct desc *sd, uint64_t sp, uint64_t release)
{
    if (sd)
        seg_cache_from_desc(&c->seg[S_SS], ss_sel, sd);
    else
        seg_cache_null(&c->seg[S_SS], ss_sel); /* 64-bit mode, CPL < 3 */
    cpu_update_mode(c);
    c->regs[R_SP] = (c->regs[R_SP] & ~c->sp_mask) | ((sp + release) & c->sp_mask);
    null_inner_data_segments(c);
}

/* RETF in protected mode (RETURN-TO-SAME-PRIVILEGE-LEVEL / -OUTER-PRIVILEGE-LEVEL):
 * imm16 is released on both stacks. */
static void ret_far_pm(struct cpu *c, unsigned size, uint64_t imm)
{
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    struct desc cd;
    check_return_cs(c, sel, &cd);
    unsigned rpl = sel & 3;
    if (rpl > c->cpl) {
        uint64_t sp = stack_peek(c, 2 * size + imm, size);
        uint16_t ss_sel = (uint16_t)stack_peek(c, 3 * size + imm, size);
        struct desc sd;
        bool null_ss = outer_null_ss_ok(c, &cd, ss_sel, rpl);
        if (!null_ss)
            check_stack_desc(c, ss_sel, rpl, &sd, EXC_GP, 0);
        check_far_offset(c, &cd, off);
        desc_set_accessed(c, sel, &cd);
        if (!null_ss)
            desc_set_accessed(c, ss_sel, &sd);
        load_cs_commit(c, sel, &cd, rpl);
        load_outer_stack(c, ss_sel, null_ss ? NULL : &sd, sp, imm);
    } else {
        check_far_offset(c, &cd, off);
        desc_set_accessed(c, sel, &cd);
        load_cs_commit(c, sel, &cd, c->cpl);
        set_sp(c, top + 2 * size + imm);
    }
    c->rip = off;
}

static void far_jump(struct cpu *c, uint16_t sel, uint64_t off)
{
    if (!real_addressing(c)) {
        far_jump_pm(c, sel, off);
        return;
    }
    if (off > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    seg_load_cs(c, sel);
    c->rip = off;
}

/* SDM vol. 2 CALL, real-address mode: the stack must hold the return address
 * (#SS(0)), then the offset must be within the CS limit (#GP(0)); then push CS
 * (zero-padded to the operand size) and IP, and load CS:IP. */
static void far_call(struct cpu *c, uint16_t sel, uint64_t off, unsigned size)
{
    if (!real_addressing(c)) {
        far_call_pm(c, sel, off, size);
        return;
    }
    uint64_t top = stack_top(c);
    uint64_t cs_slot = seg_linear_w(c, S_SS, (top - size) & c->sp_mask, size);
    uint64_t ip_slot = seg_linear_w(c, S_SS, (top - 2 * size) & c->sp_mask, size);
    if (off > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    lin_write(c, cs_slot, c->seg[S_CS].sel, size);
    lin_write(c, ip_slot, c->rip, size);
    set_sp(c, top - 2 * size);
    seg_load_cs(c, sel);
    c->rip = off;
}

/* EA / 9A: ptr16:16 or ptr16:32 (offset in imm, selector in imm2). */
ALWAYS_INLINE void jmp_far(struct cpu *c, const struct insn *i, unsigned size) { far_jump(c, i->imm2, i->imm); }
ALWAYS_INLINE void call_far(struct cpu *c, const struct insn *i, unsigned size) { far_call(c, i->imm2, i->imm, size); }
HSET_W(jmp_far);
HSET_W(call_far);

/* FF /3, FF /5: m16:16, m16:32 (m16:64 with REX.W): offset, then selector. */
ALWAYS_INLINE uint64_t read_far_ptr(struct cpu *c, const struct insn *i, unsigned size, uint16_t *sel)
{
    uint64_t ea = insn_ea(c, i);
    uint64_t off = mem_read(c, i->seg, ea, size);
    *sel = (uint16_t)mem_read(c, i->seg, (ea + size) & size_mask(i->asize), 2);
    return off;
}
ALWAYS_INLINE void jmp_Mp(struct cpu *c, const struct insn *i, unsigned size)
{
    uint16_t sel;
    uint64_t off = read_far_ptr(c, i, size, &sel);
    far_jump(c, sel, off);
}
ALWAYS_INLINE void call_Mp(struct cpu *c, const struct insn *i, unsigned size)
{
    uint16_t sel;
    uint64_t off = read_far_ptr(c, i, size, &sel);
    far_call(c, sel, off, size);
}
HSET_W(jmp_Mp);
HSET_W(call_Mp);

/* RETF (CB), RETF Iw (CA): pop IP, pop CS (a full slot, upper bits discarded),
 * then release imm16 more bytes. */
ALWAYS_INLINE void ret_far(struct cpu *c, const struct insn *i, unsigned size)
{
    if (!real_addressing(c)) {
        ret_far_pm(c, size, i->imm);
        return;
    }
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    if (off > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    seg_load_cs(c, sel);
    c->rip = off;
    set_sp(c, top + 2 * size + i->imm);
}
HSET_W(ret_far);

/* ---- IRET / IRETD (CF) ---- */

/* IRET with NT = 1 (TASK-RETURN): back to the task named by the back link of
 * the current TSS, which must be a busy TSS in the GDT. */
static void iret_task(struct cpu *c)
{
    uint16_t link = (uint16_t)sys_read(c, c->tr.base, 2);
    uint32_t err = link & 0xFFFC;
    struct desc d;
    if ((link & 4) || !desc_read(c, link, &d))
        cpu_raise(c, EXC_TS, err);
    if (d.s || (d.type != DESC_TSS16_BUSY && d.type != DESC_TSS32_BUSY))
        cpu_raise(c, EXC_TS, err);
    if (!d.present)
        cpu_raise(c, EXC_NP, err);
    task_switch(c, link, &d, TASK_IRET, false, 0);
}

/* RETURN-TO-VIRTUAL-8086-MODE (IRETD at CPL 0 popping VM = 1): then ESP, SS,
 * ES, DS, FS and GS are popped (36 bytes in all), every segment is loaded the
 * V8086 way and CPL becomes 3. The new IP must lie within the 64 KiB V8086 CS. */
static void iret_to_v86(struct cpu *c, uint64_t off, uint16_t cs, uint32_t flags)
{
    uint32_t v[6]; /* ESP, SS, ES, DS, FS, GS */
    for (unsigned k = 0; k < 6; k++)
        v[k] = (uint32_t)stack_peek(c, 12 + 4 * k, 4);
    if (off > 0xFFFF)
        cpu_raise_gp0(c);
    eflags_load(c, flags, EFLAGS_ALL); /* CPL 0: every flag, VM, IOPL, VIF, VIP included */
    seg_load_v86(&c->seg[S_CS], cs);
    seg_load_v86(&c->seg[S_SS], (uint16_t)v[1]);
    seg_load_v86(&c->seg[S_ES], (uint16_t)v[2]);
    seg_load_v86(&c->seg[S_DS], (uint16_t)v[3]);
    seg_load_v86(&c->seg[S_FS], (uint16_t)v[4]);
    seg_load_v86(&c->seg[S_GS], (uint16_t)v[5]);
    cpu_set_cpl(c, 3);
    cpu_update_mode(c);
    c->regs[R_SP] = v[0];
    c->rip = off;
}

/* EFLAGS bits a protected-mode IRET loads, decided at the CPL it runs at (SDM
 * vol. 2 IRET, RETURN-TO-SAME/OUTER-PRIVILEGE-LEVEL): IF only when CPL <= IOPL,
 * IOPL (and VIF, VIP) only at CPL 0; VM never (that is the V8086 return). */
static uint32_t iret_writable(const struct cpu *c, unsigned size)
{
    uint32_t w = F_ARITH | F_TF | F_DF | F_NT;
    if (size != 2)
        w |= F_RF | F_AC | F_ID;
    if (c->cpl <= ((c->eflags & F_IOPL) >> 12))
        w |= F_IF;
    if (c->cpl == 0) {
        w |= F_IOPL;
        if (size != 2)
            w |= F_VIF | F_VIP;
    }
    return w;
}

static void iret_pm(struct cpu *c, unsigned size)
{
    if (c->eflags & F_NT) {
        iret_task(c);
        return;
    }
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    uint32_t flags = (uint32_t)stack_peek(c, 2 * size, size);
    if (size == 4 && (flags & F_VM) && c->cpl == 0) {
        iret_to_v86(c, off, sel, flags);
        return;
    }
    struct desc cd;
    check_return_cs(c, sel, &cd);
    unsigned rpl = sel & 3;
    uint32_t writable = iret_writable(c, size);
    if (rpl > c->cpl) {
        uint64_t sp = stack_peek(c, 3 * size, size);
        uint16_t ss_sel = (uint16_t)stack_peek(c, 4 * size, size);
        struct desc sd;
        check_stack_desc(c, ss_sel, rpl, &sd, EXC_GP, 0);
        if (off > cd.limit)
            cpu_raise_gp0(c);
        desc_set_accessed(c, sel, &cd);
        desc_set_accessed(c, ss_sel, &sd);
        eflags_load(c, flags, writable);
        load_cs_commit(c, sel, &cd, rpl);
        load_outer_stack(c, ss_sel, &sd, sp, 0);
    } else {
        if (off > cd.limit)
            cpu_raise_gp0(c);
        desc_set_accessed(c, sel, &cd);
        eflags_load(c, flags, writable);
        load_cs_commit(c, sel, &cd, c->cpl);
        set_sp(c, top + 3 * size);
    }
    c->rip = off;
}

/* IRET in IA-32e mode (SDM vol. 2 IRET, IA-32e-MODE): no task return; pops
 * RIP, CS and RFLAGS, and SS:RSP too in 64-bit mode or on a privilege change;
 * the return may go to 64-bit or compatibility-mode code. */
static void iret_long(struct cpu *c, unsigned size)
{
    if (c->eflags & F_NT)
        cpu_raise_gp0(c);
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    uint32_t flags = (uint32_t)stack_peek(c, 2 * size, size);
    struct desc cd;
    check_return_cs(c, sel, &cd);
    if (cd.l && cd.db)
        cpu_raise(c, EXC_GP, sel & 0xFFFC);
    unsigned rpl = sel & 3;
    uint32_t writable = iret_writable(c, size) & ~(uint32_t)F_VM;
    if (c->mode64 || rpl > c->cpl) {
        uint64_t sp = stack_peek(c, 3 * size, size);
        uint16_t ss_sel = (uint16_t)stack_peek(c, 4 * size, size);
        struct desc sd;
        bool null_ss = outer_null_ss_ok(c, &cd, ss_sel, rpl);
        if (!null_ss)
            check_stack_desc(c, ss_sel, rpl, &sd, EXC_GP, 0);
        check_far_offset(c, &cd, off);
        desc_set_accessed(c, sel, &cd);
        if (!null_ss)
            desc_set_accessed(c, ss_sel, &sd);
        bool outer = rpl > c->cpl;
        eflags_load(c, flags, writable);
        load_cs_commit(c, sel, &cd, rpl);
        if (null_ss)
            seg_cache_null(&c->seg[S_SS], ss_sel);
        else
            seg_cache_from_desc(&c->seg[S_SS], ss_sel, &sd);
        cpu_update_mode(c);
        c->regs[R_SP] = sp; /* a 32-bit IRETD loads the zero-extended ESP */
        if (outer)
            null_inner_data_segments(c);
    } else {
        check_far_offset(c, &cd, off);
        desc_set_accessed(c, sel, &cd);
        eflags_load(c, flags, writable);
        load_cs_commit(c, sel, &cd, c->cpl);
        set_sp(c, top + 3 * size);
    }
    c->rip = off;
}

/* SDM vol. 2 IRET, REAL-ADDRESS-MODE: pop IP, CS, FLAGS; a 16-bit IRET writes
 * FLAGS[15:0], a 32-bit one EFLAGS with (tempEFLAGS AND 257FD5H), keeping VM,
 * VIF and VIP. In virtual-8086 mode with IOPL 3 the same, except that IOPL is
 * not changed either. */
ALWAYS_INLINE void iret(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t writable = size == 2 ? EFLAGS_LOW16 : EFLAGS_IRET_REAL32;
    bool vme = false;
    if (c->cr0 & CR0_PE) {
        if (c->efer & EFER_LMA_BIT) {
            iret_long(c, size);
            return;
        }
        if (!(c->eflags & F_VM)) {
            iret_pm(c, size);
            return;
        }
        if ((c->eflags & F_IOPL) != F_IOPL) {
            /* IOPL < 3: #GP(0), except a 16-bit IRET under CR4.VME, which loads VIF (v86.c). */
            if (size != 2 || !v86_vme_active(c))
                cpu_raise_gp0(c);
            vme = true;
        }
        writable &= ~F_IOPL;
    }
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    uint32_t flags = (uint32_t)stack_peek(c, 2 * size, size);
    if (off > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    if (vme)
        v86_vme_load_flags(c, (uint16_t)flags); /* may raise #GP(0): before anything else changes */
    seg_load_cs(c, sel);
    c->rip = off;
    set_sp(c, top + 3 * size);
    if (!vme)
        eflags_load(c, flags, writable);
}
HSET_W(iret);

/* ---- LOOP, LOOPE, LOOPNE, JCXZ: the counter is CX/ECX/RCX by address size ---- */

enum { LOOP_NE, LOOP_E, LOOP_ALWAYS };

/* The new count is committed after the branch check, so a #GP leaves CX as it was. */
ALWAYS_INLINE void loop_impl(struct cpu *c, const struct insn *i, unsigned size, unsigned kind)
{
    uint64_t count = (reg_get(c, R_CX, i->asize) - 1) & size_mask(i->asize);
    bool taken = count != 0;
    if (kind == LOOP_E)
        taken = taken && get_zf(c);
    else if (kind == LOOP_NE)
        taken = taken && !get_zf(c);
    if (taken)
        branch_to(c, c->rip + i->imm, size);
    reg_set(c, R_CX, i->asize, count);
}
ALWAYS_INLINE void loopne(struct cpu *c, const struct insn *i, unsigned size) { loop_impl(c, i, size, LOOP_NE); }
ALWAYS_INLINE void loope(struct cpu *c, const struct insn *i, unsigned size) { loop_impl(c, i, size, LOOP_E); }
ALWAYS_INLINE void loop(struct cpu *c, const struct insn *i, unsigned size) { loop_impl(c, i, size, LOOP_ALWAYS); }
ALWAYS_INLINE void jcxz(struct cpu *c, const struct insn *i, unsigned size)
{
    if (reg_get(c, R_CX, i->asize) == 0)
        branch_to(c, c->rip + i->imm, size);
}
HSET_W(loopne);
HSET_W(loope);
HSET_W(loop);
HSET_W(jcxz);

/* ---- INT3, INT n, INTO, INT1 ---- */

static void int3(struct cpu *c, const struct insn *i) { cpu_interrupt(c, EXC_BP, INTR_SOFTWARE, NO_ERROR_CODE); }

static void int_n(struct cpu *c, const struct insn *i)
{
    unsigned vector = (unsigned)(i->imm & 0xFF);
    if (c->eflags & F_VM) {
        /* CR4.VME: INT n may go through the 8086 program's vector table (v86.c). */
        if (v86_redirect_int(c, vector))
            return;
        /* Otherwise IOPL < 3 is #GP(0) (SDM vol. 2 INT n: "IF EFLAGS.VM = 1 and IOPL < 3
         * and INT n"; INT3 and INTO are not IOPL-sensitive); with IOPL 3 the interrupt
         * goes through the protected-mode IDT (fault.c). */
        if ((c->eflags & F_IOPL) != F_IOPL)
            cpu_raise_gp0(c);
    }
    cpu_interrupt(c, vector, INTR_SOFTWARE, NO_ERROR_CODE);
}

static void into(struct cpu *c, const struct insn *i)
{
    if (get_of(c))
        cpu_interrupt(c, EXC_OF, INTR_SOFTWARE, NO_ERROR_CODE);
}

/* F1 INT1/ICEBP: a debug exception delivered trap-style (RIP after the
 * instruction), as a hardware event rather than a software interrupt: no IOPL or
 * gate-DPL check (SDM vol. 3 §17.3.1 / vol. 2 "INT n/INTO/INT3/INT1"). */
static void int1(struct cpu *c, const struct insn *i) { cpu_interrupt(c, EXC_DB, INTR_EXCEPTION, NO_ERROR_CODE); }
HSET_1(int3);
HSET_1(int_n);
HSET_1(into);
HSET_1(int1);

/* ---- BOUND Gv, Ma (62) ---- */

/* Signed compare of the register with the bounds pair at Ma; out of range is #BR,
 * a fault (RIP stays at the instruction). */
ALWAYS_INLINE void bound(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t ea = insn_ea(c, i);
    int64_t lo = sign_extend(mem_read(c, i->seg, ea, size), size);
    int64_t hi = sign_extend(mem_read(c, i->seg, (ea + size) & size_mask(i->asize), size), size);
    int64_t v = sign_extend(reg_get(c, i->reg, size), size);
    if (v < lo || v > hi)
        cpu_raise(c, EXC_BR, NO_ERROR_CODE);
}
HSET_W(bound);

/* Near branches take the 64-bit operand size in 64-bit mode whatever the 66h
 * prefix (Intel; SDM vol. 2 §2.2.1.7 Table 2-4 lists them as "f64"). */
#define D64 (OA_DEF64 | OA_F64)
#define JCC_DEFS(cc)                                                                                         \
    {0x70 + (cc), -1, D64 | OA_IMM(IMM_REL8), &hs_jcc_##cc},                                                 \
    {0x0F80 + (cc), -1, OA_386 | D64 | OA_IMM(IMM_RELV), &hs_jcc_##cc}

const struct opdef branch_opdefs[] = {
    JCC_DEFS(0x0), JCC_DEFS(0x1), JCC_DEFS(0x2), JCC_DEFS(0x3), JCC_DEFS(0x4), JCC_DEFS(0x5),
    JCC_DEFS(0x6), JCC_DEFS(0x7), JCC_DEFS(0x8), JCC_DEFS(0x9), JCC_DEFS(0xA), JCC_DEFS(0xB),
    JCC_DEFS(0xC), JCC_DEFS(0xD), JCC_DEFS(0xE), JCC_DEFS(0xF),
    {0xEB, -1, D64 | OA_IMM(IMM_REL8), &hs_jmp_rel}, {0xE9, -1, D64 | OA_IMM(IMM_RELV), &hs_jmp_rel},
    {0xE8, -1, D64 | OA_IMM(IMM_RELV), &hs_call_rel},
    {0xEA, -1, OA_NO64 | OA_IMM(IMM_FAR), &hs_jmp_far}, {0x9A, -1, OA_NO64 | OA_IMM(IMM_FAR), &hs_call_far},
    {0xFF, 2, D64, &hs_call_E}, {0xFF, 4, D64, &hs_jmp_E},
    {0xFF, 3, OA_MEMONLY, &hs_call_Mp}, {0xFF, 5, OA_MEMONLY, &hs_jmp_Mp},
    {0xC3, -1, D64, &hs_ret_near}, {0xC2, -1, D64 | OA_IMM(IMM_16), &hs_ret_near},
    {0xCB, -1, 0, &hs_ret_far}, {0xCA, -1, OA_IMM(IMM_16), &hs_ret_far},
    {0xCF, -1, 0, &hs_iret},
    {0xE0, -1, D64 | OA_IMM(IMM_REL8), &hs_loopne}, {0xE1, -1, D64 | OA_IMM(IMM_REL8), &hs_loope},
    {0xE2, -1, D64 | OA_IMM(IMM_REL8), &hs_loop}, {0xE3, -1, D64 | OA_IMM(IMM_REL8), &hs_jcxz},
    {0xCC, -1, 0, &hs_int3}, {0xCD, -1, OA_IMM(IMM_8), &hs_int_n}, {0xCE, -1, OA_NO64, &hs_into},
    {0xF1, -1, OA_386, &hs_int1},
    {0x62, -1, OA_MODRM | OA_MEMONLY | OA_NO64, &hs_bound},
    {0, 0, 0, NULL},
};
