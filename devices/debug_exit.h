/* QEMU's isa-debug-exit device at port 0xF4: a write of v ends the run with
 * exit status (v << 1) | 1, which test programs use to report a result. */
#ifndef RINGZERO_DEVICES_DEBUG_EXIT_H
#define RINGZERO_DEVICES_DEBUG_EXIT_H

#include <stdbool.h>

#include "iobus.h"

#define DEBUG_EXIT_PORT 0xF4

struct debug_exit {
    bool requested;
    int status;
    void (*on_exit)(void *opaque); /* asks the machine to stop */
    void *opaque;
};

int debug_exit_attach(struct debug_exit *d, struct iobus *bus, char *err, size_t err_len);

#endif
