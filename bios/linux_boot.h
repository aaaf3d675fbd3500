/* Linux direct boot (-kernel bzImage -initrd FILE -append CMDLINE) through
 * SeaBIOS, per the Linux x86 boot protocol (Documentation/arch/x86/boot.rst).
 *
 * The host side (this module) reads and checks the kernel's setup header,
 * fills in the header fields a boot loader owns, and hands SeaBIOS, through
 * fw_cfg, the pieces QEMU's keys describe (setup 0x16-0x18, kernel 0x07/0x08/
 * 0x11, initrd 0x0A/0x0B/0x12, command line 0x13-0x15) plus an option ROM of
 * our own, "genroms/linuxboot.bin" (bios/linuxboot.asm), named first in the
 * "bootorder" file.  SeaBIOS runs that ROM's boot entry (BEV) when it boots:
 * the ROM copies everything into RAM by fw_cfg DMA, places the initrd below
 * the top of RAM from the e820 map it reads at that moment (the firmware's
 * final reservations are known only then) and initrd_addr_max, writes
 * ramdisk_image/ramdisk_size, and enters the real-mode setup code.
 *
 * Memory layout (boot.rst "LOADING THE REST OF THE KERNEL", the layout for a
 * protocol >= 2.02 kernel loaded high):
 *   0x10000  real-mode setup code ((setup_sects+1)*512 bytes, at most 32 KiB)
 *            then its heap and stack up to 0x1FE00 (heap_end_ptr = 0xFC00)
 *   0x20000  the command line (NUL-terminated, at most cmdline_size bytes)
 *   0x100000 the protected-mode kernel
 *   high     the initrd, page aligned, below min(initrd_addr_max, top of RAM) */
#ifndef RINGZERO_BIOS_LINUX_BOOT_H
#define RINGZERO_BIOS_LINUX_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bios/fw_cfg.h"

/* Offsets in the kernel image of the setup header fields (boot.rst "THE
 * REAL-MODE KERNEL HEADER"; the header starts at 0x1F1 of the image). */
#define LINUX_HDR_SETUP_SECTS      0x1F1
#define LINUX_HDR_SYSSIZE          0x1F4
#define LINUX_HDR_VID_MODE         0x1FA
#define LINUX_HDR_BOOT_FLAG        0x1FE /* 0xAA55 */
#define LINUX_HDR_HEADER           0x202 /* "HdrS" */
#define LINUX_HDR_VERSION          0x206
#define LINUX_HDR_TYPE_OF_LOADER   0x210
#define LINUX_HDR_LOADFLAGS        0x211
#define LINUX_HDR_CODE32_START     0x214
#define LINUX_HDR_RAMDISK_IMAGE    0x218
#define LINUX_HDR_RAMDISK_SIZE     0x21C
#define LINUX_HDR_HEAP_END_PTR     0x224
#define LINUX_HDR_CMD_LINE_PTR     0x228
#define LINUX_HDR_INITRD_ADDR_MAX  0x22C
#define LINUX_HDR_KERNEL_ALIGNMENT 0x230
#define LINUX_HDR_RELOCATABLE      0x234
#define LINUX_HDR_XLOADFLAGS       0x236
#define LINUX_HDR_CMDLINE_SIZE     0x238
#define LINUX_HDR_PREF_ADDRESS     0x258
#define LINUX_HDR_INIT_SIZE        0x260
#define LINUX_HDR_END              0x268 /* the fields this loader reads end here */

#define LINUX_LOADFLAG_LOADED_HIGH  0x01 /* protected-mode code at 0x100000 (bzImage) */
#define LINUX_LOADFLAG_CAN_USE_HEAP 0x80 /* heap_end_ptr is valid */
#define LINUX_TYPE_OF_LOADER_UNDEFINED 0xFF /* boot.rst: "0xFF: no loader ID assigned" */
#define LINUX_VID_MODE_NORMAL 0xFFFF
#define LINUX_VID_MODE_EXTENDED 0xFFFE
#define LINUX_VID_MODE_ASK 0xFFFD
#define LINUX_MIN_PROTOCOL 0x0206 /* cmdline_size exists from 2.06 */

#define LINUX_SETUP_ADDR   0x10000u
#define LINUX_SETUP_MAX    0x8000u  /* real-mode code, 64 sectors: boot.rst allows up to 32 KiB */
#define LINUX_HEAP_END     0xFE00u  /* heap/stack end, relative to LINUX_SETUP_ADDR */
#define LINUX_CMDLINE_ADDR 0x20000u
#define LINUX_CMDLINE_MAX  0x10000u /* room below 0x30000 */
#define LINUX_KERNEL_ADDR  0x100000u
/* What the host's plan leaves at the top of RAM for the firmware's tables
 * (SeaBIOS's ZoneHigh and ACPI tables); the ROM places the initrd from the
 * real e820 map, this is only for reporting an impossible fit up front. */
#define LINUX_FIRMWARE_RESERVE 0x100000u

/* The setup header fields a loader needs, decoded and checked. */
struct linux_header {
    uint16_t version;          /* e.g. 0x020F */
    unsigned setup_sects;      /* after the "0 means 4" rule */
    uint32_t setup_len;        /* real-mode part: (setup_sects + 1) * 512 bytes */
    uint32_t kernel_len;       /* protected-mode part: the rest of the file */
    uint32_t syssize;          /* its size in 16-byte units, per the header */
    uint8_t loadflags;
    uint32_t code32_start;
    uint32_t initrd_addr_max;  /* highest address the initrd's last byte may have */
    uint32_t cmdline_size;     /* longest command line, without the NUL */
    uint64_t pref_address;     /* 2.10+: where a non-relocated kernel runs */
    uint32_t init_size;        /* 2.10+: memory the kernel needs from where it runs */
};

/* The addresses this loader uses and the fields it writes into the header. */
struct linux_boot_plan {
    uint32_t setup_addr, cmdline_addr, kernel_addr;
    uint16_t heap_end_ptr;     /* LINUX_HEAP_END - 0x200, as the protocol counts it */
    uint16_t vid_mode;
    uint64_t kernel_end;       /* lowest address the initrd may start at */
    uint64_t initrd_limit;     /* the initrd must end at or below this (host's view) */
};

/* True if image has the "HdrS" boot-protocol signature at 0x202. */
bool linux_boot_detect(const uint8_t *image, size_t len);
/* Decodes and checks the header: size, signature, protocol >= 2.06, the
 * bzImage load-high flag, setup size.  0, or -1 with a message. */
int linux_boot_parse_header(const uint8_t *image, size_t len, struct linux_header *h, char *err, size_t err_len);
/* vid_mode from a "vga=" option of cmdline (normal, ext, ask or a number);
 * LINUX_VID_MODE_NORMAL without one (boot.rst "SPECIAL COMMAND LINE OPTIONS"). */
uint16_t linux_boot_vid_mode(const char *cmdline);
/* Lays the boot out for ram_below_4g bytes of RAM from address 0; -1 with a
 * message if the command line is too long or the kernel and initrd do not fit. */
int linux_boot_make_plan(const struct linux_header *h, uint64_t ram_below_4g, const char *cmdline, uint64_t initrd_len,
                         struct linux_boot_plan *plan, char *err, size_t err_len);
/* Writes the loader-owned fields into a copy of the real-mode part (setup_len
 * bytes): type_of_loader, loadflags CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr,
 * vid_mode, ramdisk_size; ramdisk_image stays 0 for the ROM to fill. */
void linux_boot_patch_setup(uint8_t *setup, const struct linux_boot_plan *plan, uint32_t initrd_len);
/* Sets an option ROM's checksum byte (the last one) so its bytes sum to 0. */
void linux_boot_rom_sign(uint8_t *rom, size_t len);
/* Everything together: parses and plans, then adds the fw_cfg items, the ROM
 * and the boot order entry.  initrd may be NULL (no initrd). */
int linux_boot_configure(struct fw_cfg *fw, const uint8_t *image, size_t len, const uint8_t *initrd,
                         size_t initrd_len, const char *cmdline, uint64_t ram_below_4g, char *err, size_t err_len);

#endif
