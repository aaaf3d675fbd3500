/* Operand access for handlers: effective addresses, ModR/M operands, the stack. */
#ifndef RINGZERO_CPU_OPERAND_H
#define RINGZERO_CPU_OPERAND_H

#include "decode.h"
#include "flags.h"
#include "mmu.h"

/* Effective address (offset within the segment), wrapped to the address size. */
ALWAYS_INLINE uint64_t insn_ea(const struct cpu *c, const struct insn *i)
{
    uint64_t a = c->regs[i->base] + (c->regs[i->index] << i->scale) + (uint64_t)i->disp;
    if (unlikely(i->flags & INSN_RIPREL))
        a += c->rip;
    return a & size_mask(i->asize);
}

ALWAYS_INLINE uint64_t rm_read(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    return mem ? mem_read(c, i->seg, insn_ea(c, i), size) : reg_get(c, i->rm, size);
}
ALWAYS_INLINE void rm_write(struct cpu *c, const struct insn *i, unsigned size, bool mem, uint64_t v)
{
    if (mem)
        mem_write(c, i->seg, insn_ea(c, i), v, size);
    else
        reg_set(c, i->rm, size, v);
}
/* Read for a later rm_write_rmw: a memory operand is checked for writing now. */
ALWAYS_INLINE uint64_t rm_read_rmw(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    return mem ? mem_read_rmw(c, i->seg, insn_ea(c, i), size) : reg_get(c, i->rm, size);
}
ALWAYS_INLINE void rm_write_rmw(struct cpu *c, const struct insn *i, unsigned size, bool mem, uint64_t v)
{
    if (mem)
        mem_write_rmw(c, v, size);
    else
        reg_set(c, i->rm, size, v);
}

/* Stack (SDM vol. 1 §6.2): the stack pointer width follows SS.B (or 64-bit mode). */
ALWAYS_INLINE uint64_t stack_top(const struct cpu *c) { return c->regs[R_SP] & c->sp_mask; }
ALWAYS_INLINE void set_sp(struct cpu *c, uint64_t sp) { c->regs[R_SP] = (c->regs[R_SP] & ~c->sp_mask) | (sp & c->sp_mask); }

ALWAYS_INLINE void push(struct cpu *c, uint64_t v, unsigned size)
{
    uint64_t sp = (stack_top(c) - size) & c->sp_mask;
    mem_write(c, S_SS, sp, v, size);
    set_sp(c, sp);
}
/* Read the value at the top of the stack plus `skip` bytes, without popping. */
ALWAYS_INLINE uint64_t stack_peek(struct cpu *c, uint64_t skip, unsigned size)
{
    return mem_read(c, S_SS, (stack_top(c) + skip) & c->sp_mask, size);
}
ALWAYS_INLINE uint64_t pop(struct cpu *c, unsigned size)
{
    uint64_t v = stack_peek(c, 0, size);
    set_sp(c, stack_top(c) + size);
    return v;
}

/* Near branch target: truncated to the operand size (SDM vol. 2 "JMP"). */
ALWAYS_INLINE void branch_to(struct cpu *c, uint64_t target, unsigned osize)
{
    if (osize == 2)
        target &= 0xFFFF;
    else if (osize == 4)
        target &= 0xFFFFFFFF;
    if (c->mode64) {
        if (unlikely(!is_canonical(target)))
            cpu_raise_gp0(c); /* SDM vol. 2 JMP/CALL: a non-canonical target is #GP(0) */
    } else if (target > c->seg[S_CS].limit) {
        cpu_raise_gp0(c);
    }
    c->rip = target;
}

#endif
