/* The machine: physical memory, the port bus with its devices, and the CPU. */
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_state.h"
#include "cpu/seg.h"

static uint32_t bus_port_in(void *opaque, uint16_t port, unsigned size)
{
    struct machine *m = opaque;
    return iobus_read(&m->io, port, size);
}

static void bus_port_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct machine *m = opaque;
    iobus_write(&m->io, port, value, size);
}

static void request_stop(void *opaque)
{
    struct machine *m = opaque;
    cpu_request_stop(m->cpu);
}

struct machine *machine_create(const struct machine_config *cfg, char *err, size_t err_len)
{
    struct machine *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    iobus_init(&m->io);
    m->mem = physmem_create();
    if (!m->mem || !physmem_add_ram(m->mem, "ram", 0, cfg->ram_bytes, err, err_len))
        goto fail;
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
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, err_len, "%s: out of memory", path);
                return -1;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool read_error = ferror(f);
    fclose(f);
    const struct mem_region *ram = physmem_find(m->mem, 0);
    if (read_error || len == 0 || addr >= 0x100000 || !ram || addr + len > ram->size) {
        snprintf(err, err_len, "%s: %s", path,
                 read_error ? "read error" : len == 0 ? "empty file" :
                 addr >= 0x100000 ? "load address must be below 1 MiB for a real-mode start" :
                 "does not fit in RAM at that address");
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

enum machine_exit machine_run(struct machine *m, uint64_t max_insns)
{
    uint64_t start = cpu_icount(m->cpu);
    for (;;) {
        uint64_t used = cpu_icount(m->cpu) - start;
        if (used >= max_insns)
            return MACHINE_EXIT_BUDGET;
        enum cpu_stop stop = cpu_run(m->cpu, max_insns - used);
        if (m->debug_exit.requested)
            return MACHINE_EXIT_DEBUG_EXIT;
        switch (stop) {
        case CPU_STOP_SHUTDOWN: return MACHINE_EXIT_SHUTDOWN;
        case CPU_STOP_HLT:
            /* No device can raise an interrupt yet, so a halted CPU stays halted. */
            return MACHINE_EXIT_HALT;
        case CPU_STOP_BUDGET: return MACHINE_EXIT_BUDGET;
        case CPU_STOP_REQUEST: break;
        }
    }
}
