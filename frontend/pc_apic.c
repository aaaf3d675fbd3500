/* The PC board's APIC wiring (see pc_apic.h). */
#include "pc_apic.h"

#include <stdio.h>

#include "cpu/cpu_state.h"
#include "machine.h"

/* Where the local APIC's window waits while IA32_APIC_BASE.EN is clear (or the
 * guest named an address that is taken): far above any RAM or BAR, beside the
 * VGA's parking places. */
#define PARK_LAPIC 0xFF3000000000ull

#define IOAPIC_ISA_IRQ0_PIN 2

static uint64_t lapic_mmio_read_op(void *dev, uint64_t offset, unsigned size)
{
    struct machine *m = dev;
    machine_sync_clock(m); /* the timer's current count is computed from now */
    return lapic_mmio_read(&m->lapic, offset, size);
}

static void lapic_mmio_write_op(void *dev, uint64_t offset, uint64_t value, unsigned size)
{
    struct machine *m = dev;
    machine_sync_clock(m);
    lapic_mmio_write(&m->lapic, offset, value, size);
    machine_reslice_if_needed(m); /* the guest may have armed the timer sooner */
}

static const struct mmio_ops lapic_ops = {.read = lapic_mmio_read_op, .write = lapic_mmio_write_op};

static uint64_t ioapic_mmio_read_op(void *dev, uint64_t offset, unsigned size)
{
    return ioapic_mmio_read(dev, offset, size);
}

static void ioapic_mmio_write_op(void *dev, uint64_t offset, uint64_t value, unsigned size)
{
    ioapic_mmio_write(dev, offset, value, size);
}

static const struct mmio_ops ioapic_ops = {.read = ioapic_mmio_read_op, .write = ioapic_mmio_write_op};

/* ---- local APIC outputs ---- */

static void lapic_to_cpu_intr(void *opaque, bool level)
{
    struct machine *m = opaque;
    cpu_set_intr(m->cpu, level);
}

static int lapic_extint_ack(void *opaque)
{
    struct machine *m = opaque;
    return pic8259_intr_ack(&m->pic);
}

static void lapic_eoi_to_ioapic(void *opaque, uint8_t vector)
{
    struct machine *m = opaque;
    ioapic_eoi(&m->ioapic, vector);
}

static uint64_t lapic_cpu_tsc(void *opaque)
{
    struct machine *m = opaque;
    return cpu_tsc(m->cpu);
}

static bool ioapic_to_lapic(void *opaque, const struct apic_msg *msg)
{
    struct machine *m = opaque;
    return lapic_deliver(&m->lapic, msg);
}

/* ---- ISA IRQ fan-out ---- */

static void isa_irq_set(void *sink, unsigned irq, bool level)
{
    struct machine *m = sink;
    pic8259_set_irq(&m->pic, irq, level);
    if (!m->apic_ready || irq == 2)
        return;
    ioapic_set_irq(&m->ioapic, irq == 0 ? IOAPIC_ISA_IRQ0_PIN : irq, level);
}

struct irq_line pc_isa_irq_line(struct machine *m, unsigned irq)
{
    struct irq_line l = {.set_level = isa_irq_set, .sink = m, .pin = irq};
    return l;
}

void pc_apic_pic_intr(struct machine *m, bool level)
{
    if (m->apic_ready)
        lapic_set_lint(&m->lapic, 0, level);
    else
        cpu_set_intr(m->cpu, level);
}

int pc_apic_intr_ack(struct machine *m)
{
    if (m->apic_ready)
        return lapic_intr_ack(&m->lapic);
    return pic8259_intr_ack(&m->pic);
}

/* ---- IA32_APIC_BASE: the window follows it ---- */

static void place_lapic_window(struct machine *m)
{
    uint64_t want = lapic_hw_enabled(&m->lapic) ? lapic_base_address(&m->lapic) : PARK_LAPIC;
    if (m->lapic_mmio->base == want)
        return;
    char err[256];
    if (physmem_move_region(m->mem, m->lapic_mmio, want, err, sizeof err) != 0) {
        /* The guest put it over something else: it is not reachable there. */
        fprintf(stderr, "ringzero: local APIC window at 0x%llx not mapped: %s\n", (unsigned long long)want, err);
        if (m->lapic_mmio->base != PARK_LAPIC)
            physmem_move_region(m->mem, m->lapic_mmio, PARK_LAPIC, err, sizeof err);
    }
}

bool pc_apic_msr_read(void *opaque, uint32_t msr, uint64_t *value)
{
    struct machine *m = opaque;
    if (!m->apic_ready)
        return false;
    machine_sync_clock(m);
    return lapic_msr_read(&m->lapic, msr, value);
}

bool pc_apic_msr_write(void *opaque, uint32_t msr, uint64_t value)
{
    struct machine *m = opaque;
    if (!m->apic_ready)
        return false;
    machine_sync_clock(m);
    if (msr == MSR_IA32_APIC_BASE) {
        lapic_set_base(&m->lapic, value);
        place_lapic_window(m);
        return true;
    }
    bool handled = lapic_msr_write(&m->lapic, msr, value);
    machine_reslice_if_needed(m); /* TSC deadline */
    return handled;
}

/* CR8 <-> TPR[7:4] (SDM vol. 3 §10.8.6.5); writing CR8 clears TPR[3:0]. */
unsigned pc_apic_tpr_class_get(void *opaque)
{
    struct machine *m = opaque;
    return m->apic_ready ? (m->lapic.tpr >> 4) & 0xF : 0;
}

void pc_apic_tpr_class_set(void *opaque, unsigned cls)
{
    struct machine *m = opaque;
    if (m->apic_ready) {
        machine_sync_clock(m);
        lapic_set_tpr(&m->lapic, (cls & 0xF) << 4);
    }
}

/* ---- assembly ---- */

int pc_apic_attach(struct machine *m, char *err, size_t err_len)
{
    struct lapic_wiring w = {
        .set_intr = lapic_to_cpu_intr,
        .extint_ack = lapic_extint_ack,
        .eoi_broadcast = lapic_eoi_to_ioapic,
        .tsc = lapic_cpu_tsc,
        .tsc_period_ns = m->ns_per_insn, /* the TSC counts retired instructions */
        .opaque = m,
    };
    lapic_init(&m->lapic, &m->clock, &w);
    ioapic_init(&m->ioapic, ioapic_to_lapic, m);
    if (!(m->lapic_mmio = physmem_add_mmio(m->mem, "lapic", PARK_LAPIC, LAPIC_MMIO_SIZE, &lapic_ops, m, err,
                                           err_len)) ||
        !(m->ioapic_mmio = physmem_add_mmio(m->mem, "ioapic", IOAPIC_DEFAULT_BASE, IOAPIC_MMIO_SIZE, &ioapic_ops,
                                            &m->ioapic, err, err_len)))
        return -1;
    m->apic_ready = true;
    lapic_set_base(&m->lapic, m->cpu->msr_apic_base);
    place_lapic_window(m);
    lapic_set_lint(&m->lapic, 0, m->pic.intr_level);
    cpu_set_apic(m->cpu, true, true);
    return 0;
}

void pc_apic_reset(struct machine *m)
{
    if (!m->apic_ready)
        return;
    lapic_reset(&m->lapic);
    ioapic_reset(&m->ioapic);
    /* cpu_reset dropped the CPU's pending INTR; the APIC's output may not have changed. */
    cpu_set_intr(m->cpu, m->lapic.intr);
}
