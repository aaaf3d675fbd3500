/* Binary32/binary64 soft-float for SSE (see softfloat.h).
 *
 * Finite nonzero values are unpacked to a sign, an unbiased exponent e and a
 * 64-bit significand m with its leading one at bit 63 (value m / 2^63 * 2^e;
 * denormals are normalised, so e may lie below the format's minimum).  Each
 * operation forms its exact result as a 128-bit significand (plus a sticky bit
 * where the exact value has more bits) and round_pack() rounds it once. */
#include "softfloat.h"

#include "cpu/u128.h"

struct fmt {
    unsigned width; /* 32 or 64 */
    unsigned mbits; /* fraction bits: 23 or 52 */
    int32_t bias;   /* 127 or 1023; emin = 1 - bias, emax = bias */
    uint32_t emaxf; /* all-ones exponent field */
};
static const struct fmt fmts[2] = {{32, 23, 127, 0xFF}, {64, 52, 1023, 0x7FF}};

enum cls { C_ZERO, C_FIN, C_INF, C_QNAN, C_SNAN };
struct unp {
    enum cls k;
    bool s;
    bool den;  /* a denormal operand (DAZ = 0) */
    int32_t e;
    uint64_t m;
};

static unsigned rc_of(const struct sf_env *env) { return (env->mxcsr >> SF_RC_SHIFT) & 3; }
static bool masked(const struct sf_env *env, uint32_t flag) { return (env->mxcsr >> SF_MASK_SHIFT) & flag; }
static uint64_t fracmask(const struct fmt *f) { return (1ull << f->mbits) - 1; }
static uint64_t sign_bit(const struct fmt *f) { return 1ull << (f->width - 1); }
static uint64_t quiet_bit(const struct fmt *f) { return 1ull << (f->mbits - 1); }
static uint64_t inf_bits(const struct fmt *f, bool s) { return (s ? sign_bit(f) : 0) | ((uint64_t)f->emaxf << f->mbits); }
static uint64_t zero_bits(const struct fmt *f, bool s) { return s ? sign_bit(f) : 0; }
static uint64_t indefinite(const struct fmt *f) { return f->width == 32 ? SF32_INDEFINITE : SF64_INDEFINITE; }
static uint64_t maxfin_bits(const struct fmt *f, bool s) { return inf_bits(f, s) - 1; }

static struct unp unpack(const struct sf_env *env, const struct fmt *f, uint64_t x)
{
    struct unp u = {.s = (x >> (f->width - 1)) & 1};
    uint32_t ef = (uint32_t)(x >> f->mbits) & f->emaxf;
    uint64_t fr = x & fracmask(f);
    if (ef == f->emaxf) {
        u.k = fr == 0 ? C_INF : (fr & quiet_bit(f)) ? C_QNAN : C_SNAN;
    } else if (ef == 0) {
        if (fr == 0 || (env->mxcsr & SF_DAZ)) {
            u.k = C_ZERO; /* DAZ: a denormal reads as a zero of the same sign (SDM vol. 1 §10.2.3.4) */
        } else {
            int lz = __builtin_clzll(fr);
            u.k = C_FIN;
            u.den = true;
            u.m = fr << lz;
            u.e = 63 - lz + 1 - f->bias - (int32_t)f->mbits;
        }
    } else {
        u.k = C_FIN;
        u.m = (fr | (1ull << f->mbits)) << (63 - f->mbits);
        u.e = (int32_t)ef - f->bias;
    }
    return u;
}

static bool is_nan(const struct unp *u) { return u->k == C_QNAN || u->k == C_SNAN; }

/* SDM vol. 1 Table 4-7 (SSE): the first source if it is a NaN, else the second; quieted. */
static uint64_t propagate_nan(struct sf_env *env, const struct fmt *f, uint64_t a, const struct unp *ua, uint64_t b,
                              const struct unp *ub)
{
    if (ua->k == C_SNAN || ub->k == C_SNAN)
        env->flags |= SF_IE;
    return (is_nan(ua) ? a : b) | quiet_bit(f);
}

/* Round t, whose two low bits are a round bit and a sticky bit below the kept
 * bits; returns the kept bits rounded (they may carry into a new top bit). */
static u128 round_g(u128 t, bool sign, unsigned rc, bool *inexact)
{
    unsigned g = (unsigned)(t & 3);
    u128 kept = t >> 2;
    *inexact = g != 0;
    bool inc;
    switch (rc) {
    case SF_RN: inc = g > 2 || (g == 2 && (kept & 1)); break;
    case SF_RD: inc = g && sign; break;
    case SF_RU: inc = g && !sign; break;
    default: inc = false; break;
    }
    return kept + inc;
}

/* The one rounding step: the value sig / 2^127 * 2^e (sig != 0, any normalisation). */
static uint64_t round_pack(struct sf_env *env, const struct fmt *f, bool s, int32_t e, u128 sig)
{
    if (!sig)
        return zero_bits(f, s);
    int lz = clz128(sig);
    sig <<= lz;
    e -= lz;
    unsigned p = f->mbits + 1, rc = rc_of(env);
    int32_t emin = 1 - f->bias, emax = f->bias;
    bool inexact;
    u128 kept = round_g(shr_sticky(sig, (int32_t)(128 - p - 2)), s, rc, &inexact);
    int32_t er = e;
    if (kept >> p) {
        kept >>= 1;
        er++;
    }
    if (er > emax) {
        /* SDM vol. 1 §4.9.1.4, Table 4-10 */
        if (!masked(env, SF_OE)) {
            env->flags |= SF_OE | (inexact ? SF_PE : 0);
            return inf_bits(f, s);
        }
        env->flags |= SF_OE | SF_PE;
        bool to_inf = rc == SF_RN || (rc == SF_RU && !s) || (rc == SF_RD && s);
        return to_inf ? inf_bits(f, s) : maxfin_bits(f, s);
    }
    if (er < emin) {
        /* Tiny after rounding (SDM vol. 1 §4.9.1.5). */
        if (!masked(env, SF_UE)) {
            env->flags |= SF_UE | (inexact ? SF_PE : 0);
            return zero_bits(f, s);
        }
        if (env->mxcsr & SF_FZ) {
            env->flags |= SF_UE | SF_PE; /* SDM vol. 1 §10.2.3.3 */
            return zero_bits(f, s);
        }
        /* Denormal result: the grid is 2^(emin - mbits); keep e - emin + p bits. */
        int32_t keep = e - emin + (int32_t)p;
        bool inex2;
        u128 d = round_g(shr_sticky(sig, 128 - keep - 2), s, rc, &inex2);
        if (inex2)
            env->flags |= SF_UE | SF_PE; /* masked underflow needs tiny and inexact */
        return zero_bits(f, s) | (uint64_t)d; /* a carry into bit mbits makes the smallest normal */
    }
    if (inexact)
        env->flags |= SF_PE;
    return zero_bits(f, s) | ((uint64_t)(er + f->bias) << f->mbits) | ((uint64_t)kept & fracmask(f));
}

/* ---- arithmetic ---- */

static uint64_t addsub(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b, bool sub)
{
    const struct fmt *f = &fmts[ff];
    struct unp ua = unpack(env, f, a), ub = unpack(env, f, b);
    if (is_nan(&ua) || is_nan(&ub))
        return propagate_nan(env, f, a, &ua, b, &ub);
    bool sa = ua.s, sb = ub.s ^ sub;
    if (ua.k == C_INF && ub.k == C_INF && sa != sb) {
        env->flags |= SF_IE;
        return indefinite(f);
    }
    if (ua.den || ub.den)
        env->flags |= SF_DE;
    if (ua.k == C_INF)
        return inf_bits(f, sa);
    if (ub.k == C_INF)
        return inf_bits(f, sb);
    if (ua.k == C_ZERO && ub.k == C_ZERO) /* IEEE 754 §6.3: -0 only when both are -0, or in RD */
        return zero_bits(f, sa == sb ? sa : rc_of(env) == SF_RD);
    if (ua.k == C_ZERO)
        return round_pack(env, f, sb, ub.e, (u128)ub.m << 64);
    if (ub.k == C_ZERO)
        return round_pack(env, f, sa, ua.e, (u128)ua.m << 64);
    if (ua.e < ub.e || (ua.e == ub.e && ua.m < ub.m)) {
        struct unp t = ua;
        ua = ub;
        ub = t;
        bool ts = sa;
        sa = sb;
        sb = ts;
    }
    u128 ma = (u128)ua.m << 63, mb = shr_sticky((u128)ub.m << 63, ua.e - ub.e);
    u128 r = sa == sb ? ma + mb : ma - mb;
    if (!r)
        return zero_bits(f, rc_of(env) == SF_RD);
    return round_pack(env, f, sa, ua.e + 1, r);
}

uint64_t sf_add(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b) { return addsub(e, f, a, b, false); }
uint64_t sf_sub(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b) { return addsub(e, f, a, b, true); }

uint64_t sf_mul(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b)
{
    const struct fmt *f = &fmts[ff];
    struct unp ua = unpack(env, f, a), ub = unpack(env, f, b);
    if (is_nan(&ua) || is_nan(&ub))
        return propagate_nan(env, f, a, &ua, b, &ub);
    bool s = ua.s ^ ub.s;
    if ((ua.k == C_INF && ub.k == C_ZERO) || (ua.k == C_ZERO && ub.k == C_INF)) {
        env->flags |= SF_IE;
        return indefinite(f);
    }
    if (ua.den || ub.den)
        env->flags |= SF_DE;
    if (ua.k == C_INF || ub.k == C_INF)
        return inf_bits(f, s);
    if (ua.k == C_ZERO || ub.k == C_ZERO)
        return zero_bits(f, s);
    return round_pack(env, f, s, ua.e + ub.e + 1, (u128)ua.m * ub.m);
}

uint64_t sf_div(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b)
{
    const struct fmt *f = &fmts[ff];
    struct unp ua = unpack(env, f, a), ub = unpack(env, f, b);
    if (is_nan(&ua) || is_nan(&ub))
        return propagate_nan(env, f, a, &ua, b, &ub);
    bool s = ua.s ^ ub.s;
    if ((ua.k == C_INF && ub.k == C_INF) || (ua.k == C_ZERO && ub.k == C_ZERO)) {
        env->flags |= SF_IE;
        return indefinite(f);
    }
    if (ub.k == C_ZERO && ua.k == C_FIN) {
        env->flags |= SF_ZE; /* takes priority over DE (SDM vol. 1 §11.5.2) */
        return inf_bits(f, s);
    }
    if (ua.den || ub.den)
        env->flags |= SF_DE;
    if (ua.k == C_INF || ub.k == C_ZERO)
        return inf_bits(f, s);
    if (ua.k == C_ZERO || ub.k == C_INF)
        return zero_bits(f, s);
    u128 num = (u128)ua.m << 64;
    u128 q = num / ub.m;
    bool sticky = (num % ub.m) != 0;
    /* value = q / 2^64 * 2^(ea - eb) */
    return round_pack(env, f, s, ua.e - ub.e + 63, q | sticky);
}

/* floor(sqrt(x)) and whether the remainder is nonzero (restoring, bit by bit). */
static uint64_t isqrt128(u128 x, bool *rem)
{
    u128 res = 0, bit = (u128)1 << 126;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= res + bit) {
            x -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *rem = x != 0;
    return (uint64_t)res;
}

uint64_t sf_sqrt(struct sf_env *env, enum sf_fmt ff, uint64_t a)
{
    const struct fmt *f = &fmts[ff];
    struct unp ua = unpack(env, f, a);
    if (is_nan(&ua))
        return propagate_nan(env, f, a, &ua, a, &ua);
    if (ua.s && ua.k != C_ZERO) {
        env->flags |= SF_IE;
        return indefinite(f);
    }
    if (ua.den)
        env->flags |= SF_DE;
    if (ua.k != C_FIN)
        return a & ~(ua.k == C_ZERO && (env->mxcsr & SF_DAZ) ? fracmask(f) : 0); /* +-0 (DAZ: of a denormal), +inf */
    /* value m/2^63 * 2^e; make the exponent even: X / 2^126 * 2^(2k) */
    int32_t k = ua.e >> 1; /* floor */
    u128 x = (u128)ua.m << ((ua.e & 1) ? 64 : 63);
    bool rem;
    uint64_t r = isqrt128(x, &rem); /* sqrt = r / 2^63 * 2^k */
    return round_pack(env, f, false, k, ((u128)r << 64) | rem);
}

/* ---- comparisons, min/max ---- */

enum sf_rel sf_compare(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b, bool signal_qnan)
{
    const struct fmt *f = &fmts[ff];
    struct unp ua = unpack(env, f, a), ub = unpack(env, f, b);
    if (is_nan(&ua) || is_nan(&ub)) {
        if (signal_qnan || ua.k == C_SNAN || ub.k == C_SNAN)
            env->flags |= SF_IE;
        return SF_UN;
    }
    if (ua.den || ub.den)
        env->flags |= SF_DE;
    if (ua.k == C_ZERO && ub.k == C_ZERO)
        return SF_EQ;
    /* Order the values through a sign-magnitude key (zeros handled above; DAZ zeros have key 0). */
    int64_t ka, kb;
    {
        uint64_t ma = ua.k == C_ZERO ? 0 : a & ~sign_bit(f), mb = ub.k == C_ZERO ? 0 : b & ~sign_bit(f);
        ka = ua.s ? -(int64_t)ma : (int64_t)ma;
        kb = ub.s ? -(int64_t)mb : (int64_t)mb;
    }
    return ka < kb ? SF_LT : ka > kb ? SF_GT : SF_EQ;
}

static uint64_t daz_value(const struct sf_env *env, const struct fmt *f, uint64_t x)
{
    struct unp u = unpack(env, f, x);
    return u.k == C_ZERO ? zero_bits(f, u.s) : x;
}

uint64_t sf_min(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b)
{
    const struct fmt *f = &fmts[ff];
    enum sf_rel r = sf_compare(env, ff, a, b, true);
    return r == SF_LT ? daz_value(env, f, a) : daz_value(env, f, b);
}

uint64_t sf_max(struct sf_env *env, enum sf_fmt ff, uint64_t a, uint64_t b)
{
    const struct fmt *f = &fmts[ff];
    enum sf_rel r = sf_compare(env, ff, a, b, true);
    return r == SF_GT ? daz_value(env, f, a) : daz_value(env, f, b);
}

/* ---- conversions ---- */

uint64_t sf_f32_to_f64(struct sf_env *env, uint32_t a)
{
    const struct fmt *f = &fmts[SF_F32], *d = &fmts[SF_F64];
    struct unp u = unpack(env, f, a);
    switch (u.k) {
    case C_SNAN: env->flags |= SF_IE; /* fall through */
    case C_QNAN: return zero_bits(d, u.s) | ((uint64_t)d->emaxf << 52) | ((uint64_t)(a & fracmask(f)) << 29) | quiet_bit(d);
    case C_INF: return inf_bits(d, u.s);
    case C_ZERO: return zero_bits(d, u.s);
    default: break;
    }
    if (u.den)
        env->flags |= SF_DE;
    return round_pack(env, d, u.s, u.e, (u128)u.m << 64);
}

uint32_t sf_f64_to_f32(struct sf_env *env, uint64_t a)
{
    const struct fmt *f = &fmts[SF_F32], *d = &fmts[SF_F64];
    struct unp u = unpack(env, d, a);
    switch (u.k) {
    case C_SNAN: env->flags |= SF_IE; /* fall through */
    case C_QNAN: return (uint32_t)(zero_bits(f, u.s) | ((uint64_t)f->emaxf << 23) | ((a & fracmask(d)) >> 29) | quiet_bit(f));
    case C_INF: return (uint32_t)inf_bits(f, u.s);
    case C_ZERO: return (uint32_t)zero_bits(f, u.s);
    default: break;
    }
    if (u.den)
        env->flags |= SF_DE;
    return (uint32_t)round_pack(env, f, u.s, u.e, (u128)u.m << 64);
}

uint64_t sf_from_int(struct sf_env *env, enum sf_fmt ff, int64_t v)
{
    const struct fmt *f = &fmts[ff];
    bool s = v < 0;
    uint64_t mag = s ? 0 - (uint64_t)v : (uint64_t)v;
    if (!mag)
        return 0;
    return round_pack(env, f, s, 63, (u128)mag << 64);
}

/* The integer nearest by rc to a finite value m/2^63 * 2^e, e <= 63; *inexact. */
static uint64_t to_integer(const struct unp *u, unsigned rc, bool *inexact)
{
    if (u->k == C_ZERO) {
        *inexact = false;
        return 0;
    }
    u128 t = shr_sticky((u128)u->m << 64, 125 - u->e); /* integer part above two guard bits */
    return (uint64_t)round_g(t, u->s, rc, inexact);   /* <= 2^64 - 1 for e <= 63 except a carry, see callers */
}

uint64_t sf_to_int(struct sf_env *env, enum sf_fmt ff, uint64_t a, unsigned bits, bool truncate)
{
    const struct fmt *f = &fmts[ff];
    struct unp u = unpack(env, f, a);
    uint64_t indef = 1ull << (bits - 1);
    /* SDM vol. 2 "CVTSS2SI": NaN, infinity and results out of range are invalid and
     * return the integer indefinite; no PE is raised then. */
    if (u.k != C_ZERO && u.k != C_FIN) {
        env->flags |= SF_IE;
        return indef;
    }
    if (u.k == C_FIN && u.e >= (int32_t)bits) {
        env->flags |= SF_IE;
        return indef;
    }
    bool inexact;
    u128 t = u.k == C_ZERO ? 0 : shr_sticky((u128)u.m << 64, 125 - u.e);
    u128 k = u.k == C_ZERO ? 0 : round_g(t, u.s, truncate ? SF_RZ : rc_of(env), &inexact);
    if (u.k == C_ZERO)
        inexact = false;
    if (k > (u128)indef - (u.s ? 0 : 1)) {
        env->flags |= SF_IE;
        return indef;
    }
    if (inexact)
        env->flags |= SF_PE;
    uint64_t r = u.s ? 0 - (uint64_t)k : (uint64_t)k;
    return bits == 32 ? (uint32_t)r : r;
}

uint64_t sf_round_int(struct sf_env *env, enum sf_fmt ff, uint64_t a, unsigned rc, bool no_pe)
{
    const struct fmt *f = &fmts[ff];
    struct unp u = unpack(env, f, a);
    if (is_nan(&u))
        return propagate_nan(env, f, a, &u, a, &u);
    if (u.k == C_INF)
        return a;
    if (u.k == C_ZERO)
        return zero_bits(f, u.s);
    if (u.e >= (int32_t)f->mbits)
        return a; /* already integral */
    bool inexact;
    uint64_t k = to_integer(&u, rc, &inexact);
    if (inexact && !no_pe)
        env->flags |= SF_PE;
    if (!k)
        return zero_bits(f, u.s);
    struct sf_env exact = {.mxcsr = env->mxcsr | (0x3Fu << SF_MASK_SHIFT)};
    return round_pack(&exact, f, u.s, 63, (u128)k << 64);
}

/* ---- RCPPS / RSQRTPS ----
 * The SDM (vol. 2 "RCPPS", "RSQRTPS") only bounds the relative error by
 * 1.5 * 2^-12; processors differ in the bits.  We return the round-to-nearest
 * binary32 value (RCP: 1/a; RSQRT: 1/sqrt(a), two roundings) truncated to 12
 * fraction bits: relative error below 2^-12 + 2^-23.  Special cases as the SDM gives them:
 * denormal operands count as zeros (whatever DAZ), tiny results flush to zero,
 * no exceptions are ever raised. */

uint32_t sf_rcp32(uint32_t a)
{
    uint32_t sign = a & 0x80000000u, ef = (a >> 23) & 0xFF;
    if (ef == 0xFF)
        return (a & 0x7FFFFF) ? a | 0x400000u : sign; /* NaN quieted; 1/inf = 0 */
    if (ef == 0)
        return sign | 0x7F800000u; /* zero or denormal: infinity */
    struct sf_env env = {.mxcsr = 0x1F80 | SF_FZ};
    uint32_t r = (uint32_t)sf_div(&env, SF_F32, 0x3F800000u, a);
    if (((r >> 23) & 0xFF) == 0)
        return sign; /* tiny: flushed */
    return r & ~0x7FFu;
}

uint32_t sf_rsqrt32(uint32_t a)
{
    uint32_t sign = a & 0x80000000u, ef = (a >> 23) & 0xFF;
    if (ef == 0xFF && (a & 0x7FFFFF))
        return a | 0x400000u;
    if (ef == 0)
        return sign | 0x7F800000u; /* +-0 and denormals: infinity of the operand's sign */
    if (sign)
        return SF32_INDEFINITE;
    if (ef == 0xFF)
        return 0;
    struct sf_env env = {.mxcsr = 0x1F80};
    uint32_t s = (uint32_t)sf_sqrt(&env, SF_F32, a);
    uint32_t r = (uint32_t)sf_div(&env, SF_F32, 0x3F800000u, s);
    return r & ~0x7FFu;
}
