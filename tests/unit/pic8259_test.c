/* pic8259_test.c - Check suites for the 8259A pair (devices/pic8259.c),
 * driven only through its ports (0x20, 0xA0, 0x4D0), its IRQ inputs, the
 * INTR output and the interrupt acknowledge. */
#include "devices/pic8259.h"
#include "devices/pit8254.h"

#include <check.h>
#include <stdlib.h>

struct fx {
    struct iobus bus;
    struct pic8259_pair pic;
    bool intr;
    int intr_rises;
};

static void intr_sink(void *sink, unsigned pin, bool level)
{
    (void)pin;
    struct fx *f = sink;
    if (level && !f->intr)
        f->intr_rises++;
    f->intr = level;
}

static void outb(struct fx *f, uint16_t port, uint8_t v) { iobus_write(&f->bus, port, v, 1); }
static uint8_t inb(struct fx *f, uint16_t port) { return (uint8_t)iobus_read(&f->bus, port, 1); }

static void fx_attach(struct fx *f)
{
    char err[128];
    *f = (struct fx){0};
    iobus_init(&f->bus);
    struct irq_line intr = {.set_level = intr_sink, .sink = f, .pin = 0};
    ck_assert_msg(pic8259_attach(&f->pic, &f->bus, &intr, err, sizeof err) == 0, "%s", err);
}

/* The PC/AT programming: master vectors 0x20-0x27, slave 0x28-0x2F on IR2. */
static void fx_init(struct fx *f, uint8_t master_icw4, uint8_t slave_icw4)
{
    fx_attach(f);
    outb(f, 0x20, 0x11);
    outb(f, 0x21, 0x20);
    outb(f, 0x21, 0x04);
    outb(f, 0x21, master_icw4);
    outb(f, 0xA0, 0x11);
    outb(f, 0xA1, 0x28);
    outb(f, 0xA1, 0x02);
    outb(f, 0xA1, slave_icw4);
}

static void irq(struct fx *f, unsigned n, bool level) { pic8259_set_irq(&f->pic, n, level); }
static void pulse(struct fx *f, unsigned n) { irq(f, n, true), irq(f, n, false); }
static int ack(struct fx *f) { return pic8259_intr_ack(&f->pic); }

static uint8_t read_irr(struct fx *f, uint16_t base)
{
    outb(f, base, 0x0A);
    return inb(f, base);
}

static uint8_t read_isr(struct fx *f, uint16_t base)
{
    outb(f, base, 0x0B);
    return inb(f, base);
}

static void eoi(struct fx *f, uint16_t base) { outb(f, base, 0x20); }

/* ---- initialisation and masking ---- */

START_TEST(test_init_and_mask)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    ck_assert_uint_eq(inb(&f, 0x21), 0);    /* ICW1 cleared IMR */
    ck_assert_uint_eq(inb(&f, 0x20), 0);    /* reads IRR after init */
    outb(&f, 0x21, 0xFF & ~0x04);
    ck_assert_uint_eq(inb(&f, 0x21), 0xFB);
    irq(&f, 1, true);
    ck_assert(!f.intr);                     /* masked */
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x02); /* but requested */
    outb(&f, 0x21, 0xF9);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x21);
    ck_assert(!f.intr);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x02);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00); /* edge latch cleared by the acknowledge */
    /* Slave masking: IRQ 11 masked at the slave, then unmasked. */
    eoi(&f, 0x20);
    outb(&f, 0xA1, 0x08);
    irq(&f, 11, true);
    ck_assert(!f.intr);
    outb(&f, 0xA1, 0x00);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x2B);
    /* Masking the cascade input hides the whole slave. */
    eoi(&f, 0xA0), eoi(&f, 0x20);
    irq(&f, 11, false);
    outb(&f, 0x21, 0x04);
    irq(&f, 9, true);
    ck_assert(!f.intr);
    outb(&f, 0x21, 0x00);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x29);
}
END_TEST

START_TEST(test_init_sequences)
{
    struct fx f;
    fx_attach(&f);
    /* Single mode with ICW4: ICW1, ICW2, ICW4 (no ICW3), then OCW1. */
    outb(&f, 0x20, 0x13);
    outb(&f, 0x21, 0x40);
    outb(&f, 0x21, 0x01);
    outb(&f, 0x21, 0xF7);
    ck_assert_uint_eq(inb(&f, 0x21), 0xF7);
    irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0x43);
    /* Single mode without ICW4: the next odd write after ICW2 is OCW1, and in
     * MCS-80/85 mode (uPM = 0) the x86 reads the low byte of the CALL address:
     * interval 4 (ADI) gives A7-A5 of ICW1 | IR << 2. */
    outb(&f, 0x20, 0xB6);
    outb(&f, 0x21, 0x12);
    outb(&f, 0x21, 0x00);
    ck_assert_uint_eq(inb(&f, 0x21), 0x00);
    irq(&f, 3, false);
    irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0xA0 | 3 << 2);
    /* Interval 8: A7-A6 of ICW1 | IR << 3. */
    outb(&f, 0x20, 0xF2);
    outb(&f, 0x21, 0x12);
    irq(&f, 3, false);
    irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0xC0 | 3 << 3);
    /* ICW1 in the middle of a sequence restarts it; ICW1 clears ISR and IMR. */
    outb(&f, 0x21, 0xFF);
    outb(&f, 0x20, 0x11);
    outb(&f, 0x20, 0x11);
    outb(&f, 0x21, 0x50);
    outb(&f, 0x21, 0x04);
    outb(&f, 0x21, 0x01);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0);
    ck_assert_uint_eq(inb(&f, 0x21), 0);
    /* The edge latch was reset: line 3 is still high, no request until a new edge. */
    ck_assert(!f.intr);
    irq(&f, 3, false);
    irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0x53);
}
END_TEST

/* ---- EOI modes and nesting ---- */

START_TEST(test_eoi_modes)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    pulse(&f, 3);
    ck_assert_int_eq(ack(&f), 0x23);
    pulse(&f, 5);
    ck_assert(!f.intr); /* lower priority than the level in service */
    pulse(&f, 1);
    ck_assert(f.intr);  /* higher priority nests */
    ck_assert_int_eq(ack(&f), 0x21);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x0A);
    eoi(&f, 0x20); /* non-specific: the highest (1) */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08);
    ck_assert(!f.intr);
    eoi(&f, 0x20);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x25);
    /* Specific EOI clears the named level only. */
    pulse(&f, 0);
    ck_assert_int_eq(ack(&f), 0x20);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x21);
    outb(&f, 0x20, 0x65);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x01);
    outb(&f, 0x20, 0x60);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* OCW2 no-op */
    pulse(&f, 6);
    ack(&f);
    outb(&f, 0x20, 0x40);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x40);
    eoi(&f, 0x20);

    /* Automatic EOI: ISR never holds the level, so equal and lower levels get in. */
    fx_init(&f, 0x03, 0x01);
    pulse(&f, 4);
    ck_assert_int_eq(ack(&f), 0x24);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    pulse(&f, 6);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x26);
    ck_assert(!f.intr);
}
END_TEST

/* ---- priorities and rotation ---- */

START_TEST(test_priority_and_rotation)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    /* Fixed priority: the lowest IR wins. */
    irq(&f, 6, true), irq(&f, 1, true), irq(&f, 4, true);
    ck_assert_int_eq(ack(&f), 0x21);
    eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x24);
    eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x26);
    eoi(&f, 0x20);
    irq(&f, 6, false), irq(&f, 1, false), irq(&f, 4, false);

    /* Set priority: IR3 lowest, so the order is 4 5 6 7 0 1 3. */
    outb(&f, 0x20, 0xC3);
    irq(&f, 1, true), irq(&f, 5, true);
    ck_assert_int_eq(ack(&f), 0x25);
    /* In service 5 blocks 1, which now ranks lower. */
    ck_assert(!f.intr);
    /* Rotate on non-specific EOI: 5 becomes the lowest (order 6 7 0 1 3 4 5). */
    outb(&f, 0x20, 0xA0);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0);
    irq(&f, 5, false);
    irq(&f, 5, true), irq(&f, 6, true);
    ck_assert_int_eq(ack(&f), 0x26);
    outb(&f, 0x20, 0xA0); /* 6 lowest: 7 0 1 3 4 5 6 */
    ck_assert_int_eq(ack(&f), 0x21);
    /* Rotate on specific EOI naming 0: clears ISR bit 0 (1 stays in service)
     * and makes 0 the lowest (1 2 3 4 5 6 7 0). */
    outb(&f, 0x20, 0xE0);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x02);
    outb(&f, 0x20, 0x61);
    irq(&f, 0, true);
    ck_assert_int_eq(ack(&f), 0x25); /* 5 before 0 */
    eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x20);
    eoi(&f, 0x20);
    /* Rotate on specific EOI naming the level in service: 0 cleared, 0 lowest. */
    irq(&f, 0, false), irq(&f, 0, true), irq(&f, 7, true);
    ck_assert_int_eq(ack(&f), 0x27);
    outb(&f, 0x20, 0xE7); /* 7 lowest: 0 first */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    irq(&f, 7, false), irq(&f, 7, true);
    ck_assert_int_eq(ack(&f), 0x20);
    eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x27);
    eoi(&f, 0x20);

    /* Rotate in AEOI mode: each acknowledged level becomes the lowest. */
    fx_init(&f, 0x03, 0x01);
    outb(&f, 0x20, 0x80);
    irq(&f, 1, true), irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0x21);
    irq(&f, 1, false), irq(&f, 1, true);
    ck_assert_int_eq(ack(&f), 0x23); /* 1 went to the back */
    ck_assert_int_eq(ack(&f), 0x21);
    /* Clear rotate in AEOI: back to plain AEOI (priority left where it is). */
    outb(&f, 0x20, 0x00);
    irq(&f, 1, false), irq(&f, 3, false);
    irq(&f, 1, true), irq(&f, 3, true);
    ck_assert_int_eq(ack(&f), 0x23);
    ck_assert_int_eq(ack(&f), 0x21);
}
END_TEST

/* ---- cascade ---- */

START_TEST(test_cascade)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    irq(&f, 12, true);
    ck_assert(f.intr);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x04); /* the slave's INT on IR2 */
    ck_assert_int_eq(ack(&f), 0x2C);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x10);
    /* Without special fully nested mode a higher slave IRQ waits for the master EOI. */
    irq(&f, 9, true);
    ck_assert(!f.intr);
    eoi(&f, 0xA0);
    ck_assert(!f.intr);
    eoi(&f, 0x20);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x29);
    eoi(&f, 0xA0), eoi(&f, 0x20);
    /* IRQ 1 beats the slave (IR2); IRQ 3 does not. */
    irq(&f, 9, false), irq(&f, 12, false);
    irq(&f, 10, true), irq(&f, 3, true), irq(&f, 1, true);
    ck_assert_int_eq(ack(&f), 0x21);
    eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x2A);
    eoi(&f, 0xA0), eoi(&f, 0x20);
    ck_assert_int_eq(ack(&f), 0x23);
    eoi(&f, 0x20);
    ck_assert(!f.intr);
    /* IRQ 2 is the cascade, not an input; out-of-range IRQs are ignored. */
    irq(&f, 2, true);
    irq(&f, 16, true);
    irq(&f, 1000, true);
    ck_assert(!f.intr);

    /* Special fully nested mode on the master: IRQ 9 nests in IRQ 12 through IR2. */
    fx_init(&f, 0x11, 0x01);
    irq(&f, 12, true);
    ck_assert_int_eq(ack(&f), 0x2C);
    irq(&f, 13, true);
    ck_assert(!f.intr); /* lower than 12 at the slave */
    irq(&f, 9, true);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x29);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x12);

    /* Slave in AEOI: a second slave request still reaches the master (a new edge on IR2). */
    fx_init(&f, 0x01, 0x03);
    irq(&f, 9, true), irq(&f, 10, true);
    ck_assert_int_eq(ack(&f), 0x29);
    ck_assert(!f.intr); /* master IR2 in service */
    eoi(&f, 0x20);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x2A);

    /* A slave with another ID does not answer: the bus floats. */
    fx_init(&f, 0x01, 0x01);
    outb(&f, 0xA0, 0x11), outb(&f, 0xA1, 0x28), outb(&f, 0xA1, 0x05), outb(&f, 0xA1, 0x01);
    irq(&f, 9, true);
    ck_assert_int_eq(ack(&f), 0xFF);
}
END_TEST

/* ---- edge / level through the ELCR ---- */

START_TEST(test_elcr_edge_level)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    ck_assert_uint_eq(inb(&f, 0x4D0), 0);
    ck_assert_uint_eq(inb(&f, 0x4D1), 0);
    outb(&f, 0x4D0, 0xFF);
    outb(&f, 0x4D1, 0xFF);
    ck_assert_uint_eq(inb(&f, 0x4D0), 0xF8); /* IRQ 0, 1, 2 edge only */
    ck_assert_uint_eq(inb(&f, 0x4D1), 0xDE); /* IRQ 8, 13 edge only */
    ck_assert_uint_eq(iobus_read(&f.bus, 0x4D0, 2), 0xDEF8);
    outb(&f, 0x4D0, 0x00);
    outb(&f, 0x4D1, 0x00);

    /* Edge: a pulse is latched; a line held high after EOI does not request again. */
    pulse(&f, 5);
    ck_assert(f.intr);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x20);
    irq(&f, 5, true);
    ck_assert_int_eq(ack(&f), 0x25);
    eoi(&f, 0x20);
    ck_assert(!f.intr);
    irq(&f, 5, false);

    /* Level: IRR follows the line, and a line still high after EOI requests again. */
    outb(&f, 0x4D0, 0x20);
    irq(&f, 5, true);
    ck_assert(f.intr);
    irq(&f, 5, false);
    ck_assert(!f.intr);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00);
    irq(&f, 5, true);
    ck_assert_int_eq(ack(&f), 0x25);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x20);
    ck_assert(!f.intr);
    eoi(&f, 0x20);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x25);
    irq(&f, 5, false);
    eoi(&f, 0x20);
    ck_assert(!f.intr);

    /* A level input on the slave (IRQ 11). */
    outb(&f, 0x4D1, 0x08);
    irq(&f, 11, true);
    ck_assert_int_eq(ack(&f), 0x2B);
    eoi(&f, 0xA0), eoi(&f, 0x20);
    ck_assert(f.intr); /* still asserted */
    irq(&f, 11, false);
    /* The master's IR2 latched the slave's INT edge: the request is gone, so
     * the acknowledge ends in the slave's default IR7. */
    ck_assert_int_eq(ack(&f), 0x2F);
    eoi(&f, 0x20);
    ck_assert(!f.intr);

    /* Switching a high line from edge to level makes it a request at once. */
    outb(&f, 0x4D0, 0x00);
    irq(&f, 6, true);
    ack(&f);
    eoi(&f, 0x20);
    ck_assert(!f.intr);
    outb(&f, 0x4D0, 0x40);
    ck_assert(f.intr);
}
END_TEST

/* ---- spurious interrupts ---- */

START_TEST(test_spurious)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    outb(&f, 0x4D0, 0x20);
    outb(&f, 0x4D1, 0x04);
    /* Level IRQ 5 drops before the acknowledge: default IR7, no ISR bit. */
    irq(&f, 5, true);
    ck_assert(f.intr);
    irq(&f, 5, false);
    ck_assert(!f.intr);
    ck_assert_int_eq(ack(&f), 0x27);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* Edge IRQ 4 masked between INTR and the acknowledge. */
    pulse(&f, 4);
    outb(&f, 0x21, 0x10);
    ck_assert_int_eq(ack(&f), 0x27);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    outb(&f, 0x21, 0x00);
    ck_assert_int_eq(ack(&f), 0x24); /* still latched */
    eoi(&f, 0x20);
    /* Slave level IRQ 10 drops: the master's IR2 goes in service, the slave gives IR7 (IRQ 15). */
    irq(&f, 10, true);
    ck_assert(f.intr);
    irq(&f, 10, false);
    ck_assert_int_eq(ack(&f), 0x2F);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x00);
    eoi(&f, 0x20);
    /* A real IRQ 7 does set its ISR bit, which tells it apart. */
    pulse(&f, 7);
    ck_assert_int_eq(ack(&f), 0x27);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x80);
}
END_TEST

/* ---- poll mode ---- */

START_TEST(test_poll)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    outb(&f, 0x20, 0x0C);
    ck_assert_uint_eq(inb(&f, 0x20), 0x00); /* nothing requesting */
    pulse(&f, 6), pulse(&f, 3);
    outb(&f, 0x20, 0x0C);
    ck_assert_uint_eq(inb(&f, 0x20), 0x83);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08); /* the poll acknowledged it */
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x40);
    /* Poll wins over a simultaneous read-register command, for one read only. */
    outb(&f, 0x20, 0x0F);
    ck_assert_uint_eq(inb(&f, 0x20), 0x00); /* 6 is below 3 in service */
    ck_assert_uint_eq(inb(&f, 0x20), 0x08); /* then ISR, as RR/RIS asked */
    eoi(&f, 0x20);
    outb(&f, 0x20, 0x0C);
    ck_assert_uint_eq(inb(&f, 0x21), 0x86); /* the read may be at either address */
    eoi(&f, 0x20);
    /* Polling the master for a slave request gives 2; the slave then gives its level. */
    irq(&f, 13, true);
    outb(&f, 0x20, 0x0C);
    ck_assert_uint_eq(inb(&f, 0x20), 0x82);
    outb(&f, 0xA0, 0x0C);
    ck_assert_uint_eq(inb(&f, 0xA0), 0x85);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x20);
}
END_TEST

/* ---- special mask mode ---- */

START_TEST(test_special_mask)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    pulse(&f, 3);
    ck_assert_int_eq(ack(&f), 0x23);
    outb(&f, 0x21, 0x08);
    outb(&f, 0x20, 0x68); /* set special mask mode */
    pulse(&f, 5);
    ck_assert(f.intr); /* lower level allowed while 3 is masked */
    ck_assert_int_eq(ack(&f), 0x25);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x28);
    pulse(&f, 4);
    ck_assert(f.intr); /* 4 ranks above the unmasked in-service 5 */
    ck_assert_int_eq(ack(&f), 0x24);
    eoi(&f, 0x20); /* non-specific EOI skips the masked 3 */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x28);
    eoi(&f, 0x20);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08);
    outb(&f, 0x20, 0x48); /* reset special mask mode */
    outb(&f, 0x21, 0x00);
    pulse(&f, 5);
    ck_assert(!f.intr); /* 3 in service blocks again */
    outb(&f, 0x20, 0x28); /* ESMM clear: SMM bit ignored */
    ck_assert(!f.intr);
    eoi(&f, 0x20);
    ck_assert(f.intr);
}
END_TEST

/* ---- garbage must not hurt ---- */

START_TEST(test_garbage)
{
    struct fx f;
    fx_init(&f, 0x01, 0x01);
    static const uint16_t ports[] = {0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1};
    uint32_t x = 12345;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = x >> 8;
        switch (r % 5) {
        case 0:
        case 1:
            outb(&f, ports[(r >> 4) % 6], (uint8_t)(r >> 12));
            break;
        case 2:
            (void)inb(&f, ports[(r >> 4) % 6]);
            break;
        case 3:
            irq(&f, (r >> 4) % 17, (r >> 12) & 1);
            break;
        default: {
            int v = ack(&f);
            ck_assert(v >= 0 && v <= 255);
        }
        }
    }
    /* A proper initialisation brings it back. */
    fx_init(&f, 0x01, 0x01);
    pulse(&f, 1);
    ck_assert_int_eq(ack(&f), 0x21);
}
END_TEST

/* ---- wiring: the PIT's counter 0 through pic8259_irq_line() ---- */

START_TEST(test_pit_irq0)
{
    struct fx f;
    struct vclock clk;
    struct pit8254 pit;
    char err[128];
    fx_init(&f, 0x01, 0x01);
    vclock_init(&clk);
    struct irq_line irq0 = pic8259_irq_line(&f.pic, 0);
    ck_assert_msg(pit8254_attach(&pit, &f.bus, &clk, &irq0, err, sizeof err) == 0, "%s", err);
    outb(&f, 0x43, 0x34); /* mode 2: OUT goes high, a first edge */
    outb(&f, 0x40, 100);
    outb(&f, 0x40, 0);
    ck_assert_int_eq(ack(&f), 0x20);
    eoi(&f, 0x20);
    ck_assert(!f.intr);
    int taken = 0;
    for (uint64_t ns = 0; ns < 1000000; ns += 1000) { /* 1 ms: about 11.9 periods of 100 pulses */
        while (vclock_next_deadline(&clk) <= ns)
            vclock_advance(&clk, vclock_next_deadline(&clk));
        vclock_advance(&clk, ns);
        if (f.intr) {
            ck_assert_int_eq(ack(&f), 0x20);
            eoi(&f, 0x20);
            taken++;
        }
    }
    ck_assert_int_eq(taken, 11);
}
END_TEST

static Suite *pic_suite(void)
{
    Suite *s = suite_create("pic8259");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_init_and_mask);
    tcase_add_test(tc, test_init_sequences);
    tcase_add_test(tc, test_eoi_modes);
    tcase_add_test(tc, test_priority_and_rotation);
    tcase_add_test(tc, test_cascade);
    tcase_add_test(tc, test_elcr_edge_level);
    tcase_add_test(tc, test_spurious);
    tcase_add_test(tc, test_poll);
    tcase_add_test(tc, test_special_mask);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_pit_irq0);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
