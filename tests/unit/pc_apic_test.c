/* pc_apic_test.c - Check suite for the PC board's APIC wiring
 * (frontend/pc_apic.c): both APICs in the memory map, ISA IRQs reaching the
 * IOAPIC (IRQ 0 on input 2), the 8259 through LINT0 to the CPU's INTR, the
 * window following IA32_APIC_BASE, and no APIC on the flat board. */
#include "frontend/machine.h"
#include "frontend/pc_apic.h"
#include "cpu/cpu_state.h"
#include "cpu/seg.h"

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

/* CR8 is the APIC's task-priority class: MOV CR8 in 64-bit mode reads and
 * writes TPR[7:4] (SDM vol. 3 §10.8.6.5), and a TPR written through the MMIO
 * window shows up in CR8. */
START_TEST(test_cr8_is_tpr)
{
    if (access(BIOS, R_OK) != 0) {
        printf("skipped: " BIOS " not installed\n");
        return;
    }
    char err[256];
    struct machine_config cfg = {.board = BOARD_PC, .ram_bytes = 32u << 20, .model = CPU_MODEL_P6,
                                 .bios_path = BIOS};
    struct machine *m = machine_create(&cfg, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    struct cpu *c = m->cpu;
    /* 64-bit mode, identity-mapped first 2 MiB (PML4 0x1000, PDPT 0x2000, PD 0x3000) */
    physmem_write(m->mem, 0x1000, 0x2003, 8);
    physmem_write(m->mem, 0x2000, 0x3003, 8);
    physmem_write(m->mem, 0x3000, 0x83, 8);
    c->cr3 = 0x1000;
    c->cr4 |= 0x20;
    c->efer = 0x500;
    c->cr0 |= CR0_PE | CR0_PG;
    c->seg[S_CS] = (struct seg_cache){.base = 0, .limit = ~0ull, .sel = 8, .attr = 0xA09B};
    c->seg[S_SS] = (struct seg_cache){.base = 0, .limit = ~0ull, .sel = 16, .attr = 0xC093};
    cpu_update_mode(c);
    /* mov cr8, rax; mov rbx, cr8; mov rcx, cr8 (after the MMIO write below); hlt */
    static const uint8_t code[] = {0x44, 0x0F, 0x22, 0xC0, 0x44, 0x0F, 0x20, 0xC3, 0xF4};
    physmem_write_block(m->mem, 0x8000, code, sizeof code);
    c->rip = 0x8000;
    c->regs[R_AX] = 0x9;
    ck_assert_int_eq(cpu_run(c, 2), CPU_STOP_BUDGET);
    ck_assert_uint_eq(c->regs[R_BX], 0x9);
    ck_assert_uint_eq(physmem_read(m->mem, LAPIC_DEFAULT_BASE + 0x80, 4), 0x90); /* TPR */
    physmem_write(m->mem, LAPIC_DEFAULT_BASE + 0x80, 0x5C, 4);
    c->rip = 0x8004;
    ck_assert_int_eq(cpu_run(c, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(c->regs[R_BX], 0x5);
    machine_destroy(m);
}
END_TEST

static Suite *pc_apic_suite(void)
{
    Suite *s = suite_create("pc_apic");
    TCase *tc = tcase_create("wiring");
    tcase_add_test(tc, test_flat_has_no_apic);
    tcase_add_test(tc, test_pc_wiring);
    tcase_add_test(tc, test_cr8_is_tpr);
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
