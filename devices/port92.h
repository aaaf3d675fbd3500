/* System Control Port A (port 0x92, "fast A20"): bit 1 drives the alternate
 * A20 gate, bit 0 resets the CPU on a 0 -> 1 write.  The A20 line the CPU
 * sees is this gate OR the 8042's output port bit 1, so the machine keeps
 * both and opens A20 when either is on.  set_a20/reset/opaque are set by the
 * machine after port92_attach (both may stay NULL); reset is called from
 * inside the port write. */
#ifndef RINGZERO_DEVICES_PORT92_H
#define RINGZERO_DEVICES_PORT92_H

#include <stdbool.h>
#include <stdint.h>

#include "iobus.h"

#define PORT92_PORT 0x92

#define PORT92_RESET 0x01
#define PORT92_A20 0x02

struct port92 {
    uint8_t value; /* bits 0 and 1 as last written */
    void (*set_a20)(void *opaque, bool enabled);
    void (*reset)(void *opaque);
    void *opaque;
};

int port92_attach(struct port92 *p, struct iobus *bus, char *err, size_t err_len);
/* System reset: both bits back to 0 (A20 gate off, reported through set_a20
 * if it was on).  The machine calls it at power-on and on every reset it
 * performs, which is what lets the next 0 -> 1 write reset again. */
void port92_reset(struct port92 *p);

#endif
