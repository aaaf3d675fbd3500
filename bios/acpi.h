/* ACPI tables for the PC board, handed to SeaBIOS the way QEMU hands them:
 * three fw_cfg files.
 *
 *   "etc/acpi/tables"  one blob: FACS, DSDT, FADT, MADT, RSDT, with every
 *                      pointer field holding the offset of its target within
 *                      the blob and every checksum valid for those values
 *   "etc/acpi/rsdp"    the RSDP (revision 0, 20 bytes), RSDT pointer likewise
 *   "etc/table-loader" the script SeaBIOS runs (src/fw/romfile_loader.c):
 *                      128-byte little-endian commands; ALLOCATE copies a file
 *                      into memory (the RSDP in the F segment, where an OS
 *                      scans for it, the blob in high memory), ADD_POINTER adds
 *                      a file's load address to a field of another (so the
 *                      offsets become addresses), ADD_CHECKSUM subtracts a
 *                      range's byte sum from a checksum byte (so it sums to 0
 *                      again after the pointers changed).
 *
 * The tables (ACPI 6.x chapter 5): FADT revision 3 pointing at the PM
 * registers of devices/acpi_pm.h, SCI on ISA IRQ 9, the PIIX3 reset register
 * (0xCF9, value 6), 8042 and VGA present; MADT with the local APIC, the IOAPIC,
 * ISA IRQ 0 -> GSI 2 and IRQs 9-11 level/active high; a DSDT in AML built
 * here: \_SB.PCI0 (PNP0A03) with its resources and PCI interrupt routing, the
 * ISA devices under it, \_SB.CPU0, and \_S5. */
#ifndef RINGZERO_BIOS_ACPI_H
#define RINGZERO_BIOS_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "fw_cfg.h"

#define ACPI_FILE_TABLES "etc/acpi/tables"
#define ACPI_FILE_RSDP   "etc/acpi/rsdp"
#define ACPI_FILE_LOADER "etc/table-loader"

#define ACPI_TABLES_MAX 4096
#define ACPI_RSDP_LEN 20
#define ACPI_HEADER_LEN 36
#define ACPI_FACS_LEN 64
#define ACPI_FADT_LEN 244 /* revision 3 (ACPI 2.0 layout, §5.2.9) */

/* The table-loader script (QEMU's BIOSLinkerLoader format). */
#define ACPI_LOADER_ENTRY_LEN 128
#define ACPI_LOADER_FILE_LEN 56 /* file names, NUL-padded */
#define ACPI_LOADER_MAX_ENTRIES 16
enum acpi_loader_command {
    ACPI_LOADER_ALLOCATE = 1,     /* file, LE32 align, u8 zone */
    ACPI_LOADER_ADD_POINTER = 2,  /* dest file, src file, LE32 offset, u8 size */
    ACPI_LOADER_ADD_CHECKSUM = 3, /* file, LE32 checksum offset, LE32 start, LE32 length */
};
enum acpi_loader_zone { ACPI_LOADER_ZONE_HIGH = 1, ACPI_LOADER_ZONE_FSEG = 2 };

/* FADT byte offsets used by the tests and SeaBIOS (Table 5.9). */
enum acpi_fadt_offset {
    ACPI_FADT_FIRMWARE_CTRL = 36,
    ACPI_FADT_DSDT = 40,
    ACPI_FADT_SCI_INT = 46,
    ACPI_FADT_SMI_CMD = 48,
    ACPI_FADT_PM1A_EVT_BLK = 56,
    ACPI_FADT_PM1A_CNT_BLK = 64,
    ACPI_FADT_PM_TMR_BLK = 76,
    ACPI_FADT_PM1_EVT_LEN = 88,
    ACPI_FADT_PM1_CNT_LEN = 89,
    ACPI_FADT_PM_TMR_LEN = 91,
    ACPI_FADT_CENTURY = 108,
    ACPI_FADT_IAPC_BOOT_ARCH = 109,
    ACPI_FADT_FLAGS = 112,
    ACPI_FADT_RESET_REG = 116,
    ACPI_FADT_RESET_VALUE = 128,
    ACPI_FADT_X_PM1A_EVT_BLK = 148,
    ACPI_FADT_X_PM1A_CNT_BLK = 172,
    ACPI_FADT_X_PM_TMR_BLK = 208,
};
/* FADT Flags (Table 5.10) and IAPC_BOOT_ARCH (Table 5.11). */
#define ACPI_FADT_F_WBINVD        (1u << 0)
#define ACPI_FADT_F_PROC_C1       (1u << 2)
#define ACPI_FADT_F_SLP_BUTTON    (1u << 5) /* no fixed-feature sleep button */
#define ACPI_FADT_F_FIX_RTC       (1u << 6) /* no RTC wake status in the fixed registers */
#define ACPI_FADT_F_RESET_REG_SUP (1u << 10)
#define ACPI_IAPC_LEGACY_DEVICES  (1u << 0)
#define ACPI_IAPC_8042            (1u << 1)
#define ACPI_IAPC_NO_VGA          (1u << 2)
#define ACPI_IAPC_NO_MSI          (1u << 3)

/* MADT interrupt source override flags (Table 5.50): MPS INTI polarity and trigger. */
#define ACPI_MPS_ACTIVE_HIGH 0x1
#define ACPI_MPS_LEVEL       0xC

struct acpi_config {
    uint64_t ram_below_4g; /* the PCI MMIO window starts here and ends at 0xFEBFFFFF */
    uint16_t pm_base;      /* devices/acpi_pm.h register block */
    uint8_t sci_irq;
    uint8_t ioapic_id;
    uint32_t ioapic_addr, lapic_addr;
    uint16_t reset_port;
    uint8_t reset_value;
    uint8_t pci_irq[4];    /* the ISA IRQ (= GSI) each PIIX3 PIRQ A-D is routed to */
    uint8_t slp_typ_s5;    /* \_S5's SLP_TYP */
};

/* The PC board's values: PM at 0x600, SCI 9, IOAPIC ID 1 at 0xFEC00000 (as in
 * SeaBIOS's MP table), local APIC at 0xFEE00000, reset 6 to 0xCF9, PIRQ A-D
 * on IRQ 10, 10, 11, 11 (SeaBIOS's PIIX routing), S5 = SLP_TYP 0. */
struct acpi_config acpi_pc_config(uint64_t ram_below_4g);

struct acpi_build {
    uint8_t tables[ACPI_TABLES_MAX];
    uint32_t tables_len;
    uint8_t rsdp[ACPI_RSDP_LEN];
    uint8_t loader[ACPI_LOADER_MAX_ENTRIES * ACPI_LOADER_ENTRY_LEN];
    uint32_t loader_len;
    /* where each table starts in `tables`, and its length */
    uint32_t facs, dsdt, fadt, madt, rsdt;
    uint32_t dsdt_len, madt_len, rsdt_len;
};

/* Builds everything; 0, or -1 if it would not fit (a bug). */
int acpi_build(const struct acpi_config *cfg, struct acpi_build *out);
/* The 8-bit sum of the bytes (0 for a valid ACPI checksum). */
uint8_t acpi_sum(const uint8_t *data, size_t len);
/* Builds the tables and adds the three fw_cfg files; 0, or -1 with a message. */
int acpi_add_fw_cfg(struct fw_cfg *fw, const struct acpi_config *cfg, char *err, size_t err_len);

#endif
