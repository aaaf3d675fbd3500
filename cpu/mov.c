/* Data movement: MOV in all its forms (incl. segment registers and moffs),
 * LEA, LDS/LES/LSS/LFS/LGS, MOVZX and MOVSX (SDM vol. 2). */
#include "operand.h"
#include "seg.h"

ALWAYS_INLINE void mov_EG(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write(c, i, size, mem, reg_get(c, i->reg, size));
}
ALWAYS_INLINE void mov_GE(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, rm_read(c, i, size, mem));
}
ALWAYS_INLINE void mov_EI(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    rm_write(c, i, size, mem, i->imm & size_mask(size));
}
/* B0+r / B8+r: register in the opcode */
ALWAYS_INLINE void mov_RI(struct cpu *c, const struct insn *i, unsigned size) { reg_set(c, i->reg, size, i->imm); }
/* A0-A3: accumulator <-> moffs */
ALWAYS_INLINE void mov_A_moffs(struct cpu *c, const struct insn *i, unsigned size)
{
    reg_set(c, R_AX, size, mem_read(c, i->seg, (uint64_t)i->disp & size_mask(i->asize), size));
}
ALWAYS_INLINE void mov_moffs_A(struct cpu *c, const struct insn *i, unsigned size)
{
    mem_write(c, i->seg, (uint64_t)i->disp & size_mask(i->asize), reg_get(c, R_AX, size), size);
}
HSET_RM(mov_EG);
HSET_RM(mov_GE);
HSET_RM(mov_EI);
HSET_W(mov_RI);
HSET_W(mov_A_moffs);
HSET_W(mov_moffs_A);

/* 8C MOV Ev,Sreg: a memory destination is always 16 bits; a register destination
 * takes the zero-extended selector at 32/64-bit operand size (P6 behaviour). */
ALWAYS_INLINE void mov_E_sreg(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    unsigned s = i->reg & 7;
    if (s >= S_COUNT || (c->model == CPU_MODEL_80286 && s >= S_FS)) /* the 286 has no FS/GS */
        cpu_raise_ud(c);
    if (mem)
        mem_write(c, i->seg, insn_ea(c, i), c->seg[s].sel, 2);
    else
        reg_set(c, i->rm, size == 1 ? 2 : size, c->seg[s].sel);
}
/* 8E MOV Sreg,Ew: CS cannot be loaded this way (#UD, SDM vol. 2 MOV). */
ALWAYS_INLINE void mov_sreg_E(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    unsigned s = i->reg & 7;
    if (s >= S_COUNT || s == S_CS)
        cpu_raise_ud(c);
    if (c->model == CPU_MODEL_80286 && s >= S_FS)
        cpu_raise_ud(c);
    uint16_t sel = (uint16_t)rm_read(c, i, 2, mem);
    seg_load(c, s, sel);
    if (s == S_SS)
        c->pending |= PEND_SHADOW | PEND_MOVSS; /* SDM vol. 3 §6.8.3: interrupts and debug traps wait */
}
HSET_RM(mov_E_sreg);
HSET_RM(mov_sreg_E);

/* LEA: the offset, computed at address size, truncated to operand size. */
ALWAYS_INLINE void lea(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, insn_ea(c, i));
}
HSET_RM(lea);

/* LDS/LES/LSS/LFS/LGS Gv,Mp: offset then selector; the segment load may fault,
 * so it comes before the register write. */
ALWAYS_INLINE void load_far(struct cpu *c, const struct insn *i, unsigned size, unsigned seg)
{
    uint64_t ea = insn_ea(c, i);
    uint64_t off = mem_read(c, i->seg, ea, size);
    uint16_t sel = (uint16_t)mem_read(c, i->seg, (ea + size) & size_mask(i->asize), 2);
    seg_load(c, seg, sel); /* LSS sets no interrupt shadow: only MOV SS and POP SS do */
    reg_set(c, i->reg, size, off);
}
ALWAYS_INLINE void les(struct cpu *c, const struct insn *i, unsigned size) { load_far(c, i, size, S_ES); }
ALWAYS_INLINE void lds(struct cpu *c, const struct insn *i, unsigned size) { load_far(c, i, size, S_DS); }
ALWAYS_INLINE void lss(struct cpu *c, const struct insn *i, unsigned size) { load_far(c, i, size, S_SS); }
ALWAYS_INLINE void lfs(struct cpu *c, const struct insn *i, unsigned size) { load_far(c, i, size, S_FS); }
ALWAYS_INLINE void lgs(struct cpu *c, const struct insn *i, unsigned size) { load_far(c, i, size, S_GS); }
HSET_W(les);
HSET_W(lds);
HSET_W(lss);
HSET_W(lfs);
HSET_W(lgs);

/* MOVZX/MOVSX: source of 8 (0F B6/BE) or 16 bits (0F B7/BF). */
ALWAYS_INLINE void movzx8(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, rm_read(c, i, 1, mem));
}
ALWAYS_INLINE void movzx16(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, rm_read(c, i, 2, mem));
}
ALWAYS_INLINE void movsx8(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, (uint64_t)sign_extend(rm_read(c, i, 1, mem), 1));
}
ALWAYS_INLINE void movsx16(struct cpu *c, const struct insn *i, unsigned size, bool mem)
{
    reg_set(c, i->reg, size, (uint64_t)sign_extend(rm_read(c, i, 2, mem), 2));
}
HSET_RM(movzx8);
HSET_RM(movzx16);
HSET_RM(movsx8);
HSET_RM(movsx16);

#define M OA_MODRM
#define B OA_BYTE
const struct opdef mov_opdefs[] = {
    {0x88, -1, M | B, &hs_mov_EG}, {0x89, -1, M, &hs_mov_EG},
    {0x8A, -1, M | B, &hs_mov_GE}, {0x8B, -1, M, &hs_mov_GE},
    {0x8C, -1, M, &hs_mov_E_sreg}, {0x8E, -1, M, &hs_mov_sreg_E},
    {0xA0, -1, B | OA_IMM(IMM_MOFFS), &hs_mov_A_moffs}, {0xA1, -1, OA_IMM(IMM_MOFFS), &hs_mov_A_moffs},
    {0xA2, -1, B | OA_IMM(IMM_MOFFS), &hs_mov_moffs_A}, {0xA3, -1, OA_IMM(IMM_MOFFS), &hs_mov_moffs_A},
    {0xB0, -1, B | OA_IMM(IMM_8), &hs_mov_RI}, {0xB1, -1, B | OA_IMM(IMM_8), &hs_mov_RI},
    {0xB2, -1, B | OA_IMM(IMM_8), &hs_mov_RI}, {0xB3, -1, B | OA_IMM(IMM_8), &hs_mov_RI},
    {0xB4, -1, B | OA_IMM(IMM_8), &hs_mov_RI}, {0xB5, -1, B | OA_IMM(IMM_8), &hs_mov_RI},
    {0xB6, -1, B | OA_IMM(IMM_8), &hs_mov_RI}, {0xB7, -1, B | OA_IMM(IMM_8), &hs_mov_RI},
    {0xB8, -1, OA_IMM(IMM_FULL), &hs_mov_RI}, {0xB9, -1, OA_IMM(IMM_FULL), &hs_mov_RI},
    {0xBA, -1, OA_IMM(IMM_FULL), &hs_mov_RI}, {0xBB, -1, OA_IMM(IMM_FULL), &hs_mov_RI},
    {0xBC, -1, OA_IMM(IMM_FULL), &hs_mov_RI}, {0xBD, -1, OA_IMM(IMM_FULL), &hs_mov_RI},
    {0xBE, -1, OA_IMM(IMM_FULL), &hs_mov_RI}, {0xBF, -1, OA_IMM(IMM_FULL), &hs_mov_RI},
    {0xC6, 0, B | OA_IMM(IMM_8), &hs_mov_EI}, {0xC7, 0, OA_IMM(IMM_V), &hs_mov_EI},
    {0x8D, -1, M | OA_MEMONLY, &hs_lea},
    {0xC4, -1, M | OA_MEMONLY | OA_NO64, &hs_les}, {0xC5, -1, M | OA_MEMONLY | OA_NO64, &hs_lds},
    {0x0FB2, -1, M | OA_MEMONLY | OA_386, &hs_lss}, {0x0FB4, -1, M | OA_MEMONLY | OA_386, &hs_lfs},
    {0x0FB5, -1, M | OA_MEMONLY | OA_386, &hs_lgs},
    {0x0FB6, -1, M | OA_RM8 | OA_386, &hs_movzx8}, {0x0FB7, -1, M | OA_386, &hs_movzx16},
    {0x0FBE, -1, M | OA_RM8 | OA_386, &hs_movsx8}, {0x0FBF, -1, M | OA_386, &hs_movsx16},
    {0, 0, 0, NULL},
};
