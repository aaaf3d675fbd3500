/* Firmware mapping tests: the BIOS at the top of 4 GiB and its last 128 KiB below
 * 1 MiB, size validation, and loading the real SeaBIOS image when installed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/firmware.h"

START_TEST(maps_top_and_alias)
{
    char err[256];
    struct physmem *pm = physmem_create();
    struct mem_region *sh = physmem_add_shadow(pm, "shadow", 0xC0000, 0x40000, err, sizeof err);
    ck_assert_ptr_nonnull(sh);
    size_t len = 0x40000;
    uint8_t *img = malloc(len);
    for (size_t i = 0; i < len; i++)
        img[i] = (uint8_t)(i ^ (i >> 8));
    ck_assert_int_eq(firmware_map_bios(pm, sh, img, len, err, sizeof err), 0);
    ck_assert_uint_eq(physmem_read(pm, 0xFFFFFFF0, 1), img[len - 16]);
    ck_assert_uint_eq(physmem_read(pm, 0xFFFC0000, 1), img[0]);
    ck_assert_uint_eq(physmem_read(pm, 0xFFFF0, 1), img[len - 16]);    /* reset vector alias */
    ck_assert_uint_eq(physmem_read(pm, 0xE0000, 1), img[len - 0x20000]); /* last 128 KiB */
    physmem_write(pm, 0xFFFFFFF0, 0xAB, 1);                              /* ROM: ignored */
    ck_assert_uint_eq(physmem_read(pm, 0xFFFFFFF0, 1), img[len - 16]);
    free(img);
    physmem_destroy(pm);
}
END_TEST

START_TEST(rejects_bad_sizes_and_files)
{
    char err[256];
    struct physmem *pm = physmem_create();
    struct mem_region *sh = physmem_add_shadow(pm, "shadow", 0xC0000, 0x40000, err, sizeof err);
    uint8_t small[100] = {0};
    ck_assert_int_eq(firmware_map_bios(pm, sh, small, sizeof small, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "64 KiB"));
    uint8_t *data;
    size_t len;
    ck_assert_int_eq(firmware_read_file("/nonexistent/bios.bin", 1 << 20, &data, &len, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/bios.bin"));
    physmem_destroy(pm);
}
END_TEST

START_TEST(real_seabios)
{
    const char *path = "/usr/share/seabios/bios.bin";
    char err[256];
    uint8_t *data;
    size_t len;
    if (firmware_read_file(path, FIRMWARE_MAX_BIOS, &data, &len, err, sizeof err) != 0) {
        printf("skipped: %s\n", err);
        return;
    }
    struct physmem *pm = physmem_create();
    struct mem_region *sh = physmem_add_shadow(pm, "shadow", 0xC0000, 0x40000, err, sizeof err);
    ck_assert_int_eq(firmware_map_bios(pm, sh, data, len, err, sizeof err), 0);
    /* SeaBIOS starts with a far jump at the reset vector (EA ...) */
    ck_assert_uint_eq(physmem_read(pm, 0xFFFFFFF0, 1), 0xEA);
    ck_assert_uint_eq(physmem_read(pm, 0xFFFF0, 1), 0xEA);
    free(data);
    physmem_destroy(pm);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("firmware");
    TCase *t = tcase_create("bios");
    tcase_add_test(t, maps_top_and_alias);
    tcase_add_test(t, rejects_bad_sizes_and_files);
    tcase_add_test(t, real_seabios);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
