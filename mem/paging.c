/* Page-table walker (see paging.h).  SDM vol. 3 §4.3 (32-bit), §4.4 (PAE),
 * §4.5 (4-level), §4.6 (access rights), §4.7 (page-fault error codes),
 * §4.8 (accessed and dirty flags). */
#include "paging.h"

#define PTE_P   (1ull << 0)
#define PTE_RW  (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_XD  (1ull << 63)

#define MAXPHYADDR 36
#define ADDR_MASK_64 (((1ull << MAXPHYADDR) - 1) & ~0xFFFull)
/* Bits between MAXPHYADDR and 62 must be zero in PAE/4-level entries. */
#define HIGH_RSVD (((1ull << 63) - 1) & ~((1ull << MAXPHYADDR) - 1))

static uint64_t read_entry(struct physmem *pm, uint64_t addr, bool wide)
{
    return physmem_read(pm, addr, wide ? 8 : 4);
}

static void set_bits(struct physmem *pm, uint64_t addr, uint64_t entry, uint64_t bits, bool wide)
{
    /* A and D live in the low byte of every entry: write just that byte, as the
     * hardware's locked update would leave the rest alone. */
    if ((entry & bits) != bits)
        physmem_write(pm, addr, (entry | bits) & 0xFF, 1);
    (void)wide;
}

bool paging_load_pdptes(struct physmem *pm, uint64_t cr3, uint64_t pdpte[4])
{
    uint64_t base = cr3 & 0xFFFFFFE0ull;
    for (unsigned k = 0; k < 4; k++) {
        pdpte[k] = physmem_read(pm, base + 8 * k, 8);
        /* SDM §4.4.1: bits 2:1, 8:5 and those above MAXPHYADDR are reserved */
        if ((pdpte[k] & PTE_P) && (pdpte[k] & (0x1E6ull | HIGH_RSVD | PTE_XD)))
            return false;
    }
    return true;
}

bool paging_translate(struct physmem *pm, const struct paging_regs *r, uint64_t lin, unsigned access,
                      struct paging_result *out, uint32_t *error_code)
{
    bool write = access & PG_ACCESS_WRITE, user = access & PG_ACCESS_USER, fetch = access & PG_ACCESS_FETCH;
    bool wide = r->mode != PAGING_32;
    /* I/D is reported only when execute-disable exists (PAE/4-level with NXE), SDM §4.7 */
    uint32_t ec_base = (write ? PF_W : 0) | (user ? PF_U : 0) | (fetch && wide && r->nxe ? PF_I : 0);
    uint64_t rsvd_xd = (wide && !r->nxe) ? PTE_XD : 0; /* XD is reserved without EFER.NXE */

    /* Entries visited, for the A/D updates once the access is known to succeed. */
    uint64_t addrs[4], entries[4];
    unsigned levels = 0;
    bool rw = true, us = true, xd = false;
    uint64_t entry = 0, page_size = 4096, frame = 0;

    if (r->mode == PAGING_32) {
        uint64_t pde_addr = (r->cr3 & 0xFFFFF000ull) + ((lin >> 22) & 0x3FF) * 4;
        uint64_t pde = read_entry(pm, pde_addr, false);
        if (!(pde & PTE_P))
            goto not_present;
        addrs[levels] = pde_addr;
        entries[levels++] = pde;
        rw &= !!(pde & PTE_RW);
        us &= !!(pde & PTE_US);
        if ((pde & PTE_PS) && r->pse) {
            /* 4 MiB page; bits 20:13 give physical bits 39:32 (PSE-36) — reserved here, no PSE-36. */
            if (pde & 0x3FE000ull)
                goto reserved;
            entry = pde;
            page_size = 4u << 20;
            frame = pde & 0xFFC00000ull;
        } else {
            uint64_t pte_addr = (pde & 0xFFFFF000ull) + ((lin >> 12) & 0x3FF) * 4;
            uint64_t pte = read_entry(pm, pte_addr, false);
            if (!(pte & PTE_P))
                goto not_present;
            addrs[levels] = pte_addr;
            entries[levels++] = pte;
            rw &= !!(pte & PTE_RW);
            us &= !!(pte & PTE_US);
            entry = pte;
            frame = pte & 0xFFFFF000ull;
        }
    } else {
        unsigned level; /* 4: PML4, 3: PDPT, 2: PD, 1: PT */
        uint64_t table;
        if (r->mode == PAGING_PAE) {
            uint64_t pdpte = r->pdpte[(lin >> 30) & 3];
            if (!(pdpte & PTE_P))
                goto not_present;
            table = pdpte & ADDR_MASK_64;
            level = 2;
        } else {
            table = r->cr3 & ADDR_MASK_64;
            level = 4;
        }
        for (;; level--) {
            unsigned shift = 12 + 9 * (level - 1);
            uint64_t e_addr = table + ((lin >> shift) & 0x1FF) * 8;
            uint64_t e = read_entry(pm, e_addr, true);
            if (!(e & PTE_P))
                goto not_present;
            if (e & (HIGH_RSVD | rsvd_xd))
                goto reserved;
            if (level == 4 && (e & PTE_PS))
                goto reserved; /* PS is reserved in a PML4E */
            addrs[levels] = e_addr;
            entries[levels++] = e;
            rw &= !!(e & PTE_RW);
            us &= !!(e & PTE_US);
            xd |= r->nxe && (e & PTE_XD);
            if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
                page_size = 1ull << shift;
                /* Large pages: bits 12..shift-1 (except PAT at bit 12) must be zero. */
                if (level > 1 && (e & ((page_size - 1) & ~0x1FFFull)))
                    goto reserved;
                entry = e;
                frame = e & ADDR_MASK_64 & ~(page_size - 1);
                break;
            }
            table = e & ADDR_MASK_64;
        }
    }

    /* Access rights (SDM §4.6): user accesses need U/S everywhere, and R/W for
     * writes; supervisor writes need R/W only with CR0.WP; fetches need no XD. */
    bool allowed = true;
    if (user && !us)
        allowed = false;
    if (write && !rw && (user || r->wp))
        allowed = false;
    if (fetch && xd)
        allowed = false;
    if (!allowed) {
        *error_code = ec_base | PF_P;
        return false;
    }

    /* A and D are set only for an access that succeeds (the SDM lets a faulting
     * access set A too; we follow the simpler rule and say so in the tests). */
    for (unsigned k = 0; k < levels; k++)
        set_bits(pm, addrs[k], entries[k], PTE_A | (k == levels - 1 && write ? PTE_D : 0), wide);

    out->page_size = page_size;
    out->phys = frame | (lin & (page_size - 1));
    out->user = us;
    out->writable = rw || (!user && !r->wp);
    out->executable = !xd;
    out->dirty = write || (entry & PTE_D);
    out->global = r->pge && (entry & PTE_G);
    return true;

not_present:
    *error_code = ec_base;
    return false;
reserved:
    *error_code = ec_base | PF_P | PF_RSVD;
    return false;
}
