/* POST-code register (see postcode.h). */
#include "postcode.h"

static uint32_t postcode_read(void *dev, uint16_t offset, unsigned size)
{
    (void)offset;
    (void)size;
    const struct postcode *p = dev;
    return p->last; /* reads back the last code, as the common PC POST-card latch does */
}

static void postcode_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset;
    (void)size;
    struct postcode *p = dev;
    p->last = (uint8_t)value;
    p->written = true;
    p->count++;
    if (p->log)
        fprintf(p->log, "%llu ns: %02x\n", (unsigned long long)(p->clock ? vclock_now(p->clock) : 0), p->last);
}

int postcode_attach(struct postcode *p, struct iobus *bus, const struct vclock *clock, FILE *log, char *err,
                    size_t err_len)
{
    *p = (struct postcode){.log = log, .clock = clock};
    struct io_region r = {.name = "post-code", .base = POSTCODE_PORT, .size = 1, .widths = 1,
                          .read = postcode_read, .write = postcode_write, .dev = p};
    return iobus_register(bus, &r, err, err_len);
}
