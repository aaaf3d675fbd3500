/* IEEE 754 binary32/binary64 arithmetic in portable C, as the SSE/SSE2 units
 * compute it (SDM vol. 1 §4.8, §4.9, §10.2.3, §11.5; vol. 2 per instruction).
 * No host floating point is used.
 *
 * Every operation takes the MXCSR image (rounding control, FTZ, DAZ, masks)
 * and ORs the exception flags it detects into env->flags (MXCSR bit layout).
 * Each result is computed exactly (or exactly plus a sticky bit) and rounded
 * once, detecting tininess after rounding.  The x86 specifics:
 *  - NaN operands (SDM vol. 1 Table 4-7, SSE column): the first operand if it
 *    is a NaN, else the second, an SNaN quieted; IE for any SNaN;
 *  - the default NaN is the negative "QNaN floating-point indefinite";
 *  - pre-computation exceptions per operation in the priority SNaN/QNaN, invalid,
 *    divide-by-zero, denormal (DE only when no higher condition applies);
 *  - DAZ (MXCSR bit 6) reads denormal operands as zeros of the same sign (no DE);
 *  - masked underflow is flagged only when the tiny result is also inexact;
 *    with FTZ (bit 15) and UE masked a tiny result becomes a zero of the same
 *    sign, raising UE and PE (SDM vol. 1 §10.2.3.3);
 *  - unmasked overflow/underflow only flag (the caller does not store). */
#ifndef RINGZERO_CPU_SSE_SOFTFLOAT_H
#define RINGZERO_CPU_SSE_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* MXCSR (SDM vol. 1 §10.2.3) */
#define SF_IE 0x0001u
#define SF_DE 0x0002u
#define SF_ZE 0x0004u
#define SF_OE 0x0008u
#define SF_UE 0x0010u
#define SF_PE 0x0020u
#define SF_EXC 0x003Fu
#define SF_DAZ 0x0040u
#define SF_MASK_SHIFT 7
#define SF_RC_SHIFT 13
#define SF_FZ 0x8000u
#define SF_PRE (SF_IE | SF_DE | SF_ZE) /* pre-computation exceptions */

enum { SF_RN = 0, SF_RD = 1, SF_RU = 2, SF_RZ = 3 };

struct sf_env {
    uint32_t mxcsr; /* controls: RC, FZ, DAZ, masks */
    uint32_t flags; /* SF_IE..SF_PE detected */
};

/* Unmasked exceptions among the flags: the instruction must not write its destination. */
static inline uint32_t sf_unmasked(const struct sf_env *e) { return e->flags & ~(e->mxcsr >> SF_MASK_SHIFT) & SF_EXC; }

enum sf_fmt { SF_F32, SF_F64 };

#define SF32_INDEFINITE 0xFFC00000u
#define SF64_INDEFINITE 0xFFF8000000000000ull

/* Values are bit images in the low 32 or 64 bits. sub: a - b; div: a / b. */
uint64_t sf_add(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);
uint64_t sf_sub(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);
uint64_t sf_mul(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);
uint64_t sf_div(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);
uint64_t sf_sqrt(struct sf_env *e, enum sf_fmt f, uint64_t a);

/* MINPS/MAXPS semantics (SDM vol. 2 "MINPS"): a < b ? a : b (a > b ? a : b); the
 * second operand b when either is a NaN (IE for any NaN, b returned unquieted)
 * or both are zeros. */
uint64_t sf_min(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);
uint64_t sf_max(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b);

/* Comparison. signal_qnan: IE for a QNaN operand too (COMISS, CMPLTPS...);
 * otherwise only for SNaNs (UCOMISS, CMPEQPS...). DE for denormal operands. */
enum sf_rel { SF_LT, SF_EQ, SF_GT, SF_UN };
enum sf_rel sf_compare(struct sf_env *e, enum sf_fmt f, uint64_t a, uint64_t b, bool signal_qnan);

/* Format conversions (CVTSS2SD exact; CVTSD2SS rounds). */
uint64_t sf_f32_to_f64(struct sf_env *e, uint32_t a);
uint32_t sf_f64_to_f32(struct sf_env *e, uint64_t a);

/* Integer conversions. to_int: bits 32 or 64; truncate (CVTT*) or MXCSR.RC;
 * NaN, infinity and out-of-range give the integer indefinite (1 << (bits-1)) with IE. */
uint64_t sf_from_int(struct sf_env *e, enum sf_fmt f, int64_t v);
uint64_t sf_to_int(struct sf_env *e, enum sf_fmt f, uint64_t a, unsigned bits, bool truncate);

/* ROUNDPS/ROUNDSS: to an integral value in the same format by rc (SF_RN..SF_RZ);
 * no_pe suppresses the precision exception (imm8 bit 3). */
uint64_t sf_round_int(struct sf_env *e, enum sf_fmt f, uint64_t a, unsigned rc, bool no_pe);

/* RCPPS/RSQRTPS approximations (binary32 only, no exceptions; see softfloat.c). */
uint32_t sf_rcp32(uint32_t a);
uint32_t sf_rsqrt32(uint32_t a);

#endif
