/* Loading EFLAGS from a value (POPF, IRET; later task switches and SYSRET).
 * The arithmetic flags go to the lazy state, the others to c->eflags. */
#ifndef RINGZERO_CPU_EFLAGS_H
#define RINGZERO_CPU_EFLAGS_H

#include "cpu_state.h"

/* Every non-reserved FLAGS bit (bits 1, 3, 5 and 15 are reserved). */
#define EFLAGS_LOW16 0x7FD5u
/* Every non-reserved EFLAGS bit, through ID. */
#define EFLAGS_ALL 0x3F7FD5u
/* A 32-bit IRET in real-address mode: "tempEFLAGS AND 257FD5H" (SDM vol. 2 IRET);
 * VM, VIF and VIP keep their values. */
#define EFLAGS_IRET_REAL32 0x257FD5u

/* EFLAGS := (EFLAGS AND NOT writable) OR (value AND writable), bit 1 reading 1.
 * On the 80286 model in real mode FLAGS bits 12-15 (IOPL, NT) stay 0: a real-mode
 * 286 cannot set them. Does not raise. */
void eflags_load(struct cpu *c, uint32_t value, uint32_t writable);

/* The FLAGS/EFLAGS image PUSHF stores (RF and VM read as 0; bits 12-15 as 0 on a
 * real-mode 286), truncated to `size` bytes. */
uint64_t eflags_push_image(const struct cpu *c, unsigned size);

#endif
