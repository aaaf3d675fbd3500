/* An Intel 82093AA I/O APIC with 24 interrupt inputs (datasheet 290566).
 *
 * Two registers in memory (IOREGSEL at +0x00, IOWIN at +0x10) reach the
 * indirect ones: ID (0x00), version (0x01), arbitration ID (0x02) and the 24
 * 64-bit redirection entries (0x10-0x3F).  An input that becomes active sends
 * its entry's message to the local APICs through deliver(); a level-triggered
 * entry then waits (remote IRR) for the EOI broadcast of its vector
 * (ioapic_eoi).
 *
 * Inputs are electrical levels (irq_line sink, pin 0-23); the entry's
 * polarity bit says which level is active.  ISA IRQs are active high. */
#ifndef RINGZERO_DEVICES_IOAPIC_H
#define RINGZERO_DEVICES_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "apic_bus.h"
#include "irq.h"

#define IOAPIC_DEFAULT_BASE 0xFEC00000u
#define IOAPIC_MMIO_SIZE 0x1000u
#define IOAPIC_PINS 24
#define IOAPIC_VERSION 0x00170011u /* 82093AA: version 0x11, max redirection entry 23 */

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10

enum ioapic_reg { IOAPIC_REG_ID = 0x00, IOAPIC_REG_VER = 0x01, IOAPIC_REG_ARB = 0x02, IOAPIC_REG_REDIR = 0x10 };

/* Redirection entry bits (datasheet §3.2.4). */
#define IOAPIC_DEST_LOGICAL (1ull << 11)
#define IOAPIC_DELIVERY_STATUS (1ull << 12)
#define IOAPIC_ACTIVE_LOW (1ull << 13)
#define IOAPIC_REMOTE_IRR (1ull << 14)
#define IOAPIC_LEVEL (1ull << 15)
#define IOAPIC_MASKED (1ull << 16)

struct ioapic {
    uint32_t id; /* bits 24-27 */
    uint8_t regsel;
    uint64_t redir[IOAPIC_PINS];
    uint32_t levels; /* electrical level of each input */
    bool (*deliver)(void *opaque, const struct apic_msg *msg); /* true if a local APIC accepted it */
    void *opaque;
};

void ioapic_init(struct ioapic *io, bool (*deliver)(void *opaque, const struct apic_msg *msg), void *opaque);
/* RESET: ID 0, every entry masked; the input levels are kept. */
void ioapic_reset(struct ioapic *io);

/* irq_line sink: input `pin` (0-23) is at `level`. */
void ioapic_set_irq(void *io, unsigned pin, bool level);
static inline struct irq_line ioapic_irq_line(struct ioapic *io, unsigned pin)
{
    struct irq_line l = {.set_level = ioapic_set_irq, .sink = io, .pin = pin};
    return l;
}

/* A local APIC's EOI broadcast for a level-triggered vector. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/* The memory-mapped registers (offset in the 4 KiB window, size 1-8).  The
 * datasheet asks for dword accesses; a narrower write to IOREGSEL sets it,
 * other odd accesses read the bytes they cover and write nothing. */
uint64_t ioapic_mmio_read(struct ioapic *io, uint64_t offset, unsigned size);
void ioapic_mmio_write(struct ioapic *io, uint64_t offset, uint64_t value, unsigned size);

#endif
