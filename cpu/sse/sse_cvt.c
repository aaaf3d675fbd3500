/* SSE/SSE2 conversions and ordered/unordered compares into EFLAGS (SDM vol. 2):
 *   0F 2A CVTPI2PS, 66 CVTPI2PD, F3 CVTSI2SS, F2 CVTSI2SD (REX.W: 64-bit integer)
 *   0F 2C CVTTPS2PI, 66 CVTTPD2PI, F3 CVTTSS2SI, F2 CVTTSD2SI
 *   0F 2D CVTPS2PI,  66 CVTPD2PI,  F3 CVTSS2SI,  F2 CVTSD2SI
 *   0F 2E UCOMISS, 66 UCOMISD;  0F 2F COMISS, 66 COMISD
 *   0F 5A CVTPS2PD, 66 CVTPD2PS, F3 CVTSS2SD, F2 CVTSD2SS
 *   0F 5B CVTDQ2PS, 66 CVTPS2DQ, F3 CVTTPS2DQ
 *   66 0F E6 CVTTPD2DQ, F3 CVTDQ2PD, F2 CVTPD2DQ
 * The MMX forms (an mm register operand) make the x87 -> MMX transition and
 * report a pending x87 exception first (SDM vol. 2 "CVTPI2PS": "For operands
 * of the form CVTPI2PS xmm, mm, the instruction causes a transition ...");
 * with a memory source CVTPI2PS/CVTPI2PD are plain SSE instructions. */
#include "sse_fp.h"

#include "cpu/fault.h"

/* ---- 0F 2A ---- */

static uint64_t mmx_or_m64(struct cpu *c, const struct insn *i)
{
    if (i->flags & INSN_MEM)
        return sse_read64(c, i);
    mmx_check(c);
    return mmx_get(c, i->rm);
}

static void cvtpi2ps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t v = mmx_or_m64(c, i);
    xmm_reg d = *xmm(c, i->reg);
    struct sf_env e = sse_fp_env(c);
    d.d[0] = (uint32_t)sf_from_int(&e, SF_F32, (int32_t)v);
    d.d[1] = (uint32_t)sf_from_int(&e, SF_F32, (int32_t)(v >> 32));
    sse_fp_commit(c, &e);
    if (!(i->flags & INSN_MEM))
        mmx_enter(c);
    *xmm(c, i->reg) = d;
}

static void cvtpi2pd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t v = mmx_or_m64(c, i);
    struct sf_env e = sse_fp_env(c); /* exact */
    xmm_reg d = {.q = {sf_from_int(&e, SF_F64, (int32_t)v), sf_from_int(&e, SF_F64, (int32_t)(v >> 32))}};
    if (!(i->flags & INSN_MEM))
        mmx_enter(c);
    *xmm(c, i->reg) = d;
}

ALWAYS_INLINE void cvtsi2s(struct cpu *c, const struct insn *i, enum sf_fmt f)
{
    sse_check(c);
    int64_t v = sign_extend(rm_read(c, i, i->osize, (i->flags & INSN_MEM) != 0), i->osize);
    struct sf_env e = sse_fp_env(c);
    uint64_t r = sf_from_int(&e, f, v);
    sse_fp_commit(c, &e);
    if (f == SF_F32)
        xmm(c, i->reg)->d[0] = (uint32_t)r;
    else
        xmm(c, i->reg)->q[0] = r;
}
static void cvtsi2ss(struct cpu *c, const struct insn *i) { cvtsi2s(c, i, SF_F32); }
static void cvtsi2sd(struct cpu *c, const struct insn *i) { cvtsi2s(c, i, SF_F64); }
HSET_PFX(cvt_2a, cvtpi2ps, cvtpi2pd, cvtsi2ss, cvtsi2sd);

/* ---- 0F 2C, 0F 2D ---- */

ALWAYS_INLINE void cvtp2pi(struct cpu *c, const struct insn *i, enum sf_fmt f, bool trunc)
{
    sse_check(c);
    xmm_reg s;
    if (f == SF_F64)
        sse_src128(c, i, &s, true);
    else
        s.q[0] = sse_src64(c, i);
    mmx_check(c);
    struct sf_env e = sse_fp_env(c);
    uint64_t lo = sf_to_int(&e, f, f == SF_F32 ? s.d[0] : s.q[0], 32, trunc);
    uint64_t hi = sf_to_int(&e, f, f == SF_F32 ? s.d[1] : s.q[1], 32, trunc);
    sse_fp_commit(c, &e);
    mmx_set(c, i->reg, (uint32_t)lo | hi << 32);
}
static void cvttps2pi(struct cpu *c, const struct insn *i) { cvtp2pi(c, i, SF_F32, true); }
static void cvttpd2pi(struct cpu *c, const struct insn *i) { cvtp2pi(c, i, SF_F64, true); }
static void cvtps2pi(struct cpu *c, const struct insn *i) { cvtp2pi(c, i, SF_F32, false); }
static void cvtpd2pi(struct cpu *c, const struct insn *i) { cvtp2pi(c, i, SF_F64, false); }

ALWAYS_INLINE void cvts2si(struct cpu *c, const struct insn *i, enum sf_fmt f, bool trunc)
{
    sse_check(c);
    uint64_t a = f == SF_F32 ? sse_src32(c, i) : sse_src64(c, i);
    struct sf_env e = sse_fp_env(c);
    uint64_t r = sf_to_int(&e, f, a, i->osize == 8 ? 64 : 32, trunc);
    sse_fp_commit(c, &e);
    reg_set(c, i->reg, i->osize == 8 ? 8 : 4, r);
}
static void cvttss2si(struct cpu *c, const struct insn *i) { cvts2si(c, i, SF_F32, true); }
static void cvttsd2si(struct cpu *c, const struct insn *i) { cvts2si(c, i, SF_F64, true); }
static void cvtss2si(struct cpu *c, const struct insn *i) { cvts2si(c, i, SF_F32, false); }
static void cvtsd2si(struct cpu *c, const struct insn *i) { cvts2si(c, i, SF_F64, false); }
HSET_PFX(cvt_2c, cvttps2pi, cvttpd2pi, cvttss2si, cvttsd2si);
HSET_PFX(cvt_2d, cvtps2pi, cvtpd2pi, cvtss2si, cvtsd2si);

/* ---- 0F 2E, 0F 2F: (U)COMISS, (U)COMISD ---- */

/* SDM vol. 2 "COMISS": unordered ZF,PF,CF = 111; greater 000; less 001; equal 100;
 * OF, SF and AF cleared.  COMIS signals IE on QNaNs too, UCOMIS only on SNaNs. */
ALWAYS_INLINE void comis(struct cpu *c, const struct insn *i, enum sf_fmt f, bool signal)
{
    sse_check(c);
    uint64_t a = f == SF_F32 ? xmm(c, i->reg)->d[0] : xmm(c, i->reg)->q[0];
    uint64_t b = f == SF_F32 ? sse_src32(c, i) : sse_src64(c, i);
    struct sf_env e = sse_fp_env(c);
    enum sf_rel r = sf_compare(&e, f, a, b, signal);
    sse_fp_commit(c, &e);
    static const uint32_t fl[4] = {[SF_LT] = F_CF, [SF_EQ] = F_ZF, [SF_GT] = 0, [SF_UN] = F_ZF | F_PF | F_CF};
    lf_set_flags(c, fl[r]);
}
static void ucomiss(struct cpu *c, const struct insn *i) { comis(c, i, SF_F32, false); }
static void ucomisd(struct cpu *c, const struct insn *i) { comis(c, i, SF_F64, false); }
static void comiss(struct cpu *c, const struct insn *i) { comis(c, i, SF_F32, true); }
static void comisd(struct cpu *c, const struct insn *i) { comis(c, i, SF_F64, true); }
HSET_PFX(cvt_2e, ucomiss, ucomisd, NULL, NULL);
HSET_PFX(cvt_2f, comiss, comisd, NULL, NULL);

/* ---- 0F 5A ---- */

static void cvtps2pd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t s = sse_src64(c, i);
    struct sf_env e = sse_fp_env(c);
    xmm_reg d = {.q = {sf_f32_to_f64(&e, (uint32_t)s), sf_f32_to_f64(&e, (uint32_t)(s >> 32))}};
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void cvtpd2ps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    xmm_reg d = {.d = {sf_f64_to_f32(&e, s.q[0]), sf_f64_to_f32(&e, s.q[1]), 0, 0}};
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void cvtss2sd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint32_t s = sse_src32(c, i);
    struct sf_env e = sse_fp_env(c);
    uint64_t r = sf_f32_to_f64(&e, s);
    sse_fp_commit(c, &e);
    xmm(c, i->reg)->q[0] = r;
}
static void cvtsd2ss(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t s = sse_src64(c, i);
    struct sf_env e = sse_fp_env(c);
    uint32_t r = sf_f64_to_f32(&e, s);
    sse_fp_commit(c, &e);
    xmm(c, i->reg)->d[0] = r;
}
HSET_PFX(cvt_5a, cvtps2pd, cvtpd2ps, cvtss2sd, cvtsd2ss);

/* ---- 0F 5B ---- */

static void cvtdq2ps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s, d;
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < 4; k++)
        d.d[k] = (uint32_t)sf_from_int(&e, SF_F32, (int32_t)s.d[k]);
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
ALWAYS_INLINE void cvtps2dq_impl(struct cpu *c, const struct insn *i, bool trunc)
{
    sse_check(c);
    xmm_reg s, d;
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    for (unsigned k = 0; k < 4; k++)
        d.d[k] = (uint32_t)sf_to_int(&e, SF_F32, s.d[k], 32, trunc);
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void cvtps2dq(struct cpu *c, const struct insn *i) { cvtps2dq_impl(c, i, false); }
static void cvttps2dq(struct cpu *c, const struct insn *i) { cvtps2dq_impl(c, i, true); }
HSET_PFX(cvt_5b, cvtdq2ps, cvtps2dq, cvttps2dq, NULL);

/* ---- 0F E6 ---- */

ALWAYS_INLINE void cvtpd2dq_impl(struct cpu *c, const struct insn *i, bool trunc)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    struct sf_env e = sse_fp_env(c);
    xmm_reg d = {.d = {(uint32_t)sf_to_int(&e, SF_F64, s.q[0], 32, trunc), (uint32_t)sf_to_int(&e, SF_F64, s.q[1], 32, trunc),
                       0, 0}};
    sse_fp_commit(c, &e);
    *xmm(c, i->reg) = d;
}
static void cvttpd2dq(struct cpu *c, const struct insn *i) { cvtpd2dq_impl(c, i, true); }
static void cvtpd2dq(struct cpu *c, const struct insn *i) { cvtpd2dq_impl(c, i, false); }
static void cvtdq2pd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t s = sse_src64(c, i);
    struct sf_env e = sse_fp_env(c); /* exact */
    xmm_reg d = {.q = {sf_from_int(&e, SF_F64, (int32_t)s), sf_from_int(&e, SF_F64, (int32_t)(s >> 32))}};
    *xmm(c, i->reg) = d;
}
HSET_PFX(cvt_e6, NULL, cvttpd2dq, cvtdq2pd, cvtpd2dq);

#define P (OA_MODRM | OA_PFX | OA_386)
const struct opdef sse_cvt_opdefs[] = {
    {0x0F2A, -1, P, &hs_cvt_2a}, {0x0F2C, -1, P, &hs_cvt_2c}, {0x0F2D, -1, P, &hs_cvt_2d},
    {0x0F2E, -1, P, &hs_cvt_2e}, {0x0F2F, -1, P, &hs_cvt_2f}, {0x0F5A, -1, P, &hs_cvt_5a},
    {0x0F5B, -1, P, &hs_cvt_5b}, {0x0FE6, -1, P, &hs_cvt_e6},
    {0, 0, 0, NULL},
};
