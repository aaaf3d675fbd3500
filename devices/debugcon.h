/* Debug console port (Bochs/QEMU convention: 0xE9 for guests, 0x402 for
 * SeaBIOS's own log): every byte written is passed to the output; a read
 * returns 0xE9 so guests can detect it. */
#ifndef RINGZERO_DEVICES_DEBUGCON_H
#define RINGZERO_DEVICES_DEBUGCON_H

#include <stdio.h>

#include "iobus.h"

#define DEBUGCON_PORT 0xE9
#define DEBUGCON_SEABIOS_PORT 0x402

struct debugcon {
    FILE *out; /* NULL: discard */
};

int debugcon_attach(struct debugcon *d, struct iobus *bus, uint16_t port, FILE *out, char *err, size_t err_len);

#endif
