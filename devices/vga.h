/* VGA of a QEMU "stdvga" machine (PCI 1234:1111): the IBM VGA register set,
 * 256 KiB of planar memory behind the legacy window at 0xA0000-0xBFFFF, and
 * the Bochs VBE "DISPI" extension (ports 0x1CE/0x1CF) with 16 MiB of video
 * memory, a 64 KiB banked window and a linear framebuffer.
 *
 * Storage: the 16 MiB of video memory is one RAM region of the physical map
 * (the linear framebuffer), so the CPU writes the LFB at full speed and the
 * renderer reads the same bytes.  The four VGA planes live interleaved in
 * its first bytes: byte `off` of plane p is vram[off * 4 + p], so one 32-bit
 * load is the four latches, and in VBE 4-bpp modes the planes grow to 4 MiB
 * each.  The legacy window is an MMIO region that runs every access through
 * the graphics controller (planar path), or, in VBE modes of 8 bpp and more,
 * straight to vram[bank * 64 KiB + offset].
 *
 * Power-on state: the registers hold the values of the 80x25 colour text
 * mode (mode 3) and the DAC the 64 EGA colours, so a program that writes
 * 0xB8000 without a VGA BIOS still has a text screen to dump; there is no
 * font until someone (the VGA BIOS) loads one into plane 2.  Real hardware
 * leaves these undefined until the BIOS programs them. */
#ifndef RINGZERO_DEVICES_VGA_H
#define RINGZERO_DEVICES_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "iobus.h"
#include "mem/physmem.h"

#define VGA_VRAM_SIZE        (16u << 20)
#define VGA_LFB_DEFAULT_BASE 0xE0000000ull
/* Where to put the LFB while its PCI BAR does not decode: past any physical
 * address width the CPU reports, so no guest access reaches it. */
#define VGA_LFB_PARKED_BASE  0xFF0000000000ull
#define VGA_LEGACY_BASE      0xA0000u
#define VGA_LEGACY_SIZE      0x20000u
#define VGA_PLANE_SIZE       0x10000u /* per plane, standard VGA addressing */

/* Bochs VBE ("DISPI") interface, see bochs vbe_display_api.txt. */
#define VBE_DISPI_IOPORT_INDEX  0x1CE
#define VBE_DISPI_IOPORT_DATA   0x1CF
enum vbe_dispi_index {
    VBE_INDEX_ID, VBE_INDEX_XRES, VBE_INDEX_YRES, VBE_INDEX_BPP, VBE_INDEX_ENABLE, VBE_INDEX_BANK,
    VBE_INDEX_VIRT_WIDTH, VBE_INDEX_VIRT_HEIGHT, VBE_INDEX_X_OFFSET, VBE_INDEX_Y_OFFSET,
    VBE_INDEX_VIDEO_MEMORY_64K, VBE_INDEX_COUNT
};
#define VBE_DISPI_ID0          0xB0C0
#define VBE_DISPI_ID5          0xB0C5
#define VBE_DISPI_ENABLED      0x01
#define VBE_DISPI_GETCAPS      0x02
#define VBE_DISPI_8BIT_DAC     0x20
#define VBE_DISPI_LFB_ENABLED  0x40
#define VBE_DISPI_NOCLEARMEM   0x80
#define VBE_DISPI_MAX_XRES     2560
#define VBE_DISPI_MAX_YRES     1600
#define VBE_DISPI_MAX_BPP      32

/* Display timing used for input status 1 and blinking: 60 frames a second
 * of 525 lines, 480 of them displayed, vertical retrace on lines 490-491;
 * the last fifth of each line is horizontal blanking (640 of 800 dots). */
#define VGA_FRAME_NS       16666667ull
#define VGA_FRAME_LINES    525u
#define VGA_ACTIVE_LINES   480u
#define VGA_VRETRACE_START 490u
#define VGA_VRETRACE_END   492u

struct vga {
    struct physmem *pm;
    struct vclock *clk;
    uint8_t *vram;       /* VGA_VRAM_SIZE bytes: the LFB region's host memory (owned by physmem) */
    uint64_t lfb_base;

    /* general registers */
    uint8_t misc;        /* 0x3C2 write / 0x3CC read */
    uint8_t feature;     /* 0x3?A write / 0x3CA read */
    uint8_t enable_3c3;  /* 0x3C3 video subsystem enable */

    uint8_t seq_index, seq[8];
    uint8_t crtc_index, crtc[32];
    uint8_t gr_index, gr[16];
    uint8_t ar_index;    /* bits 0-4 index, bit 5 palette address source (display on) */
    bool ar_flip;        /* false: next 0x3C0 write is the index; true: data */
    uint8_t ar[32];

    /* DAC: entries as written (6 bits, or 8 with VBE_DISPI_8BIT_DAC) */
    uint8_t dac[256][3];
    uint8_t dac_mask, dac_read_index, dac_write_index;
    uint8_t dac_read_sub, dac_write_sub; /* component 0-2 of the 3-access cycle */
    uint8_t dac_state;   /* 0x3C7 read: 0 after a write-index set, 3 after a read-index set */
    uint8_t dac_pending[3];

    uint32_t latch;      /* byte p = latch of plane p */

    /* Bochs VBE */
    uint16_t vbe_index;
    uint16_t vbe_id, vbe_xres, vbe_yres, vbe_bpp, vbe_enable, vbe_bank;
    uint16_t vbe_virt_width, vbe_virt_height, vbe_x_offset, vbe_y_offset;
};

/* Registers the ports (0x3B4-0x3BA, 0x3C0-0x3CF, 0x3D4-0x3DA, 0x1CE-0x1D1),
 * the legacy window 0xA0000-0xBFFFF (MMIO) and the 16 MiB LFB (RAM) at
 * lfb_base, and puts the registers in their power-on state.  Returns 0, or
 * -1 with a message.  The physical map must leave 0xA0000-0xBFFFF free; clk
 * (input status 1 timing, blinking) must outlive the device.  The video
 * memory belongs to physmem (freed by physmem_destroy); the struct vga needs
 * no clean-up. */
int vga_init(struct vga *vga, struct physmem *pm, struct iobus *bus, struct vclock *clk, uint64_t lfb_base,
             char *err, size_t err_len);
/* Moves the linear framebuffer (the PCI BAR 0 of 1234:1111 was programmed;
 * VGA_LFB_PARKED_BASE when it stops decoding).  The contents stay.  Returns
 * 0, or -1 with a message (overlap): the LFB then stays where it was. */
int vga_set_lfb_base(struct vga *vga, uint64_t base, char *err, size_t err_len);
/* Power-on register state (see the top of this file), VBE off; video memory
 * is kept.  For a system reset. */
void vga_reset(struct vga *vga);

/* PCI BAR 2 of 1234:1111 (4 KiB, memory): the VGA ports 0x3C0-0x3DF at
 * 0x400, the DISPI registers at 0x500 + index * 2, QEMU's extended registers
 * at 0x600 (PCI revision 2).  The PCI side maps it with
 * physmem_add_mmio(pm, name, bar, VGA_MMIO_BAR_SIZE, &vga_mmio_bar_ops, vga, ...). */
#define VGA_MMIO_BAR_SIZE  0x1000u
#define VGA_MMIO_QEXT_SIZE 8u
extern const struct mmio_ops vga_mmio_bar_ops;

/* Helpers shared with the renderer. */
static inline bool vga_vbe_enabled(const struct vga *vga) { return vga->vbe_enable & VBE_DISPI_ENABLED; }
/* Input status 1 bits 0 (display disabled) and 3 (vertical retrace) at virtual time now. */
uint8_t vga_status1(uint64_t now);

#endif
