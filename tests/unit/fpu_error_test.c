/* The PC/AT x87 error latch (devices/fpu_error.c): FERR# rising edges set IRQ 13,
 * a write to port 0xF0 (or 0xF1) clears it, a held FERR# does not set it again. */
#include <check.h>
#include <stdlib.h>

#include "devices/fpu_error.h"

struct line_probe {
    bool level;
    unsigned rises;
};

static void probe_set(void *sink, unsigned pin, bool level)
{
    (void)pin;
    struct line_probe *p = sink;
    if (level && !p->level)
        p->rises++;
    p->level = level;
}

START_TEST(test_latch)
{
    char err[128];
    struct iobus bus;
    iobus_init(&bus);
    struct line_probe probe = {0};
    struct irq_line line = {.set_level = probe_set, .sink = &probe, .pin = FPU_ERROR_IRQ};
    struct fpu_error e;
    ck_assert_int_eq(fpu_error_attach(&e, &bus, &line, err, sizeof err), 0);
    ck_assert(!probe.level);
    fpu_error_set_ferr(&e, true);
    ck_assert(probe.level);
    ck_assert_uint_eq(probe.rises, 1);
    fpu_error_set_ferr(&e, true); /* held: nothing new */
    ck_assert_uint_eq(probe.rises, 1);
    iobus_write(&bus, 0xF0, 0, 1); /* the handler clears it; FERR# still high */
    ck_assert(!probe.level);
    fpu_error_set_ferr(&e, true);
    ck_assert(!probe.level);
    fpu_error_set_ferr(&e, false); /* FNCLEX */
    fpu_error_set_ferr(&e, true);  /* a new exception: a new edge */
    ck_assert(probe.level);
    ck_assert_uint_eq(probe.rises, 2);
    iobus_write(&bus, 0xF1, 0xAB, 1);
    ck_assert(!probe.level);
    ck_assert_uint_eq(iobus_read(&bus, 0xF0, 1), 0xFF);
    iobus_write(&bus, 0xF0, 0x12345678, 4); /* wide and odd accesses are harmless */
    (void)iobus_read(&bus, 0xF0, 2);
    ck_assert(!probe.level);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fpu_error");
    TCase *t = tcase_create("latch");
    tcase_add_test(t, test_latch);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
