/* MC146818A real-time clock plus RAM (see rtc_cmos.h).
 *
 * Follows the Motorola MC146818A datasheet: "Address Map" (14 clock bytes,
 * 50/114 RAM bytes), "Time, Calendar and Alarm Locations" (BCD or binary per
 * DM, 12/24-hour per register B bit 1, PM in bit 7 of the hour byte, alarm
 * bytes 0xC0-0xFF are "don't care"), "Registers" A-D (UIP, DV2-0 divider
 * control with the first update half a second after the divider reset is
 * released, RS3-0 periodic rates, SET aborting and inhibiting updates and
 * clearing UIE, IRQF = PF.PIE + AF.AIE + UF.UIE, register C cleared by
 * reading, VRT), Table 6 (UIP is high for tBUC = 244 us before an update
 * cycle and during it, tUC = 1984 us with the 32.768 kHz time base) and
 * "Update Cycle" (the alarm is compared and UF set at the end of each update
 * cycle).  DV values other than 010 (time base on) and 11x (divider reset)
 * are test modes or the oscillator off on PC-compatible parts: the divider is
 * stopped.  Not modelled: daylight saving (DSE is stored only), the SQW pin.
 *
 * Model: the clock bytes are stored exactly as written and reinterpreted in
 * the current DM/24-12 modes, as on the chip (changing modes does not convert
 * them).  Update cycles end at div_origin + k s + tUC; those between the last
 * access and now are applied in one step when the registers are touched.  An
 * out-of-range value (a guest's garbage) goes to the lowest value of its field
 * with a carry on its next increment. */
#include "rtc_cmos.h"

#include <stdio.h>
#include <string.h>

#define NS_PER_SEC 1000000000ull
#define RTC_TBUC_NS 244000ull  /* UIP high before an update cycle */
#define RTC_TUC_NS 1984000ull  /* update cycle length, 32.768 kHz time base */
#define RTC_HZ 32768ull        /* time-base frequency on a PC */
#define SECS_PER_DAY 86400ull

enum { REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C, REG_D = 0x0D };
enum { A_UIP = 0x80, A_DV = 0x70, A_RS = 0x0F };
enum { B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_DM = 0x04, B_24H = 0x02 };
enum { C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10 };
enum { D_VRT = 0x80 };

/* ---- divider chain ------------------------------------------------------ */

/* Time-base ticks since div_origin at time t (t >= div_origin). */
static uint64_t rtc_ticks_at(const struct rtc_cmos *rtc, uint64_t t)
{
    uint64_t d = (uint64_t)((int64_t)t - rtc->div_origin);
    return d / NS_PER_SEC * RTC_HZ + d % NS_PER_SEC * RTC_HZ / NS_PER_SEC;
}

/* First virtual ns at or after time-base tick k (1e9 / 32768 = 1953125 / 64 ns). */
static uint64_t rtc_tick_time(const struct rtc_cmos *rtc, uint64_t k)
{
    uint64_t ns = k / RTC_HZ * NS_PER_SEC + (k % RTC_HZ * 1953125 + 63) / 64;
    return (uint64_t)(rtc->div_origin + (int64_t)ns);
}

/* Period of the periodic-interrupt tap in time-base ticks, 0 for none
 * (datasheet Table 5, 32.768 kHz column: rates 1 and 2 repeat 8 and 9). */
static uint64_t rtc_pi_period(const struct rtc_cmos *rtc)
{
    unsigned rs = rtc->ram[REG_A] & A_RS;
    if (rs == 0)
        return 0;
    if (rs < 3)
        rs += 7;
    return 1ull << (rs - 1);
}

/* The first periodic edge strictly after time t. */
static uint64_t rtc_next_edge(const struct rtc_cmos *rtc, uint64_t t, uint64_t period)
{
    return rtc_tick_time(rtc, (rtc_ticks_at(rtc, t) / period + 1) * period);
}

static bool rtc_uip(const struct rtc_cmos *rtc, uint64_t now)
{
    if (!rtc->running || (rtc->ram[REG_B] & B_SET))
        return false;
    uint64_t d = (uint64_t)((int64_t)now - rtc->div_origin);
    uint64_t phase = d % NS_PER_SEC; /* update cycles start at phase 0 */
    if (phase >= NS_PER_SEC - RTC_TBUC_NS)
        return true;
    /* the cycle at the origin itself never runs: the origin is the start time
     * (init) or half a second before the divider left reset */
    return phase < RTC_TUC_NS && d >= NS_PER_SEC;
}

/* ---- calendar ----------------------------------------------------------- */

struct rtc_fields {
    unsigned sec, min, hour, dow, dom, mon, year;
};

static unsigned rtc_from_bcd(uint8_t v) { return (v >> 4) * 10u + (v & 15u); }
static uint8_t rtc_to_bcd(unsigned v) { return (uint8_t)((v / 10) << 4 | v % 10); }

static unsigned rtc_dec(const struct rtc_cmos *rtc, uint8_t v)
{
    return (rtc->ram[REG_B] & B_DM) ? v : rtc_from_bcd(v);
}

static uint8_t rtc_enc(const struct rtc_cmos *rtc, unsigned v)
{
    return (rtc->ram[REG_B] & B_DM) ? (uint8_t)v : rtc_to_bcd(v);
}

/* Hour byte to 0-23 (24 or more when out of range). */
static unsigned rtc_dec_hour(const struct rtc_cmos *rtc, uint8_t v)
{
    if (rtc->ram[REG_B] & B_24H)
        return rtc_dec(rtc, v);
    unsigned h = rtc_dec(rtc, v & 0x7F);
    if (h == 0 || h > 12)
        return 24 + h;
    return h % 12 + ((v & 0x80) ? 12 : 0);
}

static uint8_t rtc_enc_hour(const struct rtc_cmos *rtc, unsigned h)
{
    if (rtc->ram[REG_B] & B_24H)
        return rtc_enc(rtc, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(rtc_enc(rtc, h12) | (h >= 12 ? 0x80 : 0));
}

/* Chip leap rule: a year divisible by 4 (right for 1901-2099). */
static unsigned rtc_month_days(unsigned mon, unsigned year)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12)
        return 31;
    return mon == 2 && year % 4 == 0 ? 29 : days[mon - 1];
}

/* Adds n increments to a field counting lo..hi; returns the carries out. */
static uint64_t rtc_field_add(unsigned *v, uint64_t n, unsigned lo, unsigned hi)
{
    if (n == 0)
        return 0;
    uint64_t carry = 0;
    if (*v > hi) { /* out of range: the next increment wraps */
        *v = lo;
        carry = 1;
        n--;
    } else if (*v < lo) {
        (*v)++;
        n--;
    }
    uint64_t span = hi - lo + 1;
    uint64_t t = (*v - lo) + n;
    *v = lo + (unsigned)(t % span);
    return carry + t / span;
}

static void rtc_month_inc(struct rtc_fields *f)
{
    if (++f->mon > 12) {
        f->mon = 1;
        f->year = f->year >= 99 ? 0 : f->year + 1;
    }
}

static void rtc_days_add(struct rtc_fields *f, uint64_t n)
{
    rtc_field_add(&f->dow, n, 1, 7); /* day of week runs on its own */
    while (n > 0) {
        unsigned md = rtc_month_days(f->mon, f->year);
        bool valid = f->dom >= 1 && f->dom <= md && f->mon >= 1 && f->mon <= 12 && f->year <= 99;
        if (valid && n >= 1461) { /* four years hold one leap day, from any date */
            f->year = (unsigned)((f->year + 4 * (n / 1461 % 25)) % 100);
            n %= 1461;
        } else if (f->dom > md) {
            f->dom = 1;
            rtc_month_inc(f);
            n--;
        } else if (f->dom == 0) {
            f->dom = 1;
            n--;
        } else if (n <= md - f->dom) {
            f->dom += (unsigned)n;
            n = 0;
        } else {
            n -= md - f->dom + 1;
            f->dom = 1;
            rtc_month_inc(f);
        }
    }
}

/* Advances the clock bytes by n seconds; bytes whose field did not move keep
 * their stored value (so garbage stays until it rolls). */
static void rtc_add_seconds(struct rtc_cmos *rtc, uint64_t n)
{
    uint8_t *r = rtc->ram;
    struct rtc_fields f = {rtc_dec(rtc, r[0]), rtc_dec(rtc, r[2]), rtc_dec_hour(rtc, r[4]), rtc_dec(rtc, r[6]),
                           rtc_dec(rtc, r[7]), rtc_dec(rtc, r[8]), rtc_dec(rtc, r[9])};
    uint64_t c_min = rtc_field_add(&f.sec, n, 0, 59);
    uint64_t c_hour = rtc_field_add(&f.min, c_min, 0, 59);
    uint64_t days = rtc_field_add(&f.hour, c_hour, 0, 23);
    struct rtc_fields old = f;
    rtc_days_add(&f, days);
    r[0] = rtc_enc(rtc, f.sec);
    if (c_min)
        r[2] = rtc_enc(rtc, f.min);
    if (c_hour)
        r[4] = rtc_enc_hour(rtc, f.hour);
    if (days) {
        r[6] = rtc_enc(rtc, f.dow);
        r[7] = rtc_enc(rtc, f.dom);
        if (f.mon != old.mon || f.year != old.year)
            r[8] = rtc_enc(rtc, f.mon);
        if (f.year != old.year)
            r[9] = rtc_enc(rtc, f.year);
    }
}

static bool rtc_alarm_match(const struct rtc_cmos *rtc)
{
    const uint8_t *r = rtc->ram;
    for (unsigned i = 0; i < 6; i += 2)
        if (r[i + 1] < 0xC0 && r[i + 1] != r[i])
            return false;
    return true;
}

/* n update cycles end: the time advances, UF is set, AF if the alarm matched
 * at the end of any of them. */
static void rtc_run_updates(struct rtc_cmos *rtc, uint64_t n)
{
    rtc->ram[REG_C] |= C_UF;
    /* Stepping one second at a time until AF is set; after two days of
     * stepping every time of day has come by (an out-of-range field is back
     * in range within one day), so the alarm can no longer match. */
    uint64_t steps = 0;
    while (n > 0 && !(rtc->ram[REG_C] & C_AF) && steps < 2 * SECS_PER_DAY) {
        rtc_add_seconds(rtc, 1);
        if (rtc_alarm_match(rtc))
            rtc->ram[REG_C] |= C_AF;
        n--;
        steps++;
    }
    if (n > 0)
        rtc_add_seconds(rtc, n);
}

/* ---- time accounting and interrupts ------------------------------------- */

/* Accounts periodic edges and update cycles in (last_sync, now]. */
static void rtc_sync(struct rtc_cmos *rtc, uint64_t now)
{
    if (now <= rtc->last_sync)
        return;
    if (rtc->running) {
        uint64_t period = rtc_pi_period(rtc);
        if (period && !(rtc->ram[REG_C] & C_PF) && rtc_next_edge(rtc, rtc->last_sync, period) <= now)
            rtc->ram[REG_C] |= C_PF; /* set whether or not PIE is */
        if (rtc->next_update <= now) {
            uint64_t n = (now - rtc->next_update) / NS_PER_SEC + 1;
            rtc->next_update += n * NS_PER_SEC;
            if (!(rtc->ram[REG_B] & B_SET))
                rtc_run_updates(rtc, n);
        }
    }
    rtc->last_sync = now;
}

static bool rtc_irqf(const struct rtc_cmos *rtc)
{
    /* PF/AF/UF (C bits 6-4) line up with PIE/AIE/UIE (B bits 6-4) */
    return (rtc->ram[REG_C] & rtc->ram[REG_B] & (C_PF | C_AF | C_UF)) != 0;
}

static void rtc_update_irq(struct rtc_cmos *rtc)
{
    bool level = rtc_irqf(rtc);
    if (level != rtc->irq_level) {
        rtc->irq_level = level;
        irq_set(&rtc->irq, level);
    }
}

/* Arms the event for the next time an enabled flag can raise IRQ 8. */
static void rtc_rearm(struct rtc_cmos *rtc, uint64_t now)
{
    uint64_t deadline = UINT64_MAX;
    uint8_t b = rtc->ram[REG_B], c = rtc->ram[REG_C];
    if (rtc->running && !rtc->irq_level) {
        uint64_t period = rtc_pi_period(rtc);
        if ((b & B_PIE) && period && !(c & C_PF))
            deadline = rtc_next_edge(rtc, now, period);
        if (!(b & B_SET) && (((b & B_UIE) && !(c & C_UF)) || ((b & B_AIE) && !(c & C_AF))) &&
            rtc->next_update < deadline)
            deadline = rtc->next_update;
    }
    if (deadline == UINT64_MAX)
        vclock_cancel(rtc->clk, &rtc->ev);
    else
        vclock_arm(rtc->clk, &rtc->ev, deadline);
}

static void rtc_fire(void *dev, uint64_t now)
{
    struct rtc_cmos *rtc = dev;
    rtc_sync(rtc, now);
    rtc_update_irq(rtc);
    rtc_rearm(rtc, now);
}

/* ---- registers ---------------------------------------------------------- */

static void rtc_write_a(struct rtc_cmos *rtc, uint8_t v, uint64_t now)
{
    unsigned dv = (v & A_DV) >> 4;
    rtc->ram[REG_A] = v & (uint8_t)~A_UIP; /* UIP is read-only */
    if (dv != 2) {
        rtc->running = false; /* 11x: divider held in reset; others: test modes / oscillator off */
    } else if (!rtc->running) {
        /* leaving reset: the first update cycle begins half a second later */
        rtc->running = true;
        rtc->div_origin = (int64_t)now - (int64_t)(NS_PER_SEC / 2);
        rtc->next_update = now + NS_PER_SEC / 2 + RTC_TUC_NS;
    }
}

static uint8_t rtc_reg_read(struct rtc_cmos *rtc, unsigned reg, bool side_effects)
{
    uint64_t now = vclock_now(rtc->clk);
    switch (reg) {
    case REG_A:
        rtc_sync(rtc, now);
        return (uint8_t)(rtc->ram[REG_A] | (rtc_uip(rtc, now) ? A_UIP : 0));
    case REG_C: {
        rtc_sync(rtc, now);
        uint8_t v = (uint8_t)(rtc->ram[REG_C] | (rtc_irqf(rtc) ? C_IRQF : 0));
        if (side_effects) { /* reading C clears every flag and releases IRQ 8 */
            rtc->ram[REG_C] = 0;
            rtc_update_irq(rtc);
            rtc_rearm(rtc, now);
        }
        return v;
    }
    case REG_D:
        return D_VRT; /* the battery is always good */
    default:
        if (reg < REG_A)
            rtc_sync(rtc, now);
        return rtc->ram[reg];
    }
}

static void rtc_reg_write(struct rtc_cmos *rtc, unsigned reg, uint8_t v)
{
    uint64_t now = vclock_now(rtc->clk);
    switch (reg) {
    case REG_A:
        rtc_sync(rtc, now);
        rtc_write_a(rtc, v, now);
        break;
    case REG_B:
        rtc_sync(rtc, now);
        if (v & B_SET)
            v &= (uint8_t)~B_UIE; /* SET going high clears UIE */
        rtc->ram[REG_B] = v;
        break;
    case REG_C:
    case REG_D:
        return; /* read-only */
    default:
        if (reg < REG_A)
            rtc_sync(rtc, now); /* updates so far count against the old value */
        rtc->ram[reg] = v;
        return;
    }
    rtc_update_irq(rtc);
    rtc_rearm(rtc, now);
}

static uint32_t rtc_port_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct rtc_cmos *rtc = dev;
    if (offset == 0)
        return 0xFF; /* the index port is write-only */
    return rtc_reg_read(rtc, rtc->index, true);
}

static void rtc_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct rtc_cmos *rtc = dev;
    if (offset == 0) {
        rtc->index = value & 0x7F;
        rtc->nmi_masked = (value & 0x80) != 0;
    } else {
        rtc_reg_write(rtc, rtc->index, (uint8_t)value);
    }
}

/* ---- machine interface -------------------------------------------------- */

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void rtc_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    uint64_t doe = (uint64_t)(z - era * 146097);
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void rtc_set_time(struct rtc_cmos *rtc, time_t start)
{
    int64_t t = (int64_t)start;
    int64_t days = (t >= 0 ? t : t - (int64_t)SECS_PER_DAY + 1) / (int64_t)SECS_PER_DAY;
    unsigned secs = (unsigned)(t - days * (int64_t)SECS_PER_DAY);
    int64_t year;
    unsigned mon, dom;
    rtc_civil_from_days(days, &year, &mon, &dom);
    unsigned y100 = (unsigned)(((year % 100) + 100) % 100);
    unsigned century = (unsigned)((((year - (int64_t)y100) / 100) % 100 + 100) % 100);
    uint8_t *r = rtc->ram;
    r[0] = rtc_enc(rtc, secs % 60);
    r[2] = rtc_enc(rtc, secs / 60 % 60);
    r[4] = rtc_enc_hour(rtc, secs / 3600);
    r[6] = rtc_enc(rtc, (unsigned)(((days + 4) % 7 + 7) % 7) + 1); /* 1970-01-01 was a Thursday; Sunday = 1 */
    r[7] = rtc_enc(rtc, dom);
    r[8] = rtc_enc(rtc, mon);
    r[9] = rtc_enc(rtc, y100);
    r[RTC_CMOS_CENTURY] = rtc_to_bcd(century); /* BIOS convention: always BCD */
}

int rtc_cmos_init(struct rtc_cmos *rtc, struct iobus *bus, struct vclock *clk, const struct irq_line *irq,
                  time_t start, char *err, size_t err_len)
{
    memset(rtc, 0, sizeof *rtc);
    rtc->clk = clk;
    if (irq)
        rtc->irq = *irq;
    rtc->ev.fire = rtc_fire;
    rtc->ev.dev = rtc;
    rtc->ev.name = "rtc";
    uint64_t now = vclock_now(clk);
    /* A battery-backed chip that has been running: time base on, 1024 Hz
     * rate, 24-hour BCD (what PC BIOSes program); the next second ends 1 s
     * after the start time. */
    rtc->ram[REG_A] = 0x26;
    rtc->ram[REG_B] = B_24H;
    rtc->ram[REG_D] = D_VRT;
    rtc->running = true;
    rtc->div_origin = (int64_t)now;
    rtc->next_update = now + NS_PER_SEC + RTC_TUC_NS;
    rtc->last_sync = now;
    rtc_set_time(rtc, start);
    struct io_region r = {.name = "rtc-cmos", .base = RTC_CMOS_PORT, .size = 2, .widths = 1,
                          .read = rtc_port_read, .write = rtc_port_write, .dev = rtc};
    return iobus_register(bus, &r, err, err_len);
}

static void rtc_update_checksum(struct rtc_cmos *rtc)
{
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2D; i++)
        sum += rtc->ram[i];
    rtc->ram[RTC_CMOS_CHECKSUM_HI] = (uint8_t)(sum >> 8);
    rtc->ram[RTC_CMOS_CHECKSUM_LO] = (uint8_t)sum;
}

void rtc_cmos_set_byte(struct rtc_cmos *rtc, unsigned index, uint8_t value)
{
    index &= 0x7F;
    if (index <= REG_D) {
        rtc_reg_write(rtc, index, value);
        return;
    }
    rtc->ram[index] = value;
    if (index >= 0x10 && index <= 0x2D)
        rtc_update_checksum(rtc);
}

uint8_t rtc_cmos_get_byte(struct rtc_cmos *rtc, unsigned index)
{
    return rtc_reg_read(rtc, index & 0x7F, false);
}

static void rtc_set_word(struct rtc_cmos *rtc, unsigned index, uint64_t v)
{
    rtc_cmos_set_byte(rtc, index, (uint8_t)v);
    rtc_cmos_set_byte(rtc, index + 1, (uint8_t)(v >> 8));
}

void rtc_cmos_set_memory_layout(struct rtc_cmos *rtc, uint64_t below_4g, uint64_t above_4g)
{
    const uint64_t kib = 1024, mib = 1024 * kib;
    uint64_t base = below_4g < 640 * kib ? below_4g : 640 * kib;
    uint64_t ext = below_4g > mib ? (below_4g - mib) / kib : 0;
    uint64_t ext16 = below_4g > 16 * mib ? (below_4g - 16 * mib) / (64 * kib) : 0;
    uint64_t high = above_4g / (64 * kib);
    if (ext > 0xFFFF)
        ext = 0xFFFF;
    if (ext16 > 0xFFFF)
        ext16 = 0xFFFF;
    if (high > 0xFFFFFF)
        high = 0xFFFFFF;
    rtc_set_word(rtc, RTC_CMOS_BASE_MEM_LO, base / kib);
    rtc_set_word(rtc, RTC_CMOS_OLD_EXT_MEM_LO, ext);
    rtc_set_word(rtc, RTC_CMOS_EXT_MEM_LO, ext);
    rtc_set_word(rtc, RTC_CMOS_EXT_MEM2_LO, ext16);
    rtc_cmos_set_byte(rtc, RTC_CMOS_HIGH_MEM_LO, (uint8_t)high);
    rtc_cmos_set_byte(rtc, RTC_CMOS_HIGH_MEM_MID, (uint8_t)(high >> 8));
    rtc_cmos_set_byte(rtc, RTC_CMOS_HIGH_MEM_HI, (uint8_t)(high >> 16));
}

void rtc_cmos_set_memory_size(struct rtc_cmos *rtc, uint64_t ram_bytes)
{
    uint64_t below = ram_bytes < RTC_CMOS_LOWMEM_MAX ? ram_bytes : RTC_CMOS_LOWMEM_MAX;
    rtc_cmos_set_memory_layout(rtc, below, ram_bytes - below);
}

void rtc_cmos_set_floppy_types(struct rtc_cmos *rtc, unsigned drive_a, unsigned drive_b)
{
    drive_a &= 0x0F;
    drive_b &= 0x0F;
    rtc_cmos_set_byte(rtc, RTC_CMOS_FLOPPY_TYPES, (uint8_t)(drive_a << 4 | drive_b));
    unsigned count = (drive_a ? 1u : 0u) + (drive_b ? 1u : 0u);
    uint8_t eq = rtc->ram[RTC_CMOS_EQUIPMENT] & 0x3E;
    if (count)
        eq |= (uint8_t)(0x01 | (count - 1) << 6);
    rtc_cmos_set_byte(rtc, RTC_CMOS_EQUIPMENT, eq);
}

void rtc_cmos_set_boot_order(struct rtc_cmos *rtc, enum rtc_cmos_boot_dev first, enum rtc_cmos_boot_dev second,
                             enum rtc_cmos_boot_dev third, bool check_floppy_signature)
{
    rtc_cmos_set_byte(rtc, RTC_CMOS_BOOT_FLAG2, (uint8_t)((first & 0x0F) | (second & 0x0F) << 4));
    /* Bit 0 of 0x38 set means "do not check the floppy boot signature"
     * (SeaBIOS src/boot.c: `if (rtc_read(CMOS_BIOS_BOOTFLAG1) & 1) CheckFloppySig = 0`). */
    rtc_cmos_set_byte(rtc, RTC_CMOS_BOOT_FLAG1, (uint8_t)((third & 0x0F) << 4 | (check_floppy_signature ? 0 : 1)));
}

void rtc_cmos_set_cpu_count(struct rtc_cmos *rtc, unsigned cpus)
{
    rtc_cmos_set_byte(rtc, RTC_CMOS_CPU_COUNT, (uint8_t)(cpus ? cpus - 1 : 0));
}
