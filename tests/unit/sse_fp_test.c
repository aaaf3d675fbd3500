/* SSE floating-point tests.
 *
 * host_differential (x86-64 hosts only): every SSE/SSE2/SSE3/SSE4.1 floating-
 * point instruction form runs on the host (from a small code buffer: LDMXCSR,
 * load XMM0-2, RAX, MM0-1 and EFLAGS, the instruction, store them all back,
 * STMXCSR) and through the emulator's decoder and handlers on a flat
 * real-mode machine, with the same random operands (biased toward zeros,
 * denormals, infinities, NaNs, values near overflow/underflow and the integer
 * limits, short significands for exact cases and ties) and the same random
 * MXCSR (rounding mode, FTZ, DAZ, sticky flags).  All exceptions are masked in
 * the first pass; XMM0-2, RAX, MM0-1, MXCSR and the arithmetic flags must
 * agree bit for bit.  The second pass unmasks random exceptions: the host's
 * SIGFPE handler reads the state at the #XM from the signal frame, and the
 * emulator must raise #XM exactly then, with the same MXCSR flags and the
 * registers untouched.  RCPPS/RSQRTPS are approximations: their special cases
 * must match the host, the rest must be within 1.5 * 2^-12 relative error.
 *
 * The other tests check #XM versus #UD by CR4.OSXMMEXCPT, that a faulting
 * packed instruction leaves its destination alone, memory operand alignment,
 * #UD for missing mandatory-prefix forms and the soft-float's 64-bit integer
 * conversions against the host (the REX.W forms need 64-bit mode). */
#define _GNU_SOURCE /* REG_RAX, REG_EFL in <ucontext.h> */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "cpu/sse/softfloat.h"
#include "mem/physmem.h"
#include "insn_test_rig.h"

#if defined(__x86_64__)
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#endif

#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u

static void setup(void)
{
    rig_create(CPU_MODEL_P6, CR4_OSFXSR | CR4_OSXMMEXCPT);
    cpu->cr0 &= ~(uint64_t)(CR0_EM | CR0_TS);
}
static void teardown(void) { rig_destroy(); }

/* ---- random operands ---- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint32_t rand_f32(void)
{
    uint32_t x = (uint32_t)rnd(), s = x & 0x80000000u;
    uint64_t y = rnd(), z = rnd(); /* one call per statement: a fixed sequence */
    switch (rnd() % 16) {
    case 0: return x & 0x807FFFFF;                                          /* denormal */
    case 1: return x | 0x7F800000;                                          /* NaN (or inf) */
    case 2: return s;                                                       /* zero */
    case 3: return s | 0x7F800000;                                          /* infinity */
    case 4: return (x & 0x807FFFFF) | (uint32_t)(1 + rnd() % 8) << 23;      /* near underflow */
    case 5: return (x & 0x807FFFFF) | (uint32_t)(0xF6 + rnd() % 9) << 23;   /* near overflow */
    case 6: return (x & 0x807FFFFF & (0xFFFFFFFFu << (y % 24))) | (uint32_t)(127 + z % 40 - 8) << 23; /* short */
    case 7: return (x & 0x807FFFFF) | (uint32_t)(127 + rnd() % 64 - 32) << 23;
    case 8: return s | (uint32_t)(127 + 30 + y % 4) << 23 | (x & 0x7FFFFF & (0x7FFFFFu << (z % 23))); /* 2^31 */
    case 9: return s | (uint32_t)(127 + 62 + rnd() % 3) << 23 | (x & 3);   /* 2^63 */
    case 10: return s | (uint32_t)(127 + y % 24) << 23 | (x & 0x7FFFFF & (0x7FFFFFu << (z % 23))); /* halves */
    case 11: return s | 0x7FC00000u | (x & 0x3FFFFF);                       /* QNaN */
    case 12: return s | 0x7F800000u | (x & 0x3FFFFF) | 1;                   /* SNaN */
    default: return x;
    }
}

static uint64_t rand_f64(void)
{
    uint64_t x = rnd(), s = x & (1ull << 63), fr = x & 0xFFFFFFFFFFFFFull;
    uint64_t y = rnd(), z = rnd();
    switch (rnd() % 16) {
    case 0: return x & 0x800FFFFFFFFFFFFFull;
    case 1: return x | 0x7FF0000000000000ull;
    case 2: return s;
    case 3: return s | 0x7FF0000000000000ull;
    case 4: return s | fr | (1 + rnd() % 8) << 52;
    case 5: return s | fr | (0x7F6 + rnd() % 9) << 52;
    case 6: return s | (fr & (~0ull << (y % 53))) | (1023 + z % 80 - 16) << 52;
    case 7: return s | fr | (1023 + rnd() % 128 - 64) << 52;
    case 8: return s | (1023 + 30 + y % 4) << 52 | (fr & (0xFFFFFFFFFFFFFull << (z % 52)));
    case 9: return s | (1023 + 62 + rnd() % 3) << 52 | (fr & 3);
    case 10: return s | (1023 + y % 53) << 52 | (fr & (0xFFFFFFFFFFFFFull << (z % 52)));
    case 11: return s | 0x7FF8000000000000ull | (fr >> 1);
    case 12: return s | 0x7FF0000000000000ull | (fr >> 2) | 1;
    case 13: return s | (0x380 + rnd() % 12) << 52 | fr; /* near binary32's underflow (CVTSD2SS) */
    case 14: return s | (0x47E + rnd() % 3) << 52 | fr;  /* near binary32's overflow */
    default: return x;
    }
}

static uint32_t rand_i32(void)
{
    uint64_t y = rnd(), z = rnd();
    switch (rnd() % 4) {
    case 0: return (uint32_t)((int32_t)y >> (z % 32));
    case 1: return (uint32_t)(rnd() % 64) - 32;
    default: return (uint32_t)rnd();
    }
}

enum gen { G_F32, G_F64, G_I32 };
static void rand_reg(uint8_t *b, unsigned len, enum gen g)
{
    for (unsigned k = 0; k < len;) {
        if (g == G_F64) {
            uint64_t v = rand_f64();
            memcpy(b + k, &v, 8);
            k += 8;
        } else {
            uint32_t v = g == G_F32 ? rand_f32() : rand_i32();
            memcpy(b + k, &v, 4);
            k += 4;
        }
    }
}

/* ---- the instruction forms ---- */

enum { APPROX = 1, MMX_OP = 2 };
struct op {
    const char *name;
    uint8_t bytes[6]; /* prefix and opcode, then ModR/M */
    unsigned n;
    enum gen g0, g1;  /* XMM0 (destination) and XMM1/MM1/RAX (source) */
    unsigned imm_mask; /* an imm8 follows: random & imm_mask; 0 = none */
    unsigned flags;
};

#define OPS4(nm, opc, gs, gd)                                                                                 \
    {nm "ps", {0x0F, opc, 0xC1}, 3, gs, gs, 0, 0}, {nm "pd", {0x66, 0x0F, opc, 0xC1}, 4, gd, gd, 0, 0},       \
    {nm "ss", {0xF3, 0x0F, opc, 0xC1}, 4, gs, gs, 0, 0}, {nm "sd", {0xF2, 0x0F, opc, 0xC1}, 4, gd, gd, 0, 0}

static const struct op ops[] = {
    OPS4("add", 0x58, G_F32, G_F64), OPS4("mul", 0x59, G_F32, G_F64), OPS4("sub", 0x5C, G_F32, G_F64),
    OPS4("min", 0x5D, G_F32, G_F64), OPS4("div", 0x5E, G_F32, G_F64), OPS4("max", 0x5F, G_F32, G_F64),
    OPS4("sqrt", 0x51, G_F32, G_F64),
    {"cmpps", {0x0F, 0xC2, 0xC1}, 3, G_F32, G_F32, 7, 0},
    {"cmppd", {0x66, 0x0F, 0xC2, 0xC1}, 4, G_F64, G_F64, 7, 0},
    {"cmpss", {0xF3, 0x0F, 0xC2, 0xC1}, 4, G_F32, G_F32, 7, 0},
    {"cmpsd", {0xF2, 0x0F, 0xC2, 0xC1}, 4, G_F64, G_F64, 7, 0},
    {"ucomiss", {0x0F, 0x2E, 0xC1}, 3, G_F32, G_F32, 0, 0},
    {"comiss", {0x0F, 0x2F, 0xC1}, 3, G_F32, G_F32, 0, 0},
    {"ucomisd", {0x66, 0x0F, 0x2E, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"comisd", {0x66, 0x0F, 0x2F, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"rsqrtps", {0x0F, 0x52, 0xC1}, 3, G_F32, G_F32, 0, APPROX},
    {"rsqrtss", {0xF3, 0x0F, 0x52, 0xC1}, 4, G_F32, G_F32, 0, APPROX},
    {"rcpps", {0x0F, 0x53, 0xC1}, 3, G_F32, G_F32, 0, APPROX},
    {"rcpss", {0xF3, 0x0F, 0x53, 0xC1}, 4, G_F32, G_F32, 0, APPROX},
    {"cvtpi2ps", {0x0F, 0x2A, 0xC1}, 3, G_F32, G_I32, 0, MMX_OP},
    {"cvtpi2pd", {0x66, 0x0F, 0x2A, 0xC1}, 4, G_F32, G_I32, 0, MMX_OP},
    {"cvtsi2ss", {0xF3, 0x0F, 0x2A, 0xC0}, 4, G_F32, G_I32, 0, 0},
    {"cvtsi2sd", {0xF2, 0x0F, 0x2A, 0xC0}, 4, G_F64, G_I32, 0, 0},
    {"cvttps2pi", {0x0F, 0x2C, 0xC1}, 3, G_F32, G_F32, 0, MMX_OP},
    {"cvttpd2pi", {0x66, 0x0F, 0x2C, 0xC1}, 4, G_F64, G_F64, 0, MMX_OP},
    {"cvttss2si", {0xF3, 0x0F, 0x2C, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"cvttsd2si", {0xF2, 0x0F, 0x2C, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"cvtps2pi", {0x0F, 0x2D, 0xC1}, 3, G_F32, G_F32, 0, MMX_OP},
    {"cvtpd2pi", {0x66, 0x0F, 0x2D, 0xC1}, 4, G_F64, G_F64, 0, MMX_OP},
    {"cvtss2si", {0xF3, 0x0F, 0x2D, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"cvtsd2si", {0xF2, 0x0F, 0x2D, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"cvtps2pd", {0x0F, 0x5A, 0xC1}, 3, G_F64, G_F32, 0, 0},
    {"cvtpd2ps", {0x66, 0x0F, 0x5A, 0xC1}, 4, G_F32, G_F64, 0, 0},
    {"cvtss2sd", {0xF3, 0x0F, 0x5A, 0xC1}, 4, G_F64, G_F32, 0, 0},
    {"cvtsd2ss", {0xF2, 0x0F, 0x5A, 0xC1}, 4, G_F32, G_F64, 0, 0},
    {"cvtdq2ps", {0x0F, 0x5B, 0xC1}, 3, G_F32, G_I32, 0, 0},
    {"cvtps2dq", {0x66, 0x0F, 0x5B, 0xC1}, 4, G_I32, G_F32, 0, 0},
    {"cvttps2dq", {0xF3, 0x0F, 0x5B, 0xC1}, 4, G_I32, G_F32, 0, 0},
    {"cvttpd2dq", {0x66, 0x0F, 0xE6, 0xC1}, 4, G_I32, G_F64, 0, 0},
    {"cvtdq2pd", {0xF3, 0x0F, 0xE6, 0xC1}, 4, G_F64, G_I32, 0, 0},
    {"cvtpd2dq", {0xF2, 0x0F, 0xE6, 0xC1}, 4, G_I32, G_F64, 0, 0},
    {"addsubpd", {0x66, 0x0F, 0xD0, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"addsubps", {0xF2, 0x0F, 0xD0, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"haddpd", {0x66, 0x0F, 0x7C, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"haddps", {0xF2, 0x0F, 0x7C, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"hsubpd", {0x66, 0x0F, 0x7D, 0xC1}, 4, G_F64, G_F64, 0, 0},
    {"hsubps", {0xF2, 0x0F, 0x7D, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"roundps", {0x66, 0x0F, 0x3A, 0x08, 0xC1}, 5, G_F32, G_F32, 15, 0},
    {"roundpd", {0x66, 0x0F, 0x3A, 0x09, 0xC1}, 5, G_F64, G_F64, 15, 0},
    {"roundss", {0x66, 0x0F, 0x3A, 0x0A, 0xC1}, 5, G_F32, G_F32, 15, 0},
    {"roundsd", {0x66, 0x0F, 0x3A, 0x0B, 0xC1}, 5, G_F64, G_F64, 15, 0},
    {"blendps", {0x66, 0x0F, 0x3A, 0x0C, 0xC1}, 5, G_F32, G_F32, 15, 0},
    {"blendpd", {0x66, 0x0F, 0x3A, 0x0D, 0xC1}, 5, G_F64, G_F64, 3, 0},
    {"blendvps xmm2", {0x66, 0x0F, 0x38, 0x14, 0xD1}, 5, G_I32, G_F32, 0, 0},
    {"blendvpd xmm2", {0x66, 0x0F, 0x38, 0x15, 0xD1}, 5, G_I32, G_F64, 0, 0},
    {"extractps eax", {0x66, 0x0F, 0x3A, 0x17, 0xC0}, 5, G_F32, G_F32, 3, 0},
    {"insertps", {0x66, 0x0F, 0x3A, 0x21, 0xC1}, 5, G_F32, G_F32, 255, 0},
    {"dpps", {0x66, 0x0F, 0x3A, 0x40, 0xC1}, 5, G_F32, G_F32, 255, 0},
    {"dppd", {0x66, 0x0F, 0x3A, 0x41, 0xC1}, 5, G_F64, G_F64, 0x33, 0},
};
#define NOPS (sizeof ops / sizeof ops[0])

/* The registers an instruction may read or write. */
struct state {
    uint8_t xmm[48] __attribute__((aligned(16))); /* XMM0, XMM1, XMM2 */
    uint64_t gpr[3];                              /* RAX, MM0, MM1 */
    uint32_t mxcsr;
    uint64_t flags;
    int vector; /* -1: none; 19: #XM */
};

static void rand_state(struct state *s, const struct op *o, bool unmask)
{
    memset(s, 0, sizeof *s);
    rand_reg(s->xmm, 16, o->g0);
    rand_reg(s->xmm + 16, 16, o->g1);
    rand_reg(s->xmm + 32, 16, o->g0);
    uint32_t lo, hi;
    lo = o->g1 == G_I32 ? rand_i32() : (uint32_t)rnd();
    hi = o->g1 == G_I32 ? rand_i32() : (uint32_t)rnd();
    s->gpr[0] = (uint64_t)hi << 32 | lo;
    s->gpr[1] = rnd();
    lo = rand_i32();
    hi = rand_i32();
    s->gpr[2] = (uint64_t)hi << 32 | lo;
    uint32_t mx = 0x1F80 | (uint32_t)(rnd() % 4) << 13;
    if (rnd() % 3 == 0)
        mx |= SF_FZ;
    if (rnd() % 3 == 0)
        mx |= SF_DAZ;
    if (rnd() % 4 == 0)
        mx |= (uint32_t)rnd() & 0x3F; /* sticky flags already set */
    if (unmask)
        mx &= ~((uint32_t)(rnd() & 0x3F) << 7);
    s->mxcsr = mx;
    s->flags = 0x202 | (rnd() & F_ARITH);
    s->vector = -1;
}

static unsigned insn_bytes(const struct op *o, uint8_t *b, unsigned imm)
{
    memcpy(b, o->bytes, o->n);
    unsigned n = o->n;
    if (o->imm_mask)
        b[n++] = (uint8_t)imm;
    return n;
}

static void emu_exec(const struct op *o, unsigned imm, struct state *s)
{
    memcpy(cpu->sse.xmm, s->xmm, 48);
    cpu->regs[R_AX] = s->gpr[0];
    for (unsigned k = 0; k < 2; k++) {
        cpu->fpu.reg[k].sig = s->gpr[1 + k];
        cpu->fpu.reg[k].se = 0xFFFF;
    }
    cpu->fpu.mxcsr = s->mxcsr;
    lf_set_flags(cpu, (uint32_t)s->flags & F_ARITH);
    uint8_t b[16];
    unsigned n = insn_bytes(o, b, imm);
    s->vector = run_insn(b, n);
    memcpy(s->xmm, cpu->sse.xmm, 48);
    s->gpr[0] = cpu->regs[R_AX];
    s->gpr[1] = cpu->fpu.reg[0].sig;
    s->gpr[2] = cpu->fpu.reg[1].sig;
    s->mxcsr = cpu->fpu.mxcsr;
    s->flags = cpu_get_eflags(cpu);
}

#if defined(__x86_64__)
typedef uint64_t (*host_fn)(void *xmm, void *gpr, void *mxcsr, uint64_t flags);
static uint8_t *host_code;
static sigjmp_buf fpe_jmp;
static struct state *fpe_state;

/* #XM on the host: the state at the fault comes from the signal frame. */
static void on_sigfpe(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    struct state *s = fpe_state;
    s->mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    for (unsigned k = 0; k < 3; k++)
        memcpy(s->xmm + 16 * k, &uc->uc_mcontext.fpregs->_xmm[k], 16);
    s->gpr[0] = (uint64_t)uc->uc_mcontext.gregs[REG_RAX];
    memcpy(&s->gpr[1], &uc->uc_mcontext.fpregs->_st[0], 8);
    memcpy(&s->gpr[2], &uc->uc_mcontext.fpregs->_st[1], 8);
    s->flags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
    s->vector = 19;
    siglongjmp(fpe_jmp, 1);
}

static __attribute__((noinline)) void host_exec(const struct op *o, unsigned imm, struct state *s)
{
    static const uint8_t pre[] = {
        0x0F, 0xAE, 0x12,             /* ldmxcsr [rdx] */
        0xF3, 0x0F, 0x6F, 0x07,       /* movdqu xmm0, [rdi] */
        0xF3, 0x0F, 0x6F, 0x4F, 0x10, /* movdqu xmm1, [rdi+16] */
        0xF3, 0x0F, 0x6F, 0x57, 0x20, /* movdqu xmm2, [rdi+32] */
        0x48, 0x8B, 0x06,             /* mov rax, [rsi] */
        0x0F, 0x6F, 0x46, 0x08,       /* movq mm0, [rsi+8] */
        0x0F, 0x6F, 0x4E, 0x10,       /* movq mm1, [rsi+16] */
        0x51, 0x9D,                   /* push rcx; popfq */
    };
    static const uint8_t post[] = {
        0x9C, 0x59,                   /* pushfq; pop rcx */
        0xF3, 0x0F, 0x7F, 0x07,       /* movdqu [rdi], xmm0 */
        0xF3, 0x0F, 0x7F, 0x4F, 0x10, /* movdqu [rdi+16], xmm1 */
        0xF3, 0x0F, 0x7F, 0x57, 0x20, /* movdqu [rdi+32], xmm2 */
        0x48, 0x89, 0x06,             /* mov [rsi], rax */
        0x0F, 0x7F, 0x46, 0x08,       /* movq [rsi+8], mm0 */
        0x0F, 0x7F, 0x4E, 0x10,       /* movq [rsi+16], mm1 */
        0x0F, 0x77,                   /* emms */
        0x0F, 0xAE, 0x1A,             /* stmxcsr [rdx] */
        0x48, 0x89, 0xC8,             /* mov rax, rcx */
        0xC3,
    };
    uint8_t *p = host_code;
    memcpy(p, pre, sizeof pre);
    p += sizeof pre;
    p += insn_bytes(o, p, imm);
    memcpy(p, post, sizeof post);
    host_fn fn = (host_fn)(void *)host_code;
    fpe_state = s;
    if (sigsetjmp(fpe_jmp, 1) == 0) {
        s->flags = fn(s->xmm, s->gpr, &s->mxcsr, s->flags);
        s->vector = -1;
    } else {
        __asm__ volatile("emms");
    }
}
#endif

static bool is_nan32(uint32_t v) { return (v & 0x7F800000) == 0x7F800000 && (v & 0x7FFFFF); }

/* RCP/RSQRT: special results equal to the host's, others within 1.5 * 2^-12. */
static bool approx_ok(const struct op *o, const struct state *in, const struct state *h, const struct state *e)
{
    if (h->mxcsr != e->mxcsr || e->vector != -1 || memcmp(h->xmm + 16, e->xmm + 16, 32) != 0)
        return false;
    bool rsqrt = o->bytes[o->n - 2] == 0x52;
    unsigned lanes = o->bytes[0] == 0xF3 ? 1 : 4;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t x, hv, ev;
        memcpy(&x, in->xmm + 16 + 4 * k, 4);
        memcpy(&hv, h->xmm + 4 * k, 4);
        memcpy(&ev, e->xmm + 4 * k, 4);
        if (k >= lanes || (hv & 0x7F800000) == 0 || (hv & 0x7F800000) == 0x7F800000 ||
            (ev & 0x7F800000) == 0 || (ev & 0x7F800000) == 0x7F800000) {
            if (hv != ev) {
                /* a result at the edge of the range may flush on one side only */
                float fx;
                memcpy(&fx, &x, 4);
                double ax = fabs((double)fx);
                bool edge = !rsqrt && (ax > 0x1p125 || ax < 0x1p-126) && !is_nan32(x);
                if (!edge)
                    return false;
            }
            continue;
        }
        float fx, fe;
        memcpy(&fx, &x, 4);
        memcpy(&fe, &ev, 4);
        double exact = rsqrt ? 1.0 / sqrt((double)fx) : 1.0 / (double)fx;
        if (fabs((double)fe - exact) > 1.5 * 0x1p-12 * fabs(exact))
            return false;
    }
    return true;
}

static bool same_state(const struct state *h, const struct state *e)
{
    return memcmp(h->xmm, e->xmm, 48) == 0 && memcmp(h->gpr, e->gpr, sizeof h->gpr) == 0 && h->mxcsr == e->mxcsr &&
           ((h->flags ^ e->flags) & F_ARITH) == 0 && (h->vector == -1) == (e->vector == -1) &&
           (e->vector == -1 || e->vector == EXC_XM);
}

static void show(const char *what, const struct state *s)
{
    printf("    %s: mxcsr %04x fl %03llx vec %d rax %016llx mm0 %016llx mm1 %016llx\n      xmm0", what, s->mxcsr,
           (unsigned long long)(s->flags & 0xFFF), s->vector, (unsigned long long)s->gpr[0],
           (unsigned long long)s->gpr[1], (unsigned long long)s->gpr[2]);
    for (unsigned k = 0; k < 48; k += 4) {
        uint32_t v;
        memcpy(&v, s->xmm + k, 4);
        printf(" %08x%s", v, k == 12 ? "\n      xmm1" : k == 28 ? "\n      xmm2" : "");
    }
    printf("\n");
}

#if defined(__x86_64__)
/* Run per_op random cases of each form (and as many with random exceptions
 * unmasked when `unmasked`); prints one line per form; returns the mismatches. */
static unsigned long differential(const struct op *tab, unsigned nops, unsigned per_op, bool unmasked,
                                  unsigned long *total, unsigned long *faults)
{
    unsigned long fails = 0;
    for (unsigned n = 0; n < nops; n++) {
        const struct op *o = &tab[n];
        unsigned f = 0, shown = 0, xm = 0, cases = unmasked ? 2 * per_op : per_op;
        for (unsigned t = 0; t < cases; t++) {
            bool unmask = t >= per_op && !(o->flags & APPROX);
            struct state in, h, e;
            rand_state(&in, o, unmask);
            unsigned imm = (unsigned)rnd() & o->imm_mask;
            h = in;
            e = in;
            host_exec(o, imm, &h);
            emu_exec(o, imm, &e);
            bool ok = (o->flags & APPROX) ? approx_ok(o, &in, &h, &e) : same_state(&h, &e);
            xm += h.vector == EXC_XM;
            if (!ok) {
                f++;
                if (shown++ < 3) {
                    printf("  MISMATCH %s imm %02x\n", o->name, imm);
                    show("in  ", &in);
                    show("host", &h);
                    show("emu ", &e);
                }
            }
        }
        printf("  %-22s %6u/%u agree (%u #XM)\n", o->name, cases - f, cases, xm);
        *total += cases;
        *faults += xm;
        fails += f;
    }
    return fails;
}

static bool host_setup(const char *what, struct sigaction *old)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("sse4.1")) {
        printf("%s: skipped (the host has no SSE4.1)\n", what);
        return false;
    }
    host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (host_code == MAP_FAILED) {
        printf("%s: skipped (no executable memory for the host code)\n", what);
        return false;
    }
    struct sigaction sa = {.sa_sigaction = on_sigfpe, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGFPE, &sa, old);
    return true;
}

static void host_teardown(const struct sigaction *old)
{
    sigaction(SIGFPE, old, NULL);
    munmap(host_code, 4096);
    uint32_t def = 0x1F80;
    __asm__ volatile("ldmxcsr %0" : : "m"(def));
}
#endif

static unsigned iterations(void)
{
    const char *env_n = getenv("SSE_FP_TEST_ITER");
    return env_n ? (unsigned)atoi(env_n) : 3000;
}

START_TEST(host_differential)
{
#if defined(__x86_64__)
    struct sigaction old;
    if (!host_setup("sse_fp host-differential", &old))
        return;
    unsigned per_op = iterations();
    unsigned long total = 0, faults = 0;
    printf("sse_fp host-differential: %u masked + %u unmasked cases per instruction form\n", per_op, per_op);
    unsigned long fails = differential(ops, NOPS, per_op, true, &total, &faults);
    host_teardown(&old);
    printf("sse_fp host-differential: %lu cases compared (%lu with #XM), %lu mismatches\n", total, faults, fails);
    ck_assert_uint_eq(fails, 0);
#else
    printf("sse_fp host-differential: skipped (not an x86-64 host)\n");
#endif
}
END_TEST

/* 64-bit mode: the REX.W forms (64-bit integers) and REX.R/REX.B (XMM8-15: here
 * XMM8/XMM9 in the ModR/M with the same registers loaded on the host through
 * the plain encodings would differ, so REX.B = REX.R = 0 except for W). Masked only:
 * this flat 64-bit set-up has no IDT. */
static const struct op ops64[] = {
    {"cvtsi2ss xmm0, rax", {0xF3, 0x48, 0x0F, 0x2A, 0xC0}, 5, G_F32, G_F64, 0, 0},
    {"cvtsi2sd xmm0, rax", {0xF2, 0x48, 0x0F, 0x2A, 0xC0}, 5, G_F64, G_F64, 0, 0},
    {"cvttss2si rax", {0xF3, 0x48, 0x0F, 0x2C, 0xC1}, 5, G_F32, G_F32, 0, 0},
    {"cvttsd2si rax", {0xF2, 0x48, 0x0F, 0x2C, 0xC1}, 5, G_F64, G_F64, 0, 0},
    {"cvtss2si rax", {0xF3, 0x48, 0x0F, 0x2D, 0xC1}, 5, G_F32, G_F32, 0, 0},
    {"cvtsd2si rax", {0xF2, 0x48, 0x0F, 0x2D, 0xC1}, 5, G_F64, G_F64, 0, 0},
    {"cvtss2si eax", {0xF3, 0x0F, 0x2D, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"extractps rax", {0x66, 0x48, 0x0F, 0x3A, 0x17, 0xC0}, 6, G_F32, G_F32, 3, 0},
    {"addps (REX 40)", {0x40, 0x0F, 0x58, 0xC1}, 4, G_F32, G_F32, 0, 0},
    {"mulsd (REX 48)", {0xF2, 0x48, 0x0F, 0x59, 0xC1}, 5, G_F64, G_F64, 0, 0},
};

static void enter_long_mode(void)
{
    physmem_write(pm, 0x10000, 0x11000 | 3, 8); /* PML4[0] -> PDPT */
    physmem_write(pm, 0x11000, 0x12000 | 3, 8); /* PDPT[0] -> PD */
    physmem_write(pm, 0x12000, 0x0 | 0x83, 8);  /* PD[0]: 2 MiB page at 0 */
    cpu->cr3 = 0x10000;
    cpu->cr4 |= 0x20;   /* PAE */
    cpu->efer |= 0x500; /* LME, LMA */
    cpu->cr0 |= CR0_PE | CR0_PG;
    cpu->seg[S_CS].attr = 0x9B | SEG_ATTR_L;
    cpu_update_mode(cpu);
    tlb_flush(cpu);
}

START_TEST(host_differential_64)
{
#if defined(__x86_64__)
    enter_long_mode();
    ck_assert(cpu->mode64);
    struct sigaction old;
    if (!host_setup("sse_fp host-differential (64-bit mode)", &old))
        return;
    unsigned per_op = iterations();
    unsigned long total = 0, faults = 0;
    printf("sse_fp host-differential in 64-bit mode: %u cases per form\n", per_op);
    unsigned long fails = differential(ops64, sizeof ops64 / sizeof ops64[0], per_op, false, &total, &faults);
    host_teardown(&old);
    printf("sse_fp host-differential in 64-bit mode: %lu cases compared, %lu mismatches\n", total, fails);
    ck_assert_uint_eq(fails, 0);
    /* XMM8-15 through REX.R/REX.B: ADDPS xmm8, xmm9 and DIVSD xmm15, xmm10 */
    cpu->fpu.mxcsr = 0x1F80;
    cpu->sse.xmm[8] = (xmm_reg){.d = {0x3F800000, 0x40000000, 0x80000000, 0x7F800000}};
    cpu->sse.xmm[9] = (xmm_reg){.d = {0x3F800000, 0x3F800000, 0x80000000, 0x3F800000}};
    ck_assert_int_eq(run_hex("45 0F 58 C1"), -1);
    ck_assert_uint_eq(cpu->sse.xmm[8].d[0], 0x40000000);
    ck_assert_uint_eq(cpu->sse.xmm[8].d[1], 0x40400000);
    ck_assert_uint_eq(cpu->sse.xmm[8].d[2], 0x80000000);
    ck_assert_uint_eq(cpu->sse.xmm[8].d[3], 0x7F800000);
    cpu->sse.xmm[15].q[0] = 0x3FF0000000000000ull;
    cpu->sse.xmm[10].q[0] = 0x4008000000000000ull;
    ck_assert_int_eq(run_hex("F2 45 0F 5E FA"), -1);
    ck_assert_uint_eq(cpu->sse.xmm[15].q[0], 0x3FD5555555555555ull);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1F80 | SF_PE);
#else
    printf("sse_fp host-differential (64-bit mode): skipped (not an x86-64 host)\n");
#endif
}
END_TEST

/* The soft-float's 64-bit integer conversions (CVTSI2SS/SD and CVT(T)SS/SD2SI with
 * REX.W, which need 64-bit mode to run through the decoder) against the host. */
START_TEST(int64_conversions)
{
#if defined(__x86_64__)
    unsigned long cases = 0, fails = 0;
    for (unsigned t = 0; t < 20000; t++) {
        uint32_t mx = 0x1F80 | (uint32_t)(rnd() % 4) << 13;
        mx |= rnd() & 1 ? SF_DAZ : 0;
        mx |= rnd() & 1 ? SF_FZ : 0;
        int64_t v = (int64_t)rnd();
        v >>= rnd() % 64;
        uint32_t f32 = rand_f32();
        uint64_t f64 = rand_f64();
        for (unsigned k = 0; k < 6; k++) {
            uint32_t hm = mx;
            uint64_t hr = 0, er;
            struct sf_env e = {.mxcsr = mx};
            switch (k) {
            case 0:
                __asm__ volatile("ldmxcsr %1\n cvtsi2ssq %2, %%xmm0\n movd %%xmm0, %k0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(v) : "xmm0");
                er = sf_from_int(&e, SF_F32, v);
                break;
            case 1:
                __asm__ volatile("ldmxcsr %1\n cvtsi2sdq %2, %%xmm0\n movq %%xmm0, %0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(v) : "xmm0");
                er = sf_from_int(&e, SF_F64, v);
                break;
            case 2:
                __asm__ volatile("ldmxcsr %1\n movd %2, %%xmm1\n cvtss2si %%xmm1, %0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(f32) : "xmm1");
                er = sf_to_int(&e, SF_F32, f32, 64, false);
                break;
            case 3:
                __asm__ volatile("ldmxcsr %1\n movd %2, %%xmm1\n cvttss2si %%xmm1, %0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(f32) : "xmm1");
                er = sf_to_int(&e, SF_F32, f32, 64, true);
                break;
            case 4:
                __asm__ volatile("ldmxcsr %1\n movq %2, %%xmm1\n cvtsd2si %%xmm1, %0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(f64) : "xmm1");
                er = sf_to_int(&e, SF_F64, f64, 64, false);
                break;
            default:
                __asm__ volatile("ldmxcsr %1\n movq %2, %%xmm1\n cvttsd2si %%xmm1, %0\n stmxcsr %1"
                                 : "=r"(hr), "+m"(hm) : "r"(f64) : "xmm1");
                er = sf_to_int(&e, SF_F64, f64, 64, true);
                break;
            }
            cases++;
            if (hr != er || (hm & SF_EXC) != e.flags) {
                if (fails++ < 5)
                    printf("  MISMATCH 64-bit conversion %u: mxcsr %04x in %016llx/%08x/%016llx host %016llx %02x emu "
                           "%016llx %02x\n", k, mx, (unsigned long long)v, f32, (unsigned long long)f64,
                           (unsigned long long)hr, hm & SF_EXC, (unsigned long long)er, e.flags);
            }
        }
    }
    uint32_t def = 0x1F80;
    __asm__ volatile("ldmxcsr %0" : : "m"(def));
    printf("sse_fp 64-bit integer conversions: %lu cases, %lu mismatches\n", cases, fails);
    ck_assert_uint_eq(fails, 0);
#else
    printf("sse_fp 64-bit integer conversions: skipped (not an x86-64 host)\n");
#endif
}
END_TEST

/* ---- architectural tests ---- */

static void set_ps(unsigned r, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    cpu->sse.xmm[r].d[0] = a;
    cpu->sse.xmm[r].d[1] = b;
    cpu->sse.xmm[r].d[2] = c;
    cpu->sse.xmm[r].d[3] = d;
}

/* Unmasked divide-by-zero: #XM with OSXMMEXCPT, #UD without; XMM0 untouched, ZE recorded. */
START_TEST(unmasked_xm_or_ud)
{
    set_ps(0, 0x3F800000, 0x40000000, 0x40400000, 0x40800000);
    set_ps(1, 0x3F800000, 0x00000000, 0x3F800000, 0x3F800000);
    xmm_reg before = cpu->sse.xmm[0];
    cpu->fpu.mxcsr = 0x1F80 & ~0x200u; /* ZM clear */
    ck_assert_int_eq(run_hex("0F 5E C1"), EXC_XM); /* divps xmm0, xmm1 */
    ck_assert_mem_eq(&cpu->sse.xmm[0], &before, 16);
    ck_assert_uint_eq(cpu->fpu.mxcsr & SF_EXC, SF_ZE);
    cpu->cr4 &= ~(uint64_t)CR4_OSXMMEXCPT;
    cpu->fpu.mxcsr = 0x1F80 & ~0x200u;
    ck_assert_int_eq(run_hex("0F 5E C1"), EXC_UD);
    ck_assert_mem_eq(&cpu->sse.xmm[0], &before, 16);
    ck_assert_uint_eq(cpu->fpu.mxcsr & SF_EXC, SF_ZE);
    /* masked: the quotient is written, ZE recorded */
    cpu->fpu.mxcsr = 0x1F80;
    ck_assert_int_eq(run_hex("0F 5E C1"), -1);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[1], 0x7F800000);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1F80 | SF_ZE);
}
END_TEST

/* A packed operation: an unmasked pre-computation exception in one lane (IE from an SNaN)
 * stops the instruction with only IE/DE/ZE recorded (the inexact lanes' PE is not);
 * an unmasked overflow in one lane keeps every lane of the destination. */
START_TEST(packed_precomputation_priority)
{
    set_ps(0, 0x7F800001, 0x3F800000, 0x7F000000, 0x3F800000); /* SNaN, 1, 2^127, 1 */
    set_ps(1, 0x3F800000, 0x33800001, 0x7F000000, 0x3F800000);
    xmm_reg before = cpu->sse.xmm[0];
    cpu->fpu.mxcsr = 0x1F80 & ~0x080u; /* IM clear */
    ck_assert_int_eq(run_hex("0F 58 C1"), EXC_XM); /* addps */
    ck_assert_mem_eq(&cpu->sse.xmm[0], &before, 16);
    ck_assert_uint_eq(cpu->fpu.mxcsr & SF_EXC, SF_IE);
    cpu->fpu.mxcsr = 0x1F80 & ~0x400u; /* OM clear: lane 2 overflows */
    ck_assert_int_eq(run_hex("0F 58 C1"), EXC_XM);
    ck_assert_mem_eq(&cpu->sse.xmm[0], &before, 16);
    ck_assert_uint_eq(cpu->fpu.mxcsr & SF_EXC, SF_IE | SF_OE | SF_PE);
    cpu->fpu.mxcsr = 0x1F80;
    ck_assert_int_eq(run_hex("0F 58 C1"), -1);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[0], 0x7FC00001);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[2], 0x7F800000);
    ck_assert_uint_eq(cpu->fpu.mxcsr & SF_EXC, SF_IE | SF_OE | SF_PE);
}
END_TEST

/* Legacy-SSE 128-bit memory operands must be 16-byte aligned; scalar ones need not be. */
START_TEST(memory_alignment)
{
    for (unsigned k = 0; k < 32; k++)
        physmem_write(pm, DATA + k, k < 16 ? 0 : 0x3F, 1);
    physmem_write(pm, DATA + 3, 0x3F, 1);
    physmem_write(pm, DATA + 2, 0x80, 1); /* 1.0f at DATA */
    set_ps(0, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000);
    cpu->regs[R_SI] = DATA;
    cpu->fpu.mxcsr = 0x1F80;
    ck_assert_int_eq(run_hex("0F 58 04"), -1); /* addps xmm0, [si] */
    ck_assert_uint_eq(cpu->sse.xmm[0].d[0], 0x40000000);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[1], 0x3F800000);
    cpu->regs[R_SI] = DATA + 4;
    ck_assert_int_eq(run_hex("0F 58 04"), EXC_GP);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[0], 0x40000000);
    cpu->regs[R_SI] = DATA;
    ck_assert_int_eq(run_hex("F3 0F 58 04"), -1); /* addss xmm0, [si]: m32 */
    ck_assert_uint_eq(cpu->sse.xmm[0].d[0], 0x40400000);
    cpu->regs[R_SI] = DATA + 1;
    ck_assert_int_eq(run_hex("F3 0F 58 04"), -1); /* unaligned scalar: fine */
}
END_TEST

/* Forms that do not exist are #UD; SSE with CR4.OSFXSR = 0 is #UD, with CR0.TS #NM. */
START_TEST(undefined_forms_and_availability)
{
    cpu->fpu.mxcsr = 0x1F80;
    ck_assert_int_eq(run_hex("F2 0F 52 C1"), EXC_UD); /* no RSQRTSD */
    ck_assert_int_eq(run_hex("66 0F 53 C1"), EXC_UD); /* no RCPPD */
    ck_assert_int_eq(run_hex("F2 0F 5B C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F E6 C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F 7C C1"), EXC_UD);
    ck_assert_int_eq(run_hex("F3 0F 2E C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F 3A 08 C1 00"), EXC_UD); /* ROUNDPS needs 66 */
    ck_assert_int_eq(run_hex("0F 58 C1"), -1);
    cpu->cr4 &= ~(uint64_t)CR4_OSFXSR;
    ck_assert_int_eq(run_hex("0F 58 C1"), EXC_UD);
    cpu->cr4 |= CR4_OSFXSR;
    cpu->cr0 |= CR0_TS;
    ck_assert_int_eq(run_hex("0F 58 C1"), EXC_NM);
    cpu->cr0 &= ~(uint64_t)CR0_TS;
}
END_TEST

/* COMISS sets ZF/PF/CF and clears OF/SF/AF. */
START_TEST(comiss_flags)
{
    cpu->fpu.mxcsr = 0x1F80;
    lf_set_flags(cpu, F_OF | F_SF | F_AF);
    set_ps(0, 0x3F800000, 0, 0, 0);
    set_ps(1, 0x40000000, 0, 0, 0);
    ck_assert_int_eq(run_hex("0F 2F C1"), -1);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & F_ARITH, F_CF);
    set_ps(1, 0x7FC00000, 0, 0, 0);
    ck_assert_int_eq(run_hex("0F 2E C1"), -1);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & F_ARITH, F_ZF | F_PF | F_CF);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1F80);
    ck_assert_int_eq(run_hex("0F 2F C1"), -1);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1F80 | SF_IE);
}
END_TEST

/* The MMX forms: an mm register operand makes the x87 -> MMX transition (TOP = 0, all
 * tags valid) and reports a pending x87 exception (#MF); CVTPI2PS from memory is a plain
 * SSE instruction (SDM vol. 2 "CVTPI2PS"). */
START_TEST(mmx_forms)
{
    cpu->fpu.mxcsr = 0x1F80;
    cpu->fpu.top = 3;
    cpu->fpu.empty = 0xF0;
    physmem_write(pm, DATA, 0xFFFFFFFF00000003ull, 8);
    cpu->regs[R_SI] = DATA;
    ck_assert_int_eq(run_hex("0F 2A 04"), -1); /* cvtpi2ps xmm0, [si] */
    ck_assert_uint_eq(cpu->sse.xmm[0].d[0], 0x40400000);
    ck_assert_uint_eq(cpu->sse.xmm[0].d[1], 0xBF800000);
    ck_assert_uint_eq(cpu->fpu.top, 3);
    ck_assert_uint_eq(cpu->fpu.empty, 0xF0);
    cpu->fpu.reg[1].sig = 0x0000000500000002ull;
    ck_assert_int_eq(run_hex("66 0F 2A C1"), -1); /* cvtpi2pd xmm0, mm1 */
    ck_assert_uint_eq(cpu->sse.xmm[0].q[0], 0x4000000000000000ull);
    ck_assert_uint_eq(cpu->sse.xmm[0].q[1], 0x4014000000000000ull);
    ck_assert_uint_eq(cpu->fpu.top, 0);
    ck_assert_uint_eq(cpu->fpu.empty, 0);
    cpu->sse.xmm[1].d[0] = 0x3FC00000; /* 1.5 */
    cpu->sse.xmm[1].d[1] = 0xC0200000; /* -2.5 */
    ck_assert_int_eq(run_hex("0F 2D D1"), -1); /* cvtps2pi mm2, xmm1: round to nearest even */
    ck_assert_uint_eq(cpu->fpu.reg[2].sig, 0xFFFFFFFE00000002ull);
    ck_assert_uint_eq(cpu->fpu.reg[2].se, 0xFFFF);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1F80 | SF_PE);
    /* a pending unmasked x87 exception: #MF before the MMX form, not the SSE one */
    cpu->cr0 |= CR0_NE;
    cpu->fpu.fcw = 0x037B;
    cpu->fpu.fsw = 0x0004 | 0x0080 | 0x8000; /* ZE, ES, B */
    ck_assert_int_eq(run_hex("0F 2C D1"), EXC_MF);
    ck_assert_int_eq(run_hex("0F 2A 04"), -1);
    ck_assert_int_eq(run_hex("0F 58 C1"), -1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sse_fp");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, host_differential);
    tcase_add_test(tc, host_differential_64);
    tcase_add_test(tc, int64_conversions);
    tcase_add_test(tc, unmasked_xm_or_ud);
    tcase_add_test(tc, packed_precomputation_priority);
    tcase_add_test(tc, memory_alignment);
    tcase_add_test(tc, undefined_forms_and_availability);
    tcase_add_test(tc, comiss_flags);
    tcase_add_test(tc, mmx_forms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
