/* Helpers shared by the x87 instruction files: register stack access, the
 * rounding environment from the control word, status-word updates, and
 * multi-byte memory operands that are checked before anything is written. */
#ifndef RINGZERO_CPU_X87_INTERNAL_H
#define RINGZERO_CPU_X87_INTERNAL_H

#include "cpu/operand.h"
#include "x87.h"

static inline unsigned x87_phys(const struct x87 *f, unsigned i) { return (f->top + i) & 7; }
static inline bool x87_is_empty(const struct x87 *f, unsigned i) { return (f->empty >> x87_phys(f, i)) & 1; }
static inline f80 x87_st(const struct x87 *f, unsigned i) { return f->reg[x87_phys(f, i)]; }
static inline void x87_set(struct x87 *f, unsigned i, f80 v)
{
    unsigned p = x87_phys(f, i);
    f->reg[p] = v;
    f->empty &= (uint8_t)~(1u << p);
}
static inline void x87_pop(struct x87 *f)
{
    f->empty |= (uint8_t)(1u << f->top);
    f->top = (f->top + 1) & 7;
}
static inline void x87_push(struct x87 *f, f80 v)
{
    f->top = (f->top - 1) & 7;
    f->reg[f->top] = v;
    f->empty &= (uint8_t)~(1u << f->top);
}

/* Rounding environment from FCW. pc: the instruction honours precision control
 * (SDM vol. 1 §8.1.5.2 lists them: add, subtract, multiply, divide, square root). */
static inline struct f80_env x87_env(const struct x87 *f, bool pc)
{
    static const unsigned prec[4] = {24, 64, 53, 64}; /* PC 01b is reserved: treated as 64 bits */
    struct f80_env e = {.rc = (f->fcw >> FCW_RC_SHIFT) & 3, .prec = pc ? prec[(f->fcw >> FCW_PC_SHIFT) & 3] : 64,
                        .masks = f->fcw & FCW_EXC_MASKS, .flags = 0, .c1 = false};
    return e;
}

/* Fold an operation's exceptions into FSW; C1 becomes "rounded up". */
static inline void x87_flags(struct x87 *f, const struct f80_env *e)
{
    f->fsw = (uint16_t)((f->fsw & ~FSW_C1) | e->flags | (e->c1 ? FSW_C1 : 0));
    x87_update_es(f);
}
/* Stack overflow (push onto a full register) or underflow (empty operand):
 * IE with SF, C1 = 1 for overflow, 0 for underflow (SDM vol. 1 §8.5.1.1).
 * Returns true when the masked response (store the indefinite) applies. */
static inline bool x87_stack_fault(struct x87 *f, bool overflow)
{
    f->fsw = (uint16_t)((f->fsw & ~FSW_C1) | FSW_IE | FSW_SF | (overflow ? FSW_C1 : 0));
    x87_update_es(f);
    return (f->fcw & FSW_IE) != 0;
}
static inline void x87_set_cc(struct x87 *f, unsigned cc)
{
    f->fsw = (uint16_t)((f->fsw & ~(FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)) | cc);
}

/* Memory operands of more than 8 bytes: check the whole range (limit and
 * paging) for writing first, so that a fault leaves memory untouched. */
static inline uint64_t x87_lin_w(struct cpu *c, unsigned seg, uint64_t off, unsigned n)
{
    uint64_t lin = seg_linear_w(c, seg, off, n);
    mmu_probe_write(c, lin, n);
    return lin;
}
static inline void x87_write_bytes(struct cpu *c, unsigned seg, uint64_t off, const uint8_t *buf, unsigned n)
{
    uint64_t lin = x87_lin_w(c, seg, off, n);
    for (unsigned k = 0; k < n;) {
        unsigned part = n - k >= 8 ? 8 : n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
        uint64_t v = 0;
        for (unsigned b = 0; b < part; b++)
            v |= (uint64_t)buf[k + b] << (8 * b);
        lin_write(c, (lin + k) & c->lin_mask, v, part);
        k += part;
    }
}
static inline void x87_read_bytes(struct cpu *c, unsigned seg, uint64_t off, uint8_t *buf, unsigned n)
{
    (void)seg_linear(c, seg, off, n); /* the limit check covers the whole operand */
    for (unsigned k = 0; k < n;) {
        unsigned part = n - k >= 8 ? 8 : n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
        uint64_t v = mem_read(c, seg, off + k, part);
        for (unsigned b = 0; b < part; b++)
            buf[k + b] = (uint8_t)(v >> (8 * b));
        k += part;
    }
}
static inline f80 x87_get_f80(const uint8_t *p)
{
    f80 v = {0, 0};
    for (int k = 0; k < 8; k++)
        v.sig |= (uint64_t)p[k] << (8 * k);
    v.se = (uint16_t)(p[8] | p[9] << 8);
    return v;
}
static inline void x87_put_f80(uint8_t *p, f80 v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (uint8_t)(v.sig >> (8 * k));
    p[8] = (uint8_t)v.se;
    p[9] = (uint8_t)(v.se >> 8);
}
static inline void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}
static inline uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

/* FCW as loaded: reserved bits 6 (reads 1), 7 and 13-15 (read 0). */
static inline uint16_t x87_fcw_value(uint16_t v) { return (uint16_t)((v & 0x1F3F) | 0x0040); }

/* f80_rem's *cc when a NaN or invalid operand decided the result. */
#define X87_CC_KEEP 0xFFFFu

/* x87_env.c: control instructions (no FIP/FOP update). */
void x87_fldenv(struct cpu *c, const struct insn *i);
void x87_fnstenv(struct cpu *c, const struct insn *i);
void x87_frstor(struct cpu *c, const struct insn *i);
void x87_fnsave(struct cpu *c, const struct insn *i);
void x87_fxsave(struct cpu *c, const struct insn *i);
void x87_fxrstor(struct cpu *c, const struct insn *i);

/* x87_transcendental.c (SDM vol. 2 instruction pages; results rounded to 64 bits by RC). */
f80 f80_f2xm1(struct f80_env *e, f80 x);
f80 f80_yl2x(struct f80_env *e, f80 x, f80 y);
f80 f80_yl2xp1(struct f80_env *e, f80 x, f80 y);
f80 f80_patan(struct f80_env *e, f80 x, f80 y); /* atan(y / x) with the quadrant of (x, y) */
/* FSIN/FCOS/FSINCOS/FPTAN: false when |x| >= 2^63 (C2 = 1, operand unchanged). want: 1 sin, 2 cos, 3 both, 4 tan. */
bool f80_trig(struct f80_env *e, f80 x, unsigned want, f80 *s, f80 *c);

#endif
