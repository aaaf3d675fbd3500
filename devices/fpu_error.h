/* The PC/AT's x87 error logic (IBM PC/AT Technical Reference, "Math
 * Coprocessor"; Intel's "MS-DOS compatibility mode" of the 486 and later, SDM
 * vol. 1 §8.7 and App. D): with CR0.NE = 0 an unmasked x87 exception drives
 * FERR#, which the motherboard latches onto IRQ 13; the handler's write to port
 * 0xF0 clears the latch (and asserts IGNNE#, so the FPU goes on). */
#ifndef RINGZERO_DEVICES_FPU_ERROR_H
#define RINGZERO_DEVICES_FPU_ERROR_H

#include <stdbool.h>

#include "devices/iobus.h"
#include "devices/irq.h"

#define FPU_ERROR_PORT 0xF0
#define FPU_ERROR_IRQ 13

struct fpu_error {
    struct irq_line irq;
    bool ferr;    /* the CPU's FERR# output, as last reported */
    bool latched; /* IRQ 13 asserted until port 0xF0 is written */
};

/* Registers port 0xF0 (and 0xF1, which the AT decodes as a reset of the
 * coprocessor: here the same clear). Returns 0, or -1 with a message. */
int fpu_error_attach(struct fpu_error *e, struct iobus *bus, const struct irq_line *irq, char *err, size_t err_len);
/* FERR# from the CPU: a rising edge sets the latch. */
void fpu_error_set_ferr(struct fpu_error *e, bool asserted);

#endif
