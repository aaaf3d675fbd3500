/* ps2_test.c - Check unit tests for the PS/2 keyboard (devices/ps2_keyboard.c)
 * and mouse (devices/ps2_mouse.c), driven through the 8042's ports 0x60/0x64
 * (translation off, so the devices' own bytes are seen), the IRQ lines, the
 * virtual clock (typematic repeat) and the front-end inputs. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>

#include "devices/clock.h"
#include "devices/iobus.h"
#include "devices/irq.h"
#include "devices/kbc8042.h"
#include "devices/ps2_keyboard.h"
#include "devices/ps2_mouse.h"

/* ---- test rig ---- */

struct rig {
    struct iobus bus;
    struct vclock clk;
    struct kbc8042 kbc;
    struct ps2_keyboard kbd;
    struct ps2_mouse mouse;
    bool level[16];
    uint8_t last_status;
};

static void rig_irq(void *sink, unsigned pin, bool level)
{
    struct rig *r = sink;
    r->level[pin] = level;
}

static void outb(struct rig *r, uint16_t port, uint8_t v)
{
    iobus_write(&r->bus, port, v, 1);
}

static uint8_t inb(struct rig *r, uint16_t port)
{
    return (uint8_t)iobus_read(&r->bus, port, 1);
}

static void advance(struct rig *r, uint64_t ns)
{
    vclock_advance(&r->clk, vclock_now(&r->clk) + ns);
}

static struct rig *rig_new(void)
{
    struct rig *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    char err[200];
    iobus_init(&r->bus);
    vclock_init(&r->clk);
    ps2_keyboard_init(&r->kbd, &r->clk);
    ps2_mouse_init(&r->mouse);
    struct irq_line l1 = {rig_irq, r, 1}, l12 = {rig_irq, r, 12};
    ck_assert_int_eq(kbc8042_attach(&r->kbc, &r->bus, &r->clk, &r->kbd, &r->mouse, &l1, &l12,
                                    err, sizeof err),
                     0);
    /* Interrupts on, translation off: the devices' bytes as they send them. */
    outb(r, 0x64, 0x60);
    outb(r, 0x60, KBC_CB_KBD_INT | KBC_CB_AUX_INT);
    return r;
}

/* The next byte, letting up to 2 ms pass; -1 if none. */
static int get(struct rig *r)
{
    for (int i = 0; i < 200; i++) {
        uint8_t s = inb(r, 0x64);
        if (s & KBC_STAT_OBF) {
            r->last_status = s;
            return inb(r, 0x60);
        }
        advance(r, 10000);
    }
    return -1;
}

static void expect(struct rig *r, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        int want = va_arg(ap, int);
        int got = get(r);
        ck_assert_msg(got == want, "byte %d: got %d (0x%02X), want 0x%02X", i, got, got & 0xFF,
                      want);
    }
    va_end(ap);
    int extra = get(r);
    ck_assert_msg(extra == -1, "unexpected extra byte 0x%02X", extra & 0xFF);
}

/* Expects n bytes from the mouse side (status bit 5 set with each). */
static void expect_aux(struct rig *r, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        int want = va_arg(ap, int);
        int got = get(r);
        ck_assert_msg(got == want, "aux byte %d: got %d (0x%02X), want 0x%02X", i, got,
                      got & 0xFF, want);
        ck_assert_msg(r->last_status & KBC_STAT_AUX_OBF, "aux byte %d without status bit 5", i);
    }
    va_end(ap);
    int extra = get(r);
    ck_assert_msg(extra == -1, "unexpected extra byte 0x%02X", extra & 0xFF);
}

static void kbd(struct rig *r, uint8_t v)
{
    outb(r, 0x60, v);
}

static void mouse(struct rig *r, uint8_t v)
{
    outb(r, 0x64, 0xD4);
    outb(r, 0x60, v);
}

static void tap(struct rig *r, unsigned key)
{
    ps2_keyboard_key(&r->kbd, key, true);
    ps2_keyboard_key(&r->kbd, key, false);
}

/* ---- keyboard ---- */

START_TEST(test_kbd_reset_identify_echo)
{
    struct rig *r = rig_new();
    kbd(r, 0xFF);
    expect(r, 2, 0xFA, 0xAA);
    kbd(r, 0xF2);
    expect(r, 3, 0xFA, 0xAB, 0x83);
    kbd(r, 0xEE);
    expect(r, 1, 0xEE);
    kbd(r, 0xFE); /* resend: the last byte sent */
    expect(r, 1, 0xEE);
    kbd(r, 0x12); /* not a command */
    expect(r, 1, 0xFE);
    kbd(r, 0xF7); /* set-3 mode commands are acknowledged */
    expect(r, 1, 0xFA);
    free(r);
}
END_TEST

START_TEST(test_kbd_scancode_sets)
{
    struct rig *r = rig_new();
    kbd(r, 0xF0);
    kbd(r, 0x00); /* each byte is acknowledged, then the set comes */
    expect(r, 3, 0xFA, 0xFA, 0x02);
    tap(r, PS2_KEY_A);
    expect(r, 3, 0x1C, 0xF0, 0x1C);
    kbd(r, 0xF0);
    kbd(r, 0x01);
    expect(r, 2, 0xFA, 0xFA);
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 3, 0xFA, 0xFA, 0x01);
    tap(r, PS2_KEY_A);
    expect(r, 2, 0x1E, 0x9E);
    tap(r, PS2_KEY_DELETE);
    expect(r, 4, 0xE0, 0x53, 0xE0, 0xD3);
    /* Set 3 is kept and reported, and produces set-2 codes. */
    kbd(r, 0xF0);
    kbd(r, 0x03);
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 5, 0xFA, 0xFA, 0xFA, 0xFA, 0x03);
    tap(r, PS2_KEY_A);
    expect(r, 3, 0x1C, 0xF0, 0x1C);
    /* An invalid set is acknowledged and changes nothing. */
    kbd(r, 0xF0);
    kbd(r, 0x07);
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 5, 0xFA, 0xFA, 0xFA, 0xFA, 0x03);
    /* Reset goes back to set 2. */
    kbd(r, 0xFF);
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 5, 0xFA, 0xAA, 0xFA, 0xFA, 0x02);
    free(r);
}
END_TEST

START_TEST(test_kbd_leds_and_aborted_argument)
{
    struct rig *r = rig_new();
    kbd(r, 0xED);
    kbd(r, 0x07);
    expect(r, 2, 0xFA, 0xFA);
    ck_assert_uint_eq(ps2_keyboard_leds(&r->kbd), PS2_LED_SCROLL | PS2_LED_NUM | PS2_LED_CAPS);
    kbd(r, 0xED);
    kbd(r, 0x02);
    expect(r, 2, 0xFA, 0xFA);
    ck_assert_uint_eq(ps2_keyboard_leds(&r->kbd), PS2_LED_NUM);
    /* A command instead of the argument: the first is dropped, the new one runs. */
    kbd(r, 0xED);
    kbd(r, 0xF2);
    expect(r, 4, 0xFA, 0xFA, 0xAB, 0x83);
    ck_assert_uint_eq(ps2_keyboard_leds(&r->kbd), PS2_LED_NUM);
    kbd(r, 0x04); /* no argument expected any more */
    expect(r, 1, 0xFE);
    ck_assert_uint_eq(ps2_keyboard_leds(&r->kbd), PS2_LED_NUM);
    free(r);
}
END_TEST

START_TEST(test_kbd_enable_disable_defaults)
{
    struct rig *r = rig_new();
    kbd(r, 0xF5); /* default and disable: no scanning */
    expect(r, 1, 0xFA);
    tap(r, PS2_KEY_B);
    expect(r, 0);
    kbd(r, 0xF4);
    expect(r, 1, 0xFA);
    tap(r, PS2_KEY_B);
    expect(r, 3, 0x32, 0xF0, 0x32);
    /* F5 restores the defaults (set 2, LEDs off) */
    kbd(r, 0xED);
    kbd(r, 0x04);
    kbd(r, 0xF0);
    kbd(r, 0x01);
    expect(r, 4, 0xFA, 0xFA, 0xFA, 0xFA);
    kbd(r, 0xF5);
    kbd(r, 0xF4);
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 5, 0xFA, 0xFA, 0xFA, 0xFA, 0x02);
    ck_assert_uint_eq(ps2_keyboard_leds(&r->kbd), 0);
    /* F6: defaults, scanning goes on */
    kbd(r, 0xF0);
    kbd(r, 0x01);
    kbd(r, 0xF6);
    expect(r, 3, 0xFA, 0xFA, 0xFA);
    tap(r, PS2_KEY_C);
    expect(r, 3, 0x21, 0xF0, 0x21);
    /* F4 clears what waits in the keyboard */
    outb(r, 0x64, 0xAD);
    tap(r, PS2_KEY_D);
    kbd(r, 0xF4);
    outb(r, 0x64, 0xAE);
    expect(r, 1, 0xFA);
    free(r);
}
END_TEST

START_TEST(test_kbd_special_keys)
{
    struct rig *r = rig_new();
    tap(r, PS2_KEY_KP_ENTER);
    expect(r, 5, 0xE0, 0x5A, 0xE0, 0xF0, 0x5A);
    tap(r, PS2_KEY_LEFT_GUI);
    expect(r, 5, 0xE0, 0x1F, 0xE0, 0xF0, 0x1F);
    tap(r, PS2_KEY_PRINT_SCREEN);
    expect(r, 10, 0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12);
    tap(r, PS2_KEY_PAUSE);
    expect(r, 8, 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77);
    /* Ctrl+Pause is Break; Alt+PrintScreen is SysRq; Shift+PrintScreen is bare */
    ps2_keyboard_key(&r->kbd, PS2_KEY_LEFT_CTRL, true);
    tap(r, PS2_KEY_PAUSE);
    ps2_keyboard_key(&r->kbd, PS2_KEY_LEFT_CTRL, false);
    expect(r, 8, 0x14, 0xE0, 0x7E, 0xE0, 0xF0, 0x7E, 0xF0, 0x14);
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_ALT, true);
    tap(r, PS2_KEY_PRINT_SCREEN);
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_ALT, false);
    expect(r, 8, 0xE0, 0x11, 0x84, 0xF0, 0x84, 0xE0, 0xF0, 0x11);
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_SHIFT, true);
    tap(r, PS2_KEY_PRINT_SCREEN);
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_SHIFT, false);
    expect(r, 8, 0x59, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xF0, 0x59);
    free(r);
}
END_TEST

START_TEST(test_kbd_key_state)
{
    struct rig *r = rig_new();
    ps2_keyboard_key(&r->kbd, PS2_KEY_E, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_E, true); /* host auto-repeat: ignored */
    ps2_keyboard_key(&r->kbd, PS2_KEY_E, false);
    ps2_keyboard_key(&r->kbd, PS2_KEY_E, false); /* not down: ignored */
    ps2_keyboard_key(&r->kbd, 0x03, true);       /* no such key */
    ps2_keyboard_key(&r->kbd, 0xFF, true);
    ps2_keyboard_key(&r->kbd, 1000, true);
    expect(r, 3, 0x24, 0xF0, 0x24);
    ps2_keyboard_key(&r->kbd, PS2_KEY_LEFT_SHIFT, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_UP, true);
    ps2_keyboard_release_all(&r->kbd);
    expect(r, 8, 0x12, 0xE0, 0x75, 0xE0, 0xF0, 0x75, 0xF0, 0x12);
    ck_assert_int_eq(get(r), -1);
    free(r);
}
END_TEST

START_TEST(test_kbd_typematic)
{
    struct rig *r = rig_new();
    /* Default: 500 ms delay, then every (8+3)*2*4.17 ms = 91.7 ms. */
    ps2_keyboard_key(&r->kbd, PS2_KEY_F, true);
    ck_assert_int_eq(get(r), 0x2B);
    advance(r, 497000000);
    ck_assert_int_eq(get(r), -1);
    advance(r, 1000000);
    ck_assert_int_eq(get(r), 0x2B); /* at 500 ms */
    advance(r, 85000000);
    ck_assert_int_eq(get(r), -1);
    advance(r, 5000000);
    ck_assert_int_eq(get(r), 0x2B); /* at 591.7 ms */
    ps2_keyboard_key(&r->kbd, PS2_KEY_F, false);
    expect(r, 2, 0xF0, 0x2B);
    advance(r, 1000000000);
    ck_assert_int_eq(get(r), -1);
    /* F3 00: 250 ms, 30 per second; E0 keys repeat with their prefix. */
    kbd(r, 0xF3);
    kbd(r, 0x00);
    expect(r, 2, 0xFA, 0xFA);
    ps2_keyboard_key(&r->kbd, PS2_KEY_LEFT, true);
    expect(r, 2, 0xE0, 0x6B);
    advance(r, 250000000 - 2000000);
    expect(r, 2, 0xE0, 0x6B);
    advance(r, 33333336 - 2000000);
    expect(r, 2, 0xE0, 0x6B);
    /* Another key pressed takes over the repeat. */
    ps2_keyboard_key(&r->kbd, PS2_KEY_G, true);
    expect(r, 1, 0x34);
    advance(r, 250000000 - 2000000);
    expect(r, 1, 0x34);
    ps2_keyboard_key(&r->kbd, PS2_KEY_G, false);
    ps2_keyboard_key(&r->kbd, PS2_KEY_LEFT, false);
    expect(r, 5, 0xF0, 0x34, 0xE0, 0xF0, 0x6B);
    advance(r, 1000000000);
    ck_assert_int_eq(get(r), -1);
    /* Repeats do not pile up in a host that is not reading. */
    outb(r, 0x64, 0xAD);
    ps2_keyboard_key(&r->kbd, PS2_KEY_H, true);
    advance(r, 2000000000);
    outb(r, 0x64, 0xAE);
    expect(r, 1, 0x33);
    free(r);
}
END_TEST

START_TEST(test_kbd_overrun)
{
    struct rig *r = rig_new();
    outb(r, 0x64, 0xAD);
    for (int i = 0; i < 40; i++)
        tap(r, PS2_KEY_Z); /* 3 bytes each: 21 taps, then the overrun code */
    outb(r, 0x64, 0xAE);
    int n = 0, last = -1, b;
    while ((b = get(r)) >= 0) {
        last = b;
        n++;
    }
    ck_assert_int_eq(n, 64);
    ck_assert_int_eq(last, 0x00); /* the overrun code of set 2 */
    free(r);
}
END_TEST

/* ---- mouse ---- */

START_TEST(test_mouse_reset_identify)
{
    struct rig *r = rig_new();
    mouse(r, 0xFF);
    expect_aux(r, 3, 0xFA, 0xAA, 0x00);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x00);
    mouse(r, 0xFE);
    expect_aux(r, 1, 0x00);
    mouse(r, 0x42);
    expect_aux(r, 1, 0xFE);
    free(r);
}
END_TEST

static void set_rate(struct rig *r, uint8_t rate)
{
    mouse(r, 0xF3);
    mouse(r, rate);
    expect_aux(r, 2, 0xFA, 0xFA);
}

START_TEST(test_mouse_intellimouse)
{
    struct rig *r = rig_new();
    /* The Explorer knock does nothing on a plain mouse. */
    set_rate(r, 200);
    set_rate(r, 200);
    set_rate(r, 80);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x00);
    set_rate(r, 200);
    set_rate(r, 100);
    set_rate(r, 80);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x03);
    mouse(r, 0xF4);
    expect_aux(r, 1, 0xFA);
    ps2_mouse_move(&r->mouse, 1, 2, -1, PS2_MOUSE_MIDDLE);
    expect_aux(r, 4, 0x0C, 0x01, 0x02, 0xFF);
    /* Twelve wheel clicks: 7 fit the 4-bit count, 5 come in the next packet. */
    ps2_mouse_move(&r->mouse, 0, 0, 12, PS2_MOUSE_MIDDLE);
    expect_aux(r, 8, 0x0C, 0x00, 0x00, 0x07, 0x0C, 0x00, 0x00, 0x05);
    set_rate(r, 200);
    set_rate(r, 200);
    set_rate(r, 80);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x04);
    ps2_mouse_move(&r->mouse, 0, 0, -2, PS2_MOUSE_BUTTON4 | PS2_MOUSE_BUTTON5);
    expect_aux(r, 4, 0x08, 0x00, 0x00, 0x3E);
    /* Reset: a plain mouse again. */
    mouse(r, 0xFF);
    mouse(r, 0xF2);
    expect_aux(r, 5, 0xFA, 0xAA, 0x00, 0xFA, 0x00);
    free(r);
}
END_TEST

START_TEST(test_mouse_status_and_settings)
{
    struct rig *r = rig_new();
    mouse(r, 0xE9);
    expect_aux(r, 4, 0xFA, 0x00, 0x02, 100);
    mouse(r, 0xF4);
    mouse(r, 0xE7);
    mouse(r, 0xE8);
    mouse(r, 0x03);
    mouse(r, 0xF3);
    mouse(r, 40);
    expect_aux(r, 6, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    ps2_mouse_move(&r->mouse, 0, 0, 0, PS2_MOUSE_LEFT | PS2_MOUSE_RIGHT);
    expect_aux(r, 3, 0x0B, 0x00, 0x00);
    mouse(r, 0xE9);
    expect_aux(r, 4, 0xFA, 0x20 | 0x10 | 0x04 | 0x01, 0x03, 40);
    mouse(r, 0xF0); /* remote */
    mouse(r, 0xE6);
    mouse(r, 0xE9);
    expect_aux(r, 6, 0xFA, 0xFA, 0xFA, 0x20 | 0x40 | 0x04 | 0x01, 0x03, 40);
    mouse(r, 0xF6); /* defaults: stream, disabled, 100/s, 4/mm, 1:1 */
    mouse(r, 0xE9);
    expect_aux(r, 5, 0xFA, 0xFA, 0x05, 0x02, 100);
    free(r);
}
END_TEST

START_TEST(test_mouse_packets_signs_overflow)
{
    struct rig *r = rig_new();
    mouse(r, 0xF4);
    expect_aux(r, 1, 0xFA);
    ps2_mouse_move(&r->mouse, -1, 255, 0, 0);
    expect_aux(r, 3, 0x18, 0xFF, 0xFF);
    ps2_mouse_move(&r->mouse, -256, -256, 0, 0);
    expect_aux(r, 3, 0x38, 0x00, 0x00);
    ps2_mouse_move(&r->mouse, 300, -300, 0, 0); /* saturates, flags both overflows */
    expect_aux(r, 3, 0x08 | 0x40 | 0x80 | 0x20, 0xFF, 0x00);
    ps2_mouse_move(&r->mouse, 1000000000, 0, 0, 0); /* any host value is safe */
    expect_aux(r, 3, 0x48, 0xFF, 0x00);
    /* Disabled: nothing is sent. */
    mouse(r, 0xF5);
    expect_aux(r, 1, 0xFA);
    ps2_mouse_move(&r->mouse, 3, 3, 0, PS2_MOUSE_LEFT);
    expect(r, 0);
    free(r);
}
END_TEST

START_TEST(test_mouse_scaling)
{
    struct rig *r = rig_new();
    mouse(r, 0xF4);
    mouse(r, 0xE7);
    expect_aux(r, 2, 0xFA, 0xFA);
    static const int in[] = {1, 2, 3, 4, 5, 6, -4, 200};
    static const int out[] = {1, 1, 3, 6, 9, 12, -6, 255};
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        ps2_mouse_move(&r->mouse, in[i], 0, 0, 0);
        int b0 = get(r), bx = get(r), by = get(r);
        int x = bx | ((b0 & 0x10) ? -256 : 0);
        ck_assert_msg(x == out[i], "%d scaled to %d, want %d", in[i], x, out[i]);
        ck_assert_int_eq(by, 0);
        ck_assert_int_eq(!!(b0 & 0x40), in[i] == 200);
    }
    free(r);
}
END_TEST

START_TEST(test_mouse_remote_mode)
{
    struct rig *r = rig_new();
    mouse(r, 0xF4);
    mouse(r, 0xF0);
    expect_aux(r, 2, 0xFA, 0xFA);
    ps2_mouse_move(&r->mouse, 10, -20, 0, PS2_MOUSE_RIGHT);
    ps2_mouse_move(&r->mouse, 5, 0, 0, PS2_MOUSE_RIGHT);
    expect(r, 0); /* nothing unless asked */
    mouse(r, 0xEB);
    expect_aux(r, 4, 0xFA, 0x08 | 0x02 | 0x20, 15, 0xEC);
    mouse(r, 0xEB); /* the counters were cleared by the read */
    expect_aux(r, 4, 0xFA, 0x0A, 0x00, 0x00);
    mouse(r, 0xEA); /* stream again */
    expect_aux(r, 1, 0xFA);
    ps2_mouse_move(&r->mouse, 1, 0, 0, 0);
    expect_aux(r, 3, 0x08, 0x01, 0x00);
    free(r);
}
END_TEST

START_TEST(test_mouse_wrap_mode)
{
    struct rig *r = rig_new();
    mouse(r, 0xEE);
    expect_aux(r, 1, 0xFA);
    mouse(r, 0x12);
    mouse(r, 0xF4); /* echoed, not run */
    expect_aux(r, 2, 0x12, 0xF4);
    mouse(r, 0xEC);
    expect_aux(r, 1, 0xFA);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x00);
    mouse(r, 0xEE);
    mouse(r, 0xFF); /* reset works from wrap mode */
    mouse(r, 0x55);
    expect_aux(r, 5, 0xFA, 0xFA, 0xAA, 0x00, 0xFE);
    free(r);
}
END_TEST

START_TEST(test_mouse_accumulates_when_full)
{
    struct rig *r = rig_new();
    mouse(r, 0xF4);
    expect_aux(r, 1, 0xFA);
    outb(r, 0x64, 0xA7); /* hold the mouse's bytes back */
    for (int i = 0; i < 30; i++)
        ps2_mouse_move(&r->mouse, 1, 0, 0, 0);
    outb(r, 0x64, 0xA8);
    /* 21 packets fit in 64 bytes; the other 9 counts come merged in one more. */
    int total = 0, packets = 0;
    for (;;) {
        int b0 = get(r);
        if (b0 < 0)
            break;
        int bx = get(r), by = get(r);
        ck_assert_int_eq(b0, 0x08);
        ck_assert_int_eq(by, 0);
        total += bx;
        packets++;
    }
    ck_assert_int_eq(packets, 22);
    ck_assert_int_eq(total, 30);
    /* A command drops unsent reports so that its answer comes next. */
    outb(r, 0x64, 0xA7);
    ps2_mouse_move(&r->mouse, 1, 0, 0, 0);
    mouse(r, 0xF5);
    outb(r, 0x64, 0xA8);
    expect_aux(r, 1, 0xFA);
    free(r);
}
END_TEST

/* A power cycle of both devices (the machine's hard reset). */
START_TEST(test_power_cycle)
{
    struct rig *r = rig_new();
    kbd(r, 0xF0);
    kbd(r, 0x01);
    expect(r, 2, 0xFA, 0xFA);
    set_rate(r, 200);
    set_rate(r, 100);
    set_rate(r, 80);
    mouse(r, 0xF4);
    expect_aux(r, 1, 0xFA);
    outb(r, 0x64, 0xAD);
    outb(r, 0x64, 0xA7);
    ps2_keyboard_key(&r->kbd, PS2_KEY_J, true); /* queued, and repeating */
    ps2_mouse_move(&r->mouse, 1, 1, 0, 0);
    ps2_keyboard_reset(&r->kbd);
    ps2_mouse_reset(&r->mouse);
    outb(r, 0x64, 0xAE);
    outb(r, 0x64, 0xA8);
    advance(r, 2000000000);
    expect(r, 0); /* queues emptied, no repeat */
    kbd(r, 0xF0);
    kbd(r, 0x00);
    expect(r, 3, 0xFA, 0xFA, 0x02);
    mouse(r, 0xF2);
    expect_aux(r, 2, 0xFA, 0x00);
    ps2_mouse_move(&r->mouse, 1, 1, 0, 0); /* reporting is off again */
    expect(r, 0);
    free(r);
}
END_TEST

static TCase *add_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("ps2");
    TCase *tc = add_tcase(s, "keyboard");
    tcase_add_test(tc, test_kbd_reset_identify_echo);
    tcase_add_test(tc, test_kbd_scancode_sets);
    tcase_add_test(tc, test_kbd_leds_and_aborted_argument);
    tcase_add_test(tc, test_kbd_enable_disable_defaults);
    tcase_add_test(tc, test_kbd_special_keys);
    tcase_add_test(tc, test_kbd_key_state);
    tcase_add_test(tc, test_kbd_typematic);
    tcase_add_test(tc, test_kbd_overrun);
    tc = add_tcase(s, "mouse");
    tcase_add_test(tc, test_mouse_reset_identify);
    tcase_add_test(tc, test_mouse_intellimouse);
    tcase_add_test(tc, test_mouse_status_and_settings);
    tcase_add_test(tc, test_mouse_packets_signs_overflow);
    tcase_add_test(tc, test_mouse_scaling);
    tcase_add_test(tc, test_mouse_remote_mode);
    tcase_add_test(tc, test_mouse_wrap_mode);
    tcase_add_test(tc, test_mouse_accumulates_when_full);
    tc = add_tcase(s, "power");
    tcase_add_test(tc, test_power_cycle);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
