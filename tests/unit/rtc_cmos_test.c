/* rtc_cmos_test.c - Check unit tests for the MC146818A RTC + CMOS RAM
 * (devices/rtc_cmos.c), driven through ports 0x70/0x71, IRQ 8 and the
 * virtual clock only. */
#include "devices/rtc_cmos.h"

#include <check.h>
#include <stdlib.h>
#include <time.h>

#define MS 1000000ull
#define US 1000ull
#define SEC 1000000000ull
#define TUC (1984 * US)

/* 2024-02-29 23:59:58 UTC, a Thursday */
#define T_LEAP 1709251198
/* 2023-01-15 10:20:30 UTC */
#define T_2023 1673778030

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
    struct rtc_cmos rtc;
    struct sink sink;
};

static struct rig *rig_new(time_t start)
{
    struct rig *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    char err[128];
    iobus_init(&r->bus);
    vclock_init(&r->clk);
    struct irq_line line = {.set_level = sink_set, .sink = &r->sink, .pin = RTC_CMOS_IRQ};
    ck_assert_msg(rtc_cmos_init(&r->rtc, &r->bus, &r->clk, &line, start, err, sizeof err) == 0, "%s", err);
    return r;
}

static uint8_t rd(struct rig *r, uint8_t index)
{
    iobus_write(&r->bus, 0x70, index, 1);
    return (uint8_t)iobus_read(&r->bus, 0x71, 1);
}

static void wr(struct rig *r, uint8_t index, uint8_t v)
{
    iobus_write(&r->bus, 0x70, index, 1);
    iobus_write(&r->bus, 0x71, v, 1);
}

static void advance_to(struct rig *r, uint64_t t) { vclock_advance(&r->clk, t); }
static void advance(struct rig *r, uint64_t ns) { vclock_advance(&r->clk, r->clk.now + ns); }

/* Reads seconds..year into out[0..9] (alarm bytes included). */
static void read_clock(struct rig *r, uint8_t out[10])
{
    for (uint8_t i = 0; i < 10; i++)
        out[i] = rd(r, i);
}

#define ASSERT_TIME(r, s, m, h, dow, dom, mon, yr)                                                            \
    do {                                                                                                      \
        uint8_t c_[10];                                                                                       \
        read_clock(r, c_);                                                                                    \
        ck_assert_msg(c_[0] == (s) && c_[2] == (m) && c_[4] == (h) && c_[6] == (dow) && c_[7] == (dom) &&   \
                          c_[8] == (mon) && c_[9] == (yr),                                                    \
                      "got %02x:%02x:%02x dow %02x %02x-%02x-%02x, want %02x:%02x:%02x dow %02x %02x-%02x-%02x", \
                      c_[4], c_[2], c_[0], c_[6], c_[9], c_[8], c_[7], (unsigned)(h), (unsigned)(m),          \
                      (unsigned)(s), (unsigned)(dow), (unsigned)(yr), (unsigned)(mon), (unsigned)(dom));      \
    } while (0)

START_TEST(test_time_bcd)
{
    struct rig *r = rig_new(T_LEAP);
    ck_assert_uint_eq(rd(r, 0x0B), 0x02); /* 24-hour BCD */
    ck_assert_uint_eq(rd(r, 0x0A), 0x26);
    ck_assert_uint_eq(rd(r, 0x32), 0x20); /* century */
    ASSERT_TIME(r, 0x58, 0x59, 0x23, 5, 0x29, 0x02, 0x24);
    advance_to(r, SEC + TUC - 1);
    ASSERT_TIME(r, 0x58, 0x59, 0x23, 5, 0x29, 0x02, 0x24);
    advance_to(r, SEC + TUC);
    ASSERT_TIME(r, 0x59, 0x59, 0x23, 5, 0x29, 0x02, 0x24);
    advance_to(r, 2 * SEC + TUC); /* leap day rolls into March, Friday */
    ASSERT_TIME(r, 0x00, 0x00, 0x00, 6, 0x01, 0x03, 0x24);
    free(r);
}
END_TEST

START_TEST(test_time_binary)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0B, 0x86); /* SET, binary, 24-hour */
    const uint8_t t[10] = {59, 0, 59, 0, 23, 0, 6, 31, 12, 99}; /* (20)99-12-31 23:59:59, Thursday */
    for (uint8_t i = 0; i < 10; i += 2)
        wr(r, i, t[i]);
    wr(r, 7, t[7]);
    wr(r, 8, t[8]);
    wr(r, 9, t[9]);
    advance(r, 3 * SEC);
    ASSERT_TIME(r, 59, 59, 23, 6, 31, 12, 99); /* frozen while SET */
    wr(r, 0x0B, 0x06);
    advance(r, SEC); /* at least one update cycle end */
    ASSERT_TIME(r, 0, 0, 0, 7, 1, 1, 0);
    advance(r, 60 * SEC);
    ASSERT_TIME(r, 0, 1, 0, 7, 1, 1, 0);
    /* same clock read back through the decoded value: binary mode reads raw numbers */
    ck_assert_uint_eq(rd(r, 0x0B), 0x06);
    free(r);
}
END_TEST

START_TEST(test_12_hour)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0B, 0x80); /* SET, BCD, 12-hour */
    wr(r, 0, 0x59);
    wr(r, 2, 0x59);
    wr(r, 4, 0x91); /* 11 PM */
    wr(r, 6, 0x01);
    wr(r, 7, 0x28);
    wr(r, 8, 0x02);
    wr(r, 9, 0x23);
    wr(r, 0x0B, 0x00);
    advance(r, SEC + TUC);
    ASSERT_TIME(r, 0x00, 0x00, 0x12, 0x02, 0x01, 0x03, 0x23); /* 12 AM, 2023-03-01 (not a leap year) */
    wr(r, 0x0B, 0x80);
    wr(r, 4, 0x11); /* 11 AM */
    wr(r, 2, 0x59);
    wr(r, 0, 0x59);
    wr(r, 0x0B, 0x00);
    advance(r, SEC);
    ASSERT_TIME(r, 0x00, 0x00, 0x92, 0x02, 0x01, 0x03, 0x23); /* 12 PM */
    advance(r, 3600 * SEC);
    ck_assert_uint_eq(rd(r, 4), 0x81); /* 1 PM */
    /* binary 12-hour: 12 PM is 0x8C */
    wr(r, 0x0B, 0x84);
    wr(r, 4, 0x0B); /* 11 AM */
    wr(r, 2, 59);
    wr(r, 0, 59);
    wr(r, 0x0B, 0x04);
    advance(r, SEC);
    ck_assert_uint_eq(rd(r, 4), 0x8C);
    free(r);
}
END_TEST

START_TEST(test_uip_window)
{
    struct rig *r = rig_new(T_2023);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0);
    advance_to(r, SEC - 244 * US - 1);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0);
    advance_to(r, SEC - 244 * US);
    ck_assert_uint_eq(rd(r, 0x0A), 0xA6);
    ck_assert_uint_eq(rd(r, 0), 0x30);
    advance_to(r, SEC + TUC - 1);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0x80);
    ck_assert_uint_eq(rd(r, 0), 0x30); /* the update is still running */
    advance_to(r, SEC + TUC);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0);
    ck_assert_uint_eq(rd(r, 0), 0x31);
    /* every second, the same window */
    advance_to(r, 5 * SEC - 100 * US);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0x80);
    /* SET clears UIP */
    wr(r, 0x0B, 0x82);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0);
    wr(r, 0x0B, 0x02);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0x80);
    /* UIP is read-only */
    wr(r, 0x0A, 0xA6);
    advance_to(r, 5 * SEC + 500 * MS);
    ck_assert_uint_eq(rd(r, 0x0A), 0x26);
    free(r);
}
END_TEST

START_TEST(test_set_freezes_and_sets_base)
{
    struct rig *r = rig_new(T_2023);
    advance(r, 2 * SEC + 500 * MS);
    ASSERT_TIME(r, 0x32, 0x20, 0x10, 0x01, 0x15, 0x01, 0x23);
    rd(r, 0x0C);
    wr(r, 0x0B, 0x82 | 0x10); /* SET, and UIE which SET clears */
    ck_assert_uint_eq(rd(r, 0x0B), 0x82);
    advance(r, 10 * SEC);
    ASSERT_TIME(r, 0x32, 0x20, 0x10, 0x01, 0x15, 0x01, 0x23);
    ck_assert_uint_eq(rd(r, 0x0C) & 0x30, 0); /* no update cycle, no UF (PF goes on) */
    wr(r, 2, 0x45);
    wr(r, 4, 0x07);
    wr(r, 0, 0x00);
    wr(r, 0x0B, 0x02);
    /* updates resume on the divider's second boundaries: next at 13 s + tUC */
    advance_to(r, 13 * SEC + TUC - 1);
    ck_assert_uint_eq(rd(r, 0), 0x00);
    advance_to(r, 13 * SEC + TUC);
    ASSERT_TIME(r, 0x01, 0x45, 0x07, 0x01, 0x15, 0x01, 0x23);
    free(r);
}
END_TEST

/* Counts IRQ 8 edges in (start, start + 1 s], acknowledging each by reading C. */
static unsigned count_periodic(struct rig *r, uint8_t rs)
{
    wr(r, 0x0A, (uint8_t)(0x20 | rs));
    wr(r, 0x0B, 0x42); /* PIE */
    rd(r, 0x0C);
    ck_assert(!r->sink.level);
    unsigned before = r->sink.edges;
    uint64_t end = r->clk.now + SEC;
    while (vclock_next_deadline(&r->clk) <= end) {
        advance_to(r, vclock_next_deadline(&r->clk));
        if (r->sink.level) {
            uint8_t c = rd(r, 0x0C);
            ck_assert_uint_eq(c & 0xC0, 0xC0);
            ck_assert(!r->sink.level);
        }
    }
    advance_to(r, end);
    wr(r, 0x0B, 0x02);
    rd(r, 0x0C);
    return r->sink.edges - before;
}

START_TEST(test_periodic_rates)
{
    struct rig *r = rig_new(T_2023);
    advance(r, 123457); /* not on an edge */
    ck_assert_uint_eq(count_periodic(r, 6), 1024);
    ck_assert_uint_eq(count_periodic(r, 3), 8192);
    ck_assert_uint_eq(count_periodic(r, 15), 2);
    ck_assert_uint_eq(count_periodic(r, 1), 256); /* 1 and 2 repeat 8 and 9 at 32.768 kHz */
    ck_assert_uint_eq(count_periodic(r, 2), 128);
    ck_assert_uint_eq(count_periodic(r, 10), 64);
    ck_assert_uint_eq(count_periodic(r, 0), 0);
    free(r);
}
END_TEST

START_TEST(test_periodic_flag_without_pie)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0A, 0x2F); /* 2 Hz */
    rd(r, 0x0C);
    advance(r, 400 * MS);
    ck_assert_uint_eq(rd(r, 0x0C), 0x00);
    advance(r, 200 * MS); /* edge at 500 ms */
    ck_assert_uint_eq(rd(r, 0x0C), 0x40); /* PF, but no IRQF without PIE */
    ck_assert_uint_eq(r->sink.edges, 0);
    advance(r, 600 * MS);
    /* PF set, then PIE enabled: IRQF and the line rise at once */
    wr(r, 0x0B, 0x42);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(rd(r, 0x0C) & 0xF0, 0xD0); /* IRQF PF (and UF from the update at 1 s) */
    ck_assert(!r->sink.level);
    free(r);
}
END_TEST

START_TEST(test_alarm)
{
    struct rig *r = rig_new(T_2023); /* 10:20:30 */
    wr(r, 0x0A, 0x20); /* no periodic flag, so C reads exactly */
    wr(r, 1, 0x35);
    wr(r, 3, 0x20);
    wr(r, 5, 0x10);
    wr(r, 0x0B, 0x22); /* AIE */
    rd(r, 0x0C);
    advance_to(r, 5 * SEC + TUC - 1);
    ck_assert_uint_eq(r->sink.edges, 0);
    advance_to(r, 5 * SEC + TUC); /* 10:20:35 */
    ck_assert_uint_eq(r->sink.edges, 1);
    ck_assert_uint_eq(rd(r, 0), 0x35);
    ck_assert_uint_eq(rd(r, 0x0C), 0xB0); /* IRQF AF UF */
    ck_assert(!r->sink.level);
    advance(r, 10 * SEC);
    ck_assert_uint_eq(r->sink.edges, 1);
    ck_assert_uint_eq(rd(r, 0x0C), 0x10);
    /* don't-care seconds and minutes (0xC0-0xFF): once a second in hour 10 */
    wr(r, 1, 0xFF);
    wr(r, 3, 0xC0);
    rd(r, 0x0C);
    uint64_t base = r->sink.edges;
    for (int i = 0; i < 3; i++) {
        advance(r, SEC);
        ck_assert(r->sink.level);
        ck_assert_uint_eq(rd(r, 0x0C) & 0xA0, 0xA0);
    }
    ck_assert_uint_eq(r->sink.edges - base, 3);
    wr(r, 1, 0xBF); /* 0x80-0xBF are values, not "don't care" */
    advance(r, 3 * SEC);
    ck_assert(!r->sink.level);
    wr(r, 1, 0xC0);
    rd(r, 0x0C);
    wr(r, 5, 0x11); /* hour 11 no longer matches */
    advance(r, 3 * SEC);
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(rd(r, 0x0C) & 0x20, 0);
    /* AF is set without AIE, and found long after by polling */
    wr(r, 0x0B, 0x02);
    wr(r, 1, 0x00);
    wr(r, 3, 0x00);
    wr(r, 5, 0x11);
    advance(r, 3 * 3600 * SEC);
    ck_assert_uint_eq(rd(r, 0x0C), 0x30);
    ck_assert_uint_eq(r->sink.edges - base, 3);
    free(r);
}
END_TEST

START_TEST(test_update_ended_interrupt)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0A, 0x20);
    wr(r, 0x0B, 0x12); /* UIE */
    rd(r, 0x0C);
    for (unsigned i = 1; i <= 5; i++) {
        advance_to(r, i * SEC + TUC - 1);
        ck_assert(!r->sink.level);
        advance_to(r, i * SEC + TUC);
        ck_assert(r->sink.level);
        ck_assert_uint_eq(r->sink.edges, i);
        ck_assert_uint_eq(rd(r, 0x0C), 0x90);
        ck_assert(!r->sink.level);
    }
    free(r);
}
END_TEST

START_TEST(test_register_c_clears)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0B, 0x72); /* PIE AIE UIE */
    wr(r, 1, 0xC0);
    wr(r, 3, 0xC0);
    wr(r, 5, 0xC0);
    advance(r, 2 * SEC);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(r->sink.edges, 1); /* the line stays high until C is read */
    ck_assert_uint_eq(rd(r, 0x0C), 0xF0);
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(rd(r, 0x0C), 0x00);
    /* C and D are read-only; D reads VRT */
    wr(r, 0x0C, 0xFF);
    wr(r, 0x0D, 0x00);
    ck_assert_uint_eq(rd(r, 0x0C), 0x00);
    ck_assert_uint_eq(rd(r, 0x0D), 0x80);
    /* flags pile up while the line is high; disabling the source drops it */
    advance(r, 5 * MS);
    ck_assert(r->sink.level);
    wr(r, 0x0B, 0x02);
    ck_assert(!r->sink.level);
    ck_assert_uint_eq(rd(r, 0x0C), 0x70); /* PF, AF and UF (the update at 2 s) without IRQF */
    free(r);
}
END_TEST

START_TEST(test_divider_reset)
{
    struct rig *r = rig_new(T_2023);
    wr(r, 0x0A, 0x76); /* divider held in reset */
    wr(r, 0x0B, 0x42);
    rd(r, 0x0C);
    advance(r, 5 * SEC);
    ck_assert_uint_eq(rd(r, 0), 0x30);
    ck_assert_uint_eq(rd(r, 0x0A), 0x76);
    ck_assert_uint_eq(r->sink.edges, 0);
    uint64_t t0 = r->clk.now;
    wr(r, 0x0A, 0x26); /* released: first update cycle 500 ms later */
    wr(r, 0x0B, 0x12);
    advance_to(r, t0 + 500 * MS - 244 * US - 1);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0);
    advance_to(r, t0 + 500 * MS - 244 * US);
    ck_assert_uint_eq(rd(r, 0x0A) & 0x80, 0x80);
    advance_to(r, t0 + 500 * MS + TUC - 1);
    ck_assert_uint_eq(rd(r, 0), 0x30);
    ck_assert(!r->sink.level);
    advance_to(r, t0 + 500 * MS + TUC);
    ck_assert(r->sink.level);
    ck_assert_uint_eq(rd(r, 0), 0x31);
    advance_to(r, t0 + 1500 * MS + TUC);
    ck_assert_uint_eq(rd(r, 0), 0x32);
    /* oscillator-off / test divider values stop the clock too */
    wr(r, 0x0A, 0x06);
    advance(r, 3 * SEC);
    ck_assert_uint_eq(rd(r, 0), 0x32);
    free(r);
}
END_TEST

START_TEST(test_long_gaps_match_calendar)
{
    static const uint64_t gaps[] = {59, 3600, 86399, 86400 * 31 + 7, 86400ull * 366 + 1, 86400ull * 1500 + 4321,
                                    86400ull * 3652 + 12345, 86400ull * 7000 + 1};
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        struct rig *r = rig_new(T_2023);
        advance_to(r, gaps[g] * SEC + TUC);
        time_t t = (time_t)(T_2023 + gaps[g]);
        struct tm tm;
        gmtime_r(&t, &tm);
        uint8_t c[10];
        read_clock(r, c);
        unsigned want[7] = {(unsigned)tm.tm_sec, (unsigned)tm.tm_min, (unsigned)tm.tm_hour, (unsigned)tm.tm_wday + 1,
                            (unsigned)tm.tm_mday, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_year % 100};
        unsigned got[7] = {c[0], c[2], c[4], c[6], c[7], c[8], c[9]};
        for (int i = 0; i < 7; i++) {
            unsigned w = want[i] / 10 * 16 + want[i] % 10;
            ck_assert_msg(got[i] == w, "gap %llu field %d: got %02x want %02x", (unsigned long long)gaps[g], i,
                          got[i], w);
        }
        free(r);
    }
}
END_TEST

START_TEST(test_cmos_ram_and_index)
{
    struct rig *r = rig_new(T_2023);
    for (unsigned i = 0x0E; i < 128; i++)
        wr(r, (uint8_t)i, (uint8_t)(i ^ 0x5A));
    for (unsigned i = 0x0E; i < 128; i++)
        ck_assert_uint_eq(rd(r, (uint8_t)i), (uint8_t)(i ^ 0x5A));
    /* bit 7 of the index is the NMI mask, not part of the index */
    iobus_write(&r->bus, 0x70, 0x80 | 0x40, 1);
    ck_assert(rtc_cmos_nmi_masked(&r->rtc));
    ck_assert_uint_eq(iobus_read(&r->bus, 0x71, 1), 0x40 ^ 0x5A);
    iobus_write(&r->bus, 0x70, 0x40, 1);
    ck_assert(!rtc_cmos_nmi_masked(&r->rtc));
    ck_assert_uint_eq(iobus_read(&r->bus, 0x70, 1), 0xFF); /* write-only */
    /* the machine's index wraps to 128 bytes */
    rtc_cmos_set_byte(&r->rtc, 0x40 + 128, 0x77);
    ck_assert_uint_eq(rd(r, 0x40), 0x77);
    ck_assert_uint_eq(rtc_cmos_get_byte(&r->rtc, 0x40 + 256), 0x77);
    /* wide accesses are split into bytes */
    iobus_write(&r->bus, 0x70, 0x1234 & 0xFF7F, 2); /* index 0x34, data 0x12 */
    ck_assert_uint_eq(rd(r, 0x34), 0x12);
    free(r);
}
END_TEST

static uint64_t seabios_ram_size(struct rig *r)
{
    uint32_t rs = (uint32_t)rd(r, 0x34) << 16 | (uint32_t)rd(r, 0x35) << 24;
    if (rs)
        rs += 16u << 20;
    else
        rs = ((uint32_t)rd(r, 0x30) << 10 | (uint32_t)rd(r, 0x31) << 18) + (1u << 20);
    return rs;
}

static uint64_t seabios_high_ram(struct rig *r)
{
    return (uint64_t)rd(r, 0x5B) << 16 | (uint64_t)rd(r, 0x5C) << 24 | (uint64_t)rd(r, 0x5D) << 32;
}

START_TEST(test_memory_size)
{
    struct rig *r = rig_new(T_2023);
    rtc_cmos_set_memory_size(&r->rtc, 32u << 20);
    ck_assert_uint_eq(rd(r, 0x15) | rd(r, 0x16) << 8, 640);
    ck_assert_uint_eq(rd(r, 0x17) | rd(r, 0x18) << 8, 31 * 1024);
    ck_assert_uint_eq(rd(r, 0x30) | rd(r, 0x31) << 8, 31 * 1024);
    ck_assert_uint_eq(rd(r, 0x34) | rd(r, 0x35) << 8, 256);
    ck_assert_uint_eq(seabios_ram_size(r), 32u << 20);
    ck_assert_uint_eq(seabios_high_ram(r), 0);

    rtc_cmos_set_memory_size(&r->rtc, 8u << 20); /* below 16 MiB: 0x30-0x31 only */
    ck_assert_uint_eq(rd(r, 0x34) | rd(r, 0x35), 0);
    ck_assert_uint_eq(seabios_ram_size(r), 8u << 20);

    rtc_cmos_set_memory_size(&r->rtc, 512u << 10); /* 512 KiB */
    ck_assert_uint_eq(rd(r, 0x15) | rd(r, 0x16) << 8, 512);
    ck_assert_uint_eq(rd(r, 0x30) | rd(r, 0x31) << 8, 0);

    rtc_cmos_set_memory_size(&r->rtc, 6ull << 30);
    ck_assert_uint_eq(rd(r, 0x30) | rd(r, 0x31) << 8, 0xFFFF);
    ck_assert_uint_eq(rd(r, 0x17) | rd(r, 0x18) << 8, 0xFFFF);
    ck_assert_uint_eq(seabios_ram_size(r), RTC_CMOS_LOWMEM_MAX);
    ck_assert_uint_eq(seabios_high_ram(r), (6ull << 30) - RTC_CMOS_LOWMEM_MAX);

    rtc_cmos_set_memory_layout(&r->rtc, 2ull << 30, 1ull << 39);
    ck_assert_uint_eq(seabios_ram_size(r), 2ull << 30);
    ck_assert_uint_eq(seabios_high_ram(r), 1ull << 39);
    free(r);
}
END_TEST

START_TEST(test_bios_bytes)
{
    struct rig *r = rig_new(T_2023);
    rtc_cmos_set_floppy_types(&r->rtc, 4, 0);
    ck_assert_uint_eq(rd(r, 0x10), 0x40);
    ck_assert_uint_eq(rd(r, 0x14) & 0xC1, 0x01);
    rtc_cmos_set_floppy_types(&r->rtc, 4, 2);
    ck_assert_uint_eq(rd(r, 0x10), 0x42);
    ck_assert_uint_eq(rd(r, 0x14) & 0xC1, 0x41);
    rtc_cmos_set_boot_order(&r->rtc, RTC_BOOT_CDROM, RTC_BOOT_DISK, RTC_BOOT_FLOPPY, false);
    ck_assert_uint_eq(rd(r, 0x3D), 0x23);
    ck_assert_uint_eq(rd(r, 0x38), 0x11);
    rtc_cmos_set_cpu_count(&r->rtc, 4);
    ck_assert_uint_eq(rd(r, 0x5F), 3);
    /* AT checksum over 0x10-0x2D */
    rtc_cmos_set_byte(&r->rtc, 0x2D, 0xF0);
    unsigned sum = 0;
    for (uint8_t i = 0x10; i <= 0x2D; i++)
        sum += rd(r, i);
    ck_assert_uint_eq(rd(r, 0x2E) << 8 | rd(r, 0x2F), sum);
    /* the machine can program registers too */
    rtc_cmos_set_byte(&r->rtc, 0x0B, 0x06);
    ck_assert_uint_eq(rd(r, 0x0B), 0x06);
    free(r);
}
END_TEST

START_TEST(test_garbage)
{
    struct rig *r = rig_new(T_2023);
    /* out-of-range BCD: the field wraps on its next increment, with a carry */
    wr(r, 0x0B, 0x82);
    wr(r, 0, 0x7A);
    wr(r, 2, 0x59);
    wr(r, 4, 0x3F);
    wr(r, 7, 0x45);
    wr(r, 8, 0x13);
    wr(r, 0x0B, 0x02);
    advance(r, SEC + TUC);
    ASSERT_TIME(r, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01, 0x24);
    /* 12-hour byte 0x00 is out of range: next hour carry goes to 12 AM */
    wr(r, 0x0B, 0x80);
    wr(r, 4, 0x00);
    wr(r, 2, 0x59);
    wr(r, 0, 0x59);
    wr(r, 0x0B, 0x00);
    advance(r, SEC);
    ck_assert_uint_eq(rd(r, 4), 0x12);
    /* anything anywhere, then a long run: no crash, sane ranges */
    uint32_t x = 12345;
    for (int i = 0; i < 4000; i++) {
        x = x * 1103515245 + 12345;
        iobus_write(&r->bus, (uint16_t)(0x70 + (x >> 8 & 1)), x >> 16, 1);
        if (i % 64 == 0)
            advance(r, (x >> 4) % (3 * SEC));
    }
    wr(r, 0x0A, 0x26);
    wr(r, 0x0B, 0x06);
    advance(r, 400ull * 86400 * SEC);
    ck_assert_uint_lt(rd(r, 0), 60);
    ck_assert_uint_lt(rd(r, 2), 60);
    ck_assert_uint_lt(rd(r, 4), 24);
    ck_assert_uint_lt(rd(r, 9), 100);
    free(r);
}
END_TEST

static Suite *rtc_suite(void)
{
    Suite *s = suite_create("rtc_cmos");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, test_time_bcd);
    tcase_add_test(tc, test_time_binary);
    tcase_add_test(tc, test_12_hour);
    tcase_add_test(tc, test_uip_window);
    tcase_add_test(tc, test_set_freezes_and_sets_base);
    tcase_add_test(tc, test_divider_reset);
    tcase_add_test(tc, test_long_gaps_match_calendar);
    suite_add_tcase(s, tc);
    tc = tcase_create("interrupts");
    tcase_add_test(tc, test_periodic_rates);
    tcase_add_test(tc, test_periodic_flag_without_pie);
    tcase_add_test(tc, test_alarm);
    tcase_add_test(tc, test_update_ended_interrupt);
    tcase_add_test(tc, test_register_c_clears);
    suite_add_tcase(s, tc);
    tc = tcase_create("cmos");
    tcase_add_test(tc, test_cmos_ram_and_index);
    tcase_add_test(tc, test_memory_size);
    tcase_add_test(tc, test_bios_bytes);
    tcase_add_test(tc, test_garbage);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rtc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
