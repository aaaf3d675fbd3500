/* json_min.c - a tiny, strict RFC 8259 JSON parser (see json_min.h).
 * Rejects: trailing commas, leading zeros, bare control characters and
 * invalid UTF-8 in strings, bad escapes, lone surrogates, duplicate keys,
 * anything after the top-level value, nesting deeper than MOO_JSON_MAX_DEPTH.
 * Non-integral numbers are converted with strtod (C locale assumed). */
#include "json_min.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct moo_json_doc {
    struct moo_json_value *nodes;
    size_t count;
    char buf[];             /* private copy of the text; strings decoded in place */
};

struct moo_json_parser {
    const char *text;       /* the caller's text, for line/column in messages */
    char *buf;
    size_t len, pos;
    struct moo_json_value *nodes;
    size_t count, cap;
    char *err;
    size_t err_len;
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static bool moo_json_fail(struct moo_json_parser *p, size_t at, const char *fmt, ...)
{
    char msg[160];
    size_t line = 1, col = 1;
    va_list ap;

    if (!p->err || p->err_len == 0)
        return false;
    for (size_t i = 0; i < at && i < p->len; i++) {
        if (p->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->err_len, "line %zu, column %zu: %s", line, col, msg);
    return false;
}

static bool moo_json_unexpected(struct moo_json_parser *p, const char *expected)
{
    unsigned char ch;

    if (p->pos >= p->len)
        return moo_json_fail(p, p->pos, "unexpected end of input, expected %s", expected);
    ch = (unsigned char)p->buf[p->pos];
    if (ch > 0x20 && ch < 0x7F)
        return moo_json_fail(p, p->pos, "unexpected '%c', expected %s", ch, expected);
    return moo_json_fail(p, p->pos, "unexpected byte 0x%02x, expected %s", ch, expected);
}

static void moo_json_skip_ws(struct moo_json_parser *p)
{
    while (p->pos < p->len) {
        char ch = p->buf[p->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            break;
        p->pos++;
    }
}

/* Appends a node; returns its index, or SIZE_MAX when out of memory. */
static size_t moo_json_push(struct moo_json_parser *p, enum moo_json_type type)
{
    if (p->count == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 64;
        struct moo_json_value *n;
        if (ncap > UINT32_MAX || !(n = realloc(p->nodes, ncap * sizeof *n))) {
            moo_json_fail(p, p->pos, "out of memory");
            return SIZE_MAX;
        }
        p->nodes = n;
        p->cap = ncap;
    }
    memset(&p->nodes[p->count], 0, sizeof p->nodes[0]);
    p->nodes[p->count].type = type;
    return p->count++;
}

static int moo_json_hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = s[i];
        int d;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            d = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            d = ch - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t moo_json_utf8_len(const unsigned char *s, size_t n)
{
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;

    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        need = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        need = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if (s[0] == 0xE0)
        lo = 0xA0;          /* overlong */
    else if (s[0] == 0xED)
        hi = 0x9F;          /* UTF-16 surrogates */
    else if (s[0] == 0xF0)
        lo = 0x90;          /* overlong */
    else if (s[0] == 0xF4)
        hi = 0x8F;          /* above U+10FFFF */
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

/* Writes code point cp as UTF-8 at out; returns the byte count. */
static size_t moo_json_put_utf8(char *out, unsigned long cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX (and a following low surrogate) at buf[*r], *r at the 'u'. */
static bool moo_json_unicode_escape(struct moo_json_parser *p, size_t *r, unsigned long *cp)
{
    size_t at = *r - 1;
    int v = *r + 5 <= p->len ? moo_json_hex4(p->buf + *r + 1) : -1;

    if (v < 0)
        return moo_json_fail(p, at, "\\u escape needs four hex digits");
    *r += 5;
    if (v >= 0xDC00 && v <= 0xDFFF)
        return moo_json_fail(p, at, "lone low surrogate \\u%04X", (unsigned)v);
    if (v >= 0xD800 && v <= 0xDBFF) {
        int lo = -1;
        if (*r + 6 <= p->len && p->buf[*r] == '\\' && p->buf[*r + 1] == 'u')
            lo = moo_json_hex4(p->buf + *r + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return moo_json_fail(p, at, "high surrogate \\u%04X not followed by a low surrogate", (unsigned)v);
        *r += 6;
        *cp = 0x10000 + (((unsigned long)v - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
        return true;
    }
    *cp = (unsigned long)v;
    return true;
}

/* A string at buf[pos] == '"'.  Decodes in place: the output never
 * overtakes the input, and the closing quote's slot takes the NUL. */
static bool moo_json_string(struct moo_json_parser *p, size_t node)
{
    size_t start = p->pos + 1, r = start, w = start;

    for (;;) {
        unsigned char ch;
        if (r >= p->len)
            return moo_json_fail(p, p->pos, "unterminated string");
        ch = (unsigned char)p->buf[r];
        if (ch == '"')
            break;
        if (ch < 0x20)
            return moo_json_fail(p, r, "control character 0x%02x in string", ch);
        if (ch == '\\') {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *e = r + 1 < p->len ? strchr(from, p->buf[r + 1]) : NULL;
            unsigned long cp = 0;
            if (r + 1 < p->len && p->buf[r + 1] == 'u') {
                r++;
                if (!moo_json_unicode_escape(p, &r, &cp))
                    return false;
                w += moo_json_put_utf8(p->buf + w, cp);
            } else if (e && *e) {
                p->buf[w++] = to[e - from];
                r += 2;
            } else {
                return moo_json_fail(p, r, "invalid escape in string");
            }
        } else if (ch >= 0x80) {
            size_t n = moo_json_utf8_len((const unsigned char *)p->buf + r, p->len - r);
            if (n == 0)
                return moo_json_fail(p, r, "invalid UTF-8 in string");
            memmove(p->buf + w, p->buf + r, n);
            w += n;
            r += n;
        } else {
            p->buf[w++] = (char)ch;
            r++;
        }
    }
    p->buf[w] = '\0';
    p->nodes[node].str = p->buf + start;
    p->nodes[node].len = w - start;
    p->pos = r + 1;
    return true;
}

static bool moo_json_digits(struct moo_json_parser *p)
{
    size_t from = p->pos;
    while (p->pos < p->len && p->buf[p->pos] >= '0' && p->buf[p->pos] <= '9')
        p->pos++;
    return p->pos > from;
}

static bool moo_json_number(struct moo_json_parser *p, size_t node)
{
    size_t start = p->pos;
    bool integral = true;
    char saved, *end;
    double v;

    if (p->buf[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && p->buf[p->pos] == '0')
        p->pos++;
    else if (!moo_json_digits(p))
        return moo_json_fail(p, p->pos, "expected a digit");
    if (p->pos < p->len && p->buf[p->pos] == '.') {
        integral = false;
        p->pos++;
        if (!moo_json_digits(p))
            return moo_json_fail(p, p->pos, "expected a digit after '.'");
    }
    if (p->pos < p->len && (p->buf[p->pos] == 'e' || p->buf[p->pos] == 'E')) {
        integral = false;
        p->pos++;
        if (p->pos < p->len && (p->buf[p->pos] == '+' || p->buf[p->pos] == '-'))
            p->pos++;
        if (!moo_json_digits(p))
            return moo_json_fail(p, p->pos, "expected a digit in the exponent");
    }
    if (integral && p->pos - start - (p->buf[start] == '-') <= 15) {
        /* up to 15 digits: below 2^53, so exact without strtod */
        size_t i = start + (p->buf[start] == '-');
        double acc = 0;
        for (; i < p->pos; i++)
            acc = acc * 10 + (p->buf[i] - '0');
        v = p->buf[start] == '-' ? -acc : acc;
    } else {
        saved = p->buf[p->pos];
        p->buf[p->pos] = '\0';      /* buf has one spare byte at len */
        v = strtod(p->buf + start, &end);
        p->buf[p->pos] = saved;
        if (end != p->buf + p->pos)
            return moo_json_fail(p, start, "cannot convert number (locale?)");
        if (v - v != 0)
            return moo_json_fail(p, start, "number out of range");
    }
    p->nodes[node].str = p->buf + start;
    p->nodes[node].len = p->pos - start;
    p->nodes[node].number = v;
    return true;
}

static bool moo_json_value(struct moo_json_parser *p, int depth);

static bool moo_json_same_key(const struct moo_json_value *a, const struct moo_json_value *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* Members or elements after '{' or '['. */
static bool moo_json_container(struct moo_json_parser *p, size_t node, int depth)
{
    bool is_obj = p->nodes[node].type == MOO_JSON_OBJECT;
    char close = is_obj ? '}' : ']';

    p->pos++;
    moo_json_skip_ws(p);
    if (p->pos < p->len && p->buf[p->pos] == close) {
        p->pos++;
        return true;
    }
    for (;;) {
        if (is_obj) {
            size_t key_at = p->pos, key;
            if (p->pos >= p->len || p->buf[p->pos] != '"')
                return moo_json_unexpected(p, "a string key");
            if ((key = moo_json_push(p, MOO_JSON_STRING)) == SIZE_MAX || !moo_json_string(p, key))
                return false;
            p->nodes[key].span = 1;
            for (size_t k = node + 1; k < key; k += 1 + p->nodes[k + 1].span)
                if (moo_json_same_key(&p->nodes[k], &p->nodes[key]))
                    return moo_json_fail(p, key_at, "duplicate key \"%.40s\"", p->nodes[key].str);
            moo_json_skip_ws(p);
            if (p->pos >= p->len || p->buf[p->pos] != ':')
                return moo_json_unexpected(p, "':'");
            p->pos++;
            moo_json_skip_ws(p);
        }
        if (!moo_json_value(p, depth + 1))
            return false;
        p->nodes[node].count++;
        moo_json_skip_ws(p);
        if (p->pos < p->len && p->buf[p->pos] == ',') {
            p->pos++;
            moo_json_skip_ws(p);
            continue;
        }
        if (p->pos < p->len && p->buf[p->pos] == close) {
            p->pos++;
            return true;
        }
        return moo_json_unexpected(p, is_obj ? "',' or '}'" : "',' or ']'");
    }
}

static bool moo_json_literal(struct moo_json_parser *p, const char *word, enum moo_json_type type)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->buf + p->pos, word, n) != 0)
        return moo_json_unexpected(p, "a value");
    if (moo_json_push(p, type) == SIZE_MAX)
        return false;
    p->nodes[p->count - 1].span = 1;
    p->pos += n;
    return true;
}

static bool moo_json_value(struct moo_json_parser *p, int depth)
{
    size_t node;
    char ch;
    bool ok;

    if (p->pos >= p->len)
        return moo_json_unexpected(p, "a value");
    ch = p->buf[p->pos];
    if ((ch == '{' || ch == '[') && depth > MOO_JSON_MAX_DEPTH)
        return moo_json_fail(p, p->pos, "nesting deeper than %d", MOO_JSON_MAX_DEPTH);
    switch (ch) {
    case 't': return moo_json_literal(p, "true", MOO_JSON_TRUE);
    case 'f': return moo_json_literal(p, "false", MOO_JSON_FALSE);
    case 'n': return moo_json_literal(p, "null", MOO_JSON_NULL);
    case '{': case '[': case '"':
        break;
    default:
        if (ch != '-' && (ch < '0' || ch > '9'))
            return moo_json_unexpected(p, "a value");
        break;
    }
    node = moo_json_push(p, ch == '{' ? MOO_JSON_OBJECT : ch == '[' ? MOO_JSON_ARRAY
                          : ch == '"' ? MOO_JSON_STRING : MOO_JSON_NUMBER);
    if (node == SIZE_MAX)
        return false;
    if (ch == '{' || ch == '[')
        ok = moo_json_container(p, node, depth);
    else if (ch == '"')
        ok = moo_json_string(p, node);
    else
        ok = moo_json_number(p, node);
    p->nodes[node].span = (uint32_t)(p->count - node);
    return ok;
}

struct moo_json_doc *moo_json_parse(const char *text, size_t len, char *err, size_t err_len)
{
    struct moo_json_parser p = { .text = text, .len = len, .err = err, .err_len = err_len };
    struct moo_json_doc *doc;

    if (err && err_len)
        err[0] = '\0';
    if (!text || len > UINT32_MAX) {
        moo_json_fail(&p, 0, "no text or text too long");
        return NULL;
    }
    doc = malloc(sizeof *doc + len + 1);
    if (!doc) {
        moo_json_fail(&p, 0, "out of memory");
        return NULL;
    }
    memcpy(doc->buf, text, len);
    doc->buf[len] = '\0';
    p.buf = doc->buf;
    moo_json_skip_ws(&p);
    if (moo_json_value(&p, 1)) {
        moo_json_skip_ws(&p);
        if (p.pos == p.len) {
            doc->nodes = p.nodes;
            doc->count = p.count;
            return doc;
        }
        moo_json_fail(&p, p.pos, "unexpected data after the JSON value");
    }
    free(p.nodes);
    free(doc);
    return NULL;
}

void moo_json_free(struct moo_json_doc *doc)
{
    if (!doc)
        return;
    free(doc->nodes);
    free(doc);
}

const struct moo_json_value *moo_json_root(const struct moo_json_doc *doc)
{
    return doc && doc->count ? &doc->nodes[0] : NULL;
}

const struct moo_json_value *moo_json_child(const struct moo_json_value *v, const struct moo_json_value *prev)
{
    const struct moo_json_value *next;

    if (!v || (v->type != MOO_JSON_ARRAY && v->type != MOO_JSON_OBJECT))
        return NULL;
    next = prev ? prev + prev->span : v + 1;
    return next < v + v->span ? next : NULL;
}

const struct moo_json_value *moo_json_object_get(const struct moo_json_value *obj, const char *key)
{
    size_t n = key ? strlen(key) : 0;

    if (!obj || obj->type != MOO_JSON_OBJECT || !key)
        return NULL;
    for (const struct moo_json_value *k = moo_json_child(obj, NULL); k; k = moo_json_child(obj, k + 1))
        if (k->len == n && memcmp(k->str, key, n) == 0)
            return k + 1;
    return NULL;
}

bool moo_json_get_int(const struct moo_json_value *v, int64_t *out)
{
    const double lim = 9007199254740992.0;     /* 2^53 */

    if (!v || v->type != MOO_JSON_NUMBER || !(v->number >= -lim && v->number <= lim))
        return false;
    if ((double)(int64_t)v->number != v->number)
        return false;
    if (out)
        *out = (int64_t)v->number;
    return true;
}

bool moo_json_string_is(const struct moo_json_value *v, const char *s)
{
    return v && s && v->type == MOO_JSON_STRING && v->len == strlen(s) && memcmp(v->str, s, v->len) == 0;
}
