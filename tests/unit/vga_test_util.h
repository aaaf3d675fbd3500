/* Shared set-up and helpers of the VGA suites (vga_test.c, vga_render_test.c):
 * the device is driven only through its ports, the legacy window and the LFB
 * (physmem_read/physmem_write), the virtual clock and the renderer. */
#ifndef RINGZERO_TESTS_VGA_TEST_UTIL_H
#define RINGZERO_TESTS_VGA_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/vga.h"
#include "devices/vga_render.h"

static struct physmem *pm;
static struct iobus bus;
static struct vclock clk;
static struct vga vga;
static char err[256];
static uint32_t *fb;
#define FB_W VGA_RENDER_MAX_W
#define FB_H VGA_RENDER_MAX_H
#define LFB VGA_LFB_DEFAULT_BASE

static inline void setup(void)
{
    pm = physmem_create();
    ck_assert_ptr_nonnull(pm);
    iobus_init(&bus);
    vclock_init(&clk);
    ck_assert_msg(vga_init(&vga, pm, &bus, &clk, LFB, err, sizeof err) == 0, "%s", err);
    fb = calloc((size_t)FB_W * FB_H, sizeof *fb);
    ck_assert_ptr_nonnull(fb);
}
static inline void teardown(void)
{
    free(fb);
    physmem_destroy(pm);
}

/* ---- port and memory helpers ---- */
static inline void outb(uint16_t port, uint8_t v) { iobus_write(&bus, port, v, 1); }
static inline void outw(uint16_t port, uint16_t v) { iobus_write(&bus, port, v, 2); }
static inline uint8_t inb(uint16_t port) { return (uint8_t)iobus_read(&bus, port, 1); }
static inline uint16_t inw(uint16_t port) { return (uint16_t)iobus_read(&bus, port, 2); }
static inline void seq_w(uint8_t i, uint8_t v) { outw(0x3C4, (uint16_t)(v << 8 | i)); }
static inline void gr_w(uint8_t i, uint8_t v) { outw(0x3CE, (uint16_t)(v << 8 | i)); }
static inline void crtc_w(uint8_t i, uint8_t v) { outw(0x3D4, (uint16_t)(v << 8 | i)); }
static inline uint8_t seq_r(uint8_t i) { outb(0x3C4, i); return inb(0x3C5); }
static inline uint8_t gr_r(uint8_t i) { outb(0x3CE, i); return inb(0x3CF); }
static inline uint8_t crtc_r(uint8_t i) { outb(0x3D4, i); return inb(0x3D5); }
static inline void attr_w(uint8_t i, uint8_t v)
{
    inb(0x3DA);
    outb(0x3C0, i); /* PAS = 0: the palette may be written */
    outb(0x3C0, v);
    outb(0x3C0, 0x20);
}
static inline void dac_w(uint8_t i, uint8_t r, uint8_t g, uint8_t b)
{
    outb(0x3C8, i);
    outb(0x3C9, r);
    outb(0x3C9, g);
    outb(0x3C9, b);
}
static inline uint8_t mrd(uint32_t a) { return (uint8_t)physmem_read(pm, a, 1); }
static inline void mwr(uint32_t a, uint8_t v) { physmem_write(pm, a, v, 1); }
static inline void vbe_w(uint16_t i, uint16_t v)
{
    outw(0x1CE, i);
    outw(0x1CF, v);
}
static inline uint16_t vbe_r(uint16_t i)
{
    outw(0x1CE, i);
    return inw(0x1CF);
}

/* Planar graphics access at A0000-AFFFF: sequential addressing, write mode 0
 * with no set/reset, rotate or logical operation, full bit mask. */
static inline void planar_mode(void)
{
    seq_w(4, 0x06);
    gr_w(5, 0x00);
    gr_w(6, 0x05);
    gr_w(0, 0);
    gr_w(1, 0);
    gr_w(3, 0);
    gr_w(8, 0xFF);
    seq_w(2, 0x0F);
}
static inline void plane_set(unsigned p, uint32_t off, uint8_t v)
{
    uint8_t mm = seq_r(2), m5 = gr_r(5), m1 = gr_r(1), m3 = gr_r(3), m8 = gr_r(8);
    seq_w(2, (uint8_t)(1u << p));
    gr_w(5, 0);
    gr_w(1, 0);
    gr_w(3, 0);
    gr_w(8, 0xFF);
    mwr(0xA0000 + off, v);
    seq_w(2, mm);
    gr_w(5, m5);
    gr_w(1, m1);
    gr_w(3, m3);
    gr_w(8, m8);
}
static inline uint8_t plane_get(unsigned p, uint32_t off)
{
    uint8_t m5 = gr_r(5), m4 = gr_r(4);
    gr_w(5, m5 & ~0x08); /* read mode 0 */
    gr_w(4, (uint8_t)p);
    uint8_t v = mrd(0xA0000 + off);
    gr_w(5, m5);
    gr_w(4, m4);
    return v;
}
static inline void planes_set(uint32_t off, uint8_t p0, uint8_t p1, uint8_t p2, uint8_t p3)
{
    plane_set(0, off, p0);
    plane_set(1, off, p1);
    plane_set(2, off, p2);
    plane_set(3, off, p3);
}
static inline void load_latches(uint32_t off) { (void)mrd(0xA0000 + off); }

static inline void advance_ns(uint64_t ns) { vclock_advance(&clk, clk.now + ns); }

#define YELLOW 0xFFFF55u /* EGA colour 0x3E (attribute 0xE) */
#define BLUE 0x0000AAu   /* EGA colour 0x01 */
#define GREY 0xAAAAAAu   /* EGA colour 0x07 */

static inline uint32_t px(unsigned w, unsigned x, unsigned y) { return fb[(size_t)y * w + x]; }

static inline void render(unsigned *w, unsigned *h)
{
    ck_assert_int_eq(vga_render(&vga, fb, FB_W, FB_H, w, h), 0);
}

static inline void load_crtc(const uint8_t regs[25])
{
    crtc_w(0x11, 0x00);
    for (unsigned i = 0; i < 25; i++)
        crtc_w((uint8_t)i, regs[i]);
}
static inline void load_attr(const uint8_t regs[21])
{
    for (unsigned i = 0; i < 21; i++)
        attr_w((uint8_t)i, regs[i]);
}

static const uint8_t crtc_12[25] = {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF};
static const uint8_t attr_12[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A,
                                    0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x01, 0x00, 0x0F, 0x00, 0x00};
static inline void mode_12h(void)
{
    outb(0x3C2, 0xE3);
    seq_w(1, 0x01);
    seq_w(2, 0x0F);
    seq_w(3, 0x00);
    seq_w(4, 0x06);
    load_crtc(crtc_12);
    static const uint8_t g[9] = {0, 0, 0, 0, 0, 0x00, 0x05, 0x0F, 0xFF};
    for (unsigned i = 0; i < 9; i++)
        gr_w((uint8_t)i, g[i]);
    load_attr(attr_12);
}

/* A pixel with write mode 2, as a 16-colour driver does. */
static inline void put_pixel_16(unsigned x, unsigned y, uint8_t colour)
{
    uint32_t a = 0xA0000 + y * 80 + x / 8;
    gr_w(5, 0x02);
    gr_w(8, (uint8_t)(0x80 >> (x & 7)));
    (void)mrd(a);
    mwr(a, colour);
    gr_w(5, 0x00);
    gr_w(8, 0xFF);
}

static inline void vbe_mode(unsigned xres, unsigned yres, unsigned bpp, uint16_t flags)
{
    vbe_w(VBE_INDEX_ENABLE, 0);
    vbe_w(VBE_INDEX_XRES, (uint16_t)xres);
    vbe_w(VBE_INDEX_YRES, (uint16_t)yres);
    vbe_w(VBE_INDEX_BPP, (uint16_t)bpp);
    vbe_w(VBE_INDEX_ENABLE, (uint16_t)(VBE_DISPI_ENABLED | flags));
    /* the VGA side as SeaVGABIOS leaves it: 64 KiB window at A0000 */
    gr_w(6, 0x05);
}

#endif
