/* The machine: physical memory, the port bus with its devices, the virtual
 * clock and the CPU, and the loop that runs them.
 *
 * Time is virtual: (retired instructions + instruction-times skipped while
 * halted) x ns_per_insn.  The loop runs the CPU up to the next device event,
 * fires due events, and when the CPU halts with interrupts enabled skips
 * straight to the next event.  Port accesses bring the clock up to date first,
 * so a device read mid-slice sees the right time. */
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bios/acpi.h"
#include "bios/firmware.h"
#include "bios/linux_boot.h"
#include "bios/multiboot.h"
#include "cpu/cpu_state.h"
#include "cpu/seg.h"
#include "devices/vga_render.h"
#include "pc_apic.h"

#define SLICE_MAX_INSNS 100000u /* bound on a run slice without events (stop requests, pacing) */

uint64_t machine_now(const struct machine *m)
{
    return (cpu_icount(m->cpu) + m->idle_insns) * m->ns_per_insn;
}

static void sync_clock(struct machine *m) { vclock_advance(&m->clock, machine_now(m)); }

/* Ports 0-0xFF are the PC's motherboard devices on the ISA/LPC side (DMA,
 * PIC, PIT, 8042, CMOS, port 0x61, POST port 0x80), where an access takes about
 * a microsecond: software counts on it ("outb to port 0x80" is Linux's I/O delay,
 * and its quick PIT calibration expects one read of the PIT to cover the next
 * PIT clock edge). The CPU stalls that long in virtual time, as the TSC sees. */
#define ISA_ACCESS_NS 1000

static void isa_access_stall(struct machine *m, uint16_t port)
{
    if (m->board != BOARD_PC || port > 0xFF)
        return;
    uint64_t insns = ISA_ACCESS_NS / m->ns_per_insn;
    m->idle_insns += insns;
    cpu_add_tsc(m->cpu, insns);
}

void machine_reslice_if_needed(struct machine *m)
{
    if (vclock_next_deadline(&m->clock) < m->slice_end_ns)
        cpu_request_stop(m->cpu);
}

static uint32_t bus_port_in(void *opaque, uint16_t port, unsigned size)
{
    struct machine *m = opaque;
    isa_access_stall(m, port);
    sync_clock(m);
    uint32_t v = iobus_read(&m->io, port, size);
    machine_reslice_if_needed(m);
    return v;
}

static void bus_port_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct machine *m = opaque;
    isa_access_stall(m, port);
    sync_clock(m);
    iobus_write(&m->io, port, value, size);
    machine_reslice_if_needed(m);
}

static void request_stop(void *opaque)
{
    struct machine *m = opaque;
    cpu_request_stop(m->cpu);
}

/* The CPU's FERR# output: to the AT's IRQ 13 latch on the PC board. */
static void machine_ferr(void *opaque, bool asserted)
{
    struct machine *m = opaque;
    if (m->board == BOARD_PC) {
        sync_clock(m);
        fpu_error_set_ferr(&m->fpu_error, asserted);
    }
}

static int machine_intr_ack(void *opaque)
{
    struct machine *m = opaque;
    if (m->board != BOARD_PC)
        return -1;
    sync_clock(m);
    return pc_apic_intr_ack(m); /* the local APIC, or the 8259 through it */
}

static void intr_to_cpu(void *sink, unsigned pin, bool level)
{
    (void)pin;
    struct machine *m = sink;
    pc_apic_pic_intr(m, level); /* to LINT0 */
}

static void update_a20(struct machine *m) { physmem_set_a20(m->mem, m->a20_kbc || m->a20_port92); }
static void kbc_a20(void *o, bool on)
{
    struct machine *m = o;
    m->a20_kbc = on;
    update_a20(m);
}
static void port92_a20(void *o, bool on)
{
    struct machine *m = o;
    m->a20_port92 = on;
    update_a20(m);
}
/* The 8042's or port 0x92's reset line: latched here, carried out between run slices. */
static void request_reset(void *o)
{
    struct machine *m = o;
    m->reset_requested = true;
    cpu_request_stop(m->cpu);
}

static void serial_tx(void *opaque, uint8_t byte)
{
    struct machine *m = opaque;
    if (m->serial_tail_len == sizeof m->serial_tail) {
        memmove(m->serial_tail, m->serial_tail + sizeof m->serial_tail / 2, sizeof m->serial_tail / 2);
        m->serial_tail_len = sizeof m->serial_tail / 2;
    }
    m->serial_tail[m->serial_tail_len++] = (char)byte;
    m->serial_total++;
    if (m->serial_out) {
        fputc(byte, m->serial_out);
        if (byte == '\n')
            fflush(m->serial_out);
    }
}

bool machine_serial_find(const struct machine *m, const char *text, uint64_t from, uint64_t *end)
{
    size_t n = strlen(text);
    uint64_t tail_start = m->serial_total - m->serial_tail_len;
    size_t k = from > tail_start ? (size_t)(from - tail_start) : 0;
    for (; k + n <= m->serial_tail_len; k++)
        if (memcmp(m->serial_tail + k, text, n) == 0) {
            *end = tail_start + k + n;
            return true;
        }
    return false;
}

bool machine_serial_contains(const struct machine *m, const char *text)
{
    size_t n = strlen(text);
    for (size_t k = 0; k + n <= m->serial_tail_len; k++)
        if (memcmp(m->serial_tail + k, text, n) == 0)
            return true;
    return false;
}

static void pam_changed(void *opaque, uint32_t base, uint32_t size, bool read_ram, bool write_ram)
{
    struct machine *m = opaque;
    physmem_set_shadow(m->mem, base, size, (read_ram ? SHADOW_READ_RAM : 0) | (write_ram ? SHADOW_WRITE_RAM : 0));
}

/* PIIX3 reset control register (0xCF9): a hard or soft reset of the system. */
static void chipset_reset(void *opaque, bool hard)
{
    (void)hard;
    request_reset(opaque);
}

/* Parking addresses for PCI windows that are not decoded: far above any RAM or BAR. */
#define PARK_VGA_MMIO 0xFF1000000000ull
#define PARK_VGA_ROM  0xFF2000000000ull

static uint64_t vga_rom_mmio_read(void *dev, uint64_t offset, unsigned size)
{
    struct machine *m = dev;
    return pci_rom_read(&m->vga_pci, (uint32_t)offset, size);
}
static void vga_rom_mmio_write(void *dev, uint64_t offset, uint64_t value, unsigned size)
{
    (void)dev;
    (void)offset;
    (void)value;
    (void)size; /* ROM */
}
static const struct mmio_ops vga_rom_ops = {.read = vga_rom_mmio_read, .write = vga_rom_mmio_write};

/* The VGA's BARs: 0 is the linear framebuffer, 2 the register window, the ROM BAR the VGA BIOS. */
static void vga_bar_changed(void *owner, struct pci_function *f, unsigned bar, struct pci_bar_map old,
                            struct pci_bar_map now)
{
    (void)f;
    (void)old;
    struct machine *m = owner;
    char err[256];
    int rc = 0;
    if (bar == 0)
        rc = vga_set_lfb_base(&m->vga, now.mapped ? now.base : VGA_LFB_PARKED_BASE, err, sizeof err);
    else if (bar == 2)
        rc = physmem_move_region(m->mem, m->vga_mmio, now.mapped ? now.base : PARK_VGA_MMIO, err, sizeof err);
    else if (bar == PCI_ROM_SLOT)
        rc = physmem_move_region(m->mem, m->vga_rom_map, now.mapped ? now.base : PARK_VGA_ROM, err, sizeof err);
    /* A guest that places a BAR over something else gets no mapping there, as
     * with a real bus conflict; it is reported, not fatal. */
    if (rc != 0)
        fprintf(stderr, "ringzero: VGA BAR %u at 0x%x not mapped: %s\n", bar, now.base, err);
}

static int build_pc_vga(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    const char *path = cfg->vgabios_path ? cfg->vgabios_path : "/usr/share/seabios/vgabios-stdvga.bin";
    if (firmware_read_file(path, 1u << 20, &m->vga_rom, &m->vga_rom_len, err, err_len) != 0)
        return -1;
    if (vga_init(&m->vga, m->mem, &m->io, &m->clock, VGA_LFB_PARKED_BASE, err, err_len) != 0)
        return -1;
    if (!(m->vga_mmio = physmem_add_mmio(m->mem, "vga-mmio", PARK_VGA_MMIO, VGA_MMIO_BAR_SIZE, &vga_mmio_bar_ops,
                                         &m->vga, err, err_len)))
        return -1;
    pci_function_init(&m->vga_pci, "vga", 0x1234, 0x1111, 2, 0x030000, 0);
    pci_function_set_subsystem(&m->vga_pci, PCI_SUBVENDOR_QEMU, PCI_SUBDEVICE_QEMU);
    pci_function_set_bar(&m->vga_pci, 0, PCI_BAR_MEM32, VGA_VRAM_SIZE, true);
    pci_function_set_bar(&m->vga_pci, 2, PCI_BAR_MEM32, VGA_MMIO_BAR_SIZE, false);
    pci_function_set_rom(&m->vga_pci, m->vga_rom, (uint32_t)m->vga_rom_len);
    if (!(m->vga_rom_map = physmem_add_mmio(m->mem, "vga-rom", PARK_VGA_ROM, m->vga_pci.rom_size, &vga_rom_ops, m,
                                            err, err_len)))
        return -1;
    m->vga_pci.bar_changed = vga_bar_changed;
    m->vga_pci.owner = m;
    return pci_bus_add(&m->pci, &m->vga_pci, 2, 0, err, err_len);
}

void machine_sync_clock(struct machine *m) { sync_clock(m); }

int machine_render(struct machine *m, uint32_t *pixels, unsigned max_w, unsigned max_h, unsigned *w, unsigned *h)
{
    if (m->board != BOARD_PC)
        return -1;
    sync_clock(m);
    return vga_render(&m->vga, pixels, max_w, max_h, w, h);
}

size_t machine_screen_text(struct machine *m, char *buf, size_t len)
{
    if (m->board != BOARD_PC)
        return 0;
    return vga_text_dump(&m->vga, buf, len);
}

/* The PIIX3 IDE function: BAR4 places the bus-master registers; the decode
 * enables switch the legacy channels on and off. */
static void ide_bar_changed(void *owner, struct pci_function *f, unsigned bar, struct pci_bar_map old,
                            struct pci_bar_map now)
{
    (void)f;
    (void)old;
    struct machine *m = owner;
    if (bar != PIIX3_BMIBA_BAR)
        return;
    if (m->bm_mapped)
        iobus_unregister(&m->io, m->bm_base, &m->ide.bm);
    m->bm_mapped = false;
    if (now.mapped) {
        char err[256];
        struct io_region r = ide_busmaster_region(&m->ide.bm, (uint16_t)now.base);
        if (iobus_register(&m->io, &r, err, sizeof err) == 0) {
            m->bm_mapped = true;
            m->bm_base = (uint16_t)now.base;
        } else {
            fprintf(stderr, "ringzero: IDE bus-master BAR at 0x%x not mapped: %s\n", now.base, err);
        }
    }
}

static void ide_decode(void *opaque, unsigned channel, bool enabled)
{
    struct machine *m = opaque;
    ide_set_decode(&m->ide, channel, enabled);
}

/* IDE: -hda/-hdb on the primary channel, the CD-ROM as secondary master (QEMU's layout). */
static int build_pc_ide(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    struct irq_line i14 = pc_isa_irq_line(m, 14), i15 = pc_isa_irq_line(m, 15);
    if (ide_init(&m->ide, &m->io, &m->clock, m->mem, &i14, &i15, err, err_len) != 0)
        return -1;
    ide_set_pci(&m->ide, &m->isa_bridge.ide);
    m->isa_bridge.ide.bar_changed = ide_bar_changed;
    m->isa_bridge.ide.owner = m;
    m->isa_bridge.ide_decode_changed = ide_decode;
    for (unsigned ch = 0; ch < 2; ch++)
        ide_set_decode(&m->ide, ch, piix3_ide_decode_enabled(&m->isa_bridge, ch));
    enum blockdev_mode mode = cfg->snapshot ? BLOCKDEV_SNAPSHOT : BLOCKDEV_READ_WRITE;
    const char *disks[2] = {cfg->hda, cfg->hdb};
    for (unsigned u = 0; u < 2; u++) {
        if (!disks[u])
            continue;
        if (blockdev_open(&m->disk[u], disks[u], mode, err, err_len) != 0 ||
            ide_attach_disk(&m->ide, 0, u, &m->disk[u], err, err_len) != 0)
            return -1;
    }
    if (cfg->cdrom && blockdev_open(&m->cd, cfg->cdrom, BLOCKDEV_READ_ONLY, err, err_len) != 0)
        return -1;
    if (ide_attach_cdrom(&m->ide, 1, 0, cfg->cdrom ? &m->cd : NULL, err, err_len) != 0)
        return -1;
    return 0;
}

/* Boot order: SeaBIOS takes it from fw_cfg's "bootorder" file of device paths
 * (as QEMU writes it); older firmware reads CMOS 0x3D/0x38, set too. */
static int set_boot_order(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    const char *order = cfg->boot_order ? cfg->boot_order : "cad";
    enum rtc_cmos_boot_dev dev[3] = {RTC_BOOT_NONE, RTC_BOOT_NONE, RTC_BOOT_NONE};
    char paths[512] = "";
    for (unsigned k = 0; k < 3 && order[k]; k++) {
        const char *path = order[k] == 'a' ? "/pci@i0cf8/isa@1/fdc@03f0/floppy@0\n"
                           : order[k] == 'c' ? "/pci@i0cf8/ide@1,1/drive@0/disk@0\n"
                                             : "/pci@i0cf8/ide@1,1/drive@1/disk@0\n";
        strncat(paths, path, sizeof paths - strlen(paths) - 1);
        dev[k] = order[k] == 'a' ? RTC_BOOT_FLOPPY : order[k] == 'c' ? RTC_BOOT_DISK : RTC_BOOT_CDROM;
    }
    rtc_cmos_set_boot_order(&m->rtc, dev[0], dev[1], dev[2], false);
    if (fw_cfg_add_file(&m->fw_cfg, "bootorder", paths, (uint32_t)strlen(paths) + 1) != 0) {
        snprintf(err, err_len, "fw_cfg: out of memory");
        return -1;
    }
    return 0;
}

/* ACPI: soft-off (SLP_EN with the S5 type) ends the run, carried out between run slices. */
static void acpi_power_off(void *o)
{
    struct machine *m = o;
    m->poweroff_requested = true;
    cpu_request_stop(m->cpu);
}

/* ACPI: the PM registers (SCI on ISA IRQ 9) and the tables SeaBIOS installs from fw_cfg. */
static int build_pc_acpi(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    struct irq_line sci = pc_isa_irq_line(m, 9);
    if (acpi_pm_attach(&m->acpi_pm, &m->io, &m->clock, &sci, ACPI_PM_BASE, err, err_len) != 0)
        return -1;
    m->acpi_pm.power_off = acpi_power_off;
    m->acpi_pm.opaque = m;
    m->acpi_on = true;
    uint64_t below, above;
    fw_cfg_pc_ram_split(cfg->ram_bytes, &below, &above);
    struct acpi_config acfg = acpi_pc_config(below);
    return acpi_add_fw_cfg(&m->fw_cfg, &acfg, err, err_len);
}

/* PCI and the firmware interface: the i440FX host bridge at 00:00.0, the
 * PIIX3 at 00:01.0/1, and fw_cfg telling SeaBIOS the RAM size and e820 map. */
static int build_pc_chipset(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    pci_bus_init(&m->pci);
    if (pci_bus_attach(&m->pci, &m->io, err, err_len) != 0 ||
        i440fx_init(&m->host_bridge, &m->pci, pam_changed, m, err, err_len) != 0 ||
        piix3_init(&m->isa_bridge, &m->pci, 1, err, err_len) != 0)
        return -1;
    m->isa_bridge.opaque = m;
    m->isa_bridge.reset_request = chipset_reset;
    if (build_pc_vga(m, cfg, err, err_len) != 0 || build_pc_ide(m, cfg, err, err_len) != 0)
        return -1;
    if (fw_cfg_init(&m->fw_cfg, &m->io, m->mem, err, err_len) != 0)
        return -1;
    m->fw_cfg_ready = true;
    if (fw_cfg_set_ram_size(&m->fw_cfg, cfg->ram_bytes) != 0 || fw_cfg_set_cpus(&m->fw_cfg, 1, 1) != 0 ||
        fw_cfg_set_boot_menu(&m->fw_cfg, cfg->boot_menu) != 0 || fw_cfg_add_i32(&m->fw_cfg, FW_CFG_IRQ0_OVERRIDE, 1) != 0 ||
        fw_cfg_add_e820(&m->fw_cfg, cfg->ram_bytes) != 0) {
        snprintf(err, err_len, "fw_cfg: out of memory");
        return -1;
    }
    if (cfg->acpi && build_pc_acpi(m, cfg, err, err_len) != 0)
        return -1;
    return set_boot_order(m, cfg, err, err_len);
}

/* Floppy drives on the 82077AA with DMA channel 2 and IRQ 6; the drive types go
 * into CMOS, and a floppy image makes drive A: the first boot device. */
static int build_pc_storage(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    struct irq_line irq6 = pc_isa_irq_line(m, FDC_IRQ);
    if (dma8237_attach(&m->dma, &m->io, m->mem, err, err_len) != 0 ||
        fdc_attach(&m->fdc, &m->io, &m->clock, &irq6, &m->dma, err, err_len) != 0)
        return -1;
    /* Mechanical delays at a tenth of a real drive: SeaBIOS and DOS poll through
     * them, and a real-speed 1.44 MB read would cost seconds of host time. */
    m->fdc.speedup = 10;
    enum blockdev_mode mode = cfg->snapshot ? BLOCKDEV_SNAPSHOT : BLOCKDEV_READ_WRITE;
    const char *images[2] = {cfg->fda, cfg->fdb};
    for (unsigned d = 0; d < 2; d++) {
        if (!images[d])
            continue;
        if (blockdev_open(&m->floppy[d], images[d], mode, err, err_len) != 0 ||
            fdc_insert(&m->fdc, d, &m->floppy[d], err, err_len) != 0)
            return -1;
    }
    rtc_cmos_set_floppy_types(&m->rtc, fdc_cmos_type(&m->fdc, 0), fdc_cmos_type(&m->fdc, 1));
    return 0;
}

/* The PC's devices and their wiring (IRQ numbers per the PC/AT). */
static int build_pc_devices(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    struct irq_line intr = {.set_level = intr_to_cpu, .sink = m, .pin = 0};
    if (pic8259_attach(&m->pic, &m->io, &intr, err, err_len) != 0 || pc_apic_attach(m, err, err_len) != 0)
        return -1;
    struct irq_line irq0 = pc_isa_irq_line(m, 0), irq1 = pc_isa_irq_line(m, 1),
                    irq4 = pc_isa_irq_line(m, 4), irq8 = pc_isa_irq_line(m, RTC_CMOS_IRQ),
                    irq12 = pc_isa_irq_line(m, 12);
    if (pit8254_attach(&m->pit, &m->io, &m->clock, &irq0, err, err_len) != 0 ||
        rtc_cmos_init(&m->rtc, &m->io, &m->clock, &irq8, cfg->rtc_start ? cfg->rtc_start : MACHINE_DEFAULT_RTC_START,
                      err, err_len) != 0 ||
        uart16550_init(&m->com1, &m->io, &m->clock, UART16550_COM1, &irq4, err, err_len) != 0)
        return -1;
    struct irq_line irq13 = pc_isa_irq_line(m, FPU_ERROR_IRQ);
    if (fpu_error_attach(&m->fpu_error, &m->io, &irq13, err, err_len) != 0)
        return -1;
    /* COM2-COM4 at their PC addresses and IRQs (3, 4, 3), present but unconnected. */
    static const uint16_t com_base[3] = {0x2F8, 0x3E8, 0x2E8};
    static const unsigned com_irq[3] = {3, 4, 3};
    for (unsigned k = 0; k < 3; k++) {
        struct irq_line line = pc_isa_irq_line(m, com_irq[k]);
        if (uart16550_init(&m->com_extra[k], &m->io, &m->clock, com_base[k], &line, err, err_len) != 0)
            return -1;
    }
    rtc_cmos_set_memory_size(&m->rtc, cfg->ram_bytes);
    rtc_cmos_set_cpu_count(&m->rtc, 1);
    m->serial_out = cfg->serial_out;
    uart16550_set_tx(&m->com1, serial_tx, m);
    /* COM1 talks to the host, not to a modem: unless asked for the real line rate,
     * a character takes 1 us whatever the baud rate (see uart16550.h). */
    if (!cfg->serial_real_rate)
        m->com1.frame_ns_cap = 1000;
    ps2_keyboard_init(&m->kbd, &m->clock);
    ps2_mouse_init(&m->mouse);
    if (kbc8042_attach(&m->kbc, &m->io, &m->clock, &m->kbd, &m->mouse, &irq1, &irq12, err, err_len) != 0 ||
        port92_attach(&m->port92, &m->io, err, err_len) != 0)
        return -1;
    m->kbc.set_a20 = kbc_a20;
    m->kbc.reset = request_reset;
    m->kbc.opaque = m;
    m->port92.set_a20 = port92_a20;
    m->port92.reset = request_reset;
    m->port92.opaque = m;
    m->a20_kbc = true; /* the 8042 powers up with its A20 output high */
    update_a20(m);
    m->no_reboot = cfg->no_reboot;
    if (build_pc_storage(m, cfg, err, err_len) != 0)
        return -1;
    return build_pc_chipset(m, cfg, err, err_len);
}

/* A system reset: the CPU restarts at the reset vector; the chipset's shadow
 * mapping and the A20 gate return to power-on state.  The 8042 keeps its
 * state (POST reads its system flag to tell a warm start). */
static void machine_reset(struct machine *m)
{
    m->resets++;
    m->reset_requested = false;
    port92_reset(&m->port92);
    i440fx_reset(&m->host_bridge); /* PAM back to power-on: reads from ROM */
    piix3_reset(&m->isa_bridge);
    vga_reset(&m->vga);
    dma8237_reset(&m->dma);
    fdc_reset(&m->fdc);
    ide_reset(&m->ide);
    cpu_reset(m->cpu);
    pc_apic_reset(m);
    if (m->acpi_on)
        acpi_pm_reset(&m->acpi_pm);
}

/* PC memory map: 640 KiB of low RAM, the legacy VGA window (owned by the VGA),
 * shadow RAM/ROM at 0xC0000-0xFFFFF under the chipset's PAM control, RAM from
 * 1 MiB, and the BIOS ROM ending at 4 GiB. */
static int build_pc_memory(struct machine *m, const struct machine_config *cfg, char *err, size_t err_len)
{
    if (cfg->ram_bytes < (2u << 20) || cfg->ram_bytes > (3ull << 30)) {
        snprintf(err, err_len, "the PC board takes 2 MiB to 3 GiB of RAM");
        return -1;
    }
    if (!physmem_add_ram(m->mem, "ram-low", 0, 0xA0000, err, err_len) ||
        !(m->shadow = physmem_add_shadow(m->mem, "shadow", 0xC0000, 0x40000, err, err_len)) ||
        !physmem_add_ram(m->mem, "ram-high", 0x100000, cfg->ram_bytes - 0x100000, err, err_len))
        return -1;
    const char *path = cfg->bios_path ? cfg->bios_path : "/usr/share/seabios/bios.bin";
    uint8_t *image;
    size_t len;
    if (firmware_read_file(path, FIRMWARE_MAX_BIOS, &image, &len, err, err_len) != 0)
        return -1;
    int rc = firmware_map_bios(m->mem, m->shadow, image, len, err, err_len);
    free(image);
    if (rc == 0)
        rc = debugcon_attach(&m->bios_debug, &m->io, DEBUGCON_SEABIOS_PORT, cfg->bios_log, err, err_len);
    if (rc == 0)
        rc = postcode_attach(&m->postcode, &m->io, &m->clock, cfg->postcode_log, err, err_len);
    return rc;
}

struct machine *machine_create(const struct machine_config *cfg, char *err, size_t err_len)
{
    struct machine *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    m->board = cfg->board;
    /* nothing open yet, whatever fails below */
    m->floppy[0].fd = m->floppy[1].fd = m->disk[0].fd = m->disk[1].fd = m->cd.fd = -1;
    m->ns_per_insn = cfg->ns_per_insn ? cfg->ns_per_insn : MACHINE_DEFAULT_NS_PER_INSN;
    vclock_init(&m->clock);
    iobus_init(&m->io);
    m->mem = physmem_create();
    if (!m->mem) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    if (cfg->board == BOARD_PC) {
        if (build_pc_memory(m, cfg, err, err_len) != 0)
            goto fail;
    } else if (!physmem_add_ram(m->mem, "ram", 0, cfg->ram_bytes, err, err_len)) {
        goto fail;
    }
    if (debugcon_attach(&m->debugcon, &m->io, DEBUGCON_PORT, cfg->debugcon_out, err, err_len) != 0 ||
        debug_exit_attach(&m->debug_exit, &m->io, err, err_len) != 0)
        goto fail;
    m->debug_exit.on_exit = request_stop;
    m->debug_exit.opaque = m;
    struct cpu_bus bus = {.port_in = bus_port_in, .port_out = bus_port_out, .intr_ack = machine_intr_ack,
                          .msr_read = pc_apic_msr_read, .msr_write = pc_apic_msr_write,
                          .tpr_class_get = pc_apic_tpr_class_get, .tpr_class_set = pc_apic_tpr_class_set,
                          .ferr = machine_ferr,
                          .opaque = m};
    m->cpu = cpu_create(m->mem, &bus, cfg->model);
    if (!m->cpu) {
        snprintf(err, err_len, "cannot create the CPU");
        goto fail;
    }
    if (cfg->board == BOARD_PC && build_pc_devices(m, cfg, err, err_len) != 0)
        goto fail;
    return m;
fail:
    machine_destroy(m);
    return NULL;
}

void machine_destroy(struct machine *m)
{
    if (!m)
        return;
    cpu_destroy(m->cpu);
    for (unsigned d = 0; d < 2; d++) { /* closing flushes what the guest wrote */
        if (m->floppy[d].fd >= 0)
            blockdev_close(&m->floppy[d]);
        if (m->disk[d].fd >= 0)
            blockdev_close(&m->disk[d]);
    }
    if (m->cd.fd >= 0)
        blockdev_close(&m->cd);
    if (m->fw_cfg_ready)
        fw_cfg_free(&m->fw_cfg);
    free(m->vga_rom);
    physmem_destroy(m->mem);
    free(m);
}

int machine_load_flat(struct machine *m, const char *path, uint64_t addr, char *err, size_t err_len)
{
    uint8_t *buf;
    size_t len;
    if (firmware_read_file(path, 1u << 30, &buf, &len, err, err_len) != 0)
        return -1;
    const struct mem_region *ram = physmem_find(m->mem, 0);
    if (len == 0 || addr >= 0x100000 || !ram || ram->kind != MEM_RAM || addr + len > ram->size) {
        snprintf(err, err_len, "%s: %s", path,
                 len == 0 ? "empty file" : addr >= 0x100000 ? "load address must be below 1 MiB for a real-mode start"
                                                            : "does not fit in RAM at that address");
        free(buf);
        return -1;
    }
    physmem_write_block(m->mem, addr, buf, len);
    free(buf);

    struct cpu *c = m->cpu;
    cpu_reset(c);
    uint16_t seg = addr < 0x10000 ? 0 : (uint16_t)(addr >> 4);
    for (unsigned s = 0; s < S_COUNT; s++) {
        c->seg[s].sel = seg;
        c->seg[s].base = (uint64_t)seg << 4;
    }
    c->rip = addr - ((uint64_t)seg << 4);
    c->regs[R_SP] = 0xFFF0;
    return 0;
}

/* RAM reachable from 1 MiB up (the PC's "ram-high" region, or the flat board's RAM). */
static uint64_t ram_end_above_1m(const struct machine *m)
{
    uint64_t ram = 0;
    for (unsigned k = 0; k < m->mem->region_count; k++)
        if (m->mem->regions[k]->kind == MEM_RAM && m->mem->regions[k]->base == (m->board == BOARD_PC ? 0x100000 : 0))
            ram = m->mem->regions[k]->base + m->mem->regions[k]->size;
    return ram;
}

/* A Linux bzImage boots through SeaBIOS and our option ROM (bios/linux_boot.h):
 * only fw_cfg items are set up here; the CPU starts at the reset vector. */
static int load_linux(struct machine *m, const char *path, const uint8_t *image, size_t len, const char *initrd_path,
                      const char *cmdline, char *err, size_t err_len)
{
    if (m->board != BOARD_PC || !m->fw_cfg_ready) {
        snprintf(err, err_len, "%s: a Linux kernel boots only on the PC board (through SeaBIOS)", path);
        return -1;
    }
    uint64_t ram = ram_end_above_1m(m);
    uint8_t *initrd = NULL;
    size_t initrd_len = 0;
    if (initrd_path && firmware_read_file(initrd_path, (size_t)ram, &initrd, &initrd_len, err, err_len) != 0)
        return -1;
    char why[400];
    int rc = linux_boot_configure(&m->fw_cfg, image, len, initrd, initrd_len, cmdline, ram, why, sizeof why);
    if (rc != 0)
        snprintf(err, err_len, "%s: %s", path, why);
    free(initrd);
    return rc;
}

int machine_load_kernel(struct machine *m, const char *path, const char *initrd_path, const char *cmdline, char *err,
                        size_t err_len)
{
    uint8_t *image;
    size_t len;
    if (firmware_read_file(path, 256u << 20, &image, &len, err, err_len) != 0)
        return -1;
    if (linux_boot_detect(image, len)) {
        int rc = load_linux(m, path, image, len, initrd_path, cmdline, err, err_len);
        free(image);
        return rc;
    }
    if (!multiboot_detect(image, len)) {
        snprintf(err, err_len, "%s: not a Linux bzImage (no \"HdrS\" boot header at 0x202) and not a Multiboot image",
                 path);
        free(image);
        return -1;
    }
    if (initrd_path) {
        snprintf(err, err_len, "%s: -initrd works only with a Linux kernel, not a Multiboot image", path);
        free(image);
        return -1;
    }
    uint64_t ram = ram_end_above_1m(m);
    struct multiboot_start start;
    int rc = multiboot_load(m->mem, image, len, cmdline, ram, &start, err, err_len);
    free(image);
    if (rc != 0)
        return -1;
    /* Machine state at entry (Multiboot spec. §3.2): flat 32-bit CS and data
     * segments, protected mode without paging, interrupts off, A20 on. */
    struct cpu *c = m->cpu;
    cpu_reset(c);
    physmem_set_a20(m->mem, true);
    c->cr0 |= CR0_PE;
    for (unsigned s = 0; s < S_COUNT; s++)
        c->seg[s] = (struct seg_cache){.base = 0, .limit = 0xFFFFFFFFu, .sel = 0x10, .attr = 0xC093};
    c->seg[S_CS] = (struct seg_cache){.base = 0, .limit = 0xFFFFFFFFu, .sel = 0x08, .attr = 0xC09B,
                                      .check = SEG_CHECK_NOWRITE};
    cpu_update_mode(c);
    c->rip = start.entry;
    c->regs[R_AX] = MULTIBOOT_BOOT_MAGIC;
    c->regs[R_BX] = start.info_addr;
    return 0;
}

/* Skip virtual time to the next event while halted; the TSC moves with it. */
static bool skip_to_next_event(struct machine *m)
{
    uint64_t deadline = vclock_next_deadline(&m->clock);
    if (deadline == UINT64_MAX)
        return false;
    uint64_t now = machine_now(m);
    if (deadline > now) {
        uint64_t skip = (deadline - now + m->ns_per_insn - 1) / m->ns_per_insn;
        m->idle_insns += skip;
        cpu_add_tsc(m->cpu, skip);
        m->idle_ns_unpaced += skip * m->ns_per_insn;
    }
    sync_clock(m);
    return true;
}

enum machine_exit machine_run(struct machine *m, uint64_t max_insns)
{
    uint64_t start = cpu_icount(m->cpu);
    for (;;) {
        sync_clock(m);
        uint64_t used = cpu_icount(m->cpu) - start;
        if (used >= max_insns)
            return MACHINE_EXIT_BUDGET;
        uint64_t slice = max_insns - used;
        uint64_t deadline = vclock_next_deadline(&m->clock), now = machine_now(m);
        if (deadline != UINT64_MAX) {
            uint64_t until = deadline > now ? (deadline - now + m->ns_per_insn - 1) / m->ns_per_insn : 1;
            if (until < slice)
                slice = until;
        }
        if (slice > SLICE_MAX_INSNS)
            slice = SLICE_MAX_INSNS;
        m->slice_end_ns = machine_now(m) + slice * m->ns_per_insn;
        enum cpu_stop stop = cpu_run(m->cpu, slice);
        if (m->debug_exit.requested)
            return MACHINE_EXIT_DEBUG_EXIT;
        if (m->poweroff_requested)
            return MACHINE_EXIT_POWEROFF;
        if (m->reset_requested || (stop == CPU_STOP_SHUTDOWN && m->board == BOARD_PC)) {
            /* On a PC a triple fault resets the machine (the chipset answers the
             * shutdown cycle with INIT), as a reset request does. */
            if (m->no_reboot)
                return stop == CPU_STOP_SHUTDOWN ? MACHINE_EXIT_SHUTDOWN : MACHINE_EXIT_RESET;
            machine_reset(m);
            continue;
        }
        switch (stop) {
        case CPU_STOP_SHUTDOWN:
            return MACHINE_EXIT_SHUTDOWN;
        case CPU_STOP_HLT:
            /* With interrupts enabled an event can wake the CPU: skip to it. */
            if (!(m->cpu->eflags & F_IF) || !skip_to_next_event(m))
                return MACHINE_EXIT_HALT;
            if (m->pace_idle)
                return MACHINE_EXIT_BUDGET; /* the caller waits out idle_ns_unpaced in real time */
            break;
        case CPU_STOP_BUDGET:
        case CPU_STOP_REQUEST:
            break;
        }
    }
}
