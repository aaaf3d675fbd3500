/* pc_apic_test.c - Check suite for the PC board's APIC wiring
 * (frontend/pc_apic.c): both APICs in the memory map, ISA IRQs reaching the
 * IOAPIC (IRQ 0 on input 2), the 8259 through LINT0 to the CPU's INTR, the
 * window following IA32_APIC_BASE, and no APIC on the flat board. */
#include "frontend/machine.h"
#include "frontend/pc_apic.h"
#include "cpu/cpu_state.h"

#include <check.h>
#include <stdlib.h>
#include <unistd.h>

#define BIOS "/usr/share/seabios/bios.bin"

static struct machine *make(enum machine_board board)
{
    char err[256];
    struct machine_config cfg = {.board = board, .ram_bytes = 32u << 20, .model = CPU_MODEL_P6};
    struct machine *m = machine_create(&cfg, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}

static const char *region_at(struct machine *m, uint64_t phys)
{
    const struct mem_region *r = physmem_find(m->mem, phys);
    return r ? r->name : "";
}

static void ioapic_entry(struct machine *m, unsigned pin, uint32_t low)
{
    physmem_write(m->mem, IOAPIC_DEFAULT_BASE, 0x10 + 2 * pin + 1, 4);
    physmem_write(m->mem, IOAPIC_DEFAULT_BASE + 0x10, 0, 4);
    physmem_write(m->mem, IOAPIC_DEFAULT_BASE, 0x10 + 2 * pin, 4);
    physmem_write(m->mem, IOAPIC_DEFAULT_BASE + 0x10, low, 4);
}

static bool irr(struct machine *m, unsigned v)
{
    return (physmem_read(m->mem, LAPIC_DEFAULT_BASE + LAPIC_IRR + (v / 32) * 0x10, 4) >> (v % 32)) & 1u;
}

START_TEST(test_flat_has_no_apic)
{
    struct machine *m = make(BOARD_FLAT);
    uint64_t v;
    ck_assert(!m->apic_ready);
    ck_assert(!pc_apic_msr_read(m, MSR_IA32_TSC_DEADLINE, &v));
    ck_assert(!pc_apic_msr_write(m, MSR_IA32_TSC_DEADLINE, 1));
    ck_assert_str_eq(region_at(m, LAPIC_DEFAULT_BASE), "");
    ck_assert(!m->cpu->apic_present);
    machine_destroy(m);
}
END_TEST

START_TEST(test_pc_wiring)
{
    if (access(BIOS, R_OK) != 0) {
        printf("skipped: " BIOS " not installed\n");
        return;
    }
    struct machine *m = make(BOARD_PC);
    ck_assert(m->apic_ready);
    ck_assert(m->cpu->apic_present && m->cpu->apic_tsc_deadline);
    ck_assert_str_eq(region_at(m, LAPIC_DEFAULT_BASE + 0x30), "lapic");
    ck_assert_str_eq(region_at(m, IOAPIC_DEFAULT_BASE), "ioapic");
    ck_assert_uint_eq(physmem_read(m->mem, LAPIC_DEFAULT_BASE + LAPIC_VER, 4), LAPIC_VERSION);

    /* enable the APIC; IRQ 0 -> input 2 -> vector 0x30, IRQ 1 -> input 1 -> 0x31 */
    physmem_write(m->mem, LAPIC_DEFAULT_BASE + LAPIC_SVR, 0x1FF, 4);
    ioapic_entry(m, 2, 0x30);
    ioapic_entry(m, 1, 0x31);
    ioapic_entry(m, 0, 0x3F);      /* nothing drives input 0 */
    struct irq_line irq0 = pc_isa_irq_line(m, 0), irq1 = pc_isa_irq_line(m, 1);
    irq_pulse(&irq0);
    ck_assert(irr(m, 0x30));
    ck_assert(!irr(m, 0x3F));
    ck_assert(m->cpu->intr_line);
    irq_pulse(&irq1);
    ck_assert(irr(m, 0x31));
    ck_assert_int_eq(pc_apic_intr_ack(m), 0x31);
    ck_assert_int_eq(pc_apic_intr_ack(m), 0xFF); /* 0x30 waits for the EOI: spurious */
    physmem_write(m->mem, LAPIC_DEFAULT_BASE + LAPIC_EOI, 0, 4);
    ck_assert_int_eq(pc_apic_intr_ack(m), 0x30);
    physmem_write(m->mem, LAPIC_DEFAULT_BASE + LAPIC_EOI, 0, 4);
    ck_assert(!m->cpu->intr_line);

    /* the 8259's INTR through LINT0 (ExtINT) */
    pc_apic_pic_intr(m, true);
    ck_assert(!m->cpu->intr_line);  /* LINT0 masked */
    physmem_write(m->mem, LAPIC_DEFAULT_BASE + LAPIC_LVT_LINT0, 0x700, 4);
    ck_assert(m->cpu->intr_line);
    pc_apic_pic_intr(m, false);
    ck_assert(!m->cpu->intr_line);

    /* IA32_APIC_BASE moves the window, EN = 0 parks it */
    ck_assert(pc_apic_msr_write(m, MSR_IA32_APIC_BASE, 0xFED00900u));
    ck_assert_str_eq(region_at(m, 0xFED00000u), "lapic");
    ck_assert_str_eq(region_at(m, LAPIC_DEFAULT_BASE), "");
    ck_assert(pc_apic_msr_write(m, MSR_IA32_APIC_BASE, 0xFEE00100u));
    ck_assert_str_eq(region_at(m, LAPIC_DEFAULT_BASE), "");
    ck_assert_str_eq(region_at(m, 0xFED00000u), "");
    /* over RAM: refused, parked (a message on stderr) */
    ck_assert(pc_apic_msr_write(m, MSR_IA32_APIC_BASE, 0x00100900u));
    ck_assert_str_eq(region_at(m, 0x00100000u), "ram-high");
    ck_assert(pc_apic_msr_write(m, MSR_IA32_APIC_BASE, 0xFEE00900u));
    ck_assert_str_eq(region_at(m, LAPIC_DEFAULT_BASE), "lapic");
    uint64_t v = 1;
    ck_assert(pc_apic_msr_read(m, MSR_IA32_TSC_DEADLINE, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(!pc_apic_msr_read(m, 0x12345, &v));
    machine_destroy(m);
}
END_TEST

static Suite *pc_apic_suite(void)
{
    Suite *s = suite_create("pc_apic");
    TCase *tc = tcase_create("wiring");
    tcase_add_test(tc, test_flat_has_no_apic);
    tcase_add_test(tc, test_pc_wiring);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pc_apic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
