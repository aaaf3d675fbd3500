/* I/O permission checks (SDM vol. 1 §18.5.1 "I/O Privilege Level", §18.5.2 "I/O
 * Permission Bit Map").
 *
 * In protected mode an I/O instruction at CPL <= IOPL is allowed outright; at
 * CPL > IOPL, and always in virtual-8086 mode, every bit of the 32-bit TSS's
 * I/O permission bit map for the ports accessed must be 0.  The processor
 * reads the map two bytes at a time, and any part of that word beyond the TSS
 * limit counts as "not allowed" (§18.5.2: "all I/O addresses not spanned by
 * the map are treated as having set bits"). */
#include "io_perm.h"

#include "fault.h"
#include "mmu.h"

#define TSS32_IOMAP_BASE 0x66u
#define TSS32_MIN_LIMIT 0x67u

bool io_map_base(struct cpu *c, uint32_t *base)
{
    /* TR type 9 (available) or 11 (busy): a 32-bit TSS.  A 16-bit TSS (types 1/3)
     * has no I/O map base field (SDM vol. 3 §7.6). */
    unsigned type = c->tr.attr & 0x1F; /* S bit and type */
    if ((type != 0x09 && type != 0x0B) || c->tr.limit < TSS32_MIN_LIMIT)
        return false;
    *base = (uint32_t)sys_read(c, c->tr.base + TSS32_IOMAP_BASE, 2);
    return true;
}

void io_check_protected(struct cpu *c, uint16_t port, unsigned size)
{
    unsigned iopl = (c->eflags & F_IOPL) >> 12;
    if (!(c->eflags & F_VM) && c->cpl <= iopl)
        return;
    /* The 80286 has no I/O permission bit map: CPL > IOPL is always #GP(0). */
    uint32_t base;
    if (c->model == CPU_MODEL_80286 || !io_map_base(c, &base))
        cpu_raise_gp0(c);
    uint64_t off = (uint64_t)base + port / 8;
    if (off + 1 > c->tr.limit)
        cpu_raise_gp0(c);
    uint32_t bits = (uint32_t)sys_read(c, c->tr.base + off, 2) >> (port & 7);
    if (bits & ((1u << size) - 1))
        cpu_raise_gp0(c);
}
