/* An interrupt message on the APIC bus: what an IOAPIC redirection entry or a
 * local APIC's ICR sends to the local APICs (Intel SDM vol. 3 §10.6 "Issuing
 * Interprocessor Interrupts" and the 82093AA datasheet §3.2.4, "I/O
 * Redirection Table Registers": the fields are the same in both). */
#ifndef RINGZERO_DEVICES_APIC_BUS_H
#define RINGZERO_DEVICES_APIC_BUS_H

#include <stdbool.h>
#include <stdint.h>

/* Delivery modes (ICR / redirection entry bits 8-10). */
enum apic_delivery {
    APIC_DM_FIXED = 0,
    APIC_DM_LOWEST = 1, /* lowest priority: with one CPU, the same as fixed */
    APIC_DM_SMI = 2,
    APIC_DM_NMI = 4,
    APIC_DM_INIT = 5,
    APIC_DM_SIPI = 6,   /* ICR only */
    APIC_DM_EXTINT = 7, /* LVT and IOAPIC only: the vector comes from the 8259's acknowledge */
};

struct apic_msg {
    uint8_t vector;
    uint8_t delivery; /* enum apic_delivery */
    uint8_t dest;     /* APIC ID (physical) or logical destination; 0xFF is broadcast */
    bool logical;     /* destination mode */
    bool level;       /* level-triggered: the receiver sets TMR and EOI is broadcast back */
};

#endif
