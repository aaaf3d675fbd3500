/* Hardware task switching (SDM vol. 3 ch. 7): the 32-bit TSS of Figure 7-2 and
 * the 16-bit TSS of Figure 7-10 (§7.6), switched by far JMP/CALL to a TSS or
 * task gate, IRET with NT set, and interrupts or exceptions through a task gate.
 * The callers (branch.c, fault.c) find and privilege-check the TSS descriptor;
 * this file does the switch of §7.3.
 *
 * The switch has two halves.  Before the commit point everything that can fault
 * is done without changing the CPU: the new TSS descriptor is checked, the new
 * task's state is read in full, and the outgoing state is written into the
 * current TSS (a fault there changes only that TSS's memory, and the
 * instruction restarts).  After it come the busy bits, the back link, TR,
 * CR0.TS, and the new task's registers, LDTR and segments; a fault there is
 * delivered in the new task's context with its EIP (§7.3 step 13: "Any errors
 * associated with this loading and qualification occur in the context of the
 * new task"). */
#include "task.h"

#include "debug.h"
#include "eflags.h"
#include "fault.h"
#include "mmu.h"
#include "operand.h"
#include "seg.h"

/* 32-bit TSS, SDM vol. 3 Figure 7-2. */
enum {
    T32_LINK = 0x00, T32_CR3 = 0x1C, T32_EIP = 0x20, T32_EFLAGS = 0x24,
    T32_GPR = 0x28,  /* EAX ECX EDX EBX ESP EBP ESI EDI, 4 bytes each */
    T32_SEG = 0x48,  /* ES CS SS DS FS GS, 4 bytes each (the S_* order) */
    T32_LDT = 0x60, T32_TRAP = 0x64,
    T32_MIN_LIMIT = 0x67, /* §7.2.2: a 32-bit TSS limit below 67H is #TS */
    T32_SAVE_END = 0x5F,  /* last byte the processor writes when it saves a task */
};
/* 16-bit TSS, SDM vol. 3 Figure 7-10. */
enum {
    T16_LINK = 0x00, T16_IP = 0x0E, T16_FLAGS = 0x10,
    T16_GPR = 0x12,  /* AX CX DX BX SP BP SI DI */
    T16_SEG = 0x22,  /* ES CS SS DS */
    T16_LDT = 0x2A,
    T16_MIN_LIMIT = 0x2B, /* the 44-byte TSS (Table 6-6 writes "less than 2CH"; 2BH is its last byte) */
    T16_SAVE_END = 0x29,
};

#define DR6_BT 0x8000u /* debug trap flag of the new TSS fired (SDM vol. 3 §17.2.3) */
#define DR7_LOCAL_ENABLES 0x55u /* L0-L3 */

/* Everything the new task's TSS supplies. */
struct task_image {
    uint32_t eip, eflags, cr3;
    uint32_t gpr[8];
    uint16_t sel[S_COUNT];
    uint16_t ldt;
    bool trap;
};

static bool desc_is_tss32(uint8_t type) { return (type & 8) != 0; }

static void read_image(struct cpu *c, uint64_t base, bool is32, struct task_image *t)
{
    if (is32) {
        t->cr3 = (uint32_t)sys_read(c, base + T32_CR3, 4);
        t->eip = (uint32_t)sys_read(c, base + T32_EIP, 4);
        t->eflags = (uint32_t)sys_read(c, base + T32_EFLAGS, 4);
        for (unsigned r = 0; r < 8; r++)
            t->gpr[r] = (uint32_t)sys_read(c, base + T32_GPR + 4 * r, 4);
        for (unsigned s = 0; s < S_COUNT; s++)
            t->sel[s] = (uint16_t)sys_read(c, base + T32_SEG + 4 * s, 2);
        t->ldt = (uint16_t)sys_read(c, base + T32_LDT, 2);
        t->trap = sys_read(c, base + T32_TRAP, 1) & 1;
        return;
    }
    /* §7.6: no CR3, FS, GS or T fields; the upper halves of EIP, EFLAGS and the
     * general registers are not kept (here: zero), FS and GS load null. */
    t->cr3 = 0;
    t->eip = (uint32_t)sys_read(c, base + T16_IP, 2);
    t->eflags = (uint32_t)sys_read(c, base + T16_FLAGS, 2);
    for (unsigned r = 0; r < 8; r++)
        t->gpr[r] = (uint32_t)sys_read(c, base + T16_GPR + 2 * r, 2);
    for (unsigned s = 0; s < 4; s++)
        t->sel[s] = (uint16_t)sys_read(c, base + T16_SEG + 2 * s, 2);
    t->sel[S_FS] = t->sel[S_GS] = 0;
    t->ldt = (uint16_t)sys_read(c, base + T16_LDT, 2);
    t->trap = false;
}

/* §7.3 step 8: the dynamic fields only (LDTR, CR3 and the stack pointers for
 * privilege levels 0-2 are static).  A 32-bit TSS gets 4-byte selector slots
 * with the upper half 0, as the P6 family writes them (§22.28.2). */
static void save_outgoing(struct cpu *c, uint64_t base, bool is32, uint32_t eflags)
{
    if (is32) {
        sys_write(c, base + T32_EIP, (uint32_t)c->rip, 4);
        sys_write(c, base + T32_EFLAGS, eflags, 4);
        for (unsigned r = 0; r < 8; r++)
            sys_write(c, base + T32_GPR + 4 * r, (uint32_t)c->regs[r], 4);
        for (unsigned s = 0; s < S_COUNT; s++)
            sys_write(c, base + T32_SEG + 4 * s, c->seg[s].sel, 4);
        return;
    }
    /* §7.6: "the upper 16 bits of the EFLAGS register and the EIP register are lost". */
    sys_write(c, base + T16_IP, c->rip & 0xFFFF, 2);
    sys_write(c, base + T16_FLAGS, eflags & 0xFFFF, 2);
    for (unsigned r = 0; r < 8; r++)
        sys_write(c, base + T16_GPR + 2 * r, c->regs[r] & 0xFFFF, 2);
    for (unsigned s = 0; s < 4; s++)
        sys_write(c, base + T16_SEG + 2 * s, c->seg[s].sel, 2);
}

/* The busy flag is bit 1 of the type field, in the descriptor's access byte
 * (byte 5).  TSS descriptors live in the GDT only. */
static void set_busy(struct cpu *c, uint16_t sel, bool busy)
{
    if ((sel & 0xFFFC) == 0)
        return; /* TR was never loaded: there is no descriptor to update */
    uint64_t lin = c->gdtr.base + (sel & 0xFFF8) + 5;
    uint8_t access = (uint8_t)sys_read(c, lin, 1);
    access = busy ? access | 2 : access & ~2;
    sys_write(c, lin, access, 1);
}

/* A task whose EFLAGS.VM is 1 runs in virtual-8086 mode at CPL 3, each segment
 * register loaded as V8086 mode loads it (seg_load_v86: base = selector * 16,
 * limit FFFFh, SDM vol. 3 §20.2). */
static void load_v86_segments(struct cpu *c, const struct task_image *t)
{
    for (unsigned s = 0; s < S_COUNT; s++)
        seg_load_v86(&c->seg[s], t->sel[s]);
    cpu_set_cpl(c, 3);
}

void task_switch(struct cpu *c, uint16_t tss_sel, const struct desc *tss, enum task_switch_reason why,
                 bool has_error, uint32_t error_code)
{
    uint16_t err = tss_sel & 0xFFFC;
    bool nested = why == TASK_CALL || why == TASK_INT;

    /* ---- Steps 3-5: checks; nothing changes yet ---- */

    /* The target must be a TSS descriptor in the GDT, busy for an IRET return and
     * available otherwise.  SDM vol. 2 JMP, CALL and INT n raise #GP(TSS selector)
     * for a busy TSS; IRET raises #TS(TSS selector) for one that is not busy
     * (vol. 3 Table 6-6). */
    bool is_tss = !tss->s && (tss->type & 5) == 1; /* types 1, 3, 9, 11 */
    bool busy = (tss->type & 2) != 0;
    if (!is_tss || (tss_sel & 4) || busy != (why == TASK_IRET))
        cpu_raise(c, why == TASK_IRET ? EXC_TS : EXC_GP, err);
    if (!tss->present)
        cpu_raise(c, EXC_NP, err);
    bool new32 = desc_is_tss32(tss->type);
    if (tss->limit < (new32 ? T32_MIN_LIMIT : T16_MIN_LIMIT))
        cpu_raise(c, EXC_TS, err);

    /* The whole new state is read now, so a #PF on the new TSS happens before
     * anything is committed (step 5). */
    struct task_image next;
    read_image(c, tss->base, new32, &next);

    /* ---- Steps 7-8: save the outgoing task into the current TSS ---- */

    bool old32 = desc_is_tss32((uint8_t)c->tr.attr);
    /* Table 6-6: "Stores to the old TSS encounter a fault condition" is #TS. */
    if (c->tr.limit < (old32 ? T32_SAVE_END : T16_SAVE_END))
        cpu_raise(c, EXC_TS, c->tr.sel & 0xFFFC);
    /* Step 7 and Table 7-2: only IRET clears NT in the saved image. */
    uint32_t old_flags = cpu_get_eflags(c);
    if (why == TASK_IRET)
        old_flags &= ~F_NT;
    save_outgoing(c, c->tr.base, old32, old_flags);

    /* ---- Commit point: steps 6, 9-11 (Table 7-2) ---- */

    uint16_t old_sel = c->tr.sel;
    if (why == TASK_JMP || why == TASK_IRET)
        set_busy(c, old_sel, false);
    if (nested)
        sys_write(c, tss->base + (new32 ? T32_LINK : T16_LINK), old_sel, 2); /* §7.4 back link */
    if (why != TASK_IRET)
        set_busy(c, tss_sel, true);
    struct desc now = *tss; /* TR caches the descriptor as it now is: busy */
    now.type |= 2;
    now.hi |= 0x200;
    seg_cache_from_desc(&c->tr, tss_sel, &now);
    c->cr0 |= CR0_TS; /* §7.3: set on every task switch */
    /* §17.2.4: the local breakpoint enables L0-L3 are cleared on every task switch. */
    if (c->dr[7] & DR7_LOCAL_ENABLES) {
        c->dr[7] &= ~(uint64_t)DR7_LOCAL_ENABLES;
        debug_regs_changed(c);
    }

    /* ---- Step 12: load the new state.  From here on a fault is the new task's. ---- */

    c->rip = c->insn_rip = next.eip;
    uint32_t flags = next.eflags;
    if (nested)
        flags |= F_NT; /* step 9 */
    eflags_load(c, flags, EFLAGS_ALL);
    for (unsigned r = 0; r < 8; r++)
        c->regs[r] = next.gpr[r];
    for (unsigned s = 0; s < S_COUNT; s++)
        c->seg[s].sel = next.sel[s]; /* selectors first; descriptors are qualified below */
    /* "If paging is not enabled, a PDBR value is read from the new task's TSS, but
     * it is not loaded into CR3" (step 12); a 16-bit TSS has no CR3 field (§7.6). */
    if (new32 && (c->cr0 & CR0_PG)) {
        c->cr3 = next.cr3;
        if (!mmu_cr3_written(c))
            cpu_raise(c, EXC_GP, 0); /* PAE: invalid PDPTEs */
    }

    /* ---- Step 13: LDTR, then the segment descriptors (Table 7-1) ---- */

    /* An invalid or absent LDT is #TS(LDT selector); until it is loaded the
     * LDTR is unusable, so a failure leaves no stale LDT behind. */
    seg_cache_null(&c->ldtr, next.ldt);
    ldtr_load(c, next.ldt, EXC_TS);
    if (c->eflags & F_VM) {
        load_v86_segments(c, &next);
    } else {
        /* CS first: CPL := CS.RPL, against which SS and the data segments are
         * checked (a code segment whose DPL is not its RPL, or DPL > RPL when
         * conforming, is #TS; absent is #NP). */
        seg_load_protected(c, S_CS, next.sel[S_CS], EXC_TS);
        seg_load_protected(c, S_SS, next.sel[S_SS], EXC_TS);
        static const uint8_t data_segs[] = {S_DS, S_ES, S_FS, S_GS};
        for (unsigned k = 0; k < sizeof data_segs; k++)
            seg_load_protected(c, data_segs[k], next.sel[data_segs[k]], EXC_TS);
    }
    cpu_update_mode(c);

    /* An exception with an error code pushes it on the new task's stack, a
     * dword for a 32-bit TSS (vol. 2 INT n, TASK-GATE). */
    if (has_error)
        push(c, error_code, new32 ? 4 : 2);
    /* SDM vol. 2 JMP, CALL, IRET, INT n: after the switch, "IF EIP not within
     * code segment limit THEN #GP(0)". */
    if (c->rip > c->seg[S_CS].limit)
        cpu_raise_gp0(c);
    /* T flag of the new TSS: a #DB trap before the task's first instruction
     * (§7.2.1, §17.3.1.5), delivered at the next instruction boundary. */
    if (next.trap) {
        c->dbg_pending_dr6 |= DR6_BT;
        c->pending |= PEND_DBTRAP;
    }
}
