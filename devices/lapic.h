/* The local APIC of the one CPU, in xAPIC mode (Intel SDM vol. 3 ch. 10,
 * "Advanced Programmable Interrupt Controller (APIC)").
 *
 * Registers are reached through a 4 KiB MMIO window whose address
 * IA32_APIC_BASE names (the machine maps it and calls lapic_set_base when the
 * CPU stores that MSR); IA32_TSC_DEADLINE (MSR 0x6E0) arrives through
 * lapic_msr_read/write.
 *
 * Wiring (struct lapic_wiring): the APIC drives the CPU's INTR through
 * set_intr (high while it has something the CPU should acknowledge: a fixed
 * interrupt above the processor priority, or the 8259's INTR passed through);
 * the CPU's acknowledge calls lapic_intr_ack, which asks the 8259 through
 * extint_ack when the interrupt is ExtINT.  The 8259's INTR comes in on LINT0
 * (lapic_set_lint).  When the APIC is disabled, globally (IA32_APIC_BASE.EN = 0)
 * or by software (SVR bit 8 = 0), the 8259 reaches the CPU directly, as in the
 * PC's virtual-wire mode (MP spec. §3.6.2.2).  EOI of a level-triggered vector
 * is broadcast to the IOAPICs through eoi_broadcast.
 *
 * Timer: the APIC bus clock is LAPIC_BUS_HZ (1 GHz, one count per virtual
 * nanosecond before the divider), so the timer counts at 1 GHz / divisor.
 * TSC-deadline mode compares against the CPU's TSC (read through tsc(), which
 * advances one tick per tsc_period_ns of virtual time). */
#ifndef RINGZERO_DEVICES_LAPIC_H
#define RINGZERO_DEVICES_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "apic_bus.h"
#include "clock.h"

#define LAPIC_DEFAULT_BASE 0xFEE00000u
#define LAPIC_MMIO_SIZE 0x1000u
#define LAPIC_BUS_HZ 1000000000u
#define LAPIC_VERSION 0x00050014u /* version 0x14 (integrated xAPIC), max LVT entry 5 (six LVTs) */

#define MSR_IA32_APIC_BASE 0x1Bu
#define MSR_IA32_TSC_DEADLINE 0x6E0u
#define APIC_BASE_EN (1u << 11)
#define APIC_BASE_BSP (1u << 8)

/* Register offsets in the MMIO window (SDM vol. 3 table 10-1). */
enum lapic_reg {
    LAPIC_ID = 0x020,
    LAPIC_VER = 0x030,
    LAPIC_TPR = 0x080,
    LAPIC_APR = 0x090,
    LAPIC_PPR = 0x0A0,
    LAPIC_EOI = 0x0B0,
    LAPIC_RRD = 0x0C0,
    LAPIC_LDR = 0x0D0,
    LAPIC_DFR = 0x0E0,
    LAPIC_SVR = 0x0F0,
    LAPIC_ISR = 0x100, /* 8 registers, 0x10 apart */
    LAPIC_TMR = 0x180,
    LAPIC_IRR = 0x200,
    LAPIC_ESR = 0x280,
    LAPIC_ICR_LO = 0x300,
    LAPIC_ICR_HI = 0x310,
    LAPIC_LVT_TIMER = 0x320,
    LAPIC_LVT_THERMAL = 0x330,
    LAPIC_LVT_PERF = 0x340,
    LAPIC_LVT_LINT0 = 0x350,
    LAPIC_LVT_LINT1 = 0x360,
    LAPIC_LVT_ERROR = 0x370,
    LAPIC_TIMER_ICR = 0x380, /* initial count */
    LAPIC_TIMER_CCR = 0x390, /* current count */
    LAPIC_TIMER_DCR = 0x3E0, /* divide configuration */
};

/* Local vector table entries, in register order from 0x320. */
enum lapic_lvt { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

#define LVT_MASKED (1u << 16)
#define LVT_LEVEL (1u << 15)       /* trigger mode (LINT0/1) */
#define LVT_REMOTE_IRR (1u << 14)  /* LINT0/1, read-only */
#define LVT_ACTIVE_LOW (1u << 13)  /* input pin polarity (LINT0/1) */
#define LVT_TIMER_MODE_SHIFT 17
enum lapic_timer_mode { TIMER_ONE_SHOT = 0, TIMER_PERIODIC = 1, TIMER_TSC_DEADLINE = 2 };

#define SVR_ENABLE (1u << 8)

/* ESR bits (SDM vol. 3 §10.5.3). */
#define ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define ESR_RECEIVE_ILLEGAL_VECTOR (1u << 6)
#define ESR_ILLEGAL_REGISTER (1u << 7)

struct lapic_wiring {
    void (*set_intr)(void *opaque, bool level);        /* the CPU's INTR input */
    int (*extint_ack)(void *opaque);                   /* the 8259's acknowledge cycle: its vector */
    void (*eoi_broadcast)(void *opaque, uint8_t vector); /* to the IOAPICs */
    uint64_t (*tsc)(void *opaque);                     /* the CPU's TSC now */
    unsigned tsc_period_ns;                            /* virtual time per TSC tick */
    void *opaque;
};

struct lapic {
    /* architectural state */
    uint64_t base_msr; /* IA32_APIC_BASE as the CPU stored it */
    uint32_t id, tpr, ldr, dfr, svr;
    uint32_t esr;         /* what the ESR reads: the errors latched by the last ESR write */
    uint32_t esr_pending; /* errors seen since the last ESR write */
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[LVT_COUNT];
    uint32_t irr[8], isr[8], tmr[8]; /* 256 bits each, vector v is bit v%32 of word v/32 */
    uint32_t timer_initial, timer_dcr;
    uint64_t tsc_deadline;
    /* timer bookkeeping: the count was timer_base_count at timer_base_ns and
     * falls by one every 2^timer_shift ns; 0 = not counting */
    uint64_t timer_base_ns;
    uint32_t timer_base_count;
    unsigned timer_shift;
    struct clock_event timer_event;
    /* pins and outputs */
    bool lint[2];   /* levels on LINT0 (the 8259's INTR) and LINT1 */
    bool intr;      /* the level last driven on the CPU's INTR */
    struct vclock *clock;
    struct lapic_wiring wiring;
};

/* Power-on state (SDM vol. 3 §10.4.7.1) with the default base, enabled, BSP. */
void lapic_init(struct lapic *a, struct vclock *clock, const struct lapic_wiring *wiring);
/* RESET/INIT: registers back to power-on values (base MSR and LINT levels are kept). */
void lapic_reset(struct lapic *a);

/* IA32_APIC_BASE after the CPU stored it.  Clearing EN puts the APIC into its
 * power-on state (SDM vol. 3 §10.4.3). */
void lapic_set_base(struct lapic *a, uint64_t msr);
static inline bool lapic_hw_enabled(const struct lapic *a) { return (a->base_msr & APIC_BASE_EN) != 0; }
static inline uint64_t lapic_base_address(const struct lapic *a) { return a->base_msr & ~(uint64_t)0xFFF; }

/* The MMIO window (offset within the 4 KiB page, size 1, 2, 4 or 8).  The
 * registers are 32 bits, 16-byte aligned (SDM vol. 3 §10.4.1): narrower reads
 * give the bytes they cover, writes that are not a dword at a register's start
 * are ignored. */
uint64_t lapic_mmio_read(struct lapic *a, uint64_t offset, unsigned size);
void lapic_mmio_write(struct lapic *a, uint64_t offset, uint64_t value, unsigned size);

/* IA32_TSC_DEADLINE; false for an MSR the APIC does not own. */
bool lapic_msr_read(struct lapic *a, uint32_t msr, uint64_t *value);
bool lapic_msr_write(struct lapic *a, uint32_t msr, uint64_t value);

/* Drives LINT0 (pin 0) or LINT1 (pin 1). */
void lapic_set_lint(struct lapic *a, unsigned pin, bool level);

/* An interrupt message from the APIC bus (IOAPIC): true if this APIC is a
 * destination and accepted it (fixed and lowest-priority only). */
bool lapic_deliver(struct lapic *a, const struct apic_msg *msg);

/* The CPU's interrupt acknowledge: the vector to take (may be the 8259's, or
 * the spurious vector when nothing is left to deliver). */
int lapic_intr_ack(struct lapic *a);

/* The processor priority (PPR) and the task priority (for CR8 = TPR[7:4]). */
uint32_t lapic_ppr(const struct lapic *a);
void lapic_set_tpr(struct lapic *a, uint32_t tpr);

/* The timer's current count at virtual time now (0 when stopped). */
uint32_t lapic_timer_count(const struct lapic *a, uint64_t now);

#endif
