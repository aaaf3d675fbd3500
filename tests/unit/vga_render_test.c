/* VGA renderer tests (devices/vga_render.c): a text screen drawn from glyphs
 * loaded into plane 2 here and checked dot by dot (9th column, cursor,
 * blink, character maps, palette/DAC path, 40 columns), the text dump, mode
 * 13h, mode X, mode 12h/0Dh, CGA 4-colour, and VBE modes through the LFB
 * and the bank window.  Colours are worked out from the EGA palette the DAC
 * holds at power-on and the registers written here. */
#include "vga_test_util.h"

/* ---- text ---- */

static const uint8_t glyph_a[16] = {0x00, 0x18, 0x3C, 0x66, 0xC3, 0xFF, 0xC3, 0xC3,
                                    0xC3, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
static const uint8_t glyph_hline[16] = {0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0}; /* 0xC4 */
static const uint8_t glyph_bar[16] = {0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
                                      0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01}; /* 0xB3-like at 0xB0 */

/* Loads glyphs into plane 2 the way a VGA BIOS does (font access mode). */
static void load_glyph(unsigned map_offset, uint8_t ch, const uint8_t rows[16])
{
    seq_w(2, 0x04);
    seq_w(4, 0x07);
    gr_w(4, 0x02);
    gr_w(5, 0x00);
    gr_w(6, 0x04);
    for (unsigned r = 0; r < 16; r++)
        mwr(0xA0000 + map_offset + ch * 32u + r, rows[r]);
    seq_w(2, 0x03);
    seq_w(4, 0x02);
    gr_w(4, 0x00);
    gr_w(5, 0x10);
    gr_w(6, 0x0E);
}

static void put_char(unsigned row, unsigned col, uint8_t ch, uint8_t at)
{
    uint32_t a = 0xB8000 + (row * 80 + col) * 2;
    mwr(a, ch);
    mwr(a + 1, at);
}

static void check_cell(unsigned w, unsigned row, unsigned col, const uint8_t glyph[16], uint32_t fg, uint32_t bg,
                       bool ninth_from_bit0)
{
    for (unsigned r = 0; r < 16; r++)
        for (unsigned x = 0; x < 9; x++) {
            bool on = x < 8 ? (glyph[r] >> (7 - x)) & 1 : ninth_from_bit0 && (glyph[r] & 1);
            uint32_t got = px(w, col * 9 + x, row * 16 + r);
            ck_assert_msg(got == (on ? fg : bg), "cell %u,%u dot %u,%u: %06x", row, col, x, r, got);
        }
}

START_TEST(text_render)
{
    load_glyph(0, 'A', glyph_a);
    load_glyph(0, 0xC4, glyph_hline);
    load_glyph(0, 0xB0, glyph_bar);
    put_char(0, 0, 'A', 0x1E);
    put_char(0, 1, 0xC4, 0x1E);
    put_char(0, 2, 0xB0, 0x1E);
    put_char(0, 3, 'A', 0x9E); /* blinking */
    crtc_w(0x0E, 0);
    crtc_w(0x0F, 80 + 3); /* cursor at row 1, column 3 */
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 720);
    ck_assert_uint_eq(h, 400);
    check_cell(w, 0, 0, glyph_a, YELLOW, BLUE, false);
    check_cell(w, 0, 1, glyph_hline, YELLOW, BLUE, true); /* line graphics: 9th dot repeats dot 8 */
    check_cell(w, 0, 2, glyph_bar, YELLOW, BLUE, false);  /* 0xB0 is outside 0xC0-0xDF */
    check_cell(w, 0, 3, glyph_a, YELLOW, BLUE, false);    /* blink phase "on" at t = 0 */
    ck_assert_uint_eq(px(w, 0, 20), 0);                   /* blank cell: attribute 0 */
    /* cursor: scan lines 13-14 of the cell, all nine dots, in the foreground colour */
    put_char(1, 3, ' ', 0x07);
    render(&w, &h);
    for (unsigned r = 0; r < 16; r++)
        for (unsigned x = 0; x < 9; x++)
            ck_assert_uint_eq(px(w, 27 + x, 16 + r), (r == 13 || r == 14) ? GREY : 0);
    /* 8 frames later the cursor is off; 16 frames later blinking text too */
    advance_ns(8 * VGA_FRAME_NS);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 13), 0);
    check_cell(w, 0, 3, glyph_a, YELLOW, BLUE, false);
    advance_ns(8 * VGA_FRAME_NS);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 13), GREY);
    static const uint8_t empty[16] = {0};
    check_cell(w, 0, 3, empty, YELLOW, BLUE, false);
    check_cell(w, 0, 0, glyph_a, YELLOW, BLUE, false);
    /* blink disabled: bit 7 is background intensity (bg 9 = EGA 0x39) */
    attr_w(0x10, 0x04);
    render(&w, &h);
    check_cell(w, 0, 3, glyph_a, YELLOW, 0x5555FFu, false);
    /* cursor disable bit; start > end also hides it */
    advance_ns(16 * VGA_FRAME_NS);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 13), GREY);
    crtc_w(0x0A, 0x2D);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 13), 0);
    crtc_w(0x0A, 0x0F);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 13), 0);
    crtc_w(0x0A, 0x00); /* whole cell */
    render(&w, &h);
    ck_assert_uint_eq(px(w, 27, 16 + 0), GREY);
    ck_assert_uint_eq(px(w, 35, 16 + 14), GREY);
    ck_assert_uint_eq(px(w, 27, 16 + 15), 0);
    /* line graphics disabled: the 9th dot is background */
    attr_w(0x10, 0x00);
    render(&w, &h);
    check_cell(w, 0, 1, glyph_hline, YELLOW, BLUE, false);
    /* 8-dot characters */
    seq_w(1, 0x01);
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    for (unsigned x = 0; x < 8; x++)
        ck_assert_uint_eq(px(w, 8 + x, 7), YELLOW); /* 0xC4 now at x = 8 */
    ck_assert_uint_eq(px(w, 16, 7), BLUE);
    /* screen off */
    seq_w(1, 0x21);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 8, 7), 0);
}
END_TEST

START_TEST(text_render_maps_and_colours)
{
    static const uint8_t alt[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    crtc_w(0x0A, 0x20); /* no cursor */
    load_glyph(0, 'A', glyph_a);
    load_glyph(0x4000, 'A', alt); /* map 1 */
    put_char(0, 0, 'A', 0x1E);   /* attribute bit 3 set: map A */
    put_char(0, 1, 'A', 0x16);   /* bit 3 clear: map B */
    seq_w(3, 0x04);               /* map A = 1, map B = 0 */
    unsigned w, h;
    render(&w, &h);
    check_cell(w, 0, 0, alt, YELLOW, BLUE, false);
    /* attr 6 -> AR06 = 0x14 -> brown (2A,15,00) */
    check_cell(w, 0, 1, glyph_a, 0xAA5500u, BLUE, false);
    seq_w(3, 0x00);
    render(&w, &h);
    check_cell(w, 0, 0, glyph_a, YELLOW, BLUE, false);
    /* palette and DAC: attribute 0xE -> AR0E = 0x21 -> DAC 0x21 */
    attr_w(0x0E, 0x21);
    dac_w(0x21, 0x3F, 0x00, 0x20);
    render(&w, &h);
    check_cell(w, 0, 0, glyph_a, 0xFF0082u, BLUE, false);
    /* colour select with P5/P4 from AR14 (AR10 bit 7) */
    dac_w(0x31, 0x00, 0x3F, 0x00);
    attr_w(0x10, 0x8C);
    attr_w(0x14, 0x03);
    render(&w, &h);
    /* AR0E = 0x21: low 4 bits 1, bits 5-4 from AR14 = 11 -> 0x31; bg AR01 = 0x01 -> 0x31 too */
    ck_assert_uint_eq(px(w, 3, 5), 0x00FF00u);
    /* pel mask */
    attr_w(0x10, 0x0C);
    attr_w(0x14, 0x00);
    outb(0x3C6, 0x0F); /* 0x21 & 0x0F = 1 -> blue */
    render(&w, &h);
    ck_assert_uint_eq(px(w, 3, 5), BLUE);
    outb(0x3C6, 0xFF);
    /* colour plane enable masks the attribute bits: 0xE & 0x7 = 6 (brown) */
    attr_w(0x12, 0x07);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 3, 5), 0xAA5500u);
    attr_w(0x12, 0x0F);
    /* palette access (PAS = 0) blanks to the overscan colour */
    attr_w(0x11, 0x01);
    inb(0x3DA);
    outb(0x3C0, 0x00);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 3, 5), BLUE);
    ck_assert_uint_eq(px(w, 700, 390), BLUE);
    outb(0x3C0, 0x00);
    outb(0x3C0, 0x20);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 700, 390), 0);
    /* start address: the screen starts at character 1 */
    crtc_w(0x0D, 1);
    render(&w, &h);
    check_cell(w, 0, 0, glyph_a, 0xAA5500u, BLUE, false);
    crtc_w(0x0D, 0);
    /* 40 columns: halved dot clock doubles every dot */
    crtc_w(0x11, 0x0E);
    crtc_w(0x01, 0x27);
    crtc_w(0x13, 0x14);
    seq_w(1, 0x08);
    render(&w, &h);
    ck_assert_uint_eq(w, 720);
    for (unsigned r = 0; r < 16; r++)
        for (unsigned x = 0; x < 8; x++) {
            bool on = (glyph_a[r] >> (7 - x)) & 1;
            ck_assert_uint_eq(px(w, 2 * x, r), on ? 0xFF0082u : BLUE);
            ck_assert_uint_eq(px(w, 2 * x + 1, r), on ? 0xFF0082u : BLUE);
        }
}
END_TEST

START_TEST(text_dump)
{
    const char *hello = "Hello, world";
    for (unsigned i = 0; hello[i]; i++)
        put_char(0, i, (uint8_t)hello[i], 0x07);
    put_char(2, 5, 'X', 0x07);
    put_char(3, 0, 0x01, 0x07);
    put_char(3, 1, 0xB3, 0x07);
    put_char(3, 2, 0x00, 0x07);
    put_char(3, 3, 'y', 0x07);
    put_char(24, 79, 'Z', 0x07);
    char buf[4096];
    size_t n = vga_text_dump(&vga, buf, sizeof buf);
    /* 0x01 and 0xB3 come out as UTF-8 (U+263A, U+2502) */
    char expect[4096] = "Hello, world\n\n     X\n\xE2\x98\xBA\xE2\x94\x82 y\n";
    for (unsigned r = 4; r < 24; r++)
        strcat(expect, "\n");
    size_t e = strlen(expect);
    memset(expect + e, ' ', 79);
    strcpy(expect + e + 79, "Z\n");
    ck_assert_str_eq(buf, expect);
    ck_assert_uint_eq(n, strlen(expect));
    /* truncation: snprintf-like return */
    char small[8];
    ck_assert_uint_eq(vga_text_dump(&vga, small, sizeof small), n);
    ck_assert_str_eq(small, "Hello, ");
    /* graphics mode: no text */
    attr_w(0x10, 0x01);
    ck_assert_uint_eq(vga_text_dump(&vga, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

/* ---- graphics modes ---- */

/* IBM register values of mode 13h. */
static const uint8_t crtc_13[25] = {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF};
static const uint8_t attr_13[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
                                    0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00, 0x00};
static void mode_13h(void)
{
    outb(0x3C2, 0x63);
    seq_w(1, 0x01);
    seq_w(2, 0x0F);
    seq_w(3, 0x00);
    seq_w(4, 0x0E);
    load_crtc(crtc_13);
    static const uint8_t g[9] = {0, 0, 0, 0, 0, 0x40, 0x05, 0x0F, 0xFF};
    for (unsigned i = 0; i < 9; i++)
        gr_w((uint8_t)i, g[i]);
    load_attr(attr_13);
}

START_TEST(mode_13h_render)
{
    mode_13h();
    dac_w(0x20, 0x3F, 0x00, 0x00);
    dac_w(0x21, 0x00, 0x3F, 0x00);
    dac_w(0x22, 0x00, 0x00, 0x3F);
    mwr(0xA0000, 0x20);
    mwr(0xA0001, 0x21);
    mwr(0xA0000 + 3 * 320 + 5, 0x22);
    mwr(0xA0000 + 199 * 320 + 319, 0x21);
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    for (unsigned dy = 0; dy < 2; dy++)
        for (unsigned dx = 0; dx < 2; dx++) {
            ck_assert_uint_eq(px(w, dx, dy), 0xFF0000u);
            ck_assert_uint_eq(px(w, 2 + dx, dy), 0x00FF00u);
            ck_assert_uint_eq(px(w, 10 + dx, 6 + dy), 0x0000FFu);
            ck_assert_uint_eq(px(w, 638 + dx, 398 + dy), 0x00FF00u);
        }
    ck_assert_uint_eq(px(w, 4, 0), 0);
    ck_assert_uint_eq(px(w, 10, 5), 0);
    ck_assert_uint_eq(px(w, 12, 6), 0);
    /* the pel mask applies */
    outb(0x3C6, 0x01);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 0), 0x000000u); /* 0x20 & 1 = 0 */
    outb(0x3C6, 0xFF);
    /* split screen: line compare 99 shows memory from 0 again at line 100 */
    crtc_w(0x18, 99);
    crtc_w(0x07, crtc_13[7] & ~0x10);
    crtc_w(0x09, 0x01);
    crtc_w(0x0C, 0x00);
    crtc_w(0x0D, 80); /* start at memory row 1 (80 counts of 4 bytes) */
    render(&w, &h);
    ck_assert_uint_eq(px(w, 10, 4), 0x0000FFu); /* row 3 is now the second memory row on screen: y = 2*2 */
    ck_assert_uint_eq(px(w, 0, 100), 0xFF0000u);
    ck_assert_uint_eq(px(w, 0, 99), 0);
}
END_TEST

START_TEST(mode_x_render)
{
    mode_13h();
    seq_w(4, 0x06);     /* unchain */
    crtc_w(0x14, 0x00); /* doubleword mode off */
    crtc_w(0x17, 0xE3); /* byte mode */
    dac_w(7, 0x3F, 0x3F, 0x3F);
    dac_w(9, 0x3F, 0x00, 0x3F);
    /* pixel (x, y) is plane x & 3 at y * 80 + x / 4 */
    static const unsigned pts[][3] = {{0, 0, 7}, {1, 0, 9}, {6, 2, 7}, {319, 199, 9}, {160, 100, 7}};
    for (unsigned i = 0; i < 5; i++) {
        seq_w(2, (uint8_t)(1u << (pts[i][0] & 3)));
        mwr(0xA0000 + pts[i][1] * 80 + pts[i][0] / 4, (uint8_t)pts[i][2]);
    }
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    for (unsigned i = 0; i < 5; i++) {
        uint32_t c = pts[i][2] == 7 ? 0xFFFFFFu : 0xFF00FFu;
        ck_assert_uint_eq(px(w, pts[i][0] * 2, pts[i][1] * 2), c);
        ck_assert_uint_eq(px(w, pts[i][0] * 2 + 1, pts[i][1] * 2 + 1), c);
    }
    ck_assert_uint_eq(px(w, 4, 0), 0);
    /* page flip: start address 8000 shows the second page */
    seq_w(2, 0x01);
    mwr(0xA0000 + 8000, 9);
    crtc_w(0x0C, 8000 >> 8);
    crtc_w(0x0D, 8000 & 0xFF);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 0), 0xFF00FFu);
    ck_assert_uint_eq(px(w, 2, 0), 0);
}
END_TEST

START_TEST(mode_12h_render)
{
    mode_12h();
    put_pixel_16(0, 0, 0x0E);
    put_pixel_16(1, 0, 0x01);
    put_pixel_16(639, 479, 0x0F);
    put_pixel_16(100, 200, 0x04);
    put_pixel_16(101, 200, 0x0C);
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 480);
    ck_assert_uint_eq(px(w, 0, 0), YELLOW);
    ck_assert_uint_eq(px(w, 1, 0), BLUE);
    ck_assert_uint_eq(px(w, 2, 0), 0);
    ck_assert_uint_eq(px(w, 639, 479), 0xFFFFFFu);
    ck_assert_uint_eq(px(w, 100, 200), 0xAA0000u); /* 4: red */
    ck_assert_uint_eq(px(w, 101, 200), 0xFF5555u); /* 0xC: AR0C = 0x3C, light red */
    ck_assert_uint_eq(px(w, 100, 201), 0);
    /* pel panning by 1 moves the picture one dot left */
    attr_w(0x13, 0x01);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 0), BLUE);
    ck_assert_uint_eq(px(w, 99, 200), 0xAA0000u);
    attr_w(0x13, 0x00);
    /* mode 0Dh geometry: halved dot clock and double scan -> 320x200 drawn 640x400 */
    crtc_w(0x11, 0x00);
    crtc_w(0x09, 0xC0);
    crtc_w(0x12, 0x8F);
    crtc_w(0x07, 0x1F);
    crtc_w(0x01, 0x27);
    seq_w(1, 0x09);
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    ck_assert_uint_eq(px(w, 0, 0), YELLOW);
    ck_assert_uint_eq(px(w, 1, 1), YELLOW);
    ck_assert_uint_eq(px(w, 2, 0), BLUE);
    ck_assert_uint_eq(px(w, 3, 1), BLUE);
    ck_assert_uint_eq(px(w, 4, 0), 0);
}
END_TEST

START_TEST(cga_4_colour_render)
{
    /* mode 4: 320x200, 2 bits a pixel, odd lines at +8 KiB, odd/even planes */
    static const uint8_t crtc_04[25] = {0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00,
                                        0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF};
    static const uint8_t attr_04[21] = {0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12,
                                        0x13, 0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00};
    outb(0x3C2, 0x63);
    seq_w(1, 0x09);
    seq_w(2, 0x03);
    seq_w(3, 0x00);
    seq_w(4, 0x02);
    load_crtc(crtc_04);
    static const uint8_t g[9] = {0, 0, 0, 0, 0, 0x30, 0x0F, 0x0F, 0xFF};
    for (unsigned i = 0; i < 9; i++)
        gr_w((uint8_t)i, g[i]);
    load_attr(attr_04);
    mwr(0xB8000, 0x1B);          /* line 0, pixels 0-3: 0, 1, 2, 3 */
    mwr(0xB8001, 0xC0);          /* line 0, pixel 4: 3 */
    mwr(0xB8000 + 0x2000, 0x40); /* line 1, pixel 0: 1 */
    mwr(0xB8000 + 80, 0x80);     /* line 2, pixel 0: 2 */
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    /* colours 1-3 -> AR 0x13, 0x15, 0x17 -> the EGA colours of the power-on DAC (bit 4 adds 1/3 green) */
    static const uint32_t c[4] = {0x000000u, 0x00FFAAu, 0xAA55AAu, 0xAAFFAAu};
    for (unsigned p = 0; p < 4; p++) {
        ck_assert_uint_eq(px(w, p * 2, 0), c[p]);
        ck_assert_uint_eq(px(w, p * 2 + 1, 1), c[p]);
    }
    ck_assert_uint_eq(px(w, 8, 0), c[3]);
    ck_assert_uint_eq(px(w, 10, 0), 0);
    ck_assert_uint_eq(px(w, 0, 2), c[1]);
    ck_assert_uint_eq(px(w, 0, 3), c[1]);
    ck_assert_uint_eq(px(w, 0, 4), c[2]);
    ck_assert_uint_eq(px(w, 2, 2), 0);
}
END_TEST

START_TEST(cga_2_colour_render)
{
    /* mode 6: 640x200, 1 bit a pixel in plane 0, odd lines at +8 KiB */
    static const uint8_t crtc_06[25] = {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00,
                                        0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x00, 0x96, 0xB9, 0xC2, 0xFF};
    outb(0x3C2, 0x63);
    seq_w(1, 0x01);
    seq_w(2, 0x01);
    seq_w(3, 0x00);
    seq_w(4, 0x06);
    load_crtc(crtc_06);
    static const uint8_t g[9] = {0, 0, 0, 0, 0, 0x00, 0x0D, 0x0F, 0xFF};
    for (unsigned i = 0; i < 9; i++)
        gr_w((uint8_t)i, g[i]);
    for (unsigned i = 0; i < 16; i++)
        attr_w((uint8_t)i, i ? 0x17 : 0x00);
    attr_w(0x10, 0x01);
    attr_w(0x12, 0x01);
    mwr(0xB8000, 0x81);          /* line 0: pixels 0 and 7 */
    mwr(0xB8000 + 0x2000, 0x40); /* line 1: pixel 1 */
    mwr(0xB8000 + 80 + 79, 0x01); /* line 2: pixel 639 */
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 400);
    const uint32_t on = 0xAAFFAAu; /* AR 0x17 -> EGA colour 0x17 */
    ck_assert_uint_eq(px(w, 0, 0), on);
    ck_assert_uint_eq(px(w, 0, 1), on); /* double scan */
    ck_assert_uint_eq(px(w, 1, 0), 0);
    ck_assert_uint_eq(px(w, 7, 0), on);
    ck_assert_uint_eq(px(w, 1, 2), on);
    ck_assert_uint_eq(px(w, 0, 2), 0);
    ck_assert_uint_eq(px(w, 639, 4), on);
    ck_assert_uint_eq(px(w, 639, 5), on);
}
END_TEST

/* ---- VBE ---- */

START_TEST(vbe_32bpp_lfb_and_bank)
{
    vbe_mode(640, 480, 32, VBE_DISPI_LFB_ENABLED);
    physmem_write(pm, LFB, 0x00112233, 4);
    physmem_write(pm, LFB + (479u * 640 + 639) * 4, 0x00ABCDEF, 4);
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 480);
    ck_assert_uint_eq(px(w, 0, 0), 0x112233u);
    ck_assert_uint_eq(px(w, 639, 479), 0xABCDEFu);
    ck_assert_uint_eq(px(w, 1, 0), 0);
    /* bank window: bank 1 = bytes 0x10000-0x1FFFF = pixels 0x4000.. (y 25, x 384) */
    vbe_w(VBE_INDEX_BANK, 1);
    physmem_write(pm, 0xA0000, 0x00FF8000, 4);
    ck_assert_uint_eq(physmem_read(pm, LFB + 0x10000, 4), 0x00FF8000u);
    ck_assert_uint_eq(physmem_read(pm, 0xA0000, 4), 0x00FF8000u);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 384, 25), 0xFF8000u);
    vbe_w(VBE_INDEX_BANK, 0);
    ck_assert_uint_eq(physmem_read(pm, 0xA0000, 4), 0x00112233u);
    /* virtual width and display start */
    vbe_w(VBE_INDEX_VIRT_WIDTH, 1024);
    physmem_write(pm, LFB + (2u * 1024 + 5) * 4, 0x00010203, 4);
    vbe_w(VBE_INDEX_Y_OFFSET, 2);
    vbe_w(VBE_INDEX_X_OFFSET, 5);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 0), 0x010203u);
    /* the renderer stops at the end of video memory */
    vbe_w(VBE_INDEX_Y_OFFSET, 4095);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 1), 0);
    /* buffer too small: nothing drawn, size reported */
    ck_assert_int_eq(vga_render(&vga, fb, 320, 200, &w, &h), -1);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 480);
    ck_assert_uint_eq(vga_text_dump(&vga, (char[4]){0}, 4), 0);
}
END_TEST

START_TEST(vbe_depths)
{
    unsigned w, h;
    vbe_mode(320, 200, 8, VBE_DISPI_LFB_ENABLED);
    dac_w(0x80, 0x3F, 0x20, 0x00);
    physmem_write(pm, LFB + 321, 0x80, 1);
    render(&w, &h);
    ck_assert_uint_eq(w, 320);
    ck_assert_uint_eq(px(w, 1, 1), 0xFF8200u);
    /* 8-bit DAC */
    vbe_w(VBE_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED | VBE_DISPI_8BIT_DAC | VBE_DISPI_NOCLEARMEM);
    dac_w(0x80, 0x12, 0x34, 0x56);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 1, 1), 0x123456u);

    vbe_mode(320, 200, 15, VBE_DISPI_LFB_ENABLED);
    physmem_write(pm, LFB + 2, 0x7C00 | 0x0010 | 0x0001, 2); /* r 31, g 0b00000 + 16>>5.., b 1 */
    render(&w, &h);
    /* r = 31 -> 0xFF; g = (0x10 >> 5) = 0; b = 0x11 & 31 = 17 -> 17<<3|17>>2 = 0x8C */
    ck_assert_uint_eq(px(w, 1, 0), 0xFF008Cu);

    vbe_mode(320, 200, 16, VBE_DISPI_LFB_ENABLED);
    physmem_write(pm, LFB + 2, 0x07E0, 2); /* green 63 */
    physmem_write(pm, LFB + 4, 0xF800, 2); /* red 31 */
    physmem_write(pm, LFB + 6, 0x8410, 2); /* r 16, g 32, b 16 */
    render(&w, &h);
    ck_assert_uint_eq(px(w, 1, 0), 0x00FF00u);
    ck_assert_uint_eq(px(w, 2, 0), 0xFF0000u);
    ck_assert_uint_eq(px(w, 3, 0), 0x848284u);

    vbe_mode(320, 200, 24, VBE_DISPI_LFB_ENABLED);
    physmem_write(pm, LFB + 3, 0x332211, 3); /* B=11 G=22 R=33 */
    physmem_write(pm, LFB + 320 * 3, 0xCCBBAA, 3);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 1, 0), 0x332211u);
    ck_assert_uint_eq(px(w, 0, 1), 0xCCBBAAu);
    ck_assert_uint_eq(px(w, 2, 0), 0);
}
END_TEST

START_TEST(vbe_4bpp_planar)
{
    /* 800x600x4 the SeaVGABIOS way: VGA planar registers, then VBE with BPP 4 */
    mode_12h();
    vbe_mode(800, 600, 4, 0);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_HEIGHT), (4u << 20) / 100);
    /* pixel (8, 0): plane offset 1; pixel (0, 700) is past 64 KiB: bank 1 */
    put_pixel_16(8, 0, 0x0E);
    vbe_w(VBE_INDEX_Y_OFFSET, 100);
    vbe_w(VBE_INDEX_BANK, 1);
    uint32_t off = 700u * 100 - 0x10000;
    gr_w(5, 0x02);
    gr_w(8, 0x80);
    (void)mrd(0xA0000 + off);
    mwr(0xA0000 + off, 0x01);
    gr_w(5, 0x00);
    gr_w(8, 0xFF);
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(w, 800);
    ck_assert_uint_eq(h, 600);
    ck_assert_uint_eq(px(w, 0, 599), 0); /* memory row 700 is below the screen */
    vbe_w(VBE_INDEX_Y_OFFSET, 200);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 0, 500), BLUE);
    ck_assert_uint_eq(px(w, 1, 500), 0);
    vbe_w(VBE_INDEX_Y_OFFSET, 0);
    render(&w, &h);
    ck_assert_uint_eq(px(w, 8, 0), YELLOW);
    ck_assert_uint_eq(px(w, 9, 0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vga_render");
    TCase *text = tcase_create("text");
    tcase_add_checked_fixture(text, setup, teardown);
    tcase_add_test(text, text_render);
    tcase_add_test(text, text_render_maps_and_colours);
    tcase_add_test(text, text_dump);
    suite_add_tcase(s, text);
    TCase *gfx = tcase_create("graphics");
    tcase_add_checked_fixture(gfx, setup, teardown);
    tcase_add_test(gfx, mode_13h_render);
    tcase_add_test(gfx, mode_x_render);
    tcase_add_test(gfx, mode_12h_render);
    tcase_add_test(gfx, cga_4_colour_render);
    tcase_add_test(gfx, cga_2_colour_render);
    suite_add_tcase(s, gfx);
    TCase *vbe = tcase_create("vbe");
    tcase_add_checked_fixture(vbe, setup, teardown);
    tcase_add_test(vbe, vbe_32bpp_lfb_and_bank);
    tcase_add_test(vbe, vbe_depths);
    tcase_add_test(vbe, vbe_4bpp_planar);
    suite_add_tcase(s, vbe);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
