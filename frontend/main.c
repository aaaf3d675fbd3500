/* ringzero: command line.
 *
 *   ringzero --flat FILE [options]       run a flat real-mode binary headless
 *   ringzero singlestep [options] PATH   run SingleStepTests conformance vectors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices/vga_render.h"
#include "frontend/display.h"
#include "frontend/machine.h"
#include "frontend/screenshot.h"
#include "frontend/serial_script.h"
#include "frontend/serial_stdin.h"
#include "frontend/sdl_window.h"
#include "frontend/singlestep.h"
#include "frontend/trace.h"

/* Exit statuses besides 0 (clean halt) and the guest's isa-debug-exit value (always odd). */
enum { EXIT_USAGE = 2, EXIT_TIMEOUT = 123, EXIT_BUDGET = 124, EXIT_SHUTDOWN = 125 };

struct options {
    const char *flat;
    const char *bios;
    const char *bios_log;
    const char *postcode_log;
    const char *serial;   /* stdio, none, file:PATH */
    const char *screen_text;
    const char *fda, *fdb, *hda, *hdb, *cdrom, *boot;
    const char *exit_on_screen, *exit_on_serial;
    const char *serial_script; /* --serial-script FILE */
    uint64_t cpu_mhz;          /* --cpu-mhz: virtual instructions per microsecond (0: default) */
    bool serial_real_rate;     /* --serial-baud-timing */
    const char *kernel, *initrd, *append;
    const char *display;    /* sdl, none */
    double timeout;         /* wall-clock seconds, 0: none */
    bool boot_menu;
    const char *screenshot; /* PNG at exit */
    bool snapshot;
    bool no_reboot;
    bool acpi;              /* PC: ACPI tables and PM registers (--acpi / --no-acpi) */
    bool rtc_now;
    bool ram_given;
    uint64_t load_addr;
    uint64_t ram_mb;
    uint64_t max_insns;
    bool stats;
    const char *debugcon; /* stdio, none, file:PATH */
    struct tracer_options trace;
    enum cpu_model model;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ringzero [options]                 boot the PC from its BIOS (SeaBIOS)\n"
            "       ringzero --flat FILE [options]     run a flat real-mode binary\n"
            "       ringzero singlestep [--cpu 80286|p6] PATH...   (see ringzero singlestep --help)\n"
            "\n"
            "  -bios FILE           system BIOS image (default /usr/share/seabios/bios.bin)\n"
            "  --bios-log FILE      write the BIOS's debug output (port 0x402) to FILE ('-' for stderr)\n"
            "  --postcode-log FILE  log every POST code written to port 0x80\n"
            "  -serial stdio|none|file:PATH   where COM1 output goes (default stdio); with stdio on a\n"
            "                       terminal, keys go to COM1 too (Ctrl-A x quits)\n"
            "  --no-reboot          end the run on a triple fault or reset request instead of rebooting\n"
            "  --acpi, --no-acpi    ACPI tables and power management on the PC (default: on)\n"
            "  --screen-text FILE   write the text-mode screen as plain text at exit ('-' for stdout)\n"
            "  -fda FILE, -fdb FILE floppy disk images (160K to 2.88M)\n"
            "  -hda FILE, -hdb FILE IDE disk images (raw)\n"
            "  -cdrom FILE          ISO image in the ATAPI CD-ROM drive\n"
            "  -boot ORDER          boot order, letters a (floppy), c (disk), d (CD-ROM); default cad\n"
            "  -kernel FILE         boot a Linux bzImage (through SeaBIOS and a boot ROM of ours) or\n"
            "                       start a Multiboot (v1) kernel directly, without the BIOS\n"
            "  -initrd FILE         the initial ramdisk for a Linux -kernel\n"
            "  -append CMDLINE      the kernel command line\n"
            "  -display sdl|none    a window (default when a display is available) or headless\n"
            "                       (window keys: Ctrl+Alt+G grabs/releases the mouse, Ctrl+Alt+S saves a PNG)\n"
            "  --screenshot FILE    write the screen as PNG at exit\n"
            "  --timeout SECONDS    stop after this much host time (exit status 123)\n"
            "  --boot-menu          let SeaBIOS offer its boot menu (press ESC)\n"
            "  --exit-on-screen TEXT  stop (status 0) once the text screen shows TEXT\n"
            "  --exit-on-serial TEXT  stop (status 0) once COM1 has printed TEXT\n"
            "  --serial-baud-timing COM1 sends at its programmed baud rate (default: 1 us a character)\n"
            "  --cpu-mhz N          virtual clock: N million instructions per second of guest time\n"
            "                       (a divisor of 1000; default 100)\n"
            "  --serial-script FILE   talk to COM1: lines 'expect TEXT', 'send TEXT' (adds Enter),\n"
            "                       'sendraw TEXT'; stops (status 0) when the script is done\n"
            "  -snapshot            keep disk writes in memory; the image files are not changed\n"
            "  --rtc-now            start the RTC at the host's time (default: a fixed time, for determinism)\n"
            "  --flat FILE          load a flat binary and start it in real mode (no BIOS)\n"
            "  --load-addr ADDR     physical load address, below 1 MiB (default 0x7c00)\n"
            "  -m MB                RAM size in MiB (default 128 for the PC, 32 with --flat)\n"
            "  --cpu 80286|p6       CPU model (default p6)\n"
            "  --max-insns N        stop after N instructions (exit status 124)\n"
            "  --stats              print instructions, seconds and MIPS to stderr at exit\n"
            "  -debugcon stdio|none|file:PATH   where port 0xE9 output goes (default stdio)\n"
            "  --trace FILE         write one line per executed instruction ('-' for stdout)\n"
            "  --trace-limit N      stop tracing after N lines\n"
            "  --trace-range LO-HI  trace only linear addresses in [LO, HI] (hex)\n"
            "\n"
            "Exit status: 0 after HLT with interrupts off, (v<<1)|1 when the guest writes v to port 0xf4,\n"
            "123 when --timeout is reached, 124 when --max-insns is reached, 125 on a triple fault\n"
            "(with --no-reboot on the PC), 2 on a usage or set-up error.\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){.load_addr = 0x7C00, .ram_mb = 32, .max_insns = UINT64_MAX, .debugcon = "stdio",
                          .model = CPU_MODEL_P6, .acpi = true};
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        const char *val = a + 1 < argc ? argv[a + 1] : NULL;
        bool ok = true;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(arg, "--stats")) {
            o->stats = true;
            continue;
        } else if (!strcmp(arg, "--no-reboot") || !strcmp(arg, "-no-reboot")) {
            o->no_reboot = true;
            continue;
        } else if (!strcmp(arg, "--acpi") || !strcmp(arg, "--no-acpi")) {
            o->acpi = !strcmp(arg, "--acpi");
            continue;
        } else if (!strcmp(arg, "--serial-baud-timing")) {
            o->serial_real_rate = true;
            continue;
        } else if (!strcmp(arg, "--rtc-now")) {
            o->rtc_now = true;
            continue;
        } else if (!strcmp(arg, "--boot-menu")) {
            o->boot_menu = true;
            continue;
        } else if (!strcmp(arg, "-snapshot") || !strcmp(arg, "--snapshot")) {
            o->snapshot = true;
            continue;
        }
        if (!val) {
            fprintf(stderr, "ringzero: %s needs a value (see --help)\n", arg);
            return -1;
        }
        if (!strcmp(arg, "--flat"))
            o->flat = val;
        else if (!strcmp(arg, "-bios") || !strcmp(arg, "--bios"))
            o->bios = val;
        else if (!strcmp(arg, "--bios-log"))
            o->bios_log = val;
        else if (!strcmp(arg, "--postcode-log"))
            o->postcode_log = val;
        else if (!strcmp(arg, "--screen-text"))
            o->screen_text = val;
        else if (!strcmp(arg, "-display") || !strcmp(arg, "--display")) {
            o->display = val;
            ok = !strcmp(val, "sdl") || !strcmp(val, "none");
        } else if (!strcmp(arg, "--timeout")) {
            char *end;
            o->timeout = strtod(val, &end);
            ok = *end == 0 && o->timeout > 0 && o->timeout < 1e7;
        } else if (!strcmp(arg, "--screenshot"))
            o->screenshot = val;
        else if (!strcmp(arg, "-kernel"))
            o->kernel = val;
        else if (!strcmp(arg, "-initrd"))
            o->initrd = val;
        else if (!strcmp(arg, "-append"))
            o->append = val;
        else if (!strcmp(arg, "--exit-on-screen"))
            o->exit_on_screen = val;
        else if (!strcmp(arg, "--exit-on-serial"))
            o->exit_on_serial = val;
        else if (!strcmp(arg, "--serial-script"))
            o->serial_script = val;
        else if (!strcmp(arg, "-hda"))
            o->hda = val;
        else if (!strcmp(arg, "-hdb"))
            o->hdb = val;
        else if (!strcmp(arg, "-cdrom"))
            o->cdrom = val;
        else if (!strcmp(arg, "-boot")) {
            o->boot = val;
            ok = strlen(val) >= 1 && strlen(val) <= 3 && strspn(val, "acd") == strlen(val);
        } else if (!strcmp(arg, "-fda"))
            o->fda = val;
        else if (!strcmp(arg, "-fdb"))
            o->fdb = val;
        else if (!strcmp(arg, "-serial") || !strcmp(arg, "--serial")) {
            o->serial = val;
            ok = !strcmp(val, "stdio") || !strcmp(val, "none") || (!strncmp(val, "file:", 5) && val[5]);
        }
        else if (!strcmp(arg, "--load-addr"))
            ok = parse_u64(val, &o->load_addr);
        else if (!strcmp(arg, "-m"))
            ok = (o->ram_given = parse_u64(val, &o->ram_mb)) && o->ram_mb >= 1 && o->ram_mb <= 3072;
        else if (!strcmp(arg, "--cpu-mhz"))
            /* Virtual time is whole nanoseconds per instruction: 1000 / MHz must be exact. */
            ok = parse_u64(val, &o->cpu_mhz) && o->cpu_mhz >= 1 && o->cpu_mhz <= 1000 && 1000 % o->cpu_mhz == 0;
        else if (!strcmp(arg, "--max-insns"))
            ok = parse_u64(val, &o->max_insns) && o->max_insns > 0;
        else if (!strcmp(arg, "-debugcon") || !strcmp(arg, "--debugcon"))
            ok = !strcmp(val, "stdio") || !strcmp(val, "none") || (!strncmp(val, "file:", 5) && val[5]);
        else if (!strcmp(arg, "--trace"))
            o->trace.path = val;
        else if (!strcmp(arg, "--trace-limit"))
            ok = parse_u64(val, &o->trace.limit);
        else if (!strcmp(arg, "--trace-range"))
            ok = o->trace.has_range = tracer_parse_range(val, &o->trace.range_lo, &o->trace.range_hi);
        else if (!strcmp(arg, "--cpu")) {
            if (!strcmp(val, "80286") || !strcmp(val, "286"))
                o->model = CPU_MODEL_80286;
            else
                ok = !strcmp(val, "p6");
        } else {
            fprintf(stderr, "ringzero: unknown option '%s' (see --help)\n", arg);
            return -1;
        }
        if (!ok) {
            fprintf(stderr, "ringzero: bad value '%s' for %s (see --help)\n", val, arg);
            return -1;
        }
        if (!strcmp(arg, "-debugcon") || !strcmp(arg, "--debugcon"))
            o->debugcon = val;
        a++;
    }
    if (!o->kernel && (o->initrd || o->append)) {
        fprintf(stderr, "ringzero: %s needs -kernel\n", o->initrd ? "-initrd" : "-append");
        return -1;
    }
    if (!o->ram_given)
        o->ram_mb = o->flat ? 32 : 128;
    if (!o->flat && o->ram_mb < 2) {
        fprintf(stderr, "ringzero: the PC needs at least 2 MiB of RAM\n");
        return -1;
    }
    return 0;
}

/* The window's view of the machine. */
static int window_render(void *o, uint32_t *px, unsigned mw, unsigned mh, unsigned *w, unsigned *h)
{
    return machine_render(o, px, mw, mh, w, h);
}
static void window_key(void *o, unsigned usage, bool down)
{
    struct machine *m = o;
    machine_sync_clock(m);
    ps2_keyboard_key(&m->kbd, usage, down);
}
static void window_mouse(void *o, int dx, int dy, int dz, unsigned buttons)
{
    struct machine *m = o;
    machine_sync_clock(m);
    ps2_mouse_move(&m->mouse, dx, dy, dz, buttons);
}
static void window_release_all(void *o)
{
    struct machine *m = o;
    ps2_keyboard_release_all(&m->kbd);
}

static double now_seconds(void);

/* Interactive run: the guest's virtual time is paced to the wall clock (it may
 * run behind, never more than 20 ms ahead), so an idle guest does not race and
 * held keys repeat at human speed.  Ends when the window closes. */
static enum machine_exit run_windowed(struct machine *m, struct sdl_window *win, uint64_t max_insns)
{
    double start = now_seconds();
    uint64_t vstart = machine_now(m), done = 0;
    enum machine_exit why = MACHINE_EXIT_BUDGET;
    while (sdl_window_poll(win)) {
        double ahead = (double)(machine_now(m) - vstart) * 1e-9 - (now_seconds() - start);
        if (ahead > 0.020) {
            sdl_window_present(win);
            usleep(1000);
            continue;
        }
        uint64_t chunk = max_insns - done < 200000 ? max_insns - done : 200000;
        uint64_t before = cpu_icount(m->cpu);
        why = machine_run(m, chunk);
        done += cpu_icount(m->cpu) - before;
        sdl_window_present(win);
        if (why == MACHINE_EXIT_HALT) { /* keep the last screen up until the window closes */
            usleep(5000);
            continue;
        }
        if (why != MACHINE_EXIT_BUDGET || done >= max_insns)
            break;
    }
    return why;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "singlestep"))
        return singlestep_main(argc - 1, argv + 1);

    struct options o;
    if (parse_options(argc, argv, &o) != 0)
        return EXIT_USAGE;

    FILE *debug_out = NULL;
    if (!strcmp(o.debugcon, "stdio"))
        debug_out = stdout;
    else if (!strncmp(o.debugcon, "file:", 5) && !(debug_out = fopen(o.debugcon + 5, "w"))) {
        fprintf(stderr, "ringzero: cannot write %s: %s\n", o.debugcon + 5, strerror(errno));
        return EXIT_USAGE;
    }

    char err[512];
    FILE *bios_log = NULL, *postcode_log = NULL;
    if (o.bios_log && !(bios_log = !strcmp(o.bios_log, "-") ? stderr : fopen(o.bios_log, "w"))) {
        fprintf(stderr, "ringzero: cannot write %s: %s\n", o.bios_log, strerror(errno));
        return EXIT_USAGE;
    }
    if (o.postcode_log && !(postcode_log = fopen(o.postcode_log, "w"))) {
        fprintf(stderr, "ringzero: cannot write %s: %s\n", o.postcode_log, strerror(errno));
        return EXIT_USAGE;
    }
    FILE *serial_out = NULL;
    if (!o.serial || !strcmp(o.serial, "stdio"))
        serial_out = stdout;
    else if (!strncmp(o.serial, "file:", 5) && !(serial_out = fopen(o.serial + 5, "w"))) {
        fprintf(stderr, "ringzero: cannot write %s: %s\n", o.serial + 5, strerror(errno));
        return EXIT_USAGE;
    }
    struct machine_config cfg = {.board = o.flat ? BOARD_FLAT : BOARD_PC, .ram_bytes = o.ram_mb << 20,
                                 .model = o.model, .debugcon_out = debug_out, .bios_log = bios_log,
                                 .postcode_log = postcode_log, .bios_path = o.bios, .serial_out = serial_out,
                                 .no_reboot = o.no_reboot, .acpi = o.acpi, .rtc_start = o.rtc_now ? time(NULL) : 0,
                                 .fda = o.fda, .fdb = o.fdb, .snapshot = o.snapshot, .hda = o.hda,
                                 .hdb = o.hdb, .cdrom = o.cdrom, .boot_order = o.boot,
                                 .boot_menu = o.boot_menu,
                                 .ns_per_insn = o.cpu_mhz ? (unsigned)(1000 / o.cpu_mhz) : 0,
                                 .serial_real_rate = o.serial_real_rate};
    struct machine *m = machine_create(&cfg, err, sizeof err);
    if (!m || (o.flat && machine_load_flat(m, o.flat, o.load_addr, err, sizeof err) != 0) ||
        (o.kernel && machine_load_kernel(m, o.kernel, o.initrd, o.append, err, sizeof err) != 0)) {
        fprintf(stderr, "ringzero: %s\n", err);
        machine_destroy(m);
        return EXIT_USAGE;
    }
    struct tracer *tracer = NULL;
    if (o.trace.path) {
        tracer = tracer_create(&o.trace, err, sizeof err);
        if (!tracer) {
            fprintf(stderr, "ringzero: %s\n", err);
            machine_destroy(m);
            return EXIT_USAGE;
        }
        tracer_attach(tracer, m->cpu);
    }

    struct serial_script *script = NULL;
    if (o.serial_script && !(script = serial_script_load(o.serial_script, err, sizeof err))) {
        fprintf(stderr, "ringzero: %s\n", err);
        machine_destroy(m);
        return EXIT_USAGE;
    }
    bool windowed = !o.flat && (o.display ? !strcmp(o.display, "sdl")
                                          : (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")));
    struct sdl_window *win = NULL;
    if (windowed) {
        struct display_source ds = {.render = window_render, .opaque = m};
        struct input_sink in = {.key = window_key, .mouse = window_mouse, .release_all = window_release_all,
                                .opaque = m};
        win = sdl_window_open("ringzero", &ds, &in, NULL, err, sizeof err);
        if (!win) {
            fprintf(stderr, "ringzero: %s (use -display none to run headless)\n", err);
            machine_destroy(m);
            return EXIT_USAGE;
        }
    }
    /* Headless with COM1 on the terminal: what the user types goes to the guest. */
    struct serial_stdin *keys = NULL;
    if (!win && !o.flat && (!o.serial || !strcmp(o.serial, "stdio")) && !script)
        keys = serial_stdin_open();
    m->pace_idle = keys != NULL;
    double t0 = now_seconds();
    enum machine_exit why;
    bool found = false, timed_out = false, script_done = false, quit = false;
    if (win) {
        why = run_windowed(m, win, o.max_insns);
    } else if (!o.exit_on_screen && !o.exit_on_serial && !o.timeout && !script && !keys) {
        why = machine_run(m, o.max_insns);
    } else {
        /* Run in chunks and look for the marker between them. A serial script
         * uses short chunks: it feeds keystrokes no faster than a UART takes them. */
        char *text = o.exit_on_screen ? malloc(64 * 1024) : NULL;
        uint64_t done = 0, slice = script || keys ? 200000 : 5000000;
        for (;;) {
            uint64_t chunk = o.max_insns - done < slice ? o.max_insns - done : slice;
            uint64_t before = cpu_icount(m->cpu);
            why = machine_run(m, chunk);
            done += cpu_icount(m->cpu) - before;
            if (o.exit_on_serial && machine_serial_contains(m, o.exit_on_serial))
                found = true;
            if (script && serial_script_step(script, m)) {
                found = true;
                script_done = true;
            }
            if (keys && serial_stdin_poll(keys, m))
                found = quit = true;
            if (keys && m->idle_ns_unpaced >= 1000000) {
                /* The guest idled: let that much real time pass too, waking for a key. */
                serial_stdin_wait(keys, m->idle_ns_unpaced);
                m->idle_ns_unpaced = 0;
            }
            if (o.exit_on_screen && text) {
                size_t n = machine_screen_text(m, text, 64 * 1024);
                text[n < 64 * 1024 ? n : 64 * 1024 - 1] = 0;
                if (strstr(text, o.exit_on_screen))
                    found = true;
            }
            if (found || why != MACHINE_EXIT_BUDGET || done >= o.max_insns)
                break;
            if (o.timeout && now_seconds() - t0 >= o.timeout) {
                timed_out = true;
                break;
            }
        }
        free(text);
    }
    serial_stdin_close(keys); /* the terminal back to normal before any message */
    double secs = now_seconds() - t0;
    uint64_t insns = cpu_icount(m->cpu);
    if (tracer)
        tracer_finish(tracer);
    fflush(stdout);

    int status = 0;
    if (timed_out) {
        fprintf(stderr, "ringzero: stopped after %.1f seconds (--timeout), %llu instructions\n", secs,
                (unsigned long long)insns);
        why = MACHINE_EXIT_HALT; /* status set below */
    } else if (quit) {
        fprintf(stderr, "\nringzero: quit (Ctrl-A x) after %llu instructions, %.2f seconds\n",
                (unsigned long long)insns, secs);
        why = MACHINE_EXIT_HALT;
    } else if (script_done) {
        fprintf(stderr, "ringzero: serial script completed after %llu instructions, %.2f seconds\n",
                (unsigned long long)insns, secs);
        why = MACHINE_EXIT_HALT;
    } else if (found) {
        fprintf(stderr, "ringzero: found \"%s\" after %llu instructions, %.2f seconds\n",
                o.exit_on_screen ? o.exit_on_screen : o.exit_on_serial, (unsigned long long)insns, secs);
        why = MACHINE_EXIT_HALT;
    }
    if (script && !script_done) {
        const char *waiting = "";
        unsigned line = serial_script_waiting(script, &waiting);
        fprintf(stderr, "ringzero: serial script not completed: line %u (\"%s\") still pending\n", line, waiting);
        if (why == MACHINE_EXIT_HALT || why == MACHINE_EXIT_RESET)
            why = MACHINE_EXIT_BUDGET; /* the run ended without the expected dialogue: a failure */
    }
    serial_script_free(script);
    switch (why) {
    case MACHINE_EXIT_HALT: status = 0; break;
    case MACHINE_EXIT_DEBUG_EXIT: status = m->debug_exit.status; break;
    case MACHINE_EXIT_BUDGET:
        fprintf(stderr, "ringzero: stopped after %llu instructions (--max-insns)\n", (unsigned long long)insns);
        status = EXIT_BUDGET;
        break;
    case MACHINE_EXIT_RESET:
        fprintf(stderr, "ringzero: the guest requested a reset (--no-reboot) after %llu instructions\n",
                (unsigned long long)insns);
        status = 0;
        break;
    case MACHINE_EXIT_POWEROFF:
        fprintf(stderr, "ringzero: the guest powered off after %llu instructions\n", (unsigned long long)insns);
        status = 0;
        break;
    case MACHINE_EXIT_SHUTDOWN:
        fprintf(stderr, "ringzero: triple fault (shutdown) after %llu instructions\n", (unsigned long long)insns);
        status = EXIT_SHUTDOWN;
        break;
    }
    if (timed_out)
        status = EXIT_TIMEOUT;
    if (o.stats)
        fprintf(stderr, "instructions: %llu\nseconds: %.3f\nMIPS: %.1f\n", (unsigned long long)insns, secs,
                secs > 0 ? (double)insns / secs / 1e6 : 0.0);
    if (win)
        sdl_window_close(win);
    if (o.screenshot) {
        uint32_t *px = malloc((size_t)VGA_RENDER_MAX_W * VGA_RENDER_MAX_H * sizeof *px);
        unsigned w = 0, h = 0;
        if (!px || machine_render(m, px, VGA_RENDER_MAX_W, VGA_RENDER_MAX_H, &w, &h) != 0) {
            fprintf(stderr, "ringzero: no screen to save in %s\n", o.screenshot);
            status = status ? status : EXIT_USAGE;
        } else if (screenshot_write_png(o.screenshot, px, w, h, err, sizeof err) != 0) {
            fprintf(stderr, "ringzero: %s\n", err);
            status = status ? status : EXIT_USAGE;
        }
        free(px);
    }
    if (o.screen_text) {
        size_t cap = 64 * 1024;
        char *text = malloc(cap);
        size_t n = text ? machine_screen_text(m, text, cap) : 0;
        FILE *f = !strcmp(o.screen_text, "-") ? stdout : fopen(o.screen_text, "w");
        if (!f || !text) {
            fprintf(stderr, "ringzero: cannot write %s: %s\n", o.screen_text, strerror(errno));
            status = status ? status : EXIT_USAGE;
        } else {
            fwrite(text, 1, n < cap ? n : cap - 1, f);
        }
        if (f && f != stdout)
            fclose(f);
        free(text);
    }
    if (m->board == BOARD_PC && m->postcode.written)
        fprintf(stderr, "ringzero: last POST code %02x\n", m->postcode.last);
    if (debug_out && debug_out != stdout)
        fclose(debug_out);
    if (bios_log && bios_log != stderr)
        fclose(bios_log);
    if (serial_out && serial_out != stdout)
        fclose(serial_out);
    if (postcode_log)
        fclose(postcode_log);
    machine_destroy(m);
    return status;
}
