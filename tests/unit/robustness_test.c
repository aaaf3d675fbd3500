/* Robustness: the CPU runs random bytes (random code, random interrupt table,
 * random registers, random descriptor tables in protected and long mode) for a bounded
 * number of instructions and must end in a defined state -- budget, halt or
 * shutdown -- without crashing or touching host memory outside the guest (the
 * sanitizer build checks that).  Seeds are fixed, so failures reproduce. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "mem/physmem.h"

#define RAM (1u << 20)

static uint32_t port_in(void *o, uint16_t p, unsigned s) { (void)o; (void)p; return 0xFFFFFFFFu >> (32 - 8 * s); }
static void port_out(void *o, uint16_t p, uint32_t v, unsigned s) { (void)o; (void)p; (void)v; (void)s; }
static int intr_ack(void *o) { (void)o; return 0x20; }

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

enum start_mode { START_REAL, START_PROTECTED, START_LONG };

static void run_seed(uint64_t seed, enum start_mode mode)
{
    char err[256];
    struct physmem *pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, RAM, err, sizeof err));
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    uint8_t *buf = malloc(RAM);
    for (unsigned i = 0; i < RAM; i++)
        buf[i] = (uint8_t)rng_next(&s);
    physmem_write_block(pm, 0, buf, RAM);
    free(buf);
    struct cpu_bus bus = {.port_in = port_in, .port_out = port_out, .intr_ack = intr_ack};
    struct cpu *c = cpu_create(pm, &bus, CPU_MODEL_P6);
    ck_assert_ptr_nonnull(c);
    for (unsigned r = 0; r < 8; r++)
        c->regs[r] = rng_next(&s) & 0xFFFFFFFF;
    for (unsigned k = 0; k < S_COUNT; k++) {
        c->seg[k].sel = (uint16_t)rng_next(&s);
        c->seg[k].base = (uint64_t)c->seg[k].sel << 4;
    }
    c->rip = rng_next(&s) & 0xFFFF;
    lf_set_flags(c, (uint32_t)rng_next(&s) & F_ARITH);
    if (mode == START_LONG) {
        /* 64-bit mode with random GDT/IDT/MSRs; page tables either random or an
         * identity map of the first 2 MiB (random U/S, R/W and NX bits on it). */
        c->cr0 |= CR0_PE | CR0_PG;
        c->cr4 |= 0x20; /* PAE */
        c->efer = 0x0D01; /* SCE, LME, LMA, NXE */
        c->gdtr.base = rng_next(&s) & 0xFFFF0;
        c->gdtr.limit = 0xFFFF;
        c->idtr.base = rng_next(&s) & 0xFFFF0;
        c->idtr.limit = 0xFFF;
        c->msr_lstar = rng_next(&s) & (RAM - 1);
        c->msr_star = rng_next(&s);
        c->seg[S_CS] = (struct seg_cache){.base = 0, .limit = ~0ull, .sel = 8, .attr = 0xA09B};
        c->seg[S_SS] = (struct seg_cache){.base = 0, .limit = ~0ull, .sel = 16, .attr = 0xC093};
        for (unsigned r = 0; r < 16; r++)
            c->regs[r] = rng_next(&s);
        c->rip = rng_next(&s) & (RAM - 1);
        if (seed % 4 == 1) {
            c->cr3 = rng_next(&s) & 0xFF000;
        } else {
            uint64_t flags = 0x83 | (rng_next(&s) & 0x4) | (rng_next(&s) & (1ull << 63));
            physmem_write(pm, 0x1000, 0x2007, 8);
            physmem_write(pm, 0x2000, 0x3007, 8);
            physmem_write(pm, 0x3000, flags | (rng_next(&s) & 0x2), 8);
            c->cr3 = 0x1000;
        }
        if (seed % 4 >= 2) {
            /* Working descriptor tables, so that exceptions are delivered and the
             * random code keeps running: 64-bit code/data at DPL 0 and 3, a 64-bit
             * TSS with random RSP0 and IST slots, 256 gates to random addresses. */
            static const uint64_t gdt[] = {0, 0x00AF9A000000FFFFull, 0x00CF92000000FFFFull,
                                           0x00CFFA000000FFFFull, 0x00CFF2000000FFFFull, 0x00AFFA000000FFFFull,
                                           0x0000895000000067ull, 0};
            for (unsigned k = 0; k < 8; k++)
                physmem_write(pm, 0x4000 + 8 * k, gdt[k], 8);
            c->gdtr.base = 0x4000;
            c->gdtr.limit = sizeof gdt - 1;
            for (unsigned k = 0; k < 13; k++)
                physmem_write(pm, 0x5000 + 4 + 8 * k, rng_next(&s) & (RAM - 1), 8);
            c->tr = (struct seg_cache){.base = 0x5000, .limit = 0x67, .sel = 0x30, .attr = 0x8B};
            for (unsigned v = 0; v < 256; v++) {
                uint64_t target = rng_next(&s) & (RAM - 1), r = rng_next(&s);
                uint64_t lo = (target & 0xFFFF) | (8ull << 16) | ((r & 3) << 32) |
                              ((r & 4) ? 0xEF00ull : 0x8E00ull) << 32 | ((target >> 16) & 0xFFFF) << 48;
                physmem_write(pm, 0x6000 + 16 * v, lo, 8);
                physmem_write(pm, 0x6000 + 16 * v + 8, target >> 32, 8);
            }
            c->idtr.base = 0x6000;
            c->idtr.limit = 0xFFF;
        }
        cpu_update_mode(c);
    } else if (mode == START_PROTECTED) {
        /* random GDT/IDT contents, 32-bit flat code to start with */
        c->cr0 |= CR0_PE;
        c->gdtr.base = rng_next(&s) & 0xFFFF0;
        c->gdtr.limit = 0xFFFF;
        c->idtr.base = rng_next(&s) & 0xFFFF0;
        c->idtr.limit = 0x7FF;
        c->seg[S_CS] = (struct seg_cache){.base = 0, .limit = RAM - 1, .sel = 8, .attr = 0xC09B};
        c->seg[S_SS] = (struct seg_cache){.base = 0, .limit = RAM - 1, .sel = 16, .attr = 0xC093};
        c->rip = rng_next(&s) & (RAM - 1);
        if (seed & 1) { /* and paging, with random page tables */
            c->cr3 = rng_next(&s) & 0xFF000;
            c->cr0 |= CR0_PG;
        }
    }
    cpu_set_intr(c, (seed & 2) != 0); /* an interrupt line that stays high */
    for (unsigned slice = 0; slice < 20; slice++) {
        enum cpu_stop stop = cpu_run(c, 1000);
        ck_assert(stop == CPU_STOP_BUDGET || stop == CPU_STOP_HLT || stop == CPU_STOP_SHUTDOWN);
        if (stop == CPU_STOP_SHUTDOWN)
            break;
        if (stop == CPU_STOP_HLT) { /* keep going: wake it as an interrupt would */
            c->halted = false;
            c->pending &= ~PEND_HALT;
            c->eflags |= F_IF;
        }
    }
    if (getenv("ROBUSTNESS_VERBOSE"))
        printf("mode %d seed %llu: %llu instructions, mode64 %d\n", mode, (unsigned long long)seed,
               (unsigned long long)cpu_icount(c), c->mode64);
    cpu_destroy(c);
    physmem_destroy(pm);
}

START_TEST(random_real_mode)
{
    for (uint64_t seed = 0; seed < 150; seed++)
        run_seed(seed, START_REAL);
}
END_TEST

START_TEST(random_protected_mode)
{
    for (uint64_t seed = 0; seed < 150; seed++)
        run_seed(seed, START_PROTECTED);
}
END_TEST

START_TEST(random_long_mode)
{
    for (uint64_t seed = 0; seed < 150; seed++)
        run_seed(seed, START_LONG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("robustness");
    TCase *t = tcase_create("random code");
    tcase_set_timeout(t, 240);
    tcase_add_test(t, random_real_mode);
    tcase_add_test(t, random_protected_mode);
    tcase_add_test(t, random_long_mode);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
