/* Disk-image backend tests: read-write persistence, read-only refusal, snapshot
 * overlays that never touch the file, bounds checks and clear open errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/blockdev.h"

static char path[256];

static void make_image(size_t size)
{
    char dir[] = "/tmp/rz-blockdev-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/disk.img", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < size; i++)
        fputc((int)(i % 251), f);
    fclose(f);
}

static void remove_image(void)
{
    if (!path[0])
        return;
    unlink(path);
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = 0;
        rmdir(path);
    }
    path[0] = 0;
}

static uint8_t file_byte(size_t off)
{
    FILE *f = fopen(path, "rb");
    fseek(f, (long)off, SEEK_SET);
    int c = fgetc(f);
    fclose(f);
    return (uint8_t)c;
}

START_TEST(read_write_persists)
{
    char err[512];
    make_image(10000);
    struct blockdev bd;
    ck_assert_int_eq(blockdev_open(&bd, path, BLOCKDEV_READ_WRITE, err, sizeof err), 0);
    ck_assert_uint_eq(bd.size, 10000);
    uint8_t buf[600];
    ck_assert_int_eq(blockdev_read(&bd, 4000, buf, sizeof buf), 0);
    ck_assert_uint_eq(buf[0], 4000 % 251);
    memset(buf, 0xAB, sizeof buf);
    ck_assert_int_eq(blockdev_write(&bd, 4000, buf, sizeof buf), 0);
    blockdev_close(&bd);
    ck_assert_uint_eq(file_byte(4000), 0xAB);
    ck_assert_uint_eq(file_byte(4599), 0xAB);
    ck_assert_uint_eq(file_byte(4600), 4600 % 251);
}
END_TEST

START_TEST(bounds_and_read_only)
{
    char err[512];
    make_image(1024);
    struct blockdev bd;
    ck_assert_int_eq(blockdev_open(&bd, path, BLOCKDEV_READ_ONLY, err, sizeof err), 0);
    uint8_t buf[16];
    ck_assert_int_eq(blockdev_read(&bd, 1020, buf, 8), -1);         /* past the end */
    ck_assert_int_eq(blockdev_read(&bd, UINT64_MAX - 4, buf, 8), -1); /* wrapping offset */
    ck_assert_int_eq(blockdev_read(&bd, 1016, buf, 8), 0);
    ck_assert_int_eq(blockdev_write(&bd, 0, buf, 8), -1);            /* read-only */
    blockdev_close(&bd);
    ck_assert_int_eq(blockdev_open(&bd, "/nonexistent/x.img", BLOCKDEV_READ_ONLY, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.img"));
    ck_assert_int_eq(blockdev_open(&bd, "/tmp", BLOCKDEV_READ_ONLY, err, sizeof err), -1);
}
END_TEST

START_TEST(snapshot_never_touches_the_file)
{
    char err[512];
    make_image(3 * BLOCKDEV_CHUNK + 100); /* a partial last chunk */
    struct blockdev bd;
    ck_assert_int_eq(blockdev_open(&bd, path, BLOCKDEV_SNAPSHOT, err, sizeof err), 0);
    ck_assert(blockdev_writable(&bd));
    /* many chunks, a write spanning two chunks, and the partial last chunk */
    uint8_t big[BLOCKDEV_CHUNK + 10];
    memset(big, 0x5C, sizeof big);
    ck_assert_int_eq(blockdev_write(&bd, BLOCKDEV_CHUNK - 5, big, sizeof big), 0);
    uint8_t tail[50];
    memset(tail, 0x11, sizeof tail);
    ck_assert_int_eq(blockdev_write(&bd, 3 * BLOCKDEV_CHUNK + 50, tail, sizeof tail), 0);
    uint8_t buf[BLOCKDEV_CHUNK * 3 + 100];
    ck_assert_int_eq(blockdev_read(&bd, 0, buf, sizeof buf), 0);
    ck_assert_uint_eq(buf[BLOCKDEV_CHUNK - 6], (BLOCKDEV_CHUNK - 6) % 251);
    ck_assert_uint_eq(buf[BLOCKDEV_CHUNK - 5], 0x5C);
    ck_assert_uint_eq(buf[2 * BLOCKDEV_CHUNK + 4], 0x5C);
    ck_assert_uint_eq(buf[2 * BLOCKDEV_CHUNK + 5], (2 * BLOCKDEV_CHUNK + 5) % 251);
    ck_assert_uint_eq(buf[3 * BLOCKDEV_CHUNK + 49], (3 * BLOCKDEV_CHUNK + 49) % 251);
    ck_assert_uint_eq(buf[3 * BLOCKDEV_CHUNK + 99], 0x11);
    for (unsigned k = 0; k < 2000; k++) { /* grow the overlay table */
        uint8_t b = (uint8_t)k;
        ck_assert_int_eq(blockdev_write(&bd, (k * 7919u) % (3 * BLOCKDEV_CHUNK), &b, 1), 0);
    }
    blockdev_close(&bd);
    ck_assert_uint_eq(file_byte(BLOCKDEV_CHUNK - 5), (BLOCKDEV_CHUNK - 5) % 251);
    ck_assert_uint_eq(file_byte(3 * BLOCKDEV_CHUNK + 99), (3 * BLOCKDEV_CHUNK + 99) % 251);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("blockdev");
    TCase *t = tcase_create("images");
    tcase_add_checked_fixture(t, NULL, remove_image);
    tcase_add_test(t, read_write_persists);
    tcase_add_test(t, bounds_and_read_only);
    tcase_add_test(t, snapshot_never_touches_the_file);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
