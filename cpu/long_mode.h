/* IA-32e mode pieces that have no other home: the long-mode MSRs, SYSCALL/SYSRET,
 * SWAPGS and MOVSXD (SDM vol. 2; vol. 3 §2.2.1, §5.8.8). */
#ifndef RINGZERO_CPU_LONG_MODE_H
#define RINGZERO_CPU_LONG_MODE_H

#include "cpu_state.h"

/* STAR, LSTAR, CSTAR, FMASK, FS.base, GS.base, KernelGSbase: true if msr is one of them. */
bool lm_rdmsr(struct cpu *c, uint32_t msr, uint64_t *value);
/* Raises #GP(0) for non-canonical addresses; true if msr is one of them. */
bool lm_wrmsr(struct cpu *c, uint32_t msr, uint64_t value);

struct insn;
/* 0F 01 F8 SWAPGS (the register form of 0F 01 /7). */
void lm_swapgs(struct cpu *c, const struct insn *i);

#endif
