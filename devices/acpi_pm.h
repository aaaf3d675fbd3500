/* The ACPI fixed-hardware power-management registers of the PC board, at a
 * fixed I/O base (0x600, where QEMU's PIIX4 PM puts its PMBA); the FADT built
 * by bios/acpi.c points at them.  ACPI 6.x §4.8 (fixed hardware programming
 * model):
 *
 *   base+0  PM1a_EVT_BLK (4 bytes): PM1_STS (16 bits, write 1 to clear), then
 *           PM1_EN (16 bits)                                        §4.8.3.1
 *   base+4  PM1a_CNT_BLK (2 bytes): PM1_CNT — SCI_EN (read-only 1: the FADT
 *           declares no SMI_CMD, so the machine is always in ACPI mode),
 *           SLP_TYP (bits 10-12) and SLP_EN (bit 13, write-only)     §4.8.3.2
 *   base+6  reserved (reads 0)
 *   base+8  PM_TMR_BLK (4 bytes): the 24-bit power-management timer at
 *           3.579545 MHz, read-only, counting virtual time          §4.8.3.3
 *
 * Writing SLP_EN with SLP_TYP = ACPI_PM_SLP_TYP_S5 (the value the DSDT's \_S5
 * package names) asks for soft-off: power_off is called.  Other sleep types are
 * not declared in the DSDT and do nothing.  TMR_STS is set each time bit 23
 * of the timer changes; with TMR_EN set an event is armed for that moment.
 * The SCI is a level: high while any status bit is set with its enable bit. */
#ifndef RINGZERO_DEVICES_ACPI_PM_H
#define RINGZERO_DEVICES_ACPI_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "iobus.h"
#include "irq.h"

#define ACPI_PM_BASE       0x600
#define ACPI_PM_EVT_OFFSET 0
#define ACPI_PM_EVT_LEN    4
#define ACPI_PM_CNT_OFFSET 4
#define ACPI_PM_CNT_LEN    2
#define ACPI_PM_TMR_OFFSET 8
#define ACPI_PM_TMR_LEN    4
#define ACPI_PM_SIZE       12

#define ACPI_PM_TIMER_HZ   3579545u
#define ACPI_PM_TIMER_MASK 0xFFFFFFu /* 24 bits (FADT flag TMR_VAL_EXT clear) */

/* PM1_STS / PM1_EN bits (ACPI 6.x Tables 4.16 and 4.17). */
#define ACPI_PM1_TMR      0x0001
#define ACPI_PM1_BM       0x0010 /* status only */
#define ACPI_PM1_GBL      0x0020
#define ACPI_PM1_PWRBTN   0x0100
#define ACPI_PM1_SLPBTN   0x0200
#define ACPI_PM1_RTC      0x0400
#define ACPI_PM1_WAK      0x8000 /* status only */
/* PM1_CNT bits (Table 4.18). */
#define ACPI_PM1_SCI_EN   0x0001
#define ACPI_PM1_BM_RLD   0x0002
#define ACPI_PM1_GBL_RLS  0x0004
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP  0x1C00
#define ACPI_PM1_SLP_EN   0x2000

/* The SLP_TYP value that means soft-off (S5); SeaBIOS's APM power-off writes
 * SLP_EN with SLP_TYP 0 too. */
#define ACPI_PM_SLP_TYP_S5 0

struct acpi_pm {
    struct vclock *clock;
    struct irq_line sci;
    uint16_t base;
    uint16_t sts, en, cnt;
    uint64_t tmr_half_seen;   /* (timer ticks >> 23) when TMR_STS was last brought up to date */
    struct clock_event tmr_event;
    bool sci_level;
    bool powered_off;         /* SLP_EN with the S5 type was written */
    void (*power_off)(void *opaque);
    void *opaque;
};

/* Registers the ports at `base` (ACPI_PM_BASE on the PC) and powers on. */
int acpi_pm_attach(struct acpi_pm *pm, struct iobus *bus, struct vclock *clock, const struct irq_line *sci,
                   uint16_t base, char *err, size_t err_len);
/* Power-on state: status and enables clear, SCI_EN set, SCI low.  The timer
 * keeps counting (it runs from the virtual clock). */
void acpi_pm_reset(struct acpi_pm *pm);
/* The timer value (24 bits) at virtual time now_ns. */
uint32_t acpi_pm_timer_at(uint64_t now_ns);
/* A press of the fixed-feature power button: PWRBTN_STS, and the SCI if enabled. */
void acpi_pm_press_power_button(struct acpi_pm *pm);

#endif
