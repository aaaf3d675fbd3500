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
    uint64_t gate_offset; /* call/interrupt/trap gates: entry point offset (16 bits for 16-bit gates) */
    uint8_t gate_params;  /* call gates: parameter count */
};

/* System descriptor types (S = 0) */
enum {
    DESC_TSS16_AVAIL = 1, DESC_LDT = 2, DESC_TSS16_BUSY = 3, DESC_CALL16 = 4, DESC_TASK_GATE = 5,
    DESC_INT16 = 6, DESC_TRAP16 = 7, DESC_TSS32_AVAIL = 9, DESC_TSS32_BUSY = 11, DESC_CALL32 = 12,
    DESC_INT32 = 14, DESC_TRAP32 = 15,
};

/* Code/data type bits (S = 1, SDM vol. 3 Table 3-1) */
#define DESC_T_ACCESSED 0x1u
#define DESC_T_RW       0x2u /* data: writable; code: readable */
#define DESC_T_EC       0x4u /* data: expand-down; code: conforming */
#define DESC_T_CODE     0x8u

static inline bool desc_is_code(const struct desc *d) { return d->s && (d->type & DESC_T_CODE); }
static inline bool desc_is_data(const struct desc *d) { return d->s && !(d->type & DESC_T_CODE); }
static inline bool desc_is_conforming(const struct desc *d) { return desc_is_code(d) && (d->type & DESC_T_EC); }
static inline bool sel_is_null(uint16_t sel) { return (sel & 0xFFFC) == 0; }

void desc_decode(uint32_t lo, uint32_t hi, struct desc *d);
/* Linear address of the descriptor for sel (TI picks GDT or LDT); false if the
 * index lies beyond the table limit or the LDTR holds a null selector. */
bool desc_addr(struct cpu *c, uint16_t sel, uint64_t *lin);
/* Reads the descriptor for sel (TI picks GDT or LDT) with supervisor accesses.
 * Returns false if the index lies beyond the table limit (the caller raises the
 * fault the instruction calls for, with error code sel & 0xFFFC). */
bool desc_read(struct cpu *c, uint16_t sel, struct desc *d);
/* Sets the accessed bit of a code/data descriptor in memory (and in *d). */
void desc_set_accessed(struct cpu *c, uint16_t sel, struct desc *d);
/* Fills a segment register's hidden part from a descriptor (attr, and the
 * SEG_CHECK_* bits that send accesses through the slow check). */
void seg_cache_from_desc(struct seg_cache *sc, uint16_t sel, const struct desc *d);
/* A null selector in a data segment register: every access is #GP(0). */
void seg_cache_null(struct seg_cache *sc, uint16_t sel);
/* Does [off, off+size) lie inside the segment (expand-up or expand-down)? */
bool seg_cache_in_limit(const struct seg_cache *sc, uint64_t off, unsigned size);

/* A protected-mode segment load with every check of SDM vol. 2 "MOV"/"POP"
 * (and vol. 3 §5.5-5.6); faults use `vector` (EXC_GP normally, EXC_TS during a
 * task switch) with error code sel & 0xFFFC; not present is #NP (#SS for SS).
 * seg_load() in seg.c calls this in protected mode.
 * seg == S_CS is the task-switch load of SDM vol. 3 §7.3 step 14 (Table 7-1):
 * null, not code, nonconforming with DPL != RPL, conforming with DPL > RPL are
 * `vector`; absent is #NP; on success CPL := RPL (cpu_set_cpl) and the mode bits
 * are refreshed.  Load CS before SS and the data segments: their checks use CPL. */
void seg_load_protected(struct cpu *c, unsigned seg, uint16_t sel, unsigned vector);
/* LDTR load (LLDT with vector EXC_GP; task switch with EXC_TS, SDM Table 7-1).
 * A null selector makes the LDTR unusable (any TI=1 selector is then beyond the limit). */
void ldtr_load(struct cpu *c, uint16_t sel, unsigned vector);

/* ---- helpers for privilege transfers (branch.c, fault.c, task.c) ---- */

/* The inner stack SS:ESP for privilege level `dpl` from the current TSS
 * (SDM vol. 3 §5.8.5 / Fig. 7-2, 7-11: 32-bit TSS ESPn at 4+8n, SSn at 8+8n;
 * 16-bit TSS SPn at 2+4n, SSn at 4+4n).  #TS(TR selector | ext) if outside the TSS limit. */
void tss_inner_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint64_t *sp, uint32_t ext);
/* Checks a new stack segment for privilege level `cpl`: null is vector(ext),
 * beyond the table, RPL != cpl, DPL != cpl or not writable data is
 * vector(sel | ext); absent is #SS(sel | ext).  vector: EXC_TS for inner stacks
 * from the TSS, EXC_GP for RETF/IRET to an outer level. */
void check_stack_desc(struct cpu *c, uint16_t sel, unsigned cpl, struct desc *d, unsigned vector, uint32_t ext);
/* Target code segment of a call/interrupt/trap gate (SDM vol. 2 CALL, INT n):
 * null is #GP(ext), beyond the table, not code or DPL > CPL is #GP(sel | ext),
 * with `same_level` also nonconforming DPL != CPL (JMP through a call gate);
 * absent is #NP(sel | ext). */
void check_gate_target(struct cpu *c, uint16_t sel, struct desc *d, uint32_t ext, bool same_level);
/* Commit a CS load for a far transfer: selector with RPL := cpl, CPL := cpl, mode bits. */
void load_cs_commit(struct cpu *c, uint16_t sel, const struct desc *d, unsigned cpl);

/* Staged stack writes: every slot is limit-checked as it is added and
 * write-probed (paging) before the first is stored, so a fault anywhere leaves
 * memory and registers unchanged. */
#define FRAME_MAX 48
struct stack_frame {
    const struct seg_cache *ss; /* the stack segment the slots are in (may be a local copy) */
    uint64_t sp;                /* running stack pointer, wrapped to the stack width */
    uint64_t mask;              /* 0xFFFF or 0xFFFFFFFF by SS.B */
    bool user;                  /* accesses made at CPL 3 */
    uint32_t err;               /* error code of the #SS a limit violation raises */
    unsigned n;
    struct { uint64_t lin, val; unsigned size; } slot[FRAME_MAX];
};
void frame_init(struct cpu *c, struct stack_frame *f, const struct seg_cache *ss, uint64_t sp, unsigned cpl,
                uint32_t err);
void frame_push(struct cpu *c, struct stack_frame *f, uint64_t v, unsigned size);
void frame_commit(struct cpu *c, struct stack_frame *f);
/* Raise now whatever fault a write of `size` bytes at `lin` with the given
 * privilege would raise (a #PF); no-op without paging. */
void probe_write(struct cpu *c, uint64_t lin, unsigned size, bool user);

#endif
