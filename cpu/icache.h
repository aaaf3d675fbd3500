/* Decoded-instruction cache, keyed by physical address and decode mode.
 *
 * The cache is split into banks of 4096 slots; a physical page hashes to one
 * bank and an instruction occupies the slot of its first byte's page offset.
 * So all instructions that start in a 128-byte block sit in 128 consecutive
 * slots, and invalidating a block after a guest write (self-modifying code)
 * is a short loop.  Instructions that cross a page are not cached. */
#ifndef RINGZERO_CPU_ICACHE_H
#define RINGZERO_CPU_ICACHE_H

#include "cpu_state.h"

#define ICACHE_BANK_BITS 6
#define ICACHE_SLOTS (4096u << ICACHE_BANK_BITS)

/* A slot's key is phys + tag, where the tag holds the decode mode (bits 40-41)
 * and the cache generation (bits 42-63), plus one so that 0 means empty.
 * Physical addresses are below 2^40, so keys never collide; flushing the whole
 * cache is bumping the generation. */
#define ICACHE_MODE_SHIFT 40
#define ICACHE_GEN_SHIFT 42

struct icache_slot {
    uint64_t key;
    struct insn insn;
};

struct icache {
    uint64_t gen;
    struct icache_slot slot[ICACHE_SLOTS];
};

struct icache *icache_create(void);
void icache_destroy(struct icache *ic);
void icache_flush(struct icache *ic); /* O(1) except once per 4 million flushes */
/* Invalidate every instruction starting in the 128-byte blocks that [phys, phys+len)
 * touches, and in the 15 bytes before them (instructions reaching into them). */
void icache_invalidate(struct icache *ic, uint64_t phys, unsigned len);

static inline uint64_t icache_tag(const struct icache *ic, unsigned mode)
{
    return ((uint64_t)mode << ICACHE_MODE_SHIFT) + (ic->gen << ICACHE_GEN_SHIFT) + 1;
}

static inline struct icache_slot *icache_slot_for(struct icache *ic, uint64_t phys)
{
    uint64_t page = phys >> 12;
    unsigned bank = (unsigned)((page ^ (page >> ICACHE_BANK_BITS) ^ (page >> 13)) & ((1u << ICACHE_BANK_BITS) - 1));
    return &ic->slot[(bank << 12) | (phys & 0xFFF)];
}

#endif
