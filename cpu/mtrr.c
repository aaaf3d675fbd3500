/* MTRRs as stored registers (see mtrr.h).  Layout per SDM vol. 3 §11.11.1-11.11.2:
 * IA32_MTRRCAP 0xFE (read-only: VCNT = 8, FIX, WC), IA32_MTRR_DEF_TYPE 0x2FF,
 * the fixed-range registers 0x250, 0x258, 0x259, 0x268-0x26F, and the variable
 * pairs PHYSBASEn/PHYSMASKn at 0x200 + 2n / 0x201 + 2n. */
#include "mtrr.h"

#include "fault.h"

#define MTRRCAP_VALUE (MTRR_VARIABLE_PAIRS | (1u << 8) /* FIX */ | (1u << 10) /* WC */)
#define PHYS_BITS 36
#define ADDR_MASK (((1ull << PHYS_BITS) - 1) & ~0xFFFull)

static const uint32_t fixed_msrs[11] = {0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F};

static bool valid_type(unsigned t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }

static int fixed_index(uint32_t msr)
{
    for (int k = 0; k < 11; k++)
        if (fixed_msrs[k] == msr)
            return k;
    return -1;
}

void mtrr_reset(struct cpu *c)
{
    /* Power-up: all MTRRs disabled, contents undefined (zero here). */
    c->mtrr.def_type = 0;
    for (unsigned k = 0; k < 11; k++)
        c->mtrr.fixed[k] = 0;
    for (unsigned k = 0; k < 2 * MTRR_VARIABLE_PAIRS; k++)
        c->mtrr.var[k] = 0;
}

bool mtrr_rdmsr(const struct cpu *c, uint32_t msr, uint64_t *value)
{
    int fx = fixed_index(msr);
    if (msr == 0xFE)
        *value = MTRRCAP_VALUE;
    else if (msr == 0x2FF)
        *value = c->mtrr.def_type;
    else if (fx >= 0)
        *value = c->mtrr.fixed[fx];
    else if (msr >= 0x200 && msr < 0x200 + 2 * MTRR_VARIABLE_PAIRS)
        *value = c->mtrr.var[msr - 0x200];
    else
        return false;
    return true;
}

bool mtrr_wrmsr(struct cpu *c, uint32_t msr, uint64_t value)
{
    int fx = fixed_index(msr);
    if (msr == 0xFE) {
        cpu_raise_gp0(c); /* read-only */
    } else if (msr == 0x2FF) {
        if ((value & ~0xCFFull) || !valid_type(value & 0xFF))
            cpu_raise_gp0(c);
        c->mtrr.def_type = value;
    } else if (fx >= 0) {
        for (unsigned b = 0; b < 8; b++)
            if (!valid_type((value >> (8 * b)) & 0xFF))
                cpu_raise_gp0(c);
        c->mtrr.fixed[fx] = value;
    } else if (msr >= 0x200 && msr < 0x200 + 2 * MTRR_VARIABLE_PAIRS) {
        bool is_mask = (msr & 1) != 0;
        uint64_t allowed = is_mask ? (ADDR_MASK | (1u << 11)) : (ADDR_MASK | 0xFF);
        if ((value & ~allowed) || (!is_mask && !valid_type(value & 0xFF)))
            cpu_raise_gp0(c);
        c->mtrr.var[msr - 0x200] = value;
    } else {
        return false;
    }
    return true;
}
