/* Shared harness of the IDE unit tests (ide_test.c, ide_busmaster_test.c): the
 * primary channel's register names, an IRQ sink counting edges, a rig with a
 * RAM region, disk images in a temporary directory and the bus-master block
 * mapped at 0xC000 (as the machine maps BAR4), and port and clock helpers. */
#ifndef RINGZERO_TESTS_IDE_TEST_RIG_H
#define RINGZERO_TESTS_IDE_TEST_RIG_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/ide.h"

#define P 0x1F0 /* primary command block */
#define DATA (P + 0)
#define ERR_FEAT (P + 1)
#define NSECT (P + 2)
#define LBAL (P + 3)
#define LBAM (P + 4)
#define LBAH (P + 5)
#define DEVSEL (P + 6)
#define STATCMD (P + 7)
#define ALT 0x3F6
#define BM 0xC000 /* where the test maps the bus-master block */

#define DISK_SECTORS 4096u

struct sink {
    bool level;
    unsigned edges;
};

static inline void sink_set(void *s, unsigned pin, bool level)
{
    (void)pin;
    struct sink *k = s;
    if (level && !k->level)
        k->edges++;
    k->level = level;
}

struct code_log {
    unsigned calls;
    uint64_t phys;
    unsigned len;
};

static inline void code_written(void *opaque, uint64_t phys, unsigned len)
{
    struct code_log *l = opaque;
    l->calls++;
    l->phys = phys;
    l->len = len;
}

struct rig {
    struct iobus bus;
    struct vclock clk;
    struct physmem *mem;
    struct ide_controller *ide;
    struct sink irq[2];
    struct blockdev bd[2];
    bool open[2];
    char dir[64], path[2][96];
    struct code_log code;
};

static inline uint8_t pattern(uint64_t sector, unsigned i) { return (uint8_t)(sector * 31 + i * 7 + (sector >> 8)); }

static inline void make_image(struct rig *r, unsigned n, uint64_t sectors, bool sparse)
{
    snprintf(r->path[n], sizeof r->path[n], "%s/disk%u.img", r->dir, n);
    FILE *f = fopen(r->path[n], "wb");
    ck_assert_ptr_nonnull(f);
    if (sparse) {
        ck_assert_int_eq(ftruncate(fileno(f), (off_t)(sectors * 512)), 0);
    } else {
        uint8_t sec[512];
        for (uint64_t s = 0; s < sectors; s++) {
            for (unsigned i = 0; i < 512; i++)
                sec[i] = pattern(s, i);
            fwrite(sec, 1, 512, f);
        }
    }
    fclose(f);
}

static inline void open_disk(struct rig *r, unsigned n, enum blockdev_mode mode, unsigned channel, unsigned unit)
{
    char err[256];
    ck_assert_msg(blockdev_open(&r->bd[n], r->path[n], mode, err, sizeof err) == 0, "%s", err);
    r->open[n] = true;
    ck_assert_msg(ide_attach_disk(r->ide, channel, unit, &r->bd[n], err, sizeof err) == 0, "%s", err);
}

static inline struct rig *rig_new_bare(void)
{
    struct rig *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    r->ide = calloc(1, sizeof *r->ide);
    ck_assert_ptr_nonnull(r->ide);
    char err[256];
    iobus_init(&r->bus);
    vclock_init(&r->clk);
    vclock_advance(&r->clk, 1000);
    r->mem = physmem_create();
    ck_assert_ptr_nonnull(r->mem);
    ck_assert_ptr_nonnull(physmem_add_ram(r->mem, "ram", 0, 0x200000, err, sizeof err));
    r->mem->code_written = code_written;
    r->mem->listener = &r->code;
    struct irq_line l14 = {.set_level = sink_set, .sink = &r->irq[0], .pin = 14};
    struct irq_line l15 = {.set_level = sink_set, .sink = &r->irq[1], .pin = 15};
    ck_assert_msg(ide_init(r->ide, &r->bus, &r->clk, r->mem, &l14, &l15, err, sizeof err) == 0, "%s", err);
    struct io_region bm = ide_busmaster_region(&r->ide->bm, BM);
    ck_assert_msg(iobus_register(&r->bus, &bm, err, sizeof err) == 0, "%s", err);
    snprintf(r->dir, sizeof r->dir, "/tmp/rz-ide-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(r->dir));
    return r;
}

/* One disk of DISK_SECTORS as primary master. */
static inline struct rig *rig_new(void)
{
    struct rig *r = rig_new_bare();
    make_image(r, 0, DISK_SECTORS, false);
    open_disk(r, 0, BLOCKDEV_READ_WRITE, 0, 0);
    return r;
}

static inline void rig_free(struct rig *r)
{
    for (unsigned n = 0; n < 2; n++) {
        if (r->open[n])
            blockdev_close(&r->bd[n]);
        if (r->path[n][0])
            unlink(r->path[n]);
    }
    rmdir(r->dir);
    physmem_destroy(r->mem);
    free(r->ide);
    free(r);
}

static inline uint8_t in(struct rig *r, uint16_t port) { return (uint8_t)iobus_read(&r->bus, port, 1); }
static inline uint16_t inw(struct rig *r, uint16_t port) { return (uint16_t)iobus_read(&r->bus, port, 2); }
static inline uint32_t inl(struct rig *r, uint16_t port) { return iobus_read(&r->bus, port, 4); }
static inline void out(struct rig *r, uint16_t port, uint8_t v) { iobus_write(&r->bus, port, v, 1); }
static inline void outw(struct rig *r, uint16_t port, uint16_t v) { iobus_write(&r->bus, port, v, 2); }
static inline void outl(struct rig *r, uint16_t port, uint32_t v) { iobus_write(&r->bus, port, v, 4); }
/* Moves time on event by event, as the machine's loop does. */
static inline void advance(struct rig *r, uint64_t ns)
{
    uint64_t end = r->clk.now + ns;
    for (uint64_t d; (d = vclock_next_deadline(&r->clk)) <= end;)
        vclock_advance(&r->clk, d > r->clk.now ? d : r->clk.now);
    vclock_advance(&r->clk, end);
}

/* Polls the alternate status (no acknowledge) until BSY clears, as a guest would. */
static inline uint8_t wait_ready(struct rig *r, uint16_t alt)
{
    for (int i = 0; i < 100000; i++) {
        uint8_t st = in(r, alt);
        if (!(st & IDE_ST_BSY))
            return st;
        advance(r, 250);
    }
    ck_abort_msg("drive stayed busy");
    return 0xFF;
}

#endif
