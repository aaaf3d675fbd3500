/* Firmware images: the system BIOS at the top of the 4 GiB space with its last
 * 128 KiB also visible below 1 MiB (through the shadow region at 0xC0000-0xFFFFF),
 * as on a PC/AT-compatible chipset. */
#ifndef RINGZERO_BIOS_FIRMWARE_H
#define RINGZERO_BIOS_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "mem/physmem.h"

#define FIRMWARE_MAX_BIOS (16u << 20)

/* Reads a whole file (at most max bytes) into a malloc'd buffer; -1 and a message naming the file on failure. */
int firmware_read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *err, size_t err_len);

/* Maps a BIOS image: size a multiple of 64 KiB up to 16 MiB; at 4 GiB - size as ROM,
 * and its last 128 KiB (or all of it if smaller) into the shadow region's ROM image
 * so that it ends at 0xFFFFF. */
int firmware_map_bios(struct physmem *pm, struct mem_region *shadow, const uint8_t *image, size_t len, char *err,
                      size_t err_len);

#endif
