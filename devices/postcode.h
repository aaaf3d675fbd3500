/* Port 0x80 POST-code register: firmware writes progress codes there. The last
 * code is kept (and shown on exit); with a log every code is written with the
 * virtual time it came at, so a test ROM can be followed code by code. */
#ifndef RINGZERO_DEVICES_POSTCODE_H
#define RINGZERO_DEVICES_POSTCODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "iobus.h"

#define POSTCODE_PORT 0x80

struct postcode {
    uint8_t last;
    bool written;
    uint64_t count;
    FILE *log;                /* NULL: no log */
    const struct vclock *clock;
};

int postcode_attach(struct postcode *p, struct iobus *bus, const struct vclock *clock, FILE *log, char *err,
                    size_t err_len);

#endif
