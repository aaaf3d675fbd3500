/* String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, with the REP,
 * REPE and REPNE prefixes (SDM vol. 2 "MOVS", "CMPS", ..., "REP/REPE/REPZ/
 * REPNE/REPNZ").
 *
 * The source is seg:rSI (DS unless overridden), the destination is always
 * ES:rDI (no override).  The pointer and count registers are SI/DI/CX, ESI/
 * EDI/ECX or RSI/RDI/RCX by the address size; each element moves the pointers
 * by the operand size, backwards when EFLAGS.DF is set.
 *
 * A repeated instruction runs its whole loop inside the handler.  Each
 * iteration commits (registers are updated per element), so a fault in the
 * middle leaves the registers at the faulting element and RIP at the
 * instruction (cpu_raise restores RIP).  Every 1024 iterations the loop yields
 * to a pending interrupt by leaving RIP at the instruction, which then resumes
 * with the updated registers. */
#include "io_perm.h"
#include "operand.h"

/* Iterations between checks for a pending interrupt in a REP loop. */
#define REP_POLL 1024u

enum str_op { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

ALWAYS_INLINE unsigned str_src_seg(const struct insn *i) { return i->seg_override != S_COUNT ? i->seg_override : S_DS; }

/* Port I/O has no 64-bit form: REX.W leaves INS/OUTS at 32 bits (SDM vol. 2 "INS"). */
ALWAYS_INLINE unsigned io_size(unsigned size) { return size > 4 ? 4 : size; }

ALWAYS_INLINE uint64_t str_port_in(struct cpu *c, uint16_t port, unsigned size)
{
    if (!c->bus.port_in)
        return size_mask(size);
    return c->bus.port_in(c->bus.opaque, port, size) & size_mask(size);
}

ALWAYS_INLINE void str_port_out(struct cpu *c, uint16_t port, uint64_t v, unsigned size)
{
    if (c->bus.port_out)
        c->bus.port_out(c->bus.opaque, port, (uint32_t)v, size);
}

/* 80286 segment overrun inside a string instruction (observed on hardware,
 * SingleStepTests 80286): the 286 microcode advances each pointer right after
 * its access, and the overrun is recognised after that, so the faulting
 * access's pointer (and those of the element's earlier accesses) come out
 * advanced.  Under REP, rCX also comes out decremented: once when a read
 * faults, twice when a write faults (inferred: the second decrement belongs to
 * the next iteration, so it is skipped when rCX reached 0), and not at all
 * when CMPS's first read faults.  In real mode the 286 reports every data
 * segment overrun as interrupt 13, even through an SS override.
 * `ptrs` says which pointers to advance: 1 = rSI, 2 = rDI. */
#define PTR_SI 1u
#define PTR_DI 2u
static _Noreturn void str_overrun_286(struct cpu *c, const struct insn *i, unsigned as, uint64_t delta, unsigned ptrs,
                                      unsigned cx_dec)
{
    if (ptrs & PTR_SI)
        reg_set(c, R_SI, as, reg_get(c, R_SI, as) + delta);
    if (ptrs & PTR_DI)
        reg_set(c, R_DI, as, reg_get(c, R_DI, as) + delta);
    if (i->rep) {
        uint64_t cx = reg_get(c, R_CX, as);
        for (unsigned k = 0; k < cx_dec && cx != 0; k++)
            cx--;
        reg_set(c, R_CX, as, cx);
    }
    cpu_raise_gp0(c);
}

/* On the 286 model, check one access of the element before it happens. */
ALWAYS_INLINE void check_286(struct cpu *c, const struct insn *i, unsigned seg, uint64_t off, unsigned size,
                             unsigned as, uint64_t delta, unsigned ptrs, unsigned cx_dec)
{
    if (c->model == CPU_MODEL_80286 && unlikely(off + size - 1 > c->seg[seg].limit))
        str_overrun_286(c, i, as, delta, ptrs, cx_dec);
}

/* One element of `op`, with address size `as`.  Reads and checks come first,
 * so a fault leaves this element's registers and memory untouched (except for
 * the 286 overrun above). */
ALWAYS_INLINE void str_step(struct cpu *c, const struct insn *i, unsigned op, unsigned size, unsigned as)
{
    uint64_t delta = (c->eflags & F_DF) ? (uint64_t)0 - size : size;
    unsigned src = str_src_seg(i);
    switch (op) {
    case STR_MOVS: {
        uint64_t si = reg_get(c, R_SI, as), di = reg_get(c, R_DI, as);
        check_286(c, i, src, si, size, as, delta, PTR_SI, 1);
        uint64_t v = mem_read(c, src, si, size);
        check_286(c, i, S_ES, di, size, as, delta, PTR_SI | PTR_DI, 2);
        mem_write(c, S_ES, di, v, size);
        reg_set(c, R_SI, as, si + delta);
        reg_set(c, R_DI, as, di + delta);
        break;
    }
    case STR_CMPS: {
        /* Flags as for CMP [src], ES:[dst] (source minus destination).
         * The 286 reads the ES:rDI operand first. */
        uint64_t si = reg_get(c, R_SI, as), di = reg_get(c, R_DI, as);
        check_286(c, i, S_ES, di, size, as, delta, PTR_DI, 0);
        check_286(c, i, src, si, size, as, delta, PTR_SI | PTR_DI, 1);
        uint64_t a = mem_read(c, src, si, size);
        uint64_t b = mem_read(c, S_ES, di, size);
        uint64_t r = (a - b) & size_mask(size);
        lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(a, b, r), size));
        reg_set(c, R_SI, as, si + delta);
        reg_set(c, R_DI, as, di + delta);
        break;
    }
    case STR_STOS: {
        uint64_t di = reg_get(c, R_DI, as);
        check_286(c, i, S_ES, di, size, as, delta, PTR_DI, 2);
        mem_write(c, S_ES, di, reg_get(c, R_AX, size), size);
        reg_set(c, R_DI, as, di + delta);
        break;
    }
    case STR_LODS: {
        uint64_t si = reg_get(c, R_SI, as);
        check_286(c, i, src, si, size, as, delta, PTR_SI, 1);
        uint64_t v = mem_read(c, src, si, size);
        reg_set(c, R_AX, size, v);
        reg_set(c, R_SI, as, si + delta);
        break;
    }
    case STR_SCAS: {
        uint64_t di = reg_get(c, R_DI, as);
        check_286(c, i, S_ES, di, size, as, delta, PTR_DI, 1);
        uint64_t a = reg_get(c, R_AX, size);
        uint64_t b = mem_read(c, S_ES, di, size);
        uint64_t r = (a - b) & size_mask(size);
        lf_set(c, r, size, lf_aux_from_vec(sub_borrow_vec(a, b, r), size));
        reg_set(c, R_DI, as, di + delta);
        break;
    }
    case STR_INS: {
        /* Protected mode: the IOPL / TSS I/O-permission-bitmap check (SDM vol. 1
         * §18.5.2), per element as the hardware does it.  The destination is
         * checked before the port is read, so a limit fault does not lose the
         * device's data. */
        io_check(c, reg16(c, R_DX), size);
        uint64_t di = reg_get(c, R_DI, as);
        check_286(c, i, S_ES, di, size, as, delta, PTR_DI, 2);
        uint64_t lin = seg_linear_w(c, S_ES, di, size);
        mmu_probe_write(c, lin, size); /* a page fault must come before the port read */
        uint64_t v = str_port_in(c, reg16(c, R_DX), size);
        lin_write(c, lin, v, size);
        reg_set(c, R_DI, as, di + delta);
        break;
    }
    default: { /* STR_OUTS */
        io_check(c, reg16(c, R_DX), size);
        uint64_t si = reg_get(c, R_SI, as);
        check_286(c, i, src, si, size, as, delta, PTR_SI, 1);
        uint64_t v = mem_read(c, src, si, size);
        str_port_out(c, reg16(c, R_DX), v, size);
        reg_set(c, R_SI, as, si + delta);
        break;
    }
    }
}

/* The instruction with its prefix: a single element, or the REP loop. */
ALWAYS_INLINE void str_run(struct cpu *c, const struct insn *i, unsigned op, unsigned size, unsigned as)
{
    if (!i->rep) {
        str_step(c, i, op, size, as);
        return;
    }
    /* SDM vol. 2 "REP": while rCX != 0: one element, rCX -= 1, then for CMPS and
     * SCAS stop on ZF = 0 (REPE, F3) or ZF = 1 (REPNE, F2).  For the other
     * string instructions F2 repeats like F3. */
    bool cond = op == STR_CMPS || op == STR_SCAS;
    bool want_zf = i->rep == 0xF3;
    uint64_t cx = reg_get(c, R_CX, as);
    unsigned n = 0;
    while (cx != 0) {
        str_step(c, i, op, size, as);
        cx = (cx - 1) & size_mask(as);
        reg_set(c, R_CX, as, cx);
        if (cond && get_zf(c) != want_zf)
            return;
        if (unlikely(++n == REP_POLL)) {
            n = 0;
            if (cx != 0 && (c->pending & PEND_INTR) && (c->eflags & F_IF)) {
                c->rip = c->insn_rip; /* resume the instruction after the interrupt */
                return;
            }
        }
    }
}

/* Specialise by the address size, which the handler set does not encode. */
ALWAYS_INLINE void str_dispatch(struct cpu *c, const struct insn *i, unsigned op, unsigned size)
{
    switch (i->asize) {
    case 2: str_run(c, i, op, size, 2); break;
    case 4: str_run(c, i, op, size, 4); break;
    default: str_run(c, i, op, size, 8); break;
    }
}

ALWAYS_INLINE void movs(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_MOVS, size); }
ALWAYS_INLINE void cmps(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_CMPS, size); }
ALWAYS_INLINE void stos(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_STOS, size); }
ALWAYS_INLINE void lods(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_LODS, size); }
ALWAYS_INLINE void scas(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_SCAS, size); }
ALWAYS_INLINE void ins(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_INS, io_size(size)); }
ALWAYS_INLINE void outs(struct cpu *c, const struct insn *i, unsigned size) { str_dispatch(c, i, STR_OUTS, io_size(size)); }
HSET_W(movs);
HSET_W(cmps);
HSET_W(stos);
HSET_W(lods);
HSET_W(scas);
HSET_W(ins);
HSET_W(outs);

#define B OA_BYTE
#define R OA_REP_OK
const struct opdef string_opdefs[] = {
    {0x6C, -1, B | R, &hs_ins}, {0x6D, -1, R, &hs_ins},
    {0x6E, -1, B | R, &hs_outs}, {0x6F, -1, R, &hs_outs},
    {0xA4, -1, B | R, &hs_movs}, {0xA5, -1, R, &hs_movs},
    {0xA6, -1, B | R, &hs_cmps}, {0xA7, -1, R, &hs_cmps},
    {0xAA, -1, B | R, &hs_stos}, {0xAB, -1, R, &hs_stos},
    {0xAC, -1, B | R, &hs_lods}, {0xAD, -1, R, &hs_lods},
    {0xAE, -1, B | R, &hs_scas}, {0xAF, -1, R, &hs_scas},
    {0, 0, 0, NULL},
};
