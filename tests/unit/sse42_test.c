/* SSE4.2 tests: PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM and CRC32.
 *
 * The main tests are host-differential (x86-64 hosts with SSE4.2 only): the
 * same instruction bytes run in 64-bit mode on the emulator and on the host
 * (from a generated code buffer that loads XMM0-15, RAX/RCX/RDX/R8/R9, the
 * arithmetic flags and RSI = a memory operand at a random, mostly unaligned
 * offset, runs the instruction and stores everything back); the registers,
 * the six arithmetic flags and the memory must agree bit for bit.  The string
 * instructions go through every one of the 128 meaningful imm8 controls (bit 7,
 * reserved, random) on inputs biased toward short strings, embedded NULs,
 * shared characters, substrings, range pairs and boundary lengths (explicit
 * lengths negative, above 16, with garbage in the upper half of RAX/RDX).
 * CRC32 covers every source width (8 with and without REX.W, 16, 32, 64, and
 * the 66h/REX.W combinations).
 *
 * The architectural tests (real mode) cover the availability checks (#UD with
 * CR4.OSFXSR = 0, #NM with CR0.TS for the string instructions; none for CRC32),
 * the MOVBE/other-prefix slots (#UD), LOCK, unaligned memory operands, known
 * answers (CRC-32C of "123456789", a substring search) and CPUID.1:ECX.SSE4_2. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/seg.h"
#include "mem/physmem.h"
#include "insn_test_rig.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <sys/mman.h>
#endif

static void setup(void) { rig_create(CPU_MODEL_P6, 0x200 /* OSFXSR */); }
static void teardown(void) { rig_destroy(); }

/* 64-bit mode with the first 2 MiB identity-mapped (no IDT: faults are not expected there). */
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
    ck_assert(cpu->mode64);
}

/* xorshift64; the state lives in the caller (fixed seed per test) */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- host-differential state ---- */

#define NGPR 5
static const unsigned gpr_num[NGPR] = {R_AX, R_CX, R_DX, R_R8, R_R9};

struct state {
    xmm_reg x[16];       /* 0 */
    uint64_t g[NGPR];    /* 256: RAX RCX RDX R8 R9 */
    uint64_t flags;      /* 296 */
    uint64_t memoff;     /* 304: RSI = mem + memoff */
    uint64_t pad;        /* 312 */
    uint8_t mem[48];     /* 320 */
} __attribute__((aligned(64)));

#define F_ARITH6 (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

static bool run_emu(const uint8_t *code, unsigned n, struct state *s)
{
    for (unsigned k = 0; k < 16; k++)
        cpu->sse.xmm[k] = s->x[k];
    for (unsigned k = 0; k < NGPR; k++)
        cpu->regs[gpr_num[k]] = s->g[k];
    cpu->regs[R_SI] = DATA + s->memoff;
    put_bytes(DATA, s->mem, sizeof s->mem);
    lf_set_flags(cpu, (uint32_t)s->flags & F_ARITH6);
    int r = run_insn(code, n);
    for (unsigned k = 0; k < 16; k++)
        s->x[k] = cpu->sse.xmm[k];
    for (unsigned k = 0; k < NGPR; k++)
        s->g[k] = cpu->regs[gpr_num[k]];
    s->flags = cpu_get_eflags(cpu);
    for (unsigned k = 0; k < sizeof s->mem; k++)
        s->mem[k] = (uint8_t)physmem_read(pm, DATA + k, 1);
    return r == -1;
}

static bool same(const struct state *a, const struct state *b)
{
    return memcmp(a->x, b->x, sizeof a->x) == 0 && memcmp(a->g, b->g, sizeof a->g) == 0 &&
           memcmp(a->mem, b->mem, sizeof a->mem) == 0 && ((a->flags ^ b->flags) & F_ARITH6) == 0;
}

static void show(const char *what, const struct state *s)
{
    printf("    %s:", what);
    for (unsigned k = 0; k < 16; k++)
        printf("%s x%u=%016llx%016llx", k == 8 ? "\n         " : "", k, (unsigned long long)s->x[k].q[1],
               (unsigned long long)s->x[k].q[0]);
    printf("\n          rax=%llx rcx=%llx rdx=%llx r8=%llx r9=%llx fl=%03llx memoff=%u\n",
           (unsigned long long)s->g[0], (unsigned long long)s->g[1], (unsigned long long)s->g[2],
           (unsigned long long)s->g[3], (unsigned long long)s->g[4], (unsigned long long)s->flags & 0xFFF,
           (unsigned)s->memoff);
}

static void show_bytes(const char *what, const uint8_t *b, unsigned n)
{
    printf("  %s", what);
    for (unsigned k = 0; k < n; k++)
        printf(" %02x", b[k]);
    printf("\n");
}

#if defined(__x86_64__)
static bool host_sse42(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) && ((c >> 20) & 1);
}

/* [pfx] rex [0F] op modrm([r11 + disp32]) */
static uint8_t *emit_r11(uint8_t *p, uint8_t pfx, uint8_t rex, bool two_byte, uint8_t op, unsigned reg, uint32_t disp)
{
    if (pfx)
        *p++ = pfx;
    *p++ = rex;
    if (two_byte)
        *p++ = 0x0F;
    *p++ = op;
    *p++ = (uint8_t)(0x80 | (reg & 7) << 3 | 3);
    memcpy(p, &disp, 4);
    return p + 4;
}

static void host_exec(uint8_t *host_code, const uint8_t *insn, unsigned n, struct state *s)
{
    uint8_t *p = host_code;
    *p++ = 0x49; *p++ = 0x89; *p++ = 0xFB; /* mov r11, rdi */
    for (unsigned k = 0; k < 16; k++)      /* movdqu xmmk, [r11+16k] */
        p = emit_r11(p, 0xF3, (uint8_t)(0x41 | (k >= 8 ? 4 : 0)), true, 0x6F, k, 16 * k);
    for (unsigned k = 0; k < NGPR; k++)    /* mov gpr, [r11+256+8k] */
        p = emit_r11(p, 0, (uint8_t)(0x49 | (gpr_num[k] >= 8 ? 4 : 0)), false, 0x8B, gpr_num[k], 256 + 8 * k);
    p = emit_r11(p, 0, 0x49, false, 0x8D, R_SI, 320); /* lea rsi, [r11+320] */
    p = emit_r11(p, 0, 0x49, false, 0x03, R_SI, 304); /* add rsi, [r11+304] */
    *p++ = 0x41; *p++ = 0xFF; *p++ = 0xB3; memcpy(p, &(uint32_t){296}, 4); p += 4; /* push [r11+296] */
    *p++ = 0x9D;                                                                 /* popfq */
    memcpy(p, insn, n);
    p += n;
    *p++ = 0x9C; *p++ = 0x41; *p++ = 0x5A;                                       /* pushfq; pop r10 */
    p = emit_r11(p, 0, 0x4D, false, 0x89, 10, 296);                              /* mov [r11+296], r10 */
    for (unsigned k = 0; k < 16; k++)      /* movdqu [r11+16k], xmmk */
        p = emit_r11(p, 0xF3, (uint8_t)(0x41 | (k >= 8 ? 4 : 0)), true, 0x7F, k, 16 * k);
    for (unsigned k = 0; k < NGPR; k++)
        p = emit_r11(p, 0, (uint8_t)(0x49 | (gpr_num[k] >= 8 ? 4 : 0)), false, 0x89, gpr_num[k], 256 + 8 * k);
    *p++ = 0xC3;
    ((void (*)(void *))(void *)host_code)(s);
}
#endif

/* ---- input generation for the string instructions ---- */

static unsigned elem_get(const xmm_reg *x, unsigned k, bool words) { return words ? x->w[k] : x->b[k]; }
static void elem_set(xmm_reg *x, unsigned k, bool words, unsigned v)
{
    if (words)
        x->w[k] = (uint16_t)v;
    else
        x->b[k] = (uint8_t)v;
}

/* An element from a small alphabet (so that characters repeat), an extreme, or random. */
static unsigned pick_elem(uint64_t *rs, bool words)
{
    unsigned r = (unsigned)(rnd(rs) % 16);
    if (r < 2)
        return 0;
    if (r < 10)
        return 'a' + (unsigned)(rnd(rs) % 4) + (words && rnd(rs) % 4 == 0 ? 0x100 : 0);
    if (r < 13) {
        static const unsigned ext8[] = {1, 0x7F, 0x80, 0xFF, 0x81, 0x7E};
        static const unsigned ext16[] = {1, 0x7FFF, 0x8000, 0xFFFF, 0x8001, 0x7FFE, 0xFF, 0x80};
        return words ? ext16[rnd(rs) % 8] : ext8[rnd(rs) % 6];
    }
    return (unsigned)rnd(rs);
}

static void gen_strings(uint64_t *rs, xmm_reg *a, xmm_reg *b, bool words)
{
    unsigned n = words ? 8 : 16;
    a->q[0] = rnd(rs);
    a->q[1] = rnd(rs);
    b->q[0] = rnd(rs);
    b->q[1] = rnd(rs);
    switch (rnd(rs) % 4) {
    case 0: break; /* random */
    case 1:
    case 2:
        for (unsigned k = 0; k < n; k++)
            elem_set(a, k, words, pick_elem(rs, words));
        break;
    default: /* range pairs, mostly ordered */
        for (unsigned k = 0; k < n; k += 2) {
            unsigned lo = pick_elem(rs, words), hi = pick_elem(rs, words);
            if (rnd(rs) % 4 && (words ? (int16_t)lo > (int16_t)hi : lo > hi)) {
                unsigned t = lo;
                lo = hi;
                hi = t;
            }
            elem_set(a, k, words, lo);
            elem_set(a, k + 1, words, hi);
        }
        break;
    }
    switch (rnd(rs) % 5) {
    case 0: break; /* random */
    case 1:
        for (unsigned k = 0; k < n; k++)
            elem_set(b, k, words, pick_elem(rs, words));
        break;
    case 2: { /* a's prefix at some offset of b (the tail may run off the register) */
        unsigned off = (unsigned)(rnd(rs) % n);
        for (unsigned k = 0; k < n; k++)
            elem_set(b, k, words, k >= off ? elem_get(a, k - off, words) : pick_elem(rs, words));
        break;
    }
    case 3: /* a with a few elements changed */
        *b = *a;
        for (unsigned m = (unsigned)(rnd(rs) % 3); m; m--)
            elem_set(b, (unsigned)(rnd(rs) % n), words, pick_elem(rs, words));
        break;
    default: /* the same */
        *b = *a;
        break;
    }
    /* NUL terminators: none at all, or one at a (biased early) random place */
    for (unsigned w = 0; w < 2; w++) {
        xmm_reg *x = w ? b : a;
        unsigned how = (unsigned)(rnd(rs) % 4);
        if (how == 0) {
            for (unsigned k = 0; k < n; k++)
                if (!elem_get(x, k, words))
                    elem_set(x, k, words, 'z');
        } else if (how == 1) {
            unsigned at = (unsigned)(rnd(rs) % n);
            if (rnd(rs) & 1)
                at = (unsigned)(rnd(rs) % (at + 1));
            elem_set(x, at, words, 0);
        }
    }
}

/* An explicit length register: small, at the boundaries, negative, huge, with garbage above bit 31. */
static uint64_t gen_len(uint64_t *rs, unsigned n)
{
    uint64_t v;
    switch (rnd(rs) % 10) {
    case 0: case 1: case 2: case 3: v = rnd(rs) % (n + 3); break;
    case 4: v = (uint64_t)-(int64_t)(rnd(rs) % (n + 6)); break;
    case 5: v = n + rnd(rs) % 100; break;
    case 6: {
        static const uint64_t edge[] = {0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x80000001, 0xFFFFFFF0,
                                        0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull,
                                        0x8000000000000001ull, 0x100000000ull, 0xFFFFFFFF00000000ull,
                                        0xFFFFFFF0FFFFFFF8ull, 8, 16, 7, 15, 9, 17};
        v = edge[rnd(rs) % (sizeof edge / sizeof edge[0])];
        break;
    }
    default: v = rnd(rs); break;
    }
    if (rnd(rs) % 4 == 0) /* garbage above bit 31 (ignored without REX.W) */
        v = (v & 0xFFFFFFFFu) | (rnd(rs) << 32);
    return v;
}

static void rand_state(uint64_t *rs, struct state *s)
{
    for (unsigned k = 0; k < 16; k++) {
        s->x[k].q[0] = rnd(rs);
        s->x[k].q[1] = rnd(rs);
    }
    for (unsigned k = 0; k < NGPR; k++)
        s->g[k] = rnd(rs);
    for (unsigned k = 0; k < sizeof s->mem; k++)
        s->mem[k] = (uint8_t)rnd(rs);
    s->memoff = rnd(rs) % 17;
    s->flags = 0x202 | (rnd(rs) & F_ARITH6);
    s->pad = 0;
}

/* ---- the string instructions ---- */

struct strform {
    const char *name;
    uint8_t op;      /* 0F 3A op */
    bool explicit;
};
static const struct strform strforms[] = {
    {"pcmpestrm", 0x60, true}, {"pcmpestri", 0x61, true}, {"pcmpistrm", 0x62, false}, {"pcmpistri", 0x63, false},
};

static unsigned iterations(unsigned dflt)
{
    const char *e = getenv("SSE42_TEST_ITER");
    return e ? (unsigned)atoi(e) : dflt;
}

START_TEST(pcmpstr_differential)
{
#if defined(__x86_64__)
    if (!host_sse42()) {
        printf("sse42 pcmpxstrx host-differential: SKIPPED (the host CPU lacks SSE4.2)\n");
        return;
    }
    uint8_t *host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (host_code == MAP_FAILED) {
        printf("sse42 pcmpxstrx host-differential: SKIPPED (no executable memory for the host code)\n");
        return;
    }
    enter_long_mode();
    uint64_t rs = 0x5EED42C0FFEE1234ull;
    unsigned per_imm = iterations(40), total = 0, fails = 0;
    for (unsigned f = 0; f < 4; f++) {
        const struct strform *sf = &strforms[f];
        unsigned ffails = 0, fcases = 0;
        for (unsigned ctl = 0; ctl < 128; ctl++) {
            for (unsigned t = 0; t < per_imm; t++) {
                uint8_t imm = (uint8_t)(ctl | (rnd(&rs) & 1 ? 0x80 : 0)); /* bit 7 reserved: ignored */
                bool words = imm & 1;
                struct state in, h, e;
                rand_state(&rs, &in);
                bool mem = rnd(&rs) % 3 == 0, w = rnd(&rs) & 1;
                unsigned reg = (unsigned)(rnd(&rs) % 16), rm = (unsigned)(rnd(&rs) % 16);
                xmm_reg a, b;
                gen_strings(&rs, &a, &b, words);
                in.x[reg] = a;
                if (mem)
                    memcpy(in.mem + in.memoff, &b, 16);
                else if (rm != reg)
                    in.x[rm] = b;
                if (sf->explicit) {
                    in.g[0] = gen_len(&rs, words ? 8 : 16);
                    in.g[2] = gen_len(&rs, words ? 8 : 16);
                }
                uint8_t code[12];
                unsigned n = 0;
                code[n++] = 0x66;
                unsigned rex = (w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (!mem && rm >= 8 ? 1 : 0);
                if (rex || rnd(&rs) % 4 == 0)
                    code[n++] = (uint8_t)(0x40 | rex);
                code[n++] = 0x0F;
                code[n++] = 0x3A;
                code[n++] = sf->op;
                code[n++] = mem ? (uint8_t)((reg & 7) << 3 | 6) : (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
                code[n++] = imm;
                h = in;
                e = in;
                host_exec(host_code, code, n, &h);
                bool ok = run_emu(code, n, &e);
                fcases++;
                if (!ok || !same(&h, &e)) {
                    if (ffails++ < 4) {
                        printf("  MISMATCH %s imm %02x (%s reg %u rm %u%s)\n", sf->name, imm, mem ? "mem" : "reg",
                               reg, rm, ok ? "" : ", the emulator did not complete it");
                        show_bytes("bytes:", code, n);
                        show("in  ", &in);
                        show("host", &h);
                        show("emu ", &e);
                    }
                }
            }
        }
        printf("  %-10s %u cases (all 128 controls), %u mismatches\n", sf->name, fcases, ffails);
        total += fcases;
        fails += ffails;
    }
    printf("sse42 pcmpxstrx host-differential: %u cases, %u mismatches\n", total, fails);
    munmap(host_code, 4096);
    ck_assert_uint_eq(fails, 0);
#else
    printf("sse42 pcmpxstrx host-differential: SKIPPED (not an x86-64 host)\n");
#endif
}
END_TEST

/* ---- CRC32 ---- */

struct crcform {
    const char *name;
    uint8_t op;   /* 0F 38 F0 / F1 */
    bool o16;     /* 66h */
    bool w;       /* REX.W */
};
static const struct crcform crcforms[] = {
    {"crc32 r32, r/m8", 0xF0, false, false},  {"crc32 r64, r/m8", 0xF0, false, true},
    {"crc32 r32, r/m8 (66)", 0xF0, true, false},
    {"crc32 r32, r/m16", 0xF1, true, false},  {"crc32 r32, r/m32", 0xF1, false, false},
    {"crc32 r64, r/m64", 0xF1, false, true},  {"crc32 r64, r/m64 (66)", 0xF1, true, true},
};

START_TEST(crc32_differential)
{
#if defined(__x86_64__)
    if (!host_sse42()) {
        printf("sse42 crc32 host-differential: SKIPPED (the host CPU lacks SSE4.2)\n");
        return;
    }
    uint8_t *host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (host_code == MAP_FAILED) {
        printf("sse42 crc32 host-differential: SKIPPED (no executable memory for the host code)\n");
        return;
    }
    enter_long_mode();
    uint64_t rs = 0xC4C32C0DEull;
    unsigned per_form = iterations(40) * 128, total = 0, fails = 0;
    for (unsigned f = 0; f < sizeof crcforms / sizeof crcforms[0]; f++) {
        const struct crcform *cf = &crcforms[f];
        unsigned ffails = 0;
        for (unsigned t = 0; t < per_form; t++) {
            struct state in, h, e;
            rand_state(&rs, &in);
            if (rnd(&rs) % 4 == 0) /* small values and zeros */
                for (unsigned k = 0; k < NGPR; k++)
                    in.g[k] = rnd(&rs) % 3 == 0 ? 0 : rnd(&rs) % 3 == 0 ? ~0ull : in.g[k] & 0xFF;
            bool mem = rnd(&rs) & 1;
            unsigned reg = (unsigned)(rnd(&rs) % NGPR), rm = (unsigned)(rnd(&rs) % NGPR);
            unsigned regn = gpr_num[reg], rmn = gpr_num[rm];
            bool extra_rex = rnd(&rs) % 4 == 0;
            unsigned rex = (cf->w ? 8 : 0) | (regn >= 8 ? 4 : 0) | (!mem && rmn >= 8 ? 1 : 0);
            /* without REX a byte r/m 4-6 is AH, CH, DH */
            if (cf->op == 0xF0 && !mem && !rex && !extra_rex && rnd(&rs) % 3 == 0)
                rmn = 4 + (unsigned)(rnd(&rs) % 3);
            uint8_t code[12];
            unsigned n = 0;
            bool o16_first = rnd(&rs) & 1;
            if (cf->o16 && o16_first)
                code[n++] = 0x66;
            code[n++] = 0xF2;
            if (cf->o16 && !o16_first)
                code[n++] = 0x66;
            if (rex || extra_rex)
                code[n++] = (uint8_t)(0x40 | rex);
            code[n++] = 0x0F;
            code[n++] = 0x38;
            code[n++] = cf->op;
            code[n++] = mem ? (uint8_t)((regn & 7) << 3 | 6) : (uint8_t)(0xC0 | (regn & 7) << 3 | (rmn & 7));
            h = in;
            e = in;
            host_exec(host_code, code, n, &h);
            bool ok = run_emu(code, n, &e);
            if (!ok || !same(&h, &e)) {
                if (ffails++ < 4) {
                    printf("  MISMATCH %s (%s)%s\n", cf->name, mem ? "mem" : "reg", ok ? "" : ": not completed");
                    show_bytes("bytes:", code, n);
                    show("in  ", &in);
                    show("host", &h);
                    show("emu ", &e);
                }
            }
        }
        printf("  %-22s %u cases, %u mismatches\n", cf->name, per_form, ffails);
        total += per_form;
        fails += ffails;
    }
    printf("sse42 crc32 host-differential: %u cases, %u mismatches\n", total, fails);
    munmap(host_code, 4096);
    ck_assert_uint_eq(fails, 0);
#else
    printf("sse42 crc32 host-differential: SKIPPED (not an x86-64 host)\n");
#endif
}
END_TEST

/* ---- architectural tests (real mode) ---- */

START_TEST(availability)
{
    cpu->regs[R_SI] = DATA;
    static const char *const strs[] = {"66 0F 3A 60 C1 00", "66 0F 3A 61 C1 00", "66 0F 3A 62 C1 00",
                                       "66 0F 3A 63 C1 00", "66 0F 3A 63 04 0C"};
    for (unsigned k = 0; k < 5; k++)
        ck_assert_msg(run_hex(strs[k]) == -1, "%s", strs[k]);
    cpu->cr4 &= ~0x200ull; /* OSFXSR = 0: the string instructions are #UD, CRC32 is not an SSE instruction */
    for (unsigned k = 0; k < 5; k++)
        ck_assert_msg(run_hex(strs[k]) == EXC_UD, "%s", strs[k]);
    ck_assert_int_eq(run_hex("F2 0F 38 F0 C1"), -1);
    ck_assert_int_eq(run_hex("F2 0F 38 F1 04"), -1);
    cpu->cr0 |= CR0_TS; /* #UD ranks before #NM */
    ck_assert_int_eq(run_hex("66 0F 3A 63 C1 00"), EXC_UD);
    cpu->cr4 |= 0x200;
    for (unsigned k = 0; k < 5; k++)
        ck_assert_msg(run_hex(strs[k]) == EXC_NM, "%s", strs[k]);
    ck_assert_int_eq(run_hex("F2 0F 38 F1 C1"), -1); /* CRC32: no CR0.TS/EM conditions (SDM vol. 2 "CRC32") */
    cpu->cr0 = (cpu->cr0 & ~(uint64_t)CR0_TS) | CR0_EM;
    ck_assert_int_eq(run_hex("66 0F 3A 61 C1 00"), EXC_UD);
    ck_assert_int_eq(run_hex("F2 0F 38 F1 C1"), -1);
    cpu->cr0 &= ~(uint64_t)CR0_EM;
    /* mandatory prefixes: the string instructions need 66 (alone) */
    ck_assert_int_eq(run_hex("0F 3A 63 C1 00"), EXC_UD);
    ck_assert_int_eq(run_hex("F3 0F 3A 63 C1 00"), EXC_UD);
    ck_assert_int_eq(run_hex("F2 0F 3A 61 C1 00"), EXC_UD);
    /* 0F 38 F0/F1 without F2 is MOVBE (not implemented: memory form #UD too), F3 nothing */
    ck_assert_int_eq(run_hex("0F 38 F0 04"), EXC_UD);
    ck_assert_int_eq(run_hex("0F 38 F1 04"), EXC_UD);
    ck_assert_int_eq(run_hex("66 0F 38 F1 04"), EXC_UD);
    ck_assert_int_eq(run_hex("F3 0F 38 F1 C1"), EXC_UD);
    /* LOCK */
    ck_assert_int_eq(run_hex("F0 F2 0F 38 F1 04"), EXC_UD);
    ck_assert_int_eq(run_hex("F0 66 0F 3A 63 04 00"), EXC_UD);
}
END_TEST

START_TEST(known_answers)
{
    /* CRC-32C("123456789") = E3069283h with the usual initial value and final inversion */
    cpu->regs[R_AX] = 0xFFFFFFFFu;
    for (unsigned k = 0; k < 9; k++) {
        cpu->regs[R_CX] = '1' + k;
        ck_assert_int_eq(run_hex("F2 0F 38 F0 C1"), -1); /* CRC32 eax, cl */
    }
    ck_assert_uint_eq(~cpu->regs[R_AX] & 0xFFFFFFFFu, 0xE3069283u);
    /* the same through the 16- and 32-bit forms (16-bit code: 66h makes the source 32-bit) */
    static const char msg[] = "123456789";
    put_bytes(DATA + 1, (const uint8_t *)msg, 9);
    cpu->regs[R_AX] = 0xFFFFFFFFu;
    cpu->regs[R_SI] = DATA + 1;
    ck_assert_int_eq(run_hex("66 F2 0F 38 F1 04"), -1); /* CRC32 eax, dword [si]: "1234" */
    cpu->regs[R_SI] = DATA + 5;
    ck_assert_int_eq(run_hex("F2 0F 38 F1 04"), -1);    /* CRC32 eax, word [si]: "56" */
    cpu->regs[R_SI] = DATA + 7;
    ck_assert_int_eq(run_hex("F2 0F 38 F1 04"), -1);    /* "78" */
    cpu->regs[R_SI] = DATA + 9;
    ck_assert_int_eq(run_hex("F2 0F 38 F0 04"), -1);    /* "9" */
    ck_assert_uint_eq(~cpu->regs[R_AX] & 0xFFFFFFFFu, 0xE3069283u);

    /* PCMPISTRI xmm1, [si+1] (unaligned), equal ordered, unsigned bytes: "lo" in "hello world" at 3 */
    static const char hay[16] = "hello world";
    put_bytes(DATA + 1, (const uint8_t *)hay, 16);
    memset(&cpu->sse.xmm[1], 0, 16);
    memcpy(&cpu->sse.xmm[1], "lo", 2);
    cpu->regs[R_SI] = DATA + 1;
    cpu->regs[R_CX] = 0xDEADBEEFu;
    ck_assert_int_eq(run_hex("66 0F 3A 63 0C 0C"), -1);
    ck_assert_uint_eq(cpu->regs[R_CX], 3);
    uint32_t fl = cpu_get_eflags(cpu);
    ck_assert_uint_eq(fl & (F_CF | F_ZF | F_SF | F_OF | F_AF | F_PF), F_CF | F_ZF | F_SF);
    /* most significant index: "o" also at 7 ("o w") -> the last match of "o" is 7 */
    memcpy(&cpu->sse.xmm[1], "o\0", 2);
    ck_assert_int_eq(run_hex("66 0F 3A 63 0C 4C"), -1);
    ck_assert_uint_eq(cpu->regs[R_CX], 7);
    /* PCMPESTRM, equal any over unsigned words, expanded mask: the words "lo" and "ld" (EAX = -2:
     * length 2) against the words of "lo world" (EDX = 100: saturated to 8) */
    cpu->regs[R_AX] = (uint32_t)-2;
    cpu->regs[R_DX] = 100;
    cpu->sse.xmm[1].q[0] = 0x646C6F6Cull; /* words 6F6Ch "lo", 646Ch "ld" */
    cpu->sse.xmm[1].q[1] = 0x6F6Cull << 32; /* past the length: ignored */
    cpu->regs[R_SI] = DATA + 4;
    ck_assert_int_eq(run_hex("66 0F 3A 60 0C 41"), -1);
    for (unsigned k = 0; k < 8; k++)
        ck_assert_uint_eq(cpu->sse.xmm[0].w[k], k == 0 || k == 3 ? 0xFFFF : 0);
    fl = cpu_get_eflags(cpu);
    ck_assert_uint_eq(fl & (F_CF | F_ZF | F_SF | F_OF), F_CF | F_SF | F_OF);
}
END_TEST

START_TEST(cpuid_reports_sse42)
{
    cpu->regs[R_AX] = 1;
    ck_assert_int_eq(run_hex("0F A2"), -1);
    ck_assert_msg((cpu->regs[R_CX] >> 20) & 1, "CPUID.1:ECX.SSE4_2 clear (ECX = %08x)", (unsigned)cpu->regs[R_CX]);
    ck_assert((cpu->regs[R_CX] >> 19) & 1); /* SSE4.1 */
}
END_TEST

Suite *sse42_suite(void);
Suite *sse42_suite(void)
{
    Suite *s = suite_create("sse42");
    TCase *tc = tcase_create("host");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, pcmpstr_differential);
    tcase_add_test(tc, crc32_differential);
    suite_add_tcase(s, tc);
    TCase *arch = tcase_create("architecture");
    tcase_add_checked_fixture(arch, setup, teardown);
    tcase_add_test(arch, availability);
    tcase_add_test(arch, known_answers);
    tcase_add_test(arch, cpuid_reports_sse42);
    suite_add_tcase(s, arch);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sse42_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
