/* Linux direct boot, the host side (see linux_boot.h).  Field meanings and
 * the loader's duties follow Documentation/arch/x86/boot.rst. */
#include "linux_boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/linuxboot_rom.h"

#define LINUX_ROM_FILE "genroms/linuxboot.bin"
/* SeaBIOS looks a named ROM's priority up as "/rom@<fw_cfg file name>" (src/boot.c). */
#define LINUX_ROM_BOOTORDER "/rom@" LINUX_ROM_FILE "\n"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void wr32(uint8_t *p, uint32_t v)
{
    for (unsigned k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}
static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

bool linux_boot_detect(const uint8_t *image, size_t len)
{
    return len >= LINUX_HDR_HEADER + 4 && memcmp(image + LINUX_HDR_HEADER, "HdrS", 4) == 0;
}

int linux_boot_parse_header(const uint8_t *image, size_t len, struct linux_header *h, char *err, size_t err_len)
{
    memset(h, 0, sizeof *h);
    if (!linux_boot_detect(image, len)) {
        snprintf(err, err_len, "not a Linux kernel (no \"HdrS\" boot header at 0x%x)", LINUX_HDR_HEADER);
        return -1;
    }
    h->version = rd16(image + LINUX_HDR_VERSION);
    if (h->version < LINUX_MIN_PROTOCOL) {
        snprintf(err, err_len, "Linux boot protocol %u.%02u is too old (2.06 or later is needed)", h->version >> 8,
                 h->version & 0xFF);
        return -1;
    }
    if (len < LINUX_HDR_END) {
        snprintf(err, err_len, "truncated Linux kernel (%zu bytes, shorter than its setup header)", len);
        return -1;
    }
    /* boot.rst: "If this field is 0, the real value is 4." */
    h->setup_sects = image[LINUX_HDR_SETUP_SECTS] ? image[LINUX_HDR_SETUP_SECTS] : 4;
    h->setup_len = (h->setup_sects + 1) * 512u;
    if (h->setup_len > LINUX_SETUP_MAX) {
        snprintf(err, err_len, "Linux setup code of %u sectors is larger than 32 KiB", h->setup_sects);
        return -1;
    }
    if (len <= h->setup_len) {
        snprintf(err, err_len, "truncated Linux kernel (%zu bytes, no protected-mode part after %u bytes of setup)",
                 len, (unsigned)h->setup_len);
        return -1;
    }
    if (len - h->setup_len > 0x7FFFFFFFu) {
        snprintf(err, err_len, "Linux kernel too large");
        return -1;
    }
    h->kernel_len = (uint32_t)(len - h->setup_len);
    /* syssize (protocol 2.04+: 32 bits) is the protected-mode part's size in
     * 16-byte units: a shorter file was cut off. */
    h->syssize = rd32(image + LINUX_HDR_SYSSIZE);
    if ((uint64_t)h->syssize * 16 > h->kernel_len) {
        snprintf(err, err_len, "truncated Linux kernel (%zu bytes; its header says %llu)", len,
                 (unsigned long long)h->setup_len + (uint64_t)h->syssize * 16);
        return -1;
    }
    h->loadflags = image[LINUX_HDR_LOADFLAGS];
    if (!(h->loadflags & LINUX_LOADFLAG_LOADED_HIGH)) {
        snprintf(err, err_len, "zImage kernels (loaded low, without LOADED_HIGH) are not supported; use a bzImage");
        return -1;
    }
    h->code32_start = rd32(image + LINUX_HDR_CODE32_START);
    h->initrd_addr_max = rd32(image + LINUX_HDR_INITRD_ADDR_MAX);
    h->cmdline_size = rd32(image + LINUX_HDR_CMDLINE_SIZE);
    if (h->version >= 0x020A) {
        h->pref_address = rd32(image + LINUX_HDR_PREF_ADDRESS) | (uint64_t)rd32(image + LINUX_HDR_PREF_ADDRESS + 4) << 32;
        h->init_size = rd32(image + LINUX_HDR_INIT_SIZE);
    }
    return 0;
}

/* True if the option at the start of s (ending at a space or the end) is word. */
static bool option_is(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncmp(s, word, n) == 0 && (s[n] == 0 || s[n] == ' ');
}

uint16_t linux_boot_vid_mode(const char *cmdline)
{
    uint16_t mode = LINUX_VID_MODE_NORMAL;
    for (const char *p = cmdline; p && *p;) {
        if (strncmp(p, "vga=", 4) == 0 && (p == cmdline || p[-1] == ' ')) {
            const char *v = p + 4;
            char *end;
            unsigned long n;
            if (option_is(v, "normal"))
                mode = LINUX_VID_MODE_NORMAL;
            else if (option_is(v, "ext"))
                mode = LINUX_VID_MODE_EXTENDED;
            else if (option_is(v, "ask"))
                mode = LINUX_VID_MODE_ASK;
            else if ((n = strtoul(v, &end, 0)) <= 0xFFFF && end != v && (*end == 0 || *end == ' '))
                mode = (uint16_t)n;
        }
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return mode;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

int linux_boot_make_plan(const struct linux_header *h, uint64_t ram_below_4g, const char *cmdline, uint64_t initrd_len,
                         struct linux_boot_plan *plan, char *err, size_t err_len)
{
    memset(plan, 0, sizeof *plan);
    size_t cmd_len = cmdline ? strlen(cmdline) : 0;
    /* boot.rst: cmdline_size is the maximum size "not including the terminating zero". */
    if (cmd_len > h->cmdline_size || cmd_len >= LINUX_CMDLINE_MAX) {
        snprintf(err, err_len, "kernel command line of %zu bytes is longer than the kernel accepts (%u)", cmd_len,
                 (unsigned)(h->cmdline_size < LINUX_CMDLINE_MAX ? h->cmdline_size : LINUX_CMDLINE_MAX - 1));
        return -1;
    }
    plan->setup_addr = LINUX_SETUP_ADDR;
    plan->cmdline_addr = LINUX_CMDLINE_ADDR;
    plan->kernel_addr = LINUX_KERNEL_ADDR;
    plan->heap_end_ptr = LINUX_HEAP_END - 0x200; /* boot.rst: "...of the setup stack/heap, minus 0x0200" */
    plan->vid_mode = linux_boot_vid_mode(cmdline);
    /* The kernel needs init_size bytes from where it runs: the load address,
     * or pref_address (LOAD_PHYSICAL_ADDR) which a relocatable 64-bit kernel
     * moves up to when loaded lower; the initrd must stay above all of it. */
    uint64_t end = (uint64_t)plan->kernel_addr + h->kernel_len;
    uint64_t run_at = h->pref_address > plan->kernel_addr ? h->pref_address : plan->kernel_addr;
    if (h->init_size && run_at + h->init_size > end)
        end = run_at + h->init_size;
    plan->kernel_end = align_up(end, 4096);
    uint64_t top = ram_below_4g > LINUX_FIRMWARE_RESERVE ? ram_below_4g - LINUX_FIRMWARE_RESERVE : 0;
    uint64_t max = (uint64_t)h->initrd_addr_max + 1;
    plan->initrd_limit = top < max ? top : max;
    uint64_t need = plan->kernel_end + align_up(initrd_len, 4096);
    if (plan->kernel_end > top || (initrd_len && need > plan->initrd_limit)) {
        uint64_t mib = (need + LINUX_FIRMWARE_RESERVE + (1u << 20) - 1) >> 20;
        if (initrd_len && need > max)
            snprintf(err, err_len, "initrd of %llu bytes does not fit below the kernel's initrd_addr_max 0x%x",
                     (unsigned long long)initrd_len, (unsigned)h->initrd_addr_max);
        else if (initrd_len)
            snprintf(err, err_len, "the kernel and an initrd of %llu bytes need %llu MiB of RAM (-m), there is %llu MiB",
                     (unsigned long long)initrd_len, (unsigned long long)mib, (unsigned long long)(ram_below_4g >> 20));
        else
            snprintf(err, err_len, "the kernel needs %llu MiB of RAM (-m), there is %llu MiB", (unsigned long long)mib,
                     (unsigned long long)(ram_below_4g >> 20));
        return -1;
    }
    return 0;
}

void linux_boot_patch_setup(uint8_t *setup, const struct linux_boot_plan *plan, uint32_t initrd_len)
{
    setup[LINUX_HDR_TYPE_OF_LOADER] = LINUX_TYPE_OF_LOADER_UNDEFINED;
    setup[LINUX_HDR_LOADFLAGS] |= LINUX_LOADFLAG_CAN_USE_HEAP;
    wr16(setup + LINUX_HDR_HEAP_END_PTR, plan->heap_end_ptr);
    wr32(setup + LINUX_HDR_CMD_LINE_PTR, plan->cmdline_addr);
    wr16(setup + LINUX_HDR_VID_MODE, plan->vid_mode);
    wr32(setup + LINUX_HDR_RAMDISK_IMAGE, 0); /* the ROM places the initrd */
    wr32(setup + LINUX_HDR_RAMDISK_SIZE, initrd_len);
}

void linux_boot_rom_sign(uint8_t *rom, size_t len)
{
    if (!len)
        return;
    uint8_t sum = 0;
    for (size_t k = 0; k + 1 < len; k++)
        sum = (uint8_t)(sum + rom[k]);
    rom[len - 1] = (uint8_t)-sum;
}

/* Puts the ROM first in SeaBIOS's boot order, ahead of the devices already named. */
static int prepend_bootorder(struct fw_cfg *fw)
{
    const struct fw_cfg_item *old = fw_cfg_find_file(fw, "bootorder");
    size_t old_len = old ? old->len : 0;
    if (old_len && old->data[old_len - 1] == 0)
        old_len--; /* the NUL goes at the very end */
    size_t len = strlen(LINUX_ROM_BOOTORDER) + old_len + 1;
    char *text = malloc(len);
    if (!text)
        return -1;
    memcpy(text, LINUX_ROM_BOOTORDER, strlen(LINUX_ROM_BOOTORDER));
    if (old_len)
        memcpy(text + strlen(LINUX_ROM_BOOTORDER), old->data, old_len);
    text[len - 1] = 0;
    int rc = fw_cfg_add_file(fw, "bootorder", text, (uint32_t)len);
    free(text);
    return rc;
}

int linux_boot_configure(struct fw_cfg *fw, const uint8_t *image, size_t len, const uint8_t *initrd,
                         size_t initrd_len, const char *cmdline, uint64_t ram_below_4g, char *err, size_t err_len)
{
    struct linux_header h;
    struct linux_boot_plan plan;
    if (!initrd)
        initrd_len = 0;
    if (linux_boot_parse_header(image, len, &h, err, err_len) != 0 ||
        linux_boot_make_plan(&h, ram_below_4g, cmdline ? cmdline : "", initrd_len, &plan, err, err_len) != 0)
        return -1;
    uint8_t *setup = malloc(h.setup_len);
    uint8_t *rom = malloc(linuxboot_rom_image_len);
    int rc = -1;
    if (setup && rom) {
        memcpy(setup, image, h.setup_len);
        linux_boot_patch_setup(setup, &plan, (uint32_t)initrd_len);
        memcpy(rom, linuxboot_rom_image, linuxboot_rom_image_len);
        linux_boot_rom_sign(rom, linuxboot_rom_image_len);
        /* INITRD_ADDR 0: the ROM chooses the address from the e820 map. */
        rc = fw_cfg_set_setup(fw, plan.setup_addr, setup, h.setup_len) |
             fw_cfg_set_kernel(fw, plan.kernel_addr, image + h.setup_len, h.kernel_len) |
             fw_cfg_set_initrd(fw, 0, initrd, (uint32_t)initrd_len) |
             fw_cfg_set_cmdline(fw, plan.cmdline_addr, cmdline ? cmdline : "") |
             fw_cfg_add_file(fw, LINUX_ROM_FILE, rom, (uint32_t)linuxboot_rom_image_len) | prepend_bootorder(fw);
        if (rc != 0)
            snprintf(err, err_len, "fw_cfg: out of memory");
    } else {
        snprintf(err, err_len, "out of memory");
    }
    free(setup);
    free(rom);
    return rc ? -1 : 0;
}
