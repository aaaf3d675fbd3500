/* Memory-type range registers (SDM vol. 3 §11.11) as stored registers: this
 * CPU has no caches whose behaviour they would change, but firmware and
 * kernels program and read them back, and CPUID reports MTRR. */
#ifndef RINGZERO_CPU_MTRR_H
#define RINGZERO_CPU_MTRR_H

#include "cpu_state.h"

#define MTRR_VARIABLE_PAIRS 8

/* Returns true if msr is an MTRR (then *value is set). */
bool mtrr_rdmsr(const struct cpu *c, uint32_t msr, uint64_t *value);
/* Returns true if msr is an MTRR; raises #GP(0) for reserved bits or invalid types. */
bool mtrr_wrmsr(struct cpu *c, uint32_t msr, uint64_t value);
void mtrr_reset(struct cpu *c);

#endif
