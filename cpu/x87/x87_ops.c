/* x87 FPU instructions D8-DF and WAIT (SDM vol. 2, one page per instruction;
 * the opcode map is SDM vol. 2 App. A.4).  Each escape opcode has one handler
 * for the register form and one for the memory form; they dispatch on
 * ModR/M.reg (and ModR/M.rm for the register-only forms).  The 80286 model
 * has no coprocessor: ESC only performs its memory read cycle.
 * Where the SDM calls condition codes "undefined" or an encoding reserved,
 * the behaviour here is the one measured on the reference host by
 * tests/unit/x87_test.c (an AMD EPYC x87). */
#include "x87_internal.h"

/* ---- bookkeeping ---- */

/* The ModR/M byte, rebuilt from the decoded operand for FOP (SDM vol. 1 §8.1.9). */
static uint8_t modrm_of(const struct insn *i)
{
    unsigned reg = i->reg & 7;
    if (!(i->flags & INSN_MEM))
        return (uint8_t)(0xC0 | reg << 3 | (i->rm & 7));
    unsigned mod, rm;
    bool d8 = i->disp >= -128 && i->disp <= 127;
    if (i->asize == 2) {
        static const uint8_t b16[8] = {R_BX, R_BX, R_BP, R_BP, R_SI, R_DI, R_BP, R_BX};
        static const uint8_t x16[8] = {R_SI, R_DI, R_SI, R_DI, R_ZERO, R_ZERO, R_ZERO, R_ZERO};
        if (i->base == R_ZERO)
            return (uint8_t)(reg << 3 | 6);
        rm = 0;
        for (unsigned k = 0; k < 8; k++)
            if (b16[k] == i->base && x16[k] == i->index && !(k == 6 && i->base != R_BP))
                rm = k;
        mod = i->disp == 0 && rm != 6 ? 0 : d8 ? 1 : 2;
    } else {
        if (i->base == R_ZERO)
            return (uint8_t)(reg << 3 | (i->index == R_ZERO ? 5 : 4));
        rm = (i->index != R_ZERO || (i->base & 7) == 4) ? 4 : (i->base & 7);
        mod = i->disp == 0 && (i->base & 7) != 5 ? 0 : d8 ? 1 : 2;
    }
    return (uint8_t)(mod << 6 | reg << 3 | rm);
}

/* Non-control instructions record their address, opcode and data pointer. */
static void record(struct cpu *c, const struct insn *i)
{
    struct x87 *f = &c->fpu;
    f->fip = c->insn_rip;
    f->fcs = c->seg[S_CS].sel;
    f->fop = (uint16_t)((i->opcode & 7) << 8 | modrm_of(i));
    if (i->flags & INSN_MEM) {
        f->fdp = insn_ea(c, i);
        f->fds = c->seg[i->seg].sel;
    }
}

/* ---- loads ---- */

static void push_value(struct cpu *c, f80 v, struct f80_env *e)
{
    struct x87 *f = &c->fpu;
    if (!x87_is_empty(f, 7)) {
        if (x87_stack_fault(f, true))
            x87_push(f, F80_INDEFINITE);
        return;
    }
    x87_flags(f, e);
    if (!(e->flags & ~e->masks & FSW_IE)) /* an unmasked DE still loads the value (SDM vol. 2 "FLD") */
        x87_push(f, v);
}

static f80 load_mem(struct cpu *c, const struct insn *i, unsigned kind, struct f80_env *e, bool keep_snan)
{
    uint64_t ea = insn_ea(c, i);
    switch (kind) {
    case 0: return f80_from_f32(e, (uint32_t)mem_read(c, i->seg, ea, 4), keep_snan);
    case 1: return f80_from_int((int32_t)mem_read(c, i->seg, ea, 4));
    case 2: return f80_from_f64(e, mem_read(c, i->seg, ea, 8), keep_snan);
    case 3: return f80_from_int((int16_t)mem_read(c, i->seg, ea, 2));
    case 4: return f80_from_int((int64_t)mem_read(c, i->seg, ea, 8));
    default: {
        uint8_t b[10];
        x87_read_bytes(c, i->seg, ea, b, 10);
        return kind == 5 ? x87_get_f80(b) : f80_from_bcd(b);
    }
    }
}
enum { LD_F32, LD_I32, LD_F64, LD_I16, LD_I64, LD_F80, LD_BCD };

static void fld_mem(struct cpu *c, const struct insn *i, unsigned kind)
{
    struct f80_env e = x87_env(&c->fpu, false);
    f80 v = load_mem(c, i, kind, &e, false);
    record(c, i);
    push_value(c, v, &e);
}

/* FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: 66-bit-plus constants
 * rounded by RC (SDM vol. 1 §8.3.8); no precision exception. */
static void fld_const(struct cpu *c, unsigned which)
{
    static const struct { uint64_t hi, lo; int32_t exp; } k[7] = {
        {0x8000000000000000ull, 0, 0x3FFF},                     /* 1 */
        {0xD49A784BCD1B8AFEull, 0x492BF6FF4DAFDB4Cull, 0x4000}, /* log2(10) */
        {0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E89ull, 0x3FFF}, /* log2(e) */
        {0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull, 0x4000}, /* pi */
        {0x9A209A84FBCFF798ull, 0x8F8959AC0B7C9178ull, 0x3FFD}, /* log10(2) */
        {0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull, 0x3FFE}, /* ln(2) */
        {0, 0, 0},                                              /* +0 */
    };
    struct f80_env e = x87_env(&c->fpu, false);
    f80 v = which == 6 ? F80_ZERO_POS : f80_round(&e, false, k[which].exp, ((u128)k[which].hi << 64) | k[which].lo);
    e.flags = 0;
    e.c1 = false;
    push_value(c, v, &e);
}

/* ---- stores ---- */

/* truncate: FISTTP (SSE3), which rounds toward zero whatever FCW.RC says (SDM vol. 2 "FISTTP"). */
static void fst_mem_rc(struct cpu *c, const struct insn *i, unsigned kind, bool pop, bool truncate)
{
    struct x87 *f = &c->fpu;
    struct f80_env e = x87_env(f, false);
    if (truncate)
        e.rc = RC_ZERO;
    uint64_t ea = insn_ea(c, i);
    bool empty = x87_is_empty(f, 0);
    f80 v = empty ? F80_INDEFINITE : x87_st(f, 0);
    if (empty && !(f->fcw & FSW_IE)) {
        record(c, i);
        x87_stack_fault(f, false);
        return;
    }
    uint8_t b[10];
    unsigned n;
    switch (kind) {
    case LD_F32: put_le(b, f80_to_f32(&e, v), 4); n = 4; break;
    case LD_F64: put_le(b, f80_to_f64(&e, v), 8); n = 8; break;
    case LD_I16: put_le(b, (uint64_t)f80_to_int(&e, v, 16, false), 2); n = 2; break;
    case LD_I32: put_le(b, (uint64_t)f80_to_int(&e, v, 32, false), 4); n = 4; break;
    case LD_I64: put_le(b, (uint64_t)f80_to_int(&e, v, 64, false), 8); n = 8; break;
    case LD_F80: x87_put_f80(b, v); n = 10; break;
    default: f80_to_bcd(&e, v, b); n = 10; break;
    }
    if (empty) {
        e.flags = 0;
        e.c1 = false;
    }
    /* Unmasked IE, DE, OE or UE: nothing is stored and nothing popped (SDM vol. 1 §8.5). */
    bool suppress = (e.flags & ~e.masks & (FSW_IE | FSW_DE | FSW_OE | FSW_UE)) != 0;
    if (!suppress) {
        if (n <= 8)
            mem_write(c, i->seg, ea, get_le(b, n), n);
        else
            x87_write_bytes(c, i->seg, ea, b, n);
    }
    record(c, i);
    if (empty)
        x87_stack_fault(f, false);
    else
        x87_flags(f, &e);
    if (pop && !suppress)
        x87_pop(f);
}

static void fst_mem(struct cpu *c, const struct insn *i, unsigned kind, bool pop)
{
    fst_mem_rc(c, i, kind, pop, false);
}

/* FST/FSTP ST(i) (also the reserved aliases D9 D8+i, DF D0+i, DF D8+i). */
static void fst_reg(struct cpu *c, unsigned r, bool pop)
{
    struct x87 *f = &c->fpu;
    if (x87_is_empty(f, 0)) {
        if (!x87_stack_fault(f, false))
            return;
        x87_set(f, r, F80_INDEFINITE);
    } else {
        x87_set(f, r, x87_st(f, 0));
        f->fsw &= (uint16_t)~FSW_C1;
    }
    if (pop)
        x87_pop(f);
}

/* ---- arithmetic ---- */

enum { OP_ADD, OP_MUL, OP_COM, OP_COMP, OP_SUB, OP_SUBR, OP_DIV, OP_DIVR };

static f80 arith(struct f80_env *e, unsigned op, f80 a, f80 b)
{
    switch (op) {
    case OP_ADD: return f80_add(e, a, b);
    case OP_MUL: return f80_mul(e, a, b);
    case OP_SUB: return f80_sub(e, a, b);
    case OP_SUBR: return f80_sub(e, b, a);
    case OP_DIV: return f80_div(e, a, b);
    default: return f80_div(e, b, a);
    }
}

static const uint16_t rel_cc[4] = {[F80_GT] = 0, [F80_LT] = FSW_C0, [F80_EQ] = FSW_C3,
                                   [F80_UN] = FSW_C0 | FSW_C2 | FSW_C3};

/* FCOM-family: compare a with b, set C3/C2/C0 (C1 = 0), pop `pops` times. */
static void do_compare(struct x87 *f, f80 a, f80 b, bool quiet, unsigned pops, bool empty, struct f80_env *e)
{
    if (empty) {
        x87_set_cc(f, rel_cc[F80_UN]);
        if (!x87_stack_fault(f, false))
            return;
    } else {
        enum f80_rel rel = f80_compare(e, a, b, quiet);
        x87_set_cc(f, rel_cc[rel]);
        x87_flags(f, e);
        f->fsw &= (uint16_t)~FSW_C1;
        if (f80_env_abort(e))
            return; /* unmasked IE or DE: the condition codes are set, but no pop */
    }
    while (pops--)
        x87_pop(f);
}

/* dst = a op b, with the operands' registers checked for underflow. */
static void do_arith(struct cpu *c, unsigned op, unsigned dst, f80 a, f80 b, bool empty, bool pop, struct f80_env *e)
{
    struct x87 *f = &c->fpu;
    if (empty) {
        if (!x87_stack_fault(f, false))
            return;
        x87_set(f, dst, F80_INDEFINITE);
    } else {
        f80 r = arith(e, op, a, b);
        x87_flags(f, e);
        if (f80_env_abort(e))
            return;
        x87_set(f, dst, r);
    }
    if (pop)
        x87_pop(f);
}

/* D8 (m32real), DA (m32int), DC (m64real), DE (m16int): ST(0) = ST(0) op m. */
static void arith_mem(struct cpu *c, const struct insn *i, unsigned kind)
{
    struct x87 *f = &c->fpu;
    unsigned op = i->reg & 7;
    struct f80_env e = x87_env(f, op != OP_COM && op != OP_COMP);
    f80 m = load_mem(c, i, kind, &e, true);
    record(c, i);
    bool empty = x87_is_empty(f, 0);
    f80 st0 = x87_st(f, 0);
    /* A denormal real operand was normalised on loading; its DE counts only when
     * the operation gets to look at operands: not beside a NaN or unsupported
     * ST(0), nor as the dividend of a division by zero. */
    if (e.flags & FSW_DE) {
        enum f80_class k = f80_classify(st0);
        if (empty || k == F80_QNAN || k == F80_SNAN || k == F80_UNSUPPORTED || (op == OP_DIVR && k == F80_ZERO)) {
            e.flags &= ~FSW_DE;
        } else if (!(e.masks & FSW_DE) && op != OP_COM && op != OP_COMP) {
            x87_flags(f, &e);
            return;
        }
    }
    if (op == OP_COM || op == OP_COMP)
        do_compare(f, st0, m, false, op == OP_COMP, empty, &e);
    else
        do_arith(c, op, 0, st0, m, empty, false, &e);
}

/* D8 reg: ST(0) = ST(0) op ST(i).  DC/DE reg: ST(i) = ST(i) op ST(0), where
 * /4../7 name the reversed operations (SDM vol. 2 "FSUB", "FSUBR", "FDIV", "FDIVR"). */
static void arith_reg(struct cpu *c, const struct insn *i, bool to_sti, bool pop)
{
    struct x87 *f = &c->fpu;
    unsigned op = i->reg & 7, r = i->rm & 7;
    bool empty = x87_is_empty(f, 0) || x87_is_empty(f, r);
    struct f80_env e = x87_env(f, op != OP_COM && op != OP_COMP);
    if (op == OP_COM || op == OP_COMP) {
        do_compare(f, x87_st(f, 0), x87_st(f, r), false, op == OP_COMP || pop, empty, &e);
        return;
    }
    if (to_sti)
        do_arith(c, op >= 4 ? op ^ 1 : op, r, x87_st(f, r), x87_st(f, 0), empty, pop, &e);
    else
        do_arith(c, op, 0, x87_st(f, 0), x87_st(f, r), empty, pop, &e);
}

/* FCOMI/FCOMIP/FUCOMI/FUCOMIP: ZF, PF, CF from the comparison; OF, SF, AF cleared. */
static void comi(struct cpu *c, unsigned r, bool quiet, bool pop)
{
    struct x87 *f = &c->fpu;
    struct f80_env e = x87_env(f, false);
    static const uint32_t fl[4] = {[F80_GT] = 0, [F80_LT] = F_CF, [F80_EQ] = F_ZF, [F80_UN] = F_ZF | F_PF | F_CF};
    if (x87_is_empty(f, 0) || x87_is_empty(f, r)) {
        lf_set_flags(c, fl[F80_UN]);
        if (!x87_stack_fault(f, false))
            return;
    } else {
        enum f80_rel rel = f80_compare(&e, x87_st(f, 0), x87_st(f, r), quiet);
        uint16_t c1 = f->fsw & FSW_C1; /* C1 is left alone */
        x87_flags(f, &e);
        f->fsw = (uint16_t)((f->fsw & ~FSW_C1) | c1);
        lf_set_flags(c, fl[rel]);
        if (f80_env_abort(&e))
            return; /* unmasked IE or DE: EFLAGS are set, but no pop */
    }
    if (pop)
        x87_pop(f);
}

/* FCMOVcc (DA/DB C0-DF): condition codes of Jcc (SDM vol. 2 "FCMOVcc"). */
static void fcmov(struct cpu *c, const struct insn *i)
{
    static const uint8_t cc[8] = {0x2, 0x4, 0x6, 0xA};
    struct x87 *f = &c->fpu;
    unsigned r = i->rm & 7, reg = i->reg & 3;
    bool cond = cond_true(c, cc[reg] | (i->opcode == 0xDB));
    if (x87_is_empty(f, 0) || x87_is_empty(f, r)) {
        if (x87_stack_fault(f, false))
            x87_set(f, 0, F80_INDEFINITE);
        return;
    }
    if (cond) /* C1 is left alone */
        x87_set(f, 0, x87_st(f, r));
}

/* ---- one-operand instructions on ST(0) (D9 E0-FF) ---- */

static bool need_st(struct x87 *f, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (x87_is_empty(f, k)) {
            if (x87_stack_fault(f, false))
                x87_set(f, 0, F80_INDEFINITE);
            return false;
        }
    return true;
}

static void fxam(struct x87 *f)
{
    f80 v = x87_st(f, 0);
    unsigned cc = f80_sign(v) ? FSW_C1 : 0;
    if (x87_is_empty(f, 0)) {
        cc |= FSW_C3 | FSW_C0;
    } else {
        switch (f80_classify(v)) {
        case F80_UNSUPPORTED: break;
        case F80_QNAN: case F80_SNAN: cc |= FSW_C0; break;
        case F80_NORMAL: cc |= FSW_C2; break;
        case F80_INF: cc |= FSW_C2 | FSW_C0; break;
        case F80_ZERO: cc |= FSW_C3; break;
        default: cc |= FSW_C3 | FSW_C2; break; /* denormal, pseudo-denormal */
        }
    }
    x87_set_cc(f, cc);
}

/* Result to ST(0) (or, with pop, to ST(1) then pop), unless an unmasked exception aborts. */
static void result_st0(struct x87 *f, f80 r, struct f80_env *e, bool pop)
{
    x87_flags(f, e);
    if (f80_env_abort(e))
        return;
    if (pop) {
        x87_set(f, 1, r);
        x87_pop(f);
    } else {
        x87_set(f, 0, r);
    }
}

/* Two-result instructions with an empty ST(0): both results are the indefinite. */
static void push_underflow(struct x87 *f)
{
    if (x87_stack_fault(f, false)) {
        x87_set(f, 0, F80_INDEFINITE);
        x87_push(f, F80_INDEFINITE);
    }
}

static void push_overflow(struct x87 *f)
{
    if (x87_stack_fault(f, true)) {
        x87_set(f, 0, F80_INDEFINITE);
        x87_push(f, F80_INDEFINITE);
    }
}

static void d9_misc(struct cpu *c, unsigned op)
{
    struct x87 *f = &c->fpu;
    struct f80_env e = x87_env(f, false);
    unsigned cc;
    f80 a, b;
    switch (op) {
    case 0xE0: /* FCHS */
    case 0xE1: /* FABS */
        if (need_st(f, 1)) {
            f80 v = x87_st(f, 0);
            x87_set(f, 0, op == 0xE0 ? f80_neg(v) : f80_abs(v));
            f->fsw &= (uint16_t)~FSW_C1;
        }
        return;
    case 0xE4: /* FTST */
        do_compare(f, x87_st(f, 0), F80_ZERO_POS, false, 0, x87_is_empty(f, 0), &e);
        return;
    case 0xE5: fxam(f); return;
    case 0xF0: /* F2XM1 */
        if (need_st(f, 1))
            result_st0(f, f80_f2xm1(&e, x87_st(f, 0)), &e, false);
        return;
    case 0xF1: /* FYL2X */
    case 0xF9: /* FYL2XP1 */
    case 0xF3: /* FPATAN */
        if (x87_is_empty(f, 0) || x87_is_empty(f, 1)) {
            if (x87_stack_fault(f, false)) {
                x87_set(f, 1, F80_INDEFINITE);
                x87_pop(f);
            }
            return;
        }
        a = x87_st(f, 0);
        b = x87_st(f, 1);
        result_st0(f, op == 0xF1 ? f80_yl2x(&e, a, b) : op == 0xF9 ? f80_yl2xp1(&e, a, b) : f80_patan(&e, a, b), &e, true);
        return;
    case 0xF2: /* FPTAN */
    case 0xFB: /* FSINCOS */
        f->fsw &= (uint16_t)~FSW_C2; /* C2 = 1 only for an argument out of range */
        if (x87_is_empty(f, 0)) {
            push_underflow(f);
            return;
        }
        if (!x87_is_empty(f, 7)) {
            push_overflow(f);
            return;
        }
        if (!f80_trig(&e, x87_st(f, 0), op == 0xF2 ? 4 : 3, &a, &b)) {
            x87_flags(f, &e);
            f->fsw |= FSW_C2;
            return;
        }
        x87_flags(f, &e);
        f->fsw &= (uint16_t)~FSW_C2;
        if (f80_env_abort(&e))
            return;
        x87_set(f, 0, a);
        x87_push(f, op == 0xF2 && !f80_is_nan(a) ? F80_ONE : b); /* FPTAN of a NaN pushes the NaN */
        return;
    case 0xFE: /* FSIN */
    case 0xFF: /* FCOS */
        f->fsw &= (uint16_t)~FSW_C2;
        if (!need_st(f, 1))
            return;
        if (!f80_trig(&e, x87_st(f, 0), op == 0xFE ? 1 : 2, &a, &b)) {
            x87_flags(f, &e);
            f->fsw |= FSW_C2;
            return;
        }
        f->fsw &= (uint16_t)~FSW_C2;
        result_st0(f, op == 0xFE ? a : b, &e, false);
        return;
    case 0xF4: /* FXTRACT */
        if (x87_is_empty(f, 0)) {
            push_underflow(f);
            return;
        }
        if (!x87_is_empty(f, 7)) {
            push_overflow(f);
            return;
        }
        f80_extract(&e, x87_st(f, 0), &a, &b);
        x87_flags(f, &e);
        if (f80_env_abort(&e))
            return;
        x87_set(f, 0, a);
        x87_push(f, b);
        return;
    case 0xF5: /* FPREM1 */
    case 0xF8: /* FPREM */
        if (x87_is_empty(f, 0) || x87_is_empty(f, 1)) {
            f->fsw &= (uint16_t)~FSW_C2;
            if (x87_stack_fault(f, false))
                x87_set(f, 0, F80_INDEFINITE);
            return;
        }
        a = f80_rem(&e, x87_st(f, 0), x87_st(f, 1), op == 0xF5, &cc);
        x87_flags(f, &e);
        f->fsw &= (uint16_t)~FSW_C2;
        if (f80_env_abort(&e))
            return;
        if (cc != X87_CC_KEEP) /* NaN or invalid: C0, C1, C3 as they were */
            x87_set_cc(f, cc);
        x87_set(f, 0, a);
        return;
    case 0xF6: /* FDECSTP */
        f->top = (f->top - 1) & 7;
        f->fsw &= (uint16_t)~FSW_C1;
        return;
    case 0xF7: /* FINCSTP */
        f->top = (f->top + 1) & 7;
        f->fsw &= (uint16_t)~FSW_C1;
        return;
    case 0xFA: /* FSQRT */
        e = x87_env(f, true);
        if (need_st(f, 1))
            result_st0(f, f80_sqrt(&e, x87_st(f, 0)), &e, false);
        return;
    case 0xFC: /* FRNDINT */
        if (need_st(f, 1))
            result_st0(f, f80_round_to_int(&e, x87_st(f, 0)), &e, false);
        return;
    case 0xFD: /* FSCALE */
        if (x87_is_empty(f, 0) || x87_is_empty(f, 1)) {
            if (x87_stack_fault(f, false))
                x87_set(f, 0, F80_INDEFINITE);
            return;
        }
        result_st0(f, f80_scale(&e, x87_st(f, 0), x87_st(f, 1)), &e, false);
        return;
    default:
        cpu_raise_ud(c);
    }
}

static void fxch(struct x87 *f, unsigned r)
{
    if (x87_is_empty(f, 0) || x87_is_empty(f, r)) {
        if (!x87_stack_fault(f, false))
            return;
        if (x87_is_empty(f, 0))
            x87_set(f, 0, F80_INDEFINITE);
        if (x87_is_empty(f, r))
            x87_set(f, r, F80_INDEFINITE);
    } else {
        f->fsw &= (uint16_t)~FSW_C1;
    }
    f80 t = x87_st(f, 0);
    x87_set(f, 0, x87_st(f, r));
    x87_set(f, r, t);
}

/* ---- control instructions that are not in x87_env.c ---- */

static void fldcw(struct cpu *c, const struct insn *i)
{
    uint16_t v = (uint16_t)mem_read(c, i->seg, insn_ea(c, i), 2);
    c->fpu.fcw = x87_fcw_value(v);
    x87_update_es(&c->fpu);
}

/* ---- dispatch ---- */

static void esc286(struct cpu *c, const struct insn *i)
{
    /* An 80286 without a coprocessor: #NM with EM or TS (MSW), else the CPU
     * still performs the memory operand's read cycle (a word) and does nothing. */
    x87_check_nm(c);
    if (i->flags & INSN_MEM)
        (void)mem_read(c, i->seg, insn_ea(c, i), 2);
}

/* Which memory forms are control instructions (no pending-exception check
 * for the FN* ones, no FIP update for any of them). */
static void x87_mem(struct cpu *c, const struct insn *i)
{
    if (c->model == CPU_MODEL_80286) {
        esc286(c, i);
        return;
    }
    x87_check_nm(c);
    unsigned op = i->opcode & 0xFF, reg = i->reg & 7;
    unsigned key = (op - 0xD8) << 3 | reg;
    /* FNSTENV (D9 /6), FNSTCW (D9 /7), FNSAVE (DD /6), FNSTSW (DD /7) do not wait. */
    bool nowait = key == (1u << 3 | 6) || key == (1u << 3 | 7) || key == (5u << 3 | 6) || key == (5u << 3 | 7);
    if (!nowait)
        x87_check_pending(c);
    switch (key) {
    case 0 << 3 | 0: case 0 << 3 | 1: case 0 << 3 | 2: case 0 << 3 | 3:
    case 0 << 3 | 4: case 0 << 3 | 5: case 0 << 3 | 6: case 0 << 3 | 7: arith_mem(c, i, LD_F32); return;
    case 2 << 3 | 0: case 2 << 3 | 1: case 2 << 3 | 2: case 2 << 3 | 3:
    case 2 << 3 | 4: case 2 << 3 | 5: case 2 << 3 | 6: case 2 << 3 | 7: arith_mem(c, i, LD_I32); return;
    case 4 << 3 | 0: case 4 << 3 | 1: case 4 << 3 | 2: case 4 << 3 | 3:
    case 4 << 3 | 4: case 4 << 3 | 5: case 4 << 3 | 6: case 4 << 3 | 7: arith_mem(c, i, LD_F64); return;
    case 6 << 3 | 0: case 6 << 3 | 1: case 6 << 3 | 2: case 6 << 3 | 3:
    case 6 << 3 | 4: case 6 << 3 | 5: case 6 << 3 | 6: case 6 << 3 | 7: arith_mem(c, i, LD_I16); return;
    case 1 << 3 | 0: fld_mem(c, i, LD_F32); return;
    case 1 << 3 | 2: fst_mem(c, i, LD_F32, false); return;
    case 1 << 3 | 3: fst_mem(c, i, LD_F32, true); return;
    case 1 << 3 | 4: x87_fldenv(c, i); return;
    case 1 << 3 | 5: fldcw(c, i); return;
    case 1 << 3 | 6: x87_fnstenv(c, i); return;
    case 1 << 3 | 7: mem_write(c, i->seg, insn_ea(c, i), c->fpu.fcw, 2); return;
    case 3 << 3 | 0: fld_mem(c, i, LD_I32); return;
    case 3 << 3 | 2: fst_mem(c, i, LD_I32, false); return;
    case 3 << 3 | 3: fst_mem(c, i, LD_I32, true); return;
    case 3 << 3 | 5: fld_mem(c, i, LD_F80); return;
    case 3 << 3 | 7: fst_mem(c, i, LD_F80, true); return;
    case 5 << 3 | 0: fld_mem(c, i, LD_F64); return;
    case 5 << 3 | 2: fst_mem(c, i, LD_F64, false); return;
    case 5 << 3 | 3: fst_mem(c, i, LD_F64, true); return;
    case 5 << 3 | 4: x87_frstor(c, i); return;
    case 5 << 3 | 6: x87_fnsave(c, i); return;
    case 5 << 3 | 7: mem_write(c, i->seg, insn_ea(c, i), x87_status_word(&c->fpu), 2); return;
    case 7 << 3 | 0: fld_mem(c, i, LD_I16); return;
    case 7 << 3 | 2: fst_mem(c, i, LD_I16, false); return;
    case 7 << 3 | 3: fst_mem(c, i, LD_I16, true); return;
    case 7 << 3 | 4: fld_mem(c, i, LD_BCD); return;
    case 7 << 3 | 5: fld_mem(c, i, LD_I64); return;
    case 7 << 3 | 6: fst_mem(c, i, LD_BCD, true); return;
    case 7 << 3 | 7: fst_mem(c, i, LD_I64, true); return;
    case 7 << 3 | 1: fst_mem_rc(c, i, LD_I16, true, true); return; /* FISTTP m16int */
    case 3 << 3 | 1: fst_mem_rc(c, i, LD_I32, true, true); return; /* FISTTP m32int */
    case 5 << 3 | 1: fst_mem_rc(c, i, LD_I64, true, true); return; /* FISTTP m64int */
    default: cpu_raise_ud(c); /* reserved encodings */
    }
}

/* Reserved register forms (#UD), SDM vol. 2 App. A.4.2, Tables. */
static bool reg_form_valid(unsigned key, unsigned r)
{
    switch (key) {
    case 1 << 3 | 2: return r == 0;                                  /* D9 D0: FNOP */
    case 1 << 3 | 4: return r != 2 && r != 3 && r != 6 && r != 7;   /* FCHS, FABS, FTST, FXAM */
    case 1 << 3 | 5: return r != 7;                                  /* the constants */
    case 2 << 3 | 5: case 6 << 3 | 3: return r == 1;                 /* FUCOMPP, FCOMPP */
    case 2 << 3 | 4: case 2 << 3 | 6: case 2 << 3 | 7: case 3 << 3 | 4: case 3 << 3 | 7:
    case 5 << 3 | 6: case 5 << 3 | 7: case 7 << 3 | 7: return false;
    default: return true;
    }
}

static void x87_reg(struct cpu *c, const struct insn *i)
{
    if (c->model == CPU_MODEL_80286) {
        esc286(c, i);
        return;
    }
    x87_check_nm(c);
    struct x87 *f = &c->fpu;
    unsigned op = i->opcode & 0xFF, reg = i->reg & 7, r = i->rm & 7;
    /* FNCLEX, FNINIT, FNSTSW AX and the 8087/287 leftovers FENI, FDISI, FSETPM do not wait. */
    if (op == 0xDB && reg == 4 && r <= 4) {
        if (r == 2)
            f->fsw &= (uint16_t)~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
        else if (r == 3)
            x87_init(f);
        return; /* FENI, FDISI, FSETPM: no-ops since the 80387 */
    }
    if (op == 0xDF && reg == 4) {
        if (r != 0)
            cpu_raise_ud(c);
        set_reg16(c, R_AX, x87_status_word(f));
        return;
    }
    unsigned key = (op - 0xD8) << 3 | reg;
    if (!reg_form_valid(key, r))
        cpu_raise_ud(c); /* before anything changes */
    x87_check_pending(c);
    record(c, i);
    switch (key) {
    case 0 << 3 | 0: case 0 << 3 | 1: case 0 << 3 | 2: case 0 << 3 | 3:
    case 0 << 3 | 4: case 0 << 3 | 5: case 0 << 3 | 6: case 0 << 3 | 7: arith_reg(c, i, false, false); return;
    case 4 << 3 | 0: case 4 << 3 | 1: case 4 << 3 | 2: case 4 << 3 | 3: /* DC D0/D8: FCOM2/FCOMP3 aliases */
    case 4 << 3 | 4: case 4 << 3 | 5: case 4 << 3 | 6: case 4 << 3 | 7: arith_reg(c, i, true, false); return;
    case 6 << 3 | 0: case 6 << 3 | 1: case 6 << 3 | 4: case 6 << 3 | 5:
    case 6 << 3 | 6: case 6 << 3 | 7: arith_reg(c, i, true, true); return;
    case 6 << 3 | 2: arith_reg(c, i, false, true); return; /* DE D0+i: FCOMP5 alias (compare, pop) */
    case 6 << 3 | 3:                                        /* DE D9: FCOMPP */
        {
            struct f80_env e = x87_env(f, false);
            do_compare(f, x87_st(f, 0), x87_st(f, 1), false, 2, x87_is_empty(f, 0) || x87_is_empty(f, 1), &e);
        }
        return;
    case 1 << 3 | 0: { /* FLD ST(i) */
        struct f80_env e = x87_env(f, false);
        if (x87_is_empty(f, r)) { /* underflow is checked before overflow */
            if (x87_stack_fault(f, false))
                x87_push(f, F80_INDEFINITE);
            return;
        }
        f->fsw &= (uint16_t)~FSW_C1;
        push_value(c, x87_st(f, r), &e);
        return;
    }
    case 1 << 3 | 1: case 5 << 3 | 1: case 7 << 3 | 1: fxch(f, r); return; /* FXCH, FXCH4, FXCH7 */
    case 1 << 3 | 2: return; /* FNOP */
    case 7 << 3 | 2: case 7 << 3 | 3: fst_reg(c, r, true); return; /* FSTP8, FSTP9: reserved aliases */
    case 1 << 3 | 3:              /* FSTP1: reserved alias; an empty ST(0) is just popped, no fault */
        if (!x87_is_empty(f, 0))
            x87_set(f, r, x87_st(f, 0));
        f->fsw &= (uint16_t)~FSW_C1;
        x87_pop(f);
        return;
    case 1 << 3 | 4: case 1 << 3 | 6: case 1 << 3 | 7: d9_misc(c, 0xC0 | reg << 3 | r); return;
    case 1 << 3 | 5: fld_const(c, r); return;
    case 2 << 3 | 0: case 2 << 3 | 1: case 2 << 3 | 2: case 2 << 3 | 3:
    case 3 << 3 | 0: case 3 << 3 | 1: case 3 << 3 | 2: case 3 << 3 | 3: fcmov(c, i); return;
    case 2 << 3 | 5: { /* DA E9: FUCOMPP */
        struct f80_env e = x87_env(f, false);
        do_compare(f, x87_st(f, 0), x87_st(f, 1), true, 2, x87_is_empty(f, 0) || x87_is_empty(f, 1), &e);
        return;
    }
    case 3 << 3 | 5: comi(c, r, true, false); return;  /* FUCOMI */
    case 3 << 3 | 6: comi(c, r, false, false); return; /* FCOMI */
    case 7 << 3 | 5: comi(c, r, true, true); return;   /* FUCOMIP */
    case 7 << 3 | 6: comi(c, r, false, true); return;  /* FCOMIP */
    case 5 << 3 | 0: /* FFREE */
    case 7 << 3 | 0: /* FFREEP (reserved alias: free, then pop) */
        f->empty |= (uint8_t)(1u << x87_phys(f, r));
        f->fsw &= (uint16_t)~FSW_C1;
        if (op == 0xDF)
            x87_pop(f);
        return;
    case 5 << 3 | 2: fst_reg(c, r, false); return;
    case 5 << 3 | 3: fst_reg(c, r, true); return;
    case 5 << 3 | 4: /* FUCOM */
    case 5 << 3 | 5: { /* FUCOMP */
        struct f80_env e = x87_env(f, false);
        do_compare(f, x87_st(f, 0), x87_st(f, r), true, reg == 5, x87_is_empty(f, 0) || x87_is_empty(f, r), &e);
        return;
    }
    default: cpu_raise_ud(c);
    }
}

/* 9B: WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set, then any pending
 * unmasked exception (SDM vol. 2 "WAIT/FWAIT", vol. 3 Table 2-2). */
static void fwait(struct cpu *c, const struct insn *i)
{
    if ((c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        cpu_raise(c, EXC_NM, NO_ERROR_CODE);
    if (c->model != CPU_MODEL_80286)
        x87_check_pending(c);
}

/* Every x87 instruction may change FSW.ES, and with it FERR#. */
static void x87_reg_ferr(struct cpu *c, const struct insn *i)
{
    x87_reg(c, i);
    x87_ferr_sync(c);
}
static void x87_mem_ferr(struct cpu *c, const struct insn *i)
{
    x87_mem(c, i);
    x87_ferr_sync(c);
}
static void x87_fxrstor_ferr(struct cpu *c, const struct insn *i)
{
    x87_fxrstor(c, i);
    x87_ferr_sync(c);
}

static const struct hset hs_x87 = {.r = {x87_reg_ferr, x87_reg_ferr, x87_reg_ferr, x87_reg_ferr},
                                   .m = {x87_mem_ferr, x87_mem_ferr, x87_mem_ferr, x87_mem_ferr}};
static const struct hset hs_fwait = {.r = {fwait, fwait, fwait, fwait}, .m = {fwait, fwait, fwait, fwait}};

static const struct hset hs_fxsave = {.r = {NULL}, .m = {x87_fxsave, x87_fxsave, x87_fxsave, x87_fxsave}};
static const struct hset hs_fxrstor = {.r = {NULL},
                                      .m = {x87_fxrstor_ferr, x87_fxrstor_ferr, x87_fxrstor_ferr, x87_fxrstor_ferr}};

const struct opdef x87_opdefs[] = {
    {0xD8, -1, OA_MODRM, &hs_x87}, {0xD9, -1, OA_MODRM, &hs_x87}, {0xDA, -1, OA_MODRM, &hs_x87},
    {0xDB, -1, OA_MODRM, &hs_x87}, {0xDC, -1, OA_MODRM, &hs_x87}, {0xDD, -1, OA_MODRM, &hs_x87},
    {0xDE, -1, OA_MODRM, &hs_x87}, {0xDF, -1, OA_MODRM, &hs_x87},
    {0x9B, -1, 0, &hs_fwait},
    {0x0FAE, 0, OA_MODRM | OA_MEMONLY | OA_386, &hs_fxsave},
    {0x0FAE, 1, OA_MODRM | OA_MEMONLY | OA_386, &hs_fxrstor},
    {0, 0, 0, NULL},
};
