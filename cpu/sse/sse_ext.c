/* SSSE3, SSE4.1 and SSE4.2 integer instructions and POPCNT (SDM vol. 2):
 *   SSSE3 (0F 38 00-0B, 1C-1E; 0F 3A 0F), MMX (no prefix) and XMM (66) forms:
 *     PSHUFB, PHADDW/D, PHADDSW, PMADDUBSW, PHSUBW/D, PHSUBSW, PSIGNB/W/D,
 *     PMULHRSW, PABSB/W/D, PALIGNR.
 *   SSE4.1 (66 0F 38 / 66 0F 3A): PBLENDVB, PTEST, PMOVSX/PMOVZX, PMULDQ,
 *     PCMPEQQ, MOVNTDQA, PACKUSDW, PMINSB/SD/UW/UD, PMAXSB/SD/UW/UD, PMULLD,
 *     PHMINPOSUW, PBLENDW, PEXTRB/W/D/Q, PINSRB/D/Q, MPSADBW.
 *   SSE4.2: PCMPGTQ (66 0F 38 37).
 *   POPCNT (F3 0F B8). */
#include "sse.h"

#include <string.h>

#define LANES(T, arr, expr)                                                                                  \
    do {                                                                                                    \
        for (unsigned k = 0; k < n / sizeof(T); k++) {                                                      \
            T a = d->arr[k], b = s->arr[k];                                                                 \
            d->arr[k] = (T)(expr);                                                                          \
            (void)a;                                                                                        \
            (void)b;                                                                                        \
        }                                                                                                   \
    } while (0)
#define VOP(name, T, arr, expr)                                                                              \
    static void name(xmm_reg *d, const xmm_reg *s, unsigned n) { LANES(T, arr, expr); }

/* ---- SSSE3 ---- */

static void v_pshufb(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    xmm_reg src = *d;
    for (unsigned k = 0; k < n; k++)
        d->b[k] = (s->b[k] & 0x80) ? 0 : src.b[s->b[k] & (n - 1)];
}

/* Horizontal add/subtract: pairs of d give the low half of the result, pairs of s the high half. */
static int32_t hop(int32_t a, int32_t b, int kind /* 0 add, 1 sub */) { return kind ? a - b : a + b; }
static void hw(xmm_reg *d, const xmm_reg *s, unsigned n, int kind, bool sat)
{
    xmm_reg r;
    unsigned half = n / 4; /* words per half of the result */
    for (unsigned k = 0; k < half; k++) {
        int32_t x = hop((int16_t)d->w[2 * k], (int16_t)d->w[2 * k + 1], kind);
        int32_t y = hop((int16_t)s->w[2 * k], (int16_t)s->w[2 * k + 1], kind);
        r.w[k] = sat ? sat_s16(x) : (uint16_t)x;
        r.w[k + half] = sat ? sat_s16(y) : (uint16_t)y;
    }
    memcpy(d->b, r.b, n);
}
static void hd(xmm_reg *d, const xmm_reg *s, unsigned n, int kind)
{
    xmm_reg r;
    unsigned half = n / 8;
    for (unsigned k = 0; k < half; k++) {
        r.d[k] = kind ? d->d[2 * k] - d->d[2 * k + 1] : d->d[2 * k] + d->d[2 * k + 1];
        r.d[k + half] = kind ? s->d[2 * k] - s->d[2 * k + 1] : s->d[2 * k] + s->d[2 * k + 1];
    }
    memcpy(d->b, r.b, n);
}
static void v_phaddw(xmm_reg *d, const xmm_reg *s, unsigned n) { hw(d, s, n, 0, false); }
static void v_phaddsw(xmm_reg *d, const xmm_reg *s, unsigned n) { hw(d, s, n, 0, true); }
static void v_phsubw(xmm_reg *d, const xmm_reg *s, unsigned n) { hw(d, s, n, 1, false); }
static void v_phsubsw(xmm_reg *d, const xmm_reg *s, unsigned n) { hw(d, s, n, 1, true); }
static void v_phaddd(xmm_reg *d, const xmm_reg *s, unsigned n) { hd(d, s, n, 0); }
static void v_phsubd(xmm_reg *d, const xmm_reg *s, unsigned n) { hd(d, s, n, 1); }

/* PMADDUBSW: unsigned bytes of d times signed bytes of s, adjacent products summed with signed saturation. */
static void v_pmaddubsw(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    for (unsigned k = 0; k < n / 2; k++) {
        int32_t v = d->b[2 * k] * (int8_t)s->b[2 * k] + d->b[2 * k + 1] * (int8_t)s->b[2 * k + 1];
        d->w[k] = sat_s16(v);
    }
}
/* PMULHRSW: (a * b >> 14) + 1 >> 1, i.e. the product rounded to bits 30:15. */
VOP(v_pmulhrsw, uint16_t, w, (((int32_t)(int16_t)a * (int16_t)b >> 14) + 1) >> 1)
VOP(v_psignb, uint8_t, b, (int8_t)b < 0 ? -a : b == 0 ? 0 : a)
VOP(v_psignw, uint16_t, w, (int16_t)b < 0 ? -a : b == 0 ? 0 : a)
VOP(v_psignd, uint32_t, d, (int32_t)b < 0 ? -a : b == 0 ? 0 : a)
/* PABS: the source's absolute value (80h stays 80h, as an unsigned result). */
VOP(v_pabsb, uint8_t, b, (int8_t)b < 0 ? -b : b)
VOP(v_pabsw, uint16_t, w, (int16_t)b < 0 ? -b : b)
VOP(v_pabsd, uint32_t, d, (int32_t)b < 0 ? -b : b)

SSE_BINOP(pshufb, v_pshufb);
SSE_BINOP(phaddw, v_phaddw);
SSE_BINOP(phaddd, v_phaddd);
SSE_BINOP(phaddsw, v_phaddsw);
SSE_BINOP(pmaddubsw, v_pmaddubsw);
SSE_BINOP(phsubw, v_phsubw);
SSE_BINOP(phsubd, v_phsubd);
SSE_BINOP(phsubsw, v_phsubsw);
SSE_BINOP(psignb, v_psignb);
SSE_BINOP(psignw, v_psignw);
SSE_BINOP(psignd, v_psignd);
SSE_BINOP(pmulhrsw, v_pmulhrsw);
SSE_BINOP(pabsb, v_pabsb);
SSE_BINOP(pabsw, v_pabsw);
SSE_BINOP(pabsd, v_pabsd);

/* PALIGNR: the 2n-byte concatenation d:s (d high) shifted right by imm8 bytes; the low n bytes. */
static void palignr_lanes(xmm_reg *d, const xmm_reg *s, unsigned n, unsigned sh)
{
    uint8_t cat[32];
    memcpy(cat, s->b, n);
    memcpy(cat + n, d->b, n);
    for (unsigned k = 0; k < n; k++)
        d->b[k] = k + sh < 2 * n ? cat[k + sh] : 0;
}
static void palignr_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    xmm_reg s = {.q = {mmx_src64(c, i), 0}}, d = {.q = {mmx_get(c, i->reg), 0}};
    palignr_lanes(&d, &s, 8, (unsigned)(i->imm & 0xFF));
    mmx_set(c, i->reg, d.q[0]);
}
static void palignr_x(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    palignr_lanes(xmm(c, i->reg), &s, 16, (unsigned)(i->imm & 0xFF));
}
HSET_PFX(palignr, palignr_mm, palignr_x, NULL, NULL);

/* ---- SSE4.1 / SSE4.2 two-operand ---- */

static void v_pmuldq(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    for (unsigned k = 0; k < n / 8; k++)
        d->q[k] = (uint64_t)((int64_t)(int32_t)d->d[2 * k] * (int32_t)s->d[2 * k]);
}
VOP(v_pcmpeqq, uint64_t, q, a == b ? ~0ull : 0)
VOP(v_pcmpgtq, uint64_t, q, (int64_t)a > (int64_t)b ? ~0ull : 0)
static void v_packusdw(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    xmm_reg r;
    for (unsigned k = 0; k < n / 4; k++) {
        r.w[k] = sat_u16((int32_t)d->d[k]);
        r.w[k + n / 4] = sat_u16((int32_t)s->d[k]);
    }
    memcpy(d->b, r.b, n);
}
VOP(v_pminsb, uint8_t, b, (int8_t)a < (int8_t)b ? a : b)
VOP(v_pminsd, uint32_t, d, (int32_t)a < (int32_t)b ? a : b)
VOP(v_pminuw, uint16_t, w, a < b ? a : b)
VOP(v_pminud, uint32_t, d, a < b ? a : b)
VOP(v_pmaxsb, uint8_t, b, (int8_t)a > (int8_t)b ? a : b)
VOP(v_pmaxsd, uint32_t, d, (int32_t)a > (int32_t)b ? a : b)
VOP(v_pmaxuw, uint16_t, w, a > b ? a : b)
VOP(v_pmaxud, uint32_t, d, a > b ? a : b)
VOP(v_pmulld, uint32_t, d, (uint64_t)a * b)
/* PHMINPOSUW: the smallest unsigned word of the source and its (lowest) index; the rest cleared. */
static void v_phminposuw(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    unsigned best = 0;
    for (unsigned k = 1; k < 8; k++)
        if (s->w[k] < s->w[best])
            best = k;
    xmm_reg r = {.q = {0, 0}};
    r.w[0] = s->w[best];
    r.w[1] = (uint16_t)best;
    memcpy(d->b, r.b, n);
}

SSE_BINOP_X(pmuldq, v_pmuldq);
SSE_BINOP_X(pcmpeqq, v_pcmpeqq);
SSE_BINOP_X(pcmpgtq, v_pcmpgtq);
SSE_BINOP_X(packusdw, v_packusdw);
SSE_BINOP_X(pminsb, v_pminsb);
SSE_BINOP_X(pminsd, v_pminsd);
SSE_BINOP_X(pminuw, v_pminuw);
SSE_BINOP_X(pminud, v_pminud);
SSE_BINOP_X(pmaxsb, v_pmaxsb);
SSE_BINOP_X(pmaxsd, v_pmaxsd);
SSE_BINOP_X(pmaxuw, v_pmaxuw);
SSE_BINOP_X(pmaxud, v_pmaxud);
SSE_BINOP_X(pmulld, v_pmulld);
SSE_BINOP_X(phminposuw, v_phminposuw);

/* PBLENDVB xmm, xmm/m128, <XMM0>: bytes of the source where XMM0's byte has its top bit set. */
static void pblendvb(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg *d = xmm(c, i->reg);
    const xmm_reg *m = xmm(c, 0);
    for (unsigned k = 0; k < 16; k++)
        if (m->b[k] & 0x80)
            d->b[k] = s.b[k];
}
HSET_PFX(pblendvb, NULL, pblendvb, NULL, NULL);

/* PBLENDW xmm, xmm/m128, imm8: word k from the source where imm8 bit k is set. */
static void pblendw(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg *d = xmm(c, i->reg);
    for (unsigned k = 0; k < 8; k++)
        if ((i->imm >> k) & 1)
            d->w[k] = s.w[k];
}
HSET_PFX(pblendw, NULL, pblendw, NULL, NULL);

/* PTEST: ZF = (src AND dest) == 0, CF = (src AND NOT dest) == 0; AF, OF, PF, SF cleared. */
static void ptest(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    const xmm_reg *d = xmm(c, i->reg);
    bool zf = ((s.q[0] & d->q[0]) | (s.q[1] & d->q[1])) == 0;
    bool cf = ((s.q[0] & ~d->q[0]) | (s.q[1] & ~d->q[1])) == 0;
    lf_set_flags(c, (zf ? F_ZF : 0) | (cf ? F_CF : 0));
}
HSET_PFX(ptest, NULL, ptest, NULL, NULL);

/* MOVNTDQA xmm, m128 (aligned). */
static void movntdqa(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg v;
    sse_read128(c, i, &v, true);
    *xmm(c, i->reg) = v;
}
HSET_PFX_RM(movntdqa, NULL, NULL, NULL, NULL, NULL, movntdqa, NULL, NULL);

/* PMOVSX/PMOVZX: the low 16/lane_out*lane_in bytes of the source (a memory operand
 * of exactly that size, unaligned) widened lane by lane. */
static void pmovx(struct cpu *c, const struct insn *i, unsigned in, unsigned out, bool sx)
{
    sse_check(c);
    unsigned count = 16 / out, bytes = count * in;
    xmm_reg s = {.q = {0, 0}};
    if (i->flags & INSN_MEM)
        s.q[0] = mem_read(c, i->seg, insn_ea(c, i), bytes);
    else
        s = *xmm(c, i->rm);
    xmm_reg r;
    for (unsigned k = 0; k < count; k++) {
        uint64_t v = 0;
        memcpy(&v, s.b + k * in, in);
        if (sx)
            v = (uint64_t)sign_extend(v, in);
        memcpy(r.b + k * out, &v, out);
    }
    *xmm(c, i->reg) = r;
}
#define PMOVX(name, in, out, sx)                                                                             \
    static void name(struct cpu *c, const struct insn *i) { pmovx(c, i, in, out, sx); }                    \
    HSET_PFX(name, NULL, name, NULL, NULL)
PMOVX(pmovsxbw, 1, 2, true);
PMOVX(pmovsxbd, 1, 4, true);
PMOVX(pmovsxbq, 1, 8, true);
PMOVX(pmovsxwd, 2, 4, true);
PMOVX(pmovsxwq, 2, 8, true);
PMOVX(pmovsxdq, 4, 8, true);
PMOVX(pmovzxbw, 1, 2, false);
PMOVX(pmovzxbd, 1, 4, false);
PMOVX(pmovzxbq, 1, 8, false);
PMOVX(pmovzxwd, 2, 4, false);
PMOVX(pmovzxwq, 2, 8, false);
PMOVX(pmovzxdq, 4, 8, false);

/* ---- PEXTRB/W/D/Q r/m, xmm, imm8; PINSRB/D/Q xmm, r/m, imm8 ----
 * A GPR destination is written as 32 bits (zero-extended), or 64 for PEXTRQ (REX.W). */
static void pextr(struct cpu *c, const struct insn *i, unsigned size)
{
    sse_check(c);
    const xmm_reg *s = xmm(c, i->reg);
    unsigned idx = (unsigned)(i->imm & (16 / size - 1));
    uint64_t v = 0;
    memcpy(&v, s->b + idx * size, size);
    if (i->flags & INSN_MEM)
        mem_write(c, i->seg, insn_ea(c, i), v, size);
    else
        set_reg64(c, i->rm, v);
}
static void pextrb(struct cpu *c, const struct insn *i) { pextr(c, i, 1); }
static void pextrw(struct cpu *c, const struct insn *i) { pextr(c, i, 2); }
static void pextrd(struct cpu *c, const struct insn *i) { pextr(c, i, i->osize == 8 ? 8 : 4); }
HSET_PFX(pextrb, NULL, pextrb, NULL, NULL);
HSET_PFX(pextrw, NULL, pextrw, NULL, NULL);
HSET_PFX(pextrd, NULL, pextrd, NULL, NULL);

static void pinsr(struct cpu *c, const struct insn *i, unsigned size)
{
    sse_check(c);
    uint64_t v = (i->flags & INSN_MEM) ? mem_read(c, i->seg, insn_ea(c, i), size) : c->regs[i->rm];
    unsigned idx = (unsigned)(i->imm & (16 / size - 1));
    memcpy(xmm(c, i->reg)->b + idx * size, &v, size);
}
static void pinsrb(struct cpu *c, const struct insn *i) { pinsr(c, i, 1); }
static void pinsrd(struct cpu *c, const struct insn *i) { pinsr(c, i, i->osize == 8 ? 8 : 4); }
HSET_PFX(pinsrb, NULL, pinsrb, NULL, NULL);
HSET_PFX(pinsrd, NULL, pinsrd, NULL, NULL);

/* MPSADBW xmm, xmm/m128, imm8: eight sums of absolute differences between the
 * source's 4-byte block imm8[1:0] and sliding 4-byte windows of the destination
 * starting at byte 4 * imm8[2]. */
static void mpsadbw(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg *d = xmm(c, i->reg), r;
    unsigned so = 4 * (unsigned)(i->imm & 3), dof = 4 * (unsigned)((i->imm >> 2) & 1);
    for (unsigned k = 0; k < 8; k++) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            int diff = d->b[dof + k + j] - s.b[so + j];
            sum += (unsigned)(diff < 0 ? -diff : diff);
        }
        r.w[k] = (uint16_t)sum;
    }
    *d = r;
}
HSET_PFX(mpsadbw, NULL, mpsadbw, NULL, NULL);

/* ---- F3 0F B8: POPCNT r, r/m (16/32/64 bits); ZF = source is zero, the other flags cleared ----
 * Decoded by operand size (not as a prefix set) so that 66 F3 0F B8 is the 16-bit form; without F3
 * it is JMPE (IA-64 only): #UD. */
ALWAYS_INLINE void popcnt(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    if (i->rep != 0xF3)
        cpu_raise_ud(c);
    uint64_t v = rm_read(c, i, size, mem);
    reg_set(c, i->reg, size, (uint64_t)__builtin_popcountll(v));
    lf_set_flags(c, v ? 0 : F_ZF);
}
HSET_RM(popcnt);

#define P (OA_MODRM | OA_PFX | OA_386)
#define PI (OA_MODRM | OA_PFX | OA_386 | OA_IMM(IMM_8))
const struct opdef sse_ext_opdefs[] = {
    /* SSSE3 */
    {OPC_0F38(0x00), -1, P, &hs_pshufb}, {OPC_0F38(0x01), -1, P, &hs_phaddw}, {OPC_0F38(0x02), -1, P, &hs_phaddd},
    {OPC_0F38(0x03), -1, P, &hs_phaddsw}, {OPC_0F38(0x04), -1, P, &hs_pmaddubsw}, {OPC_0F38(0x05), -1, P, &hs_phsubw},
    {OPC_0F38(0x06), -1, P, &hs_phsubd}, {OPC_0F38(0x07), -1, P, &hs_phsubsw}, {OPC_0F38(0x08), -1, P, &hs_psignb},
    {OPC_0F38(0x09), -1, P, &hs_psignw}, {OPC_0F38(0x0A), -1, P, &hs_psignd}, {OPC_0F38(0x0B), -1, P, &hs_pmulhrsw},
    {OPC_0F38(0x1C), -1, P, &hs_pabsb}, {OPC_0F38(0x1D), -1, P, &hs_pabsw}, {OPC_0F38(0x1E), -1, P, &hs_pabsd},
    {OPC_0F3A(0x0F), -1, PI, &hs_palignr},
    /* SSE4.1 */
    {OPC_0F38(0x10), -1, P, &hs_pblendvb}, {OPC_0F38(0x17), -1, P, &hs_ptest},
    {OPC_0F38(0x20), -1, P, &hs_pmovsxbw}, {OPC_0F38(0x21), -1, P, &hs_pmovsxbd}, {OPC_0F38(0x22), -1, P, &hs_pmovsxbq},
    {OPC_0F38(0x23), -1, P, &hs_pmovsxwd}, {OPC_0F38(0x24), -1, P, &hs_pmovsxwq}, {OPC_0F38(0x25), -1, P, &hs_pmovsxdq},
    {OPC_0F38(0x28), -1, P, &hs_pmuldq}, {OPC_0F38(0x29), -1, P, &hs_pcmpeqq}, {OPC_0F38(0x2A), -1, P, &hs_movntdqa},
    {OPC_0F38(0x2B), -1, P, &hs_packusdw},
    {OPC_0F38(0x30), -1, P, &hs_pmovzxbw}, {OPC_0F38(0x31), -1, P, &hs_pmovzxbd}, {OPC_0F38(0x32), -1, P, &hs_pmovzxbq},
    {OPC_0F38(0x33), -1, P, &hs_pmovzxwd}, {OPC_0F38(0x34), -1, P, &hs_pmovzxwq}, {OPC_0F38(0x35), -1, P, &hs_pmovzxdq},
    {OPC_0F38(0x38), -1, P, &hs_pminsb}, {OPC_0F38(0x39), -1, P, &hs_pminsd}, {OPC_0F38(0x3A), -1, P, &hs_pminuw},
    {OPC_0F38(0x3B), -1, P, &hs_pminud}, {OPC_0F38(0x3C), -1, P, &hs_pmaxsb}, {OPC_0F38(0x3D), -1, P, &hs_pmaxsd},
    {OPC_0F38(0x3E), -1, P, &hs_pmaxuw}, {OPC_0F38(0x3F), -1, P, &hs_pmaxud}, {OPC_0F38(0x40), -1, P, &hs_pmulld},
    {OPC_0F38(0x41), -1, P, &hs_phminposuw},
    {OPC_0F3A(0x0E), -1, PI, &hs_pblendw}, {OPC_0F3A(0x14), -1, PI, &hs_pextrb}, {OPC_0F3A(0x15), -1, PI, &hs_pextrw},
    {OPC_0F3A(0x16), -1, PI, &hs_pextrd}, {OPC_0F3A(0x20), -1, PI, &hs_pinsrb}, {OPC_0F3A(0x22), -1, PI, &hs_pinsrd},
    {OPC_0F3A(0x42), -1, PI, &hs_mpsadbw},
    /* SSE4.2 */
    {OPC_0F38(0x37), -1, P, &hs_pcmpgtq},
    /* POPCNT */
    {0x0FB8, -1, OA_MODRM | OA_386, &hs_popcnt},
    {0, 0, 0, NULL},
};
