/* Exception escalation and interrupt delivery (SDM vol. 3 ch. 6; real mode §20.1.4). */
#include "fault.h"

#include "flags.h"
#include "mmu.h"
#include "seg.h"

static bool contributory(unsigned v) { return v == EXC_DE || (v >= EXC_TS && v <= EXC_GP); }

/* Stop the CPU: a triple fault (SDM vol. 3 §6.15, "Interrupt 8"). The board decides whether that resets. */
static _Noreturn void shutdown(struct cpu *c)
{
    c->stop_reason = CPU_STOP_SHUTDOWN;
    c->pending |= PEND_STOP;
    c->fault_depth = 0;
    longjmp(c->fault_jmp, 1);
}

/* Real-address-mode delivery: push FLAGS, CS, IP and load CS:IP from the IVT. */
static void deliver_real(struct cpu *c, unsigned vector)
{
    uint64_t off = (uint64_t)vector * 4;
    if (off + 3 > c->idtr.limit)
        cpu_raise(c, EXC_GP, (uint32_t)(vector * 8 + 2));
    uint32_t target = (uint32_t)lin_read(c, (c->idtr.base + off) & c->lin_mask, 4);
    /* Check all three stack slots before writing any, so a fault leaves SP alone. */
    uint64_t sp = c->regs[R_SP] & c->sp_mask;
    uint64_t a0 = seg_linear(c, S_SS, (sp - 2) & c->sp_mask, 2);
    uint64_t a1 = seg_linear(c, S_SS, (sp - 4) & c->sp_mask, 2);
    uint64_t a2 = seg_linear(c, S_SS, (sp - 6) & c->sp_mask, 2);
    uint32_t flags = cpu_get_eflags(c);
    if (c->model == CPU_MODEL_80286)
        flags &= 0x0FFF; /* a real-mode 286 keeps FLAGS bits 12-15 clear */
    lin_write(c, a0, flags & 0xFFFF, 2);
    lin_write(c, a1, c->seg[S_CS].sel, 2);
    lin_write(c, a2, c->rip & 0xFFFF, 2);
    c->regs[R_SP] = (c->regs[R_SP] & ~c->sp_mask) | ((sp - 6) & c->sp_mask);
    c->eflags &= ~(F_IF | F_TF | F_AC | F_RF);
    seg_load_cs(c, (uint16_t)(target >> 16));
    c->rip = target & 0xFFFF;
}

static void deliver(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code)
{
    (void)kind;
    (void)error_code;
    if (!(c->cr0 & CR0_PE)) {
        deliver_real(c, vector);
        return;
    }
    /* Protected-mode and long-mode delivery through the IDT are the next step;
     * until then a protected-mode interrupt stops the CPU as a shutdown would. */
    shutdown(c);
}

_Noreturn void cpu_raise(struct cpu *c, unsigned vector, uint32_t error_code)
{
    c->rip = c->insn_rip;
    if (c->fault_depth > 0) {
        unsigned first = c->delivering_vector;
        if (first == EXC_DF)
            shutdown(c);
        if ((contributory(first) && contributory(vector)) ||
            (first == EXC_PF && (vector == EXC_PF || contributory(vector)))) {
            vector = EXC_DF;
            error_code = 0;
        }
    }
    c->fault_depth++;
    c->delivering_vector = vector;
    deliver(c, vector, INTR_EXCEPTION, error_code);
    c->fault_depth = 0;
    longjmp(c->fault_jmp, 1);
}

void cpu_interrupt(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code)
{
    /* INT n, INT3 and INTO clear TF for their handler: no single-step trap follows them. */
    if (kind == INTR_SOFTWARE)
        c->pending &= ~PEND_SSTEP;
    c->fault_depth = 1;
    c->delivering_vector = 0x100; /* benign: a fault while delivering is handled serially */
    deliver(c, vector, kind, error_code);
    c->fault_depth = 0;
}
