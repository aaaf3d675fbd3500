/* Intel 82371SB PIIX3 PCI-to-ISA bridge at PCI 00:01.0 (8086:7000) and the
 * configuration space of its IDE function 00:01.1 (8086:7010), as on QEMU's
 * "pc" machine.
 *
 * Function 0: PIRQ route control (0x60-0x63) steering PCI interrupts PIRQA-D
 * to ISA IRQs (piix3_pirq_to_irq; the machine routes PCI INTx with it and is
 * told of changes through pirq_routed), the other ISA-bridge registers stored,
 * and the reset control register at I/O port 0xCF9 (installed on the PCI
 * bus's 0xCF9 byte lane).
 * Function 1: class 01:01, programming interface 0x80 (bus-master capable,
 * both channels in legacy "compatibility" mode at 0x1F0/0x3F6 and 0x170/0x376
 * with IRQ 14/15, not switchable), BAR4 the 16-byte bus-master I/O block, the
 * IDE timing registers 0x40-0x44 stored.  The IDE controller itself lives
 * elsewhere: it asks piix3_ide_decode_enabled() whether its legacy ports
 * decode (command I/O enable and IDETIM bit 15), is told of changes through
 * ide_decode_changed, and maps BAR4 through p->ide.bar_changed. */
#ifndef RINGZERO_DEVICES_PIIX3_H
#define RINGZERO_DEVICES_PIIX3_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define PIIX3_VENDOR_ID     0x8086
#define PIIX3_ISA_DEVICE_ID 0x7000
#define PIIX3_IDE_DEVICE_ID 0x7010

#define PIIX3_PIRQRC        0x60 /* PIRQA-D route control, 0x60-0x63 */
#define PIIX3_PIRQ_DISABLE  0x80
#define PIIX3_IDETIM_PRI    0x40
#define PIIX3_IDETIM_SEC    0x42
#define PIIX3_IDETIM_DECODE 0x8000
#define PIIX3_SIDETIM       0x44
#define PIIX3_BMIBA_BAR     4    /* BAR4 at 0x20 */
#define PIIX3_BM_SIZE       16

#define PIIX3_RCR_PORT      0xCF9
#define PIIX3_RCR_SRST      0x02 /* system reset: 1 = hard (whole board), 0 = soft (CPU INIT) */
#define PIIX3_RCR_RCPU      0x04 /* writing 1 starts the reset */

struct piix3 {
    struct pci_function isa; /* 00:01.0 */
    struct pci_function ide; /* 00:01.1 */
    uint8_t rcr;
    int pirq_seen[4];       /* ISA IRQ per PIRQ last reported, -1 = not routed */
    bool ide_decode_seen[2];

    /* All optional; opaque is passed to each. */
    void (*pirq_routed)(void *opaque, unsigned pirq, int old_irq, int new_irq);
    void (*reset_request)(void *opaque, bool hard);
    void (*ide_decode_changed)(void *opaque, unsigned channel, bool enabled);
    void *opaque;
};

/* Sets up functions 0 and 1 of PCI device `dev` (1 on the "pc" machine) and
 * claims the 0xCF9 lane of the bus.  Set the callbacks (and ide.bar_changed /
 * ide.owner) after this call, which clears the struct. */
int piix3_init(struct piix3 *p, struct pci_bus *bus, unsigned dev, char *err, size_t err_len);
/* Power-on register values (reports routing and decode changes). */
void piix3_reset(struct piix3 *p);

/* The ISA IRQ that PIRQ A-D (0-3) is steered to, or -1 when routing is
 * disabled (bit 7) or the IRQ field holds a reserved value (0-2, 8, 13). */
int piix3_pirq_to_irq(const struct piix3 *p, unsigned pirq);
/* Which PIRQ a device's INTx pin (1-4 = INTA-D) reaches on QEMU's i440FX
 * board: the pins rotate by slot, so slot s pin p drives PIRQ (p - 1 + s - 1) & 3. */
unsigned piix3_slot_pirq(unsigned slot, unsigned pin);
/* Whether the IDE channel's (0 primary, 1 secondary) legacy ports decode. */
bool piix3_ide_decode_enabled(const struct piix3 *p, unsigned channel);

#endif
