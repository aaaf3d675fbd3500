/* Decoder interface: how instruction-group files declare their opcodes.
 *
 * Each group file (alu.c, string.c, ...) exports a table of `struct opdef`
 * naming, per opcode (and ModR/M.reg extension for groups), the operand
 * encoding and a handler set.  A handler set holds one handler per operand
 * size and register/memory form, so the decoder picks straight-line code
 * once and the handler never switches on size at run time. */
#ifndef RINGZERO_CPU_DECODE_H
#define RINGZERO_CPU_DECODE_H

#include "cpu_state.h"

struct hset {
    insn_fn r[4]; /* register form, by log2(operand size): 8, 16, 32, 64 bits */
    insn_fn m[4]; /* memory form */
};

/* Operand-encoding attributes (SDM vol. 2 App. A notation in comments). */
enum {
    OA_MODRM   = 1u << 0,  /* has a ModR/M byte */
    OA_BYTE    = 1u << 1,  /* operand size is 8 bits (Eb, Gb) */
    OA_RM8     = 1u << 2,  /* only the r/m operand is a byte register (MOVZX Gv,Eb) */
    OA_LOCK    = 1u << 3,  /* LOCK allowed with a memory destination */
    OA_NO64    = 1u << 4,  /* invalid in 64-bit mode */
    OA_DEF64   = 1u << 5,  /* defaults to 64-bit operand size in 64-bit mode */
    OA_386     = 1u << 6,  /* not on the 80286 model */
    OA_MEMONLY = 1u << 7,  /* register form is #UD (LEA, LES, BOUND...) */
    OA_REGONLY = 1u << 8,  /* ModR/M always names a register (MOV CRn) */
    OA_GROUP   = 1u << 9,  /* map entry: handler chosen by ModR/M.reg (internal) */
    OA_REP_OK  = 1u << 10, /* string instruction: REP prefixes are meaningful */
    OA_SEG_ALL = 1u << 11, /* ModR/M.reg names a segment register */
    /* bits 12-15: immediate kind (OA_IMM) */
    OA_PFX     = 1u << 16, /* SSE-style: the handler is picked by the mandatory prefix (none, 66, F3, F2;
                              hset index 0-3) instead of the operand size; osize is 8 with REX.W, else 4 */
    OA_F64     = 1u << 17, /* 64-bit operand size in 64-bit mode whatever the 66h prefix (near branches) */
    OA_ONLY64  = 1u << 18, /* one-byte opcode's meaning in 64-bit mode (MOVSXD for 63: ARPL elsewhere) */
};
#define OA_IMM_SHIFT 12
enum {
    IMM_NONE = 0,
    IMM_8,      /* Ib, zero-extended */
    IMM_8S,     /* Ib, sign-extended */
    IMM_V,      /* Iz: 16 or 32 bits by operand size, sign-extended to 64 */
    IMM_16,     /* Iw */
    IMM_FULL,   /* Iv: 16, 32 or 64 bits (MOV r,imm) */
    IMM_ENTER,  /* Iw then Ib (in imm2) */
    IMM_FAR,    /* Ap: offset by operand size, then a 16-bit selector (in imm2) */
    IMM_MOFFS,  /* Ob/Ov: an offset of address size, stored as disp */
    IMM_REL8,   /* Jb */
    IMM_RELV,   /* Jz */
};
#define OA_IMM(k) ((unsigned)(k) << OA_IMM_SHIFT)

/* Opcode numbering: 0x00-0xFF one-byte map, 0x0F00-0x0FFF two-byte map (0F xx),
 * 0x3800-0x38FF three-byte map 0F 38 xx, 0x3A00-0x3AFF three-byte map 0F 3A xx. */
#define OPC_0F38(x) (0x3800 | (x))
#define OPC_0F3A(x) (0x3A00 | (x))

struct opdef {
    uint16_t opcode;   /* see "Opcode numbering" */
    int8_t ext;        /* ModR/M.reg for group members, -1 otherwise */
    uint32_t attr;
    const struct hset *hs;
};

struct dec_entry {
    uint32_t attr;
    const struct hset *hs;
};

#define DEC_MAP_SIZE 1024 /* one-byte opcodes, then 0F xx, 0F 38 xx, 0F 3A xx */
struct decoder_tables {
    struct dec_entry map[DEC_MAP_SIZE];
    struct dec_entry grp[DEC_MAP_SIZE][8];  /* group members by ModR/M.reg */
    struct dec_entry map64[256];            /* OA_ONLY64 one-byte opcodes, used in 64-bit mode */
};

int decoder_tables_init(struct decoder_tables *t, char *err, size_t err_len);

/* Decode the instruction at CS:rip into *out; raises #GP/#UD/#PF through cpu_raise.
 * Returns the physical address of its first byte; *cacheable is false when the
 * bytes cross a page or come from MMIO. */
uint64_t decode_insn(struct cpu *c, struct insn *out, bool *cacheable);

/* The per-file opcode tables (NULL-handler terminated). */
extern const struct opdef alu_opdefs[], mov_opdefs[], stack_opdefs[], branch_opdefs[], string_opdefs[],
    shift_opdefs[], muldiv_opdefs[], bcd_opdefs[], bitops_opdefs[], misc_opdefs[], system_opdefs[],
    desc_opdefs[], sysenter_opdefs[], x87_opdefs[], long_mode_opdefs[];
extern const struct opdef sse_ctl_opdefs[], sse_mov_opdefs[], sse_int_opdefs[], sse_shuf_opdefs[], sse_ext_opdefs[];
extern const struct opdef sse_fp_opdefs[], sse_cvt_opdefs[], sse42_opdefs[];

/* Handler-set generators. IMPL is `static inline void IMPL(struct cpu *, const struct insn *, unsigned size, bool mem)`;
 * the wrappers pass constants so the compiler specialises each one. */
#define HSET_RM(name)                                                                                        \
    static void name##_r1(struct cpu *c, const struct insn *i) { name(c, i, 1, false); }                    \
    static void name##_r2(struct cpu *c, const struct insn *i) { name(c, i, 2, false); }                    \
    static void name##_r4(struct cpu *c, const struct insn *i) { name(c, i, 4, false); }                    \
    static void name##_r8(struct cpu *c, const struct insn *i) { name(c, i, 8, false); }                    \
    static void name##_m1(struct cpu *c, const struct insn *i) { name(c, i, 1, true); }                     \
    static void name##_m2(struct cpu *c, const struct insn *i) { name(c, i, 2, true); }                     \
    static void name##_m4(struct cpu *c, const struct insn *i) { name(c, i, 4, true); }                     \
    static void name##_m8(struct cpu *c, const struct insn *i) { name(c, i, 8, true); }                     \
    static const struct hset hs_##name = {                                                                   \
        .r = {name##_r1, name##_r2, name##_r4, name##_r8}, .m = {name##_m1, name##_m2, name##_m4, name##_m8}}

/* Width only (no ModR/M memory form, or one that does not matter). */
#define HSET_W(name)                                                                                         \
    static void name##_1(struct cpu *c, const struct insn *i) { name(c, i, 1); }                            \
    static void name##_2(struct cpu *c, const struct insn *i) { name(c, i, 2); }                            \
    static void name##_4(struct cpu *c, const struct insn *i) { name(c, i, 4); }                            \
    static void name##_8(struct cpu *c, const struct insn *i) { name(c, i, 8); }                            \
    static const struct hset hs_##name = {.r = {name##_1, name##_2, name##_4, name##_8},                    \
                                          .m = {name##_1, name##_2, name##_4, name##_8}}

/* Mandatory-prefix forms (OA_PFX): NAME_none, NAME_66, NAME_F3, NAME_F2 may be NULL (#UD).
 * The same handler serves the register and memory forms (it tests INSN_MEM). */
#define HSET_PFX(name, none, p66, pf3, pf2)                                                                  \
    static const struct hset hs_##name = {.r = {none, p66, pf3, pf2}, .m = {none, p66, pf3, pf2}}

/* One handler for every form. */
#define HSET_1(name) static const struct hset hs_##name = {.r = {name, name, name, name}, .m = {name, name, name, name}}

#endif
