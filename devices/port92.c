/* System Control Port A (see port92.h).
 *
 * Follows the SMSC LPC47M14x / FDC37B78x datasheets, "Port 92 Fast GateA20
 * and Keyboard Reset": bit 0 alternate reset (a write of 1 pulses the reset
 * line; it must be written back to 0, or cleared by a system reset, before
 * it can reset again), bit 1 ALT_A20 (OR'ed with the 8042's A20GATE),
 * reserved bits reading 0 except bits 2 and 5, which read 1. */
#include "port92.h"

#define PORT92_FIXED_ONES 0x24

static uint32_t port92_read(void *dev, uint16_t offset, unsigned size)
{
    const struct port92 *p = dev;
    return PORT92_FIXED_ONES | (p->value & (PORT92_RESET | PORT92_A20));
}

static void port92_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct port92 *p = dev;
    uint8_t old = p->value;
    p->value = (uint8_t)(value & (PORT92_RESET | PORT92_A20));
    if (((old ^ p->value) & PORT92_A20) && p->set_a20)
        p->set_a20(p->opaque, p->value & PORT92_A20);
    if (!(old & PORT92_RESET) && (p->value & PORT92_RESET) && p->reset)
        p->reset(p->opaque);
}

void port92_reset(struct port92 *p)
{
    bool a20 = p->value & PORT92_A20;
    p->value = 0;
    if (a20 && p->set_a20)
        p->set_a20(p->opaque, false);
}

int port92_attach(struct port92 *p, struct iobus *bus, char *err, size_t err_len)
{
    *p = (struct port92){0};
    struct io_region r = {.name = "port92", .base = PORT92_PORT, .size = 1, .widths = 1,
                          .read = port92_read, .write = port92_write, .dev = p};
    return iobus_register(bus, &r, err, err_len);
}
