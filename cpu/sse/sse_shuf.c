/* MMX/SSE/SSE2 unpacks, packs, shuffles and word insert/extract (SDM vol. 2):
 *   PUNPCKL BW WD DQ (0F 60-62), PUNPCKH BW WD DQ (68-6A), PUNPCKLQDQ/HQDQ (66 6C/6D),
 *   UNPCKLPS/PD, UNPCKHPS/PD (0F 14/15), PACKSSWB 63, PACKUSWB 67, PACKSSDW 6B,
 *   PSHUFW/PSHUFD/PSHUFHW/PSHUFLW (0F 70), SHUFPS/SHUFPD (0F C6),
 *   PINSRW (0F C4), PEXTRW (0F C5). */
#include "sse.h"

#include <string.h>

/* Interleave the lanes of the low (or high) halves of d and s: d0 s0 d1 s1 ... */
static void unpack(xmm_reg *d, const xmm_reg *s, unsigned n, unsigned lane, bool high)
{
    xmm_reg r;
    unsigned base = high ? n / 2 : 0;
    for (unsigned k = 0; k < n / lane / 2; k++) {
        memcpy(r.b + 2 * k * lane, d->b + base + k * lane, lane);
        memcpy(r.b + (2 * k + 1) * lane, s->b + base + k * lane, lane);
    }
    memcpy(d->b, r.b, n);
}
#define UNPACK_VOP(name, lane, high)                                                                         \
    static void name(xmm_reg *d, const xmm_reg *s, unsigned n) { unpack(d, s, n, lane, high); }
UNPACK_VOP(v_punpcklbw, 1, false)
UNPACK_VOP(v_punpcklwd, 2, false)
UNPACK_VOP(v_punpckldq, 4, false)
UNPACK_VOP(v_punpcklqdq, 8, false)
UNPACK_VOP(v_punpckhbw, 1, true)
UNPACK_VOP(v_punpckhwd, 2, true)
UNPACK_VOP(v_punpckhdq, 4, true)
UNPACK_VOP(v_punpckhqdq, 8, true)

/* Packs: the lanes of d, then those of s, narrowed with saturation. */
static void v_packsswb(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    xmm_reg r;
    for (unsigned k = 0; k < n / 2; k++) {
        r.b[k] = sat_s8((int16_t)d->w[k]);
        r.b[k + n / 2] = sat_s8((int16_t)s->w[k]);
    }
    memcpy(d->b, r.b, n);
}
static void v_packuswb(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    xmm_reg r;
    for (unsigned k = 0; k < n / 2; k++) {
        r.b[k] = sat_u8((int16_t)d->w[k]);
        r.b[k + n / 2] = sat_u8((int16_t)s->w[k]);
    }
    memcpy(d->b, r.b, n);
}
static void v_packssdw(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    xmm_reg r;
    for (unsigned k = 0; k < n / 4; k++) {
        r.w[k] = sat_s16((int32_t)d->d[k]);
        r.w[k + n / 4] = sat_s16((int32_t)s->d[k]);
    }
    memcpy(d->b, r.b, n);
}

SSE_BINOP(punpcklbw, v_punpcklbw);
SSE_BINOP(punpcklwd, v_punpcklwd);
SSE_BINOP(punpckldq, v_punpckldq);
SSE_BINOP_X(punpcklqdq, v_punpcklqdq);
SSE_BINOP(punpckhbw, v_punpckhbw);
SSE_BINOP(punpckhwd, v_punpckhwd);
SSE_BINOP(punpckhdq, v_punpckhdq);
SSE_BINOP_X(punpckhqdq, v_punpckhqdq);
SSE_BINOP(packsswb, v_packsswb);
SSE_BINOP(packuswb, v_packuswb);
SSE_BINOP(packssdw, v_packssdw);

/* 0F 14/15: UNPCKLPS = dword interleave, UNPCKLPD = quadword interleave (and the high forms). */
static void unpcklps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_punpckldq); }
static void unpcklpd(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_punpcklqdq); }
static void unpckhps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_punpckhdq); }
static void unpckhpd(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_punpckhqdq); }
HSET_PFX(unpckl, unpcklps, unpcklpd, NULL, NULL);
HSET_PFX(unpckh, unpckhps, unpckhpd, NULL, NULL);

/* ---- 0F 70: PSHUFW mm (none), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2) ---- */

static void pshufw(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    uint64_t s = mmx_src64(c, i), r = 0;
    for (unsigned k = 0; k < 4; k++)
        r |= ((s >> (16 * ((i->imm >> (2 * k)) & 3))) & 0xFFFF) << (16 * k);
    mmx_set(c, i->reg, r);
}
static void pshufd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s, r;
    sse_src128(c, i, &s, true);
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = s.d[(i->imm >> (2 * k)) & 3];
    *xmm(c, i->reg) = r;
}
/* The words of one quadword (half 0 or 1) shuffled; the other quadword copied. */
static void pshuf_half(struct cpu *c, const struct insn *i, unsigned half)
{
    sse_check(c);
    xmm_reg s, r;
    sse_src128(c, i, &s, true);
    r = s;
    for (unsigned k = 0; k < 4; k++)
        r.w[4 * half + k] = s.w[4 * half + ((i->imm >> (2 * k)) & 3)];
    *xmm(c, i->reg) = r;
}
static void pshufhw(struct cpu *c, const struct insn *i) { pshuf_half(c, i, 1); }
static void pshuflw(struct cpu *c, const struct insn *i) { pshuf_half(c, i, 0); }
HSET_PFX(pshuf, pshufw, pshufd, pshufhw, pshuflw);

/* ---- 0F C6: SHUFPS (none), SHUFPD (66): low result lanes from the destination, high from the source ---- */

static void shufps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg *d = xmm(c, i->reg);
    unsigned m = (unsigned)i->imm;
    xmm_reg r = {.d = {d->d[m & 3], d->d[(m >> 2) & 3], s.d[(m >> 4) & 3], s.d[(m >> 6) & 3]}};
    *d = r;
}
static void shufpd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg *d = xmm(c, i->reg);
    xmm_reg r = {.q = {d->q[i->imm & 1], s.q[(i->imm >> 1) & 1]}};
    *d = r;
}
HSET_PFX(shufp, shufps, shufpd, NULL, NULL);

/* ---- 0F C4: PINSRW mm/xmm, r32/m16, imm8; 0F C5: PEXTRW r32, mm/xmm, imm8 ---- */

static uint16_t pinsrw_src(struct cpu *c, const struct insn *i)
{
    return (uint16_t)((i->flags & INSN_MEM) ? mem_read(c, i->seg, insn_ea(c, i), 2) : c->regs[i->rm]);
}
static void pinsrw_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    uint16_t v = pinsrw_src(c, i);
    unsigned sh = 16 * (unsigned)(i->imm & 3);
    mmx_set(c, i->reg, (mmx_get(c, i->reg) & ~(0xFFFFull << sh)) | (uint64_t)v << sh);
}
static void pinsrw_x(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint16_t v = pinsrw_src(c, i);
    xmm(c, i->reg)->w[i->imm & 7] = v;
}
static void pextrw_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    set_reg64(c, i->reg, (mmx_get(c, i->rm) >> (16 * (i->imm & 3))) & 0xFFFF);
    mmx_enter(c);
}
static void pextrw_x(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    set_reg64(c, i->reg, xmm(c, i->rm)->w[i->imm & 7]);
}
HSET_PFX(pinsrw, pinsrw_mm, pinsrw_x, NULL, NULL);
HSET_PFX_RM(pextrw, pextrw_mm, pextrw_x, NULL, NULL, NULL, NULL, NULL, NULL);

#define P (OA_MODRM | OA_PFX | OA_386)
#define PI (OA_MODRM | OA_PFX | OA_386 | OA_IMM(IMM_8))
const struct opdef sse_shuf_opdefs[] = {
    {0x0F60, -1, P, &hs_punpcklbw}, {0x0F61, -1, P, &hs_punpcklwd}, {0x0F62, -1, P, &hs_punpckldq},
    {0x0F63, -1, P, &hs_packsswb}, {0x0F67, -1, P, &hs_packuswb},
    {0x0F68, -1, P, &hs_punpckhbw}, {0x0F69, -1, P, &hs_punpckhwd}, {0x0F6A, -1, P, &hs_punpckhdq},
    {0x0F6B, -1, P, &hs_packssdw}, {0x0F6C, -1, P, &hs_punpcklqdq}, {0x0F6D, -1, P, &hs_punpckhqdq},
    {0x0F14, -1, P, &hs_unpckl}, {0x0F15, -1, P, &hs_unpckh},
    {0x0F70, -1, PI, &hs_pshuf}, {0x0FC6, -1, PI, &hs_shufp},
    {0x0FC4, -1, PI, &hs_pinsrw}, {0x0FC5, -1, PI, &hs_pextrw},
    {0, 0, 0, NULL},
};
