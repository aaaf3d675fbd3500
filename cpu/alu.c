/* Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP in every form,
 * TEST, INC, DEC, NOT, NEG (SDM vol. 2; flags per vol. 1 App. A). */
#include "operand.h"

enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

/* Computes a OP b, sets the lazy flags, returns the result (masked to size). */
ALWAYS_INLINE uint64_t alu_compute(struct cpu *c, unsigned op, uint64_t a, uint64_t b, unsigned size)
{
    uint64_t m = size_mask(size), r;
    switch (op) {
    case ALU_ADD:
        r = (a + b) & m;
        lf_set(c, r, size, lf_aux_from_vec(add_carry_vec(a, b, r), size));
        return r;
    case ALU_ADC:
        r = (a + b + get_cf(c)) & m;
        lf_set(c, r, size, lf_aux_from_vec(add_carry_vec(a, b, r), size));
        return r;
    case ALU_SBB:
        r = (a - b - get_cf(c)) & m;
        lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(a, b, r), size));
        return r;
    case ALU_SUB:
    case ALU_CMP:
        r = (a - b) & m;
        lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(a, b, r), size));
        return r;
    case ALU_OR: r = a | b; break;
    case ALU_AND: r = a & b; break;
    default: r = a ^ b; break;
    }
    lf_set(c, r, size, 0); /* logic: CF = OF = 0; AF undefined, 0 as on P6 */
    return r;
}

/* op Eb,Gb / op Ev,Gv */
ALWAYS_INLINE void alu_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op)
{
    uint64_t b = reg_get(c, i->reg, size);
    if (op == ALU_CMP) {
        alu_compute(c, op, rm_read(c, i, size, mem), b, size);
        return;
    }
    uint64_t a = rm_read_rmw(c, i, size, mem);
    rm_write_rmw(c, i, size, mem, alu_compute(c, op, a, b, size));
}
/* op Gb,Eb / op Gv,Ev */
ALWAYS_INLINE void alu_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op)
{
    uint64_t r = alu_compute(c, op, reg_get(c, i->reg, size), rm_read(c, i, size, mem), size);
    if (op != ALU_CMP)
        reg_set(c, i->reg, size, r);
}
/* op Eb,Ib / op Ev,Iz / op Ev,Ib */
ALWAYS_INLINE void alu_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op)
{
    uint64_t b = i->imm & size_mask(size);
    if (op == ALU_CMP) {
        alu_compute(c, op, rm_read(c, i, size, mem), b, size);
        return;
    }
    uint64_t a = rm_read_rmw(c, i, size, mem);
    rm_write_rmw(c, i, size, mem, alu_compute(c, op, a, b, size));
}
/* op AL,Ib / op eAX,Iz */
ALWAYS_INLINE void alu_AI(struct cpu *c, const struct insn *i, unsigned size, unsigned op)
{
    uint64_t r = alu_compute(c, op, reg_get(c, R_AX, size), i->imm & size_mask(size), size);
    if (op != ALU_CMP)
        reg_set(c, R_AX, size, r);
}

#define ALU_FORMS(name, op)                                                                                 \
    ALWAYS_INLINE void name##_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        alu_EG(c, i, size, mem, op);                                                                        \
    }                                                                                                       \
    ALWAYS_INLINE void name##_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        alu_GE(c, i, size, mem, op);                                                                        \
    }                                                                                                       \
    ALWAYS_INLINE void name##_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        alu_EI(c, i, size, mem, op);                                                                        \
    }                                                                                                       \
    ALWAYS_INLINE void name##_AI(struct cpu *c, const struct insn *i, unsigned size) { alu_AI(c, i, size, op); } \
    HSET_RM(name##_EG);                                                                                     \
    HSET_RM(name##_GE);                                                                                     \
    HSET_RM(name##_EI);                                                                                     \
    HSET_W(name##_AI)

ALU_FORMS(add, ALU_ADD);
ALU_FORMS(or, ALU_OR);
ALU_FORMS(adc, ALU_ADC);
ALU_FORMS(sbb, ALU_SBB);
ALU_FORMS(and, ALU_AND);
ALU_FORMS(sub, ALU_SUB);
ALU_FORMS(xor, ALU_XOR);
ALU_FORMS(cmp, ALU_CMP);

/* TEST: AND without writing the result. */
ALWAYS_INLINE void test_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    lf_set(c, rm_read(c, i, size, mem) & reg_get(c, i->reg, size), size, 0);
}
ALWAYS_INLINE void test_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    lf_set(c, rm_read(c, i, size, mem) & i->imm & size_mask(size), size, 0);
}
ALWAYS_INLINE void test_AI(struct cpu *c, const struct insn *i, unsigned size)
{
    lf_set(c, reg_get(c, R_AX, size) & i->imm & size_mask(size), size, 0);
}
HSET_RM(test_EG);
HSET_RM(test_EI);
HSET_W(test_AI);

/* INC/DEC leave CF alone (SDM vol. 2 "INC"). */
ALWAYS_INLINE uint64_t incdec(struct cpu *c, uint64_t a, unsigned size, bool dec)
{
    unsigned cf = get_cf(c);
    uint64_t r = (dec ? a - 1 : a + 1) & size_mask(size);
    uint64_t aux = lf_aux_from_vec(dec ? sub_borrow_vec(a, 1, r) : add_carry_vec(a, 1, r), size);
    unsigned of = ((aux >> LF_CF_BIT) ^ (aux >> LF_PO_BIT)) & 1;
    lf_set(c, r, size, (aux & 8) | ((uint64_t)cf << LF_CF_BIT) | ((uint64_t)(cf ^ of) << LF_PO_BIT));
    return r;
}
ALWAYS_INLINE void inc_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write_rmw(c, i, size, mem, incdec(c, rm_read_rmw(c, i, size, mem), size, false));
}
ALWAYS_INLINE void dec_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write_rmw(c, i, size, mem, incdec(c, rm_read_rmw(c, i, size, mem), size, true));
}
/* 40+r / 48+r: register in the opcode */
ALWAYS_INLINE void inc_R(struct cpu *c, const struct insn *i, unsigned size)
{
    reg_set(c, i->reg, size, incdec(c, reg_get(c, i->reg, size), size, false));
}
ALWAYS_INLINE void dec_R(struct cpu *c, const struct insn *i, unsigned size)
{
    reg_set(c, i->reg, size, incdec(c, reg_get(c, i->reg, size), size, true));
}
HSET_RM(inc_E);
HSET_RM(dec_E);
HSET_W(inc_R);
HSET_W(dec_R);

ALWAYS_INLINE void not_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write_rmw(c, i, size, mem, ~rm_read_rmw(c, i, size, mem) & size_mask(size));
}
ALWAYS_INLINE void neg_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    uint64_t a = rm_read_rmw(c, i, size, mem);
    uint64_t r = (0 - a) & size_mask(size);
    lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(0, a, r), size));
    rm_write_rmw(c, i, size, mem, r);
}
HSET_RM(not_E);
HSET_RM(neg_E);

#define M OA_MODRM
#define B OA_BYTE
#define L OA_LOCK
#define ALU_DEFS(name, n, lock)                                                                              \
    {(n) * 8 + 0, -1, M | B | (lock), &hs_##name##_EG}, {(n) * 8 + 1, -1, M | (lock), &hs_##name##_EG},       \
    {(n) * 8 + 2, -1, M | B, &hs_##name##_GE}, {(n) * 8 + 3, -1, M, &hs_##name##_GE},                         \
    {(n) * 8 + 4, -1, B | OA_IMM(IMM_8), &hs_##name##_AI}, {(n) * 8 + 5, -1, OA_IMM(IMM_V), &hs_##name##_AI}, \
    {0x80, (n), B | (lock) | OA_IMM(IMM_8), &hs_##name##_EI}, {0x81, (n), (lock) | OA_IMM(IMM_V), &hs_##name##_EI}, \
    {0x82, (n), B | (lock) | OA_NO64 | OA_IMM(IMM_8), &hs_##name##_EI},                                        \
    {0x83, (n), (lock) | OA_IMM(IMM_8S), &hs_##name##_EI}

const struct opdef alu_opdefs[] = {
    ALU_DEFS(add, 0, L), ALU_DEFS(or, 1, L), ALU_DEFS(adc, 2, L), ALU_DEFS(sbb, 3, L),
    ALU_DEFS(and, 4, L), ALU_DEFS(sub, 5, L), ALU_DEFS(xor, 6, L), ALU_DEFS(cmp, 7, 0),
    {0x84, -1, M | B, &hs_test_EG}, {0x85, -1, M, &hs_test_EG},
    {0xA8, -1, B | OA_IMM(IMM_8), &hs_test_AI}, {0xA9, -1, OA_IMM(IMM_V), &hs_test_AI},
    {0xF6, 0, B | OA_IMM(IMM_8), &hs_test_EI}, {0xF6, 1, B | OA_IMM(IMM_8), &hs_test_EI}, /* /1: undocumented alias */
    {0xF7, 0, OA_IMM(IMM_V), &hs_test_EI}, {0xF7, 1, OA_IMM(IMM_V), &hs_test_EI},
    {0xF6, 2, B | L, &hs_not_E}, {0xF7, 2, L, &hs_not_E},
    {0xF6, 3, B | L, &hs_neg_E}, {0xF7, 3, L, &hs_neg_E},
    {0xFE, 0, B | L, &hs_inc_E}, {0xFE, 1, B | L, &hs_dec_E},
    {0xFF, 0, L, &hs_inc_E}, {0xFF, 1, L, &hs_dec_E},
    {0x40, -1, OA_NO64, &hs_inc_R}, {0x41, -1, OA_NO64, &hs_inc_R}, {0x42, -1, OA_NO64, &hs_inc_R},
    {0x43, -1, OA_NO64, &hs_inc_R}, {0x44, -1, OA_NO64, &hs_inc_R}, {0x45, -1, OA_NO64, &hs_inc_R},
    {0x46, -1, OA_NO64, &hs_inc_R}, {0x47, -1, OA_NO64, &hs_inc_R},
    {0x48, -1, OA_NO64, &hs_dec_R}, {0x49, -1, OA_NO64, &hs_dec_R}, {0x4A, -1, OA_NO64, &hs_dec_R},
    {0x4B, -1, OA_NO64, &hs_dec_R}, {0x4C, -1, OA_NO64, &hs_dec_R}, {0x4D, -1, OA_NO64, &hs_dec_R},
    {0x4E, -1, OA_NO64, &hs_dec_R}, {0x4F, -1, OA_NO64, &hs_dec_R},
    {0, 0, 0, NULL},
};
