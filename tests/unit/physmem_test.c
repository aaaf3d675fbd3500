/* Physical memory map tests: shadow RAM under PAM-style control (reads from ROM
 * or RAM, writes to RAM or nowhere, per 16 KiB chunk) and the notifications the
 * CPU relies on to drop cached translations and decoded code. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mem/physmem.h"

static unsigned map_changes;
static void on_map_changed(void *opaque) { (void)opaque; map_changes++; }

static struct physmem *make(struct mem_region **shadow)
{
    char err[256];
    struct physmem *pm = physmem_create();
    ck_assert_ptr_nonnull(pm);
    *shadow = physmem_add_shadow(pm, "shadow", 0xC0000, 0x40000, err, sizeof err);
    ck_assert_ptr_nonnull(*shadow);
    uint8_t rom[0x20000];
    for (unsigned i = 0; i < sizeof rom; i++)
        rom[i] = (uint8_t)(i * 7 + 1);
    physmem_shadow_load_rom(*shadow, 0x20000, rom, sizeof rom); /* the BIOS at 0xE0000-0xFFFFF */
    pm->map_changed = on_map_changed;
    map_changes = 0;
    return pm;
}

START_TEST(power_on_reads_rom_and_drops_writes)
{
    struct mem_region *sh;
    struct physmem *pm = make(&sh);
    ck_assert_uint_eq(physmem_read(pm, 0xE0000, 1), 1);
    ck_assert_uint_eq(physmem_read(pm, 0xE0001, 2), (uint64_t)(8 | (15 << 8)));
    ck_assert_uint_eq(physmem_read(pm, 0xC0000, 4), 0xFFFFFFFFu); /* no ROM image there */
    physmem_write(pm, 0xE0000, 0xAA, 1);
    ck_assert_uint_eq(physmem_read(pm, 0xE0000, 1), 1);
    ck_assert_ptr_null(physmem_host_page(pm, 0xE0000, true));
    ck_assert_ptr_nonnull(physmem_host_page(pm, 0xE0000, false));
    physmem_destroy(pm);
}
END_TEST

START_TEST(pam_sequence_of_a_bios_copying_itself)
{
    struct mem_region *sh;
    struct physmem *pm = make(&sh);
    /* read ROM, write RAM: copy the ROM onto itself */
    physmem_set_shadow(pm, 0xF0000, 0x10000, SHADOW_WRITE_RAM);
    ck_assert_uint_eq(map_changes, 1);
    for (uint64_t a = 0xF0000; a < 0x100000; a += 4)
        physmem_write(pm, a, physmem_read(pm, a, 4), 4);
    physmem_write(pm, 0xF1234, 0x5A, 1);
    ck_assert_uint_eq(physmem_read(pm, 0xF1234, 1), (uint8_t)(0x11234 * 7 + 1)); /* still reading ROM */
    /* read RAM and write RAM: the copy (with the patch) shows */
    physmem_set_shadow(pm, 0xF0000, 0x10000, SHADOW_READ_RAM | SHADOW_WRITE_RAM);
    ck_assert_uint_eq(physmem_read(pm, 0xF1234, 1), 0x5A);
    ck_assert_uint_eq(physmem_read(pm, 0xF0010, 1), (uint8_t)(0x10010 * 7 + 1));
    /* read-only RAM: writes dropped, as after SeaBIOS locks its shadow */
    physmem_set_shadow(pm, 0xF0000, 0x10000, SHADOW_READ_RAM);
    physmem_write(pm, 0xF1234, 0x77, 1);
    ck_assert_uint_eq(physmem_read(pm, 0xF1234, 1), 0x5A);
    ck_assert_ptr_null(physmem_host_page(pm, 0xF1000, true));
    ck_assert_uint_eq(map_changes, 3);
    /* setting the same mode again is not a change */
    physmem_set_shadow(pm, 0xF0000, 0x10000, SHADOW_READ_RAM);
    ck_assert_uint_eq(map_changes, 3);
    /* chunks are independent: 0xE0000 still reads ROM */
    ck_assert_uint_eq(physmem_read(pm, 0xE0000, 1), 1);
    /* an access straddling two chunks in different modes */
    physmem_set_shadow(pm, 0xE4000, 0x4000, SHADOW_READ_RAM | SHADOW_WRITE_RAM);
    physmem_write(pm, 0xE4000, 0x99, 1);
    uint64_t v = physmem_read(pm, 0xE3FFF, 2);
    ck_assert_uint_eq(v, (uint64_t)(uint8_t)(0x3FFF * 7 + 1) | (0x99u << 8));
    physmem_destroy(pm);
}
END_TEST

static unsigned code_writes;
static void on_code_written(void *opaque, uint64_t phys, unsigned len) { (void)opaque; (void)phys; (void)len; code_writes++; }

START_TEST(code_in_shadow_ram_is_tracked)
{
    struct mem_region *sh;
    struct physmem *pm = make(&sh);
    pm->code_written = on_code_written;
    physmem_set_shadow(pm, 0xF0000, 0x10000, SHADOW_READ_RAM | SHADOW_WRITE_RAM);
    physmem_mark_code(pm, 0xF0100, 4);
    ck_assert(physmem_page_has_code(pm, 0xF0000));
    code_writes = 0;
    physmem_write(pm, 0xF0102, 0x90, 1);
    ck_assert_uint_eq(code_writes, 1);
    ck_assert(!physmem_page_has_code(pm, 0xF0000));
    physmem_destroy(pm);
}
END_TEST

START_TEST(misaligned_shadow_rejected)
{
    char err[256];
    struct physmem *pm = physmem_create();
    ck_assert_ptr_null(physmem_add_shadow(pm, "bad", 0xC1000, 0x4000, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "16 KiB"));
    physmem_destroy(pm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("physmem");
    TCase *t = tcase_create("shadow");
    tcase_add_test(t, power_on_reads_rom_and_drops_writes);
    tcase_add_test(t, pam_sequence_of_a_bios_copying_itself);
    tcase_add_test(t, code_in_shadow_ram_is_tracked);
    tcase_add_test(t, misaligned_shadow_rejected);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
