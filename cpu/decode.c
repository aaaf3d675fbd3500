/* Instruction decoder: prefixes, opcode maps, ModR/M, SIB, displacement and
 * immediates (SDM vol. 2 ch. 2 and App. A), producing a `struct insn` whose
 * handler is already chosen for the operand size and register/memory form.
 * The opcode maps are built at CPU creation from the tables that each
 * instruction-group file exports. */
#include "decode.h"

#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "mmu.h"

static const struct opdef *const opdef_lists[] = {
    alu_opdefs, mov_opdefs, stack_opdefs, branch_opdefs, string_opdefs, shift_opdefs,
    muldiv_opdefs, bcd_opdefs, bitops_opdefs, misc_opdefs, system_opdefs, desc_opdefs, sysenter_opdefs,
    x87_opdefs, long_mode_opdefs,
    sse_ctl_opdefs, sse_mov_opdefs, sse_int_opdefs, sse_shuf_opdefs, sse_ext_opdefs, sse_fp_opdefs, sse_cvt_opdefs,
    sse42_opdefs,
};

static unsigned map_index(uint16_t opcode)
{
    switch (opcode >> 8) {
    case 0x00: return opcode;
    case 0x0F: return 0x100 | (opcode & 0xFF);
    case 0x38: return 0x200 | (opcode & 0xFF);
    default: return 0x300 | (opcode & 0xFF); /* 0x3A */
    }
}

int decoder_tables_init(struct decoder_tables *t, char *err, size_t err_len)
{
    memset(t, 0, sizeof *t);
    for (size_t l = 0; l < sizeof opdef_lists / sizeof opdef_lists[0]; l++) {
        for (const struct opdef *d = opdef_lists[l]; d->hs; d++) {
            unsigned hi = d->opcode >> 8;
            if (hi != 0x00 && hi != 0x0F && hi != 0x38 && hi != 0x3A) {
                snprintf(err, err_len, "opcode %04X is in no map", d->opcode);
                return -1;
            }
            unsigned idx = map_index(d->opcode);
            if (d->attr & OA_ONLY64) {
                if (idx >= 256 || d->ext >= 0 || t->map64[idx].hs) {
                    snprintf(err, err_len, "64-bit opcode %04X not a plain one-byte opcode", d->opcode);
                    return -1;
                }
                t->map64[idx] = (struct dec_entry){.attr = d->attr, .hs = d->hs};
                continue;
            }
            struct dec_entry *m = &t->map[idx];
            if (d->ext < 0) {
                if (m->hs || (m->attr & OA_GROUP)) {
                    snprintf(err, err_len, "opcode %04X defined twice", d->opcode);
                    return -1;
                }
                m->attr = d->attr;
                m->hs = d->hs;
            } else {
                if (m->hs || t->grp[idx][d->ext].hs) {
                    snprintf(err, err_len, "opcode %04X /%d defined twice", d->opcode, d->ext);
                    return -1;
                }
                m->attr = OA_GROUP | OA_MODRM;
                t->grp[idx][d->ext].attr = d->attr | OA_MODRM;
                t->grp[idx][d->ext].hs = d->hs;
            }
        }
    }
    return 0;
}

/* Instruction bytes come from CS:rip one at a time, each checked against the CS
 * limit and the length limit, translating a new page when the bytes cross one. */
struct fetch_state {
    struct cpu *c;
    uint64_t rip;
    unsigned n, max;
    uint64_t page_lin;
    const uint8_t *host;
    uint64_t phys_page, phys0;
    bool cacheable;
};

static uint8_t fetch_byte(struct fetch_state *f)
{
    struct cpu *c = f->c;
    if (f->n >= f->max) {
        /* SDM vol. 2 §2.3.11: more than 15 bytes is #GP(0).  The 80286 stops at 10
         * bytes, also with #GP (interrupt 13), as the recorded vectors show. */
        cpu_raise_gp0(c);
    }
    uint64_t off = f->rip + f->n;
    if (!c->mode64) {
        if (off > c->seg[S_CS].limit)
            cpu_raise_gp0(c);
    }
    uint64_t lin = (c->seg[S_CS].base + off) & c->lin_mask;
    if ((lin & ~0xFFFull) != f->page_lin) {
        if (f->n)
            f->cacheable = false; /* crosses a page */
        const struct tlb_entry *e = tlb_hit(c, TLB_EXEC, lin, 1);
        if (!e)
            e = mmu_fill_exec(c, lin);
        f->page_lin = lin & ~0xFFFull;
        f->phys_page = e->phys_page;
        f->host = physmem_host_page(c->mem, f->phys_page, false);
        if (!f->host)
            f->cacheable = false; /* MMIO or unmapped: read through each time */
        if (f->n == 0)
            f->phys0 = f->phys_page | (lin & 0xFFF);
    }
    uint8_t b = f->host ? f->host[lin & 0xFFF] : (uint8_t)physmem_read(c->mem, f->phys_page | (lin & 0xFFF), 1);
    f->n++;
    return b;
}

static uint64_t fetch_n(struct fetch_state *f, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint64_t)fetch_byte(f) << (8 * k);
    return v;
}

/* Byte registers: AL, CL, DL, BL, AH, CH, DH, BH without REX; with any REX, SPL..R15B. */
static uint8_t byte_reg_offset(unsigned r, bool rex)
{
    if (rex || r < 4 || r >= 8)
        return (uint8_t)(r * 8);
    return (uint8_t)((r - 4) * 8 + 1);
}

static void decode_ea16(struct fetch_state *f, struct insn *in, unsigned mod, unsigned rm)
{
    static const uint8_t base16[8] = {R_BX, R_BX, R_BP, R_BP, R_SI, R_DI, R_BP, R_BX};
    static const uint8_t index16[8] = {R_SI, R_DI, R_SI, R_DI, R_ZERO, R_ZERO, R_ZERO, R_ZERO};
    in->scale = 0;
    if (mod == 0 && rm == 6) {
        in->base = in->index = R_ZERO;
        in->disp = (int16_t)fetch_n(f, 2);
        in->seg = S_DS;
        return;
    }
    in->base = base16[rm];
    in->index = index16[rm];
    in->seg = in->base == R_BP ? S_SS : S_DS;
    in->disp = mod == 1 ? (int8_t)fetch_byte(f) : mod == 2 ? (int16_t)fetch_n(f, 2) : 0;
}

static void decode_ea32(struct fetch_state *f, struct insn *in, unsigned mod, unsigned rm, unsigned rex, bool mode64)
{
    in->scale = 0;
    in->index = R_ZERO;
    if (rm == 4) {
        uint8_t sib = fetch_byte(f);
        unsigned idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
        in->scale = sib >> 6;
        in->index = idx == 4 ? R_ZERO : (uint8_t)idx;
        if ((sib & 7) == 5 && mod == 0) {
            in->base = R_ZERO;
            in->disp = (int32_t)fetch_n(f, 4);
            in->seg = S_DS;
            return;
        }
        in->base = (uint8_t)((sib & 7) | ((rex & 1) << 3));
    } else if (rm == 5 && mod == 0) {
        in->base = R_ZERO;
        in->disp = (int32_t)fetch_n(f, 4);
        in->seg = S_DS;
        if (mode64)
            in->flags |= INSN_RIPREL;
        return;
    } else {
        in->base = (uint8_t)(rm | ((rex & 1) << 3));
    }
    in->seg = (in->base == R_SP || in->base == R_BP) ? S_SS : S_DS;
    in->disp = mod == 1 ? (int8_t)fetch_byte(f) : mod == 2 ? (int32_t)fetch_n(f, 4) : 0;
}

static unsigned log2_size(unsigned size) { return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3; }

uint64_t decode_insn(struct cpu *c, struct insn *in, bool *cacheable)
{
    struct fetch_state f = {.c = c, .rip = c->rip, .max = c->model == CPU_MODEL_80286 ? 10 : 15,
                            .page_lin = TLB_INVALID, .cacheable = true};
    bool is286 = c->model == CPU_MODEL_80286;
    unsigned osize = c->code32 ? 4 : 2, asize = osize;
    unsigned seg_override = S_COUNT, rex = 0;
    bool opsize_prefix = false, addr_prefix = false, lock = false;
    uint8_t rep = 0;
    unsigned b;

    memset(in, 0, sizeof *in);
    for (;;) {
        b = fetch_byte(&f);
        switch (b) {
        case 0x26: seg_override = S_ES; break;
        case 0x2E: seg_override = S_CS; break;
        case 0x36: seg_override = S_SS; break;
        case 0x3E: seg_override = S_DS; break;
        case 0x64: if (is286) cpu_raise_ud(c); seg_override = S_FS; break;
        case 0x65: if (is286) cpu_raise_ud(c); seg_override = S_GS; break;
        case 0x66: if (is286) cpu_raise_ud(c); opsize_prefix = true; break;
        case 0x67: if (is286) cpu_raise_ud(c); addr_prefix = true; break;
        case 0xF0: lock = true; break;
        case 0xF2: case 0xF3: rep = (uint8_t)b; break;
        default:
            if (c->mode64 && (b & 0xF0) == 0x40) {
                rex = b; /* REX counts only directly before the opcode */
                continue;
            }
            goto opcode;
        }
        rex = 0;
    }
opcode:;
    unsigned op = b;
    if (b == 0x0F) {
        op = 0x100 | fetch_byte(&f);
        if (op == 0x138 || op == 0x13A) /* three-byte maps 0F 38 and 0F 3A */
            op = (op == 0x138 ? 0x200 : 0x300) | fetch_byte(&f);
    }
    static const uint16_t map_base[4] = {0x0000, 0x0F00, 0x3800, 0x3A00};
    in->opcode = (uint16_t)(map_base[op >> 8] | (op & 0xFF));

    const struct dec_entry *d = &c->dec->map[op];
    if (c->mode64 && op < 256 && c->dec->map64[op].hs)
        d = &c->dec->map64[op];
    uint32_t attr = d->attr;
    uint8_t modrm = 0;
    if (attr & OA_MODRM)
        modrm = fetch_byte(&f);
    if (attr & OA_GROUP) {
        d = &c->dec->grp[op][(modrm >> 3) & 7];
        attr = d->attr;
    }
    if (!d->hs || (is286 && (attr & OA_386)) || (c->mode64 && (attr & OA_NO64)))
        cpu_raise_ud(c);

    unsigned hs_index; /* which handler of the set: by operand size, or by mandatory prefix */
    if (attr & OA_PFX) {
        /* SDM vol. 2 §2.1.2: F2/F3 take precedence over 66 as mandatory prefixes. */
        hs_index = rep == 0xF3 ? 2 : rep == 0xF2 ? 3 : opsize_prefix ? 1 : 0;
        opsize_prefix = false;
        if (hs_index >= 2)
            rep = 0;
    }
    if (c->mode64) {
        asize = addr_prefix ? 4 : 8;
        if (rex & 8)
            osize = 8;
        else if (attr & OA_F64)
            osize = 8;
        else if (opsize_prefix)
            osize = 2;
        else
            osize = (attr & OA_DEF64) ? 8 : 4;
    } else {
        if (opsize_prefix)
            osize ^= 6;
        if (addr_prefix)
            asize ^= 6;
    }
    if (attr & OA_BYTE)
        osize = 1;
    if (attr & OA_PFX)
        osize = (rex & 8) ? 8 : 4;
    else
        hs_index = log2_size(osize);

    in->seg = S_DS;
    in->base = in->index = R_ZERO;
    if (attr & OA_MODRM) {
        unsigned mod = modrm >> 6, rm = modrm & 7;
        in->reg = (uint8_t)(((modrm >> 3) & 7) | ((rex & 4) << 1));
        if (mod == 3 || (attr & OA_REGONLY)) {
            if (attr & OA_MEMONLY)
                cpu_raise_ud(c);
            in->rm = (uint8_t)(rm | ((rex & 1) << 3));
            if (attr & (OA_BYTE | OA_RM8))
                in->rm = byte_reg_offset(in->rm, rex != 0);
        } else {
            in->flags |= INSN_MEM;
            if (asize == 2)
                decode_ea16(&f, in, mod, rm);
            else
                decode_ea32(&f, in, mod, rm, rex, c->mode64);
        }
        if (attr & OA_BYTE)
            in->reg = byte_reg_offset(in->reg, rex != 0);
    } else {
        /* Register encoded in the opcode's low bits (50+r, B8+r, ...): REX.B extends it. */
        in->reg = (uint8_t)((op & 7) | ((rex & 1) << 3));
        if (attr & OA_BYTE)
            in->reg = byte_reg_offset(in->reg, rex != 0);
    }

    switch ((attr >> OA_IMM_SHIFT) & 15) {
    case IMM_8: in->imm = fetch_byte(&f); break;
    case IMM_8S: in->imm = (uint64_t)(int8_t)fetch_byte(&f); break;
    case IMM_V: in->imm = osize == 2 ? (uint64_t)(int16_t)fetch_n(&f, 2) : (uint64_t)(int32_t)fetch_n(&f, 4); break;
    case IMM_16: in->imm = fetch_n(&f, 2); break;
    case IMM_FULL: in->imm = fetch_n(&f, osize); break;
    case IMM_ENTER: in->imm = fetch_n(&f, 2); in->imm2 = fetch_byte(&f); break;
    case IMM_FAR: in->imm = fetch_n(&f, osize == 2 ? 2 : 4); in->imm2 = (uint16_t)fetch_n(&f, 2); break;
    case IMM_MOFFS:
        in->disp = (int64_t)fetch_n(&f, asize);
        in->flags |= INSN_MEM;
        break;
    case IMM_REL8: in->imm = (uint64_t)(int8_t)fetch_byte(&f); break;
    case IMM_RELV: in->imm = osize == 2 ? (uint64_t)(int16_t)fetch_n(&f, 2) : (uint64_t)(int32_t)fetch_n(&f, 4); break;
    default: break;
    }

    if (lock) {
        /* SDM vol. 2 "LOCK": #UD unless the instruction is lockable and writes memory.
         * The 80286 accepts LOCK anywhere. */
        if (!is286 && (!(attr & OA_LOCK) || !(in->flags & INSN_MEM)))
            cpu_raise_ud(c);
        in->flags |= INSN_LOCK;
    }
    if (seg_override != S_COUNT && (in->flags & INSN_MEM))
        in->seg = (uint8_t)seg_override;
    in->seg_override = (uint8_t)seg_override;
    in->osize = (uint8_t)osize;
    in->asize = (uint8_t)asize;
    in->rep = rep;
    in->len = (uint8_t)f.n;
    in->fn = (in->flags & INSN_MEM) ? d->hs->m[hs_index] : d->hs->r[hs_index];
    if (!in->fn)
        cpu_raise_ud(c);
    *cacheable = f.cacheable;
    return f.phys0;
}
