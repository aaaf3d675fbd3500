/* Multiboot (version 1) loading: the kernel image goes into physical memory
 * per its header (the a.out kludge addresses) or its ELF32 program headers, and
 * a Multiboot information structure describes memory and the command line.
 * The caller then starts the CPU as the specification says. */
#ifndef RINGZERO_BIOS_MULTIBOOT_H
#define RINGZERO_BIOS_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "mem/physmem.h"

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT_BOOT_MAGIC 0x2BADB002u /* in EAX at entry */

struct multiboot_start {
    uint32_t entry;     /* EIP */
    uint32_t info_addr; /* EBX: the Multiboot information structure */
};

/* Returns 1 if image carries a Multiboot header, 0 if not. */
int multiboot_detect(const uint8_t *image, size_t len);
/* Loads the kernel; ram_bytes is the machine's RAM (below 4 GiB, from 0). Returns 0,
 * or -1 with a message (bad header, unsupported flags, segments outside RAM...). */
int multiboot_load(struct physmem *pm, const uint8_t *image, size_t len, const char *cmdline, uint64_t ram_bytes,
                   struct multiboot_start *out, char *err, size_t err_len);

#endif
