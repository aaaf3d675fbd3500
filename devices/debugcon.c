/* Debug console (see debugcon.h). */
#include "debugcon.h"

static uint32_t debugcon_read(void *dev, uint16_t offset, unsigned size)
{
    (void)dev;
    (void)offset;
    (void)size;
    return DEBUGCON_PORT;
}

static void debugcon_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset;
    (void)size;
    struct debugcon *d = dev;
    if (d->out)
        fputc((int)(value & 0xFF), d->out);
}

int debugcon_attach(struct debugcon *d, struct iobus *bus, uint16_t port, FILE *out, char *err, size_t err_len)
{
    d->out = out;
    struct io_region r = {.name = "debugcon", .base = port, .size = 1, .widths = 1,
                          .read = debugcon_read, .write = debugcon_write, .dev = d};
    return iobus_register(bus, &r, err, err_len);
}
