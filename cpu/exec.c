/* CPU lifecycle and the interpreter loop.
 *
 * Per instruction: one test of the pending-work word, an exec-TLB lookup for
 * the physical address of CS:RIP, a decoded-instruction-cache lookup, and a
 * call to the handler chosen at decode time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "debug.h"
#include "decode.h"
#include "fault.h"
#include "flags.h"
#include "icache.h"
#include "mtrr.h"
#include "mmu.h"
#include "seg.h"

void tlb_drop_write_page(struct cpu *c, uint64_t phys_page);

static void on_code_written(void *opaque, uint64_t phys, unsigned len)
{
    struct cpu *c = opaque;
    icache_invalidate(c->icache, phys, len);
}

static void on_map_changed(void *opaque)
{
    struct cpu *c = opaque;
    tlb_flush(c);
    cpu_icache_flush(c);
}

struct cpu *cpu_create(struct physmem *mem, const struct cpu_bus *bus, enum cpu_model model)
{
    struct cpu *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->icache = icache_create();
    c->dec = malloc(sizeof *c->dec);
    char err[128];
    if (!c->icache || !c->dec || decoder_tables_init(c->dec, err, sizeof err) != 0) {
        if (c->dec && c->icache)
            fprintf(stderr, "ringzero: internal error: %s\n", err);
        cpu_destroy(c);
        return NULL;
    }
    c->mem = mem;
    tlb_init(c);
    c->tlb_cur = &c->tlb.set[0];
    c->bus = *bus;
    c->model = model;
    mem->code_written = on_code_written;
    mem->map_changed = on_map_changed;
    mem->listener = c;
    cpu_reset(c);
    return c;
}

void cpu_destroy(struct cpu *c)
{
    if (!c)
        return;
    if (c->mem && c->mem->listener == c) {
        c->mem->code_written = NULL;
        c->mem->map_changed = NULL;
        c->mem->listener = NULL;
    }
    icache_destroy(c->icache);
    free(c->dec);
    free(c);
}

void cpu_reset(struct cpu *c)
{
    memset(c->regs, 0, sizeof c->regs);
    /* SDM vol. 3 §9.1.1, Table 9-1: EDX holds the processor signature after reset. */
    c->regs[R_DX] = c->model == CPU_MODEL_80286 ? 0 : 0x06FB; /* CPUID leaf 1 EAX */
    c->eflags = 2;
    lf_set_flags(c, 0);
    for (unsigned s = 0; s < S_COUNT; s++)
        c->seg[s] = (struct seg_cache){.base = 0, .limit = 0xFFFF, .sel = 0, .attr = 0x93};
    c->seg[S_CS] = (struct seg_cache){.base = 0xFFFF0000, .limit = 0xFFFF, .sel = 0xF000, .attr = 0x9B};
    if (c->model == CPU_MODEL_80286)
        c->seg[S_CS].base = 0xFF0000;
    c->rip = 0xFFF0;
    c->ldtr = (struct seg_cache){.limit = 0xFFFF, .attr = 0x82};
    c->tr = (struct seg_cache){.limit = 0xFFFF, .attr = 0x8B};
    c->gdtr.base = c->idtr.base = 0;
    c->gdtr.limit = c->idtr.limit = 0xFFFF;
    c->cr0 = 0x60000010;
    c->tsc_offset = (uint64_t)0 - c->icount; /* the TSC restarts at 0 (SDM vol. 3 §17.17) */
    c->msr_pat = 0x0007040600070406ull;      /* power-on PAT (SDM vol. 3 §11.12.4) */
    mtrr_reset(c);
    /* IA32_APIC_BASE after reset: 0xFEE00000, enabled, this is the BSP (SDM vol. 3 §10.4.4). */
    c->msr_apic_base = 0xFEE00900;
    if (c->bus.msr_write)
        c->bus.msr_write(c->bus.opaque, 0x1B, c->msr_apic_base);
    c->cr2 = c->cr3 = c->cr4 = c->cr8 = c->efer = 0;
    c->msr_star = c->msr_lstar = c->msr_cstar = c->msr_fmask = c->msr_kernel_gs_base = 0;
    memset(c->dr, 0, sizeof c->dr);
    c->dr[6] = 0xFFFF0FF0;
    c->dr[7] = 0x400;
    c->cpl = 0;
    c->tlb_cur = &c->tlb.set[0];
    c->mode64 = false;
    c->halted = false;
    /* The interrupt line is the platform's: it stays as it is across a reset. */
    c->pending = (c->trace_fn ? PEND_TRACE : 0) | (c->intr_line ? PEND_INTR : 0);
    c->fault_depth = 0;
    x87_reset(&c->fpu); /* FNINIT state; CR0.ET stays 1 (an x87 is present) */
    x87_ferr_sync(c);   /* FERR# goes inactive */
    memset(&c->sse, 0, sizeof c->sse); /* XMM0-15 are 0 after reset (SDM vol. 3 Table 9-1) */
    cpu_update_mode(c);
    tlb_flush(c);
    cpu_icache_flush(c);
}

void cpu_request_stop(struct cpu *c) { c->pending |= PEND_STOP; }

void cpu_set_intr(struct cpu *c, bool level)
{
    c->intr_line = level;
    if (level)
        c->pending |= PEND_INTR;
    else
        c->pending &= ~PEND_INTR;
}

void cpu_set_trace(struct cpu *c, cpu_trace_fn fn, void *opaque)
{
    c->trace_fn = fn;
    c->trace_opaque = opaque;
    if (fn)
        c->pending |= PEND_TRACE;
    else
        c->pending &= ~PEND_TRACE;
}

uint64_t cpu_icount(const struct cpu *c) { return c->icount; }

size_t cpu_peek_code(const struct cpu *c, uint8_t *buf, size_t n)
{
    /* Linear is physical until paging exists; with paging this must walk the
     * tables read-only. */
    for (size_t k = 0; k < n; k++) {
        uint64_t lin = (c->seg[S_CS].base + c->rip + k) & c->lin_mask;
        const uint8_t *p = physmem_host_page(c->mem, lin & c->mem->a20_mask, false);
        buf[k] = p ? *p : 0xFF;
    }
    return n;
}


/* Work at an instruction boundary: stop requests, interrupts, halt, tracing.
 * Returns true when cpu_run must return. */
static bool handle_pending(struct cpu *c)
{
    /* Traps of the previous instruction come before anything else (SDM vol. 3 §6.9),
     * except right after MOV SS / POP SS, which hold debug exceptions back until
     * after the next instruction (§6.8.3). */
    if ((c->pending & (PEND_SSTEP | PEND_DBTRAP)) && !(c->pending & PEND_MOVSS))
        debug_deliver_trap(c);
    if (c->pending & PEND_STOP) {
        c->pending &= ~PEND_STOP;
        if (c->stop_reason != CPU_STOP_SHUTDOWN)
            c->stop_reason = CPU_STOP_REQUEST;
        return true;
    }
    bool shadow = c->pending & PEND_SHADOW;
    c->pending &= ~(PEND_SHADOW | PEND_MOVSS);
    if ((c->pending & PEND_INTR) && (c->eflags & F_IF) && !shadow) {
        c->halted = false;
        c->pending &= ~PEND_HALT;
        int vector = c->bus.intr_ack ? c->bus.intr_ack(c->bus.opaque) : -1;
        if (vector >= 0) {
            c->insn_rip = c->rip;
            cpu_interrupt(c, (unsigned)vector & 0xFF, INTR_EXTERNAL, NO_ERROR_CODE);
        }
    }
    if (c->pending & PEND_HALT) {
        c->stop_reason = CPU_STOP_HLT;
        return true;
    }
    if (c->pending & PEND_TRACE)
        c->trace_fn(c->trace_opaque, c, false);
    if ((c->eflags & (F_TF | F_RF)) || c->dbg_exec_armed)
        debug_boundary(c);
    return false;
}

static const struct insn *decode_at(struct cpu *c, struct icache_slot *slot, uint64_t phys)
{
    bool cacheable;
    struct insn tmp;
    uint64_t start = decode_insn(c, &tmp, &cacheable);
    if (!cacheable || start != phys) {
        c->scratch_insn = tmp;
        return &c->scratch_insn;
    }
    uint64_t page = phys & ~0xFFFull;
    if (!physmem_page_has_code(c->mem, page))
        tlb_drop_write_page(c, page); /* writes to this page must now invalidate code */
    physmem_mark_code(c->mem, phys, tmp.len);
    slot->insn = tmp;
    slot->key = phys + c->icache_tag;
    return &slot->insn;
}

/* The instruction loop, apart from cpu_run so that `c` lives in a register:
 * in the function that calls setjmp the compiler keeps it on the stack. */
static __attribute__((noinline)) void run_loop(struct cpu *c)
{
    while (c->icount < c->icount_stop) {
        if (unlikely(c->pending | (c->eflags & (F_TF | F_RF)) | c->dbg_exec_armed) && handle_pending(c))
            break;
        c->insn_rip = c->rip;
        uint64_t lin = (c->seg[S_CS].base + c->rip) & c->lin_mask;
        if (unlikely((lin & ~0xFFFull) != c->fetch_page_lin)) {
            const struct tlb_entry *e = tlb_hit(c, TLB_EXEC, lin, 1);
            if (unlikely(!e))
                e = mmu_fill_exec(c, lin);
            c->fetch_page_lin = lin & ~0xFFFull;
            c->fetch_phys_page = e->phys_page;
            c->fetch_bank = icache_slot_for(c->icache, e->phys_page);
        }
        uint64_t phys = c->fetch_phys_page | (lin & 0xFFF);
        struct icache_slot *slot = c->fetch_bank + (lin & 0xFFF);
        const struct insn *i;
        if (likely(slot->key == phys + c->icache_tag)) {
            i = &slot->insn;
            if (unlikely(!c->mode64 && c->rip + i->len - 1 > c->seg[S_CS].limit))
                cpu_raise_gp0(c);
        } else {
            i = decode_at(c, slot, phys);
        }
        c->rip += i->len;
        i->fn(c, i);
        c->icount++;
    }
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t max_insns)
{
    c->icount_stop = c->icount + max_insns;
    c->stop_reason = CPU_STOP_BUDGET;
    if (setjmp(c->fault_jmp)) {
        /* An exception was delivered (or the CPU shut down): the faulting
         * instruction counts as one step so budgets always make progress.
         * Its single-step trap is void: the handler runs with TF clear. */
        c->icount++;
        c->pending &= ~PEND_SSTEP;
        if (c->stop_reason == CPU_STOP_SHUTDOWN) {
            c->pending &= ~PEND_STOP;
            return CPU_STOP_SHUTDOWN;
        }
    }
    run_loop(c);
    return c->stop_reason;
}
