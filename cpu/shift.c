/* Shifts and rotates: group 2 (C0/C1 by Ib, D0/D1 by 1, D2/D3 by CL) with
 * ROL ROR RCL RCR SHL SHR SAL SAR, and the double-precision shifts SHLD/SHRD
 * (0F A4/A5/AC/AD).  SDM vol. 2 "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR",
 * "SHLD", "SHRD"; flags per vol. 1 App. A.
 *
 * Undefined flags, one rule for both models: every result here equals what
 * shifting one bit at a time `count` times gives (the 80286 microcode does
 * exactly that), and OF is the count-1 formula applied to the final result,
 * i.e. the OF of the last one-bit step, as modern Intel cores do.  Shifts
 * set AF = 0 (undefined; the 286 vectors mask it). */
#include "operand.h"

typedef unsigned __int128 u128;

enum sh_op { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };
enum sh_count { CNT_IMM, CNT_ONE, CNT_CL };

/* The count after masking: 5 bits, 6 for 64-bit operands (80186 and later). */
ALWAYS_INLINE unsigned shift_count(struct cpu *c, const struct insn *i, unsigned size, unsigned src)
{
    unsigned n = src == CNT_ONE ? 1 : src == CNT_IMM ? (unsigned)i->imm : (unsigned)c->regs[R_CX];
    return n & (size == 8 ? 0x3F : 0x1F);
}

ALWAYS_INLINE unsigned msb(uint64_t v, unsigned size) { return (unsigned)(v >> (8 * size - 1)) & 1; }
ALWAYS_INLINE unsigned msb2(uint64_t v, unsigned size) { return (unsigned)(v >> (8 * size - 2)) & 1; }

/* Result flags of a shift: SF/ZF/PF from the result, AF = 0. */
ALWAYS_INLINE void shift_flags(struct cpu *c, uint64_t r, unsigned size, unsigned cf, unsigned of)
{
    lf_set(c, r, size, ((uint64_t)cf << LF_CF_BIT) | ((uint64_t)(cf ^ of) << LF_PO_BIT));
}

/* a OP n for 1 <= n <= 31 (63 for 64-bit operands); sets the flags, returns the result. */
ALWAYS_INLINE uint64_t shift_compute(struct cpu *c, unsigned op, uint64_t a, unsigned n, unsigned size)
{
    unsigned w = 8 * size;
    uint64_t m = size_mask(size), r;
    unsigned cf;
    switch (op) {
    case SH_ROL: {
        /* Rotates change only CF and OF (SF, ZF, AF, PF keep their values). */
        unsigned k = n & (w - 1);
        r = k ? ((a << k) | (a >> (w - k))) & m : a;
        cf = (unsigned)r & 1;
        lf_set_cf_of(c, cf, msb(r, size) ^ cf);
        return r;
    }
    case SH_ROR: {
        unsigned k = n & (w - 1);
        r = k ? ((a >> k) | (a << (w - k))) & m : a;
        lf_set_cf_of(c, msb(r, size), msb(r, size) ^ msb2(r, size));
        return r;
    }
    case SH_RCL:
    case SH_RCR: {
        /* A (w+1)-bit rotate through CF: 8- and 16-bit counts are taken modulo 9 / 17.
         * A count that is a multiple of 9 / 17 leaves the value and CF, but OF is
         * still recomputed from them (the last one-bit step's OF). */
        unsigned k = size <= 2 ? n % (w + 1) : n;
        u128 v = ((u128)get_cf(c) << w) | a, vm = ((u128)1 << (w + 1)) - 1;
        if (k) {
            if (op == SH_RCL)
                v = ((v << k) | (v >> (w + 1 - k))) & vm;
            else
                v = ((v >> k) | (v << (w + 1 - k))) & vm;
        }
        r = (uint64_t)v & m;
        cf = (unsigned)(v >> w) & 1;
        /* RCL: OF = MSB(result) ^ CF; RCR: OF = the two top result bits XORed, which
         * for a count of 1 is SDM's MSB(DEST) ^ CF taken before the rotate. */
        lf_set_cf_of(c, cf, op == SH_RCL ? msb(r, size) ^ cf : msb(r, size) ^ msb2(r, size));
        return r;
    }
    case SH_SHL:
    case SH_SAL:
        /* n may exceed the operand width (8/16-bit operands, counts up to 31):
         * everything has been shifted out then, and CF is 0 past n = w. */
        r = (a << n) & m;
        cf = n <= w ? (unsigned)(a >> (w - n)) & 1 : 0;
        shift_flags(c, r, size, cf, msb(r, size) ^ cf);
        return r;
    case SH_SHR:
        r = a >> n;
        cf = (unsigned)(a >> (n - 1)) & 1;
        /* Count 1: OF = MSB(original) = bit w-2 of the result; 0 for larger counts. */
        shift_flags(c, r, size, cf, msb2(r, size));
        return r;
    default: { /* SH_SAR */
        int64_t s = sign_extend(a, size);
        r = (uint64_t)(s >> n) & m;
        cf = (unsigned)(s >> (n - 1)) & 1;
        shift_flags(c, r, size, cf, 0);
        return r;
    }
    }
}

ALWAYS_INLINE void shift_E(struct cpu *c, const struct insn *i, unsigned size, bool mem, unsigned op, unsigned src)
{
    unsigned n = shift_count(c, i, size, src);
    uint64_t a = rm_read_rmw(c, i, size, mem);
    if (n == 0)
        return; /* a zero count changes neither the operand nor the flags */
    rm_write_rmw(c, i, size, mem, shift_compute(c, op, a, n, size));
}

#define SHIFT_FORMS(name, op)                                                                                \
    ALWAYS_INLINE void name##_ib(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        shift_E(c, i, size, mem, op, CNT_IMM);                                                              \
    }                                                                                                       \
    ALWAYS_INLINE void name##_1(struct cpu *c, const struct insn *i, unsigned size, bool mem)               \
    {                                                                                                       \
        shift_E(c, i, size, mem, op, CNT_ONE);                                                              \
    }                                                                                                       \
    ALWAYS_INLINE void name##_cl(struct cpu *c, const struct insn *i, unsigned size, bool mem)              \
    {                                                                                                       \
        shift_E(c, i, size, mem, op, CNT_CL);                                                               \
    }                                                                                                       \
    HSET_RM(name##_ib);                                                                                     \
    HSET_RM(name##_1);                                                                                      \
    HSET_RM(name##_cl)

SHIFT_FORMS(rol, SH_ROL);
SHIFT_FORMS(ror, SH_ROR);
SHIFT_FORMS(rcl, SH_RCL);
SHIFT_FORMS(rcr, SH_RCR);
SHIFT_FORMS(shl, SH_SHL);
SHIFT_FORMS(shr, SH_SHR);
SHIFT_FORMS(sar, SH_SAR);

/* SHLD/SHRD Ev,Gv,Ib|CL.  The destination is shifted and the vacated bits are
 * filled from Gv.  A 16-bit operand with a count of 17-31 is undefined (SDM
 * vol. 2 "SHLD"); Intel processors then shift the 48-bit pattern dest:src:dest
 * (SHLD) or dest:src:dest read from the right (SHRD), so bits of the original
 * destination come back in after those of the source.  We do the same.
 * OF is 1 when the sign changed (the SDM's definition for a count of 1, kept
 * for every count); AF = 0; CF is the last bit shifted out. */
ALWAYS_INLINE void shxd(struct cpu *c, const struct insn *i, unsigned size, bool mem, bool left, bool by_cl)
{
    unsigned n = (by_cl ? (unsigned)c->regs[R_CX] : (unsigned)i->imm) & (size == 8 ? 0x3F : 0x1F);
    uint64_t src = reg_get(c, i->reg, size);
    uint64_t d = rm_read_rmw(c, i, size, mem);
    if (n == 0)
        return;
    unsigned w = 8 * size;
    uint64_t r;
    unsigned cf;
    if (size == 2) {
        /* the 48-bit pattern dest:src:dest in a 64-bit word */
        uint64_t x = (d << 32) | (src << 16) | d;
        if (left) {
            r = (x >> (32 - n)) & 0xFFFF;
            cf = (unsigned)(x >> (48 - n)) & 1;
        } else {
            r = (x >> n) & 0xFFFF;
            cf = (unsigned)(x >> (n - 1)) & 1;
        }
    } else {
        /* n < w here */
        u128 x = left ? ((u128)d << w) | src : ((u128)src << w) | d;
        if (left) {
            r = (uint64_t)(x >> (w - n)) & size_mask(size);
            cf = (unsigned)(x >> (2 * w - n)) & 1;
        } else {
            r = (uint64_t)(x >> n) & size_mask(size);
            cf = (unsigned)(x >> (n - 1)) & 1;
        }
    }
    shift_flags(c, r, size, cf, msb(r, size) ^ msb(d, size));
    rm_write_rmw(c, i, size, mem, r);
}
ALWAYS_INLINE void shld_ib(struct cpu *c, const struct insn *i, unsigned size, bool mem) { shxd(c, i, size, mem, true, false); }
ALWAYS_INLINE void shld_cl(struct cpu *c, const struct insn *i, unsigned size, bool mem) { shxd(c, i, size, mem, true, true); }
ALWAYS_INLINE void shrd_ib(struct cpu *c, const struct insn *i, unsigned size, bool mem) { shxd(c, i, size, mem, false, false); }
ALWAYS_INLINE void shrd_cl(struct cpu *c, const struct insn *i, unsigned size, bool mem) { shxd(c, i, size, mem, false, true); }
HSET_RM(shld_ib);
HSET_RM(shld_cl);
HSET_RM(shrd_ib);
HSET_RM(shrd_cl);

#define M OA_MODRM
#define B OA_BYTE
#define I8 OA_IMM(IMM_8)
#define GRP2(ext, name)                                                                                      \
    {0xC0, (ext), M | B | I8, &hs_##name##_ib}, {0xC1, (ext), M | I8, &hs_##name##_ib},                      \
    {0xD0, (ext), M | B, &hs_##name##_1}, {0xD1, (ext), M, &hs_##name##_1},                                   \
    {0xD2, (ext), M | B, &hs_##name##_cl}, {0xD3, (ext), M, &hs_##name##_cl}

const struct opdef shift_opdefs[] = {
    GRP2(0, rol), GRP2(1, ror), GRP2(2, rcl), GRP2(3, rcr),
    GRP2(4, shl), GRP2(5, shr),
    GRP2(6, shl), /* /6: undocumented alias of SHL (8086 through P6) */
    GRP2(7, sar),
    {0x0FA4, -1, M | OA_386 | I8, &hs_shld_ib}, {0x0FA5, -1, M | OA_386, &hs_shld_cl},
    {0x0FAC, -1, M | OA_386 | I8, &hs_shrd_ib}, {0x0FAD, -1, M | OA_386, &hs_shrd_cl},
    {0, 0, 0, NULL},
};
