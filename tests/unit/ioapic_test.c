/* ioapic_test.c - Check suites for the 82093AA I/O APIC (devices/ioapic.c),
 * driven through IOREGSEL/IOWIN, its inputs and EOI broadcasts; deliveries
 * are recorded, and one test runs it into a real local APIC. */
#include "devices/ioapic.h"
#include "devices/lapic.h"

#include <check.h>
#include <stdlib.h>

struct fx {
    struct ioapic io;
    struct apic_msg sent[32];
    unsigned sent_count;
    bool refuse; /* the local APIC does not accept */
};

static bool deliver(void *o, const struct apic_msg *m)
{
    struct fx *f = o;
    if (f->sent_count < 32)
        f->sent[f->sent_count++] = *m;
    return !f->refuse;
}

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    ioapic_init(&f->io, deliver, f);
}

static uint32_t rd(struct fx *f, unsigned reg)
{
    ioapic_mmio_write(&f->io, IOAPIC_REGSEL, reg, 4);
    return (uint32_t)ioapic_mmio_read(&f->io, IOAPIC_WINDOW, 4);
}
static void wr(struct fx *f, unsigned reg, uint32_t v)
{
    ioapic_mmio_write(&f->io, IOAPIC_REGSEL, reg, 4);
    ioapic_mmio_write(&f->io, IOAPIC_WINDOW, v, 4);
}
static void set_entry(struct fx *f, unsigned pin, uint64_t e)
{
    wr(f, IOAPIC_REG_REDIR + 2 * pin + 1, (uint32_t)(e >> 32));
    wr(f, IOAPIC_REG_REDIR + 2 * pin, (uint32_t)e);
}
static uint64_t entry(struct fx *f, unsigned pin)
{
    return rd(f, IOAPIC_REG_REDIR + 2 * pin) | (uint64_t)rd(f, IOAPIC_REG_REDIR + 2 * pin + 1) << 32;
}
static void irq(struct fx *f, unsigned pin, bool level) { ioapic_set_irq(&f->io, pin, level); }

START_TEST(test_identification)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_VER), 0x00170011);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_ID), 0);
    wr(&f, IOAPIC_REG_ID, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_ID), 0x0F000000);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_ARB), 0x0F000000);
    wr(&f, IOAPIC_REG_VER, 0);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_VER), 0x00170011);
    ck_assert_uint_eq(ioapic_mmio_read(&f.io, IOAPIC_REGSEL, 4), IOAPIC_REG_VER);
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
        ck_assert_uint_eq(entry(&f, pin), IOAPIC_MASKED);
    /* writable bits; delivery status and remote IRR are read-only */
    set_entry(&f, 5, 0xFFFFFFFFFFFFFFFFull);
    ck_assert_uint_eq(entry(&f, 5), 0xFF0000000001AFFFull);
    ioapic_reset(&f.io);
    ck_assert_uint_eq(entry(&f, 5), IOAPIC_MASKED);
    ck_assert_uint_eq(rd(&f, IOAPIC_REG_ID), 0);
}
END_TEST

START_TEST(test_edge)
{
    struct fx f;
    fx_init(&f);
    set_entry(&f, 2, 0x0300000000000830ull); /* vector 0x30, logical, dest 3, edge, unmasked */
    irq(&f, 2, true);
    ck_assert_uint_eq(f.sent_count, 1);
    ck_assert_uint_eq(f.sent[0].vector, 0x30);
    ck_assert_uint_eq(f.sent[0].dest, 3);
    ck_assert(f.sent[0].logical);
    ck_assert(!f.sent[0].level);
    ck_assert_uint_eq(f.sent[0].delivery, APIC_DM_FIXED);
    irq(&f, 2, true);                        /* no new edge */
    ck_assert_uint_eq(f.sent_count, 1);
    irq(&f, 2, false);
    irq(&f, 2, true);
    ck_assert_uint_eq(f.sent_count, 2);
    ck_assert(!(entry(&f, 2) & IOAPIC_REMOTE_IRR));
    /* masked: the edge is lost, unmasking does not bring it back */
    irq(&f, 2, false);
    set_entry(&f, 2, 0x0300000000010830ull);
    irq(&f, 2, true);
    set_entry(&f, 2, 0x0300000000000830ull);
    ck_assert_uint_eq(f.sent_count, 2);
    /* lowest priority delivery mode goes out as such */
    irq(&f, 2, false);
    set_entry(&f, 2, 0x0000000000000131ull);
    irq(&f, 2, true);
    ck_assert_uint_eq(f.sent[2].delivery, APIC_DM_LOWEST);
    ck_assert(!f.sent[2].logical);
}
END_TEST

START_TEST(test_level_remote_irr)
{
    struct fx f;
    fx_init(&f);
    set_entry(&f, 10, 0x0000000000008040ull); /* vector 0x40, level, active high */
    irq(&f, 10, true);
    ck_assert_uint_eq(f.sent_count, 1);
    ck_assert(f.sent[0].level);
    ck_assert(entry(&f, 10) & IOAPIC_REMOTE_IRR);
    irq(&f, 10, false);
    irq(&f, 10, true);                        /* held off by remote IRR */
    ck_assert_uint_eq(f.sent_count, 1);
    ioapic_eoi(&f.io, 0x41);                   /* another vector: nothing */
    ck_assert(entry(&f, 10) & IOAPIC_REMOTE_IRR);
    ioapic_eoi(&f.io, 0x40);                   /* still asserted: sent again */
    ck_assert_uint_eq(f.sent_count, 2);
    ck_assert(entry(&f, 10) & IOAPIC_REMOTE_IRR);
    irq(&f, 10, false);
    ioapic_eoi(&f.io, 0x40);
    ck_assert_uint_eq(f.sent_count, 2);
    ck_assert(!(entry(&f, 10) & IOAPIC_REMOTE_IRR));
    /* masked while asserted: sent when unmasked */
    set_entry(&f, 10, 0x0000000000018040ull);
    irq(&f, 10, true);
    ck_assert_uint_eq(f.sent_count, 2);
    set_entry(&f, 10, 0x0000000000008040ull);
    ck_assert_uint_eq(f.sent_count, 3);
    /* not accepted: no remote IRR, so the next EOI or change retries */
    irq(&f, 10, false);
    ioapic_eoi(&f.io, 0x40);
    f.refuse = true;
    irq(&f, 10, true);
    ck_assert_uint_eq(f.sent_count, 4);
    ck_assert(!(entry(&f, 10) & IOAPIC_REMOTE_IRR));
    /* switching to edge clears the remote IRR */
    f.refuse = false;
    set_entry(&f, 10, 0x0000000000008040ull);
    ck_assert(entry(&f, 10) & IOAPIC_REMOTE_IRR);
    set_entry(&f, 10, 0x0000000000000040ull);
    ck_assert(!(entry(&f, 10) & IOAPIC_REMOTE_IRR));
}
END_TEST

START_TEST(test_polarity)
{
    struct fx f;
    fx_init(&f);
    set_entry(&f, 16, 0x000000000000A050ull); /* level, active low */
    ck_assert_uint_eq(f.sent_count, 1);       /* the input is low: active */
    irq(&f, 16, true);                         /* deasserted */
    ioapic_eoi(&f.io, 0x50);
    ck_assert_uint_eq(f.sent_count, 1);
    irq(&f, 16, false);
    ck_assert_uint_eq(f.sent_count, 2);
    /* edge, active low: the falling edge counts */
    set_entry(&f, 17, 0x0000000000002051ull);
    irq(&f, 17, true);
    ck_assert_uint_eq(f.sent_count, 2);
    irq(&f, 17, false);
    ck_assert_uint_eq(f.sent_count, 3);
    ck_assert_uint_eq(f.sent[2].vector, 0x51);
}
END_TEST

START_TEST(test_bad_accesses)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 24, true);                         /* no such pins */
    irq(&f, 1000, true);
    ck_assert_uint_eq(f.sent_count, 0);
    wr(&f, 0x40, 0x12345678);                  /* beyond the table */
    ck_assert_uint_eq(rd(&f, 0x40), 0);
    ck_assert_uint_eq(rd(&f, 0xFF), 0);
    ioapic_mmio_write(&f.io, IOAPIC_REGSEL, IOAPIC_REG_VER, 1); /* IOREGSEL by byte */
    ck_assert_uint_eq(ioapic_mmio_read(&f.io, IOAPIC_WINDOW, 1), 0x11);
    ck_assert_uint_eq(ioapic_mmio_read(&f.io, IOAPIC_WINDOW + 2, 2), 0x0017);
    ck_assert_uint_eq(ioapic_mmio_read(&f.io, IOAPIC_WINDOW, 8), 0x00170011);
    /* narrow writes to IOWIN do nothing */
    ioapic_mmio_write(&f.io, IOAPIC_REGSEL, IOAPIC_REG_REDIR, 4);
    ioapic_mmio_write(&f.io, IOAPIC_WINDOW, 0x30, 1);
    ck_assert_uint_eq(entry(&f, 0), IOAPIC_MASKED);
    for (uint64_t off = 0; off < IOAPIC_MMIO_SIZE + 8; off++)
        for (unsigned size = 1; size <= 8; size *= 2) {
            (void)ioapic_mmio_read(&f.io, off, size);
            ioapic_mmio_write(&f.io, off, 0xDEADBEEFCAFEF00Dull * (off + 1), size);
            irq(&f, (unsigned)off % 24, off & 1);
        }
    for (unsigned v = 0; v < 256; v++)
        ioapic_eoi(&f.io, (uint8_t)v);
}
END_TEST

/* End to end into a local APIC: an ISA IRQ on pin 2, level-triggered pin 9, EOI. */
struct pair {
    struct vclock clk;
    struct lapic a;
    struct ioapic io;
    bool intr;
};
static void pair_intr(void *o, bool level) { ((struct pair *)o)->intr = level; }
static bool pair_deliver(void *o, const struct apic_msg *m) { return lapic_deliver(&((struct pair *)o)->a, m); }
static void pair_eoi(void *o, uint8_t v) { ioapic_eoi(&((struct pair *)o)->io, v); }

START_TEST(test_into_lapic)
{
    struct pair *p = calloc(1, sizeof *p);
    vclock_init(&p->clk);
    struct lapic_wiring w = {.set_intr = pair_intr, .eoi_broadcast = pair_eoi, .opaque = p};
    lapic_init(&p->a, &p->clk, &w);
    ioapic_init(&p->io, pair_deliver, p);
    lapic_mmio_write(&p->a, LAPIC_SVR, 0x1FF, 4);
    ioapic_mmio_write(&p->io, 0, IOAPIC_REG_REDIR + 4, 4);
    ioapic_mmio_write(&p->io, 0x10, 0x22, 4);           /* pin 2 -> vector 0x22, physical APIC 0 */
    ioapic_mmio_write(&p->io, 0, IOAPIC_REG_REDIR + 18, 4);
    ioapic_mmio_write(&p->io, 0x10, 0x8029, 4);         /* pin 9 -> 0x29 level */
    struct irq_line pin2 = ioapic_irq_line(&p->io, 2);
    irq_pulse(&pin2);
    ioapic_set_irq(&p->io, 9, true);
    ck_assert(p->intr);
    ck_assert_int_eq(lapic_intr_ack(&p->a), 0x29);
    ck_assert(!p->intr);                                /* 0x22 is the same class as 0x29 */
    lapic_mmio_write(&p->a, LAPIC_EOI, 0, 4);           /* 0x29 is level: broadcast; still asserted */
    ck_assert(p->intr);
    ck_assert_int_eq(lapic_intr_ack(&p->a), 0x29);
    ioapic_set_irq(&p->io, 9, false);
    lapic_mmio_write(&p->a, LAPIC_EOI, 0, 4);
    ck_assert_int_eq(lapic_intr_ack(&p->a), 0x22);
    lapic_mmio_write(&p->a, LAPIC_EOI, 0, 4);
    ck_assert(!p->intr);
    ioapic_mmio_write(&p->io, 0, IOAPIC_REG_REDIR + 18, 4);
    ck_assert(!(ioapic_mmio_read(&p->io, 0x10, 4) & IOAPIC_REMOTE_IRR));
    free(p);
}
END_TEST

static Suite *ioapic_suite(void)
{
    Suite *s = suite_create("ioapic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_identification);
    tcase_add_test(tc, test_edge);
    tcase_add_test(tc, test_level_remote_irr);
    tcase_add_test(tc, test_polarity);
    tcase_add_test(tc, test_bad_accesses);
    tcase_add_test(tc, test_into_lapic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ioapic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
