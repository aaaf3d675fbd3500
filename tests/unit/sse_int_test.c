/* MMX/SSE/SSE2 (and SSE3/SSSE3/SSE4 integer) tests for everything but the
 * floating-point arithmetic.  The main test is host-differential (x86-64
 * hosts only): random XMM0-7, MM0-7, EAX/ECX/EDX and a 32-byte memory operand
 * go through one instruction both on the host (from a small generated code
 * buffer that loads the state, runs the instruction and stores the state) and
 * through the emulator's decoder and handlers (real mode, the memory operand
 * addressed as [esi] with an address-size prefix); all of it must agree bit for
 * bit.  The other tests cover the availability checks (#UD with CR4.OSFXSR = 0
 * or CR0.EM = 1, #NM with CR0.TS, #MF for MMX), the 16-byte alignment rule,
 * LDMXCSR/STMXCSR, the MMX/x87 aliasing (against the host's FNSAVE image) and
 * FXSAVE/FXRSTOR of the XMM registers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "cpu/x87/x87.h"
#include "mem/physmem.h"

#include "insn_test_rig.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <sys/mman.h>
#endif

static void setup(void) { rig_create(CPU_MODEL_P6, 0x200 /* OSFXSR */); }
static void teardown(void) { rig_destroy(); }
static uint64_t rd(uint64_t addr, unsigned n) { return physmem_read(pm, addr, n); }

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* ---- the instruction table ---- */

enum cls { CX, CM, CG }; /* operand register class: XMM, MMX, general-purpose (EAX/ECX/EDX only) */
enum { F_REG = 1, F_MEM = 2, F_IMM = 4, F_BOTH = 3,
       F_O32 = 8 /* operand size by the mode, not a prefix set: the emulator (16-bit code) needs 66h */ };
enum feat { SSE2 = 0, SSE3, SSSE3, SSE41, SSE42, POPCNT };

struct op {
    const char *name;
    uint8_t pfx;      /* mandatory prefix or 0 */
    uint32_t opc;     /* 0F xx, 0F 38 xx, 0F 3A xx */
    enum cls reg, rm; /* ModR/M.reg and (register form) ModR/M.rm classes */
    unsigned flags;
    int ext;          /* fixed ModR/M.reg (groups) or -1 */
    enum feat feat;
};

#define BOTH(name, o) {name " mm", 0, 0x0F00 | (o), CM, CM, F_BOTH, -1, SSE2}, {name " xmm", 0x66, 0x0F00 | (o), CX, CX, F_BOTH, -1, SSE2}
#define SHIFTI(name, o, e)                                                                                   \
    {name " mm,imm", 0, 0x0F00 | (o), CM, CM, F_REG | F_IMM, e, SSE2}, {name " xmm,imm", 0x66, 0x0F00 | (o), CX, CX, F_REG | F_IMM, e, SSE2}
#define SSSE3_2(name, o) {name " mm", 0, 0x0F3800 | (o), CM, CM, F_BOTH, -1, SSSE3}, {name " xmm", 0x66, 0x0F3800 | (o), CX, CX, F_BOTH, -1, SSSE3}
#define X41(name, o) {name, 0x66, 0x0F3800 | (o), CX, CX, F_BOTH, -1, SSE41}
#define X42(name, o) {name, 0x66, 0x0F3800 | (o), CX, CX, F_BOTH, -1, SSE42}

static const struct op ops[] = {
    BOTH("punpcklbw", 0x60), BOTH("punpcklwd", 0x61), BOTH("punpckldq", 0x62), BOTH("packsswb", 0x63),
    BOTH("pcmpgtb", 0x64), BOTH("pcmpgtw", 0x65), BOTH("pcmpgtd", 0x66), BOTH("packuswb", 0x67),
    BOTH("punpckhbw", 0x68), BOTH("punpckhwd", 0x69), BOTH("punpckhdq", 0x6A), BOTH("packssdw", 0x6B),
    {"punpcklqdq", 0x66, 0x0F6C, CX, CX, F_BOTH, -1, SSE2}, {"punpckhqdq", 0x66, 0x0F6D, CX, CX, F_BOTH, -1, SSE2},
    BOTH("pcmpeqb", 0x74), BOTH("pcmpeqw", 0x75), BOTH("pcmpeqd", 0x76),
    BOTH("psrlw", 0xD1), BOTH("psrld", 0xD2), BOTH("psrlq", 0xD3), BOTH("paddq", 0xD4), BOTH("pmullw", 0xD5),
    BOTH("psubusb", 0xD8), BOTH("psubusw", 0xD9), BOTH("pminub", 0xDA), BOTH("pand", 0xDB),
    BOTH("paddusb", 0xDC), BOTH("paddusw", 0xDD), BOTH("pmaxub", 0xDE), BOTH("pandn", 0xDF),
    BOTH("pavgb", 0xE0), BOTH("psraw", 0xE1), BOTH("psrad", 0xE2), BOTH("pavgw", 0xE3), BOTH("pmulhuw", 0xE4),
    BOTH("pmulhw", 0xE5), BOTH("psubsb", 0xE8), BOTH("psubsw", 0xE9), BOTH("pminsw", 0xEA), BOTH("por", 0xEB),
    BOTH("paddsb", 0xEC), BOTH("paddsw", 0xED), BOTH("pmaxsw", 0xEE), BOTH("pxor", 0xEF),
    BOTH("psllw", 0xF1), BOTH("pslld", 0xF2), BOTH("psllq", 0xF3), BOTH("pmuludq", 0xF4), BOTH("pmaddwd", 0xF5),
    BOTH("psadbw", 0xF6), BOTH("psubb", 0xF8), BOTH("psubw", 0xF9), BOTH("psubd", 0xFA), BOTH("psubq", 0xFB),
    BOTH("paddb", 0xFC), BOTH("paddw", 0xFD), BOTH("paddd", 0xFE),
    SHIFTI("psrlw", 0x71, 2), SHIFTI("psraw", 0x71, 4), SHIFTI("psllw", 0x71, 6),
    SHIFTI("psrld", 0x72, 2), SHIFTI("psrad", 0x72, 4), SHIFTI("pslld", 0x72, 6),
    SHIFTI("psrlq", 0x73, 2), SHIFTI("psllq", 0x73, 6),
    {"psrldq", 0x66, 0x0F73, CX, CX, F_REG | F_IMM, 3, SSE2}, {"pslldq", 0x66, 0x0F73, CX, CX, F_REG | F_IMM, 7, SSE2},
    {"unpcklps", 0, 0x0F14, CX, CX, F_BOTH, -1, SSE2}, {"unpcklpd", 0x66, 0x0F14, CX, CX, F_BOTH, -1, SSE2},
    {"unpckhps", 0, 0x0F15, CX, CX, F_BOTH, -1, SSE2}, {"unpckhpd", 0x66, 0x0F15, CX, CX, F_BOTH, -1, SSE2},
    {"andps", 0, 0x0F54, CX, CX, F_BOTH, -1, SSE2}, {"andpd", 0x66, 0x0F54, CX, CX, F_BOTH, -1, SSE2},
    {"andnps", 0, 0x0F55, CX, CX, F_BOTH, -1, SSE2}, {"andnpd", 0x66, 0x0F55, CX, CX, F_BOTH, -1, SSE2},
    {"orps", 0, 0x0F56, CX, CX, F_BOTH, -1, SSE2}, {"orpd", 0x66, 0x0F56, CX, CX, F_BOTH, -1, SSE2},
    {"xorps", 0, 0x0F57, CX, CX, F_BOTH, -1, SSE2}, {"xorpd", 0x66, 0x0F57, CX, CX, F_BOTH, -1, SSE2},
    {"pshufw", 0, 0x0F70, CM, CM, F_BOTH | F_IMM, -1, SSE2}, {"pshufd", 0x66, 0x0F70, CX, CX, F_BOTH | F_IMM, -1, SSE2},
    {"pshufhw", 0xF3, 0x0F70, CX, CX, F_BOTH | F_IMM, -1, SSE2}, {"pshuflw", 0xF2, 0x0F70, CX, CX, F_BOTH | F_IMM, -1, SSE2},
    {"shufps", 0, 0x0FC6, CX, CX, F_BOTH | F_IMM, -1, SSE2}, {"shufpd", 0x66, 0x0FC6, CX, CX, F_BOTH | F_IMM, -1, SSE2},
    {"pinsrw mm", 0, 0x0FC4, CM, CG, F_BOTH | F_IMM, -1, SSE2}, {"pinsrw xmm", 0x66, 0x0FC4, CX, CG, F_BOTH | F_IMM, -1, SSE2},
    {"pextrw mm", 0, 0x0FC5, CG, CM, F_REG | F_IMM, -1, SSE2}, {"pextrw xmm", 0x66, 0x0FC5, CG, CX, F_REG | F_IMM, -1, SSE2},
    /* moves */
    {"movups", 0, 0x0F10, CX, CX, F_BOTH, -1, SSE2}, {"movupd", 0x66, 0x0F10, CX, CX, F_BOTH, -1, SSE2},
    {"movss", 0xF3, 0x0F10, CX, CX, F_BOTH, -1, SSE2}, {"movsd", 0xF2, 0x0F10, CX, CX, F_BOTH, -1, SSE2},
    {"movups st", 0, 0x0F11, CX, CX, F_BOTH, -1, SSE2}, {"movupd st", 0x66, 0x0F11, CX, CX, F_BOTH, -1, SSE2},
    {"movss st", 0xF3, 0x0F11, CX, CX, F_BOTH, -1, SSE2}, {"movsd st", 0xF2, 0x0F11, CX, CX, F_BOTH, -1, SSE2},
    {"movlps/movhlps", 0, 0x0F12, CX, CX, F_BOTH, -1, SSE2}, {"movlpd", 0x66, 0x0F12, CX, CX, F_MEM, -1, SSE2},
    {"movsldup", 0xF3, 0x0F12, CX, CX, F_BOTH, -1, SSE3}, {"movddup", 0xF2, 0x0F12, CX, CX, F_BOTH, -1, SSE3},
    {"movlps st", 0, 0x0F13, CX, CX, F_MEM, -1, SSE2}, {"movlpd st", 0x66, 0x0F13, CX, CX, F_MEM, -1, SSE2},
    {"movhps/movlhps", 0, 0x0F16, CX, CX, F_BOTH, -1, SSE2}, {"movhpd", 0x66, 0x0F16, CX, CX, F_MEM, -1, SSE2},
    {"movshdup", 0xF3, 0x0F16, CX, CX, F_BOTH, -1, SSE3},
    {"movhps st", 0, 0x0F17, CX, CX, F_MEM, -1, SSE2}, {"movhpd st", 0x66, 0x0F17, CX, CX, F_MEM, -1, SSE2},
    {"movaps", 0, 0x0F28, CX, CX, F_BOTH, -1, SSE2}, {"movapd", 0x66, 0x0F28, CX, CX, F_BOTH, -1, SSE2},
    {"movaps st", 0, 0x0F29, CX, CX, F_BOTH, -1, SSE2}, {"movapd st", 0x66, 0x0F29, CX, CX, F_BOTH, -1, SSE2},
    {"movntps", 0, 0x0F2B, CX, CX, F_MEM, -1, SSE2}, {"movntpd", 0x66, 0x0F2B, CX, CX, F_MEM, -1, SSE2},
    {"movmskps", 0, 0x0F50, CG, CX, F_REG, -1, SSE2}, {"movmskpd", 0x66, 0x0F50, CG, CX, F_REG, -1, SSE2},
    {"movd mm,r/m32", 0, 0x0F6E, CM, CG, F_BOTH, -1, SSE2}, {"movd xmm,r/m32", 0x66, 0x0F6E, CX, CG, F_BOTH, -1, SSE2},
    {"movd r/m32,mm", 0, 0x0F7E, CM, CG, F_BOTH, -1, SSE2}, {"movd r/m32,xmm", 0x66, 0x0F7E, CX, CG, F_BOTH, -1, SSE2},
    {"movq xmm,xmm/m64", 0xF3, 0x0F7E, CX, CX, F_BOTH, -1, SSE2},
    {"movq mm", 0, 0x0F6F, CM, CM, F_BOTH, -1, SSE2}, {"movdqa", 0x66, 0x0F6F, CX, CX, F_BOTH, -1, SSE2},
    {"movdqu", 0xF3, 0x0F6F, CX, CX, F_BOTH, -1, SSE2},
    {"movq mm st", 0, 0x0F7F, CM, CM, F_BOTH, -1, SSE2}, {"movdqa st", 0x66, 0x0F7F, CX, CX, F_BOTH, -1, SSE2},
    {"movdqu st", 0xF3, 0x0F7F, CX, CX, F_BOTH, -1, SSE2},
    {"movq xmm/m64,xmm", 0x66, 0x0FD6, CX, CX, F_BOTH, -1, SSE2}, {"movq2dq", 0xF3, 0x0FD6, CX, CM, F_REG, -1, SSE2},
    {"movdq2q", 0xF2, 0x0FD6, CM, CX, F_REG, -1, SSE2},
    {"pmovmskb mm", 0, 0x0FD7, CG, CM, F_REG, -1, SSE2}, {"pmovmskb xmm", 0x66, 0x0FD7, CG, CX, F_REG, -1, SSE2},
    {"movnti", 0, 0x0FC3, CG, CG, F_MEM, -1, SSE2},
    {"movntq", 0, 0x0FE7, CM, CM, F_MEM, -1, SSE2}, {"movntdq", 0x66, 0x0FE7, CX, CX, F_MEM, -1, SSE2},
    {"lddqu", 0xF2, 0x0FF0, CX, CX, F_MEM, -1, SSE3},
    {"maskmovq", 0, 0x0FF7, CM, CM, F_REG, -1, SSE2}, {"maskmovdqu", 0x66, 0x0FF7, CX, CX, F_REG, -1, SSE2},
    /* SSSE3 */
    SSSE3_2("pshufb", 0x00), SSSE3_2("phaddw", 0x01), SSSE3_2("phaddd", 0x02), SSSE3_2("phaddsw", 0x03),
    SSSE3_2("pmaddubsw", 0x04), SSSE3_2("phsubw", 0x05), SSSE3_2("phsubd", 0x06), SSSE3_2("phsubsw", 0x07),
    SSSE3_2("psignb", 0x08), SSSE3_2("psignw", 0x09), SSSE3_2("psignd", 0x0A), SSSE3_2("pmulhrsw", 0x0B),
    SSSE3_2("pabsb", 0x1C), SSSE3_2("pabsw", 0x1D), SSSE3_2("pabsd", 0x1E),
    {"palignr mm", 0, 0x0F3A0F, CM, CM, F_BOTH | F_IMM, -1, SSSE3}, {"palignr xmm", 0x66, 0x0F3A0F, CX, CX, F_BOTH | F_IMM, -1, SSSE3},
    /* SSE4.1 */
    X41("pblendvb", 0x10), X41("ptest", 0x17), X41("pmovsxbw", 0x20), X41("pmovsxbd", 0x21), X41("pmovsxbq", 0x22),
    X41("pmovsxwd", 0x23), X41("pmovsxwq", 0x24), X41("pmovsxdq", 0x25), X41("pmuldq", 0x28), X41("pcmpeqq", 0x29),
    {"movntdqa", 0x66, 0x0F382A, CX, CX, F_MEM, -1, SSE41}, X41("packusdw", 0x2B),
    X41("pmovzxbw", 0x30), X41("pmovzxbd", 0x31), X41("pmovzxbq", 0x32), X41("pmovzxwd", 0x33), X41("pmovzxwq", 0x34),
    X41("pmovzxdq", 0x35), X41("pminsb", 0x38), X41("pminsd", 0x39), X41("pminuw", 0x3A), X41("pminud", 0x3B),
    X41("pmaxsb", 0x3C), X41("pmaxsd", 0x3D), X41("pmaxuw", 0x3E), X41("pmaxud", 0x3F), X41("pmulld", 0x40),
    X41("phminposuw", 0x41),
    {"pblendw", 0x66, 0x0F3A0E, CX, CX, F_BOTH | F_IMM, -1, SSE41},
    {"pextrb", 0x66, 0x0F3A14, CX, CG, F_BOTH | F_IMM, -1, SSE41}, {"pextrw r/m16", 0x66, 0x0F3A15, CX, CG, F_BOTH | F_IMM, -1, SSE41},
    {"pextrd", 0x66, 0x0F3A16, CX, CG, F_BOTH | F_IMM, -1, SSE41},
    {"pinsrb", 0x66, 0x0F3A20, CX, CG, F_BOTH | F_IMM, -1, SSE41}, {"pinsrd", 0x66, 0x0F3A22, CX, CG, F_BOTH | F_IMM, -1, SSE41},
    {"mpsadbw", 0x66, 0x0F3A42, CX, CX, F_BOTH | F_IMM, -1, SSE41},
    /* SSE4.2, POPCNT */
    X42("pcmpgtq", 0x37),
    {"popcnt r32", 0xF3, 0x0FB8, CG, CG, F_BOTH | F_O32, -1, POPCNT},
};
#define NOPS (sizeof ops / sizeof ops[0])

/* ---- state ---- */

struct state {
    xmm_reg x[8];     /* 0 */
    uint64_t mm[8];   /* 128 */
    uint64_t g[3];    /* 192: RAX RCX RDX */
    uint64_t vec;     /* 216: exception vector (emulator), -1 for none */
    uint64_t flags;   /* 224: EFLAGS (arithmetic flags compared) */
    uint64_t pad[3];
    uint8_t mem[32];  /* 256 */
} __attribute__((aligned(64)));

static void rand_state(struct state *s, const struct op *o)
{
    for (unsigned k = 0; k < sizeof *s / 8; k++)
        ((uint64_t *)s)[k] = rnd();
    /* lanes that often agree, extremes, small shift counts */
    for (unsigned k = 0; k < 8; k++) {
        unsigned how = (unsigned)(rnd() % 8);
        if (how == 0)
            s->x[k] = s->x[(k + 1) & 7];
        else if (how == 1)
            s->x[k].q[0] = s->x[k].q[1] = rnd() % 80;
        else if (how == 2)
            for (unsigned b = 0; b < 16; b++)
                s->x[k].b[b] = (uint8_t)(rnd() % 3 == 0 ? 0x80 : rnd() % 3 == 0 ? 0x7F : s->x[k].b[b]);
        how = (unsigned)(rnd() % 8);
        if (how == 0)
            s->mm[k] = s->mm[(k + 1) & 7];
        else if (how == 1)
            s->mm[k] = rnd() % 80;
    }
    if (rnd() % 4 == 0)
        memcpy(s->mem, &s->x[rnd() & 7], 16);
    if (rnd() % 4 == 0)
        memcpy(s->mem, &(uint64_t){rnd() % 80}, 8);
    s->flags = 0x202 | (rnd() & F_ARITH);
    (void)o;
}

/* Instruction bytes: prefix, opcode, ModR/M (memory: [rsi] / with 67h [esi]), imm8. */
static unsigned encode(const struct op *o, uint8_t *p, bool mem, unsigned reg, unsigned rm, uint8_t imm, bool emu)
{
    unsigned n = 0;
    if (emu && mem)
        p[n++] = 0x67;
    if (emu && (o->flags & F_O32))
        p[n++] = 0x66;
    if (o->pfx)
        p[n++] = o->pfx;
    p[n++] = 0x0F;
    if (o->opc > 0xFFFF)
        p[n++] = (uint8_t)(o->opc >> 8);
    p[n++] = (uint8_t)o->opc;
    unsigned r = o->ext >= 0 ? (unsigned)o->ext : reg;
    p[n++] = mem ? (uint8_t)(r << 3 | 6) : (uint8_t)(0xC0 | r << 3 | rm);
    if (o->flags & F_IMM)
        p[n++] = imm;
    return n;
}

static void emu_exec(const uint8_t *code, unsigned n, struct state *s)
{
    for (unsigned k = 0; k < 8; k++) {
        cpu->sse.xmm[k] = s->x[k];
        cpu->fpu.reg[k].sig = s->mm[k];
        cpu->fpu.reg[k].se = 0xFFFF;
    }
    cpu->regs[R_AX] = s->g[0];
    cpu->regs[R_CX] = s->g[1];
    cpu->regs[R_DX] = s->g[2];
    cpu->regs[R_SI] = cpu->regs[R_DI] = DATA;
    put_bytes(DATA, s->mem, 32);
    lf_set_flags(cpu, (uint32_t)s->flags & F_ARITH);
    int vec = run_insn(code, n);
    for (unsigned k = 0; k < 8; k++) {
        s->x[k] = cpu->sse.xmm[k];
        s->mm[k] = cpu->fpu.reg[k].sig;
    }
    s->g[0] = cpu->regs[R_AX];
    s->g[1] = cpu->regs[R_CX];
    s->g[2] = cpu->regs[R_DX];
    s->flags = cpu_get_eflags(cpu);
    for (unsigned k = 0; k < 32; k++)
        s->mem[k] = (uint8_t)rd(DATA + k, 1);
    s->vec = (uint64_t)(int64_t)vec;
}

#if defined(__x86_64__)
static uint8_t *host_code;

static uint8_t *emit_r11(uint8_t *p, uint8_t rex, uint8_t pfx, uint8_t op, unsigned reg, uint32_t disp)
{
    if (pfx)
        *p++ = pfx;
    *p++ = rex;
    if (op != 0x8B && op != 0x89)
        *p++ = 0x0F;
    *p++ = op;
    *p++ = (uint8_t)(0x80 | reg << 3 | 3); /* [r11 + disp32] */
    memcpy(p, &disp, 4);
    return p + 4;
}

/* mov r11, rdi; loads; mov rsi, rdi <- &mem; insn; stores; emms; ret */
static void host_exec(const uint8_t *insn, unsigned n, struct state *s)
{
    uint8_t *p = host_code;
    *p++ = 0x49; *p++ = 0x89; *p++ = 0xFB; /* mov r11, rdi */
    for (unsigned k = 0; k < 8; k++)
        p = emit_r11(p, 0x41, 0xF3, 0x6F, k, 16 * k);        /* movdqu xmmk, [r11+16k] */
    for (unsigned k = 0; k < 8; k++)
        p = emit_r11(p, 0x41, 0, 0x6F, k, 128 + 8 * k);      /* movq mmk, [r11+...] */
    p = emit_r11(p, 0x49, 0, 0x8B, 0, 192);                  /* mov rax, [r11+192] */
    p = emit_r11(p, 0x49, 0, 0x8B, 1, 200);
    p = emit_r11(p, 0x49, 0, 0x8B, 2, 208);
    *p++ = 0x49; *p++ = 0x8D; *p++ = 0xB3; memcpy(p, &(uint32_t){256}, 4); p += 4; /* lea rsi, [r11+256] */
    *p++ = 0x48; *p++ = 0x89; *p++ = 0xF7;                   /* mov rdi, rsi */
    *p++ = 0x41; *p++ = 0xFF; *p++ = 0xB3; memcpy(p, &(uint32_t){224}, 4); p += 4; /* push [r11+224] */
    *p++ = 0x9D;                                                                 /* popfq */
    memcpy(p, insn, n);
    p += n;
    *p++ = 0x9C; *p++ = 0x41; *p++ = 0x5A;                                       /* pushfq; pop r10 */
    *p++ = 0x4D; *p++ = 0x89; *p++ = 0x93; memcpy(p, &(uint32_t){224}, 4); p += 4; /* mov [r11+224], r10 */
    for (unsigned k = 0; k < 8; k++)
        p = emit_r11(p, 0x41, 0xF3, 0x7F, k, 16 * k);
    for (unsigned k = 0; k < 8; k++)
        p = emit_r11(p, 0x41, 0, 0x7F, k, 128 + 8 * k);
    p = emit_r11(p, 0x49, 0, 0x89, 0, 192);
    p = emit_r11(p, 0x49, 0, 0x89, 1, 200);
    p = emit_r11(p, 0x49, 0, 0x89, 2, 208);
    *p++ = 0x0F; *p++ = 0x77; /* emms */
    *p++ = 0xC3;
    ((void (*)(void *))(void *)host_code)(s);
    s->vec = (uint64_t)-1;
}

static bool host_has(enum feat f)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(1, &a, &b, &c, &d);
    switch (f) {
    case SSE2: return (d >> 26) & 1;
    case SSE3: return c & 1;
    case SSSE3: return (c >> 9) & 1;
    case SSE41: return (c >> 19) & 1;
    case SSE42: return (c >> 20) & 1;
    default: return (c >> 23) & 1;
    }
}
#endif

static bool same(const struct state *a, const struct state *b)
{
    return memcmp(a->x, b->x, sizeof a->x) == 0 && memcmp(a->mm, b->mm, sizeof a->mm) == 0 &&
           memcmp(a->g, b->g, sizeof a->g) == 0 && memcmp(a->mem, b->mem, sizeof a->mem) == 0 &&
           a->vec == b->vec && ((a->flags ^ b->flags) & F_ARITH) == 0;
}

static void show(const char *what, const struct state *s)
{
    printf("    %s:", what);
    for (unsigned k = 0; k < 8; k++)
        printf(" x%u=%016llx%016llx", k, (unsigned long long)s->x[k].q[1], (unsigned long long)s->x[k].q[0]);
    printf("\n          ");
    for (unsigned k = 0; k < 8; k++)
        printf(" mm%u=%016llx", k, (unsigned long long)s->mm[k]);
    printf("\n           rax=%llx rcx=%llx rdx=%llx fl=%03llx vec=%lld mem", (unsigned long long)s->g[0],
           (unsigned long long)s->g[1], (unsigned long long)s->g[2], (unsigned long long)s->flags & 0xFFF,
           (long long)s->vec);
    for (unsigned k = 0; k < 32; k++)
        printf("%s%02x", k % 8 ? "" : " ", s->mem[k]);
    printf("\n");
}

static unsigned run_table(const struct op *table, unsigned count, unsigned per_op, unsigned *total)
{
    unsigned all_fails = 0;
#if defined(__x86_64__)
    for (unsigned n = 0; n < count; n++) {
        const struct op *o = &table[n];
        if (!host_has(o->feat)) {
            printf("  %-20s skipped: the host lacks the feature\n", o->name);
            continue;
        }
        unsigned fails = 0;
        for (unsigned t = 0; t < per_op; t++) {
            struct state in, h, e;
            rand_state(&in, o);
            bool mem = (o->flags & F_BOTH) == F_MEM || ((o->flags & F_MEM) && (rnd() & 1));
            unsigned reg = (unsigned)(rnd() % (o->reg == CG ? 3 : 8));
            unsigned rm = (unsigned)(rnd() % (o->rm == CG ? 3 : 8));
            uint8_t imm = (uint8_t)(rnd() % 3 == 0 ? rnd() % 20 : rnd());
            uint8_t hb[20], eb[20];
            unsigned hn = encode(o, hb, mem, reg, rm, imm, false), en = encode(o, eb, mem, reg, rm, imm, true);
            h = in;
            e = in;
            host_exec(hb, hn, &h);
            emu_exec(eb, en, &e);
            if (!same(&h, &e)) {
                if (fails++ < 3) {
                    printf("  MISMATCH %s (%s reg %u rm %u imm %02x)\n", o->name, mem ? "mem" : "reg", reg, rm, imm);
                    show("in  ", &in);
                    show("host", &h);
                    show("emu ", &e);
                }
            }
        }
        if (fails)
            printf("  %-20s %u/%u mismatches\n", o->name, fails, per_op);
        all_fails += fails;
        *total += per_op;
    }
#else
    (void)table;
    (void)count;
    (void)per_op;
    (void)total;
#endif
    return all_fails;
}

static unsigned iterations(void)
{
    const char *env_n = getenv("SSE_TEST_ITER");
    return env_n ? (unsigned)atoi(env_n) : 3000;
}

START_TEST(host_differential)
{
#if defined(__x86_64__)
    host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (host_code == MAP_FAILED) {
        printf("sse host-differential: skipped (no executable memory for the host code)\n");
        return;
    }
    unsigned total = 0, fails = run_table(ops, NOPS, iterations(), &total);
    printf("sse host-differential: %u instruction forms, %u runs, %u mismatches\n", (unsigned)NOPS, total, fails);
    munmap(host_code, 4096);
    ck_assert_uint_eq(fails, 0);
#else
    printf("sse host-differential: skipped (not an x86-64 host)\n");
#endif
}
END_TEST

/* ---- architectural tests ---- */

START_TEST(availability)
{
    /* 66 0F FC C1: PADDB xmm0, xmm1; 0F FC C1: PADDB mm0, mm1 */
    ck_assert_int_eq(run_hex("66 0F FC C1"), -1);
    ck_assert_int_eq(run_hex("0F FC C1"), -1);
    cpu->cr4 &= ~0x200ull; /* OSFXSR = 0: SSE is #UD, MMX is not */
    ck_assert_int_eq(run_hex("66 0F FC C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F 28 C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F FC C1"), -1);
    cpu->cr0 |= CR0_TS; /* #UD ranks before #NM */
    ck_assert_int_eq(run_hex("66 0F FC C1"), EXC_UD);
    cpu->cr4 |= 0x200;
    ck_assert_int_eq(run_hex("66 0F FC C1"), EXC_NM);
    ck_assert_int_eq(run_hex("0F FC C1"), EXC_NM);
    ck_assert_int_eq(run_hex("0F 77"), EXC_NM);       /* EMMS */
    ck_assert_int_eq(run_hex("0F AE E8"), -1);        /* LFENCE: no CR0 conditions */
    cpu->cr0 = (cpu->cr0 & ~(uint64_t)CR0_TS) | CR0_EM;
    ck_assert_int_eq(run_hex("66 0F FC C1"), EXC_UD);
    ck_assert_int_eq(run_hex("0F FC C1"), EXC_UD);
    cpu->regs[R_SI] = DATA;
    ck_assert_int_eq(run_hex("0F AE 14"), EXC_UD);    /* LDMXCSR [si] */
    ck_assert_int_eq(run_hex("0F C3 04"), -1);        /* MOVNTI [si], eax: an integer store */
    cpu->cr0 &= ~(uint64_t)CR0_EM;
    /* register-only and memory-only forms */
    ck_assert_int_eq(run_hex("66 0F 12 C1"), EXC_UD); /* MOVLPD xmm, xmm */
    ck_assert_int_eq(run_hex("0F 13 C1"), EXC_UD);    /* MOVLPS xmm, xmm */
    ck_assert_int_eq(run_hex("0F 50 04"), EXC_UD);    /* MOVMSKPS r, m */
    ck_assert_int_eq(run_hex("0F 73 1C 01"), EXC_UD); /* PSRLDQ needs 66 */
    ck_assert_int_eq(run_hex("66 0F 73 1C 01"), EXC_UD); /* ... and a register */
    ck_assert_int_eq(run_hex("0F AE 2C"), EXC_UD);    /* XRSTOR: no XSAVE */
    ck_assert_int_eq(run_hex("F0 66 0F FC C1"), EXC_UD); /* LOCK */
}
END_TEST

START_TEST(alignment)
{
    cpu->regs[R_SI] = DATA + 8;
    const char *aligned[] = {"0F 28 04", "66 0F 28 04", "0F 29 04", "66 0F 6F 04", "66 0F 7F 04", "66 0F FC 04",
                             "0F 54 04", "66 0F 70 04 1B", "0F 2B 04", "66 0F E7 04", "F3 0F 12 04", "0F C6 04 00"};
    for (unsigned k = 0; k < sizeof aligned / sizeof aligned[0]; k++)
        ck_assert_msg(run_hex(aligned[k]) == EXC_GP, "%s", aligned[k]);
    const char *unaligned[] = {"0F 10 04", "0F 11 04", "F3 0F 6F 04", "F3 0F 7F 04", "F2 0F F0 04", "F3 0F 10 04",
                               "F2 0F 10 04", "0F 12 04", "0F 17 04", "F3 0F 7E 04", "66 0F D6 04", "0F FC 04",
                               "F2 0F 12 04"};
    for (unsigned k = 0; k < sizeof unaligned / sizeof unaligned[0]; k++)
        ck_assert_msg(run_hex(unaligned[k]) == -1, "%s", unaligned[k]);
    /* a faulting 16-byte store leaves memory alone: MOVUPS across the 64 KiB real-mode limit */
    cpu->regs[R_SI] = 0xFFF8;
    physmem_write(pm, 0xFFF8, 0x1122334455667788ull, 8);
    cpu->sse.xmm[0].q[0] = 0;
    ck_assert_int_eq(run_hex("0F 11 04"), EXC_GP);
    ck_assert_uint_eq(rd(0xFFF8, 8), 0x1122334455667788ull);
}
END_TEST

START_TEST(mxcsr)
{
    cpu->regs[R_SI] = DATA;
    physmem_write(pm, DATA, 0xFFFF, 4);
    ck_assert_int_eq(run_hex("0F AE 14"), -1);      /* LDMXCSR: DAZ and every other low bit */
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0xFFFF);
    physmem_write(pm, DATA, 0x1F80 | 0x10000, 4);
    ck_assert_int_eq(run_hex("0F AE 14"), EXC_GP);  /* reserved bit 16 */
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0xFFFF);
    physmem_write(pm, DATA, 0x1F80, 4);
    ck_assert_int_eq(run_hex("0F AE 14"), -1);
    ck_assert_int_eq(run_hex("0F AE 5C 04"), -1);   /* STMXCSR [si+4] */
    ck_assert_uint_eq(rd(DATA + 4, 4), 0x1F80);
    ck_assert_int_eq(run_hex("0F AE D0"), EXC_UD);  /* register form */
    ck_assert_int_eq(run_hex("0F AE F0"), -1);      /* MFENCE */
    ck_assert_int_eq(run_hex("0F AE F8"), -1);      /* SFENCE */
    ck_assert_int_eq(run_hex("0F AE 3C"), -1);      /* CLFLUSH [si] */
    ck_assert_int_eq(run_hex("0F 18 04"), -1);      /* PREFETCHNTA */
    ck_assert_int_eq(run_hex("F3 90"), -1);         /* PAUSE */
}
END_TEST

/* MMX instructions make TOP 0 and every tag valid and write FFFFh to the
 * exponent field; EMMS empties the tags.  Compared with the host's FNSAVE. */
START_TEST(mmx_aliasing)
{
    /* fninit; fldpi x 8; fincstp x 2 (TOP = 2); ffree st(3); <insn>; fnsave: every register's
     * contents known, TOP not 0, one register empty */
    static const char *const prelude[] = {"D9 EB", "D9 EB", "D9 EB", "D9 EB", "D9 EB", "D9 EB", "D9 EB",
                                          "D9 EB", "D9 F7", "D9 F7", "DD C3"};
    const unsigned npre = sizeof prelude / sizeof prelude[0];
    const char *insns[] = {"0F 6E C0", "0F 77", "0F FC C9", "0F 7E C0", "0F 6F D3"};
    for (unsigned t = 0; t < sizeof insns / sizeof insns[0]; t++) {
        x87_init(&cpu->fpu);
        for (unsigned k = 0; k < npre; k++)
            ck_assert_int_eq(run_hex(prelude[k]), -1);
        ck_assert_uint_eq(cpu->fpu.top, 2);
        cpu->regs[R_AX] = 0x12345678;
        ck_assert_int_eq(run_hex(insns[t]), -1);
        ck_assert_uint_eq(cpu->fpu.top, 0);
        ck_assert_uint_eq(cpu->fpu.empty, t == 1 ? 0xFF : 0x00);
        uint8_t emu[108];
        cpu->regs[R_SI] = DATA;
        cpu->cr0 |= CR0_PE;
        ck_assert_int_eq(run_hex("66 DD 34"), -1); /* FNSAVE (32-bit protected-mode layout) */
        cpu->cr0 &= ~(uint64_t)CR0_PE;
        for (unsigned k = 0; k < 108; k++)
            emu[k] = (uint8_t)rd(DATA + k, 1);
        if (t == 1)
            ck_assert_uint_eq(emu[8] | emu[9] << 8, 0xFFFF); /* all empty */
#if defined(__x86_64__)
        uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ck_assert(code != MAP_FAILED);
        uint8_t *p = code;
        *p++ = 0xDB; *p++ = 0xE3;
        for (unsigned k = 0; k < npre; k++) {
            unsigned v0, v1;
            sscanf(prelude[k], "%2x %2x", &v0, &v1);
            *p++ = (uint8_t)v0;
            *p++ = (uint8_t)v1;
        }
        *p++ = 0xB8; memcpy(p, &(uint32_t){0x12345678}, 4); p += 4; /* mov eax, imm32 */
        uint8_t b[4];
        unsigned n = 0;
        for (const char *q = insns[t]; q[0] && q[1]; q += q[2] == ' ' ? 3 : 2) {
            unsigned v;
            sscanf(q, "%2x", &v);
            b[n++] = (uint8_t)v;
        }
        memcpy(p, b, n);
        p += n;
        *p++ = 0xDD; *p++ = 0x37; /* fnsave [rdi] */
        *p++ = 0xDB; *p++ = 0xE3;
        *p++ = 0xC3;
        uint8_t host[108];
        ((void (*)(void *))(void *)code)(host);
        munmap(code, 4096);
        /* control, status and tag words, and the registers; not the pointers */
        ck_assert_int_eq(memcmp(host, emu, 2), 0);
        ck_assert_int_eq(memcmp(host + 4, emu + 4, 2), 0);
        ck_assert_msg(memcmp(host + 8, emu + 8, 2) == 0, "%s: tag word host %04x emu %04x", insns[t],
                      host[8] | host[9] << 8, emu[8] | emu[9] << 8);
        ck_assert_msg(memcmp(host + 28, emu + 28, 80) == 0, "registers differ after %s", insns[t]);
#endif
    }
    /* #MF: a pending unmasked x87 exception stops an MMX instruction, not an SSE one */
    x87_init(&cpu->fpu);
    cpu->cr0 |= CR0_NE;
    cpu->fpu.fsw = FSW_ZE | FSW_ES | FSW_B;
    cpu->fpu.fcw = 0x037B;
    ck_assert_int_eq(run_hex("0F FC C1"), EXC_MF);
    ck_assert_int_eq(run_hex("66 0F FC C1"), -1);
}
END_TEST

START_TEST(fxsave_xmm)
{
    for (unsigned k = 0; k < 16; k++)
        for (unsigned q = 0; q < 2; q++)
            cpu->sse.xmm[k].q[q] = rnd();
    xmm_reg saved[16];
    memcpy(saved, cpu->sse.xmm, sizeof saved);
    for (unsigned k = 0; k < 512; k += 8)
        physmem_write(pm, DATA + k, 0xA5A5A5A5A5A5A5A5ull, 8);
    cpu->regs[R_SI] = DATA;
    ck_assert_int_eq(run_hex("0F AE 04"), -1); /* FXSAVE [si] */
    ck_assert_uint_eq(rd(DATA + 28, 4), 0xFFFF); /* MXCSR_MASK */
    for (unsigned k = 0; k < 8; k++) {
        ck_assert_uint_eq(rd(DATA + 160 + 16 * k, 8), saved[k].q[0]);
        ck_assert_uint_eq(rd(DATA + 168 + 16 * k, 8), saved[k].q[1]);
    }
    ck_assert_uint_eq(rd(DATA + 288, 8), 0xA5A5A5A5A5A5A5A5ull); /* XMM8-15 only in 64-bit mode */
    memset(cpu->sse.xmm, 0, sizeof cpu->sse.xmm);
    physmem_write(pm, DATA + 160, 0x0123456789ABCDEFull, 8);
    ck_assert_int_eq(run_hex("0F AE 0C"), -1); /* FXRSTOR [si] */
    ck_assert_uint_eq(cpu->sse.xmm[0].q[0], 0x0123456789ABCDEFull);
    ck_assert_uint_eq(cpu->sse.xmm[0].q[1], saved[0].q[1]);
    for (unsigned k = 1; k < 8; k++)
        ck_assert_int_eq(memcmp(&cpu->sse.xmm[k], &saved[k], 16), 0);
    for (unsigned k = 8; k < 16; k++)
        ck_assert_uint_eq(cpu->sse.xmm[k].q[0], 0);
}
END_TEST

/* MASKMOVQ/MASKMOVDQU honour a segment override (DS:rDI by default). */
START_TEST(maskmov_segment)
{
    cpu->seg[S_ES].base = 0x2000;
    cpu->regs[R_DI] = 0x10;
    cpu->sse.xmm[0].q[0] = 0x8877665544332211ull;
    cpu->sse.xmm[0].q[1] = 0xFFEEDDCCBBAA9988ull;
    cpu->sse.xmm[1].q[0] = 0x8000800080008000ull;
    cpu->sse.xmm[1].q[1] = 0x0000000000000080ull;
    ck_assert_int_eq(run_hex("26 66 0F F7 C1"), -1);
    ck_assert_uint_eq(rd(0x2010, 8), 0x8800660044002200ull);
    ck_assert_uint_eq(rd(0x2018, 8), 0x88ull);
}
END_TEST

/* 64-bit mode (identity-mapped first 2 MiB): REX.R/REX.B reach XMM8-15, REX.W
 * makes MOVD/PEXTRD/PINSRD/POPCNT 64-bit, FXSAVE stores XMM8-15. */
START_TEST(long_mode_rex)
{
    physmem_write(pm, 0x10000, 0x11000 | 3, 8); /* PML4[0] -> PDPT */
    physmem_write(pm, 0x11000, 0x12000 | 3, 8); /* PDPT[0] -> PD */
    physmem_write(pm, 0x12000, 0x0 | 0x83, 8);  /* PD[0]: 2 MiB page at 0 */
    cpu->cr3 = 0x10000;
    cpu->cr4 |= 0x20;                            /* PAE */
    cpu->efer |= 0x500;                          /* LME, LMA */
    cpu->cr0 |= CR0_PE | CR0_PG;
    cpu->seg[S_CS].attr = 0x9B | SEG_ATTR_L;
    cpu_update_mode(cpu);
    tlb_flush(cpu);
    ck_assert(cpu->mode64);
    for (unsigned k = 0; k < 16; k++)
        for (unsigned q = 0; q < 2; q++)
            cpu->sse.xmm[k].q[q] = 0x0101010101010101ull * k + q;
    ck_assert_int_eq(run_hex("66 45 0F FE C1"), -1);   /* PADDD xmm8, xmm9 */
    ck_assert_uint_eq(cpu->sse.xmm[8].d[0], 0x11111111u);
    ck_assert_uint_eq(cpu->sse.xmm[8].d[2], 0x11111111u + 2);
    cpu->regs[R_SI] = DATA;
    physmem_write(pm, DATA, 0xCAFEF00D12345678ull, 8);
    physmem_write(pm, DATA + 8, 0x1122334455667788ull, 8);
    ck_assert_int_eq(run_hex("66 44 0F 6F 3E"), -1);   /* MOVDQA xmm15, [rsi] */
    ck_assert_uint_eq(cpu->sse.xmm[15].q[0], 0xCAFEF00D12345678ull);
    ck_assert_uint_eq(cpu->sse.xmm[15].q[1], 0x1122334455667788ull);
    ck_assert_int_eq(run_hex("66 4C 0F 7E F8"), -1);   /* MOVQ rax, xmm15 */
    ck_assert_uint_eq(cpu->regs[R_AX], 0xCAFEF00D12345678ull);
    cpu->regs[R_CX] = 0xFFFF0000FFFF0000ull;
    ck_assert_int_eq(run_hex("66 4C 0F 6E D1"), -1);   /* MOVQ xmm10, rcx */
    ck_assert_uint_eq(cpu->sse.xmm[10].q[0], 0xFFFF0000FFFF0000ull);
    ck_assert_uint_eq(cpu->sse.xmm[10].q[1], 0);
    ck_assert_int_eq(run_hex("66 0F 7E C8"), -1);      /* MOVD eax, xmm1: zero-extended */
    ck_assert_uint_eq(cpu->regs[R_AX], 0x01010101u);
    ck_assert_int_eq(run_hex("66 49 0F 3A 16 F8 01"), -1); /* PEXTRQ r8, xmm7, 1 */
    ck_assert_uint_eq(cpu->regs[R_R8], 0x0707070707070707ull + 1);
    ck_assert_int_eq(run_hex("F3 48 0F B8 C1"), -1);   /* POPCNT rax, rcx */
    ck_assert_uint_eq(cpu->regs[R_AX], 32);
    ck_assert_int_eq(run_hex("0F 6F C8"), -1);         /* MOVQ mm1, mm0 ... */
    ck_assert_int_eq(run_hex("41 0F 6F C8"), -1);      /* ... REX.B does not make it mm8 */
    /* FXSAVE64 / FXRSTOR64: XMM8-15 at 288-415 */
    ck_assert_int_eq(run_hex("48 0F AE 06"), -1);
    for (unsigned k = 0; k < 16; k++)
        ck_assert_uint_eq(rd(DATA + 160 + 16 * k, 8), cpu->sse.xmm[k].q[0]);
    physmem_write(pm, DATA + 160 + 16 * 12, 0x5A5A5A5A5A5A5A5Aull, 8);
    ck_assert_int_eq(run_hex("48 0F AE 0E"), -1);
    ck_assert_uint_eq(cpu->sse.xmm[12].q[0], 0x5A5A5A5A5A5A5A5Aull);
}
END_TEST

Suite *sse_suite(void);
Suite *sse_suite(void)
{
    Suite *s = suite_create("sse");
    TCase *tc = tcase_create("host");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, host_differential);
    suite_add_tcase(s, tc);
    TCase *arch = tcase_create("architecture");
    tcase_add_checked_fixture(arch, setup, teardown);
    tcase_add_test(arch, availability);
    tcase_add_test(arch, alignment);
    tcase_add_test(arch, mxcsr);
    tcase_add_test(arch, mmx_aliasing);
    tcase_add_test(arch, fxsave_xmm);
    tcase_add_test(arch, maskmov_segment);
    tcase_add_test(arch, long_mode_rex);
    suite_add_tcase(s, arch);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sse_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
