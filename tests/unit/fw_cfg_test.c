/* fw_cfg tests: the traditional interface (selector 0x510, data 0x511) for
 * the signature, ID, RAM size, CPU and boot-menu items, reads past the end and
 * of missing items, the file directory parsed as SeaBIOS parses it, selecting
 * and reading files, the direct-boot items, the e820 helper; and the DMA
 * interface at 0x514: select+read into a physmem buffer, skip, zero fill past
 * the end, write refusal, 64-bit addresses, and rejected out-of-range guest
 * addresses and lengths. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/fw_cfg.h"

#define RAM_SIZE (1u << 20)

static struct iobus io;
static struct physmem *pm;
static struct fw_cfg fw;
static char err[256];

static void setup(void)
{
    iobus_init(&io);
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, RAM_SIZE, err, sizeof err));
    ck_assert_int_eq(fw_cfg_init(&fw, &io, pm, err, sizeof err), 0);
}

static void teardown(void)
{
    fw_cfg_free(&fw);
    physmem_destroy(pm);
}

/* ---- guest-side helpers ------------------------------------------------- */

static void select_key(uint16_t key) { iobus_write(&io, FW_CFG_PORT_SEL, key, 2); }

static void read_data(void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)iobus_read(&io, FW_CFG_PORT_DATA, 1);
}

static uint64_t read_le(uint16_t key, unsigned size)
{
    uint8_t b[8] = {0};
    select_key(key);
    read_data(b, size);
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint64_t)b[k] << (8 * k);
    return v;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

/* An FWCfgDmaAccess at desc, started the way SeaBIOS does (low half only),
 * after an optional high half; returns the control word written back. */
static uint32_t dma(uint64_t desc, uint32_t control, uint32_t length, uint64_t address)
{
    uint8_t a[16];
    for (unsigned k = 0; k < 4; k++) {
        a[k] = (uint8_t)(control >> (24 - 8 * k));
        a[4 + k] = (uint8_t)(length >> (24 - 8 * k));
    }
    for (unsigned k = 0; k < 8; k++)
        a[8 + k] = (uint8_t)(address >> (56 - 8 * k));
    if (desc + 16 <= RAM_SIZE)
        physmem_write_block(pm, desc, a, sizeof a);
    if (desc >> 32)
        iobus_write(&io, FW_CFG_PORT_DMA, __builtin_bswap32((uint32_t)(desc >> 32)), 4);
    iobus_write(&io, FW_CFG_PORT_DMA + 4, __builtin_bswap32((uint32_t)desc), 4);
    if (desc + 16 > RAM_SIZE)
        return 0xFFFFFFFFu;
    uint8_t c[4];
    physmem_read_block(pm, desc, c, 4);
    return be32(c);
}

#define DESC 0x1000u
#define BUF 0x2000u

/* ---- traditional interface ---------------------------------------------- */

START_TEST(test_signature_and_id)
{
    char sig[5] = {0};
    select_key(FW_CFG_SIGNATURE);
    read_data(sig, 4);
    ck_assert_str_eq(sig, "QEMU");
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 0); /* past the end */
    /* A byte read at 0x510 reads the data register as well (QEMU's x86 ports). */
    select_key(FW_CFG_SIGNATURE);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_SEL, 1), 'Q');
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'E');
    /* Selecting resets the offset; bit 14 (old write channel) selects the same item. */
    select_key(FW_CFG_SIGNATURE | FW_CFG_WRITE_CHANNEL);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'Q');
    /* Data writes and byte writes to the selector change nothing. */
    select_key(FW_CFG_SIGNATURE);
    iobus_write(&io, FW_CFG_PORT_DATA, 'X', 1);
    iobus_write(&io, FW_CFG_PORT_SEL, FW_CFG_ID, 1);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'Q');
    ck_assert_uint_eq(read_le(FW_CFG_ID, 4), FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_SEL, 2), 0xFFFF); /* write-only selector */
    /* The DMA address register reads "QEMU CFG" big-endian. */
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DMA, 4), 0x554D4551u);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DMA + 4, 4), 0x47464320u);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DMA + 5, 1), 'C');
}
END_TEST

START_TEST(test_no_dma_without_memory)
{
    struct iobus io2;
    struct fw_cfg fw2;
    iobus_init(&io2);
    ck_assert_int_eq(fw_cfg_init(&fw2, &io2, NULL, err, sizeof err), 0);
    iobus_write(&io2, FW_CFG_PORT_SEL, FW_CFG_ID, 2);
    ck_assert_uint_eq(iobus_read(&io2, FW_CFG_PORT_DATA, 1), FW_CFG_ID_TRADITIONAL);
    ck_assert_uint_eq(iobus_read(&io2, FW_CFG_PORT_DMA, 4), 0xFFFFFFFFu); /* nothing there */
    fw_cfg_free(&fw2);
    /* The ports cannot be registered twice on one bus. */
    ck_assert_int_eq(fw_cfg_init(&fw2, &io, pm, err, sizeof err), -1);
}
END_TEST

START_TEST(test_machine_items)
{
    ck_assert_int_eq(fw_cfg_set_ram_size(&fw, 0x123456789ull), 0);
    ck_assert_int_eq(fw_cfg_set_cpus(&fw, 2, 8), 0);
    ck_assert_int_eq(fw_cfg_set_boot_menu(&fw, true), 0);
    ck_assert_int_eq(fw_cfg_add_i32(&fw, FW_CFG_IRQ0_OVERRIDE, 1), 0);
    ck_assert_uint_eq(read_le(FW_CFG_RAM_SIZE, 8), 0x123456789ull);
    ck_assert_uint_eq(read_le(FW_CFG_NB_CPUS, 2), 2);
    ck_assert_uint_eq(read_le(FW_CFG_MAX_CPUS, 2), 8);
    ck_assert_uint_eq(read_le(FW_CFG_BOOT_MENU, 2), 1);
    ck_assert_uint_eq(read_le(FW_CFG_IRQ0_OVERRIDE, 4), 1);
    /* Reading past the end, and missing items, give zeros. */
    ck_assert_uint_eq(read_le(FW_CFG_NB_CPUS, 8), 2);
    ck_assert_uint_eq(read_le(FW_CFG_NUMA, 8), 0);
    ck_assert_uint_eq(read_le(FW_CFG_E820_TABLE, 4), 0);
    ck_assert_uint_eq(read_le(0x3FFF, 4), 0);
    ck_assert_uint_eq(read_le(0xBFFF, 4), 0);
    /* Replacing an item. */
    ck_assert_int_eq(fw_cfg_set_cpus(&fw, 4, 4), 0);
    ck_assert_uint_eq(read_le(FW_CFG_NB_CPUS, 2), 4);
    /* Keys the setters refuse. */
    ck_assert_int_eq(fw_cfg_add_i32(&fw, FW_CFG_FILE_DIR, 0), -1);
    ck_assert_int_eq(fw_cfg_add_i32(&fw, FW_CFG_FILE_FIRST, 0), -1);
    ck_assert_int_eq(fw_cfg_add_i32(&fw, FW_CFG_NB_CPUS | FW_CFG_WRITE_CHANNEL, 0), -1);
    ck_assert_int_eq(fw_cfg_add_i32(&fw, FW_CFG_ARCH_LOCAL + FW_CFG_ARCH_SLOTS, 0), -1);
}
END_TEST

START_TEST(test_direct_boot_items)
{
    static const uint8_t kernel[5] = {1, 2, 3, 4, 5}, setup_code[3] = {9, 8, 7}, initrd[2] = {0xAB, 0xCD};
    ck_assert_int_eq(fw_cfg_set_kernel(&fw, 0x100000, kernel, sizeof kernel), 0);
    ck_assert_int_eq(fw_cfg_set_setup(&fw, 0x10000, setup_code, sizeof setup_code), 0);
    ck_assert_int_eq(fw_cfg_set_initrd(&fw, 0x7F00000, initrd, sizeof initrd), 0);
    ck_assert_int_eq(fw_cfg_set_cmdline(&fw, 0x20000, "console=ttyS0"), 0);
    ck_assert_int_eq(fw_cfg_set_kernel_entry(&fw, 0x100200), 0);
    ck_assert_uint_eq(read_le(FW_CFG_KERNEL_ADDR, 4), 0x100000);
    ck_assert_uint_eq(read_le(FW_CFG_KERNEL_SIZE, 4), 5);
    ck_assert_uint_eq(read_le(FW_CFG_KERNEL_DATA, 5), 0x0504030201ull);
    ck_assert_uint_eq(read_le(FW_CFG_SETUP_ADDR, 4), 0x10000);
    ck_assert_uint_eq(read_le(FW_CFG_SETUP_SIZE, 4), 3);
    ck_assert_uint_eq(read_le(FW_CFG_SETUP_DATA, 3), 0x070809);
    ck_assert_uint_eq(read_le(FW_CFG_INITRD_ADDR, 4), 0x7F00000);
    ck_assert_uint_eq(read_le(FW_CFG_INITRD_SIZE, 4), 2);
    ck_assert_uint_eq(read_le(FW_CFG_INITRD_DATA, 2), 0xCDAB);
    ck_assert_uint_eq(read_le(FW_CFG_CMDLINE_ADDR, 4), 0x20000);
    ck_assert_uint_eq(read_le(FW_CFG_CMDLINE_SIZE, 4), 14); /* with the NUL */
    char cmd[16] = {0};
    select_key(FW_CFG_CMDLINE_DATA);
    read_data(cmd, 14);
    ck_assert_str_eq(cmd, "console=ttyS0");
    ck_assert_uint_eq(read_le(FW_CFG_KERNEL_ENTRY, 4), 0x100200);
}
END_TEST

/* Parses the directory through the ports, as qemu_cfg_init does. */
struct dir_entry {
    uint32_t size;
    uint16_t select;
    char name[56];
};

static unsigned read_directory(struct dir_entry *out, unsigned max)
{
    uint8_t b[64];
    select_key(FW_CFG_FILE_DIR);
    read_data(b, 4);
    unsigned count = be32(b);
    for (unsigned i = 0; i < count && i < max; i++) {
        read_data(b, 64);
        out[i].size = be32(b);
        out[i].select = (uint16_t)(b[4] << 8 | b[5]);
        ck_assert_uint_eq(b[6] | b[7], 0);
        memcpy(out[i].name, b + 8, 56);
        ck_assert_uint_eq(out[i].name[55], 0);
    }
    return count;
}

START_TEST(test_file_directory)
{
    struct dir_entry d[8];
    ck_assert_uint_eq(read_directory(d, 8), 0);
    static const char order[] = "/pci@i0cf8/ide@1,1/drive@0/disk@0\n";
    ck_assert_int_eq(fw_cfg_add_e820(&fw, 128u << 20), 0);
    ck_assert_int_eq(fw_cfg_add_file(&fw, "bootorder", order, sizeof order - 1), 0);
    ck_assert_int_eq(fw_cfg_add_file_int(&fw, "etc/boot-fail-wait", 5, 4), 0);
    ck_assert_int_eq(fw_cfg_add_file_int(&fw, "etc/show-boot-menu", 0, 2), 0);
    ck_assert_uint_eq(read_directory(d, 8), 4);
    /* Sorted by name, keys from 0x20 in that order. */
    ck_assert_str_eq(d[0].name, "bootorder");
    ck_assert_str_eq(d[1].name, "etc/boot-fail-wait");
    ck_assert_str_eq(d[2].name, "etc/e820");
    ck_assert_str_eq(d[3].name, "etc/show-boot-menu");
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(d[i].select, FW_CFG_FILE_FIRST + i);
    ck_assert_uint_eq(d[0].size, sizeof order - 1);
    ck_assert_uint_eq(d[1].size, 4);
    ck_assert_uint_eq(d[2].size, 20);
    ck_assert_uint_eq(d[3].size, 2);
    /* Select each file and read it. */
    char text[64] = {0};
    select_key(d[0].select);
    read_data(text, d[0].size);
    ck_assert_str_eq(text, order);
    ck_assert_uint_eq(read_le(d[1].select, 4), 5);
    uint8_t e820[20];
    select_key(d[2].select);
    read_data(e820, 20);
    uint64_t addr = 0, len = 0;
    for (unsigned k = 0; k < 8; k++) {
        addr |= (uint64_t)e820[k] << (8 * k);
        len |= (uint64_t)e820[8 + k] << (8 * k);
    }
    ck_assert_uint_eq(addr, 0);
    ck_assert_uint_eq(len, 128u << 20);
    ck_assert_uint_eq(e820[16] | e820[17] << 8 | e820[18] << 16 | (uint32_t)e820[19] << 24, FW_CFG_E820_RAM);
    /* Replacing a file changes its size in place; bad names are refused. */
    ck_assert_int_eq(fw_cfg_add_file(&fw, "bootorder", "x", 1), 0);
    ck_assert_uint_eq(read_directory(d, 8), 4);
    ck_assert_uint_eq(d[0].size, 1);
    ck_assert_int_eq(fw_cfg_add_file(&fw, "", "x", 1), -1);
    char long_name[57];
    memset(long_name, 'a', 56);
    long_name[56] = 0;
    ck_assert_int_eq(fw_cfg_add_file(&fw, long_name, "x", 1), -1);
    long_name[55] = 0; /* 55 characters fit with the NUL */
    ck_assert_int_eq(fw_cfg_add_file(&fw, long_name, "x", 1), 0);
    ck_assert_int_eq(fw_cfg_add_file_int(&fw, "etc/odd", 1, 3), -1);
    ck_assert_uint_eq(read_directory(d, 8), 5);
    ck_assert_str_eq(d[0].name, long_name); /* 'a...' sorts first: the others moved up one key */
    ck_assert_str_eq(d[1].name, "bootorder");
    ck_assert_uint_eq(d[1].select, FW_CFG_FILE_FIRST + 1);
    ck_assert_uint_eq(read_le(d[1].select, 1), 'x');
}
END_TEST

START_TEST(test_directory_full)
{
    char name[16];
    for (unsigned i = 0; i < FW_CFG_FILE_SLOTS; i++) {
        snprintf(name, sizeof name, "opt/f%02u", i);
        ck_assert_int_eq(fw_cfg_add_file(&fw, name, &i, sizeof i), 0);
    }
    ck_assert_int_eq(fw_cfg_add_file(&fw, "opt/one-more", "x", 1), -1);
    struct dir_entry d[FW_CFG_FILE_SLOTS];
    ck_assert_uint_eq(read_directory(d, FW_CFG_FILE_SLOTS), FW_CFG_FILE_SLOTS);
    ck_assert_str_eq(d[FW_CFG_FILE_SLOTS - 1].name, "opt/f63");
    ck_assert_uint_eq(read_le(d[FW_CFG_FILE_SLOTS - 1].select, 4), 63);
}
END_TEST

START_TEST(test_e820_helper)
{
    uint8_t t[40];
    ck_assert_uint_eq(fw_cfg_build_e820(t, 0xDFFFFFFFull), 20);
    uint64_t below, above;
    fw_cfg_pc_ram_split(0xE0000000ull, &below, &above);
    ck_assert_uint_eq(below, 0xC0000000ull);
    ck_assert_uint_eq(above, 0x20000000ull);
    ck_assert_uint_eq(fw_cfg_build_e820(t, 4ull << 30), 40);
    uint64_t a1 = 0, l1 = 0;
    for (unsigned k = 0; k < 8; k++) {
        a1 |= (uint64_t)t[20 + k] << (8 * k);
        l1 |= (uint64_t)t[28 + k] << (8 * k);
    }
    ck_assert_uint_eq(a1, 0x100000000ull);
    ck_assert_uint_eq(l1, 1ull << 30);
    ck_assert_uint_eq(t[36], FW_CFG_E820_RAM);
    ck_assert_uint_eq(t[8] | t[9] << 8 | t[10] << 16 | (uint32_t)t[11] << 24, 0xC0000000u);
}
END_TEST

/* ---- DMA ---------------------------------------------------------------- */

START_TEST(test_dma_select_and_read)
{
    static const char order[] = "/rom@genroms/linuxboot_dma.bin\n";
    ck_assert_int_eq(fw_cfg_add_file(&fw, "bootorder", order, sizeof order - 1), 0);
    /* ID through DMA, as qemu_cfg_init does. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF), 0);
    ck_assert_uint_eq(physmem_read(pm, BUF, 4), FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
    /* Directory count, then one entry continuing at the current offset. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_FILE_DIR << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF), 0);
    uint8_t b[64];
    physmem_read_block(pm, BUF, b, 4);
    ck_assert_uint_eq(be32(b), 1);
    ck_assert_uint_eq(dma(DESC, FW_CFG_DMA_CTL_READ, 64, BUF), 0);
    physmem_read_block(pm, BUF, b, 64);
    ck_assert_uint_eq(be32(b), sizeof order - 1);
    ck_assert_str_eq((char *)b + 8, "bootorder");
    uint16_t key = (uint16_t)(b[4] << 8 | b[5]);
    /* The file in one transfer. */
    char text[64] = {0};
    ck_assert_uint_eq(dma(DESC, (uint32_t)key << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                          sizeof order - 1, BUF + 0x100), 0);
    physmem_read_block(pm, BUF + 0x100, text, sizeof order - 1);
    ck_assert_str_eq(text, order);
    /* Skip 5, then read 3: "genroms" starts at offset 5. */
    ck_assert_uint_eq(dma(DESC, (uint32_t)key << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP, 5, 0), 0);
    ck_assert_uint_eq(dma(DESC, FW_CFG_DMA_CTL_READ, 3, BUF + 0x200), 0);
    physmem_read_block(pm, BUF + 0x200, text, 3);
    ck_assert_int_eq(memcmp(text, "gen", 3), 0);
    /* DMA and the data port share the offset. */
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'r');
    /* A select-only operation resets the offset. */
    ck_assert_uint_eq(dma(DESC, (uint32_t)key << 16 | FW_CFG_DMA_CTL_SELECT, 0, 0), 0);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), '/');
}
END_TEST

START_TEST(test_dma_read_past_end_zero_fills)
{
    physmem_write_block(pm, BUF, "XXXXXXXXXXXX", 12);
    ck_assert_uint_eq(dma(DESC, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 10, BUF), 0);
    uint8_t b[12];
    physmem_read_block(pm, BUF, b, 12);
    ck_assert_int_eq(memcmp(b, "QEMU\0\0\0\0\0\0XX", 12), 0);
    /* A missing item reads as zeros too. */
    physmem_write_block(pm, BUF, "YYYY", 4);
    ck_assert_uint_eq(dma(DESC, 0x1234u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 3, BUF), 0);
    physmem_read_block(pm, BUF, b, 4);
    ck_assert_int_eq(memcmp(b, "\0\0\0Y", 4), 0);
    /* Skipping past the end stops at the end. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP, 100, 0), 0);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 0);
}
END_TEST

START_TEST(test_dma_rejects_bad_ranges)
{
    ck_assert_int_eq(fw_cfg_set_ram_size(&fw, RAM_SIZE), 0);
    /* Target outside RAM: error bit, nothing read (the offset did not move). */
    ck_assert_uint_eq(dma(DESC, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4,
                          0x80000000u), FW_CFG_DMA_CTL_ERROR);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'Q');
    /* Straddling the end of RAM. */
    physmem_write_block(pm, RAM_SIZE - 2, "ZZ", 2);
    ck_assert_uint_eq(dma(DESC, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4,
                          RAM_SIZE - 2), FW_CFG_DMA_CTL_ERROR);
    ck_assert_uint_eq(physmem_read(pm, RAM_SIZE - 2, 2), 0x5A5A);
    /* A huge length, and an address range that wraps around 2^64. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_RAM_SIZE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                          0xFFFFFFFFu, BUF), FW_CFG_DMA_CTL_ERROR);
    ck_assert_uint_eq(dma(DESC, FW_CFG_RAM_SIZE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 0x20,
                          0xFFFFFFFFFFFFFFF0ull), FW_CFG_DMA_CTL_ERROR);
    /* Exactly the last bytes of RAM are fine. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_RAM_SIZE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 8,
                          RAM_SIZE - 8), 0);
    ck_assert_uint_eq(physmem_read(pm, RAM_SIZE - 8, 8), RAM_SIZE);
    /* Writes are refused with the error bit. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_RAM_SIZE << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE, 8, BUF),
                      FW_CFG_DMA_CTL_ERROR);
    ck_assert_uint_eq(read_le(FW_CFG_RAM_SIZE, 8), RAM_SIZE);
    /* A structure outside RAM (or straddling its end) is ignored: no crash, nothing changes. */
    select_key(FW_CFG_SIGNATURE);
    dma(0x80000000u, 0, 0, 0);
    dma(RAM_SIZE - 8, 0, 0, 0);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'Q');
    /* Only dword writes to the two halves count. */
    iobus_write(&io, FW_CFG_PORT_DMA + 4, 0x12, 1);
    iobus_write(&io, FW_CFG_PORT_DMA + 6, 0x1234, 2);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'E');
}
END_TEST

START_TEST(test_dma_64bit_address)
{
    /* The high half points above RAM: dropped, and the register is zero again
     * afterwards, so a later low-half-only start works. */
    select_key(FW_CFG_SIGNATURE);
    dma(0x100000000ull | DESC, FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF);
    ck_assert_uint_eq(iobus_read(&io, FW_CFG_PORT_DATA, 1), 'Q'); /* not selected */
    ck_assert_uint_eq(dma(DESC, FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, BUF), 0);
    ck_assert_uint_eq(physmem_read(pm, BUF, 4), 3);
    /* A 64-bit target address above RAM is rejected. */
    ck_assert_uint_eq(dma(DESC, FW_CFG_ID << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4,
                          0x100000000ull | BUF), FW_CFG_DMA_CTL_ERROR);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fw_cfg");
    TCase *tc = tcase_create("ports");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_signature_and_id);
    tcase_add_test(tc, test_no_dma_without_memory);
    tcase_add_test(tc, test_machine_items);
    tcase_add_test(tc, test_direct_boot_items);
    tcase_add_test(tc, test_file_directory);
    tcase_add_test(tc, test_directory_full);
    tcase_add_test(tc, test_e820_helper);
    suite_add_tcase(s, tc);

    tc = tcase_create("dma");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dma_select_and_read);
    tcase_add_test(tc, test_dma_read_past_end_zero_fills);
    tcase_add_test(tc, test_dma_rejects_bad_ranges);
    tcase_add_test(tc, test_dma_64bit_address);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
