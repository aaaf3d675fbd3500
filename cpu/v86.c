/* Virtual-8086 mode extensions (SDM vol. 3 §20.3): software-interrupt
 * redirection through the TSS's interrupt redirection bit map, and the
 * VIF-based FLAGS images of PUSHF, POPF and IRET under CR4.VME.
 *
 * The redirection bit map is the 32 bytes right below the I/O permission bit
 * map (§20.3.3, Figure 20-5): bit n of the byte at (I/O map base - 32 + n/8).
 * A 0 bit sends INT n to the 8086 program's vector table at linear address 0. */
#include "v86.h"

#include "eflags.h"
#include "fault.h"
#include "flags.h"
#include "io_perm.h"
#include "mmu.h"

bool v86_redirect_int(struct cpu *c, unsigned vector)
{
    if (!(c->eflags & F_VM) || !(c->cr4 & CR4_VME))
        return false;
    uint32_t map;
    if (!io_map_base(c, &map) || map < 32)
        cpu_raise_gp0(c);
    uint64_t off = (uint64_t)map - 32 + vector / 8;
    if (off > c->tr.limit)
        cpu_raise_gp0(c);
    if ((sys_read(c, c->tr.base + off, 1) >> (vector & 7)) & 1)
        return false; /* methods 3 and 4: protected-mode handler, or #GP(0) when IOPL < 3 */

    /* Methods 5 (IOPL = 3) and 6 (IOPL < 3): as a real-mode INT on the V8086
     * stack.  Every slot and the vector are checked before anything is written. */
    uint64_t mask = c->sp_mask;
    uint64_t sp = c->regs[R_SP] & mask;
    uint64_t a_flags = seg_linear(c, S_SS, (sp - 2) & mask, 2);
    uint64_t a_cs = seg_linear(c, S_SS, (sp - 4) & mask, 2);
    uint64_t a_ip = seg_linear(c, S_SS, (sp - 6) & mask, 2);
    uint32_t target = (uint32_t)lin_read(c, (uint64_t)vector * 4, 4);
    bool iopl3 = (c->eflags & F_IOPL) == F_IOPL;
    uint32_t flags = cpu_get_eflags(c) & 0xFFFF;
    if (!iopl3) /* method 6: "IOPL set to 3 and VIF copied to IF" in the pushed image */
        flags = (flags & ~F_IF) | ((c->eflags & F_VIF) ? F_IF : 0) | F_IOPL;
    lin_write(c, a_flags, flags, 2);
    lin_write(c, a_cs, c->seg[S_CS].sel, 2);
    lin_write(c, a_ip, c->rip & 0xFFFF, 2);
    c->regs[R_SP] = (c->regs[R_SP] & ~mask) | ((sp - 6) & mask);
    c->eflags &= ~(F_TF | (iopl3 ? F_IF : F_VIF));
    uint16_t cs = (uint16_t)(target >> 16);
    c->seg[S_CS].sel = cs;
    c->seg[S_CS].base = (uint64_t)cs << 4;
    c->rip = target & 0xFFFF;
    return true;
}

uint16_t v86_vme_flags_image(const struct cpu *c)
{
    uint32_t f = cpu_get_eflags(c) & 0xFFFF;
    return (uint16_t)((f & ~F_IF) | ((c->eflags & F_VIF) ? F_IF : 0) | F_IOPL);
}

void v86_vme_load_flags(struct cpu *c, uint16_t value)
{
    if ((value & F_TF) || ((value & F_IF) && (c->eflags & F_VIP)))
        cpu_raise_gp0(c);
    eflags_load(c, value, EFLAGS_LOW16 & ~(F_IF | F_IOPL));
    if (value & F_IF)
        c->eflags |= F_VIF;
    else
        c->eflags &= ~F_VIF;
}
