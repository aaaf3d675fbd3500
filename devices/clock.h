/* Virtual clock: time is derived from retired instructions, so runs are
 * deterministic.  Devices schedule events on it and compute counters from
 * "now" when read, instead of ticking.  The machine advances it. */
#ifndef RINGZERO_DEVICES_CLOCK_H
#define RINGZERO_DEVICES_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock_event {
    uint64_t deadline;                     /* virtual nanoseconds */
    void (*fire)(void *dev, uint64_t now); /* may re-arm itself */
    void *dev;
    const char *name;
    struct clock_event *next;              /* intrusive list, sorted by deadline */
    bool armed;
};

struct vclock {
    uint64_t now;               /* virtual nanoseconds since power-on */
    struct clock_event *events; /* armed events, earliest first */
};

void vclock_init(struct vclock *clk);
static inline uint64_t vclock_now(const struct vclock *clk) { return clk->now; }
/* Arms (or re-arms) ev to fire at deadline; a deadline in the past fires at the next advance. */
void vclock_arm(struct vclock *clk, struct clock_event *ev, uint64_t deadline);
void vclock_cancel(struct vclock *clk, struct clock_event *ev);
/* The earliest deadline, or UINT64_MAX when nothing is armed. */
static inline uint64_t vclock_next_deadline(const struct vclock *clk)
{
    return clk->events ? clk->events->deadline : UINT64_MAX;
}
/* Moves time forward to `now` (never backwards), firing due events in deadline order. */
void vclock_advance(struct vclock *clk, uint64_t now);

#endif
