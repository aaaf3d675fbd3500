/* VGA tests (devices/vga.c): general registers, sequencer/CRTC/graphics/
 * attribute controllers, DAC, input status timing, the graphics controller's
 * write and read modes, chain-4 and odd/even addressing, memory maps, the
 * Bochs VBE registers, the LFB move and the PCI MMIO BAR.  Expected values
 * are worked out here from the IBM VGA / FreeVGA register descriptions and
 * the Bochs VBE document, not taken from the device. */
#include "vga_test_util.h"

/* ---- general registers ---- */

START_TEST(misc_io_select)
{
    ck_assert_uint_eq(inb(0x3CC), 0x67);
    crtc_w(0x0E, 0x12);
    ck_assert_uint_eq(crtc_r(0x0E), 0x12);
    ck_assert_uint_eq(inb(0x3B5), 0xFF); /* mono CRTC does not answer in colour mode */
    ck_assert_uint_eq(inb(0x3BA), 0xFF);
    outb(0x3C2, 0x66); /* I/O address select = 0: mono addresses */
    ck_assert_uint_eq(inb(0x3CC), 0x66);
    outb(0x3B4, 0x0E);
    ck_assert_uint_eq(inb(0x3B5), 0x12);
    ck_assert_uint_eq(inb(0x3D5), 0xFF);
    outb(0x3D4, 0x0F);
    outb(0x3D5, 0x99); /* ignored */
    outb(0x3B4, 0x0F);
    ck_assert_uint_ne(inb(0x3B5), 0x99);
    ck_assert_uint_ne(inb(0x3BA), 0xFF);
    ck_assert_uint_eq(inb(0x3DA), 0xFF);
    outb(0x3BA, 0x03); /* feature control, written at the mono status port */
    ck_assert_uint_eq(inb(0x3CA), 0x03);
    outb(0x3C2, 0x67);
    ck_assert_uint_eq(crtc_r(0x0E), 0x12);
}
END_TEST

START_TEST(crtc_protect)
{
    crtc_w(0x11, 0x0E); /* protect off */
    crtc_w(0x01, 0x4F);
    crtc_w(0x07, 0x00);
    crtc_w(0x11, 0x8E); /* protect on: CR00-CR07 locked, except CR07 bit 4 */
    crtc_w(0x01, 0x27);
    ck_assert_uint_eq(crtc_r(0x01), 0x4F);
    crtc_w(0x07, 0xFF);
    ck_assert_uint_eq(crtc_r(0x07), 0x10);
    crtc_w(0x08, 0x05); /* CR08 and up stay writable */
    ck_assert_uint_eq(crtc_r(0x08), 0x05);
    crtc_w(0x11, 0x0E);
    crtc_w(0x01, 0x27);
    ck_assert_uint_eq(crtc_r(0x01), 0x27);
    ck_assert_uint_eq(crtc_r(0x30), 0xFF); /* no such register */
}
END_TEST

START_TEST(word_writes_and_masks)
{
    outw(0x3C4, 0x0F02);
    ck_assert_uint_eq(inb(0x3C4), 0x02);
    ck_assert_uint_eq(inb(0x3C5), 0x0F);
    outw(0x3C4, 0xFF02); /* map mask has 4 bits */
    ck_assert_uint_eq(seq_r(2), 0x0F);
    outw(0x3CE, 0xFF05); /* GR05 bits 2 and 7 are reserved */
    ck_assert_uint_eq(gr_r(5), 0x7B);
    outw(0x3CE, 0xFF06);
    ck_assert_uint_eq(gr_r(6), 0x0F);
    outw(0x3D4, 0x340C);
    ck_assert_uint_eq(crtc_r(0x0C), 0x34);
    ck_assert_uint_eq(inw(0x3D4), 0x340C); /* word read: index then data */
    outb(0x3C3, 0x01);
    ck_assert_uint_eq(inb(0x3C3), 0x01);
}
END_TEST

START_TEST(attribute_flip_flop)
{
    inb(0x3DA);
    outb(0x3C0, 0x00); /* index 0, PAS 0 */
    outb(0x3C0, 0x2A); /* data: AR00 */
    outb(0x3C0, 0x01); /* index again */
    ck_assert_uint_eq(inb(0x3C0), 0x01);
    ck_assert_uint_eq(inb(0x3C1), 0x01); /* AR01 power-on value */
    (void)inb(0x3C1);                    /* reading data does not toggle */
    outb(0x3C0, 0x15);                   /* this is AR01's data */
    outb(0x3C0, 0x00);                   /* index 0 */
    ck_assert_uint_eq(inb(0x3C1), 0x2A);
    /* the flip-flop now expects data; a read of input status 1 makes it "index" */
    inb(0x3DA);
    outb(0x3C0, 0x03);
    ck_assert_uint_eq(inb(0x3C0), 0x03);
    ck_assert_uint_eq(inb(0x3C1), 0x03);
    outb(0x3C0, 0x3F); /* data: AR03 */
    inb(0x3DA);
    outb(0x3C0, 0x00);
    ck_assert_uint_eq(inb(0x3C1), 0x2A); /* AR00 untouched by the 0x03 write */
    inb(0x3DA);
    outb(0x3C0, 0x01);
    ck_assert_uint_eq(inb(0x3C1), 0x15);
    outb(0x3C0, 0x01);
    inb(0x3DA);
    outb(0x3C0, 0x03);
    ck_assert_uint_eq(inb(0x3C1), 0x3F);
    outb(0x3C0, 0x03);
    /* with PAS = 1 the internal palette is locked, other registers are not */
    inb(0x3DA);
    outb(0x3C0, 0x25);
    outb(0x3C0, 0x3F);
    ck_assert_uint_eq(inb(0x3C1), 0x05);
    outb(0x3C0, 0x31);
    outb(0x3C0, 0x07);
    ck_assert_uint_eq(inb(0x3C0), 0x31);
    ck_assert_uint_eq(inb(0x3C1), 0x07);
    inb(0x3DA);
    outb(0x3C0, 0x10);
    outb(0x3C0, 0xFF);
    ck_assert_uint_eq(inb(0x3C1), 0xEF); /* AR10 bit 4 reserved */
}
END_TEST

START_TEST(dac_cycles)
{
    ck_assert_uint_eq(inb(0x3C6), 0xFF);
    outb(0x3C6, 0x0F);
    ck_assert_uint_eq(inb(0x3C6), 0x0F);
    outb(0x3C8, 5);
    ck_assert_uint_eq(inb(0x3C7), 0x00); /* write mode */
    outb(0x3C9, 0x3F);
    outb(0x3C9, 0x15);
    outb(0x3C9, 0xFF); /* 6 bits kept */
    outb(0x3C9, 0x01);
    outb(0x3C9, 0x02);
    outb(0x3C9, 0x03);
    ck_assert_uint_eq(inb(0x3C8), 7);
    outb(0x3C7, 5);
    ck_assert_uint_eq(inb(0x3C7), 0x03); /* read mode */
    ck_assert_uint_eq(inb(0x3C9), 0x3F);
    ck_assert_uint_eq(inb(0x3C9), 0x15);
    ck_assert_uint_eq(inb(0x3C9), 0x3F);
    ck_assert_uint_eq(inb(0x3C9), 0x01); /* auto-increment to entry 6 */
    ck_assert_uint_eq(inb(0x3C9), 0x02);
    ck_assert_uint_eq(inb(0x3C9), 0x03);
    /* an entry changes only when its third component is written */
    outb(0x3C8, 9);
    outb(0x3C9, 0x11);
    outb(0x3C9, 0x12);
    outb(0x3C8, 10); /* restarts the cycle */
    outb(0x3C7, 9);
    ck_assert_uint_eq(inb(0x3C9), 0x00);
    ck_assert_uint_eq(inb(0x3C9), 0x00);
    ck_assert_uint_eq(inb(0x3C9), 0x3F); /* EGA colour 9: blue 2/3 + 1/3 */
    /* a read cycle interrupted by a new read address restarts at R */
    outb(0x3C7, 5);
    (void)inb(0x3C9);
    outb(0x3C7, 6);
    ck_assert_uint_eq(inb(0x3C9), 0x01);
    /* index 255 wraps to 0 */
    dac_w(255, 1, 2, 3);
    outb(0x3C9, 4);
    outb(0x3C9, 5);
    outb(0x3C9, 6);
    outb(0x3C7, 0);
    ck_assert_uint_eq(inb(0x3C9), 4);
    /* VBE 8-bit DAC: values keep 8 bits */
    vbe_w(VBE_INDEX_ENABLE, VBE_DISPI_8BIT_DAC);
    dac_w(20, 0xFF, 0x80, 0x41);
    outb(0x3C7, 20);
    ck_assert_uint_eq(inb(0x3C9), 0xFF);
    ck_assert_uint_eq(inb(0x3C9), 0x80);
    ck_assert_uint_eq(inb(0x3C9), 0x41);
}
END_TEST

START_TEST(status1_timing)
{
    const uint64_t step = 5000; /* 5 us */
    ck_assert_uint_eq(inb(0x3DA) & 0x09, 0x00); /* t = 0: top-left of the display */
    unsigned rises = 0, high_steps = 0, de_changes = 0;
    uint8_t prev = inb(0x3DA);
    for (uint64_t t = 0; t < 2 * VGA_FRAME_NS; t += step) {
        advance_ns(step);
        uint8_t s = inb(0x3DA);
        if ((s & 8) && !(prev & 8))
            rises++;
        if (s & 8) {
            high_steps++;
            ck_assert_uint_eq(s & 1, 1); /* retrace is inside blanking */
        }
        if ((s ^ prev) & 1)
            de_changes++;
        prev = s;
    }
    ck_assert_uint_eq(rises, 2);
    /* two lines of 1/(60*525) s each: about 63.5 us, 12-13 steps per frame */
    ck_assert_uint_ge(high_steps, 24);
    ck_assert_uint_le(high_steps, 27);
    ck_assert_uint_gt(de_changes, 1000); /* horizontal blanking every line */
    /* exactly at line 490 */
    vclock_init(&clk);
    advance_ns(VGA_FRAME_NS * 490 / 525 + 1000);
    ck_assert_uint_eq(inb(0x3DA) & 0x09, 0x09);
    advance_ns(VGA_FRAME_NS * 3 / 525);
    ck_assert_uint_eq(inb(0x3DA) & 0x09, 0x01);
}
END_TEST

/* ---- memory: write and read modes ---- */

START_TEST(write_mode_0)
{
    planar_mode();
    mwr(0xA0010, 0xA5);
    for (unsigned p = 0; p < 4; p++)
        ck_assert_uint_eq(plane_get(p, 0x10), 0xA5);
    gr_w(3, 0x03); /* rotate right by 3 */
    mwr(0xA0011, 0x01);
    ck_assert_uint_eq(plane_get(2, 0x11), 0x20);
    gr_w(3, 0);
    gr_w(0, 0x05); /* set/reset: planes 0 and 2 ones */
    gr_w(1, 0x0F); /* enabled for all planes: CPU data ignored */
    mwr(0xA0012, 0x3C);
    ck_assert_uint_eq(plane_get(0, 0x12), 0xFF);
    ck_assert_uint_eq(plane_get(1, 0x12), 0x00);
    ck_assert_uint_eq(plane_get(2, 0x12), 0xFF);
    ck_assert_uint_eq(plane_get(3, 0x12), 0x00);
    gr_w(1, 0x03); /* enabled for planes 0-1 only */
    mwr(0xA0013, 0x3C);
    ck_assert_uint_eq(plane_get(0, 0x13), 0xFF);
    ck_assert_uint_eq(plane_get(1, 0x13), 0x00);
    ck_assert_uint_eq(plane_get(2, 0x13), 0x3C);
    ck_assert_uint_eq(plane_get(3, 0x13), 0x3C);
    gr_w(1, 0);
    /* bit mask keeps latch bits */
    planes_set(0x20, 0x11, 0x22, 0x44, 0x88);
    load_latches(0x20);
    gr_w(8, 0xF0);
    mwr(0xA0021, 0xFF);
    ck_assert_uint_eq(plane_get(0, 0x21), 0xF1);
    ck_assert_uint_eq(plane_get(1, 0x21), 0xF2);
    ck_assert_uint_eq(plane_get(2, 0x21), 0xF4);
    ck_assert_uint_eq(plane_get(3, 0x21), 0xF8);
    /* logical operations with the latches */
    static const struct { uint8_t op; uint8_t expect[4]; } ops[] = {
        {0x08, {0x11 & 0x33, 0x22 & 0x33, 0x44 & 0x33, 0x88 & 0x33}},
        {0x10, {0x11 | 0x33, 0x22 | 0x33, 0x44 | 0x33, 0x88 | 0x33}},
        {0x18, {0x11 ^ 0x33, 0x22 ^ 0x33, 0x44 ^ 0x33, 0x88 ^ 0x33}},
    };
    gr_w(8, 0xFF);
    for (unsigned k = 0; k < 3; k++) {
        load_latches(0x20);
        gr_w(3, ops[k].op);
        mwr(0xA0030 + k, 0x33);
        gr_w(3, 0);
        for (unsigned p = 0; p < 4; p++)
            ck_assert_uint_eq(plane_get(p, 0x30 + k), ops[k].expect[p]);
    }
    /* map mask: only planes 0 and 2 */
    planes_set(0x40, 0, 0, 0, 0);
    seq_w(2, 0x05);
    mwr(0xA0040, 0x77);
    seq_w(2, 0x0F);
    ck_assert_uint_eq(plane_get(0, 0x40), 0x77);
    ck_assert_uint_eq(plane_get(1, 0x40), 0x00);
    ck_assert_uint_eq(plane_get(2, 0x40), 0x77);
    ck_assert_uint_eq(plane_get(3, 0x40), 0x00);
}
END_TEST

START_TEST(write_mode_1_and_latches)
{
    planar_mode();
    planes_set(0x100, 0x12, 0x34, 0x56, 0x78);
    load_latches(0x100); /* a read loads all four latches */
    gr_w(5, 0x01);
    gr_w(8, 0x00); /* ignored in write mode 1 */
    mwr(0xA0200, 0xFF); /* the CPU data is ignored */
    gr_w(5, 0x00);
    gr_w(8, 0xFF);
    ck_assert_uint_eq(plane_get(0, 0x200), 0x12);
    ck_assert_uint_eq(plane_get(1, 0x200), 0x34);
    ck_assert_uint_eq(plane_get(2, 0x200), 0x56);
    ck_assert_uint_eq(plane_get(3, 0x200), 0x78);
}
END_TEST

START_TEST(write_mode_2)
{
    planar_mode();
    planes_set(0x50, 0xFF, 0x00, 0xFF, 0x00);
    load_latches(0x50);
    gr_w(5, 0x02);
    gr_w(8, 0x3C);
    mwr(0xA0050, 0x0A); /* colour 1010b: planes 1 and 3 set in the masked bits */
    gr_w(5, 0x00);
    gr_w(8, 0xFF);
    ck_assert_uint_eq(plane_get(0, 0x50), 0xC3);
    ck_assert_uint_eq(plane_get(1, 0x50), 0x3C);
    ck_assert_uint_eq(plane_get(2, 0x50), 0xC3);
    ck_assert_uint_eq(plane_get(3, 0x50), 0x3C);
}
END_TEST

START_TEST(write_mode_3)
{
    planar_mode();
    planes_set(0x60, 0x0F, 0x0F, 0x0F, 0x0F);
    load_latches(0x60);
    gr_w(5, 0x03);
    gr_w(0, 0x0C);  /* set/reset colour: planes 2 and 3 */
    gr_w(8, 0x3C);
    gr_w(3, 0x04);  /* rotate by 4 */
    mwr(0xA0060, 0x0F); /* rotated: 0xF0; AND bit mask: 0x30 */
    gr_w(3, 0x00);
    gr_w(5, 0x00);
    gr_w(0, 0);
    gr_w(8, 0xFF);
    ck_assert_uint_eq(plane_get(0, 0x60), 0x0F);
    ck_assert_uint_eq(plane_get(1, 0x60), 0x0F);
    ck_assert_uint_eq(plane_get(2, 0x60), 0x3F);
    ck_assert_uint_eq(plane_get(3, 0x60), 0x3F);
}
END_TEST

START_TEST(read_modes)
{
    planar_mode();
    planes_set(0x70, 0xF0, 0xCC, 0xAA, 0x00);
    for (unsigned p = 0; p < 4; p++) {
        gr_w(4, (uint8_t)p); /* read map select */
        static const uint8_t v[4] = {0xF0, 0xCC, 0xAA, 0x00};
        ck_assert_uint_eq(mrd(0xA0070), v[p]);
    }
    /* read mode 1: 1 where the pixel's colour equals GR02 (over GR07 planes) */
    gr_w(5, 0x08);
    for (unsigned colour = 0; colour < 16; colour++) {
        for (unsigned dc = 0; dc < 16; dc++) {
            gr_w(2, (uint8_t)colour);
            gr_w(7, (uint8_t)dc);
            uint8_t expect = 0;
            static const uint8_t pl[4] = {0xF0, 0xCC, 0xAA, 0x00};
            for (unsigned bit = 0; bit < 8; bit++) {
                bool match = true;
                for (unsigned p = 0; p < 4; p++)
                    if ((dc >> p & 1) && ((pl[p] >> bit & 1) != (colour >> p & 1)))
                        match = false;
                expect |= (uint8_t)(match << bit);
            }
            ck_assert_uint_eq(mrd(0xA0070), expect);
        }
    }
    gr_w(7, 0x00);
    ck_assert_uint_eq(mrd(0xA0070), 0xFF); /* no plane compared: all match */
}
END_TEST

START_TEST(chain4_addressing)
{
    seq_w(4, 0x0E); /* chain-4 */
    gr_w(5, 0x40);
    gr_w(6, 0x05);
    seq_w(2, 0x0F);
    for (unsigned i = 0; i < 8; i++)
        mwr(0xA0000 + i, (uint8_t)(0x10 + i));
    mwr(0xAFFFF, 0x99);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(mrd(0xA0000 + i), 0x10 + i);
    /* plane = A & 3, offset = A with bits 1:0 replaced by A15:A14 */
    seq_w(4, 0x06);
    gr_w(5, 0x00);
    for (unsigned p = 0; p < 4; p++) {
        ck_assert_uint_eq(plane_get(p, 0), 0x10 + p);
        ck_assert_uint_eq(plane_get(p, 4), 0x14 + p);
        ck_assert_uint_eq(plane_get(p, 1), 0x00);
    }
    ck_assert_uint_eq(plane_get(3, 0xFFFF), 0x99);
    ck_assert_uint_eq(plane_get(3, 0xFFFC), 0x00);
    seq_w(4, 0x0E);
    mwr(0xA4001, 0x5A); /* A15:A14 = 01 -> offset 0x4001 */
    seq_w(4, 0x06);
    ck_assert_uint_eq(plane_get(1, 0x4001), 0x5A);
    ck_assert_uint_eq(plane_get(1, 0x4000), 0x00);
    /* map mask still gates planes in chain-4 */
    seq_w(4, 0x0E);
    seq_w(2, 0x0E);
    mwr(0xA0000, 0x55);
    mwr(0xA0001, 0x66);
    ck_assert_uint_eq(mrd(0xA0000), 0x10);
    ck_assert_uint_eq(mrd(0xA0001), 0x66);
}
END_TEST

START_TEST(odd_even_text_memory)
{
    /* power-on state is the colour text mode: B8000, odd/even */
    mwr(0xB8000, 'A');
    mwr(0xB8001, 0x1F);
    mwr(0xB8002, 'B');
    mwr(0xB8003, 0x2E);
    physmem_write(pm, 0xB8004, 0x4743, 2); /* word write: 'C', 0x47 */
    ck_assert_uint_eq(mrd(0xB8001), 0x1F);
    ck_assert_uint_eq(physmem_read(pm, 0xB8000, 4), 0x2E421F41u);
    ck_assert_uint_eq(mrd(0xA0000), 0xFF); /* not mapped in this memory map */
    /* look at the planes */
    uint8_t gr6 = gr_r(6), seq4 = seq_r(4), gr5 = gr_r(5);
    seq_w(4, 0x06);
    gr_w(5, 0x00);
    gr_w(6, 0x04);
    ck_assert_uint_eq(plane_get(0, 0), 'A');
    ck_assert_uint_eq(plane_get(1, 0), 0x1F);
    ck_assert_uint_eq(plane_get(0, 2), 'B');
    ck_assert_uint_eq(plane_get(1, 2), 0x2E);
    ck_assert_uint_eq(plane_get(0, 4), 'C');
    ck_assert_uint_eq(plane_get(1, 4), 0x47);
    ck_assert_uint_eq(plane_get(0, 1), 0x00);
    ck_assert_uint_eq(plane_get(1, 1), 0x00);
    ck_assert_uint_eq(plane_get(2, 0), 0x00);
    seq_w(4, seq4);
    gr_w(5, gr5);
    gr_w(6, gr6);
    /* the map mask selects within the pair: planes 0-1 only for this write */
    seq_w(2, 0x02);
    mwr(0xB8006, 'X'); /* even address, plane 0 masked off */
    mwr(0xB8007, 0x70);
    seq_w(2, 0x03);
    ck_assert_uint_eq(mrd(0xB8006), 0x00);
    ck_assert_uint_eq(mrd(0xB8007), 0x70);
    /* GR04 bit 1 reads the odd/even pair of planes 2-3 */
    gr_w(4, 0x02);
    ck_assert_uint_eq(mrd(0xB8000), 0x00);
    gr_w(4, 0x00);
}
END_TEST

START_TEST(memory_map_and_ram_enable)
{
    planar_mode(); /* GR06 = 05: A0000-AFFFF */
    mwr(0xA0000, 0x42);
    ck_assert_uint_eq(mrd(0xA0000), 0x42);
    ck_assert_uint_eq(mrd(0xB8000), 0xFF);
    gr_w(6, 0x01); /* A0000-BFFFF */
    ck_assert_uint_eq(mrd(0xA0000), 0x42);
    mwr(0xB0001, 0x24); /* offset 0x10001 wraps to plane offset 1 */
    ck_assert_uint_eq(mrd(0xA0001), 0x24);
    gr_w(6, 0x09); /* B0000-B7FFF */
    ck_assert_uint_eq(mrd(0xB0000), 0x42);
    ck_assert_uint_eq(mrd(0xA0000), 0xFF);
    ck_assert_uint_eq(mrd(0xB8000), 0xFF);
    gr_w(6, 0x05);
    outb(0x3C2, 0x65); /* RAM disabled */
    ck_assert_uint_eq(mrd(0xA0000), 0xFF);
    mwr(0xA0000, 0x00);
    outb(0x3C2, 0x67);
    ck_assert_uint_eq(mrd(0xA0000), 0x42);
}
END_TEST

/* ---- Bochs VBE, LFB, MMIO BAR ---- */

START_TEST(vbe_registers)
{
    vbe_w(VBE_INDEX_ID, VBE_DISPI_ID0);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_ID), VBE_DISPI_ID0);
    vbe_w(VBE_INDEX_ID, 0x1234); /* not an ID: ignored */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_ID), VBE_DISPI_ID0);
    vbe_w(VBE_INDEX_ID, VBE_DISPI_ID5);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_ID), VBE_DISPI_ID5);
    ck_assert_uint_eq(inw(0x1CE), VBE_INDEX_ID);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIDEO_MEMORY_64K), 256);
    vbe_w(VBE_INDEX_ENABLE, VBE_DISPI_GETCAPS);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_XRES), VBE_DISPI_MAX_XRES);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_YRES), VBE_DISPI_MAX_YRES);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BPP), 32);
    vbe_w(VBE_INDEX_ENABLE, 0);
    vbe_w(VBE_INDEX_XRES, 1024);
    vbe_w(VBE_INDEX_YRES, 768);
    vbe_w(VBE_INDEX_BPP, 16);
    vbe_w(VBE_INDEX_BPP, 12); /* unsupported depth: ignored */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BPP), 16);
    vbe_w(VBE_INDEX_BPP, 0); /* 0 means 8 */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BPP), 8);
    vbe_w(VBE_INDEX_BPP, 16);
    vbe_w(VBE_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_ENABLE), VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_XRES), 1024);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_WIDTH), 1024);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_HEIGHT), (16u << 20) / 2048);
    vbe_w(VBE_INDEX_XRES, 640); /* locked while enabled */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_XRES), 1024);
    vbe_w(VBE_INDEX_VIRT_WIDTH, 2048);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_WIDTH), 2048);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_HEIGHT), (16u << 20) / 4096);
    vbe_w(VBE_INDEX_VIRT_WIDTH, 100); /* narrower than the screen: widened */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_WIDTH), 1024);
    vbe_w(VBE_INDEX_VIRT_HEIGHT, 5); /* read-only */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_VIRT_HEIGHT), (16u << 20) / 2048);
    vbe_w(VBE_INDEX_BANK, 255);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BANK), 255);
    vbe_w(VBE_INDEX_BANK, 256); /* past 16 MiB: refused */
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BANK), 255);
    vbe_w(VBE_INDEX_X_OFFSET, 3);
    vbe_w(VBE_INDEX_Y_OFFSET, 7);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_X_OFFSET), 3);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_Y_OFFSET), 7);
    ck_assert_uint_eq(vbe_r(0x20), 0);
    /* disabling and enabling resets bank and offsets */
    vbe_w(VBE_INDEX_ENABLE, 0);
    vbe_w(VBE_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_BANK), 0);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_X_OFFSET), 0);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_Y_OFFSET), 0);
}
END_TEST

START_TEST(vbe_clear_and_noclear)
{
    physmem_write(pm, LFB + 100, 0x5A, 1);
    vbe_mode(640, 480, 8, VBE_DISPI_NOCLEARMEM);
    ck_assert_uint_eq(physmem_read(pm, LFB + 100, 1), 0x5A);
    vbe_mode(640, 480, 8, 0);
    ck_assert_uint_eq(physmem_read(pm, LFB + 100, 1), 0x00);
    /* back to VGA: the window goes through the planes again */
    vbe_w(VBE_INDEX_ENABLE, 0);
    planar_mode();
    mwr(0xA0000, 0x77);
    ck_assert_uint_eq(plane_get(2, 0), 0x77);
    ck_assert_uint_eq(physmem_read(pm, LFB, 4), 0x77777777u); /* four planes interleaved in the LFB */
}
END_TEST

START_TEST(lfb_move)
{
    physmem_write(pm, LFB + 8, 0xDEADBEEF, 4);
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xC0000000ull, err, sizeof err), 0);
    ck_assert_uint_eq(physmem_read(pm, 0xC0000008ull, 4), 0xDEADBEEFu);
    ck_assert_uint_eq(physmem_read(pm, LFB + 8, 4), 0xFFFFFFFFu);
    physmem_write(pm, 0xC0000010ull, 0x01020304, 4);
    vbe_mode(16, 16, 32, VBE_DISPI_LFB_ENABLED | VBE_DISPI_NOCLEARMEM);
    unsigned w, h;
    render(&w, &h);
    ck_assert_uint_eq(px(w, 2, 0), 0xDEADBEEFu & 0xFFFFFF);
    ck_assert_uint_eq(px(w, 4, 0), 0x020304u);
    /* a move onto another region fails and leaves the LFB in place */
    ck_assert_ptr_nonnull(physmem_add_ram(pm, "other", 0xD0000000ull, 0x100000, err, sizeof err));
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xCF800000ull, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "overlaps"));
    ck_assert_uint_eq(physmem_read(pm, 0xC0000008ull, 4), 0xDEADBEEFu);
    ck_assert_int_eq(vga_set_lfb_base(&vga, VGA_LFB_PARKED_BASE, err, sizeof err), 0);
    ck_assert_uint_eq(physmem_read(pm, 0xC0000008ull, 4), 0xFFFFFFFFu);
    render(&w, &h); /* the renderer does not care where the LFB is */
    ck_assert_uint_eq(px(w, 4, 0), 0x020304u);
    ck_assert_int_eq(vga_set_lfb_base(&vga, LFB, err, sizeof err), 0);
    ck_assert_uint_eq(physmem_read(pm, LFB + 8, 4), 0xDEADBEEFu);
    ck_assert_ptr_nonnull(physmem_find(pm, 0xD0000000ull));
    ck_assert_ptr_nonnull(physmem_find(pm, 0xA0000));
    /* moves across another region keep the table sorted */
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xC0000000ull, err, sizeof err), 0);
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xF0000000ull, err, sizeof err), 0);
    for (unsigned i = 1; i < pm->region_count; i++)
        ck_assert_uint_lt(pm->regions[i - 1]->base + pm->regions[i - 1]->size - 1, pm->regions[i]->base);
    ck_assert_str_eq(physmem_find(pm, 0xD0000000ull)->name, "other");
    ck_assert_str_eq(physmem_find(pm, 0xF0000000ull)->name, "vga-lfb");
    ck_assert_str_eq(physmem_find(pm, 0xA0000)->name, "vga-legacy");
    ck_assert_uint_eq(physmem_read(pm, 0xF0000008ull, 4), 0xDEADBEEFu);
}
END_TEST

static unsigned map_changes;
static void count_map_change(void *opaque)
{
    (void)opaque;
    map_changes++;
}

START_TEST(lfb_move_notifies)
{
    pm->map_changed = count_map_change;
    map_changes = 0;
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xF0000000ull, err, sizeof err), 0);
    ck_assert_uint_eq(map_changes, 1);
    ck_assert_int_eq(vga_set_lfb_base(&vga, 0xF0000000ull, err, sizeof err), 0); /* same place: no change */
    ck_assert_uint_eq(map_changes, 1);
    pm->map_changed = NULL;
}
END_TEST

START_TEST(mmio_bar_and_alias_port)
{
    const uint64_t bar = 0xFEBF0000ull;
    ck_assert_ptr_nonnull(physmem_add_mmio(pm, "vga-bar2", bar, VGA_MMIO_BAR_SIZE, &vga_mmio_bar_ops, &vga, err,
                                           sizeof err));
    /* 0x400 + n is port 0x3C0 + n; a word write is index then data */
    physmem_write(pm, bar + 0x414, 0x560E, 2);
    ck_assert_uint_eq(crtc_r(0x0E), 0x56);
    ck_assert_uint_eq(physmem_read(pm, bar + 0x40C, 1), 0x67);
    physmem_write(pm, bar + 0x404, 0x0702, 2);
    ck_assert_uint_eq(seq_r(2), 0x07);
    /* DISPI registers flat at 0x500 + 2 * index; the index port is not disturbed */
    outw(0x1CE, VBE_INDEX_BPP);
    ck_assert_uint_eq(physmem_read(pm, bar + 0x500, 2), VBE_DISPI_ID5);
    ck_assert_uint_eq(physmem_read(pm, bar + 0x500 + 2 * VBE_INDEX_VIDEO_MEMORY_64K, 2), 256);
    physmem_write(pm, bar + 0x500 + 2 * VBE_INDEX_XRES, 800, 2);
    ck_assert_uint_eq(inw(0x1CE), VBE_INDEX_BPP);
    ck_assert_uint_eq(vbe_r(VBE_INDEX_XRES), 800);
    /* QEMU extended registers: region size and little-endian framebuffer */
    ck_assert_uint_eq(physmem_read(pm, bar + 0x600, 4), VGA_MMIO_QEXT_SIZE);
    ck_assert_uint_eq(physmem_read(pm, bar + 0x604, 4), 0x1E1E1E1Eu);
    ck_assert_uint_eq(physmem_read(pm, bar + 0x10, 4), 0); /* no EDID */
    /* 0x1D0 is a second data port */
    outw(0x1CE, VBE_INDEX_XRES);
    ck_assert_uint_eq(inw(0x1D0), 800);
    outw(0x1D0, 1024);
    ck_assert_uint_eq(inw(0x1CF), 1024);
    ck_assert_uint_eq(inb(0x1CF), 0x00); /* low byte of 0x400 */
}
END_TEST

START_TEST(garbage_robustness)
{
    const uint64_t bar = 0xFEBF0000ull;
    ck_assert_ptr_nonnull(physmem_add_mmio(pm, "vga-bar2", bar, VGA_MMIO_BAR_SIZE, &vga_mmio_bar_ops, &vga, err,
                                           sizeof err));
    uint32_t s = 12345;
    for (unsigned i = 0; i < 200000; i++) {
        s = s * 1103515245u + 12345u;
        unsigned r = s >> 8;
        uint16_t port;
        switch (r % 5) {
        case 0: port = (uint16_t)(0x3B0 + (r >> 4) % 0x30); break;
        case 1: port = (uint16_t)(0x1CE + (r >> 4) % 4); break;
        case 2: port = (uint16_t)(0x3C0 + (r >> 4) % 16); break;
        case 3: port = (uint16_t)(0x3D4 + (r >> 4) % 7); break;
        default: port = 0x3DA; break;
        }
        if (r & 0x10000)
            iobus_write(&bus, port, s >> 3, (r & 0x20000) ? 2 : 1);
        else
            (void)iobus_read(&bus, port, (r & 0x20000) ? 2 : 1);
        uint64_t a = (r & 0x800000) ? bar + (s >> 7) % VGA_MMIO_BAR_SIZE : 0xA0000 + (s >> 5) % 0x20000;
        if (r & 0x40000)
            physmem_write(pm, a, s, 1u << ((r >> 19) & 3));
        else
            (void)physmem_read(pm, a, 1u << ((r >> 19) & 3));
        if (i % 2000 == 0) {
            unsigned w, h;
            if (vga_render(&vga, fb, FB_W, FB_H, &w, &h) == 0) {
                ck_assert_uint_le(w, FB_W);
                ck_assert_uint_le(h, FB_H);
            }
            char buf[64];
            (void)vga_text_dump(&vga, buf, sizeof buf);
            advance_ns(1000000);
        }
    }
    /* every VBE depth with extreme offsets */
    static const unsigned depths[] = {4, 8, 15, 16, 24, 32};
    for (unsigned d = 0; d < 6; d++) {
        vbe_mode(VBE_DISPI_MAX_XRES, VBE_DISPI_MAX_YRES, depths[d], VBE_DISPI_NOCLEARMEM);
        vbe_w(VBE_INDEX_X_OFFSET, 0xFFFF);
        vbe_w(VBE_INDEX_Y_OFFSET, 0xFFFF);
        unsigned w, h;
        render(&w, &h);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vga");
    TCase *regs = tcase_create("registers");
    tcase_add_checked_fixture(regs, setup, teardown);
    tcase_add_test(regs, misc_io_select);
    tcase_add_test(regs, crtc_protect);
    tcase_add_test(regs, word_writes_and_masks);
    tcase_add_test(regs, attribute_flip_flop);
    tcase_add_test(regs, dac_cycles);
    tcase_add_test(regs, status1_timing);
    suite_add_tcase(s, regs);
    TCase *mem = tcase_create("memory");
    tcase_add_checked_fixture(mem, setup, teardown);
    tcase_add_test(mem, write_mode_0);
    tcase_add_test(mem, write_mode_1_and_latches);
    tcase_add_test(mem, write_mode_2);
    tcase_add_test(mem, write_mode_3);
    tcase_add_test(mem, read_modes);
    tcase_add_test(mem, chain4_addressing);
    tcase_add_test(mem, odd_even_text_memory);
    tcase_add_test(mem, memory_map_and_ram_enable);
    suite_add_tcase(s, mem);
    TCase *vbe = tcase_create("vbe");
    tcase_add_checked_fixture(vbe, setup, teardown);
    tcase_add_test(vbe, vbe_registers);
    tcase_add_test(vbe, vbe_clear_and_noclear);
    tcase_add_test(vbe, lfb_move);
    tcase_add_test(vbe, lfb_move_notifies);
    tcase_add_test(vbe, mmio_bar_and_alias_port);
    tcase_add_test(vbe, garbage_robustness);
    tcase_set_timeout(vbe, 120);
    suite_add_tcase(s, vbe);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
