/* Unit tests of protected-mode segmentation (cpu/desc.c, cpu/seg.c), far
 * transfers and gates (cpu/branch.c) and IDT delivery (cpu/fault.c): every
 * failing segment load raises the right vector and error code and changes
 * nothing; call gates with parameters across privilege levels; interrupts from
 * CPL 3 to CPL 0 with a stack switch and an error code; IRET back to CPL 3;
 * expand-down limits; conforming code; virtual-8086 mode entry and exit;
 * staged stack writes under paging.
 *
 * The machine: 2 MiB of RAM, a GDT at 0x1000, an IDT at 0x2000 whose vector V
 * (0-31) leads to a HLT at STUB(V), and a 32-bit TSS at 0x3000 with the ring-0
 * stack at 0x8000.  Tests set the protected-mode state directly (except the
 * first, which enters protected mode the way a program does). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/desc.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "mem/physmem.h"

static struct physmem *pm;
static struct cpu *cpu;
static char err[256];

enum {
    GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, TSS2 = 0x3100, LDT = 0x4000,
    STACK0 = 0x8000, STACK3 = 0x6F00, CODE = 0x10000,
    GATE32_ENTRY = 0x600, GATE16_ENTRY = 0x640, RING0_IRET = 0x680,
    INT80 = 0x700, INT81 = 0x710,
};
#define STUB(v) (0x500u + (v) * 4u)

/* GDT selectors */
enum {
    SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_CODE3 = 0x18, SEL_DATA3 = 0x20, SEL_TSS = 0x28,
    SEL_CGATE32 = 0x30, SEL_RODATA = 0x38, SEL_XOCODE = 0x40, SEL_EXPDOWN16 = 0x48, SEL_ABSENT = 0x50,
    SEL_CONFORM0 = 0x58, SEL_EXPDOWN3 = 0x60, SEL_CGATE16 = 0x68, SEL_LDT = 0x70, SEL_TSS2 = 0x78,
    SEL_ABSENT_CODE = 0x80, SEL_CODE1 = 0x88, SEL_DATA1 = 0x90, SEL_CGATE_R1 = 0x98,
    GDT_LIMIT = 0xFF,
};

static uint32_t port_in(void *o, uint16_t p, unsigned s) { (void)o; (void)p; return 0xFFFFFFFFu >> (32 - 8 * s); }
static void port_out(void *o, uint16_t p, uint32_t v, unsigned s) { (void)o; (void)p; (void)v; (void)s; }

/* access: the P/DPL/S/type byte; flags: the G, D/B, L, AVL nibble */
static uint64_t mkdesc(uint32_t base, uint32_t limit, unsigned access, unsigned flags)
{
    return (limit & 0xFFFF) | ((uint64_t)(base & 0xFFFFFF) << 16) | ((uint64_t)access << 40) |
           ((uint64_t)((limit >> 16) & 0xF) << 48) | ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}
static uint64_t mkgate(uint16_t sel, uint32_t off, unsigned access, unsigned params)
{
    return (off & 0xFFFF) | ((uint64_t)sel << 16) | ((uint64_t)params << 32) | ((uint64_t)access << 40) |
           ((uint64_t)(off >> 16) << 48);
}
static void set_gdt(unsigned sel, uint64_t d) { physmem_write(pm, GDT + (sel & ~7u), d, 8); }
static uint32_t rd32(uint64_t a) { return (uint32_t)physmem_read(pm, a, 4); }
static uint16_t rd16(uint64_t a) { return (uint16_t)physmem_read(pm, a, 2); }

static void put(uint64_t addr, const char *hex)
{
    for (const char *p = hex; p[0] && p[1];) {
        unsigned v;
        ck_assert_int_eq(sscanf(p, "%2x", &v), 1);
        physmem_write(pm, addr++, v, 1);
        p += 2;
        while (*p == ' ')
            p++;
    }
}

static void build_tables(void)
{
    set_gdt(0, 0);
    set_gdt(SEL_CODE0, mkdesc(0, 0xFFFFF, 0x9A, 0xC));
    set_gdt(SEL_DATA0, mkdesc(0, 0xFFFFF, 0x92, 0xC));
    set_gdt(SEL_CODE3, mkdesc(0, 0xFFFFF, 0xFA, 0xC));
    set_gdt(SEL_DATA3, mkdesc(0, 0xFFFFF, 0xF2, 0xC));
    set_gdt(SEL_TSS, mkdesc(TSS, 0x67, 0x8B, 0)); /* busy: TR is loaded with it */
    set_gdt(SEL_CGATE32, mkgate(SEL_CODE0, GATE32_ENTRY, 0xEC, 2));
    set_gdt(SEL_RODATA, mkdesc(0, 0xFFFFF, 0x90, 0xC));
    set_gdt(SEL_XOCODE, mkdesc(0, 0xFFFFF, 0x98, 0xC));
    set_gdt(SEL_EXPDOWN16, mkdesc(0, 0x0FFF, 0x96, 0x0));
    set_gdt(SEL_ABSENT, mkdesc(0, 0xFFFFF, 0x12, 0xC));
    set_gdt(SEL_CONFORM0, mkdesc(0, 0xFFFFF, 0x9E, 0xC));
    set_gdt(SEL_EXPDOWN3, mkdesc(0, 0x6FFF, 0xF6, 0x4)); /* B = 1: offsets 0x7000..0xFFFFFFFF */
    set_gdt(SEL_CGATE16, mkgate(SEL_CODE0, GATE16_ENTRY, 0xE4, 1));
    set_gdt(SEL_LDT, mkdesc(LDT, 0x17, 0x82, 0));
    set_gdt(SEL_TSS2, mkdesc(TSS2, 0x67, 0x89, 0));
    set_gdt(SEL_ABSENT_CODE, mkdesc(0, 0xFFFFF, 0x1A, 0xC));
    set_gdt(SEL_CODE1, mkdesc(0, 0xFFFFF, 0xBA, 0xC));
    set_gdt(SEL_DATA1, mkdesc(0, 0xFFFFF, 0xB2, 0xC));
    set_gdt(SEL_CGATE_R1, mkgate(SEL_CODE1, GATE32_ENTRY, 0xEC, 0));
    /* LDT: entry 0 a ring-3 data segment based at 0x50000 */
    physmem_write(pm, LDT, mkdesc(0x50000, 0xFFFF, 0xF2, 0x4), 8);
    /* IDT: vectors 0-31 interrupt gates (DPL 0) to HLT stubs; 0x80 DPL 3; 0x81 DPL 0 */
    for (unsigned v = 0; v < 32; v++) {
        physmem_write(pm, IDT + v * 8, mkgate(SEL_CODE0, STUB(v), 0x8E, 0), 8);
        physmem_write(pm, STUB(v), 0xF4, 1);
    }
    physmem_write(pm, IDT + 0x80 * 8, mkgate(SEL_CODE0, INT80, 0xEE, 0), 8);
    physmem_write(pm, IDT + 0x81 * 8, mkgate(SEL_CODE0, INT81, 0x8E, 0), 8);
    physmem_write(pm, INT80, 0xF4, 1);
    physmem_write(pm, INT81, 0xF4, 1);
    physmem_write(pm, GATE32_ENTRY, 0xF4, 1);
    physmem_write(pm, GATE16_ENTRY, 0xF4, 1);
    /* TSS: ESP0/SS0, ESP1/SS1 (SS1 deliberately invalid: a DPL-0 segment) */
    physmem_write(pm, TSS + 4, STACK0, 4);
    physmem_write(pm, TSS + 8, SEL_DATA0, 2);
    physmem_write(pm, TSS + 12, 0x7000, 4);
    physmem_write(pm, TSS + 16, SEL_DATA0 | 1, 2);
}

static void make_machine(void)
{
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, 2u << 20, err, sizeof err));
    struct cpu_bus bus = {.port_in = port_in, .port_out = port_out};
    cpu = cpu_create(pm, &bus, CPU_MODEL_P6);
    ck_assert_ptr_nonnull(cpu);
    build_tables();
}
static void teardown(void)
{
    cpu_destroy(cpu);
    physmem_destroy(pm);
}

/* Load a segment register's hidden part straight from the GDT/LDT (test setup). */
static void load_seg(unsigned s, uint16_t sel)
{
    struct desc d;
    if ((sel & 0xFFFC) == 0) {
        seg_cache_null(&cpu->seg[s], sel);
        return;
    }
    ck_assert(desc_read(cpu, sel, &d));
    seg_cache_from_desc(&cpu->seg[s], sel, &d);
}

/* 32-bit protected mode at `cpl` with flat segments, TR loaded, paging off. */
static void enter_pm(unsigned cpl)
{
    cpu->cr0 |= CR0_PE;
    cpu->gdtr.base = GDT;
    cpu->gdtr.limit = GDT_LIMIT;
    cpu->idtr.base = IDT;
    cpu->idtr.limit = 0x82 * 8 - 1;
    struct desc d;
    ck_assert(desc_read(cpu, SEL_TSS, &d));
    seg_cache_from_desc(&cpu->tr, SEL_TSS, &d);
    seg_cache_null(&cpu->ldtr, 0);
    cpu_set_cpl(cpu, cpl);
    load_seg(S_CS, cpl ? SEL_CODE3 | 3 : SEL_CODE0);
    uint16_t data = cpl ? SEL_DATA3 | 3 : SEL_DATA0;
    load_seg(S_SS, data);
    load_seg(S_DS, data);
    load_seg(S_ES, data);
    load_seg(S_FS, 0);
    load_seg(S_GS, 0);
    cpu->regs[R_SP] = cpl ? STACK3 : STACK0;
    cpu->eflags = 2;
    cpu_update_mode(cpu);
    tlb_flush(cpu);
    cpu_icache_flush(cpu);
    cpu->rip = CODE;
}
static void setup_pm0(void) { make_machine(); enter_pm(0); }
static void setup_pm3(void) { make_machine(); enter_pm(3); }

/* Run to a HLT and return the linear address of that HLT. */
static uint64_t run_to_halt(void)
{
    enum cpu_stop stop = cpu_run(cpu, 1000);
    ck_assert_int_eq(stop, CPU_STOP_HLT);
    cpu->halted = false;
    cpu->pending &= ~PEND_HALT;
    return cpu->seg[S_CS].base + cpu->rip - 1;
}
static uint32_t esp(void) { return (uint32_t)cpu->regs[R_SP]; }
/* The dword at ESP + k (flat SS) */
static uint32_t stk(unsigned k) { return rd32(cpu->seg[S_SS].base + esp() + k); }

/* ---- entering protected mode ---- */

START_TEST(enter_pm_with_far_jump)
{
    /* real mode at 0000:7C00: lgdt [0x7B00]; mov eax,cr0; or eax,1; mov cr0,eax;
     * jmp dword 0x08:0x7D00; then (32-bit) mov ax,0x10; mov ds,ax; mov ss,ax; hlt */
    physmem_write(pm, 0x7B00, GDT_LIMIT, 2);
    physmem_write(pm, 0x7B02, GDT, 4);
    put(0x7C00, "0F 01 16 00 7B  0F 20 C0  66 83 C8 01  0F 22 C0  66 EA 00 7D 00 00 08 00");
    put(0x7D00, "66 B8 10 00  8E D8  8E D0  F4");
    for (unsigned s = 0; s < S_COUNT; s++)
        cpu->seg[s].sel = 0, cpu->seg[s].base = 0;
    cpu->rip = 0x7C00;
    ck_assert_uint_eq(run_to_halt(), 0x7D08);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, SEL_CODE0);
    ck_assert(cpu->code32);
    ck_assert(cpu->stack32);
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(cpu->seg[S_DS].sel, SEL_DATA0);
    ck_assert_uint_eq(cpu->seg[S_DS].limit, 0xFFFFFFFFu);
    /* the loads set the accessed bits in the GDT */
    ck_assert_uint_eq(physmem_read(pm, GDT + SEL_DATA0 + 5, 1), 0x93);
    ck_assert_uint_eq(physmem_read(pm, GDT + SEL_CODE0 + 5, 1), 0x9B);
}
END_TEST

/* ---- segment-load checks ---- */

struct load_case {
    unsigned seg;       /* S_DS or S_SS */
    uint16_t sel;
    int vector;         /* -1: the load succeeds */
    uint32_t error;
};

START_TEST(segment_load_faults)
{
    static const struct load_case cases[] = {
        {S_DS, 0x3FF8, EXC_GP, 0x3FF8},                    /* beyond the GDT limit */
        {S_DS, SEL_XOCODE, EXC_GP, SEL_XOCODE},            /* execute-only code */
        {S_DS, SEL_TSS, EXC_GP, SEL_TSS},                  /* system segment */
        {S_DS, SEL_ABSENT, EXC_NP, SEL_ABSENT},            /* not present */
        {S_DS, SEL_CODE0 | 3, EXC_GP, SEL_CODE0},          /* RPL 3 > DPL 0 */
        {S_DS, 0x0004, EXC_GP, 0x0004},                    /* TI=1 with a null LDTR */
        {S_DS, SEL_CONFORM0 | 3, -1, 0},                   /* conforming code: no privilege check */
        {S_DS, SEL_CODE0, -1, 0},                          /* readable code */
        {S_DS, 0x0003, -1, 0},                             /* null: allowed */
        {S_SS, 0x0000, EXC_GP, 0},                         /* null SS */
        {S_SS, SEL_RODATA, EXC_GP, SEL_RODATA},            /* read-only */
        {S_SS, SEL_CODE0, EXC_GP, SEL_CODE0},              /* code */
        {S_SS, SEL_DATA3 | 3, EXC_GP, SEL_DATA3},          /* RPL and DPL 3 at CPL 0 */
        {S_SS, SEL_DATA0 | 3, EXC_GP, SEL_DATA0},          /* RPL != CPL */
        {S_SS, SEL_ABSENT, EXC_SS, SEL_ABSENT},            /* not present: #SS */
        {S_SS, SEL_EXPDOWN16, -1, 0},                      /* writable expand-down data */
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct load_case *t = &cases[k];
        enter_pm(0);
        /* mov ax,sel ; mov ds/ss,ax ; hlt */
        char code[64];
        snprintf(code, sizeof code, "66 B8 %02X %02X  8E %s  F4", t->sel & 0xFF, t->sel >> 8,
                 t->seg == S_SS ? "D0" : "D8");
        put(CODE, code);
        struct seg_cache before = cpu->seg[t->seg];
        uint64_t halt = run_to_halt();
        if (t->vector < 0) {
            ck_assert_msg(halt == CODE + 6, "case %u: halted at %llx", k, (unsigned long long)halt);
            ck_assert_uint_eq(cpu->seg[t->seg].sel, t->sel);
            continue;
        }
        ck_assert_msg(halt == STUB(t->vector), "case %u (sel %04x): halted at %llx", k, t->sel,
                      (unsigned long long)halt);
        /* nothing changed; the handler's frame (same level): error, EIP, CS, EFLAGS */
        ck_assert_uint_eq(cpu->seg[t->seg].sel, before.sel);
        ck_assert_uint_eq(cpu->seg[t->seg].base, before.base);
        ck_assert_uint_eq(cpu->seg[t->seg].check, before.check);
        ck_assert_uint_eq(esp(), STACK0 - 16);
        ck_assert_msg(stk(0) == t->error, "case %u: error code %x", k, stk(0));
        ck_assert_uint_eq(stk(4), CODE + 4);
        ck_assert_uint_eq(stk(8), SEL_CODE0);
    }
}
END_TEST

START_TEST(data_load_privilege_at_cpl3)
{
    /* mov ax,0x10 ; mov ds,ax at CPL 3: DPL 0 < CPL -> #GP(0x10), delivered to ring 0 */
    put(CODE, "66 B8 10 00  8E D8");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_DATA0);
    ck_assert_uint_eq(cpu->seg[S_DS].sel, SEL_DATA3 | 3);
}
END_TEST

/* ---- access checks: null, read-only, execute-only, expand-down ---- */

START_TEST(null_readonly_execonly_access)
{
    load_seg(S_DS, 0);
    put(CODE, "A1 00 00 00 00"); /* mov eax,[0] through a null DS */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0);

    enter_pm(0);
    load_seg(S_DS, SEL_RODATA);
    physmem_write(pm, 0x9100, 0x11223344, 4);
    put(CODE, "A1 00 91 00 00  A3 00 91 00 00  F4"); /* mov eax,[0x9100] ; mov [0x9100],eax */
    cpu->regs[R_AX] = 0;
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(cpu->regs[R_AX], 0x11223344); /* the read worked */
    ck_assert_uint_eq(stk(4), CODE + 5);            /* the write faulted */

    /* add [0x9100],eax: a read-modify-write to read-only data faults before reading */
    enter_pm(0);
    load_seg(S_DS, SEL_RODATA);
    put(CODE, "01 05 00 91 00 00 F4");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(rd32(0x9100), 0x11223344);

    /* code in an execute-only segment reading through CS */
    enter_pm(0);
    load_seg(S_CS, SEL_XOCODE);
    cpu_update_mode(cpu);
    put(CODE, "2E A1 00 91 00 00 F4");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(4), CODE);
    ck_assert_uint_eq(stk(8), SEL_XOCODE);
    /* and a write through CS to readable code faults too */
    enter_pm(0);
    put(CODE, "2E A3 00 91 00 00 F4");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
}
END_TEST

START_TEST(expand_down_limits)
{
    /* 16-bit expand-down, limit 0x0FFF: valid offsets 0x1000..0xFFFF */
    load_seg(S_DS, SEL_EXPDOWN16);
    put(CODE, "A0 FF 0F 00 00 F4"); /* mov al,[0x0FFF] */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    enter_pm(0);
    load_seg(S_DS, SEL_EXPDOWN16);
    put(CODE, "A0 00 10 00 00  A0 FF FF 00 00  F4"); /* mov al,[0x1000] ; mov al,[0xFFFF] */
    ck_assert_uint_eq(run_to_halt(), CODE + 10);
    enter_pm(0);
    load_seg(S_DS, SEL_EXPDOWN16);
    put(CODE, "66 A1 FF FF 00 00 F4"); /* mov ax,[0xFFFF]: the second byte is past FFFFh */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0);
}
END_TEST

START_TEST(expand_down_stack_at_cpl3)
{
    /* SS: 32-bit expand-down, limit 0x6FFF. ESP = 0x7004: one push fits, the second is #SS(0) */
    load_seg(S_SS, SEL_EXPDOWN3 | 3);
    cpu_update_mode(cpu);
    cpu->regs[R_SP] = 0x7004;
    put(CODE, "50 50");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_SS));
    /* delivered at ring 0 on the TSS stack: error, EIP, CS, EFLAGS, ESP, SS */
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, SEL_DATA0);
    ck_assert_uint_eq(esp(), STACK0 - 24);
    ck_assert_uint_eq(stk(0), 0);
    ck_assert_uint_eq(stk(4), CODE + 1);
    ck_assert_uint_eq(stk(8), SEL_CODE3 | 3);
    ck_assert_uint_eq(stk(16), 0x7000); /* the first push happened, the second did not */
    ck_assert_uint_eq(stk(20), SEL_EXPDOWN3 | 3);
}
END_TEST

/* ---- call gates ---- */

START_TEST(call_gate32_with_params_to_ring0_and_retf)
{
    /* push 0x22222222 ; push 0x11111111 ; call far 0x33:0 (gate, RPL 3) ; int 0x80 */
    put(CODE, "68 22 22 22 22  68 11 11 11 11  9A 00 00 00 00 33 00  CD 80");
    ck_assert_uint_eq(run_to_halt(), GATE32_ENTRY);
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, SEL_CODE0);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, SEL_DATA0);
    ck_assert_uint_eq(esp(), STACK0 - 24);
    ck_assert_uint_eq(stk(0), CODE + 17);        /* return EIP */
    ck_assert_uint_eq(stk(4), SEL_CODE3 | 3);    /* return CS */
    ck_assert_uint_eq(stk(8), 0x11111111);       /* parameters, in the caller's order */
    ck_assert_uint_eq(stk(12), 0x22222222);
    ck_assert_uint_eq(stk(16), STACK3 - 8);      /* caller's ESP */
    ck_assert_uint_eq(stk(20), SEL_DATA3 | 3);   /* caller's SS */

    /* ring 0: mov ax,0x10 ; mov ds,ax ; retf 8 -> back to ring 3, DS (DPL 0) nulled */
    put(GATE32_ENTRY + 1, "66 B8 10 00  8E D8  CA 08 00");
    ck_assert_uint_eq(run_to_halt(), INT80);
    /* the INT 0x80 frame shows the ring-3 state RETF restored */
    ck_assert_uint_eq(stk(0), CODE + 19);
    ck_assert_uint_eq(stk(4), SEL_CODE3 | 3);
    ck_assert_uint_eq(stk(12), STACK3);          /* RETF 8 released the parameters */
    ck_assert_uint_eq(stk(16), SEL_DATA3 | 3);
    ck_assert_uint_eq(cpu->seg[S_DS].sel, 0);
    ck_assert(cpu->seg[S_DS].check & SEG_CHECK_NULL);
    ck_assert_uint_eq(cpu->seg[S_ES].sel, SEL_DATA3 | 3); /* DPL 3: kept */
}
END_TEST

START_TEST(call_gate16_copies_words)
{
    /* push word 0x7777 ; call far 0x6B:0 (16-bit gate, 1 parameter) */
    put(CODE, "66 68 77 77  9A 00 00 00 00 6B 00");
    ck_assert_uint_eq(run_to_halt(), GATE16_ENTRY);
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(esp(), STACK0 - 10);
    ck_assert_uint_eq(rd16(esp() + 0), (CODE + 11) & 0xFFFF); /* IP */
    ck_assert_uint_eq(rd16(esp() + 2), SEL_CODE3 | 3);
    ck_assert_uint_eq(rd16(esp() + 4), 0x7777);
    ck_assert_uint_eq(rd16(esp() + 6), (STACK3 - 2) & 0xFFFF);
    ck_assert_uint_eq(rd16(esp() + 8), SEL_DATA3 | 3);
}
END_TEST

START_TEST(call_gate_bad_inner_stack_changes_nothing)
{
    /* gate to ring-1 code; TSS.SS1 names a DPL-0 segment -> #TS(SS1 selector) */
    put(CODE, "68 11 11 11 11  9A 00 00 00 00 9B 00");
    physmem_write(pm, 0x7000 - 4, 0xA5A5A5A5, 4);
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_TS));
    ck_assert_uint_eq(stk(0), SEL_DATA0);          /* error code: SS1 without RPL */
    ck_assert_uint_eq(stk(4), CODE + 5);           /* the CALL */
    ck_assert_uint_eq(stk(8), SEL_CODE3 | 3);
    ck_assert_uint_eq(stk(16), STACK3 - 4);        /* ring-3 ESP: only the PUSH */
    ck_assert_uint_eq(rd32(0x7000 - 4), 0xA5A5A5A5);
    /* with a valid SS1 the same call lands in ring 1 */
    enter_pm(3);
    physmem_write(pm, TSS + 16, SEL_DATA1 | 1, 2);
    ck_assert_uint_eq(cpu_run(cpu, 2), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->cpl, 1);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, SEL_CODE1 | 1);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, SEL_DATA1 | 1);
    ck_assert_uint_eq(esp(), 0x7000 - 16);
}
END_TEST

START_TEST(far_call_faults_leave_stack)
{
    /* call far to an absent code segment: #NP(sel), ESP and the stack unchanged */
    physmem_write(pm, STACK0 - 4, 0x5A5A5A5A, 4);
    put(CODE, "9A 00 01 01 00 80 00");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_NP));
    ck_assert_uint_eq(stk(0), SEL_ABSENT_CODE);
    ck_assert_uint_eq(esp(), STACK0 - 16);
    ck_assert_uint_eq(stk(4), CODE);
    /* call far to a data segment: #GP(sel) */
    enter_pm(0);
    put(CODE, "9A 00 01 01 00 10 00");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_DATA0);
    ck_assert_uint_eq(esp(), STACK0 - 16);
    /* call far 0:x is #GP(0) */
    enter_pm(0);
    put(CODE, "9A 00 01 01 00 00 00");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0);
}
END_TEST

/* ---- interrupts and IRET ---- */

START_TEST(fault_from_cpl3_and_iret_back)
{
    cpu->eflags |= F_IF;
    /* mov ax,0x10 ; mov ds,ax (#GP(0x10) at CPL 3) ; [resume] int 0x80 */
    put(CODE, "66 B8 10 00  8E D8  CD 80");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, SEL_DATA0);
    ck_assert_uint_eq(esp(), STACK0 - 24);
    ck_assert_uint_eq(stk(0), SEL_DATA0);          /* error code */
    ck_assert_uint_eq(stk(4), CODE + 4);           /* EIP of the faulting MOV */
    ck_assert_uint_eq(stk(8), SEL_CODE3 | 3);
    ck_assert(stk(12) & F_IF);                     /* EFLAGS as it was, */
    ck_assert(stk(12) & F_RF);                     /* with RF set for a fault */
    ck_assert_uint_eq(stk(16), STACK3);
    ck_assert_uint_eq(stk(20), SEL_DATA3 | 3);
    ck_assert(!(cpu->eflags & F_IF));              /* interrupt gate */
    ck_assert_uint_eq(cpu->seg[S_DS].sel, SEL_DATA3 | 3);

    /* ring 0: add esp,4 ; mov dword [esp],CODE+6 ; iret */
    put(RING0_IRET, "83 C4 04  C7 04 24 06 00 01 00  CF");
    cpu->rip = RING0_IRET;
    ck_assert_uint_eq(cpu_run(cpu, 3), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, SEL_CODE3 | 3);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, SEL_DATA3 | 3);
    ck_assert_uint_eq(esp(), STACK3);
    ck_assert_uint_eq(cpu->rip, CODE + 6);
    ck_assert(cpu->eflags & F_IF);
    ck_assert_uint_eq(cpu->seg[S_DS].sel, SEL_DATA3 | 3); /* DPL 3: not nulled */

    ck_assert_uint_eq(run_to_halt(), INT80);
    ck_assert_uint_eq(stk(0), CODE + 8);
    ck_assert_uint_eq(esp(), STACK0 - 20);
}
END_TEST

START_TEST(iret_privilege_checks)
{
    /* IRET at CPL 3 to a ring-0 CS (RPL 0 < CPL) is #GP(sel), nothing popped */
    uint32_t sp = STACK3 - 12;
    physmem_write(pm, sp, CODE + 0x40, 4);
    physmem_write(pm, sp + 4, SEL_CODE0, 4);
    physmem_write(pm, sp + 8, 0x202, 4);
    cpu->regs[R_SP] = sp;
    put(CODE, "CF");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_CODE0);
    ck_assert_uint_eq(stk(16), sp);
    /* IRET at CPL 3 cannot change IOPL or (with IOPL 0) IF */
    enter_pm(3);
    physmem_write(pm, sp + 4, SEL_CODE3 | 3, 4);
    physmem_write(pm, sp + 8, 0x3202 | F_CF, 4);
    cpu->regs[R_SP] = sp;
    ck_assert_uint_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->rip, CODE + 0x40);
    ck_assert_uint_eq(esp(), STACK3);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & (F_IOPL | F_IF | F_CF), F_CF);
}
END_TEST

START_TEST(software_int_gate_dpl_and_idt_limit)
{
    put(CODE, "CD 81"); /* gate DPL 0 from CPL 3: #GP(0x81*8+2) */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0x81 * 8 + 2);
    ck_assert_uint_eq(stk(4), CODE);
    enter_pm(3);
    put(CODE, "CC"); /* INT3 through a DPL-0 gate: #GP(3*8+2) */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 3 * 8 + 2);
    enter_pm(0);
    put(CODE, "CD 90"); /* beyond the IDT limit: #GP(0x90*8+2) */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0x90 * 8 + 2);
    enter_pm(0);
    put(CODE, "CD 81"); /* at CPL 0 the same gate works, pushing no error code */
    ck_assert_uint_eq(run_to_halt(), INT81);
    ck_assert_uint_eq(esp(), STACK0 - 12);
    ck_assert_uint_eq(stk(0), CODE + 2);
}
END_TEST

START_TEST(exception_delivery_error_codes_carry_ext)
{
    /* An absent gate for an exception: #NP(vector*8 + 2 + EXT) */
    physmem_write(pm, IDT + EXC_UD * 8 + 5, 0x0E, 1); /* P = 0 */
    put(CODE, "0F 0B");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_NP));
    ck_assert_uint_eq(stk(0), EXC_UD * 8 + 2 + 1);
}
END_TEST

/* ---- conforming code ---- */

START_TEST(conforming_code_transfers)
{
    /* CPL 3: jmp far 0x58:CODE+0x800 (conforming, DPL 0): CPL stays 3, CS.RPL = 3 */
    put(CODE, "EA 00 08 01 00 58 00");
    put(CODE + 0x800, "CD 80");
    ck_assert_uint_eq(run_to_halt(), INT80);
    ck_assert_uint_eq(stk(4), SEL_CONFORM0 | 3);
    ck_assert_uint_eq(stk(16), SEL_DATA3 | 3); /* the INT came from ring 3 */
    /* CPL 3: jmp far to nonconforming ring-0 code is #GP(sel) */
    enter_pm(3);
    put(CODE, "EA 00 08 01 00 08 00");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_CODE0);
    ck_assert_uint_eq(stk(4), CODE);
    /* CPL 3: call far to conforming code pushes on the same stack */
    enter_pm(3);
    put(CODE, "9A 00 08 01 00 58 00");
    ck_assert_uint_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, SEL_CONFORM0 | 3);
    ck_assert_uint_eq(esp(), STACK3 - 8);
    ck_assert_uint_eq(stk(0), CODE + 7);
    ck_assert_uint_eq(stk(4), SEL_CODE3 | 3);
}
END_TEST

/* ---- virtual-8086 mode ---- */

START_TEST(iret_to_v86_and_interrupt_back)
{
    /* IRETD at CPL 0 with VM set in the popped EFLAGS */
    const uint32_t frame[9] = {0x0100, 0x1000, F_VM | F_IOPL | F_IF | 2, 0x0200, 0x2000,
                               0x3000, 0x4000, 0x5000, 0x6000};
    uint32_t sp = STACK0 - 0x100;
    for (unsigned k = 0; k < 9; k++)
        physmem_write(pm, sp + 4 * k, frame[k], 4);
    cpu->regs[R_SP] = sp;
    put(CODE, "CF");
    put(0x10100, "CD 80"); /* int 0x80 in V8086 mode with IOPL 3: through the IDT */
    ck_assert_uint_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert(cpu->eflags & F_VM);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert(!cpu->code32);
    ck_assert_uint_eq(cpu->seg[S_CS].base, 0x10000);
    ck_assert_uint_eq(cpu->seg[S_DS].base, 0x40000);
    ck_assert_uint_eq(cpu->seg[S_GS].sel, 0x6000);
    ck_assert_uint_eq(esp(), 0x200);
    ck_assert_uint_eq(cpu->rip, 0x100);

    ck_assert_uint_eq(run_to_halt(), INT80);
    ck_assert(!(cpu->eflags & F_VM));
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert(cpu->code32);
    ck_assert_uint_eq(esp(), STACK0 - 36);
    ck_assert_uint_eq(stk(0), 0x102);
    ck_assert_uint_eq(stk(4), 0x1000);
    ck_assert(stk(8) & F_VM);
    ck_assert_uint_eq(stk(12), 0x200);
    ck_assert_uint_eq(stk(16), 0x2000);
    ck_assert_uint_eq(stk(20), 0x3000); /* ES */
    ck_assert_uint_eq(stk(24), 0x4000); /* DS */
    ck_assert_uint_eq(stk(28), 0x5000); /* FS */
    ck_assert_uint_eq(stk(32), 0x6000); /* GS */
    for (unsigned s = 0; s < S_COUNT; s++)
        if (s != S_CS && s != S_SS)
            ck_assert_uint_eq(cpu->seg[s].sel, 0);

    /* with IOPL 0, INT n in V8086 mode is #GP(0) (10 slots: the error code too) */
    enter_pm(0);
    physmem_write(pm, sp + 8, F_VM | F_IF | 2, 4);
    cpu->regs[R_SP] = sp;
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(esp(), STACK0 - 40);
    ck_assert_uint_eq(stk(0), 0);
    ck_assert_uint_eq(stk(4), 0x100);
}
END_TEST

/* ---- staged writes under paging ---- */

START_TEST(far_call_page_fault_on_second_slot)
{
    /* Identity-map 4 MiB with user pages; page 0x3F000 not present. */
    uint32_t pd = 0x20000, pt = 0x21000;
    physmem_write(pm, pd, pt | 7, 4);
    for (unsigned k = 0; k < 1024; k++)
        physmem_write(pm, pt + 4 * k, (k << 12) | (k == 0x3F ? 0 : 7), 4);
    cpu->cr3 = pd;
    cpu->cr0 |= CR0_PG;
    tlb_flush(cpu);
    /* ring 3, ESP = 0x40004: CS goes to 0x40000, EIP to 0x3FFFC (absent) */
    physmem_write(pm, 0x40000, 0xAAAAAAAA, 4);
    cpu->regs[R_SP] = 0x40004;
    put(CODE, "9A 00 09 01 00 1B 00");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_PF));
    ck_assert_uint_eq(cpu->cr2, 0x3FFFC);
    ck_assert_uint_eq(stk(0), 6);                   /* user, write, not present */
    ck_assert_uint_eq(stk(4), CODE);
    ck_assert_uint_eq(stk(16), 0x40004);            /* ESP unchanged */
    ck_assert_uint_eq(rd32(0x40000), 0xAAAAAAAA);   /* first slot not written */
}
END_TEST

/* ---- LAR, LSL, VERR, VERW, ARPL, LTR, LLDT, SLDT ---- */

static void step(const char *hex)
{
    put(CODE, hex);
    cpu->rip = CODE;
    ck_assert_uint_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
}
static bool zf(void) { return (cpu_get_eflags(cpu) & F_ZF) != 0; }

START_TEST(lar_lsl_verr_verw_arpl)
{
    cpu->regs[R_CX] = SEL_DATA0;
    step("0F 02 C1"); /* lar eax,ecx */
    ck_assert(zf());
    ck_assert_uint_eq(cpu->regs[R_AX], 0x00CF9200);
    step("0F 03 D1"); /* lsl edx,ecx */
    ck_assert(zf());
    ck_assert_uint_eq(cpu->regs[R_DX], 0xFFFFFFFF);
    step("66 0F 02 C1"); /* lar ax,cx */
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 0x9200);
    cpu->regs[R_CX] = SEL_DATA0 | 3; /* RPL 3 > DPL 0: not visible, destination kept */
    cpu->regs[R_AX] = 0x1234;
    step("0F 02 C1");
    ck_assert(!zf());
    ck_assert_uint_eq(cpu->regs[R_AX], 0x1234);
    cpu->regs[R_CX] = SEL_CGATE32; /* a call gate: LAR yes, LSL no */
    step("0F 02 C1");
    ck_assert(zf());
    ck_assert_uint_eq(cpu->regs[R_AX], 0xEC00);
    step("0F 03 D1");
    ck_assert(!zf());
    cpu->regs[R_CX] = SEL_TSS2; /* a TSS: LSL gives its limit */
    step("0F 03 D1");
    ck_assert(zf());
    ck_assert_uint_eq(cpu->regs[R_DX], 0x67);

    cpu->regs[R_CX] = SEL_XOCODE;
    step("0F 00 E1"); /* verr cx */
    ck_assert(!zf());
    cpu->regs[R_CX] = SEL_CODE0;
    step("0F 00 E1");
    ck_assert(zf());
    step("0F 00 E9"); /* verw cx: code is never writable */
    ck_assert(!zf());
    cpu->regs[R_CX] = SEL_RODATA;
    step("0F 00 E9");
    ck_assert(!zf());
    cpu->regs[R_CX] = SEL_ABSENT; /* VERW does not check presence */
    step("0F 00 E9");
    ck_assert(zf());

    cpu->regs[R_AX] = 0x0010;
    cpu->regs[R_BX] = 0x0003;
    lf_set_flags(cpu, F_CF);
    step("63 D8"); /* arpl ax,bx */
    ck_assert_uint_eq(cpu->regs[R_AX], 0x0013);
    ck_assert(zf());
    ck_assert(cpu_get_eflags(cpu) & F_CF); /* only ZF changes */
    step("63 D8");
    ck_assert(!zf());
}
END_TEST

START_TEST(ltr_lldt_sldt)
{
    put(CODE, "66 B8 78 00  0F 00 D8  F4"); /* mov ax,0x78 ; ltr ax */
    ck_assert_uint_eq(run_to_halt(), CODE + 7);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS2);
    ck_assert_uint_eq(cpu->tr.base, TSS2);
    ck_assert_uint_eq(physmem_read(pm, GDT + SEL_TSS2 + 5, 1), 0x8B); /* now busy */
    cpu->rip = CODE; /* again: a busy TSS is #GP(sel) */
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_TSS2);

    enter_pm(0);
    /* mov ax,0x70 ; lldt ax ; mov ax,7 ; mov ds,ax ; sldt ecx ; hlt */
    put(CODE, "66 B8 70 00  0F 00 D0  66 B8 07 00  8E D8  0F 00 C1  F4");
    ck_assert_uint_eq(run_to_halt(), CODE + 16);
    ck_assert_uint_eq(cpu->ldtr.base, LDT);
    ck_assert_uint_eq(cpu->seg[S_DS].sel, 7);
    ck_assert_uint_eq(cpu->seg[S_DS].base, 0x50000);
    ck_assert_uint_eq(cpu->regs[R_CX], SEL_LDT);

    /* LLDT with a data-segment selector: #GP(sel); at CPL 3: #GP(0) */
    enter_pm(0);
    put(CODE, "66 B8 10 00  0F 00 D0  F4");
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), SEL_DATA0);
    enter_pm(3);
    ck_assert_uint_eq(run_to_halt(), STUB(EXC_GP));
    ck_assert_uint_eq(stk(0), 0);
}
END_TEST

START_TEST(real_mode_rejects_pm_instructions)
{
    /* real mode, IVT vector 6 -> 0000:0900 (hlt) */
    physmem_write(pm, 6 * 4, 0x0900, 4);
    physmem_write(pm, 0x900, 0xF4, 1);
    cpu->rip = 0x7C00;
    cpu->seg[S_CS].sel = 0;
    cpu->seg[S_CS].base = 0;
    cpu->regs[R_SP] = 0x6000;
    put(0x7C00, "63 D8"); /* arpl */
    ck_assert_uint_eq(run_to_halt(), 0x900);
    cpu->rip = 0x7C00;
    put(0x7C00, "0F 02 C1"); /* lar */
    ck_assert_uint_eq(run_to_halt(), 0x900);
    cpu->rip = 0x7C00;
    put(0x7C00, "0F 00 D0"); /* lldt */
    ck_assert_uint_eq(run_to_halt(), 0x900);
}
END_TEST

static Suite *desc_suite(void)
{
    Suite *s = suite_create("desc");
    TCase *t = tcase_create("pm0");
    tcase_add_checked_fixture(t, setup_pm0, teardown);
    tcase_add_test(t, segment_load_faults);
    tcase_add_test(t, null_readonly_execonly_access);
    tcase_add_test(t, expand_down_limits);
    tcase_add_test(t, far_call_faults_leave_stack);
    tcase_add_test(t, exception_delivery_error_codes_carry_ext);
    tcase_add_test(t, iret_to_v86_and_interrupt_back);
    tcase_add_test(t, lar_lsl_verr_verw_arpl);
    tcase_add_test(t, ltr_lldt_sldt);
    suite_add_tcase(s, t);
    t = tcase_create("pm3");
    tcase_add_checked_fixture(t, setup_pm3, teardown);
    tcase_add_test(t, data_load_privilege_at_cpl3);
    tcase_add_test(t, expand_down_stack_at_cpl3);
    tcase_add_test(t, call_gate32_with_params_to_ring0_and_retf);
    tcase_add_test(t, call_gate16_copies_words);
    tcase_add_test(t, call_gate_bad_inner_stack_changes_nothing);
    tcase_add_test(t, fault_from_cpl3_and_iret_back);
    tcase_add_test(t, iret_privilege_checks);
    tcase_add_test(t, software_int_gate_dpl_and_idt_limit);
    tcase_add_test(t, conforming_code_transfers);
    tcase_add_test(t, far_call_page_fault_on_second_slot);
    suite_add_tcase(s, t);
    t = tcase_create("real");
    tcase_add_checked_fixture(t, make_machine, teardown);
    tcase_add_test(t, enter_pm_with_far_jump);
    tcase_add_test(t, real_mode_rejects_pm_instructions);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(desc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
