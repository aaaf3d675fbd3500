/* Multiply and divide: F6/F7 /4 MUL, /5 IMUL, /6 DIV, /7 IDIV (accumulator
 * forms), IMUL Gv,Ev,Iz (69), IMUL Gv,Ev,Ib (6B), IMUL Gv,Ev (0F AF).
 * SDM vol. 2 "MUL", "IMUL", "DIV", "IDIV".
 *
 * Flags: MUL/IMUL define only CF = OF (upper half significant).  SF, ZF, AF
 * and PF are undefined; like modern Intel cores we take SF/ZF/PF from the low
 * half of the product and clear AF.  DIV/IDIV leave all six undefined: we leave
 * them unchanged.  A divide error (#DE) is raised before anything is written. */
#include "operand.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

/* CF = OF = ovf, SF/ZF/PF from lo (size bytes), AF = 0. */
ALWAYS_INLINE void mul_flags(struct cpu *c, uint64_t lo, unsigned size, bool ovf)
{
    lf_set(c, lo, size, (uint64_t)ovf << LF_CF_BIT); /* CF ^ OF = 0 */
}

/* Store a double-width result: AX for byte operands, else DX:AX / EDX:EAX / RDX:RAX. */
ALWAYS_INLINE void store_wide(struct cpu *c, unsigned size, uint64_t lo, uint64_t hi)
{
    if (size == 1) {
        set_reg16(c, R_AX, (uint16_t)((hi << 8) | (lo & 0xFF)));
    } else {
        reg_set(c, R_AX, size, lo);
        reg_set(c, R_DX, size, hi);
    }
}

/* The double-width dividend: AX, or DX:AX / EDX:EAX / RDX:RAX. */
ALWAYS_INLINE u128 load_wide(struct cpu *c, unsigned size)
{
    if (size == 1)
        return reg16(c, R_AX);
    return ((u128)reg_get(c, R_DX, size) << (8 * size)) | reg_get(c, R_AX, size);
}

ALWAYS_INLINE void mul_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t b = rm_read(c, i, size, mem);
    u128 p = (u128)reg_get(c, R_AX, size) * b;
    uint64_t lo = (uint64_t)p & size_mask(size), hi = (uint64_t)(p >> (8 * size)) & size_mask(size);
    store_wide(c, size, lo, hi);
    mul_flags(c, lo, size, hi != 0);
}

ALWAYS_INLINE void imul1_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    int64_t b = sign_extend(rm_read(c, i, size, mem), size);
    s128 p = (s128)sign_extend(reg_get(c, R_AX, size), size) * b;
    uint64_t lo = (uint64_t)p & size_mask(size), hi = (uint64_t)((u128)p >> (8 * size)) & size_mask(size);
    store_wide(c, size, lo, hi);
    /* CF = OF = 1 when the upper half is not the sign extension of the lower */
    mul_flags(c, lo, size, (s128)sign_extend(lo, size) != p);
}

ALWAYS_INLINE _Noreturn void divide_error(struct cpu *c) { cpu_raise(c, EXC_DE, NO_ERROR_CODE); }

ALWAYS_INLINE void div_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t b = rm_read(c, i, size, mem);
    if (b == 0)
        divide_error(c);
    u128 a = load_wide(c, size);
    u128 q = a / b;
    if (q > size_mask(size))
        divide_error(c);
    store_wide(c, size, (uint64_t)q, (uint64_t)(a % b));
}

/* Signed division on magnitudes, so no C overflow is possible; the quotient
 * must fit in [-2^(w-1), 2^(w-1) - 1] (80286 and later accept the most
 * negative quotient; SDM vol. 2 "IDIV"). The remainder takes the dividend's sign. */
ALWAYS_INLINE void idiv_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    unsigned w = 8 * size;
    uint64_t b = rm_read(c, i, size, mem);
    if (b == 0)
        divide_error(c);
    u128 a = load_wide(c, size);
    bool an = (a >> (2 * w - 1)) & 1, bn = (b >> (w - 1)) & 1;
    u128 amag = an ? (u128)0 - a : a;
    if (w < 64)
        amag &= ((u128)1 << (2 * w)) - 1;
    uint64_t bmag = bn ? (0 - b) & size_mask(size) : b;
    u128 q = amag / bmag, r = amag % bmag;
    u128 limit = (u128)1 << (w - 1); /* |quotient| limit: 2^(w-1) if negative, 2^(w-1)-1 otherwise */
    bool qn = an != bn;
    if (qn ? q > limit : q >= limit)
        divide_error(c);
    uint64_t qv = (uint64_t)(qn ? (u128)0 - q : q) & size_mask(size);
    uint64_t rv = (uint64_t)(an ? (u128)0 - r : r) & size_mask(size);
    store_wide(c, size, qv, rv);
}

HSET_RM(mul_E);
HSET_RM(imul1_E);
HSET_RM(div_E);
HSET_RM(idiv_E);

/* IMUL Gv,Ev,imm (69/6B) and IMUL Gv,Ev (0F AF): the product is truncated to
 * the operand size; CF = OF = 1 when that loses significant bits. */
ALWAYS_INLINE void imul_trunc(struct cpu *c, const struct insn *i, unsigned size, int64_t a, int64_t b)
{
    s128 p = (s128)a * b;
    uint64_t lo = (uint64_t)p & size_mask(size);
    mul_flags(c, lo, size, (s128)sign_extend(lo, size) != p);
    reg_set(c, i->reg, size, lo);
}
ALWAYS_INLINE void imul_GEI(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    imul_trunc(c, i, size, sign_extend(rm_read(c, i, size, mem), size), sign_extend(i->imm, size));
}
ALWAYS_INLINE void imul_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    int64_t b = sign_extend(rm_read(c, i, size, mem), size);
    imul_trunc(c, i, size, sign_extend(reg_get(c, i->reg, size), size), b);
}
HSET_RM(imul_GEI);
HSET_RM(imul_GE);

#define M OA_MODRM
#define B OA_BYTE
const struct opdef muldiv_opdefs[] = {
    {0xF6, 4, M | B, &hs_mul_E}, {0xF7, 4, M, &hs_mul_E},
    {0xF6, 5, M | B, &hs_imul1_E}, {0xF7, 5, M, &hs_imul1_E},
    {0xF6, 6, M | B, &hs_div_E}, {0xF7, 6, M, &hs_div_E},
    {0xF6, 7, M | B, &hs_idiv_E}, {0xF7, 7, M, &hs_idiv_E},
    {0x69, -1, M | OA_IMM(IMM_V), &hs_imul_GEI},
    {0x6B, -1, M | OA_IMM(IMM_8S), &hs_imul_GEI},
    {0x0FAF, -1, M | OA_386, &hs_imul_GE},
    {0, 0, 0, NULL},
};
