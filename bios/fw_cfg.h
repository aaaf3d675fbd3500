/* QEMU's firmware configuration interface (fw_cfg) as the x86 "pc" machine
 * exposes it: a 16-bit selector at I/O port 0x510, an 8-bit data port at
 * 0x511, and the DMA interface at 0x514-0x51B.  SeaBIOS finds the machine's
 * RAM size, CPU count, boot order, e820 map, tables and the direct-boot kernel
 * through it.
 *
 * Items are byte arrays copied in by the setters; fixed keys below 0x20 (and
 * the x86-specific keys from 0x8000), and named files at keys 0x20 and up,
 * listed in the file directory (key 0x19).  Reading past an item's end, or an
 * item that does not exist, returns zeros.  Guest writes of items are refused. */
#ifndef RINGZERO_BIOS_FW_CFG_H
#define RINGZERO_BIOS_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/iobus.h"
#include "mem/physmem.h"

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_PORT_DMA  0x514 /* 64-bit big-endian address: high half here, low half at 0x518 */

enum fw_cfg_key {
    FW_CFG_SIGNATURE = 0x00, /* "QEMU" */
    FW_CFG_ID = 0x01,        /* LE32 feature bits */
    FW_CFG_UUID = 0x02,
    FW_CFG_RAM_SIZE = 0x03,  /* LE64 */
    FW_CFG_NOGRAPHIC = 0x04,
    FW_CFG_NB_CPUS = 0x05,   /* LE16 */
    FW_CFG_MACHINE_ID = 0x06,
    FW_CFG_KERNEL_ADDR = 0x07,
    FW_CFG_KERNEL_SIZE = 0x08,
    FW_CFG_KERNEL_CMDLINE = 0x09,
    FW_CFG_INITRD_ADDR = 0x0A,
    FW_CFG_INITRD_SIZE = 0x0B,
    FW_CFG_BOOT_DEVICE = 0x0C,
    FW_CFG_NUMA = 0x0D,
    FW_CFG_BOOT_MENU = 0x0E, /* LE16 */
    FW_CFG_MAX_CPUS = 0x0F,  /* LE16 */
    FW_CFG_KERNEL_ENTRY = 0x10,
    FW_CFG_KERNEL_DATA = 0x11,
    FW_CFG_INITRD_DATA = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13,
    FW_CFG_CMDLINE_SIZE = 0x14,
    FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR = 0x16,
    FW_CFG_SETUP_SIZE = 0x17,
    FW_CFG_SETUP_DATA = 0x18,
    FW_CFG_FILE_DIR = 0x19,
    FW_CFG_FILE_FIRST = 0x20,
    FW_CFG_ARCH_LOCAL = 0x8000,
    FW_CFG_ACPI_TABLES = 0x8000,
    FW_CFG_SMBIOS_ENTRIES = 0x8001,
    FW_CFG_IRQ0_OVERRIDE = 0x8002,
    FW_CFG_E820_TABLE = 0x8003,
    FW_CFG_HPET = 0x8004,
};

#define FW_CFG_WRITE_CHANNEL 0x4000 /* selector bit 14: ignored for reads */
#define FW_CFG_ID_TRADITIONAL 0x01
#define FW_CFG_ID_DMA 0x02

#define FW_CFG_DMA_CTL_ERROR  0x01
#define FW_CFG_DMA_CTL_READ   0x02
#define FW_CFG_DMA_CTL_SKIP   0x04
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE  0x10

#define FW_CFG_FILE_SLOTS 64
#define FW_CFG_ARCH_SLOTS 16
#define FW_CFG_MAX_FILE_NAME 56 /* including the NUL */
#define FW_CFG_DIR_ENTRY_SIZE 64

/* QEMU's "etc/e820" entries: {LE64 address, LE64 length, LE32 type}, packed. */
#define FW_CFG_E820_ENTRY_SIZE 20
#define FW_CFG_E820_RAM 1
#define FW_CFG_E820_RESERVED 2

struct fw_cfg_item {
    uint8_t *data;
    uint32_t len;
};

struct fw_cfg {
    struct fw_cfg_item generic[FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS];
    struct fw_cfg_item arch[FW_CFG_ARCH_SLOTS];
    char file_name[FW_CFG_FILE_SLOTS][FW_CFG_MAX_FILE_NAME]; /* file i is key FW_CFG_FILE_FIRST + i */
    unsigned file_count;
    uint16_t selector;
    uint32_t offset;
    uint32_t dma_high; /* the DMA address register's high half, 0 after each operation */
    struct physmem *mem; /* NULL: no DMA interface */
};

/* Registers the ports (0x514 only with mem) and the signature, ID and empty
 * file directory items.  Returns 0, or -1 with a message. */
int fw_cfg_init(struct fw_cfg *fw, struct iobus *io, struct physmem *mem, char *err, size_t err_len);
/* Frees the items' copies. */
void fw_cfg_free(struct fw_cfg *fw);

/* Sets (replaces) a fixed item; keys 0x00-0x1F except the directory, and
 * 0x8000-0x800F.  Each returns 0, or -1 for a bad key or no memory. */
int fw_cfg_add_bytes(struct fw_cfg *fw, uint16_t key, const void *data, uint32_t len);
int fw_cfg_add_i16(struct fw_cfg *fw, uint16_t key, uint16_t value);
int fw_cfg_add_i32(struct fw_cfg *fw, uint16_t key, uint32_t value);
int fw_cfg_add_i64(struct fw_cfg *fw, uint16_t key, uint64_t value);
/* Adds (or replaces the contents of) a named file; the directory stays sorted
 * by name as on QEMU, so keys are assigned in name order.  -1 if the name is
 * empty or too long, the directory is full, or no memory. */
int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data, uint32_t len);
/* A file holding a little-endian integer of size 1, 2, 4 or 8 bytes
 * ("etc/boot-fail-wait", "etc/show-boot-menu", ...). */
int fw_cfg_add_file_int(struct fw_cfg *fw, const char *name, uint64_t value, unsigned size);
/* The contents of a named file, or NULL if there is none. */
const struct fw_cfg_item *fw_cfg_find_file(const struct fw_cfg *fw, const char *name);

/* The usual machine items. */
int fw_cfg_set_ram_size(struct fw_cfg *fw, uint64_t bytes);
int fw_cfg_set_cpus(struct fw_cfg *fw, uint16_t count, uint16_t max);
int fw_cfg_set_boot_menu(struct fw_cfg *fw, bool show);
/* Direct boot (QEMU's -kernel/-initrd/-append): address and size items plus
 * the data.  The command line is stored with its NUL, as QEMU does. */
int fw_cfg_set_kernel(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len);
int fw_cfg_set_kernel_entry(struct fw_cfg *fw, uint32_t entry);
int fw_cfg_set_setup(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len);
int fw_cfg_set_initrd(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len);
int fw_cfg_set_cmdline(struct fw_cfg *fw, uint32_t load_addr, const char *cmdline);

/* QEMU "pc" RAM split: with 3.5 GiB or more, RAM below 4 GiB stops at 3 GiB
 * and the rest is mapped from 4 GiB; otherwise it is all below. */
void fw_cfg_pc_ram_split(uint64_t ram_size, uint64_t *below_4g, uint64_t *above_4g);
/* Writes one e820 entry (20 bytes) at out. */
void fw_cfg_e820_entry(uint8_t *out, uint64_t address, uint64_t length, uint32_t type);
/* The "etc/e820" table QEMU gives for ram_size bytes (RAM from 0, and from
 * 4 GiB if any); returns its length in bytes. */
size_t fw_cfg_build_e820(uint8_t out[2 * FW_CFG_E820_ENTRY_SIZE], uint64_t ram_size);
/* Adds "etc/e820" built by fw_cfg_build_e820. */
int fw_cfg_add_e820(struct fw_cfg *fw, uint64_t ram_size);

#endif
