/* flags_test.c - Check unit tests for the lazy arithmetic flags (cpu/flags.h)
 * and, through a real CPU running one instruction at a time, for the ALU
 * (cpu/alu.c) and the shift, multiply/divide and 0F bit-operation groups.
 *
 * The references here are deliberately slow and obvious: a bit-by-bit ripple
 * adder/subtractor gives CF, AF and OF; parity is counted bit by bit.  Every
 * 8-bit operand pair (and both carry-in values) of ADD ADC SUB SBB CMP AND OR
 * XOR, and every operand and incoming flag set of INC DEC NEG, is executed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "cpu/seg.h"
#include "mem/physmem.h"

/* ---- reference arithmetic ---- */

struct ref {
    uint64_t res;
    uint32_t flags; /* F_* arithmetic bits */
};

static uint32_t ref_szp(uint64_t r, unsigned bits)
{
    unsigned ones = 0;
    for (unsigned k = 0; k < 8; k++)
        ones += (r >> k) & 1;
    uint32_t f = 0;
    if (ones % 2 == 0)
        f |= F_PF;
    if (r == 0)
        f |= F_ZF;
    if ((r >> (bits - 1)) & 1)
        f |= F_SF;
    return f;
}

/* a + b + cin, one bit at a time. */
static struct ref ref_add(uint64_t a, uint64_t b, unsigned cin, unsigned bits)
{
    uint64_t r = 0;
    unsigned carry = cin, carry_into_msb = 0, af = 0;
    for (unsigned k = 0; k < bits; k++) {
        unsigned x = (a >> k) & 1, y = (b >> k) & 1;
        if (k == bits - 1)
            carry_into_msb = carry;
        r |= (uint64_t)(x ^ y ^ carry) << k;
        carry = (x & y) | (x & carry) | (y & carry);
        if (k == 3)
            af = carry;
    }
    struct ref out = {r, ref_szp(r, bits)};
    if (carry)
        out.flags |= F_CF;
    if (af)
        out.flags |= F_AF;
    if (carry != carry_into_msb)
        out.flags |= F_OF;
    return out;
}

/* a - b - bin, one bit at a time with a borrow chain. */
static struct ref ref_sub(uint64_t a, uint64_t b, unsigned bin, unsigned bits)
{
    uint64_t r = 0;
    unsigned borrow = bin, borrow_into_msb = 0, af = 0;
    for (unsigned k = 0; k < bits; k++) {
        unsigned x = (a >> k) & 1, y = (b >> k) & 1;
        if (k == bits - 1)
            borrow_into_msb = borrow;
        r |= (uint64_t)(x ^ y ^ borrow) << k;
        unsigned nx = x ^ 1;
        borrow = (nx & y) | (nx & borrow) | (y & borrow);
        if (k == 3)
            af = borrow;
    }
    struct ref out = {r, ref_szp(r, bits)};
    if (borrow)
        out.flags |= F_CF;
    if (af)
        out.flags |= F_AF;
    if (borrow != borrow_into_msb)
        out.flags |= F_OF;
    return out;
}

/* AND/OR/XOR: CF = OF = 0; AF is undefined and ringzero clears it. */
static struct ref ref_logic(uint64_t r, unsigned bits) { return (struct ref){r, ref_szp(r, bits)}; }

static uint32_t flag_combo(unsigned k)
{
    static const uint32_t bit[6] = {F_CF, F_PF, F_AF, F_ZF, F_SF, F_OF};
    uint32_t f = 0;
    for (unsigned j = 0; j < 6; j++)
        if (k & (1u << j))
            f |= bit[j];
    return f;
}

/* ---- a CPU with 1 MiB of RAM, running one instruction at a time ---- */

struct rig {
    struct physmem *pm;
    struct cpu *c;
};

static void rig_init(struct rig *r, enum cpu_model model)
{
    char err[256];
    struct cpu_bus bus;
    memset(&bus, 0, sizeof bus);
    r->pm = physmem_create();
    ck_assert_ptr_nonnull(r->pm);
    ck_assert_msg(physmem_add_ram(r->pm, "ram", 0, 1u << 20, err, sizeof err) != NULL, "%s", err);
    r->c = cpu_create(r->pm, &bus, model);
    ck_assert_ptr_nonnull(r->c);
    seg_load_cs(r->c, 0);
    r->c->regs[R_SP] = 0xF000;
}

static void rig_free(struct rig *r)
{
    cpu_destroy(r->c);
    physmem_destroy(r->pm);
}

static void put_code(struct rig *r, uint32_t addr, const uint8_t *bytes, size_t n)
{
    physmem_write_block(r->pm, addr, bytes, n);
}

/* Runs the one instruction at addr; false if it raised an exception (the IVT is
 * all zeros, so delivery lands at 0000:0000). */
static bool step(struct rig *r, uint32_t addr, unsigned len)
{
    r->c->rip = addr;
    cpu_run(r->c, 1);
    return r->c->rip == addr + len;
}

static uint32_t arith_flags(struct rig *r) { return cpu_get_eflags(r->c) & F_ARITH; }

static uint64_t lcg_state;
static uint64_t rnd(void)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return lcg_state >> 16;
}

/* ---- lazy flags on their own ---- */

START_TEST(test_set_flags_roundtrip)
{
    struct cpu c;
    memset(&c, 0, sizeof c);
    for (unsigned k = 0; k < 64; k++) {
        uint32_t f = flag_combo(k);
        lf_set_flags(&c, f);
        ck_assert_uint_eq(lf_get_flags(&c), f);
        ck_assert_uint_eq(get_cf(&c), !!(f & F_CF));
        ck_assert_uint_eq(get_pf(&c), !!(f & F_PF));
        ck_assert_uint_eq(get_af(&c), !!(f & F_AF));
        ck_assert_uint_eq(get_zf(&c), !!(f & F_ZF));
        ck_assert_uint_eq(get_sf(&c), !!(f & F_SF));
        ck_assert_uint_eq(get_of(&c), !!(f & F_OF));
        ck_assert_uint_eq(cpu_get_eflags(&c) & F_ARITH, f);
        /* replacing CF/OF keeps the other four */
        lf_set_cf_of(&c, !(f & F_CF), !(f & F_OF));
        ck_assert_uint_eq(lf_get_flags(&c), f ^ (F_CF | F_OF));
    }
}
END_TEST

/* SDM vol. 1 App. B, Table B-1, written out from the mnemonics. */
static bool cond_reference(unsigned cc, uint32_t f)
{
    bool cf = f & F_CF, zf = f & F_ZF, sf = f & F_SF, of = f & F_OF, pf = f & F_PF;
    switch (cc) {
    case 0x0: return of;                  /* O */
    case 0x1: return !of;                 /* NO */
    case 0x2: return cf;                  /* B/C/NAE */
    case 0x3: return !cf;                 /* AE/NB/NC */
    case 0x4: return zf;                  /* E/Z */
    case 0x5: return !zf;                 /* NE/NZ */
    case 0x6: return cf || zf;            /* BE/NA */
    case 0x7: return !cf && !zf;          /* A/NBE */
    case 0x8: return sf;                  /* S */
    case 0x9: return !sf;                 /* NS */
    case 0xA: return pf;                  /* P/PE */
    case 0xB: return !pf;                 /* NP/PO */
    case 0xC: return sf != of;            /* L/NGE */
    case 0xD: return sf == of;            /* GE/NL */
    case 0xE: return zf || sf != of;      /* LE/NG */
    default: return !zf && sf == of;      /* G/NLE */
    }
}

START_TEST(test_cond_true)
{
    struct cpu c;
    memset(&c, 0, sizeof c);
    for (unsigned k = 0; k < 64; k++) {
        uint32_t f = flag_combo(k);
        lf_set_flags(&c, f);
        for (unsigned cc = 0; cc < 16; cc++)
            ck_assert_msg(cond_true(&c, cc) == cond_reference(cc, f), "cc %x flags %03x", cc, f);
    }
}
END_TEST

/* ---- the ALU through the CPU: every 8-bit operand pair ---- */

enum op_kind { K_ADD, K_ADC, K_SUB, K_SBB, K_CMP, K_AND, K_OR, K_XOR };
static const struct {
    const char *name;
    uint8_t opcode; /* op AL,CL is `opcode C8` */
    enum op_kind kind;
} alu8_ops[] = {
    {"add", 0x00, K_ADD}, {"adc", 0x10, K_ADC}, {"sub", 0x28, K_SUB}, {"sbb", 0x18, K_SBB},
    {"cmp", 0x38, K_CMP}, {"and", 0x20, K_AND}, {"or", 0x08, K_OR}, {"xor", 0x30, K_XOR},
};

static struct ref ref_binop(enum op_kind k, uint64_t a, uint64_t b, unsigned cf, unsigned bits)
{
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
    switch (k) {
    case K_ADD: return ref_add(a, b, 0, bits);
    case K_ADC: return ref_add(a, b, cf, bits);
    case K_SUB: case K_CMP: return ref_sub(a, b, 0, bits);
    case K_SBB: return ref_sub(a, b, cf, bits);
    case K_AND: return ref_logic(a & b & m, bits);
    case K_OR: return ref_logic((a | b) & m, bits);
    default: return ref_logic((a ^ b) & m, bits);
    }
}

START_TEST(test_alu8_exhaustive)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    const uint32_t at = 0x1000;
    uint8_t code[2] = {alu8_ops[_i].opcode, 0xC8};
    put_code(&r, at, code, sizeof code);
    enum op_kind k = alu8_ops[_i].kind;
    lcg_state = 12345 + (uint64_t)_i;
    for (unsigned cin = 0; cin < 2; cin++) {
        for (unsigned a = 0; a < 256; a++) {
            for (unsigned b = 0; b < 256; b++) {
                /* incoming flags: random, with the CF under test */
                uint32_t fin = (flag_combo((unsigned)rnd() & 63) & ~F_CF) | (cin ? F_CF : 0);
                lf_set_flags(r.c, fin);
                r.c->regs[R_AX] = 0x12345600u | a;
                r.c->regs[R_CX] = 0xABCD00u | b;
                ck_assert(step(&r, at, 2));
                struct ref want = ref_binop(k, a, b, cin, 8);
                uint64_t want_ax = 0x12345600u | (k == K_CMP ? a : want.res);
                if (r.c->regs[R_AX] != want_ax || arith_flags(&r) != want.flags)
                    ck_abort_msg("%s %02x,%02x cf=%u: got al=%02x flags=%03x, want al=%02x flags=%03x",
                                 alu8_ops[_i].name, a, b, cin, (unsigned)(r.c->regs[R_AX] & 0xFF), arith_flags(&r),
                                 (unsigned)(want_ax & 0xFF), want.flags);
                ck_assert_uint_eq(r.c->regs[R_CX], 0xABCD00u | b);
            }
        }
    }
    rig_free(&r);
}
END_TEST

/* INC/DEC keep CF; NEG is 0 - x (CF = x != 0).  Every operand, every incoming flag set. */
static const struct {
    const char *name;
    uint8_t modrm; /* FE /0, FE /1, F6 /3 on AL */
    uint8_t opcode;
} unary_ops[] = {{"inc", 0xC0, 0xFE}, {"dec", 0xC8, 0xFE}, {"neg", 0xD8, 0xF6}};

START_TEST(test_unary8_exhaustive)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    const uint32_t at = 0x1000;
    uint8_t code[2] = {unary_ops[_i].opcode, unary_ops[_i].modrm};
    put_code(&r, at, code, sizeof code);
    for (unsigned fk = 0; fk < 64; fk++) {
        for (unsigned a = 0; a < 256; a++) {
            uint32_t fin = flag_combo(fk);
            lf_set_flags(r.c, fin);
            r.c->regs[R_AX] = 0x5500u | a;
            ck_assert(step(&r, at, 2));
            struct ref want;
            if (_i == 0) {
                want = ref_add(a, 1, 0, 8);
                want.flags = (want.flags & ~F_CF) | (fin & F_CF);
            } else if (_i == 1) {
                want = ref_sub(a, 1, 0, 8);
                want.flags = (want.flags & ~F_CF) | (fin & F_CF);
            } else {
                want = ref_sub(0, a, 0, 8);
                ck_assert_uint_eq(!!(want.flags & F_CF), a != 0); /* SDM "NEG" */
            }
            if (r.c->regs[R_AX] != (0x5500u | want.res) || arith_flags(&r) != want.flags)
                ck_abort_msg("%s %02x flags-in %03x: got al=%02x flags=%03x, want al=%02x flags=%03x",
                             unary_ops[_i].name, a, fin, (unsigned)(r.c->regs[R_AX] & 0xFF), arith_flags(&r),
                             (unsigned)want.res, want.flags);
        }
    }
    rig_free(&r);
}
END_TEST

/* 16- and 32-bit forms (op AX,CX / 66 op EAX,ECX) on random operands. */
START_TEST(test_alu_wide_random)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    lcg_state = 777;
    for (unsigned o = 0; o < sizeof alu8_ops / sizeof alu8_ops[0]; o++) {
        uint8_t code16[2] = {(uint8_t)(alu8_ops[o].opcode | 1), 0xC8};
        uint8_t code32[3] = {0x66, (uint8_t)(alu8_ops[o].opcode | 1), 0xC8};
        put_code(&r, 0x1000, code16, 2);
        put_code(&r, 0x1010, code32, 3);
        for (unsigned n = 0; n < 4000; n++) {
            unsigned bits = n & 1 ? 32 : 16;
            uint64_t m = (1ull << bits) - 1;
            uint64_t a = rnd(), b = rnd();
            if (n % 8 == 2) /* edge values */
                b = n % 16 == 2 ? m : 0;
            unsigned cin = (unsigned)rnd() & 1;
            lf_set_flags(r.c, flag_combo((unsigned)rnd() & 63) & ~F_CF);
            if (cin)
                lf_set_cf_of(r.c, 1, get_of(r.c));
            r.c->regs[R_AX] = a & 0xFFFFFFFFu;
            r.c->regs[R_CX] = b & 0xFFFFFFFFu;
            ck_assert(step(&r, bits == 16 ? 0x1000 : 0x1010, bits == 16 ? 2 : 3));
            struct ref want = ref_binop(alu8_ops[o].kind, a & m, b & m, cin, bits);
            uint64_t want_ax = alu8_ops[o].kind == K_CMP ? a & 0xFFFFFFFFu : ((a & 0xFFFFFFFFu & ~m) | want.res);
            if (r.c->regs[R_AX] != want_ax || arith_flags(&r) != want.flags)
                ck_abort_msg("%s/%u %llx,%llx cf=%u: got %llx flags=%03x, want %llx flags=%03x", alu8_ops[o].name,
                             bits, (unsigned long long)(a & m), (unsigned long long)(b & m), cin,
                             (unsigned long long)r.c->regs[R_AX], arith_flags(&r), (unsigned long long)want_ax,
                             want.flags);
        }
    }
    rig_free(&r);
}
END_TEST

/* ---- SETcc / CMOVcc through the CPU, against the same table ---- */

START_TEST(test_setcc_cmovcc)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    for (unsigned cc = 0; cc < 16; cc++) {
        uint8_t set[3] = {0x0F, (uint8_t)(0x90 + cc), 0xC3};          /* setcc bl */
        uint8_t cmov[4] = {0x66, 0x0F, (uint8_t)(0x40 + cc), 0xC1};  /* cmovcc eax,ecx */
        put_code(&r, 0x1000, set, 3);
        put_code(&r, 0x1010, cmov, 4);
        for (unsigned k = 0; k < 64; k++) {
            uint32_t f = flag_combo(k);
            bool want = cond_reference(cc, f);
            lf_set_flags(r.c, f);
            r.c->regs[R_BX] = 0x7777;
            ck_assert(step(&r, 0x1000, 3));
            ck_assert_uint_eq(r.c->regs[R_BX], 0x7700u | want);
            r.c->regs[R_AX] = 0x11111111;
            r.c->regs[R_CX] = 0x22222222;
            ck_assert(step(&r, 0x1010, 4));
            ck_assert_uint_eq(r.c->regs[R_AX], want ? 0x22222222u : 0x11111111u);
            ck_assert_uint_eq(arith_flags(&r), f); /* neither changes flags */
        }
    }
    rig_free(&r);
}
END_TEST

/* ---- bit operations (0F xx), checked against hand-computed values ---- */

static uint32_t rd32(struct rig *r, uint32_t a) { return (uint32_t)physmem_read(r->pm, a, 4); }
static uint16_t rd16(struct rig *r, uint32_t a) { return (uint16_t)physmem_read(r->pm, a, 2); }

START_TEST(test_bt_family)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    /* bt [bx],ax with AX = -1: the word below [bx], bit 15 (the offset is signed) */
    static const uint8_t bt_m[] = {0x0F, 0xA3, 0x07};
    put_code(&r, 0x1000, bt_m, 3);
    physmem_write(r.pm, 0x2000 - 2, 0x8000, 2);
    r.c->regs[R_BX] = 0x2000;
    r.c->regs[R_AX] = 0xFFFF;
    lf_set_flags(r.c, F_ZF);
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(arith_flags(&r), F_ZF | F_CF); /* ZF unaffected */

    /* bts [bx],ax with AX = 17: word [bx+2], bit 1 */
    static const uint8_t bts_m[] = {0x0F, 0xAB, 0x07};
    put_code(&r, 0x1000, bts_m, 3);
    r.c->regs[R_AX] = 17;
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(rd16(&r, 0x2002), 2);
    ck_assert_uint_eq(get_cf(r.c), 0);
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(get_cf(r.c), 1);

    /* 32-bit btr [bx],eax with EAX = -33: dword [bx-8], bit 31 */
    static const uint8_t btr_m[] = {0x66, 0x0F, 0xB3, 0x07};
    put_code(&r, 0x1000, btr_m, 4);
    physmem_write(r.pm, 0x2000 - 8, 0xFFFFFFFFu, 4);
    r.c->regs[R_AX] = (uint32_t)-33;
    ck_assert(step(&r, 0x1000, 4));
    ck_assert_uint_eq(rd32(&r, 0x2000 - 8), 0x7FFFFFFFu);
    ck_assert_uint_eq(get_cf(r.c), 1);

    /* btc cx,ax (register form: offset modulo 16) */
    static const uint8_t btc_r[] = {0x0F, 0xBB, 0xC1};
    put_code(&r, 0x1000, btc_r, 3);
    r.c->regs[R_CX] = 0x0F0F;
    r.c->regs[R_AX] = 0x24; /* bit 4 */
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(r.c->regs[R_CX], 0x0F1F);
    ck_assert_uint_eq(get_cf(r.c), 0);

    /* group 8: bts word [bx],33 -> bit 1 of [bx] (immediate modulo 16) */
    static const uint8_t bts_i[] = {0x0F, 0xBA, 0x2F, 33};
    put_code(&r, 0x1000, bts_i, 4);
    physmem_write(r.pm, 0x2000, 0, 2);
    ck_assert(step(&r, 0x1000, 4));
    ck_assert_uint_eq(rd16(&r, 0x2000), 2);
    ck_assert_uint_eq(rd16(&r, 0x2002), 2); /* untouched */
    rig_free(&r);
}
END_TEST

START_TEST(test_bsf_bsr_bswap)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    static const uint8_t bsf[] = {0x66, 0x0F, 0xBC, 0xC1}; /* bsf eax,ecx */
    static const uint8_t bsr[] = {0x66, 0x0F, 0xBD, 0xC1}; /* bsr eax,ecx */
    put_code(&r, 0x1000, bsf, 4);
    put_code(&r, 0x1010, bsr, 4);
    r.c->regs[R_CX] = 0x00F0F000;
    ck_assert(step(&r, 0x1000, 4));
    ck_assert_uint_eq(r.c->regs[R_AX], 12);
    ck_assert_uint_eq(get_zf(r.c), 0);
    ck_assert(step(&r, 0x1010, 4));
    ck_assert_uint_eq(r.c->regs[R_AX], 23);
    r.c->regs[R_CX] = 0;
    r.c->regs[R_AX] = 0xDEADBEEF;
    ck_assert(step(&r, 0x1000, 4));
    ck_assert_uint_eq(r.c->regs[R_AX], 0xDEADBEEF); /* zero source: destination unchanged */
    ck_assert_uint_eq(get_zf(r.c), 1);

    static const uint8_t bswap32[] = {0x66, 0x0F, 0xCB}; /* bswap ebx */
    static const uint8_t bswap16[] = {0x0F, 0xCB};       /* bswap bx: undefined, low word cleared */
    put_code(&r, 0x1020, bswap32, 3);
    put_code(&r, 0x1030, bswap16, 2);
    r.c->regs[R_BX] = 0x11223344;
    ck_assert(step(&r, 0x1020, 3));
    ck_assert_uint_eq(r.c->regs[R_BX], 0x44332211);
    ck_assert(step(&r, 0x1030, 2));
    ck_assert_uint_eq(r.c->regs[R_BX], 0x44330000);
    rig_free(&r);
}
END_TEST

START_TEST(test_xadd_cmpxchg)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    static const uint8_t xadd[] = {0x0F, 0xC1, 0x0F};       /* xadd [bx],cx */
    static const uint8_t cmpxchg[] = {0x0F, 0xB1, 0x0F};    /* cmpxchg [bx],cx */
    static const uint8_t cmpxchg8b[] = {0x0F, 0xC7, 0x0F};  /* cmpxchg8b [bx] */
    put_code(&r, 0x1000, xadd, 3);
    put_code(&r, 0x1010, cmpxchg, 3);
    put_code(&r, 0x1020, cmpxchg8b, 3);
    r.c->regs[R_BX] = 0x2000;

    physmem_write(r.pm, 0x2000, 0xFFFF, 2);
    r.c->regs[R_CX] = 1;
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(rd16(&r, 0x2000), 0);
    ck_assert_uint_eq(r.c->regs[R_CX], 0xFFFF);
    ck_assert_uint_eq(arith_flags(&r), ref_add(0xFFFF, 1, 0, 16).flags);

    /* mismatch: AX loaded, flags of CMP AX,[bx] */
    physmem_write(r.pm, 0x2000, 0x1234, 2);
    r.c->regs[R_AX] = 0x1000;
    r.c->regs[R_CX] = 0x5555;
    ck_assert(step(&r, 0x1010, 3));
    ck_assert_uint_eq(r.c->regs[R_AX], 0x1234);
    ck_assert_uint_eq(rd16(&r, 0x2000), 0x1234);
    ck_assert_uint_eq(arith_flags(&r), ref_sub(0x1000, 0x1234, 0, 16).flags);
    /* match: [bx] := CX, ZF = 1 */
    ck_assert(step(&r, 0x1010, 3));
    ck_assert_uint_eq(rd16(&r, 0x2000), 0x5555);
    ck_assert_uint_eq(arith_flags(&r), ref_sub(0x1234, 0x1234, 0, 16).flags);

    /* cmpxchg8b: mismatch loads EDX:EAX, match stores ECX:EBX; only ZF changes */
    physmem_write(r.pm, 0x2000, 0x8877665544332211ull, 8);
    r.c->regs[R_AX] = 0;
    r.c->regs[R_DX] = 0;
    lf_set_flags(r.c, F_CF | F_ZF | F_OF);
    ck_assert(step(&r, 0x1020, 3));
    ck_assert_uint_eq(r.c->regs[R_AX], 0x44332211);
    ck_assert_uint_eq(r.c->regs[R_DX], 0x88776655);
    ck_assert_uint_eq(arith_flags(&r), F_CF | F_OF);
    r.c->regs[R_BX] = 0x2000; /* EBX is the address and the low new half */
    r.c->regs[R_CX] = 0xCAFEBABE;
    ck_assert(step(&r, 0x1020, 3));
    ck_assert_uint_eq(physmem_read(r.pm, 0x2000, 8), 0xCAFEBABE00002000ull);
    ck_assert_uint_eq(arith_flags(&r), F_CF | F_OF | F_ZF);
    rig_free(&r);
}
END_TEST

/* 0F opcodes do not exist on the 80286 model: #UD (vector 6) */
START_TEST(test_286_no_0f)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_80286);
    static const uint8_t bt[] = {0x0F, 0xA3, 0xC1};
    physmem_write(r.pm, 6 * 4, 0x12340000u | 0x0100, 4); /* IVT[6] = 1234:0100 */
    put_code(&r, 0x1000, bt, 3);
    r.c->rip = 0x1000;
    cpu_run(r.c, 1);
    ck_assert_uint_eq(r.c->seg[S_CS].sel, 0x1234);
    ck_assert_uint_eq(r.c->rip, 0x100);
    rig_free(&r);
}
END_TEST

/* ---- shifts and multiply/divide on the P6 model (32-bit and the odd counts) ---- */

START_TEST(test_shift_cases)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    static const struct {
        uint8_t code[5];
        unsigned len;
        uint32_t ax, cl, flags_in;
        uint32_t want_ax, want_cf, want_of;
    } cases[] = {
        /* rol al,8: value unchanged, CF = LSB */
        {{0xC0, 0xC0, 8}, 3, 0x81, 0, 0, 0x81, 1, 0},
        /* rcl al,9: a full 9-bit turn, value and CF kept; OF = MSB ^ CF */
        {{0xC0, 0xD0, 9}, 3, 0x81, 0, F_CF, 0x81, 1, 0},
        /* shl al,9: everything shifted out, CF = 0 */
        {{0xC0, 0xE0, 9}, 3, 0xFF, 0, 0, 0x00, 0, 0},
        /* shl al,8: CF = old bit 0 */
        {{0xC0, 0xE0, 8}, 3, 0x01, 0, 0, 0x00, 1, 1},
        /* sar al,20: all sign bits */
        {{0xC0, 0xF8, 20}, 3, 0x80, 0, 0, 0xFF, 1, 0},
        /* shr eax,31 */
        {{0x66, 0xC1, 0xE8, 31}, 4, 0x80000000u, 0, 0, 1, 0, 0},
        /* shr ax,1: OF = old MSB */
        {{0xD1, 0xE8}, 2, 0x8000, 0, 0, 0x4000, 0, 1},
        /* rcr eax,cl with cl = 33: masked to 1 */
        {{0x66, 0xD3, 0xD8}, 3, 0x00000001u, 33, 0, 0, 1, 0},
        /* shld ax,bx,4 (bx = 0xF000) */
        {{0x0F, 0xA4, 0xD8, 4}, 4, 0x1234, 0, 0, 0x234F, 1, 0},
        /* shld ax,bx,20: 16-bit count > 16, dest:src:dest pattern (bx=F000) */
        {{0x0F, 0xA4, 0xD8, 20}, 4, 0x1234, 0, 0, 0x0001, 1, 0},
        /* shrd ax,bx,4 */
        {{0x0F, 0xAC, 0xD8, 4}, 4, 0x1234, 0, 0, 0x0123, 0, 0},
        /* shl al,cl with cl = 32: masked to 0, flags untouched */
        {{0xD2, 0xE0}, 2, 0x55, 32, F_OF | F_AF, 0x55, 0, 1},
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        put_code(&r, 0x1000, cases[k].code, cases[k].len);
        lf_set_flags(r.c, cases[k].flags_in);
        r.c->regs[R_AX] = cases[k].ax;
        r.c->regs[R_CX] = cases[k].cl;
        r.c->regs[R_BX] = 0xF000;
        ck_assert(step(&r, 0x1000, cases[k].len));
        ck_assert_msg(r.c->regs[R_AX] == cases[k].want_ax, "case %u: ax %llx", k,
                      (unsigned long long)r.c->regs[R_AX]);
        ck_assert_msg(get_cf(r.c) == cases[k].want_cf && get_of(r.c) == cases[k].want_of, "case %u: cf %u of %u",
                      k, get_cf(r.c), get_of(r.c));
    }
    rig_free(&r);
}
END_TEST

START_TEST(test_muldiv_cases)
{
    struct rig r;
    rig_init(&r, CPU_MODEL_P6);
    static const uint8_t mul32[] = {0x66, 0xF7, 0xE1};  /* mul ecx */
    static const uint8_t idiv32[] = {0x66, 0xF7, 0xF9}; /* idiv ecx */
    static const uint8_t idiv8[] = {0xF6, 0xF9};        /* idiv cl */
    static const uint8_t imul3[] = {0x66, 0x6B, 0xC1, 0xFF}; /* imul eax,ecx,-1 */
    put_code(&r, 0x1000, mul32, 3);
    put_code(&r, 0x1010, idiv32, 3);
    put_code(&r, 0x1020, idiv8, 2);
    put_code(&r, 0x1030, imul3, 4);

    r.c->regs[R_AX] = 0xFFFFFFFF;
    r.c->regs[R_CX] = 0xFFFFFFFF;
    ck_assert(step(&r, 0x1000, 3));
    ck_assert_uint_eq(r.c->regs[R_AX], 1);
    ck_assert_uint_eq(r.c->regs[R_DX], 0xFFFFFFFE);
    ck_assert(get_cf(r.c) && get_of(r.c));

    /* INT64_MIN / -1: quotient overflow, #DE before anything changes */
    r.c->regs[R_DX] = 0x80000000;
    r.c->regs[R_AX] = 0;
    r.c->regs[R_CX] = 0xFFFFFFFF;
    ck_assert(!step(&r, 0x1010, 3));
    ck_assert_uint_eq(r.c->regs[R_DX], 0x80000000);
    ck_assert_uint_eq(r.c->regs[R_AX], 0);
    /* -7 / 2 = -3 rem -1 */
    r.c->regs[R_DX] = 0xFFFFFFFF;
    r.c->regs[R_AX] = (uint32_t)-7;
    r.c->regs[R_CX] = 2;
    ck_assert(step(&r, 0x1010, 3));
    ck_assert_uint_eq(r.c->regs[R_AX], (uint32_t)-3);
    ck_assert_uint_eq(r.c->regs[R_DX], (uint32_t)-1);
    /* -256 / 2 = -128 fits in AL */
    r.c->regs[R_AX] = 0xFF00;
    r.c->regs[R_CX] = 2;
    ck_assert(step(&r, 0x1020, 2));
    ck_assert_uint_eq(r.c->regs[R_AX] & 0xFFFF, 0x0080);
    /* 256 / 2 = 128 does not */
    r.c->regs[R_AX] = 0x0100;
    ck_assert(!step(&r, 0x1020, 2));
    ck_assert_uint_eq(r.c->regs[R_AX], 0x0100);
    /* imul eax,ecx,-1 with ECX = INT32_MIN overflows */
    r.c->regs[R_CX] = 0x80000000;
    ck_assert(step(&r, 0x1030, 4));
    ck_assert_uint_eq(r.c->regs[R_AX], 0x80000000);
    ck_assert(get_cf(r.c) && get_of(r.c));
    rig_free(&r);
}
END_TEST

static TCase *add_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tc;
}

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("flags");
    TCase *tc = add_tcase(s, "lazy");
    tcase_add_test(tc, test_set_flags_roundtrip);
    tcase_add_test(tc, test_cond_true);
    tc = add_tcase(s, "alu");
    tcase_add_loop_test(tc, test_alu8_exhaustive, 0, N_OF(alu8_ops));
    tcase_add_loop_test(tc, test_unary8_exhaustive, 0, N_OF(unary_ops));
    tcase_add_test(tc, test_alu_wide_random);
    tc = add_tcase(s, "bitops");
    tcase_add_test(tc, test_setcc_cmovcc);
    tcase_add_test(tc, test_bt_family);
    tcase_add_test(tc, test_bsf_bsr_bswap);
    tcase_add_test(tc, test_xadd_cmpxchg);
    tcase_add_test(tc, test_286_no_0f);
    tc = add_tcase(s, "shift_muldiv");
    tcase_add_test(tc, test_shift_cases);
    tcase_add_test(tc, test_muldiv_cases);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
