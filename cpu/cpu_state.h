/* The CPU's architectural and cached state, shared by the cpu/ files. */
#ifndef RINGZERO_CPU_STATE_H
#define RINGZERO_CPU_STATE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "cpu/sse/sse_state.h"
#include "cpu/x87/x87.h"
#include "mem/physmem.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum reg { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI, R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
           R_ZERO, /* always 0: stands for "no base/index" in effective addresses */
           R_COUNT };
enum sreg { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_COUNT };

/* EFLAGS bits (SDM vol. 1 §3.4.3) */
#define F_CF   0x0001u
#define F_PF   0x0004u
#define F_AF   0x0010u
#define F_ZF   0x0040u
#define F_SF   0x0080u
#define F_TF   0x0100u
#define F_IF   0x0200u
#define F_DF   0x0400u
#define F_OF   0x0800u
#define F_IOPL 0x3000u
#define F_NT   0x4000u
#define F_RF   0x10000u
#define F_VM   0x20000u
#define F_AC   0x40000u
#define F_VIF  0x80000u
#define F_VIP  0x100000u
#define F_ID   0x200000u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

#define CR0_PE 0x1u
#define CR0_MP 0x2u
#define CR0_EM 0x4u
#define CR0_TS 0x8u
#define CR0_ET 0x10u
#define CR0_NE 0x20u
#define CR0_WP 0x10000u
#define CR0_AM 0x40000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

/* Exception vectors (SDM vol. 3 §6.3.1) */
enum { EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5, EXC_UD = 6, EXC_NM = 7,
       EXC_DF = 8, EXC_TS = 10, EXC_NP = 11, EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16,
       EXC_AC = 17, EXC_MC = 18, EXC_XM = 19 };

/* Segment register with its hidden descriptor cache. */
struct seg_cache {
    uint64_t base;
    uint64_t limit;      /* byte-granular effective limit (expand-up) */
    uint16_t sel;
    uint16_t attr;       /* descriptor type byte (bits 0-7) and flags nibble (bits 12-15: AVL, L, D/B, G) */
    uint8_t check;       /* SEG_CHECK_*: nonzero sends accesses through the slow segment check */
};
#define SEG_CHECK_NOREAD  0x01 /* execute-only code segment */
#define SEG_CHECK_NOWRITE 0x02 /* code or read-only data segment */
#define SEG_CHECK_EXPDOWN 0x04 /* expand-down: valid offsets are (limit, 0xFFFF or 0xFFFFFFFF] */
#define SEG_CHECK_NULL    0x08 /* null selector loaded: any access is #GP(0) */
#define SEG_ATTR_D 0x4000u
#define SEG_ATTR_L 0x2000u  /* 64-bit code segment (IA-32e mode) */
#define EFER_LMA_BIT 0x400u /* IA32_EFER.LMA: IA-32e mode active */

struct tlb_entry {
    uint64_t tag;        /* linear page, or TLB_INVALID */
    uintptr_t host_off;  /* host pointer = lin + host_off */
    uint64_t phys_page;  /* physical page of the linear page */
    uint64_t global;     /* survives CR3 writes (CR4.PGE and the G bit) */
};
#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID 1ull /* low bit set: never equals a page-aligned linear address */
enum tlb_kind { TLB_READ, TLB_WRITE, TLB_EXEC, TLB_KINDS };

/* One set for supervisor accesses (CPL 0-2) and one for user accesses (CPL 3),
 * so a hit needs no privilege check. */
struct tlb_set {
    struct tlb_entry e[TLB_KINDS][TLB_SIZE];
    /* Entries filled since the last flush (kind * TLB_SIZE + index), so that a
     * flush touches only those: guests that switch modes often flush a lot. */
    uint16_t used[TLB_KINDS * TLB_SIZE];
    unsigned used_count;
    bool used_overflow; /* the list filled up (duplicates after INVLPG): next flush scans all */
};
struct tlb {
    struct tlb_set set[2];
    struct tlb_set uncached; /* always empty: selected while alignment checking is on */
};

/* A decoded instruction. Handlers are picked at decode time by operand size and
 * register/memory form, so they are straight-line code. */
typedef void (*insn_fn)(struct cpu *cpu, const struct insn *i);

struct insn {
    insn_fn fn;
    int64_t disp;        /* EA displacement (sign-extended) */
    uint64_t imm;        /* first immediate: sign- or zero-extended per opcode; branch offsets sign-extended */
    uint16_t imm2;       /* second immediate: far-pointer selector, ENTER nesting level */
    uint16_t opcode;     /* 0x00-0xFF, or 0x0F00-0x0FFF; for traces and diagnostics */
    uint8_t len;
    uint8_t reg;         /* ModRM.reg register number; for byte ops the byte offset in the register file */
    uint8_t rm;          /* register form: register number / byte offset as for reg */
    uint8_t base, index, scale; /* memory form: registers (R_ZERO when absent) and shift count */
    uint8_t seg;         /* segment of the memory operand after overrides */
    uint8_t osize;       /* operand size in bytes: 1, 2, 4, 8 */
    uint8_t asize;       /* address size in bytes: 2, 4, 8 */
    uint8_t rep;         /* 0, 0xF2 or 0xF3 */
    uint8_t flags;       /* INSN_* */
    uint8_t seg_override;/* segment prefix given (S_COUNT if none): string sources honour it */
};
#define INSN_MEM     0x01 /* ModRM names memory */
#define INSN_RIPREL  0x02
#define INSN_LOCK    0x04
#define INSN_NOCACHE 0x08 /* crosses a page: decode each time */

/* Pending-work bits, tested once per instruction. */
#define PEND_INTR  0x01u
#define PEND_TRACE 0x02u
#define PEND_STOP  0x04u
#define PEND_SHADOW 0x08u /* interrupts inhibited for one instruction (STI, MOV SS, POP SS) */
#define PEND_TF    0x10u  /* single-step trap after this instruction */
#define PEND_HALT  0x20u  /* halted: waiting for an interrupt */
#define PEND_SSTEP 0x40u  /* single-step trap armed for the instruction running */
#define PEND_DBTRAP 0x80u /* a data breakpoint hit: #DB trap at the next boundary */
#define PEND_MOVSS 0x100u /* MOV SS / POP SS: debug traps also wait one instruction */

struct icache;
struct decoder_tables;

struct cpu {
    uint64_t regs[R_COUNT];
    uint64_t rip;
    uint64_t insn_rip;    /* address of the instruction being executed (faults restart here) */
    uint32_t eflags;      /* all bits except the arithmetic ones, which live in the lazy state */
    uint64_t lf_res;      /* lazy flags: result sign-extended to 64 bits */
    uint64_t lf_aux;      /* lazy flags: CF bit 31, CF^OF bit 30, AF bit 3, SF delta bit 0, PF delta bits 8-15 */
    struct seg_cache seg[S_COUNT];
    struct seg_cache ldtr, tr;
    struct { uint64_t base; uint32_t limit; } gdtr, idtr;
    uint64_t cr0, cr2, cr3, cr4, cr8, efer;
    uint64_t msr_star, msr_lstar, msr_cstar, msr_fmask, msr_kernel_gs_base; /* long_mode.c */
    uint64_t dr[8];
    uint64_t tsc_offset;
    uint64_t msr_sysenter_cs, msr_sysenter_esp, msr_sysenter_eip, msr_pat, msr_apic_base;
    struct { uint64_t def_type, fixed[11], var[16]; } mtrr; /* stored registers (mtrr.c) */
    bool apic_present, apic_tsc_deadline; /* cpu_set_apic */
    bool ferr_level;      /* FERR# as last reported to the platform (x87_ferr_sync) */
    unsigned cpl;
    bool code32;          /* CS.D: default operand/address size 32 */
    bool mode64;          /* 64-bit mode (EFER.LMA and CS.L) */
    bool stack32;         /* SS.B: stack pointer is ESP */
    uint64_t sp_mask;     /* 0xFFFF, 0xFFFFFFFF or all ones */
    uint64_t lin_mask;    /* 0xFFFFFFFF outside 64-bit mode */

    uint32_t pending;
    bool intr_line;
    bool halted;
    uint64_t icount;
    uint64_t icount_stop;
    enum cpu_stop stop_reason;

    /* Fault unwinding: one setjmp per run slice (fault.c). */
    jmp_buf fault_jmp;
    int fault_depth;      /* exceptions being delivered: for #DF and triple fault */
    unsigned delivering_vector; /* first event of a nested delivery, for the #DF table */

    /* Read-modify-write: the write half goes where the read half was checked. */
    uint8_t *rmw_host;
    uint64_t rmw_lin;

    struct tlb tlb;
    struct tlb_set *tlb_cur;  /* &tlb.set[cpl == 3], or &tlb.uncached while alignment checks apply */
    bool align_check;         /* CR0.AM && EFLAGS.AC && CPL 3: misaligned data accesses raise #AC */
    bool tlb_has_large;       /* some cached 4 KiB tag came from a 2 MiB / 4 MiB / 1 GiB page */
    uint64_t pdpte[4];        /* PAE: loaded on CR3 writes (SDM vol. 3 §4.4.1) */
    struct icache *icache;
    uint64_t icache_tag;      /* icache_tag(icache, decode mode): refreshed by cpu_update_mode and flushes */
    /* The code page being executed: its linear page, physical page and icache bank.
     * Valid exactly as long as the exec-TLB entry it came from (reset by every flush). */
    uint64_t fetch_page_lin, fetch_phys_page;
    struct icache_slot *fetch_bank;
    struct decoder_tables *dec;
    struct insn scratch_insn; /* decoded form of an uncacheable instruction */
    struct physmem *mem;
    struct cpu_bus bus;
    enum cpu_model model;

    cpu_trace_fn trace_fn;
    void *trace_opaque;
    bool log_writes;      /* route every write through the slow path and record it */
    bool dbg_exec_armed, dbg_data_armed; /* enabled DR0-3 breakpoints by kind (debug.c) */
    uint32_t dbg_pending_dr6;            /* data-breakpoint hits of the running instruction */
    void (*write_hook)(void *opaque, uint64_t lin, uint64_t phys, uint64_t value, unsigned size);
    void *write_hook_opaque;

    struct x87 fpu;       /* x87 FPU state (cpu/x87/) */
    struct sse_state sse; /* XMM registers (cpu/sse/) */
};

/* Register access. The register file is little-endian on the host, so the
 * 8-bit registers are byte offsets into it (AH is offset 1 of RAX). */
static inline uint8_t *reg8_ptr(struct cpu *c, unsigned byte_off) { return (uint8_t *)c->regs + byte_off; }
static inline uint16_t reg16(const struct cpu *c, unsigned r) { return (uint16_t)c->regs[r]; }
static inline uint32_t reg32(const struct cpu *c, unsigned r) { return (uint32_t)c->regs[r]; }
static inline void set_reg16(struct cpu *c, unsigned r, uint16_t v) { c->regs[r] = (c->regs[r] & ~0xFFFFull) | v; }
static inline void set_reg32(struct cpu *c, unsigned r, uint32_t v) { c->regs[r] = v; /* zero-extends */ }
static inline void set_reg64(struct cpu *c, unsigned r, uint64_t v) { c->regs[r] = v; }

/* Width-generic register access for handlers specialised by width at compile time. */
static inline uint64_t reg_get(struct cpu *c, unsigned r, unsigned size)
{
    switch (size) {
    case 1: return *reg8_ptr(c, r);
    case 2: return (uint16_t)c->regs[r];
    case 4: return (uint32_t)c->regs[r];
    default: return c->regs[r];
    }
}
static inline void reg_set(struct cpu *c, unsigned r, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *reg8_ptr(c, r) = (uint8_t)v; break;
    case 2: set_reg16(c, r, (uint16_t)v); break;
    case 4: set_reg32(c, r, (uint32_t)v); break;
    default: c->regs[r] = v; break;
    }
}

/* A canonical linear address: bits 63:47 all equal (48-bit linear addresses, SDM vol. 1 §3.3.7.1). */
static inline bool is_canonical(uint64_t a) { return (uint64_t)((int64_t)(a << 16) >> 16) == a; }

static inline uint64_t size_mask(unsigned size) { return size == 8 ? ~0ull : (1ull << (8 * size)) - 1; }
static inline int64_t sign_extend(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;
    return (int64_t)(v << sh) >> sh;
}

#endif
