/* QEMU firmware configuration device (see fw_cfg.h).
 *
 * Follows QEMU's docs/specs/fw_cfg.rst: selector register (16-bit, little-
 * endian on I/O; bit 14 the obsolete write channel, bit 15 the
 * architecture-specific range), data register (8-bit on I/O, offset reset by
 * each selection, zeros past the end), file directory (BE32 count, then
 * 64-byte entries of BE32 size, BE16 select, reserved, 56-byte name), and the
 * DMA interface: a big-endian 64-bit address register whose low half (at
 * offset 4) starts an operation on the FWCfgDmaAccess structure {BE32
 * control, BE32 length, BE64 address} at that address, with control bits
 * error/read/skip/select/write, and the register reading "QEMU CFG".
 * On the x86 I/O ports, as on QEMU, a byte read at 0x510 reads the data
 * register like 0x511 and only a word write at 0x510 selects.
 *
 * Guest-supplied DMA addresses and lengths are checked against the memory
 * map before anything is touched: the access structure and the whole target
 * range must lie in RAM (or shadow RAM), else the error bit is set (or, for
 * an unusable structure address, nothing happens at all). */
#include "fw_cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t fw_cfg_signature[4] = {'Q', 'E', 'M', 'U'};
static const uint8_t fw_cfg_dma_signature[8] = {'Q', 'E', 'M', 'U', ' ', 'C', 'F', 'G'};

static void put_le(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static void put_be(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        p[k] = (uint8_t)(v >> (8 * (size - 1 - k)));
}

static uint64_t get_be(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v = v << 8 | p[k];
    return v;
}

static uint32_t bswap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

/* ---- items -------------------------------------------------------------- */

static struct fw_cfg_item *item_for(struct fw_cfg *fw, uint16_t key)
{
    unsigned index = key & 0x3FFF;
    if (key & FW_CFG_ARCH_LOCAL)
        return index < FW_CFG_ARCH_SLOTS ? &fw->arch[index] : NULL;
    return index < FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS ? &fw->generic[index] : NULL;
}

static int set_item(struct fw_cfg_item *it, const void *data, uint32_t len)
{
    uint8_t *copy = NULL;
    if (len) {
        copy = malloc(len);
        if (!copy)
            return -1;
        memcpy(copy, data, len);
    }
    free(it->data);
    it->data = copy;
    it->len = len;
    return 0;
}

int fw_cfg_add_bytes(struct fw_cfg *fw, uint16_t key, const void *data, uint32_t len)
{
    if (key & FW_CFG_WRITE_CHANNEL)
        return -1;
    /* The directory and the file keys are managed by fw_cfg_add_file. */
    if (!(key & FW_CFG_ARCH_LOCAL) && key >= FW_CFG_FILE_DIR)
        return -1;
    struct fw_cfg_item *it = item_for(fw, key);
    return it ? set_item(it, data, len) : -1;
}

int fw_cfg_add_i16(struct fw_cfg *fw, uint16_t key, uint16_t value)
{
    uint8_t b[2];
    put_le(b, value, 2);
    return fw_cfg_add_bytes(fw, key, b, 2);
}

int fw_cfg_add_i32(struct fw_cfg *fw, uint16_t key, uint32_t value)
{
    uint8_t b[4];
    put_le(b, value, 4);
    return fw_cfg_add_bytes(fw, key, b, 4);
}

int fw_cfg_add_i64(struct fw_cfg *fw, uint16_t key, uint64_t value)
{
    uint8_t b[8];
    put_le(b, value, 8);
    return fw_cfg_add_bytes(fw, key, b, 8);
}

static int rebuild_directory(struct fw_cfg *fw)
{
    uint8_t dir[4 + FW_CFG_FILE_SLOTS * FW_CFG_DIR_ENTRY_SIZE];
    memset(dir, 0, sizeof dir);
    put_be(dir, fw->file_count, 4);
    for (unsigned i = 0; i < fw->file_count; i++) {
        uint8_t *e = dir + 4 + i * FW_CFG_DIR_ENTRY_SIZE;
        put_be(e, fw->generic[FW_CFG_FILE_FIRST + i].len, 4);
        put_be(e + 4, FW_CFG_FILE_FIRST + i, 2);
        memcpy(e + 8, fw->file_name[i], FW_CFG_MAX_FILE_NAME);
    }
    return set_item(&fw->generic[FW_CFG_FILE_DIR], dir, 4 + fw->file_count * FW_CFG_DIR_ENTRY_SIZE);
}

int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data, uint32_t len)
{
    size_t name_len = strlen(name);
    if (name_len == 0 || name_len >= FW_CFG_MAX_FILE_NAME)
        return -1;
    unsigned pos = 0;
    while (pos < fw->file_count && strcmp(fw->file_name[pos], name) < 0)
        pos++;
    if (pos < fw->file_count && strcmp(fw->file_name[pos], name) == 0) {
        if (set_item(&fw->generic[FW_CFG_FILE_FIRST + pos], data, len) < 0)
            return -1;
        return rebuild_directory(fw);
    }
    if (fw->file_count == FW_CFG_FILE_SLOTS)
        return -1;
    struct fw_cfg_item fresh = {NULL, 0};
    if (set_item(&fresh, data, len) < 0)
        return -1;
    /* Keep the directory sorted: later names move up one key. */
    struct fw_cfg_item *files = &fw->generic[FW_CFG_FILE_FIRST];
    memmove(&files[pos + 1], &files[pos], (fw->file_count - pos) * sizeof *files);
    memmove(fw->file_name[pos + 1], fw->file_name[pos], (fw->file_count - pos) * sizeof fw->file_name[0]);
    files[pos] = fresh;
    memset(fw->file_name[pos], 0, FW_CFG_MAX_FILE_NAME);
    memcpy(fw->file_name[pos], name, name_len);
    fw->file_count++;
    return rebuild_directory(fw);
}

int fw_cfg_add_file_int(struct fw_cfg *fw, const char *name, uint64_t value, unsigned size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return -1;
    uint8_t b[8];
    put_le(b, value, size);
    return fw_cfg_add_file(fw, name, b, size);
}

const struct fw_cfg_item *fw_cfg_find_file(const struct fw_cfg *fw, const char *name)
{
    for (unsigned i = 0; i < fw->file_count; i++)
        if (strcmp(fw->file_name[i], name) == 0)
            return &fw->generic[FW_CFG_FILE_FIRST + i];
    return NULL;
}

int fw_cfg_set_ram_size(struct fw_cfg *fw, uint64_t bytes) { return fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, bytes); }

int fw_cfg_set_cpus(struct fw_cfg *fw, uint16_t count, uint16_t max)
{
    return fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, count) | fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, max);
}

int fw_cfg_set_boot_menu(struct fw_cfg *fw, bool show) { return fw_cfg_add_i16(fw, FW_CFG_BOOT_MENU, show); }

static int set_blob(struct fw_cfg *fw, uint16_t addr_key, uint16_t size_key, uint16_t data_key, uint32_t addr,
                    const void *data, uint32_t len)
{
    return fw_cfg_add_i32(fw, addr_key, addr) | fw_cfg_add_i32(fw, size_key, len) |
           fw_cfg_add_bytes(fw, data_key, data, len);
}

int fw_cfg_set_kernel(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len)
{
    return set_blob(fw, FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA, load_addr, data, len);
}

int fw_cfg_set_kernel_entry(struct fw_cfg *fw, uint32_t entry)
{
    return fw_cfg_add_i32(fw, FW_CFG_KERNEL_ENTRY, entry);
}

int fw_cfg_set_setup(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len)
{
    return set_blob(fw, FW_CFG_SETUP_ADDR, FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA, load_addr, data, len);
}

int fw_cfg_set_initrd(struct fw_cfg *fw, uint32_t load_addr, const void *data, uint32_t len)
{
    return set_blob(fw, FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA, load_addr, data, len);
}

int fw_cfg_set_cmdline(struct fw_cfg *fw, uint32_t load_addr, const char *cmdline)
{
    size_t len = strlen(cmdline) + 1;
    if (len > UINT32_MAX)
        return -1;
    return set_blob(fw, FW_CFG_CMDLINE_ADDR, FW_CFG_CMDLINE_SIZE, FW_CFG_CMDLINE_DATA, load_addr, cmdline,
                    (uint32_t)len);
}

/* ---- e820 --------------------------------------------------------------- */

void fw_cfg_pc_ram_split(uint64_t ram_size, uint64_t *below_4g, uint64_t *above_4g)
{
    uint64_t below = ram_size >= 0xE0000000ull ? 0xC0000000ull : ram_size;
    *below_4g = below;
    *above_4g = ram_size - below;
}

void fw_cfg_e820_entry(uint8_t *out, uint64_t address, uint64_t length, uint32_t type)
{
    put_le(out, address, 8);
    put_le(out + 8, length, 8);
    put_le(out + 16, type, 4);
}

size_t fw_cfg_build_e820(uint8_t out[2 * FW_CFG_E820_ENTRY_SIZE], uint64_t ram_size)
{
    uint64_t below, above;
    fw_cfg_pc_ram_split(ram_size, &below, &above);
    fw_cfg_e820_entry(out, 0, below, FW_CFG_E820_RAM);
    if (!above)
        return FW_CFG_E820_ENTRY_SIZE;
    fw_cfg_e820_entry(out + FW_CFG_E820_ENTRY_SIZE, 0x100000000ull, above, FW_CFG_E820_RAM);
    return 2 * FW_CFG_E820_ENTRY_SIZE;
}

int fw_cfg_add_e820(struct fw_cfg *fw, uint64_t ram_size)
{
    uint8_t table[2 * FW_CFG_E820_ENTRY_SIZE];
    size_t len = fw_cfg_build_e820(table, ram_size);
    return fw_cfg_add_file(fw, "etc/e820", table, (uint32_t)len);
}

/* ---- the traditional interface ------------------------------------------ */

static void fw_cfg_select(struct fw_cfg *fw, uint16_t key)
{
    fw->selector = key;
    fw->offset = 0;
}

static const struct fw_cfg_item *current(struct fw_cfg *fw)
{
    return item_for(fw, fw->selector & (uint16_t)~FW_CFG_WRITE_CHANNEL);
}

static uint32_t remaining(struct fw_cfg *fw)
{
    const struct fw_cfg_item *it = current(fw);
    return it && fw->offset < it->len ? it->len - fw->offset : 0;
}

static uint8_t data_read_byte(struct fw_cfg *fw)
{
    if (!remaining(fw))
        return 0;
    return current(fw)->data[fw->offset++];
}

static uint32_t fw_cfg_port_read(void *dev, uint16_t offset, unsigned size)
{
    (void)offset;
    if (size != 1)
        return 0xFFFFFFFFu >> (32 - 8 * size); /* the selector is write-only */
    return data_read_byte(dev);
}

static void fw_cfg_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    /* Byte writes are data writes, which QEMU has ignored since v2.4. */
    if (offset == 0 && size == 2)
        fw_cfg_select(dev, (uint16_t)value);
}

/* ---- the DMA interface -------------------------------------------------- */

/* True if every byte of [addr, addr+len) is RAM or shadow RAM. */
static bool dma_range_ok(const struct physmem *pm, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return true;
    if (addr + len < addr)
        return false;
    uint64_t end = addr + len;
    while (addr < end) {
        const struct mem_region *r = physmem_find(pm, addr);
        if (!r || (r->kind != MEM_RAM && r->kind != MEM_SHADOW))
            return false;
        addr = r->base + r->size;
    }
    return true;
}

static void dma_zero(struct physmem *pm, uint64_t addr, uint64_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        size_t chunk = len < sizeof zeros ? (size_t)len : sizeof zeros;
        physmem_write_block(pm, addr, zeros, chunk);
        addr += chunk;
        len -= chunk;
    }
}

/* Runs the operation described at guest physical address desc; returns the
 * control word to write back (0 on success, the error bit on failure). */
static uint32_t dma_transfer(struct fw_cfg *fw, uint64_t desc)
{
    uint8_t access[16];
    physmem_read_block(fw->mem, desc, access, sizeof access);
    uint32_t control = (uint32_t)get_be(access, 4);
    uint32_t length = (uint32_t)get_be(access + 4, 4);
    uint64_t address = get_be(access + 8, 8);

    if (control & FW_CFG_DMA_CTL_SELECT)
        fw_cfg_select(fw, (uint16_t)(control >> 16));
    if (control & FW_CFG_DMA_CTL_READ) {
        if (!dma_range_ok(fw->mem, address, length))
            return FW_CFG_DMA_CTL_ERROR;
        uint32_t n = remaining(fw);
        if (n > length)
            n = length;
        if (n) {
            physmem_write_block(fw->mem, address, current(fw)->data + fw->offset, n);
            fw->offset += n;
        }
        dma_zero(fw->mem, address + n, length - n); /* past the end reads as zeros */
        return 0;
    }
    if (control & FW_CFG_DMA_CTL_WRITE)
        return length ? FW_CFG_DMA_CTL_ERROR : 0; /* no item is writable by the guest */
    if (control & FW_CFG_DMA_CTL_SKIP) {
        uint32_t n = remaining(fw);
        fw->offset += n < length ? n : length;
    }
    return 0;
}

static void dma_start(struct fw_cfg *fw, uint64_t desc)
{
    /* The structure must be RAM we can read and write back: if not, there is
     * nowhere to report an error, so the request is dropped. */
    if (!dma_range_ok(fw->mem, desc, 16))
        return;
    uint8_t status[4];
    put_be(status, dma_transfer(fw, desc), 4);
    physmem_write_block(fw->mem, desc, status, sizeof status);
}

static uint32_t fw_cfg_dma_read(void *dev, uint16_t offset, unsigned size)
{
    (void)dev;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint32_t)fw_cfg_dma_signature[(offset + k) & 7] << (8 * k);
    return v;
}

static void fw_cfg_dma_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct fw_cfg *fw = dev;
    if (size != 4)
        return;
    /* The guest stores the big-endian halves with little-endian OUTs. */
    if (offset == 0) {
        fw->dma_high = bswap32(value);
    } else if (offset == 4) {
        uint64_t desc = (uint64_t)fw->dma_high << 32 | bswap32(value);
        fw->dma_high = 0; /* the register reads back as zero after an operation */
        dma_start(fw, desc);
    }
}

/* ---- set-up ------------------------------------------------------------- */

int fw_cfg_init(struct fw_cfg *fw, struct iobus *io, struct physmem *mem, char *err, size_t err_len)
{
    memset(fw, 0, sizeof *fw);
    fw->mem = mem;
    uint32_t id = FW_CFG_ID_TRADITIONAL | (mem ? FW_CFG_ID_DMA : 0);
    if (fw_cfg_add_bytes(fw, FW_CFG_SIGNATURE, fw_cfg_signature, sizeof fw_cfg_signature) < 0 ||
        fw_cfg_add_i32(fw, FW_CFG_ID, id) < 0 || rebuild_directory(fw) < 0) {
        snprintf(err, err_len, "fw_cfg: out of memory");
        fw_cfg_free(fw);
        return -1;
    }
    struct io_region ports = {.name = "fw_cfg", .base = FW_CFG_PORT_SEL, .size = 2, .widths = 1 | 2,
                              .read = fw_cfg_port_read, .write = fw_cfg_port_write, .dev = fw};
    if (iobus_register(io, &ports, err, err_len) < 0) {
        fw_cfg_free(fw);
        return -1;
    }
    if (mem) {
        struct io_region dma = {.name = "fw_cfg-dma", .base = FW_CFG_PORT_DMA, .size = 8, .widths = 1 | 2 | 4,
                                .read = fw_cfg_dma_read, .write = fw_cfg_dma_write, .dev = fw};
        if (iobus_register(io, &dma, err, err_len) < 0) {
            fw_cfg_free(fw);
            return -1;
        }
    }
    return 0;
}

void fw_cfg_free(struct fw_cfg *fw)
{
    for (unsigned i = 0; i < FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS; i++) {
        free(fw->generic[i].data);
        fw->generic[i] = (struct fw_cfg_item){NULL, 0};
    }
    for (unsigned i = 0; i < FW_CFG_ARCH_SLOTS; i++) {
        free(fw->arch[i].data);
        fw->arch[i] = (struct fw_cfg_item){NULL, 0};
    }
    fw->file_count = 0;
}
