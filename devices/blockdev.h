/* Disk-image backend for the storage devices (IDE disks, ATAPI CD-ROMs, floppies).
 * A raw image file, opened read-write, read-only, or as a snapshot whose writes
 * go to a private in-memory overlay and never reach the file (-snapshot).
 * Every access is bounds-checked; writes reach the file before the machine exits. */
#ifndef RINGZERO_DEVICES_BLOCKDEV_H
#define RINGZERO_DEVICES_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum blockdev_mode { BLOCKDEV_READ_WRITE, BLOCKDEV_READ_ONLY, BLOCKDEV_SNAPSHOT };

#define BLOCKDEV_CHUNK 4096u

struct blockdev_chunk {
    uint64_t index; /* chunk number + 1; 0 = empty slot */
    uint8_t *data;
};

struct blockdev {
    int fd;
    uint64_t size;
    enum blockdev_mode mode;
    char path[512];
    struct blockdev_chunk *overlay; /* snapshot mode: open-addressed table of written chunks */
    size_t overlay_cap, overlay_used;
};

/* Returns 0, or -1 with a message naming the file (missing, unreadable, empty...). */
int blockdev_open(struct blockdev *bd, const char *path, enum blockdev_mode mode, char *err, size_t err_len);
void blockdev_close(struct blockdev *bd); /* flushes */
bool blockdev_writable(const struct blockdev *bd);
/* Both return 0, or -1 if [offset, offset+len) is outside the image, the device is
 * read-only (write), or the host I/O failed. */
int blockdev_read(struct blockdev *bd, uint64_t offset, void *buf, size_t len);
int blockdev_write(struct blockdev *bd, uint64_t offset, const void *buf, size_t len);
int blockdev_flush(struct blockdev *bd);

#endif
