/* Debug facilities of SDM vol. 3 ch. 17: single-step (EFLAGS.TF), instruction
 * and data breakpoints (DR0-DR3 under DR7), the status in DR6, and RF. */
#ifndef RINGZERO_CPU_DEBUG_H
#define RINGZERO_CPU_DEBUG_H

#include "cpu_state.h"

/* DR6 bits */
#define DR6_B0 0x1u
#define DR6_BD 0x2000u
#define DR6_BS 0x4000u

/* Recompute the cached breakpoint state after a DR0-DR3/DR7 write (flushes the TLB). */
void debug_regs_changed(struct cpu *c);
/* At an instruction boundary with TF/RF set or instruction breakpoints armed: may raise #DB. */
void debug_boundary(struct cpu *c);
/* Deliver the #DB trap armed by the previous instruction (single step, data breakpoint). */
void debug_deliver_trap(struct cpu *c);
/* A data access through the slow path while data breakpoints are armed. */
void debug_data_access(struct cpu *c, uint64_t lin, unsigned size, bool write);

#endif
