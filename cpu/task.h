/* Hardware task switching (SDM vol. 3 ch. 7). */
#ifndef RINGZERO_CPU_TASK_H
#define RINGZERO_CPU_TASK_H

#include "desc.h"

enum task_switch_reason { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT /* INT n, exception, interrupt via task gate */ };

/* Switch to the task whose TSS descriptor is `tss` (selector tss_sel), per SDM
 * vol. 3 §7.3: checks, save the current state into the old TSS, busy bits, back
 * link and NT for CALL/INT, CR3 reload, load the new state with its checks
 * (#TS), and push error_code on the new stack when has_error is set. RIP of the
 * outgoing task saved is c->rip (callers arrange fault vs trap semantics). */
void task_switch(struct cpu *c, uint16_t tss_sel, const struct desc *tss, enum task_switch_reason why,
                 bool has_error, uint32_t error_code);

#endif
