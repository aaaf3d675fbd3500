/* Unit tests of the CPU core: physical memory map, decoder, decoded-instruction
 * cache with self-modifying code, fault delivery and the instruction-length limit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/debug.h"
#include "cpu/decode.h"
#include "cpu/flags.h"
#include "mem/physmem.h"

static struct physmem *pm;
static struct cpu *cpu;
static char err[256];

static uint32_t port_in(void *o, uint16_t p, unsigned s) { (void)o; (void)p; return 0xFFFFFFFFu >> (32 - 8 * s); }
static void port_out(void *o, uint16_t p, uint32_t v, unsigned s) { (void)o; (void)p; (void)v; (void)s; }

static void make_machine(enum cpu_model model)
{
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, 2u << 20, err, sizeof err));
    struct cpu_bus bus = {.port_in = port_in, .port_out = port_out};
    cpu = cpu_create(pm, &bus, model);
    ck_assert_ptr_nonnull(cpu);
    /* real mode at 0000:7C00, handlers for #UD, #GP and #SS that halt at distinct addresses */
    for (unsigned s = 0; s < S_COUNT; s++) {
        cpu->seg[s].sel = 0;
        cpu->seg[s].base = 0;
    }
    cpu->rip = 0x7C00;
    cpu->regs[R_SP] = 0x6000;
    const unsigned vectors[] = {EXC_DE, EXC_DB, EXC_UD, EXC_SS, EXC_GP};
    for (unsigned k = 0; k < 5; k++) {
        unsigned handler = 0x500 + vectors[k] * 2;
        physmem_write(pm, vectors[k] * 4, handler, 2);
        physmem_write(pm, vectors[k] * 4 + 2, 0, 2);
        physmem_write(pm, handler, 0xF4, 1); /* hlt */
    }
}
static void setup(void) { make_machine(CPU_MODEL_P6); }
static void teardown(void)
{
    cpu_destroy(cpu);
    physmem_destroy(pm);
}

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

static struct insn decode_at(uint64_t addr, const char *hex)
{
    put(addr, hex);
    cpu->rip = addr;
    struct insn in;
    bool cacheable;
    decode_insn(cpu, &in, &cacheable);
    return in;
}

/* Runs until HLT (bounded) and returns the vector whose handler halted, or -1 for the HLT at `addr`. */
static int run_to_halt(void)
{
    enum cpu_stop stop = cpu_run(cpu, 1000);
    ck_assert_int_eq(stop, CPU_STOP_HLT);
    cpu->halted = false;
    cpu->pending &= ~PEND_HALT;
    uint64_t ip = cpu->rip - 1;
    if (ip >= 0x500 && ip < 0x540)
        return (int)(ip - 0x500) / 2;
    return -1;
}

START_TEST(physmem_overlap_and_unmapped)
{
    struct physmem *m = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(m, "low", 0, 0x10000, err, sizeof err));
    ck_assert_ptr_null(physmem_add_ram(m, "clash", 0x8000, 0x10000, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "clash"));
    ck_assert_ptr_nonnull(strstr(err, "low"));
    ck_assert_uint_eq(physmem_read(m, 0x20000, 4), 0xFFFFFFFFu);
    physmem_write(m, 0x20000, 0x12345678, 4); /* dropped, no crash */
    uint8_t rom[16] = {1, 2, 3, 4};
    ck_assert_ptr_nonnull(physmem_add_rom(m, "rom", 0xF0000, rom, sizeof rom, err, sizeof err));
    physmem_write(m, 0xF0000, 0xAA, 1);
    ck_assert_uint_eq(physmem_read(m, 0xF0000, 2), 0x0201);
    /* a read straddling RAM and unmapped space */
    physmem_write(m, 0xFFFF, 0x77, 1);
    ck_assert_uint_eq(physmem_read(m, 0xFFFF, 2), 0xFF77);
    physmem_destroy(m);
}
END_TEST

START_TEST(decode_fields_16)
{
    struct insn in = decode_at(0x7C00, "01 5F 0E");
    ck_assert_uint_eq(in.len, 3);
    ck_assert(in.flags & INSN_MEM);
    ck_assert_uint_eq(in.base, R_BX);
    ck_assert_uint_eq(in.index, R_ZERO);
    ck_assert_int_eq(in.disp, 0x0E);
    ck_assert_uint_eq(in.seg, S_DS);
    ck_assert_uint_eq(in.osize, 2);
    ck_assert_uint_eq(in.reg, R_BX);

    in = decode_at(0x7C00, "8B 46 FE");
    ck_assert_uint_eq(in.seg, S_SS);
    ck_assert_uint_eq(in.base, R_BP);
    ck_assert_int_eq(in.disp, -2);

    in = decode_at(0x7C00, "26 8B 46 FE");
    ck_assert_uint_eq(in.len, 4);
    ck_assert_uint_eq(in.seg, S_ES);

    in = decode_at(0x7C00, "8A E0"); /* mov ah, al: byte registers are offsets */
    ck_assert(!(in.flags & INSN_MEM));
    ck_assert_uint_eq(in.reg, 1); /* AH = byte 1 of RAX */
    ck_assert_uint_eq(in.rm, 0);  /* AL */

    in = decode_at(0x7C00, "83 C0 FF");
    ck_assert_uint_eq(in.imm, ~0ull);
    in = decode_at(0x7C00, "C6 06 34 12 AB");
    ck_assert_uint_eq(in.len, 5);
    ck_assert_int_eq(in.disp, 0x1234);
    ck_assert_uint_eq(in.imm, 0xAB);
}
END_TEST

START_TEST(decode_fields_32_in_real_mode)
{
    struct insn in = decode_at(0x7C00, "66 67 8B 44 8D 10"); /* mov eax,[ebp+ecx*4+0x10] */
    ck_assert_uint_eq(in.len, 6);
    ck_assert_uint_eq(in.osize, 4);
    ck_assert_uint_eq(in.asize, 4);
    ck_assert_uint_eq(in.base, R_BP);
    ck_assert_uint_eq(in.index, R_CX);
    ck_assert_uint_eq(in.scale, 2);
    ck_assert_int_eq(in.disp, 0x10);
    ck_assert_uint_eq(in.seg, S_SS);

    in = decode_at(0x7C00, "67 8B 04 25 78 56 34 12"); /* mov ax,[0x12345678] via SIB */
    ck_assert_uint_eq(in.base, R_ZERO);
    ck_assert_uint_eq(in.index, R_ZERO);
    ck_assert_int_eq(in.disp, 0x12345678);

    in = decode_at(0x7C00, "66 B8 78 56 34 12");
    ck_assert_uint_eq(in.imm, 0x12345678);
    ck_assert_uint_eq(in.len, 6);
}
END_TEST

START_TEST(length_limit_15_bytes)
{
    /* 14 segment prefixes + a 1-byte ALU op = 15 bytes: fine. */
    put(0x7C00, "26 26 26 26 26 26 26 26 26 26 26 26 26 26 40 F4");
    cpu->regs[R_AX] = 1;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX], 2);
    /* 15 prefixes + op = 16 bytes: #GP(0) with IP at the instruction, nothing changed */
    put(0x7D00, "26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 40 F4");
    cpu->rip = 0x7D00;
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(cpu->regs[R_AX], 2);
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 6, 2), 0x7D00); /* pushed IP */
}
END_TEST

START_TEST(lock_rules)
{
    put(0x7C00, "F0 01 C0 F4"); /* lock add ax,ax: register destination -> #UD */
    ck_assert_int_eq(run_to_halt(), EXC_UD);
    cpu->rip = 0x7D00;
    cpu->regs[R_SP] = 0x6000;
    put(0x7D00, "F0 01 07 F4"); /* lock add [bx],ax */
    cpu->regs[R_BX] = 0x3000;
    cpu->regs[R_AX] = 5;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(physmem_read(pm, 0x3000, 2), 5);
    cpu->rip = 0x7E00;
    put(0x7E00, "F0 89 07 F4"); /* lock mov: not lockable -> #UD */
    ck_assert_int_eq(run_to_halt(), EXC_UD);
}
END_TEST

START_TEST(model_286_rejects_386_prefixes)
{
    teardown();
    make_machine(CPU_MODEL_80286);
    put(0x7C00, "66 40 F4");
    ck_assert_int_eq(run_to_halt(), EXC_UD);
    /* the 286 raises #GP past 10 bytes (as the recorded vectors show) */
    cpu->rip = 0x7D00;
    put(0x7D00, "26 26 26 26 26 26 26 26 26 26 40 F4");
    ck_assert_int_eq(run_to_halt(), EXC_GP);
}
END_TEST

START_TEST(fault_leaves_no_trace)
{
    /* add [0xFFFF],ax: a word at offset FFFF exceeds the limit -> #GP, memory and flags untouched */
    put(0x7C00, "01 06 FF FF F4");
    physmem_write(pm, 0xFFFF, 0x11, 1);
    lf_set_flags(cpu, F_CF | F_ZF);
    cpu->regs[R_AX] = 0x1234;
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(physmem_read(pm, 0xFFFF, 1), 0x11);
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 6, 2), 0x7C00);
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 2, 2) & F_ARITH, F_CF | F_ZF);
    /* mov ax,[bp-1] with BP=0: the word at SS:FFFF is outside the limit -> #SS on a 386+ */
    cpu->rip = 0x7D00;
    cpu->regs[R_BP] = 0;
    put(0x7D00, "8B 46 FF F4");
    ck_assert_int_eq(run_to_halt(), EXC_SS);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 0x1234);
    /* push with SP=1 faults, and so does delivering the #SS on that stack: #DF, then shutdown */
    cpu->rip = 0x7E00;
    cpu->regs[R_SP] = 1;
    put(0x7E00, "50 F4");
    ck_assert_int_eq(cpu_run(cpu, 10), CPU_STOP_SHUTDOWN);
}
END_TEST

START_TEST(smc_patch_executed_instruction)
{
    put(0x7C00, "B0 01 F4"); /* mov al,1 ; hlt */
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 1);
    /* the guest patches the immediate of the cached instruction */
    put(0x7C10, "C6 06 01 7C 05 F4"); /* mov byte [0x7C01],5 ; hlt */
    cpu->rip = 0x7C10;
    ck_assert_int_eq(run_to_halt(), -1);
    cpu->rip = 0x7C00;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 5);
    /* a write from outside the CPU (a device, a loader) invalidates too */
    physmem_write(pm, 0x7C01, 9, 1);
    cpu->rip = 0x7C00;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 9);
}
END_TEST

START_TEST(smc_patch_next_instruction)
{
    /* mov byte [0x7C06],4 patches the immediate of the mov al that follows it */
    put(0x7C00, "C6 06 06 7C 04 B0 01 F4");
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 4);
    /* run again: both are cached now; patch the patch's immediate so it writes 7 */
    physmem_write(pm, 0x7C06, 1, 1);
    physmem_write(pm, 0x7C04, 7, 1);
    cpu->rip = 0x7C00;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 7);
}
END_TEST

START_TEST(smc_write_tlb_filled_before_code)
{
    /* The CPU writes code into page 9 (filling its write TLB entry), runs it, then
     * patches it: the fast write path must not bypass invalidation. */
    put(0x7C00, "C6 06 00 90 B0 C6 06 01 90 03 C6 06 02 90 F4 F4");
    ck_assert_int_eq(run_to_halt(), -1);
    cpu->rip = 0x9000;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 3);
    put(0x7D00, "C6 06 01 90 07 F4");
    cpu->rip = 0x7D00;
    ck_assert_int_eq(run_to_halt(), -1);
    cpu->rip = 0x9000;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 7);
}
END_TEST

START_TEST(instruction_across_page)
{
    put(0x9FFF, "B8 34 12 F4"); /* mov ax,0x1234 spans pages 9 and A */
    cpu->rip = 0x9FFF;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 0x1234);
    physmem_write(pm, 0xA001, 0x56, 1);
    cpu->rip = 0x9FFF;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 0x5634);
}
END_TEST

START_TEST(a20_gate_wraps)
{
    /* FFFF:0010 is physical 0x100000; with the A20 gate closed it is 0 */
    physmem_write(pm, 0x100000, 0xAB, 1);
    physmem_write(pm, 0x000000, 0xCD, 1);
    put(0x7C00, "A0 10 00 F4"); /* mov al,[0x10] with DS=FFFF */
    cpu->seg[S_DS].sel = 0xFFFF;
    cpu->seg[S_DS].base = 0xFFFF0;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 0xAB);
    physmem_set_a20(pm, false);
    cpu->rip = 0x7C00;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFF, 0xCD);
}
END_TEST

START_TEST(triple_fault_shuts_down)
{
    /* IDT limit 0: every vector is outside it -> #GP -> #DF -> shutdown */
    cpu->idtr.limit = 0;
    put(0x7C00, "0F 0B"); /* ud2 */
    ck_assert_int_eq(cpu_run(cpu, 100), CPU_STOP_SHUTDOWN);
}
END_TEST

START_TEST(single_step_trap)
{
    /* pushf; pop ax; or ax,0x100; push ax; popf (sets TF: no trap after the POPF itself);
     * inc ax (trap after it); inc ax; hlt */
    put(0x7C00, "9C 58 0D 00 01 50 9D 40 40 F4");
    ck_assert_int_eq(run_to_halt(), EXC_DB);
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 6, 2), 0x7C08); /* pushed IP: after the first inc */
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, (0x0102u | 0x100u) + 1);
    ck_assert(cpu->dr[6] & DR6_BS);
    ck_assert(!(cpu->eflags & F_TF)); /* cleared for the handler */
}
END_TEST

START_TEST(instruction_breakpoint_is_a_fault)
{
    cpu->dr[0] = 0x7C05;
    cpu->dr[7] = 0x401; /* L0, execute, length 1 */
    debug_regs_changed(cpu);
    put(0x7C00, "40 40 40 40 40 40 F4");
    cpu->regs[R_AX] = 0;
    ck_assert_int_eq(run_to_halt(), EXC_DB);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 5); /* the sixth inc did not run */
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 6, 2), 0x7C05);
    ck_assert_uint_eq(cpu->dr[6] & 0xF, 1);
}
END_TEST

START_TEST(data_breakpoint_is_a_trap)
{
    cpu->dr[1] = 0x3000;
    cpu->dr[7] = 0x400 | (1u << 2) | (1u << 20) | (1u << 22); /* L1, write, length 2 */
    debug_regs_changed(cpu);
    put(0x7C00, "A1 00 30 C7 06 00 30 34 12 40 F4"); /* a read (no hit), the write, inc */
    cpu->regs[R_AX] = 0;
    ck_assert_int_eq(run_to_halt(), EXC_DB);
    ck_assert_uint_eq(physmem_read(pm, 0x3000, 2), 0x1234); /* the write happened */
    ck_assert_uint_eq(physmem_read(pm, 0x6000 - 6, 2), 0x7C09); /* trap: IP after the MOV */
    ck_assert_uint_eq(cpu->dr[6] & 0xF, 2);
    ck_assert_uint_eq(cpu->regs[R_AX] & 0xFFFF, 0); /* the inc did not run */
}
END_TEST

START_TEST(sysenter_sysexit)
{
    /* SYSENTER outside protected mode is #GP(0) */
    put(0x7C00, "0F 34");
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    cpu->cr0 |= CR0_PE; /* the real-mode segment caches stay usable */
    cpu->msr_sysenter_cs = 0x10;
    cpu->msr_sysenter_esp = 0x5000;
    cpu->msr_sysenter_eip = 0x9000;
    cpu->eflags |= F_IF;
    cpu->rip = 0x7C00;
    put(0x9000, "0F 35"); /* sysexit */
    cpu->regs[R_CX] = 0x4000;
    cpu->regs[R_DX] = 0x7C10;
    ck_assert_int_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, 0x10);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, 0x18);
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert(cpu->code32 && cpu->stack32);
    ck_assert_uint_eq(cpu->rip, 0x9000);
    ck_assert_uint_eq(cpu->regs[R_SP], 0x5000);
    ck_assert(!(cpu->eflags & F_IF));
    ck_assert_int_eq(cpu_run(cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu->seg[S_CS].sel, 0x23);
    ck_assert_uint_eq(cpu->seg[S_SS].sel, 0x2B);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert_uint_eq(cpu->rip, 0x7C10);
    ck_assert_uint_eq(cpu->regs[R_SP], 0x4000);
}
END_TEST

START_TEST(mtrr_registers)
{
    /* mov ecx,0x200; mov eax,6 (WB); xor edx,edx; wrmsr; xor eax,eax; rdmsr; hlt */
    put(0x7C00, "66 B9 00 02 00 00 66 B8 06 00 00 00 66 31 D2 0F 30 66 31 C0 0F 32 F4");
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX], 6);
    ck_assert_uint_eq(cpu->mtrr.var[0], 6);
    /* MTRRCAP (0xFE) reads VCNT 8, FIX and WC */
    put(0x7D00, "66 B9 FE 00 00 00 0F 32 F4");
    cpu->rip = 0x7D00;
    ck_assert_int_eq(run_to_halt(), -1);
    ck_assert_uint_eq(cpu->regs[R_AX], 0x508);
    /* an invalid memory type (2) is #GP(0) and changes nothing */
    put(0x7E00, "66 B9 00 02 00 00 66 B8 02 00 00 00 0F 30 F4");
    cpu->rip = 0x7E00;
    ck_assert_int_eq(run_to_halt(), EXC_GP);
    ck_assert_uint_eq(cpu->mtrr.var[0], 6);
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("cpu_core");
    TCase *t = tcase_create("physmem");
    tcase_add_test(t, physmem_overlap_and_unmapped);
    suite_add_tcase(s, t);
    t = tcase_create("decoder");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, decode_fields_16);
    tcase_add_test(t, decode_fields_32_in_real_mode);
    tcase_add_test(t, length_limit_15_bytes);
    tcase_add_test(t, lock_rules);
    tcase_add_test(t, model_286_rejects_386_prefixes);
    tcase_add_test(t, fault_leaves_no_trace);
    tcase_add_test(t, triple_fault_shuts_down);
    tcase_add_test(t, single_step_trap);
    tcase_add_test(t, instruction_breakpoint_is_a_fault);
    tcase_add_test(t, data_breakpoint_is_a_trap);
    tcase_add_test(t, sysenter_sysexit);
    tcase_add_test(t, mtrr_registers);
    suite_add_tcase(s, t);
    t = tcase_create("icache");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, smc_patch_executed_instruction);
    tcase_add_test(t, smc_patch_next_instruction);
    tcase_add_test(t, smc_write_tlb_filled_before_code);
    tcase_add_test(t, instruction_across_page);
    tcase_add_test(t, a20_gate_wraps);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(core_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
