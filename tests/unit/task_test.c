/* Unit tests of hardware task switching (SDM vol. 3 ch. 7), the I/O permission
 * bit map (vol. 1 §18.5) and the virtual-8086 mode extensions (vol. 3 §20.3).
 *
 * Each test builds a flat protected-mode machine directly (CR0.PE and the
 * segment caches set by hand, TR holding a busy 32-bit TSS "A"), with a GDT of
 * code/data segments and several TSSs, and an IDT whose 32 exception gates each
 * lead to a HLT at a distinct address, so a test can tell which exception it
 * got and read the frame the CPU pushed. */
#include <check.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/desc.h"
#include "cpu/flags.h"
#include "cpu/io_perm.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "cpu/task.h"
#include "cpu/v86.h"
#include "mem/physmem.h"

/* Memory map (linear = physical: no paging). */
#define GDT 0x1000u
#define IDT 0x2000u
#define HANDLERS 0x8000u /* vector v halts at HANDLERS + 16 * v */
#define TSS_A 0x10000u   /* 32-bit, I/O map at +88H, redirection map at +68H */
#define TSS_B 0x13000u   /* 32-bit, 68H bytes */
#define TSS_SHORT 0x13100u
#define TSS_16 0x13200u
#define TSS_M 0x14000u   /* 32-bit with both bit maps */
#define CODE_A 0x20000u
#define CODE_B 0x21000u
#define CODE_U 0x22000u  /* CPL 3 code */
#define CODE_16 0x23000u /* base of the 16-bit code segment */
#define STACK0 0x40000u  /* task A's stack (and the ring-0 stack of the others) */
#define STACK_B 0x41000u
#define STACK_U 0x44000u

#define IOMAP 0x88u                 /* I/O map base in TSS A and TSS M */
#define MAPPED_LIMIT (IOMAP + 0x2000u) /* one byte past the 8 KiB map: the trailing FFh */

/* Selectors */
enum {
    SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_TSS_A = 0x18, SEL_TSS_B = 0x20, SEL_CODE3 = 0x2B, SEL_DATA3 = 0x33,
    SEL_TSS_SHORT = 0x38, SEL_TSS_16 = 0x40, SEL_TSS_M = 0x48, SEL_GATE_B = 0x50, SEL_CODE16 = 0x58,
    SEL_DATA16 = 0x60,
};

/* 32-bit TSS field offsets (SDM vol. 3 Figure 7-2) */
enum { T_LINK = 0, T_ESP0 = 4, T_SS0 = 8, T_CR3 = 0x1C, T_EIP = 0x20, T_EFLAGS = 0x24, T_EAX = 0x28,
       T_ECX = 0x2C, T_EDX = 0x30, T_EBX = 0x34, T_ESP = 0x38, T_EBP = 0x3C, T_ESI = 0x40, T_EDI = 0x44,
       T_ES = 0x48, T_CS = 0x4C, T_SS = 0x50, T_DS = 0x54, T_FS = 0x58, T_GS = 0x5C, T_LDT = 0x60, T_TRAP = 0x64,
       T_IOMAP = 0x66 };

static struct physmem *pm;
static struct cpu *cpu;
static char err[256];
static uint16_t last_in_port, last_out_port;
static unsigned last_in_size, n_in, n_out;

static uint32_t port_in(void *o, uint16_t p, unsigned s)
{
    (void)o;
    last_in_port = p;
    last_in_size = s;
    n_in++;
    return 0x5A5A5A5Au & (0xFFFFFFFFu >> (32 - 8 * s));
}
static void port_out(void *o, uint16_t p, uint32_t v, unsigned s)
{
    (void)o; (void)v; (void)s;
    last_out_port = p;
    n_out++;
}

static uint32_t rd(uint64_t a, unsigned n) { return (uint32_t)physmem_read(pm, a, n); }
static void wr(uint64_t a, uint64_t v, unsigned n) { physmem_write(pm, a, v, n); }

static void put(uint64_t addr, const char *hex)
{
    for (const char *p = hex; p[0] && p[1];) {
        unsigned v;
        ck_assert_int_eq(sscanf(p, "%2x", &v), 1);
        wr(addr++, v, 1);
        p += 2;
        while (*p == ' ')
            p++;
    }
}

/* A segment descriptor: access byte (P DPL S type) and flags nibble (G D/B L AVL). */
static void gdt_set(unsigned sel, uint32_t base, uint32_t limit, unsigned access, unsigned flags)
{
    uint32_t lo = (limit & 0xFFFF) | (base << 16);
    uint32_t hi = ((base >> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | (flags << 20) | (base & 0xFF000000u);
    wr(GDT + (sel & ~7u), lo, 4);
    wr(GDT + (sel & ~7u) + 4, hi, 4);
}
static unsigned gdt_type(unsigned sel) { return rd(GDT + (sel & ~7u) + 5, 1) & 0x1F; }

/* A 32-bit task image: flat segments at `cpl`, IF clear. */
static void tss_init(uint32_t base, uint32_t eip, uint32_t esp, unsigned cpl)
{
    for (unsigned k = 0; k < 0x68; k++)
        wr(base + k, 0, 1);
    wr(base + T_EIP, eip, 4);
    wr(base + T_EFLAGS, 0x2, 4);
    wr(base + T_ESP, esp, 4);
    uint16_t cs = cpl == 3 ? SEL_CODE3 : SEL_CODE0, ds = cpl == 3 ? SEL_DATA3 : SEL_DATA0;
    wr(base + T_CS, cs, 4);
    for (unsigned off = T_SS; off <= T_GS; off += 4)
        wr(base + off, ds, 4);
    wr(base + T_ES, ds, 4);
    wr(base + T_SS0, SEL_DATA0, 4);
    wr(base + T_ESP0, STACK0 + 0x2000, 4);
}

/* I/O map of TSS M: every port denied except 60h-67h and 80h. */
static void iomap_init(uint32_t tss)
{
    wr(tss + T_IOMAP, IOMAP, 2);
    for (unsigned k = 0; k <= 0x2000; k++)
        wr(tss + IOMAP + k, 0xFF, 1);
    wr(tss + IOMAP + 0x60 / 8, 0x00, 1);
    wr(tss + IOMAP + 0x80 / 8, 0xFE, 1);
    /* interrupt redirection map: all vectors to the IDT except 21h */
    for (unsigned k = 0; k < 32; k++)
        wr(tss + IOMAP - 32 + k, 0xFF, 1);
    wr(tss + IOMAP - 32 + 0x21 / 8, 0xFD, 1);
}

static void load_flat(unsigned s, uint16_t sel, unsigned type_byte)
{
    cpu->seg[s] = (struct seg_cache){.sel = sel, .base = 0, .limit = 0xFFFFFFFF, .attr = (uint16_t)(type_byte | 0xC000)};
}

static void make_machine(enum cpu_model model)
{
    n_in = n_out = 0;
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, 2u << 20, err, sizeof err));
    struct cpu_bus bus = {.port_in = port_in, .port_out = port_out};
    cpu = cpu_create(pm, &bus, model);
    ck_assert_ptr_nonnull(cpu);

    gdt_set(SEL_CODE0, 0, 0xFFFFF, 0x9A, 0xC);
    gdt_set(SEL_DATA0, 0, 0xFFFFF, 0x92, 0xC);
    gdt_set(SEL_TSS_A, TSS_A, MAPPED_LIMIT, 0x8B, 0); /* busy: the running task */
    gdt_set(SEL_TSS_B, TSS_B, 0x67, 0x89, 0);
    gdt_set(SEL_CODE3, 0, 0xFFFFF, 0xFA, 0xC);
    gdt_set(SEL_DATA3, 0, 0xFFFFF, 0xF2, 0xC);
    gdt_set(SEL_TSS_SHORT, TSS_SHORT, 0x50, 0x89, 0);
    gdt_set(SEL_TSS_16, TSS_16, 0x2B, 0x81, 0);
    gdt_set(SEL_TSS_M, TSS_M, MAPPED_LIMIT, 0x89, 0);
    wr(GDT + SEL_GATE_B, (uint32_t)SEL_TSS_B << 16, 4); /* task gate to TSS B, DPL 0 */
    wr(GDT + SEL_GATE_B + 4, 0x8500, 4);
    gdt_set(SEL_CODE16, CODE_16, 0xFFFF, 0x9A, 0);
    gdt_set(SEL_DATA16, 0, 0xFFFF, 0x92, 0);
    cpu->gdtr.base = GDT;
    cpu->gdtr.limit = 0x67;

    for (unsigned v = 0; v < 32; v++) {
        uint32_t h = HANDLERS + 16 * v;
        wr(IDT + 8 * v, (SEL_CODE0 << 16) | (h & 0xFFFF), 4);
        wr(IDT + 8 * v + 4, (h & 0xFFFF0000u) | 0x8E00, 4);
        wr(h, 0xF4, 1);
    }
    cpu->idtr.base = IDT;
    cpu->idtr.limit = 32 * 8 - 1;

    tss_init(TSS_A, CODE_A, STACK0, 0);
    iomap_init(TSS_A);
    tss_init(TSS_B, CODE_B, STACK_B, 0);
    tss_init(TSS_M, CODE_U, STACK_U, 3);
    iomap_init(TSS_M);

    /* Task A runs at CPL 0 in flat 32-bit protected mode. */
    cpu->cr0 |= CR0_PE;
    load_flat(S_CS, SEL_CODE0, 0x9B);
    for (unsigned s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            load_flat(s, SEL_DATA0, 0x93);
    cpu->tr = (struct seg_cache){.sel = SEL_TSS_A, .base = TSS_A, .limit = MAPPED_LIMIT, .attr = 0x8B};
    cpu->ldtr = (struct seg_cache){.sel = 0};
    cpu->eflags = 2;
    cpu_set_cpl(cpu, 0);
    cpu_update_mode(cpu);
    cpu_icache_flush(cpu);
    cpu->rip = CODE_A;
    cpu->regs[R_SP] = STACK0;
}
static void setup(void) { make_machine(CPU_MODEL_P6); }
static void teardown(void)
{
    cpu_destroy(cpu);
    physmem_destroy(pm);
}

/* Runs until HLT and returns the vector whose handler halted, or -1 for any other HLT. */
static int run_to_halt(void)
{
    enum cpu_stop stop = cpu_run(cpu, 1000);
    ck_assert_int_eq(stop, CPU_STOP_HLT);
    cpu->halted = false;
    cpu->pending &= ~PEND_HALT;
    uint64_t ip = cpu->seg[S_CS].base + cpu->rip - 1;
    if (ip >= HANDLERS && ip < HANDLERS + 32 * 16 && (ip - HANDLERS) % 16 == 0)
        return (int)(ip - HANDLERS) / 16;
    return -1;
}
/* The word or dword at SS:ESP + off (the exception frame of a handler). */
static uint32_t stack_at(unsigned off) { return rd(cpu->seg[S_SS].base + (uint32_t)cpu->regs[R_SP] + off, 4); }

/* What exception delivery may change, so a test can go on after a fault it provoked. */
struct snapshot {
    uint64_t regs[R_COUNT], rip;
    uint32_t eflags, pending;
    struct seg_cache seg[S_COUNT], tr;
    unsigned cpl;
};
static void snap(struct snapshot *s)
{
    memcpy(s->regs, cpu->regs, sizeof s->regs);
    memcpy(s->seg, cpu->seg, sizeof s->seg);
    s->rip = cpu->rip;
    s->eflags = cpu->eflags;
    s->pending = cpu->pending;
    s->tr = cpu->tr;
    s->cpl = cpu->cpl;
}
static void restore(const struct snapshot *s)
{
    memcpy(cpu->regs, s->regs, sizeof s->regs);
    memcpy(cpu->seg, s->seg, sizeof s->seg);
    cpu->rip = s->rip;
    cpu->eflags = s->eflags;
    cpu->pending = s->pending;
    cpu->tr = s->tr;
    cpu->fault_depth = 0;
    cpu->stop_reason = CPU_STOP_BUDGET;
    cpu_set_cpl(cpu, s->cpl);
    cpu_update_mode(cpu);
}

/* io_check outside the run loop: true if it allowed the access.  A denial
 * raises #GP(0); whatever its delivery did is undone. */
static bool io_allowed(uint16_t port, unsigned size)
{
    static struct snapshot before;
    snap(&before);
    cpu->insn_rip = cpu->rip;
    if (setjmp(cpu->fault_jmp)) {
        restore(&before);
        return false;
    }
    io_check(cpu, port, size);
    return true;
}

/* task_switch called directly, as a task-gate caller would: true if it returned
 * normally, false if it raised an exception. */
static bool direct_switch(uint16_t sel, enum task_switch_reason why, bool has_error, uint32_t code)
{
    struct desc d;
    ck_assert(desc_read(cpu, sel, &d));
    cpu->insn_rip = cpu->rip;
    if (setjmp(cpu->fault_jmp))
        return false;
    task_switch(cpu, sel, &d, why, has_error, code);
    return true;
}

/* ---- task switches ---- */

START_TEST(jmp_to_tss_saves_and_loads)
{
    /* mov eax,11111111h; mov esi,22222222h; jmp 20h:0 */
    put(CODE_A, "B8 11 11 11 11 BE 22 22 22 22 EA 00 00 00 00 20 00");
    wr(TSS_B + T_EAX, 0xAAAA0001u, 4);
    wr(TSS_B + T_EDI, 0xAAAA0007u, 4);
    wr(TSS_B + T_EFLAGS, 0x2 | F_CF | F_ZF, 4);
    put(CODE_B, "F4");
    ck_assert_int_eq(run_to_halt(), -1);
    /* new state */
    ck_assert_uint_eq(cpu->rip, CODE_B + 1);
    ck_assert_uint_eq(cpu->regs[R_AX], 0xAAAA0001u);
    ck_assert_uint_eq(cpu->regs[R_DI], 0xAAAA0007u);
    ck_assert_uint_eq(cpu->regs[R_SI], 0);
    ck_assert_uint_eq(cpu->regs[R_SP], STACK_B);
    ck_assert(get_cf(cpu) && get_zf(cpu));
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert_uint_eq(cpu->tr.base, TSS_B);
    ck_assert(!(cpu->eflags & F_NT));
    ck_assert(cpu->cr0 & CR0_TS);
    /* old state saved, with EIP after the JMP */
    ck_assert_uint_eq(rd(TSS_A + T_EIP, 4), CODE_A + 17);
    ck_assert_uint_eq(rd(TSS_A + T_EAX, 4), 0x11111111u);
    ck_assert_uint_eq(rd(TSS_A + T_ESI, 4), 0x22222222u);
    ck_assert_uint_eq(rd(TSS_A + T_ESP, 4), STACK0);
    ck_assert_uint_eq(rd(TSS_A + T_CS, 4), SEL_CODE0);
    ck_assert_uint_eq(rd(TSS_A + T_GS, 4), SEL_DATA0);
    ck_assert_uint_eq(rd(TSS_A + T_EFLAGS, 4) & 0xFFFF, 0x2);
    /* busy bits: A available again, B busy; JMP writes no back link */
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x09);
    ck_assert_uint_eq(gdt_type(SEL_TSS_B), 0x0B);
    ck_assert_uint_eq(rd(TSS_B + T_LINK, 2), 0);
}
END_TEST

START_TEST(jmp_through_task_gate)
{
    put(CODE_A, "EA 00 00 00 00 50 00"); /* jmp 50h:0, a task gate to TSS B */
    put(CODE_B, "F4");
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert_uint_eq(cpu->rip, CODE_B + 1);
}
END_TEST

START_TEST(call_then_iret_back)
{
    put(CODE_A, "9A 00 00 00 00 20 00 F4"); /* call 20h:0; hlt */
    put(CODE_B, "F4 CF");                   /* hlt; iretd */
    ck_assert_int_eq(run_to_halt(), -1);
    /* inside B: nested, linked back to A, both busy */
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert(cpu->eflags & F_NT);
    ck_assert_uint_eq(rd(TSS_B + T_LINK, 2), SEL_TSS_A);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
    ck_assert_uint_eq(gdt_type(SEL_TSS_B), 0x0B);
    ck_assert_uint_eq(rd(TSS_A + T_EIP, 4), CODE_A + 7);
    /* IRET with NT: back to A after the CALL */
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->rip, CODE_A + 8);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_A);
    ck_assert(!(cpu->eflags & F_NT));
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
    ck_assert_uint_eq(gdt_type(SEL_TSS_B), 0x09);
    /* B was saved with NT cleared and EIP after its IRET */
    ck_assert_uint_eq(rd(TSS_B + T_EFLAGS, 4) & F_NT, 0);
    ck_assert_uint_eq(rd(TSS_B + T_EIP, 4), CODE_B + 2);
}
END_TEST

START_TEST(int_via_task_pushes_error_code)
{
    ck_assert(direct_switch(SEL_TSS_B, TASK_INT, true, 0x1234));
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert_uint_eq(cpu->regs[R_SP], STACK_B - 4);
    ck_assert_uint_eq(rd(STACK_B - 4, 4), 0x1234);
    ck_assert(cpu->eflags & F_NT);
    ck_assert_uint_eq(rd(TSS_B + T_LINK, 2), SEL_TSS_A);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
    ck_assert_uint_eq(gdt_type(SEL_TSS_B), 0x0B);
    ck_assert_uint_eq(cpu->rip, CODE_B);
}
END_TEST

START_TEST(busy_target_is_refused)
{
    /* JMP to the running (busy) task: #GP(TSS selector), nothing changes */
    put(CODE_A, "EA 00 00 00 00 18 00");
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(stack_at(0), SEL_TSS_A);
    ck_assert_uint_eq(stack_at(4), CODE_A);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_A);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
}
END_TEST

START_TEST(short_tss_is_ts)
{
    tss_init(TSS_SHORT, CODE_B, STACK_B, 0);
    put(CODE_A, "B8 11 11 11 11 EA 00 00 00 00 38 00"); /* mov eax,..; jmp 38h:0 */
    ck_assert_int_eq(run_to_halt(), EXC_TS);
    ck_assert_uint_eq(stack_at(0), SEL_TSS_SHORT); /* error code */
    ck_assert_uint_eq(stack_at(4), CODE_A + 5);    /* the JMP restarts */
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_A);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
    ck_assert_uint_eq(gdt_type(SEL_TSS_SHORT), 0x09);
    ck_assert_uint_eq(rd(TSS_A + T_EIP, 4), CODE_A); /* nothing saved */
    ck_assert(!(cpu->cr0 & CR0_TS));
}
END_TEST

START_TEST(short_tss_direct_leaves_no_trace)
{
    tss_init(TSS_SHORT, CODE_B, STACK_B, 0);
    cpu->regs[R_AX] = 0x77;
    ck_assert(!direct_switch(SEL_TSS_SHORT, TASK_JMP, false, 0));
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_A);
    ck_assert_uint_eq(rd(TSS_A + T_EAX, 4), 0);
    ck_assert_uint_eq(gdt_type(SEL_TSS_SHORT), 0x09);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x0B);
}
END_TEST

START_TEST(bad_ldt_faults_in_new_task)
{
    /* B's LDT selector names a data segment: #TS(60h) after the commit point,
     * delivered in B's context at B's first instruction. */
    wr(TSS_B + T_LDT, SEL_DATA16, 2);
    put(CODE_A, "EA 00 00 00 00 20 00");
    ck_assert_int_eq(run_to_halt(), EXC_TS);
    ck_assert_uint_eq(stack_at(0), SEL_DATA16);
    ck_assert_uint_eq(stack_at(4), CODE_B);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert_uint_eq(gdt_type(SEL_TSS_A), 0x09);
    ck_assert_uint_eq(gdt_type(SEL_TSS_B), 0x0B);
}
END_TEST

START_TEST(cs_rpl_must_match_dpl)
{
    wr(TSS_B + T_CS, SEL_CODE0 | 3, 4); /* DPL 0 code with RPL 3 */
    ck_assert(!direct_switch(SEL_TSS_B, TASK_JMP, false, 0));
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B); /* past the commit point */
}
END_TEST

START_TEST(tss16_round_trip)
{
    /* jmp to a 16-bit TSS, which jumps back to A (now available) */
    for (unsigned k = 0; k < 0x2C; k++)
        wr(TSS_16 + k, 0, 1);
    wr(TSS_16 + 0x0E, 0x0000, 2);      /* IP */
    wr(TSS_16 + 0x10, 0x0002 | F_CF, 2);  /* FLAGS */
    wr(TSS_16 + 0x12, 0xBEEF, 2);      /* AX */
    wr(TSS_16 + 0x1A, 0x3000, 2);      /* SP */
    wr(TSS_16 + 0x22, SEL_DATA16, 2);  /* ES */
    wr(TSS_16 + 0x24, SEL_CODE16, 2);  /* CS */
    wr(TSS_16 + 0x26, SEL_DATA16, 2);  /* SS */
    wr(TSS_16 + 0x28, SEL_DATA16, 2);  /* DS */
    put(CODE_A, "B8 44 33 22 11 EA 00 00 00 00 40 00 F4"); /* mov eax,11223344h; jmp 40h:0; hlt */
    put(CODE_16, "F4 EA 0C 00 18 00");                 /* hlt; jmp 18h:000Ch (offset ignored) */
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_16);
    ck_assert(!cpu->code32);
    ck_assert_uint_eq(cpu->regs[R_AX], 0xBEEF);
    ck_assert_uint_eq(cpu->regs[R_SP], 0x3000);
    ck_assert(get_cf(cpu));
    ck_assert_uint_eq(cpu->seg[S_FS].sel, 0);
    ck_assert_uint_eq(gdt_type(SEL_TSS_16), 0x03);
    cpu->regs[R_BX] = 0x12345678;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_A);
    ck_assert_uint_eq(cpu->rip, CODE_A + 13);
    ck_assert_uint_eq(cpu->regs[R_AX], 0x11223344u);
    ck_assert(cpu->code32);
    /* the 16-bit task was saved in 16-bit slots */
    ck_assert_uint_eq(rd(TSS_16 + 0x0E, 2), 6);      /* IP after its JMP */
    ck_assert_uint_eq(rd(TSS_16 + 0x18, 2), 0x5678); /* BX */
    ck_assert_uint_eq(rd(TSS_16 + 0x24, 2), SEL_CODE16);
    ck_assert_uint_eq(gdt_type(SEL_TSS_16), 0x01);
}
END_TEST

START_TEST(cr3_kept_without_paging)
{
    wr(TSS_B + T_CR3, 0x55000, 4);
    ck_assert(direct_switch(SEL_TSS_B, TASK_JMP, false, 0));
    ck_assert_uint_eq(cpu->cr3, 0);
}
END_TEST

START_TEST(cr3_loaded_with_paging)
{
    /* Two page directories mapping the first 4 MiB 1:1 with a 4 MiB page (CR4.PSE). */
    wr(0x70000, 0x87, 4);
    wr(0x71000, 0x87, 4);
    cpu->cr4 |= 0x10;
    cpu->cr3 = 0x70000;
    cpu->cr0 |= CR0_PG;
    ck_assert(mmu_cr3_written(cpu));
    wr(TSS_B + T_CR3, 0x71000, 4);
    wr(TSS_A + T_CR3, 0x70000, 4);
    put(CODE_A, "EA 00 00 00 00 20 00");
    put(CODE_B, "F4");
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->cr3, 0x71000);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_B);
    ck_assert_uint_eq(rd(TSS_A + T_CR3, 4), 0x70000); /* CR3 is not saved: a static field */
}
END_TEST

START_TEST(switch_into_v86)
{
    /* TSS M describes a V8086 task: VM = 1, real-mode style selectors. */
    wr(TSS_M + T_EFLAGS, 0x2 | F_VM | F_IOPL, 4);
    wr(TSS_M + T_EIP, 0x0010, 4);
    wr(TSS_M + T_CS, 0x3000, 4);
    wr(TSS_M + T_SS, 0x4300, 4);
    wr(TSS_M + T_ESP, 0x0100, 4);
    wr(TSS_M + T_DS, 0x5000, 4);
    wr(TSS_M + T_ES, 0x5100, 4);
    wr(TSS_M + T_FS, 0x5200, 4);
    wr(TSS_M + T_GS, 0x5300, 4);
    put(CODE_A, "EA 00 00 00 00 48 00");
    put(0x30010, "B8 34 12 A3 10 00 50"); /* mov ax,1234h; mov [10h],ax; push ax */
    ck_assert_int_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->tr.sel, SEL_TSS_M);
    ck_assert(cpu->eflags & F_VM);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert(!cpu->code32 && !cpu->stack32);
    ck_assert_uint_eq(cpu->seg[S_CS].base, 0x30000);
    ck_assert_uint_eq(cpu->seg[S_CS].limit, 0xFFFF);
    ck_assert_uint_eq(cpu->seg[S_SS].base, 0x43000);
    ck_assert_uint_eq(cpu->seg[S_GS].base, 0x53000);
    ck_assert_uint_eq(cpu->rip, 0x10);
    ck_assert_int_eq(cpu_run(cpu, 3), CPU_STOP_BUDGET);
    ck_assert_uint_eq(rd(0x50010, 2), 0x1234);
    ck_assert_uint_eq(rd(0x430FE, 2), 0x1234);
}
END_TEST

START_TEST(trap_bit_raises_db)
{
    wr(TSS_B + T_TRAP, 1, 2);
    put(CODE_A, "EA 00 00 00 00 20 00");
    put(CODE_B, "F4");
    ck_assert_int_eq(run_to_halt(), EXC_DB);
    ck_assert_uint_eq(stack_at(0), CODE_B); /* before B's first instruction */
    ck_assert(cpu->dr[6] & 0x8000);          /* DR6.BT */
}
END_TEST

/* ---- I/O permission ---- */

static void enter_cpl3_with_map(void)
{
    load_flat(S_CS, SEL_CODE3, 0xFB);
    for (unsigned s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            load_flat(s, SEL_DATA3, 0xF3);
    cpu->tr = (struct seg_cache){.sel = SEL_TSS_M, .base = TSS_M, .limit = MAPPED_LIMIT, .attr = 0x8B};
    cpu_set_cpl(cpu, 3);
    cpu_update_mode(cpu);
}

START_TEST(io_bitmap_direct)
{
    enter_cpl3_with_map();
    ck_assert(io_allowed(0x60, 1));
    ck_assert(io_allowed(0x64, 4));
    ck_assert(!io_allowed(0x66, 4)); /* 66h-69h: 68h is denied */
    ck_assert(!io_allowed(0x67, 2));
    ck_assert(io_allowed(0x80, 1));
    ck_assert(!io_allowed(0x80, 2));
    ck_assert(!io_allowed(0x70, 1));
    ck_assert(!io_allowed(0xFFFF, 1));
    /* IOPL 3 at CPL 3: no bitmap check */
    cpu->eflags |= F_IOPL;
    ck_assert(io_allowed(0x70, 1));
    /* V8086 mode checks the bitmap whatever IOPL says */
    cpu->eflags |= F_VM;
    ck_assert(!io_allowed(0x70, 1));
    ck_assert(io_allowed(0x61, 2));
    cpu->eflags &= ~(F_VM | F_IOPL);
    /* the two-byte read must fit the TSS limit: map byte 0Ch is the last byte */
    cpu->tr.limit = IOMAP + 0x0C;
    ck_assert(!io_allowed(0x60, 1));
    cpu->tr.limit = IOMAP + 0x0D;
    ck_assert(io_allowed(0x60, 1));
    /* a 16-bit TSS has no map */
    cpu->tr.attr = 0x83;
    ck_assert(!io_allowed(0x60, 1));
    /* CPL 0 <= IOPL 0: always allowed, map or not */
    cpu_set_cpl(cpu, 0);
    ck_assert(io_allowed(0x70, 1));
    /* real mode: no check at all */
    cpu->cr0 &= ~(uint64_t)CR0_PE;
    cpu_set_cpl(cpu, 3);
    ck_assert(io_allowed(0x70, 1));
}
END_TEST

START_TEST(io_80286_has_no_bitmap)
{
    teardown();
    make_machine(CPU_MODEL_80286);
    enter_cpl3_with_map();
    ck_assert(!io_allowed(0x60, 1));
    cpu->eflags |= F_IOPL;
    ck_assert(io_allowed(0x60, 1));
}
END_TEST

START_TEST(io_bitmap_at_cpl3)
{
    /* Task M at CPL 3, IOPL 0: in al,60h; out 80h,al; mov dx,61h; in eax,dx;
     * rep insb at 62h (3 bytes); in al,70h (denied) */
    put(CODE_U, "E4 60 E6 80 66 BA 61 00 ED 66 BA 62 00 B9 03 00 00 00 BF 00 50 00 00 F3 6C E4 70 F4");
    put(CODE_A, "EA 00 00 00 00 48 00");
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(stack_at(0), 0);          /* error code */
    ck_assert_uint_eq(stack_at(4), CODE_U + 25); /* the IN AL,70h */
    ck_assert_uint_eq(n_in, 5);
    ck_assert_uint_eq(n_out, 1);
    ck_assert_uint_eq(last_out_port, 0x80);
    ck_assert_uint_eq(last_in_port, 0x62);
    ck_assert_uint_eq(rd(0x5000, 2), 0x5A5A);
}
END_TEST

START_TEST(outs_denied_at_cpl3)
{
    /* no map reaches port 3F8h: OUTSB faults before reading the source */
    put(CODE_U, "66 BA F8 03 BE 00 60 00 00 6E F4");
    put(CODE_A, "EA 00 00 00 00 48 00");
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(stack_at(4), CODE_U + 9);
    ck_assert_uint_eq(n_out, 0);
    ck_assert_uint_eq(cpu->regs[R_SI], 0x6000);
}
END_TEST

START_TEST(in_at_cpl0_always_allowed)
{
    /* TR has no I/O map (TSS B layout, limit 67h), IOPL 0, CPL 0 */
    cpu->tr = (struct seg_cache){.sel = SEL_TSS_B, .base = TSS_B, .limit = 0x67, .attr = 0x8B};
    put(CODE_A, "E4 70 66 BA F8 03 EE F4"); /* in al,70h; mov dx,3F8h; out dx,al; hlt */
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(last_in_port, 0x70);
    ck_assert_uint_eq(last_out_port, 0x3F8);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 0x5A);
}
END_TEST

/* ---- virtual-8086 mode extensions ---- */

static void enter_v86_with_map(unsigned iopl)
{
    enter_cpl3_with_map();
    for (unsigned s = 0; s < S_COUNT; s++)
        cpu->seg[s] = (struct seg_cache){.sel = 0x6000, .base = 0x60000, .limit = 0xFFFF, .attr = 0xF3};
    cpu->eflags = 2 | F_VM | (iopl << 12) | F_IF | F_TF;
    cpu->cr4 |= CR4_VME;
    cpu_update_mode(cpu);
    cpu->rip = 0x0102;
    cpu->regs[R_SP] = 0x0200;
    wr(0x21 * 4, 0x12345678u, 4); /* the 8086 program's vector 21h: 1234:5678 */
}

static bool redirect(unsigned vector)
{
    cpu->insn_rip = cpu->rip;
    if (setjmp(cpu->fault_jmp))
        ck_abort_msg("v86_redirect_int raised");
    return v86_redirect_int(cpu, vector);
}

START_TEST(vme_redirects_through_ivt_iopl3)
{
    enter_v86_with_map(3);
    ck_assert(!redirect(0x13)); /* bit set: the IDT's business */
    ck_assert_uint_eq(cpu->regs[R_SP], 0x200);
    ck_assert(redirect(0x21));
    ck_assert_uint_eq(cpu->seg[S_CS].sel, 0x1234);
    ck_assert_uint_eq(cpu->seg[S_CS].base, 0x12340);
    ck_assert_uint_eq(cpu->rip, 0x5678);
    ck_assert_uint_eq(cpu->regs[R_SP], 0x1FA);
    ck_assert_uint_eq(rd(0x601FA, 2), 0x0102); /* IP */
    ck_assert_uint_eq(rd(0x601FC, 2), 0x6000); /* CS */
    ck_assert_uint_eq(rd(0x601FE, 2), 0x2 | F_IOPL | F_IF | F_TF);
    ck_assert(!(cpu->eflags & (F_IF | F_TF)));
}
END_TEST

START_TEST(vme_redirect_iopl0_uses_vif)
{
    enter_v86_with_map(0);
    cpu->eflags &= ~F_IF;
    cpu->eflags |= F_VIF;
    ck_assert(redirect(0x21));
    /* pushed FLAGS: IF from VIF, IOPL 3 */
    ck_assert_uint_eq(rd(0x601FE, 2), 0x2 | F_IOPL | F_IF | F_TF);
    ck_assert(!(cpu->eflags & F_VIF));
    ck_assert(!(cpu->eflags & F_TF));
    ck_assert_uint_eq(cpu->eflags & F_IOPL, 0);
    /* without VME nothing is redirected */
    cpu->cr4 &= ~(uint64_t)CR4_VME;
    ck_assert(!redirect(0x21));
}
END_TEST

START_TEST(vme_flags_images)
{
    enter_v86_with_map(0);
    cpu->eflags &= ~(F_IF | F_TF);
    cpu->eflags |= F_VIF;
    ck_assert(v86_vme_active(cpu));
    ck_assert_uint_eq(v86_vme_flags_image(cpu), 0x2 | F_IOPL | F_IF);
    cpu->insn_rip = cpu->rip;
    if (setjmp(cpu->fault_jmp))
        ck_abort_msg("unexpected fault");
    v86_vme_load_flags(cpu, 0x2 | F_CF); /* IF 0 -> VIF 0, IF and IOPL untouched */
    ck_assert(!(cpu->eflags & F_VIF));
    ck_assert(get_cf(cpu));
    cpu->eflags |= F_IF;
    v86_vme_load_flags(cpu, 0x2 | F_IOPL);
    ck_assert(cpu->eflags & F_IF);
    ck_assert_uint_eq(cpu->eflags & F_IOPL, 0);
}
END_TEST

START_TEST(vme_int_instruction_redirects)
{
    /* INT 21h in V8086 mode with VME, IOPL 0, bit clear: through the 8086 IVT */
    enter_v86_with_map(0);
    cpu->eflags &= ~F_TF;
    put(0x60102, "CD 21");
    put(0x12340 + 0x5678, "90");
    ck_assert_int_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, 0x1234);
    ck_assert_uint_eq(cpu->rip, 0x5678);
    ck_assert_uint_eq(rd(0x601FA, 2), 0x0104);
}
END_TEST

static Suite *task_suite(void)
{
    Suite *s = suite_create("task");
    TCase *t = tcase_create("task_switch");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, jmp_to_tss_saves_and_loads);
    tcase_add_test(t, jmp_through_task_gate);
    tcase_add_test(t, call_then_iret_back);
    tcase_add_test(t, int_via_task_pushes_error_code);
    tcase_add_test(t, busy_target_is_refused);
    tcase_add_test(t, short_tss_is_ts);
    tcase_add_test(t, short_tss_direct_leaves_no_trace);
    tcase_add_test(t, bad_ldt_faults_in_new_task);
    tcase_add_test(t, cs_rpl_must_match_dpl);
    tcase_add_test(t, tss16_round_trip);
    tcase_add_test(t, cr3_kept_without_paging);
    tcase_add_test(t, cr3_loaded_with_paging);
    tcase_add_test(t, switch_into_v86);
    tcase_add_test(t, trap_bit_raises_db);
    suite_add_tcase(s, t);
    t = tcase_create("io_perm");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, io_bitmap_direct);
    tcase_add_test(t, io_80286_has_no_bitmap);
    tcase_add_test(t, io_bitmap_at_cpl3);
    tcase_add_test(t, outs_denied_at_cpl3);
    tcase_add_test(t, in_at_cpl0_always_allowed);
    suite_add_tcase(s, t);
    t = tcase_create("v86");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, vme_redirects_through_ivt_iopl3);
    tcase_add_test(t, vme_redirect_iopl0_uses_vif);
    tcase_add_test(t, vme_flags_images);
    tcase_add_test(t, vme_int_instruction_redirects);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(task_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
