/* Extended-precision (80-bit) floating-point arithmetic in portable C, as the
 * x87 FPU computes it (SDM vol. 1 ch. 4 and ch. 8): sign, 15-bit biased
 * exponent and 64-bit significand with an explicit integer bit.  Results are
 * computed exactly on a 128-bit intermediate and rounded once by the control
 * word's rounding control (RC) and precision control (PC); the exception flags
 * and C1 ("rounded up") are collected in struct f80_env the way the FSW holds
 * them.  No host floating point is used. */
#ifndef RINGZERO_CPU_X87_F80_H
#define RINGZERO_CPU_X87_F80_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/u128.h"

typedef struct f80 {
    uint64_t sig; /* bit 63 is the explicit integer bit (J) */
    uint16_t se;  /* bit 15 sign, bits 0-14 biased exponent (bias 16383) */
} f80;

/* FSW exception bits (SDM vol. 1 §8.1.3) */
#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_OE 0x0008u
#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_C3 0x4000u
#define FSW_B  0x8000u
#define FSW_EXC 0x003Fu

enum { RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3 };

/* The rounding environment of one operation and what it raised. */
struct f80_env {
    unsigned rc;     /* RC_* */
    unsigned prec;   /* 24, 53 or 64 significand bits (PC; 64 for the instructions PC does not affect) */
    unsigned masks;  /* FCW bits 0-5: a set bit masks that exception */
    unsigned flags;  /* FSW_IE..FSW_PE raised */
    bool c1;         /* the result's significand was rounded up (SDM vol. 1 §8.1.3.3) */
};

/* Pre-computation exceptions that, unmasked, leave the destination untouched. */
static inline bool f80_env_abort(const struct f80_env *e) { return (e->flags & ~e->masks & (FSW_IE | FSW_DE | FSW_ZE)) != 0; }
/* Post-computation exceptions that, unmasked, suppress stores to memory. */
static inline bool f80_env_unmasked(const struct f80_env *e) { return (e->flags & ~e->masks & FSW_EXC) != 0; }

enum f80_class { F80_ZERO, F80_DENORMAL, F80_PSEUDO_DENORMAL, F80_NORMAL, F80_INF, F80_QNAN, F80_SNAN, F80_UNSUPPORTED };

static inline unsigned f80_exp(f80 a) { return a.se & 0x7FFFu; }
static inline bool f80_sign(f80 a) { return (a.se >> 15) & 1; }
static inline f80 f80_make(bool sign, unsigned exp, uint64_t sig) { return (f80){sig, (uint16_t)((sign ? 0x8000u : 0) | exp)}; }
static inline f80 f80_neg(f80 a) { a.se ^= 0x8000; return a; }
static inline f80 f80_abs(f80 a) { a.se &= 0x7FFF; return a; }
enum f80_class f80_classify(f80 a);
static inline bool f80_is_nan(f80 a) { enum f80_class k = f80_classify(a); return k == F80_QNAN || k == F80_SNAN; }

#define F80_INDEFINITE ((f80){0xC000000000000000ull, 0xFFFF})
#define F80_ZERO_POS ((f80){0, 0})
#define F80_ONE ((f80){0x8000000000000000ull, 0x3FFF})

/* Basic arithmetic (PC applies: e->prec). sub: a - b. */
f80 f80_add(struct f80_env *e, f80 a, f80 b);
f80 f80_sub(struct f80_env *e, f80 a, f80 b);
f80 f80_mul(struct f80_env *e, f80 a, f80 b);
f80 f80_div(struct f80_env *e, f80 a, f80 b);
f80 f80_sqrt(struct f80_env *e, f80 a);

/* FRNDINT, FSCALE (a * 2^trunc(b)), FXTRACT (exponent and significand). */
f80 f80_round_to_int(struct f80_env *e, f80 a);
f80 f80_scale(struct f80_env *e, f80 a, f80 b);
void f80_extract(struct f80_env *e, f80 a, f80 *exponent, f80 *significand);

/* FPREM (ieee = false: truncating quotient) / FPREM1 (ieee = true: nearest).
 * *cc gets C0/C1/C2/C3 as the FSW holds them. */
f80 f80_rem(struct f80_env *e, f80 a, f80 b, bool ieee, unsigned *cc);

/* Comparison: FCOM (quiet = false: any NaN is invalid) and FUCOM (quiet = true). */
enum f80_rel { F80_LT, F80_EQ, F80_GT, F80_UN };
enum f80_rel f80_compare(struct f80_env *e, f80 a, f80 b, bool quiet);

/* Conversions. Loads are exact; stores round by e->rc into the target format. */
f80 f80_from_int(int64_t v);
int64_t f80_to_int(struct f80_env *e, f80 a, unsigned bits, bool truncate);
/* keep_snan: an arithmetic operand (the operation signals and quiets it); else FLD's conversion. */
f80 f80_from_f32(struct f80_env *e, uint32_t v, bool keep_snan);
f80 f80_from_f64(struct f80_env *e, uint64_t v, bool keep_snan);
uint32_t f80_to_f32(struct f80_env *e, f80 a);
uint64_t f80_to_f64(struct f80_env *e, f80 a);
/* Packed BCD (SDM vol. 1 §4.7): 10 bytes, 18 digits and a sign byte. */
f80 f80_from_bcd(const uint8_t bcd[10]);
void f80_to_bcd(struct f80_env *e, f80 a, uint8_t bcd[10]);
/* Re-round a value to the environment's precision and range (FLD of constants). */
f80 f80_round(struct f80_env *e, bool sign, int32_t exp, u128 sig);

/* Shared with the transcendental code. */
int f80_nan_operands(struct f80_env *e, f80 a, f80 b, f80 *out); /* 1 when a NaN/unsupported decided the result */
bool f80_check_denormal(struct f80_env *e, f80 a);               /* flags DE; true if DE is unmasked (abort) */
int32_t f80_unpack(f80 a, uint64_t *sig);                        /* normalised significand, unbiased-ready exponent */

#endif
