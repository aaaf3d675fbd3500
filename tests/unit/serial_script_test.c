/* Serial scripts (frontend/serial_script.c): parsing and its errors, and a
 * dialogue with COM1 of a PC machine driven from the port side: the "guest"
 * writes to the transmitter, the script answers through the receiver. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/machine.h"
#include "frontend/serial_script.h"

START_TEST(parse_errors_name_the_line)
{
    char err[256];
    ck_assert_ptr_null(serial_script_parse("expect ok\nsned x\n", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "line 2"));
    ck_assert_ptr_null(serial_script_parse("# c\n\nexpect \n", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "line 3"));
    ck_assert_ptr_null(serial_script_parse("send a\\q\n", err, sizeof err));
    ck_assert_ptr_null(serial_script_parse("send \\x4\n", err, sizeof err));
    ck_assert_ptr_null(serial_script_parse("expect a\\x00b\n", err, sizeof err)); /* NUL cannot be matched */
    ck_assert_ptr_null(serial_script_load("/nonexistent/script", err, sizeof err));
    struct serial_script *s = serial_script_parse("  # comment\r\n\texpect $ \r\nsendraw \\x41\\\\\n", err, sizeof err);
    ck_assert_ptr_nonnull(s);
    const char *text = NULL;
    ck_assert_uint_eq(serial_script_waiting(s, &text), 2);
    ck_assert_str_eq(text, "$ ");
    serial_script_free(s);
}
END_TEST

static struct machine *pc_machine(void)
{
    char err[256];
    struct machine_config cfg = {.board = BOARD_PC, .ram_bytes = 16u << 20,
                                 .bios_path = "/usr/share/seabios/bios.bin",
                                 .rtc_start = MACHINE_DEFAULT_RTC_START};
    return machine_create(&cfg, err, sizeof err);
}

/* Virtual time passes (the CPU does not run here): the transmitter shifts bytes out. */
static void wait_ms(struct machine *m, unsigned ms)
{
    vclock_advance(&m->clock, vclock_now(&m->clock) + ms * 1000000ull);
}

/* Writes s to THR as a driver that polls LSR.THRE would. */
static void guest_print(struct machine *m, const char *s)
{
    for (; *s; s++) {
        while (!(iobus_read(&m->io, 0x3FD, 1) & 0x20))
            wait_ms(m, 1);
        iobus_write(&m->io, 0x3F8, (uint8_t)*s, 1);
    }
    wait_ms(m, 10);
}

START_TEST(dialogue_with_com1)
{
    struct machine *m = pc_machine();
    if (!m) {
        printf("skipped: no SeaBIOS image to build a PC machine\n");
        return;
    }
    char err[256];
    struct serial_script *s = serial_script_parse("expect login:\nsend root\nexpect # \nsendraw ok\n", err, sizeof err);
    ck_assert_ptr_nonnull(s);
    ck_assert(!serial_script_step(s, m)); /* nothing printed yet */
    guest_print(m, "welcome\nlogin");
    ck_assert(!serial_script_step(s, m));
    guest_print(m, ": ");
    ck_assert(!serial_script_step(s, m)); /* matched; "root\r" goes in as the receiver takes it */
    char got[8] = {0};
    for (unsigned k = 0; k < 5; k++) {
        ck_assert(iobus_read(&m->io, 0x3FD, 1) & 1); /* LSR.DR: 16450 mode holds one byte */
        got[k] = (char)iobus_read(&m->io, 0x3F8, 1);
        ck_assert(!serial_script_step(s, m));
    }
    ck_assert_str_eq(got, "root\r");
    ck_assert_uint_eq(iobus_read(&m->io, 0x3FD, 1) & 0x03, 0); /* no data, no overrun */
    /* The prompt must come after the previous match: text before it does not count. */
    guest_print(m, "# ");
    ck_assert(!serial_script_step(s, m)); /* "o" is in; "k" waits for room */
    ck_assert_uint_eq(iobus_read(&m->io, 0x3F8, 1), 'o');
    ck_assert(serial_script_step(s, m));
    ck_assert_uint_eq(serial_script_waiting(s, &(const char *){NULL}), 0);
    ck_assert_uint_eq(iobus_read(&m->io, 0x3F8, 1), 'k');
    serial_script_free(s);
    machine_destroy(m);
}
END_TEST

START_TEST(long_send_waits_for_fifo_room)
{
    struct machine *m = pc_machine();
    if (!m) {
        printf("skipped: no SeaBIOS image to build a PC machine\n");
        return;
    }
    char err[256];
    struct serial_script *s =
        serial_script_parse("sendraw 0123456789abcdefghijklmnopqrstuvwxyz\n", err, sizeof err);
    ck_assert_ptr_nonnull(s);
    iobus_write(&m->io, 0x3FA, 0x07, 1); /* FCR: FIFO on, both cleared */
    ck_assert(!serial_script_step(s, m)); /* 16 bytes in the FIFO, the rest waits */
    char got[40] = {0};
    unsigned n = 0;
    for (unsigned round = 0; round < 10 && n < 36; round++) {
        while (n < 36 && (iobus_read(&m->io, 0x3FD, 1) & 1))
            got[n++] = (char)iobus_read(&m->io, 0x3F8, 1);
        serial_script_step(s, m);
    }
    ck_assert_str_eq(got, "0123456789abcdefghijklmnopqrstuvwxyz");
    ck_assert(serial_script_step(s, m));
    ck_assert_uint_eq(iobus_read(&m->io, 0x3FD, 1) & 0x02, 0); /* never an overrun */
    serial_script_free(s);
    machine_destroy(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("serial_script");
    TCase *t = tcase_create("script");
    tcase_add_test(t, parse_errors_name_the_line);
    tcase_add_test(t, dialogue_with_com1);
    tcase_add_test(t, long_send_waits_for_fifo_room);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
