/* PCI bus 0 behind configuration mechanism #1 (ports 0xCF8-0xCFF), and the
 * model of one PCI function's configuration space that the chipset devices
 * (i440fx.c, piix3.c) and later add-in cards build on.
 *
 * A function is a 256-byte configuration space with, per byte, a mask of the
 * bits the guest may write and a mask of write-one-to-clear bits; everything
 * else (IDs, class, header type, hardwired bits) is read-only.  Base address
 * registers (32-bit memory or I/O) and the expansion ROM BAR are sized by the
 * write mask, so the guest's "write all ones, read back" probe returns the size
 * mask.  Whenever the decoded window of a BAR changes (its address, or the
 * command register's I/O / memory enable, or the ROM enable bit) the owner is
 * told through bar_changed with the old and new mapping, so it can unmap and
 * map its regions. */
#ifndef RINGZERO_DEVICES_PCI_H
#define RINGZERO_DEVICES_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iobus.h"

#define PCI_CONFIG_ADDRESS_PORT 0xCF8
#define PCI_CONFIG_DATA_PORT    0xCFC
#define PCI_CONFIG_ENABLE       0x80000000u

/* Type 0 header (PCI Local Bus Specification 2.1/3.0, section 6.1). */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define PCI_STATUS              0x06
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0A
#define PCI_CACHE_LINE_SIZE     0x0C
#define PCI_LATENCY_TIMER       0x0D
#define PCI_HEADER_TYPE         0x0E
#define PCI_BIST                0x0F
#define PCI_BASE_ADDRESS_0      0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2C
#define PCI_SUBSYSTEM_ID        0x2E
#define PCI_ROM_ADDRESS         0x30
#define PCI_INTERRUPT_LINE      0x3C
#define PCI_INTERRUPT_PIN       0x3D

#define PCI_COMMAND_IO          0x0001
#define PCI_COMMAND_MEMORY      0x0002
#define PCI_COMMAND_MASTER      0x0004
#define PCI_COMMAND_SPECIAL     0x0008
#define PCI_COMMAND_PARITY      0x0040
#define PCI_COMMAND_SERR        0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_HEADER_MULTI_FUNCTION 0x80

#define PCI_BAR_SPACE_IO        0x01
#define PCI_BAR_MEM_PREFETCH    0x08
#define PCI_ROM_ENABLE          0x01

#define PCI_BAR_COUNT 6
#define PCI_ROM_SLOT  6 /* the expansion ROM's index in bar_changed and map[] */

/* Subsystem IDs QEMU gives its devices; SeaBIOS checks them on 00:00.0 to
 * decide it runs on QEMU ("Running on QEMU (i440fx)"). */
#define PCI_SUBVENDOR_QEMU 0x1AF4
#define PCI_SUBDEVICE_QEMU 0x1100

enum pci_bar_kind { PCI_BAR_UNUSED, PCI_BAR_IO, PCI_BAR_MEM32 };

/* What a BAR decodes right now: mapped is false when decoding is disabled or
 * the address is not usable (zero, or running past the top of the space). */
struct pci_bar_map {
    bool mapped;
    uint32_t base;
    uint32_t size;
};

struct pci_bus;

struct pci_function {
    const char *name;
    uint8_t config[256];
    uint8_t wmask[256];   /* bits the guest may write */
    uint8_t w1cmask[256]; /* bits a write of one clears (status) */
    struct {
        enum pci_bar_kind kind;
        uint32_t size; /* a power of two */
    } bar[PCI_BAR_COUNT];
    const uint8_t *rom; /* expansion ROM contents (not copied; must outlive the function) */
    uint32_t rom_len;
    uint32_t rom_size;  /* the ROM BAR's size: a power of two >= 2 KiB, or 0 for none */
    struct pci_bar_map map[PCI_BAR_COUNT + 1]; /* what the owner was last told */

    /* The chip model: optional per-byte write handler (return true when it
     * stored the byte itself, for registers with behaviour a mask cannot
     * express), and a hook after each configuration write is applied. */
    bool (*write_byte)(void *dev, struct pci_function *f, uint8_t reg, uint8_t value);
    void (*config_written)(void *dev, struct pci_function *f, uint8_t reg, unsigned size);
    void *dev;

    /* Whoever maps the BARs' regions (the machine): told on every change of a
     * BAR's decoded window; bar is 0-5 or PCI_ROM_SLOT. */
    void (*bar_changed)(void *owner, struct pci_function *f, unsigned bar, struct pci_bar_map old,
                        struct pci_bar_map now);
    void *owner;

    struct pci_bus *bus;
    uint8_t devfn; /* device << 3 | function, on bus 0 */
};

struct pci_bus {
    uint32_t config_address;           /* CONFADD as last written (reserved bits read 0) */
    struct pci_function *devfn[256];   /* bus 0 */
    /* The byte lane at 0xCF9 is not part of mechanism #1: on a PIIX3 board it
     * is the reset control register; piix3_init installs these. */
    uint8_t (*cf9_read)(void *dev);
    void (*cf9_write)(void *dev, uint8_t value);
    void *cf9_dev;
};

/* Function set-up (before pci_bus_add). class_code is base << 16 | sub << 8 | prog-if.
 * Defaults: command/status zero, command bits I/O, memory, bus master, parity,
 * SERR and INTx-disable writable, status error bits write-one-to-clear, cache
 * line size, latency timer and interrupt line writable, no BARs, no ROM. */
void pci_function_init(struct pci_function *f, const char *name, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code, uint8_t header_type);
/* Sets a register's reset value and writable bits (little-endian, size 1, 2 or 4). */
void pci_function_set_reg(struct pci_function *f, uint8_t reg, unsigned size, uint32_t value, uint32_t wmask);
void pci_function_set_w1c(struct pci_function *f, uint8_t reg, unsigned size, uint32_t mask);
void pci_function_set_subsystem(struct pci_function *f, uint16_t vendor, uint16_t device);
/* pin: 0 none, 1-4 INTA#-INTD# (read-only). */
void pci_function_set_irq_pin(struct pci_function *f, uint8_t pin);
/* Declares BAR n: size is rounded up to a power of two (at least 16 for memory,
 * 4 for I/O).  Address bits below the size read as zero; the BAR starts at 0. */
void pci_function_set_bar(struct pci_function *f, unsigned n, enum pci_bar_kind kind, uint32_t size,
                          bool prefetchable);
/* Expansion ROM backed by data[0..len) (not copied); the BAR's size is the
 * next power of two >= max(len, 2 KiB); bytes past len read as zero. */
void pci_function_set_rom(struct pci_function *f, const uint8_t *data, uint32_t len);

/* Reads size bytes (1, 2, 4) of the ROM at offset into the ROM BAR, for the
 * owner's MMIO handler; past the BAR's size reads all ones. */
uint32_t pci_rom_read(const struct pci_function *f, uint32_t offset, unsigned size);

/* Configuration accesses as the bus performs them (reg + size <= 256). */
uint32_t pci_config_read(const struct pci_function *f, uint8_t reg, unsigned size);
void pci_config_write(struct pci_function *f, uint8_t reg, uint32_t value, unsigned size);
/* Recomputes every BAR's decoded window and reports changes (after a chip
 * model changed config[] itself, e.g. on reset). */
void pci_function_update_mappings(struct pci_function *f);
/* The current decoded window of BAR n (0-5 or PCI_ROM_SLOT). */
struct pci_bar_map pci_function_bar_map(const struct pci_function *f, unsigned n);

void pci_bus_init(struct pci_bus *bus);
/* Registers ports 0xCF8-0xCFF. */
int pci_bus_attach(struct pci_bus *bus, struct iobus *io, char *err, size_t err_len);
/* Places f at bus 0, device dev (0-31), function fn (0-7). */
int pci_bus_add(struct pci_bus *bus, struct pci_function *f, unsigned dev, unsigned fn, char *err,
                size_t err_len);

#endif
