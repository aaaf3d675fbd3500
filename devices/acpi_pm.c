/* ACPI fixed-hardware PM registers (see acpi_pm.h). */
#include "acpi_pm.h"

#include <string.h>

#define NS_PER_S 1000000000ull
#define TMR_HALF_SHIFT 23 /* TMR_STS is set when bit 23 of the counter changes (ACPI 6.x §4.8.3.3) */
#define EN_WRITABLE (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | ACPI_PM1_RTC)
#define CNT_WRITABLE (ACPI_PM1_BM_RLD | ACPI_PM1_SLP_TYP)

/* Timer ticks since power-on, unwrapped; split so that nothing overflows. */
static uint64_t ticks_at(uint64_t ns)
{
    return ns / NS_PER_S * ACPI_PM_TIMER_HZ + ns % NS_PER_S * ACPI_PM_TIMER_HZ / NS_PER_S;
}

/* The first virtual time at which the unwrapped count reaches `ticks`. */
static uint64_t ns_of_tick(uint64_t ticks)
{
    return ticks / ACPI_PM_TIMER_HZ * NS_PER_S + (ticks % ACPI_PM_TIMER_HZ * NS_PER_S + ACPI_PM_TIMER_HZ - 1) /
                                                     ACPI_PM_TIMER_HZ;
}

uint32_t acpi_pm_timer_at(uint64_t now_ns) { return (uint32_t)(ticks_at(now_ns) & ACPI_PM_TIMER_MASK); }

static void update_sci(struct acpi_pm *pm)
{
    bool level = (pm->cnt & ACPI_PM1_SCI_EN) && (pm->sts & pm->en & EN_WRITABLE);
    if (level != pm->sci_level) {
        pm->sci_level = level;
        irq_set(&pm->sci, level);
    }
}

/* Brings TMR_STS up to date with the clock. */
static void sync_timer_status(struct acpi_pm *pm)
{
    uint64_t half = ticks_at(vclock_now(pm->clock)) >> TMR_HALF_SHIFT;
    if (half != pm->tmr_half_seen) {
        pm->tmr_half_seen = half;
        pm->sts |= ACPI_PM1_TMR;
    }
}

/* With TMR_EN set, an event at the next change of bit 23 raises the SCI then. */
static void arm_timer_event(struct acpi_pm *pm)
{
    if (pm->en & ACPI_PM1_TMR)
        vclock_arm(pm->clock, &pm->tmr_event, ns_of_tick((pm->tmr_half_seen + 1) << TMR_HALF_SHIFT));
    else if (pm->tmr_event.armed)
        vclock_cancel(pm->clock, &pm->tmr_event);
}

static void timer_event(void *dev, uint64_t now)
{
    (void)now;
    struct acpi_pm *pm = dev;
    sync_timer_status(pm);
    update_sci(pm);
    arm_timer_event(pm);
}

void acpi_pm_reset(struct acpi_pm *pm)
{
    pm->sts = 0;
    pm->en = 0;
    pm->cnt = ACPI_PM1_SCI_EN;
    pm->powered_off = false;
    pm->tmr_half_seen = ticks_at(vclock_now(pm->clock)) >> TMR_HALF_SHIFT;
    arm_timer_event(pm);
    update_sci(pm);
}

void acpi_pm_press_power_button(struct acpi_pm *pm)
{
    pm->sts |= ACPI_PM1_PWRBTN;
    update_sci(pm);
}

/* The register file as bytes, for reads of any width at any offset. */
static uint8_t read_byte(struct acpi_pm *pm, unsigned offset, uint32_t timer)
{
    switch (offset) {
    case ACPI_PM_EVT_OFFSET: return (uint8_t)pm->sts;
    case ACPI_PM_EVT_OFFSET + 1: return (uint8_t)(pm->sts >> 8);
    case ACPI_PM_EVT_OFFSET + 2: return (uint8_t)pm->en;
    case ACPI_PM_EVT_OFFSET + 3: return (uint8_t)(pm->en >> 8);
    case ACPI_PM_CNT_OFFSET: return (uint8_t)pm->cnt;
    case ACPI_PM_CNT_OFFSET + 1: return (uint8_t)(pm->cnt >> 8); /* SLP_EN reads 0: never stored */
    case ACPI_PM_TMR_OFFSET:
    case ACPI_PM_TMR_OFFSET + 1:
    case ACPI_PM_TMR_OFFSET + 2:
    case ACPI_PM_TMR_OFFSET + 3: return (uint8_t)(timer >> (8 * (offset - ACPI_PM_TMR_OFFSET)));
    default: return 0; /* reserved */
    }
}

static uint32_t pm_read(void *dev, uint16_t offset, unsigned size)
{
    struct acpi_pm *pm = dev;
    sync_timer_status(pm);
    uint32_t timer = acpi_pm_timer_at(vclock_now(pm->clock)); /* one sample for the whole access */
    uint32_t value = 0;
    for (unsigned k = 0; k < size && k < 4; k++)
        value |= (uint32_t)(offset + k < ACPI_PM_SIZE ? read_byte(pm, offset + k, timer) : 0xFF) << (8 * k);
    return value;
}

static void write_sts(struct acpi_pm *pm, uint16_t value)
{
    sync_timer_status(pm); /* a pending overflow is cleared by this write too, not raised after it */
    pm->sts &= (uint16_t)~value;
}

static void write_cnt(struct acpi_pm *pm, uint16_t value, uint16_t mask)
{
    pm->cnt = (uint16_t)((pm->cnt & ~(mask & CNT_WRITABLE)) | (value & mask & CNT_WRITABLE));
    if ((value & mask & ACPI_PM1_SLP_EN) &&
        ((pm->cnt & ACPI_PM1_SLP_TYP) >> ACPI_PM1_SLP_TYP_SHIFT) == ACPI_PM_SLP_TYP_S5) {
        pm->powered_off = true;
        if (pm->power_off)
            pm->power_off(pm->opaque);
    }
}

/* Bytes of one access are gathered per 16-bit register and applied once, so a
 * word write of SLP_TYP with SLP_EN acts on the new type. */
static void pm_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct acpi_pm *pm = dev;
    uint16_t val[ACPI_PM_SIZE / 2] = {0}, mask[ACPI_PM_SIZE / 2] = {0};
    for (unsigned k = 0; k < size && k < 4; k++) {
        unsigned at = offset + k;
        if (at >= ACPI_PM_SIZE)
            break;
        unsigned shift = 8 * (at & 1);
        val[at / 2] |= (uint16_t)(((value >> (8 * k)) & 0xFF) << shift);
        mask[at / 2] |= (uint16_t)(0xFF << shift);
    }
    if (mask[0])
        write_sts(pm, val[0]); /* write-1-to-clear: unwritten bytes are zero */
    if (mask[1]) {
        pm->en = (uint16_t)((pm->en & ~(mask[1] & EN_WRITABLE)) | (val[1] & mask[1] & EN_WRITABLE));
        sync_timer_status(pm);
        arm_timer_event(pm);
    }
    if (mask[2])
        write_cnt(pm, val[2], mask[2]);
    /* offsets 6-11: reserved and the read-only timer */
    update_sci(pm);
}

int acpi_pm_attach(struct acpi_pm *pm, struct iobus *bus, struct vclock *clock, const struct irq_line *sci,
                   uint16_t base, char *err, size_t err_len)
{
    memset(pm, 0, sizeof *pm);
    pm->clock = clock;
    pm->base = base;
    if (sci)
        pm->sci = *sci;
    pm->tmr_event = (struct clock_event){.fire = timer_event, .dev = pm, .name = "acpi-pm-timer"};
    struct io_region r = {.name = "acpi-pm", .base = base, .size = ACPI_PM_SIZE, .widths = 1 | 2 | 4,
                          .read = pm_read, .write = pm_write, .dev = pm};
    if (iobus_register(bus, &r, err, err_len) != 0)
        return -1;
    acpi_pm_reset(pm);
    return 0;
}
