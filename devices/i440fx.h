/* Intel 82441FX PCI and memory controller (PMC), the host bridge of the
 * i440FX chipset at PCI 00:00.0: 8086:1237 revision 02, as on QEMU's "pc"
 * machine.  Models the configuration registers firmware touches: the
 * programmable attribute map (PAM0-PAM6, 0x59-0x5F) that routes reads and
 * writes of 0xC0000-0xFFFFF to DRAM (shadow RAM) or to ROM/PCI, reported to
 * the machine through pam_changed; and SMRAM (0x72), stored with its lock
 * semantics (SMM itself is not modelled).  The other DRAM-control registers
 * are stored and have no effect. */
#ifndef RINGZERO_DEVICES_I440FX_H
#define RINGZERO_DEVICES_I440FX_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"

#define I440FX_VENDOR_ID 0x8086
#define I440FX_DEVICE_ID 0x1237
#define I440FX_REVISION  0x02

#define I440FX_PAM0   0x59 /* PAM0 bits 7:4: 0xF0000-0xFFFFF; PAM1-6: two 16 KiB segments each */
#define I440FX_PAM_COUNT 7
#define I440FX_SMRAM  0x72

/* One PAM nibble's attribute bits (bits 6 and 2, cache enable on older
 * chipsets, are reserved on the 82441FX: caching is the MTRRs' business). */
#define I440FX_PAM_RE 0x1 /* reads go to DRAM (else to ROM/PCI) */
#define I440FX_PAM_WE 0x2 /* writes go to DRAM (else to ROM/PCI) */

#define I440FX_SMRAM_D_OPEN   0x40
#define I440FX_SMRAM_D_CLS    0x20
#define I440FX_SMRAM_D_LCK    0x10
#define I440FX_SMRAM_G_SMRAME 0x08
#define I440FX_SMRAM_C_BASE   0x02 /* C_BASE_SEG hardwired to 010b: SMRAM at 0xA0000 */

struct i440fx {
    struct pci_function pci;
    uint8_t pam_seen[I440FX_PAM_COUNT]; /* PAM values last reported */
    /* Called for each memory segment whose routing changed (and for all of
     * them at init and reset): reads of [base, base+size) come from DRAM when
     * read_ram, else from ROM/PCI; likewise writes. */
    void (*pam_changed)(void *opaque, uint32_t base, uint32_t size, bool read_ram, bool write_ram);
    void *opaque;
};

/* Sets up the bridge at 00:00.0 and reports the power-on PAM state (every
 * segment reading and writing ROM/PCI). pam_changed may be NULL. */
int i440fx_init(struct i440fx *h, struct pci_bus *bus,
                void (*pam_changed)(void *opaque, uint32_t base, uint32_t size, bool read_ram, bool write_ram),
                void *opaque, char *err, size_t err_len);
/* Back to power-on register values (a hard reset), reporting the PAM segments. */
void i440fx_reset(struct i440fx *h);

/* The segment a PAM nibble covers: reg 0x59-0x5F, high = bits 7:4. Returns
 * false for PAM0's reserved low nibble. */
bool i440fx_pam_segment(uint8_t reg, bool high, uint32_t *base, uint32_t *size);

#endif
