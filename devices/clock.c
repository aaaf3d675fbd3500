/* Virtual clock (see clock.h). */
#include "clock.h"

#include <stddef.h>

void vclock_init(struct vclock *clk)
{
    clk->now = 0;
    clk->events = NULL;
}

void vclock_cancel(struct vclock *clk, struct clock_event *ev)
{
    if (!ev->armed)
        return;
    for (struct clock_event **p = &clk->events; *p; p = &(*p)->next)
        if (*p == ev) {
            *p = ev->next;
            break;
        }
    ev->armed = false;
    ev->next = NULL;
}

void vclock_arm(struct vclock *clk, struct clock_event *ev, uint64_t deadline)
{
    vclock_cancel(clk, ev);
    ev->deadline = deadline;
    struct clock_event **p = &clk->events;
    while (*p && (*p)->deadline <= deadline) /* equal deadlines fire in arming order */
        p = &(*p)->next;
    ev->next = *p;
    *p = ev;
    ev->armed = true;
}

void vclock_advance(struct vclock *clk, uint64_t now)
{
    if (now > clk->now)
        clk->now = now;
    while (clk->events && clk->events->deadline <= clk->now) {
        struct clock_event *ev = clk->events;
        clk->events = ev->next;
        ev->next = NULL;
        ev->armed = false;
        ev->fire(ev->dev, clk->now);
    }
}
