/* Page walker tests (mem/paging.c): every paging mode, every combination of
 * U/S and R/W at the directory and table level, for reads, writes and fetches
 * from user and supervisor with CR0.WP on and off, checked against the rules of
 * SDM vol. 3 §4.6 stated independently here; plus not-present, reserved-bit and
 * NX faults with their error codes, large pages, and the accessed/dirty bits. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem/paging.h"

#define P 1ull
#define RW 2ull
#define US 4ull
#define A 0x20ull
#define D 0x40ull
#define PS 0x80ull
#define G 0x100ull
#define XD (1ull << 63)

static struct physmem *pm;
static char err[256];

static void setup(void)
{
    pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "ram", 0, 16u << 20, err, sizeof err));
}
static void teardown(void) { physmem_destroy(pm); }

#define LIN 0x00403123ull   /* PD index 1, PT index 3 (32-bit); PD 2, PT 3 (PAE) */
#define FRAME 0x00800000ull

/* Builds tables mapping LIN's page to FRAME with the given flags on the
 * directory-level entry (dir) and the leaf (leaf). Returns the regs to use. */
static struct paging_regs build(enum paging_mode mode, uint64_t dir, uint64_t leaf)
{
    struct paging_regs r = {.mode = mode, .cr3 = 0x10000};
    /* clear the table area */
    for (uint64_t a = 0x10000; a < 0x18000; a += 8)
        physmem_write(pm, a, 0, 8);
    if (mode == PAGING_32) {
        physmem_write(pm, 0x10000 + ((LIN >> 22) & 0x3FF) * 4, 0x11000 | dir, 4);
        physmem_write(pm, 0x11000 + ((LIN >> 12) & 0x3FF) * 4, FRAME | leaf, 4);
    } else if (mode == PAGING_PAE) {
        physmem_write(pm, 0x10000 + ((LIN >> 30) & 3) * 8, 0x11000 | P, 8);
        ck_assert(paging_load_pdptes(pm, r.cr3, r.pdpte));
        physmem_write(pm, 0x11000 + ((LIN >> 21) & 0x1FF) * 8, 0x12000 | dir, 8);
        physmem_write(pm, 0x12000 + ((LIN >> 12) & 0x1FF) * 8, FRAME | leaf, 8);
    } else {
        physmem_write(pm, 0x10000 + ((LIN >> 39) & 0x1FF) * 8, 0x11000 | P | RW | US, 8);
        physmem_write(pm, 0x11000 + ((LIN >> 30) & 0x1FF) * 8, 0x12000 | P | RW | US, 8);
        physmem_write(pm, 0x12000 + ((LIN >> 21) & 0x1FF) * 8, 0x13000 | dir, 8);
        physmem_write(pm, 0x13000 + ((LIN >> 12) & 0x1FF) * 8, FRAME | leaf, 8);
    }
    return r;
}

static uint64_t entry_at(enum paging_mode mode, int level) /* 0 = leaf, 1 = directory */
{
    bool wide = mode != PAGING_32;
    uint64_t dir_addr = mode == PAGING_32 ? 0x10000 + ((LIN >> 22) & 0x3FF) * 4
                        : mode == PAGING_PAE ? 0x11000 + ((LIN >> 21) & 0x1FF) * 8
                                             : 0x12000 + ((LIN >> 21) & 0x1FF) * 8;
    uint64_t leaf_addr = mode == PAGING_32 ? 0x11000 + ((LIN >> 12) & 0x3FF) * 4
                         : mode == PAGING_PAE ? 0x12000 + ((LIN >> 12) & 0x1FF) * 8
                                              : 0x13000 + ((LIN >> 12) & 0x1FF) * 8;
    return physmem_read(pm, level ? dir_addr : leaf_addr, wide ? 8 : 4);
}

/* The SDM's access rules, written out for the test (vol. 3 §4.6.1). */
static bool expected_allowed(uint64_t dir, uint64_t leaf, bool write, bool user, bool fetch, bool wp, bool nxe)
{
    bool u = (dir & US) && (leaf & US);
    bool w = (dir & RW) && (leaf & RW);
    bool x = !nxe || !((dir | leaf) & XD);
    if (user && !u)
        return false;
    if (write && !w && (user || wp))
        return false;
    if (fetch && !x)
        return false;
    return true;
}

START_TEST(permission_matrix)
{
    static const enum paging_mode modes[] = {PAGING_32, PAGING_PAE, PAGING_4LEVEL};
    unsigned checked = 0;
    for (unsigned m = 0; m < 3; m++)
        for (unsigned bits = 0; bits < 16; bits++)      /* dir U/S, dir R/W, leaf U/S, leaf R/W */
            for (unsigned kind = 0; kind < 3; kind++)   /* read, write, fetch */
                for (unsigned user = 0; user < 2; user++)
                    for (unsigned wp = 0; wp < 2; wp++)
                        for (unsigned xd = 0; xd < (modes[m] == PAGING_32 ? 1u : 3u); xd++) {
                            uint64_t dir = P | ((bits & 1) ? US : 0) | ((bits & 2) ? RW : 0) | (xd == 1 ? XD : 0);
                            uint64_t leaf = P | ((bits & 4) ? US : 0) | ((bits & 8) ? RW : 0) | (xd == 2 ? XD : 0);
                            struct paging_regs r = build(modes[m], dir, leaf);
                            r.wp = wp;
                            r.nxe = xd != 0;
                            bool write = kind == 1, fetch = kind == 2;
                            unsigned access = (write ? PG_ACCESS_WRITE : 0) | (fetch ? PG_ACCESS_FETCH : 0) |
                                              (user ? PG_ACCESS_USER : 0);
                            struct paging_result res;
                            uint32_t ec = 0;
                            bool ok = paging_translate(pm, &r, LIN, access, &res, &ec);
                            bool want = expected_allowed(dir, leaf, write, user, fetch, wp, r.nxe);
                            ck_assert_msg(ok == want, "mode %u bits %x kind %u user %u wp %u xd %u: got %d", m, bits,
                                          kind, user, wp, xd, ok);
                            if (ok) {
                                ck_assert_uint_eq(res.phys, FRAME | (LIN & 0xFFF));
                                ck_assert(entry_at(modes[m], 0) & A);
                                ck_assert(entry_at(modes[m], 1) & A);
                                ck_assert_uint_eq(!!(entry_at(modes[m], 0) & D), write);
                                ck_assert(!(entry_at(modes[m], 1) & D)); /* D only in the leaf */
                            } else {
                                uint32_t want_ec = PF_P | (write ? PF_W : 0) | (user ? PF_U : 0) |
                                                   (fetch && r.nxe ? PF_I : 0);
                                ck_assert_uint_eq(ec, want_ec);
                                ck_assert(!(entry_at(modes[m], 0) & (A | D))); /* a faulting access sets nothing */
                            }
                            checked++;
                        }
    ck_assert_uint_eq(checked, 16 * 3 * 2 * 2 + 2 * (16 * 3 * 2 * 2 * 3)); /* 32-bit: no XD variants */
}
END_TEST

START_TEST(not_present_each_level)
{
    static const enum paging_mode modes[] = {PAGING_32, PAGING_PAE, PAGING_4LEVEL};
    for (unsigned m = 0; m < 3; m++)
        for (int level = 0; level < 2; level++)
            for (unsigned access = 0; access < 8; access++) {
                uint64_t dir = level == 1 ? RW | US : P | RW | US;
                uint64_t leaf = level == 0 ? RW | US : P | RW | US;
                struct paging_regs r = build(modes[m], dir, leaf);
                r.nxe = modes[m] != PAGING_32;
                struct paging_result res;
                uint32_t ec = 0xDEAD;
                ck_assert(!paging_translate(pm, &r, LIN, access, &res, &ec));
                uint32_t want = ((access & PG_ACCESS_WRITE) ? PF_W : 0) | ((access & PG_ACCESS_USER) ? PF_U : 0) |
                                ((access & PG_ACCESS_FETCH) && r.nxe ? PF_I : 0);
                ck_assert_uint_eq(ec, want);
            }
    /* PAE: a not-present PDPTE */
    struct paging_regs r = build(PAGING_PAE, P | RW, P | RW);
    r.pdpte[(LIN >> 30) & 3] = 0;
    struct paging_result res;
    uint32_t ec;
    ck_assert(!paging_translate(pm, &r, LIN, PG_ACCESS_WRITE, &res, &ec));
    ck_assert_uint_eq(ec, PF_W);
}
END_TEST

START_TEST(reserved_bits)
{
    struct paging_result res;
    uint32_t ec;
    /* XD without EFER.NXE is reserved */
    struct paging_regs r = build(PAGING_PAE, P | RW, P | RW | XD);
    ck_assert(!paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert_uint_eq(ec, PF_P | PF_RSVD);
    /* physical address bits above MAXPHYADDR (36) */
    r = build(PAGING_4LEVEL, P | RW, P | RW | (1ull << 40));
    ck_assert(!paging_translate(pm, &r, LIN, PG_ACCESS_USER, &res, &ec));
    ck_assert_uint_eq(ec, PF_P | PF_RSVD | PF_U);
    /* a 2 MiB page with bits 20:13 set */
    r = build(PAGING_PAE, P, 0);
    physmem_write(pm, 0x11000 + ((LIN >> 21) & 0x1FF) * 8, 0x00E00000 | P | RW | PS | 0x2000, 8);
    ck_assert(!paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert_uint_eq(ec, PF_P | PF_RSVD);
    /* PDPTE reserved bits make the CR3 load fail */
    physmem_write(pm, 0x10000, 0x11000 | P | RW, 8); /* R/W is reserved in a PAE PDPTE */
    uint64_t pdpte[4];
    ck_assert(!paging_load_pdptes(pm, 0x10000, pdpte));
}
END_TEST

START_TEST(large_pages)
{
    struct paging_result res;
    uint32_t ec;
    /* 32-bit PSE: a 4 MiB page, only when CR4.PSE is set */
    struct paging_regs r = build(PAGING_32, 0, 0);
    physmem_write(pm, 0x10000 + ((LIN >> 22) & 0x3FF) * 4, 0x00C00000 | P | RW | PS | G, 4);
    r.pse = true;
    r.pge = true;
    ck_assert(paging_translate(pm, &r, LIN, PG_ACCESS_WRITE, &res, &ec));
    ck_assert_uint_eq(res.phys, 0x00C00000 | (LIN & 0x3FFFFF));
    ck_assert_uint_eq(res.page_size, 4u << 20);
    ck_assert(res.global);
    ck_assert(physmem_read(pm, 0x10000 + ((LIN >> 22) & 0x3FF) * 4, 4) & D);
    r.pse = false; /* PS ignored: the entry points at a page table at 0xC00000 (zeros: not present) */
    ck_assert(!paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert_uint_eq(ec, 0);
    /* PAE 2 MiB */
    r = build(PAGING_PAE, P, 0);
    physmem_write(pm, 0x11000 + ((LIN >> 21) & 0x1FF) * 8, 0x00E00000 | P | RW | PS, 8);
    ck_assert(paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert_uint_eq(res.phys, 0x00E00000 | (LIN & 0x1FFFFF));
    ck_assert_uint_eq(res.page_size, 2u << 20);
    ck_assert(!res.global); /* PGE off */
    /* 4-level 1 GiB page at PDPT level */
    r = build(PAGING_4LEVEL, P, P);
    physmem_write(pm, 0x11000 + ((LIN >> 30) & 0x1FF) * 8, 0x40000000ull | P | RW | PS, 8);
    ck_assert(paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert_uint_eq(res.phys, 0x40000000ull | (LIN & 0x3FFFFFFF));
    ck_assert_uint_eq(res.page_size, 1u << 30);
}
END_TEST

START_TEST(read_then_write_sets_dirty_once)
{
    struct paging_regs r = build(PAGING_32, P | RW | US, P | RW | US);
    struct paging_result res;
    uint32_t ec;
    ck_assert(paging_translate(pm, &r, LIN, 0, &res, &ec));
    ck_assert(!res.dirty);
    ck_assert_uint_eq(entry_at(PAGING_32, 0) & (A | D), A);
    ck_assert(paging_translate(pm, &r, LIN, PG_ACCESS_WRITE, &res, &ec));
    ck_assert(res.dirty);
    ck_assert_uint_eq(entry_at(PAGING_32, 0) & (A | D), A | D);
    ck_assert_uint_eq(entry_at(PAGING_32, 0) & ~0xFFFull, FRAME); /* only the flag byte changed */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("paging");
    TCase *t = tcase_create("walker");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, permission_matrix);
    tcase_add_test(t, not_present_each_level);
    tcase_add_test(t, reserved_bits);
    tcase_add_test(t, large_pages);
    tcase_add_test(t, read_then_write_sets_dirty_once);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
