/* struct machine: everything one emulated computer is made of. No globals, so
 * a program (or a test) can build as many machines as it likes. */
#ifndef RINGZERO_FRONTEND_MACHINE_H
#define RINGZERO_FRONTEND_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/debug_exit.h"
#include "devices/debugcon.h"
#include "devices/iobus.h"
#include "mem/physmem.h"

struct machine_config {
    uint64_t ram_bytes;
    enum cpu_model model;
    FILE *debugcon_out; /* port 0xE9; NULL discards */
};

enum machine_exit {
    MACHINE_EXIT_HALT,       /* HLT with interrupts off (or nothing left that could wake it) */
    MACHINE_EXIT_DEBUG_EXIT, /* the guest wrote to isa-debug-exit */
    MACHINE_EXIT_BUDGET,     /* instruction budget used up */
    MACHINE_EXIT_SHUTDOWN,   /* triple fault */
};

struct machine {
    struct physmem *mem;
    struct iobus io;
    struct cpu *cpu;
    struct debugcon debugcon;
    struct debug_exit debug_exit;
};

struct machine *machine_create(const struct machine_config *cfg, char *err, size_t err_len);
void machine_destroy(struct machine *m);
/* Loads a flat binary at a physical address and points the CPU at it in real
 * mode: CS=DS=ES=SS = addr>>4 (0 below 64 KiB), IP = the rest, SP = 0xFFF0. */
int machine_load_flat(struct machine *m, const char *path, uint64_t addr, char *err, size_t err_len);
enum machine_exit machine_run(struct machine *m, uint64_t max_insns);

#endif
