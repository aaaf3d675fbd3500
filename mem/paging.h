/* Page-table walker for 32-bit paging (4 KiB and PSE 4 MiB pages), PAE paging
 * (2 MiB pages, NX) and 4-level paging (2 MiB and 1 GiB pages), per Intel SDM
 * vol. 3 ch. 4.  A pure function of physical memory and the paging registers:
 * it sets accessed and dirty bits exactly when the hardware writes them and
 * reports a #PF error code on failure.  The CPU caches the results in its TLB. */
#ifndef RINGZERO_MEM_PAGING_H
#define RINGZERO_MEM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "physmem.h"

enum paging_mode { PAGING_32, PAGING_PAE, PAGING_4LEVEL };

struct paging_regs {
    enum paging_mode mode;
    uint64_t cr3;
    bool wp;            /* CR0.WP: supervisor writes honour read-only pages */
    bool pse;           /* CR4.PSE: 4 MiB pages in 32-bit paging */
    bool pge;           /* CR4.PGE: the G bit makes translations global */
    bool nxe;           /* EFER.NXE: bit 63 is execute-disable (PAE and 4-level) */
    uint64_t pdpte[4];  /* PAE: the PDPTEs loaded at the last CR3 write (SDM §4.4.1) */
};

/* Access being translated (bits combine). */
#define PG_ACCESS_WRITE 1u
#define PG_ACCESS_USER  2u  /* CPL 3 data or code access (not implicit supervisor accesses) */
#define PG_ACCESS_FETCH 4u

/* #PF error code bits (SDM vol. 3 §4.7) */
#define PF_P    1u  /* 0: not present; 1: protection violation */
#define PF_W    2u
#define PF_U    4u
#define PF_RSVD 8u
#define PF_I    16u

struct paging_result {
    uint64_t phys;        /* translated address */
    uint64_t page_size;   /* 4 KiB, 2 MiB, 4 MiB or 1 GiB */
    bool writable;        /* writes at this privilege would succeed without a fault */
    bool user;            /* user-accessible */
    bool executable;      /* not execute-disabled */
    bool dirty;           /* the D bit is set (so a write need not walk again) */
    bool global;
};

/* Returns true and fills *out, or false with the #PF error code in *error_code.
 * Sets A bits along the walk and D on a successful write. */
bool paging_translate(struct physmem *pm, const struct paging_regs *r, uint64_t lin, unsigned access,
                      struct paging_result *out, uint32_t *error_code);

/* Loads the four PDPTEs for PAE mode from CR3; false if one is present with reserved bits set (#GP). */
bool paging_load_pdptes(struct physmem *pm, uint64_t cr3, uint64_t pdpte[4]);

#endif
