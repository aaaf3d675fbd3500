/* json_min.h - a tiny, strict RFC 8259 JSON parser.  The whole document is
 * parsed into one flat array of nodes (pre-order); strings are unescaped in
 * place in a private copy of the text.  Three allocations per document plus
 * growth of the node array.  Duplicate object keys are rejected. */
#ifndef RINGZERO_FRONTEND_JSON_MIN_H
#define RINGZERO_FRONTEND_JSON_MIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOO_JSON_MAX_DEPTH 64

enum moo_json_type {
    MOO_JSON_NULL, MOO_JSON_FALSE, MOO_JSON_TRUE, MOO_JSON_NUMBER,
    MOO_JSON_STRING, MOO_JSON_ARRAY, MOO_JSON_OBJECT
};

struct moo_json_value {
    enum moo_json_type type;
    uint32_t count;     /* array: elements; object: members; else 0 */
    uint32_t span;      /* nodes in this subtree including itself */
    const char *str;    /* string: decoded UTF-8, NUL-terminated;
                           number: its source text (not NUL-terminated) */
    size_t len;         /* length of str in bytes (a string may hold \u0000) */
    double number;      /* number: its value */
};

struct moo_json_doc;

/* Parses text[0..len).  Returns NULL on error and writes "line L, column C:
 * what" into err (if err != NULL && err_len > 0). */
struct moo_json_doc *moo_json_parse(const char *text, size_t len, char *err, size_t err_len);
void moo_json_free(struct moo_json_doc *doc);

const struct moo_json_value *moo_json_root(const struct moo_json_doc *doc);

/* Child nodes of an array or object in order: pass prev == NULL for the first.
 * For objects, keys and values alternate.  Returns NULL after the last one
 * or when v is not a container. */
const struct moo_json_value *moo_json_child(const struct moo_json_value *v, const struct moo_json_value *prev);

/* Member value of an object by key (exact byte compare), or NULL. */
const struct moo_json_value *moo_json_object_get(const struct moo_json_value *obj, const char *key);

/* True if v is a number with an integral value in [-2^53, 2^53]. */
bool moo_json_get_int(const struct moo_json_value *v, int64_t *out);

/* True if v is a string equal to s (no embedded NULs). */
bool moo_json_string_is(const struct moo_json_value *v, const char *s);

#endif
