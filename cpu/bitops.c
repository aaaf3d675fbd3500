/* 386 and later bit and exchange instructions (all two-byte 0F opcodes, #UD on
 * the 80286 model): BT/BTS/BTR/BTC (0F A3/AB/B3/BB, group 8 0F BA /4-/7),
 * BSF/BSR (0F BC/BD), SETcc (0F 90-9F), CMOVcc (0F 40-4F), XADD (0F C0/C1),
 * CMPXCHG (0F B0/B1), CMPXCHG8B/16B (0F C7 /1) and BSWAP (0F C8-CF).
 * SDM vol. 2, one page per instruction.  Where flags are undefined (BT*:
 * OF/SF/AF/PF; BSF/BSR: all but ZF) we leave them unchanged. */
#include "operand.h"

enum bt_op { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

/* Replace CF, keeping every other flag (OF is undefined for BT*: kept). */
ALWAYS_INLINE void set_cf_only(struct cpu *c, unsigned cf) { lf_set_cf_of(c, cf, get_of(c)); }

/* Replace ZF, keeping the other five. */
ALWAYS_INLINE void set_zf_only(struct cpu *c, bool zf)
{
    lf_set_flags(c, (lf_get_flags(c) & ~F_ZF) | (zf ? F_ZF : 0));
}

ALWAYS_INLINE uint64_t bt_apply(unsigned op, uint64_t v, uint64_t bit)
{
    switch (op) {
    case BT_SET: return v | bit;
    case BT_RESET: return v & ~bit;
    case BT_COMPLEMENT: return v ^ bit;
    default: return v;
    }
}

/* BTx Ev,Gv.  With a memory operand the bit offset in Gv is a signed integer
 * that can reach outside the addressed word: the operand read is the one at
 * EA + osize * floor(offset / (8 * osize)) (SDM vol. 2 "BT", Table 3-2). */
ALWAYS_INLINE void btx_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op)
{
    unsigned w = 8 * size;
    uint64_t off = reg_get(c, i->reg, size);
    if (!mem) {
        uint64_t v = reg_get(c, i->rm, size), bit = 1ull << (off & (w - 1));
        if (op != BT_TEST)
            reg_set(c, i->rm, size, bt_apply(op, v, bit));
        set_cf_only(c, (v & bit) != 0);
        return;
    }
    int64_t soff = sign_extend(off, size);
    unsigned lg = size == 2 ? 4 : size == 4 ? 5 : 6;
    uint64_t ea = (insn_ea(c, i) + (uint64_t)((soff >> lg) * (int64_t)size)) & size_mask(i->asize);
    uint64_t bit = 1ull << (off & (w - 1));
    uint64_t v;
    if (op == BT_TEST) {
        v = mem_read(c, i->seg, ea, size);
    } else {
        v = mem_read_rmw(c, i->seg, ea, size);
        mem_write_rmw(c, bt_apply(op, v, bit), size);
    }
    set_cf_only(c, (v & bit) != 0);
}

/* BTx Ev,Ib (group 8): the offset is taken modulo the operand width. */
ALWAYS_INLINE void btx_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op)
{
    uint64_t bit = 1ull << (i->imm & (8 * size - 1));
    uint64_t v;
    if (op == BT_TEST) {
        v = rm_read(c, i, size, mem);
    } else {
        v = rm_read_rmw(c, i, size, mem);
        rm_write_rmw(c, i, size, mem, bt_apply(op, v, bit));
    }
    set_cf_only(c, (v & bit) != 0);
}

#define BT_FORMS(name, op)                                                                                   \
    ALWAYS_INLINE void name##_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        btx_EG(c, i, size, mem, op);                                                                         \
    }                                                                                                       \
    ALWAYS_INLINE void name##_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        btx_EI(c, i, size, mem, op);                                                                         \
    }                                                                                                       \
    HSET_RM(name##_EG);                                                                                     \
    HSET_RM(name##_EI)

BT_FORMS(bt, BT_TEST);
BT_FORMS(bts, BT_SET);
BT_FORMS(btr, BT_RESET);
BT_FORMS(btc, BT_COMPLEMENT);

/* BSF/BSR: a zero source sets ZF and leaves the destination unchanged (what
 * Intel and AMD processors do; the SDM calls the destination undefined). */
ALWAYS_INLINE void bsf_bsr(struct cpu *c, const struct insn *i, unsigned size, bool mem, bool reverse)
{
    uint64_t v = rm_read(c, i, size, mem);
    if (v == 0) {
        set_zf_only(c, true);
        return;
    }
    reg_set(c, i->reg, size, reverse ? 63u - (unsigned)__builtin_clzll(v) : (unsigned)__builtin_ctzll(v));
    set_zf_only(c, false);
}
ALWAYS_INLINE void bsf_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem) { bsf_bsr(c, i, size, mem, false); }
ALWAYS_INLINE void bsr_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem) { bsf_bsr(c, i, size, mem, true); }
HSET_RM(bsf_GE);
HSET_RM(bsr_GE);

/* SETcc Eb: the condition is the low nibble of the opcode; ModR/M.reg is ignored. */
ALWAYS_INLINE void setcc_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write(c, i, 1, mem, cond_true(c, i->opcode & 15));
    (void)size;
}
HSET_RM(setcc_E);

/* CMOVcc Gv,Ev: the source is always read (a memory source can fault even when
 * the condition is false), and a 32-bit destination is written, so zero-extended
 * in 64-bit mode, either way (SDM vol. 2 "CMOVcc"). */
ALWAYS_INLINE void cmov_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t v = rm_read(c, i, size, mem);
    if (cond_true(c, i->opcode & 15))
        reg_set(c, i->reg, size, v);
    else if (size == 4)
        reg_set(c, i->reg, 4, reg_get(c, i->reg, 4));
}
HSET_RM(cmov_GE);

/* XADD Ev,Gv: TEMP := SRC + DEST; SRC := DEST; DEST := TEMP (flags as ADD). */
ALWAYS_INLINE void xadd_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t d = rm_read_rmw(c, i, size, mem), s = reg_get(c, i->reg, size);
    uint64_t r = (d + s) & size_mask(size);
    reg_set(c, i->reg, size, d);
    rm_write_rmw(c, i, size, mem, r);
    lf_set(c, r, size, lf_aux_from_vec(add_carry_vec(d, s, r), size));
}
HSET_RM(xadd_EG);

/* CMPXCHG Ev,Gv: flags as CMP accumulator,dest.  On a mismatch the accumulator
 * is loaded and the destination receives its own value: the processor always
 * writes it (SDM vol. 2 "CMPXCHG"). */
ALWAYS_INLINE void cmpxchg_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t d = rm_read_rmw(c, i, size, mem), a = reg_get(c, R_AX, size);
    uint64_t r = (a - d) & size_mask(size);
    if (r == 0) {
        rm_write_rmw(c, i, size, mem, reg_get(c, i->reg, size));
    } else {
        rm_write_rmw(c, i, size, mem, d);
        reg_set(c, R_AX, size, d);
    }
    lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(a, d, r), size));
}
HSET_RM(cmpxchg_EG);

/* CMPXCHG8B m64 (CMPXCHG16B m128 with REX.W): compare EDX:EAX with the operand;
 * equal: ZF = 1 and ECX:EBX is stored; else ZF = 0, EDX:EAX is loaded and the
 * operand is written back unchanged.  Only ZF changes. */
ALWAYS_INLINE void cmpxchg8b_M(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t ea = insn_ea(c, i);
    if (size != 8) {
        uint64_t v = mem_read_rmw(c, i->seg, ea, 8);
        uint64_t cmp = ((uint64_t)reg32(c, R_DX) << 32) | reg32(c, R_AX);
        bool eq = v == cmp;
        mem_write_rmw(c, eq ? ((uint64_t)reg32(c, R_CX) << 32) | reg32(c, R_BX) : v, 8);
        if (!eq) {
            set_reg32(c, R_AX, (uint32_t)v);
            set_reg32(c, R_DX, (uint32_t)(v >> 32));
        }
        set_zf_only(c, eq);
        return;
    }
    /* CMPXCHG16B: the operand must be 16-byte aligned (#GP(0)); both halves lie
     * in one page, so checking each for writing before the stores is enough. */
    if (ea & 15)
        cpu_raise_gp0(c);
    uint64_t lo = mem_read_rmw(c, i->seg, ea, 8);
    uint64_t hi = mem_read_rmw(c, i->seg, (ea + 8) & size_mask(i->asize), 8);
    bool eq = lo == c->regs[R_AX] && hi == c->regs[R_DX];
    uint64_t nlo = eq ? c->regs[R_BX] : lo, nhi = eq ? c->regs[R_CX] : hi;
    mem_write_rmw(c, nhi, 8);
    mem_write(c, i->seg, ea, nlo, 8);
    if (!eq) {
        c->regs[R_AX] = lo;
        c->regs[R_DX] = hi;
    }
    set_zf_only(c, eq);
    (void)mem;
}
HSET_RM(cmpxchg8b_M);

/* BSWAP r32/r64.  With a 16-bit operand the result is undefined (SDM vol. 2
 * "BSWAP"); Intel processors clear the low word, and so do we. */
ALWAYS_INLINE void bswap_R(struct cpu *c, const struct insn *i, unsigned size)
{
    if (size == 2)
        set_reg16(c, i->reg, 0);
    else if (size == 4)
        set_reg32(c, i->reg, __builtin_bswap32(reg32(c, i->reg)));
    else
        c->regs[i->reg] = __builtin_bswap64(c->regs[i->reg]);
}
HSET_W(bswap_R);

#define M OA_MODRM
#define B OA_BYTE
#define L OA_LOCK
#define X OA_386
#define CC16(base, attr, hs)                                                                                 \
    {(base) + 0, -1, attr, hs}, {(base) + 1, -1, attr, hs}, {(base) + 2, -1, attr, hs},                      \
    {(base) + 3, -1, attr, hs}, {(base) + 4, -1, attr, hs}, {(base) + 5, -1, attr, hs},                      \
    {(base) + 6, -1, attr, hs}, {(base) + 7, -1, attr, hs}, {(base) + 8, -1, attr, hs},                      \
    {(base) + 9, -1, attr, hs}, {(base) + 10, -1, attr, hs}, {(base) + 11, -1, attr, hs},                    \
    {(base) + 12, -1, attr, hs}, {(base) + 13, -1, attr, hs}, {(base) + 14, -1, attr, hs},                   \
    {(base) + 15, -1, attr, hs}

const struct opdef bitops_opdefs[] = {
    {0x0FA3, -1, M | X, &hs_bt_EG}, {0x0FAB, -1, M | X | L, &hs_bts_EG},
    {0x0FB3, -1, M | X | L, &hs_btr_EG}, {0x0FBB, -1, M | X | L, &hs_btc_EG},
    {0x0FBA, 4, M | X | OA_IMM(IMM_8), &hs_bt_EI}, {0x0FBA, 5, M | X | L | OA_IMM(IMM_8), &hs_bts_EI},
    {0x0FBA, 6, M | X | L | OA_IMM(IMM_8), &hs_btr_EI}, {0x0FBA, 7, M | X | L | OA_IMM(IMM_8), &hs_btc_EI},
    {0x0FBC, -1, M | X, &hs_bsf_GE}, {0x0FBD, -1, M | X, &hs_bsr_GE},
    CC16(0x0F90, M | B | X, &hs_setcc_E),
    CC16(0x0F40, M | X, &hs_cmov_GE),
    {0x0FC0, -1, M | B | X | L, &hs_xadd_EG}, {0x0FC1, -1, M | X | L, &hs_xadd_EG},
    {0x0FB0, -1, M | B | X | L, &hs_cmpxchg_EG}, {0x0FB1, -1, M | X | L, &hs_cmpxchg_EG},
    {0x0FC7, 1, M | X | L | OA_MEMONLY, &hs_cmpxchg8b_M},
    {0x0FC8, -1, X, &hs_bswap_R}, {0x0FC9, -1, X, &hs_bswap_R}, {0x0FCA, -1, X, &hs_bswap_R},
    {0x0FCB, -1, X, &hs_bswap_R}, {0x0FCC, -1, X, &hs_bswap_R}, {0x0FCD, -1, X, &hs_bswap_R},
    {0x0FCE, -1, X, &hs_bswap_R}, {0x0FCF, -1, X, &hs_bswap_R},
    {0, 0, 0, NULL},
};
