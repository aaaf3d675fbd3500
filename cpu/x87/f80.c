/* Extended-precision arithmetic of the x87 FPU (see f80.h).  Every operation
 * computes the exact result (or the exact result plus a sticky bit) on a
 * 128-bit significand and rounds it once in round_core(): RC (SDM vol. 1
 * §4.8.4), PC (§8.1.5.2), masked and unmasked overflow/underflow (§4.9.1.4-5,
 * with the 2^24576 bias adjust of §8.5.4-5 for register destinations), and the
 * precision exception with C1 = rounded up (§8.5.6).  Tininess is detected
 * after rounding.  NaN operands follow SDM vol. 1 Table 4-7. */
#include "f80.h"

#define SIG_J 0x8000000000000000ull
#define SIG_QUIET 0x4000000000000000ull
#define EXP_MAX 0x7FFF
#define BIAS 16383

enum f80_class f80_classify(f80 a)
{
    unsigned exp = f80_exp(a);
    bool j = (a.sig & SIG_J) != 0;
    if (exp == 0) {
        if (a.sig == 0)
            return F80_ZERO;
        return j ? F80_PSEUDO_DENORMAL : F80_DENORMAL;
    }
    if (!j)
        return F80_UNSUPPORTED; /* unnormal, pseudo-infinity, pseudo-NaN (SDM vol. 1 §8.2.2) */
    if (exp == EXP_MAX) {
        if ((a.sig << 1) == 0)
            return F80_INF;
        return (a.sig & SIG_QUIET) ? F80_QNAN : F80_SNAN;
    }
    return F80_NORMAL;
}

static bool is_nan_class(enum f80_class k) { return k == F80_QNAN || k == F80_SNAN; }
static f80 inf80(bool sign) { return f80_make(sign, EXP_MAX, SIG_J); }
static f80 zero80(bool sign) { return f80_make(sign, 0, 0); }

/* Finite nonzero operand: normalised significand and biased exponent (below 1
 * for denormals; a pseudo-denormal counts as exponent 1, SDM vol. 1 §8.2.2). */
int32_t f80_unpack(f80 a, uint64_t *sig)
{
    int32_t exp = (int32_t)f80_exp(a);
    uint64_t m = a.sig;
    if (exp == 0) {
        exp = 1;
        int lz = __builtin_clzll(m);
        m <<= lz;
        exp -= lz;
    }
    *sig = m;
    return exp;
}

bool f80_check_denormal(struct f80_env *e, f80 a)
{
    if (f80_exp(a) == 0 && a.sig != 0) {
        e->flags |= FSW_DE;
        return !(e->masks & FSW_DE);
    }
    return false;
}

/* SDM vol. 1 Table 4-7 (x87 column). */
int f80_nan_operands(struct f80_env *e, f80 a, f80 b, f80 *out)
{
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if (ka == F80_UNSUPPORTED || kb == F80_UNSUPPORTED) {
        e->flags |= FSW_IE;
        *out = F80_INDEFINITE;
        return 1;
    }
    bool na = is_nan_class(ka), nb = is_nan_class(kb);
    if (!na && !nb)
        return 0;
    if (ka == F80_SNAN || kb == F80_SNAN)
        e->flags |= FSW_IE;
    f80 r;
    if (na && nb) {
        if (ka == F80_QNAN && kb == F80_SNAN)
            r = a;
        else if (ka == F80_SNAN && kb == F80_QNAN)
            r = b;
        else if ((a.sig << 1) != (b.sig << 1))
            r = (a.sig << 1) > (b.sig << 1) ? a : b; /* larger significand */
        else
            r = f80_sign(a) ? b : a;                 /* equal: the positive one */
    } else {
        r = na ? a : b;
    }
    r.sig |= SIG_QUIET;
    *out = r;
    return 1;
}

static int nan_operand(struct f80_env *e, f80 a, f80 *out) { return f80_nan_operands(e, a, a, out); }

static bool round_inc(u128 rem, u128 half, bool lsb, bool sign, unsigned rc)
{
    if (!rem)
        return false;
    switch (rc) {
    case RC_NEAREST: return rem > half || (rem == half && lsb);
    case RC_DOWN: return sign;
    case RC_UP: return !sign;
    default: return false;
    }
}

/* Round sig (value sig / 2^127) to prec bits; the kept bits return left-aligned
 * in 64 bits.  *carry: rounding overflowed to 2.0 (the result is then 1.0). */
static uint64_t rnd(u128 sig, unsigned prec, bool sign, unsigned rc, bool *inexact, bool *up, bool *carry)
{
    unsigned drop = 128 - prec;
    u128 rem = sig & (((u128)1 << drop) - 1);
    u128 kept = sig >> drop;
    bool inc = round_inc(rem, (u128)1 << (drop - 1), (bool)(kept & 1), sign, rc);
    *inexact = rem != 0;
    *up = inc;
    kept += inc;
    *carry = (kept >> prec) != 0;
    if (*carry)
        kept >>= 1;
    return (uint64_t)(kept << (64 - prec));
}

/* The one rounding step. sig has bit 127 set; *exp is biased in the target
 * format whose all-ones exponent is emax.  adjust != 0 (register destinations)
 * makes unmasked overflow/underflow deliver the result scaled by 2^-adjust /
 * 2^adjust; with adjust == 0 they only raise the flag (no store follows). */
static uint64_t round_core(struct f80_env *e, bool sign, int32_t *exp, u128 sig, unsigned prec, int32_t emax,
                           int32_t adjust)
{
    bool inexact, up, carry;
    uint64_t r = rnd(sig, prec, sign, e->rc, &inexact, &up, &carry);
    int32_t er = *exp + carry;
    if (er >= emax) {
        if (!(e->masks & FSW_OE) && adjust == 0) {
            e->flags |= FSW_OE; /* memory destination: nothing is stored, C1 = 0 */
            e->c1 = false;
            return r;
        }
        if (!(e->masks & FSW_OE) && er - adjust >= emax) {
            e->flags |= FSW_OE | FSW_PE; /* beyond the bias adjust: infinity whatever RC */
            e->c1 = true;
            *exp = emax;
            return SIG_J;
        }
        if (!(e->masks & FSW_OE)) {
            e->flags |= FSW_OE;
            if (inexact) {
                e->flags |= FSW_PE;
                e->c1 = up;
            }
            *exp = er - adjust;
            return r;
        }
        /* masked, or unmasked but beyond the bias adjust: infinity or the largest finite */
        e->flags |= FSW_OE | FSW_PE;
        bool to_inf = e->rc == RC_NEAREST || (e->rc == RC_UP && !sign) || (e->rc == RC_DOWN && sign);
        e->c1 = to_inf;
        if (to_inf) {
            *exp = emax;
            return SIG_J;
        }
        *exp = emax - 1;
        return ~0ull << (64 - prec);
    }
    if (er < 1) {
        if (!(e->masks & FSW_UE) && adjust == 0) {
            e->flags |= FSW_UE;
            e->c1 = false;
            return r;
        }
        if (!(e->masks & FSW_UE) && er + adjust < 1) {
            e->flags |= FSW_UE | FSW_PE; /* beyond the bias adjust: zero whatever RC */
            e->c1 = false;
            *exp = 0;
            return 0;
        }
        if (!(e->masks & FSW_UE)) {
            e->flags |= FSW_UE;
            if (inexact) {
                e->flags |= FSW_PE;
                e->c1 = up;
            }
            *exp = er + adjust;
            return r;
        }
        uint64_t d = rnd(shr_sticky(sig, 1 - *exp), prec, sign, e->rc, &inexact, &up, &carry);
        if (inexact || !(e->masks & FSW_UE)) {
            e->flags |= FSW_UE | (inexact ? FSW_PE : 0);
            e->c1 = up;
        }
        *exp = (d & SIG_J) ? 1 : 0;
        return d;
    }
    if (inexact) {
        e->flags |= FSW_PE;
        e->c1 = up;
    }
    *exp = er;
    return r;
}

/* Normalise and round to the FPU register format at e->prec. */
static f80 pack80(struct f80_env *e, bool sign, int32_t exp, u128 sig)
{
    if (!sig)
        return zero80(sign);
    int lz = clz128(sig);
    sig <<= lz;
    exp -= lz;
    uint64_t r = round_core(e, sign, &exp, sig, e->prec, EXP_MAX, 24576);
    return f80_make(sign, (unsigned)exp & EXP_MAX, r);
}

f80 f80_round(struct f80_env *e, bool sign, int32_t exp, u128 sig) { return pack80(e, sign, exp, sig); }

/* ---- add / subtract ---- */

static f80 addsub(struct f80_env *e, f80 a, f80 b, bool negb)
{
    f80 r;
    if (f80_nan_operands(e, a, b, &r))
        return r;
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (f80_env_abort(e))
        return a;
    bool sa = f80_sign(a), sb = f80_sign(b) ^ negb;
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if (ka == F80_INF || kb == F80_INF) {
        if (ka == F80_INF && kb == F80_INF && sa != sb) {
            e->flags |= FSW_IE;
            return F80_INDEFINITE;
        }
        return inf80(ka == F80_INF ? sa : sb);
    }
    if (ka == F80_ZERO && kb == F80_ZERO)
        return zero80(sa == sb ? sa : e->rc == RC_DOWN);
    uint64_t ma = 0, mb = 0;
    int32_t ea = 0, eb = 0;
    if (ka != F80_ZERO)
        ea = f80_unpack(a, &ma);
    if (kb == F80_ZERO)
        return pack80(e, sa, ea + 2, (u128)ma << 62);
    eb = f80_unpack(b, &mb);
    if (ka == F80_ZERO)
        return pack80(e, sb, eb + 2, (u128)mb << 62);
    if (ea < eb || (ea == eb && ma < mb)) {
        uint64_t tm = ma; ma = mb; mb = tm;
        int32_t te = ea; ea = eb; eb = te;
        bool ts = sa; sa = sb; sb = ts;
    }
    u128 A = (u128)ma << 62, B = shr_sticky((u128)mb << 62, ea - eb);
    u128 R = sa == sb ? A + B : A - B;
    if (!R)
        return zero80(e->rc == RC_DOWN);
    return pack80(e, sa, ea + 2, R);
}

f80 f80_add(struct f80_env *e, f80 a, f80 b) { return addsub(e, a, b, false); }
f80 f80_sub(struct f80_env *e, f80 a, f80 b) { return addsub(e, a, b, true); }

/* ---- multiply / divide / square root ---- */

f80 f80_mul(struct f80_env *e, f80 a, f80 b)
{
    f80 r;
    if (f80_nan_operands(e, a, b, &r))
        return r;
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (f80_env_abort(e))
        return a;
    bool sign = f80_sign(a) ^ f80_sign(b);
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if ((ka == F80_INF && kb == F80_ZERO) || (ka == F80_ZERO && kb == F80_INF)) {
        e->flags |= FSW_IE;
        return F80_INDEFINITE;
    }
    if (ka == F80_INF || kb == F80_INF)
        return inf80(sign);
    if (ka == F80_ZERO || kb == F80_ZERO)
        return zero80(sign);
    uint64_t ma, mb;
    int32_t ea = f80_unpack(a, &ma), eb = f80_unpack(b, &mb);
    return pack80(e, sign, ea + eb - BIAS + 1, (u128)ma * mb);
}

f80 f80_div(struct f80_env *e, f80 a, f80 b)
{
    f80 r;
    if (f80_nan_operands(e, a, b, &r))
        return r;
    bool sign = f80_sign(a) ^ f80_sign(b);
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if ((ka == F80_INF && kb == F80_INF) || (ka == F80_ZERO && kb == F80_ZERO)) {
        e->flags |= FSW_IE;
        return F80_INDEFINITE;
    }
    if (kb == F80_ZERO && ka != F80_INF) {
        e->flags |= FSW_ZE; /* a denormal dividend reports no DE here */
        return inf80(sign);
    }
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (f80_env_abort(e))
        return a;
    if (ka == F80_INF)
        return inf80(sign);
    if (kb == F80_INF)
        return zero80(sign);
    if (ka == F80_ZERO)
        return zero80(sign);
    uint64_t ma, mb;
    int32_t ea = f80_unpack(a, &ma), eb = f80_unpack(b, &mb);
    u128 n = (u128)ma << 64;
    u128 q1 = n / mb, r1 = n % mb;
    u128 n2 = r1 << 64;
    uint64_t q2 = (uint64_t)(n2 / mb);
    bool sticky = (n2 % mb) != 0;
    int32_t exp = ea - eb + BIAS - 1;
    u128 q;
    if (q1 >> 64) {
        q = (q1 << 63) | (q2 >> 1);
        sticky |= q2 & 1;
        exp++;
    } else {
        q = (q1 << 64) | q2;
    }
    return pack80(e, sign, exp, q | sticky);
}

/* floor(sqrt(n)) for n < 2^128, bit by bit; *rem = n - root^2. */
static uint64_t isqrt128(u128 n, u128 *rem)
{
    u128 root = 0, r = n;
    u128 bit = (u128)1 << 126;
    while (bit > r)
        bit >>= 2;
    while (bit) {
        if (r >= root + bit) {
            r -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    *rem = r;
    return (uint64_t)root;
}

f80 f80_sqrt(struct f80_env *e, f80 a)
{
    f80 r;
    if (nan_operand(e, a, &r))
        return r;
    enum f80_class k = f80_classify(a);
    if (k == F80_ZERO)
        return a;
    if (f80_sign(a)) {
        e->flags |= FSW_IE;
        return F80_INDEFINITE;
    }
    if (f80_check_denormal(e, a))
        return a;
    if (k == F80_INF)
        return a;
    uint64_t m;
    int32_t t = f80_unpack(a, &m) - BIAS - 63; /* value = m * 2^t */
    u128 n;
    int32_t half;
    if (t & 1) {
        n = (u128)m << 63;
        half = (t - 63) / 2;
    } else {
        n = (u128)m << 64;
        half = (t - 64) / 2;
    }
    u128 rem;
    uint64_t root = isqrt128(n, &rem);
    u128 sig = ((u128)root << 64) | (rem > root ? (u128)1 << 63 : 0) | (rem != 0);
    /* sqrt(value) = sqrt(n) * 2^half = (sig / 2^127) * 2^(63 + half) */
    return pack80(e, false, 63 + half + BIAS, sig);
}

/* ---- integer rounding, scale, extract, remainder ---- */

/* Round |a| (finite, nonzero, exponent below 2^63) to an integer by rc. */
static uint64_t round_mag(struct f80_env *e, f80 a, unsigned rc, bool *inexact, bool *up)
{
    uint64_t m;
    int32_t E = f80_unpack(a, &m) - BIAS;
    u128 t = shr_sticky((u128)m << 62, 63 - E); /* integer part at bits 62 up */
    u128 rem = t & (((u128)1 << 62) - 1);
    uint64_t kept = (uint64_t)(t >> 62);
    *inexact = rem != 0;
    *up = round_inc(rem, (u128)1 << 61, kept & 1, f80_sign(a), rc);
    return kept + *up;
}

f80 f80_round_to_int(struct f80_env *e, f80 a)
{
    f80 r;
    if (nan_operand(e, a, &r))
        return r;
    if (f80_check_denormal(e, a))
        return a;
    enum f80_class k = f80_classify(a);
    if (k == F80_ZERO || k == F80_INF)
        return a;
    uint64_t m;
    if (f80_unpack(a, &m) - BIAS >= 63)
        return a;
    bool inexact, up;
    uint64_t mag = round_mag(e, a, e->rc, &inexact, &up);
    if (inexact) {
        e->flags |= FSW_PE;
        e->c1 = up;
    }
    if (!mag)
        return zero80(f80_sign(a));
    int lz = __builtin_clzll(mag);
    return f80_make(f80_sign(a), (unsigned)(BIAS + 63 - lz), mag << lz);
}

f80 f80_scale(struct f80_env *e, f80 a, f80 b)
{
    f80 r;
    if (f80_nan_operands(e, a, b, &r))
        return r;
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (f80_env_abort(e))
        return a;
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    bool sa = f80_sign(a), sb = f80_sign(b);
    if (kb == F80_INF) {
        if ((!sb && ka == F80_ZERO) || (sb && ka == F80_INF)) {
            e->flags |= FSW_IE;
            return F80_INDEFINITE;
        }
        if (ka == F80_ZERO || ka == F80_INF)
            return a;
        return sb ? zero80(sa) : inf80(sa);
    }
    if (ka == F80_ZERO || ka == F80_INF)
        return a;
    int32_t n = 0;
    if (kb != F80_ZERO) {
        uint64_t mb;
        int32_t E = f80_unpack(b, &mb) - BIAS;
        if (E >= 20)
            n = 1 << 20; /* far past any representable result */
        else if (E >= 0)
            n = (int32_t)(mb >> (63 - E));
        n = sb ? -n : n;
    }
    uint64_t ma;
    int32_t ea = f80_unpack(a, &ma);
    struct f80_env e64 = *e;
    e64.prec = 64;
    f80 res = pack80(&e64, sa, ea + n, (u128)ma << 64);
    e->flags = e64.flags;
    e->c1 = e64.c1;
    return res;
}

void f80_extract(struct f80_env *e, f80 a, f80 *exponent, f80 *significand)
{
    f80 r;
    if (nan_operand(e, a, &r)) {
        *exponent = *significand = r;
        return;
    }
    enum f80_class k = f80_classify(a);
    if (k == F80_ZERO) {
        e->flags |= FSW_ZE;
        *exponent = inf80(true);
        *significand = a;
        return;
    }
    if (k == F80_INF) {
        *exponent = inf80(false);
        *significand = a;
        return;
    }
    f80_check_denormal(e, a);
    uint64_t m;
    int32_t ea = f80_unpack(a, &m);
    *exponent = f80_from_int(ea - BIAS);
    *significand = f80_make(f80_sign(a), BIAS, m);
}

f80 f80_rem(struct f80_env *e, f80 a, f80 b, bool ieee, unsigned *cc)
{
    f80 r;
    *cc = 0xFFFF; /* NaN or invalid: the caller keeps C0, C1, C3 */
    if (f80_nan_operands(e, a, b, &r))
        return r;
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if (ka == F80_INF || kb == F80_ZERO) {
        e->flags |= FSW_IE;
        return F80_INDEFINITE;
    }
    *cc = 0;
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (f80_env_abort(e))
        return a;
    if (ka == F80_ZERO)
        return a;
    bool sign = f80_sign(a);
    uint64_t ma, mb = 0;
    int32_t ea = f80_unpack(a, &ma), eb = kb == F80_INF ? 0 : f80_unpack(b, &mb);
    int32_t d = ea - eb;
    struct f80_env e64 = *e;
    e64.prec = 64;
    f80 res;
    if (kb == F80_INF) {
        res = pack80(&e64, sign, ea, (u128)ma << 64); /* a, normalised */
    } else if (d < 0) {
        if (!ieee || d < -1 || ma <= mb) {
            res = pack80(&e64, sign, ea, (u128)ma << 64); /* |a| < |b|/2 (or truncating): a itself */
        } else {
            res = pack80(&e64, !sign, eb - 1, ((u128)(2 * (u128)mb - ma)) << 64);
            *cc = FSW_C1; /* quotient 1 */
        }
    } else {
        /* D >= 64: a partial remainder, reducing the exponent by D - N with an
         * implementation-dependent N in 32..63 (SDM vol. 2 "FPREM"); this N is
         * the one measured on the reference host. */
        bool partial = d >= 64;
        int32_t n = partial ? 32 + (d & 31) : d;
        int32_t shift = d - n;
        u128 A = (u128)ma << n;
        uint64_t q = (uint64_t)(A / mb);
        uint64_t rm = (uint64_t)(A % mb);
        if (ieee && !partial && ((u128)rm * 2 > mb || ((u128)rm * 2 == mb && (q & 1)))) {
            q++;
            rm = mb - rm;
            sign = !sign;
        }
        if (!rm)
            res = zero80(f80_sign(a));
        else
            res = pack80(&e64, sign, eb + shift, (u128)rm << 64);
        if (partial)
            *cc = FSW_C2;
        else
            *cc = ((q & 4) ? FSW_C0 : 0) | ((q & 2) ? FSW_C3 : 0) | ((q & 1) ? FSW_C1 : 0);
    }
    e->flags = e64.flags;
    return res;
}

/* ---- comparison ---- */

enum f80_rel f80_compare(struct f80_env *e, f80 a, f80 b, bool quiet)
{
    enum f80_class ka = f80_classify(a), kb = f80_classify(b);
    if (ka == F80_UNSUPPORTED || kb == F80_UNSUPPORTED) {
        e->flags |= FSW_IE;
        return F80_UN;
    }
    if (is_nan_class(ka) || is_nan_class(kb)) {
        if (!quiet || ka == F80_SNAN || kb == F80_SNAN)
            e->flags |= FSW_IE;
        return F80_UN;
    }
    f80_check_denormal(e, a);
    f80_check_denormal(e, b);
    if (ka == F80_ZERO && kb == F80_ZERO)
        return F80_EQ;
    bool sa = f80_sign(a), sb = f80_sign(b);
    if (ka == F80_ZERO)
        return sb ? F80_GT : F80_LT;
    if (kb == F80_ZERO || sa != sb)
        return sa ? F80_LT : F80_GT;
    /* same sign, both nonzero: compare magnitudes */
    int cmp;
    if (ka == F80_INF || kb == F80_INF) {
        cmp = (ka == F80_INF) - (kb == F80_INF);
    } else {
        uint64_t ma, mb;
        int32_t ea = f80_unpack(a, &ma), eb = f80_unpack(b, &mb);
        cmp = ea != eb ? (ea > eb ? 1 : -1) : ma != mb ? (ma > mb ? 1 : -1) : 0;
    }
    if (cmp == 0)
        return F80_EQ;
    return (cmp > 0) != sa ? F80_GT : F80_LT;
}

/* ---- conversions ---- */

f80 f80_from_int(int64_t v)
{
    if (!v)
        return zero80(false);
    bool sign = v < 0;
    uint64_t m = sign ? 0 - (uint64_t)v : (uint64_t)v;
    int lz = __builtin_clzll(m);
    return f80_make(sign, (unsigned)(BIAS + 63 - lz), m << lz);
}

int64_t f80_to_int(struct f80_env *e, f80 a, unsigned bits, bool truncate)
{
    int64_t indef = -(int64_t)((uint64_t)1 << (bits - 1) >> 1) * 2; /* -2^(bits-1): the integer indefinite */
    enum f80_class k = f80_classify(a);
    if (k == F80_UNSUPPORTED || k == F80_INF || is_nan_class(k)) {
        e->flags |= FSW_IE;
        return indef;
    }
    if (k == F80_ZERO)
        return 0;
    uint64_t m;
    bool sign = f80_sign(a);
    int32_t E = f80_unpack(a, &m) - BIAS;
    uint64_t limit = ((uint64_t)1 << (bits - 1)) - !sign;
    uint64_t mag;
    bool inexact = false, up = false;
    if (E >= 64) {
        e->flags |= FSW_IE;
        return indef;
    }
    if (E == 63)
        mag = m;
    else
        mag = round_mag(e, a, truncate ? RC_ZERO : e->rc, &inexact, &up);
    if (mag > limit) {
        e->flags |= FSW_IE;
        return indef;
    }
    if (inexact) {
        e->flags |= FSW_PE;
        e->c1 = up;
    }
    return sign ? (int64_t)(0 - mag) : (int64_t)mag;
}

static f80 from_ieee(struct f80_env *e, bool sign, uint32_t exp, uint64_t frac, unsigned fbits, uint32_t emax,
                     int32_t bias, bool keep_snan)
{
    if (exp == emax) {
        if (!frac)
            return inf80(sign);
        f80 r = f80_make(sign, EXP_MAX, SIG_J | (frac << (63 - fbits)));
        if (!(r.sig & SIG_QUIET) && !keep_snan) {
            e->flags |= FSW_IE;
            r.sig |= SIG_QUIET;
        }
        return r;
    }
    if (exp == 0) {
        if (!frac)
            return zero80(sign);
        e->flags |= FSW_DE;
        uint64_t m = frac << (63 - fbits);
        int lz = __builtin_clzll(m);
        return f80_make(sign, (unsigned)(1 - bias + BIAS - lz), m << lz);
    }
    return f80_make(sign, (unsigned)((int32_t)exp - bias + BIAS), SIG_J | (frac << (63 - fbits)));
}

f80 f80_from_f32(struct f80_env *e, uint32_t v, bool keep_snan)
{
    return from_ieee(e, v >> 31, (v >> 23) & 0xFF, v & 0x7FFFFF, 23, 0xFF, 127, keep_snan);
}
f80 f80_from_f64(struct f80_env *e, uint64_t v, bool keep_snan)
{
    return from_ieee(e, v >> 63, (uint32_t)(v >> 52) & 0x7FF, v & 0xFFFFFFFFFFFFFull, 52, 0x7FF, 1023, keep_snan);
}

/* Round a to an IEEE format of fbits fraction bits: returns sign, biased exponent, fraction. */
static uint64_t to_ieee(struct f80_env *e, f80 a, unsigned fbits, int32_t emax, int32_t bias)
{
    bool sign = f80_sign(a);
    uint64_t s = (uint64_t)sign << (fbits + (fbits == 23 ? 8 : 11));
    uint64_t frac_mask = ((uint64_t)1 << fbits) - 1;
    enum f80_class k = f80_classify(a);
    if (k == F80_UNSUPPORTED) {
        e->flags |= FSW_IE;
        return ((uint64_t)1 << (fbits + (fbits == 23 ? 8 : 11))) | ((uint64_t)emax << fbits) | ((uint64_t)1 << (fbits - 1));
    }
    if (is_nan_class(k)) {
        if (k == F80_SNAN)
            e->flags |= FSW_IE;
        return s | ((uint64_t)emax << fbits) | ((uint64_t)1 << (fbits - 1)) | ((a.sig >> (63 - fbits)) & frac_mask);
    }
    if (k == F80_INF)
        return s | ((uint64_t)emax << fbits);
    if (k == F80_ZERO)
        return s;
    /* a denormal source reports no DE on stores (as the hardware does) */
    uint64_t m;
    int32_t exp = f80_unpack(a, &m) - BIAS + bias;
    uint64_t r = round_core(e, sign, &exp, (u128)m << 64, fbits + 1, emax, 0);
    return s | ((uint64_t)(uint32_t)exp << fbits) | ((r >> (63 - fbits)) & frac_mask);
}

uint32_t f80_to_f32(struct f80_env *e, f80 a) { return (uint32_t)to_ieee(e, a, 23, 0xFF, 127); }
uint64_t f80_to_f64(struct f80_env *e, f80 a) { return to_ieee(e, a, 52, 0x7FF, 1023); }

f80 f80_from_bcd(const uint8_t bcd[10])
{
    uint64_t v = 0;
    for (int k = 8; k >= 0; k--)
        v = v * 100 + (uint64_t)(bcd[k] >> 4) * 10 + (bcd[k] & 15);
    f80 r = f80_from_int((int64_t)v);
    if (bcd[9] & 0x80)
        r = f80_neg(r);
    return r;
}

void f80_to_bcd(struct f80_env *e, f80 a, uint8_t bcd[10])
{
    static const uint64_t max = 999999999999999999ull;
    enum f80_class k = f80_classify(a);
    bool sign = f80_sign(a);
    uint64_t mag = 0;
    bool bad = k == F80_UNSUPPORTED || k == F80_INF || is_nan_class(k);
    if (!bad && k != F80_ZERO) {
        uint64_t m;
        if (f80_unpack(a, &m) - BIAS >= 63) {
            bad = true;
        } else {
            bool inexact, up;
            mag = round_mag(e, a, e->rc, &inexact, &up);
            if (mag > max) {
                bad = true;
            } else if (inexact) {
                e->flags |= FSW_PE;
                e->c1 = up;
            }
        }
    }
    if (bad) {
        /* packed BCD indefinite (SDM vol. 1 Table 4-4) */
        e->flags |= FSW_IE;
        for (int i = 0; i < 7; i++)
            bcd[i] = 0;
        bcd[7] = 0xC0;
        bcd[8] = bcd[9] = 0xFF;
        return;
    }
    for (int i = 0; i < 9; i++) {
        unsigned lo = (unsigned)(mag % 10);
        mag /= 10;
        unsigned hi = (unsigned)(mag % 10);
        mag /= 10;
        bcd[i] = (uint8_t)(hi << 4 | lo);
    }
    bcd[9] = sign ? 0x80 : 0;
}
