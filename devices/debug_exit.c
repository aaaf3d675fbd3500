/* isa-debug-exit (see debug_exit.h). */
#include "debug_exit.h"

static void debug_exit_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset;
    struct debug_exit *d = dev;
    uint32_t v = size == 1 ? value & 0xFF : size == 2 ? value & 0xFFFF : value;
    if (d->requested)
        return;
    d->requested = true;
    d->status = (int)(((v << 1) | 1) & 0xFF); /* a process exit status has 8 bits */
    if (d->on_exit)
        d->on_exit(d->opaque);
}

int debug_exit_attach(struct debug_exit *d, struct iobus *bus, char *err, size_t err_len)
{
    struct io_region r = {.name = "isa-debug-exit", .base = DEBUG_EXIT_PORT, .size = 4, .widths = 1 | 2 | 4,
                          .read = NULL, .write = debug_exit_write, .dev = d};
    return iobus_register(bus, &r, err, err_len);
}
