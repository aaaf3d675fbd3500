/* The PC board's APICs and their wiring: the local APIC's window where
 * IA32_APIC_BASE puts it, the IOAPIC at 0xFEC00000, the 8259's INTR on LINT0,
 * every ISA IRQ to both the 8259 and the IOAPIC, and the CPU's INTR, interrupt
 * acknowledge and platform MSRs through the local APIC.
 *
 * ISA IRQ n drives IOAPIC input n, except IRQ 0 (the PIT), which drives input 2
 * as SeaBIOS's MP table says ("etc/irq0-override", src/fw/mptable.c) and as
 * the ACPI MADT of the PC describes it; ISA IRQ 2 is the 8259 cascade and no
 * input.  No PCI device of ours raises INTx (IDE runs in compatibility mode on
 * IRQ 14/15), so IOAPIC inputs 16-23 stay unconnected. */
#ifndef RINGZERO_FRONTEND_PC_APIC_H
#define RINGZERO_FRONTEND_PC_APIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/irq.h"

struct machine;

/* Creates both APICs, maps them, and tells the CPU (CPUID) it has an APIC
 * with the TSC-deadline timer.  After this the hooks below route through them. */
int pc_apic_attach(struct machine *m, char *err, size_t err_len);
/* System reset, after cpu_reset (which stored IA32_APIC_BASE's power-on value):
 * both APICs back to power-on state, the CPU's INTR driven again. */
void pc_apic_reset(struct machine *m);

/* The line a device drives for ISA IRQ `irq`: the 8259 and the IOAPIC both hear it. */
struct irq_line pc_isa_irq_line(struct machine *m, unsigned irq);

/* The 8259's INTR output changed (to LINT0). */
void pc_apic_pic_intr(struct machine *m, bool level);
/* The CPU's interrupt acknowledge. */
int pc_apic_intr_ack(struct machine *m);

/* cpu_bus MSR hooks (opaque is the machine): IA32_APIC_BASE, IA32_TSC_DEADLINE. */
bool pc_apic_msr_read(void *opaque, uint32_t msr, uint64_t *value);
bool pc_apic_msr_write(void *opaque, uint32_t msr, uint64_t value);
unsigned pc_apic_tpr_class_get(void *opaque);
void pc_apic_tpr_class_set(void *opaque, unsigned cls);

#endif
