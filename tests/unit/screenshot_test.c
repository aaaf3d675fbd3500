/* screenshot_test.c - Check unit tests for frontend/screenshot.c: PNG files
 * written and read back with libpng (pixels compared), the errors for paths
 * that cannot be written, the monitor's aspect and the letterbox geometry the
 * SDL window draws with, and screenshot file-name patterns.  Nothing here
 * needs a display. */
#include <check.h>
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/screenshot.h"

/* ---- helpers ---- */

struct tmpdir {
    char path[64];
};

static void tmpdir_make(struct tmpdir *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/rz_screenshot_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(t->path));
}

static void tmpdir_file(const struct tmpdir *t, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", t->path, name);
}

/* Removes the files the tests create, then the directory (which must then
 * be empty: a test that leaves something unexpected fails here). */
static void tmpdir_remove(struct tmpdir *t, const char *const *names)
{
    char p[128];
    for (; *names; names++) {
        tmpdir_file(t, *names, p, sizeof p);
        unlink(p);
    }
    ck_assert_int_eq(rmdir(t->path), 0);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

struct png_image_read {
    unsigned w, h;
    int bit_depth, color_type, interlace;
    uint8_t *rgb; /* w * h * 3 bytes when color_type is RGB and depth 8 */
};

static void read_fail(png_structp png, png_const_charp msg)
{
    fprintf(stderr, "libpng read error: %s\n", msg);
    png_longjmp(png, 1);
}

/* Reads a PNG back with libpng's own reader; 0 on success. */
static int read_png(const char *path, struct png_image_read *out)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, read_fail, NULL);
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile rgb = NULL;
    int rc = -1;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, fp);
        png_read_info(png, info);
        png_uint_32 w, h;
        png_get_IHDR(png, info, &w, &h, &out->bit_depth, &out->color_type, &out->interlace, NULL, NULL);
        out->w = w;
        out->h = h;
        if (out->bit_depth == 8 && out->color_type == PNG_COLOR_TYPE_RGB && png_get_rowbytes(png, info) == w * 3) {
            rgb = malloc((size_t)w * h * 3);
            for (png_uint_32 y = 0; y < h; y++)
                png_read_row(png, rgb + (size_t)y * w * 3, NULL);
            png_read_end(png, NULL);
        }
        rc = 0;
    }
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    out->rgb = rgb;
    return rc;
}

/* A pattern where every pixel differs and each channel takes many values;
 * the X byte is junk the writer must drop. */
static uint32_t pattern_pixel(unsigned x, unsigned y)
{
    uint32_t r = (x * 7 + y) & 0xFF, g = (y * 5 + 3 * x) & 0xFF, b = (x ^ (y << 2)) & 0xFF;
    return 0xA5000000u | r << 16 | g << 8 | b;
}

static uint32_t *make_pattern(unsigned w, unsigned h)
{
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            px[(size_t)y * w + x] = pattern_pixel(x, y);
    return px;
}

static void check_roundtrip(unsigned w, unsigned h)
{
    struct tmpdir t;
    tmpdir_make(&t);
    char path[128], err[256] = "";
    tmpdir_file(&t, "shot.png", path, sizeof path);
    uint32_t *px = make_pattern(w, h);
    ck_assert_msg(screenshot_write_png(path, px, w, h, err, sizeof err) == 0, "%ux%u: %s", w, h, err);

    struct png_image_read img;
    ck_assert_int_eq(read_png(path, &img), 0);
    ck_assert_uint_eq(img.w, w);
    ck_assert_uint_eq(img.h, h);
    ck_assert_int_eq(img.bit_depth, 8);
    ck_assert_int_eq(img.color_type, PNG_COLOR_TYPE_RGB); /* no alpha */
    ck_assert_int_eq(img.interlace, PNG_INTERLACE_NONE);
    ck_assert_ptr_nonnull(img.rgb);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            const uint8_t *p = img.rgb + ((size_t)y * w + x) * 3;
            uint32_t want = pattern_pixel(x, y) & 0xFFFFFF;
            uint32_t got = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
            ck_assert_msg(got == want, "%ux%u pixel (%u,%u): got %06X want %06X", w, h, x, y, got, want);
        }
    free(img.rgb);
    free(px);
    tmpdir_remove(&t, (const char *const[]){"shot.png", NULL});
}

/* ---- PNG writing ---- */

START_TEST(test_png_roundtrip)
{
    check_roundtrip(37, 23);  /* odd sizes: no row padding assumptions */
    check_roundtrip(1, 1);
    check_roundtrip(720, 400); /* 80x25 text */
    check_roundtrip(1, 300);
}
END_TEST

START_TEST(test_png_primaries_and_overwrite)
{
    struct tmpdir t;
    tmpdir_make(&t);
    char path[128], err[256] = "";
    tmpdir_file(&t, "p.png", path, sizeof path);
    /* A stale, larger file at the path is replaced, not patched. */
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 100000; i++)
        fputc('x', f);
    fclose(f);

    const uint32_t px[6] = {0x00FF0000, 0x0000FF00, 0x000000FF, 0xFFFFFFFF, 0xFF000000, 0x00808080};
    ck_assert_int_eq(screenshot_write_png(path, px, 3, 2, err, sizeof err), 0);
    struct png_image_read img;
    ck_assert_int_eq(read_png(path, &img), 0);
    ck_assert_uint_eq(img.w, 3);
    ck_assert_uint_eq(img.h, 2);
    ck_assert_ptr_nonnull(img.rgb);
    const uint8_t want[18] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128};
    ck_assert_mem_eq(img.rgb, want, sizeof want);
    free(img.rgb);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_lt(st.st_size, 1000);
    tmpdir_remove(&t, (const char *const[]){"p.png", NULL});
}
END_TEST

START_TEST(test_png_unwritable_paths)
{
    struct tmpdir t;
    tmpdir_make(&t);
    uint32_t px[4] = {0};
    char path[128], err[256];

    /* A directory that does not exist (root can write anywhere else). */
    tmpdir_file(&t, "no-such-dir/shot.png", path, sizeof path);
    strcpy(err, "");
    ck_assert_int_eq(screenshot_write_png(path, px, 2, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, path) != NULL, "error does not name the path: %s", err);
    ck_assert_msg(strstr(err, strerror(ENOENT)) != NULL, "error does not say why: %s", err);

    /* The path is a directory. */
    strcpy(err, "");
    ck_assert_int_eq(screenshot_write_png(t.path, px, 2, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, t.path) != NULL && strstr(err, strerror(EISDIR)) != NULL, "%s", err);

    /* Nothing was left behind. */
    tmpdir_remove(&t, (const char *const[]){NULL});
}
END_TEST

START_TEST(test_png_full_device)
{
    /* Writes fail with ENOSPC: the error says so, and the device node is not
     * "cleaned up" as if it were a half-written file. */
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        return; /* no /dev/full here: nothing to test */
    uint32_t *px = make_pattern(64, 64);
    char err[256] = "";
    ck_assert_int_eq(screenshot_write_png("/dev/full", px, 64, 64, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/dev/full") != NULL && strstr(err, strerror(ENOSPC)) != NULL, "%s", err);
    ck_assert_int_eq(stat("/dev/full", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    free(px);
}
END_TEST

START_TEST(test_png_bad_arguments)
{
    struct tmpdir t;
    tmpdir_make(&t);
    char path[128], err[256];
    tmpdir_file(&t, "bad.png", path, sizeof path);
    uint32_t px[4] = {0};
    strcpy(err, "");
    ck_assert_int_eq(screenshot_write_png(path, px, 0, 2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "0x2") != NULL, "%s", err);
    ck_assert_int_eq(screenshot_write_png(path, px, 2, 0, err, sizeof err), -1);
    ck_assert_int_eq(screenshot_write_png(path, NULL, 2, 2, err, sizeof err), -1);
    ck_assert_int_eq(screenshot_write_png(NULL, px, 2, 2, err, sizeof err), -1);
    ck_assert_int_eq(screenshot_write_png(path, px, 2000000, 1, NULL, 0), -1); /* no err buffer: fine */
    ck_assert(!file_exists(path)); /* refused before creating anything */
    tmpdir_remove(&t, (const char *const[]){NULL});
}
END_TEST

/* ---- geometry ---- */

START_TEST(test_display_aspect)
{
    static const struct {
        unsigned w, h, aw, ah;
    } cases[] = {
        {320, 200, 4, 3},   {640, 400, 4, 3},    {720, 400, 4, 3},   {640, 350, 4, 3},
        {720, 350, 4, 3},   {640, 480, 4, 3},    {720, 480, 4, 3},   {360, 480, 4, 3},
        {800, 600, 800, 600}, {1024, 768, 1024, 768}, {1280, 1024, 1280, 1024}, {1920, 1080, 1920, 1080},
        {0, 0, 4, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned aw = 0, ah = 0;
        screenshot_display_aspect(cases[i].w, cases[i].h, &aw, &ah);
        ck_assert_msg(aw == cases[i].aw && ah == cases[i].ah, "%ux%u: %u:%u", cases[i].w, cases[i].h, aw, ah);
    }
}
END_TEST

START_TEST(test_display_size)
{
    static const struct {
        unsigned w, h, dw, dh;
    } cases[] = {
        {640, 400, 640, 480},   {320, 200, 320, 240},    {720, 400, 720, 540},  {640, 350, 640, 480},
        {640, 480, 640, 480},   {800, 600, 800, 600},    {1280, 1024, 1280, 1024},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned dw = 0, dh = 0;
        screenshot_display_size(cases[i].w, cases[i].h, &dw, &dh);
        ck_assert_msg(dw == cases[i].dw && dh == cases[i].dh, "%ux%u: %ux%u", cases[i].w, cases[i].h, dw, dh);
    }
}
END_TEST

START_TEST(test_fit_rect)
{
    static const struct {
        unsigned fw, fh, ow, oh, x, y, w, h;
    } cases[] = {
        {640, 400, 640, 480, 0, 0, 640, 480},     /* mode 13h fills a 4:3 window */
        {640, 400, 640, 400, 53, 0, 533, 400},    /* ...and is pillarboxed in a window of its own shape */
        {720, 400, 800, 480, 80, 0, 640, 480},    /* wide window: bars left and right */
        {720, 400, 640, 600, 0, 60, 640, 480},    /* tall window: bars above and below */
        {640, 480, 1280, 960, 0, 0, 1280, 960},   /* whole multiple */
        {1280, 1024, 1000, 1000, 0, 100, 1000, 800}, /* VBE: square pixels */
        {1920, 1080, 1920, 1200, 0, 60, 1920, 1080},
        {640, 480, 1, 1, 0, 0, 1, 1},             /* never empty */
        {640, 480, 0, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct screenshot_rect r = screenshot_fit_rect(cases[i].fw, cases[i].fh, cases[i].ow, cases[i].oh);
        ck_assert_msg(r.x == cases[i].x && r.y == cases[i].y && r.w == cases[i].w && r.h == cases[i].h,
                      "%ux%u in %ux%u: %u,%u %ux%u", cases[i].fw, cases[i].fh, cases[i].ow, cases[i].oh, r.x, r.y,
                      r.w, r.h);
        ck_assert_uint_le(r.x + r.w, cases[i].ow);
        ck_assert_uint_le(r.y + r.h, cases[i].oh);
    }
}
END_TEST

/* ---- file names ---- */

START_TEST(test_pattern_check)
{
    char err[256];
    ck_assert_int_eq(screenshot_pattern_check("ringzero-%03u.png", err, sizeof err), 1);
    ck_assert_int_eq(screenshot_pattern_check("shot-%d.png", err, sizeof err), 1);
    ck_assert_int_eq(screenshot_pattern_check("shot-%5u.png", err, sizeof err), 1);
    ck_assert_int_eq(screenshot_pattern_check("shot.png", err, sizeof err), 0);
    ck_assert_int_eq(screenshot_pattern_check("100%%.png", err, sizeof err), 0);
    static const char *const bad[] = {"%s.png", "%n", "%x.png", "%u-%u.png", "shot%", "%-3u.png",
                                      "%lu.png", "%099u.png", "%*u.png", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(err, "");
        ck_assert_msg(screenshot_pattern_check(bad[i], err, sizeof err) == -1, "'%s' accepted", bad[i]);
        ck_assert_msg(err[0] != '\0', "'%s': no message", bad[i]);
    }
    ck_assert_int_eq(screenshot_pattern_check(NULL, err, sizeof err), -1);
}
END_TEST

START_TEST(test_format_name)
{
    char buf[64], err[256];
    ck_assert_int_eq(screenshot_format_name("ringzero-%03u.png", 7, buf, sizeof buf, err, sizeof err), 0);
    ck_assert_str_eq(buf, "ringzero-007.png");
    ck_assert_int_eq(screenshot_format_name("ringzero-%03u.png", 12345, buf, sizeof buf, err, sizeof err), 0);
    ck_assert_str_eq(buf, "ringzero-12345.png");
    ck_assert_int_eq(screenshot_format_name("x%u", 4000000000u, buf, sizeof buf, err, sizeof err), 0);
    ck_assert_str_eq(buf, "x4000000000");
    ck_assert_int_eq(screenshot_format_name("100%%-%2d.png", 5, buf, sizeof buf, err, sizeof err), 0);
    ck_assert_str_eq(buf, "100%- 5.png");
    ck_assert_int_eq(screenshot_format_name("plain.png", 5, buf, sizeof buf, err, sizeof err), 0);
    ck_assert_str_eq(buf, "plain.png");
    /* Exactly fits, then one byte short. */
    ck_assert_int_eq(screenshot_format_name("ab%u", 9, buf, 4, err, sizeof err), 0);
    ck_assert_str_eq(buf, "ab9");
    strcpy(err, "");
    ck_assert_int_eq(screenshot_format_name("ab%u", 10, buf, 4, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "too long") != NULL, "%s", err);
    ck_assert_int_eq(screenshot_format_name("%s", 1, buf, sizeof buf, err, sizeof err), -1);
}
END_TEST

START_TEST(test_next_path)
{
    struct tmpdir t;
    tmpdir_make(&t);
    char pattern[128], path[128], err[256];
    snprintf(pattern, sizeof pattern, "%s/s-%%02u.png", t.path);
    static const char *const taken[] = {"s-00.png", "s-01.png", "s-03.png"};
    for (size_t i = 0; i < 3; i++) {
        tmpdir_file(&t, taken[i], path, sizeof path);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fclose(f);
    }
    unsigned n = 0;
    char want[128];
    ck_assert_int_eq(screenshot_next_path(pattern, &n, path, sizeof path, err, sizeof err), 0);
    tmpdir_file(&t, "s-02.png", want, sizeof want);
    ck_assert_str_eq(path, want);
    ck_assert_uint_eq(n, 3);
    /* Not created by next_path: the caller writes it.  Pretend it did. */
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(screenshot_next_path(pattern, &n, path, sizeof path, err, sizeof err), 0);
    tmpdir_file(&t, "s-04.png", want, sizeof want);
    ck_assert_str_eq(path, want); /* 03 exists: skipped */
    ck_assert_uint_eq(n, 5);

    /* Without a counter the one name is reused. */
    snprintf(pattern, sizeof pattern, "%s/s-00.png", t.path);
    ck_assert_int_eq(screenshot_next_path(pattern, &n, path, sizeof path, err, sizeof err), 0);
    ck_assert_str_eq(path, pattern);
    ck_assert_int_eq(screenshot_next_path("%s", &n, path, sizeof path, err, sizeof err), -1);
    tmpdir_remove(&t, (const char *const[]){"s-00.png", "s-01.png", "s-02.png", "s-03.png", NULL});
}
END_TEST

int main(void)
{
    Suite *s = suite_create("screenshot");
    TCase *tc = tcase_create("png");
    tcase_add_test(tc, test_png_roundtrip);
    tcase_add_test(tc, test_png_primaries_and_overwrite);
    tcase_add_test(tc, test_png_unwritable_paths);
    tcase_add_test(tc, test_png_full_device);
    tcase_add_test(tc, test_png_bad_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("geometry");
    tcase_add_test(tc, test_display_aspect);
    tcase_add_test(tc, test_display_size);
    tcase_add_test(tc, test_fit_rect);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_add_test(tc, test_pattern_check);
    tcase_add_test(tc, test_format_name);
    tcase_add_test(tc, test_next_path);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
