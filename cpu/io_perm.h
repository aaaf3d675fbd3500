/* I/O permission for IN, OUT, INS and OUTS (SDM vol. 1 §18.5, §18.5.2 "I/O
 * Permission Bit Map"; vol. 3 §20.2.8 for virtual-8086 mode). */
#ifndef RINGZERO_CPU_IO_PERM_H
#define RINGZERO_CPU_IO_PERM_H

#include "cpu_state.h"

/* Protected or virtual-8086 mode: raises #GP(0) unless CPL <= IOPL (never so in
 * V8086 mode) or the TSS I/O permission bit map allows every port of
 * port..port+size-1. */
void io_check_protected(struct cpu *c, uint16_t port, unsigned size);

/* Call before the port access.  Real-address mode has no I/O protection, so the
 * common case costs one test of CR0.PE. */
static inline void io_check(struct cpu *c, uint16_t port, unsigned size)
{
    if (unlikely(c->cr0 & CR0_PE))
        io_check_protected(c, port, size);
}

/* The TSS's I/O map base (offset 66H) when TR holds a 32-bit TSS whose limit
 * reaches it; false otherwise (16-bit TSS: no I/O map, §7.6).  Shared with the
 * VME interrupt redirection bit map in v86.c, which sits 32 bytes below it. */
bool io_map_base(struct cpu *c, uint32_t *base);

#endif
