/* Instruction tracer (--trace FILE): one line per executed instruction with
 * its count, linear address, CS:IP, bytes, Intel-syntax disassembly (Zydis)
 * and the registers it changed, e.g.
 *
 *        12 000f0123 f000:0123  b8 34 12             mov ax, 0x1234                 eax=00001234 fl=00000046
 *
 * The changes of instruction k are known only at the next boundary, so its
 * line is written when the hook fires for instruction k+1 (or by
 * tracer_finish for the last one).  When an exception or interrupt is
 * delivered in between, its effects (CS, SP, flags...) show on the line of the
 * instruction before it, and the jump shows as the next line's address.
 *
 * Nothing is installed unless tracer_attach is called, so tracing costs
 * nothing when it is off.  Once the line limit is reached the hook removes
 * itself. */
#ifndef RINGZERO_FRONTEND_TRACE_H
#define RINGZERO_FRONTEND_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu;
struct tracer;

struct tracer_options {
    const char *path;  /* "-" = stdout */
    uint64_t limit;    /* stop writing after this many lines (0 = no limit) */
    bool has_range;    /* only instructions whose linear address is in [range_lo, range_hi] */
    uint64_t range_lo, range_hi;
};

/* NULL with a message in err on error (e.g. the file cannot be opened). */
struct tracer *tracer_create(const struct tracer_options *o, char *err, size_t err_len);
/* Installs the trace hook on c.  c must outlive the tracer (until tracer_finish). */
void tracer_attach(struct tracer *t, struct cpu *c);
/* Writes the last pending line, removes the hook, flushes and closes the
 * output (stdout itself stays open), and frees t.  NULL is ignored. */
void tracer_finish(struct tracer *t);
/* Parses "LO-HI" or "LO:HI" (hex, with or without 0x) into an inclusive
 * range; false on bad input (empty, not hex, more than 64 bits, LO > HI). */
bool tracer_parse_range(const char *s, uint64_t *lo, uint64_t *hi);

#endif
