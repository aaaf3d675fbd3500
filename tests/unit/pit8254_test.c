/* pit8254_test.c - Check suites for the 8254 PIT and port 0x61
 * (devices/pit8254.c), driven only through ports 0x40-0x43 and 0x61, the
 * IRQ 0 line and the virtual clock.
 *
 * Times are in CLK pulses: tns(p) is the first nanosecond at which pulse p
 * has happened (1.193182 MHz from 0).  A count written at pulse t is loaded
 * on pulse t + 1, so in mode 0 a count N written at 0 ends at pulse N + 1. */
#include "devices/pit8254.h"

#include <check.h>
#include <stdlib.h>

#define MAX_EDGES 64

struct rec {
    struct vclock *clk;
    bool level;
    int rises, falls;
    uint64_t rise_ns[MAX_EDGES], fall_ns[MAX_EDGES];
};

static void rec_set(void *sink, unsigned pin, bool level)
{
    (void)pin;
    struct rec *r = sink;
    if (level && !r->level) {
        if (r->rises < MAX_EDGES)
            r->rise_ns[r->rises] = vclock_now(r->clk);
        r->rises++;
    } else if (!level && r->level) {
        if (r->falls < MAX_EDGES)
            r->fall_ns[r->falls] = vclock_now(r->clk);
        r->falls++;
    }
    r->level = level;
}

struct fx {
    struct vclock clk;
    struct iobus bus;
    struct pit8254 pit;
    struct rec irq0;
};

static void fx_init(struct fx *f)
{
    char err[128];
    *f = (struct fx){0};
    vclock_init(&f->clk);
    iobus_init(&f->bus);
    f->irq0.clk = &f->clk;
    struct irq_line l = {.set_level = rec_set, .sink = &f->irq0, .pin = 0};
    ck_assert_msg(pit8254_attach(&f->pit, &f->bus, &f->clk, &l, err, sizeof err) == 0, "%s", err);
}

static uint64_t tns(uint64_t tick) { return (tick * 1000000000ull + 1193181u) / 1193182u; }

/* Advances the clock to ns, firing each event at its own deadline as a
 * machine running short slices would. */
static void run_to(struct fx *f, uint64_t ns)
{
    while (vclock_next_deadline(&f->clk) <= ns)
        vclock_advance(&f->clk, vclock_next_deadline(&f->clk));
    vclock_advance(&f->clk, ns);
}

static void at(struct fx *f, uint64_t tick) { run_to(f, tns(tick)); }

static void outb(struct fx *f, uint16_t port, uint8_t v) { iobus_write(&f->bus, port, v, 1); }
static uint8_t inb(struct fx *f, uint16_t port) { return (uint8_t)iobus_read(&f->bus, port, 1); }
static void ctl(struct fx *f, uint8_t v) { outb(f, 0x43, v); }

static void count16(struct fx *f, unsigned ch, uint16_t n)
{
    outb(f, (uint16_t)(0x40 + ch), (uint8_t)n);
    outb(f, (uint16_t)(0x40 + ch), (uint8_t)(n >> 8));
}

static unsigned read16(struct fx *f, unsigned ch)
{
    unsigned lo = inb(f, (uint16_t)(0x40 + ch));
    return lo | (unsigned)inb(f, (uint16_t)(0x40 + ch)) << 8;
}

static int out2(struct fx *f) { return inb(f, 0x61) >> 5 & 1; }
static void gate2(struct fx *f, bool on) { outb(f, 0x61, on ? 0x01 : 0x00); }

/* OUT2 at pulse `tick` (advances the clock there). */
static int out2_at(struct fx *f, uint64_t tick)
{
    at(f, tick);
    return out2(f);
}

static unsigned ce2_at(struct fx *f, uint64_t tick)
{
    at(f, tick);
    return read16(f, 2);
}

/* ---- the time base ---- */

START_TEST(test_time_base)
{
    /* tns() is the definition the tests rely on: check it against the PIT by
     * the one-pulse resolution of a mode 0 terminal count. */
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB0);
    count16(&f, 2, 1000);
    run_to(&f, tns(1001) - 1);
    ck_assert_int_eq(out2(&f), 0);
    run_to(&f, tns(1001));
    ck_assert_int_eq(out2(&f), 1);
    /* One second is 1193182 pulses. */
    ck_assert_uint_eq(tns(1193182), 1000000000u);
}
END_TEST

/* ---- mode 0: interrupt on terminal count ---- */

START_TEST(test_mode0)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB0); /* counter 2, LSB then MSB, mode 0, binary */
    ck_assert_int_eq(out2(&f), 0);
    count16(&f, 2, 100);
    ck_assert_uint_eq(ce2_at(&f, 1), 100);
    ck_assert_uint_eq(ce2_at(&f, 50), 51);
    ck_assert_int_eq(out2_at(&f, 100), 0);
    ck_assert_uint_eq(read16(&f, 2), 1);
    ck_assert_int_eq(out2_at(&f, 101), 1);
    ck_assert_uint_eq(read16(&f, 2), 0);
    ck_assert_uint_eq(ce2_at(&f, 102), 0xFFFF); /* counting goes on */
    ck_assert_int_eq(out2_at(&f, 200), 1);
    ck_assert_uint_eq(read16(&f, 2), 0xFF9D);
    /* A new count: OUT low at once, high N + 1 pulses later. */
    count16(&f, 2, 10);
    ck_assert_int_eq(out2(&f), 0);
    ck_assert_int_eq(out2_at(&f, 210), 0);
    ck_assert_int_eq(out2_at(&f, 211), 1);
    /* The first byte of a two-byte count stops counting with OUT low. */
    at(&f, 300);
    unsigned frozen = read16(&f, 2);
    outb(&f, 0x42, 50);
    ck_assert_int_eq(out2(&f), 0);
    at(&f, 350);
    ck_assert_uint_eq(inb(&f, 0x42), frozen & 0xFF);
    ck_assert_uint_eq(inb(&f, 0x42), frozen >> 8);
    outb(&f, 0x42, 0); /* count 50 loaded on pulse 351 */
    ck_assert_uint_eq(ce2_at(&f, 351), 50);
    ck_assert_int_eq(out2_at(&f, 400), 0);
    ck_assert_int_eq(out2_at(&f, 401), 1);
    /* Count 0 is 65536. */
    count16(&f, 2, 0);
    ck_assert_uint_eq(ce2_at(&f, 402), 0);
    ck_assert_uint_eq(ce2_at(&f, 403), 0xFFFF);
    ck_assert_int_eq(out2_at(&f, 402 + 65535), 0);
    ck_assert_int_eq(out2_at(&f, 402 + 65536), 1);
}
END_TEST

START_TEST(test_mode0_gate)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0xB0);
    count16(&f, 2, 100); /* gate low: loaded, not counting */
    ck_assert_uint_eq(ce2_at(&f, 50), 100);
    ck_assert_int_eq(out2(&f), 0);
    gate2(&f, true);
    ck_assert_uint_eq(ce2_at(&f, 51), 99);
    ck_assert_int_eq(out2_at(&f, 149), 0);
    ck_assert_int_eq(out2_at(&f, 150), 1);
    /* Paused in the middle. */
    at(&f, 200);
    count16(&f, 2, 100);
    at(&f, 230);
    gate2(&f, false);
    ck_assert_uint_eq(read16(&f, 2), 71);
    ck_assert_uint_eq(ce2_at(&f, 300), 71);
    ck_assert_int_eq(out2(&f), 0);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 370), 0);
    ck_assert_int_eq(out2_at(&f, 371), 1);
    /* Gate raised in the same pulse as the count is written: counting starts
     * after the load, as with the gate already high. */
    at(&f, 400);
    gate2(&f, false);
    count16(&f, 2, 100);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 500), 0);
    ck_assert_int_eq(out2_at(&f, 501), 1);
}
END_TEST

START_TEST(test_mode0_irq0)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0x30); /* counter 0, mode 0 */
    count16(&f, 0, 100);
    ck_assert(!f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(101)); /* one event, at terminal count */
    run_to(&f, tns(101) - 1);
    ck_assert(!f.irq0.level);
    run_to(&f, tns(101));
    ck_assert(f.irq0.level);
    ck_assert_int_eq(f.irq0.rises, 1);
    ck_assert_uint_eq(f.irq0.rise_ns[0], tns(101));
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), UINT64_MAX);
    /* Rewriting the control word drops OUT. */
    ctl(&f, 0x30);
    ck_assert(!f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), UINT64_MAX);
}
END_TEST

/* ---- mode 1: hardware retriggerable one-shot ---- */

START_TEST(test_mode1)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0xB2);
    ck_assert_int_eq(out2(&f), 1);
    count16(&f, 2, 10);
    ck_assert_int_eq(out2_at(&f, 20), 1); /* nothing until a trigger */
    gate2(&f, true);                      /* trigger at 20: loaded on 21 */
    ck_assert_int_eq(out2(&f), 1);
    ck_assert_int_eq(out2_at(&f, 21), 0);
    ck_assert_uint_eq(read16(&f, 2), 10);
    ck_assert_int_eq(out2_at(&f, 30), 0);
    ck_assert_uint_eq(read16(&f, 2), 1);
    ck_assert_int_eq(out2_at(&f, 31), 1);
    /* Retrigger after the end. */
    at(&f, 40);
    gate2(&f, false);
    at(&f, 45);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 46), 0);
    /* Retrigger during the pulse: it starts over; a new count waits for the next trigger. */
    at(&f, 50);
    gate2(&f, false);
    gate2(&f, true);
    at(&f, 52);
    count16(&f, 2, 5);
    ck_assert_int_eq(out2_at(&f, 56), 0);
    ck_assert_int_eq(out2_at(&f, 60), 0);
    ck_assert_int_eq(out2_at(&f, 61), 1);
    /* The gate's level does not stop counting. */
    at(&f, 100);
    gate2(&f, false);
    gate2(&f, true);
    at(&f, 102);
    gate2(&f, false);
    ck_assert_int_eq(out2_at(&f, 105), 0);
    ck_assert_uint_eq(read16(&f, 2), 1);
    ck_assert_int_eq(out2_at(&f, 106), 1);
}
END_TEST

/* ---- mode 2: rate generator ---- */

START_TEST(test_mode2)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB4);
    ck_assert_int_eq(out2(&f), 1);
    count16(&f, 2, 10);
    ck_assert_uint_eq(ce2_at(&f, 1), 10);
    ck_assert_int_eq(out2_at(&f, 9), 1);
    ck_assert_uint_eq(read16(&f, 2), 2);
    ck_assert_int_eq(out2_at(&f, 10), 0); /* low for the pulse the count is 1 */
    ck_assert_uint_eq(read16(&f, 2), 1);
    ck_assert_int_eq(out2_at(&f, 11), 1);
    ck_assert_uint_eq(read16(&f, 2), 10);
    ck_assert_int_eq(out2_at(&f, 19), 1);
    ck_assert_int_eq(out2_at(&f, 20), 0);
    ck_assert_int_eq(out2_at(&f, 21), 1);
    /* Gate low holds the count with OUT high; its rising edge reloads. */
    ck_assert_uint_eq(ce2_at(&f, 25), 6);
    gate2(&f, false);
    ck_assert_int_eq(out2_at(&f, 30), 1);
    ck_assert_uint_eq(read16(&f, 2), 6);
    at(&f, 40);
    gate2(&f, true);
    ck_assert_uint_eq(ce2_at(&f, 41), 10);
    ck_assert_int_eq(out2_at(&f, 49), 1);
    ck_assert_int_eq(out2_at(&f, 50), 0);
    ck_assert_int_eq(out2_at(&f, 51), 1);
    /* Gate low during the low pulse: OUT high at once. */
    at(&f, 60);
    ck_assert_int_eq(out2(&f), 0);
    gate2(&f, false);
    ck_assert_int_eq(out2(&f), 1);
}
END_TEST

START_TEST(test_mode2_irq0)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0x34);
    ck_assert(f.irq0.level); /* the control word sets OUT high: an edge of its own */
    f.irq0.rises = 0;
    count16(&f, 0, 10);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(11));
    run_to(&f, tns(35));
    ck_assert_int_eq(f.irq0.rises, 3);
    ck_assert_uint_eq(f.irq0.rise_ns[0], tns(11));
    ck_assert_uint_eq(f.irq0.rise_ns[1], tns(21));
    ck_assert_uint_eq(f.irq0.rise_ns[2], tns(31));
    ck_assert(f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(41));
    /* A new count is loaded at the end of the current period (41). */
    count16(&f, 0, 20);
    run_to(&f, tns(85));
    ck_assert_int_eq(f.irq0.rises, 6);
    ck_assert_uint_eq(f.irq0.rise_ns[3], tns(41));
    ck_assert_uint_eq(f.irq0.rise_ns[4], tns(61));
    ck_assert_uint_eq(f.irq0.rise_ns[5], tns(81));
    /* The clock jumping over many periods still gives an edge, and the
     * next event is the next period, not a backlog. */
    vclock_advance(&f.clk, tns(1005));
    ck_assert_int_eq(f.irq0.rises, 7);
    ck_assert(f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(1021));
    /* Jumping to a pulse where OUT is low still delivers the edge, and the line ends low. */
    vclock_advance(&f.clk, tns(1100));
    ck_assert_int_eq(f.irq0.rises, 8);
    ck_assert(!f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(1101));
    vclock_advance(&f.clk, tns(1101));
    ck_assert_int_eq(f.irq0.rises, 9);
    ck_assert(f.irq0.level);
}
END_TEST

/* ---- mode 3: square wave ---- */

START_TEST(test_mode3)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB6);
    count16(&f, 2, 10); /* even: 5 high, 5 low */
    ck_assert_uint_eq(ce2_at(&f, 1), 10);
    ck_assert_uint_eq(ce2_at(&f, 2), 8);
    ck_assert_int_eq(out2_at(&f, 5), 1);
    ck_assert_uint_eq(read16(&f, 2), 2);
    ck_assert_int_eq(out2_at(&f, 6), 0);
    ck_assert_uint_eq(read16(&f, 2), 10);
    ck_assert_uint_eq(ce2_at(&f, 7), 8);
    ck_assert_int_eq(out2_at(&f, 10), 0);
    ck_assert_int_eq(out2_at(&f, 11), 1);
    ck_assert_int_eq(out2_at(&f, 15), 1);
    ck_assert_int_eq(out2_at(&f, 16), 0);
    /* Odd: (N + 1) / 2 high, (N - 1) / 2 low, counting from N - 1. */
    at(&f, 100);
    ctl(&f, 0xB6);
    count16(&f, 2, 9);
    ck_assert_uint_eq(ce2_at(&f, 101), 8);
    ck_assert_uint_eq(ce2_at(&f, 102), 6);
    ck_assert_int_eq(out2_at(&f, 105), 1);
    ck_assert_int_eq(out2_at(&f, 106), 0);
    ck_assert_uint_eq(read16(&f, 2), 8);
    ck_assert_int_eq(out2_at(&f, 109), 0);
    ck_assert_int_eq(out2_at(&f, 110), 1);
    ck_assert_int_eq(out2_at(&f, 114), 1);
    ck_assert_int_eq(out2_at(&f, 115), 0);
    /* Gate low forces OUT high; the rising edge restarts a full period. */
    ck_assert_int_eq(out2_at(&f, 116), 0);
    gate2(&f, false);
    ck_assert_int_eq(out2(&f), 1);
    ck_assert_int_eq(out2_at(&f, 119), 1);
    at(&f, 120);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 125), 1);
    ck_assert_int_eq(out2_at(&f, 126), 0);
}
END_TEST

START_TEST(test_mode3_new_count)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB6);
    count16(&f, 2, 10);
    at(&f, 3);
    count16(&f, 2, 20); /* loaded at the end of this high half (6): a low half of 10 */
    ck_assert_int_eq(out2_at(&f, 5), 1);
    ck_assert_int_eq(out2_at(&f, 6), 0);
    ck_assert_uint_eq(read16(&f, 2), 20);
    ck_assert_int_eq(out2_at(&f, 15), 0);
    ck_assert_int_eq(out2_at(&f, 16), 1);
    ck_assert_int_eq(out2_at(&f, 25), 1);
    ck_assert_int_eq(out2_at(&f, 26), 0);
    /* Written in a low half: takes effect at its end with a high half. */
    at(&f, 30);
    count16(&f, 2, 4);
    ck_assert_int_eq(out2_at(&f, 35), 0);
    ck_assert_int_eq(out2_at(&f, 36), 1);
    ck_assert_int_eq(out2_at(&f, 37), 1);
    ck_assert_int_eq(out2_at(&f, 38), 0);
    ck_assert_int_eq(out2_at(&f, 40), 1);
}
END_TEST

START_TEST(test_mode3_irq0)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0x36);
    f.irq0.rises = 0;
    count16(&f, 0, 10);
    ck_assert(f.irq0.level);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(6));
    run_to(&f, tns(25));
    ck_assert_int_eq(f.irq0.falls, 2);
    ck_assert_int_eq(f.irq0.rises, 2);
    ck_assert_uint_eq(f.irq0.fall_ns[0], tns(6));
    ck_assert_uint_eq(f.irq0.rise_ns[0], tns(11));
    ck_assert_uint_eq(f.irq0.fall_ns[1], tns(16));
    ck_assert_uint_eq(f.irq0.rise_ns[1], tns(21));
    /* The 18.2 Hz BIOS tick: count 0 gives a period of 65536 pulses. */
    ctl(&f, 0x36);
    count16(&f, 0, 0);
    uint64_t t0 = 25 + 1;
    run_to(&f, tns(t0 + 3 * 65536));
    ck_assert_int_eq(f.irq0.rises, 5);
    ck_assert_uint_eq(f.irq0.rise_ns[2], tns(t0 + 65536));
    ck_assert_uint_eq(f.irq0.rise_ns[4], tns(t0 + 3 * 65536));
}
END_TEST

/* ---- modes 4 and 5: strobes ---- */

START_TEST(test_mode4)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB8);
    ck_assert_int_eq(out2(&f), 1);
    count16(&f, 2, 10);
    ck_assert_int_eq(out2_at(&f, 10), 1);
    ck_assert_int_eq(out2_at(&f, 11), 0);
    ck_assert_uint_eq(read16(&f, 2), 0);
    ck_assert_int_eq(out2_at(&f, 12), 1);
    ck_assert_uint_eq(read16(&f, 2), 0xFFFF);
    ck_assert_int_eq(out2_at(&f, 12 + 65536), 1); /* no second strobe */
    /* Gate low pauses the count. */
    at(&f, 70000);
    count16(&f, 2, 10);
    at(&f, 70005);
    gate2(&f, false);
    at(&f, 70020);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 70025), 1);
    ck_assert_int_eq(out2_at(&f, 70026), 0);
    ck_assert_int_eq(out2_at(&f, 70027), 1);
    /* Counter 0: one edge at the end of the strobe. */
    ctl(&f, 0x38);
    ck_assert_int_eq(f.irq0.rises, 1);
    f.irq0.rises = 0;
    count16(&f, 0, 10);
    uint64_t t0 = 70027;
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), tns(t0 + 12));
    run_to(&f, tns(t0 + 100));
    ck_assert_int_eq(f.irq0.rises, 1);
    ck_assert_uint_eq(f.irq0.rise_ns[0], tns(t0 + 12));
    ck_assert(f.irq0.level);
}
END_TEST

START_TEST(test_mode5)
{
    struct fx f;
    fx_init(&f);
    ctl(&f, 0xBA);
    count16(&f, 2, 10);
    ck_assert_int_eq(out2_at(&f, 10), 1);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 20), 1);
    ck_assert_int_eq(out2_at(&f, 21), 0);
    ck_assert_int_eq(out2_at(&f, 22), 1);
    /* Retriggered in the middle: the strobe moves. */
    at(&f, 30);
    gate2(&f, false);
    gate2(&f, true);
    at(&f, 35);
    gate2(&f, false);
    gate2(&f, true);
    ck_assert_int_eq(out2_at(&f, 41), 1);
    ck_assert_int_eq(out2_at(&f, 46), 0);
    ck_assert_int_eq(out2_at(&f, 47), 1);
}
END_TEST

/* ---- BCD, access modes, latches ---- */

START_TEST(test_bcd)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB1); /* mode 0, BCD */
    count16(&f, 2, 0x0100);
    ck_assert_uint_eq(ce2_at(&f, 50), 0x0051);
    ck_assert_int_eq(out2_at(&f, 100), 0);
    ck_assert_int_eq(out2_at(&f, 101), 1);
    ck_assert_uint_eq(ce2_at(&f, 102), 0x9999);
    /* Count 0 is 10000 in BCD. */
    at(&f, 200);
    count16(&f, 2, 0);
    ck_assert_uint_eq(ce2_at(&f, 201), 0x0000);
    ck_assert_uint_eq(ce2_at(&f, 202), 0x9999);
    ck_assert_uint_eq(ce2_at(&f, 211), 0x9990);
    ck_assert_int_eq(out2_at(&f, 10200), 0);
    ck_assert_int_eq(out2_at(&f, 10201), 1);
    /* Mode 2 in BCD: count 0x0010 is a period of ten. */
    at(&f, 20000);
    ctl(&f, 0xB5);
    count16(&f, 2, 0x0010);
    ck_assert_uint_eq(ce2_at(&f, 20001), 0x0010);
    ck_assert_uint_eq(ce2_at(&f, 20003), 0x0008);
    ck_assert_int_eq(out2_at(&f, 20010), 0);
    ck_assert_int_eq(out2_at(&f, 20011), 1);
    ck_assert_int_eq(out2_at(&f, 20020), 0);
    /* Digits above 9 do not break it. */
    count16(&f, 2, 0xFFFF);
    at(&f, 30000);
    (void)read16(&f, 2);
}
END_TEST

START_TEST(test_access_modes)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0x90); /* LSB only, mode 0 */
    outb(&f, 0x42, 0x20);
    at(&f, 1);
    ck_assert_uint_eq(inb(&f, 0x42), 0x20); /* the MSB was zeroed: count 0x0020 */
    ck_assert_uint_eq(inb(&f, 0x42), 0x20); /* every read is the LSB */
    ck_assert_int_eq(out2_at(&f, 32), 0);
    ck_assert_int_eq(out2_at(&f, 33), 1);
    at(&f, 100);
    ctl(&f, 0xA0); /* MSB only */
    outb(&f, 0x42, 0x01); /* 256 */
    at(&f, 111);
    ck_assert_uint_eq(inb(&f, 0x42), 0x00); /* 246 = 0x00F6: reads the MSB */
    ck_assert_int_eq(out2_at(&f, 356), 0);
    ck_assert_int_eq(out2_at(&f, 357), 1);
    /* Reads and writes of a two-byte counter have separate flip-flops. */
    at(&f, 400);
    ctl(&f, 0xB4);
    count16(&f, 2, 0x1234);
    at(&f, 401);
    ck_assert_uint_eq(inb(&f, 0x42), 0x34);
    outb(&f, 0x42, 0x00);
    ck_assert_uint_eq(inb(&f, 0x42), 0x12);
    outb(&f, 0x42, 0x10);
    ck_assert_uint_eq(read16(&f, 2), 0x1234);
    /* 0x1000 loads at the end of the current period */
    at(&f, 401 + 0x1234);
    ck_assert_uint_eq(read16(&f, 2), 0x1000);
}
END_TEST

START_TEST(test_latch)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB4);
    count16(&f, 2, 1000);
    at(&f, 50);
    ctl(&f, 0x80); /* latch counter 2 */
    at(&f, 80);
    ctl(&f, 0x80); /* ignored: the first latch was not read */
    ck_assert_uint_eq(read16(&f, 2), 951);
    ck_assert_uint_eq(read16(&f, 2), 921); /* live again */
    /* Latched between the two bytes of a live read: the MSB comes from the latch. */
    at(&f, 90);
    ck_assert_uint_eq(inb(&f, 0x42), 911 & 0xFF);
    at(&f, 100);
    ctl(&f, 0x80);
    ck_assert_uint_eq(inb(&f, 0x42), 901 >> 8);
    ck_assert_uint_eq(inb(&f, 0x42), 901 & 0xFF);
    ck_assert_uint_eq(inb(&f, 0x42), 901 >> 8);
    ck_assert_uint_eq(read16(&f, 2), 901);
    /* LSB-only latch: one read releases it. */
    ctl(&f, 0x94);
    outb(&f, 0x42, 200);
    at(&f, 110);
    ctl(&f, 0x80);
    at(&f, 120);
    ck_assert_uint_eq(inb(&f, 0x42), 191);
    ck_assert_uint_eq(inb(&f, 0x42), 181);
    /* Counter 0 latch, and a control word drops a latch. */
    ctl(&f, 0x34);
    count16(&f, 0, 500);
    at(&f, 130);
    ctl(&f, 0x00);
    at(&f, 140);
    ctl(&f, 0x34);
    count16(&f, 0, 300);
    at(&f, 141);
    ck_assert_uint_eq(read16(&f, 0), 300);
    /* The control port cannot be read. */
    ck_assert_uint_eq(inb(&f, 0x43), 0xFF);
}
END_TEST

START_TEST(test_readback)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    ctl(&f, 0xB0);
    count16(&f, 2, 100);
    ctl(&f, 0xE8); /* read-back: status of counter 2 */
    ck_assert_uint_eq(inb(&f, 0x42), 0x70); /* OUT 0, null count, LSB/MSB, mode 0 */
    at(&f, 1);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0x30); /* loaded: null count clear */
    at(&f, 50);
    ctl(&f, 0xC8); /* count and status: status first */
    at(&f, 60);
    ck_assert_uint_eq(inb(&f, 0x42), 0x30);
    ck_assert_uint_eq(read16(&f, 2), 51);
    ctl(&f, 0xD8); /* count only */
    at(&f, 70);
    ck_assert_uint_eq(read16(&f, 2), 41);
    at(&f, 101);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0xB0); /* OUT high */
    /* A second status latch before the read is ignored. */
    at(&f, 150);
    ctl(&f, 0x30 | 0x80 | 0x06); /* counter 2 mode 3 */
    ctl(&f, 0xE8);
    count16(&f, 2, 10);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0xF6); /* null count, OUT high, mode 3 */
    /* Several counters at once. */
    ctl(&f, 0x34);
    count16(&f, 0, 1000);
    ctl(&f, 0x54); /* counter 1, LSB only, mode 2 */
    outb(&f, 0x41, 18);
    at(&f, 160);
    ctl(&f, 0xCE);
    ck_assert_uint_eq(inb(&f, 0x40), 0xB4);
    ck_assert_uint_eq(read16(&f, 0), 1000 - 9);
    ck_assert_uint_eq(inb(&f, 0x41), 0x94);
    ck_assert_uint_eq(inb(&f, 0x41), 18 - 9);
    ck_assert_uint_eq(inb(&f, 0x42), 0x36); /* low half of the square wave */
    /* Status shows the mode bits as written (7 behaves as 3). */
    ctl(&f, 0x9F);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0x80 | 0x40 | 0x1F);
}
END_TEST

START_TEST(test_null_count)
{
    struct fx f;
    fx_init(&f);
    gate2(&f, true);
    /* Mode 2: a count written while counting is loaded at the period's end. */
    ctl(&f, 0xB4);
    count16(&f, 2, 10);
    at(&f, 15);
    count16(&f, 2, 20);
    at(&f, 20);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42) & 0x40, 0x40);
    at(&f, 21);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42) & 0x40, 0);
    ck_assert_uint_eq(read16(&f, 2), 20);
    /* Mode 1: null count until the trigger loads the count. */
    gate2(&f, false);
    ctl(&f, 0xB2);
    count16(&f, 2, 10);
    at(&f, 50);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0xC0 | 0x32);
    gate2(&f, true);
    at(&f, 51);
    ctl(&f, 0xE8);
    ck_assert_uint_eq(inb(&f, 0x42), 0x32); /* loaded, OUT low */
}
END_TEST

/* ---- port 0x61 ---- */

START_TEST(test_port61)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(inb(&f, 0x61) & 0xDF, 0x00);
    outb(&f, 0x61, 0xFF);
    ck_assert_uint_eq(inb(&f, 0x61) & 0xCF, 0x0F); /* bits 4-7 are not writable */
    outb(&f, 0x61, 0x02);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x0F, 0x02); /* speaker data stored, gate 2 off */
    /* Refresh request toggle: every 15.085 us of virtual time. */
    run_to(&f, 15084);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x00);
    run_to(&f, 15085);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x10);
    run_to(&f, 30169);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x10);
    run_to(&f, 30170);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x00);
    /* A SeaBIOS-style delay: count toggles for 1 ms. */
    unsigned toggles = 0, last = inb(&f, 0x61) & 0x10;
    uint64_t t = vclock_now(&f.clk);
    while (vclock_now(&f.clk) < t + 1000000) {
        run_to(&f, vclock_now(&f.clk) + 1000);
        unsigned now = inb(&f, 0x61) & 0x10;
        toggles += now != last;
        last = now;
    }
    ck_assert_uint_ge(toggles, 65);
    ck_assert_uint_le(toggles, 67);
    /* Gate 2 and OUT2: the Linux PIT calibration (mode 0, poll bit 5). */
    at(&f, 100000);
    outb(&f, 0x61, (inb(&f, 0x61) & ~0x02) | 0x01);
    ctl(&f, 0xB0);
    count16(&f, 2, 11932); /* 10 ms */
    uint64_t polls = 0;
    while (!(inb(&f, 0x61) & 0x20)) {
        run_to(&f, vclock_now(&f.clk) + 100);
        polls++;
    }
    ck_assert_uint_eq(polls, (tns(100000 + 11933) - tns(100000) + 99) / 100);
    /* Gate off in mode 2 shows OUT2 high through bit 5. */
    ctl(&f, 0xB4);
    count16(&f, 2, 2);
    at(&f, 200000);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x21, 0x01 | (out2(&f) << 5));
    outb(&f, 0x61, 0x00);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x21, 0x20);
}
END_TEST

/* ---- reads do not change timing; garbage does not hurt ---- */

START_TEST(test_reads_keep_timing)
{
    struct fx a, b;
    fx_init(&a);
    fx_init(&b);
    ctl(&a, 0x34), count16(&a, 0, 1000);
    ctl(&b, 0x34), count16(&b, 0, 1000);
    a.irq0.rises = b.irq0.rises = 0;
    for (uint64_t ns = 0; ns < tns(10000); ns += 3331) {
        run_to(&a, ns);
        (void)read16(&a, 0);
        ctl(&a, 0x00);
        (void)read16(&a, 0);
        ctl(&a, 0xE2);
        (void)inb(&a, 0x40);
        (void)read16(&a, 0);
    }
    run_to(&a, tns(10000));
    run_to(&b, tns(10000));
    ck_assert_int_eq(a.irq0.rises, 9);
    ck_assert_int_eq(b.irq0.rises, 9);
    for (int i = 0; i < 9; i++)
        ck_assert_uint_eq(a.irq0.rise_ns[i], b.irq0.rise_ns[i]);
}
END_TEST

START_TEST(test_garbage)
{
    struct fx f;
    fx_init(&f);
    uint32_t x = 987654321;
    for (int i = 0; i < 300000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = x >> 8;
        switch (r % 6) {
        case 0:
        case 1:
            outb(&f, (uint16_t)(0x40 + (r >> 4) % 4), (uint8_t)(r >> 8));
            break;
        case 2:
            outb(&f, 0x61, (uint8_t)(r >> 8));
            break;
        case 3:
            (void)inb(&f, (uint16_t)(0x40 + (r >> 4) % 4));
            (void)inb(&f, 0x61);
            break;
        default:
            run_to(&f, vclock_now(&f.clk) + (r >> 4) % 20000);
        }
    }
    /* Reprogramming brings it back. */
    ctl(&f, 0x34);
    count16(&f, 0, 100);
    uint64_t t = vclock_now(&f.clk);
    int rises = f.irq0.rises;
    run_to(&f, t + 100 * 838 * 5 + 1000);
    ck_assert_int_ge(f.irq0.rises - rises, 4);
    ck_assert_int_le(f.irq0.rises - rises, 6);
}
END_TEST

/* Linux's quick_pit_calibrate() (arch/x86/kernel/tsc.c) against this PIT: a
 * 100 MHz TSC, each port access taking 1 us as on the PC board (an ISA bus
 * cycle, frontend/machine.c) and each other step 10 ns.  Channel 2 in mode 0
 * from FFFFh, the MSB polled as it counts down: the algorithm relies on one
 * read covering the PIT clock edge that loads the count, and the TSC must
 * come out within its 500 ppm. */
struct qpc {
    struct fx f;
    uint64_t ns;
};
static uint8_t qpc_in(struct qpc *q, uint16_t port)
{
    q->ns += 1000;
    run_to(&q->f, q->ns);
    return inb(&q->f, port);
}
static uint64_t qpc_tsc(struct qpc *q) { return (q->ns += 10) / 10; }
static bool qpc_verify_msb(struct qpc *q, uint8_t val)
{
    qpc_in(q, 0x42);
    return qpc_in(q, 0x42) == val;
}
static bool qpc_expect_msb(struct qpc *q, uint8_t val, uint64_t *tscp, uint64_t *deltap)
{
    int count;
    uint64_t tsc = 0, prev_tsc = 0;
    for (count = 0; count < 50000; count++) {
        if (!qpc_verify_msb(q, val))
            break;
        prev_tsc = tsc;
        tsc = qpc_tsc(q);
        q->ns += 40; /* the loop's other instructions */
    }
    *deltap = qpc_tsc(q) - prev_tsc;
    *tscp = tsc;
    return count > 5;
}

START_TEST(test_linux_quick_pit_calibration)
{
    struct qpc q = {.ns = 1000000};
    fx_init(&q.f);
    run_to(&q.f, q.ns);
    outb(&q.f, 0x61, (uint8_t)((inb(&q.f, 0x61) & ~0x02) | 0x01));
    ctl(&q.f, 0xB0);
    outb(&q.f, 0x42, 0xFF);
    outb(&q.f, 0x42, 0xFF);
    qpc_verify_msb(&q, 0);
    uint64_t tsc, delta, d1, d2, khz = 0;
    const unsigned max_iter = 50 * 1193182 / 1000 / 256;
    ck_assert(qpc_expect_msb(&q, 0xFF, &tsc, &d1));
    for (unsigned i = 1; i <= max_iter; i++) {
        ck_assert_msg(qpc_expect_msb(&q, (uint8_t)(0xFF - i), &delta, &d2), "MSB %02X not seen", 0xFF - i);
        delta -= tsc;
        ck_assert_msg(!(i == 1 && d1 + d2 >= (delta * max_iter) >> 11), "error extrapolates above 500 ppm");
        if (d1 + d2 >= delta >> 11)
            continue;
        ck_assert(qpc_verify_msb(&q, (uint8_t)(0xFE - i)));
        /* kHz = delta / (i * 256 / PIT_TICK_RATE) / 1000 */
        khz = delta * 1193182 / (i * 256ull * 1000);
        break;
    }
    ck_assert_msg(khz > 99950 && khz < 100050, "calibrated %llu kHz", (unsigned long long)khz);
}
END_TEST

static Suite *pit_suite(void)
{
    Suite *s = suite_create("pit8254");
    TCase *tc = tcase_create("modes");
    tcase_add_test(tc, test_time_base);
    tcase_add_test(tc, test_mode0);
    tcase_add_test(tc, test_mode0_gate);
    tcase_add_test(tc, test_mode0_irq0);
    tcase_add_test(tc, test_mode1);
    tcase_add_test(tc, test_mode2);
    tcase_add_test(tc, test_mode2_irq0);
    tcase_add_test(tc, test_mode3);
    tcase_add_test(tc, test_mode3_new_count);
    tcase_add_test(tc, test_mode3_irq0);
    tcase_add_test(tc, test_mode4);
    tcase_add_test(tc, test_mode5);
    suite_add_tcase(s, tc);
    tc = tcase_create("access");
    tcase_add_test(tc, test_bcd);
    tcase_add_test(tc, test_access_modes);
    tcase_add_test(tc, test_latch);
    tcase_add_test(tc, test_readback);
    tcase_add_test(tc, test_null_count);
    tcase_add_test(tc, test_port61);
    tcase_add_test(tc, test_reads_keep_timing);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_linux_quick_pit_calibration);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pit_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
