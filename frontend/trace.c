/* Instruction tracer: see trace.h for the line format. */
#include "frontend/trace.h"

#include <Zydis/Zydis.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"

#define TRACE_BUF_SIZE (1u << 20) /* stdio buffer: traces are written in large blocks */
#define MAX_INSN_LEN 15
#define BYTES_FIELD 21            /* room for 7 bytes ("xx "); longer instructions widen the line */
#define TEXT_FIELD 30

enum trace_mode { TM_REAL16, TM_PROT16, TM_PROT32, TM_LONG64 };

/* The state before an instruction, kept until the next boundary shows what it changed. */
struct snapshot {
    uint64_t icount;
    uint64_t lin;
    uint64_t rip;
    uint64_t regs[16];
    uint64_t cr0, cr2, cr3, cr4;
    uint32_t eflags;
    uint16_t sel[S_COUNT];
    uint8_t bytes[MAX_INSN_LEN];
    enum trace_mode mode;
};

struct tracer {
    FILE *f;
    char *buf;
    struct tracer_options o;
    struct cpu *cpu;
    uint64_t lines;
    bool have_pending;
    struct snapshot pending;
};

static const char *const reg32_names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const char *const reg64_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                             "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const seg_names[S_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs" };

static enum trace_mode mode_of(const struct cpu *c)
{
    if (c->mode64)
        return TM_LONG64;
    if (!(c->cr0 & CR0_PE))
        return TM_REAL16;
    return c->code32 ? TM_PROT32 : TM_PROT16;
}

static ZydisMachineMode zydis_mode(enum trace_mode m)
{
    switch (m) {
    case TM_REAL16: return ZYDIS_MACHINE_MODE_REAL_16;
    case TM_PROT16: return ZYDIS_MACHINE_MODE_LEGACY_16;
    case TM_PROT32: return ZYDIS_MACHINE_MODE_LEGACY_32;
    default: return ZYDIS_MACHINE_MODE_LONG_64;
    }
}

static uint64_t linear_pc(const struct cpu *c) { return (c->seg[S_CS].base + c->rip) & c->lin_mask; }

static void take_snapshot(struct snapshot *s, struct cpu *c, uint64_t lin)
{
    s->icount = cpu_icount(c);
    s->lin = lin;
    s->rip = c->rip;
    memcpy(s->regs, c->regs, sizeof s->regs);
    s->cr0 = c->cr0;
    s->cr2 = c->cr2;
    s->cr3 = c->cr3;
    s->cr4 = c->cr4;
    s->eflags = cpu_get_eflags(c);
    for (int k = 0; k < S_COUNT; k++)
        s->sel[k] = c->seg[k].sel;
    s->mode = mode_of(c);
    cpu_peek_code(c, s->bytes, sizeof s->bytes);
}

/* Appends to a fixed line buffer; output that does not fit is cut off. */
struct line {
    char s[768];
    size_t n;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...)
{
    if (l->n >= sizeof l->s - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
    va_end(ap);
    if (r > 0)
        l->n += (size_t)r < sizeof l->s - l->n ? (size_t)r : sizeof l->s - 1 - l->n;
}

static void pad_to(struct line *l, size_t col)
{
    while (l->n < col && l->n < sizeof l->s - 1)
        l->s[l->n++] = ' ';
    l->s[l->n] = '\0';
}

/* Writes the line of the pending instruction, comparing its snapshot with c's state now. */
static void emit(struct tracer *t, const struct cpu *c)
{
    const struct snapshot *s = &t->pending;
    struct line l = { .n = 0 };
    bool wide = s->mode == TM_LONG64;

    put(&l, "%9llu ", (unsigned long long)s->icount);
    if (wide)
        put(&l, "%016llx %04x:%016llx  ", (unsigned long long)s->lin, s->sel[S_CS], (unsigned long long)s->rip);
    else if (s->mode == TM_PROT32)
        put(&l, "%08llx %04x:%08llx  ", (unsigned long long)s->lin, s->sel[S_CS],
            (unsigned long long)(s->rip & 0xFFFFFFFFu));
    else
        put(&l, "%08llx %04x:%04llx  ", (unsigned long long)s->lin, s->sel[S_CS],
            (unsigned long long)(s->rip & 0xFFFFu));

    ZydisDisassembledInstruction insn;
    size_t len = 1;
    const char *text = "(bad)";
    if (ZYAN_SUCCESS(ZydisDisassembleIntel(zydis_mode(s->mode), s->rip, s->bytes, sizeof s->bytes, &insn))) {
        len = insn.info.length;
        text = insn.text;
    }
    size_t col = l.n;
    for (size_t k = 0; k < len; k++)
        put(&l, "%02x ", s->bytes[k]);
    pad_to(&l, col + BYTES_FIELD);
    col = l.n;
    put(&l, "%s ", text);
    pad_to(&l, col + TEXT_FIELD + 1);

    unsigned nregs = wide ? 16 : 8;
    for (unsigned r = 0; r < nregs; r++) {
        uint64_t v = c->regs[r];
        if (v == s->regs[r])
            continue;
        if (wide)
            put(&l, "%s=%016llx ", reg64_names[r], (unsigned long long)v);
        else if (v >> 32) /* upper half set outside 64-bit mode (e.g. just left long mode) */
            put(&l, "%s=%016llx ", reg32_names[r], (unsigned long long)v);
        else
            put(&l, "%s=%08llx ", reg32_names[r], (unsigned long long)v);
    }
    for (int k = 0; k < S_COUNT; k++)
        if (c->seg[k].sel != s->sel[k])
            put(&l, "%s=%04x ", seg_names[k], c->seg[k].sel);
    uint32_t fl = cpu_get_eflags(c);
    if (fl != s->eflags)
        put(&l, "fl=%08x ", fl);
    if (c->cr0 != s->cr0)
        put(&l, "cr0=%08llx ", (unsigned long long)c->cr0);
    if (c->cr2 != s->cr2)
        put(&l, "cr2=%0*llx ", wide ? 16 : 8, (unsigned long long)c->cr2);
    if (c->cr3 != s->cr3)
        put(&l, "cr3=%0*llx ", wide ? 16 : 8, (unsigned long long)c->cr3);
    if (c->cr4 != s->cr4)
        put(&l, "cr4=%08llx ", (unsigned long long)c->cr4);

    while (l.n > 0 && l.s[l.n - 1] == ' ')
        l.n--;
    l.s[l.n++] = '\n';
    fwrite(l.s, 1, l.n, t->f);
    t->lines++;
}

static void trace_hook(void *opaque, struct cpu *c, bool after)
{
    if (after)
        return;
    struct tracer *t = opaque;
    if (t->have_pending) {
        t->have_pending = false;
        if (cpu_icount(c) != t->pending.icount) /* else the instruction never ran: drop it */
            emit(t, c);
        if (t->o.limit && t->lines >= t->o.limit) {
            cpu_set_trace(c, NULL, NULL); /* nothing more to write: run at full speed */
            return;
        }
    }
    uint64_t lin = linear_pc(c);
    if (t->o.has_range && (lin < t->o.range_lo || lin > t->o.range_hi))
        return;
    take_snapshot(&t->pending, c, lin);
    t->have_pending = true;
}

struct tracer *tracer_create(const struct tracer_options *o, char *err, size_t err_len)
{
    if (!o->path || !o->path[0]) {
        snprintf(err, err_len, "trace: no output file given");
        return NULL;
    }
    if (o->has_range && o->range_lo > o->range_hi) {
        snprintf(err, err_len, "trace: empty address range %llx-%llx", (unsigned long long)o->range_lo,
                 (unsigned long long)o->range_hi);
        return NULL;
    }
    struct tracer *t = calloc(1, sizeof *t);
    char *buf = malloc(TRACE_BUF_SIZE);
    if (!t || !buf) {
        free(t);
        free(buf);
        snprintf(err, err_len, "trace: out of memory");
        return NULL;
    }
    FILE *f;
    if (strcmp(o->path, "-") == 0) {
        /* Our own stream on a copy of fd 1, so it can have its own buffer and be closed. */
        int fd = dup(STDOUT_FILENO);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            snprintf(err, err_len, "trace: cannot write to standard output: %s", strerror(errno));
            if (fd >= 0)
                close(fd);
        }
    } else {
        f = fopen(o->path, "w");
        if (!f)
            snprintf(err, err_len, "trace: cannot open %s: %s", o->path, strerror(errno));
    }
    if (!f) {
        free(t);
        free(buf);
        return NULL;
    }
    fflush(stdout); /* what the program printed so far comes before the trace */
    setvbuf(f, buf, _IOFBF, TRACE_BUF_SIZE);
    t->f = f;
    t->buf = buf;
    t->o = *o;
    t->o.path = NULL; /* not kept: the caller's string need not outlive this call */
    return t;
}

void tracer_attach(struct tracer *t, struct cpu *c)
{
    if (t->cpu && t->cpu != c)
        cpu_set_trace(t->cpu, NULL, NULL);
    t->cpu = c;
    t->have_pending = false;
    if (!t->o.limit || t->lines < t->o.limit)
        cpu_set_trace(c, trace_hook, t);
}

void tracer_finish(struct tracer *t)
{
    if (!t)
        return;
    if (t->cpu) {
        if (t->have_pending && cpu_icount(t->cpu) != t->pending.icount)
            emit(t, t->cpu);
        if (t->cpu->trace_opaque == t)
            cpu_set_trace(t->cpu, NULL, NULL);
    }
    bool failed = ferror(t->f) != 0;
    if (fclose(t->f) != 0)
        failed = true;
    if (failed)
        fprintf(stderr, "trace: error writing the trace: %s\n", strerror(errno));
    free(t->buf);
    free(t);
}

/* One hex number of at most 16 digits, optional 0x; returns the end or NULL. */
static const char *parse_hex(const char *s, uint64_t *out)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    uint64_t v = 0;
    int digits = 0;
    for (;; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            break;
        if (v >> 60) /* another digit would overflow 64 bits */
            return NULL;
        v = v << 4 | d;
        digits++;
    }
    if (!digits)
        return NULL;
    *out = v;
    return s;
}

bool tracer_parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
    uint64_t a, b;
    if (!s)
        return false;
    const char *p = parse_hex(s, &a);
    if (!p || (*p != '-' && *p != ':'))
        return false;
    p = parse_hex(p + 1, &b);
    if (!p || *p || a > b)
        return false;
    *lo = a;
    *hi = b;
    return true;
}
