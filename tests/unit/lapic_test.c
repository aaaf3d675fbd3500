/* lapic_test.c - Check suites for the local APIC (devices/lapic.c), driven
 * through its MMIO registers, IA32_TSC_DEADLINE, LINT0, APIC-bus messages and
 * the interrupt acknowledge, on a virtual clock of our own. */
#include "devices/lapic.h"

#include <check.h>
#include <stdlib.h>

#define TSC_PERIOD_NS 10 /* as on the PC board: one TSC tick per 10 ns */

struct fx {
    struct vclock clk;
    struct lapic a;
    bool intr;
    int extint_acks;
    int pic_vector;
    int eois[16];
    unsigned eoi_count;
    int taken[64];
    unsigned taken_count;
    uint64_t taken_at[64];
};

static void set_intr(void *o, bool level) { ((struct fx *)o)->intr = level; }
static int extint_ack(void *o)
{
    struct fx *f = o;
    f->extint_acks++;
    return f->pic_vector;
}
static void eoi_broadcast(void *o, uint8_t vector)
{
    struct fx *f = o;
    if (f->eoi_count < 16)
        f->eois[f->eoi_count++] = vector;
}
static uint64_t tsc(void *o) { return vclock_now(&((struct fx *)o)->clk) / TSC_PERIOD_NS; }

static void fx_init(struct fx *f)
{
    *f = (struct fx){.pic_vector = 0x08};
    vclock_init(&f->clk);
    struct lapic_wiring w = {.set_intr = set_intr, .extint_ack = extint_ack, .eoi_broadcast = eoi_broadcast,
                             .tsc = tsc, .tsc_period_ns = TSC_PERIOD_NS, .opaque = f};
    lapic_init(&f->a, &f->clk, &w);
}

static void wr(struct fx *f, unsigned reg, uint32_t v) { lapic_mmio_write(&f->a, reg, v, 4); }
static uint32_t rd(struct fx *f, unsigned reg) { return (uint32_t)lapic_mmio_read(&f->a, reg, 4); }
static int ack(struct fx *f) { return lapic_intr_ack(&f->a); }
static void eoi(struct fx *f) { wr(f, LAPIC_EOI, 0); }
static void self_ipi(struct fx *f, unsigned vector) { wr(f, LAPIC_ICR_LO, 0x00040000u | vector); }

/* Software-enabled, spurious vector 0xFF. */
static void fx_enable(struct fx *f)
{
    fx_init(f);
    wr(f, LAPIC_SVR, 0x1FF);
}

/* Runs the clock to `ns`, firing events in order; when take is set, every
 * interrupt the CPU would see is acknowledged and ended at once. */
static void advance(struct fx *f, uint64_t ns, bool take)
{
    for (;;) {
        uint64_t d = vclock_next_deadline(&f->clk);
        if (d > ns)
            break;
        vclock_advance(&f->clk, d);
        while (take && f->intr) {
            int v = ack(f);
            if (f->taken_count < 64) {
                f->taken_at[f->taken_count] = vclock_now(&f->clk);
                f->taken[f->taken_count++] = v;
            }
            eoi(f);
        }
    }
    vclock_advance(&f->clk, ns);
}

static bool bit(struct fx *f, unsigned base, unsigned vector)
{
    return (rd(f, base + (vector / 32) * 0x10) >> (vector % 32)) & 1u;
}

/* ---- reset state and identification ---- */

START_TEST(test_reset_state)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(rd(&f, LAPIC_VER), 0x00050014);
    ck_assert_uint_eq(rd(&f, LAPIC_ID), 0);
    ck_assert_uint_eq(rd(&f, LAPIC_SVR), 0xFF);
    ck_assert_uint_eq(rd(&f, LAPIC_DFR), 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(&f, LAPIC_TPR), 0);
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0);
    for (unsigned r = LAPIC_LVT_TIMER; r <= LAPIC_LVT_ERROR; r += 0x10)
        ck_assert_uint_eq(rd(&f, r), LVT_MASKED);
    ck_assert(lapic_hw_enabled(&f.a));
    ck_assert_uint_eq(lapic_base_address(&f.a), 0xFEE00000u);
    /* writable fields */
    wr(&f, LAPIC_ID, 0x05FFFFFF);
    ck_assert_uint_eq(rd(&f, LAPIC_ID), 0x05000000);
    wr(&f, LAPIC_LDR, 0x12345678);
    ck_assert_uint_eq(rd(&f, LAPIC_LDR), 0x12000000);
    wr(&f, LAPIC_DFR, 0x0);
    ck_assert_uint_eq(rd(&f, LAPIC_DFR), 0x0FFFFFFF);
    wr(&f, LAPIC_VER, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_VER), 0x00050014);
}
END_TEST

/* ---- the 8259 on LINT0 ---- */

START_TEST(test_pic_passthrough_when_disabled)
{
    struct fx f;
    fx_init(&f); /* software-disabled after reset */
    lapic_set_lint(&f.a, 0, true);
    ck_assert(f.intr);
    f.pic_vector = 0x20;
    ck_assert_int_eq(ack(&f), 0x20);
    ck_assert_int_eq(f.extint_acks, 1);
    lapic_set_lint(&f.a, 0, false);
    ck_assert(!f.intr);
    /* globally disabled: the same */
    lapic_set_base(&f.a, 0xFEE00100u);
    ck_assert(!lapic_hw_enabled(&f.a));
    lapic_set_lint(&f.a, 0, true);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x20);
    /* and with nothing requesting, the acknowledge still goes to the 8259 (its IR7) */
    lapic_set_lint(&f.a, 0, false);
    f.pic_vector = 0x27;
    ck_assert_int_eq(ack(&f), 0x27);
}
END_TEST

START_TEST(test_extint_through_lint0)
{
    struct fx f;
    fx_enable(&f);
    lapic_set_lint(&f.a, 0, true);
    ck_assert(!f.intr); /* LINT0 masked once the APIC is enabled */
    wr(&f, LAPIC_LVT_LINT0, 0x8700);   /* ExtINT, level, as SeaBIOS programs it */
    ck_assert(f.intr);
    f.pic_vector = 0x30;
    ck_assert_int_eq(ack(&f), 0x30);
    ck_assert_uint_eq(rd(&f, LAPIC_ISR + 0x10), 0); /* ExtINT bypasses IRR/ISR */
    wr(&f, LAPIC_TPR, 0xF0);           /* nor does the TPR hold it back */
    ck_assert(f.intr);
    wr(&f, LAPIC_LVT_LINT0, 0x18700);  /* masked */
    ck_assert(!f.intr);
    /* software disable: pass-through again, LVTs forced masked */
    wr(&f, LAPIC_SVR, 0xFF);
    ck_assert(f.intr);
    wr(&f, LAPIC_LVT_LINT0, 0x700);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_LINT0), 0x10700);
}
END_TEST

START_TEST(test_lint0_fixed)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_LVT_LINT0, 0x0041);   /* fixed, edge, vector 0x41 */
    lapic_set_lint(&f.a, 0, true);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x41);
    eoi(&f);
    ck_assert(!f.intr);                /* a held level is one edge */
    lapic_set_lint(&f.a, 0, false);
    ck_assert(!f.intr);
    wr(&f, LAPIC_LVT_LINT0, 0x8042);   /* fixed, level */
    lapic_set_lint(&f.a, 0, true);
    ck_assert(rd(&f, LAPIC_LVT_LINT0) & LVT_REMOTE_IRR);
    ck_assert_int_eq(ack(&f), 0x42);
    ck_assert(bit(&f, LAPIC_TMR, 0x42));
    ck_assert(!f.intr);
    eoi(&f);                           /* still high: again */
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x42);
    lapic_set_lint(&f.a, 0, false);
    eoi(&f);
    ck_assert(!f.intr);
    ck_assert(!(rd(&f, LAPIC_LVT_LINT0) & LVT_REMOTE_IRR));
    ck_assert_uint_eq(f.eoi_count, 2);  /* level-triggered EOIs are broadcast */
}
END_TEST

/* ---- priorities, EOI, spurious ---- */

START_TEST(test_priority_and_eoi_order)
{
    struct fx f;
    fx_enable(&f);
    self_ipi(&f, 0x45);
    self_ipi(&f, 0x51);
    self_ipi(&f, 0x30);
    ck_assert(bit(&f, LAPIC_IRR, 0x45) && bit(&f, LAPIC_IRR, 0x51) && bit(&f, LAPIC_IRR, 0x30));
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x51);
    ck_assert(bit(&f, LAPIC_ISR, 0x51));
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0x50);
    ck_assert(!f.intr);                /* 0x45 is below the in-service class */
    self_ipi(&f, 0x62);                /* a higher class nests */
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x62);
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0x60);
    eoi(&f);                           /* ends 0x62, the highest in service */
    ck_assert(!bit(&f, LAPIC_ISR, 0x62) && bit(&f, LAPIC_ISR, 0x51));
    ck_assert(!f.intr);
    eoi(&f);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x45);
    eoi(&f);
    ck_assert_int_eq(ack(&f), 0x30);
    eoi(&f);
    ck_assert(!f.intr);
    ck_assert_uint_eq(f.eoi_count, 0); /* all edge: nothing broadcast */
    eoi(&f);                           /* an EOI with nothing in service is harmless */
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0);
}
END_TEST

START_TEST(test_tpr_ppr_apr)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TPR, 0x5A);
    ck_assert_uint_eq(rd(&f, LAPIC_TPR), 0x5A);
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0x5A);
    self_ipi(&f, 0x51);
    self_ipi(&f, 0x4F);
    ck_assert(!f.intr);                /* class 5 is not above class 5 */
    ck_assert_uint_eq(rd(&f, LAPIC_APR), 0x5A);
    self_ipi(&f, 0x61);
    ck_assert(f.intr);
    ck_assert_uint_eq(rd(&f, LAPIC_APR), 0x60);
    ck_assert_int_eq(ack(&f), 0x61);
    ck_assert_uint_eq(rd(&f, LAPIC_PPR), 0x60);
    eoi(&f);
    lapic_set_tpr(&f.a, 0x40);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x51);
    wr(&f, LAPIC_TPR, 0x0);
    ck_assert_uint_eq(lapic_ppr(&f.a), 0x50);
}
END_TEST

START_TEST(test_spurious)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_SVR, 0x1EF);
    self_ipi(&f, 0x40);
    ck_assert(f.intr);
    /* the CPU saw INTR, then the TPR went up before the acknowledge */
    wr(&f, LAPIC_TPR, 0x40);
    ck_assert_int_eq(ack(&f), 0xEF);
    ck_assert_uint_eq(rd(&f, LAPIC_ISR + 0xE0), 0); /* no ISR bit for the spurious vector */
    ck_assert(bit(&f, LAPIC_IRR, 0x40));
    ck_assert_int_eq(f.extint_acks, 0);
}
END_TEST

START_TEST(test_illegal_vectors_and_esr)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_LVT_ERROR, 0xFE);
    self_ipi(&f, 0x05);
    ck_assert(!bit(&f, LAPIC_IRR, 0x05));
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), 0); /* not latched until written */
    wr(&f, LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), ESR_SEND_ILLEGAL_VECTOR | ESR_RECEIVE_ILLEGAL_VECTOR);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0xFE);   /* the error interrupt */
    eoi(&f);
    wr(&f, LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), 0);
    /* an IOAPIC message with an illegal vector */
    struct apic_msg m = {.vector = 3, .delivery = APIC_DM_FIXED, .dest = 0};
    ck_assert(!lapic_deliver(&f.a, &m));
    wr(&f, LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), ESR_RECEIVE_ILLEGAL_VECTOR);
    /* a register that does not exist */
    wr(&f, 0x3F0, 1);
    wr(&f, LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), ESR_ILLEGAL_REGISTER);
}
END_TEST

/* ---- IPIs and destinations ---- */

START_TEST(test_ipis)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_ICR_HI, 0x00000000);
    wr(&f, LAPIC_ICR_LO, 0x00000050);  /* physical, destination 0 = us */
    ck_assert(bit(&f, LAPIC_IRR, 0x50));
    ck_assert_uint_eq(rd(&f, LAPIC_ICR_LO) & (1u << 12), 0); /* delivery status idle */
    wr(&f, LAPIC_ICR_HI, 0x03000000);
    wr(&f, LAPIC_ICR_LO, 0x00000051);  /* to APIC 3: nobody */
    ck_assert(!bit(&f, LAPIC_IRR, 0x51));
    wr(&f, LAPIC_ICR_LO, 0x000C0052);  /* all excluding self */
    ck_assert(!bit(&f, LAPIC_IRR, 0x52));
    wr(&f, LAPIC_ICR_LO, 0x00080053);  /* all including self */
    ck_assert(bit(&f, LAPIC_IRR, 0x53));
    ck_assert_uint_eq(rd(&f, LAPIC_ICR_HI), 0x03000000);
    /* SeaBIOS's INIT and SIPI to the others: accepted and dropped */
    wr(&f, LAPIC_ICR_LO, 0x000C4500);
    wr(&f, LAPIC_ICR_LO, 0x000C4609);
    ck_assert_uint_eq(rd(&f, LAPIC_ICR_LO), 0x000C4609);
    wr(&f, LAPIC_ESR, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_ESR), 0);
    ck_assert_int_eq(ack(&f), 0x53);
}
END_TEST

START_TEST(test_logical_destinations)
{
    struct fx f;
    fx_enable(&f);
    struct apic_msg m = {.vector = 0x60, .delivery = APIC_DM_FIXED, .logical = true};
    wr(&f, LAPIC_LDR, 0x04000000);     /* flat model, bit 2 */
    m.dest = 0x04;
    ck_assert(lapic_deliver(&f.a, &m));
    m.dest = 0x03;
    ck_assert(!lapic_deliver(&f.a, &m));
    m.dest = 0xFF;
    ck_assert(lapic_deliver(&f.a, &m));
    wr(&f, LAPIC_DFR, 0x0FFFFFFF);     /* cluster model: cluster 2, member bit 1 */
    wr(&f, LAPIC_LDR, 0x22000000);
    m.dest = 0x23;
    ck_assert(lapic_deliver(&f.a, &m));
    m.dest = 0x32;
    ck_assert(!lapic_deliver(&f.a, &m));
    m.dest = 0x24;
    ck_assert(!lapic_deliver(&f.a, &m));
    m.dest = 0xF2;                     /* all clusters */
    ck_assert(lapic_deliver(&f.a, &m));
    /* physical */
    m.logical = false;
    m.dest = 0;
    m.delivery = APIC_DM_LOWEST;
    ck_assert(lapic_deliver(&f.a, &m));
    m.dest = 1;
    ck_assert(!lapic_deliver(&f.a, &m));
    m.dest = 0;
    m.delivery = APIC_DM_NMI;          /* no NMI input: dropped */
    ck_assert(!lapic_deliver(&f.a, &m));
    /* level-triggered: TMR, EOI broadcast */
    m = (struct apic_msg){.vector = 0x70, .delivery = APIC_DM_FIXED, .dest = 0, .level = true};
    ck_assert(lapic_deliver(&f.a, &m));
    ck_assert(bit(&f, LAPIC_TMR, 0x70));
    ck_assert_int_eq(ack(&f), 0x70);
    eoi(&f);
    ck_assert_uint_eq(f.eoi_count, 1);
    ck_assert_int_eq(f.eois[0], 0x70);
    /* software-disabled: not accepted */
    wr(&f, LAPIC_SVR, 0xFF);
    ck_assert(!lapic_deliver(&f.a, &m));
}
END_TEST

/* ---- timer ---- */

START_TEST(test_timer_one_shot)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TIMER_DCR, 0x3);      /* divide by 16 */
    wr(&f, LAPIC_LVT_TIMER, 0x40);
    advance(&f, 1000, true);
    wr(&f, LAPIC_TIMER_ICR, 1000);     /* 16 us at 1 GHz / 16 */
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 1000);
    advance(&f, 1000 + 8000, true);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 500);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_ICR), 1000);
    advance(&f, 1000 + 16000 - 1, true);
    ck_assert_uint_eq(f.taken_count, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 1);
    advance(&f, 1000 + 16000, true);
    ck_assert_uint_eq(f.taken_count, 1);
    ck_assert_int_eq(f.taken[0], 0x40);
    ck_assert_uint_eq(f.taken_at[0], 17000);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 0);
    advance(&f, 1000000, true);
    ck_assert_uint_eq(f.taken_count, 1);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), UINT64_MAX);
    /* writing 0 stops a running timer */
    wr(&f, LAPIC_TIMER_ICR, 100);
    wr(&f, LAPIC_TIMER_ICR, 0);
    advance(&f, 2000000, true);
    ck_assert_uint_eq(f.taken_count, 1);
}
END_TEST

START_TEST(test_timer_periodic)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TIMER_DCR, 0xB);      /* divide by 1 */
    wr(&f, LAPIC_LVT_TIMER, 0x20031);  /* periodic, vector 0x31 */
    wr(&f, LAPIC_TIMER_ICR, 100);
    advance(&f, 1050, true);
    ck_assert_uint_eq(f.taken_count, 10);
    for (unsigned k = 0; k < 10; k++) {
        ck_assert_int_eq(f.taken[k], 0x31);
        ck_assert_uint_eq(f.taken_at[k], 100 * (k + 1));
    }
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 50);
    /* missed periods coalesce into one pending interrupt */
    advance(&f, 5000, false);
    ck_assert(f.intr);
    ck_assert_int_eq(ack(&f), 0x31);
    eoi(&f);
    ck_assert(!f.intr);
    advance(&f, 5100, true);
    ck_assert_uint_eq(f.taken_count, 11);
    ck_assert_uint_eq(f.taken_at[10], 5100);
    /* masked: it keeps counting, interrupts nobody, and resumes in phase */
    wr(&f, LAPIC_LVT_TIMER, 0x30031);
    advance(&f, 10000, true);
    ck_assert_uint_eq(f.taken_count, 11);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 100);
    advance(&f, 10030, true);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 70);
    wr(&f, LAPIC_LVT_TIMER, 0x20031);
    advance(&f, 10100, true);
    ck_assert_uint_eq(f.taken_count, 12);
    ck_assert_uint_eq(f.taken_at[11], 10100);
    /* periodic -> one-shot: ends at the next expiry */
    wr(&f, LAPIC_LVT_TIMER, 0x31);
    advance(&f, 20000, true);
    ck_assert_uint_eq(f.taken_count, 13);
    ck_assert_uint_eq(f.taken_at[12], 10200);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 0);
}
END_TEST

START_TEST(test_timer_divide)
{
    static const struct { uint32_t dcr; unsigned div; } cfg[] = {
        {0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16}, {0x8, 32}, {0x9, 64}, {0xA, 128}, {0xB, 1},
    };
    for (unsigned k = 0; k < 8; k++) {
        struct fx f;
        fx_enable(&f);
        wr(&f, LAPIC_TIMER_DCR, cfg[k].dcr | 0xFFFFFFF4u); /* other bits ignored */
        ck_assert_uint_eq(rd(&f, LAPIC_TIMER_DCR), cfg[k].dcr);
        wr(&f, LAPIC_LVT_TIMER, 0x40);
        wr(&f, LAPIC_TIMER_ICR, 10);
        advance(&f, 10ull * cfg[k].div - 1, true);
        ck_assert_uint_eq(f.taken_count, 0);
        ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 1);
        advance(&f, 10ull * cfg[k].div, true);
        ck_assert_uint_eq(f.taken_count, 1);
    }
    /* a new divisor mid-count: the count goes on from where it was */
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TIMER_DCR, 0xB);
    wr(&f, LAPIC_LVT_TIMER, 0x40);
    wr(&f, LAPIC_TIMER_ICR, 1000);
    advance(&f, 400, true);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 600);
    wr(&f, LAPIC_TIMER_DCR, 0x0);      /* divide by 2 */
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 600);
    advance(&f, 400 + 1199, true);
    ck_assert_uint_eq(f.taken_count, 0);
    advance(&f, 400 + 1200, true);
    ck_assert_uint_eq(f.taken_count, 1);
    ck_assert_uint_eq(f.taken_at[0], 1600);
}
END_TEST

START_TEST(test_timer_tsc_deadline)
{
    struct fx f;
    fx_enable(&f);
    uint64_t v = 123;
    /* one-shot mode: the MSR reads 0 and ignores writes */
    ck_assert(lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, 500));
    ck_assert(lapic_msr_read(&f.a, MSR_IA32_TSC_DEADLINE, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(!lapic_msr_read(&f.a, 0x10, &v));
    ck_assert(!lapic_msr_write(&f.a, 0x10, 0));
    /* a running one-shot count is disarmed by the switch to TSC-deadline mode */
    wr(&f, LAPIC_LVT_TIMER, 0x40);
    wr(&f, LAPIC_TIMER_ICR, 1000);
    wr(&f, LAPIC_LVT_TIMER, 0x40040);  /* TSC-deadline, vector 0x40 */
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_ICR), 0);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 0);
    advance(&f, 100000, true);
    ck_assert_uint_eq(f.taken_count, 0);
    wr(&f, LAPIC_TIMER_ICR, 5);        /* ignored in this mode */
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_ICR), 0);
    /* TSC is 10000 at 100000 ns; deadline 50 ticks ahead = 500 ns */
    lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, 10050);
    lapic_msr_read(&f.a, MSR_IA32_TSC_DEADLINE, &v);
    ck_assert_uint_eq(v, 10050);
    advance(&f, 100499, true);
    ck_assert_uint_eq(f.taken_count, 0);
    advance(&f, 100500, true);
    ck_assert_uint_eq(f.taken_count, 1);
    ck_assert_int_eq(f.taken[0], 0x40);
    lapic_msr_read(&f.a, MSR_IA32_TSC_DEADLINE, &v);
    ck_assert_uint_eq(v, 0);           /* cleared when it fires */
    /* a deadline in the past fires at once; 0 disarms */
    lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, 1);
    advance(&f, 100510, true);
    ck_assert_uint_eq(f.taken_count, 2);
    lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, 20000);
    lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, 0);
    advance(&f, 300000, true);
    ck_assert_uint_eq(f.taken_count, 2);
    /* far in the future: armed without overflow, never reached here */
    lapic_msr_write(&f.a, MSR_IA32_TSC_DEADLINE, UINT64_MAX);
    ck_assert(vclock_next_deadline(&f.clk) > 300000 && vclock_next_deadline(&f.clk) < UINT64_MAX);
    /* leaving the mode disarms it */
    wr(&f, LAPIC_LVT_TIMER, 0x40);
    ck_assert_uint_eq(vclock_next_deadline(&f.clk), UINT64_MAX);
}
END_TEST

START_TEST(test_lvt_masking)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TIMER_DCR, 0xB);
    wr(&f, LAPIC_LVT_TIMER, 0x10040);  /* masked one-shot */
    wr(&f, LAPIC_TIMER_ICR, 100);
    advance(&f, 50, true);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 50);
    advance(&f, 1000, true);
    ck_assert_uint_eq(f.taken_count, 0);
    ck_assert_uint_eq(rd(&f, LAPIC_TIMER_CCR), 0);
    /* LVT field widths: reserved bits read 0, delivery status never set */
    wr(&f, LAPIC_LVT_TIMER, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_TIMER), 0x700FF);
    wr(&f, LAPIC_LVT_ERROR, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_ERROR), 0x100FF);
    wr(&f, LAPIC_LVT_LINT1, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_LINT1), 0x1A7FF);
    wr(&f, LAPIC_LVT_THERMAL, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_THERMAL), 0x107FF);
    /* software disable masks every LVT */
    wr(&f, LAPIC_LVT_TIMER, 0x40);
    wr(&f, LAPIC_SVR, 0xFF);
    ck_assert_uint_eq(rd(&f, LAPIC_LVT_TIMER), 0x10040);
    wr(&f, LAPIC_TIMER_ICR, 10);
    advance(&f, 2000, true);
    ck_assert_uint_eq(f.taken_count, 0);
    /* global disable resets the APIC */
    wr(&f, LAPIC_SVR, 0x1FF);
    wr(&f, LAPIC_TPR, 0x30);
    self_ipi(&f, 0x80);
    lapic_set_base(&f.a, 0xFEE00100u);
    ck_assert(!f.intr);
    lapic_set_base(&f.a, 0xFEE00900u);
    ck_assert_uint_eq(rd(&f, LAPIC_SVR), 0xFF);
    ck_assert_uint_eq(rd(&f, LAPIC_TPR), 0);
    ck_assert(!bit(&f, LAPIC_IRR, 0x80));
}
END_TEST

/* ---- robustness: odd sizes and offsets ---- */

START_TEST(test_bad_accesses)
{
    struct fx f;
    fx_enable(&f);
    wr(&f, LAPIC_TPR, 0x5A);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, LAPIC_TPR, 1), 0x5A);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, LAPIC_TPR + 1, 1), 0);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, LAPIC_VER + 2, 2), 0x0005);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, LAPIC_TPR, 8), 0x5A);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, LAPIC_TPR + 4, 4), 0); /* reserved part of the slot */
    /* narrow and misaligned writes do nothing */
    lapic_mmio_write(&f.a, LAPIC_TPR, 0x10, 1);
    lapic_mmio_write(&f.a, LAPIC_TPR, 0x10, 2);
    lapic_mmio_write(&f.a, LAPIC_TPR + 4, 0x10, 4);
    lapic_mmio_write(&f.a, LAPIC_TPR + 1, 0x10, 4);
    ck_assert_uint_eq(rd(&f, LAPIC_TPR), 0x5A);
    lapic_mmio_write(&f.a, LAPIC_TPR, 0xFFFFFFFF00000020ull, 8); /* the low dword of a qword */
    ck_assert_uint_eq(rd(&f, LAPIC_TPR), 0x20);
    /* every offset, every size, garbage values: no crash, state stays sane */
    for (uint64_t off = 0; off < LAPIC_MMIO_SIZE + 16; off++)
        for (unsigned size = 1; size <= 8; size *= 2) {
            (void)lapic_mmio_read(&f.a, off, size);
            if ((off & 0xFF0) != LAPIC_SVR && (off & 0xFF0) != LAPIC_LVT_ERROR)
                lapic_mmio_write(&f.a, off, 0xDEADBEEFCAFEF00Dull ^ off, size);
            advance(&f, vclock_now(&f.clk) + 7, true);
        }
    advance(&f, 100000000, true);
    ck_assert_uint_eq(lapic_mmio_read(&f.a, 0x2000, 4), 0); /* beyond the window */
    lapic_mmio_write(&f.a, 0x2000, 0, 4);
    lapic_set_lint(&f.a, 7, true); /* no such pin */
}
END_TEST

static Suite *lapic_suite(void)
{
    Suite *s = suite_create("lapic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_pic_passthrough_when_disabled);
    tcase_add_test(tc, test_extint_through_lint0);
    tcase_add_test(tc, test_lint0_fixed);
    tcase_add_test(tc, test_priority_and_eoi_order);
    tcase_add_test(tc, test_tpr_ppr_apr);
    tcase_add_test(tc, test_spurious);
    tcase_add_test(tc, test_illegal_vectors_and_esr);
    tcase_add_test(tc, test_ipis);
    tcase_add_test(tc, test_logical_destinations);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("timer");
    tcase_add_test(tt, test_timer_one_shot);
    tcase_add_test(tt, test_timer_periodic);
    tcase_add_test(tt, test_timer_divide);
    tcase_add_test(tt, test_timer_tsc_deadline);
    tcase_add_test(tt, test_lvt_masking);
    suite_add_tcase(s, tt);
    TCase *tr = tcase_create("robustness");
    tcase_add_test(tr, test_bad_accesses);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lapic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
