/* Lazy arithmetic flags (the idea follows Bochs's lazy_flags.h; the code is ours).
 *
 * Two words describe CF, PF, AF, ZF, SF and OF after any instruction:
 *   lf_res  the result, sign-extended to 64 bits: ZF = (res == 0), SF = bit 63,
 *           PF = even parity of the low byte;
 *   lf_aux  bit 31 = CF, bit 30 = CF ^ OF, bit 3 = AF, and two "deltas" that let
 *           any flag combination be represented: bit 0 flips SF, bits 8-15 are
 *           XORed into the low result byte before taking parity.
 * An ALU operation stores the carry-out vector of its addition (or the borrow
 * vector of its subtraction); every flag comes out in O(1) with no switch on
 * the operation that produced it. */
#ifndef RINGZERO_CPU_FLAGS_H
#define RINGZERO_CPU_FLAGS_H

#include "cpu_state.h"

#define LF_CF_BIT 31
#define LF_PO_BIT 30

/* Carry vector of a + b = r: bit k is the carry out of bit k. */
static inline uint64_t add_carry_vec(uint64_t a, uint64_t b, uint64_t r) { return (a & b) | ((a | b) & ~r); }
/* Borrow vector of a - b = r: bit k is the borrow out of bit k. */
static inline uint64_t sub_borrow_vec(uint64_t a, uint64_t b, uint64_t r) { return (~a & b) | ((~a ^ b) & r); }

/* aux word for a carry vector of an operation of `size` bytes */
static inline uint64_t lf_aux_from_vec(uint64_t vec, unsigned size)
{
    return (vec & 0x08) | (((vec >> (8 * size - 2)) & 3) << LF_PO_BIT);
}

static inline void lf_set(struct cpu *c, uint64_t result, unsigned size, uint64_t aux)
{
    c->lf_res = (uint64_t)sign_extend(result, size);
    c->lf_aux = aux;
}

static inline unsigned parity8(uint64_t v) { return !__builtin_parity((unsigned)(v & 0xFF)); }

static inline unsigned get_cf(const struct cpu *c) { return (c->lf_aux >> LF_CF_BIT) & 1; }
static inline unsigned get_of(const struct cpu *c) { return ((c->lf_aux >> LF_CF_BIT) ^ (c->lf_aux >> LF_PO_BIT)) & 1; }
static inline unsigned get_af(const struct cpu *c) { return (c->lf_aux >> 3) & 1; }
static inline unsigned get_zf(const struct cpu *c) { return c->lf_res == 0; }
static inline unsigned get_sf(const struct cpu *c) { return (unsigned)((c->lf_res >> 63) ^ c->lf_aux) & 1; }
static inline unsigned get_pf(const struct cpu *c) { return parity8(c->lf_res ^ (c->lf_aux >> 8)); }

/* Set the six arithmetic flags to explicit values. */
static inline void lf_set_flags(struct cpu *c, uint32_t f)
{
    unsigned cf = !!(f & F_CF), of = !!(f & F_OF);
    uint64_t res = (f & F_ZF) ? 0 : 1;
    uint64_t aux = ((uint64_t)cf << LF_CF_BIT) | ((uint64_t)(cf ^ of) << LF_PO_BIT) | ((f & F_AF) ? 8 : 0);
    aux |= (f & F_SF) ? 1 : 0;                       /* res has bit 63 clear, so the delta is SF itself */
    if (parity8(res) != !!(f & F_PF))
        aux |= 1u << 8;
    c->lf_res = res;
    c->lf_aux = aux;
}

static inline uint32_t lf_get_flags(const struct cpu *c)
{
    return (get_cf(c) ? F_CF : 0) | (get_pf(c) ? F_PF : 0) | (get_af(c) ? F_AF : 0) | (get_zf(c) ? F_ZF : 0) |
           (get_sf(c) ? F_SF : 0) | (get_of(c) ? F_OF : 0);
}

/* Replace CF and OF (keeping the others): used by shifts, multiplies, INC/DEC (CF). */
static inline void lf_set_cf_of(struct cpu *c, unsigned cf, unsigned of)
{
    c->lf_aux = (c->lf_aux & ~((1ull << LF_CF_BIT) | (1ull << LF_PO_BIT))) | ((uint64_t)cf << LF_CF_BIT) |
                ((uint64_t)(cf ^ of) << LF_PO_BIT);
}

/* Full EFLAGS image (bit 1 always reads 1). */
static inline uint32_t cpu_get_eflags(const struct cpu *c) { return (c->eflags & ~F_ARITH) | lf_get_flags(c) | 2u; }

/* Condition codes for Jcc/SETcc/CMOVcc, by the low nibble of the opcode (SDM vol. 1 App. B). */
static inline bool cond_true(const struct cpu *c, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = get_of(c); break;
    case 1: r = get_cf(c); break;
    case 2: r = get_zf(c); break;
    case 3: r = get_cf(c) | get_zf(c); break;
    case 4: r = get_sf(c); break;
    case 5: r = get_pf(c); break;
    case 6: r = get_sf(c) != get_of(c); break;
    default: r = (get_sf(c) != get_of(c)) | get_zf(c); break;
    }
    return r ^ (cc & 1);
}

#endif
