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

#include "bios/firmware.h"
#include "cpu/cpu_state.h"
#include "cpu/seg.h"

#define SLICE_MAX_INSNS 100000u /* bound on a run slice without events (stop requests, pacing) */

uint64_t machine_now(const struct machine *m)
{
    return (cpu_icount(m->cpu) + m->idle_insns) * m->ns_per_insn;
}

static void sync_clock(struct machine *m) { vclock_advance(&m->clock, machine_now(m)); }

static uint32_t bus_port_in(void *opaque, uint16_t port, unsigned size)
{
    struct machine *m = opaque;
    sync_clock(m);
    return iobus_read(&m->io, port, size);
}

static void bus_port_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct machine *m = opaque;
    sync_clock(m);
    iobus_write(&m->io, port, value, size);
}

static void request_stop(void *opaque)
{
    struct machine *m = opaque;
    cpu_request_stop(m->cpu);
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
    struct cpu_bus bus = {.port_in = bus_port_in, .port_out = bus_port_out, .intr_ack = NULL, .opaque = m};
    m->cpu = cpu_create(m->mem, &bus, cfg->model);
    if (!m->cpu) {
        snprintf(err, err_len, "cannot create the CPU");
        goto fail;
    }
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
        m->cpu->tsc_offset += skip;
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
        enum cpu_stop stop = cpu_run(m->cpu, slice);
        if (m->debug_exit.requested)
            return MACHINE_EXIT_DEBUG_EXIT;
        switch (stop) {
        case CPU_STOP_SHUTDOWN:
            return MACHINE_EXIT_SHUTDOWN;
        case CPU_STOP_HLT:
            /* With interrupts enabled an event can wake the CPU: skip to it. */
            if (!(m->cpu->eflags & F_IF) || !skip_to_next_event(m))
                return MACHINE_EXIT_HALT;
            break;
        case CPU_STOP_BUDGET:
        case CPU_STOP_REQUEST:
            break;
        }
    }
}
