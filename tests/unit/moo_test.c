/* moo_test.c - Check unit tests for the MOO reader (frontend/moo.c), the JSON
 * parser (frontend/json_min.c) and the metadata lookup (frontend/moo_meta.c).
 * MOO images are assembled in memory; the real 80286 vectors are used when
 * found (RINGZERO_SINGLESTEP_DIR, else <source>/../shared/conformance/...). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, access, unlink, rmdir */
#endif

/* relative to this file, so no include path is needed */
#include "../../frontend/json_min.h"
#include "../../frontend/moo.h"
#include "../../frontend/moo_meta.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ---- in-memory MOO image builder ---- */

struct img { uint8_t *p; size_t len, cap; };

static void img_put(struct img *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        ck_assert_ptr_nonnull(b->p);
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

/* Appends v as n little-endian bytes. */
static void img_le(struct img *b, uint32_t v, int n)
{
    uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    img_put(b, t, (size_t)n);
}

static void poke32(struct img *b, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[at + i] = (uint8_t)(v >> (8 * i));
}

/* Starts a chunk; returns where its length goes, for img_end. */
static size_t img_begin(struct img *b, const char *tag)
{
    img_put(b, tag, 4);
    img_le(b, 0, 4);
    return b->len - 4;
}

static void img_end(struct img *b, size_t at)
{
    poke32(b, at, (uint32_t)(b->len - at - 4));
}

static void img_chunk(struct img *b, const char *tag, const void *d, size_t n)
{
    size_t at = img_begin(b, tag);
    img_put(b, d, n);
    img_end(b, at);
}

struct img_opts {
    bool extra_top, extra_sub, extra_state_sub;  /* unknown chunks to be skipped */
    uint32_t excp_len;                            /* 0: the normal 5 */
};

/* The two tests in the built image; the second one ends in an exception. */
static const struct spec {
    uint32_t index; const char *name; uint8_t bytes[3];
    struct moo_ram_byte iram[4], fram[4]; uint32_t ni, nf;
    uint16_t fmask; bool excp; uint8_t hash_base;
} specs[2] = {
    { 0, "add [bx+si],al", { 0x00, 0x00, 0xF4 }, { { 0x10000, 0 }, { 0x10001, 0 }, { 0x10002, 0xF4 } },
      { { 0x2345, 0x77 } }, 3, 1, 0x3000, false, 0x00 },
    { 7, "div bl", { 0xF6, 0xF3, 0xF4 }, { { 0xFFFFF, 0xF6 }, { 0x100000, 0xF3 } },
      { { 0x500, 1 }, { 0x501, 2 }, { 0x502, 3 }, { 0x503, 4 } }, 2, 4, 0x3111, true, 0xA0 },
};

static void img_state(struct img *b, const char *tag, uint16_t mask, uint16_t base, const struct moo_ram_byte *ram,
                      uint32_t n, const struct img_opts *o)
{
    size_t at = img_begin(b, tag), r;
    if (o->extra_state_sub)
        img_chunk(b, "QUEU", "\x02\0\0\0\x90\x90", 6);
    r = img_begin(b, "REGS");
    img_le(b, mask, 2);
    for (int i = 0; i < MOO_NREGS; i++)
        if (mask >> i & 1)
            img_le(b, (uint16_t)(base + i), 2);
    img_end(b, r);
    r = img_begin(b, "RAM ");
    img_le(b, n, 4);
    for (uint32_t i = 0; i < n; i++) {
        img_le(b, ram[i].addr, 4);
        img_le(b, ram[i].value, 1);
    }
    img_end(b, r);
    img_end(b, at);
}

static void img_test(struct img *b, const struct spec *t, const struct img_opts *o)
{
    size_t at = img_begin(b, "TEST"), r;
    uint8_t hash[20];
    img_le(b, t->index, 4);
    img_chunk(b, "GMET", "0123456789", 10);
    r = img_begin(b, "NAME");
    img_le(b, (uint32_t)strlen(t->name), 4);
    img_put(b, t->name, strlen(t->name));
    img_end(b, r);
    if (o->extra_sub)
        img_chunk(b, "XYZW", "junk", 4);
    r = img_begin(b, "BYTS");
    img_le(b, 3, 4);
    img_put(b, t->bytes, 3);
    img_end(b, r);
    img_state(b, "INIT", 0x3FFF, 0x1000, t->iram, t->ni, o);
    img_state(b, "FINA", t->fmask, 0x2000, t->fram, t->nf, o);
    img_chunk(b, "CYCL", "\x01\0\0\0ABCDEFGHIJKLMNO", 19);
    if (t->excp) {
        r = img_begin(b, "EXCP");
        img_le(b, 0, 1);
        img_le(b, 0x12345, 4);
        for (uint32_t i = 5; i < o->excp_len; i++)
            img_le(b, 0xEE, 1);
        if (o->excp_len && o->excp_len < 5)
            b->len -= 5 - o->excp_len;
        img_end(b, r);
    }
    for (int i = 0; i < 20; i++)
        hash[i] = (uint8_t)(t->hash_base + i);
    img_chunk(b, "HASH", hash, 20);
    img_end(b, at);
}

static struct img img_build(const struct img_opts *o)
{
    struct img b = { 0 };
    img_chunk(&b, "MOO ", "\x01\0\0\0\x02\0\0\0C286", 12);
    if (o->extra_top)
        img_chunk(&b, "RMSK", "\x00\x20\x2B\xFF", 4);
    img_chunk(&b, "META", "\x01\x00\x06\xF6\0\0\0div     \x02\0\0\0\xEF\xBE\xAD\xDE\0\0\0\0\0\0\0\0", 31);
    img_test(&b, &specs[0], o);
    if (o->extra_top)
        img_chunk(&b, "ZZZZ", "", 0);
    img_test(&b, &specs[1], o);
    return b;
}

static void check_state(const struct moo_state *s, uint16_t mask, uint16_t base, const struct moo_ram_byte *ram,
                        uint32_t n)
{
    ck_assert_uint_eq(s->reg_mask, mask);
    for (int i = 0; i < MOO_NREGS; i++)
        ck_assert_uint_eq(s->regs[i], (mask >> i & 1) ? (uint16_t)(base + i) : 0);
    ck_assert_uint_eq(s->ram_count, n);
    for (uint32_t i = 0; i < n; i++) {
        ck_assert_uint_eq(s->ram[i].addr, ram[i].addr);
        ck_assert_uint_eq(s->ram[i].value, ram[i].value);
    }
}

static void check_fields(const struct moo_file *f)
{
    ck_assert_str_eq(f->cpu_id, "C286");
    ck_assert_uint_eq(f->major, 1);
    ck_assert_uint_eq(f->minor, 0);
    ck_assert_uint_eq(f->opcode, 0xF6);
    ck_assert_str_eq(f->mnemonic, "div");
    ck_assert_uint_eq(f->test_count, 2);
    for (int n = 0; n < 2; n++) {
        const struct moo_test *t = &f->tests[n];
        const struct spec *w = &specs[n];
        ck_assert_uint_eq(t->index, w->index);
        ck_assert_str_eq(t->name, w->name);
        ck_assert_uint_eq(t->byte_count, 3);
        ck_assert_mem_eq(t->bytes, w->bytes, 3);
        check_state(&t->init, 0x3FFF, 0x1000, w->iram, w->ni);
        check_state(&t->final, w->fmask, 0x2000, w->fram, w->nf);
        ck_assert(t->has_exception == w->excp);
        ck_assert_uint_eq(t->exception_vector, 0);
        ck_assert_uint_eq(t->exception_flags_addr, w->excp ? 0x12345 : 0);
        for (int i = 0; i < 20; i++)
            ck_assert_uint_eq(t->hash[i], w->hash_base + i);
    }
}

/* Parses a copy of exactly len bytes, so ASan sees any read past the end. */
static int parse_exact(const uint8_t *data, size_t len, struct moo_file *f, char *err, size_t n)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;
    ck_assert_ptr_nonnull(copy);
    if (len)
        memcpy(copy, data, len);
    rc = moo_file_parse(copy, len, f, err, n);
    free(copy);
    return rc;
}

/* _i == 0: plain image; 1: with unknown chunks at every level and a long EXCP */
START_TEST(test_parse_fields)
{
    struct img b = img_build(_i ? &(struct img_opts){ true, true, true, 9 } : &(struct img_opts){ 0 });
    struct moo_file f;
    char err[256];
    ck_assert_msg(parse_exact(b.p, b.len, &f, err, sizeof err) == 0, "%s", err);
    check_fields(&f);
    moo_file_free(&f);
    ck_assert_ptr_null(f.tests);
    moo_file_free(&f);      /* twice is harmless */
    free(b.p);
}
END_TEST

START_TEST(test_truncated_every_length)
{
    struct img b = img_build(&(struct img_opts){ .extra_top = true, .extra_sub = true, .extra_state_sub = true });
    for (size_t len = 0; len < b.len; len++) {
        struct moo_file f;
        char err[256] = "";
        ck_assert_int_eq(parse_exact(b.p, len, &f, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, "<memory>: ", 10) == 0 && strlen(err) > 12, "len %zu: '%s'", len, err);
        ck_assert_ptr_null(f.tests);
        ck_assert_uint_eq(f.test_count, 0);
    }
    free(b.p);
}
END_TEST

/* Finds the nth (0-based) occurrence of a 4-byte tag in the image. */
static size_t find_tag(const struct img *b, const char *tag, int nth)
{
    for (size_t i = 0; i + 4 <= b->len; i++)
        if (memcmp(b->p + i, tag, 4) == 0 && nth-- == 0)
            return i;
    ck_abort_msg("tag %s not found", tag);
    return 0;
}

struct corrupt_case {
    const char *tag; int nth; int field; uint32_t value;    /* field: byte offset from the tag */
    const char *tag_rename;                                 /* or rename the tag */
    int special;        /* 1: build with a 4-byte EXCP; 2: also set META's count to value */
    const char *expect;
};

static const struct corrupt_case corrupt_cases[] = {
    { "TEST", 1, 4, 0x10000, NULL, 0, "has length 65536 but only" },
    { "NAME", 0, 4, 0x1000, NULL, 0, "test #0 (index 0): TEST: chunk 'NAME'" },
    { "NAME", 1, 8, 0x100, NULL, 0, "test #1 (index 7): NAME: count 256 exceeds" },
    { "BYTS", 0, 8, 0xFFFFFFFF, NULL, 0, "BYTS: count 4294967295 exceeds" },
    { "REGS", 0, 8, 0x7FFF, NULL, 0, "INIT/REGS: mask 0x7fff has bits above 13" },
    { "REGS", 1, 8, 0x3FFF, NULL, 0, "FINA/REGS: length 6 is too short for mask 0x3fff" },
    { "RAM ", 0, 8, 0xFFFFFFFF, NULL, 0, "INIT/RAM: 4294967295 entries need" },
    { "RAM ", 3, 8, 5, NULL, 0, "test #1 (index 7): FINA/RAM: 5 entries" },
    { "INIT", 1, 4, 0xFFFFFFF0, NULL, 0, "TEST: chunk 'INIT'" },
    { "REGS", 2, 4, 0x40, NULL, 0, "INIT: chunk 'REGS'" },
    { "MOO ", 0, 0, 0, "MOX ", 0, "not a MOO file (first chunk is 'MOX '" },
    { "MOO ", 0, 4, 4, NULL, 0, "MOO header: length 4 is shorter than 12" },
    { "MOO ", 0, 8, 2, NULL, 0, "unsupported MOO format version 2.0" },
    { "MOO ", 0, 12, 0xFFFFFFFF, NULL, 0, "4294967295 tests cannot fit" },
    { "MOO ", 0, 12, 1, NULL, 0, "META: test count 2 differs from the 1" },
    { "META", 0, 23, 3, NULL, 0, "META: test count 3 differs from the 2" },
    { "HASH", 1, 0, 0, "HASX", 0, "test #1 (index 7): TEST: missing HASH subchunk" },
    { "REGS", 1, 0, 0, "REGZ", 0, "test #0 (index 0): FINA: missing REGS subchunk" },
    { "CYCL", 0, 0, 0, "BYTS", 0, "test #0 (index 0): TEST: duplicate BYTS subchunk" },
    { "META", 0, 0, 0, "MOO ", 0, "duplicate MOO header chunk" },
    { "MOO ", 0, 16, 'C' | 0x01u << 8 | '8' << 16 | '6' << 24, NULL, 0, "CPU id byte 1 is not printable" },
    { "EXCP", 0, 0, 0, NULL, 1, "test #1 (index 7): EXCP: length 4 is shorter than 5" },
    { "HASH", 0, 4, 19, NULL, 0, "test #0 (index 0): HASH: length 19 is shorter than 20" },
    { "META", 0, 4, 30, NULL, 0, "META: length 30 is shorter than 31" },
    { "TEST", 0, 4, 3, NULL, 0, "test #0: TEST: length 3 is too short for the index" },
    { "MOO ", 0, 12, 1, NULL, 2, "more TEST chunks than the 1 announced" },
    { "MOO ", 0, 12, 3, NULL, 2, "header announces 3 tests but the file has 2 TEST chunks" },
};

START_TEST(test_corrupt)
{
    const struct corrupt_case *c = &corrupt_cases[_i];
    struct img b = img_build(&(struct img_opts){ .excp_len = c->special == 1 ? 4 : 0 });
    size_t at = find_tag(&b, c->tag, c->nth);
    struct moo_file f;
    char err[256] = "";
    const char *expect = c->expect;

    if (c->tag_rename)
        memcpy(b.p + at, c->tag_rename, 4);
    else if (c->special != 1)
        poke32(&b, at + (size_t)c->field, c->value);
    if (c->special == 2)
        poke32(&b, find_tag(&b, "META", 0) + 23, c->value);
    ck_assert_int_eq(parse_exact(b.p, b.len, &f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, expect) != NULL, "case %d: got '%s', expected '%s'", _i, err, expect);
    ck_assert_ptr_null(f.tests);
    ck_assert_int_eq(moo_file_parse(b.p, b.len, &f, NULL, 0), -1);    /* no err buffer */
    free(b.p);
}
END_TEST

/* ---- files ---- */

static void tmpdir_make(char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, n, "%s/moo_test.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Writes a gzip file, or a plain one (zlib's transparent "T" mode). */
static void write_file(const char *path, const void *d, size_t n, bool gz)
{
    gzFile g = gzopen(path, gz ? "wb9" : "wbT");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, d, (unsigned)n), (int)n);
    ck_assert_int_eq(gzclose(g), Z_OK);
}

START_TEST(test_load_gz)
{
    struct img b = img_build(&(struct img_opts){ 0 });
    char dir[256], gz[300], plain[300], cut[300], missing[300], err[512];
    struct moo_file f;
    uint8_t raw[4096];
    size_t n;
    FILE *fp;

    tmpdir_make(dir, sizeof dir);
    snprintf(gz, sizeof gz, "%s/F6.MOO.gz", dir);
    snprintf(plain, sizeof plain, "%s/F6.MOO", dir);
    snprintf(cut, sizeof cut, "%s/cut.MOO.gz", dir);
    snprintf(missing, sizeof missing, "%s/nope.MOO.gz", dir);
    write_file(gz, b.p, b.len, true);
    write_file(plain, b.p, b.len, false);
    ck_assert_msg(moo_file_load(gz, &f, err, sizeof err) == 0, "%s", err);
    check_fields(&f);
    moo_file_free(&f);
    ck_assert_msg(moo_file_load(plain, &f, err, sizeof err) == 0, "%s", err);
    check_fields(&f);
    moo_file_free(&f);

    /* a gzip stream cut in half */
    fp = fopen(gz, "rb");
    ck_assert_ptr_nonnull(fp);
    n = fread(raw, 1, sizeof raw, fp);
    fclose(fp);
    write_file(cut, raw, n / 2, false);
    ck_assert_int_eq(moo_file_load(cut, &f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, cut) == err, "%s", err);
    ck_assert_ptr_null(f.tests);

    ck_assert_int_eq(moo_file_load(missing, &f, err, sizeof err), -1);
    ck_assert_msg(strstr(err, missing) == err && strstr(err, "cannot open"), "%s", err);

    unlink(gz);
    unlink(plain);
    unlink(cut);
    ck_assert_int_eq(rmdir(dir), 0);
    free(b.p);
}
END_TEST

static void vectors_dir(char *out, size_t n)
{
    const char *env = getenv("RINGZERO_SINGLESTEP_DIR");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return;
    }
#ifdef RINGZERO_SOURCE_DIR
    snprintf(out, n, "%s/../shared/conformance/singlestep/80286", RINGZERO_SOURCE_DIR);
#else
    {   /* __FILE__ is <source>/tests/unit/moo_test.c */
        const char *file = __FILE__, *tail = "tests/unit/moo_test.c";
        size_t fl = strlen(file), tl = strlen(tail);
        int keep = fl >= tl && strcmp(file + fl - tl, tail) == 0 ? (int)(fl - tl) : 0;
        snprintf(out, n, "%.*s%s../shared/conformance/singlestep/80286", keep, file, keep ? "" : "./");
    }
#endif
}

START_TEST(test_real_vectors)
{
    char dir[512], path[600], err[512];
    struct moo_file f;
    const struct moo_test *t;

    vectors_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/00.MOO.gz", dir);
    if (access(path, R_OK) != 0) {
        printf("test_real_vectors: skipped: vectors not found at %s\n", path);
        return;
    }
    ck_assert_msg(moo_file_load(path, &f, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(f.test_count, 800);
    ck_assert_str_eq(f.cpu_id, "C286");
    ck_assert_uint_eq(f.opcode, 0);
    ck_assert_str_eq(f.mnemonic, "add");
    t = &f.tests[0];
    ck_assert_uint_eq(t->index, 0);
    ck_assert_uint_ge(t->byte_count, 2);
    ck_assert_uint_eq(t->bytes[t->byte_count - 1], 0xF4);
    ck_assert_uint_eq(t->init.reg_mask, 0x3FFF);
    ck_assert_uint_eq(f.tests[799].index, 799);
    moo_file_free(&f);
}
END_TEST

START_TEST(test_name_parse)
{
    static const struct { const char *s; bool ok; unsigned op; int ext; } cases[] = {
        { "AA.MOO.gz", true, 0xAA, -1 },     { "F6.3.MOO.gz", true, 0xF6, 3 },
        { "/x/y/F7.7.MOO.gz", true, 0xF7, 7 }, { "d8.MOO.gz", true, 0xD8, -1 },
        { "rel/00.0.MOO", true, 0x00, 0 },   { "F6.8.MOO.gz", false, 0, 0 },
        { "F.MOO.gz", false, 0, 0 },         { "F6X.MOO.gz", false, 0, 0 },
        { "F6.MOO.gz.bak", false, 0, 0 },    { "F6.3.4.MOO.gz", false, 0, 0 },
        { "G0.MOO.gz", false, 0, 0 },        { "", false, 0, 0 },
        { "metadata.json", false, 0, 0 },    { "0FA0.MOO.gz", false, 0, 0 },
        { "F6..MOO.gz", false, 0, 0 },       { "F6.33.MOO.gz", false, 0, 0 },
        { "dir/", false, 0, 0 },             { "F6.moo.gz", false, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned op = 999;
        int ext = 999;
        ck_assert_msg(moo_name_parse(cases[i].s, &op, &ext) == cases[i].ok, "%s", cases[i].s);
        if (cases[i].ok) {
            ck_assert_uint_eq(op, cases[i].op);
            ck_assert_int_eq(ext, cases[i].ext);
        }
    }
    ck_assert(!moo_name_parse(NULL, NULL, NULL));
    ck_assert(moo_name_parse("00.MOO.gz", NULL, NULL));
}
END_TEST

/* ---- JSON ---- */

START_TEST(test_json_valid)
{
    static const char text[] = " {\"s\": \"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\xc3\xa9\", "
                               "\"n\": [0, -0, 12.5e1, -3, 1E2, 65535, 1e-2, 123456789012345678],"
                               " \"l\": [true, false, null, {}, []], \"z\": \"a\\u0000b\"}\n";
    char err[200];
    struct moo_json_doc *d = moo_json_parse(text, sizeof text - 1, err, sizeof err);
    const struct moo_json_value *root, *s, *n, *l, *e;
    static const double nums[] = { 0, 0, 125, -3, 100, 65535, 0.01, 123456789012345678.0 };
    static const enum moo_json_type types[] = { MOO_JSON_TRUE, MOO_JSON_FALSE, MOO_JSON_NULL, MOO_JSON_OBJECT,
                                                MOO_JSON_ARRAY };
    int64_t iv;
    int i = 0;

    ck_assert_msg(d != NULL, "%s", err);
    root = moo_json_root(d);
    ck_assert_int_eq(root->type, MOO_JSON_OBJECT);
    ck_assert_uint_eq(root->count, 4);
    s = moo_json_object_get(root, "s");
    ck_assert_str_eq(s->str, "a\"b\\c/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xc3\xa9");
    n = moo_json_object_get(root, "n");
    ck_assert_uint_eq(n->count, 8);
    for (e = moo_json_child(n, NULL); e; e = moo_json_child(n, e), i++)
        ck_assert_double_eq(e->number, nums[i]);
    ck_assert_int_eq(i, 8);
    ck_assert(moo_json_get_int(moo_json_child(n, moo_json_child(n, moo_json_child(n, NULL))), &iv));
    ck_assert_int_eq(iv, 125);
    ck_assert(!moo_json_get_int(moo_json_child(n, NULL) + 6, &iv));      /* 0.01 */
    ck_assert(!moo_json_get_int(moo_json_child(n, NULL) + 7, &iv));      /* > 2^53 */
    l = moo_json_object_get(root, "l");
    i = 0;
    for (e = moo_json_child(l, NULL); e; e = moo_json_child(l, e))
        ck_assert_int_eq(e->type, types[i++]);
    ck_assert_int_eq(i, 5);
    ck_assert_uint_eq(moo_json_object_get(root, "z")->len, 3);
    ck_assert(!moo_json_string_is(moo_json_object_get(root, "z"), "a"));
    ck_assert_ptr_null(moo_json_object_get(root, "missing"));
    moo_json_free(d);
}
END_TEST

static const char *const bad_json[] = {
    "", "   ", "{", "[1,2", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "\"abc", "\"\\x\"", "\"\\u12G4\"",
    "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\udc00\"", "\"tab\there\"", "01", "1.", ".5", "-",
    "1e", "+1", "tru", "nul", "{} x", "[] []", "\"\xff\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xe2\x82\"",
    "{\"a\":1,\"a\":2}", "1e999", "NaN", "'a'", "\xef\xbb\xbf{}", "[1 2]", "{\"a\":1 \"b\":2}", "{\"a\"}",
    "[\"\\", "{\"x\": [1, 2}",
};

START_TEST(test_json_malformed)
{
    const char *text = bad_json[_i];
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);    /* exact size for ASan */
    char err[200] = "";
    memcpy(copy, text, len);
    ck_assert_msg(moo_json_parse(copy, len, err, sizeof err) == NULL, "accepted '%s'", text);
    ck_assert_msg(strncmp(err, "line ", 5) == 0, "'%s': '%s'", text, err);
    free(copy);
}
END_TEST

START_TEST(test_json_limits)
{
    char buf[300], err[200];
    struct moo_json_doc *d;
    int i;
    /* embedded NUL outside a string; message position */
    ck_assert_ptr_null(moo_json_parse("[1\0]", 4, err, sizeof err));
    ck_assert_ptr_null(moo_json_parse("{\n  \"a\": tru\n}", 14, err, sizeof err));
    ck_assert_msg(strncmp(err, "line 2, column 8:", 17) == 0, "%s", err);
    /* MOO_JSON_MAX_DEPTH containers nest, one more does not */
    for (i = 0; i < MOO_JSON_MAX_DEPTH; i++) {
        buf[i] = '[';
        buf[MOO_JSON_MAX_DEPTH * 2 - 1 - i] = ']';
    }
    d = moo_json_parse(buf, MOO_JSON_MAX_DEPTH * 2, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    moo_json_free(d);
    memmove(buf + 1, buf, MOO_JSON_MAX_DEPTH * 2);
    buf[MOO_JSON_MAX_DEPTH * 2 + 1] = ']';
    ck_assert_ptr_null(moo_json_parse(buf, MOO_JSON_MAX_DEPTH * 2 + 2, err, sizeof err));
    ck_assert_msg(strstr(err, "nesting") != NULL, "%s", err);
}
END_TEST

/* ---- metadata ---- */

static const char meta_small[] =
    "{\"version\": \"1.0.0\", \"opcodes\": {\n"
    "  \"00\": {\"status\": \"normal\", \"arch\": \"86\"},\n"
    "  \"08\": {\"status\": \"normal\", \"flags\": \".....a..\", \"flags-mask\": 65519},\n"
    "  \"d8\": {\"status\": \"fpu\"},\n"
    "  \"0F01\": {\"whatever\": 1},\n"
    "  \"F6\": {\"reg\": {\"0\": {\"status\": \"normal\"}, \"1\": {\"status\": \"alias\"},\n"
    "                   \"4\": {\"status\": \"normal\", \"flags-mask\": 65323}}}\n"
    "}}";

static struct moo_meta *meta_from_file(const char *text, char *err, size_t n, char *path_out, size_t pn)
{
    char dir[256], path[300];
    struct moo_meta *m;
    tmpdir_make(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/metadata.json", dir);
    write_file(path, text, strlen(text), false);
    m = moo_meta_load(path, err, n);
    unlink(path);
    rmdir(dir);
    if (path_out)
        snprintf(path_out, pn, "%s", path);
    return m;
}

START_TEST(test_meta_small)
{
    static const struct { unsigned op; int ext; bool ok; const char *status; uint16_t mask; } cases[] = {
        { 0x00, -1, true, "normal", 0xFFFF }, { 0x08, -1, true, "normal", 65519 }, { 0xD8, -1, true, "fpu", 0xFFFF },
        { 0xF6, 4, true, "normal", 0xFF2B },  { 0xF6, 1, true, "alias", 0xFFFF },
        { 0xF6, -1, false, NULL, 0 },   /* group opcode without ext */
        { 0xF6, 2, false, NULL, 0 },    /* ext not listed */
        { 0x00, 0, false, NULL, 0 },    /* non-group opcode with ext */
        { 0x01, -1, false, NULL, 0 },   { 0x100, -1, false, NULL, 0 }, { 0xF6, 8, false, NULL, 0 },
        { 0xF6, -2, false, NULL, 0 },
    };
    char err[300];
    struct moo_meta *m = meta_from_file(meta_small, err, sizeof err, NULL, 0);
    ck_assert_msg(m != NULL, "%s", err);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *st = NULL;
        uint16_t mask = 0;
        ck_assert_msg(moo_meta_lookup(m, cases[i].op, cases[i].ext, &st, &mask) == cases[i].ok, "case %zu", i);
        if (cases[i].ok) {
            ck_assert_str_eq(st, cases[i].status);
            ck_assert_uint_eq(mask, cases[i].mask);
        }
    }
    ck_assert(moo_meta_lookup(m, 0xD8, -1, NULL, NULL));
    ck_assert(!moo_meta_lookup(NULL, 0, -1, NULL, NULL));
    moo_meta_free(m);
    moo_meta_free(NULL);
}
END_TEST

static const struct { const char *text; const char *expect; } bad_meta[] = {
    { "{\"opcodes\": {\"00\": {\"status\": \"normal\"}", "invalid JSON: line 1, column 40: unexpected end of input" },
    { "{\"opcodes\": {\"00\": {\"status\": \"nor\\qmal\"}}}", "invalid JSON: line 1, column 35: invalid escape" },
    { "{\"opcodes\": {}} x", "invalid JSON: line 1, column 17: unexpected data" },
    { "[]", "top level is not an object" },
    { "{\"opcode\": {}}", "missing or non-object \"opcodes\"" },
    { "{\"opcodes\": {\"00\": {\"arch\": \"86\"}}}", "opcodes.00: missing or non-string \"status\"" },
    { "{\"opcodes\": {\"00\": {\"status\": \"x\", \"flags-mask\": 70000}}}", "flags-mask\" 70000 is not an integer" },
    { "{\"opcodes\": {\"00\": {\"status\": \"x\", \"flags-mask\": 1.5}}}", "flags-mask\" 1.5 is not" },
    { "{\"opcodes\": {\"00\": {\"status\": \"x\", \"flags-mask\": \"1\"}}}", "flags-mask\" is not a number" },
    { "{\"opcodes\": {\"F6\": {\"reg\": {\"8\": {\"status\": \"x\"}}}}}", "key \"8\" is not a ModR/M" },
    { "{\"opcodes\": {\"F6\": {\"reg\": []}}}", "opcodes.F6.reg is not an object" },
    { "{\"opcodes\": {\"f6\": {\"status\": \"x\"}, \"F6\": {\"status\": \"x\"}}}", "opcode F6 appears twice" },
    { "{\"opcodes\": {\"00\": 1}}", "opcodes.00 is not an object" },
};

START_TEST(test_meta_malformed)
{
    char err[300], path[300];
    ck_assert_ptr_null(meta_from_file(bad_meta[_i].text, err, sizeof err, path, sizeof path));
    ck_assert_msg(strstr(err, path) == err && strstr(err, bad_meta[_i].expect), "got '%s', want '%s'", err,
                  bad_meta[_i].expect);
    ck_assert_ptr_null(moo_meta_parse(bad_meta[_i].text, strlen(bad_meta[_i].text), err, sizeof err));
    ck_assert_msg(strncmp(err, "<memory>: ", 10) == 0, "%s", err);
}
END_TEST

START_TEST(test_meta_missing_and_real)
{
    char dir[512], path[600], err[600];
    struct moo_meta *m;
    const char *st;
    uint16_t mask;

    ck_assert_ptr_null(moo_meta_load("/nonexistent/ringzero/metadata.json", err, sizeof err));
    ck_assert_msg(strstr(err, "/nonexistent/ringzero/metadata.json: cannot open") == err, "%s", err);
    vectors_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/metadata.json", dir);
    if (access(path, R_OK) != 0) {
        printf("test_meta_missing_and_real: skipped: vectors not found at %s\n", path);
        return;
    }
    m = moo_meta_load(path, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    ck_assert(moo_meta_lookup(m, 0xF6, 4, &st, &mask));
    ck_assert_str_eq(st, "normal");
    ck_assert_uint_eq(mask, 65323);
    ck_assert(moo_meta_lookup(m, 0x00, -1, &st, &mask));
    ck_assert_str_eq(st, "normal");
    ck_assert_uint_eq(mask, 0xFFFF);
    ck_assert(!moo_meta_lookup(m, 0xF6, -1, &st, &mask));
    ck_assert(moo_meta_lookup(m, 0xD8, -1, &st, &mask));
    ck_assert_str_eq(st, "fpu");
    moo_meta_free(m);
}
END_TEST

static TCase *add_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return tc;
}

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    Suite *s = suite_create("moo");
    TCase *tc = add_tcase(s, "parse");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_parse_fields, 0, 2);
    tcase_add_test(tc, test_truncated_every_length);
    tcase_add_loop_test(tc, test_corrupt, 0, N_OF(corrupt_cases));
    tcase_add_test(tc, test_name_parse);
    tc = add_tcase(s, "files");
    tcase_add_test(tc, test_load_gz);
    tcase_add_test(tc, test_real_vectors);
    tc = add_tcase(s, "json");
    tcase_add_test(tc, test_json_valid);
    tcase_add_loop_test(tc, test_json_malformed, 0, N_OF(bad_json));
    tcase_add_test(tc, test_json_limits);
    tc = add_tcase(s, "meta");
    tcase_add_test(tc, test_meta_small);
    tcase_add_loop_test(tc, test_meta_malformed, 0, N_OF(bad_meta));
    tcase_add_test(tc, test_meta_missing_and_real);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
