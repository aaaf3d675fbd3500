/* MMX/SSE/SSE2/SSE3 data movement (SDM vol. 2, one page per instruction):
 *   0F 10/11  MOVUPS MOVUPD MOVSS MOVSD          0F 12/13  MOVLPS MOVHLPS MOVLPD MOVSLDUP MOVDDUP
 *   0F 16/17  MOVHPS MOVLHPS MOVHPD MOVSHDUP     0F 28/29  MOVAPS MOVAPD
 *   0F 2B     MOVNTPS MOVNTPD                    0F 50     MOVMSKPS MOVMSKPD
 *   0F 6E/7E  MOVD/MOVQ (GPR forms), MOVQ xmm    0F 6F/7F  MOVQ mm, MOVDQA, MOVDQU
 *   0F D6     MOVQ xmm/m64, MOVQ2DQ, MOVDQ2Q     0F D7     PMOVMSKB
 *   0F C3     MOVNTI                             0F E7     MOVNTQ MOVNTDQ
 *   0F F0     LDDQU                              0F F7     MASKMOVQ MASKMOVDQU
 * Non-temporal hints mean nothing without caches: the stores are plain stores
 * (with the alignment rule of their 128-bit forms). */
#include "sse.h"

#include "cpu/x87/x87.h"

/* ---- 0F 10 / 0F 11 ---- */

static void movups_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg v;
    sse_src128(c, i, &v, false);
    *xmm(c, i->reg) = v;
}
static void movups_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i))
        sse_write128(c, i, xmm(c, i->reg), false);
    else
        *xmm(c, i->rm) = *xmm(c, i->reg);
}
/* MOVSS/MOVSD: a memory source clears the rest of the register; a register source merges. */
static void movss_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i)) {
        xmm_reg v = {.d = {sse_read32(c, i), 0, 0, 0}};
        *xmm(c, i->reg) = v;
    } else {
        xmm(c, i->reg)->d[0] = xmm(c, i->rm)->d[0];
    }
}
static void movsd_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i)) {
        xmm_reg v = {.q = {sse_read64(c, i), 0}};
        *xmm(c, i->reg) = v;
    } else {
        xmm(c, i->reg)->q[0] = xmm(c, i->rm)->q[0];
    }
}
static void movss_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i))
        sse_write32(c, i, xmm(c, i->reg)->d[0]);
    else
        xmm(c, i->rm)->d[0] = xmm(c, i->reg)->d[0];
}
static void movsd_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i))
        sse_write64(c, i, xmm(c, i->reg)->q[0]);
    else
        xmm(c, i->rm)->q[0] = xmm(c, i->reg)->q[0];
}
HSET_PFX(mov_10, movups_load, movups_load, movss_load, movsd_load);
HSET_PFX(mov_11, movups_store, movups_store, movss_store, movsd_store);

/* ---- 0F 12 / 0F 13 / 0F 16 / 0F 17: low and high quadwords ---- */

/* MOVLPS/MOVLPD xmm, m64; MOVHLPS xmm, xmm (the register form of 0F 12). */
static void movlps_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm(c, i->reg)->q[0] = SSE_MEM(i) ? sse_read64(c, i) : xmm(c, i->rm)->q[1];
}
/* MOVHPS/MOVHPD xmm, m64; MOVLHPS xmm, xmm (the register form of 0F 16). */
static void movhps_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm(c, i->reg)->q[1] = SSE_MEM(i) ? sse_read64(c, i) : xmm(c, i->rm)->q[0];
}
static void movlps_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    sse_write64(c, i, xmm(c, i->reg)->q[0]);
}
static void movhps_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    sse_write64(c, i, xmm(c, i->reg)->q[1]);
}
/* SSE3 MOVSLDUP/MOVSHDUP (m128 aligned in the legacy encoding), MOVDDUP (m64). */
static void movsldup(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg d = {.d = {s.d[0], s.d[0], s.d[2], s.d[2]}};
    *xmm(c, i->reg) = d;
}
static void movshdup(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg s;
    sse_src128(c, i, &s, true);
    xmm_reg d = {.d = {s.d[1], s.d[1], s.d[3], s.d[3]}};
    *xmm(c, i->reg) = d;
}
static void movddup(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint64_t v = sse_src64(c, i);
    xmm_reg d = {.q = {v, v}};
    *xmm(c, i->reg) = d;
}
HSET_PFX_RM(mov_12, movlps_load, NULL, movsldup, movddup, movlps_load, movlps_load, movsldup, movddup);
HSET_PFX_RM(mov_13, NULL, NULL, NULL, NULL, movlps_store, movlps_store, NULL, NULL);
HSET_PFX_RM(mov_16, movhps_load, NULL, movshdup, NULL, movhps_load, movhps_load, movshdup, NULL);
HSET_PFX_RM(mov_17, NULL, NULL, NULL, NULL, movhps_store, movhps_store, NULL, NULL);

/* ---- 0F 28 / 0F 29 / 0F 2B: aligned moves ---- */

static void movaps_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg v;
    sse_src128(c, i, &v, true);
    *xmm(c, i->reg) = v;
}
static void movaps_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i))
        sse_write128(c, i, xmm(c, i->reg), true);
    else
        *xmm(c, i->rm) = *xmm(c, i->reg);
}
HSET_PFX(mov_28, movaps_load, movaps_load, NULL, NULL);
HSET_PFX(mov_29, movaps_store, movaps_store, NULL, NULL);
HSET_PFX_RM(mov_2b, NULL, NULL, NULL, NULL, movaps_store, movaps_store, NULL, NULL);

/* ---- 0F 50: MOVMSKPS/MOVMSKPD r32/r64, xmm (the upper bits of the GPR are cleared) ---- */

static void movmskps(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    const xmm_reg *s = xmm(c, i->rm);
    unsigned m = 0;
    for (unsigned k = 0; k < 4; k++)
        m |= (s->d[k] >> 31) << k;
    set_reg64(c, i->reg, m);
}
static void movmskpd(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    const xmm_reg *s = xmm(c, i->rm);
    set_reg64(c, i->reg, (s->q[0] >> 63) | (s->q[1] >> 63) << 1);
}
HSET_PFX_RM(mov_50, movmskps, movmskpd, NULL, NULL, NULL, NULL, NULL, NULL);

/* ---- 0F 6E / 0F 7E: MOVD/MOVQ between GPRs or memory and MMX/XMM registers ---- */

static void movd_to_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    uint64_t v = rm_read(c, i, i->osize, SSE_MEM(i));
    mmx_set(c, i->reg, v);
}
static void movd_to_xmm(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg v = {.q = {rm_read(c, i, i->osize, SSE_MEM(i)), 0}};
    *xmm(c, i->reg) = v;
}
static void movd_from_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    rm_write(c, i, i->osize, SSE_MEM(i), mmx_get(c, i->reg)); /* a 32-bit GPR is zero-extended */
    mmx_enter(c);
}
static void movd_from_xmm(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    rm_write(c, i, i->osize, SSE_MEM(i), xmm(c, i->reg)->q[0]);
}
/* F3 0F 7E: MOVQ xmm, xmm/m64 (upper quadword cleared). */
static void movq_xmm_load(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg v = {.q = {sse_src64(c, i), 0}};
    *xmm(c, i->reg) = v;
}
HSET_PFX(mov_6e, movd_to_mm, movd_to_xmm, NULL, NULL);
HSET_PFX(mov_7e, movd_from_mm, movd_from_xmm, movq_xmm_load, NULL);

/* ---- 0F 6F / 0F 7F: MOVQ mm, MOVDQA, MOVDQU ---- */

static void movq_mm_load(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    mmx_set(c, i->reg, mmx_src64(c, i));
}
static void movq_mm_store(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    if (SSE_MEM(i))
        sse_write64(c, i, mmx_get(c, i->reg));
    else
        mmx_set(c, i->rm, mmx_get(c, i->reg));
    mmx_enter(c);
}
HSET_PFX(mov_6f, movq_mm_load, movaps_load, movups_load, NULL);
HSET_PFX(mov_7f, movq_mm_store, movaps_store, movups_store, NULL);

/* ---- 0F D6: MOVQ xmm/m64, xmm (66); MOVQ2DQ xmm, mm (F3); MOVDQ2Q mm, xmm (F2) ---- */

static void movq_xmm_store(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    if (SSE_MEM(i)) {
        sse_write64(c, i, xmm(c, i->reg)->q[0]);
    } else {
        xmm_reg v = {.q = {xmm(c, i->reg)->q[0], 0}};
        *xmm(c, i->rm) = v;
    }
}
/* Both touch MMX state: the SSE checks, then the x87 pending-exception check (#MF). */
static void movq2dq(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    x87_check_pending(c);
    xmm_reg v = {.q = {mmx_get(c, i->rm), 0}};
    *xmm(c, i->reg) = v;
    mmx_enter(c);
}
static void movdq2q(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    x87_check_pending(c);
    mmx_set(c, i->reg, xmm(c, i->rm)->q[0]);
}
HSET_PFX_RM(mov_d6, NULL, movq_xmm_store, movq2dq, movdq2q, NULL, movq_xmm_store, NULL, NULL);

/* ---- 0F D7: PMOVMSKB r32/r64, mm/xmm ---- */

static void pmovmskb_mm(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    uint64_t v = mmx_get(c, i->rm);
    unsigned m = 0;
    for (unsigned k = 0; k < 8; k++)
        m |= (unsigned)((v >> (8 * k + 7)) & 1) << k;
    set_reg64(c, i->reg, m);
    mmx_enter(c);
}
static void pmovmskb_xmm(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    const xmm_reg *s = xmm(c, i->rm);
    unsigned m = 0;
    for (unsigned k = 0; k < 16; k++)
        m |= (unsigned)(s->b[k] >> 7) << k;
    set_reg64(c, i->reg, m);
}
HSET_PFX_RM(mov_d7, pmovmskb_mm, pmovmskb_xmm, NULL, NULL, NULL, NULL, NULL, NULL);

/* ---- 0F C3: MOVNTI m32/m64, r32/r64 (an integer store: no CR0/CR4 conditions) ---- */

static void movnti(struct cpu *c, const struct insn *i)
{
    mem_write(c, i->seg, insn_ea(c, i), reg_get(c, i->reg, i->osize), i->osize);
}
HSET_PFX_RM(mov_c3, NULL, NULL, NULL, NULL, movnti, NULL, NULL, NULL);

/* ---- 0F E7: MOVNTQ m64, mm; MOVNTDQ m128, xmm ---- */

static void movntq(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    sse_write64(c, i, mmx_get(c, i->reg));
    mmx_enter(c);
}
HSET_PFX_RM(mov_e7, NULL, NULL, NULL, NULL, movntq, movaps_store, NULL, NULL);

/* ---- F2 0F F0: LDDQU xmm, m128 (never an alignment fault) ---- */

HSET_PFX_RM(mov_f0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, movups_load);

/* ---- 0F F7: MASKMOVQ mm, mm; MASKMOVDQU xmm, xmm ----
 * Stores the bytes of the first operand whose mask byte (second operand) has
 * its top bit set, at DS:rDI (a segment override applies), rDI by address size.
 * The whole range is checked for writing first (the SDM allows a fault even
 * with an all-zero mask), then only the selected bytes are written. */
static void maskmov_store(struct cpu *c, const struct insn *i, const uint8_t *data, const uint8_t *mask, unsigned n)
{
    unsigned seg = i->seg_override != S_COUNT ? i->seg_override : S_DS;
    uint64_t off = c->regs[R_DI] & size_mask(i->asize);
    uint64_t lin = seg_linear_w(c, seg, off, n);
    mmu_probe_write(c, lin, n);
    for (unsigned k = 0; k < n; k++)
        if (mask[k] & 0x80)
            lin_write(c, (lin + k) & c->lin_mask, data[k], 1);
}
static void maskmovq(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    xmm_reg d = {.q = {mmx_get(c, i->reg), 0}}, m = {.q = {mmx_get(c, i->rm), 0}};
    maskmov_store(c, i, d.b, m.b, 8);
    mmx_enter(c);
}
static void maskmovdqu(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    xmm_reg d = *xmm(c, i->reg), m = *xmm(c, i->rm);
    maskmov_store(c, i, d.b, m.b, 16);
}
HSET_PFX_RM(mov_f7, maskmovq, maskmovdqu, NULL, NULL, NULL, NULL, NULL, NULL);

#define P (OA_MODRM | OA_PFX | OA_386)
const struct opdef sse_mov_opdefs[] = {
    {0x0F10, -1, P, &hs_mov_10}, {0x0F11, -1, P, &hs_mov_11}, {0x0F12, -1, P, &hs_mov_12},
    {0x0F13, -1, P, &hs_mov_13}, {0x0F16, -1, P, &hs_mov_16}, {0x0F17, -1, P, &hs_mov_17},
    {0x0F28, -1, P, &hs_mov_28}, {0x0F29, -1, P, &hs_mov_29}, {0x0F2B, -1, P, &hs_mov_2b},
    {0x0F50, -1, P, &hs_mov_50}, {0x0F6E, -1, P, &hs_mov_6e}, {0x0F7E, -1, P, &hs_mov_7e},
    {0x0F6F, -1, P, &hs_mov_6f}, {0x0F7F, -1, P, &hs_mov_7f}, {0x0FD6, -1, P, &hs_mov_d6},
    {0x0FD7, -1, P, &hs_mov_d7}, {0x0FC3, -1, P, &hs_mov_c3}, {0x0FE7, -1, P, &hs_mov_e7},
    {0x0FF0, -1, P, &hs_mov_f0}, {0x0FF7, -1, P, &hs_mov_f7},
    {0, 0, 0, NULL},
};
