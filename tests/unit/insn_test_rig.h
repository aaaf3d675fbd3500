/* A bare CPU on 2 MiB of RAM for instruction tests (x87, SSE): real mode,
 * CS=DS=ES=SS=0, code at CODE, data at DATA, and every exception vector 0-31
 * pointing at a HLT at 0x500 + 2 * vector, so a test can tell which one was
 * taken. Shared by x87_test, sse_int_test, sse_fp_test and sse42_test. */
#ifndef RINGZERO_TESTS_INSN_TEST_RIG_H
#define RINGZERO_TESTS_INSN_TEST_RIG_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "mem/physmem.h"

static struct physmem *pm;
static struct cpu *cpu;
static char err[256];

#define CODE 0x7C00u
#define DATA 0x1000u
#define RIG_STACK 0x6000u

/* The machine, with extra CR4 bits (e.g. OSFXSR) set. */
static inline void rig_create(enum cpu_model model, uint64_t cr4_bits)
{
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, 2u << 20, err, sizeof err));
    struct cpu_bus bus = {0};
    cpu = cpu_create(pm, &bus, model);
    ck_assert_ptr_nonnull(cpu);
    for (unsigned s = 0; s < S_COUNT; s++) {
        cpu->seg[s].sel = 0;
        cpu->seg[s].base = 0;
    }
    cpu->rip = CODE;
    cpu->regs[R_SP] = RIG_STACK;
    cpu->cr4 |= cr4_bits;
    for (unsigned v = 0; v < 32; v++) {
        physmem_write(pm, v * 4, 0x500 + v * 2, 2);
        physmem_write(pm, v * 4 + 2, 0, 2);
        physmem_write(pm, 0x500 + v * 2, 0xF4, 1);
    }
}

static inline void rig_destroy(void)
{
    cpu_destroy(cpu);
    physmem_destroy(pm);
}

static inline void put_bytes(uint64_t addr, const uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        physmem_write(pm, addr + k, b[k], 1);
}

/* Runs the instruction bytes at CODE; returns the exception vector taken (real
 * mode), -1 when the instruction completed, -2 for anything else (also any
 * fault in 64-bit mode, which has no handlers here). The stack is reset each
 * time: exception handlers push and never return. */
static inline int run_insn(const uint8_t *b, unsigned n)
{
    uint8_t code[24];
    ck_assert_uint_lt(n, sizeof code);
    memcpy(code, b, n);
    code[n] = 0xF4;
    put_bytes(CODE, code, n + 1);
    cpu->rip = CODE;
    cpu->regs[R_SP] = RIG_STACK;
    cpu->halted = false;
    cpu->pending &= ~PEND_HALT;
    cpu_run(cpu, 1);
    if (cpu->rip == CODE + n)
        return -1;
    if (cpu->mode64)
        return -2;
    cpu_run(cpu, 1); /* into the handler's HLT */
    cpu->halted = false;
    cpu->pending &= ~PEND_HALT;
    if (cpu->rip > 0x500 && cpu->rip <= 0x540)
        return (int)(cpu->rip - 1 - 0x500) / 2;
    return -2;
}

/* run_insn on bytes written as hex pairs, optionally separated by spaces. */
static inline int run_hex(const char *hex)
{
    uint8_t b[20];
    unsigned n = 0;
    for (const char *p = hex; p[0] && p[1];) {
        unsigned v;
        ck_assert_uint_lt(n, sizeof b);
        ck_assert_int_eq(sscanf(p, "%2x", &v), 1);
        b[n++] = (uint8_t)v;
        p += 2;
        while (*p == ' ')
            p++;
    }
    return run_insn(b, n);
}

#endif
