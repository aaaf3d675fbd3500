/* Debug exceptions (SDM vol. 3 ch. 17).
 *
 * None of this costs anything on the fast path: the run loop enters
 * debug_boundary() only when TF or RF is set or an instruction breakpoint is
 * armed, and armed data breakpoints keep every access on the TLB slow path.
 * A trap (single step, data breakpoint) is recorded in the pending-work word and
 * delivered at the next boundary, i.e. after the instruction that caused it,
 * with the return address pointing at the next instruction. */
#include "debug.h"

#include "fault.h"
#include "mmu.h"

/* DR7: L0/G0 at bits 0/1, ...; R/W0 at 16-17, LEN0 at 18-19, ... */
static bool bp_enabled(const struct cpu *c, unsigned n) { return (c->dr[7] >> (2 * n)) & 3; }
static unsigned bp_rw(const struct cpu *c, unsigned n) { return (unsigned)(c->dr[7] >> (16 + 4 * n)) & 3; }
static unsigned bp_len(const struct cpu *c, unsigned n)
{
    static const unsigned len[4] = {1, 2, 8, 4}; /* LEN 10b is 8 bytes in 64-bit capable CPUs */
    return len[(c->dr[7] >> (18 + 4 * n)) & 3];
}

void debug_regs_changed(struct cpu *c)
{
    bool exec = false, data = false;
    for (unsigned n = 0; n < 4; n++) {
        if (!bp_enabled(c, n))
            continue;
        if (bp_rw(c, n) == 0)
            exec = true;
        else if (bp_rw(c, n) != 2) /* 10b: I/O breakpoints need CR4.DE, which we do not offer */
            data = true;
    }
    c->dbg_exec_armed = exec;
    c->dbg_data_armed = data;
    tlb_flush(c); /* data breakpoints must see every access */
}

void debug_boundary(struct cpu *c)
{
    bool rf = c->eflags & F_RF;
    /* RF suppresses instruction breakpoints for one instruction, then clears
     * (SDM vol. 3 §17.3.1.1); an IRET that loads RF=1 sets it for its target. */
    c->eflags &= ~F_RF;
    /* Single step: a trap after this instruction if TF is set before it. After
     * MOV SS/POP SS the trap armed by that instruction simply stays pending. */
    if (c->eflags & F_TF)
        c->pending |= PEND_SSTEP;
    if (c->dbg_exec_armed && !rf) {
        uint64_t lin = (c->seg[S_CS].base + c->rip) & c->lin_mask;
        uint32_t hits = 0;
        for (unsigned n = 0; n < 4; n++)
            if (bp_enabled(c, n) && bp_rw(c, n) == 0 && c->dr[n] == lin)
                hits |= DR6_B0 << n;
        if (hits) {
            /* Instruction breakpoints are faults: nothing of the instruction runs. */
            c->pending &= ~PEND_SSTEP;
            c->dr[6] = (c->dr[6] & ~0xFull) | hits;
            c->insn_rip = c->rip;
            cpu_raise(c, EXC_DB, NO_ERROR_CODE);
        }
    }
}

void debug_deliver_trap(struct cpu *c)
{
    uint32_t status = c->dbg_pending_dr6;
    if (c->pending & PEND_SSTEP)
        status |= DR6_BS;
    c->pending &= ~(PEND_SSTEP | PEND_DBTRAP);
    c->dbg_pending_dr6 = 0;
    if (!status)
        return;
    /* B0-B3 report the latest event; BS and BD accumulate (§17.2.3). */
    if (status & 0xF)
        c->dr[6] &= ~0xFull;
    c->dr[6] |= status;
    c->insn_rip = c->rip;
    cpu_interrupt(c, EXC_DB, INTR_EXCEPTION, NO_ERROR_CODE);
}

void debug_data_access(struct cpu *c, uint64_t lin, unsigned size, bool write)
{
    for (unsigned n = 0; n < 4; n++) {
        unsigned rw = bp_rw(c, n);
        if (!bp_enabled(c, n) || rw == 0 || rw == 2 || (rw == 1 && !write))
            continue;
        unsigned len = bp_len(c, n);
        uint64_t start = c->dr[n] & ~(uint64_t)(len - 1); /* breakpoint addresses are aligned to their length */
        if (lin < start + len && start < lin + size) {
            c->dbg_pending_dr6 |= DR6_B0 << n;
            c->pending |= PEND_DBTRAP;
        }
    }
}
