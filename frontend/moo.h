/* moo.h - reader for SingleStepTests MOO files (chunked binary CPU tests, see
 * conformance/singlestep/80286/README.md).  Only the parts a test runner needs
 * are kept: header, META, and per test NAME, BYTS, INIT, FINA, EXCP, HASH.
 * Unknown chunks and subchunks (GMET, CYCL, QUEU, RMSK, ...) are skipped. */
#ifndef RINGZERO_FRONTEND_MOO_H
#define RINGZERO_FRONTEND_MOO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register order of the REGS bitmask (bit i <-> regs[i]). */
enum { MOO_AX, MOO_BX, MOO_CX, MOO_DX, MOO_CS, MOO_SS, MOO_DS, MOO_ES, MOO_SP, MOO_BP, MOO_SI, MOO_DI, MOO_IP, MOO_FLAGS, MOO_NREGS };

/* Largest decompressed file moo_file_load accepts (guards against gzip bombs). */
#define MOO_MAX_FILE_SIZE ((size_t)512 << 20)

struct moo_ram_byte { uint32_t addr; uint8_t value; };

struct moo_state {
    uint16_t reg_mask;              /* bit i set: regs[i] present; bits 14-15 are never set */
    uint16_t regs[MOO_NREGS];       /* registers not in reg_mask are 0 */
    struct moo_ram_byte *ram; uint32_t ram_count;   /* ram is NULL when ram_count is 0 */
};

struct moo_test {
    uint32_t index;
    char *name;                     /* NUL-terminated disassembly */
    uint8_t *bytes; uint32_t byte_count;
    struct moo_state init, final;   /* final: FINA, only changed registers/bytes */
    bool has_exception; uint8_t exception_vector; uint32_t exception_flags_addr;
    uint8_t hash[20];
};

struct moo_file {
    char cpu_id[5];                 /* e.g. "C286", NUL-terminated, padding kept */
    uint8_t major, minor;           /* MOO format version from the header */
    uint32_t opcode; char mnemonic[9];  /* from META; trailing spaces removed.
                                       Without META: opcode 0xFFFFFFFF, mnemonic "" */
    uint32_t test_count;
    struct moo_test *tests;
};

/* Reads a gzip-compressed (or plain) MOO file.  Returns 0 on success; on
 * failure returns -1, leaves *out empty and writes a one-line message naming
 * the file and the problem into err (if err != NULL && err_len > 0). */
int moo_file_load(const char *path, struct moo_file *out, char *err, size_t err_len);

/* Same, from an uncompressed image in memory.  Messages start with "<memory>". */
int moo_file_parse(const uint8_t *data, size_t len, struct moo_file *out, char *err, size_t err_len);

/* Reads a whole gzip or plain file into a malloc'd buffer (*data, *len; the
 * caller frees *data), refusing more than max bytes.  Returns 0, or -1 with a
 * message naming the file.  Used by moo_file_load and moo_meta_load. */
int moo_read_file(const char *path, size_t max, uint8_t **data, size_t *len, char *err, size_t err_len);

/* Frees everything in *f and zeroes it.  Safe on a zeroed or already freed file. */
void moo_file_free(struct moo_file *f);

/* "AA.MOO.gz" -> opcode 0xAA, ext -1; "F6.3.MOO.gz" -> 0xF6, ext 3 (0..7).
 * Hex digits may be upper or lower case; a plain ".MOO" suffix is accepted too.
 * Directories before the name are ignored.  Returns false for other names.
 * opcode and ext may be NULL. */
bool moo_name_parse(const char *path, unsigned *opcode, int *ext);

#endif
