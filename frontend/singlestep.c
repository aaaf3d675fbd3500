/* SingleStepTests conformance runner (`ringzero singlestep`).
 *
 * Each test loads registers and RAM into a fresh real-mode CPU with 16 MiB of
 * zeroed RAM, runs until the HLT that follows the instruction (or its
 * exception handler), and compares registers and memory with the recorded
 * final state.  Flags the recorded CPU leaves undefined are masked with
 * metadata.json.  Where a 386-class CPU rightly differs from the 80286 that
 * recorded the vectors, the default model skips those tests with the reason;
 * `--cpu 80286` models the 286 instead and skips nothing. */
#include "singlestep.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpu/cpu.h"
#include "cpu/cpu_state.h"
#include "cpu/flags.h"
#include "frontend/moo.h"
#include "frontend/moo_meta.h"
#include "mem/physmem.h"

#define RAM_SIZE (16u << 20)
#define MAX_LOGGED_WRITES 4096

struct logged_write { uint64_t phys; unsigned size; };

struct runner {
    enum cpu_model model;
    unsigned max_details;   /* failures printed in detail */
    long only_index;        /* run just this test index (-1: all) */
    bool verbose;
    FILE *report;           /* machine-readable results, one JSON object per file */
    struct physmem *mem;
    struct cpu *cpu;
    struct logged_write writes[MAX_LOGGED_WRITES];
    unsigned write_count;
    bool write_overflow;
    unsigned long passed, failed, skipped, details_printed;
    struct { const char *reason; unsigned long count; } skip_tally[8];
};

static void tally_skip(struct runner *r, const char *why)
{
    for (unsigned k = 0; k < 8; k++) {
        if (r->skip_tally[k].reason == why || !r->skip_tally[k].reason) {
            r->skip_tally[k].reason = why;
            r->skip_tally[k].count++;
            return;
        }
    }
}

static uint32_t io_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    return 0xFFFFFFFFu >> (32 - 8 * size); /* the vectors' bus returns all ones */
}
static void io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)value;
    (void)size;
}

static void log_write(void *opaque, uint64_t lin, uint64_t phys, uint64_t value, unsigned size)
{
    (void)lin;
    (void)value;
    struct runner *r = opaque;
    if (r->write_count == MAX_LOGGED_WRITES) {
        r->write_overflow = true;
        return;
    }
    r->writes[r->write_count++] = (struct logged_write){phys, size};
}

static const char *reg_names[MOO_NREGS] = {"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es",
                                           "sp", "bp", "si", "di", "ip", "flags"};

/* FLAGS bits a real-mode 286 cannot hold: the initial FLAGS of 94 % of the
 * vectors has them set (loaded with LOADALL) and every final FLAGS has them
 * clear, so they are cleared before loading. */
#define FLAGS_286_HIGH 0xF000u

static void load_state(struct runner *r, const struct moo_state *s)
{
    struct cpu *c = r->cpu;
    static const unsigned gpr[] = {[MOO_AX] = R_AX, [MOO_BX] = R_BX, [MOO_CX] = R_CX, [MOO_DX] = R_DX,
                                   [MOO_SP] = R_SP, [MOO_BP] = R_BP, [MOO_SI] = R_SI, [MOO_DI] = R_DI};
    static const unsigned sreg[] = {[MOO_CS] = S_CS, [MOO_SS] = S_SS, [MOO_DS] = S_DS, [MOO_ES] = S_ES};
    cpu_reset(c);
    c->seg[S_CS].base = 0;
    for (unsigned k = 0; k < MOO_NREGS; k++) {
        uint16_t v = s->regs[k];
        switch (k) {
        case MOO_AX: case MOO_BX: case MOO_CX: case MOO_DX:
        case MOO_SP: case MOO_BP: case MOO_SI: case MOO_DI:
            c->regs[gpr[k]] = v;
            break;
        case MOO_CS: case MOO_SS: case MOO_DS: case MOO_ES:
            c->seg[sreg[k]].sel = v;
            c->seg[sreg[k]].base = (uint64_t)v << 4;
            break;
        case MOO_IP:
            c->rip = v;
            break;
        default: {
            uint32_t f = (v & ~FLAGS_286_HIGH) | 2u;
            c->eflags = f & ~F_ARITH;
            lf_set_flags(c, f & F_ARITH);
            break;
        }
        }
    }
    c->regs[R_DX] = s->regs[MOO_DX]; /* cpu_reset put the signature there */
    for (uint32_t k = 0; k < s->ram_count; k++)
        physmem_write(r->mem, s->ram[k].addr, s->ram[k].value, 1);
}

static uint16_t get_reg(struct cpu *c, unsigned k)
{
    switch (k) {
    case MOO_AX: return (uint16_t)c->regs[R_AX];
    case MOO_BX: return (uint16_t)c->regs[R_BX];
    case MOO_CX: return (uint16_t)c->regs[R_CX];
    case MOO_DX: return (uint16_t)c->regs[R_DX];
    case MOO_CS: return c->seg[S_CS].sel;
    case MOO_SS: return c->seg[S_SS].sel;
    case MOO_DS: return c->seg[S_DS].sel;
    case MOO_ES: return c->seg[S_ES].sel;
    case MOO_SP: return (uint16_t)c->regs[R_SP];
    case MOO_BP: return (uint16_t)c->regs[R_BP];
    case MOO_SI: return (uint16_t)c->regs[R_SI];
    case MOO_DI: return (uint16_t)c->regs[R_DI];
    case MOO_IP: return (uint16_t)c->rip;
    default: return (uint16_t)cpu_get_eflags(c);
    }
}

/* The opcode byte after the prefixes, whether LOCK is among them, and the last segment override. */
static unsigned scan_prefixes(const struct moo_test *t, bool *has_lock, uint8_t *seg_override)
{
    *has_lock = false;
    *seg_override = 0;
    for (uint32_t k = 0; k < t->byte_count; k++) {
        uint8_t b = t->bytes[k];
        if (b == 0xF0)
            *has_lock = true;
        else if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E)
            *seg_override = b;
        else if (b != 0xF2 && b != 0xF3)
            return k;
    }
    return t->byte_count;
}

/* 286 opcodes with a ModR/M byte (SingleStepTests covers one-byte opcodes only). */
static bool has_modrm_286(uint8_t op)
{
    if (op < 0x40)
        return (op & 7) < 4;
    return op == 0x62 || op == 0x63 || op == 0x69 || op == 0x6B || (op >= 0x80 && op <= 0x8F) || op == 0xC0 ||
           op == 0xC1 || (op >= 0xC4 && op <= 0xC7) || (op >= 0xD0 && op <= 0xD3) || (op >= 0xD8 && op <= 0xDF) ||
           op == 0xF6 || op == 0xF7 || op == 0xFE || op == 0xFF;
}

/* Instructions that use the stack segment implicitly. */
static bool uses_stack_286(uint8_t op, uint8_t modrm)
{
    switch (op) {
    case 0x06: case 0x07: case 0x0E: case 0x16: case 0x17: case 0x1E: case 0x1F: case 0x60: case 0x61:
    case 0x68: case 0x6A: case 0x8F: case 0x9A: case 0x9C: case 0x9D: case 0xC2: case 0xC3: case 0xC8:
    case 0xC9: case 0xCA: case 0xCB: case 0xCC: case 0xCD: case 0xCE: case 0xCF: case 0xE8:
        return true;
    case 0xFF:
        return ((modrm >> 3) & 7) == 2 || ((modrm >> 3) & 7) == 3 || ((modrm >> 3) & 7) == 6;
    default:
        return op >= 0x50 && op <= 0x5F;
    }
}

/* Why a 386-class CPU rightly differs from the 80286 on this test, or NULL.
 * Decided from the instruction bytes and the recorded outcome, never from our result. */
static const char *p6_skip_reason(const struct moo_test *t, unsigned opcode)
{
    bool lock;
    uint8_t seg_override;
    unsigned op_at = scan_prefixes(t, &lock, &seg_override);
    if (lock)
        return "LOCK prefix: a 386+ raises #UD where the 286 accepts it";
    if (opcode == 0xD8)
        return "x87 escape run without a coprocessor on the 286";
    if (op_at + 1 >= t->byte_count)
        return NULL;
    uint8_t op = t->bytes[op_at], modrm = t->bytes[op_at + 1];
    if ((op == 0x8C || op == 0x8E) && ((modrm >> 3) & 7) >= 4 && ((modrm >> 3) & 7) <= 5)
        return "MOV with FS/GS: the 286 has no FS/GS (#UD), a 386+ does";
    if (!t->has_exception || t->exception_vector != EXC_GP)
        return NULL;
    /* In real mode the 286 raises #GP only for a segment overrun (offset FFFFh) or length > 10. */
    if (t->byte_count - 1 > 10)
        return "longer than 10 bytes: #GP on the 286, allowed up to 15 bytes on a 386+";
    if ((op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF) || (op >= 0x6C && op <= 0x6F))
        return "string overrun: the 286 advances SI/DI/CX before the #GP, a 386+ faults at the element";
    bool bp_based = has_modrm_286(op) && (modrm >> 6) != 3 &&
                    ((modrm & 7) == 2 || (modrm & 7) == 3 || ((modrm & 7) == 6 && (modrm >> 6) != 0));
    bool ss_operand = has_modrm_286(op) && (modrm >> 6) != 3 && (seg_override == 0x36 || (!seg_override && bp_based));
    if (ss_operand || uses_stack_286(op, modrm))
        return "stack-segment overrun: #GP on the 286, #SS on a 386+ (and POP m16 commits SP first on the 286)";
    return NULL;
}

static void print_bytes(const struct moo_test *t)
{
    for (uint32_t k = 0; k < t->byte_count; k++)
        printf(" %02x", t->bytes[k]);
}

/* Expected byte at addr: the final value if it changed, else the initial one, else 0. */
static bool expected_byte(const struct moo_test *t, uint32_t addr, uint8_t *v)
{
    for (uint32_t k = 0; k < t->final.ram_count; k++)
        if (t->final.ram[k].addr == addr) {
            *v = t->final.ram[k].value;
            return true;
        }
    for (uint32_t k = 0; k < t->init.ram_count; k++)
        if (t->init.ram[k].addr == addr) {
            *v = t->init.ram[k].value;
            return true;
        }
    *v = 0;
    return false;
}

struct mismatch_log {
    char text[2048];
    size_t len;
};
static void note(struct mismatch_log *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void note(struct mismatch_log *m, const char *fmt, ...)
{
    if (m->len >= sizeof m->text - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m->text + m->len, sizeof m->text - m->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        m->len = m->len + (size_t)n >= sizeof m->text ? sizeof m->text - 1 : m->len + (size_t)n;
}

static bool run_test(struct runner *r, const char *file, const struct moo_test *t, uint16_t flags_mask,
                     bool popf_like)
{
    struct cpu *c = r->cpu;
    struct mismatch_log m = {.len = 0};
    r->write_count = 0;
    r->write_overflow = false;
    load_state(r, &t->init);

    enum cpu_stop stop = cpu_run(c, 64);
    if (stop != CPU_STOP_HLT)
        note(&m, "  stopped by %s, not at the final HLT\n",
             stop == CPU_STOP_BUDGET ? "the 64-instruction budget" : stop == CPU_STOP_SHUTDOWN ? "shutdown" : "a stop request");

    /* FLAGS are compared whole (the recorded final FLAGS always has bits 12-15
     * clear), except that for POPF and IRET a 386-class CPU in real mode loads
     * IOPL and NT (bits 12-14) where the 286 cannot. */
    uint16_t fmask = flags_mask;
    if (popf_like && r->model != CPU_MODEL_80286)
        fmask &= (uint16_t)~0x7000u;
    for (unsigned k = 0; k < MOO_NREGS; k++) {
        uint16_t want = (t->final.reg_mask >> k) & 1 ? t->final.regs[k] : t->init.regs[k];
        uint16_t got = get_reg(c, k);
        if (k == MOO_FLAGS) {
            if ((want & fmask) != (got & fmask))
                note(&m, "  flags: expected %04x got %04x (compared bits %04x, differ %04x)\n", want, got, fmask,
                     (uint16_t)((want ^ got) & fmask));
        } else if (want != got) {
            note(&m, "  %s: expected %04x got %04x\n", reg_names[k], want, got);
        }
    }
    uint32_t pushed_flags_addr = ((uint32_t)t->init.regs[MOO_SS] << 4) + ((t->init.regs[MOO_SP] - 2u) & 0xFFFFu);
    /* Memory: every byte the test names, and every byte the CPU wrote. */
    const struct moo_state *sets[2] = {&t->init, &t->final};
    for (unsigned s = 0; s < 2; s++)
        for (uint32_t k = 0; k < sets[s]->ram_count; k++) {
            uint32_t addr = sets[s]->ram[k].addr;
            uint8_t want;
            expected_byte(t, addr, &want);
            uint8_t got = (uint8_t)physmem_read(r->mem, addr, 1);
            uint8_t mask = 0xFF;
            if (t->has_exception) {
                /* The pushed FLAGS image holds the same undefined flags. EXCP names the
                 * word-aligned bus address; with an odd SP the image really sits at
                 * SS:SP-2, one byte higher, so both places are masked. */
                uint32_t at[2] = {t->exception_flags_addr, pushed_flags_addr};
                for (unsigned w = 0; w < 2; w++)
                    if (addr == at[w] || addr == at[w] + 1)
                        mask &= (uint8_t)(fmask >> (addr == at[w] ? 0 : 8));
            }
            if ((want & mask) != (got & mask))
                note(&m, "  ram[%06x]: expected %02x got %02x\n", addr, want, got);
        }
    unsigned stray = 0;
    for (unsigned w = 0; w < r->write_count && stray < 8; w++)
        for (unsigned b = 0; b < r->writes[w].size; b++) {
            uint64_t addr = r->writes[w].phys + b;
            uint8_t want;
            bool seen = false;
            for (unsigned e = 0; e < w && !seen; e++)
                seen = addr >= r->writes[e].phys && addr < r->writes[e].phys + r->writes[e].size;
            if (seen || addr >= RAM_SIZE || expected_byte(t, (uint32_t)addr, &want))
                continue;
            stray++;
            uint8_t got = (uint8_t)physmem_read(r->mem, addr, 1);
            if (got != want)
                note(&m, "  ram[%06llx]: written %02x, expected untouched (00)\n", (unsigned long long)addr, got);
        }
    if (r->write_overflow)
        note(&m, "  more than %d writes\n", MAX_LOGGED_WRITES);

    /* Back to zeroed RAM for the next test. */
    for (unsigned s = 0; s < 2; s++)
        for (uint32_t k = 0; k < sets[s]->ram_count; k++)
            physmem_write(r->mem, sets[s]->ram[k].addr, 0, 1);
    for (unsigned w = 0; w < r->write_count; w++)
        for (unsigned b = 0; b < r->writes[w].size; b++)
            if (r->writes[w].phys + b < RAM_SIZE)
                physmem_write(r->mem, r->writes[w].phys + b, 0, 1);

    if (m.len == 0)
        return true;
    if (r->details_printed < r->max_details) {
        r->details_printed++;
        printf("FAIL %s #%u \"%s\" bytes:", file, t->index, t->name);
        print_bytes(t);
        if (t->has_exception)
            printf(" (exception %u)", t->exception_vector);
        printf("\n%s", m.text);
    }
    return false;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int run_file(struct runner *r, const char *path, const struct moo_meta *meta)
{
    char err[512];
    struct moo_file f;
    if (moo_file_load(path, &f, err, sizeof err) != 0) {
        fprintf(stderr, "ringzero singlestep: %s\n", err);
        return -1;
    }
    unsigned opcode = 0;
    int ext = -1;
    const char *name = base_name(path);
    uint16_t flags_mask = 0xFFFF;
    if (moo_name_parse(path, &opcode, &ext) && meta) {
        const char *status;
        if (!moo_meta_lookup(meta, opcode, ext, &status, &flags_mask))
            flags_mask = 0xFFFF;
    }
    bool popf_like = opcode == 0x9D || opcode == 0xCF;
    unsigned long pass = 0, fail = 0, skip = 0;
    const char *first_skip = NULL;
    for (uint32_t k = 0; k < f.test_count; k++) {
        const struct moo_test *t = &f.tests[k];
        if (r->only_index >= 0 && t->index != (uint32_t)r->only_index)
            continue;
        if (r->model != CPU_MODEL_80286) {
            const char *why = p6_skip_reason(t, opcode);
            if (why) {
                skip++;
                tally_skip(r, why);
                if (!first_skip)
                    first_skip = why;
                continue;
            }
        }
        if (run_test(r, name, t, flags_mask, popf_like))
            pass++;
        else
            fail++;
    }
    printf("%s: %lu passed, %lu failed, %lu skipped%s%s\n", name, pass, fail, skip, first_skip ? " — skipped: " : "",
           first_skip ? first_skip : "");
    if (r->report)
        fprintf(r->report, "{\"file\":\"%s\",\"passed\":%lu,\"failed\":%lu,\"skipped\":%lu}\n", name, pass, fail, skip);
    r->passed += pass;
    r->failed += fail;
    r->skipped += skip;
    moo_file_free(&f);
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static struct moo_meta *load_meta_near(const char *path, bool is_dir)
{
    char buf[4096];
    if (is_dir)
        snprintf(buf, sizeof buf, "%s/metadata.json", path);
    else {
        const char *slash = strrchr(path, '/');
        if (slash)
            snprintf(buf, sizeof buf, "%.*s/metadata.json", (int)(slash - path), path);
        else
            snprintf(buf, sizeof buf, "metadata.json");
    }
    struct stat st;
    if (stat(buf, &st) != 0)
        return NULL;
    char err[512];
    struct moo_meta *m = moo_meta_load(buf, err, sizeof err);
    if (!m)
        fprintf(stderr, "ringzero singlestep: %s (flags compared unmasked)\n", err);
    return m;
}

static int run_path(struct runner *r, const char *path, const char *meta_path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "ringzero singlestep: %s: %s\n", path, strerror(errno));
        return -1;
    }
    bool is_dir = S_ISDIR(st.st_mode);
    struct moo_meta *meta = NULL;
    char err[512];
    if (meta_path) {
        meta = moo_meta_load(meta_path, err, sizeof err);
        if (!meta) {
            fprintf(stderr, "ringzero singlestep: %s\n", err);
            return -1;
        }
    } else {
        meta = load_meta_near(path, is_dir);
    }
    int rc = 0;
    if (!is_dir) {
        rc = run_file(r, path, meta);
    } else {
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "ringzero singlestep: %s: %s\n", path, strerror(errno));
            moo_meta_free(meta);
            return -1;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!has_suffix(de->d_name, ".MOO.gz") && !has_suffix(de->d_name, ".MOO"))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nn = realloc(names, cap * sizeof *names);
                if (!nn)
                    break;
                names = nn;
            }
            names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t k = 0; k < n; k++) {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, names[k]);
            if (run_file(r, full, meta) != 0)
                rc = -1;
            free(names[k]);
        }
        free(names);
    }
    moo_meta_free(meta);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: ringzero singlestep [--cpu 80286|p6] [--details N] [--index N] [--metadata FILE]\n"
                 "                           [--report FILE] PATH...\n"
                 "Runs SingleStepTests MOO files (or directories of them) and ends with\n"
                 "'N passed, N failed, N skipped'. Exit status 0 only if nothing failed.\n"
                 "  --cpu 80286   model the 80286 that recorded the vectors (no skips)\n"
                 "  --cpu p6      default: a 386-class CPU; tests where it rightly differs are skipped\n"
                 "  --details N   print the first N failures in detail (default 10)\n"
                 "  --index N     run only the test with this index in each file\n"
                 "  --report FILE write one JSON object per file with its counts\n");
}

int singlestep_main(int argc, char **argv)
{
    struct runner *r = calloc(1, sizeof *r);
    if (!r)
        return 2;
    r->model = CPU_MODEL_P6;
    r->max_details = 10;
    r->only_index = -1;
    const char *meta_path = NULL, *report_path = NULL;
    int first_path = argc;
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        const char *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            usage(stdout);
            free(r);
            return 0;
        } else if (!strcmp(arg, "--cpu") && val) {
            if (!strcmp(val, "80286") || !strcmp(val, "286"))
                r->model = CPU_MODEL_80286;
            else if (!strcmp(val, "p6") || !strcmp(val, "default"))
                r->model = CPU_MODEL_P6;
            else {
                fprintf(stderr, "ringzero singlestep: unknown --cpu '%s' (80286 or p6)\n", val);
                free(r);
                return 2;
            }
            a++;
        } else if ((!strcmp(arg, "--details") || !strcmp(arg, "--index")) && val) {
            char *end;
            long v = strtol(val, &end, 0);
            if (*end || v < 0) {
                fprintf(stderr, "ringzero singlestep: %s needs a number, not '%s'\n", arg, val);
                free(r);
                return 2;
            }
            if (!strcmp(arg, "--details"))
                r->max_details = (unsigned)v;
            else
                r->only_index = v;
            a++;
        } else if (!strcmp(arg, "--metadata") && val) {
            meta_path = val;
            a++;
        } else if (!strcmp(arg, "--report") && val) {
            report_path = val;
            a++;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "ringzero singlestep: unknown or incomplete option '%s'\n", arg);
            usage(stderr);
            free(r);
            return 2;
        } else {
            first_path = a;
            break;
        }
    }
    if (first_path >= argc) {
        usage(stderr);
        free(r);
        return 2;
    }
    if (report_path && !(r->report = fopen(report_path, "w"))) {
        fprintf(stderr, "ringzero singlestep: cannot write %s: %s\n", report_path, strerror(errno));
        free(r);
        return 2;
    }
    char err[256];
    r->mem = physmem_create();
    if (!r->mem || !physmem_add_ram(r->mem, "ram", 0, RAM_SIZE, err, sizeof err)) {
        fprintf(stderr, "ringzero singlestep: %s\n", r->mem ? err : "out of memory");
        physmem_destroy(r->mem);
        free(r);
        return 2;
    }
    struct cpu_bus bus = {.port_in = io_in, .port_out = io_out, .intr_ack = NULL, .opaque = r};
    r->cpu = cpu_create(r->mem, &bus, r->model);
    if (!r->cpu) {
        physmem_destroy(r->mem);
        free(r);
        return 2;
    }
    r->cpu->log_writes = true;
    r->cpu->write_hook = log_write;
    r->cpu->write_hook_opaque = r;

    int rc = 0;
    for (int a = first_path; a < argc; a++)
        if (run_path(r, argv[a], meta_path) != 0)
            rc = 2;
    for (unsigned k = 0; k < 8 && r->skip_tally[k].reason; k++)
        printf("skipped %lu: %s\n", r->skip_tally[k].count, r->skip_tally[k].reason);
    printf("%lu passed, %lu failed, %lu skipped\n", r->passed, r->failed, r->skipped);
    if (r->failed && !rc)
        rc = 1;
    if (r->report)
        fclose(r->report);
    cpu_destroy(r->cpu);
    physmem_destroy(r->mem);
    free(r);
    return rc;
}
