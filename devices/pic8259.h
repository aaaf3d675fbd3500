/* The PC/AT pair of Intel 8259A programmable interrupt controllers, with the
 * PIIX3 edge/level control registers (ELCR).
 *
 * Master at ports 0x20-0x21 (IRQ 0-7), slave at 0xA0-0xA1 (IRQ 8-15) cascaded
 * on master IR2, ELCR at 0x4D0-0x4D1.  The master's INT output is an
 * irq_line the machine connects to the CPU's INTR; the CPU's interrupt
 * acknowledge calls pic8259_intr_ack() for the vector.  Devices raise IRQs
 * through pic8259_set_irq() (the pair is an irq_line sink; pin = IRQ 0-15). */
#ifndef RINGZERO_DEVICES_PIC8259_H
#define RINGZERO_DEVICES_PIC8259_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iobus.h"
#include "irq.h"

#define PIC8259_MASTER_PORT 0x20
#define PIC8259_SLAVE_PORT 0xA0
#define PIC8259_ELCR_PORT 0x4D0
#define PIC8259_CASCADE_IR 2 /* master input the slave's INT drives */

/* One 8259A. */
struct pic8259 {
    uint8_t irr;        /* edge-latched requests of the edge-triggered inputs */
    uint8_t lines;      /* current levels of the IR inputs */
    uint8_t isr, imr;
    uint8_t elcr;       /* 1 = level-triggered (PIIX3 ELCR) */
    uint8_t elcr_mask;  /* ELCR bits that can be set */
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t lowest;     /* IR with the lowest priority (7 until rotated) */
    uint8_t init_step;  /* 0 when operational, else the ICW expected next (2-4) */
    bool special_mask;  /* OCW3 special mask mode */
    bool read_isr;      /* OCW3 RIS: a read of the even port gives ISR, else IRR */
    bool poll;          /* OCW3 poll command: the next read is a poll */
    bool rotate_aeoi;   /* OCW2 rotate in automatic EOI mode */
    bool is_slave;      /* wiring: the chip at 0xA0 */
    struct pic8259_pair *pair;
};

struct pic8259_pair {
    struct pic8259 chip[2]; /* [0] master, [1] slave */
    struct irq_line intr;   /* INT of the master, to the CPU's INTR */
    bool intr_level;
};

/* Power-on state (uninitialised chips, all IRQs edge-triggered), registers the
 * ports and remembers the INTR line (may be NULL). */
int pic8259_attach(struct pic8259_pair *pair, struct iobus *bus, const struct irq_line *intr, char *err,
                   size_t err_len);

/* irq_line sink: drives IRQ input `irq` (0-15).  IRQ 2 is the cascade and is
 * not an input on a PC/AT (ISA IRQ2 is wired to IRQ 9); it is ignored. */
void pic8259_set_irq(void *pair, unsigned irq, bool level);

/* The line a device should drive for IRQ `irq`. */
static inline struct irq_line pic8259_irq_line(struct pic8259_pair *pair, unsigned irq)
{
    struct irq_line l = {.set_level = pic8259_set_irq, .sink = pair, .pin = irq};
    return l;
}

/* Interrupt acknowledge cycle: the vector the CPU reads (IR7's vector of the
 * chip concerned when the request went away: a spurious interrupt). */
int pic8259_intr_ack(struct pic8259_pair *pair);

#endif
