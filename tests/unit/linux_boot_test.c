/* Linux direct boot, host side (bios/linux_boot.c): setup-header parsing and
 * its refusals (short files, no "HdrS", protocol older than 2.06, zImage,
 * oversized setup, no protected-mode part), "setup_sects 0 means 4", vid_mode
 * from vga=, the memory plan (command line length, kernel and initrd fit, the
 * kernel's init_size and initrd_addr_max), the header fields written for the
 * loader, the ROM checksum, and the fw_cfg items, ROM file and boot order
 * that linux_boot_configure leaves for SeaBIOS. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bios/linux_boot.h"
#include "bios/linuxboot_rom.h"

#define MiB (1024u * 1024u)

static char err[256];

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* A bzImage-shaped buffer: setup_sects sectors of setup plus kernel_len bytes. */
static uint8_t *make_image(unsigned setup_sects, uint16_t version, size_t kernel_len, size_t *len)
{
    unsigned sects = setup_sects ? setup_sects : 4;
    *len = (sects + 1) * 512u + kernel_len;
    uint8_t *img = calloc(1, *len);
    img[LINUX_HDR_SETUP_SECTS] = (uint8_t)setup_sects;
    img[LINUX_HDR_BOOT_FLAG] = 0x55;
    img[LINUX_HDR_BOOT_FLAG + 1] = 0xAA;
    memcpy(img + LINUX_HDR_HEADER, "HdrS", 4);
    img[LINUX_HDR_VERSION] = (uint8_t)version;
    img[LINUX_HDR_VERSION + 1] = (uint8_t)(version >> 8);
    img[LINUX_HDR_LOADFLAGS] = LINUX_LOADFLAG_LOADED_HIGH;
    put32(img + LINUX_HDR_CODE32_START, 0x100000);
    put32(img + LINUX_HDR_INITRD_ADDR_MAX, 0x7FFFFFFF);
    put32(img + LINUX_HDR_CMDLINE_SIZE, 2047);
    put32(img + LINUX_HDR_PREF_ADDRESS, 0x100000);
    put32(img + LINUX_HDR_INIT_SIZE, (uint32_t)kernel_len * 2);
    for (size_t k = (sects + 1) * 512u; k < *len; k++)
        img[k] = (uint8_t)(k * 13);
    return img;
}

START_TEST(parses_a_good_header)
{
    size_t len;
    uint8_t *img = make_image(39, 0x020F, 100000, &len);
    struct linux_header h;
    ck_assert(linux_boot_detect(img, len));
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    ck_assert_uint_eq(h.version, 0x020F);
    ck_assert_uint_eq(h.setup_sects, 39);
    ck_assert_uint_eq(h.setup_len, 40 * 512);
    ck_assert_uint_eq(h.kernel_len, 100000);
    ck_assert_uint_eq(h.initrd_addr_max, 0x7FFFFFFF);
    ck_assert_uint_eq(h.cmdline_size, 2047);
    ck_assert_uint_eq(h.init_size, 200000);
    free(img);
}
END_TEST

START_TEST(setup_sects_zero_means_four)
{
    size_t len;
    uint8_t *img = make_image(0, 0x0206, 4096, &len);
    struct linux_header h;
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    ck_assert_uint_eq(h.setup_sects, 4);
    ck_assert_uint_eq(h.setup_len, 5 * 512);
    ck_assert_uint_eq(h.kernel_len, 4096);
    ck_assert_uint_eq(h.init_size, 0); /* protocol 2.06 has no init_size */
    free(img);
}
END_TEST

START_TEST(rejects_short_and_foreign_files)
{
    struct linux_header h;
    uint8_t tiny[16] = {0};
    ck_assert(!linux_boot_detect(tiny, sizeof tiny));
    ck_assert_int_eq(linux_boot_parse_header(tiny, sizeof tiny, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "HdrS"));
    size_t len;
    uint8_t *img = make_image(4, 0x020F, 4096, &len);
    memcpy(img + LINUX_HDR_HEADER, "HdrX", 4); /* wrong signature */
    ck_assert(!linux_boot_detect(img, len));
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), -1);
    memcpy(img + LINUX_HDR_HEADER, "HdrS", 4);
    /* cut inside the header, and right after the setup code */
    ck_assert_int_eq(linux_boot_parse_header(img, 0x240, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    ck_assert_int_eq(linux_boot_parse_header(img, 5 * 512, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated"));
    ck_assert_int_eq(linux_boot_parse_header(img, 3 * 512, &h, err, sizeof err), -1);
    /* syssize says 4096 bytes of protected-mode code: one byte less is cut off */
    put32(img + LINUX_HDR_SYSSIZE, 4096 / 16);
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    ck_assert_int_eq(linux_boot_parse_header(img, len - 1, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "its header says 6656"));
    free(img);
}
END_TEST

START_TEST(rejects_old_protocols_zimage_and_huge_setup)
{
    struct linux_header h;
    size_t len;
    uint8_t *img = make_image(4, 0x0205, 4096, &len);
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "2.05 is too old"));
    free(img);
    img = make_image(4, 0x020F, 4096, &len);
    img[LINUX_HDR_LOADFLAGS] = 0; /* a zImage */
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "zImage"));
    free(img);
    img = make_image(64, 0x020F, 4096, &len); /* 65 sectors: more than 32 KiB */
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "32 KiB"));
    free(img);
}
END_TEST

START_TEST(vid_mode_from_cmdline)
{
    ck_assert_uint_eq(linux_boot_vid_mode(""), LINUX_VID_MODE_NORMAL);
    ck_assert_uint_eq(linux_boot_vid_mode(NULL), LINUX_VID_MODE_NORMAL);
    ck_assert_uint_eq(linux_boot_vid_mode("console=ttyS0 vga=ext"), LINUX_VID_MODE_EXTENDED);
    ck_assert_uint_eq(linux_boot_vid_mode("vga=ask quiet"), LINUX_VID_MODE_ASK);
    ck_assert_uint_eq(linux_boot_vid_mode("vga=0x318"), 0x318);
    ck_assert_uint_eq(linux_boot_vid_mode("vga=791 vga=normal"), LINUX_VID_MODE_NORMAL); /* the last one counts */
    ck_assert_uint_eq(linux_boot_vid_mode("xvga=ext"), LINUX_VID_MODE_NORMAL);           /* not a whole word */
    ck_assert_uint_eq(linux_boot_vid_mode("vga=bogus"), LINUX_VID_MODE_NORMAL);
    ck_assert_uint_eq(linux_boot_vid_mode("vga=0x12345"), LINUX_VID_MODE_NORMAL);
}
END_TEST

START_TEST(plan_fits_kernel_and_initrd)
{
    size_t len;
    uint8_t *img = make_image(39, 0x020F, 1 * MiB, &len);
    struct linux_header h;
    struct linux_boot_plan p;
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    ck_assert_int_eq(linux_boot_make_plan(&h, 64 * MiB, "console=ttyS0", 8 * MiB, &p, err, sizeof err), 0);
    ck_assert_uint_eq(p.setup_addr, 0x10000);
    ck_assert_uint_eq(p.cmdline_addr, 0x20000);
    ck_assert_uint_eq(p.kernel_addr, 0x100000);
    ck_assert_uint_eq(p.heap_end_ptr, 0xFE00 - 0x200);
    ck_assert_uint_eq(p.kernel_end, 0x100000 + 2 * MiB); /* init_size = 2 MiB from 1 MiB */
    ck_assert_uint_eq(p.initrd_limit, 64 * MiB - LINUX_FIRMWARE_RESERVE);
    /* initrd_addr_max lowers the limit */
    h.initrd_addr_max = 16 * MiB - 1;
    ck_assert_int_eq(linux_boot_make_plan(&h, 64 * MiB, "", 8 * MiB, &p, err, sizeof err), 0);
    ck_assert_uint_eq(p.initrd_limit, 16 * MiB);
    ck_assert_int_eq(linux_boot_make_plan(&h, 64 * MiB, "", 14 * MiB, &p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "initrd_addr_max"));
    free(img);
}
END_TEST

START_TEST(plan_rejects_what_does_not_fit)
{
    size_t len;
    uint8_t *img = make_image(39, 0x020F, 1 * MiB, &len);
    struct linux_header h;
    struct linux_boot_plan p;
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    /* an initrd too large for RAM */
    ck_assert_int_eq(linux_boot_make_plan(&h, 16 * MiB, "", 15 * MiB, &p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "MiB of RAM"));
    /* the kernel's init_size alone does not fit */
    h.pref_address = 16 * MiB;
    h.init_size = 64 * MiB;
    ck_assert_int_eq(linux_boot_make_plan(&h, 64 * MiB, "", 0, &p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "the kernel needs 81 MiB"));
    ck_assert_int_eq(linux_boot_make_plan(&h, 96 * MiB, "", 0, &p, err, sizeof err), 0);
    /* a command line longer than cmdline_size */
    h.cmdline_size = 8;
    ck_assert_int_eq(linux_boot_make_plan(&h, 96 * MiB, "12345678", 0, &p, err, sizeof err), 0);
    ck_assert_int_eq(linux_boot_make_plan(&h, 96 * MiB, "123456789", 0, &p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "longer than the kernel accepts (8)"));
    free(img);
}
END_TEST

START_TEST(patches_loader_fields)
{
    size_t len;
    uint8_t *img = make_image(4, 0x020F, 4096, &len);
    struct linux_header h;
    struct linux_boot_plan p;
    ck_assert_int_eq(linux_boot_parse_header(img, len, &h, err, sizeof err), 0);
    ck_assert_int_eq(linux_boot_make_plan(&h, 32 * MiB, "vga=ext", 1000, &p, err, sizeof err), 0);
    linux_boot_patch_setup(img, &p, 1000);
    ck_assert_uint_eq(img[LINUX_HDR_TYPE_OF_LOADER], 0xFF);
    ck_assert_uint_eq(img[LINUX_HDR_LOADFLAGS], LINUX_LOADFLAG_LOADED_HIGH | LINUX_LOADFLAG_CAN_USE_HEAP);
    ck_assert_uint_eq(img[LINUX_HDR_HEAP_END_PTR] | img[LINUX_HDR_HEAP_END_PTR + 1] << 8, 0xFC00);
    ck_assert_uint_eq(get32(img + LINUX_HDR_CMD_LINE_PTR), 0x20000);
    ck_assert_uint_eq(img[LINUX_HDR_VID_MODE] | img[LINUX_HDR_VID_MODE + 1] << 8, LINUX_VID_MODE_EXTENDED);
    ck_assert_uint_eq(get32(img + LINUX_HDR_RAMDISK_IMAGE), 0);
    ck_assert_uint_eq(get32(img + LINUX_HDR_RAMDISK_SIZE), 1000);
    free(img);
}
END_TEST

START_TEST(rom_is_signed)
{
    ck_assert_uint_ge(linuxboot_rom_image_len, 512);
    ck_assert_uint_eq(linuxboot_rom_image_len % 512, 0);
    ck_assert_uint_eq(linuxboot_rom_image[0], 0x55);
    ck_assert_uint_eq(linuxboot_rom_image[1], 0xAA);
    ck_assert_uint_eq(linuxboot_rom_image[2] * 512u, linuxboot_rom_image_len);
    uint8_t *rom = malloc(linuxboot_rom_image_len);
    memcpy(rom, linuxboot_rom_image, linuxboot_rom_image_len);
    linux_boot_rom_sign(rom, linuxboot_rom_image_len);
    uint8_t sum = 0;
    for (size_t k = 0; k < linuxboot_rom_image_len; k++)
        sum = (uint8_t)(sum + rom[k]);
    ck_assert_uint_eq(sum, 0);
    /* the PnP header SeaBIOS looks for, with a boot entry vector */
    uint16_t pnp = (uint16_t)(rom[0x1A] | rom[0x1B] << 8);
    ck_assert_mem_eq(rom + pnp, "$PnP", 4);
    ck_assert_uint_ne(rom[pnp + 0x1A] | rom[pnp + 0x1B] << 8, 0);
    free(rom);
}
END_TEST

START_TEST(configure_sets_fw_cfg_items)
{
    struct iobus io;
    struct fw_cfg fw;
    iobus_init(&io);
    ck_assert_int_eq(fw_cfg_init(&fw, &io, NULL, err, sizeof err), 0);
    const char *order = "/pci@i0cf8/ide@1,1/drive@1/disk@0\n";
    ck_assert_int_eq(fw_cfg_add_file(&fw, "bootorder", order, (uint32_t)strlen(order) + 1), 0);
    size_t len;
    uint8_t *img = make_image(4, 0x020F, 4096, &len);
    uint8_t initrd[3000];
    memset(initrd, 0x5A, sizeof initrd);
    ck_assert_int_eq(linux_boot_configure(&fw, img, len, initrd, sizeof initrd, "console=ttyS0", 32 * MiB, err,
                                          sizeof err), 0);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_SETUP_ADDR].data), 0x10000);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_SETUP_SIZE].data), 5 * 512);
    ck_assert_uint_eq(fw.generic[FW_CFG_SETUP_DATA].len, 5 * 512);
    ck_assert_uint_eq(fw.generic[FW_CFG_SETUP_DATA].data[LINUX_HDR_TYPE_OF_LOADER], 0xFF);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_KERNEL_ADDR].data), 0x100000);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_KERNEL_SIZE].data), 4096);
    ck_assert_mem_eq(fw.generic[FW_CFG_KERNEL_DATA].data, img + 5 * 512, 4096);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_INITRD_SIZE].data), sizeof initrd);
    ck_assert_mem_eq(fw.generic[FW_CFG_INITRD_DATA].data, initrd, sizeof initrd);
    ck_assert_uint_eq(get32(fw.generic[FW_CFG_CMDLINE_ADDR].data), 0x20000);
    ck_assert_str_eq((const char *)fw.generic[FW_CFG_CMDLINE_DATA].data, "console=ttyS0");
    const struct fw_cfg_item *rom = fw_cfg_find_file(&fw, "genroms/linuxboot.bin");
    ck_assert_ptr_nonnull(rom);
    ck_assert_uint_eq(rom->len, linuxboot_rom_image_len);
    const struct fw_cfg_item *boot = fw_cfg_find_file(&fw, "bootorder");
    ck_assert_str_eq((const char *)boot->data, "/rom@genroms/linuxboot.bin\n/pci@i0cf8/ide@1,1/drive@1/disk@0\n");
    /* a broken kernel leaves an error, not items */
    img[LINUX_HDR_VERSION] = 0x01;
    ck_assert_int_eq(linux_boot_configure(&fw, img, len, NULL, 0, NULL, 32 * MiB, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "too old"));
    free(img);
    fw_cfg_free(&fw);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linux_boot");
    TCase *tc = tcase_create("header");
    tcase_add_test(tc, parses_a_good_header);
    tcase_add_test(tc, setup_sects_zero_means_four);
    tcase_add_test(tc, rejects_short_and_foreign_files);
    tcase_add_test(tc, rejects_old_protocols_zimage_and_huge_setup);
    tcase_add_test(tc, vid_mode_from_cmdline);
    suite_add_tcase(s, tc);
    tc = tcase_create("plan");
    tcase_add_test(tc, plan_fits_kernel_and_initrd);
    tcase_add_test(tc, plan_rejects_what_does_not_fit);
    tcase_add_test(tc, patches_loader_fields);
    tcase_add_test(tc, rom_is_signed);
    tcase_add_test(tc, configure_sets_fw_cfg_items);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
