/* SSE4.2 string and text instructions and CRC32 (SDM vol. 2; vol. 1 §12.10):
 *   66 0F 3A 60 /r ib  PCMPESTRM xmm1, xmm2/m128, imm8
 *   66 0F 3A 61 /r ib  PCMPESTRI xmm1, xmm2/m128, imm8
 *   66 0F 3A 62 /r ib  PCMPISTRM xmm1, xmm2/m128, imm8
 *   66 0F 3A 63 /r ib  PCMPISTRI xmm1, xmm2/m128, imm8
 *   F2 0F 38 F0 /r     CRC32 r32/r64, r/m8
 *   F2 0F 38 F1 /r     CRC32 r32, r/m16 (66) / r/m32; CRC32 r64, r/m64 (REX.W)
 * (PCMPGTQ, also SSE4.2, is with the other packed compares in sse_ext.c.)
 *
 * The string instructions compare the elements (bytes or words) of xmm1 with
 * those of xmm2/m128 as the imm8 control says (SDM vol. 2 §4.1 "Imprecise
 * operations: PCMPxSTRx", the "Packed Compare String" operation):
 *   imm8[1:0] data format: unsigned bytes, unsigned words, signed bytes, signed words;
 *   imm8[3:2] aggregation: equal any, ranges, equal each, equal ordered;
 *   imm8[5:4] polarity:    positive, negative, masked positive, masked negative;
 *   imm8[6]   output:      least/most significant index (I forms) or
 *                          bit mask / expanded element mask (M forms);
 *   imm8[7]   reserved (ignored).
 * The memory operand has no alignment requirement (SDM vol. 2 §2.4, exception
 * class 4). */
#include "sse.h"

/* ---- PCMPxSTRx ---- */

/* Element k of x per the data format, sign- or zero-extended. */
static int32_t str_elem(const xmm_reg *x, unsigned k, unsigned imm)
{
    if (imm & 1)
        return (imm & 2) ? (int16_t)x->w[k] : (int32_t)x->w[k];
    return (imm & 2) ? (int8_t)x->b[k] : (int32_t)x->b[k];
}

/* Implicit length: the index of the first zero element, or the element count. */
static unsigned implicit_len(const xmm_reg *x, unsigned imm, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (str_elem(x, k, imm) == 0)
            return k;
    return n;
}

/* Explicit length (SDM vol. 2 "PCMPESTRI"): the absolute value of EAX/EDX (RAX/RDX
 * with REX.W), saturated to the element count. */
static unsigned explicit_len(uint64_t v, unsigned osize, unsigned n)
{
    int64_t s = osize == 8 ? (int64_t)v : (int64_t)(int32_t)v;
    uint64_t mag = s < 0 ? 0 - (uint64_t)s : (uint64_t)s; /* INT64_MIN stays 2^63: saturates */
    return mag > n ? n : (unsigned)mag;
}

/* IntRes2: the aggregated comparison of a (xmm1, valid length la) with b
 * (xmm2/m128, valid length lb) after polarity.  Pairs with an invalid element
 * are forced per SDM vol. 2 Table 4-7 ("Comparison Result for Each Element
 * Pair BoolRes[i,j]"):
 *   a invalid, b invalid: false for equal any/ranges, true for equal each/ordered;
 *   a invalid, b valid:   false, except true for equal ordered;
 *   a valid,   b invalid: false. */
static unsigned pcmpstr_result(const xmm_reg *a, unsigned la, const xmm_reg *b, unsigned lb, unsigned imm)
{
    unsigned n = (imm & 1) ? 8 : 16;
    int32_t ea[16], eb[16];
    for (unsigned k = 0; k < n; k++) {
        ea[k] = str_elem(a, k, imm);
        eb[k] = str_elem(b, k, imm);
    }
    unsigned r1 = 0;
    switch ((imm >> 2) & 3) {
    case 0: /* equal any: b[j] is one of the valid a[i] */
        for (unsigned j = 0; j < lb; j++)
            for (unsigned i = 0; i < la; i++)
                if (ea[i] == eb[j]) {
                    r1 |= 1u << j;
                    break;
                }
        break;
    case 1: /* ranges: a[i] <= b[j] <= a[i+1] for an even i; a pair with an invalid upper bound never matches */
        for (unsigned j = 0; j < lb; j++)
            for (unsigned i = 0; i + 1 < la; i += 2)
                if (ea[i] <= eb[j] && eb[j] <= ea[i + 1]) {
                    r1 |= 1u << j;
                    break;
                }
        break;
    case 2: /* equal each: a[k] == b[k]; two invalid elements are equal */
        for (unsigned k = 0; k < n; k++) {
            bool va = k < la, vb = k < lb;
            if (va && vb ? ea[k] == eb[k] : !va && !vb)
                r1 |= 1u << k;
        }
        break;
    default: /* equal ordered: a (the needle) occurs in b at j; needle elements past la match anything,
              * and the comparison stops at the end of the register (a match may run off it) */
        for (unsigned j = 0; j < n; j++) {
            bool m = true;
            for (unsigned i = 0; i + j < n && m; i++)
                if (i < la)
                    m = i + j < lb && ea[i] == eb[i + j];
            if (m)
                r1 |= 1u << j;
        }
        break;
    }
    switch ((imm >> 4) & 3) {
    case 1: return ~r1 & ((1u << n) - 1);     /* negative: every element */
    case 3: return r1 ^ ((1u << lb) - 1);     /* masked negative: only the valid elements of b */
    default: return r1;                       /* positive, masked positive */
    }
}

/* Compute IntRes2 and set the flags (SDM vol. 2 "PCMPESTRI" etc., "Flags Affected"):
 * CF = IntRes2 != 0, ZF = xmm2/m128's length below the element count, SF = the same
 * for xmm1, OF = IntRes2[0]; AF = PF = 0. */
static unsigned pcmpstr(struct cpu *c, const struct insn *i, bool explicit, unsigned *n_out)
{
    sse_check(c);
    unsigned imm = (unsigned)(i->imm & 0xFF);
    xmm_reg b;
    sse_src128(c, i, &b, false);
    const xmm_reg *a = xmm(c, i->reg);
    unsigned n = (imm & 1) ? 8 : 16, la, lb;
    if (explicit) {
        la = explicit_len(c->regs[R_AX], i->osize, n);
        lb = explicit_len(c->regs[R_DX], i->osize, n);
    } else {
        la = implicit_len(a, imm, n);
        lb = implicit_len(&b, imm, n);
    }
    unsigned r2 = pcmpstr_result(a, la, &b, lb, imm);
    lf_set_flags(c, (r2 ? F_CF : 0) | (lb < n ? F_ZF : 0) | (la < n ? F_SF : 0) | ((r2 & 1) ? F_OF : 0));
    *n_out = n;
    return r2;
}

/* I forms: ECX = the least (imm8[6] = 0) or most significant set bit of IntRes2,
 * the element count when there is none; a 32-bit write (zero-extends RCX). */
static void pcmpstri(struct cpu *c, const struct insn *i, bool explicit)
{
    unsigned n, r2 = pcmpstr(c, i, explicit, &n);
    unsigned idx = !r2 ? n : (i->imm & 0x40) ? 31u - (unsigned)__builtin_clz(r2) : (unsigned)__builtin_ctz(r2);
    set_reg32(c, R_CX, idx);
}

/* M forms: XMM0 = IntRes2 zero-extended (imm8[6] = 0) or expanded to an element
 * mask of all-ones/zero bytes or words (imm8[6] = 1). */
static void pcmpstrm(struct cpu *c, const struct insn *i, bool explicit)
{
    unsigned n, r2 = pcmpstr(c, i, explicit, &n);
    xmm_reg r = {.q = {0, 0}};
    if (i->imm & 0x40) {
        for (unsigned k = 0; k < n; k++)
            if ((r2 >> k) & 1) {
                if (n == 8)
                    r.w[k] = 0xFFFF;
                else
                    r.b[k] = 0xFF;
            }
    } else {
        r.q[0] = r2;
    }
    *xmm(c, 0) = r;
}

static void pcmpestrm(struct cpu *c, const struct insn *i) { pcmpstrm(c, i, true); }
static void pcmpestri(struct cpu *c, const struct insn *i) { pcmpstri(c, i, true); }
static void pcmpistrm(struct cpu *c, const struct insn *i) { pcmpstrm(c, i, false); }
static void pcmpistri(struct cpu *c, const struct insn *i) { pcmpstri(c, i, false); }
HSET_PFX(pcmpestrm, NULL, pcmpestrm, NULL, NULL);
HSET_PFX(pcmpestri, NULL, pcmpestri, NULL, NULL);
HSET_PFX(pcmpistrm, NULL, pcmpistrm, NULL, NULL);
HSET_PFX(pcmpistri, NULL, pcmpistri, NULL, NULL);

/* ---- CRC32 ----
 * SDM vol. 2 "CRC32": the CRC-32C polynomial 11EDC6F41h over bit-reflected
 * data and accumulator, i.e. the reflected (LSB-first) CRC with polynomial
 * 82F63B78h, no initial or final inversion, the source's bytes taken from the
 * lowest.  The accumulator is the low 32 bits of the destination; the result is
 * written as 32 bits (zero-extended to 64 in 64-bit mode, as for REX.W).
 *
 * Not a mandatory-prefix (OA_PFX) entry: the source width follows the operand
 * size, so 66 F2 0F 38 F1 is the r/m16 form and REX.W the r/m64 one.  Without
 * F2 these opcodes are MOVBE (no prefix, 66), which is not implemented: #UD, as
 * is F3 (no instruction). */
static uint32_t crc32c(uint32_t crc, uint64_t data, unsigned bytes)
{
    for (unsigned k = 0; k < bytes; k++) {
        crc ^= (uint8_t)(data >> (8 * k));
        for (unsigned b = 0; b < 8; b++)
            crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
    }
    return crc;
}

ALWAYS_INLINE void crc32_op(struct cpu *c, const struct insn *i, unsigned src_size, bool mem)
{
    if (i->rep != 0xF2)
        cpu_raise_ud(c);
    uint64_t v = rm_read(c, i, src_size, mem);
    set_reg64(c, i->reg, crc32c((uint32_t)c->regs[i->reg], v, src_size));
}

/* F0: the source is a byte whatever the operand size (the handler index follows the operand size). */
ALWAYS_INLINE void crc32_b(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    (void)size;
    crc32_op(c, i, 1, mem);
}
/* F1: r/m16, r/m32 or r/m64 by operand size. */
ALWAYS_INLINE void crc32_v(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    crc32_op(c, i, size, mem);
}
HSET_RM(crc32_b);
HSET_RM(crc32_v);

#define PI (OA_MODRM | OA_PFX | OA_386 | OA_IMM(IMM_8))
const struct opdef sse42_opdefs[] = {
    {OPC_0F3A(0x60), -1, PI, &hs_pcmpestrm},
    {OPC_0F3A(0x61), -1, PI, &hs_pcmpestri},
    {OPC_0F3A(0x62), -1, PI, &hs_pcmpistrm},
    {OPC_0F3A(0x63), -1, PI, &hs_pcmpistri},
    {OPC_0F38(0xF0), -1, OA_MODRM | OA_RM8 | OA_386, &hs_crc32_b},
    {OPC_0F38(0xF1), -1, OA_MODRM | OA_386, &hs_crc32_v},
    {0, 0, 0, NULL},
};
