/* VGA display side: the CRT controller's scan of video memory, the
 * attribute controller and the DAC, turned into XRGB8888 pixels; and the
 * text screen as plain text.
 *
 * Sources: IBM VGA Technical Reference and FreeVGA, "CRT Controller
 * Registers" (horizontal display end CR01, vertical display end CR12/CR07,
 * maximum scan line and double scan CR09, offset CR13, start address
 * CR0C/CR0D, preset row scan and byte panning CR08, line compare
 * CR18/CR07/CR09, underline location CR14, mode control CR17: byte/word
 * mode, address wrap, count by 2, CGA/Hercules row scan substitution for
 * MA13/MA14; doubleword mode and count by 4 in CR14; cursor CR0A/CR0B/CR0E/
 * CR0F), "Sequencer Registers" (8/9 dot clocks and dot clock divide in SR01,
 * screen off, character map select SR03), "Graphics Registers" (shift
 * register mode GR05 bits 5-6), "Attribute Controller Registers" (palette,
 * mode control AR10: graphics, line graphics enable for 0xC0-0xDF, blink,
 * pixel panning mode, 8-bit colour, P5/P4 select; colour plane enable AR12,
 * pel panning AR13, colour select AR14) and the DAC pel mask.
 *
 * The frame is the dot matrix the monitor gets: each scan line of the
 * vertical display end, (CR01 + 1) character clocks of 8 or 9 dots, each dot
 * doubled when the sequencer halves the dot clock.  Double scanning and the
 * maximum scan line repeat memory lines, so mode 13h (320x200, 2 dots a
 * pixel, 2 scan lines a row) is a 640x400 frame.  Blinking runs on virtual
 * time: the cursor toggles every 8 frames, blinking text every 16. */
#include "vga_render.h"

#include "cp437.h"

#include <string.h>

struct colours {
    uint32_t dac[256];  /* DAC index (before the pel mask) -> pixel */
    uint32_t attr[16];  /* 4-bit attribute (before colour plane enable) -> pixel */
};

static uint32_t dac_rgb(const struct vga *vga, unsigned index)
{
    const uint8_t *e = vga->dac[index];
    if (vga->vbe_enable & VBE_DISPI_8BIT_DAC)
        return (uint32_t)e[0] << 16 | (uint32_t)e[1] << 8 | e[2];
    uint32_t rgb = 0;
    for (unsigned c = 0; c < 3; c++) {
        unsigned v = e[c] & 0x3F;
        rgb = rgb << 8 | ((v << 2) | (v >> 4)); /* 6 -> 8 bits */
    }
    return rgb;
}

static void build_colours(const struct vga *vga, struct colours *col)
{
    for (unsigned i = 0; i < 256; i++)
        col->dac[i] = dac_rgb(vga, i & vga->dac_mask);
    uint8_t mode = vga->ar[0x10], select = vga->ar[0x14];
    for (unsigned v = 0; v < 16; v++) {
        uint8_t p = vga->ar[v & vga->ar[0x12] & 0x0F];
        unsigned index = (mode & 0x80) ? (p & 0x0F) | (select & 3) << 4 : p & 0x3F;
        index |= (select & 0x0C) << 4;
        col->attr[v] = col->dac[index];
    }
}

/* ---- CRTC addressing --------------------------------------------------- */

/* Memory address counter -> plane offset, per the addressing mode (byte,
 * word with MA13 or MA15 as bit 0, doubleword with MA12-13 as bits 0-1) and
 * the CGA/Hercules substitution of row scan bits 0/1 for address bits 13/14. */
static uint32_t crtc_address(const struct vga *vga, uint32_t ctr, unsigned row_scan)
{
    uint8_t cr14 = vga->crtc[0x14], cr17 = vga->crtc[0x17];
    uint32_t a;
    ctr &= 0xFFFF;
    if (cr14 & 0x40)
        a = ctr << 2 | ((ctr >> 12) & 3);
    else if (!(cr17 & 0x40))
        a = ctr << 1 | ((ctr >> ((cr17 & 0x20) ? 15 : 13)) & 1);
    else
        a = ctr;
    if (!(cr17 & 0x01))
        a = (a & ~0x2000u) | (uint32_t)(row_scan & 1) << 13;
    if (!(cr17 & 0x02))
        a = (a & ~0x4000u) | (uint32_t)(row_scan & 2) << 13;
    return a & (VGA_PLANE_SIZE - 1);
}

static inline uint32_t plane_bytes(const struct vga *vga, uint32_t group)
{
    uint32_t v;
    memcpy(&v, vga->vram + (size_t)group * 4, 4);
    return v;
}

static unsigned count_shift(const struct vga *vga)
{
    if (vga->crtc[0x14] & 0x20)
        return 2; /* count by 4 */
    return (vga->crtc[0x17] & 0x08) ? 1 : 0; /* count by 2 */
}

/* ---- one scan line of dots (before dot-clock doubling) ------------------ */

struct line_ctx {
    const struct vga *vga;
    const struct colours *col;
    unsigned chars;     /* character clocks to produce */
    unsigned cw;        /* dots per character clock */
    unsigned cshift;    /* counter advances every 1 << cshift clocks */
    /* text */
    uint32_t font_a, font_b;
    bool blink_on, cursor_on;
    uint32_t cursor_ctr;
    unsigned cursor_skew;
};

static uint32_t font_base(unsigned map)
{
    return (map & 3) * 0x4000u + ((map & 4) ? 0x2000u : 0);
}

static void text_line(const struct line_ctx *lc, uint32_t row_addr, unsigned row_scan, uint32_t *dots)
{
    const struct vga *vga = lc->vga;
    uint8_t mode = vga->ar[0x10];
    unsigned cs = vga->crtc[0x0A] & 0x1F, ce = vga->crtc[0x0B] & 0x1F, ul = vga->crtc[0x14] & 0x1F;
    bool cursor_row = lc->cursor_on && cs <= ce && row_scan >= cs && row_scan <= ce;
    for (unsigned c = 0; c < lc->chars; c++) {
        uint32_t ctr = (row_addr + (c >> lc->cshift)) & 0xFFFF;
        uint32_t g = plane_bytes(vga, crtc_address(vga, ctr, row_scan));
        uint8_t ch = (uint8_t)g, at = (uint8_t)(g >> 8);
        uint32_t font = ((at & 0x08) ? lc->font_a : lc->font_b) + ch * 32u + (row_scan & 31);
        uint8_t glyph = (uint8_t)(plane_bytes(vga, font & (VGA_PLANE_SIZE - 1)) >> 16);
        unsigned fg = at & 0x0F, bg = at >> 4;
        if (mode & 0x08) { /* bit 7 blinks the character instead of brightening the background */
            bg &= 7;
            if ((at & 0x80) && !lc->blink_on)
                glyph = 0;
        }
        bool ninth_fg = lc->cw == 9 && (mode & 0x04) && ch >= 0xC0 && ch <= 0xDF && (glyph & 1);
        if ((at & 0x77) == 0x01 && row_scan == ul) { /* underline (monochrome attribute) */
            glyph = 0xFF;
            ninth_fg = true;
        }
        if (cursor_row && c >= lc->cursor_skew) {
            uint32_t cctr = (row_addr + ((c - lc->cursor_skew) >> lc->cshift)) & 0xFFFF;
            if (cctr == lc->cursor_ctr) {
                glyph = 0xFF;
                ninth_fg = true;
            }
        }
        uint32_t f = lc->col->attr[fg], b = lc->col->attr[bg];
        uint32_t *d = dots + c * lc->cw;
        for (unsigned i = 0; i < 8; i++)
            d[i] = (glyph & (0x80 >> i)) ? f : b;
        if (lc->cw == 9)
            d[8] = ninth_fg ? f : b;
    }
}

static void graphics_line(const struct line_ctx *lc, uint32_t row_addr, unsigned row_scan, uint32_t *dots)
{
    const struct vga *vga = lc->vga;
    const uint32_t *attr = lc->col->attr, *dac = lc->col->dac;
    unsigned shift_mode = (vga->gr[5] >> 5) & 3;
    bool color256 = (vga->ar[0x10] & 0x40) || shift_mode >= 2;
    for (unsigned c = 0; c < lc->chars; c++) {
        uint32_t ctr = (row_addr + (c >> lc->cshift)) & 0xFFFF;
        uint32_t g = plane_bytes(vga, crtc_address(vga, ctr, row_scan));
        uint32_t *d = dots + c * 8;
        if (color256) { /* four 8-bit pixels, one per plane, two dots each */
            for (unsigned j = 0; j < 4; j++)
                d[2 * j] = d[2 * j + 1] = dac[(g >> (8 * j)) & 0xFF];
        } else if (shift_mode == 1) { /* CGA 4-colour: 2-bit pixels, plane 0 then plane 1 */
            for (unsigned i = 0; i < 8; i++) {
                unsigned sh = 6 - 2 * (i & 3), lo = (i < 4) ? 0 : 8;
                unsigned v = ((g >> (lo + sh)) & 3) | ((g >> (16 + lo + sh)) & 3) << 2;
                d[i] = attr[v];
            }
        } else { /* 16 colours: one bit from each plane */
            for (unsigned i = 0; i < 8; i++) {
                unsigned bit = 7 - i;
                unsigned v = ((g >> bit) & 1) | ((g >> (bit + 7)) & 2) | ((g >> (bit + 14)) & 4) |
                             ((g >> (bit + 21)) & 8);
                d[i] = attr[v];
            }
        }
    }
}

/* Copies dots [pan, pan + n) to out, doubling each when the dot clock is halved. */
static void emit(const uint32_t *dots, unsigned pan, unsigned n, bool twice, uint32_t *out)
{
    if (!twice) {
        memcpy(out, dots + pan, n * sizeof *out);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        out[2 * i] = out[2 * i + 1] = dots[pan + i];
}

/* ---- VGA frame --------------------------------------------------------- */

struct vga_frame {
    unsigned chars, cw, lines, w;
    bool text, twice;
};

static void vga_geometry(const struct vga *vga, struct vga_frame *f)
{
    f->text = !(vga->ar[0x10] & 0x01);
    f->chars = vga->crtc[0x01] + 1u;
    f->cw = (f->text && !(vga->seq[1] & 0x01)) ? 9 : 8;
    f->twice = vga->seq[1] & 0x08;
    f->lines = (vga->crtc[0x12] | (vga->crtc[0x07] & 0x02) << 7 | (vga->crtc[0x07] & 0x40) << 3) + 1u;
    f->w = f->chars * f->cw * (f->twice ? 2 : 1); /* at most 256 * 9 * 2 */
}

static void fill(uint32_t *pixels, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++)
        pixels[i] = v;
}

static void render_vga(struct vga *vga, const struct vga_frame *f, uint32_t *pixels)
{
    struct colours col;
    build_colours(vga, &col);
    if (vga->seq[1] & 0x20) { /* screen off */
        fill(pixels, (size_t)f->w * f->lines, 0);
        return;
    }
    if (!(vga->ar_index & 0x20)) { /* palette owned by the CPU: the overscan colour shows */
        fill(pixels, (size_t)f->w * f->lines, col.dac[vga->ar[0x11]]);
        return;
    }
    uint64_t frame = vclock_now(vga->clk) / VGA_FRAME_NS;
    struct line_ctx lc = {
        .vga = vga, .col = &col, .chars = f->chars + 1, .cw = f->cw, .cshift = count_shift(vga),
        .font_a = font_base(((vga->seq[3] >> 2) & 3) | ((vga->seq[3] >> 3) & 4)),
        .font_b = font_base((vga->seq[3] & 3) | ((vga->seq[3] >> 2) & 4)),
        .blink_on = !((frame >> 4) & 1),
        .cursor_on = !((frame >> 3) & 1) && !(vga->crtc[0x0A] & 0x20),
        .cursor_ctr = (uint32_t)vga->crtc[0x0E] << 8 | vga->crtc[0x0F],
        .cursor_skew = (vga->crtc[0x0B] >> 5) & 3,
    };
    unsigned msl = vga->crtc[0x09] & 0x1F;
    bool dblscan = vga->crtc[0x09] & 0x80;
    unsigned offset = 2u * vga->crtc[0x13];
    unsigned line_compare = vga->crtc[0x18] | (vga->crtc[0x07] & 0x10) << 4 | (vga->crtc[0x09] & 0x40) << 3;
    unsigned pan_reg = vga->ar[0x13], pan;
    if (f->text && f->cw == 9)
        pan = pan_reg < 8 ? pan_reg + 1 : 0;
    else if (vga->ar[0x10] & 0x40)
        pan = pan_reg & 6;
    else
        pan = pan_reg & 7;
    unsigned visible = f->w / (f->twice ? 2 : 1); /* dots per line before doubling */

    uint32_t dots[257 * 9]; /* up to 256 character clocks, plus one for panning */
    uint32_t row_addr = (((uint32_t)vga->crtc[0x0C] << 8 | vga->crtc[0x0D]) + ((vga->crtc[0x08] >> 5) & 3)) & 0xFFFF;
    unsigned row_scan = vga->crtc[0x08] & 0x1F;
    bool second_half = false;
    for (unsigned y = 0; y < f->lines; y++) {
        if (f->text)
            text_line(&lc, row_addr, row_scan, dots);
        else
            graphics_line(&lc, row_addr, row_scan, dots);
        emit(dots, pan, visible, f->twice, pixels + (size_t)y * f->w);
        if (y == line_compare) { /* split screen: the lines below show memory from address 0 */
            row_addr = 0;
            row_scan = 0;
            second_half = false;
            if (vga->ar[0x10] & 0x20)
                pan = f->text && f->cw == 9 ? 1 : 0;
            continue;
        }
        if (dblscan && !second_half) {
            second_half = true;
            continue;
        }
        second_half = false;
        if (row_scan >= msl) {
            row_scan = 0;
            row_addr = (row_addr + offset) & 0xFFFF;
        } else {
            row_scan++;
        }
    }
}

/* ---- VBE frame --------------------------------------------------------- */

static void render_vbe_planar(struct vga *vga, unsigned w, unsigned h, uint32_t *pixels)
{
    struct colours col;
    build_colours(vga, &col);
    uint32_t pitch = vga->vbe_virt_width / 8u, groups = VGA_VRAM_SIZE / 4;
    uint32_t start = vga->vbe_y_offset * pitch + vga->vbe_x_offset / 8u;
    for (unsigned y = 0; y < h; y++) {
        uint32_t *out = pixels + (size_t)y * w;
        uint32_t base = start + y * pitch;
        for (unsigned x = 0; x < w; x++) {
            uint32_t gi = base + x / 8;
            if (gi >= groups) {
                out[x] = 0;
                continue;
            }
            uint32_t g = plane_bytes(vga, gi);
            unsigned bit = 7 - (x & 7);
            unsigned v = ((g >> bit) & 1) | ((g >> (bit + 7)) & 2) | ((g >> (bit + 14)) & 4) | ((g >> (bit + 21)) & 8);
            out[x] = col.attr[v];
        }
    }
}

static void render_vbe(struct vga *vga, unsigned w, unsigned h, uint32_t *pixels)
{
    if (vga->vbe_bpp == 4) {
        render_vbe_planar(vga, w, h, pixels);
        return;
    }
    unsigned bytes = (vga->vbe_bpp + 7) / 8;
    uint64_t pitch = (uint64_t)vga->vbe_virt_width * bytes;
    uint64_t start = vga->vbe_y_offset * pitch + (uint64_t)vga->vbe_x_offset * bytes;
    struct colours col;
    if (bytes == 1)
        build_colours(vga, &col);
    for (unsigned y = 0; y < h; y++) {
        uint32_t *out = pixels + (size_t)y * w;
        uint64_t src = start + y * pitch;
        unsigned n = w;
        if (src >= VGA_VRAM_SIZE)
            n = 0;
        else if (src + (uint64_t)w * bytes > VGA_VRAM_SIZE)
            n = (unsigned)((VGA_VRAM_SIZE - src) / bytes);
        const uint8_t *p = vga->vram + (n ? src : 0);
        for (unsigned x = 0; x < n; x++, p += bytes) {
            uint32_t v;
            switch (vga->vbe_bpp) {
            case 8: v = col.dac[p[0]]; break;
            case 15: {
                unsigned px = p[0] | p[1] << 8, r = (px >> 10) & 31, g = (px >> 5) & 31, b = px & 31;
                v = (r << 3 | r >> 2) << 16 | (g << 3 | g >> 2) << 8 | (b << 3 | b >> 2);
                break;
            }
            case 16: {
                unsigned px = p[0] | p[1] << 8, r = (px >> 11) & 31, g = (px >> 5) & 63, b = px & 31;
                v = (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
                break;
            }
            default: /* 24 and 32: blue, green, red (, unused) */
                v = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
                break;
            }
            out[x] = v;
        }
        for (unsigned x = n; x < w; x++)
            out[x] = 0;
    }
}

int vga_render(struct vga *vga, uint32_t *pixels, unsigned max_w, unsigned max_h, unsigned *w, unsigned *h)
{
    if (vga_vbe_enabled(vga)) {
        *w = vga->vbe_xres;
        *h = vga->vbe_yres;
        if (*w > max_w || *h > max_h)
            return -1;
        render_vbe(vga, *w, *h, pixels);
        return 0;
    }
    struct vga_frame f;
    vga_geometry(vga, &f);
    *w = f.w;
    *h = f.lines;
    if (f.w > max_w || f.lines > max_h)
        return -1;
    render_vga(vga, &f, pixels);
    return 0;
}

/* ---- text dump --------------------------------------------------------- */

size_t vga_text_dump(struct vga *vga, char *buf, size_t len)
{
    size_t n = 0;
    if (len)
        buf[0] = 0;
    if (vga_vbe_enabled(vga) || (vga->ar[0x10] & 0x01))
        return 0;
    struct vga_frame f;
    vga_geometry(vga, &f);
    unsigned char_h = ((vga->crtc[0x09] & 0x1F) + 1u) * ((vga->crtc[0x09] & 0x80) ? 2 : 1);
    unsigned rows = f.lines / char_h, cshift = count_shift(vga);
    uint32_t start = (uint32_t)vga->crtc[0x0C] << 8 | vga->crtc[0x0D];
    for (unsigned r = 0; r < rows; r++) {
        char line[256 * 3 + 1]; /* UTF-8: at most 3 bytes a character */
        unsigned used = 0, pos = 0;
        for (unsigned c = 0; c < f.chars && c < 256; c++) {
            uint32_t ctr = start + r * 2u * vga->crtc[0x13] + (c >> cshift);
            uint8_t ch = (uint8_t)plane_bytes(vga, crtc_address(vga, ctr, 0));
            pos += (unsigned)cp437_to_utf8(ch, &line[pos]);
            if (ch != 0 && ch != 0x20 && ch != 0xFF)
                used = pos; /* drop trailing blanks */
        }
        line[used++] = '\n';
        for (unsigned i = 0; i < used; i++, n++)
            if (n + 1 < len) {
                buf[n] = line[i];
                buf[n + 1] = 0;
            }
    }
    return n;
}
