/* MMX/SSE infrastructure (see sse.h) and the state-control instructions:
 * EMMS (0F 77), LDMXCSR/STMXCSR (0F AE /2, /3), the fences LFENCE/MFENCE/
 * SFENCE (0F AE /5, /6, /7 with a register ModR/M) and CLFLUSH (0F AE /7 with
 * memory).  An interpreter executes memory accesses in program order and has
 * no caches, so the fences and CLFLUSH only make their checks. */
#include "sse.h"

#include "cpu/x87/x87.h"

_Noreturn void sse_unavailable(struct cpu *c)
{
    /* SDM vol. 3 §13.1 and Table 2-2; vol. 2 §2.4 (SSE exception conditions):
     * EM and a clear OSFXSR are #UD, and rank before TS (#NM). */
    if ((c->cr0 & CR0_EM) || !(c->cr4 & CR4_OSFXSR))
        cpu_raise_ud(c);
    cpu_raise(c, EXC_NM, NO_ERROR_CODE);
}

void mmx_check(struct cpu *c)
{
    if (c->cr0 & CR0_EM)
        cpu_raise_ud(c);
    if (c->cr0 & CR0_TS)
        cpu_raise(c, EXC_NM, NO_ERROR_CODE);
    /* SDM vol. 1 §9.5.1: a pending x87 exception is reported (#MF) before an MMX
     * instruction executes, as for a waiting x87 instruction. */
    x87_check_pending(c);
}

void sse_read128(struct cpu *c, const struct insn *i, xmm_reg *out, bool aligned)
{
    uint64_t lin = seg_linear(c, i->seg, insn_ea(c, i), 16);
    if (aligned && (lin & 15))
        cpu_raise_gp0(c);
    uint64_t lo = lin_read(c, lin, 8);
    uint64_t hi = lin_read(c, (lin + 8) & c->lin_mask, 8);
    out->q[0] = lo;
    out->q[1] = hi;
}

void sse_write128(struct cpu *c, const struct insn *i, const xmm_reg *v, bool aligned)
{
    uint64_t lin = seg_linear_w(c, i->seg, insn_ea(c, i), 16);
    if (aligned && (lin & 15))
        cpu_raise_gp0(c);
    mmu_probe_write(c, lin, 16); /* both pages, if it crosses one, before the first byte */
    lin_write(c, lin, v->q[0], 8);
    lin_write(c, (lin + 8) & c->lin_mask, v->q[1], 8);
}

/* ---- 0F 77: EMMS ---- */

static void emms(struct cpu *c, const struct insn *i)
{
    (void)i;
    mmx_check(c);
    /* SDM vol. 2 "EMMS": all tags empty; like every MMX instruction it sets TOP to 0
     * (vol. 1 Table 9-2). */
    c->fpu.top = 0;
    c->fpu.empty = 0xFF;
}
HSET_PFX(emms, emms, NULL, NULL, NULL);

/* ---- 0F AE /2, /3: LDMXCSR m32, STMXCSR m32 ---- */

static void ldmxcsr(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    uint32_t v = sse_read32(c, i);
    if (v & ~MXCSR_MASK)
        cpu_raise_gp0(c); /* SDM vol. 2 "LDMXCSR": reserved bits set */
    c->fpu.mxcsr = v;
}
static void stmxcsr(struct cpu *c, const struct insn *i)
{
    sse_check(c);
    sse_write32(c, i, c->fpu.mxcsr);
}

/* ---- 0F AE /5, /6, /7 (register forms): LFENCE, MFENCE, SFENCE; /7 memory: CLFLUSH ---- */

static void fence(struct cpu *c, const struct insn *i)
{
    /* No CR0/CR4 conditions: SDM vol. 2 "LFENCE", "MFENCE", "SFENCE" list only #UD for LOCK. */
    (void)c;
    (void)i;
}

static void clflush(struct cpu *c, const struct insn *i)
{
    /* SDM vol. 2 "CLFLUSH": checked like a byte load (segment, paging), no CR0/CR4
     * conditions.  There is no cache to flush. */
    uint64_t lin = seg_linear(c, i->seg, insn_ea(c, i), 1);
    if (!tlb_hit(c, TLB_READ, lin, 1))
        (void)lin_read(c, lin, 1);
}

static const struct hset hs_ldmxcsr = {.r = {NULL, NULL, NULL, NULL}, .m = {ldmxcsr, ldmxcsr, ldmxcsr, ldmxcsr}};
static const struct hset hs_stmxcsr = {.r = {NULL, NULL, NULL, NULL}, .m = {stmxcsr, stmxcsr, stmxcsr, stmxcsr}};
static const struct hset hs_fence = {.r = {fence, fence, fence, fence}, .m = {NULL, NULL, NULL, NULL}};
static const struct hset hs_sfence_clflush = {.r = {fence, fence, fence, fence},
                                              .m = {clflush, clflush, clflush, clflush}};

const struct opdef sse_ctl_opdefs[] = {
    {0x0F77, -1, OA_PFX | OA_386, &hs_emms},
    {0x0FAE, 2, OA_MODRM | OA_386, &hs_ldmxcsr},
    {0x0FAE, 3, OA_MODRM | OA_386, &hs_stmxcsr},
    {0x0FAE, 5, OA_MODRM | OA_386, &hs_fence},
    {0x0FAE, 6, OA_MODRM | OA_386, &hs_fence},
    {0x0FAE, 7, OA_MODRM | OA_386, &hs_sfence_clflush},
    {0, 0, 0, NULL},
};
