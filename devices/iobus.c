/* Port I/O bus (see iobus.h). */
#include "iobus.h"

#include <stdio.h>
#include <string.h>

void iobus_init(struct iobus *bus) { memset(bus, 0, sizeof *bus); }

int iobus_register(struct iobus *bus, const struct io_region *r, char *err, size_t err_len)
{
    if (r->size == 0 || (uint32_t)r->base + r->size > 0x10000) {
        snprintf(err, err_len, "I/O region %s: bad range 0x%x+%u", r->name, r->base, r->size);
        return -1;
    }
    for (unsigned i = 0; i < bus->count; i++) {
        const struct io_region *o = &bus->regions[i];
        if (r->base < o->base + o->size && o->base < r->base + r->size) {
            snprintf(err, err_len, "I/O region %s [0x%x-0x%x] overlaps %s [0x%x-0x%x]", r->name, r->base,
                     r->base + r->size - 1, o->name, o->base, o->base + o->size - 1);
            return -1;
        }
    }
    if (bus->count == IOBUS_MAX_REGIONS) {
        snprintf(err, err_len, "I/O region %s: too many regions", r->name);
        return -1;
    }
    bus->regions[bus->count++] = *r;
    return 0;
}

bool iobus_unregister(struct iobus *bus, uint16_t base, const void *dev)
{
    for (unsigned i = 0; i < bus->count; i++)
        if (bus->regions[i].base == base && bus->regions[i].dev == dev) {
            memmove(&bus->regions[i], &bus->regions[i + 1], (bus->count - i - 1) * sizeof bus->regions[0]);
            bus->count--;
            return true;
        }
    return false;
}

static const struct io_region *find(const struct iobus *bus, uint16_t port)
{
    for (unsigned i = 0; i < bus->count; i++)
        if ((uint16_t)(port - bus->regions[i].base) < bus->regions[i].size)
            return &bus->regions[i];
    return NULL;
}

uint32_t iobus_read(struct iobus *bus, uint16_t port, unsigned size)
{
    const struct io_region *r = find(bus, port);
    if (r && (r->widths & size) && (uint32_t)(port - r->base) + size <= r->size)
        return r->read ? r->read(r->dev, (uint16_t)(port - r->base), size) : 0xFFFFFFFFu >> (32 - 8 * size);
    if (size == 1)
        return r && r->read ? r->read(r->dev, (uint16_t)(port - r->base), 1) & 0xFF : 0xFF;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= iobus_read(bus, (uint16_t)(port + k), 1) << (8 * k);
    return v;
}

void iobus_write(struct iobus *bus, uint16_t port, uint32_t value, unsigned size)
{
    const struct io_region *r = find(bus, port);
    if (r && (r->widths & size) && (uint32_t)(port - r->base) + size <= r->size) {
        if (r->write)
            r->write(r->dev, (uint16_t)(port - r->base), value, size);
        return;
    }
    if (size == 1) {
        if (r && r->write)
            r->write(r->dev, (uint16_t)(port - r->base), value & 0xFF, 1);
        return;
    }
    for (unsigned k = 0; k < size; k++)
        iobus_write(bus, (uint16_t)(port + k), (value >> (8 * k)) & 0xFF, 1);
}
