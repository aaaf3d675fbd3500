/* moo.c - reader for SingleStepTests MOO files.  Every chunk length is checked
 * against the bytes that remain in its parent before anything is read; fixed
 * payloads may be longer than needed (the format allows fields to be added),
 * never shorter.  Files are read whole with zlib (gzip or plain). */
#include "moo.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MOO_HDR_MIN 12u     /* u8 major, u8 minor, u16 reserved, u32 count, char[4] cpu */
#define MOO_META_MIN 31u    /* up to and including cpu_mode and reserved */
#define MOO_TEST_MIN 12u    /* chunk header + u32 index: the smallest TEST chunk */

/* Where a message comes from: the file name and, inside a test, which one. */
struct moo_ctx {
    const char *name;
    const uint8_t *base;    /* start of the image, for offsets in messages */
    char *err;
    size_t err_len;
    bool in_test;
    bool have_index;
    uint32_t test_no;       /* position of the TEST chunk in the file */
    uint32_t test_index;    /* its index field */
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int moo_fail(const struct moo_ctx *c, const char *fmt, ...)
{
    char msg[256];
    char where[64] = "";
    va_list ap;

    if (!c->err || c->err_len == 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->in_test && c->have_index)
        snprintf(where, sizeof where, "test #%u (index %u): ", c->test_no, c->test_index);
    else if (c->in_test)
        snprintf(where, sizeof where, "test #%u: ", c->test_no);
    snprintf(c->err, c->err_len, "%s: %s%s", c->name, where, msg);
    return -1;
}

static uint16_t moo_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t moo_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* A chunk tag made printable for messages. */
static void moo_tag_str(const uint8_t *p, char out[5])
{
    for (int i = 0; i < 4; i++)
        out[i] = (p[i] >= 0x20 && p[i] < 0x7F) ? (char)p[i] : '?';
    out[4] = '\0';
}

static bool moo_tag_is(const uint8_t *tag, const char *s)
{
    return memcmp(tag, s, 4) == 0;
}

/* A chunk read from the region data[0..len) at *pos; *pos moves past it. */
struct moo_chunk {
    const uint8_t *tag;
    const uint8_t *payload;
    uint32_t len;
    char tag_str[5];
};

static int moo_next_chunk(const struct moo_ctx *c, const uint8_t *data, size_t len, size_t *pos,
                          const char *parent, struct moo_chunk *ch)
{
    size_t left = len - *pos;
    size_t off = (size_t)(data + *pos - c->base);

    if (left < 8)
        return moo_fail(c, "%s%struncated chunk header at offset 0x%zx (%zu of 8 bytes)", parent ? parent : "",
                        parent ? ": " : "", off, left);
    ch->tag = data + *pos;
    ch->len = moo_rd32(data + *pos + 4);
    moo_tag_str(ch->tag, ch->tag_str);
    if (ch->len > left - 8)
        return moo_fail(c, "%s%schunk '%s' at offset 0x%zx has length %u but only %zu bytes follow",
                        parent ? parent : "", parent ? ": " : "", ch->tag_str, off, ch->len, left - 8);
    ch->payload = data + *pos + 8;
    *pos += 8 + (size_t)ch->len;
    return 0;
}

/* REGS: u16 mask, then one u16 per set bit. */
static int moo_parse_regs(const struct moo_ctx *c, struct moo_state *st, const struct moo_chunk *ch,
                          const char *what)
{
    uint16_t mask;
    uint32_t need = 2;

    if (ch->len < 2)
        return moo_fail(c, "%s/REGS: length %u is too short for the mask", what, ch->len);
    mask = moo_rd16(ch->payload);
    if (mask >> MOO_NREGS)
        return moo_fail(c, "%s/REGS: mask 0x%04x has bits above %d (flags) set", what, mask, MOO_NREGS - 1);
    for (int i = 0; i < MOO_NREGS; i++)
        need += (mask >> i & 1u) * 2u;
    if (ch->len < need)
        return moo_fail(c, "%s/REGS: length %u is too short for mask 0x%04x (needs %u)", what, ch->len, mask, need);
    st->reg_mask = mask;
    for (int i = 0, at = 2; i < MOO_NREGS; i++) {
        if (mask >> i & 1u) {
            st->regs[i] = moo_rd16(ch->payload + at);
            at += 2;
        }
    }
    return 0;
}

/* RAM : u32 n, then n x {u32 addr, u8 value}. */
static int moo_parse_ram(const struct moo_ctx *c, struct moo_state *st, const struct moo_chunk *ch,
                         const char *what)
{
    uint32_t n;

    if (ch->len < 4)
        return moo_fail(c, "%s/RAM: length %u is too short for the count", what, ch->len);
    n = moo_rd32(ch->payload);
    if (n > (ch->len - 4) / 5)
        return moo_fail(c, "%s/RAM: %u entries need %llu bytes but the chunk has %u", what, n,
                        4ull + 5ull * n, ch->len);
    if (n == 0)
        return 0;
    st->ram = malloc((size_t)n * sizeof *st->ram);
    if (!st->ram)
        return moo_fail(c, "%s/RAM: out of memory for %u entries", what, n);
    st->ram_count = n;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = ch->payload + 4 + (size_t)i * 5;
        st->ram[i].addr = moo_rd32(e);
        st->ram[i].value = e[4];
    }
    return 0;
}

/* INIT or FINA: subchunks REGS and RAM  (both required), others skipped. */
static int moo_parse_state(const struct moo_ctx *c, struct moo_state *st, const struct moo_chunk *outer,
                           const char *what)
{
    size_t pos = 0;
    bool have_regs = false, have_ram = false;

    while (pos < outer->len) {
        struct moo_chunk ch;
        if (moo_next_chunk(c, outer->payload, outer->len, &pos, what, &ch))
            return -1;
        if (moo_tag_is(ch.tag, "REGS")) {
            if (have_regs)
                return moo_fail(c, "%s: duplicate REGS subchunk", what);
            have_regs = true;
            if (moo_parse_regs(c, st, &ch, what))
                return -1;
        } else if (moo_tag_is(ch.tag, "RAM ")) {
            if (have_ram)
                return moo_fail(c, "%s: duplicate RAM subchunk", what);
            have_ram = true;
            if (moo_parse_ram(c, st, &ch, what))
                return -1;
        }
    }
    if (!have_regs || !have_ram)
        return moo_fail(c, "%s: missing %s subchunk", what, have_regs ? "RAM" : "REGS");
    return 0;
}

/* NAME and BYTS: u32 n, then n bytes.  The copy gets a NUL after it. */
static int moo_parse_counted(const struct moo_ctx *c, const struct moo_chunk *ch, uint8_t **out, uint32_t *count)
{
    uint32_t n;

    if (ch->len < 4)
        return moo_fail(c, "%s: length %u is too short for the count", ch->tag_str, ch->len);
    n = moo_rd32(ch->payload);
    if (n > ch->len - 4)
        return moo_fail(c, "%s: count %u exceeds the %u bytes in the chunk", ch->tag_str, n, ch->len - 4);
    *out = malloc((size_t)n + 1);
    if (!*out)
        return moo_fail(c, "%s: out of memory", ch->tag_str);
    if (n)
        memcpy(*out, ch->payload + 4, n);
    (*out)[n] = 0;
    *count = n;
    return 0;
}

enum { MOO_SEEN_NAME = 1, MOO_SEEN_BYTS = 2, MOO_SEEN_INIT = 4, MOO_SEEN_FINA = 8, MOO_SEEN_EXCP = 16,
       MOO_SEEN_HASH = 32 };

static const struct { const char *tag; unsigned bit; } moo_known_sub[] = {
    { "NAME", MOO_SEEN_NAME }, { "BYTS", MOO_SEEN_BYTS }, { "INIT", MOO_SEEN_INIT },
    { "FINA", MOO_SEEN_FINA }, { "EXCP", MOO_SEEN_EXCP }, { "HASH", MOO_SEEN_HASH },
};

static int moo_parse_sub(const struct moo_ctx *c, struct moo_test *t, const struct moo_chunk *ch, unsigned bit)
{
    uint32_t name_len;
    uint8_t *name = NULL;

    switch (bit) {
    case MOO_SEEN_NAME:
        if (moo_parse_counted(c, ch, &name, &name_len))
            return -1;
        t->name = (char *)name;
        return 0;
    case MOO_SEEN_BYTS:
        return moo_parse_counted(c, ch, &t->bytes, &t->byte_count);
    case MOO_SEEN_INIT:
        return moo_parse_state(c, &t->init, ch, "INIT");
    case MOO_SEEN_FINA:
        return moo_parse_state(c, &t->final, ch, "FINA");
    case MOO_SEEN_EXCP:
        if (ch->len < 5)
            return moo_fail(c, "EXCP: length %u is shorter than 5", ch->len);
        t->has_exception = true;
        t->exception_vector = ch->payload[0];
        t->exception_flags_addr = moo_rd32(ch->payload + 1);
        return 0;
    default:
        if (ch->len < sizeof t->hash)
            return moo_fail(c, "HASH: length %u is shorter than 20", ch->len);
        memcpy(t->hash, ch->payload, sizeof t->hash);
        return 0;
    }
}

static int moo_parse_test(struct moo_ctx *c, struct moo_test *t, const struct moo_chunk *outer)
{
    size_t pos = 4;
    unsigned seen = 0;
    const unsigned required = MOO_SEEN_NAME | MOO_SEEN_BYTS | MOO_SEEN_INIT | MOO_SEEN_FINA | MOO_SEEN_HASH;

    if (outer->len < 4)
        return moo_fail(c, "TEST: length %u is too short for the index", outer->len);
    t->index = moo_rd32(outer->payload);
    c->test_index = t->index;
    c->have_index = true;
    while (pos < outer->len) {
        struct moo_chunk ch;
        unsigned bit = 0;
        if (moo_next_chunk(c, outer->payload, outer->len, &pos, "TEST", &ch))
            return -1;
        for (size_t i = 0; i < sizeof moo_known_sub / sizeof moo_known_sub[0]; i++)
            if (moo_tag_is(ch.tag, moo_known_sub[i].tag))
                bit = moo_known_sub[i].bit;
        if (!bit)
            continue;       /* GMET, CYCL and anything unknown */
        if (seen & bit)
            return moo_fail(c, "TEST: duplicate %s subchunk", ch.tag_str);
        seen |= bit;
        if (moo_parse_sub(c, t, &ch, bit))
            return -1;
    }
    for (size_t i = 0; i < sizeof moo_known_sub / sizeof moo_known_sub[0]; i++)
        if ((required & moo_known_sub[i].bit) && !(seen & moo_known_sub[i].bit))
            return moo_fail(c, "TEST: missing %s subchunk", moo_known_sub[i].tag);
    return 0;
}

static int moo_parse_header(const struct moo_ctx *c, struct moo_file *out, const struct moo_chunk *ch,
                            size_t left)
{
    if (!moo_tag_is(ch->tag, "MOO "))
        return moo_fail(c, "not a MOO file (first chunk is '%s', expected 'MOO ')", ch->tag_str);
    if (ch->len < MOO_HDR_MIN)
        return moo_fail(c, "MOO header: length %u is shorter than %u", ch->len, MOO_HDR_MIN);
    out->major = ch->payload[0];
    out->minor = ch->payload[1];
    if (out->major != 1)
        return moo_fail(c, "unsupported MOO format version %u.%u (expected 1.x)", out->major, out->minor);
    out->test_count = moo_rd32(ch->payload + 4);
    for (int i = 0; i < 4; i++) {
        uint8_t b = ch->payload[8 + i];
        if (b < 0x20 || b >= 0x7F)
            return moo_fail(c, "MOO header: CPU id byte %d is not printable (0x%02x)", i, b);
        out->cpu_id[i] = (char)b;
    }
    out->cpu_id[4] = '\0';
    if (out->test_count > left / MOO_TEST_MIN)
        return moo_fail(c, "MOO header: %u tests cannot fit in the %zu bytes that follow (truncated file?)",
                        out->test_count, left);
    return 0;
}

static int moo_parse_meta(const struct moo_ctx *c, struct moo_file *out, const struct moo_chunk *ch)
{
    uint32_t count;
    int n = 8;

    if (ch->len < MOO_META_MIN)
        return moo_fail(c, "META: length %u is shorter than %u", ch->len, MOO_META_MIN);
    out->opcode = moo_rd32(ch->payload + 3);
    for (int i = 0; i < 8; i++) {
        uint8_t b = ch->payload[7 + i];
        if ((b < 0x20 || b >= 0x7F) && b != 0)
            return moo_fail(c, "META: mnemonic byte %d is not printable (0x%02x)", i, b);
        out->mnemonic[i] = (char)b;
    }
    while (n > 0 && (out->mnemonic[n - 1] == ' ' || out->mnemonic[n - 1] == '\0'))
        n--;
    out->mnemonic[n] = '\0';
    count = moo_rd32(ch->payload + 15);
    if (count != out->test_count)
        return moo_fail(c, "META: test count %u differs from the %u in the MOO header", count, out->test_count);
    return 0;
}

static int moo_parse_named(const char *name, const uint8_t *data, size_t len, struct moo_file *out,
                           char *err, size_t err_len)
{
    struct moo_ctx c = { .name = name, .base = data, .err = err, .err_len = err_len };
    struct moo_chunk ch;
    size_t pos = 0;
    uint32_t found = 0;
    bool have_meta = false;

    if (len == 0)
        return moo_fail(&c, "empty file");
    if (moo_next_chunk(&c, data, len, &pos, NULL, &ch) || moo_parse_header(&c, out, &ch, len - pos))
        return -1;
    out->tests = calloc(out->test_count ? out->test_count : 1, sizeof *out->tests);
    if (!out->tests)
        return moo_fail(&c, "out of memory for %u tests", out->test_count);
    while (pos < len) {
        if (moo_next_chunk(&c, data, len, &pos, NULL, &ch))
            return -1;
        if (moo_tag_is(ch.tag, "TEST")) {
            if (found == out->test_count)
                return moo_fail(&c, "more TEST chunks than the %u announced in the header", out->test_count);
            c.in_test = true;
            c.have_index = false;
            c.test_no = found;
            if (moo_parse_test(&c, &out->tests[found], &ch))
                return -1;
            c.in_test = false;
            found++;
        } else if (moo_tag_is(ch.tag, "META")) {
            if (have_meta)
                return moo_fail(&c, "duplicate META chunk");
            have_meta = true;
            if (moo_parse_meta(&c, out, &ch))
                return -1;
        } else if (moo_tag_is(ch.tag, "MOO ")) {
            return moo_fail(&c, "duplicate MOO header chunk");
        }
    }
    if (found != out->test_count)
        return moo_fail(&c, "header announces %u tests but the file has %u TEST chunks (truncated file?)",
                        out->test_count, found);
    return 0;
}

static int moo_parse_or_free(const char *name, const uint8_t *data, size_t len, struct moo_file *out,
                             char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    out->opcode = UINT32_MAX;
    if (err && err_len)
        err[0] = '\0';
    if (!data && len)
        return moo_fail(&(struct moo_ctx){ .name = name, .err = err, .err_len = err_len }, "NULL data");
    if (moo_parse_named(name, data ? data : (const uint8_t *)"", len, out, err, err_len) == 0)
        return 0;
    moo_file_free(out);
    return -1;
}

int moo_file_parse(const uint8_t *data, size_t len, struct moo_file *out, char *err, size_t err_len)
{
    return moo_parse_or_free("<memory>", data, len, out, err, err_len);
}

int moo_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, char *err, size_t err_len)
{
    struct moo_ctx c = { .name = path, .err = err, .err_len = err_len };
    gzFile gz;
    uint8_t *data = NULL;
    size_t size = 0, cap = 0;
    int errnum = Z_OK;
    const char *msg;

    if (!path) {
        c.name = "(null)";
        return moo_fail(&c, "no path given");
    }
    errno = 0;
    gz = gzopen(path, "rb");
    if (!gz)
        return moo_fail(&c, "cannot open: %s", errno ? strerror(errno) : "out of memory");
    for (;;) {
        int n;
        if (size == cap) {
            size_t ncap = cap ? (cap > max / 2 ? max + 1 : cap * 2) : (size_t)1 << 16;
            uint8_t *p;
            if (size > max) {
                free(data);
                gzclose_r(gz);
                return moo_fail(&c, "decompressed size exceeds the limit of %zu bytes", max);
            }
            p = realloc(data, ncap);
            if (!p) {
                free(data);
                gzclose_r(gz);
                return moo_fail(&c, "out of memory reading the file");
            }
            data = p;
            cap = ncap;
        }
        errno = 0;
        n = gzread(gz, data + size, (unsigned)((cap - size) > INT_MAX ? INT_MAX : cap - size));
        if (n <= 0)
            break;
        size += (size_t)n;
    }
    msg = gzerror(gz, &errnum);
    if (errnum != Z_OK) {
        int saved = errno;
        size_t plen = strlen(path);
        if (strncmp(msg, path, plen) == 0 && strncmp(msg + plen, ": ", 2) == 0)
            msg += plen + 2;    /* zlib puts the path in front */
        moo_fail(&c, "read error: %s", errnum == Z_ERRNO ? strerror(saved) : msg);
        free(data);
        gzclose_r(gz);
        return -1;
    }
    gzclose_r(gz);
    if (size > max) {
        free(data);
        return moo_fail(&c, "decompressed size exceeds the limit of %zu bytes", max);
    }
    *buf = data;
    *len = size;
    return 0;
}

int moo_file_load(const char *path, struct moo_file *out, char *err, size_t err_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (err && err_len)
        err[0] = '\0';
    if (moo_read_file(path, MOO_MAX_FILE_SIZE, &data, &len, err, err_len))
        return -1;
    rc = moo_parse_or_free(path, data, len, out, err, err_len);
    free(data);
    return rc;
}

void moo_file_free(struct moo_file *f)
{
    if (!f)
        return;
    if (f->tests) {
        for (uint32_t i = 0; i < f->test_count; i++) {
            struct moo_test *t = &f->tests[i];
            free(t->name);
            free(t->bytes);
            free(t->init.ram);
            free(t->final.ram);
        }
        free(f->tests);
    }
    memset(f, 0, sizeof *f);
}

static int moo_hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

bool moo_name_parse(const char *path, unsigned *opcode, int *ext)
{
    const char *base, *rest;
    int hi, lo, e = -1;

    if (!path)
        return false;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    hi = moo_hex_digit(base[0]);
    lo = hi < 0 ? -1 : moo_hex_digit(base[1]);
    if (lo < 0)
        return false;
    rest = base + 2;
    if (rest[0] == '.' && rest[1] >= '0' && rest[1] <= '7' && rest[2] == '.') {
        e = rest[1] - '0';
        rest += 2;
    }
    if (strcmp(rest, ".MOO.gz") != 0 && strcmp(rest, ".MOO") != 0)
        return false;
    if (opcode)
        *opcode = (unsigned)(hi * 16 + lo);
    if (ext)
        *ext = e;
    return true;
}
