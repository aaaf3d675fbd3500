/* moo_meta.h - lookup in a SingleStepTests metadata.json: the status and
 * undefined-flags mask for each opcode ("00".."FF") and, for group opcodes,
 * each ModR/M reg extension ("reg": {"0".."7"}).  Built on json_min. */
#ifndef RINGZERO_FRONTEND_MOO_META_H
#define RINGZERO_FRONTEND_MOO_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct moo_meta;   /* opaque */

/* Reads metadata.json (plain or gzip).  NULL on error, with a one-line
 * message naming the file in err. */
struct moo_meta *moo_meta_load(const char *path, char *err, size_t err_len);
/* Same, from text in memory.  Messages start with "<memory>". */
struct moo_meta *moo_meta_parse(const char *text, size_t len, char *err, size_t err_len);
void moo_meta_free(struct moo_meta *m);

/* Looks up opcode (0..255) and ModR/M extension (-1 if none; 0..7); returns
 * false if absent.  *status points into m ("normal", "undocumented", "fpu",
 * "prefix", "alias", "undefined", ...); *flags_mask is 0xFFFF when the entry
 * has none.  A group opcode looked up with ext -1, or a non-group one with
 * ext >= 0, gives false.  status and flags_mask may be NULL. */
bool moo_meta_lookup(const struct moo_meta *m, unsigned opcode, int ext, const char **status, uint16_t *flags_mask);

#endif
