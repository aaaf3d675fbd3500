/* uart16550_test.c - Check unit tests for the PC16550D UART
 * (devices/uart16550.c), driven through its ports, its IRQ line, the
 * transmit callback, uart16550_receive and the virtual clock. */
#include "devices/uart16550.h"

#include <check.h>
#include <stdlib.h>

#define BASE UART16550_COM1
#define RBR (BASE + 0)
#define IER (BASE + 1)
#define IIR (BASE + 2)
#define FCR (BASE + 2)
#define LCR (BASE + 3)
#define MCR (BASE + 4)
#define LSR (BASE + 5)
#define MSR (BASE + 6)
#define SCR (BASE + 7)

/* 8N1 frames: 10 bits of 16 x divisor / 1.8432 MHz, rounded up to a ns */
#define FRAME_9600 1041667ull   /* divisor 12 */
#define FRAME_115200 86806ull   /* divisor 1 */

struct sink {
    bool level;
    unsigned edges;
};

static void sink_set(void *s, unsigned pin, bool level)
{
    (void)pin;
    struct sink *k = s;
    if (level && !k->level)
        k->edges++;
    k->level = level;
}

struct rig {
    struct iobus bus;
    struct vclock clk;
    struct uart16550 u;
    struct sink sink;
    uint8_t out[64];
    uint64_t out_at[64];
    unsigned nout;
};

static void on_tx(void *opaque, uint8_t b)
{
    struct rig *r = opaque;
    if (r->nout < 64) {
        r->out[r->nout] = b;
        r->out_at[r->nout] = r->clk.now;
    }
    r->nout++;
}

static struct rig *rig_new(void)
{
    struct rig *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    char err[128];
    iobus_init(&r->bus);
    vclock_init(&r->clk);
    vclock_advance(&r->clk, 1000); /* not at time zero */
    struct irq_line line = {.set_level = sink_set, .sink = &r->sink, .pin = 4};
    ck_assert_msg(uart16550_init(&r->u, &r->bus, &r->clk, BASE, &line, err, sizeof err) == 0, "%s", err);
    uart16550_set_tx(&r->u, on_tx, r);
    return r;
}

static uint8_t in(struct rig *r, uint16_t port) { return (uint8_t)iobus_read(&r->bus, port, 1); }
static void out(struct rig *r, uint16_t port, uint8_t v) { iobus_write(&r->bus, port, v, 1); }
static void advance_to(struct rig *r, uint64_t t) { vclock_advance(&r->clk, t); }
static void advance(struct rig *r, uint64_t ns) { vclock_advance(&r->clk, r->clk.now + ns); }

static void set_divisor(struct rig *r, uint16_t div, uint8_t lcr)
{
    out(r, LCR, 0x80 | lcr);
    out(r, RBR, (uint8_t)div);
    out(r, IER, (uint8_t)(div >> 8));
    out(r, LCR, lcr);
}

static void rx(struct rig *r, const char *s, size_t want_taken)
{
    size_t n = 0;
    while (s[n])
        n++;
    ck_assert_uint_eq(uart16550_receive(&r->u, (const uint8_t *)s, n), want_taken);
}

START_TEST(test_reset_state_and_registers)
{
    struct rig *r = rig_new();
    ck_assert_uint_eq(in(r, IER), 0x00);
    ck_assert_uint_eq(in(r, IIR), 0x01);
    ck_assert_uint_eq(in(r, LCR), 0x00);
    ck_assert_uint_eq(in(r, MCR), 0x00);
    ck_assert_uint_eq(in(r, LSR), 0x60);
    ck_assert_uint_eq(in(r, MSR), 0xB0); /* CTS DSR DCD from a ready peer */
    out(r, IER, 0xFF);
    ck_assert_uint_eq(in(r, IER), 0x0F);
    out(r, MCR, 0xFF);
    ck_assert_uint_eq(in(r, MCR), 0x1F);
    out(r, MCR, 0x00);
    out(r, SCR, 0xA5);
    ck_assert_uint_eq(in(r, SCR), 0xA5);
    out(r, LSR, 0x00); /* ignored */
    ck_assert_uint_eq(in(r, LSR), 0x60);
    free(r);
}
END_TEST

START_TEST(test_divisor_latch)
{
    struct rig *r = rig_new();
    out(r, IER, 0x05);
    out(r, LCR, 0x83);
    out(r, RBR, 0x34);
    out(r, IER, 0x12);
    ck_assert_uint_eq(in(r, RBR), 0x34);
    ck_assert_uint_eq(in(r, IER), 0x12);
    ck_assert_uint_eq(in(r, LCR), 0x83);
    ck_assert_uint_eq(r->nout, 0); /* DLL writes are not THR writes */
    out(r, LCR, 0x03);
    ck_assert_uint_eq(in(r, IER), 0x05); /* IER kept under the latch */

    /* the divisor and frame format set the time a byte occupies the line */
    static const struct {
        uint16_t div;
        uint8_t lcr;
        uint64_t frame;
    } cases[] = {
        {12, 0x03, FRAME_9600},  /* 8N1: 10 bits */
        {1, 0x03, FRAME_115200},
        {6, 0x1A, 520834},       /* 7E1: 10 bits at 19200 */
        {12, 0x07, 1145834},     /* 8N2: 11 bits */
        {12, 0x04, 781250},      /* 5 bits, 1.5 stop: 7.5 bits */
        {0x180, 0x03, 33333334}, /* 300 baud */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_divisor(r, cases[i].div, cases[i].lcr);
        uint64_t t0 = r->clk.now;
        out(r, RBR, 'x');
        advance_to(r, t0 + cases[i].frame - 1);
        ck_assert_uint_eq(in(r, LSR) & 0x40, 0);
        advance_to(r, t0 + cases[i].frame);
        ck_assert_msg(in(r, LSR) & 0x40, "case %zu: TEMT not set after one frame", i);
    }
    free(r);
}
END_TEST

static void check_thre_timing_capped(uint16_t div, uint64_t frame, uint64_t cap)
{
    struct rig *r = rig_new();
    r->u.frame_ns_cap = cap;
    set_divisor(r, div, 0x03);
    uint64_t t0 = r->clk.now;
    out(r, RBR, 'A'); /* straight into the shift register */
    ck_assert_uint_eq(r->nout, 1);
    ck_assert_uint_eq(r->out_at[0], t0);
    ck_assert_uint_eq(in(r, LSR), 0x20); /* THRE, not TEMT */
    out(r, RBR, 'B');                    /* waits in THR */
    ck_assert_uint_eq(in(r, LSR), 0x00);
    advance_to(r, t0 + frame - 1);
    ck_assert_uint_eq(in(r, LSR), 0x00);
    ck_assert_uint_eq(r->nout, 1);
    advance_to(r, t0 + frame);
    ck_assert_uint_eq(in(r, LSR), 0x20);
    ck_assert_uint_eq(r->nout, 2);
    ck_assert_uint_eq(r->out[1], 'B');
    ck_assert_uint_eq(r->out_at[1], t0 + frame);
    advance_to(r, t0 + 2 * frame - 1);
    ck_assert_uint_eq(in(r, LSR), 0x20);
    advance_to(r, t0 + 2 * frame);
    ck_assert_uint_eq(in(r, LSR), 0x60);

    /* FIFO mode: 1 byte in the shifter + 16 queued; more are dropped */
    out(r, FCR, 0x07);
    t0 = r->clk.now;
    r->nout = 0;
    for (int i = 0; i < 20; i++)
        out(r, RBR, (uint8_t)('a' + i));
    ck_assert_uint_eq(in(r, LSR) & 0x60, 0);
    /* the output is driven by the clock's events alone */
    while (vclock_next_deadline(&r->clk) != UINT64_MAX)
        advance_to(r, vclock_next_deadline(&r->clk));
    ck_assert_uint_eq(r->nout, 17);
    for (unsigned i = 0; i < 17; i++) {
        ck_assert_uint_eq(r->out[i], 'a' + i);
        ck_assert_uint_le(r->out_at[i] - (t0 + i * frame), i); /* within a ns per byte of rounding */
    }
    /* THRE came when the 17th byte left the FIFO, TEMT one frame later */
    ck_assert_uint_eq(in(r, LSR) & 0x60, 0x60);
    free(r);
}

static void check_thre_timing(uint16_t div, uint64_t frame) { check_thre_timing_capped(div, frame, 0); }

START_TEST(test_thre_timing_9600) { check_thre_timing(12, FRAME_9600); }
END_TEST

START_TEST(test_thre_timing_115200) { check_thre_timing(1, FRAME_115200); }
END_TEST

/* A capped frame time (the machine's fast host line): the same register
 * behaviour, on the shorter clock; a cap above the frame time changes nothing. */
START_TEST(test_frame_cap)
{
    check_thre_timing_capped(12, 1000, 1000);
    check_thre_timing_capped(1, FRAME_115200, FRAME_9600);
}
END_TEST

START_TEST(test_fifo_trigger_levels)
{
    static const unsigned levels[4] = {1, 4, 8, 14};
    for (unsigned t = 0; t < 4; t++) {
        struct rig *r = rig_new();
        out(r, FCR, (uint8_t)(0x07 | t << 6));
        out(r, IER, 0x01);
        out(r, MCR, 0x08); /* OUT2 */
        for (unsigned k = 1; k <= 16; k++) {
            ck_assert_uint_eq(uart16550_receive(&r->u, (const uint8_t *)"z", 1), 1);
            bool want = k >= levels[t];
            ck_assert_msg(r->sink.level == want, "trigger %u, %u bytes: line %d", levels[t], k, r->sink.level);
            ck_assert_uint_eq(in(r, IIR), want ? 0xC4 : 0xC1);
        }
        ck_assert_uint_eq(r->sink.edges, 1);
        /* reading below the trigger clears it (a read restarts the timeout) */
        for (unsigned k = 16; k > 0; k--) {
            ck_assert_uint_eq(in(r, RBR), 'z');
            ck_assert_uint_eq(in(r, IIR), k - 1 >= levels[t] ? 0xC4 : 0xC1);
        }
        ck_assert(!r->sink.level);
        ck_assert_uint_eq(in(r, LSR) & 0x01, 0);
        free(r);
    }
}
END_TEST

START_TEST(test_character_timeout)
{
    struct rig *r = rig_new();
    set_divisor(r, 12, 0x03);
    out(r, FCR, 0x81); /* trigger 8 */
    out(r, IER, 0x01);
    out(r, MCR, 0x08);
    uint64_t t0 = r->clk.now;
    rx(r, "abc", 3);
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    advance_to(r, t0 + 4 * FRAME_9600 - 5);
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    advance_to(r, t0 + 4 * FRAME_9600); /* the event raises it on time */
    ck_assert(r->sink.level);
    ck_assert_uint_eq(in(r, IIR), 0xCC);
    ck_assert_uint_eq(in(r, RBR), 'a'); /* reading restarts the timer */
    ck_assert(!r->sink.level);
    uint64_t t1 = r->clk.now;
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    advance_to(r, t1 + 2 * FRAME_9600);
    rx(r, "d", 1); /* a new character restarts it too */
    uint64_t t2 = r->clk.now;
    advance_to(r, t2 + 4 * FRAME_9600 - 1);
    ck_assert(!r->sink.level);
    advance_to(r, t2 + 4 * FRAME_9600);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->sink.edges, 2);
    ck_assert_uint_eq(in(r, RBR), 'b');
    ck_assert_uint_eq(in(r, RBR), 'c');
    ck_assert_uint_eq(in(r, RBR), 'd');
    advance(r, 100 * FRAME_9600); /* empty FIFO: no timeout */
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    ck_assert(!r->sink.level);
    /* at 115200 the timeout is shorter */
    set_divisor(r, 1, 0x03);
    t0 = r->clk.now;
    rx(r, "e", 1);
    advance_to(r, t0 + 4 * FRAME_115200);
    ck_assert_uint_eq(in(r, IIR), 0xCC);
    in(r, RBR);
    /* 16450 mode has no timeout: the byte is "data available" at once */
    out(r, FCR, 0x00);
    rx(r, "f", 1);
    ck_assert_uint_eq(in(r, IIR), 0x04);
    advance(r, 10 * FRAME_115200);
    ck_assert_uint_eq(in(r, IIR), 0x04);
    free(r);
}
END_TEST

START_TEST(test_iir_priorities)
{
    struct rig *r = rig_new();
    set_divisor(r, 1, 0x03);
    out(r, FCR, 0x01); /* trigger 1 */
    out(r, MCR, 0x08);
    out(r, IER, 0x0F); /* THR is empty: THRE pending at once */
    ck_assert(r->sink.level);
    uart16550_set_modem_inputs(&r->u, UART_MSR_CTS | UART_MSR_DSR); /* DCD dropped */
    uint8_t fill[17];
    for (int i = 0; i < 17; i++)
        fill[i] = (uint8_t)i;
    ck_assert_uint_eq(uart16550_receive(&r->u, fill, 17), 16); /* and an overrun */
    ck_assert_uint_eq(in(r, IIR), 0xC6);       /* line status first */
    ck_assert_uint_eq(in(r, LSR), 0x63);       /* DR OE THRE TEMT; reading clears OE */
    ck_assert_uint_eq(in(r, IIR), 0xC4);       /* then received data */
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(in(r, RBR), i);
    ck_assert_uint_eq(in(r, IIR), 0xC2);       /* then THRE; reading IIR clears it */
    ck_assert_uint_eq(in(r, IIR), 0xC0);       /* then modem status */
    ck_assert(r->sink.level);
    ck_assert_uint_eq(in(r, MSR), 0x38);       /* CTS DSR, delta DCD */
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    ck_assert(!r->sink.level);
    /* sources that are not enabled do not show */
    out(r, IER, 0x00);
    rx(r, "x", 1);
    uart16550_set_modem_inputs(&r->u, 0);
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    out(r, FCR, 0x00); /* 16450 mode: IIR bits 7-6 clear */
    out(r, IER, 0x08);
    ck_assert_uint_eq(in(r, IIR), 0x00);
    in(r, MSR);
    ck_assert_uint_eq(in(r, IIR), 0x01);
    free(r);
}
END_TEST

START_TEST(test_thre_interrupt)
{
    struct rig *r = rig_new();
    set_divisor(r, 1, 0x03);
    out(r, MCR, 0x08);
    out(r, IER, 0x02); /* THR empty: interrupt at once */
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->sink.edges, 1);
    ck_assert_uint_eq(in(r, IIR), 0x02);
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(in(r, IIR), 0x01); /* cleared by that read */
    ck_assert_uint_eq(in(r, LSR) & 0x20, 0x20); /* THRE itself stays */
    /* a byte moves straight to the shifter: THR empties again, a new edge */
    out(r, RBR, '1');
    ck_assert_uint_eq(r->sink.edges, 2);
    ck_assert_uint_eq(in(r, IIR), 0x02);
    /* writing THR clears it too; with the shifter busy it stays clear for a frame */
    out(r, RBR, '2');
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(in(r, IIR), 0x01);
    advance(r, FRAME_115200);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->sink.edges, 3);
    /* without reading IIR, a THR write drops the line and the move to the
     * shifter (free again after another frame) raises it: still an edge */
    advance(r, FRAME_115200);
    out(r, RBR, '3');
    ck_assert_uint_eq(r->sink.edges, 4);
    /* disabling ETBEI hides it; enabling it with THR empty raises it again */
    out(r, IER, 0x00);
    ck_assert(!r->sink.level);
    in(r, IIR);
    out(r, IER, 0x02);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->nout, 3);
    free(r);
}
END_TEST

START_TEST(test_loopback)
{
    struct rig *r = rig_new();
    set_divisor(r, 1, 0x03);
    out(r, FCR, 0x01);
    out(r, IER, 0x01);
    out(r, MCR, 0x18); /* loop, OUT2 */
    in(r, MSR);
    uint64_t t0 = r->clk.now;
    out(r, RBR, 'L');
    out(r, RBR, 'B');
    ck_assert_uint_eq(in(r, LSR) & 0x01, 0);
    advance_to(r, t0 + FRAME_115200 - 1);
    ck_assert_uint_eq(in(r, LSR) & 0x01, 0);
    advance_to(r, t0 + FRAME_115200); /* received when its frame ends */
    ck_assert_uint_eq(in(r, LSR) & 0x01, 0x01);
    ck_assert_uint_eq(in(r, IIR), 0xC4);
    ck_assert(!r->sink.level); /* OUT2 is forced inactive in loopback: no IRQ on a PC */
    ck_assert_uint_eq(in(r, RBR), 'L');
    advance(r, FRAME_115200);
    ck_assert_uint_eq(in(r, RBR), 'B');
    ck_assert_uint_eq(r->nout, 0); /* nothing went out on the line */
    ck_assert_uint_eq(uart16550_receive(&r->u, (const uint8_t *)"q", 1), 0); /* receiver off the line */
    ck_assert_uint_eq(uart16550_rx_space(&r->u), 0);
    ck_assert_uint_eq(in(r, LSR) & 0x03, 0); /* and no overrun for it */
    /* modem inputs follow MCR: CTS<-RTS DSR<-DTR RI<-OUT1 DCD<-OUT2 */
    out(r, MCR, 0x10);
    in(r, MSR);
    out(r, MCR, 0x12);
    ck_assert_uint_eq(in(r, MSR), 0x11);
    out(r, MCR, 0x11);
    ck_assert_uint_eq(in(r, MSR), 0x23);
    out(r, MCR, 0x14);
    ck_assert_uint_eq(in(r, MSR), 0x42);
    out(r, MCR, 0x18);
    ck_assert_uint_eq(in(r, MSR), 0x8C); /* RI fell: TERI; DCD rose */
    out(r, MCR, 0x1F);
    ck_assert_uint_eq(in(r, MSR), 0xF3);
    /* leaving loopback: the ready peer's lines, and the IRQ back on OUT2 */
    out(r, MCR, 0x08);
    ck_assert_uint_eq(in(r, MSR), 0xB0 | 0x04);
    out(r, RBR, 'o');
    ck_assert_uint_eq(r->nout, 1);
    ck_assert_uint_eq(r->out[0], 'o');
    rx(r, "i", 1);
    ck_assert(r->sink.level);
    free(r);
}
END_TEST

START_TEST(test_out2_gating)
{
    struct rig *r = rig_new();
    out(r, IER, 0x01);
    rx(r, "x", 1);
    ck_assert_uint_eq(in(r, IIR), 0x04);
    ck_assert(!r->sink.level);
    out(r, MCR, 0x08);
    ck_assert(r->sink.level);
    out(r, MCR, 0x03);
    ck_assert(!r->sink.level);
    out(r, MCR, 0x0B);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->sink.edges, 2);
    in(r, RBR);
    ck_assert(!r->sink.level);
    free(r);
}
END_TEST

START_TEST(test_overrun)
{
    struct rig *r = rig_new();
    out(r, MCR, 0x08);
    out(r, IER, 0x04);
    /* 16450 mode: one byte of room */
    ck_assert_uint_eq(uart16550_rx_space(&r->u), 1);
    rx(r, "ab", 1);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(in(r, IIR), 0x06);
    ck_assert_uint_eq(in(r, LSR), 0x63);
    ck_assert_uint_eq(in(r, LSR), 0x61); /* OE cleared by the read */
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(in(r, RBR), 'a');
    ck_assert_uint_eq(in(r, RBR), 'a'); /* empty: RBR keeps the last byte */
    /* FIFO mode: sixteen */
    out(r, FCR, 0x01);
    ck_assert_uint_eq(uart16550_rx_space(&r->u), 16);
    rx(r, "0123456789abcdefXYZ", 16);
    ck_assert_uint_eq(uart16550_rx_space(&r->u), 0);
    ck_assert_uint_eq(in(r, LSR) & 0x03, 0x03);
    rx(r, "Q", 0);
    ck_assert_uint_eq(in(r, LSR) & 0x03, 0x03); /* a new overrun */
    for (const char *p = "0123456789abcdef"; *p; p++)
        ck_assert_uint_eq(in(r, RBR), (uint8_t)*p); /* the FIFO kept its contents */
    ck_assert_uint_eq(in(r, LSR) & 0x03, 0x00);
    /* a machine that checks the space first never overruns */
    rx(r, "ok", 2);
    ck_assert_uint_eq(in(r, LSR) & 0x02, 0);
    free(r);
}
END_TEST

START_TEST(test_fcr)
{
    struct rig *r = rig_new();
    out(r, FCR, 0xC0); /* bit 0 clear: the trigger is not taken */
    ck_assert_uint_eq(in(r, IIR), 0x01);
    out(r, FCR, 0x01);
    out(r, IER, 0x01);
    rx(r, "a", 1);
    ck_assert_uint_eq(in(r, IIR), 0xC4); /* trigger 1 */
    out(r, FCR, 0x81);                   /* trigger 8: one byte is below it */
    ck_assert_uint_eq(in(r, IIR), 0xC1);
    out(r, FCR, 0x83); /* receiver reset */
    ck_assert_uint_eq(in(r, LSR) & 0x01, 0);
    rx(r, "abc", 3);
    out(r, FCR, 0x00); /* leaving FIFO mode empties the FIFOs */
    ck_assert_uint_eq(in(r, LSR) & 0x01, 0);
    /* transmit FIFO reset: queued bytes never leave; the shifter finishes */
    set_divisor(r, 1, 0x03);
    out(r, FCR, 0x01);
    out(r, RBR, '1');
    out(r, RBR, '2');
    out(r, RBR, '3');
    ck_assert_uint_eq(in(r, LSR) & 0x60, 0x00);
    out(r, FCR, 0x05);
    ck_assert_uint_eq(in(r, LSR) & 0x60, 0x20);
    advance(r, 10 * FRAME_115200);
    ck_assert_uint_eq(in(r, LSR) & 0x60, 0x60);
    ck_assert_uint_eq(r->nout, 1);
    free(r);
}
END_TEST

START_TEST(test_modem_status_inputs)
{
    struct rig *r = rig_new();
    out(r, MCR, 0x08);
    out(r, IER, 0x08);
    ck_assert(!r->sink.level);
    uart16550_set_modem_inputs(&r->u, UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD | UART_MSR_RI);
    ck_assert(!r->sink.level); /* RI rising is not a delta */
    ck_assert_uint_eq(in(r, MSR), 0xF0);
    uart16550_set_modem_inputs(&r->u, UART_MSR_DSR | UART_MSR_DCD);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(in(r, MSR), 0xA5); /* DCTS, TERI */
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(in(r, MSR), 0xA0);
    free(r);
}
END_TEST

START_TEST(test_garbage)
{
    struct rig *r = rig_new();
    uint32_t x = 987654321;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245 + 12345;
        uint16_t port = (uint16_t)(BASE + (x >> 8 & 7));
        if (x & 0x80000000u)
            iobus_write(&r->bus, port, x >> 16, (x >> 12 & 1) ? 2 : 1);
        else
            iobus_read(&r->bus, port, (x >> 12 & 1) ? 2 : 1);
        if (i % 16 == 0) {
            uint8_t b[40];
            for (int k = 0; k < 40; k++)
                b[k] = (uint8_t)(x >> (k % 24));
            size_t space = uart16550_rx_space(&r->u);
            ck_assert_uint_le(uart16550_receive(&r->u, b, (x >> 3) % 40), space);
        }
        if (i % 8 == 0)
            advance(r, (x >> 5) % 3000000);
        ck_assert_uint_le(r->u.rx_count, UART16550_FIFO_SIZE);
        ck_assert_uint_le(r->u.tx_count, UART16550_FIFO_SIZE);
    }
    free(r);
}
END_TEST

static Suite *uart_suite(void)
{
    Suite *s = suite_create("uart16550");
    TCase *tc = tcase_create("registers");
    tcase_add_test(tc, test_reset_state_and_registers);
    tcase_add_test(tc, test_divisor_latch);
    tcase_add_test(tc, test_fcr);
    tcase_add_test(tc, test_garbage);
    suite_add_tcase(s, tc);
    tc = tcase_create("timing");
    tcase_add_test(tc, test_thre_timing_9600);
    tcase_add_test(tc, test_thre_timing_115200);
    tcase_add_test(tc, test_frame_cap);
    tcase_add_test(tc, test_character_timeout);
    suite_add_tcase(s, tc);
    tc = tcase_create("interrupts");
    tcase_add_test(tc, test_fifo_trigger_levels);
    tcase_add_test(tc, test_iir_priorities);
    tcase_add_test(tc, test_thre_interrupt);
    tcase_add_test(tc, test_out2_gating);
    tcase_add_test(tc, test_overrun);
    tcase_add_test(tc, test_modem_status_inputs);
    tcase_add_test(tc, test_loopback);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(uart_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
