/* Intel 8254 programmable interval timer of the PC (ports 0x40-0x43), and the
 * PIT-related bits of the system control port 0x61 (PIIX3 NMI status and
 * control register: gate 2, speaker data, refresh toggle, OUT2).
 *
 * The counters are clocked at 1.193182 MHz derived from virtual time: the
 * state is computed from vclock_now() when read, and a clock event is armed
 * only at the edges of counter 0's output, which drives IRQ 0.  Gates 0 and 1
 * are tied high; gate 2 is port 0x61 bit 0. */
#ifndef RINGZERO_DEVICES_PIT8254_H
#define RINGZERO_DEVICES_PIT8254_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "iobus.h"
#include "irq.h"

#define PIT8254_PORT 0x40
#define PIT8254_PORT61 0x61
#define PIT8254_HZ 1193182u
#define PIT8254_REFRESH_NS 15085u /* port 0x61 bit 4 toggles at this period */

struct pit8254;

enum pit8254_state {
    PIT8254_IDLE, /* control word written, waiting for a count (or its second byte in mode 0) */
    PIT8254_WAIT, /* counting held: gate low (modes 0, 2, 3, 4) or no trigger yet (modes 1, 5) */
    PIT8254_RUN,  /* counting since tick `base` */
};

struct pit8254_counter {
    /* programming */
    uint8_t ctrl;        /* RW, M and BCD bits as written (status byte bits 5-0) */
    uint8_t mode;        /* 0-5 */
    uint8_t access;      /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;
    uint16_t cr;         /* count register: the last complete count written */
    uint8_t cr_lsb;      /* first byte of an LSB-then-MSB count */
    bool write_msb_next, read_msb_next;
    bool count_latched, status_latched;
    uint16_t ol;         /* output latch */
    uint8_t status;
    bool gate;
    /* counting (ticks are CLK pulses since power-on) */
    uint8_t state;       /* enum pit8254_state */
    uint64_t base;       /* RUN: pulse at which the counting element was (re)loaded */
    uint32_t cnt;        /* modes 0, 1, 4, 5: pulses to terminal count from base, or the
                          * count itself once `expired` (terminal count passed) */
    bool expired;
    uint32_t n, j0;      /* modes 2, 3: period in pulses, and phase at base */
    uint32_t hold_ce;    /* IDLE/WAIT: the frozen count; RUN: the count before base */
    bool hold_out;       /* likewise for OUT */
    bool reload_pending; /* modes 2, 3: a count written while counting, loaded at the */
    uint64_t reload_at;  /* end of the current period / half period */
    uint32_t reload_n;
    bool reload_low;     /* mode 3: the new count starts with a low half */
    uint64_t null_until; /* null count reads 1 before this pulse */
    /* output to an interrupt line (counter 0 only) */
    struct irq_line line;
    bool has_line, line_level;
    uint64_t line_tick;  /* pulse up to which OUT has been reported */
    struct clock_event ev;
    struct pit8254 *pit;
};

struct pit8254 {
    struct pit8254_counter ctr[3];
    struct vclock *clk;
    uint8_t port61;      /* bits 0-3 as written */
};

/* Power-on state, registers ports 0x40-0x43 and 0x61; irq0 (may be NULL)
 * receives counter 0's OUT. */
int pit8254_attach(struct pit8254 *pit, struct iobus *bus, struct vclock *clk, const struct irq_line *irq0,
                   char *err, size_t err_len);

#endif
