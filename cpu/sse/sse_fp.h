/* Shared by the SSE floating-point instruction files (sse_fp.c, sse_cvt.c). */
#ifndef RINGZERO_CPU_SSE_SSE_FP_H
#define RINGZERO_CPU_SSE_SSE_FP_H

#include "softfloat.h"
#include "sse.h"

/* The rounding environment of one instruction: MXCSR's controls, no flags yet. */
static inline struct sf_env sse_fp_env(const struct cpu *c) { return (struct sf_env){.mxcsr = c->fpu.mxcsr}; }

/* End of the computation, before the destination is written (SDM vol. 1 §11.5.1,
 * §11.5.3): the flags of all lanes are OR-ed into MXCSR.  An unmasked
 * pre-computation exception (IE, DE, ZE) stops the instruction with only the
 * pre-computation flags recorded; otherwise all flags are recorded and an
 * unmasked post-computation one (OE, UE, PE) stops it.  Stopping means no
 * result is written and #XM is raised (#UD when CR4.OSXMMEXCPT = 0, SDM vol. 3
 * §6.15 "Interrupt 19"). */
void sse_fp_commit(struct cpu *c, const struct sf_env *e);

#endif
