/* Decimal arithmetic adjustments: DAA (27), DAS (2F), AAA (37), AAS (3F),
 * AAM (D4 ib), AAD (D5 ib); all invalid in 64-bit mode.  The algorithms are
 * the SDM vol. 2 pseudo-code of each instruction.
 *
 * Undefined flags (the 286 vectors mask them), our choices:
 *   DAA/DAS  OF = signed overflow of AL +/- the total correction, as if one ADD/SUB;
 *   AAA/AAS  SF/ZF/PF from the final AL, OF = 0;
 *   AAM      OF = AF = CF = 0;
 *   AAD      OF/AF/CF of the 8-bit addition AL + AH*imm8 that forms the result. */
#include "operand.h"

/* Flags with SF/ZF/PF from the byte r and the other three given. */
ALWAYS_INLINE void bcd_flags(struct cpu *c, unsigned r, unsigned cf, unsigned af, unsigned of)
{
    lf_set(c, r & 0xFF, 1,
           ((uint64_t)cf << LF_CF_BIT) | ((uint64_t)(cf ^ of) << LF_PO_BIT) | (af ? 8u : 0u));
}

static void daa(struct cpu *c, const struct insn *i)
{
    unsigned old_al = reg16(c, R_AX) & 0xFF, al = old_al, old_cf = get_cf(c), cf = 0, af = 0;
    if ((al & 0x0F) > 9 || get_af(c)) {
        cf = old_cf | (al + 6 > 0xFF);
        al = (al + 6) & 0xFF;
        af = 1;
    }
    if (old_al > 0x99 || old_cf) {
        al = (al + 0x60) & 0xFF;
        cf = 1;
    } else {
        cf = 0;
    }
    unsigned adj = (al - old_al) & 0xFF;
    unsigned of = ((old_al ^ al) & (adj ^ al) & 0x80) != 0;
    *reg8_ptr(c, 0) = (uint8_t)al;
    bcd_flags(c, al, cf, af, of);
    (void)i;
}

static void das(struct cpu *c, const struct insn *i)
{
    unsigned old_al = reg16(c, R_AX) & 0xFF, al = old_al, old_cf = get_cf(c), cf = 0, af = 0;
    if ((al & 0x0F) > 9 || get_af(c)) {
        cf = old_cf | (al < 6);
        al = (al - 6) & 0xFF;
        af = 1;
    }
    /* No ELSE here: unlike DAA, CF keeps the borrow of the first step (SDM vol. 2 "DAS"). */
    if (old_al > 0x99 || old_cf) {
        al = (al - 0x60) & 0xFF;
        cf = 1;
    }
    unsigned adj = (old_al - al) & 0xFF;
    unsigned of = ((old_al ^ adj) & (old_al ^ al) & 0x80) != 0;
    *reg8_ptr(c, 0) = (uint8_t)al;
    bcd_flags(c, al, cf, af, of);
    (void)i;
}

/* AAA: on the 80286 and later the +6 is applied to all of AX, so a carry out of
 * AL reaches AH (AX := AX + 106H; SDM vol. 2 "AAA"). */
static void aaa(struct cpu *c, const struct insn *i)
{
    unsigned ax = reg16(c, R_AX), adj = (ax & 0x0F) > 9 || get_af(c);
    if (adj)
        ax += 0x106;
    ax = (ax & 0xFF0F) & 0xFFFF;
    set_reg16(c, R_AX, (uint16_t)ax);
    bcd_flags(c, ax, adj, adj, 0);
    (void)i;
}

/* AAS: AX := AX - 6; AH := AH - 1 (SDM vol. 2 "AAS"). */
static void aas(struct cpu *c, const struct insn *i)
{
    unsigned ax = reg16(c, R_AX), adj = (ax & 0x0F) > 9 || get_af(c);
    if (adj)
        ax = ax - 6 - 0x100;
    ax = (ax & 0xFF0F) & 0xFFFF;
    set_reg16(c, R_AX, (uint16_t)ax);
    bcd_flags(c, ax, adj, adj, 0);
    (void)i;
}

static void aam(struct cpu *c, const struct insn *i)
{
    unsigned base = (unsigned)i->imm & 0xFF, al = reg16(c, R_AX) & 0xFF;
    if (base == 0)
        cpu_raise(c, EXC_DE, NO_ERROR_CODE);
    unsigned r = al % base;
    set_reg16(c, R_AX, (uint16_t)(((al / base) << 8) | r));
    bcd_flags(c, r, 0, 0, 0);
}

static void aad(struct cpu *c, const struct insn *i)
{
    unsigned base = (unsigned)i->imm & 0xFF, ax = reg16(c, R_AX);
    uint64_t a = ax & 0xFF, b = ((ax >> 8) * base) & 0xFF, r = (a + b) & 0xFF;
    set_reg16(c, R_AX, (uint16_t)r);
    lf_set(c, r, 1, lf_aux_from_vec(add_carry_vec(a, b, r), 1));
}

HSET_1(daa);
HSET_1(das);
HSET_1(aaa);
HSET_1(aas);
HSET_1(aam);
HSET_1(aad);

const struct opdef bcd_opdefs[] = {
    {0x27, -1, OA_NO64, &hs_daa}, {0x2F, -1, OA_NO64, &hs_das},
    {0x37, -1, OA_NO64, &hs_aaa}, {0x3F, -1, OA_NO64, &hs_aas},
    {0xD4, -1, OA_NO64 | OA_IMM(IMM_8), &hs_aam}, {0xD5, -1, OA_NO64 | OA_IMM(IMM_8), &hs_aad},
    {0, 0, 0, NULL},
};
