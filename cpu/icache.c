/* Decoded-instruction cache (see icache.h). */
#include "icache.h"

#include <stdlib.h>
#include <string.h>

struct icache *icache_create(void)
{
    return calloc(1, sizeof(struct icache)); /* all keys 0: empty */
}

void icache_destroy(struct icache *ic) { free(ic); }

void icache_flush(struct icache *ic)
{
    ic->gen = (ic->gen + 1) & ((1ull << (64 - ICACHE_GEN_SHIFT)) - 1);
    if (ic->gen == 0) /* wrapped: old keys could match again */
        for (unsigned i = 0; i < ICACHE_SLOTS; i++)
            ic->slot[i].key = 0;
}

void icache_invalidate(struct icache *ic, uint64_t phys, unsigned len)
{
    if (len == 0)
        return;
    uint64_t page = phys & ~0xFFFull;
    uint64_t end = phys + len; /* physmem reports writes within one page */
    unsigned first = (unsigned)(phys & 0xFFF) & ~127u;
    unsigned last = end - page >= 0x1000 ? 0x1000 : (((unsigned)(end - page) + 127) & ~127u);
    first = first >= 15 ? first - 15 : 0;
    struct icache_slot *base = icache_slot_for(ic, page);
    /* Only clear the key: a handler that is running may still read its own insn. */
    for (unsigned off = first; off < last; off++)
        base[off].key = 0;
}
