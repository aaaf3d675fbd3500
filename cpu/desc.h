/* Segment descriptors and protected-mode segment loads (SDM vol. 3 ch. 3, 5). */
#ifndef RINGZERO_CPU_DESC_H
#define RINGZERO_CPU_DESC_H

#include "cpu_state.h"

/* A descriptor, decoded (SDM vol. 3 §3.4.5, §5.8.3 for gates). */
struct desc {
    uint32_t lo, hi;      /* raw words */
    uint64_t base;
    uint32_t limit;       /* effective byte limit (scaled when G is set) */
    uint8_t type;         /* the 4-bit type field */
    bool s;               /* 1: code or data; 0: system (TSS, LDT, gates) */
    uint8_t dpl;
    bool present, db, l, g, avl;
    uint16_t gate_sel;    /* gates: target selector (task gate: TSS selector) */
    uint64_t gate_offset; /* call/interrupt/trap gates: entry point offset */
    uint8_t gate_params;  /* call gates: parameter count */
};

/* System descriptor types (S = 0) */
enum {
    DESC_TSS16_AVAIL = 1, DESC_LDT = 2, DESC_TSS16_BUSY = 3, DESC_CALL16 = 4, DESC_TASK_GATE = 5,
    DESC_INT16 = 6, DESC_TRAP16 = 7, DESC_TSS32_AVAIL = 9, DESC_TSS32_BUSY = 11, DESC_CALL32 = 12,
    DESC_INT32 = 14, DESC_TRAP32 = 15,
};

void desc_decode(uint32_t lo, uint32_t hi, struct desc *d);
/* Reads the descriptor for sel (TI picks GDT or LDT) with supervisor accesses.
 * Returns false if the index lies beyond the table limit (the caller raises the
 * fault the instruction calls for, with error code sel & 0xFFFC). */
bool desc_read(struct cpu *c, uint16_t sel, struct desc *d);
/* Sets the accessed bit of a code/data descriptor in memory (and in *d). */
void desc_set_accessed(struct cpu *c, uint16_t sel, struct desc *d);
/* Fills a segment register's hidden part from a descriptor. */
void seg_cache_from_desc(struct seg_cache *sc, uint16_t sel, const struct desc *d);

/* A protected-mode data/stack segment load with every check of SDM vol. 2
 * "MOV"/"POP" (and vol. 3 §5.5-5.6); faults use `vector` (EXC_GP normally, EXC_TS
 * during a task switch). seg_load() in seg.c calls this in protected mode. */
void seg_load_protected(struct cpu *c, unsigned seg, uint16_t sel, unsigned vector);

#endif
