/* MMX and SSE2 packed integer arithmetic, compares, logic and shifts (SDM
 * vol. 2; opcode map App. A).  Each two-operand instruction has an MMX form
 * (no prefix: mm, mm/m64) and an SSE2 form (66: xmm, xmm/m128) computed by the
 * same lane function over 8 or 16 bytes:
 *   PADD/PSUB B W D Q (FC-FE D4 F8-FB), saturating PADDS/PSUBS B W (EC ED E8 E9),
 *   PADDUS/PSUBUS B W (DC DD D8 D9), PMULLW D5, PMULHW E5, PMULHUW E4, PMULUDQ F4,
 *   PMADDWD F5, PAVGB E0, PAVGW E3, PMINUB DA, PMAXUB DE, PMINSW EA, PMAXSW EE,
 *   PSADBW F6, PCMPEQ B W D (74-76), PCMPGT B W D (64-66), PAND DB, PANDN DF,
 *   POR EB, PXOR EF, shifts by mm/xmm/m: PSRL W D Q (D1-D3), PSRA W D (E1 E2),
 *   PSLL W D Q (F1-F3), and by an immediate (groups 0F 71, 72, 73 incl.
 *   PSRLDQ/PSLLDQ).  ANDPS/ANDNPS/ORPS/XORPS and their PD forms (0F 54-57) are
 *   the same bitwise operations on XMM registers. */
#include "sse.h"

#define LANES(T, arr, expr)                                                                                  \
    do {                                                                                                    \
        for (unsigned k = 0; k < n / sizeof(T); k++) {                                                      \
            T a = d->arr[k], b = s->arr[k];                                                                 \
            d->arr[k] = (T)(expr);                                                                          \
            (void)a;                                                                                        \
            (void)b;                                                                                        \
        }                                                                                                   \
    } while (0)

#define VOP(name, T, arr, expr)                                                                              \
    static void name(xmm_reg *d, const xmm_reg *s, unsigned n) { LANES(T, arr, expr); }

/* ---- add, subtract (wrapping and saturating) ---- */
VOP(v_paddb, uint8_t, b, a + b)
VOP(v_paddw, uint16_t, w, a + b)
VOP(v_paddd, uint32_t, d, a + b)
VOP(v_paddq, uint64_t, q, a + b)
VOP(v_psubb, uint8_t, b, a - b)
VOP(v_psubw, uint16_t, w, a - b)
VOP(v_psubd, uint32_t, d, a - b)
VOP(v_psubq, uint64_t, q, a - b)
VOP(v_paddsb, uint8_t, b, sat_s8((int8_t)a + (int8_t)b))
VOP(v_paddsw, uint16_t, w, sat_s16((int16_t)a + (int16_t)b))
VOP(v_psubsb, uint8_t, b, sat_s8((int8_t)a - (int8_t)b))
VOP(v_psubsw, uint16_t, w, sat_s16((int16_t)a - (int16_t)b))
VOP(v_paddusb, uint8_t, b, sat_u8(a + b))
VOP(v_paddusw, uint16_t, w, sat_u16((int32_t)a + b))
VOP(v_psubusb, uint8_t, b, sat_u8(a - b))
VOP(v_psubusw, uint16_t, w, sat_u16((int32_t)a - b))

/* ---- multiply ---- */
VOP(v_pmullw, uint16_t, w, (uint32_t)((int32_t)(int16_t)a * (int16_t)b))
VOP(v_pmulhw, uint16_t, w, (uint32_t)((int32_t)(int16_t)a * (int16_t)b) >> 16)
VOP(v_pmulhuw, uint16_t, w, ((uint32_t)a * b) >> 16)
/* PMULUDQ: the low doubleword of each quadword lane, unsigned, 64-bit product. */
VOP(v_pmuludq, uint64_t, q, (a & 0xFFFFFFFFu) * (b & 0xFFFFFFFFu))
/* PMADDWD: adjacent signed word products summed into a doubleword; the only
 * overflow (all four words 8000h) wraps to 80000000h (SDM vol. 2 "PMADDWD"). */
static void v_pmaddwd(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    for (unsigned k = 0; k < n / 4; k++) {
        int64_t p = (int64_t)(int16_t)d->w[2 * k] * (int16_t)s->w[2 * k] +
                    (int64_t)(int16_t)d->w[2 * k + 1] * (int16_t)s->w[2 * k + 1];
        d->d[k] = (uint32_t)p;
    }
}

/* ---- average, min/max, sum of absolute differences ---- */
VOP(v_pavgb, uint8_t, b, ((unsigned)a + b + 1) >> 1)
VOP(v_pavgw, uint16_t, w, ((uint32_t)a + b + 1) >> 1)
VOP(v_pminub, uint8_t, b, a < b ? a : b)
VOP(v_pmaxub, uint8_t, b, a > b ? a : b)
VOP(v_pminsw, uint16_t, w, (int16_t)a < (int16_t)b ? a : b)
VOP(v_pmaxsw, uint16_t, w, (int16_t)a > (int16_t)b ? a : b)
static void v_psadbw(xmm_reg *d, const xmm_reg *s, unsigned n)
{
    for (unsigned l = 0; l < n / 8; l++) {
        unsigned sum = 0;
        for (unsigned k = 0; k < 8; k++) {
            int diff = d->b[8 * l + k] - s->b[8 * l + k];
            sum += (unsigned)(diff < 0 ? -diff : diff);
        }
        d->q[l] = sum; /* the rest of the quadword is cleared */
    }
}

/* ---- compares: all ones where true ---- */
VOP(v_pcmpeqb, uint8_t, b, a == b ? 0xFF : 0)
VOP(v_pcmpeqw, uint16_t, w, a == b ? 0xFFFF : 0)
VOP(v_pcmpeqd, uint32_t, d, a == b ? 0xFFFFFFFFu : 0)
VOP(v_pcmpgtb, uint8_t, b, (int8_t)a > (int8_t)b ? 0xFF : 0)
VOP(v_pcmpgtw, uint16_t, w, (int16_t)a > (int16_t)b ? 0xFFFF : 0)
VOP(v_pcmpgtd, uint32_t, d, (int32_t)a > (int32_t)b ? 0xFFFFFFFFu : 0)

/* ---- logic ---- */
VOP(v_pand, uint64_t, q, a & b)
VOP(v_pandn, uint64_t, q, ~a & b)
VOP(v_por, uint64_t, q, a | b)
VOP(v_pxor, uint64_t, q, a ^ b)

/* ---- shifts: counts above the lane width give 0 (logical) or the sign (arithmetic) ---- */

static void shift_lanes(xmm_reg *d, unsigned n, unsigned lane, uint64_t count, int kind /* 0 srl, 1 sra, 2 sll */)
{
    unsigned bits = 8 * lane;
    for (unsigned k = 0; k < n / lane; k++) {
        uint64_t v = lane == 2 ? d->w[k] : lane == 4 ? d->d[k] : d->q[k];
        if (kind == 1) {
            int64_t sv = sign_extend(v, lane);
            v = (uint64_t)(sv >> (count >= bits ? bits - 1 : count));
        } else if (count >= bits) {
            v = 0;
        } else {
            v = kind == 0 ? v >> count : v << count;
        }
        if (lane == 2)
            d->w[k] = (uint16_t)v;
        else if (lane == 4)
            d->d[k] = (uint32_t)v;
        else
            d->q[k] = v;
    }
}
#define SHIFT_VOP(name, lane, kind)                                                                          \
    static void name(xmm_reg *d, const xmm_reg *s, unsigned n) { shift_lanes(d, n, lane, s->q[0], kind); }
SHIFT_VOP(v_psrlw, 2, 0)
SHIFT_VOP(v_psrld, 4, 0)
SHIFT_VOP(v_psrlq, 8, 0)
SHIFT_VOP(v_psraw, 2, 1)
SHIFT_VOP(v_psrad, 4, 1)
SHIFT_VOP(v_psllw, 2, 2)
SHIFT_VOP(v_pslld, 4, 2)
SHIFT_VOP(v_psllq, 8, 2)

SSE_BINOP(paddb, v_paddb);
SSE_BINOP(paddw, v_paddw);
SSE_BINOP(paddd, v_paddd);
SSE_BINOP(paddq, v_paddq);
SSE_BINOP(psubb, v_psubb);
SSE_BINOP(psubw, v_psubw);
SSE_BINOP(psubd, v_psubd);
SSE_BINOP(psubq, v_psubq);
SSE_BINOP(paddsb, v_paddsb);
SSE_BINOP(paddsw, v_paddsw);
SSE_BINOP(psubsb, v_psubsb);
SSE_BINOP(psubsw, v_psubsw);
SSE_BINOP(paddusb, v_paddusb);
SSE_BINOP(paddusw, v_paddusw);
SSE_BINOP(psubusb, v_psubusb);
SSE_BINOP(psubusw, v_psubusw);
SSE_BINOP(pmullw, v_pmullw);
SSE_BINOP(pmulhw, v_pmulhw);
SSE_BINOP(pmulhuw, v_pmulhuw);
SSE_BINOP(pmuludq, v_pmuludq);
SSE_BINOP(pmaddwd, v_pmaddwd);
SSE_BINOP(pavgb, v_pavgb);
SSE_BINOP(pavgw, v_pavgw);
SSE_BINOP(pminub, v_pminub);
SSE_BINOP(pmaxub, v_pmaxub);
SSE_BINOP(pminsw, v_pminsw);
SSE_BINOP(pmaxsw, v_pmaxsw);
SSE_BINOP(psadbw, v_psadbw);
SSE_BINOP(pcmpeqb, v_pcmpeqb);
SSE_BINOP(pcmpeqw, v_pcmpeqw);
SSE_BINOP(pcmpeqd, v_pcmpeqd);
SSE_BINOP(pcmpgtb, v_pcmpgtb);
SSE_BINOP(pcmpgtw, v_pcmpgtw);
SSE_BINOP(pcmpgtd, v_pcmpgtd);
SSE_BINOP(pand, v_pand);
SSE_BINOP(pandn, v_pandn);
SSE_BINOP(por, v_por);
SSE_BINOP(pxor, v_pxor);
SSE_BINOP(psrlw, v_psrlw);
SSE_BINOP(psrld, v_psrld);
SSE_BINOP(psrlq, v_psrlq);
SSE_BINOP(psraw, v_psraw);
SSE_BINOP(psrad, v_psrad);
SSE_BINOP(psllw, v_psllw);
SSE_BINOP(pslld, v_pslld);
SSE_BINOP(psllq, v_psllq);

/* 0F 54-57: ANDPS ANDNPS ORPS XORPS (no prefix) and ANDPD ANDNPD ORPD XORPD (66), both on XMM. */
static void andps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_pand); }
static void andnps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_pandn); }
static void orps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_por); }
static void xorps(struct cpu *c, const struct insn *i) { xmm_binop(c, i, v_pxor); }
HSET_PFX(andps, andps, andps, NULL, NULL);
HSET_PFX(andnps, andnps, andnps, NULL, NULL);
HSET_PFX(orps, orps, orps, NULL, NULL);
HSET_PFX(xorps, xorps, xorps, NULL, NULL);

/* ---- shifts by an immediate: groups 0F 71 (words), 72 (doublewords), 73 (quadwords,
 * and the 66-only byte shifts PSRLDQ /3 and PSLLDQ /7); register forms only ---- */

static void shift_imm_mm(struct cpu *c, const struct insn *i, unsigned lane, int kind)
{
    mmx_check(c);
    xmm_reg d = {.q = {mmx_get(c, i->rm), 0}};
    shift_lanes(&d, 8, lane, i->imm & 0xFF, kind);
    mmx_set(c, i->rm, d.q[0]);
}
static void shift_imm_x(struct cpu *c, const struct insn *i, unsigned lane, int kind)
{
    sse_check(c);
    shift_lanes(xmm(c, i->rm), 16, lane, i->imm & 0xFF, kind);
}
#define SHIFT_IMM(name, lane, kind)                                                                          \
    static void name##_mm(struct cpu *c, const struct insn *i) { shift_imm_mm(c, i, lane, kind); }          \
    static void name##_x(struct cpu *c, const struct insn *i) { shift_imm_x(c, i, lane, kind); }            \
    HSET_PFX_RM(name, name##_mm, name##_x, NULL, NULL, NULL, NULL, NULL, NULL)
SHIFT_IMM(psrlw_i, 2, 0);
SHIFT_IMM(psraw_i, 2, 1);
SHIFT_IMM(psllw_i, 2, 2);
SHIFT_IMM(psrld_i, 4, 0);
SHIFT_IMM(psrad_i, 4, 1);
SHIFT_IMM(pslld_i, 4, 2);
SHIFT_IMM(psrlq_i, 8, 0);
SHIFT_IMM(psllq_i, 8, 2);

/* PSRLDQ/PSLLDQ xmm, imm8: byte shifts of the whole register; counts above 15 clear it. */
static void psrldq(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    unsigned sh = (unsigned)(i->imm & 0xFF);
    xmm_reg *r = xmm(c, i->rm), v = {.q = {0, 0}};
    for (unsigned k = 0; k + sh < 16; k++)
        v.b[k] = r->b[k + sh];
    *r = v;
}
static void pslldq(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    unsigned sh = (unsigned)(i->imm & 0xFF);
    xmm_reg *r = xmm(c, i->rm), v = {.q = {0, 0}};
    for (unsigned k = sh; k < 16; k++)
        v.b[k] = r->b[k - sh];
    *r = v;
}
HSET_PFX_RM(psrldq, NULL, psrldq, NULL, NULL, NULL, NULL, NULL, NULL);
HSET_PFX_RM(pslldq, NULL, pslldq, NULL, NULL, NULL, NULL, NULL, NULL);

#define P (OA_MODRM | OA_PFX | OA_386)
#define PI (OA_MODRM | OA_PFX | OA_386 | OA_IMM(IMM_8))
const struct opdef sse_int_opdefs[] = {
    {0x0FFC, -1, P, &hs_paddb}, {0x0FFD, -1, P, &hs_paddw}, {0x0FFE, -1, P, &hs_paddd}, {0x0FD4, -1, P, &hs_paddq},
    {0x0FF8, -1, P, &hs_psubb}, {0x0FF9, -1, P, &hs_psubw}, {0x0FFA, -1, P, &hs_psubd}, {0x0FFB, -1, P, &hs_psubq},
    {0x0FEC, -1, P, &hs_paddsb}, {0x0FED, -1, P, &hs_paddsw}, {0x0FE8, -1, P, &hs_psubsb}, {0x0FE9, -1, P, &hs_psubsw},
    {0x0FDC, -1, P, &hs_paddusb}, {0x0FDD, -1, P, &hs_paddusw}, {0x0FD8, -1, P, &hs_psubusb},
    {0x0FD9, -1, P, &hs_psubusw},
    {0x0FD5, -1, P, &hs_pmullw}, {0x0FE5, -1, P, &hs_pmulhw}, {0x0FE4, -1, P, &hs_pmulhuw},
    {0x0FF4, -1, P, &hs_pmuludq}, {0x0FF5, -1, P, &hs_pmaddwd},
    {0x0FE0, -1, P, &hs_pavgb}, {0x0FE3, -1, P, &hs_pavgw}, {0x0FDA, -1, P, &hs_pminub}, {0x0FDE, -1, P, &hs_pmaxub},
    {0x0FEA, -1, P, &hs_pminsw}, {0x0FEE, -1, P, &hs_pmaxsw}, {0x0FF6, -1, P, &hs_psadbw},
    {0x0F74, -1, P, &hs_pcmpeqb}, {0x0F75, -1, P, &hs_pcmpeqw}, {0x0F76, -1, P, &hs_pcmpeqd},
    {0x0F64, -1, P, &hs_pcmpgtb}, {0x0F65, -1, P, &hs_pcmpgtw}, {0x0F66, -1, P, &hs_pcmpgtd},
    {0x0FDB, -1, P, &hs_pand}, {0x0FDF, -1, P, &hs_pandn}, {0x0FEB, -1, P, &hs_por}, {0x0FEF, -1, P, &hs_pxor},
    {0x0F54, -1, P, &hs_andps}, {0x0F55, -1, P, &hs_andnps}, {0x0F56, -1, P, &hs_orps}, {0x0F57, -1, P, &hs_xorps},
    {0x0FD1, -1, P, &hs_psrlw}, {0x0FD2, -1, P, &hs_psrld}, {0x0FD3, -1, P, &hs_psrlq},
    {0x0FE1, -1, P, &hs_psraw}, {0x0FE2, -1, P, &hs_psrad},
    {0x0FF1, -1, P, &hs_psllw}, {0x0FF2, -1, P, &hs_pslld}, {0x0FF3, -1, P, &hs_psllq},
    {0x0F71, 2, PI, &hs_psrlw_i}, {0x0F71, 4, PI, &hs_psraw_i}, {0x0F71, 6, PI, &hs_psllw_i},
    {0x0F72, 2, PI, &hs_psrld_i}, {0x0F72, 4, PI, &hs_psrad_i}, {0x0F72, 6, PI, &hs_pslld_i},
    {0x0F73, 2, PI, &hs_psrlq_i}, {0x0F73, 3, PI, &hs_psrldq}, {0x0F73, 6, PI, &hs_psllq_i},
    {0x0F73, 7, PI, &hs_pslldq},
    {0, 0, 0, NULL},
};
