/* Firmware loading (see firmware.h). */
#include "firmware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int firmware_read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= max + 1) {
                free(buf);
                fclose(f);
                snprintf(err, err_len, "%s: larger than %zu bytes", path, max);
                return -1;
            }
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > max) {
        free(buf);
        snprintf(err, err_len, "%s: %s", path, !buf ? "out of memory" : n > max ? "file too large" : "read error");
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int firmware_map_bios(struct physmem *pm, struct mem_region *shadow, const uint8_t *image, size_t len, char *err,
                      size_t err_len)
{
    if (len == 0 || len % 0x10000 || len > FIRMWARE_MAX_BIOS) {
        snprintf(err, err_len, "BIOS image of %zu bytes: the size must be a multiple of 64 KiB, at most 16 MiB", len);
        return -1;
    }
    if (!physmem_add_rom(pm, "bios", 0x100000000ull - len, image, len, err, err_len))
        return -1;
    size_t low = len < 0x20000 ? len : 0x20000;
    physmem_shadow_load_rom(shadow, 0x100000 - shadow->base - low, image + len - low, low);
    return 0;
}
