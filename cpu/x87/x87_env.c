/* x87 state management (FNINIT state, reset, tag word, the #NM/#MF checks
 * and FERR#) and the environment and state images: FSTENV/FNSTENV, FLDENV, FSAVE/FNSAVE,
 * FRSTOR (SDM vol. 1 §8.1.10, Figures 8-9 to 8-12: 14- or 28-byte environment
 * by operand size, real-mode or protected-mode layout by the current mode)
 * and FXSAVE/FXRSTOR (SDM vol. 2 "FXSAVE", Table 3-53: 512-byte area, 16-byte
 * aligned, with MXCSR and XMM0-7, or XMM0-15 in 64-bit mode).  Every image is read completely, or checked for writing
 * completely, before any state changes. */
#include "x87_internal.h"

#include "cpu/sse/sse.h"

/* ---- state, reset and the exception checks every x87 instruction makes ---- */

void x87_check_nm(struct cpu *c)
{
    /* SDM vol. 3 §2.5 and Table 2-2: EM or TS makes x87 instructions #NM. */
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_raise(c, EXC_NM, NO_ERROR_CODE);
}

void x87_check_pending(struct cpu *c)
{
    /* SDM vol. 1 §8.6-8.7: an unmasked exception is reported at the next
     * waiting x87 instruction: #MF with CR0.NE = 1; with NE = 0 the FERR#
     * pin (x87_ferr) is asserted instead and the instruction goes on, as
     * if IGNNE# were asserted by the chipset. */
    if ((c->fpu.fsw & FSW_ES) && (c->cr0 & CR0_NE))
        cpu_raise(c, EXC_MF, NO_ERROR_CODE);
}

void x87_update_es(struct x87 *f)
{
    if (f->fsw & ~f->fcw & FSW_EXC)
        f->fsw |= FSW_ES | FSW_B;
    else
        f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

bool x87_ferr(const struct cpu *c) { return !(c->cr0 & CR0_NE) && (c->fpu.fsw & FSW_ES); }

void x87_ferr_sync(struct cpu *c)
{
    bool level = x87_ferr(c);
    if (level != c->ferr_level) {
        c->ferr_level = level;
        if (c->bus.ferr)
            c->bus.ferr(c->bus.opaque, level);
    }
}

void x87_init(struct x87 *f)
{
    f->fcw = 0x037F;
    f->fsw = 0;
    f->top = 0;
    f->empty = 0xFF;
    f->fop = 0;
    f->fcs = f->fds = 0;
    f->fip = f->fdp = 0;
}

void x87_reset(struct x87 *f)
{
    for (int k = 0; k < 8; k++)
        f->reg[k] = F80_ZERO_POS;
    x87_init(f);
    f->mxcsr = 0x1F80;
}

uint16_t x87_status_word(const struct x87 *f) { return (uint16_t)((f->fsw & ~0x3800u) | (f->top << 11)); }

uint16_t x87_tag_word(const struct x87 *f)
{
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t;
        if ((f->empty >> p) & 1) {
            t = 3;
        } else {
            enum f80_class k = f80_classify(f->reg[p]);
            t = k == F80_ZERO ? 1 : k == F80_NORMAL ? 0 : 2; /* special: NaN, inf, denormal, unsupported */
        }
        tw |= (uint16_t)(t << (2 * p));
    }
    return tw;
}

/* ---- environment images ---- */

/* Real-address and virtual-8086 mode use the real-mode layouts. */
static bool real_layout(const struct cpu *c) { return !(c->cr0 & CR0_PE) || (c->eflags & F_VM); }

static unsigned env_bytes(const struct insn *i) { return i->osize == 2 ? 14 : 28; }

static void store_env(struct cpu *c, const struct insn *i, uint8_t *b)
{
    const struct x87 *f = &c->fpu;
    uint16_t cw = f->fcw, sw = x87_status_word(f), tw = x87_tag_word(f);
    bool real = real_layout(c);
    /* real-mode layouts hold 20/32-bit linear pointers (selector * 16 + offset) */
    uint32_t ip = real ? (uint32_t)(f->fcs << 4) + (uint32_t)f->fip : (uint32_t)f->fip;
    uint32_t dp = real ? (uint32_t)(f->fds << 4) + (uint32_t)f->fdp : (uint32_t)f->fdp;
    if (i->osize == 2) {
        put_le(b + 0, cw, 2);
        put_le(b + 2, sw, 2);
        put_le(b + 4, tw, 2);
        put_le(b + 6, ip & 0xFFFF, 2);
        put_le(b + 10, dp & 0xFFFF, 2);
        if (real) {
            put_le(b + 8, ((ip >> 16) & 0xF) << 12 | (f->fop & 0x7FF), 2);
            put_le(b + 12, ((dp >> 16) & 0xF) << 12, 2);
        } else {
            put_le(b + 8, f->fcs, 2);
            put_le(b + 12, f->fds, 2);
        }
        return;
    }
    /* 32-bit layouts: the reserved upper halves are stored as ones. */
    put_le(b + 0, 0xFFFF0000u | cw, 4);
    put_le(b + 4, 0xFFFF0000u | sw, 4);
    put_le(b + 8, 0xFFFF0000u | tw, 4);
    if (real) {
        put_le(b + 12, 0xFFFF0000u | (ip & 0xFFFF), 4);
        put_le(b + 16, (ip >> 16) << 12 | (f->fop & 0x7FFu), 4);
        put_le(b + 20, 0xFFFF0000u | (dp & 0xFFFF), 4);
        put_le(b + 24, (dp >> 16) << 12, 4);
    } else {
        put_le(b + 12, ip, 4);
        put_le(b + 16, (uint32_t)f->fcs | (uint32_t)(f->fop & 0x7FF) << 16, 4);
        put_le(b + 20, dp, 4);
        put_le(b + 24, 0xFFFF0000u | f->fds, 4);
    }
}

static void load_env(struct cpu *c, const struct insn *i, const uint8_t *b)
{
    struct x87 *f = &c->fpu;
    bool real = real_layout(c);
    uint16_t cw, sw, tw;
    if (i->osize == 2) {
        cw = (uint16_t)get_le(b + 0, 2);
        sw = (uint16_t)get_le(b + 2, 2);
        tw = (uint16_t)get_le(b + 4, 2);
        if (real) {
            uint32_t w = (uint32_t)get_le(b + 8, 2);
            f->fip = get_le(b + 6, 2) | (uint64_t)(w >> 12) << 16;
            f->fop = w & 0x7FF;
            f->fdp = get_le(b + 10, 2) | (uint64_t)(get_le(b + 12, 2) >> 12) << 16;
            f->fcs = f->fds = 0;
        } else {
            f->fip = get_le(b + 6, 2);
            f->fcs = (uint16_t)get_le(b + 8, 2);
            f->fdp = get_le(b + 10, 2);
            f->fds = (uint16_t)get_le(b + 12, 2);
        }
    } else {
        cw = (uint16_t)get_le(b + 0, 2);
        sw = (uint16_t)get_le(b + 4, 2);
        tw = (uint16_t)get_le(b + 8, 2);
        if (real) {
            uint32_t w = (uint32_t)get_le(b + 16, 4);
            f->fip = get_le(b + 12, 2) | (uint64_t)((w >> 12) & 0xFFFF) << 16;
            f->fop = w & 0x7FF;
            f->fdp = get_le(b + 20, 2) | (uint64_t)((get_le(b + 24, 4) >> 12) & 0xFFFF) << 16;
            f->fcs = f->fds = 0;
        } else {
            uint32_t w = (uint32_t)get_le(b + 16, 4);
            f->fip = get_le(b + 12, 4);
            f->fcs = (uint16_t)w;
            f->fop = (w >> 16) & 0x7FF;
            f->fdp = get_le(b + 20, 4);
            f->fds = (uint16_t)get_le(b + 24, 2);
        }
    }
    f->fcw = x87_fcw_value(cw);
    f->top = (sw >> 11) & 7;
    f->fsw = sw & (uint16_t)~0x3800u;
    /* Only "empty or not" is taken from the tag word; the other tags follow the contents. */
    f->empty = 0;
    for (unsigned p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3) == 3)
            f->empty |= (uint8_t)(1u << p);
    x87_update_es(f);
}

void x87_fnstenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    store_env(c, i, b);
    x87_write_bytes(c, i->seg, insn_ea(c, i), b, env_bytes(i));
    /* then all exceptions are masked (SDM vol. 2 "FSTENV/FNSTENV") */
    c->fpu.fcw |= FCW_EXC_MASKS;
    x87_update_es(&c->fpu);
}

void x87_fldenv(struct cpu *c, const struct insn *i)
{
    uint8_t b[28];
    x87_read_bytes(c, i->seg, insn_ea(c, i), b, env_bytes(i));
    load_env(c, i, b);
}

void x87_fnsave(struct cpu *c, const struct insn *i)
{
    uint8_t b[28 + 80];
    unsigned n = env_bytes(i);
    store_env(c, i, b);
    for (unsigned k = 0; k < 8; k++)
        x87_put_f80(b + n + 10 * k, x87_st(&c->fpu, k));
    x87_write_bytes(c, i->seg, insn_ea(c, i), b, n + 80);
    x87_init(&c->fpu);
}

void x87_frstor(struct cpu *c, const struct insn *i)
{
    uint8_t b[28 + 80];
    unsigned n = env_bytes(i);
    x87_read_bytes(c, i->seg, insn_ea(c, i), b, n + 80);
    load_env(c, i, b);
    for (unsigned k = 0; k < 8; k++)
        c->fpu.reg[x87_phys(&c->fpu, k)] = x87_get_f80(b + n + 10 * k);
}

/* ---- FXSAVE / FXRSTOR (0F AE /0, /1) ---- */

/* The image (SDM vol. 2 "FXSAVE", Tables 3-53 to 3-56): x87 header and MXCSR at 0-31,
 * ST0-ST7 at 32-159, XMM0-XMM7 at 160-287, XMM8-XMM15 at 288-415 (64-bit mode only;
 * outside it those bytes are left as they are).  Bytes 416-511 are never written. */
#define FXSAVE_XMM_OFF 160
static unsigned fx_xmm_regs(const struct cpu *c) { return c->mode64 ? 16 : 8; }
static unsigned fx_bytes(const struct cpu *c) { return FXSAVE_XMM_OFF + 16 * fx_xmm_regs(c); }

static uint64_t fx_address(struct cpu *c, const struct insn *i, bool write)
{
    uint64_t ea = insn_ea(c, i);
    uint64_t lin = write ? seg_linear_w(c, i->seg, ea, 512) : seg_linear(c, i->seg, ea, 512);
    if (lin & 15)
        cpu_raise_gp0(c); /* the area must be 16-byte aligned */
    return ea;
}

void x87_fxsave(struct cpu *c, const struct insn *i)
{
    x87_check_nm(c);
    const struct x87 *f = &c->fpu;
    uint64_t ea = fx_address(c, i, true);
    uint8_t b[FXSAVE_XMM_OFF + 16 * 16] = {0};
    put_le(b + 0, f->fcw, 2);
    put_le(b + 2, x87_status_word(f), 2);
    b[4] = x87_abridged_tag(f);
    put_le(b + 6, f->fop, 2);
    if (i->osize == 8) { /* REX.W: 64-bit pointers */
        put_le(b + 8, f->fip, 8);
        put_le(b + 16, f->fdp, 8);
    } else {
        put_le(b + 8, (uint32_t)f->fip, 4);
        put_le(b + 12, f->fcs, 2);
        put_le(b + 16, (uint32_t)f->fdp, 4);
        put_le(b + 20, f->fds, 2);
    }
    put_le(b + 24, f->mxcsr, 4);
    put_le(b + 28, MXCSR_MASK, 4);
    for (unsigned k = 0; k < 8; k++)
        x87_put_f80(b + 32 + 16 * k, x87_st(f, k));
    /* The XMM registers are saved whatever CR4.OSFXSR says (the SDM makes that
     * implementation dependent; Intel processors save them). */
    for (unsigned k = 0; k < fx_xmm_regs(c); k++)
        for (unsigned q = 0; q < 2; q++)
            put_le(b + FXSAVE_XMM_OFF + 16 * k + 8 * q, c->sse.xmm[k].q[q], 8);
    (void)x87_lin_w(c, i->seg, ea, 512);
    x87_write_bytes(c, i->seg, ea, b, fx_bytes(c));
}

void x87_fxrstor(struct cpu *c, const struct insn *i)
{
    x87_check_nm(c);
    uint64_t ea = fx_address(c, i, false);
    uint8_t b[FXSAVE_XMM_OFF + 16 * 16];
    x87_read_bytes(c, i->seg, ea, b, fx_bytes(c));
    uint32_t mxcsr = (uint32_t)get_le(b + 24, 4);
    if (mxcsr & ~MXCSR_MASK)
        cpu_raise_gp0(c);
    struct x87 *f = &c->fpu;
    f->fcw = x87_fcw_value((uint16_t)get_le(b + 0, 2));
    uint16_t sw = (uint16_t)get_le(b + 2, 2);
    f->top = (sw >> 11) & 7;
    f->fsw = sw & (uint16_t)~0x3800u;
    f->empty = (uint8_t)~b[4];
    f->fop = (uint16_t)get_le(b + 6, 2) & 0x7FF;
    if (i->osize == 8) {
        f->fip = get_le(b + 8, 8);
        f->fdp = get_le(b + 16, 8);
    } else {
        f->fip = get_le(b + 8, 4);
        f->fcs = (uint16_t)get_le(b + 12, 2);
        f->fdp = get_le(b + 16, 4);
        f->fds = (uint16_t)get_le(b + 20, 2);
    }
    f->mxcsr = mxcsr;
    for (unsigned k = 0; k < 8; k++)
        f->reg[x87_phys(f, k)] = x87_get_f80(b + 32 + 16 * k);
    for (unsigned k = 0; k < fx_xmm_regs(c); k++)
        for (unsigned q = 0; q < 2; q++)
            c->sse.xmm[k].q[q] = get_le(b + FXSAVE_XMM_OFF + 16 * k + 8 * q, 8);
    x87_update_es(f);
}
