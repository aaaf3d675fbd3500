/* Virtual-8086 mode extensions (SDM vol. 3 §20.3 "Interrupt and Exception
 * Handling in Virtual-8086 Mode", §20.4 "Protected-Mode Virtual Interrupts"). */
#ifndef RINGZERO_CPU_V86_H
#define RINGZERO_CPU_V86_H

#include "cpu_state.h"

#define CR4_VME 0x1u
#define CR4_PVI 0x2u

/* INT n (CD ib only: not INT3, INTO, INT1 or hardware events) in virtual-8086
 * mode with CR4.VME = 1: consults the TSS's interrupt redirection bit map and,
 * when the vector's bit is 0, delivers the interrupt through the 8086
 * program's own vector table at linear 0 (Table 20-2 methods 5 and 6) and
 * returns true.  Returns false, changing nothing, when VM or VME is 0 or the
 * bit is 1; the caller then does what INT n does without VME: #GP(0) if
 * IOPL < 3, else delivery through the IDT.  Raises #GP(0) if the bit map lies
 * outside the TSS, and #SS/#GP/#PF from the pushes and the vector read, before
 * changing anything. */
bool v86_redirect_int(struct cpu *c, unsigned vector);

/* True when PUSHF/POPF/IRET/CLI/STI in V8086 mode use VIF instead of faulting:
 * VM = 1, CR4.VME = 1 and IOPL < 3 (SDM vol. 2 PUSHF, POPF, IRET). */
static inline bool v86_vme_active(const struct cpu *c)
{
    return (c->eflags & F_VM) && (c->cr4 & CR4_VME) && (c->eflags & F_IOPL) != F_IOPL;
}

/* The FLAGS image a 16-bit PUSHF stores when v86_vme_active(): IF replaced by
 * VIF, IOPL reading 3 (SDM vol. 2 PUSHF).  A 32-bit PUSHFD is #GP(0) there. */
uint16_t v86_vme_flags_image(const struct cpu *c);

/* A 16-bit POPF or IRET loading `value` when v86_vme_active(): #GP(0) if the
 * value sets TF, or sets IF while VIP is 1; else FLAGS[15:0] except IF and IOPL
 * are loaded and VIF := value.IF (SDM vol. 2 POPF, IRET).  Call it before
 * committing SP (and CS:IP for IRET): it may raise.  32-bit forms are #GP(0). */
void v86_vme_load_flags(struct cpu *c, uint16_t value);

#endif
