/* trace_test.c - Check unit tests for the instruction tracer (frontend/trace.c).
 * A machine is built by hand (1 MiB of RAM, a CPU, stub ports), a few
 * hand-assembled instructions run with the tracer writing to a temporary
 * file, and the lines are checked. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkstemp, dup, dup2 */
#endif

#include "../../frontend/trace.h"

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "mem/physmem.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a bare machine ---- */

static uint32_t stub_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque, (void)port, (void)size;
    return 0xFFFFFFFFu;
}

static void stub_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    (void)opaque, (void)port, (void)value, (void)size;
}

struct machine {
    struct physmem *pm;
    struct cpu *c;
};

static struct machine machine_new(const uint8_t *code, size_t len, uint64_t at)
{
    struct machine m;
    char err[256];
    m.pm = physmem_create();
    ck_assert_ptr_nonnull(m.pm);
    ck_assert_msg(physmem_add_ram(m.pm, "ram", 0, 1u << 20, err, sizeof err) != NULL, "%s", err);
    struct cpu_bus bus = { .port_in = stub_in, .port_out = stub_out, .intr_ack = NULL, .opaque = NULL };
    m.c = cpu_create(m.pm, &bus, CPU_MODEL_P6);
    ck_assert_ptr_nonnull(m.c);
    m.c->seg[S_CS].sel = 0;
    m.c->seg[S_CS].base = 0;
    m.c->rip = at;
    physmem_write_block(m.pm, at, code, len);
    return m;
}

static void machine_free(struct machine *m)
{
    cpu_destroy(m->c);
    physmem_destroy(m->pm);
}

/* mov ax, 0x1234 / inc ax / mov ds, ax / hlt */
static const uint8_t prog[] = { 0xB8, 0x34, 0x12, 0x40, 0x8E, 0xD8, 0xF4 };

/* ---- trace files ---- */

static char tmp_path[64];

static void make_tmp(void)
{
    strcpy(tmp_path, "/tmp/rz_trace_XXXXXX");
    int fd = mkstemp(tmp_path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

struct lines {
    char *l[64];
    int n;
};

static struct lines read_lines(const char *path)
{
    struct lines r = { .n = 0 };
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char buf[1024];
    while (fgets(buf, sizeof buf, f) && r.n < 64) {
        size_t n = strlen(buf);
        ck_assert_msg(n > 0 && buf[n - 1] == '\n', "unterminated line: %s", buf);
        buf[n - 1] = '\0';
        r.l[r.n++] = strdup(buf);
    }
    fclose(f);
    unlink(path);
    return r;
}

static void free_lines(struct lines *r)
{
    for (int k = 0; k < r->n; k++)
        free(r->l[k]);
}

/* Runs prog for `steps` instructions (in slices of `slice`) with the given options. */
static struct lines trace_prog(struct tracer_options o, uint64_t steps, uint64_t slice)
{
    char err[256];
    make_tmp();
    o.path = tmp_path;
    struct machine m = machine_new(prog, sizeof prog, 0x7C00);
    struct tracer *t = tracer_create(&o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    tracer_attach(t, m.c);
    for (uint64_t done = 0; done < steps; done += slice)
        cpu_run(m.c, slice);
    tracer_finish(t);
    ck_assert_ptr_null(m.c->trace_fn);
    machine_free(&m);
    return read_lines(tmp_path);
}

static void assert_has(const char *line, const char *what)
{
    ck_assert_msg(strstr(line, what) != NULL, "expected \"%s\" in line \"%s\"", what, line);
}

static void assert_lacks(const char *line, const char *what)
{
    ck_assert_msg(strstr(line, what) == NULL, "did not expect \"%s\" in line \"%s\"", what, line);
}

/* ---- tests ---- */

START_TEST(test_basic_lines)
{
    struct lines r = trace_prog((struct tracer_options){ 0 }, 4, 4);
    ck_assert_int_eq(r.n, 4);
    /* exact layout of the first line */
    ck_assert_str_eq(r.l[0], "        0 00007c00 0000:7c00  b8 34 12             mov ax, 0x1234                 "
                             "eax=00001234");
    assert_has(r.l[1], "        1 00007c03 0000:7c03  40 ");
    assert_has(r.l[1], "inc ax");
    assert_has(r.l[1], "eax=00001235");
    assert_has(r.l[1], " fl=");
    assert_has(r.l[2], "        2 00007c04 0000:7c04  8e d8 ");
    assert_has(r.l[2], "mov ds, ax");
    assert_has(r.l[2], "ds=1235");
    assert_lacks(r.l[2], "eax=");
    assert_has(r.l[3], "        3 00007c06 0000:7c06  f4 ");
    assert_has(r.l[3], "hlt");
    free_lines(&r);
}
END_TEST

START_TEST(test_slices_same_as_one_run)
{
    struct lines a = trace_prog((struct tracer_options){ 0 }, 4, 4);
    struct lines b = trace_prog((struct tracer_options){ 0 }, 4, 1);
    ck_assert_int_eq(a.n, b.n);
    for (int k = 0; k < a.n; k++)
        ck_assert_str_eq(a.l[k], b.l[k]);
    free_lines(&a);
    free_lines(&b);
}
END_TEST

START_TEST(test_finish_completes_last_line)
{
    /* stop after the inc: its line is written by tracer_finish, with its changes */
    struct lines r = trace_prog((struct tracer_options){ 0 }, 2, 2);
    ck_assert_int_eq(r.n, 2);
    assert_has(r.l[1], "inc ax");
    assert_has(r.l[1], "eax=00001235");
    free_lines(&r);
}
END_TEST

START_TEST(test_limit)
{
    struct lines r = trace_prog((struct tracer_options){ .limit = 2 }, 4, 4);
    ck_assert_int_eq(r.n, 2);
    assert_has(r.l[0], "mov ax, 0x1234");
    assert_has(r.l[1], "inc ax");
    assert_has(r.l[1], "eax=00001235");
    free_lines(&r);

    r = trace_prog((struct tracer_options){ .limit = 1 }, 4, 1);
    ck_assert_int_eq(r.n, 1);
    assert_has(r.l[0], "eax=00001234");
    free_lines(&r);
}
END_TEST

START_TEST(test_range)
{
    struct lines r = trace_prog((struct tracer_options){ .has_range = true, .range_lo = 0x7C03, .range_hi = 0x7C04 },
                                4, 4);
    ck_assert_int_eq(r.n, 2);
    assert_has(r.l[0], "        1 00007c03 ");
    assert_has(r.l[0], "eax=00001235");
    assert_has(r.l[1], "        2 00007c04 ");
    assert_has(r.l[1], "ds=1235");
    free_lines(&r);

    r = trace_prog((struct tracer_options){ .has_range = true, .range_lo = 0x7C06, .range_hi = 0x7C06 }, 4, 4);
    ck_assert_int_eq(r.n, 1);
    assert_has(r.l[0], "hlt");
    free_lines(&r);

    r = trace_prog((struct tracer_options){ .has_range = true, .range_lo = 0x8000, .range_hi = 0x9000 }, 4, 4);
    ck_assert_int_eq(r.n, 0);
    free_lines(&r);
}
END_TEST

START_TEST(test_linear_address_uses_cs_base)
{
    char err[256];
    make_tmp();
    struct tracer_options o = { .path = tmp_path };
    struct machine m = machine_new(prog, sizeof prog, 0x17C00);
    m.c->seg[S_CS].sel = 0x1000;
    m.c->seg[S_CS].base = 0x10000;
    m.c->rip = 0x7C00;
    struct tracer *t = tracer_create(&o, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    tracer_attach(t, m.c);
    cpu_run(m.c, 1);
    tracer_finish(t);
    machine_free(&m);
    struct lines r = read_lines(tmp_path);
    ck_assert_int_eq(r.n, 1);
    assert_has(r.l[0], "        0 00017c00 1000:7c00  b8 34 12 ");
    free_lines(&r);
}
END_TEST

START_TEST(test_bad_opcode)
{
    char err[256];
    make_tmp();
    struct tracer_options o = { .path = tmp_path };
    static const uint8_t bad[] = { 0x0F, 0x04 }; /* undefined */
    struct machine m = machine_new(bad, sizeof bad, 0x7C00);
    struct tracer *t = tracer_create(&o, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    tracer_attach(t, m.c);
    cpu_run(m.c, 1);
    tracer_finish(t);
    machine_free(&m);
    struct lines r = read_lines(tmp_path);
    ck_assert_int_eq(r.n, 1);
    assert_has(r.l[0], "        0 00007c00 0000:7c00  0f                   (bad)");
    free_lines(&r);
}
END_TEST

START_TEST(test_protected32_and_long64_layout)
{
    /* Only the line layout is checked here: CS:EIP with 8 digits in 32-bit
     * code, 16-digit addresses and 64-bit register names in 64-bit mode. */
    char err[256];
    make_tmp();
    struct tracer_options o = { .path = tmp_path };
    static const uint8_t code32[] = { 0xB8, 0x78, 0x56, 0x34, 0x12 }; /* mov eax, 0x12345678 */
    struct machine m = machine_new(code32, sizeof code32, 0x7C00);
    m.c->cr0 |= CR0_PE;
    m.c->seg[S_CS].sel = 0x08;
    m.c->seg[S_CS].attr |= SEG_ATTR_D;
    m.c->seg[S_CS].limit = 0xFFFFFFFF;
    m.c->code32 = true;
    struct tracer *t = tracer_create(&o, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    tracer_attach(t, m.c);
    cpu_run(m.c, 1);
    tracer_finish(t);
    machine_free(&m);
    struct lines r = read_lines(tmp_path);
    ck_assert_int_eq(r.n, 1);
    assert_has(r.l[0], "        0 00007c00 0008:00007c00  b8 78 56 34 12 ");
    assert_has(r.l[0], "mov eax, 0x12345678");
    assert_has(r.l[0], "eax=12345678");
    free_lines(&r);

    make_tmp();
    o.path = tmp_path;
    /* mov rax, 0x1122334455667788 / mov r8, rax */
    static const uint8_t code64[] = { 0x48, 0xB8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x49, 0x89, 0xC0 };
    m = machine_new(code64, sizeof code64, 0x7C00);
    m.c->cr0 |= CR0_PE;
    m.c->seg[S_CS].sel = 0x08;
    m.c->mode64 = true;
    m.c->code32 = false;
    m.c->lin_mask = ~0ull;
    m.c->sp_mask = ~0ull;
    t = tracer_create(&o, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    tracer_attach(t, m.c);
    cpu_run(m.c, 2);
    tracer_finish(t);
    machine_free(&m);
    r = read_lines(tmp_path);
    ck_assert_int_eq(r.n, 2);
    assert_has(r.l[0], "        0 0000000000007c00 0008:0000000000007c00  48 b8 88 77 66 55 44 33 22 11 ");
    assert_has(r.l[0], "mov rax, 0x1122334455667788");
    assert_has(r.l[0], "rax=1122334455667788");
    assert_has(r.l[1], "mov r8, rax");
    assert_has(r.l[1], "r8=1122334455667788");
    assert_lacks(r.l[1], "rax=");
    free_lines(&r);
}
END_TEST

START_TEST(test_stdout)
{
    char err[256];
    make_tmp();
    FILE *out = fopen(tmp_path, "w");
    ck_assert_ptr_nonnull(out);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    ck_assert_int_ge(saved, 0);
    ck_assert_int_ge(dup2(fileno(out), STDOUT_FILENO), 0);
    fclose(out);

    struct tracer_options o = { .path = "-" };
    struct machine m = machine_new(prog, sizeof prog, 0x7C00);
    struct tracer *t = tracer_create(&o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    tracer_attach(t, m.c);
    cpu_run(m.c, 2);
    tracer_finish(t);
    machine_free(&m);

    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    struct lines r = read_lines(tmp_path);
    ck_assert_int_eq(r.n, 2);
    assert_has(r.l[1], "eax=00001235");
    free_lines(&r);
}
END_TEST

START_TEST(test_bad_path)
{
    char err[256] = "";
    struct tracer_options o = { .path = "/nonexistent-dir-rz/trace.txt" };
    ck_assert_ptr_null(tracer_create(&o, err, sizeof err));
    assert_has(err, "/nonexistent-dir-rz/trace.txt");

    err[0] = '\0';
    o.path = "";
    ck_assert_ptr_null(tracer_create(&o, err, sizeof err));
    ck_assert_int_gt((int)strlen(err), 0);

    tracer_finish(NULL); /* harmless */
}
END_TEST

START_TEST(test_parse_range)
{
    uint64_t lo = 1, hi = 2;
    ck_assert(tracer_parse_range("7c00-7cff", &lo, &hi));
    ck_assert_uint_eq(lo, 0x7C00);
    ck_assert_uint_eq(hi, 0x7CFF);
    ck_assert(tracer_parse_range("0xF0000:0XFFFFF", &lo, &hi));
    ck_assert_uint_eq(lo, 0xF0000);
    ck_assert_uint_eq(hi, 0xFFFFF);
    ck_assert(tracer_parse_range("0-ffffffffffffffff", &lo, &hi));
    ck_assert_uint_eq(lo, 0);
    ck_assert_uint_eq(hi, ~0ull);
    ck_assert(tracer_parse_range("5:5", &lo, &hi));
    ck_assert_uint_eq(lo, 5);
    ck_assert_uint_eq(hi, 5);

    lo = hi = 42;
    const char *bad[] = { "", "7c00", "7c00-", "-7c00", "0x-5", "7c00-7cfg", "7c00 - 7cff", "10-5",
                          "1-10000000000000000", "g-h", "7c00--7cff", "7c00-7cff ", "+1-2", "1;2" };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(!tracer_parse_range(bad[k], &lo, &hi), "accepted \"%s\"", bad[k]);
    ck_assert(!tracer_parse_range(NULL, &lo, &hi));
    ck_assert_uint_eq(lo, 42); /* untouched on failure */
    ck_assert_uint_eq(hi, 42);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("tracer");
    tcase_add_test(tc, test_basic_lines);
    tcase_add_test(tc, test_slices_same_as_one_run);
    tcase_add_test(tc, test_finish_completes_last_line);
    tcase_add_test(tc, test_limit);
    tcase_add_test(tc, test_range);
    tcase_add_test(tc, test_linear_address_uses_cs_base);
    tcase_add_test(tc, test_bad_opcode);
    tcase_add_test(tc, test_protected32_and_long64_layout);
    tcase_add_test(tc, test_stdout);
    tcase_add_test(tc, test_bad_path);
    tcase_add_test(tc, test_parse_range);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(trace_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
