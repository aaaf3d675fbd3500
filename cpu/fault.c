/* Exception escalation and interrupt delivery: real mode through the IVT (SDM
 * vol. 3 §20.1.4), protected and virtual-8086 mode through the IDT (SDM vol. 3
 * §6.10-6.14, §20.3; vol. 2 "INT n/INTO/INT3/INT1", Operation). */
#include "fault.h"

#include "desc.h"
#include "flags.h"
#include "mmu.h"
#include "seg.h"
#include "task.h"


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
    uint64_t a0 = seg_linear_w(c, S_SS, (sp - 2) & c->sp_mask, 2);
    uint64_t a1 = seg_linear_w(c, S_SS, (sp - 4) & c->sp_mask, 2);
    uint64_t a2 = seg_linear_w(c, S_SS, (sp - 6) & c->sp_mask, 2);
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

/* Exceptions that push an error code (SDM vol. 3 Table 6-1): #DF, #TS, #NP, #SS, #GP, #PF, #AC. */
static bool pushes_error_code(unsigned v) { return v == EXC_DF || (v >= EXC_TS && v <= EXC_PF) || v == EXC_AC; }
/* Fault-class exceptions (Table 6-1), not counting #DB, whose instruction-breakpoint
 * form is a fault but keeps RF as it is. */
static bool fault_class(unsigned v)
{
    return v == EXC_DE || (v >= EXC_BR && v <= EXC_NM) || (v >= EXC_TS && v <= EXC_PF) || v == EXC_MF ||
           v == EXC_AC || v == EXC_XM || v == 20;
}

/* Through a task gate (SDM vol. 2 INT n, TASK-GATE): the TSS selector must name
 * an available TSS in the GDT; the task switch pushes the error code. */
static void deliver_task_gate(struct cpu *c, const struct desc *gate, bool push_err, uint32_t error_code,
                              uint32_t ext)
{
    uint16_t tss_sel = gate->gate_sel;
    uint32_t err = (tss_sel & 0xFFFC) | ext;
    struct desc tss;
    if ((tss_sel & 4) || !desc_read(c, tss_sel, &tss))
        cpu_raise(c, EXC_GP, err);
    if (tss.s || (tss.type != DESC_TSS16_AVAIL && tss.type != DESC_TSS32_AVAIL))
        cpu_raise(c, EXC_GP, err); /* busy, or not a TSS */
    if (!tss.present)
        cpu_raise(c, EXC_NP, err);
    task_switch(c, tss_sel, &tss, TASK_INT, push_err, error_code);
}

/* Protected-mode and virtual-8086-mode delivery through an interrupt, trap or
 * task gate. Every check comes first (each fault carries EXT when the event
 * is not INT n/INT3/INTO), then the frame is staged and written, and only then
 * do CS, SS, CPL, EFLAGS and the data segments change. */
static void deliver_protected(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code)
{
    uint32_t ext = kind == INTR_SOFTWARE ? 0 : 1;
    uint32_t idt_err = vector * 8 + 2 + ext; /* IDT bit (1) set: the error code names a vector */
    bool push_err = kind == INTR_EXCEPTION && error_code != NO_ERROR_CODE && pushes_error_code(vector);
    bool from_v86 = (c->eflags & F_VM) != 0;

    if ((uint64_t)vector * 8 + 7 > c->idtr.limit)
        cpu_raise(c, EXC_GP, idt_err);
    uint64_t raw = sys_read(c, c->idtr.base + (uint64_t)vector * 8, 8);
    struct desc gate;
    desc_decode((uint32_t)raw, (uint32_t)(raw >> 32), &gate);
    if (gate.s || (gate.type != DESC_TASK_GATE && gate.type != DESC_INT16 && gate.type != DESC_TRAP16 &&
                   gate.type != DESC_INT32 && gate.type != DESC_TRAP32))
        cpu_raise(c, EXC_GP, idt_err);
    /* The gate DPL check applies to INT n, INT3 and INTO only, not to
     * exceptions, external interrupts or INT1. */
    if (kind == INTR_SOFTWARE && gate.dpl < c->cpl)
        cpu_raise(c, EXC_GP, vector * 8 + 2);
    if (!gate.present)
        cpu_raise(c, EXC_NP, idt_err);
    if (gate.type == DESC_TASK_GATE) {
        deliver_task_gate(c, &gate, push_err, error_code, ext);
        return;
    }

    struct desc cd;
    uint16_t cs_sel = gate.gate_sel;
    check_gate_target(c, cs_sel, &cd, ext, false);
    uint32_t cs_err = (cs_sel & 0xFFFC) | ext;
    unsigned gsize = (gate.type == DESC_INT32 || gate.type == DESC_TRAP32) ? 4 : 2;
    bool inner = !desc_is_conforming(&cd) && cd.dpl < c->cpl;
    if (from_v86 && (!inner || cd.dpl != 0))
        cpu_raise(c, EXC_GP, cs_err); /* from V8086 mode only to a nonconforming ring-0 handler */
    unsigned new_cpl = inner ? cd.dpl : c->cpl;

    uint32_t eflags = cpu_get_eflags(c);
    /* SDM vol. 3 §17.3.1.1: "For any fault-class exception except a debug exception
     * generated in response to an instruction breakpoint, the value pushed for RF
     * is 1", so the restarted instruction does not break again. */
    if (kind == INTR_EXCEPTION && fault_class(vector))
        eflags |= F_RF;
    uint16_t old_cs = c->seg[S_CS].sel;
    struct stack_frame f;
    struct seg_cache new_ss;
    uint16_t new_ss_sel = 0;
    uint64_t new_sp = 0;
    struct desc sd;
    if (inner) {
        /* INTER-PRIVILEGE-LEVEL-INTERRUPT / INTERRUPT-FROM-VIRTUAL-8086-MODE: the new
         * stack comes from the TSS; the old SS:ESP (and from V8086 mode the data
         * segments) go on it. */
        tss_inner_stack(c, new_cpl, &new_ss_sel, &new_sp, ext);
        check_stack_desc(c, new_ss_sel, new_cpl, &sd, EXC_TS, ext);
        seg_cache_from_desc(&new_ss, new_ss_sel, &sd);
        frame_init(c, &f, &new_ss, new_sp, new_cpl, (new_ss_sel & 0xFFFC) | ext);
        if (from_v86) {
            frame_push(c, &f, c->seg[S_GS].sel, gsize);
            frame_push(c, &f, c->seg[S_FS].sel, gsize);
            frame_push(c, &f, c->seg[S_DS].sel, gsize);
            frame_push(c, &f, c->seg[S_ES].sel, gsize);
        }
        frame_push(c, &f, c->seg[S_SS].sel, gsize);
        frame_push(c, &f, c->regs[R_SP], gsize);
    } else {
        /* INTRA-PRIVILEGE-LEVEL-INTERRUPT: the current stack; #SS(EXT) without room. */
        frame_init(c, &f, &c->seg[S_SS], c->regs[R_SP], c->cpl, ext);
    }
    frame_push(c, &f, eflags, gsize);
    frame_push(c, &f, old_cs, gsize);
    frame_push(c, &f, c->rip, gsize);
    if (push_err)
        frame_push(c, &f, error_code, gsize);
    if (gate.gate_offset > cd.limit)
        cpu_raise(c, EXC_GP, ext);
    desc_set_accessed(c, cs_sel, &cd);
    if (inner) {
        desc_set_accessed(c, new_ss_sel, &sd);
        seg_cache_from_desc(&new_ss, new_ss_sel, &sd);
    }
    frame_commit(c, &f);

    /* Commit. */
    if (inner) {
        c->seg[S_SS] = new_ss;
        c->regs[R_SP] = (new_sp & ~f.mask) | f.sp;
        if (from_v86)
            for (unsigned s = 0; s < S_COUNT; s++)
                if (s != S_CS && s != S_SS)
                    seg_cache_null(&c->seg[s], 0); /* "GS := 0; FS := 0; DS := 0; ES := 0" */
    } else {
        c->regs[R_SP] = (c->regs[R_SP] & ~f.mask) | f.sp;
    }
    c->eflags &= ~(F_TF | F_NT | F_RF | F_VM);
    if (gate.type == DESC_INT16 || gate.type == DESC_INT32)
        c->eflags &= ~F_IF; /* an interrupt gate clears IF, a trap gate does not */
    load_cs_commit(c, cs_sel, &cd, new_cpl);
    c->rip = gate.gate_offset;
}

/* IA-32e mode delivery (SDM vol. 3 §6.14): 16-byte interrupt and trap gates
 * to 64-bit code only, the stack from the TSS (RSPn on a privilege change, or
 * the gate's IST slot always), aligned to 16 bytes, and SS:RSP, RFLAGS, CS, RIP
 * (and the error code) pushed as 8-byte values whatever the old mode. */
static void deliver_long(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code)
{
    uint32_t ext = kind == INTR_SOFTWARE ? 0 : 1;
    uint32_t idt_err = vector * 8 + 2 + ext;
    bool push_err = kind == INTR_EXCEPTION && error_code != NO_ERROR_CODE && pushes_error_code(vector);

    if ((uint64_t)vector * 16 + 15 > c->idtr.limit)
        cpu_raise(c, EXC_GP, idt_err);
    uint64_t raw = sys_read(c, c->idtr.base + (uint64_t)vector * 16, 8);
    uint64_t raw_hi = sys_read(c, c->idtr.base + (uint64_t)vector * 16 + 8, 8);
    struct desc gate;
    desc_decode((uint32_t)raw, (uint32_t)(raw >> 32), &gate);
    /* Types 14 and 15 are the 64-bit interrupt and trap gates; anything else
     * (including the upper half's type field being nonzero) is #GP. */
    if (gate.s || (gate.type != DESC_INT32 && gate.type != DESC_TRAP32) || ((raw_hi >> 40) & 0x1F) != 0)
        cpu_raise(c, EXC_GP, idt_err);
    if (kind == INTR_SOFTWARE && gate.dpl < c->cpl)
        cpu_raise(c, EXC_GP, vector * 8 + 2);
    if (!gate.present)
        cpu_raise(c, EXC_NP, idt_err);
    uint64_t target = gate.gate_offset | (raw_hi << 32);
    unsigned ist = gate.gate_params & 7;

    struct desc cd;
    uint16_t cs_sel = gate.gate_sel;
    check_gate_target(c, cs_sel, &cd, ext, false);
    if (!cd.l || cd.db)
        cpu_raise(c, EXC_GP, (cs_sel & 0xFFFC) | ext); /* not a 64-bit code segment */
    bool inner = !desc_is_conforming(&cd) && cd.dpl < c->cpl;
    unsigned new_cpl = inner ? cd.dpl : c->cpl;

    /* The new stack: IST slot n at 0x24 + 8(n-1), RSPn at 4 + 8n of the 64-bit TSS. */
    uint64_t rsp = c->regs[R_SP];
    if (ist || inner) {
        uint64_t off = ist ? 0x24 + 8 * (uint64_t)(ist - 1) : 4 + 8 * (uint64_t)new_cpl;
        if (off + 7 > c->tr.limit)
            cpu_raise(c, EXC_TS, (c->tr.sel & 0xFFFC) | ext);
        rsp = sys_read(c, c->tr.base + off, 8);
    }
    if (!c->mode64 && !inner && !ist)
        rsp &= 0xFFFFFFFFull; /* from compatibility mode at the same level: the 32-bit ESP */
    rsp &= ~0xFull;

    uint32_t eflags = cpu_get_eflags(c);
    if (kind == INTR_EXCEPTION && fault_class(vector))
        eflags |= F_RF;
    uint64_t slots[6];
    unsigned n = 0;
    slots[n++] = c->seg[S_SS].sel;
    slots[n++] = c->regs[R_SP];
    slots[n++] = eflags;
    slots[n++] = c->seg[S_CS].sel;
    slots[n++] = c->rip;
    if (push_err)
        slots[n++] = error_code;
    /* Check every slot (canonical, then paging at the new privilege) before writing. */
    bool user = new_cpl == 3;
    for (unsigned k = 0; k < n; k++) {
        uint64_t lin = rsp - 8 * (k + 1);
        if (!is_canonical(lin) || !is_canonical(lin + 7))
            cpu_raise(c, EXC_SS, ext);
        probe_write(c, lin, 8, user);
    }
    if (!is_canonical(target))
        cpu_raise(c, EXC_GP, ext);
    desc_set_accessed(c, cs_sel, &cd);
    struct tlb_set *saved = c->tlb_cur;
    c->tlb_cur = &c->tlb.set[user];
    for (unsigned k = 0; k < n; k++)
        lin_write(c, rsp - 8 * (k + 1), slots[k], 8);
    c->tlb_cur = saved;

    c->eflags &= ~(F_TF | F_NT | F_RF | F_VM);
    if (gate.type == DESC_INT32)
        c->eflags &= ~F_IF;
    if (inner) {
        /* SS := NULL with RPL = new CPL (SDM vol. 3 §6.14.4). */
        seg_cache_null(&c->seg[S_SS], (uint16_t)new_cpl);
    }
    load_cs_commit(c, cs_sel, &cd, new_cpl); /* 64-bit mode from here: flattens the segments */
    c->regs[R_SP] = rsp - 8 * n;
    c->rip = target;
}

static void deliver(struct cpu *c, unsigned vector, enum intr_kind kind, uint32_t error_code)
{
    if (!(c->cr0 & CR0_PE)) {
        deliver_real(c, vector);
        return;
    }
    if (c->efer & EFER_LMA_BIT) {
        deliver_long(c, vector, kind, error_code);
        return;
    }
    deliver_protected(c, vector, kind, error_code);
}

_Noreturn void cpu_raise(struct cpu *c, unsigned vector, uint32_t error_code)
{
    c->rip = c->insn_rip;
    /* A write probe (desc.c) may have left another TLB set selected: accesses
     * from here on are made at the CPL. */
    cpu_update_align_check(c); /* reselects the TLB set for the CPL */
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
