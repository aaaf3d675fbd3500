/* Interrupt request lines: a device drives a level on a pin of a sink (the PIC,
 * later the IOAPIC).  Edge-triggered sinks see the 0 -> 1 transitions. */
#ifndef RINGZERO_DEVICES_IRQ_H
#define RINGZERO_DEVICES_IRQ_H

#include <stdbool.h>

struct irq_line {
    void (*set_level)(void *sink, unsigned pin, bool level);
    void *sink;
    unsigned pin;
};

static inline void irq_set(const struct irq_line *line, bool level)
{
    if (line && line->set_level)
        line->set_level(line->sink, line->pin, level);
}
static inline void irq_pulse(const struct irq_line *line)
{
    irq_set(line, true);
    irq_set(line, false);
}

#endif
