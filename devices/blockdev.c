/* Disk-image backend (see blockdev.h). */
#include "blockdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int blockdev_open(struct blockdev *bd, const char *path, enum blockdev_mode mode, char *err, size_t err_len)
{
    memset(bd, 0, sizeof *bd);
    bd->fd = -1;
    int fd = open(path, mode == BLOCKDEV_READ_WRITE ? O_RDWR : O_RDONLY);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open disk image %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        snprintf(err, err_len, "disk image %s: %s", path,
                 fstat(fd, &st) != 0 ? strerror(errno) : !S_ISREG(st.st_mode) ? "not a regular file" : "empty file");
        close(fd);
        return -1;
    }
    bd->fd = fd;
    bd->size = (uint64_t)st.st_size;
    bd->mode = mode;
    snprintf(bd->path, sizeof bd->path, "%s", path);
    return 0;
}

bool blockdev_writable(const struct blockdev *bd) { return bd->fd >= 0 && bd->mode != BLOCKDEV_READ_ONLY; }

static bool in_range(const struct blockdev *bd, uint64_t offset, size_t len)
{
    return bd->fd >= 0 && offset <= bd->size && len <= bd->size - offset;
}

static struct blockdev_chunk *overlay_find(const struct blockdev *bd, uint64_t chunk)
{
    if (!bd->overlay_cap)
        return NULL;
    size_t mask = bd->overlay_cap - 1;
    for (size_t i = (size_t)(chunk * 0x9E3779B97F4A7C15ull) & mask;; i = (i + 1) & mask) {
        if (bd->overlay[i].index == chunk + 1)
            return &bd->overlay[i];
        if (bd->overlay[i].index == 0)
            return NULL;
    }
}

static int overlay_grow(struct blockdev *bd)
{
    size_t cap = bd->overlay_cap ? bd->overlay_cap * 2 : 256;
    struct blockdev_chunk *t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t k = 0; k < bd->overlay_cap; k++) {
        struct blockdev_chunk *o = &bd->overlay[k];
        if (!o->index)
            continue;
        size_t i = (size_t)((o->index - 1) * 0x9E3779B97F4A7C15ull) & (cap - 1);
        while (t[i].index)
            i = (i + 1) & (cap - 1);
        t[i] = *o;
    }
    free(bd->overlay);
    bd->overlay = t;
    bd->overlay_cap = cap;
    return 0;
}

static int file_read(struct blockdev *bd, uint64_t offset, uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = pread(bd->fd, buf, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_write(struct blockdev *bd, uint64_t offset, const uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = pwrite(bd->fd, buf, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int blockdev_read(struct blockdev *bd, uint64_t offset, void *buf, size_t len)
{
    if (!in_range(bd, offset, len))
        return -1;
    uint8_t *out = buf;
    while (len) {
        uint64_t chunk = offset / BLOCKDEV_CHUNK;
        size_t in_chunk = (size_t)(offset % BLOCKDEV_CHUNK);
        size_t n = BLOCKDEV_CHUNK - in_chunk < len ? BLOCKDEV_CHUNK - in_chunk : len;
        const struct blockdev_chunk *o = overlay_find(bd, chunk);
        if (o)
            memcpy(out, o->data + in_chunk, n);
        else if (file_read(bd, offset, out, n) != 0)
            return -1;
        out += n;
        offset += n;
        len -= n;
    }
    return 0;
}

int blockdev_write(struct blockdev *bd, uint64_t offset, const void *buf, size_t len)
{
    if (!in_range(bd, offset, len) || !blockdev_writable(bd))
        return -1;
    if (bd->mode == BLOCKDEV_READ_WRITE)
        return file_write(bd, offset, buf, len);
    const uint8_t *in = buf;
    while (len) {
        uint64_t chunk = offset / BLOCKDEV_CHUNK;
        size_t in_chunk = (size_t)(offset % BLOCKDEV_CHUNK);
        size_t n = BLOCKDEV_CHUNK - in_chunk < len ? BLOCKDEV_CHUNK - in_chunk : len;
        struct blockdev_chunk *o = overlay_find(bd, chunk);
        if (!o) {
            if ((bd->overlay_used + 1) * 4 > bd->overlay_cap * 3 && overlay_grow(bd) != 0)
                return -1;
            uint8_t *data = malloc(BLOCKDEV_CHUNK);
            if (!data)
                return -1;
            /* Start from the image's contents (the last chunk may be partial). */
            uint64_t start = chunk * BLOCKDEV_CHUNK;
            size_t have = bd->size - start < BLOCKDEV_CHUNK ? (size_t)(bd->size - start) : BLOCKDEV_CHUNK;
            memset(data, 0, BLOCKDEV_CHUNK);
            if (file_read(bd, start, data, have) != 0) {
                free(data);
                return -1;
            }
            size_t mask = bd->overlay_cap - 1;
            size_t i = (size_t)(chunk * 0x9E3779B97F4A7C15ull) & mask;
            while (bd->overlay[i].index)
                i = (i + 1) & mask;
            bd->overlay[i] = (struct blockdev_chunk){.index = chunk + 1, .data = data};
            bd->overlay_used++;
            o = &bd->overlay[i];
        }
        memcpy(o->data + in_chunk, in, n);
        in += n;
        offset += n;
        len -= n;
    }
    return 0;
}

int blockdev_flush(struct blockdev *bd)
{
    if (bd->fd < 0 || bd->mode != BLOCKDEV_READ_WRITE)
        return 0;
    return fsync(bd->fd) == 0 ? 0 : -1;
}

void blockdev_close(struct blockdev *bd)
{
    if (bd->fd >= 0) {
        if (blockdev_flush(bd) != 0)
            fprintf(stderr, "ringzero: flushing %s failed: %s\n", bd->path, strerror(errno));
        close(bd->fd);
    }
    for (size_t k = 0; k < bd->overlay_cap; k++)
        free(bd->overlay[k].data);
    free(bd->overlay);
    memset(bd, 0, sizeof *bd);
    bd->fd = -1;
}
