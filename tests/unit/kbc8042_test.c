/* kbc8042_test.c - Check unit tests for the 8042 keyboard controller
 * (devices/kbc8042.c) and port 0x92 (devices/port92.c), driven only through
 * ports 0x60/0x64/0x92, the IRQ 1 and IRQ 12 lines, the A20/reset callbacks,
 * the virtual clock, and the keyboard's and mouse's front-end inputs. */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>

#include "devices/clock.h"
#include "devices/iobus.h"
#include "devices/irq.h"
#include "devices/kbc8042.h"
#include "devices/port92.h"
#include "devices/ps2_keyboard.h"
#include "devices/ps2_mouse.h"

/* ---- test rig ---- */

struct rig {
    struct iobus bus;
    struct vclock clk;
    struct kbc8042 kbc;
    struct ps2_keyboard kbd;
    struct ps2_mouse mouse;
    struct port92 p92;
    bool level[16];
    unsigned rises[16];
    bool a20_kbc, a20_p92;
    unsigned a20_calls, resets;
    uint8_t last_status; /* status seen with the last byte read by get() */
};

static void rig_irq(void *sink, unsigned pin, bool level)
{
    struct rig *r = sink;
    if (level && !r->level[pin])
        r->rises[pin]++;
    r->level[pin] = level;
}

static void rig_kbc_a20(void *opaque, bool on)
{
    struct rig *r = opaque;
    r->a20_kbc = on;
    r->a20_calls++;
}

static void rig_p92_a20(void *opaque, bool on)
{
    struct rig *r = opaque;
    r->a20_p92 = on;
    r->a20_calls++;
}

static void rig_reset(void *opaque)
{
    struct rig *r = opaque;
    r->resets++;
}

static struct rig *rig_new_with(bool with_kbd, bool with_mouse)
{
    struct rig *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    char err[200];
    iobus_init(&r->bus);
    vclock_init(&r->clk);
    ps2_keyboard_init(&r->kbd, &r->clk);
    ps2_mouse_init(&r->mouse);
    struct irq_line l1 = {rig_irq, r, 1}, l12 = {rig_irq, r, 12};
    ck_assert_int_eq(kbc8042_attach(&r->kbc, &r->bus, &r->clk, with_kbd ? &r->kbd : NULL,
                                    with_mouse ? &r->mouse : NULL, &l1, &l12, err, sizeof err),
                     0);
    r->kbc.set_a20 = rig_kbc_a20;
    r->kbc.reset = rig_reset;
    r->kbc.opaque = r;
    ck_assert_int_eq(port92_attach(&r->p92, &r->bus, err, sizeof err), 0);
    r->p92.set_a20 = rig_p92_a20;
    r->p92.reset = rig_reset;
    r->p92.opaque = r;
    r->a20_kbc = true; /* the controller's power-on state */
    return r;
}

static struct rig *rig_new(void)
{
    return rig_new_with(true, true);
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

/* The next byte from the controller, letting up to 2 ms pass; -1 if none. */
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

/* Expects exactly these bytes and then nothing more. */
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

static void controller_cmd(struct rig *r, uint8_t c)
{
    outb(r, 0x64, c);
}

static void set_cmd_byte(struct rig *r, uint8_t v)
{
    outb(r, 0x64, 0x60);
    outb(r, 0x60, v);
}

static void to_mouse(struct rig *r, uint8_t v)
{
    outb(r, 0x64, 0xD4);
    outb(r, 0x60, v);
}

/* ---- controller commands ---- */

START_TEST(test_self_test)
{
    struct rig *r = rig_new();
    ck_assert_uint_eq(inb(r, 0x64) & (KBC_STAT_OBF | KBC_STAT_SYS | KBC_STAT_IBF), 0);
    ck_assert(inb(r, 0x64) & KBC_STAT_UNLOCK);
    controller_cmd(r, 0xAA);
    uint8_t s = inb(r, 0x64);
    ck_assert(s & KBC_STAT_OBF);
    ck_assert(s & KBC_STAT_CMD);   /* the last write went to 0x64 */
    ck_assert(s & KBC_STAT_SYS);   /* a passed self test sets the system flag */
    ck_assert(!(s & KBC_STAT_AUX_OBF));
    ck_assert_uint_eq(inb(r, 0x60), 0x55);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_OBF));
    ck_assert_uint_eq(inb(r, 0x60), 0x55); /* an empty buffer still reads its last byte */
    controller_cmd(r, 0xAB);
    expect(r, 1, 0x00);
    controller_cmd(r, 0xA9);
    expect(r, 1, 0x00);
    controller_cmd(r, 0xC0);
    int in = get(r);
    ck_assert_int_eq(in & 0x80, 0x80); /* key lock open */
    free(r);
}
END_TEST

START_TEST(test_command_byte)
{
    struct rig *r = rig_new();
    controller_cmd(r, 0x20);
    expect(r, 1, KBC_CB_KBD_INT | KBC_CB_AUX_INT | KBC_CB_XLATE);
    set_cmd_byte(r, 0x65);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_CMD)); /* last write was data */
    ck_assert(inb(r, 0x64) & KBC_STAT_SYS);    /* command byte bit 2 */
    controller_cmd(r, 0x20);
    expect(r, 1, 0x65);
    set_cmd_byte(r, 0x41);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_SYS));
    /* A7/A8 and AD/AE are bits 5 and 4 of the command byte. */
    controller_cmd(r, 0xA7);
    controller_cmd(r, 0xAD);
    controller_cmd(r, 0x20);
    expect(r, 1, 0x41 | KBC_CB_AUX_DIS | KBC_CB_KBD_DIS);
    controller_cmd(r, 0xA8);
    controller_cmd(r, 0x20);
    expect(r, 1, 0x41 | KBC_CB_KBD_DIS);
    controller_cmd(r, 0xAE);
    controller_cmd(r, 0x20);
    expect(r, 1, 0x41);
    /* The rest of the controller RAM: 61-7F write, 21-3F read. */
    outb(r, 0x64, 0x65);
    outb(r, 0x60, 0x5A);
    controller_cmd(r, 0x25);
    expect(r, 1, 0x5A);
    controller_cmd(r, 0x20);
    expect(r, 1, 0x41);
    /* A new command cancels one still waiting for its data byte. */
    controller_cmd(r, 0x60);
    controller_cmd(r, 0x20);
    expect(r, 1, 0x41);
    free(r);
}
END_TEST

START_TEST(test_identify_and_reset_through_ports)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, 0x00); /* no translation, no interrupts */
    outb(r, 0x60, 0xF2);
    expect(r, 3, 0xFA, 0xAB, 0x83);
    ck_assert(!(r->last_status & KBC_STAT_AUX_OBF));
    outb(r, 0x60, 0xFF);
    expect(r, 2, 0xFA, 0xAA);
    /* Translated, the ID's second byte is 41 (83 is the set-2 F7 code). */
    set_cmd_byte(r, KBC_CB_XLATE);
    outb(r, 0x60, 0xF2);
    expect(r, 3, 0xFA, 0xAB, 0x41);
    outb(r, 0x60, 0xEE);
    expect(r, 1, 0xEE);
    free(r);
}
END_TEST

START_TEST(test_irq1_raise_lower)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_KBD_INT);
    ck_assert(!r->level[1]);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, true);
    ck_assert(r->level[1]);
    ck_assert_uint_eq(r->rises[1], 1);
    ck_assert_uint_eq(inb(r, 0x64) & (KBC_STAT_OBF | KBC_STAT_AUX_OBF), KBC_STAT_OBF);
    ck_assert(!r->level[12]);
    ck_assert_uint_eq(inb(r, 0x60), 0x1C);
    ck_assert(!r->level[1]);
    /* The release is two bytes: each raises IRQ 1 again, one gap apart. */
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, false);
    ck_assert(r->level[1]);
    ck_assert_uint_eq(inb(r, 0x60), 0xF0);
    ck_assert(!r->level[1]);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_OBF)); /* the next byte is not there at once */
    advance(r, KBC8042_BYTE_DELAY_NS - 1);
    ck_assert(!r->level[1]);
    advance(r, 1);
    ck_assert(r->level[1]);
    ck_assert_uint_eq(inb(r, 0x60), 0x1C);
    ck_assert(!r->level[1]);
    ck_assert_uint_eq(r->rises[1], 3);
    /* With the interrupt disabled the byte waits without IRQ 1 ... */
    set_cmd_byte(r, 0x00);
    ps2_keyboard_key(&r->kbd, PS2_KEY_B, true);
    ck_assert(inb(r, 0x64) & KBC_STAT_OBF);
    ck_assert(!r->level[1]);
    /* ... and enabling it with the byte still there raises it. */
    set_cmd_byte(r, KBC_CB_KBD_INT);
    ck_assert(r->level[1]);
    ck_assert_uint_eq(inb(r, 0x60), 0x32);
    ck_assert(!r->level[1]);
    /* Controller responses come with IRQ 1 too. */
    controller_cmd(r, 0xAA);
    ck_assert(r->level[1]);
    ck_assert_uint_eq(inb(r, 0x60), 0x55);
    ck_assert(!r->level[1]);
    free(r);
}
END_TEST

START_TEST(test_translation)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, 0x00);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, false);
    expect(r, 3, 0x1C, 0xF0, 0x1C);
    set_cmd_byte(r, KBC_CB_XLATE);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, false);
    expect(r, 2, 0x1E, 0x9E); /* F0 is swallowed and sets bit 7 of the next code */
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_CTRL, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_RIGHT_CTRL, false);
    expect(r, 4, 0xE0, 0x1D, 0xE0, 0x9D);
    ps2_keyboard_key(&r->kbd, PS2_KEY_F7, true); /* set-2 83 */
    ps2_keyboard_key(&r->kbd, PS2_KEY_F7, false);
    expect(r, 2, 0x41, 0xC1);
    ps2_keyboard_key(&r->kbd, PS2_KEY_PAUSE, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_PAUSE, false);
    expect(r, 6, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
    ps2_keyboard_key(&r->kbd, PS2_KEY_PRINT_SCREEN, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_PRINT_SCREEN, false);
    expect(r, 8, 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
    free(r);
}
END_TEST

/* Every key, translated by the controller from set 2, gives exactly the
 * keyboard's own set-1 codes: two independent tables agree. */
START_TEST(test_translation_every_key)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_XLATE);
    unsigned keys = 0;
    for (unsigned key = 0; key < PS2_KEY_COUNT; key++) {
        uint8_t want[16];
        unsigned n = ps2_keyboard_sequence(key, true, 1, 0, want);
        if (n == 0)
            continue;
        n += ps2_keyboard_sequence(key, false, 1, 0, want + n);
        keys++;
        ps2_keyboard_key(&r->kbd, key, true);
        ps2_keyboard_key(&r->kbd, key, false);
        for (unsigned i = 0; i < n; i++) {
            int got = get(r);
            ck_assert_msg(got == want[i], "key 0x%02X byte %u: got %d want 0x%02X", key, i, got,
                          want[i]);
        }
        ck_assert_int_eq(get(r), -1);
    }
    ck_assert_uint_ge(keys, 104);
    free(r);
}
END_TEST

START_TEST(test_disabled_keyboard_holds_bytes)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_XLATE);
    controller_cmd(r, 0xAD);
    ps2_keyboard_key(&r->kbd, PS2_KEY_Q, true);
    ps2_keyboard_key(&r->kbd, PS2_KEY_Q, false);
    advance(r, 10000000);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_OBF));
    ck_assert(!r->level[1]);
    /* A command sent meanwhile is answered first once the port is enabled. */
    outb(r, 0x60, 0xF2);
    advance(r, 10000000);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_OBF));
    controller_cmd(r, 0xAE);
    ck_assert(r->level[1]);
    expect(r, 5, 0xFA, 0xAB, 0x41, 0x10, 0x90);
    /* The same through command byte bit 4. */
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_XLATE | KBC_CB_KBD_DIS);
    ps2_keyboard_key(&r->kbd, PS2_KEY_W, true);
    ck_assert_int_eq(get(r), -1);
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_XLATE);
    expect(r, 1, 0x11);
    free(r);
}
END_TEST

START_TEST(test_mouse_through_d4_irq12)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_AUX_INT);
    to_mouse(r, 0xF4);
    ck_assert(r->level[12]);
    ck_assert(!r->level[1]);
    ck_assert_uint_eq(inb(r, 0x64) & (KBC_STAT_OBF | KBC_STAT_AUX_OBF),
                      KBC_STAT_OBF | KBC_STAT_AUX_OBF);
    ck_assert_uint_eq(inb(r, 0x60), 0xFA);
    ck_assert(!r->level[12]);
    ck_assert(!(inb(r, 0x64) & KBC_STAT_AUX_OBF));
    ps2_mouse_move(&r->mouse, 5, -3, 0, PS2_MOUSE_LEFT);
    static const uint8_t pkt[3] = {0x08 | 0x01 | 0x20, 0x05, 0xFD};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(get(r), pkt[i]);
        ck_assert_uint_eq(r->last_status & KBC_STAT_AUX_OBF, KBC_STAT_AUX_OBF);
    }
    ck_assert_uint_eq(r->rises[12], 4);
    ck_assert_uint_eq(r->rises[1], 0);
    /* Without the aux interrupt the bytes come, IRQ 12 stays low. */
    set_cmd_byte(r, KBC_CB_KBD_INT);
    ps2_mouse_move(&r->mouse, 1, 1, 0, 0);
    expect(r, 3, 0x08, 0x01, 0x01);
    ck_assert_uint_eq(r->rises[12], 4);
    /* A7 holds mouse bytes back, A8 lets them through. */
    controller_cmd(r, 0xA7);
    ps2_mouse_move(&r->mouse, 2, 0, 0, 0);
    ck_assert_int_eq(get(r), -1);
    controller_cmd(r, 0xA8);
    expect(r, 3, 0x08, 0x02, 0x00);
    free(r);
}
END_TEST

START_TEST(test_output_buffer_arbitration)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_AUX_INT);
    to_mouse(r, 0xF4);
    ck_assert_int_eq(get(r), 0xFA);
    controller_cmd(r, 0xAD);
    controller_cmd(r, 0xA7);
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, true);  /* 1C */
    ps2_keyboard_key(&r->kbd, PS2_KEY_A, false); /* F0 1C */
    ps2_mouse_move(&r->mouse, 7, 0, 0, 0);       /* 08 07 00 */
    controller_cmd(r, 0xA8);
    controller_cmd(r, 0xAE);
    int kbd = 0, aux = 0;
    uint8_t kb[3], ms[3];
    for (int i = 0; i < 6; i++) {
        advance(r, KBC8042_BYTE_DELAY_NS);
        uint8_t st = inb(r, 0x64);
        ck_assert(st & KBC_STAT_OBF);
        bool from_aux = st & KBC_STAT_AUX_OBF;
        /* Only one IRQ line at a time, the one of the byte's source. */
        ck_assert(r->level[12] == from_aux && r->level[1] == !from_aux);
        int b = inb(r, 0x60);
        if (from_aux)
            ms[aux++] = (uint8_t)b;
        else
            kb[kbd++] = (uint8_t)b;
        ck_assert_int_le(abs(kbd - aux), 1); /* they take turns */
    }
    ck_assert_int_eq(get(r), -1);
    ck_assert_int_eq(kbd, 3);
    ck_assert_int_eq(aux, 3);
    ck_assert_uint_eq(kb[0], 0x1C);
    ck_assert_uint_eq(kb[1], 0xF0);
    ck_assert_uint_eq(kb[2], 0x1C);
    ck_assert_uint_eq(ms[0], 0x08);
    ck_assert_uint_eq(ms[1], 0x07);
    ck_assert_uint_eq(ms[2], 0x00);
    free(r);
}
END_TEST

START_TEST(test_write_output_buffers)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_AUX_INT | KBC_CB_XLATE);
    controller_cmd(r, 0xD2);
    outb(r, 0x60, 0x1C); /* not translated: it does not come from the keyboard */
    ck_assert(r->level[1] && !r->level[12]);
    ck_assert_uint_eq(inb(r, 0x64) & KBC_STAT_AUX_OBF, 0);
    ck_assert_uint_eq(inb(r, 0x60), 0x1C);
    controller_cmd(r, 0xD3);
    outb(r, 0x60, 0x5A); /* loopback on the aux side, even with the port disabled */
    ck_assert(!r->level[1] && r->level[12]);
    ck_assert(inb(r, 0x64) & KBC_STAT_AUX_OBF);
    ck_assert_uint_eq(inb(r, 0x60), 0x5A);
    ck_assert(!r->level[12]);
    free(r);
}
END_TEST

START_TEST(test_output_port_a20_reset)
{
    struct rig *r = rig_new();
    set_cmd_byte(r, 0x00);
    controller_cmd(r, 0xD0);
    ck_assert_int_eq(get(r) & 0x03, 0x03); /* A20 on, not in reset */
    controller_cmd(r, 0xD1);
    outb(r, 0x60, 0xDD); /* A20 off */
    ck_assert_uint_eq(r->a20_calls, 1);
    ck_assert(!r->a20_kbc);
    ck_assert_uint_eq(r->resets, 0);
    controller_cmd(r, 0xD0);
    ck_assert_int_eq(get(r), 0xCD); /* bit 4 reads the IRQ 1 output: nothing was waiting */
    controller_cmd(r, 0xD1);
    outb(r, 0x60, 0xDF); /* A20 on */
    ck_assert(r->a20_kbc);
    ck_assert_uint_eq(r->a20_calls, 2);
    controller_cmd(r, 0xD1);
    outb(r, 0x60, 0xDF); /* no change, no call */
    ck_assert_uint_eq(r->a20_calls, 2);
    controller_cmd(r, 0xD1);
    outb(r, 0x60, 0xDE); /* bit 0 low: reset */
    ck_assert_uint_eq(r->resets, 1);
    ck_assert(r->a20_kbc);
    controller_cmd(r, 0xD0);
    ck_assert_int_eq(get(r) & 0x03, 0x03); /* the reset was a pulse */
    free(r);
}
END_TEST

START_TEST(test_pulse_reset)
{
    struct rig *r = rig_new();
    controller_cmd(r, 0xFE);
    ck_assert_uint_eq(r->resets, 1);
    controller_cmd(r, 0xFF); /* pulses nothing */
    ck_assert_uint_eq(r->resets, 1);
    controller_cmd(r, 0xFD); /* bit 1 only */
    ck_assert_uint_eq(r->resets, 1);
    controller_cmd(r, 0xF0); /* all four, reset among them */
    ck_assert_uint_eq(r->resets, 2);
    ck_assert_uint_eq(r->a20_calls, 0); /* pulses do not change A20 */
    /* The controller keeps its state across the CPU reset it asked for. */
    set_cmd_byte(r, 0x47);
    controller_cmd(r, 0xFE);
    ck_assert(inb(r, 0x64) & KBC_STAT_SYS);
    controller_cmd(r, 0x20);
    ck_assert_int_eq(get(r), 0x47);
    free(r);
}
END_TEST

START_TEST(test_port92)
{
    struct rig *r = rig_new();
    ck_assert_uint_eq(inb(r, 0x92), 0x24);
    outb(r, 0x92, 0x02);
    ck_assert(r->a20_p92);
    ck_assert_uint_eq(r->a20_calls, 1);
    ck_assert_uint_eq(inb(r, 0x92), 0x26);
    ck_assert_uint_eq(r->resets, 0);
    outb(r, 0x92, 0x03); /* 0 -> 1 on bit 0: reset */
    ck_assert_uint_eq(r->resets, 1);
    ck_assert_uint_eq(r->a20_calls, 1);
    outb(r, 0x92, 0x03); /* still 1: nothing */
    ck_assert_uint_eq(r->resets, 1);
    outb(r, 0x92, 0x02);
    outb(r, 0x92, 0xFF); /* reserved bits ignored; 0 -> 1 again */
    ck_assert_uint_eq(r->resets, 2);
    ck_assert_uint_eq(inb(r, 0x92), 0x27);
    /* A system reset clears both bits: the gate closes, bit 0 is armed again. */
    port92_reset(&r->p92);
    ck_assert(!r->a20_p92);
    ck_assert_uint_eq(inb(r, 0x92), 0x24);
    outb(r, 0x92, 0x01);
    ck_assert_uint_eq(r->resets, 3);
    ck_assert(!r->a20_p92);
    outb(r, 0x92, 0x00);
    ck_assert(!r->a20_p92);
    free(r);
}
END_TEST

START_TEST(test_missing_devices_time_out)
{
    struct rig *r = rig_new_with(false, false);
    set_cmd_byte(r, KBC_CB_KBD_INT | KBC_CB_AUX_INT);
    outb(r, 0x60, 0xFF);
    uint8_t s = inb(r, 0x64);
    ck_assert(s & KBC_STAT_TIMEOUT);
    ck_assert(!(s & KBC_STAT_AUX_OBF));
    ck_assert(r->level[1]);
    ck_assert_uint_eq(inb(r, 0x60), 0xFE);
    to_mouse(r, 0xF2);
    s = inb(r, 0x64);
    ck_assert(s & KBC_STAT_TIMEOUT);
    ck_assert(s & KBC_STAT_AUX_OBF);
    ck_assert(r->level[12]);
    ck_assert_uint_eq(inb(r, 0x60), 0xFE);
    controller_cmd(r, 0xAA); /* the controller itself still works */
    ck_assert_int_eq(get(r), 0x55);
    free(r);
}
END_TEST

/* Random writes to every port, time passing and input arriving: whatever
 * state results, nothing may go out of bounds (ASan/UBSan builds) and the
 * controller must still answer a self test afterwards. */
START_TEST(test_garbage)
{
    struct rig *r = rig_new();
    uint32_t x = 12345;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        uint8_t v = (uint8_t)(x >> 16);
        switch ((x >> 28) & 7) {
        case 0: outb(r, 0x64, v); break;
        case 1: case 2: outb(r, 0x60, v); break;
        case 3: (void)inb(r, 0x60); (void)inb(r, 0x64); break;
        case 4: ps2_keyboard_key(&r->kbd, v, (x >> 8) & 1); break;
        case 5: ps2_mouse_move(&r->mouse, (int8_t)v * 50, (int8_t)(x >> 8), (int)(x & 7) - 3,
                               (x >> 4) & 0x1F); break;
        case 6: advance(r, (x >> 8) & 0xFFFFF); break;
        default: outb(r, 0x92, v & 0xFE); break;
        }
    }
    for (int i = 0; i < 10000 && get(r) >= 0; i++)
        ;
    controller_cmd(r, 0xAA);
    ck_assert_int_eq(get(r), 0x55);
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
    Suite *s = suite_create("kbc8042");
    TCase *tc = add_tcase(s, "controller");
    tcase_add_test(tc, test_self_test);
    tcase_add_test(tc, test_command_byte);
    tcase_add_test(tc, test_output_port_a20_reset);
    tcase_add_test(tc, test_pulse_reset);
    tcase_add_test(tc, test_write_output_buffers);
    tcase_add_test(tc, test_missing_devices_time_out);
    tc = add_tcase(s, "keyboard_port");
    tcase_add_test(tc, test_identify_and_reset_through_ports);
    tcase_add_test(tc, test_irq1_raise_lower);
    tcase_add_test(tc, test_translation);
    tcase_add_test(tc, test_translation_every_key);
    tcase_add_test(tc, test_disabled_keyboard_holds_bytes);
    tc = add_tcase(s, "aux_port");
    tcase_add_test(tc, test_mouse_through_d4_irq12);
    tcase_add_test(tc, test_output_buffer_arbitration);
    tc = add_tcase(s, "port92");
    tcase_add_test(tc, test_port92);
    tc = add_tcase(s, "robustness");
    tcase_add_test(tc, test_garbage);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
