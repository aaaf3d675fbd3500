/* The local APIC (see lapic.h).
 *
 * Followed: Intel SDM vol. 3 ch. 10: §10.4 (IA32_APIC_BASE, the register
 * window, the power-on state of §10.4.7.1, software disable of §10.4.7.2),
 * §10.5 (LVT, ESR, the timer and its TSC-deadline mode of §10.5.4.1), §10.6
 * (ICR and destinations, §10.6.2), §10.8 (IRR/ISR/TMR, priorities, PPR/APR,
 * EOI), §10.9 (spurious interrupt).
 *
 * Model: everything is recomputed after each change, so the CPU's INTR always
 * shows whether an acknowledge would get something.  The timer keeps the
 * count it had at a base time and computes the current count from "now";
 * one clock event is armed for the next expiry while an interrupt could
 * result from it (not while the timer LVT is masked). */
#include "lapic.h"

#include <string.h>

#define ICR_WRITABLE 0x000CCFFFu /* vector, delivery mode, dest. mode, level, trigger, shorthand */
#define ICR_DEST_LOGICAL (1u << 11)
#define SVR_WRITABLE 0x3FFu      /* vector, APIC enable, focus processor checking */
#define LVT_DM_SHIFT 8
#define TSC_DEADLINE_MAX_AHEAD (1ull << 62) /* ns: keeps far deadlines far without overflow */

static const uint32_t lvt_writable[LVT_COUNT] = {
    [LVT_TIMER] = 0xFFu | LVT_MASKED | (3u << LVT_TIMER_MODE_SHIFT),
    [LVT_THERMAL] = 0xFFu | 0x700u | LVT_MASKED,
    [LVT_PERF] = 0xFFu | 0x700u | LVT_MASKED,
    [LVT_LINT0] = 0xFFu | 0x700u | LVT_ACTIVE_LOW | LVT_LEVEL | LVT_MASKED,
    [LVT_LINT1] = 0xFFu | 0x700u | LVT_ACTIVE_LOW | LVT_LEVEL | LVT_MASKED,
    [LVT_ERROR] = 0xFFu | LVT_MASKED,
};

/* ---- 256-bit vector sets (IRR, ISR, TMR) ---- */

static bool vec_test(const uint32_t *set, unsigned v) { return (set[v >> 5] >> (v & 31u)) & 1u; }
static void vec_set(uint32_t *set, unsigned v) { set[v >> 5] |= 1u << (v & 31u); }
static void vec_clear(uint32_t *set, unsigned v) { set[v >> 5] &= ~(1u << (v & 31u)); }
static int vec_highest(const uint32_t *set)
{
    for (int w = 7; w >= 0; w--)
        if (set[w])
            return w * 32 + 31 - __builtin_clz(set[w]);
    return -1;
}

/* ---- state queries ---- */

static bool sw_enabled(const struct lapic *a) { return lapic_hw_enabled(a) && (a->svr & SVR_ENABLE); }
static unsigned timer_mode(const struct lapic *a) { return (a->lvt[LVT_TIMER] >> LVT_TIMER_MODE_SHIFT) & 3u; }
static unsigned lvt_delivery(uint32_t lvt) { return (lvt >> LVT_DM_SHIFT) & 7u; }

/* Divide configuration bits 0, 1, 3 (SDM vol. 3 figure 10-10): 000 -> 2 ...
 * 110 -> 128, 111 -> 1.  Returns log2 of the divisor. */
static unsigned dcr_shift(uint32_t dcr)
{
    unsigned v = (dcr & 3u) | ((dcr >> 1) & 4u);
    return (v + 1u) & 7u;
}

uint32_t lapic_ppr(const struct lapic *a)
{
    /* SDM vol. 3 §10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0. */
    int isrv = vec_highest(a->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0u;
    return (a->tpr & 0xF0u) >= isr_class ? a->tpr & 0xFFu : isr_class;
}

static uint32_t lapic_apr(const struct lapic *a)
{
    /* SDM vol. 3 §10.8.3.1 (P6 family arbitration priority). */
    int irrv = vec_highest(a->irr), isrv = vec_highest(a->isr);
    uint32_t tpr = a->tpr & 0xF0u, irr = irrv < 0 ? 0 : (uint32_t)irrv & 0xF0u,
             isr = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0u;
    if (tpr >= irr && tpr > isr)
        return a->tpr & 0xFFu;
    uint32_t m = tpr > isr ? tpr : isr;
    return m > irr ? m : irr;
}

/* The highest IRR vector if its priority class is above the PPR's (SDM vol. 3 §10.8.3.1), else -1. */
static int deliverable_vector(const struct lapic *a)
{
    if (!sw_enabled(a))
        return -1;
    int v = vec_highest(a->irr);
    if (v < 0 || ((uint32_t)v & 0xF0u) <= (lapic_ppr(a) & 0xF0u))
        return -1;
    return v;
}

/* The 8259's INTR is to be taken: passed straight through while the APIC is
 * disabled (virtual-wire mode), or through LINT0 programmed ExtINT.  The
 * 8259's INTR is active high whatever LINT0's polarity bit says (the vector
 * comes from its own acknowledge cycle, SDM vol. 3 §10.5.1 "ExtINT"). */
static bool extint_pending(const struct lapic *a)
{
    if (!a->lint[0])
        return false;
    if (!sw_enabled(a))
        return true;
    uint32_t lvt = a->lvt[LVT_LINT0];
    return !(lvt & LVT_MASKED) && lvt_delivery(lvt) == APIC_DM_EXTINT;
}

static void update_intr(struct lapic *a)
{
    bool level = deliverable_vector(a) >= 0 || extint_pending(a);
    if (level != a->intr) {
        a->intr = level;
        if (a->wiring.set_intr)
            a->wiring.set_intr(a->wiring.opaque, level);
    }
}

/* ---- acceptance ---- */

/* Puts a vector into the IRR (TMR set for level-triggered, cleared for edge,
 * SDM vol. 3 §10.8.4).  Vectors 0-15 are illegal: false, and the caller
 * reports the error. */
static bool set_irr(struct lapic *a, unsigned vector, bool level)
{
    if (vector < 16 || !sw_enabled(a))
        return false;
    vec_set(a->irr, vector);
    if (level)
        vec_set(a->tmr, vector);
    else
        vec_clear(a->tmr, vector);
    return true;
}

/* Logs errors in the ESR and raises the error LVT (SDM vol. 3 §10.5.3). */
static void report_error(struct lapic *a, uint32_t bits)
{
    a->esr_pending |= bits;
    uint32_t lvt = a->lvt[LVT_ERROR];
    if (!(lvt & LVT_MASKED) && sw_enabled(a)) {
        unsigned v = lvt & 0xFFu;
        if (v < 16) /* an illegal error vector is itself logged, but raises nothing more */
            a->esr_pending |= ESR_RECEIVE_ILLEGAL_VECTOR;
        else
            set_irr(a, v, false);
    }
}

/* A fixed interrupt generated locally or received: into the IRR, or an error. */
static bool accept_fixed(struct lapic *a, unsigned vector, bool level)
{
    if (!sw_enabled(a))
        return false;
    if (vector < 16) {
        report_error(a, ESR_RECEIVE_ILLEGAL_VECTOR);
        return false;
    }
    return set_irr(a, vector, level);
}

/* A local interrupt source fired (timer, thermal, perf, error): as its LVT says. */
static void signal_lvt(struct lapic *a, enum lapic_lvt which)
{
    uint32_t lvt = a->lvt[which];
    if ((lvt & LVT_MASKED) || !sw_enabled(a))
        return;
    /* Timer and error entries have no delivery-mode field (always fixed); NMI,
     * SMI and INIT have no CPU input to go to and are dropped. */
    unsigned dm = which == LVT_TIMER || which == LVT_ERROR ? APIC_DM_FIXED : lvt_delivery(lvt);
    if (dm == APIC_DM_FIXED)
        accept_fixed(a, lvt & 0xFFu, false);
}

/* LINT0/LINT1 in fixed mode: an edge, or for LINT0 a level held off by the
 * LVT's remote IRR until the EOI (SDM vol. 3 §10.5.1: LINT1 is edge only).
 * ExtINT is looked at by extint_pending; NMI, SMI and INIT are dropped (the
 * CPU has no such inputs). */
static void evaluate_lint(struct lapic *a, unsigned pin, bool old_level)
{
    uint32_t *lvt = &a->lvt[LVT_LINT0 + pin];
    if ((*lvt & LVT_MASKED) || !sw_enabled(a) || lvt_delivery(*lvt) != APIC_DM_FIXED)
        return;
    bool low = (*lvt & LVT_ACTIVE_LOW) != 0;
    bool active = a->lint[pin] != low, was_active = old_level != low;
    if (pin == 0 && (*lvt & LVT_LEVEL)) {
        if (active && !(*lvt & LVT_REMOTE_IRR) && accept_fixed(a, *lvt & 0xFFu, true))
            *lvt |= LVT_REMOTE_IRR;
    } else if (active && !was_active) {
        accept_fixed(a, *lvt & 0xFFu, false);
    }
}

void lapic_set_lint(struct lapic *a, unsigned pin, bool level)
{
    if (pin > 1)
        return;
    bool old = a->lint[pin];
    a->lint[pin] = level;
    evaluate_lint(a, pin, old);
    update_intr(a);
}

/* Destination matching (SDM vol. 3 §10.6.2): physical by APIC ID, logical
 * through LDR in the flat or cluster model of DFR; 0xFF is a broadcast. */
static bool dest_matches(const struct lapic *a, uint8_t dest, bool logical)
{
    if (dest == 0xFF)
        return true;
    if (!logical)
        return dest == (uint8_t)(a->id >> 24);
    uint8_t ld = (uint8_t)(a->ldr >> 24);
    switch (a->dfr >> 28) {
    case 0xF: /* flat: one bit per APIC */
        return (ld & dest) != 0;
    case 0x0: /* cluster: cluster number in bits 7-4 (15 = all clusters), members in bits 3-0 */
        return ((dest >> 4) == (ld >> 4) || (dest >> 4) == 0xF) && (dest & ld & 0x0F) != 0;
    default:
        return false;
    }
}

bool lapic_deliver(struct lapic *a, const struct apic_msg *msg)
{
    if (!lapic_hw_enabled(a) || !dest_matches(a, msg->dest, msg->logical))
        return false;
    bool accepted = false;
    if (msg->delivery == APIC_DM_FIXED || msg->delivery == APIC_DM_LOWEST)
        accepted = accept_fixed(a, msg->vector, msg->level);
    /* ExtINT, NMI, SMI, INIT from an IOAPIC: no path to the CPU; dropped. */
    update_intr(a);
    return accepted;
}

/* Writing the ICR low dword sends the IPI (SDM vol. 3 §10.6.1).  There is one
 * CPU: "all excluding self" reaches nobody; INIT and SIPI to the others are
 * accepted and dropped, and to this CPU are ignored too (no INIT input), as
 * are NMI and SMI.  The delivery status reads idle: the send is instant. */
static void send_ipi(struct lapic *a)
{
    uint32_t icr = a->icr_lo;
    unsigned vector = icr & 0xFFu, dm = (icr >> 8) & 7u, shorthand = (icr >> 18) & 3u;
    bool to_self;
    switch (shorthand) {
    case 0:
        to_self = dest_matches(a, (uint8_t)(a->icr_hi >> 24), (icr & ICR_DEST_LOGICAL) != 0);
        break;
    case 1: /* self */
    case 2: /* all including self */
        to_self = true;
        break;
    default: /* all excluding self */
        to_self = false;
        break;
    }
    if (dm != APIC_DM_FIXED && dm != APIC_DM_LOWEST)
        return;
    if (vector < 16) {
        report_error(a, ESR_SEND_ILLEGAL_VECTOR | (to_self ? ESR_RECEIVE_ILLEGAL_VECTOR : 0));
        return;
    }
    if (to_self)
        set_irr(a, vector, false); /* IPIs are edge-triggered */
}

/* EOI: the highest in-service vector is done (SDM vol. 3 §10.8.5); for a
 * level-triggered one (TMR) the IOAPICs hear of it, and a level-triggered
 * LINT0 may interrupt again. */
static void end_of_interrupt(struct lapic *a)
{
    int v = vec_highest(a->isr);
    if (v < 0)
        return;
    vec_clear(a->isr, (unsigned)v);
    if (vec_test(a->tmr, (unsigned)v)) {
        uint32_t *lint0 = &a->lvt[LVT_LINT0];
        if ((*lint0 & LVT_REMOTE_IRR) && (*lint0 & 0xFFu) == (unsigned)v) {
            *lint0 &= ~LVT_REMOTE_IRR;
            evaluate_lint(a, 0, a->lint[0]);
        }
        if (a->wiring.eoi_broadcast)
            a->wiring.eoi_broadcast(a->wiring.opaque, (uint8_t)v);
    }
}

int lapic_intr_ack(struct lapic *a)
{
    int v = deliverable_vector(a);
    if (v >= 0) {
        vec_clear(a->irr, (unsigned)v);
        vec_set(a->isr, (unsigned)v);
        update_intr(a);
        return v;
    }
    if (extint_pending(a) || !sw_enabled(a)) {
        /* The 8259 answers (with its IR7 vector if its request went away). */
        v = a->wiring.extint_ack ? a->wiring.extint_ack(a->wiring.opaque) : -1;
        update_intr(a);
        return v;
    }
    /* The request went away before the acknowledge, e.g. the TPR was raised:
     * the spurious vector, with no ISR bit set (SDM vol. 3 §10.9). */
    update_intr(a);
    return (int)(a->svr & 0xFFu);
}

void lapic_set_tpr(struct lapic *a, uint32_t tpr)
{
    a->tpr = tpr & 0xFFu;
    update_intr(a);
}

/* ---- timer ---- */

uint32_t lapic_timer_count(const struct lapic *a, uint64_t now)
{
    if (timer_mode(a) == TIMER_TSC_DEADLINE || a->timer_base_count == 0)
        return 0;
    uint64_t ticks = now > a->timer_base_ns ? (now - a->timer_base_ns) >> a->timer_shift : 0;
    if (ticks < a->timer_base_count)
        return a->timer_base_count - (uint32_t)ticks;
    if (timer_mode(a) != TIMER_PERIODIC || a->timer_initial == 0)
        return 0;
    return a->timer_initial - (uint32_t)((ticks - a->timer_base_count) % a->timer_initial);
}

static uint64_t tsc_now(const struct lapic *a) { return a->wiring.tsc ? a->wiring.tsc(a->wiring.opaque) : 0; }

/* Arms the clock event for the next time the timer could interrupt. */
static void timer_rearm(struct lapic *a)
{
    vclock_cancel(a->clock, &a->timer_event);
    uint64_t now = vclock_now(a->clock);
    if (timer_mode(a) == TIMER_TSC_DEADLINE) {
        if (!a->tsc_deadline)
            return;
        uint64_t tsc = tsc_now(a), ahead = 0;
        if (a->tsc_deadline > tsc) {
            uint64_t period = a->wiring.tsc_period_ns ? a->wiring.tsc_period_ns : 1;
            uint64_t ticks = a->tsc_deadline - tsc;
            ahead = ticks > TSC_DEADLINE_MAX_AHEAD / period ? TSC_DEADLINE_MAX_AHEAD : ticks * period;
        }
        vclock_arm(a->clock, &a->timer_event, now + ahead);
        return;
    }
    if (a->timer_base_count == 0 || (a->lvt[LVT_TIMER] & LVT_MASKED))
        return; /* a masked timer counts (see lapic_timer_count) but interrupts no one */
    uint64_t ticks = now > a->timer_base_ns ? (now - a->timer_base_ns) >> a->timer_shift : 0;
    uint64_t next;
    if (ticks < a->timer_base_count)
        next = a->timer_base_count;
    else if (timer_mode(a) == TIMER_PERIODIC && a->timer_initial)
        next = a->timer_base_count + ((ticks - a->timer_base_count) / a->timer_initial + 1) * a->timer_initial;
    else
        return; /* one-shot, already expired */
    vclock_arm(a->clock, &a->timer_event, a->timer_base_ns + (next << a->timer_shift));
}

static void timer_fire(void *dev, uint64_t now)
{
    struct lapic *a = dev;
    if (timer_mode(a) == TIMER_TSC_DEADLINE) {
        if (!a->tsc_deadline)
            return;
        if (tsc_now(a) < a->tsc_deadline) { /* the guest moved the TSC back */
            timer_rearm(a);
            return;
        }
        /* The timer disarms itself by clearing the MSR (SDM vol. 3 §10.5.4.1). */
        a->tsc_deadline = 0;
        signal_lvt(a, LVT_TIMER);
        update_intr(a);
        return;
    }
    if (a->timer_base_count == 0)
        return;
    uint64_t ticks = now > a->timer_base_ns ? (now - a->timer_base_ns) >> a->timer_shift : 0;
    if (ticks < a->timer_base_count) {
        timer_rearm(a);
        return;
    }
    signal_lvt(a, LVT_TIMER); /* periods missed in between coalesce into this one IRR bit */
    if (timer_mode(a) == TIMER_PERIODIC && a->timer_initial) {
        /* Rebase on the last reload at or before now, so the numbers stay small. */
        uint64_t last = a->timer_base_count +
                        (ticks - a->timer_base_count) / a->timer_initial * (uint64_t)a->timer_initial;
        a->timer_base_ns += last << a->timer_shift;
        a->timer_base_count = a->timer_initial;
        timer_rearm(a);
    } else {
        a->timer_base_count = 0;
    }
    update_intr(a);
}

/* The count continues from its present value with a new divisor. */
static void timer_rebase(struct lapic *a)
{
    uint64_t now = vclock_now(a->clock);
    a->timer_base_count = lapic_timer_count(a, now);
    a->timer_base_ns = now;
    a->timer_shift = dcr_shift(a->timer_dcr);
}

/* ---- registers ---- */

static void write_lvt(struct lapic *a, enum lapic_lvt which, uint32_t value)
{
    uint32_t old = a->lvt[which];
    uint32_t v = (value & lvt_writable[which]) | (old & LVT_REMOTE_IRR);
    if (!(v & LVT_LEVEL))
        v &= ~LVT_REMOTE_IRR;
    if (!sw_enabled(a)) /* software-disabled: the mask bits stay set (SDM vol. 3 §10.4.7.2) */
        v |= LVT_MASKED;
    a->lvt[which] = v;
    if (which == LVT_TIMER) {
        unsigned old_mode = (old >> LVT_TIMER_MODE_SHIFT) & 3u, new_mode = timer_mode(a);
        /* Switching into or out of TSC-deadline mode disarms the timer (SDM vol. 3 §10.5.4.1). */
        if (old_mode != new_mode && (old_mode == TIMER_TSC_DEADLINE || new_mode == TIMER_TSC_DEADLINE)) {
            a->tsc_deadline = 0;
            a->timer_initial = 0;
            a->timer_base_count = 0;
        }
        timer_rearm(a);
    } else if (which == LVT_LINT0 || which == LVT_LINT1) {
        unsigned pin = which - LVT_LINT0;
        evaluate_lint(a, pin, pin == 0 && (v & LVT_LEVEL) ? false : a->lint[pin]);
    }
}

static void write_svr(struct lapic *a, uint32_t value)
{
    a->svr = value & SVR_WRITABLE;
    if (!(a->svr & SVR_ENABLE)) {
        for (unsigned k = 0; k < LVT_COUNT; k++)
            a->lvt[k] |= LVT_MASKED;
    }
    timer_rearm(a);
}

/* Register read; *valid is false for an address that holds no register. */
static uint32_t reg_read(struct lapic *a, unsigned reg, bool *valid)
{
    *valid = true;
    if (reg >= LAPIC_ISR && reg < LAPIC_ISR + 0x80)
        return a->isr[(reg - LAPIC_ISR) >> 4];
    if (reg >= LAPIC_TMR && reg < LAPIC_TMR + 0x80)
        return a->tmr[(reg - LAPIC_TMR) >> 4];
    if (reg >= LAPIC_IRR && reg < LAPIC_IRR + 0x80)
        return a->irr[(reg - LAPIC_IRR) >> 4];
    if (reg >= LAPIC_LVT_TIMER && reg <= LAPIC_LVT_ERROR)
        return a->lvt[(reg - LAPIC_LVT_TIMER) >> 4];
    switch (reg) {
    case LAPIC_ID: return a->id;
    case LAPIC_VER: return LAPIC_VERSION;
    case LAPIC_TPR: return a->tpr;
    case LAPIC_APR: return lapic_apr(a);
    case LAPIC_PPR: return lapic_ppr(a);
    case LAPIC_EOI: return 0; /* write-only */
    case LAPIC_RRD: return 0; /* remote read: never valid on an xAPIC */
    case LAPIC_LDR: return a->ldr;
    case LAPIC_DFR: return a->dfr;
    case LAPIC_SVR: return a->svr;
    case LAPIC_ESR: return a->esr;
    case LAPIC_ICR_LO: return a->icr_lo; /* delivery status (bit 12) always idle */
    case LAPIC_ICR_HI: return a->icr_hi;
    case LAPIC_TIMER_ICR: return a->timer_initial;
    case LAPIC_TIMER_CCR: return lapic_timer_count(a, vclock_now(a->clock));
    case LAPIC_TIMER_DCR: return a->timer_dcr;
    default:
        *valid = false;
        return 0;
    }
}

static void reg_write(struct lapic *a, unsigned reg, uint32_t v)
{
    if (reg >= LAPIC_LVT_TIMER && reg <= LAPIC_LVT_ERROR) {
        write_lvt(a, (enum lapic_lvt)((reg - LAPIC_LVT_TIMER) >> 4), v);
        return;
    }
    if (reg >= LAPIC_ISR && reg < LAPIC_IRR + 0x80)
        return; /* ISR, TMR, IRR: read-only */
    switch (reg) {
    case LAPIC_ID: a->id = v & 0xFF000000u; break;
    case LAPIC_TPR: a->tpr = v & 0xFFu; break;
    case LAPIC_EOI: end_of_interrupt(a); break; /* any value (SDM: write 0) */
    case LAPIC_LDR: a->ldr = v & 0xFF000000u; break;
    case LAPIC_DFR: a->dfr = v | 0x0FFFFFFFu; break;
    case LAPIC_SVR: write_svr(a, v); break;
    case LAPIC_ESR: /* a write latches the errors seen since the previous one (SDM vol. 3 §10.5.3) */
        a->esr = a->esr_pending;
        a->esr_pending = 0;
        break;
    case LAPIC_ICR_LO:
        a->icr_lo = v & ICR_WRITABLE;
        send_ipi(a);
        break;
    case LAPIC_ICR_HI: a->icr_hi = v & 0xFF000000u; break;
    case LAPIC_TIMER_ICR:
        if (timer_mode(a) == TIMER_TSC_DEADLINE)
            break; /* ignored in TSC-deadline mode (SDM vol. 3 §10.5.4.1) */
        a->timer_initial = v;
        a->timer_base_count = v; /* 0 stops the timer */
        a->timer_base_ns = vclock_now(a->clock);
        a->timer_shift = dcr_shift(a->timer_dcr);
        timer_rearm(a);
        break;
    case LAPIC_TIMER_DCR:
        timer_rebase(a);
        a->timer_dcr = v & 0xBu;
        a->timer_shift = dcr_shift(a->timer_dcr);
        timer_rearm(a);
        break;
    case LAPIC_VER:
    case LAPIC_APR:
    case LAPIC_PPR:
    case LAPIC_RRD:
    case LAPIC_TIMER_CCR:
        break; /* read-only */
    default:
        report_error(a, ESR_ILLEGAL_REGISTER);
        break;
    }
}

uint64_t lapic_mmio_read(struct lapic *a, uint64_t offset, unsigned size)
{
    if (size > 8)
        size = 8;
    uint64_t value = 0;
    unsigned cached_reg = ~0u;
    uint32_t reg_value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t at = offset + i;
        if (at >= LAPIC_MMIO_SIZE)
            break;
        unsigned reg = (unsigned)at & 0xFF0u, byte = (unsigned)at & 0xFu;
        if (byte >= 4)
            continue; /* bytes 4-15 of each 16-byte slot are reserved: read as 0 */
        if (reg != cached_reg) {
            bool valid;
            reg_value = reg_read(a, reg, &valid);
            if (!valid)
                report_error(a, ESR_ILLEGAL_REGISTER);
            cached_reg = reg;
        }
        value |= (uint64_t)((reg_value >> (8 * byte)) & 0xFFu) << (8 * i);
    }
    update_intr(a);
    return value;
}

void lapic_mmio_write(struct lapic *a, uint64_t offset, uint64_t value, unsigned size)
{
    /* Only a dword (or the low half of a qword) at the start of a register
     * does anything: SDM vol. 3 §10.4.1 leaves other accesses undefined. */
    if ((size == 4 || size == 8) && offset < LAPIC_MMIO_SIZE && (offset & 0xFu) == 0)
        reg_write(a, (unsigned)offset, (uint32_t)value);
    update_intr(a);
}

bool lapic_msr_read(struct lapic *a, uint32_t msr, uint64_t *value)
{
    if (msr != MSR_IA32_TSC_DEADLINE)
        return false;
    /* Reads 0 outside TSC-deadline mode (SDM vol. 3 §10.5.4.1). */
    *value = timer_mode(a) == TIMER_TSC_DEADLINE ? a->tsc_deadline : 0;
    return true;
}

bool lapic_msr_write(struct lapic *a, uint32_t msr, uint64_t value)
{
    if (msr != MSR_IA32_TSC_DEADLINE)
        return false;
    if (timer_mode(a) == TIMER_TSC_DEADLINE) { /* ignored in the other modes */
        a->tsc_deadline = value; /* 0 disarms */
        timer_rearm(a);
        update_intr(a);
    }
    return true;
}

/* ---- reset and enable ---- */

void lapic_reset(struct lapic *a)
{
    vclock_cancel(a->clock, &a->timer_event);
    a->id = 0; /* the BSP's initial APIC ID, as CPUID leaf 1 reports it */
    a->tpr = a->ldr = 0;
    a->dfr = 0xFFFFFFFFu;
    a->svr = 0xFFu;
    a->esr = a->esr_pending = 0;
    a->icr_lo = a->icr_hi = 0;
    for (unsigned k = 0; k < LVT_COUNT; k++)
        a->lvt[k] = LVT_MASKED;
    memset(a->irr, 0, sizeof a->irr);
    memset(a->isr, 0, sizeof a->isr);
    memset(a->tmr, 0, sizeof a->tmr);
    a->timer_initial = a->timer_dcr = 0;
    a->timer_base_count = 0;
    a->timer_base_ns = 0;
    a->timer_shift = dcr_shift(0);
    a->tsc_deadline = 0;
    update_intr(a);
}

void lapic_set_base(struct lapic *a, uint64_t msr)
{
    bool was_enabled = lapic_hw_enabled(a);
    a->base_msr = msr;
    /* Clearing EN loses the APIC's state: it comes back in its power-on
     * state, software-disabled (SDM vol. 3 §10.4.3). */
    if (was_enabled && !lapic_hw_enabled(a))
        lapic_reset(a);
    update_intr(a);
}

void lapic_init(struct lapic *a, struct vclock *clock, const struct lapic_wiring *wiring)
{
    *a = (struct lapic){0};
    a->clock = clock;
    if (wiring)
        a->wiring = *wiring;
    a->base_msr = LAPIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP;
    a->timer_event = (struct clock_event){.fire = timer_fire, .dev = a, .name = "lapic-timer"};
    lapic_reset(a);
}
