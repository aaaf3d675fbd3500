/* moo_meta.c - SingleStepTests metadata.json lookup (see moo_meta.h).  The
 * JSON is parsed once with json_min and every entry of "opcodes" is checked
 * and indexed into a table, so lookups are constant time and cannot fail on
 * malformed data.  Opcode keys that are not two hex digits are ignored. */
#include "moo_meta.h"

#include "json_min.h"
#include "moo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOO_META_MAX_SIZE ((size_t)64 << 20)

struct moo_meta_entry {
    bool present;
    uint16_t flags_mask;
    const char *status;     /* points into doc */
};

struct moo_meta {
    struct moo_json_doc *doc;
    bool group[256];
    struct moo_meta_entry plain[256];
    struct moo_meta_entry ext[256][8];
};

struct moo_meta_ctx {
    const char *name;
    char *err;
    size_t err_len;
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static bool moo_meta_fail(const struct moo_meta_ctx *c, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    if (!c->err || c->err_len == 0)
        return false;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->err_len, "%s: %s", c->name, msg);
    return false;
}

static int moo_meta_hex(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* One leaf entry {"status": "...", "flags-mask": N, ...}; where names it. */
static bool moo_meta_entry_parse(const struct moo_meta_ctx *c, const struct moo_json_value *v, const char *where,
                                 struct moo_meta_entry *e)
{
    const struct moo_json_value *status, *mask;
    int64_t m = 0xFFFF;

    if (v->type != MOO_JSON_OBJECT)
        return moo_meta_fail(c, "%s: entry is not an object", where);
    status = moo_json_object_get(v, "status");
    if (!status || status->type != MOO_JSON_STRING)
        return moo_meta_fail(c, "%s: missing or non-string \"status\"", where);
    if (strlen(status->str) != status->len)
        return moo_meta_fail(c, "%s: \"status\" contains a NUL character", where);
    mask = moo_json_object_get(v, "flags-mask");
    if (mask && mask->type != MOO_JSON_NUMBER)
        return moo_meta_fail(c, "%s: \"flags-mask\" is not a number", where);
    if (mask && (!moo_json_get_int(mask, &m) || m < 0 || m > 0xFFFF))
        return moo_meta_fail(c, "%s: \"flags-mask\" %.*s is not an integer in 0..65535", where,
                             mask->len > 40 ? 40 : (int)mask->len, mask->str);
    e->present = true;
    e->status = status->str;
    e->flags_mask = (uint16_t)m;
    return true;
}

/* A group opcode: "reg": {"0": {...}, ..., "7": {...}}. */
static bool moo_meta_group_parse(const struct moo_meta_ctx *c, struct moo_meta *m, unsigned op,
                                 const struct moo_json_value *reg)
{
    char where[48];

    if (reg->type != MOO_JSON_OBJECT)
        return moo_meta_fail(c, "opcodes.%02X.reg is not an object", op);
    m->group[op] = true;
    for (const struct moo_json_value *k = moo_json_child(reg, NULL); k; k = moo_json_child(reg, k + 1)) {
        if (k->len != 1 || k->str[0] < '0' || k->str[0] > '7')
            return moo_meta_fail(c, "opcodes.%02X.reg: key \"%.8s\" is not a ModR/M extension 0..7", op, k->str);
        snprintf(where, sizeof where, "opcodes.%02X.reg.%c", op, k->str[0]);
        if (!moo_meta_entry_parse(c, k + 1, where, &m->ext[op][k->str[0] - '0']))
            return false;
    }
    return true;
}

static bool moo_meta_build(const struct moo_meta_ctx *c, struct moo_meta *m)
{
    const struct moo_json_value *root = moo_json_root(m->doc);
    const struct moo_json_value *ops = moo_json_object_get(root, "opcodes");
    bool seen[256] = { false };

    if (!root || root->type != MOO_JSON_OBJECT)
        return moo_meta_fail(c, "top level is not an object");
    if (!ops || ops->type != MOO_JSON_OBJECT)
        return moo_meta_fail(c, "missing or non-object \"opcodes\"");
    for (const struct moo_json_value *k = moo_json_child(ops, NULL); k; k = moo_json_child(ops, k + 1)) {
        const struct moo_json_value *v = k + 1, *reg;
        int hi = k->len == 2 ? moo_meta_hex(k->str[0]) : -1;
        int lo = hi >= 0 ? moo_meta_hex(k->str[1]) : -1;
        unsigned op;
        char where[32];

        if (lo < 0)
            continue;       /* not an opcode of this one-byte form */
        op = (unsigned)(hi * 16 + lo);
        if (seen[op])
            return moo_meta_fail(c, "opcodes: opcode %02X appears twice (\"%s\")", op, k->str);
        seen[op] = true;
        if (v->type != MOO_JSON_OBJECT)
            return moo_meta_fail(c, "opcodes.%s is not an object", k->str);
        reg = moo_json_object_get(v, "reg");
        if (reg) {
            if (!moo_meta_group_parse(c, m, op, reg))
                return false;
            continue;
        }
        snprintf(where, sizeof where, "opcodes.%02X", op);
        if (!moo_meta_entry_parse(c, v, where, &m->plain[op]))
            return false;
    }
    return true;
}

static struct moo_meta *moo_meta_parse_named(const char *name, const char *text, size_t len, char *err,
                                             size_t err_len)
{
    struct moo_meta_ctx c = { .name = name, .err = err, .err_len = err_len };
    struct moo_meta *m;
    char jerr[200];

    if (err && err_len)
        err[0] = '\0';
    m = calloc(1, sizeof *m);
    if (!m) {
        moo_meta_fail(&c, "out of memory");
        return NULL;
    }
    m->doc = moo_json_parse(text, len, jerr, sizeof jerr);
    if (!m->doc) {
        moo_meta_fail(&c, "invalid JSON: %s", jerr);
        free(m);
        return NULL;
    }
    if (!moo_meta_build(&c, m)) {
        moo_meta_free(m);
        return NULL;
    }
    return m;
}

struct moo_meta *moo_meta_parse(const char *text, size_t len, char *err, size_t err_len)
{
    return moo_meta_parse_named("<memory>", text, len, err, err_len);
}

struct moo_meta *moo_meta_load(const char *path, char *err, size_t err_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    struct moo_meta *m;

    if (moo_read_file(path, MOO_META_MAX_SIZE, &data, &len, err, err_len))
        return NULL;
    m = moo_meta_parse_named(path, (const char *)data, len, err, err_len);
    free(data);
    return m;
}

void moo_meta_free(struct moo_meta *m)
{
    if (!m)
        return;
    moo_json_free(m->doc);
    free(m);
}

bool moo_meta_lookup(const struct moo_meta *m, unsigned opcode, int ext, const char **status, uint16_t *flags_mask)
{
    const struct moo_meta_entry *e;

    if (!m || opcode > 0xFF || ext < -1 || ext > 7)
        return false;
    if (m->group[opcode] != (ext >= 0))
        return false;
    e = ext >= 0 ? &m->ext[opcode][ext] : &m->plain[opcode];
    if (!e->present)
        return false;
    if (status)
        *status = e->status;
    if (flags_mask)
        *flags_mask = e->flags_mask;
    return true;
}
