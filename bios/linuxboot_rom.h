/* The Linux direct-boot option ROM (bios/linuxboot.asm), assembled at build
 * time and embedded by cmake/embed_binary.cmake.  Its last byte is the
 * checksum, left 0 for linux_boot_rom_sign(). */
#ifndef RINGZERO_BIOS_LINUXBOOT_ROM_H
#define RINGZERO_BIOS_LINUXBOOT_ROM_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t linuxboot_rom_image[];
extern const size_t linuxboot_rom_image_len;

#endif
