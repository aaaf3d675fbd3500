/* Debug console at port 0xE9 (Bochs/QEMU convention): every byte written is
 * passed to the output; a read returns 0xE9 so guests can detect it. */
#ifndef RINGZERO_DEVICES_DEBUGCON_H
#define RINGZERO_DEVICES_DEBUGCON_H

#include <stdio.h>

#include "iobus.h"

#define DEBUGCON_PORT 0xE9

struct debugcon {
    FILE *out; /* NULL: discard */
};

int debugcon_attach(struct debugcon *d, struct iobus *bus, FILE *out, char *err, size_t err_len);

#endif
