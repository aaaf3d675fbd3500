/* Miscellaneous one-byte instructions: port I/O (IN, OUT), flag control (CLC,
 * STC, CMC, CLD, STD, CLI, STI, SAHF, LAHF, SALC), HLT, NOP/PAUSE, XCHG,
 * CBW/CWDE/CDQE, CWD/CDQ/CQO, XLAT.  WAIT and the x87 escapes D8-DF live in
 * cpu/x87/.  SDM vol. 2, one page per instruction. */
#include "io_perm.h"
#include "operand.h"

static bool protected_mode(const struct cpu *c) { return (c->cr0 & CR0_PE) != 0; }
static bool v86_mode(const struct cpu *c) { return (c->eflags & F_VM) != 0; }
static unsigned iopl(const struct cpu *c) { return (c->eflags & F_IOPL) >> 12; }

/* ---- IN / OUT ---- */

/* Port I/O has no 64-bit form: REX.W leaves IN/OUT at 32 bits (SDM vol. 2 "IN"). */
ALWAYS_INLINE unsigned io_size(unsigned size) { return size > 4 ? 4 : size; }

/* Protected mode (CPL > IOPL, or V86 mode) checks the TSS I/O permission
 * bitmap (SDM vol. 1 §18.5.2) before the port is touched; real mode has no check. */
ALWAYS_INLINE void io_in(struct cpu *c, uint16_t port, unsigned size)
{
    size = io_size(size);
    io_check(c, port, size);
    uint64_t v = c->bus.port_in ? c->bus.port_in(c->bus.opaque, port, size) : 0xFFFFFFFFu;
    reg_set(c, R_AX, size, v & size_mask(size));
}
ALWAYS_INLINE void io_out(struct cpu *c, uint16_t port, unsigned size)
{
    size = io_size(size);
    io_check(c, port, size);
    if (c->bus.port_out)
        c->bus.port_out(c->bus.opaque, port, (uint32_t)reg_get(c, R_AX, size), size);
}

ALWAYS_INLINE void in_imm(struct cpu *c, const struct insn *i, unsigned size) { io_in(c, (uint8_t)i->imm, size); }
ALWAYS_INLINE void out_imm(struct cpu *c, const struct insn *i, unsigned size) { io_out(c, (uint8_t)i->imm, size); }
ALWAYS_INLINE void in_dx(struct cpu *c, const struct insn *i, unsigned size) { io_in(c, reg16(c, R_DX), size); }
ALWAYS_INLINE void out_dx(struct cpu *c, const struct insn *i, unsigned size) { io_out(c, reg16(c, R_DX), size); }
HSET_W(in_imm);
HSET_W(out_imm);
HSET_W(in_dx);
HSET_W(out_dx);

/* ---- flag control ---- */

static void clc(struct cpu *c, const struct insn *i) { lf_set_cf_of(c, 0, get_of(c)); }
static void stc(struct cpu *c, const struct insn *i) { lf_set_cf_of(c, 1, get_of(c)); }
static void cmc(struct cpu *c, const struct insn *i) { lf_set_cf_of(c, !get_cf(c), get_of(c)); }
static void cld(struct cpu *c, const struct insn *i) { c->eflags &= ~F_DF; }
static void std_(struct cpu *c, const struct insn *i) { c->eflags |= F_DF; }
HSET_1(clc);
HSET_1(stc);
HSET_1(cmc);
HSET_1(cld);
HSET_1(std_);

#define CR4_VME 0x1u
#define CR4_PVI 0x2u

/* CLI / STI (SDM vol. 2 "CLI", "STI"): in protected mode IF may change only
 * when CPL <= IOPL; otherwise VME (V86) or PVI (CPL 3) redirect to VIF, else #GP(0). */
static void cli(struct cpu *c, const struct insn *i)
{
    if (protected_mode(c)) {
        bool vm = v86_mode(c);
        if (vm ? iopl(c) < 3 : c->cpl > iopl(c)) {
            if ((vm && (c->cr4 & CR4_VME)) || (!vm && c->cpl == 3 && (c->cr4 & CR4_PVI))) {
                c->eflags &= ~F_VIF;
                return;
            }
            cpu_raise_gp0(c);
        }
    }
    c->eflags &= ~F_IF;
}

static void sti(struct cpu *c, const struct insn *i)
{
    if (protected_mode(c)) {
        bool vm = v86_mode(c);
        if (vm ? iopl(c) < 3 : c->cpl > iopl(c)) {
            if (((vm && (c->cr4 & CR4_VME)) || (!vm && c->cpl == 3 && (c->cr4 & CR4_PVI))) && !(c->eflags & F_VIP)) {
                c->eflags |= F_VIF;
                return;
            }
            cpu_raise_gp0(c);
        }
    }
    /* Interrupts stay inhibited until after the next instruction, but only
     * when STI actually sets IF (SDM vol. 2 "STI"). */
    if (!(c->eflags & F_IF))
        c->pending |= PEND_SHADOW;
    c->eflags |= F_IF;
}
HSET_1(cli);
HSET_1(sti);

/* SAHF: SF ZF AF PF CF from AH; OF is kept (SDM vol. 2 "SAHF").  In 64-bit
 * mode SAHF/LAHF need CPUID.80000001H:ECX.LAHF-SAHF, which this CPU does not
 * report, so they are #UD there. */
static void sahf(struct cpu *c, const struct insn *i)
{
    if (c->mode64)
        cpu_raise_ud(c);
    uint32_t ah = *reg8_ptr(c, 1);
    lf_set_flags(c, (ah & (F_SF | F_ZF | F_AF | F_PF | F_CF)) | (get_of(c) ? F_OF : 0));
}
/* LAHF: AH = SF ZF 0 AF 0 PF 1 CF. */
static void lahf(struct cpu *c, const struct insn *i)
{
    if (c->mode64)
        cpu_raise_ud(c);
    *reg8_ptr(c, 1) = (uint8_t)((cpu_get_eflags(c) & (F_SF | F_ZF | F_AF | F_PF | F_CF)) | 2u);
}
/* SALC (undocumented, D6): AL = CF ? FFh : 00h; flags unchanged. */
static void salc(struct cpu *c, const struct insn *i) { *reg8_ptr(c, 0) = get_cf(c) ? 0xFF : 0x00; }
HSET_1(sahf);
HSET_1(lahf);
HSET_1(salc);

/* ---- HLT ---- */

static void hlt(struct cpu *c, const struct insn *i)
{
    if (protected_mode(c) && (c->cpl != 0 || v86_mode(c)))
        cpu_raise_gp0(c);
    c->halted = true;
    c->pending |= PEND_HALT;
}
HSET_1(hlt);

/* ---- XCHG ---- */

/* 86/87: XCHG r/m,reg.  With a memory operand the exchange is always locked
 * (SDM vol. 2 "XCHG"): the read checks write access so the write cannot fault. */
ALWAYS_INLINE void xchg_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t a = rm_read_rmw(c, i, size, mem);
    uint64_t b = reg_get(c, i->reg, size);
    rm_write_rmw(c, i, size, mem, b);
    reg_set(c, i->reg, size, a);
}
HSET_RM(xchg_EG);

/* 90-97: XCHG reg,rAX.  90 without REX.B is NOP (also F3 90, PAUSE): it does not
 * zero-extend EAX in 64-bit mode; with REX.B it is XCHG r8,rAX. */
ALWAYS_INLINE void xchg_AX(struct cpu *c, const struct insn *i, unsigned size)
{
    if (i->reg == R_AX)
        return;
    uint64_t a = reg_get(c, R_AX, size);
    reg_set(c, R_AX, size, reg_get(c, i->reg, size));
    reg_set(c, i->reg, size, a);
}
HSET_W(xchg_AX);

/* ---- conversions ---- */

/* 98: CBW / CWDE / CDQE: sign-extend the lower half of rAX into rAX. */
ALWAYS_INLINE void cbw(struct cpu *c, const struct insn *i, unsigned size)
{
    unsigned half = size / 2;
    reg_set(c, R_AX, size, (uint64_t)sign_extend(reg_get(c, R_AX, half), half));
}
/* 99: CWD / CDQ / CQO: rDX = the sign of rAX, replicated. */
ALWAYS_INLINE void cwd(struct cpu *c, const struct insn *i, unsigned size)
{
    uint64_t sign = (reg_get(c, R_AX, size) >> (8 * size - 1)) & 1;
    reg_set(c, R_DX, size, sign ? ~0ull : 0);
}
HSET_W(cbw);
HSET_W(cwd);

/* D7: XLAT: AL = [seg:rBX + AL], DS unless overridden, rBX by the address size. */
static void xlat(struct cpu *c, const struct insn *i)
{
    unsigned seg = i->seg_override != S_COUNT ? i->seg_override : S_DS;
    uint64_t off = (c->regs[R_BX] + *reg8_ptr(c, 0)) & size_mask(i->asize);
    *reg8_ptr(c, 0) = (uint8_t)mem_read(c, seg, off, 1);
}
HSET_1(xlat);

#define M OA_MODRM
#define B OA_BYTE
const struct opdef misc_opdefs[] = {
    {0xE4, -1, B | OA_IMM(IMM_8), &hs_in_imm}, {0xE5, -1, OA_IMM(IMM_8), &hs_in_imm},
    {0xE6, -1, B | OA_IMM(IMM_8), &hs_out_imm}, {0xE7, -1, OA_IMM(IMM_8), &hs_out_imm},
    {0xEC, -1, B, &hs_in_dx}, {0xED, -1, 0, &hs_in_dx},
    {0xEE, -1, B, &hs_out_dx}, {0xEF, -1, 0, &hs_out_dx},
    {0xF5, -1, 0, &hs_cmc}, {0xF8, -1, 0, &hs_clc}, {0xF9, -1, 0, &hs_stc},
    {0xFA, -1, 0, &hs_cli}, {0xFB, -1, 0, &hs_sti}, {0xFC, -1, 0, &hs_cld}, {0xFD, -1, 0, &hs_std_},
    {0xF4, -1, 0, &hs_hlt},
    {0x9E, -1, 0, &hs_sahf}, {0x9F, -1, 0, &hs_lahf},
    {0xD6, -1, OA_NO64, &hs_salc},
    {0x86, -1, M | B | OA_LOCK, &hs_xchg_EG}, {0x87, -1, M | OA_LOCK, &hs_xchg_EG},
    {0x90, -1, 0, &hs_xchg_AX}, {0x91, -1, 0, &hs_xchg_AX}, {0x92, -1, 0, &hs_xchg_AX},
    {0x93, -1, 0, &hs_xchg_AX}, {0x94, -1, 0, &hs_xchg_AX}, {0x95, -1, 0, &hs_xchg_AX},
    {0x96, -1, 0, &hs_xchg_AX}, {0x97, -1, 0, &hs_xchg_AX},
    {0x98, -1, 0, &hs_cbw}, {0x99, -1, 0, &hs_cwd},
    {0xD7, -1, 0, &hs_xlat},
    {0, 0, 0, NULL},
};
