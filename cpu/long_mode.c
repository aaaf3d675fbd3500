/* IA-32e mode: the long-mode MSRs (SDM vol. 4 Table 2-2: C000_0081h-C000_0084h,
 * C000_0100h-C000_0102h), SYSCALL and SYSRET (SDM vol. 2; vol. 3 §5.8.8), SWAPGS
 * and MOVSXD. Mode switching itself is in system.c (CR0/EFER) and seg.c. */
#include "long_mode.h"

#include "decode.h"
#include "eflags.h"
#include "operand.h"
#include "seg.h"

enum {
    MSR_STAR = 0xC0000081u,
    MSR_LSTAR = 0xC0000082u,
    MSR_CSTAR = 0xC0000083u,
    MSR_FMASK = 0xC0000084u,
    MSR_FS_BASE = 0xC0000100u,
    MSR_GS_BASE = 0xC0000101u,
    MSR_KERNEL_GS_BASE = 0xC0000102u,
};
#define EFER_SCE 0x1ull

bool lm_rdmsr(struct cpu *c, uint32_t msr, uint64_t *v)
{
    switch (msr) {
    case MSR_STAR: *v = c->msr_star; return true;
    case MSR_LSTAR: *v = c->msr_lstar; return true;
    case MSR_CSTAR: *v = c->msr_cstar; return true;
    case MSR_FMASK: *v = c->msr_fmask; return true;
    case MSR_FS_BASE: *v = c->seg[S_FS].base; return true;
    case MSR_GS_BASE: *v = c->seg[S_GS].base; return true;
    case MSR_KERNEL_GS_BASE: *v = c->msr_kernel_gs_base; return true;
    default: return false;
    }
}

bool lm_wrmsr(struct cpu *c, uint32_t msr, uint64_t v)
{
    switch (msr) {
    case MSR_STAR: c->msr_star = v; return true;
    case MSR_FMASK: c->msr_fmask = v & 0xFFFFFFFFull; return true; /* upper half reserved, reads 0 */
    case MSR_LSTAR:
    case MSR_CSTAR:
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
        if (!is_canonical(v))
            cpu_raise_gp0(c);
        if (msr == MSR_LSTAR)
            c->msr_lstar = v;
        else if (msr == MSR_CSTAR)
            c->msr_cstar = v;
        else if (msr == MSR_FS_BASE)
            c->seg[S_FS].base = v;
        else if (msr == MSR_GS_BASE)
            c->seg[S_GS].base = v;
        else
            c->msr_kernel_gs_base = v;
        return true;
    default:
        return false;
    }
}

/* The flat segments SYSCALL and SYSRET load without reading the GDT (SDM vol. 2
 * SYSCALL/SYSRET Operation): base 0, limit 4 GiB, accessed, present. Attribute
 * bytes as in struct seg_cache: type/S/DPL/P in bits 0-7, L, D/B, G in 13-15. */
static void load_flat(struct seg_cache *sc, uint16_t sel, uint16_t attr)
{
    *sc = (struct seg_cache){.base = 0, .limit = 0xFFFFFFFFull, .sel = sel, .attr = attr, .check = 0};
}

/* 0F 05 SYSCALL: 64-bit mode only on Intel (#UD elsewhere), and with EFER.SCE. */
static void syscall_(struct cpu *c, const struct insn *i)
{
    if (!c->mode64 || !(c->efer & EFER_SCE))
        cpu_raise_ud(c);
    uint16_t sel = (uint16_t)(c->msr_star >> 32) & 0xFFFC;
    c->regs[R_CX] = c->rip;
    c->regs[R_R11] = cpu_get_eflags(c) & ~(uint32_t)F_RF;
    uint32_t fl = cpu_get_eflags(c) & ~(uint32_t)c->msr_fmask & ~(uint32_t)F_RF;
    eflags_load(c, fl, 0xFFFFFFFFu);
    load_flat(&c->seg[S_CS], sel, 0xA09B);      /* 64-bit code, DPL 0 */
    load_flat(&c->seg[S_SS], sel + 8, 0xC093);  /* data, DPL 0, B */
    cpu_set_cpl(c, 0);
    cpu_update_mode(c);
    c->rip = c->msr_lstar;
}

/* 0F 07 SYSRET: to CPL 3, 64-bit code with REX.W (RIP := RCX, which must be
 * canonical) or compatibility-mode code (RIP := ECX); RFLAGS := R11. */
static void sysret(struct cpu *c, const struct insn *i)
{
    if (!c->mode64 || !(c->efer & EFER_SCE))
        cpu_raise_ud(c);
    if (c->cpl != 0)
        cpu_raise_gp0(c);
    bool to64 = i->osize == 8;
    uint64_t target = to64 ? c->regs[R_CX] : (uint32_t)c->regs[R_CX];
    if (!is_canonical(target))
        cpu_raise_gp0(c);
    uint16_t base = (uint16_t)(c->msr_star >> 48);
    eflags_load(c, ((uint32_t)c->regs[R_R11] & 0x3C7FD7u) | 2u, 0xFFFFFFFFu);
    if (to64)
        load_flat(&c->seg[S_CS], (uint16_t)((base + 16) | 3), 0xA0FB); /* 64-bit code, DPL 3 */
    else
        load_flat(&c->seg[S_CS], (uint16_t)(base | 3), 0xC0FB);        /* 32-bit code, DPL 3 */
    /* SS.sel := STAR[63:48] + 8 with RPL 3; the cached attributes are fixed. */
    load_flat(&c->seg[S_SS], (uint16_t)((base + 8) | 3), 0xC0F3);
    cpu_set_cpl(c, 3);
    cpu_update_mode(c);
    c->rip = target;
}

/* 0F 01 F8 SWAPGS: exchange GS.base with IA32_KERNEL_GS_BASE (64-bit mode, CPL 0).
 * 0F 01 /7 with a memory operand is INVLPG (system.c). */
void lm_swapgs(struct cpu *c, const struct insn *i)
{
    if (!c->mode64 || (i->rm & 7) != 0)
        cpu_raise_ud(c);
    if (c->cpl != 0)
        cpu_raise_gp0(c);
    uint64_t t = c->seg[S_GS].base;
    c->seg[S_GS].base = c->msr_kernel_gs_base;
    c->msr_kernel_gs_base = t;
}

/* 63 /r in 64-bit mode: MOVSXD Gv, Ed (ARPL elsewhere). Without REX.W it is a plain 32-bit move. */
ALWAYS_INLINE void movsxd(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t v = rm_read(c, i, size == 8 ? 4 : size, mem);
    reg_set(c, i->reg, size, size == 8 ? (uint64_t)(int64_t)(int32_t)v : v);
}
HSET_1(syscall_);
HSET_1(sysret);
HSET_RM(movsxd);

const struct opdef long_mode_opdefs[] = {
    {0x0F05, -1, OA_386, &hs_syscall_},
    {0x0F07, -1, OA_386, &hs_sysret},
    {0x63, -1, OA_MODRM | OA_ONLY64, &hs_movsxd},
    {0, 0, 0, NULL},
};
