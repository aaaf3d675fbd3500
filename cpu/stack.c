/* Stack instructions: PUSH/POP of registers, segment registers, immediates and
 * memory, PUSHA/POPA, PUSHF/POPF, ENTER and LEAVE (SDM vol. 2), and the EFLAGS
 * loader shared with IRET (eflags.h).
 *
 * Every instruction that writes or reads more than one stack slot checks all of
 * them against the SS limit before it changes anything, so a #SS leaves no trace.
 * (Once paging is modelled, a #PF on a later slot of a staged write still needs
 * a write probe before the first store: later step.) */
#include "eflags.h"
#include "operand.h"
#include "v86.h"
#include "seg.h"

/* ---- EFLAGS loading (eflags.h) ---- */

void eflags_load(struct cpu *c, uint32_t value, uint32_t writable)
{
    writable &= EFLAGS_ALL;
    uint32_t f = (cpu_get_eflags(c) & ~writable) | (value & writable);
    if (c->model == CPU_MODEL_80286 && !(c->cr0 & CR0_PE))
        f &= ~0xF000u; /* a real-mode 286 keeps FLAGS bits 12-15 clear */
    c->eflags = (f & ~F_ARITH) | 2u;
    cpu_update_align_check(c);
    if (writable & F_ARITH)
        lf_set_flags(c, f & F_ARITH);
}

uint64_t eflags_push_image(const struct cpu *c, unsigned size)
{
    /* SDM vol. 2 PUSHF: "the VM and RF flags (bits 16 and 17) are not copied; instead,
     * the values for these flags are cleared in the EFLAGS image stored on the stack." */
    uint32_t f = cpu_get_eflags(c) & ~(F_RF | F_VM);
    if (c->model == CPU_MODEL_80286 && !(c->cr0 & CR0_PE))
        f &= 0x0FFFu;
    return f & size_mask(size);
}

/* ---- PUSH / POP general registers (50+r, 58+r) ---- */

ALWAYS_INLINE void push_r(struct cpu *c, const struct insn *i, unsigned size)
{
    /* PUSH SP stores SP as it was before the push (286 and later; SDM vol. 2 PUSH). */
    push(c, reg_get(c, i->reg, size), size);
}
ALWAYS_INLINE void pop_r(struct cpu *c, const struct insn *i, unsigned size)
{
    /* POP SP: SP is incremented, then overwritten with the popped value. */
    uint64_t v = pop(c, size);
    reg_set(c, i->reg, size, v);
}
HSET_W(push_r);
HSET_W(pop_r);

/* ---- PUSH / POP segment registers ---- */

/* 06/0E/16/1E name ES/CS/SS/DS in bits 3-4; 0F A0/A8 name FS/GS in bit 3. */
ALWAYS_INLINE unsigned sreg_of(const struct insn *i)
{
    if (i->opcode >= 0x0F00)
        return S_FS + ((i->opcode >> 3) & 1);
    return (i->opcode >> 3) & 3;
}

ALWAYS_INLINE void push_sreg(struct cpu *c, const struct insn *i, unsigned size)
{
    /* With a 32-bit operand size the slot is 4 bytes, but only the selector is
     * written, a 16-bit move that leaves the upper half of the slot as it was
     * (SDM vol. 2 PUSH: one of the two allowed behaviours, the one recent
     * processors implement). The whole slot is limit-checked. */
    uint64_t sp = (stack_top(c) - size) & c->sp_mask;
    uint64_t lin = seg_linear(c, S_SS, sp, size);
    lin_write(c, lin, c->seg[sreg_of(i)].sel, 2);
    set_sp(c, sp);
}

ALWAYS_INLINE void pop_sreg(struct cpu *c, const struct insn *i, unsigned size)
{
    unsigned s = sreg_of(i);
    uint64_t mask = c->sp_mask; /* loading SS may change the stack width: step with the old one */
    uint64_t top = stack_top(c);
    uint16_t sel = (uint16_t)stack_peek(c, 0, size);
    seg_load(c, s, sel);
    c->regs[R_SP] = (c->regs[R_SP] & ~mask) | ((top + size) & mask);
    if (s == S_SS)
        c->pending |= PEND_SHADOW | PEND_MOVSS; /* SDM vol. 3 §6.8.3: interrupts and debug traps wait */
}
HSET_W(push_sreg);
HSET_W(pop_sreg);

/* ---- PUSH immediate (68 Iz, 6A Ib sign-extended) and PUSH Ev (FF /6) ---- */

ALWAYS_INLINE void push_imm(struct cpu *c, const struct insn *i, unsigned size) { push(c, i->imm, size); }
HSET_W(push_imm);

ALWAYS_INLINE void push_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    /* An SP-based operand is addressed with SP before the push. */
    push(c, rm_read(c, i, size, mem), size);
}
HSET_RM(push_E);

/* ---- POP Ev (8F /0) ---- */

ALWAYS_INLINE void pop_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    if (!mem) {
        uint64_t v = pop(c, size);
        reg_set(c, i->rm, size, v);
        return;
    }
    /* SDM vol. 2 POP: "If the ESP register is used as a base register for addressing a
     * destination operand in memory, the POP instruction computes the effective address
     * of the operand after it increments the ESP register." The memory write comes
     * before SP is committed, so a faulting write leaves SP unchanged. */
    uint64_t top = stack_top(c);
    uint64_t v = mem_read(c, S_SS, top, size);
    uint64_t new_sp = (c->regs[R_SP] & ~c->sp_mask) | ((top + size) & c->sp_mask);
    uint64_t ea;
    if (i->base == R_SP) /* only with 32/64-bit addressing; an SIB index is never SP */
        ea = (new_sp + (c->regs[i->index] << i->scale) + (uint64_t)i->disp) & size_mask(i->asize);
    else
        ea = insn_ea(c, i);
    if (c->model == CPU_MODEL_80286) {
        /* The 80286 increments SP before the write and does not undo it when the write
         * faults (the recorded vectors show a #GP frame pushed below the incremented SP);
         * 386 and later restart the instruction with SP unchanged. */
        c->regs[R_SP] = new_sp;
        mem_write(c, i->seg, ea, v, size);
        return;
    }
    mem_write(c, i->seg, ea, v, size);
    c->regs[R_SP] = new_sp;
}
HSET_RM(pop_E);

/* ---- PUSHA / POPA (60, 61) ---- */

ALWAYS_INLINE void pusha(struct cpu *c, const struct insn *i, unsigned size)
{
    /* AX CX DX BX, SP as it was before the instruction, BP SI DI. */
    static const uint8_t order[8] = {R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI};
    uint64_t top = stack_top(c);
    uint64_t lin[8];
    for (unsigned k = 0; k < 8; k++)
        lin[k] = seg_linear(c, S_SS, (top - (k + 1) * size) & c->sp_mask, size);
    for (unsigned k = 0; k < 8; k++)
        lin_write(c, lin[k], reg_get(c, order[k], size), size);
    set_sp(c, top - 8 * size);
}

ALWAYS_INLINE void popa(struct cpu *c, const struct insn *i, unsigned size)
{
    /* DI SI BP, (the SP slot is skipped), BX DX CX AX. */
    static const uint8_t order[8] = {R_DI, R_SI, R_BP, R_SP, R_BX, R_DX, R_CX, R_AX};
    uint64_t v[8];
    for (unsigned k = 0; k < 8; k++)
        v[k] = stack_peek(c, k * size, size);
    for (unsigned k = 0; k < 8; k++)
        if (order[k] != R_SP)
            reg_set(c, order[k], size, v[k]);
    set_sp(c, stack_top(c) + 8 * size);
}
HSET_W(pusha);
HSET_W(popa);

/* ---- PUSHF / POPF (9C, 9D) ---- */

ALWAYS_INLINE void pushf(struct cpu *c, const struct insn *i, unsigned size)
{
    /* Virtual-8086 mode with IOPL < 3: #GP(0), except that with CR4.VME a 16-bit
     * PUSHF pushes VIF in place of IF (SDM vol. 2 PUSHF, vol. 3 §20.4). */
    if ((c->eflags & F_VM) && (c->eflags & F_IOPL) != F_IOPL) {
        if (size != 2 || !v86_vme_active(c))
            cpu_raise_gp0(c);
        push(c, v86_vme_flags_image(c), 2);
        return;
    }
    push(c, eflags_push_image(c, size), size);
}

/* Which bits POPF may write (SDM vol. 2 POPF, operation and table "Effect of POPF
 * on EFLAGS"): never VM, VIP, VIF or RF; IOPL only at CPL 0 (always in real mode);
 * IF only when CPL <= IOPL. */
static uint32_t popf_writable(struct cpu *c, unsigned size)
{
    uint32_t w = EFLAGS_ALL & ~(F_RF | F_VM | F_VIP | F_VIF);
    if (c->eflags & F_VM) {
        if ((c->eflags & F_IOPL) != F_IOPL)
            cpu_raise_gp0(c); /* (the CR4.VME 16-bit form is handled in popf) */
        w &= ~F_IOPL;
    } else if ((c->cr0 & CR0_PE) && c->cpl > 0) {
        w &= ~F_IOPL;
        if (c->cpl > ((c->eflags & F_IOPL) >> 12))
            w &= ~F_IF;
    }
    return size == 2 ? w & 0xFFFFu : w;
}

ALWAYS_INLINE void popf(struct cpu *c, const struct insn *i, unsigned size)
{
    if ((c->eflags & F_VM) && (c->eflags & F_IOPL) != F_IOPL && size == 2 && v86_vme_active(c)) {
        /* CR4.VME: the popped IF goes to VIF; may #GP before anything commits */
        uint16_t v = (uint16_t)stack_peek(c, 0, 2);
        v86_vme_load_flags(c, v);
        set_sp(c, stack_top(c) + 2);
        return;
    }
    uint32_t w = popf_writable(c, size);
    uint64_t v = pop(c, size);
    eflags_load(c, (uint32_t)v, w);
    if (size != 2)
        c->eflags &= ~F_RF; /* 32/64-bit POPF: "RF is cleared" */
}
HSET_W(pushf);
HSET_W(popf);

/* ---- ENTER (C8 Iw, Ib) and LEAVE (C9) ---- */

/* SDM vol. 2 ENTER, Operation:
 *   Push(BP); FrameTemp := SP;
 *   if level > 0: for k = 1 .. level-1 { BP := BP - size; Push([BP]) }; Push(FrameTemp)
 *   BP := FrameTemp; SP := SP - AllocSize
 * The nesting level is taken MOD 32; the BP walk and all stack addresses use the
 * stack width (SS.B), the values the operand size. All slots and all [BP] reads are
 * limit-checked first; then the sequence runs in order (so a [BP] read that hits
 * a slot written earlier by this ENTER sees the new value, as on hardware). */
ALWAYS_INLINE void enter(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t mask = c->sp_mask;
    unsigned level = i->imm2 & 31;
    uint64_t top = stack_top(c);
    uint64_t bp = c->regs[R_BP];
    unsigned pushes = level ? level + 1 : 1;
    uint64_t slot[32], src[32];

    for (unsigned k = 0; k < pushes; k++)
        slot[k] = seg_linear(c, S_SS, (top - (k + 1) * size) & mask, size);
    for (unsigned k = 1; k < level; k++)
        src[k] = seg_linear(c, S_SS, (bp - k * size) & mask, size);
    uint64_t new_top = (top - pushes * size - (i->imm & 0xFFFF)) & mask;
    /* "#SS(0) If the new value of the SP or ESP register is outside the stack segment
     * limit" (expand-up segments; expand-down comes with protected mode). */
    if (new_top > c->seg[S_SS].limit)
        cpu_raise(c, EXC_SS, 0);

    uint64_t frame_temp = (c->regs[R_SP] & ~mask) | ((top - size) & mask);
    lin_write(c, slot[0], bp, size);
    for (unsigned k = 1; k < level; k++)
        lin_write(c, slot[k], lin_read(c, src[k], size), size);
    if (level)
        lin_write(c, slot[level], frame_temp, size);
    reg_set(c, R_BP, size, frame_temp);
    set_sp(c, new_top);
}

ALWAYS_INLINE void leave(struct cpu *c, const struct insn *i, unsigned size)
{
    /* SP := BP (stack width), then BP := Pop(). The read comes first. */
    uint64_t top = c->regs[R_BP] & c->sp_mask;
    uint64_t v = mem_read(c, S_SS, top, size);
    set_sp(c, top + size);
    reg_set(c, R_BP, size, v);
}
HSET_W(enter);
HSET_W(leave);

#define D64 OA_DEF64
#define N64 OA_NO64
const struct opdef stack_opdefs[] = {
    {0x50, -1, D64, &hs_push_r}, {0x51, -1, D64, &hs_push_r}, {0x52, -1, D64, &hs_push_r},
    {0x53, -1, D64, &hs_push_r}, {0x54, -1, D64, &hs_push_r}, {0x55, -1, D64, &hs_push_r},
    {0x56, -1, D64, &hs_push_r}, {0x57, -1, D64, &hs_push_r},
    {0x58, -1, D64, &hs_pop_r}, {0x59, -1, D64, &hs_pop_r}, {0x5A, -1, D64, &hs_pop_r},
    {0x5B, -1, D64, &hs_pop_r}, {0x5C, -1, D64, &hs_pop_r}, {0x5D, -1, D64, &hs_pop_r},
    {0x5E, -1, D64, &hs_pop_r}, {0x5F, -1, D64, &hs_pop_r},
    {0x06, -1, N64, &hs_push_sreg}, {0x0E, -1, N64, &hs_push_sreg}, {0x16, -1, N64, &hs_push_sreg},
    {0x1E, -1, N64, &hs_push_sreg},
    /* 0F is the two-byte escape: there is no POP CS. */
    {0x07, -1, N64, &hs_pop_sreg}, {0x17, -1, N64, &hs_pop_sreg}, {0x1F, -1, N64, &hs_pop_sreg},
    {0x0FA0, -1, OA_386 | D64, &hs_push_sreg}, {0x0FA1, -1, OA_386 | D64, &hs_pop_sreg},
    {0x0FA8, -1, OA_386 | D64, &hs_push_sreg}, {0x0FA9, -1, OA_386 | D64, &hs_pop_sreg},
    {0x68, -1, D64 | OA_IMM(IMM_V), &hs_push_imm}, {0x6A, -1, D64 | OA_IMM(IMM_8S), &hs_push_imm},
    {0x60, -1, N64, &hs_pusha}, {0x61, -1, N64, &hs_popa},
    {0x9C, -1, D64, &hs_pushf}, {0x9D, -1, D64, &hs_popf},
    {0xC8, -1, D64 | OA_IMM(IMM_ENTER), &hs_enter}, {0xC9, -1, D64, &hs_leave},
    {0x8F, 0, D64, &hs_pop_E},
    {0xFF, 6, D64, &hs_push_E},
    {0, 0, 0, NULL},
};
