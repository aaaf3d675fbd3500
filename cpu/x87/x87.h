/* The x87 FPU's architectural state (SDM vol. 1 §8.1) and its interface to the
 * rest of the CPU.  The eight data registers are kept by physical number
 * (R0-R7); ST(i) is R((TOP + i) mod 8).  Only "empty or not" is kept per
 * register: the full tag word (valid/zero/special/empty) is computed from the
 * register contents whenever it is stored, as P6-family processors do
 * (SDM vol. 1 §8.1.7). */
#ifndef RINGZERO_CPU_X87_X87_H
#define RINGZERO_CPU_X87_X87_H

#include <stdbool.h>
#include <stdint.h>

#include "f80.h"

struct x87 {
    f80 reg[8];        /* physical registers R0-R7 */
    uint16_t fcw;      /* control word */
    uint16_t fsw;      /* status word, with TOP (bits 11-13) kept apart in `top` */
    uint8_t top;
    uint8_t empty;     /* bit i: physical register i is empty (tag 11b) */
    uint16_t fop;      /* last non-control instruction's opcode (11 bits) */
    uint16_t fcs, fds; /* selectors of the last instruction and data pointers */
    uint64_t fip, fdp; /* their offsets */
    uint32_t mxcsr;    /* SSE control/status: stored and loaded by FXSAVE/FXRSTOR, owned by SSE */
};

/* FCW bits */
#define FCW_EXC_MASKS 0x003Fu
#define FCW_PC_SHIFT 8
#define FCW_RC_SHIFT 10

struct cpu;

/* FNINIT state: FCW 037Fh, FSW 0, all registers empty, pointers cleared
 * (SDM vol. 2 "FINIT/FNINIT").  The register contents are left as they are. */
void x87_init(struct x87 *f);
/* Power-on/reset: FNINIT state with all registers +0.0. */
void x87_reset(struct x87 *f);
/* The FSW with TOP merged in. */
uint16_t x87_status_word(const struct x87 *f);
/* Full tag word from the register contents (SDM vol. 1 Figure 8-7). */
uint16_t x87_tag_word(const struct x87 *f);
/* Abridged tag (FXSAVE): bit i set when physical register i is not empty. */
static inline uint8_t x87_abridged_tag(const struct x87 *f) { return (uint8_t)~f->empty; }
/* Legacy FERR# output (CR0.NE = 0): asserted while an unmasked exception is
 * pending (FSW.ES).  The machine may route it to IRQ 13. */
bool x87_ferr(const struct cpu *c);
/* Reports a change of FERR# to the platform (cpu_bus.ferr): after every x87
 * instruction and every CR0 write. */
void x87_ferr_sync(struct cpu *c);

/* Shared by x87_ops.c and x87_env.c. */
void x87_check_nm(struct cpu *c);            /* CR0.EM / CR0.TS: #NM */
void x87_check_pending(struct cpu *c);       /* waiting instructions: #MF when FSW.ES and CR0.NE */
void x87_update_es(struct x87 *f);           /* ES and B from the exception bits and masks */

#endif
