/* The PC/AT's x87 error latch on IRQ 13 (see fpu_error.h). */
#include "fpu_error.h"

static void latch_set(struct fpu_error *e, bool on)
{
    if (e->latched != on) {
        e->latched = on;
        irq_set(&e->irq, on);
    }
}

void fpu_error_set_ferr(struct fpu_error *e, bool asserted)
{
    if (asserted && !e->ferr)
        latch_set(e, true);
    e->ferr = asserted;
}

static uint32_t fpu_error_read(void *dev, uint16_t offset, unsigned size)
{
    (void)dev;
    (void)offset;
    return 0xFFFFFFFFu >> (32 - 8 * size); /* nothing to read: an open bus */
}

static void fpu_error_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset;
    (void)value;
    (void)size;
    latch_set(dev, false); /* any write clears the latch */
}

int fpu_error_attach(struct fpu_error *e, struct iobus *bus, const struct irq_line *irq, char *err, size_t err_len)
{
    *e = (struct fpu_error){.irq = *irq};
    struct io_region r = {.name = "fpu-error", .base = FPU_ERROR_PORT, .size = 2, .widths = 1,
                          .read = fpu_error_read, .write = fpu_error_write, .dev = e};
    return iobus_register(bus, &r, err, err_len);
}
