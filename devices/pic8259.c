/* Intel 8259A PIC pair of the PC/AT (see pic8259.h).
 *
 * Followed: Intel 8259A datasheet (231468): "Interrupt Sequence", "Programming
 * the 8259A" (ICW1-ICW4, OCW1-OCW3), "The Fully Nested Mode", "End of
 * Interrupt", "Automatic Rotation", "Specific Rotation", "Special Mask Mode",
 * "Poll Command", "Special Fully Nested Mode", "Cascade Mode", "Edge and Level
 * Triggered Modes" (a request that goes away before the acknowledge gives a
 * "default" IR7).  Intel PIIX3 datasheet: ELCR1/ELCR2 (ports 4D0h/4D1h; IRQ
 * 0, 1, 2, 8 and 13 cannot be level-triggered); as on the PIIX3 the ICW1 LTIM
 * bit has no effect, the ELCR replaces it.
 *
 * Model: IRR of an edge input is a latch set on a 0->1 transition and cleared
 * by the acknowledge; IRR of a level input is the input itself.  The slave's
 * INT drives the master's IR2 like any device.  Everything is recomputed after
 * each change, so INTR to the CPU always reflects the current state. */
#include "pic8259.h"

#define ICW1_IC4 0x01  /* ICW4 follows */
#define ICW1_SNGL 0x02 /* single 8259A, no ICW3 */
#define ICW1_ADI 0x04  /* 8080 mode: call address interval 4 */
#define ICW4_UPM 0x01  /* 8086 mode */
#define ICW4_AEOI 0x02
#define ICW4_SFNM 0x10

static uint8_t pic_irr(const struct pic8259 *c)
{
    return (uint8_t)((c->irr & ~c->elcr) | (c->lines & c->elcr));
}

static bool pic_cascaded(const struct pic8259 *c) { return !(c->icw1 & ICW1_SNGL); }

/* In-service bits that hold back lower priorities.  In special mask mode an
 * in-service level that is masked does not (datasheet "Special Mask Mode"),
 * nor is it the target of a non-specific EOI. */
static uint8_t pic_blocking_isr(const struct pic8259 *c)
{
    return c->special_mask ? (uint8_t)(c->isr & ~c->imr) : c->isr;
}

static int pic_highest_isr(const struct pic8259 *c)
{
    uint8_t isr = pic_blocking_isr(c);
    for (unsigned r = 0; r < 8; r++) {
        unsigned ir = (c->lowest + 1u + r) & 7u;
        if (isr & (1u << ir))
            return (int)ir;
    }
    return -1;
}

/* The IR the chip would present now, or -1: the highest-priority unmasked
 * request above every blocking in-service level.  In special fully nested mode
 * the master lets a cascade input interrupt even though it is in service, so
 * a higher-priority request of the same slave gets through. */
static int pic_highest_request(const struct pic8259 *c)
{
    uint8_t req = (uint8_t)(pic_irr(c) & ~c->imr);
    if (!req)
        return -1;
    uint8_t isr = pic_blocking_isr(c);
    bool sfnm = !c->is_slave && (c->icw4 & ICW4_SFNM) && pic_cascaded(c);
    for (unsigned r = 0; r < 8; r++) {
        unsigned ir = (c->lowest + 1u + r) & 7u;
        uint8_t bit = (uint8_t)(1u << ir);
        if (isr & bit)
            return sfnm && (c->icw3 & bit) && (req & bit) ? (int)ir : -1;
        if (req & bit)
            return (int)ir;
    }
    return -1;
}

static void pic_set_line(struct pic8259 *c, unsigned ir, bool level)
{
    uint8_t bit = (uint8_t)(1u << ir);
    if (level) {
        if (!(c->lines & bit) && !(c->elcr & bit))
            c->irr |= bit;
        c->lines |= bit;
    } else {
        c->lines &= (uint8_t)~bit;
    }
}

/* Recomputes the slave's INT (master IR2) and the master's INT (CPU INTR). */
static void pic_update(struct pic8259_pair *p)
{
    pic_set_line(&p->chip[0], PIC8259_CASCADE_IR, pic_highest_request(&p->chip[1]) >= 0);
    bool intr = pic_highest_request(&p->chip[0]) >= 0;
    if (intr != p->intr_level) {
        p->intr_level = intr;
        irq_set(&p->intr, intr);
    }
}

/* The acknowledge as seen by one chip: moves the winning request from IRR to
 * ISR (or, with AEOI, leaves ISR alone since the EOI happens at the end of
 * the sequence).  Returns the IR, or -1 when nothing is requesting. */
static int pic_ack(struct pic8259 *c, bool aeoi_allowed)
{
    int ir = pic_highest_request(c);
    if (ir < 0)
        return -1;
    uint8_t bit = (uint8_t)(1u << ir);
    c->irr &= (uint8_t)~bit; /* a level input stays requested while its line is high */
    if (aeoi_allowed && (c->icw4 & ICW4_AEOI)) {
        if (c->rotate_aeoi)
            c->lowest = (uint8_t)ir;
    } else {
        c->isr |= bit;
    }
    return ir;
}

/* The byte the chip puts on the bus in the cycle the x86 reads.  In MCS-80/85
 * mode (ICW4 absent or uPM = 0) the x86 gets the second byte of the CALL, the
 * low byte of the routine address (datasheet "Interrupt Sequence Outputs"). */
static int pic_vector(const struct pic8259 *c, unsigned ir)
{
    if (c->icw4 & ICW4_UPM)
        return (c->icw2 & 0xF8) | (int)ir;
    if (c->icw1 & ICW1_ADI)
        return (c->icw1 & 0xE0) | (int)(ir << 2);
    return (c->icw1 & 0xC0) | (int)(ir << 3);
}

int pic8259_intr_ack(struct pic8259_pair *p)
{
    struct pic8259 *m = &p->chip[0], *s = &p->chip[1];
    int vector;
    int ir = pic_ack(m, true);
    if (ir < 0) {
        vector = pic_vector(m, 7); /* the request went away: default IR7, no ISR bit */
    } else if (pic_cascaded(m) && (m->icw3 & (1u << ir))) {
        /* The master sends the cascade address; the slave with that ID answers. */
        if ((s->icw3 & 7u) == (unsigned)ir) {
            int sir = pic_ack(s, true);
            vector = pic_vector(s, sir < 0 ? 7u : (unsigned)sir);
            /* The slave's INT is re-evaluated after its acknowledge: if it is
             * still requesting (AEOI, special mask mode) the master must see a
             * new edge on IR2. */
            pic_set_line(m, PIC8259_CASCADE_IR, false);
        } else {
            vector = 0xFF; /* no slave drives the bus: it floats high */
        }
    } else {
        vector = pic_vector(m, (unsigned)ir);
    }
    pic_update(p);
    return vector;
}

void pic8259_set_irq(void *opaque, unsigned irq, bool level)
{
    struct pic8259_pair *p = opaque;
    if (irq >= 16 || irq == PIC8259_CASCADE_IR)
        return;
    pic_set_line(&p->chip[irq >> 3], irq & 7u, level);
    pic_update(p);
}

/* ---- programming ---- */

static void pic_icw1(struct pic8259 *c, uint8_t v)
{
    /* Datasheet "Initialization Command Words": edge sense reset (an edge
     * input needs a new 0->1 transition), IMR cleared, IR7 lowest priority,
     * slave address 7, special mask mode off, read IRR, and ICW4 functions
     * zero if no ICW4 follows.  ISR is cleared too, so a re-initialised chip
     * does not keep levels in service that no EOI will ever end. */
    c->icw1 = v;
    c->init_step = 2;
    c->irr = 0;
    c->isr = 0;
    c->imr = 0;
    c->lowest = 7;
    c->icw3 = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->rotate_aeoi = false;
    if (!(v & ICW1_IC4))
        c->icw4 = 0;
}

static void pic_ocw2(struct pic8259 *c, uint8_t v)
{
    unsigned level = v & 7u;
    int ir;
    switch (v >> 5) {
    case 0: /* rotate in AEOI mode (clear) */
        c->rotate_aeoi = false;
        break;
    case 1: /* non-specific EOI */
    case 5: /* rotate on non-specific EOI */
        ir = pic_highest_isr(c);
        if (ir >= 0) {
            c->isr &= (uint8_t)~(1u << ir);
            if (v >> 5 == 5)
                c->lowest = (uint8_t)ir;
        }
        break;
    case 2: /* no operation */
        break;
    case 3: /* specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        break;
    case 4: /* rotate in AEOI mode (set) */
        c->rotate_aeoi = true;
        break;
    case 6: /* set priority: `level` becomes the lowest */
        c->lowest = (uint8_t)level;
        break;
    case 7: /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << level);
        c->lowest = (uint8_t)level;
        break;
    }
}

static void pic_ocw3(struct pic8259 *c, uint8_t v)
{
    if (v & 0x40) /* ESMM: SMM (bit 5) sets or resets special mask mode */
        c->special_mask = v & 0x20;
    if (v & 0x02) /* RR: RIS (bit 0) selects ISR or IRR */
        c->read_isr = v & 0x01;
    if (v & 0x04) /* P: poll; takes precedence over RR for the next read */
        c->poll = true;
}

static void pic_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct pic8259 *c = dev;
    uint8_t v = (uint8_t)value;
    if (offset == 0) {
        if (v & 0x10)
            pic_icw1(c, v);
        else if (v & 0x08)
            pic_ocw3(c, v);
        else
            pic_ocw2(c, v);
    } else {
        switch (c->init_step) {
        case 2:
            c->icw2 = v;
            c->init_step = !(c->icw1 & ICW1_SNGL) ? 3 : (c->icw1 & ICW1_IC4) ? 4 : 0;
            break;
        case 3:
            c->icw3 = v;
            c->init_step = (c->icw1 & ICW1_IC4) ? 4 : 0;
            break;
        case 4:
            c->icw4 = v & 0x1F;
            c->init_step = 0;
            break;
        default: /* OCW1 */
            c->imr = v;
            break;
        }
    }
    pic_update(c->pair);
}

static uint32_t pic_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct pic8259 *c = dev;
    if (c->poll) {
        /* Datasheet "Poll Command": the read is the acknowledge (ISR bit set,
         * no AEOI since there is no INTA pulse) and returns I (bit 7) and the
         * highest requesting level.  A master poll stops at IR2; software
         * then polls the slave. */
        c->poll = false;
        int ir = pic_ack(c, false);
        if (c->is_slave && ir >= 0) /* as for an INTA: a slave still requesting gives a new IR2 edge */
            pic_set_line(&c->pair->chip[0], PIC8259_CASCADE_IR, false);
        pic_update(c->pair);
        return ir < 0 ? 0 : 0x80u | (unsigned)ir;
    }
    if (offset == 1)
        return c->imr;
    return c->read_isr ? c->isr : pic_irr(c);
}

static uint32_t elcr_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct pic8259_pair *p = dev;
    return p->chip[offset & 1].elcr;
}

static void elcr_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct pic8259_pair *p = dev;
    struct pic8259 *c = &p->chip[offset & 1];
    uint8_t elcr = (uint8_t)(value & c->elcr_mask);
    /* A newly level-triggered input follows its line; a newly edge-triggered
     * one waits for its next rising edge. */
    c->irr &= (uint8_t)~(elcr ^ c->elcr);
    c->elcr = elcr;
    pic_update(p);
}

int pic8259_attach(struct pic8259_pair *p, struct iobus *bus, const struct irq_line *intr, char *err,
                   size_t err_len)
{
    *p = (struct pic8259_pair){0};
    if (intr)
        p->intr = *intr;
    for (unsigned i = 0; i < 2; i++) {
        struct pic8259 *c = &p->chip[i];
        c->pair = p;
        c->is_slave = i == 1;
        c->lowest = 7;
        c->icw3 = 7;
        /* PIIX3: IRQ 0, 1, 2 (ELCR1 bits 0-2) and 8, 13 (ELCR2 bits 0, 5) are edge only. */
        c->elcr_mask = i == 0 ? 0xF8 : 0xDE;
    }
    struct io_region regions[3] = {
        {.name = "pic-master", .base = PIC8259_MASTER_PORT, .size = 2, .widths = 1, .read = pic_read,
         .write = pic_write, .dev = &p->chip[0]},
        {.name = "pic-slave", .base = PIC8259_SLAVE_PORT, .size = 2, .widths = 1, .read = pic_read,
         .write = pic_write, .dev = &p->chip[1]},
        {.name = "elcr", .base = PIC8259_ELCR_PORT, .size = 2, .widths = 1, .read = elcr_read,
         .write = elcr_write, .dev = p},
    };
    for (unsigned i = 0; i < 3; i++)
        if (iobus_register(bus, &regions[i], err, err_len) != 0)
            return -1;
    return 0;
}
