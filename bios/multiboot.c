/* Multiboot v1 loader (see multiboot.h), per the Multiboot Specification 0.6.96:
 * §3.1 the header (magic, flags, checksum within the first 8192 bytes, 4-byte
 * aligned), §3.1.3 the address fields (flag 16), ELF loading otherwise, §3.3 the
 * information structure (flags bit 0 mem_lower/mem_upper, bit 2 cmdline, bit 6 mmap). */
#include "multiboot.h"

#include <stdio.h>
#include <string.h>

#define MB_FLAG_PAGE_ALIGN 0x1u
#define MB_FLAG_MEMORY_INFO 0x2u
#define MB_FLAG_VIDEO_MODE 0x4u
#define MB_FLAG_ADDRESSES 0x10000u

#define INFO_ADDR 0x9000u    /* information structure, below the EBDA */
#define MMAP_ADDR 0x9100u
#define CMDLINE_ADDR 0x9400u
#define CMDLINE_MAX 0xB00u

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static long find_header(const uint8_t *image, size_t len)
{
    size_t limit = len < 8192 ? len : 8192;
    for (size_t off = 0; off + 12 <= limit; off += 4)
        if (rd32(image + off) == MULTIBOOT_HEADER_MAGIC &&
            (uint32_t)(rd32(image + off) + rd32(image + off + 4) + rd32(image + off + 8)) == 0)
            return (long)off;
    return -1;
}

int multiboot_detect(const uint8_t *image, size_t len) { return find_header(image, len) >= 0; }

/* Copies [src, src+n) of the image to phys and zeroes up to phys+memsz, inside RAM. */
static int place(struct physmem *pm, uint64_t ram, uint64_t phys, const uint8_t *src, uint64_t n, uint64_t memsz,
                 char *err, size_t err_len)
{
    if (memsz < n || phys < 0x100000 || phys > ram || memsz > ram - phys) {
        snprintf(err, err_len, "multiboot: segment at 0x%llx (0x%llx bytes) is outside RAM above 1 MiB",
                 (unsigned long long)phys, (unsigned long long)memsz);
        return -1;
    }
    physmem_write_block(pm, phys, src, n);
    for (uint64_t k = n; k < memsz; k++)
        physmem_write(pm, phys + k, 0, 1);
    return 0;
}

static int load_elf(struct physmem *pm, const uint8_t *image, size_t len, uint64_t ram, uint32_t *entry, char *err,
                    size_t err_len)
{
    if (len < 52 || memcmp(image, "\x7F" "ELF", 4) != 0 || image[4] != 1 /* 32-bit */ || image[5] != 1 ||
        rd16(image + 18) != 3 /* i386 */) {
        snprintf(err, err_len, "multiboot: no address fields and not an ELF32 i386 image");
        return -1;
    }
    uint32_t phoff = rd32(image + 28);
    uint16_t phentsize = rd16(image + 42), phnum = rd16(image + 44);
    if (phentsize < 32 || phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
        snprintf(err, err_len, "multiboot: bad ELF program headers");
        return -1;
    }
    for (unsigned k = 0; k < phnum; k++) {
        const uint8_t *ph = image + phoff + (size_t)k * phentsize;
        if (rd32(ph) != 1) /* PT_LOAD */
            continue;
        uint32_t offset = rd32(ph + 4), paddr = rd32(ph + 12), filesz = rd32(ph + 16), memsz = rd32(ph + 20);
        if (offset > len || filesz > len - offset) {
            snprintf(err, err_len, "multiboot: ELF segment %u runs past the end of the file", k);
            return -1;
        }
        if (place(pm, ram, paddr, image + offset, filesz, memsz, err, err_len) != 0)
            return -1;
    }
    *entry = rd32(image + 24);
    return 0;
}

int multiboot_load(struct physmem *pm, const uint8_t *image, size_t len, const char *cmdline, uint64_t ram_bytes,
                   struct multiboot_start *out, char *err, size_t err_len)
{
    long hoff = find_header(image, len);
    if (hoff < 0) {
        snprintf(err, err_len, "multiboot: no Multiboot header in the first 8 KiB");
        return -1;
    }
    const uint8_t *h = image + hoff;
    uint32_t flags = rd32(h + 4);
    if (flags & 0xFFFCu & ~(MB_FLAG_MEMORY_INFO | MB_FLAG_VIDEO_MODE)) {
        /* bits 0-15 are requirements a loader must meet or refuse (§3.1.2); page
         * alignment (bit 0) is met by the ELF/a.out placement, memory info always */
        snprintf(err, err_len, "multiboot: header asks for unsupported features (flags 0x%x)", flags);
        return -1;
    }
    uint32_t entry;
    if (flags & MB_FLAG_ADDRESSES) {
        if (len < (size_t)hoff + 32) {
            snprintf(err, err_len, "multiboot: header truncated");
            return -1;
        }
        uint32_t header_addr = rd32(h + 12), load_addr = rd32(h + 16), load_end = rd32(h + 20),
                 bss_end = rd32(h + 24);
        entry = rd32(h + 28);
        if (load_addr > header_addr || header_addr - load_addr > (uint32_t)hoff) {
            snprintf(err, err_len, "multiboot: load_addr 0x%x inconsistent with header_addr 0x%x", load_addr,
                     header_addr);
            return -1;
        }
        uint64_t file_off = (uint64_t)hoff - (header_addr - load_addr);
        uint64_t n = load_end ? (uint64_t)load_end - load_addr : len - file_off;
        if (load_end && load_end < load_addr) {
            snprintf(err, err_len, "multiboot: load_end_addr below load_addr");
            return -1;
        }
        if (n > len - file_off)
            n = len - file_off;
        uint64_t memsz = bss_end && bss_end > load_addr ? (uint64_t)bss_end - load_addr : n;
        if (place(pm, ram_bytes, load_addr, image + file_off, n, memsz < n ? n : memsz, err, err_len) != 0)
            return -1;
    } else if (load_elf(pm, image, len, ram_bytes, &entry, err, err_len) != 0) {
        return -1;
    }

    /* Information structure: memory (KiB below 640 KiB and above 1 MiB), a memory
     * map, and the command line. */
    uint8_t info[88] = {0};
    uint32_t info_flags = 0x1u | 0x40u;
    uint32_t mem_upper_kb = (uint32_t)((ram_bytes - 0x100000) / 1024);
    memcpy(info + 4, &(uint32_t){640}, 4);
    memcpy(info + 8, &mem_upper_kb, 4);
    if (cmdline) {
        size_t cl = strlen(cmdline);
        if (cl >= CMDLINE_MAX)
            cl = CMDLINE_MAX - 1;
        physmem_write_block(pm, CMDLINE_ADDR, cmdline, cl);
        physmem_write(pm, CMDLINE_ADDR + cl, 0, 1);
        memcpy(info + 16, &(uint32_t){CMDLINE_ADDR}, 4);
        info_flags |= 0x4u;
    }
    /* mmap entries: size (of the rest, 20), base, length, type (1 = RAM, 2 = reserved) */
    uint8_t mmap[3 * 24];
    uint64_t ranges[3][3] = {{0, 0x9F000, 1}, {0xF0000, 0x10000, 2}, {0x100000, ram_bytes - 0x100000, 1}};
    for (unsigned k = 0; k < 3; k++) {
        uint32_t size = 20, type = (uint32_t)ranges[k][2];
        memcpy(mmap + 24 * k, &size, 4);
        memcpy(mmap + 24 * k + 4, &ranges[k][0], 8);
        memcpy(mmap + 24 * k + 12, &ranges[k][1], 8);
        memcpy(mmap + 24 * k + 20, &type, 4);
    }
    physmem_write_block(pm, MMAP_ADDR, mmap, sizeof mmap);
    memcpy(info + 44, &(uint32_t){sizeof mmap}, 4);
    memcpy(info + 48, &(uint32_t){MMAP_ADDR}, 4);
    memcpy(info, &info_flags, 4);
    physmem_write_block(pm, INFO_ADDR, info, sizeof info);
    out->entry = entry;
    out->info_addr = INFO_ADDR;
    return 0;
}
