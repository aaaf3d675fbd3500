/* System instructions (all 0F xx, 386 and later): descriptor-table registers
 * (SGDT SIDT LGDT LIDT), the machine status word (SMSW LMSW), INVLPG,
 * control and debug registers
 * (MOV CRn, MOV DRn, CLTS), cache control (INVD WBINVD), UD2, the hint NOPs,
 * RDTSC, RDMSR/WRMSR and CPUID.  SDM vol. 2, one page per instruction; the
 * registers themselves are described in SDM vol. 3 ch. 2. */
#include <string.h>

#include "operand.h"
#include "seg.h"
#include "debug.h"
#include "mtrr.h"
#include "long_mode.h"
#include "mem/paging.h"

static bool protected_mode(const struct cpu *c) { return (c->cr0 & CR0_PE) != 0; }
static bool v86_mode(const struct cpu *c) { return (c->eflags & F_VM) != 0; }

/* Privileged instructions: #GP(0) unless CPL 0 (V86 mode runs at CPL 3). */
static void require_cpl0(struct cpu *c)
{
    if (protected_mode(c) && (c->cpl != 0 || v86_mode(c)))
        cpu_raise_gp0(c);
}

static bool canonical(uint64_t a) { return (uint64_t)((int64_t)(a << 16) >> 16) == a; }

/* Offset `off` further into the memory operand, wrapped to the address size. */
static uint64_t ea_plus(const struct insn *i, uint64_t ea, uint64_t off) { return (ea + off) & size_mask(i->asize); }

/* ---- 0F 01: descriptor tables, MSW, INVLPG ---- */

/* SGDT/SIDT: 16-bit limit, then the base: 4 bytes, or 8 in 64-bit mode.  The
 * current SDM stores the full 32-bit base for 16- and 32-bit operand size
 * alike (older manuals describe the 386/486 storing 24 bits and a zero byte
 * with a 16-bit operand size; P6 and later store all 32 bits). */
static void store_dtr(struct cpu *c, const struct insn *i, uint64_t base, uint32_t limit)
{
    unsigned bsize = c->mode64 ? 8 : 4;
    uint64_t ea = insn_ea(c, i);
    /* Check both pieces (segment and paging) before writing either. */
    uint64_t lin0 = seg_linear_w(c, i->seg, ea, 2);
    uint64_t lin1 = seg_linear_w(c, i->seg, ea_plus(i, ea, 2), bsize);
    mmu_probe_write(c, lin0, 2);
    mmu_probe_write(c, lin1, bsize);
    lin_write(c, lin0, limit & 0xFFFF, 2);
    lin_write(c, lin1, bsize == 8 ? base : (base & 0xFFFFFFFF), bsize);
}
static void sgdt(struct cpu *c, const struct insn *i) { store_dtr(c, i, c->gdtr.base, c->gdtr.limit); }
static void sidt(struct cpu *c, const struct insn *i) { store_dtr(c, i, c->idtr.base, c->idtr.limit); }

/* LGDT/LIDT: with a 16-bit operand size only 24 bits of the base are loaded
 * (SDM vol. 2 "LGDT/LIDT"); in 64-bit mode the base is 8 bytes and must be canonical. */
static void load_dtr(struct cpu *c, const struct insn *i, bool idt)
{
    require_cpl0(c);
    uint64_t ea = insn_ea(c, i);
    uint32_t limit = (uint32_t)mem_read(c, i->seg, ea, 2);
    uint64_t base;
    if (c->mode64) {
        base = mem_read(c, i->seg, ea_plus(i, ea, 2), 8);
        if (!canonical(base))
            cpu_raise_gp0(c);
    } else {
        base = mem_read(c, i->seg, ea_plus(i, ea, 2), 4);
        if (i->osize == 2)
            base &= 0x00FFFFFF;
    }
    if (idt) {
        c->idtr.base = base;
        c->idtr.limit = limit;
    } else {
        c->gdtr.base = base;
        c->gdtr.limit = limit;
    }
}
static void lgdt(struct cpu *c, const struct insn *i) { load_dtr(c, i, false); }
static void lidt(struct cpu *c, const struct insn *i) { load_dtr(c, i, true); }

/* SMSW: a memory destination takes 16 bits; a register takes the operand
 * size, and with 32 or 64 bits receives the whole of CR0 (SDM vol. 2 "SMSW"). */
static void smsw(struct cpu *c, const struct insn *i)
{
    if (i->flags & INSN_MEM)
        mem_write(c, i->seg, insn_ea(c, i), c->cr0 & 0xFFFF, 2);
    else
        reg_set(c, i->rm, i->osize, c->cr0);
}

/* LMSW: loads CR0 bits 0-3 (PE MP EM TS); it can set PE but never clears it. */
static void lmsw(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    uint64_t v = (i->flags & INSN_MEM) ? mem_read(c, i->seg, insn_ea(c, i), 2) : reg16(c, i->rm);
    uint64_t cr0 = (c->cr0 & ~0xEull) | (v & 0xE) | ((v | c->cr0) & CR0_PE);
    if (cr0 != c->cr0) {
        c->cr0 = cr0;
        cpu_update_mode(c);
        tlb_flush(c);
    }
}

/* INVLPG: drops the TLB entries of the page holding the operand's linear
 * address (SDM vol. 2 "INVLPG"); the operand is not accessed. */
static void invlpg(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    tlb_flush_page(c, (c->seg[i->seg].base + insn_ea(c, i)) & c->lin_mask);
}
HSET_1(sgdt);
HSET_1(sidt);
HSET_1(lgdt);
HSET_1(lidt);
HSET_1(smsw);
HSET_1(lmsw);
/* 0F 01 /7: INVLPG with a memory operand, SWAPGS (long_mode.c) in register form. */
static const struct hset hs_invlpg_swapgs = {.r = {lm_swapgs, lm_swapgs, lm_swapgs, lm_swapgs},
                                              .m = {invlpg, invlpg, invlpg, invlpg}};

/* ---- 0F 00 (SLDT STR LLDT LTR VERR VERW): in desc.c, with LAR, LSL and ARPL ---- */

/* ---- control and debug registers ---- */

#define CR0_KNOWN (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)
#define CR4_TSD 0x4u
#define CR4_DE 0x8u
#define CR4_PSE 0x10u
#define CR4_PAE 0x20u
#define CR4_PGE 0x80u
/* CR4 bits this CPU supports: only those whose CPUID feature it reports (TSD
 * goes with TSC, OSFXSR with FXSR, OSXMMEXCPT with SSE).  Setting any other bit
 * is #GP(0) (SDM vol. 3 §2.5). */
#define CR4_KNOWN (0x1u /* VME */ | 0x2u /* PVI */ | CR4_TSD | CR4_PSE | CR4_PAE | CR4_PGE | \
                   0x200u /* OSFXSR */ | 0x400u /* OSXMMEXCPT */)
#define EFER_SCE 0x1ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define EFER_NXE 0x800ull

/* Control/debug register moves ignore the operand-size prefix: 32 bits, or 64 in 64-bit mode. */
static unsigned creg_size(const struct cpu *c) { return c->mode64 ? 8 : 4; }

/* 0F 20: MOV r32,CRn */
static void mov_r_cr(struct cpu *c, const struct insn *i)
{
    uint64_t v;
    /* CR1, CR5-CR7 and CR9-CR15 are #UD; CR8 (the task-priority register,
     * SDM vol. 3 §10.8.6.1) exists in 64-bit mode only. */
    if (i->reg != 0 && (i->reg < 2 || i->reg > 4) && !(i->reg == 8 && c->mode64))
        cpu_raise_ud(c);
    require_cpl0(c);
    switch (i->reg) {
    case 8: v = c->bus.tpr_class_get ? c->bus.tpr_class_get(c->bus.opaque) & 0xF : c->cr8; break;
    case 0: v = c->cr0; break;
    case 2: v = c->cr2; break;
    case 3: v = c->cr3; break;
    default: v = c->cr4; break;
    }
    reg_set(c, i->rm, creg_size(c), v);
}

static void write_cr0(struct cpu *c, uint64_t v)
{
    if (v >> 32)
        cpu_raise_gp0(c);                                  /* 64-bit mode: bits 63:32 reserved */
    if ((v & CR0_PG) && !(v & CR0_PE))
        cpu_raise_gp0(c);
    if ((v & CR0_NW) && !(v & CR0_CD))
        cpu_raise_gp0(c);
    if (c->mode64 && !(v & CR0_PG))
        cpu_raise_gp0(c);                                  /* cannot leave long mode this way */
    if ((v & CR0_PG) && !(c->cr0 & CR0_PG) && (c->efer & EFER_LME) && !(c->cr4 & CR4_PAE))
        cpu_raise_gp0(c);
    /* Reserved bits 31:0 are ignored on write; ET is hardwired to 1 (486 and later). */
    uint64_t old = c->cr0;
    v = (v & CR0_KNOWN) | CR0_ET;
    /* Enabling PAE paging loads the PDPTEs (SDM vol. 3 §4.4.1); invalid ones are #GP(0). */
    if ((v & CR0_PG) && !(old & CR0_PG) && (c->cr4 & CR4_PAE) && !(c->efer & EFER_LME) &&
        !paging_load_pdptes(c->mem, c->cr3, c->pdpte))
        cpu_raise_gp0(c);
    c->cr0 = v;
    /* IA-32e mode becomes active when paging is enabled with EFER.LME set, and
     * inactive when paging is disabled (SDM vol. 3 §9.8.5, §10.8.5 in newer editions). */
    if ((v & CR0_PG) && (c->efer & EFER_LME))
        c->efer |= EFER_LMA;
    else if (!(v & CR0_PG))
        c->efer &= ~EFER_LMA;
    cpu_update_mode(c);
    cpu_update_align_check(c);
    x87_ferr_sync(c); /* NE selects #MF or FERR# */
    /* Only paging-relevant bits invalidate translations (TS toggles are frequent). */
    if ((old ^ v) & (CR0_PG | CR0_WP | CR0_PE))
        tlb_flush(c);
}

/* 0F 22: MOV CRn,r32 */
static void mov_cr_r(struct cpu *c, const struct insn *i)
{
    if (i->reg != 0 && (i->reg < 2 || i->reg > 4) && !(i->reg == 8 && c->mode64))
        cpu_raise_ud(c);
    require_cpl0(c);
    uint64_t v = reg_get(c, i->rm, creg_size(c));
    switch (i->reg) {
    case 8:
        /* Only bits 3:0 exist; they are the APIC's TPR[7:4] when the platform has one. */
        if (v & ~0xFull)
            cpu_raise_gp0(c);
        c->cr8 = v;
        if (c->bus.tpr_class_set)
            c->bus.tpr_class_set(c->bus.opaque, (unsigned)v);
        break;
    case 0: write_cr0(c, v); break;
    case 2: c->cr2 = v; break;
    case 3:
    {
        /* MAXPHYADDR is 36: in 64-bit mode higher bits are reserved. A CR3 write
         * flushes non-global translations and, under PAE paging, loads the PDPTEs. */
        if (v >> 36)
            cpu_raise_gp0(c);
        uint64_t old_cr3 = c->cr3;
        c->cr3 = v;
        if (!mmu_cr3_written(c)) {
            c->cr3 = old_cr3;
            cpu_raise_gp0(c);
        }
        break;
    }
    default: {
        if (v & ~(uint64_t)CR4_KNOWN)
            cpu_raise_gp0(c);
        if ((c->efer & EFER_LMA) && !(v & CR4_PAE))
            cpu_raise_gp0(c); /* PAE cannot be cleared in IA-32e mode */
        uint64_t changed = v ^ c->cr4;
        if ((v & CR4_PAE) && (changed & CR4_PAE) && (c->cr0 & CR0_PG) && !(c->efer & EFER_LMA) &&
            !paging_load_pdptes(c->mem, c->cr3, c->pdpte))
            cpu_raise_gp0(c);
        c->cr4 = v;
        /* SDM vol. 3 §4.10.4.1: changing PGE, PAE or PSE flushes everything, global pages too */
        if (changed & (CR4_PGE | CR4_PAE | CR4_PSE))
            tlb_flush(c);
        break;
    }
    }
}

/* Debug-register moves (SDM vol. 2 "MOV—Move to/from Debug Registers").
 * DR4/DR5 alias DR6/DR7 while CR4.DE is clear. Breakpoints are matched in debug.c. */
static unsigned dr_index(struct cpu *c, const struct insn *i)
{
    if (i->reg > 7)
        cpu_raise_ud(c);
    require_cpl0(c);
    unsigned n = i->reg;
    if (n == 4 || n == 5) {
        if (c->cr4 & CR4_DE)
            cpu_raise_ud(c);
        n += 2;
    }
    if (c->dr[7] & 0x2000) {
        /* DR7.GD: general detect. The #DB handler sees DR6.BD set and GD cleared. */
        c->dr[6] |= 0x2000;
        c->dr[7] &= ~0x2000ull;
        cpu_raise(c, EXC_DB, NO_ERROR_CODE);
    }
    return n;
}
static void mov_r_dr(struct cpu *c, const struct insn *i)
{
    unsigned n = dr_index(c, i);
    reg_set(c, i->rm, creg_size(c), c->dr[n]);
}
static void mov_dr_r(struct cpu *c, const struct insn *i)
{
    unsigned n = dr_index(c, i);
    uint64_t v = reg_get(c, i->rm, creg_size(c));
    if (n == 6 || n == 7) {
        if (v >> 32)
            cpu_raise_gp0(c);
        /* Reserved bits read back as on P6: DR6 bits 4-11 and 16-31 are 1, bit 12 is 0;
         * DR7 bit 10 is 1, bits 11, 12, 14 and 15 are 0. */
        v = n == 6 ? (v & 0xE00F) | 0xFFFF0FF0 : (v & 0xFFFF23FF) | 0x400;
    }
    c->dr[n] = v;
    if (n != 6)
        debug_regs_changed(c);
}
HSET_1(mov_r_cr);
HSET_1(mov_cr_r);
HSET_1(mov_r_dr);
HSET_1(mov_dr_r);

static void clts(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    c->cr0 &= ~(uint64_t)CR0_TS;
}
/* INVD/WBINVD: there are no caches to write back or drop. */
static void invd(struct cpu *c, const struct insn *i) { require_cpl0(c); }
static void ud2(struct cpu *c, const struct insn *i) { cpu_raise_ud(c); }
/* 0F 18-1F: prefetch hints and reserved-NOPs, and 0F 1F /0 NOP Ev: no memory access. */
static void hint_nop(struct cpu *c, const struct insn *i) {}
HSET_1(clts);
HSET_1(invd);
HSET_1(ud2);
HSET_1(hint_nop);

/* ---- time stamp counter, MSRs ---- */

/* Virtual time: retired instructions plus an offset (deterministic). */
static uint64_t tsc_now(const struct cpu *c) { return c->icount + c->tsc_offset; }
uint64_t cpu_tsc(const struct cpu *c) { return tsc_now(c); }
void cpu_add_tsc(struct cpu *c, uint64_t ticks) { c->tsc_offset += ticks; }

void cpu_set_apic(struct cpu *c, bool present, bool tsc_deadline)
{
    c->apic_present = present;
    c->apic_tsc_deadline = present && tsc_deadline;
}

static void rdtsc(struct cpu *c, const struct insn *i)
{
    /* CR4.TSD restricts RDTSC to CPL 0 (SDM vol. 2 "RDTSC"). */
    if ((c->cr4 & CR4_TSD) && protected_mode(c) && (c->cpl != 0 || v86_mode(c)))
        cpu_raise_gp0(c);
    uint64_t t = tsc_now(c);
    set_reg32(c, R_AX, (uint32_t)t);
    set_reg32(c, R_DX, (uint32_t)(t >> 32));
}
HSET_1(rdtsc);

enum {
    MSR_TSC = 0x10,
    MSR_PLATFORM_ID = 0x17,
    MSR_APIC_BASE = 0x1B,
    MSR_BIOS_SIGN_ID = 0x8B, /* microcode revision in bits 63:32 */
    MSR_MISC_ENABLE = 0x1A0,
    MSR_ARCH_CAPABILITIES = 0x10A,
    MSR_SYSENTER_CS = 0x174,
    MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176,
    MSR_PAT = 0x277,
    MSR_EFER = 0xC0000080u,
};
/* APIC base: bits 12 to MAXPHYADDR-1 (32: no PAE reported), EN (11); BSP (8) is read-only. */
#define APIC_BASE_WRITABLE 0xFFFFF800ull
#define APIC_BASE_BSP 0x100ull

/* MTRRs (0xFE, 0x200-0x20F, 0x250, 0x258, 0x259, 0x268-0x26F, 0x2FF) are in mtrr.c. */

/* Each PAT entry must name a valid memory type: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-. */
static bool pat_valid(uint64_t v)
{
    for (unsigned k = 0; k < 8; k++) {
        unsigned t = (v >> (8 * k)) & 0xFF;
        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

static void rdmsr(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    uint64_t v;
    switch (reg32(c, R_CX)) {
    case MSR_TSC: v = tsc_now(c); break;
    case MSR_APIC_BASE: v = c->msr_apic_base; break;
    /* Architectural on P6-family processors (SDM vol. 4 Table 2-2): platform ID 0
     * and microcode revision 0 (no update loaded); fast strings enabled. */
    case MSR_PLATFORM_ID: v = 0; break;
    case MSR_BIOS_SIGN_ID: v = 0; break;
    case MSR_MISC_ENABLE: v = 1; break;
    /* An interpreter executes nothing speculatively: report immunity to the
     * speculative-execution side channels that have "_NO" bits (SDM vol. 4 Table 2-2,
     * IA32_ARCH_CAPABILITIES): RDCL_NO (0), SKIP_L1DFL_VMENTRY (3), SSB_NO (4), MDS_NO (5),
     * IF_PSCHANGE_MC_NO (6), TAA_NO (8), SBDR_SSDP_NO (13), FBSDP_NO (14), PSDP_NO (15),
     * BHI_NO (20), PBRSB_NO (24), GDS_NO (26), RFDS_NO (27). */
    case MSR_ARCH_CAPABILITIES: v = 0x0D10E179ull; break;
    case MSR_SYSENTER_CS: v = c->msr_sysenter_cs; break;
    case MSR_SYSENTER_ESP: v = c->msr_sysenter_esp; break;
    case MSR_SYSENTER_EIP: v = c->msr_sysenter_eip; break;
    case MSR_PAT: v = c->msr_pat; break;
    case MSR_EFER: v = c->efer; break;
    default:
        if (lm_rdmsr(c, reg32(c, R_CX), &v))
            break;
        if (!mtrr_rdmsr(c, reg32(c, R_CX), &v) &&
            !(c->bus.msr_read && c->bus.msr_read(c->bus.opaque, reg32(c, R_CX), &v)))
            cpu_raise_gp0(c);
        break;
    }
    set_reg32(c, R_AX, (uint32_t)v);
    set_reg32(c, R_DX, (uint32_t)(v >> 32));
}

static void wrmsr(struct cpu *c, const struct insn *i)
{
    require_cpl0(c);
    uint64_t v = ((uint64_t)reg32(c, R_DX) << 32) | reg32(c, R_AX);
    switch (reg32(c, R_CX)) {
    case MSR_TSC:
        /* P6 family: only the low 32 bits are written, the high 32 bits are
         * cleared (SDM vol. 3 §17.17, "Time-Stamp Counter"). */
        c->tsc_offset = (v & 0xFFFFFFFF) - c->icount;
        break;
    case MSR_APIC_BASE:
        if (v & ~(APIC_BASE_WRITABLE | APIC_BASE_BSP))
            cpu_raise_gp0(c);
        c->msr_apic_base = (v & APIC_BASE_WRITABLE) | (c->msr_apic_base & APIC_BASE_BSP);
        if (c->bus.msr_write) /* the platform moves or disables the APIC's MMIO window */
            c->bus.msr_write(c->bus.opaque, MSR_APIC_BASE, c->msr_apic_base);
        break;
    case MSR_BIOS_SIGN_ID:
        break; /* software writes 0 before CPUID to read the revision back (SDM vol. 3 §9.11.7.1) */
    case MSR_MISC_ENABLE:
        break; /* nothing here can be switched off */
    case MSR_SYSENTER_CS: c->msr_sysenter_cs = v & 0xFFFFFFFF; break;
    case MSR_SYSENTER_ESP:
    case MSR_SYSENTER_EIP:
        if (!canonical(v))
            cpu_raise_gp0(c);
        if (reg32(c, R_CX) == MSR_SYSENTER_ESP)
            c->msr_sysenter_esp = v;
        else
            c->msr_sysenter_eip = v;
        break;
    case MSR_PAT:
        if (!pat_valid(v))
            cpu_raise_gp0(c);
        c->msr_pat = v;
        break;
    case MSR_EFER:
        /* Only SCE, LME and NXE are writable; LMA is read-only (written values
         * are ignored).  LME cannot change while paging is on. */
        if (v & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
            cpu_raise_gp0(c);
        if ((c->cr0 & CR0_PG) && ((v ^ c->efer) & EFER_LME))
            cpu_raise_gp0(c);
        c->efer = (v & (EFER_SCE | EFER_LME | EFER_NXE)) | (c->efer & EFER_LMA);
        tlb_flush(c); /* NXE changes what the cached translations allow */
        break;
    default:
        if (lm_wrmsr(c, reg32(c, R_CX), v))
            break;
        if (!mtrr_wrmsr(c, reg32(c, R_CX), v) &&
            !(c->bus.msr_write && c->bus.msr_write(c->bus.opaque, reg32(c, R_CX), v)))
            cpu_raise_gp0(c);
        break;
    }
}
HSET_1(rdmsr);
HSET_1(wrmsr);

/* ---- CPUID ---- */

/* Leaf 1 EDX: exactly what this CPU implements: FPU (0), VME (1), PSE (3), TSC (4),
 * MSR (5), PAE (6), CX8 (8), SEP (11, SYSENTER/SYSEXIT: not the early P6 models
 * that SDM §5.8.7 says lack it), MTRR (12, mtrr.c), PGE (13), CMOV (15),
 * CLFSH (19), MMX (23), FXSR (24), SSE (25) and SSE2 (26, cpu/sse/). APIC (9) is
 * added when the board attaches one (cpu_set_apic). */
#define CPUID_1_EDX ((1u << 0) | (1u << 1) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 8) | \
                     (1u << 11) | (1u << 12) | (1u << 13) | (1u << 15) | (1u << 19) | (1u << 24) | (1u << 25) | \
                     (1u << 23) | (1u << 26))
/* Leaf 1 ECX: SSE3 (0, with FISTTP in cpu/x87), SSSE3 (9), CMPXCHG16B (13), SSE4.1 (19), SSE4.2 (20:
 * PCMPGTQ, PCMPxSTRx and CRC32, cpu/sse/sse42.c), POPCNT (23). Not MOVBE (22).
 * TSC-deadline (24) comes with the APIC. */
#define CPUID_1_ECX ((1u << 0) | (1u << 9) | (1u << 13) | (1u << 19) | (1u << 20) | (1u << 23))
/* Extended leaf 0x80000001: EDX NX (20), Page1GB (26, 1 GiB pages in mem/paging.c),
 * LM (29, long mode), SYSCALL (11: Intel reports it only while in 64-bit mode);
 * ECX LAHF/SAHF in 64-bit mode (0). */
#define CPUID_80000001_EDX ((1u << 20) | (1u << 26) | (1u << 29))
#define CPUID_80000001_ECX (1u << 0)
#define CPUID_MAX_BASIC 7u
#define CPUID_MAX_EXT 0x80000008u

/* Brand string, leaves 0x80000002-0x80000004: 48 bytes, NUL-padded. */
static const char cpuid_brand[48] = "ringzero virtual x86-64 CPU";

static void cpuid(struct cpu *c, const struct insn *i)
{
    uint32_t leaf = reg32(c, R_AX), a = 0, b = 0, cc = 0, d = 0;
    /* Above the maximum basic or extended leaf, Intel CPUs return the highest
     * basic leaf's data (SDM vol. 2 "CPUID"). */
    if ((leaf < 0x80000000u && leaf > CPUID_MAX_BASIC) || leaf > CPUID_MAX_EXT)
        leaf = CPUID_MAX_BASIC;
    switch (leaf) {
    case 0:
        a = CPUID_MAX_BASIC;
        b = 0x756E6547; /* "Genu" */
        d = 0x49656E69; /* "ineI" */
        cc = 0x6C65746E; /* "ntel" */
        break;
    case 1:
        /* Family 6, model 15, stepping 11: a Core 2-class x86-64 processor, which
         * is what this feature set (long mode, SSE2, no later extensions) looks like. */
        a = 0x000006FB;
        d = CPUID_1_EDX | (c->apic_present ? 1u << 9 : 0);
        b = 8u << 8; /* CLFLUSH line size: 8 quadwords (64 bytes); initial APIC ID 0 */
        cc = CPUID_1_ECX | (c->apic_tsc_deadline ? 1u << 24 : 0);
        break;
    case 2:
        /* Cache and TLB descriptors: AL = 1 (one call), all descriptors null
         * (00h): this CPU has no caches or TLBs to describe. */
        a = 0x00000001;
        break;
    case 3:
    case 4:
    case 5:
    case 6:
        break; /* no serial number, no deterministic cache data (leaf 4 type 0: none), no MONITOR, no thermal */
    case 7:
        /* Subleaf 0: no structured extended features besides IA32_ARCH_CAPABILITIES
         * (EDX bit 29), which tells software this CPU does not speculate (see MSR 0x10A). */
        if (reg32(c, R_CX) == 0)
            d = 1u << 29;
        break;
    case 0x80000001u:
        d = CPUID_80000001_EDX | (c->mode64 ? 1u << 11 : 0);
        cc = CPUID_80000001_ECX;
        break;
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u: {
        uint32_t w[4];
        memcpy(w, cpuid_brand + 16 * (leaf - 0x80000002u), 16);
        a = w[0], b = w[1], cc = w[2], d = w[3];
        break;
    }
    case 0x80000005u:
    case 0x80000006u:
    case 0x80000007u:
        break; /* no cache, TLB or power-management information */
    case 0x80000008u:
        a = 0x3024; /* linear address bits 48, physical address bits 36 (paging.c MAXPHYADDR) */
        break;
    default: /* 0x80000000 */
        a = CPUID_MAX_EXT;
        break;
    }
    set_reg32(c, R_AX, a);
    set_reg32(c, R_BX, b);
    set_reg32(c, R_CX, cc);
    set_reg32(c, R_DX, d);
}
HSET_1(cpuid);

#define M OA_MODRM
#define N OA_386
const struct opdef system_opdefs[] = {
    {0x0F01, 0, N | M | OA_MEMONLY, &hs_sgdt}, {0x0F01, 1, N | M | OA_MEMONLY, &hs_sidt},
    {0x0F01, 2, N | M | OA_MEMONLY, &hs_lgdt}, {0x0F01, 3, N | M | OA_MEMONLY, &hs_lidt},
    {0x0F01, 4, N | M, &hs_smsw}, {0x0F01, 6, N | M, &hs_lmsw},
    {0x0F01, 7, N | M, &hs_invlpg_swapgs},
    {0x0F06, -1, N, &hs_clts},
    {0x0F08, -1, N, &hs_invd}, {0x0F09, -1, N, &hs_invd},
    {0x0F0B, -1, N, &hs_ud2},
    {0x0F18, -1, N | M, &hs_hint_nop}, {0x0F19, -1, N | M, &hs_hint_nop}, {0x0F1A, -1, N | M, &hs_hint_nop},
    {0x0F1B, -1, N | M, &hs_hint_nop}, {0x0F1C, -1, N | M, &hs_hint_nop}, {0x0F1D, -1, N | M, &hs_hint_nop},
    {0x0F1E, -1, N | M, &hs_hint_nop}, {0x0F1F, -1, N | M, &hs_hint_nop},
    {0x0F20, -1, N | M | OA_REGONLY, &hs_mov_r_cr}, {0x0F21, -1, N | M | OA_REGONLY, &hs_mov_r_dr},
    {0x0F22, -1, N | M | OA_REGONLY, &hs_mov_cr_r}, {0x0F23, -1, N | M | OA_REGONLY, &hs_mov_dr_r},
    {0x0F30, -1, N, &hs_wrmsr}, {0x0F31, -1, N, &hs_rdtsc}, {0x0F32, -1, N, &hs_rdmsr},
    {0x0FA2, -1, N, &hs_cpuid},
    {0, 0, 0, NULL},
};
