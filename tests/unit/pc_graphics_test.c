/* DOS-style graphics end to end: boot sectors of ours (the .asm files in tests/pc) boot
 * from a floppy through SeaBIOS, set mode 13h or VBE mode 101h through the VGA
 * BIOS, load their own palette and draw pixel (x, y) = (x + y) & 63.  The
 * rendered screen (what a screenshot shows) is compared pixel by pixel with
 * the colours that palette gives. Skipped when SeaBIOS is not installed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "devices/vga_render.h"
#include "frontend/machine.h"

static uint32_t expected_colour(unsigned index)
{
    unsigned r = index, g = 63 - index, b = index / 2; /* the program's DAC entries, 6 bits each */
    unsigned r8 = (r << 2) | (r >> 4), g8 = (g << 2) | (g >> 4), b8 = (b << 2) | (b >> 4);
    return (r8 << 16) | (g8 << 8) | b8;
}

/* Boots image, runs to its final HLT, and checks every pixel of a w x h frame
 * whose guest pixels are sx x sy screen pixels. */
static void check_program(const char *name, unsigned w, unsigned h, unsigned sx, unsigned sy)
{
    if (access("/usr/share/seabios/bios.bin", R_OK) != 0) {
        printf("skipped: /usr/share/seabios/bios.bin not installed\n");
        return;
    }
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/guest/%s.bin", RINGZERO_BINARY_DIR, name);
    struct machine_config cfg = {.board = BOARD_PC, .ram_bytes = 32u << 20, .model = CPU_MODEL_P6, .fda = path,
                                 .boot_order = "a", .snapshot = true};
    struct machine *m = machine_create(&cfg, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    ck_assert_int_eq(machine_run(m, 500000000), MACHINE_EXIT_HALT);
    uint32_t *px = malloc((size_t)VGA_RENDER_MAX_W * VGA_RENDER_MAX_H * sizeof *px);
    unsigned rw = 0, rh = 0;
    ck_assert_int_eq(machine_render(m, px, VGA_RENDER_MAX_W, VGA_RENDER_MAX_H, &rw, &rh), 0);
    ck_assert_uint_eq(rw, w * sx);
    ck_assert_uint_eq(rh, h * sy);
    unsigned bad = 0;
    for (unsigned y = 0; y < rh; y++)
        for (unsigned x = 0; x < rw; x++)
            if ((px[y * rw + x] & 0xFFFFFF) != expected_colour(((x / sx) + (y / sy)) & 63) && bad++ < 5)
                printf("%s: pixel (%u,%u) is %06x, expected %06x\n", name, x, y, px[y * rw + x] & 0xFFFFFF,
                       expected_colour(((x / sx) + (y / sy)) & 63));
    ck_assert_uint_eq(bad, 0);
    free(px);
    machine_destroy(m);
}

START_TEST(mode13h) { check_program("mode13", 320, 200, 2, 2); } /* shown double-scanned: 640x400 */
END_TEST

START_TEST(vbe_mode_101h) { check_program("vbe", 640, 480, 1, 1); }
END_TEST

int main(void)
{
    Suite *s = suite_create("pc_graphics");
    TCase *t = tcase_create("boot sectors");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, mode13h);
    tcase_add_test(t, vbe_mode_101h);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
