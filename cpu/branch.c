/* Control transfer: Jcc, JMP, CALL, RET (near and far), LOOP/LOOPcc, JCXZ,
 * INT n / INT3 / INTO / INT1, IRET and BOUND (SDM vol. 2).
 *
 * Near targets are truncated to the operand size and checked against the CS
 * limit by branch_to(). Far transfers are modelled for real-address and
 * virtual-8086 mode, where loading CS only sets selector and base, so the new
 * IP is checked against the (unchanged) CS limit before anything is committed.
 * Protected-mode far transfers (descriptors, gates, privilege changes, task
 * switches) are a later step and raise #GP(0) for now. */
#include "eflags.h"
#include "operand.h"
#include "seg.h"

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

static void far_jump(struct cpu *c, uint16_t sel, uint64_t off)
{
    if (!real_addressing(c))
        cpu_raise_gp0(c); /* protected mode: later step */
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
    if (!real_addressing(c))
        cpu_raise_gp0(c); /* protected mode: later step */
    uint64_t top = stack_top(c);
    uint64_t cs_slot = seg_linear(c, S_SS, (top - size) & c->sp_mask, size);
    uint64_t ip_slot = seg_linear(c, S_SS, (top - 2 * size) & c->sp_mask, size);
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
    if (!real_addressing(c))
        cpu_raise_gp0(c); /* protected mode (privilege-level return): later step */
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

/* SDM vol. 2 IRET, REAL-ADDRESS-MODE: pop IP, CS, FLAGS; a 16-bit IRET writes
 * FLAGS[15:0], a 32-bit one EFLAGS with (tempEFLAGS AND 257FD5H), keeping VM,
 * VIF and VIP. In virtual-8086 mode with IOPL 3 the same, except that IOPL is
 * not changed either. */
ALWAYS_INLINE void iret(struct cpu *c, const struct insn *i, unsigned size)
{
    uint32_t writable = size == 2 ? EFLAGS_LOW16 : EFLAGS_IRET_REAL32;
    if (c->cr0 & CR0_PE) {
        if (!(c->eflags & F_VM))
            cpu_raise_gp0(c); /* protected-mode IRET (task return, privilege change, to V86): later step */
        if ((c->eflags & F_IOPL) != F_IOPL)
            cpu_raise_gp0(c); /* CR4.VME: later step */
        writable &= ~F_IOPL;
    }
    uint64_t top = stack_top(c);
    uint64_t off = stack_peek(c, 0, size);
    uint16_t sel = (uint16_t)stack_peek(c, size, size);
    uint32_t flags = (uint32_t)stack_peek(c, 2 * size, size);
    if (off > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    seg_load_cs(c, sel);
    c->rip = off;
    set_sp(c, top + 3 * size);
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
    /* Virtual-8086 mode with IOPL < 3: #GP(0) (SDM vol. 2 INT n; CR4.VME: later step). */
    if ((c->eflags & F_VM) && (c->eflags & F_IOPL) != F_IOPL)
        cpu_raise_gp0(c);
    cpu_interrupt(c, (unsigned)(i->imm & 0xFF), INTR_SOFTWARE, NO_ERROR_CODE);
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

/* Near branches take the 64-bit operand size in 64-bit mode (OA_DEF64; Intel
 * ignores 66h there, which the decoder does not model yet). */
#define D64 OA_DEF64
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
