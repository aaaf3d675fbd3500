/* VGA registers, video memory and the Bochs VBE extension (see vga.h).
 *
 * Sources followed:
 *  - IBM VGA Technical Reference (Personal System/2 Hardware Interface
 *    Technical Reference, "Video Subsystem") and the FreeVGA register pages:
 *    general registers (miscellaneous output, input status 0/1, feature
 *    control), sequencer, CRT controller, graphics controller, attribute
 *    controller, DAC; the "Graphics Controller" data path for write modes 0-3,
 *    read modes 0-1, set/reset, rotate, logical operation, bit mask, latches;
 *    chain-4 and odd/even host addressing.
 *  - Bochs vbe_display_api.txt for the DISPI registers (ID 0xB0C0-0xB0C5,
 *    XRES/YRES/BPP writable only while disabled, GETCAPS, 8-bit DAC, LFB and
 *    NOCLEARMEM flags, VIRT_WIDTH adjusting VIRT_HEIGHT, 64 KiB banks,
 *    VIDEO_MEMORY_64K), and how SeaVGABIOS (vgasrc/stdvga*.c, bochsvga.c)
 *    drives them: 16-bit "out dx, ax" to index/data pairs, the attribute
 *    index read back from 0x3C0 and restored with its PAS bit, the DAC state
 *    read from 0x3C7, the feature control read from 0x3CA, fonts loaded into
 *    plane 2 through SR02=4/SR04=7/GR04=2/GR05=0/GR06=4.
 *  - QEMU docs/specs/standard-vga.rst for the PCI device's MMIO BAR 2 and the
 *    0x1D0 data port alias.
 *
 * Chain-4 stores CPU address A in plane A & 3 at offset A with bits 1:0
 * replaced by A15:A14: the CRTC's doubleword mode (address counter rotated
 * left by two, MA13:MA12 into bits 1:0) reads exactly that back.
 * Simplifications: odd/even replaces A0 by 0 (not by a higher bit or the page
 * bit of the miscellaneous output), which the word-mode CRTC reads back for
 * the 32 KiB text window; the vertical retrace interrupt is not modelled. */
#include "vga.h"

#include <stdio.h>
#include <string.h>

/* ---- display timing ---------------------------------------------------- */

uint8_t vga_status1(uint64_t now)
{
    uint64_t pos = (now % VGA_FRAME_NS) * VGA_FRAME_LINES; /* < 2^34 */
    unsigned line = (unsigned)(pos / VGA_FRAME_NS);
    uint64_t in_line = pos % VGA_FRAME_NS; /* in 1/VGA_FRAME_NS of a line */
    bool hblank = in_line * 5 >= VGA_FRAME_NS * 4;
    uint8_t v = 0;
    if (line >= VGA_ACTIVE_LINES || hblank)
        v |= 0x01; /* display disabled: horizontal or vertical blanking */
    if (line >= VGA_VRETRACE_START && line < VGA_VRETRACE_END)
        v |= 0x08;
    return v;
}

/* ---- power-on state ---------------------------------------------------- */

/* The 80x25 colour text mode's register values (IBM VGA technical
 * reference, mode 3 with 400 scan lines). */
static const uint8_t reset_seq[5] = {0x03, 0x00, 0x03, 0x00, 0x02};
static const uint8_t reset_crtc[25] = {0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00,
                                       0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF};
static const uint8_t reset_gr[9] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x0F, 0xFF};
static const uint8_t reset_ar[21] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A,
                                     0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00};

/* Writable bits: reserved bits read as 0. */
static const uint8_t seq_mask[5] = {0x03, 0x3D, 0x0F, 0x3F, 0x0E};
static const uint8_t gr_mask[9] = {0x0F, 0x0F, 0x0F, 0x1F, 0x03, 0x7B, 0x0F, 0x0F, 0xFF};
static const uint8_t ar_mask_hi[5] = {0xEF, 0xFF, 0x3F, 0x0F, 0x0F}; /* AR10-AR14; AR00-0F: 0x3F */

#define SEQ_COUNT  5
#define CRTC_COUNT 25
#define GR_COUNT   9
#define AR_COUNT   21

void vga_reset(struct vga *vga)
{
    vga->misc = 0x67; /* colour I/O addresses, RAM enabled, 28 MHz clock */
    vga->feature = 0;
    vga->enable_3c3 = 1;
    memset(vga->seq, 0, sizeof vga->seq);
    memset(vga->crtc, 0, sizeof vga->crtc);
    memset(vga->gr, 0, sizeof vga->gr);
    memset(vga->ar, 0, sizeof vga->ar);
    memcpy(vga->seq, reset_seq, sizeof reset_seq);
    memcpy(vga->crtc, reset_crtc, sizeof reset_crtc);
    memcpy(vga->gr, reset_gr, sizeof reset_gr);
    memcpy(vga->ar, reset_ar, sizeof reset_ar);
    vga->seq_index = vga->crtc_index = vga->gr_index = 0;
    vga->ar_index = 0x20;
    vga->ar_flip = false;
    /* DAC 0-63: the 64 EGA colours (bits 2/1/0 = R/G/B at 2/3 intensity,
     * bits 5/4/3 = r/g/b at 1/3), as mode 3 loads them. */
    memset(vga->dac, 0, sizeof vga->dac);
    for (unsigned i = 0; i < 64; i++)
        for (unsigned c = 0; c < 3; c++) {
            unsigned hi = (i >> (2 - c)) & 1, lo = (i >> (5 - c)) & 1;
            vga->dac[i][c] = (uint8_t)(hi * 0x2A + lo * 0x15);
        }
    vga->dac_mask = 0xFF;
    vga->dac_read_index = vga->dac_write_index = 0;
    vga->dac_read_sub = vga->dac_write_sub = 0;
    vga->dac_state = 0;
    vga->latch = 0;
    vga->vbe_index = 0;
    vga->vbe_id = VBE_DISPI_ID5;
    vga->vbe_xres = 640;
    vga->vbe_yres = 480;
    vga->vbe_bpp = 8;
    vga->vbe_enable = 0;
    vga->vbe_bank = 0;
    vga->vbe_virt_width = 640;
    vga->vbe_virt_height = (uint16_t)(VGA_VRAM_SIZE / 640 > 0xFFFF ? 0xFFFF : VGA_VRAM_SIZE / 640);
    vga->vbe_x_offset = vga->vbe_y_offset = 0;
}

/* ---- video memory: the graphics controller data path ------------------- */

/* Bit p of b set -> byte p of the result 0xFF. */
static inline uint32_t expand4(unsigned b)
{
    return ((b & 1) ? 0x000000FFu : 0) | ((b & 2) ? 0x0000FF00u : 0) | ((b & 4) ? 0x00FF0000u : 0) |
           ((b & 8) ? 0xFF000000u : 0);
}

/* VBE modes of 8 bpp and more see the window as plain bytes of video memory;
 * 4-bpp VBE modes and all VGA modes go through the planes. */
static inline bool vbe_direct(const struct vga *vga)
{
    return vga_vbe_enabled(vga) && vga->vbe_bpp != 4;
}

/* Offset into the window the graphics controller decodes (GR06 memory map),
 * from an offset relative to 0xA0000; false outside it. */
static bool window_offset(const struct vga *vga, uint32_t addr, uint32_t *off)
{
    switch ((vga->gr[6] >> 2) & 3) {
    case 0: /* A0000-BFFFF */
        *off = addr;
        return true;
    case 1: /* A0000-AFFFF */
        *off = addr;
        return addr < 0x10000;
    case 2: /* B0000-B7FFF */
        *off = addr - 0x10000;
        return addr >= 0x10000 && addr < 0x18000;
    default: /* B8000-BFFFF */
        *off = addr - 0x18000;
        return addr >= 0x18000;
    }
}

/* Plane offset -> index of its 4-plane group in vram.  VGA addressing wraps
 * at 64 KiB per plane; a 4-bpp VBE mode adds the bank and reaches 4 MiB. */
static inline uint32_t plane_group(const struct vga *vga, uint32_t off)
{
    if (vga_vbe_enabled(vga))
        return (((uint32_t)vga->vbe_bank << 16) + (off & 0xFFFF)) & (VGA_VRAM_SIZE / 4 - 1);
    return off & (VGA_PLANE_SIZE - 1);
}

static inline uint32_t chain4_offset(uint32_t a)
{
    return (a & ~3u) | ((a >> 14) & 3);
}

static uint8_t planar_read(struct vga *vga, uint32_t a)
{
    unsigned plane;
    uint32_t off;
    if (vga->seq[4] & 0x08) { /* chain-4: A1:A0 pick the plane */
        plane = a & 3;
        off = chain4_offset(a);
    } else if (vga->gr[5] & 0x10) { /* host odd/even: A0 picks the odd or even plane */
        plane = (vga->gr[4] & 2) | (a & 1);
        off = (vga->gr[6] & 2) ? a & ~1u : a;
    } else {
        plane = vga->gr[4] & 3;
        off = a;
    }
    uint32_t g = plane_group(vga, off);
    memcpy(&vga->latch, vga->vram + (size_t)g * 4, 4); /* every read loads the four latches */
    if (!(vga->gr[5] & 0x08))
        return (uint8_t)(vga->latch >> (8 * plane));
    /* Read mode 1: a bit is 1 where every plane not marked "don't care" in
     * GR07 matches the colour compare value of GR02. */
    uint32_t diff = (vga->latch ^ expand4(vga->gr[2])) & expand4(vga->gr[7]);
    return (uint8_t)~(diff | diff >> 8 | diff >> 16 | diff >> 24);
}

static void planar_write(struct vga *vga, uint32_t a, uint8_t val)
{
    unsigned mask = vga->seq[2] & 0x0F; /* map mask */
    uint32_t off = a;
    if (vga->seq[4] & 0x08) {
        mask &= 1u << (a & 3);
        off = chain4_offset(a);
    } else if (!(vga->seq[4] & 0x04)) { /* odd/even writes: even planes for even addresses */
        mask &= (a & 1) ? 0x0A : 0x05;
        if (vga->gr[6] & 2)
            off = a & ~1u;
    }
    if (!mask)
        return;

    unsigned rot = vga->gr[3] & 7;
    uint8_t data = (uint8_t)((val >> rot) | (val << ((8 - rot) & 7)));
    uint32_t latch = vga->latch, bitmask = vga->gr[8], d;
    switch (vga->gr[5] & 3) {
    case 0: { /* rotated data, or set/reset where enabled */
        uint32_t esr = expand4(vga->gr[1]);
        d = (data * 0x01010101u & ~esr) | (expand4(vga->gr[0]) & esr);
        break;
    }
    case 1: /* the latches, unchanged */
        d = latch;
        bitmask = 0xFF;
        break;
    case 2: /* CPU bits 0-3 fill their planes */
        d = expand4(val);
        break;
    default: /* set/reset data, rotated CPU data ANDed into the bit mask */
        d = expand4(vga->gr[0]);
        bitmask &= data;
        break;
    }
    if ((vga->gr[5] & 3) != 1) {
        switch ((vga->gr[3] >> 3) & 3) {
        case 1: d &= latch; break;
        case 2: d |= latch; break;
        case 3: d ^= latch; break;
        default: break;
        }
    }
    uint32_t bm = bitmask * 0x01010101u;
    d = (d & bm) | (latch & ~bm);

    uint32_t g = plane_group(vga, off), cur, pm = expand4(mask);
    memcpy(&cur, vga->vram + (size_t)g * 4, 4);
    cur = (cur & ~pm) | (d & pm);
    memcpy(vga->vram + (size_t)g * 4, &cur, 4);
}

/* One byte of the legacy window, offset relative to 0xA0000. */
static uint8_t legacy_readb(struct vga *vga, uint32_t addr)
{
    uint32_t off;
    if (!(vga->misc & 0x02) || !window_offset(vga, addr, &off))
        return 0xFF; /* RAM disabled, or outside the mapped window: nobody answers */
    if (vbe_direct(vga)) {
        uint32_t p = ((uint32_t)vga->vbe_bank << 16) + off;
        return p < VGA_VRAM_SIZE ? vga->vram[p] : 0xFF;
    }
    return planar_read(vga, off);
}

static void legacy_writeb(struct vga *vga, uint32_t addr, uint8_t val)
{
    uint32_t off;
    if (!(vga->misc & 0x02) || !window_offset(vga, addr, &off))
        return;
    if (vbe_direct(vga)) {
        uint32_t p = ((uint32_t)vga->vbe_bank << 16) + off;
        if (p < VGA_VRAM_SIZE)
            vga->vram[p] = val;
        return;
    }
    planar_write(vga, off, val);
}

/* Wider accesses are a sequence of byte accesses, lowest address first, as
 * the 8/16-bit VGA sees them (each updates the latches). */
static uint64_t legacy_read(void *dev, uint64_t offset, unsigned size)
{
    struct vga *vga = dev;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)legacy_readb(vga, (uint32_t)(offset + i)) << (8 * i);
    return v;
}

static void legacy_write(void *dev, uint64_t offset, uint64_t value, unsigned size)
{
    struct vga *vga = dev;
    for (unsigned i = 0; i < size; i++)
        legacy_writeb(vga, (uint32_t)(offset + i), (uint8_t)(value >> (8 * i)));
}

static const struct mmio_ops legacy_ops = {.read = legacy_read, .write = legacy_write};

/* ---- VGA registers ----------------------------------------------------- */

static uint8_t dac_component_mask(const struct vga *vga)
{
    return (vga->vbe_enable & VBE_DISPI_8BIT_DAC) ? 0xFF : 0x3F;
}

static void crtc_write(struct vga *vga, uint8_t v)
{
    unsigned i = vga->crtc_index;
    if (i >= CRTC_COUNT)
        return;
    if ((vga->crtc[0x11] & 0x80) && i <= 7) {
        /* Protect: CR00-CR07 are read-only, except the line compare bit 8 in CR07 bit 4. */
        if (i == 7)
            vga->crtc[7] = (uint8_t)((vga->crtc[7] & ~0x10) | (v & 0x10));
        return;
    }
    vga->crtc[i] = v;
}

static uint8_t crtc_read(const struct vga *vga)
{
    return vga->crtc_index < CRTC_COUNT ? vga->crtc[vga->crtc_index] : 0xFF;
}

/* Ports 0x3B4/0x3B5/0x3BA (mono) and 0x3D4/0x3D5/0x3DA (colour): only the set
 * chosen by the I/O address select bit (misc bit 0) answers. */
static bool crtc_ports_active(const struct vga *vga, bool color)
{
    return ((vga->misc & 1) != 0) == color;
}

static uint8_t crtc_group_read(struct vga *vga, bool color, unsigned off)
{
    if (!crtc_ports_active(vga, color))
        return 0xFF;
    switch (off) {
    case 0: return vga->crtc_index;
    case 1: return crtc_read(vga);
    case 6: /* input status 1; reading it resets the attribute flip-flop to "index" */
        vga->ar_flip = false;
        return vga_status1(vclock_now(vga->clk));
    default: return 0xFF;
    }
}

static void crtc_group_write(struct vga *vga, bool color, unsigned off, uint8_t v)
{
    if (!crtc_ports_active(vga, color))
        return;
    switch (off) {
    case 0: vga->crtc_index = v; break;
    case 1: crtc_write(vga, v); break;
    case 6: vga->feature = v & 0x03; break; /* feature control (FC1, FC0) */
    default: break;
    }
}

static void ar_write(struct vga *vga, uint8_t v)
{
    if (!vga->ar_flip) {
        vga->ar_index = v & 0x3F;
    } else {
        unsigned i = vga->ar_index & 0x1F;
        if (i < 0x10) {
            /* The internal palette can be loaded only while the CPU owns it
             * (palette address source 0, display blanked). */
            if (!(vga->ar_index & 0x20))
                vga->ar[i] = v & 0x3F;
        } else if (i < AR_COUNT) {
            vga->ar[i] = v & ar_mask_hi[i - 0x10];
        }
    }
    vga->ar_flip = !vga->ar_flip;
}

/* Ports 0x3C0-0x3CF. */
static uint8_t general_read(struct vga *vga, unsigned offset)
{
    switch (offset) {
    case 0x0: return vga->ar_index;
    case 0x1: {
        unsigned i = vga->ar_index & 0x1F;
        return i < AR_COUNT ? vga->ar[i] : 0x00;
    }
    case 0x2: return 0x10; /* input status 0: switch sense set (a colour monitor is attached), no VRetrace IRQ */
    case 0x3: return vga->enable_3c3;
    case 0x4: return vga->seq_index;
    case 0x5: return vga->seq_index < SEQ_COUNT ? vga->seq[vga->seq_index] : 0xFF;
    case 0x6: return vga->dac_mask;
    case 0x7: return vga->dac_state;
    case 0x8: return vga->dac_write_index;
    case 0x9: {
        uint8_t v = vga->dac[vga->dac_read_index][vga->dac_read_sub];
        if (++vga->dac_read_sub == 3) {
            vga->dac_read_sub = 0;
            vga->dac_read_index++;
        }
        return v;
    }
    case 0xA: return vga->feature;
    case 0xC: return vga->misc;
    case 0xE: return vga->gr_index;
    case 0xF: return vga->gr_index < GR_COUNT ? vga->gr[vga->gr_index] : 0xFF;
    default: return 0xFF;
    }
}

static void general_write(struct vga *vga, unsigned offset, uint8_t v)
{
    switch (offset) {
    case 0x0: ar_write(vga, v); break;
    case 0x2: vga->misc = v; break;
    case 0x3: vga->enable_3c3 = v & 1; break;
    case 0x4: vga->seq_index = v; break;
    case 0x5:
        if (vga->seq_index < SEQ_COUNT)
            vga->seq[vga->seq_index] = v & seq_mask[vga->seq_index];
        break;
    case 0x6: vga->dac_mask = v; break;
    case 0x7: /* DAC read address: the next three reads of 0x3C9 return its R, G, B */
        vga->dac_read_index = v;
        vga->dac_read_sub = 0;
        vga->dac_state = 3;
        break;
    case 0x8: /* DAC write address: the next three writes of 0x3C9 load its R, G, B */
        vga->dac_write_index = v;
        vga->dac_write_sub = 0;
        vga->dac_state = 0;
        break;
    case 0x9:
        vga->dac_pending[vga->dac_write_sub] = v & dac_component_mask(vga);
        if (++vga->dac_write_sub == 3) { /* the entry changes once all three are in */
            memcpy(vga->dac[vga->dac_write_index], vga->dac_pending, 3);
            vga->dac_write_sub = 0;
            vga->dac_write_index++;
        }
        break;
    case 0xE: vga->gr_index = v; break;
    case 0xF:
        if (vga->gr_index < GR_COUNT)
            vga->gr[vga->gr_index] = v & gr_mask[vga->gr_index];
        break;
    default: break; /* 0x3C1 data is read-only; 0x3CA/0x3CC are read ports */
    }
}

/* Any VGA port, 0x3B0-0x3DF; unclaimed ones float high. */
static uint8_t vga_ioport_read(struct vga *vga, uint16_t port)
{
    if (port >= 0x3C0 && port <= 0x3CF)
        return general_read(vga, port - 0x3C0u);
    if (port >= 0x3B4 && port <= 0x3BA)
        return crtc_group_read(vga, false, port - 0x3B4u);
    if (port >= 0x3D4 && port <= 0x3DA)
        return crtc_group_read(vga, true, port - 0x3D4u);
    return 0xFF;
}

static void vga_ioport_write(struct vga *vga, uint16_t port, uint8_t v)
{
    if (port >= 0x3C0 && port <= 0x3CF)
        general_write(vga, port - 0x3C0u, v);
    else if (port >= 0x3B4 && port <= 0x3BA)
        crtc_group_write(vga, false, port - 0x3B4u, v);
    else if (port >= 0x3D4 && port <= 0x3DA)
        crtc_group_write(vga, true, port - 0x3D4u, v);
}

/* The bus gives byte accesses only (widths = 1): it splits "out dx, ax" into
 * the index then the data byte, which is what the hardware does with it. */
static uint32_t mono_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    return vga_ioport_read(dev, (uint16_t)(0x3B4 + offset));
}
static void mono_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    vga_ioport_write(dev, (uint16_t)(0x3B4 + offset), (uint8_t)value);
}
static uint32_t general_port_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    return vga_ioport_read(dev, (uint16_t)(0x3C0 + offset));
}
static void general_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    vga_ioport_write(dev, (uint16_t)(0x3C0 + offset), (uint8_t)value);
}
static uint32_t color_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    return vga_ioport_read(dev, (uint16_t)(0x3D4 + offset));
}
static void color_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    vga_ioport_write(dev, (uint16_t)(0x3D4 + offset), (uint8_t)value);
}

/* ---- Bochs VBE --------------------------------------------------------- */

static unsigned vbe_bytes_per_line(unsigned bpp, unsigned width)
{
    if (bpp == 4)
        return width / 8; /* per plane */
    return width * ((bpp + 7) / 8);
}

/* Memory a mode's lines can use: all of it, or one plane's share at 4 bpp. */
static uint32_t vbe_line_memory(unsigned bpp)
{
    return bpp == 4 ? VGA_VRAM_SIZE / 4 : VGA_VRAM_SIZE;
}

static void vbe_set_virt_width(struct vga *vga, unsigned width)
{
    if (width < vga->vbe_xres)
        width = vga->vbe_xres; /* "adjusted if the setting is not possible" */
    unsigned line = vbe_bytes_per_line(vga->vbe_bpp, width);
    if (line == 0)
        return;
    uint32_t height = vbe_line_memory(vga->vbe_bpp) / line;
    if (height < vga->vbe_yres)
        return; /* does not fit in video memory: keep the old width */
    vga->vbe_virt_width = (uint16_t)width;
    vga->vbe_virt_height = (uint16_t)(height > 0xFFFF ? 0xFFFF : height);
}

static uint16_t vbe_read(const struct vga *vga)
{
    bool caps = vga->vbe_enable & VBE_DISPI_GETCAPS;
    switch (vga->vbe_index) {
    case VBE_INDEX_ID: return vga->vbe_id;
    case VBE_INDEX_XRES: return caps ? VBE_DISPI_MAX_XRES : vga->vbe_xres;
    case VBE_INDEX_YRES: return caps ? VBE_DISPI_MAX_YRES : vga->vbe_yres;
    case VBE_INDEX_BPP: return caps ? VBE_DISPI_MAX_BPP : vga->vbe_bpp;
    case VBE_INDEX_ENABLE: return vga->vbe_enable;
    case VBE_INDEX_BANK: return vga->vbe_bank;
    case VBE_INDEX_VIRT_WIDTH: return vga->vbe_virt_width;
    case VBE_INDEX_VIRT_HEIGHT: return vga->vbe_virt_height;
    case VBE_INDEX_X_OFFSET: return vga->vbe_x_offset;
    case VBE_INDEX_Y_OFFSET: return vga->vbe_y_offset;
    case VBE_INDEX_VIDEO_MEMORY_64K: return VGA_VRAM_SIZE >> 16;
    default: return 0;
    }
}

static void vbe_write(struct vga *vga, uint16_t v)
{
    bool enabled = vga_vbe_enabled(vga);
    switch (vga->vbe_index) {
    case VBE_INDEX_ID:
        if (v >= VBE_DISPI_ID0 && v <= VBE_DISPI_ID5)
            vga->vbe_id = v;
        break;
    case VBE_INDEX_XRES: /* the mode registers change only while VBE is off */
        if (!enabled && v && v <= VBE_DISPI_MAX_XRES)
            vga->vbe_xres = v;
        break;
    case VBE_INDEX_YRES:
        if (!enabled && v && v <= VBE_DISPI_MAX_YRES)
            vga->vbe_yres = v;
        break;
    case VBE_INDEX_BPP:
        if (v == 0)
            v = 8; /* 0 means 8 for compatibility with ID 0xB0C0 */
        if (!enabled && (v == 4 || v == 8 || v == 15 || v == 16 || v == 24 || v == 32))
            vga->vbe_bpp = v;
        break;
    case VBE_INDEX_ENABLE:
        v &= VBE_DISPI_ENABLED | VBE_DISPI_GETCAPS | VBE_DISPI_8BIT_DAC | VBE_DISPI_LFB_ENABLED |
             VBE_DISPI_NOCLEARMEM;
        if ((v & VBE_DISPI_ENABLED) && !enabled) {
            /* A mode starts: the virtual screen is the visible one, at offset 0, bank 0. */
            vga->vbe_bank = 0;
            vga->vbe_x_offset = vga->vbe_y_offset = 0;
            vga->vbe_virt_width = 0;
            vbe_set_virt_width(vga, vga->vbe_xres);
            if (!(v & VBE_DISPI_NOCLEARMEM))
                memset(vga->vram, 0, VGA_VRAM_SIZE);
        }
        vga->vbe_enable = v;
        break;
    case VBE_INDEX_BANK: /* a bank past the memory is refused (SeaVGABIOS reads it back to check) */
        if ((uint32_t)v < vbe_line_memory(vga->vbe_bpp) >> 16)
            vga->vbe_bank = v;
        break;
    case VBE_INDEX_VIRT_WIDTH: vbe_set_virt_width(vga, v); break;
    case VBE_INDEX_X_OFFSET: vga->vbe_x_offset = v; break;
    case VBE_INDEX_Y_OFFSET: vga->vbe_y_offset = v; break;
    default: break; /* VIRT_HEIGHT and VIDEO_MEMORY_64K are read-only */
    }
}

/* 0x1CE index; 0x1CF data (x86) and 0x1D0 data (its aligned alias).  The
 * registers are 16-bit: a byte access moves the low byte (zero-extended). */
static uint32_t vbe_port_read(void *dev, uint16_t offset, unsigned size)
{
    struct vga *vga = dev;
    if (offset == 3)
        return 0xFF;
    uint16_t v = offset == 0 ? vga->vbe_index : vbe_read(vga);
    return size == 2 ? v : v & 0xFFu;
}

static void vbe_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct vga *vga = dev;
    uint16_t v = (uint16_t)(size == 2 ? value : value & 0xFF);
    if (offset == 0)
        vga->vbe_index = v;
    else if (offset <= 2)
        vbe_write(vga, v);
}

/* ---- PCI BAR 2: the MMIO register window (QEMU docs/specs/standard-vga) - */

/* 0x000-0x3FF EDID (none: reads 0), 0x400-0x41F ports 0x3C0-0x3DF byte by
 * byte in address order, 0x500-0x515 the DISPI registers at index * 2,
 * 0x600 size of the QEMU extended registers, 0x604 framebuffer endianness. */
static uint64_t bar_read(void *dev, uint64_t offset, unsigned size)
{
    struct vga *vga = dev;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t o = offset + i, b = 0;
        if (o >= 0x400 && o < 0x420) {
            b = vga_ioport_read(vga, (uint16_t)(0x3C0 + (o - 0x400)));
        } else if (o >= 0x500 && o < 0x500 + 2u * VBE_INDEX_COUNT) {
            uint16_t save = vga->vbe_index;
            vga->vbe_index = (uint16_t)((o - 0x500) / 2);
            b = (vbe_read(vga) >> (8 * ((o - 0x500) & 1))) & 0xFF;
            vga->vbe_index = save;
        } else if (o >= 0x600 && o < 0x608) {
            uint32_t reg = o < 0x604 ? VGA_MMIO_QEXT_SIZE : 0x1E1E1E1Eu; /* little endian */
            b = (reg >> (8 * (o & 3))) & 0xFF;
        }
        v |= b << (8 * i);
    }
    return v;
}

static void bar_write(void *dev, uint64_t offset, uint64_t value, unsigned size)
{
    struct vga *vga = dev;
    if (offset >= 0x500 && offset < 0x500 + 2u * VBE_INDEX_COUNT && !(offset & 1) && size >= 2) {
        uint16_t save = vga->vbe_index; /* a flat register: the index port keeps its value */
        vga->vbe_index = (uint16_t)((offset - 0x500) / 2);
        vbe_write(vga, (uint16_t)value);
        vga->vbe_index = save;
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        uint64_t o = offset + i;
        if (o >= 0x400 && o < 0x420)
            vga_ioport_write(vga, (uint16_t)(0x3C0 + (o - 0x400)), (uint8_t)(value >> (8 * i)));
    }
}

const struct mmio_ops vga_mmio_bar_ops = {.read = bar_read, .write = bar_write};

/* ---- set-up ------------------------------------------------------------ */

int vga_init(struct vga *vga, struct physmem *pm, struct iobus *bus, struct vclock *clk, uint64_t lfb_base,
             char *err, size_t err_len)
{
    memset(vga, 0, sizeof *vga);
    vga->pm = pm;
    vga->clk = clk;
    vga->lfb_base = lfb_base;
    const struct io_region regions[] = {
        {.name = "vga-mono", .base = 0x3B4, .size = 7, .widths = 1, .read = mono_read, .write = mono_write, .dev = vga},
        {.name = "vga", .base = 0x3C0, .size = 16, .widths = 1, .read = general_port_read,
         .write = general_port_write, .dev = vga},
        {.name = "vga-color", .base = 0x3D4, .size = 7, .widths = 1, .read = color_read, .write = color_write,
         .dev = vga},
        {.name = "vbe-dispi", .base = VBE_DISPI_IOPORT_INDEX, .size = 4, .widths = 1 | 2, .read = vbe_port_read,
         .write = vbe_port_write, .dev = vga},
    };
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        if (iobus_register(bus, &regions[i], err, err_len) < 0)
            return -1;
    if (!physmem_add_mmio(pm, "vga-legacy", VGA_LEGACY_BASE, VGA_LEGACY_SIZE, &legacy_ops, vga, err, err_len))
        return -1;
    struct mem_region *lfb = physmem_add_ram(pm, "vga-lfb", lfb_base, VGA_VRAM_SIZE, err, err_len);
    if (!lfb)
        return -1;
    vga->vram = lfb->host;
    vga_reset(vga);
    return 0;
}

int vga_set_lfb_base(struct vga *vga, uint64_t base, char *err, size_t err_len)
{
    if (base == vga->lfb_base)
        return 0;
    /* Find our region (by its host memory) in the map. */
    for (unsigned i = 0; i < vga->pm->region_count; i++) {
        struct mem_region *r = vga->pm->regions[i];
        if (r->kind == MEM_RAM && r->host == vga->vram) {
            if (physmem_move_region(vga->pm, r, base, err, err_len) < 0)
                return -1;
            vga->lfb_base = base;
            return 0;
        }
    }
    snprintf(err, err_len, "vga: the linear framebuffer region is gone");
    return -1;
}
