/* SSE/SSE2/SSE3/SSE4.1 floating-point arithmetic (SDM vol. 2), on the soft-float
 * core of softfloat.c:
 *   0F 51 SQRTPS/PD/SS/SD     0F 52 RSQRTPS/SS     0F 53 RCPPS/SS
 *   0F 58 ADD  0F 59 MUL  0F 5C SUB  0F 5D MIN  0F 5E DIV  0F 5F MAX (PS/PD/SS/SD)
 *   0F C2 CMPPS/PD/SS/SD ib   0F 7C/7D HADDPD/PS, HSUBPD/PS   0F D0 ADDSUBPD/PS
 *   66 0F 3A 08-0B ROUNDPS/PD/SS/SD, 0C/0D BLENDPS/PD, 17 EXTRACTPS, 21 INSERTPS,
 *   40/41 DPPS/DPPD;  66 0F 38 14/15 BLENDVPS/PD.
 * The conversions and (U)COMISS/SD are in sse_cvt.c.
 *
 * Packed forms compute every lane into a copy of the destination, then
 * sse_fp_commit() decides between writing it and #XM, so a faulting
 * instruction leaves its destination as it was.  Legacy-SSE 128-bit memory
 * operands must be 16-byte aligned (#GP(0) otherwise); scalar ones need not be. */
#include "sse_fp.h"

#include "cpu/fault.h"

void sse_fp_commit(struct cpu *c, const struct sf_env *e)
{
    uint32_t unmasked_pre = e->flags & SF_PRE & ~(c->fpu.mxcsr >> SF_MASK_SHIFT);
    c->fpu.mxcsr |= unmasked_pre ? (e->flags & SF_PRE) : e->flags;
    if (unmasked_pre || sf_unmasked(e)) {
        if (c->cr4 & CR4_OSXMMEXCPT)
            cpu_raise(c, EXC_XM, NO_ERROR_CODE);
        cpu_raise_ud(c); /* SDM vol. 3 §6.15 "Interrupt 19": #UD when OSXMMEXCPT = 0 */
    }
}

typedef uint64_t (*sf_binop)(struct sf_env *, enum sf_fmt, uint64_t, uint64_t);

/* Lane k of a register image in format f. */
static inline uint64_t lane_get(const xmm_reg *r, enum sf_fmt f, unsigned k) { return f == SF_F32 ? r->d[k] : r->q[k]; }
static inline void lane_set(xmm_reg *r, enum sf_fmt f, unsigned k, uint64_t v)
{
    if (f == SF_F32)
        r->d[k] = (uint32_t)v;
    else
        r->q[k] = v;
}

/* The source operand: xmm/m128 for packed forms, xmm/m32 or xmm/m64 for scalar ones (low lane). */
static inline void fp_source(struct cpu *c, const struct insn *i, xmm_reg *s, enum sf_fmt f, bool packed)
{
    if (packed)
        sse_src128(c, i, s, true);
    else if (f == SF_F32)
        s->d[0] = sse_src32(c, i);
    else
        s->q[0] = sse_src64(c, i);
}

static inline unsigned lanes(enum sf_fmt f, bool packed) { return packed ? (f == SF_F32 ? 4 : 2) : 1; }

ALWAYS_INLINE void fp_binary(struct cpu *c, const struct insn *i, sf_binop op, enum sf_fmt f, bool packed)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    fp_source(c, i, &s, f, packed);
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < lanes(f, packed); k++)
        lane_set(&d, f, k, op(&e, f, lane_get(&d, f, k), lane_get(&s, f, k)));
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}

#define FP_BINARY(name, op)                                                                                   \
    static void name##ps(struct cpu *c, const struct insn *i) { fp_binary(c, i, op, SF_F32, true); }        \
    static void name##pd(struct cpu *c, const struct insn *i) { fp_binary(c, i, op, SF_F64, true); }        \
    static void name##ss(struct cpu *c, const struct insn *i) { fp_binary(c, i, op, SF_F32, false); }       \
    static void name##sd(struct cpu *c, const struct insn *i) { fp_binary(c, i, op, SF_F64, false); }       \
    HSET_PFX(name, name##ps, name##pd, name##ss, name##sd)

FP_BINARY(add, sf_add);
FP_BINARY(sub, sf_sub);
FP_BINARY(mul, sf_mul);
FP_BINARY(div, sf_div);
FP_BINARY(min, sf_min);
FP_BINARY(max, sf_max);

/* ---- 0F 51: SQRT ---- */

ALWAYS_INLINE void fp_sqrt(struct cpu *c, const struct insn *i, enum sf_fmt f, bool packed)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    fp_source(c, i, &s, f, packed);
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < lanes(f, packed); k++)
        lane_set(&d, f, k, sf_sqrt(&e, f, lane_get(&s, f, k)));
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void sqrtps(struct cpu *c, const struct insn *i) { fp_sqrt(c, i, SF_F32, true); }
static void sqrtpd(struct cpu *c, const struct insn *i) { fp_sqrt(c, i, SF_F64, true); }
static void sqrtss(struct cpu *c, const struct insn *i) { fp_sqrt(c, i, SF_F32, false); }
static void sqrtsd(struct cpu *c, const struct insn *i) { fp_sqrt(c, i, SF_F64, false); }
HSET_PFX(sqrt, sqrtps, sqrtpd, sqrtss, sqrtsd);

/* ---- 0F 52, 0F 53: RSQRTPS/SS, RCPPS/SS (approximations, no exceptions, MXCSR unused) ---- */

ALWAYS_INLINE void fp_approx(struct cpu *c, const struct insn *i, bool rsqrt, bool packed)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    fp_source(c, i, &s, SF_F32, packed);
    for (unsigned k = 0; k < lanes(SF_F32, packed); k++)
        d.d[k] = rsqrt ? sf_rsqrt32(s.d[k]) : sf_rcp32(s.d[k]);
    *xmm(c, i->reg) = d;
}
static void rsqrtps(struct cpu *c, const struct insn *i) { fp_approx(c, i, true, true); }
static void rsqrtss(struct cpu *c, const struct insn *i) { fp_approx(c, i, true, false); }
static void rcpps(struct cpu *c, const struct insn *i) { fp_approx(c, i, false, true); }
static void rcpss(struct cpu *c, const struct insn *i) { fp_approx(c, i, false, false); }
HSET_PFX(rsqrt, rsqrtps, NULL, rsqrtss, NULL);
HSET_PFX(rcp, rcpps, NULL, rcpss, NULL);

/* ---- 0F C2 ib: CMPPS/PD/SS/SD ---- */

/* SDM vol. 2 "CMPPS" Table 3-1 (predicates 0-7; the legacy encodings use imm8[2:0]):
 * EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD; LT/LE/NLT/NLE signal on QNaNs. */
static bool cmp_pred(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b, unsigned pred)
{
    bool signal = (pred & 3) == 1 || (pred & 3) == 2;
    enum sf_rel r = sf_compare(e, f, a, b, signal);
    bool t;
    switch (pred & 3) {
    case 0: t = r == SF_EQ; break;
    case 1: t = r == SF_LT; break;
    case 2: t = r == SF_LT || r == SF_EQ; break;
    default: t = r == SF_UN; break;
    }
    return (pred & 4) ? !t : t;
}

ALWAYS_INLINE void fp_cmp(struct cpu *c, const struct insn *i, enum sf_fmt f, bool packed)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    fp_source(c, i, &s, f, packed);
    struct sf_env e = sse_fp_env(c);
    unsigned pred = (unsigned)i->imm & 7;
    for (unsigned k = 0; k < lanes(f, packed); k++)
        lane_set(&d, f, k, cmp_pred(&e, f, lane_get(&d, f, k), lane_get(&s, f, k), pred) ? ~0ull : 0);
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void cmpps(struct cpu *c, const struct insn *i) { fp_cmp(c, i, SF_F32, true); }
static void cmppd(struct cpu *c, const struct insn *i) { fp_cmp(c, i, SF_F64, true); }
static void cmpss(struct cpu *c, const struct insn *i) { fp_cmp(c, i, SF_F32, false); }
static void cmpsd(struct cpu *c, const struct insn *i) { fp_cmp(c, i, SF_F64, false); }
HSET_PFX(cmp, cmpps, cmppd, cmpss, cmpsd);

/* ---- SSE3: 66/F2 0F D0 ADDSUBPD/PS, 66/F2 0F 7C HADDPD/PS, 66/F2 0F 7D HSUBPD/PS ---- */

ALWAYS_INLINE void fp_addsub(struct cpu *c, const struct insn *i, enum sf_fmt f)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < lanes(f, true); k++) {
        sf_binop op = (k & 1) ? sf_add : sf_sub; /* even lanes subtract, odd lanes add */
        lane_set(&d, f, k, op(&e, f, lane_get(&d, f, k), lane_get(&s, f, k)));
    }
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void addsubpd(struct cpu *c, const struct insn *i) { fp_addsub(c, i, SF_F64); }
static void addsubps(struct cpu *c, const struct insn *i) { fp_addsub(c, i, SF_F32); }
HSET_PFX(addsub, NULL, addsubpd, NULL, addsubps);

/* Horizontal: the low half of the result from pairs of the destination, the high half
 * from pairs of the source; each pair is (even lane) op (odd lane). */
ALWAYS_INLINE void fp_horiz(struct cpu *c, const struct insn *i, enum sf_fmt f, sf_binop op)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg), r = {0};
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    unsigned n = lanes(f, true), half = n / 2;
    for (unsigned k = 0; k < n; k++) {
        const xmm_reg *in = k < half ? &d : &s;
        unsigned j = 2 * (k % half);
        lane_set(&r, f, k, op(&e, f, lane_get(in, f, j), lane_get(in, f, j + 1)));
    }
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = r;
}
static void haddpd(struct cpu *c, const struct insn *i) { fp_horiz(c, i, SF_F64, sf_add); }
static void haddps(struct cpu *c, const struct insn *i) { fp_horiz(c, i, SF_F32, sf_add); }
static void hsubpd(struct cpu *c, const struct insn *i) { fp_horiz(c, i, SF_F64, sf_sub); }
static void hsubps(struct cpu *c, const struct insn *i) { fp_horiz(c, i, SF_F32, sf_sub); }
HSET_PFX(hadd, NULL, haddpd, NULL, haddps);
HSET_PFX(hsub, NULL, hsubpd, NULL, hsubps);

/* ---- SSE4.1: 66 0F 3A 08-0B ib ROUNDPS/PD/SS/SD ---- */

/* SDM vol. 2 "ROUNDPS": imm8[2] = 1 takes MXCSR.RC, else imm8[1:0]; imm8[3] suppresses PE. */
ALWAYS_INLINE void fp_round(struct cpu *c, const struct insn *i, enum sf_fmt f, bool packed)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    fp_source(c, i, &s, f, packed);
    struct sf_env e = sse_fp_env(c);
    unsigned imm = (unsigned)i->imm;
    unsigned rc = (imm & 4) ? (c->fpu.mxcsr >> SF_RC_SHIFT) & 3 : imm & 3;
    for (unsigned k = 0; k < lanes(f, packed); k++)
        lane_set(&d, f, k, sf_round_int(&e, f, lane_get(&s, f, k), rc, (imm & 8) != 0));
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void roundps(struct cpu *c, const struct insn *i) { fp_round(c, i, SF_F32, true); }
static void roundpd(struct cpu *c, const struct insn *i) { fp_round(c, i, SF_F64, true); }
static void roundss(struct cpu *c, const struct insn *i) { fp_round(c, i, SF_F32, false); }
static void roundsd(struct cpu *c, const struct insn *i) { fp_round(c, i, SF_F64, false); }
HSET_PFX(roundps, NULL, roundps, NULL, NULL);
HSET_PFX(roundpd, NULL, roundpd, NULL, NULL);
HSET_PFX(roundss, NULL, roundss, NULL, NULL);
HSET_PFX(roundsd, NULL, roundsd, NULL, NULL);

/* ---- SSE4.1 blends: 66 0F 3A 0C/0D ib BLENDPS/PD, 66 0F 38 14/15 BLENDVPS/PD (mask in XMM0) ---- */

ALWAYS_INLINE void fp_blend(struct cpu *c, const struct insn *i, enum sf_fmt f, bool variable)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg);
    sse_src128(c, i, &s, true);
    const xmm_reg *m = xmm(c, 0);
    for (unsigned k = 0; k < lanes(f, true); k++) {
        bool take = variable ? (f == SF_F32 ? m->d[k] >> 31 : m->q[k] >> 63) : (i->imm >> k) & 1;
        if (take)
            lane_set(&d, f, k, lane_get(&s, f, k));
    }
    *xmm(c, i->reg) = d;
}
static void blendps(struct cpu *c, const struct insn *i) { fp_blend(c, i, SF_F32, false); }
static void blendpd(struct cpu *c, const struct insn *i) { fp_blend(c, i, SF_F64, false); }
static void blendvps(struct cpu *c, const struct insn *i) { fp_blend(c, i, SF_F32, true); }
static void blendvpd(struct cpu *c, const struct insn *i) { fp_blend(c, i, SF_F64, true); }
HSET_PFX(blendps, NULL, blendps, NULL, NULL);
HSET_PFX(blendpd, NULL, blendpd, NULL, NULL);
HSET_PFX(blendvps, NULL, blendvps, NULL, NULL);
HSET_PFX(blendvpd, NULL, blendvpd, NULL, NULL);

/* ---- SSE4.1: 66 0F 3A 17 ib EXTRACTPS r/m32, xmm; 66 0F 3A 21 ib INSERTPS xmm, xmm/m32 ---- */

static void extractps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint32_t v = xmm(c, i->reg)->d[i->imm & 3];
    if (i->flags & INSN_MEM)
        sse_write32(c, i, v);
    else
        reg_set(c, i->rm, i->osize, v); /* REX.W: zero-extended into the 64-bit register */
}
HSET_PFX(extractps, NULL, extractps, NULL, NULL);

static void insertps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    unsigned imm = (unsigned)i->imm;
    /* SDM vol. 2 "INSERTPS": a register source gives lane imm8[7:6]; memory is one dword. */
    uint32_t v = (i->flags & INSN_MEM) ? sse_read32(c, i) : xmm(c, i->rm)->d[imm >> 6];
    xmm_reg d = *xmm(c, i->reg);
    d.d[(imm >> 4) & 3] = v;
    for (unsigned k = 0; k < 4; k++)
        if ((imm >> k) & 1)
            d.d[k] = 0;
    *xmm(c, i->reg) = d;
}
HSET_PFX(insertps, NULL, insertps, NULL, NULL);

/* ---- SSE4.1: 66 0F 3A 40/41 ib DPPS/DPPD ----
 * SDM vol. 2 "DPPS" operation: products of the lanes selected by imm8[7:4] (others +0.0),
 * summed pairwise ((p0 + p1) + (p2 + p3)) with a rounding at each step; the sum goes to the
 * lanes selected by imm8[3:0], +0.0 to the others.  The steps are separate operations for
 * the exceptions: each one's flags are recorded and an unmasked one stops the instruction
 * there (the host shows no flags of the additions once the products raised an unmasked one). */
ALWAYS_INLINE void fp_dp(struct cpu *c, const struct insn *i, enum sf_fmt f)
{
    sse_check(c);
    xmm_reg s, d = *xmm(c, i->reg), r = {0};
    sse_src128(c, i, &s, true);
    unsigned imm = (unsigned)i->imm, n = lanes(f, true);
    uint64_t p[4];
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < n; k++)
        p[k] = ((imm >> (4 + k)) & 1) ? sf_mul(&e, f, lane_get(&d, f, k), lane_get(&s, f, k)) : 0;
    sse_fp_commit(c, &e);
    uint64_t sum;
    if (n == 4) {
        e = sse_fp_env(c);
        uint64_t lo = sf_add(&e, f, p[0], p[1]), hi = sf_add(&e, f, p[2], p[3]);
        sse_fp_commit(c, &e);
        e = sse_fp_env(c);
        sum = sf_add(&e, f, lo, hi);
    } else {
        e = sse_fp_env(c);
        sum = sf_add(&e, f, p[0], p[1]);
    }
    sse_fp_commit(c, &e);
    for (unsigned k = 0; k < n; k++)
        lane_set(&r, f, k, ((imm >> k) & 1) ? sum : 0);
    *xmm(c, i->reg) = r;
}
static void dpps(struct cpu *c, const struct insn *i) { fp_dp(c, i, SF_F32); }
static void dppd(struct cpu *c, const struct insn *i) { fp_dp(c, i, SF_F64); }
HSET_PFX(dpps, NULL, dpps, NULL, NULL);
HSET_PFX(dppd, NULL, dppd, NULL, NULL);

#define P (OA_MODRM | OA_PFX | OA_386)
#define PI (OA_MODRM | OA_PFX | OA_386 | OA_IMM(IMM_8))
const struct opdef sse_fp_opdefs[] = {
    {0x0F51, -1, P, &hs_sqrt},   {0x0F52, -1, P, &hs_rsqrt}, {0x0F53, -1, P, &hs_rcp},
    {0x0F58, -1, P, &hs_add},    {0x0F59, -1, P, &hs_mul},   {0x0F5C, -1, P, &hs_sub},
    {0x0F5D, -1, P, &hs_min},    {0x0F5E, -1, P, &hs_div},   {0x0F5F, -1, P, &hs_max},
    {0x0FC2, -1, PI, &hs_cmp},   {0x0F7C, -1, P, &hs_hadd},  {0x0F7D, -1, P, &hs_hsub},
    {0x0FD0, -1, P, &hs_addsub},
    {OPC_0F3A(0x08), -1, PI, &hs_roundps}, {OPC_0F3A(0x09), -1, PI, &hs_roundpd},
    {OPC_0F3A(0x0A), -1, PI, &hs_roundss}, {OPC_0F3A(0x0B), -1, PI, &hs_roundsd},
    {OPC_0F3A(0x0C), -1, PI, &hs_blendps}, {OPC_0F3A(0x0D), -1, PI, &hs_blendpd},
    {OPC_0F3A(0x17), -1, PI, &hs_extractps}, {OPC_0F3A(0x21), -1, PI, &hs_insertps},
    {OPC_0F3A(0x40), -1, PI, &hs_dpps},    {OPC_0F3A(0x41), -1, PI, &hs_dppd},
    {OPC_0F38(0x14), -1, P, &hs_blendvps}, {OPC_0F38(0x15), -1, P, &hs_blendvpd},
    {0, 0, 0, NULL},
};
