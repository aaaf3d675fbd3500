/* SYSENTER and SYSEXIT (SDM vol. 2 "SYSENTER", "SYSEXIT"): fast ring 3 <-> ring 0
 * transitions that load flat segments from IA32_SYSENTER_CS without reading
 * descriptors.  Legacy (32-bit) forms; the 64-bit forms come with long mode. */
#include "operand.h"
#include "seg.h"

/* Flat 4 GiB segment of the given type byte (P, DPL, S, type) with D/B and G set. */
static void load_flat(struct cpu *c, unsigned seg, uint16_t sel, uint16_t type_byte)
{
    c->seg[seg].sel = sel;
    c->seg[seg].base = 0;
    c->seg[seg].limit = 0xFFFFFFFFu;
    c->seg[seg].attr = (uint16_t)(type_byte | 0xC000u); /* G and D/B */
    c->seg[seg].check = (seg == S_CS) ? SEG_CHECK_NOWRITE : 0;
}

static void sysenter(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint16_t cs = (uint16_t)c->msr_sysenter_cs;
    if (!(c->cr0 & CR0_PE) || (cs & 0xFFFC) == 0)
        cpu_raise_gp0(c);
    c->eflags &= ~(F_VM | F_IF | F_RF);
    load_flat(c, S_CS, cs & 0xFFFC, 0x9B);       /* present, DPL 0, code, execute/read, accessed */
    load_flat(c, S_SS, (cs & 0xFFFC) + 8, 0x93); /* present, DPL 0, data, read/write, accessed */
    cpu_set_cpl(c, 0);
    cpu_update_mode(c);
    c->regs[R_SP] = (uint32_t)c->msr_sysenter_esp;
    c->rip = (uint32_t)c->msr_sysenter_eip;
}

static void sysexit(struct cpu *c, const struct insn *i)
{
    (void)i;
    uint16_t cs = (uint16_t)c->msr_sysenter_cs;
    if (!(c->cr0 & CR0_PE) || (c->eflags & F_VM) || c->cpl != 0 || (cs & 0xFFFC) == 0)
        cpu_raise_gp0(c);
    load_flat(c, S_CS, (uint16_t)(((cs & 0xFFFC) + 16) | 3), 0xFB); /* DPL 3 code */
    load_flat(c, S_SS, (uint16_t)(((cs & 0xFFFC) + 24) | 3), 0xF3); /* DPL 3 data */
    cpu_set_cpl(c, 3);
    cpu_update_mode(c);
    c->regs[R_SP] = reg32(c, R_CX);
    c->rip = reg32(c, R_DX);
}
HSET_1(sysenter);
HSET_1(sysexit);

const struct opdef sysenter_opdefs[] = {
    {0x0F34, -1, OA_386, &hs_sysenter},
    {0x0F35, -1, OA_386, &hs_sysexit},
    {0, 0, 0, NULL},
};
