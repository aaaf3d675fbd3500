/* Port I/O bus: devices register named port ranges; the CPU's port accesses
 * are routed here.  Accesses wider than a region accepts are split into
 * bytes; unclaimed ports read as all ones and ignore writes, as on a PC. */
#ifndef RINGZERO_DEVICES_IOBUS_H
#define RINGZERO_DEVICES_IOBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct io_region {
    const char *name;
    uint16_t base, size;
    unsigned widths; /* bit mask of accepted access sizes: 1, 2, 4 */
    uint32_t (*read)(void *dev, uint16_t offset, unsigned size);
    void (*write)(void *dev, uint16_t offset, uint32_t value, unsigned size);
    void *dev;
};

#define IOBUS_MAX_REGIONS 96

struct iobus {
    struct io_region regions[IOBUS_MAX_REGIONS];
    unsigned count;
};

void iobus_init(struct iobus *bus);
/* Returns 0, or -1 with a message naming both regions if it overlaps one. */
int iobus_register(struct iobus *bus, const struct io_region *r, char *err, size_t err_len);
/* Removes the region registered at base for dev (a PCI I/O BAR moving); false if none. */
bool iobus_unregister(struct iobus *bus, uint16_t base, const void *dev);
uint32_t iobus_read(struct iobus *bus, uint16_t port, unsigned size);
void iobus_write(struct iobus *bus, uint16_t port, uint32_t value, unsigned size);

#endif
