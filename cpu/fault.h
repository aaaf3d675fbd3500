/* Exceptions and interrupt delivery.  A fault unwinds from anywhere inside an
 * instruction to the run loop with longjmp; handlers check before they commit,
 * so a faulting instruction leaves no architectural trace (SDM vol. 3 §6.5). */
#ifndef RINGZERO_CPU_FAULT_H
#define RINGZERO_CPU_FAULT_H

#include "cpu_state.h"

#define NO_ERROR_CODE 0xFFFFFFFFu

/* Raise a fault: RIP goes back to the start of the instruction, the exception is
 * delivered (escalating to #DF or shutdown per SDM vol. 3 §6.15), and control
 * returns to the run loop. */
_Noreturn void cpu_raise(struct cpu *c, unsigned vector, uint32_t error_code);
static inline _Noreturn void cpu_raise_ud(struct cpu *c) { cpu_raise(c, EXC_UD, NO_ERROR_CODE); }
static inline _Noreturn void cpu_raise_gp0(struct cpu *c) { cpu_raise(c, EXC_GP, 0); }

enum intr_kind { INTR_EXCEPTION, INTR_SOFTWARE, INTR_EXTERNAL };
/* Deliver an interrupt with RIP already at the return address (INT n, INT3, INTO,
 * external interrupts). Returns normally; a fault during delivery unwinds. */
void cpu_interrupt(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code);

#endif
