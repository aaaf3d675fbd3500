/* struct machine: everything one emulated computer is made of. No globals, so
 * a program (or a test) can build as many machines as it likes.
 *
 * Two boards: "flat" (RAM and the debug ports, for flat binaries and test
 * programs) and "pc" (the PC/AT-compatible machine SeaBIOS boots on). */
#ifndef RINGZERO_FRONTEND_MACHINE_H
#define RINGZERO_FRONTEND_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "bios/fw_cfg.h"
#include "cpu/cpu.h"
#include "devices/acpi_pm.h"
#include "devices/clock.h"
#include "devices/debug_exit.h"
#include "devices/blockdev.h"
#include "devices/debugcon.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "devices/fpu_error.h"
#include "devices/i440fx.h"
#include "devices/ioapic.h"
#include "devices/ide.h"
#include "devices/iobus.h"
#include "devices/kbc8042.h"
#include "devices/lapic.h"
#include "devices/pci.h"
#include "devices/pic8259.h"
#include "devices/piix3.h"
#include "devices/pit8254.h"
#include "devices/port92.h"
#include "devices/ps2_keyboard.h"
#include "devices/ps2_mouse.h"
#include "devices/rtc_cmos.h"
#include "devices/uart16550.h"
#include "devices/vga.h"
#include "devices/postcode.h"
#include "mem/physmem.h"

enum machine_board { BOARD_FLAT, BOARD_PC };

struct machine_config {
    enum machine_board board;
    uint64_t ram_bytes;
    enum cpu_model model;
    FILE *debugcon_out;     /* port 0xE9; NULL discards */
    FILE *bios_log;         /* PC: SeaBIOS's debug port 0x402; NULL discards */
    FILE *postcode_log;     /* PC: port 0x80 codes; NULL: not logged */
    const char *bios_path;  /* PC: system BIOS image */
    const char *vgabios_path; /* PC: VGA BIOS (the VGA's PCI option ROM) */
    const char *fda, *fdb;  /* PC: floppy images */
    const char *hda, *hdb;  /* PC: IDE disks, primary master and slave */
    const char *cdrom;      /* PC: ISO image in the secondary master ATAPI drive */
    const char *boot_order; /* PC: QEMU-style letters: a floppy, c disk, d CD-ROM (default "cad") */
    bool snapshot;          /* PC: disk writes go to a throw-away overlay */
    bool boot_menu;         /* PC: SeaBIOS offers its boot menu (F12 / ESC) */
    unsigned ns_per_insn;   /* virtual time per retired instruction (0: default) */
    FILE *serial_out;       /* PC: COM1 output; NULL discards */
    time_t rtc_start;       /* PC: the RTC's time at power-on */
    bool no_reboot;         /* PC: a triple fault or reset request ends the run instead of resetting */
    bool serial_real_rate;  /* PC: COM1 sends at its programmed baud rate (default: 1 us per character) */
    bool acpi;              /* PC: ACPI tables through fw_cfg and the PM registers at 0x600 (bios/acpi.h) */
};

/* Deterministic default for the RTC: 2026-01-01 00:00:00 UTC. */
#define MACHINE_DEFAULT_RTC_START ((time_t)1767225600)

#define MACHINE_DEFAULT_NS_PER_INSN 10 /* a 100 MHz virtual CPU */

enum machine_exit {
    MACHINE_EXIT_HALT,       /* HLT with interrupts off (or nothing left that could wake it) */
    MACHINE_EXIT_DEBUG_EXIT, /* the guest wrote to isa-debug-exit */
    MACHINE_EXIT_BUDGET,     /* instruction budget used up */
    MACHINE_EXIT_SHUTDOWN,   /* triple fault */
    MACHINE_EXIT_RESET,      /* the guest asked for a reset and --no-reboot was given */
    MACHINE_EXIT_POWEROFF,   /* the guest powered off through ACPI (SLP_EN with the S5 type) */
};

struct machine {
    enum machine_board board;
    struct physmem *mem;
    struct iobus io;
    struct cpu *cpu;
    struct vclock clock;
    unsigned ns_per_insn;
    uint64_t idle_insns;     /* instruction-times skipped while halted */
    uint64_t slice_end_ns;   /* virtual time at which the running CPU slice ends */
    /* Interactive runs: machine_run returns after each skip over idle time, and
     * the frontend sleeps that long (so a guest's "sleep 1" takes a second). */
    bool pace_idle;
    uint64_t idle_ns_unpaced; /* idle time skipped and not yet waited out */
    struct debugcon debugcon;
    struct debugcon bios_debug;
    struct debug_exit debug_exit;
    struct postcode postcode;
    struct mem_region *shadow;
    /* PC devices */
    struct pic8259_pair pic;
    struct lapic lapic;             /* frontend/pc_apic.c wires both APICs */
    struct ioapic ioapic;
    struct mem_region *lapic_mmio;  /* where IA32_APIC_BASE says, parked while disabled */
    struct mem_region *ioapic_mmio;
    bool apic_ready;
    struct pit8254 pit;
    struct rtc_cmos rtc;
    struct uart16550 com1;
    struct uart16550 com_extra[3]; /* COM2-COM4: present, output discarded */
    struct ps2_keyboard kbd;
    struct ps2_mouse mouse;
    struct kbc8042 kbc;
    struct port92 port92;
    struct fpu_error fpu_error;     /* FERR# -> IRQ 13, cleared through port 0xF0 */
    struct pci_bus pci;
    struct i440fx host_bridge;
    struct piix3 isa_bridge;
    struct fw_cfg fw_cfg;
    bool fw_cfg_ready;
    struct dma8237 dma;
    struct fdc fdc;
    struct blockdev floppy[2];
    struct ide_controller ide;
    struct blockdev disk[2], cd;
    struct vga vga;
    struct pci_function vga_pci;    /* 00:02.0, 1234:1111 (QEMU's standard VGA) */
    bool bm_mapped;
    uint16_t bm_base;               /* PIIX3 bus-master IDE registers (BAR4), when mapped */
    uint8_t *vga_rom;
    size_t vga_rom_len;
    struct mem_region *vga_mmio;    /* BAR 2 register window, parked when not decoded */
    struct mem_region *vga_rom_map; /* the ROM BAR, parked when not decoded */
    FILE *serial_out;
    char serial_tail[4096];   /* the last COM1 output, for --exit-on-serial */
    size_t serial_tail_len;
    uint64_t serial_total;    /* bytes COM1 has sent since power-on (the tail's end position) */
    bool a20_kbc, a20_port92; /* the A20 gate is open if either source opens it */
    bool reset_requested;
    bool no_reboot;
    struct acpi_pm acpi_pm;   /* PC with ACPI: the fixed-hardware PM registers */
    bool acpi_on;
    bool poweroff_requested;
    unsigned resets;          /* machine resets so far (triple faults, reset requests) */
};

struct machine *machine_create(const struct machine_config *cfg, char *err, size_t err_len);
void machine_destroy(struct machine *m);
/* Loads a flat binary at a physical address and points the CPU at it in real
 * mode: CS=DS=ES=SS = addr>>4 (0 below 64 KiB), IP = the rest, SP = 0xFFF0. */
int machine_load_flat(struct machine *m, const char *path, uint64_t addr, char *err, size_t err_len);
enum machine_exit machine_run(struct machine *m, uint64_t max_insns);
/* -kernel: a Linux bzImage (with an optional initrd) is handed to SeaBIOS,
 * which boots it through our option ROM (bios/linux_boot.h); a Multiboot (v1)
 * kernel is loaded and started as the Multiboot specification says (32-bit
 * protected mode, flat segments, EAX = 0x2BADB002, EBX = the information
 * structure), bypassing the BIOS.  initrd_path and cmdline may be NULL. */
int machine_load_kernel(struct machine *m, const char *path, const char *initrd_path, const char *cmdline, char *err,
                        size_t err_len);
/* Virtual time now, in nanoseconds. */
uint64_t machine_now(const struct machine *m);
/* Brings the virtual clock up to the CPU's progress (for front ends reading device state). */
void machine_sync_clock(struct machine *m);
/* The run loop sizes each CPU slice to end at the next event it knows of. A
 * device access may arm an earlier one (a PIT one-shot, a UART byte, the APIC
 * timer): then the slice ends now, so that the event is served on time. Called
 * after port accesses and by devices with timers behind MMIO or MSRs. */
void machine_reslice_if_needed(struct machine *m);
/* Renders the VGA screen (XRGB8888); -1 if not a PC or the buffer is too small. */
int machine_render(struct machine *m, uint32_t *pixels, unsigned max_w, unsigned max_h, unsigned *w, unsigned *h);
/* Whether COM1 output so far (its last 4 KiB) contains text. */
/* Finds text in the COM1 tail starting at absolute output position >= from;
 * on success *end is the position just past it. */
bool machine_serial_find(const struct machine *m, const char *text, uint64_t from, uint64_t *end);
bool machine_serial_contains(const struct machine *m, const char *text);
/* The text-mode screen as plain text (0 in graphics modes). */
size_t machine_screen_text(struct machine *m, char *buf, size_t len);

#endif
