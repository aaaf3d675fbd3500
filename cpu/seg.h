/* Segment register loads. */
#ifndef RINGZERO_CPU_SEG_H
#define RINGZERO_CPU_SEG_H

#include "cpu_state.h"

/* Load a segment register by the rules of the current mode (real and V8086
 * mode: base = selector * 16; protected mode: the descriptor checks of
 * seg_load_protected() in desc.c, #GP on failure). Raises on failure before
 * changing anything. */
void seg_load(struct cpu *c, unsigned seg, uint16_t sel);
/* A virtual-8086-mode segment: base = sel * 16, limit FFFFh, DPL-3 data (F3h). */
void seg_load_v86(struct seg_cache *sc, uint16_t sel);
/* Load CS for a real-mode or V8086 far transfer; the caller sets RIP afterwards.
 * (Protected-mode transfers check the descriptor themselves: branch.c, fault.c.) */
void seg_load_cs(struct cpu *c, uint16_t sel);
/* Recompute the cached mode bits (code32, stack32, sp_mask, lin_mask) after CS/SS/CR0/EFER change. */
void cpu_update_mode(struct cpu *c);
/* 64-bit mode view of a segment register: base 0 (except FS/GS), no limit, no checks. */
void seg_flatten_64(struct cpu *c, unsigned seg);
/* Change the current privilege level (SDM vol. 3 §5.5); selects the TLB set. */
void cpu_set_cpl(struct cpu *c, unsigned cpl);
/* Re-evaluate alignment checking after CR0.AM, EFLAGS.AC or CPL change. */
void cpu_update_align_check(struct cpu *c);
/* Drop every decoded instruction (memory map changes). */
void cpu_icache_flush(struct cpu *c);

#endif
