/* Intel 8254 PIT and port 0x61 (see pit8254.h).
 *
 * Followed: Intel 8254 datasheet (231164): "Control Word Register", "Write
 * Operations", "Read Operations" (counter latch command, read-back command,
 * status byte and its null count bit), "Mode Definitions" (modes 0-5, with
 * the "GATE Pin Operations Summary" table), "Operation Common to All Modes"
 * (a count of 0 is the largest count: 2^16 binary, 10^4 BCD; LSB-only and
 * MSB-only writes zero the other byte).  PIIX3 datasheet: NMI status and
 * control register (port 61h) bits 0, 1, 4, 5.
 *
 * Time model: CLK pulse p happens at the first virtual nanosecond t with
 * floor(t * 1193182 / 1e9) >= p, and a port access at t sees pulses up to
 * that tick.  A count written at tick t is loaded on pulse t + 1 and counted
 * down on the following pulses.  A counter is a closed form of (pulses since
 * `base`), rebased only when the guest programs it or its gate changes; so
 * reading never changes timing and nothing ticks. */
#include "pit8254.h"

#define PIT_NEVER UINT64_MAX
#define NS_PER_S 1000000000u

static uint64_t pit_tick(uint64_t ns)
{
    return ns / NS_PER_S * PIT8254_HZ + ns % NS_PER_S * PIT8254_HZ / NS_PER_S;
}

/* The first nanosecond at which pulse `tick` has happened. */
static uint64_t pit_tick_ns(uint64_t tick)
{
    return tick / PIT8254_HZ * NS_PER_S + (tick % PIT8254_HZ * NS_PER_S + PIT8254_HZ - 1) / PIT8254_HZ;
}

static uint64_t pit_now(const struct pit8254 *pit) { return pit_tick(vclock_now(pit->clk)); }

static uint32_t pit_modulus(const struct pit8254_counter *c) { return c->bcd ? 10000u : 65536u; }

/* The count register as a number of pulses.  BCD digits above 9 (garbage)
 * still weigh 1, 10, 100, 1000: a decade counter counts them down the same. */
static uint32_t pit_count_value(const struct pit8254_counter *c)
{
    uint32_t v = c->cr;
    if (c->bcd)
        v = (v >> 12 & 15u) * 1000u + (v >> 8 & 15u) * 100u + (v >> 4 & 15u) * 10u + (v & 15u);
    return v ? v : pit_modulus(c);
}

static uint16_t pit_encode(const struct pit8254_counter *c, uint32_t ce)
{
    ce %= pit_modulus(c);
    if (!c->bcd)
        return (uint16_t)ce;
    return (uint16_t)((ce / 1000u) << 12 | (ce / 100u % 10u) << 8 | (ce / 10u % 10u) << 4 | ce % 10u);
}

static uint32_t pit_half(uint32_t n) { return (n + 1) / 2; } /* mode 3: pulses OUT is high */

/* CE and OUT of a running counter at pulse t (no reload pending at or before t). */
static void pit_eval_run(const struct pit8254_counter *c, uint64_t t, uint32_t *ce, bool *out)
{
    if (t < c->base) {
        *ce = c->hold_ce;
        *out = c->hold_out;
        return;
    }
    uint64_t k = t - c->base;
    uint32_t m = pit_modulus(c);
    if (c->mode == 2 || c->mode == 3) {
        uint32_t n = c->n, j = (uint32_t)((k + c->j0) % n);
        if (c->mode == 2) {
            /* Loaded with N, OUT low for the one pulse the count is 1, reload. */
            *ce = n - j;
            *out = j != n - 1;
        } else {
            /* Counts down by two from N (N - 1 if odd) twice per period: OUT
             * high for (N + 1) / 2 pulses, low for N / 2. */
            uint32_t h = pit_half(n), even = n & ~1u;
            *out = j < h;
            *ce = even - 2u * (*out ? j : j - h);
        }
    } else if (c->expired) {
        *ce = (uint32_t)((c->cnt + m - k % m) % m);
        *out = true;
    } else {
        /* Modes 0 and 1: OUT high from terminal count on; modes 4 and 5: low
         * for the one pulse of terminal count.  The count wraps on. */
        *ce = k <= c->cnt ? (uint32_t)(c->cnt - k) : (uint32_t)((m - (k - c->cnt) % m) % m);
        *out = (c->mode == 0 || c->mode == 1) ? k >= c->cnt : k != c->cnt;
    }
    *ce %= m;
}

/* Loads a count written during counting in mode 2 or 3 once its time has come. */
static void pit_sync(struct pit8254_counter *c, uint64_t t)
{
    if (c->state != PIT8254_RUN || !c->reload_pending || t < c->reload_at)
        return;
    pit_eval_run(c, c->reload_at - 1, &c->hold_ce, &c->hold_out);
    c->base = c->reload_at;
    c->n = c->reload_n;
    c->j0 = c->reload_low ? pit_half(c->n) : 0;
    c->reload_pending = false;
}

static void pit_eval(struct pit8254_counter *c, uint64_t t, uint32_t *ce, bool *out)
{
    pit_sync(c, t);
    if (c->state == PIT8254_RUN) {
        pit_eval_run(c, t, ce, out);
    } else {
        *ce = c->hold_ce;
        *out = c->hold_out;
    }
}

/* The first pulse after t at which OUT changes (rises only, if rise_only).
 * The one-pulse lows of modes 2, 4 and 5 are not separate edges: a rise at
 * their end stands for the pulse. */
static uint64_t pit_next_change_run(const struct pit8254_counter *c, uint64_t t, bool rise_only)
{
    if (t < c->base) {
        uint32_t ce;
        bool at_base;
        pit_eval_run(c, c->base, &ce, &at_base);
        if (at_base != c->hold_out && (at_base || !rise_only))
            return c->base;
        t = c->base;
    }
    uint64_t k = t - c->base;
    switch (c->mode) {
    case 2:
    case 3: {
        uint32_t n = c->n, j = (uint32_t)((k + c->j0) % n), h = pit_half(n);
        if (n <= 1)
            return PIT_NEVER;
        if (c->mode == 3 && !rise_only && j < h)
            return t + (h - j);
        return t + (n - j);
    }
    case 0:
    case 1:
        return c->expired || k >= c->cnt ? PIT_NEVER : c->base + c->cnt;
    default:
        return c->expired || k > c->cnt ? PIT_NEVER : c->base + c->cnt + 1;
    }
}

static uint64_t pit_next_change(const struct pit8254_counter *c, uint64_t t, bool rise_only)
{
    if (c->state != PIT8254_RUN)
        return PIT_NEVER;
    uint64_t r = pit_next_change_run(c, t, rise_only);
    if (c->reload_pending && r > c->reload_at) {
        struct pit8254_counter next = *c;
        pit_sync(&next, next.reload_at);
        r = pit_next_change_run(&next, t, rise_only);
    }
    return r;
}

/* Brings the interrupt line up to pulse t and arms the event for the next
 * edge.  A rise missed between two calls (the clock jumped over a period) is
 * still delivered as an edge. */
static void pit_line_update(struct pit8254_counter *c, uint64_t t)
{
    if (!c->has_line)
        return;
    uint32_t ce;
    bool out;
    pit_eval(c, t, &ce, &out);
    bool rose = c->line_tick < t && pit_next_change(c, c->line_tick, true) <= t;
    if (rose) {
        if (c->line_level)
            irq_set(&c->line, false);
        irq_set(&c->line, true);
        if (!out)
            irq_set(&c->line, false);
    } else if (out != c->line_level) {
        irq_set(&c->line, out);
    }
    c->line_level = out;
    c->line_tick = t;
    uint64_t next = pit_next_change(c, t, false);
    if (next == PIT_NEVER)
        vclock_cancel(c->pit->clk, &c->ev);
    else
        vclock_arm(c->pit->clk, &c->ev, pit_tick_ns(next));
}

static void pit_event(void *dev, uint64_t now)
{
    struct pit8254_counter *c = dev;
    pit_line_update(c, pit_tick(now));
}

/* ---- programming ---- */

static void pit_control(struct pit8254_counter *c, uint8_t v, uint64_t t)
{
    uint32_t ce;
    bool out;
    pit_line_update(c, t);
    pit_eval(c, t, &ce, &out);
    c->ctrl = v & 0x3F;
    c->mode = (uint8_t)(v >> 1 & 7u);
    if (c->mode > 5)
        c->mode -= 4; /* 6 and 7 are modes 2 and 3 */
    c->access = (uint8_t)(v >> 4 & 3u);
    c->bcd = v & 1;
    /* "When a control word is written to a Counter, all Control Logic is
     * immediately reset and OUT goes to a known initial state": low in mode
     * 0, high otherwise.  The count element holds until a count is written. */
    c->state = PIT8254_IDLE;
    c->hold_ce = ce;
    c->hold_out = c->mode != 0;
    c->write_msb_next = c->read_msb_next = false;
    c->count_latched = c->status_latched = false;
    c->reload_pending = false;
    c->null_until = PIT_NEVER;
    pit_line_update(c, t);
}

/* A complete count has been written to the count register. */
static void pit_load(struct pit8254_counter *c, uint64_t t)
{
    uint32_t ce, n = pit_count_value(c), m = pit_modulus(c);
    bool out;
    pit_line_update(c, t);
    pit_eval(c, t, &ce, &out);
    switch (c->mode) {
    case 0:
    case 4:
        /* Loaded on the next pulse, counting while GATE is high; a new count
         * restarts (mode 0: OUT low until terminal count). */
        c->cnt = n;
        c->expired = false;
        c->null_until = t + 1;
        c->hold_out = c->mode == 0 ? false : out;
        c->base = t + 1;
        if (c->gate) {
            c->state = PIT8254_RUN;
            c->hold_ce = ce;
        } else {
            c->state = PIT8254_WAIT;
            c->hold_ce = n % m;
        }
        break;
    case 1:
    case 5:
        /* Loaded by the next trigger; the current one-shot goes on. */
        if (c->state == PIT8254_IDLE)
            c->state = PIT8254_WAIT;
        c->null_until = PIT_NEVER;
        break;
    default:
        if (c->state == PIT8254_IDLE) {
            c->null_until = t + 1;
            c->hold_out = true;
            if (c->gate) {
                c->state = PIT8254_RUN;
                c->base = t + 1;
                c->n = n;
                c->j0 = 0;
                c->hold_ce = ce;
            } else {
                c->state = PIT8254_WAIT;
                c->hold_ce = n % m;
            }
        } else if (c->state == PIT8254_WAIT) {
            c->null_until = PIT_NEVER; /* loaded by the gate's rising edge */
        } else {
            /* Loaded at the end of the current period (mode 2) or half
             * period (mode 3), which is an OUT edge. */
            uint64_t from = t > c->base ? t : c->base;
            uint32_t cur = c->n, j = (uint32_t)((from - c->base + c->j0) % cur), h = pit_half(cur);
            c->reload_low = c->mode == 3 && j < h;
            c->reload_at = from + (c->reload_low ? h - j : cur - j);
            c->reload_n = n;
            c->reload_pending = true;
            c->null_until = c->reload_at;
        }
        break;
    }
    pit_line_update(c, t);
}

static void pit_set_gate(struct pit8254_counter *c, bool level, uint64_t t)
{
    if (level == c->gate)
        return;
    uint32_t ce, m = pit_modulus(c);
    bool out;
    pit_line_update(c, t);
    pit_eval(c, t, &ce, &out);
    c->gate = level;
    switch (c->mode) {
    case 0:
    case 4: /* GATE enables counting */
        if (!level && c->state == PIT8254_RUN) {
            if (t < c->base) {
                c->hold_ce = c->cnt % m; /* the load still happens */
            } else {
                uint64_t k = t - c->base;
                if (!c->expired && k < c->cnt) {
                    c->cnt -= (uint32_t)k;
                } else {
                    c->expired = true;
                    c->cnt = ce;
                }
                c->hold_ce = ce;
                c->hold_out = out;
            }
            c->state = PIT8254_WAIT;
        } else if (level && c->state == PIT8254_WAIT) {
            /* The next pulse counts, but not before the count is loaded. */
            c->state = PIT8254_RUN;
            if (t > c->base)
                c->base = t;
        }
        break;
    case 1:
    case 5: /* a rising edge triggers: count loaded on the next pulse */
        if (level && c->state != PIT8254_IDLE) {
            c->state = PIT8254_RUN;
            c->base = t + 1;
            c->cnt = pit_count_value(c);
            c->expired = false;
            c->hold_ce = ce;
            c->hold_out = out;
            if (c->null_until > t + 1)
                c->null_until = t + 1;
        }
        break;
    default: /* low: stop with OUT high; rising edge: reload on the next pulse */
        if (c->state == PIT8254_IDLE)
            break;
        c->hold_ce = ce;
        c->hold_out = true;
        if (!level) {
            c->state = PIT8254_WAIT;
            if (c->reload_pending)
                c->null_until = PIT_NEVER;
        } else {
            c->state = PIT8254_RUN;
            c->base = t + 1;
            c->n = pit_count_value(c);
            c->j0 = 0;
            if (c->null_until > t + 1)
                c->null_until = t + 1;
        }
        c->reload_pending = false;
        break;
    }
    pit_line_update(c, t);
}

static void pit_latch_count(struct pit8254_counter *c, uint64_t t)
{
    if (c->count_latched) /* a second latch before the read is ignored */
        return;
    uint32_t ce;
    bool out;
    pit_eval(c, t, &ce, &out);
    c->ol = pit_encode(c, ce);
    c->count_latched = true;
}

static void pit_latch_status(struct pit8254_counter *c, uint64_t t)
{
    if (c->status_latched)
        return;
    uint32_t ce;
    bool out;
    pit_eval(c, t, &ce, &out);
    c->status = (uint8_t)((out ? 0x80 : 0) | (t < c->null_until ? 0x40 : 0) | c->ctrl);
    c->status_latched = true;
}

static void pit_write_control(struct pit8254 *pit, uint8_t v, uint64_t t)
{
    unsigned sc = v >> 6;
    if (sc == 3) {
        /* Read-back: bit 5 clear latches the counts, bit 4 clear the status,
         * of the counters selected by bits 1-3. */
        for (unsigned i = 0; i < 3; i++) {
            if (!(v & (2u << i)))
                continue;
            if (!(v & 0x20))
                pit_latch_count(&pit->ctr[i], t);
            if (!(v & 0x10))
                pit_latch_status(&pit->ctr[i], t);
        }
    } else if (!(v & 0x30)) {
        pit_latch_count(&pit->ctr[sc], t);
    } else {
        pit_control(&pit->ctr[sc], v, t);
    }
}

static void pit_write_count(struct pit8254_counter *c, uint8_t v, uint64_t t)
{
    switch (c->access) {
    case 1:
        c->cr = v;
        break;
    case 2:
        c->cr = (uint16_t)(v << 8);
        break;
    default:
        if (!c->write_msb_next) {
            c->cr_lsb = v;
            c->write_msb_next = true;
            if (c->mode == 0) {
                /* Mode 0: the first byte stops counting and sets OUT low at once. */
                uint32_t ce;
                bool out;
                pit_line_update(c, t);
                pit_eval(c, t, &ce, &out);
                c->state = PIT8254_IDLE;
                c->hold_ce = ce;
                c->hold_out = false;
                c->reload_pending = false;
                pit_line_update(c, t);
            }
            return;
        }
        c->cr = (uint16_t)(c->cr_lsb | v << 8);
        c->write_msb_next = false;
        break;
    }
    pit_load(c, t);
}

static uint8_t pit_read_count(struct pit8254_counter *c, uint64_t t)
{
    if (c->status_latched) { /* status first, then the latched count */
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    if (c->count_latched) {
        v = c->ol;
    } else {
        uint32_t ce;
        bool out;
        pit_eval(c, t, &ce, &out);
        v = pit_encode(c, ce);
    }
    bool msb = c->access == 2 || (c->access == 3 && c->read_msb_next);
    bool done = c->access != 3 || c->read_msb_next;
    if (c->access == 3)
        c->read_msb_next = !c->read_msb_next;
    if (done)
        c->count_latched = false;
    return (uint8_t)(msb ? v >> 8 : v);
}

static uint32_t pit_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct pit8254 *pit = dev;
    if (offset == 3)
        return 0xFF; /* the control word register cannot be read: the bus floats */
    return pit_read_count(&pit->ctr[offset], pit_now(pit));
}

static void pit_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct pit8254 *pit = dev;
    if (offset == 3)
        pit_write_control(pit, (uint8_t)value, pit_now(pit));
    else
        pit_write_count(&pit->ctr[offset], (uint8_t)value, pit_now(pit));
}

/* Port 0x61: bits 0-3 read back as written (0: gate 2, 1: speaker data, 2-3:
 * NMI source enables), bit 4 toggles with each DRAM refresh request, bit 5
 * is OUT2; bits 6-7 (NMI sources) read 0. */
static uint32_t port61_read(void *dev, uint16_t offset, unsigned size)
{
    (void)offset, (void)size;
    struct pit8254 *pit = dev;
    uint64_t now = vclock_now(pit->clk);
    uint32_t ce;
    bool out2;
    pit_eval(&pit->ctr[2], pit_tick(now), &ce, &out2);
    return (pit->port61 & 0x0Fu) | (uint32_t)(now / PIT8254_REFRESH_NS & 1u) << 4 | (out2 ? 0x20u : 0);
}

static void port61_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset, (void)size;
    struct pit8254 *pit = dev;
    pit->port61 = (uint8_t)(value & 0x0F);
    pit_set_gate(&pit->ctr[2], value & 1, pit_now(pit));
}

int pit8254_attach(struct pit8254 *pit, struct iobus *bus, struct vclock *clk, const struct irq_line *irq0,
                   char *err, size_t err_len)
{
    *pit = (struct pit8254){0};
    pit->clk = clk;
    for (unsigned i = 0; i < 3; i++) {
        struct pit8254_counter *c = &pit->ctr[i];
        c->pit = pit;
        /* Power-on contents are undefined; the BIOS programs every counter it uses. */
        c->ctrl = 0x30;
        c->access = 3;
        c->state = PIT8254_IDLE;
        c->gate = i != 2; /* gates 0 and 1 are tied high on a PC */
        c->null_until = PIT_NEVER;
        c->ev = (struct clock_event){.fire = pit_event, .dev = c, .name = "pit8254-out"};
    }
    if (irq0 && irq0->set_level) {
        pit->ctr[0].line = *irq0;
        pit->ctr[0].has_line = true;
        irq_set(&pit->ctr[0].line, false);
    }
    struct io_region regions[2] = {
        {.name = "pit8254", .base = PIT8254_PORT, .size = 4, .widths = 1, .read = pit_read, .write = pit_write,
         .dev = pit},
        {.name = "port61", .base = PIT8254_PORT61, .size = 1, .widths = 1, .read = port61_read,
         .write = port61_write, .dev = pit},
    };
    for (unsigned i = 0; i < 2; i++)
        if (iobus_register(bus, &regions[i], err, err_len) != 0)
            return -1;
    return 0;
}
