/* Shared by the MMX/SSE instruction files (cpu/sse/): the availability checks
 * every instruction makes first, XMM and MMX register access, and memory
 * operands of 32, 64 and 128 bits with the 16-byte alignment rule of the
 * legacy SSE encodings.
 *
 * Checks (SDM vol. 3 §13.1 and Table 2-2; vol. 2 §2.4 "SSE exception classes"):
 *   SSE/SSE2/SSE3/SSSE3/SSE4: CR0.EM = 1 -> #UD, CR4.OSFXSR = 0 -> #UD, CR0.TS = 1 -> #NM.
 *   MMX:                      CR0.EM = 1 -> #UD, CR0.TS = 1 -> #NM, a pending
 *                             unmasked x87 exception -> #MF (as a waiting x87 instruction).
 * The #UD causes rank before #NM.
 *
 * MMX registers are the significands of the physical x87 registers R0-R7
 * (SDM vol. 1 §9.5): a write also sets the exponent/sign field to FFFFh, and
 * every MMX instruction but EMMS sets TOP = 0 and all tags valid (mmx_enter). */
#ifndef RINGZERO_CPU_SSE_SSE_H
#define RINGZERO_CPU_SSE_SSE_H

#include "cpu/operand.h"

#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u

/* MXCSR bits that may be set (DAZ supported): MXCSR_MASK in the FXSAVE image
 * (SDM vol. 1 §11.6.6); LDMXCSR/FXRSTOR with any other bit set is #GP(0). */
#define MXCSR_MASK 0x0000FFFFu

_Noreturn void sse_unavailable(struct cpu *c);

/* SSE-family instructions (all but MMX): #UD/#NM per CR0.EM, CR4.OSFXSR, CR0.TS. */
static inline void sse_check(struct cpu *c)
{
    if (unlikely((c->cr0 & (CR0_EM | CR0_TS)) || !(c->cr4 & CR4_OSFXSR)))
        sse_unavailable(c);
}

/* MMX instructions (and the MMX forms of SSE/SSSE3 ones: PSHUFW, PALIGNR mm, ...). */
void mmx_check(struct cpu *c);

/* The x87 -> MMX transition (SDM vol. 1 §9.5.1): TOP = 0, all tags valid. */
static inline void mmx_enter(struct cpu *c)
{
    c->fpu.top = 0;
    c->fpu.empty = 0;
}

/* Mandatory-prefix handler sets (OA_PFX) whose register and memory forms
 * differ; a NULL handler is #UD (a register-only or memory-only form). */
#define HSET_PFX_RM(name, rnone, r66, rf3, rf2, mnone, m66, mf3, mf2)                                       \
    static const struct hset hs_##name = {.r = {rnone, r66, rf3, rf2}, .m = {mnone, m66, mf3, mf2}}

#define SSE_MEM(i) (((i)->flags & INSN_MEM) != 0)

/* ---- registers ---- */

static inline xmm_reg *xmm(struct cpu *c, unsigned n) { return &c->sse.xmm[n & 15]; }

/* MMX register n (REX.R/REX.B do not extend MMX register numbers: SDM vol. 2 §2.2.1.2). */
static inline uint64_t mmx_get(const struct cpu *c, unsigned n) { return c->fpu.reg[n & 7].sig; }
static inline void mmx_set(struct cpu *c, unsigned n, uint64_t v)
{
    c->fpu.reg[n & 7].sig = v;
    c->fpu.reg[n & 7].se = 0xFFFF;
    mmx_enter(c);
}

/* ---- memory operands (at the instruction's effective address) ---- */

/* 128 bits; aligned: #GP(0) unless the linear address is a multiple of 16
 * (legacy-SSE packed forms: SDM vol. 1 §11.4.1 / vol. 2 "SSE exception class 1"). */
void sse_read128(struct cpu *c, const struct insn *i, xmm_reg *out, bool aligned);
/* The whole range is checked for writing (limit, alignment and paging) before any byte is written. */
void sse_write128(struct cpu *c, const struct insn *i, const xmm_reg *v, bool aligned);
static inline uint64_t sse_read64(struct cpu *c, const struct insn *i) { return mem_read(c, i->seg, insn_ea(c, i), 8); }
static inline uint32_t sse_read32(struct cpu *c, const struct insn *i)
{
    return (uint32_t)mem_read(c, i->seg, insn_ea(c, i), 4);
}
static inline void sse_write64(struct cpu *c, const struct insn *i, uint64_t v) { mem_write(c, i->seg, insn_ea(c, i), v, 8); }
static inline void sse_write32(struct cpu *c, const struct insn *i, uint32_t v) { mem_write(c, i->seg, insn_ea(c, i), v, 4); }

/* ---- source operands ---- */

/* xmm/m128: the register named by ModRM.rm, or the memory operand. */
static inline void sse_src128(struct cpu *c, const struct insn *i, xmm_reg *out, bool aligned)
{
    if (i->flags & INSN_MEM)
        sse_read128(c, i, out, aligned);
    else
        *out = *xmm(c, i->rm);
}
/* xmm/m64 (low quadword of the register), xmm/m32 (low doubleword). */
static inline uint64_t sse_src64(struct cpu *c, const struct insn *i)
{
    return (i->flags & INSN_MEM) ? sse_read64(c, i) : xmm(c, i->rm)->q[0];
}
static inline uint32_t sse_src32(struct cpu *c, const struct insn *i)
{
    return (i->flags & INSN_MEM) ? sse_read32(c, i) : xmm(c, i->rm)->d[0];
}
/* mm/m64. */
static inline uint64_t mmx_src64(struct cpu *c, const struct insn *i)
{
    return (i->flags & INSN_MEM) ? sse_read64(c, i) : mmx_get(c, i->rm);
}

/* ---- two-operand packed operations: dest = f(dest, src) lane by lane ----
 * A lane function works on the first n bytes (8 for MMX, 16 for XMM) of its
 * operands; the wrappers fetch the operands, check, and write the result. */
typedef void sse_vop(xmm_reg *d, const xmm_reg *s, unsigned n);

/* op mm, mm/m64 */
ALWAYS_INLINE void mmx_binop(struct cpu *c, const struct insn *i, sse_vop *f)
{
    mmx_check(c);
    xmm_reg s = {.q = {mmx_src64(c, i), 0}}, d = {.q = {mmx_get(c, i->reg), 0}};
    f(&d, &s, 8);
    mmx_set(c, i->reg, d.q[0]);
}
/* op xmm, xmm/m128 (m128 16-byte aligned) */
ALWAYS_INLINE void xmm_binop(struct cpu *c, const struct insn *i, sse_vop *f)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg d = *xmm(c, i->reg);
    f(&d, &s, 16);
    *xmm(c, i->reg) = d;
}
/* NAME with an MMX form (no prefix) and an XMM form (66), or the XMM form only. */
#define SSE_BINOP(name, fn)                                                                                  \
    static void name##_mm(struct cpu *c, const struct insn *i) { mmx_binop(c, i, fn); }                     \
    static void name##_x(struct cpu *c, const struct insn *i) { xmm_binop(c, i, fn); }                      \
    HSET_PFX(name, name##_mm, name##_x, NULL, NULL)
#define SSE_BINOP_X(name, fn)                                                                                \
    static void name##_x(struct cpu *c, const struct insn *i) { xmm_binop(c, i, fn); }                      \
    HSET_PFX(name, NULL, name##_x, NULL, NULL)

/* Saturation (SDM vol. 1 §9.2.3 / §4.6.1). */
static inline uint8_t sat_s8(int v) { return (uint8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
static inline uint8_t sat_u8(int v) { return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v); }
static inline uint16_t sat_s16(int32_t v) { return (uint16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }
static inline uint16_t sat_u16(int32_t v) { return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v); }

#endif
