/* x87 transcendental instructions: F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS,
 * FSINCOS, FPTAN (SDM vol. 2 instruction pages, with their special-value
 * tables; accuracy in SDM vol. 1 §8.3.10).  Values are computed with a
 * 128-bit significand software float (struct xf, ~125 good bits) by series
 * expansions, then rounded once to 64 bits by RC.  FSIN/FCOS/FSINCOS/FPTAN
 * reduce the argument by the 66-bit approximation of pi that the x87 uses
 * internally (SDM vol. 1 §8.3.8), so results near multiples of pi/2 match the
 * hardware rather than the true function. */
#include "x87_internal.h"

#define BIAS 16383

struct xf {
    bool s;
    int32_t e; /* value = m / 2^127 * 2^e */
    u128 m;    /* bit 127 set, or 0 for zero */
};

static struct xf xf_make(bool s, int32_t e, u128 m)
{
    if (!m)
        return (struct xf){s, 0, 0};
    int lz = clz128(m);
    return (struct xf){s, e - lz, m << lz};
}

static struct xf xf_from_f80(f80 a)
{
    uint64_t m;
    int32_t e = f80_unpack(a, &m);
    return (struct xf){f80_sign(a), e - BIAS, (u128)m << 64};
}

static struct xf xf_from_int(int64_t v)
{
    bool s = v < 0;
    uint64_t m = s ? 0 - (uint64_t)v : (uint64_t)v;
    return xf_make(s, 127, m);
}

static struct xf xf_neg(struct xf a)
{
    a.s = !a.s;
    return a;
}

static u128 mul_hi(u128 a, u128 b)
{
    uint64_t ah = (uint64_t)(a >> 64), al = (uint64_t)a, bh = (uint64_t)(b >> 64), bl = (uint64_t)b;
    u128 hh = (u128)ah * bh, hl = (u128)ah * bl, lh = (u128)al * bh, ll = (u128)al * bl;
    u128 mid = (ll >> 64) + (uint64_t)hl + (uint64_t)lh;
    return hh + (hl >> 64) + (lh >> 64) + (mid >> 64);
}

static struct xf xf_mul(struct xf a, struct xf b)
{
    if (!a.m || !b.m)
        return (struct xf){a.s != b.s, 0, 0};
    return xf_make(a.s != b.s, a.e + b.e + 1, mul_hi(a.m, b.m));
}

static struct xf xf_add(struct xf a, struct xf b)
{
    if (!b.m)
        return a;
    if (!a.m)
        return b;
    if (a.e < b.e || (a.e == b.e && a.m < b.m)) {
        struct xf t = a;
        a = b;
        b = t;
    }
    int32_t d = a.e - b.e;
    /* bits shifted out stay as a sticky bit, so that a - tiny stays below a */
    u128 bm = d >= 128 ? 1 : d == 0 ? b.m : (b.m >> d) | ((b.m << (128 - d)) != 0);
    if (a.s == b.s) {
        u128 s = a.m + bm;
        if (s < a.m)
            return (struct xf){a.s, a.e + 1, (s >> 1) | ((u128)1 << 127)};
        return (struct xf){a.s, a.e, s};
    }
    return xf_make(a.s, a.e, a.m - bm);
}

static struct xf xf_sub(struct xf a, struct xf b) { return xf_add(a, xf_neg(b)); }

static struct xf xf_div(struct xf a, struct xf b)
{
    if (!a.m)
        return (struct xf){a.s != b.s, 0, 0};
    u128 A = a.m >> 1, B = b.m >> 1, q = 0;
    for (int k = 0; k < 128; k++) {
        q <<= 1;
        if (A >= B) {
            A -= B;
            q |= 1;
        }
        A <<= 1;
    }
    return xf_make(a.s != b.s, a.e - b.e, q | (A != 0));
}

static struct xf xf_div_int(struct xf a, int64_t k) { return xf_div(a, xf_from_int(k)); }

static struct xf xf_sqrt(struct xf a)
{
    if (!a.m)
        return a;
    /* Newton steps y = (y + a/y) / 2 from y0 = m * 2^(e/2), within a factor sqrt(2) */
    int32_t e = a.e;
    u128 m = a.m;
    if (e & 1) {
        m >>= 1;
        e++;
    }
    struct xf y = xf_make(false, e / 2, m);
    for (int k = 0; k < 8; k++) {
        y = xf_add(y, xf_div(a, y));
        y.e -= 1;
    }
    return y;
}

static bool xf_small(struct xf term, struct xf sum) { return !term.m || term.e < sum.e - 130; }

/* Constants, 128 bits. */
static struct xf xf_ln2(void) { return (struct xf){false, -1, ((u128)0xB17217F7D1CF79ABull << 64) | 0xC9E3B39803F2F6AFull}; }
/* pi as the x87 holds it internally: 66 bits (SDM vol. 1 §8.3.8); FPATAN's quadrant
 * corrections with it match the hardware far more often than with the true pi. */
static struct xf xf_pi66(void)
{
    return (struct xf){false, 1, ((u128)0xC90FDAA22168C234ull << 64) | 0xC000000000000000ull};
}

/* Round to the 80-bit format by RC; the value is never exact, so a sticky bit is added. */
static f80 xf_round(struct f80_env *e, struct xf a, bool exact)
{
    if (!a.m)
        return f80_make(a.s, 0, 0);
    struct f80_env e64 = *e;
    e64.prec = 64;
    f80 r = f80_round(&e64, a.s, a.e + BIAS, exact ? a.m : (a.m | 1));
    e->flags = e64.flags;
    e->c1 = e64.c1;
    return r;
}

/* e^t - 1 */
static struct xf xf_expm1(struct xf t)
{
    struct xf sum = t, term = t;
    for (int k = 2; k < 60; k++) {
        term = xf_div_int(xf_mul(term, t), k);
        sum = xf_add(sum, term);
        if (xf_small(term, sum))
            break;
    }
    return sum;
}

/* 2 * atanh(u) = ln((1 + u) / (1 - u)) */
static struct xf xf_atanh2(struct xf u)
{
    struct xf u2 = xf_mul(u, u), p = u, sum = u;
    for (int k = 3; k < 400; k += 2) {
        p = xf_mul(p, u2);
        struct xf term = xf_div_int(p, k);
        sum = xf_add(sum, term);
        if (xf_small(term, sum))
            break;
    }
    sum.e += 1;
    return sum;
}

/* log2(x) for finite x > 0 */
static struct xf xf_log2(struct xf x)
{
    /* x = m * 2^E with m in [1/sqrt2, sqrt2) */
    int32_t E = x.e;
    struct xf m = {false, 0, x.m};
    static const u128 sqrt2 = ((u128)0xB504F333F9DE6484ull << 64) | 0x597D89B3754ABE9Full; /* sqrt(2) / 2^0.5 */
    if (m.m > sqrt2) {
        m.e = -1;
        E++;
    }
    struct xf one = xf_from_int(1);
    struct xf u = xf_div(xf_sub(m, one), xf_add(m, one));
    struct xf l = xf_div(xf_atanh2(u), xf_ln2());
    return xf_add(xf_from_int(E), l);
}

/* atan(r) for 0 <= r <= 1: halve the argument three times, then the series. */
static struct xf xf_atan(struct xf r)
{
    struct xf one = xf_from_int(1);
    int halvings = 0;
    while (r.m && r.e > -5 && halvings < 6) {
        r = xf_div(r, xf_add(one, xf_sqrt(xf_add(one, xf_mul(r, r)))));
        halvings++;
    }
    struct xf r2 = xf_mul(r, r), p = r, sum = r;
    for (int k = 3; k < 400; k += 2) {
        p = xf_neg(xf_mul(p, r2));
        struct xf term = xf_div_int(p, k);
        sum = xf_add(sum, term);
        if (xf_small(term, sum))
            break;
    }
    sum.e += halvings;
    return sum;
}

static void xf_sincos(struct xf r, struct xf *s, struct xf *c)
{
    struct xf r2 = xf_mul(r, r);
    struct xf term = r, sum = r;
    for (int k = 1; k < 60; k++) {
        term = xf_neg(xf_div_int(xf_mul(term, r2), (int64_t)(2 * k) * (2 * k + 1)));
        sum = xf_add(sum, term);
        if (xf_small(term, sum))
            break;
    }
    *s = sum;
    struct xf one = xf_from_int(1);
    term = one;
    sum = one;
    for (int k = 1; k < 60; k++) {
        term = xf_neg(xf_div_int(xf_mul(term, r2), (int64_t)(2 * k - 1) * (2 * k)));
        sum = xf_add(sum, term);
        if (xf_small(term, sum))
            break;
    }
    *c = sum;
}

static f80 inf80(bool s) { return f80_make(s, 0x7FFF, 0x8000000000000000ull); }

/* ---- F2XM1: 2^x - 1 ---- */

f80 f80_f2xm1(struct f80_env *e, f80 x)
{
    f80 r;
    if (f80_nan_operands(e, x, x, &r))
        return r;
    enum f80_class k = f80_classify(x);
    if (k == F80_ZERO)
        return x;
    if (k == F80_INF)
        return f80_sign(x) ? f80_make(true, BIAS, 0x8000000000000000ull) : x;
    if (f80_check_denormal(e, x))
        return x;
    if (f80_exp(x) >= BIAS && (f80_exp(x) > BIAS || (x.sig << 1) != 0))
    {
        e->flags |= FSW_PE; /* |x| > 1: outside the domain, the hardware leaves ST(0) as it is */
        return x;
    }
    return xf_round(e, xf_expm1(xf_mul(xf_from_f80(x), xf_ln2())), false);
}

/* ---- FYL2X: y * log2(x);  FYL2XP1: y * log2(x + 1) ---- */

static f80 invalid(struct f80_env *e)
{
    e->flags |= FSW_IE;
    return F80_INDEFINITE;
}

/* Invalid operations and divide-by-zero come before the denormal exception
 * (SDM vol. 1 §4.9.2), so the special cases are settled first. */
static f80 ylog(struct f80_env *e, f80 x, f80 y, bool p1)
{
    f80 r;
    if (f80_nan_operands(e, x, y, &r))
        return r;
    enum f80_class kx = f80_classify(x), ky = f80_classify(y);
    bool sx = f80_sign(x), sy = f80_sign(y);
    struct f80_env quiet = {RC_NEAREST, 64, FCW_EXC_MASKS, 0, false};
    bool x_one = f80_exp(x) == BIAS && x.sig == 0x8000000000000000ull;
    if (p1) {
        /* log2(1 + x): x <= -1 is outside the domain */
        if (sx && kx != F80_ZERO && (kx == F80_INF || f80_compare(&quiet, f80_abs(x), F80_ONE, true) != F80_LT))
            return invalid(e);
        if ((kx == F80_ZERO && ky == F80_INF) || (kx == F80_INF && ky == F80_ZERO))
            return invalid(e);
    } else {
        if ((sx && kx != F80_ZERO) || (kx == F80_ZERO && ky == F80_ZERO) || (kx == F80_INF && ky == F80_ZERO) ||
            (x_one && ky == F80_INF))
            return invalid(e);
        if (kx == F80_ZERO) {
            if (ky != F80_INF)
                e->flags |= FSW_ZE;
            return inf80(!sy); /* log2(0) = -inf */
        }
    }
    f80_check_denormal(e, x);
    f80_check_denormal(e, y);
    if (f80_env_abort(e))
        return y;
    if (kx == F80_INF)
        return inf80(sy);
    if (p1 && kx == F80_ZERO)
        return f80_make(sx != sy, 0, 0);
    struct xf l;
    if (p1) {
        struct xf xv = xf_from_f80(x);
        struct xf u = xf_div(xv, xf_add(xf_from_int(2), xv));
        l = xf_div(xf_atanh2(u), xf_ln2()); /* the sign of x */
    } else {
        l = xf_log2(xf_from_f80(x));
    }
    if (ky == F80_INF)
        return inf80(sy != l.s);
    if (ky == F80_ZERO || !l.m)
        return f80_make(sy != (l.m ? l.s : false), 0, 0);
    /* log2 of an exact power of two is an integer: the product may be exact */
    uint64_t mx;
    f80_unpack(x, &mx);
    bool exact = !p1 && mx == 0x8000000000000000ull;
    return xf_round(e, xf_mul(l, xf_from_f80(y)), exact);
}

f80 f80_yl2x(struct f80_env *e, f80 x, f80 y) { return ylog(e, x, y, false); }
f80 f80_yl2xp1(struct f80_env *e, f80 x, f80 y) { return ylog(e, x, y, true); }

/* ---- FPATAN: atan(y / x) in the quadrant of (x, y) ---- */

f80 f80_patan(struct f80_env *e, f80 x, f80 y)
{
    f80 r;
    if (f80_nan_operands(e, x, y, &r))
        return r;
    f80_check_denormal(e, x);
    f80_check_denormal(e, y);
    if (f80_env_abort(e))
        return y;
    enum f80_class kx = f80_classify(x), ky = f80_classify(y);
    bool sx = f80_sign(x), sy = f80_sign(y);
    struct xf pi = xf_pi66(), res;
    if (ky == F80_ZERO) {
        if (!sx)
            return y;
        res = pi;
    } else if (kx == F80_ZERO) {
        res = pi;
        res.e -= 1;
    } else if (ky == F80_INF) {
        if (kx == F80_INF) {
            res = pi;
            res.e -= 2;
            if (sx)
                res = xf_add(res, (struct xf){false, pi.e - 1, pi.m});
        } else {
            res = pi;
            res.e -= 1;
        }
    } else if (kx == F80_INF) {
        if (!sx)
            return f80_make(sy, 0, 0);
        res = pi;
    } else {
        struct xf ax = xf_from_f80(f80_abs(x)), ay = xf_from_f80(f80_abs(y));
        bool swap = ay.e > ax.e || (ay.e == ax.e && ay.m > ax.m);
        res = swap ? xf_atan(xf_div(ax, ay)) : xf_atan(xf_div(ay, ax));
        if (swap)
            res = xf_sub((struct xf){false, pi.e - 1, pi.m}, res);
        if (sx)
            res = xf_sub(pi, res);
    }
    res.s = sy;
    return xf_round(e, res, false);
}

/* ---- FSIN, FCOS, FSINCOS, FPTAN ---- */

bool f80_trig(struct f80_env *e, f80 x, unsigned want, f80 *s, f80 *c)
{
    f80 r;
    if (f80_nan_operands(e, x, x, &r)) {
        *s = *c = r;
        return true;
    }
    enum f80_class k = f80_classify(x);
    if (k == F80_INF) {
        e->flags |= FSW_IE;
        *s = *c = F80_INDEFINITE;
        return true;
    }
    if (k == F80_ZERO) {
        *s = x;
        *c = F80_ONE;
        return true;
    }
    uint64_t mx;
    int32_t ex = f80_unpack(x, &mx) - BIAS;
    if (ex >= 63)
        return false; /* |x| >= 2^63: out of range, C2 = 1 */
    if (f80_check_denormal(e, x)) {
        *s = *c = x;
        return true;
    }
    /* Reduce |x| by pi/2 ~ P / 2^65 with the 66-bit P, exactly: |x| = X / 2^65. */
    static const u128 P = ((u128)0xC90FDAA22168C234ull << 2) | 3;
    struct xf red;
    uint64_t q = 0;
    if (ex < -1) {
        red = xf_from_f80(f80_abs(x)); /* |x| < 1/2 < pi/4 */
    } else {
        u128 X = (u128)mx << (ex + 2); /* mx * 2^(ex - 63) * 2^65 */
        q = (uint64_t)(X / P);
        u128 rem = X % P;
        bool neg = false;
        if (rem > P / 2) {
            q++;
            rem = P - rem;
            neg = true;
        }
        red = xf_make(neg, 127 - 65, rem);
    }
    struct xf sv, cv;
    xf_sincos(red, &sv, &cv);
    struct xf sin_x, cos_x;
    switch (q & 3) {
    case 0: sin_x = sv; cos_x = cv; break;
    case 1: sin_x = cv; cos_x = xf_neg(sv); break;
    case 2: sin_x = xf_neg(sv); cos_x = xf_neg(cv); break;
    default: sin_x = xf_neg(cv); cos_x = sv; break;
    }
    if (f80_sign(x))
        sin_x = xf_neg(sin_x);
    if (want == 4) {
        struct xf t;
        if (q == 0 && red.e < -20) { /* tan r = r + r^3/3 + 2r^5/15: keeps the direction for tiny r */
            struct xf r3 = xf_mul(xf_mul(red, red), red);
            t = xf_add(red, xf_div_int(r3, 3));
            if (f80_sign(x))
                t = xf_neg(t);
        } else {
            t = xf_div(sin_x, cos_x);
        }
        *s = xf_round(e, t, false);
        return true;
    }
    /* both results of FSINCOS see the same rounding environment; flags combine */
    struct f80_env es = *e, ec = *e;
    if (want & 1)
        *s = xf_round(&es, sin_x, false);
    if (want & 2)
        *c = xf_round(&ec, cos_x, false);
    e->flags = es.flags | ec.flags;
    e->c1 = (want & 1) ? es.c1 : ec.c1; /* FSINCOS: C1 of the sine (measured on hardware) */
    return true;
}
