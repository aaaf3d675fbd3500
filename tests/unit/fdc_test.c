/* fdc_test.c - Check suites for the 82077AA floppy controller (devices/fdc.c),
 * driven through ports 0x3F0-0x3F7, IRQ 6, the virtual clock, and DMA channel
 * 2 of a dma8237 into a physmem RAM buffer, with raw images in /tmp. */
#include "devices/fdc.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000ull
#define SIZE_144 1474560u

struct fx {
    struct iobus bus;
    struct vclock clk;
    struct physmem *pm;
    struct dma8237 dma;
    struct fdc fdc;
    struct blockdev bd;
    bool bd_open;
    char dir[64], path[128];
    bool irq;
    unsigned irq_rises;
};

static void irq_sink(void *sink, unsigned pin, bool level)
{
    (void)pin;
    struct fx *f = sink;
    if (level && !f->irq)
        f->irq_rises++;
    f->irq = level;
}

static void outb(struct fx *f, uint16_t port, uint8_t v) { iobus_write(&f->bus, port, v, 1); }
static uint8_t inb(struct fx *f, uint16_t port) { return (uint8_t)iobus_read(&f->bus, port, 1); }
static uint8_t msr(struct fx *f) { return inb(f, 0x3F4); }
static void advance(struct fx *f, uint64_t ns) { vclock_advance(&f->clk, f->clk.now + ns); }

static uint8_t img_byte(uint64_t off) { return (uint8_t)((off >> 9) * 37 + off * 11 + (off >> 13)); }
static uint64_t chs(unsigned c, unsigned h, unsigned r) { return ((c * 2u + h) * 18u + r - 1u) * 512u; }

static struct fx *fx_new(void)
{
    char err[256];
    struct fx *f = calloc(1, sizeof *f);
    ck_assert_ptr_nonnull(f);
    iobus_init(&f->bus);
    vclock_init(&f->clk);
    f->pm = physmem_create();
    ck_assert_ptr_nonnull(physmem_add_ram(f->pm, "ram", 0, 0x100000, err, sizeof err));
    ck_assert_msg(dma8237_attach(&f->dma, &f->bus, f->pm, err, sizeof err) == 0, "%s", err);
    struct irq_line irq = {.set_level = irq_sink, .sink = f, .pin = 6};
    ck_assert_msg(fdc_attach(&f->fdc, &f->bus, &f->clk, &irq, &f->dma, err, sizeof err) == 0, "%s", err);
    outb(f, 0xD6, 0xC0); /* the BIOS's DMA setup: channel 4 cascades */
    outb(f, 0xD4, 0x00);
    return f;
}

/* Writes an image of `size` bytes (the test pattern) and inserts it in drive 0. */
static int fx_image(struct fx *f, unsigned drive, uint32_t size, enum blockdev_mode mode)
{
    char err[512];
    if (!f->dir[0]) {
        snprintf(f->dir, sizeof f->dir, "/tmp/rz-fdc-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(f->dir));
    }
    snprintf(f->path, sizeof f->path, "%s/disk.img", f->dir);
    FILE *fp = fopen(f->path, "wb");
    ck_assert_ptr_nonnull(fp);
    static uint8_t buf[4096];
    for (uint32_t off = 0; off < size; off += sizeof buf) {
        for (unsigned i = 0; i < sizeof buf; i++)
            buf[i] = img_byte(off + i);
        fwrite(buf, 1, size - off < sizeof buf ? size - off : sizeof buf, fp);
    }
    fclose(fp);
    if (f->bd_open)
        blockdev_close(&f->bd);
    ck_assert_int_eq(blockdev_open(&f->bd, f->path, mode, err, sizeof err), 0);
    f->bd_open = true;
    return fdc_insert(&f->fdc, drive, &f->bd, err, sizeof err);
}

static void fx_free(struct fx *f)
{
    if (f->bd_open)
        blockdev_close(&f->bd);
    if (f->path[0])
        unlink(f->path);
    if (f->dir[0])
        rmdir(f->dir);
    physmem_destroy(f->pm);
    free(f);
}

static uint8_t file_byte(struct fx *f, uint64_t off)
{
    FILE *fp = fopen(f->path, "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, (long)off, SEEK_SET);
    int c = fgetc(fp);
    fclose(fp);
    return (uint8_t)c;
}

/* Advances in 100 us steps until IRQ 6 is high; returns the time taken or UINT64_MAX. */
static uint64_t wait_irq(struct fx *f, uint64_t max)
{
    uint64_t start = f->clk.now;
    while (!f->irq) {
        if (f->clk.now - start >= max)
            return UINT64_MAX;
        advance(f, 100000);
    }
    return f->clk.now - start;
}

static void cmd(struct fx *f, unsigned n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++) {
        ck_assert_msg((msr(f) & 0xC0) == 0x80, "MSR %02x before command byte %u", msr(f), i);
        outb(f, 0x3F5, (uint8_t)va_arg(ap, int));
    }
    va_end(ap);
}

static unsigned result(struct fx *f, uint8_t *out, unsigned max)
{
    unsigned n = 0;
    while ((msr(f) & 0xD0) == 0xD0 && n < max)
        out[n++] = inb(f, 0x3F5);
    ck_assert_uint_eq(msr(f) & 0xF0, 0x80);
    return n;
}

static void sense(struct fx *f, uint8_t st0, uint8_t pcn)
{
    uint8_t r[2];
    cmd(f, 1, 0x08);
    ck_assert_uint_eq(result(f, r, 2), 2);
    ck_assert_uint_eq(r[0], st0);
    ck_assert_uint_eq(r[1], pcn);
}

/* DOR reset, then the polling interrupt and its four sense interrupts. */
static void reset_and_sense(struct fx *f)
{
    outb(f, 0x3F2, 0x18);
    outb(f, 0x3F2, 0x1C);
    ck_assert(wait_irq(f, 5 * MS) != UINT64_MAX);
    for (unsigned d = 0; d < 4; d++)
        sense(f, (uint8_t)(0xC0 | d), 0);
}

/* Controller up with drive 0's motor on, 500 kbps, SRT 6 ms (as SeaBIOS). */
static void fdc_up(struct fx *f)
{
    reset_and_sense(f);
    cmd(f, 3, 0x03, 0xAF, 0x02);
    outb(f, 0x3F7, 0x00);
}

static void seek(struct fx *f, unsigned head, unsigned cyl)
{
    cmd(f, 3, 0x0F, head << 2, cyl);
    ck_assert(wait_irq(f, 2000 * MS) != UINT64_MAX);
    sense(f, 0x20, (uint8_t)cyl);
}

/* DMA channel 2 for len bytes at addr, as SeaBIOS programs it. */
static void dma_setup(struct fx *f, uint32_t addr, unsigned len, bool to_memory)
{
    outb(f, 0x0A, 0x06);
    outb(f, 0x0C, 0);
    outb(f, 0x04, (uint8_t)addr);
    outb(f, 0x04, (uint8_t)(addr >> 8));
    outb(f, 0x0C, 0);
    outb(f, 0x05, (uint8_t)(len - 1));
    outb(f, 0x05, (uint8_t)((len - 1) >> 8));
    outb(f, 0x0B, to_memory ? 0x46 : 0x4A);
    outb(f, 0x81, (uint8_t)(addr >> 16));
    outb(f, 0x0A, 0x02);
}

/* A 9-byte data command; waits for its interrupt and reads the 7 result bytes. */
static void rw(struct fx *f, uint8_t op, uint8_t hds, uint8_t c, uint8_t h, uint8_t r, uint8_t eot, uint8_t res[7])
{
    cmd(f, 9, op, hds, c, h, r, 2, eot, 0x1B, 0xFF);
    ck_assert_uint_eq(msr(f) & 0xF0, 0x10); /* execution: busy, no RQM */
    ck_assert(wait_irq(f, 3000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, res, 7), 7);
    ck_assert(!f->irq); /* the first result byte cleared INT */
}

static void check_ram(struct fx *f, uint32_t addr, uint64_t off, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        ck_assert_msg(physmem_read(f->pm, addr + i, 1) == img_byte(off + i), "RAM %x != image %llx", addr + i,
                      (unsigned long long)(off + i));
}

#define RES(r, a, b, c_, d, e, g, h_)                                                                         \
    do {                                                                                                      \
        const uint8_t want_[7] = {a, b, c_, d, e, g, h_};                                                     \
        ck_assert_mem_eq(r, want_, 7);                                                                        \
    } while (0)

START_TEST(test_reset_sequence)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    ck_assert_uint_eq(msr(f), 0x00);     /* power-on: DOR = 0 holds the controller in reset */
    ck_assert_uint_eq(inb(f, 0x3F2), 0);
    outb(f, 0x3F5, 0x10);                /* ignored while in reset */
    outb(f, 0x3F2, 0x04);                /* reset released, DMA gate off */
    ck_assert_uint_eq(msr(f), 0x80);
    ck_assert(wait_irq(f, 5 * MS) == UINT64_MAX); /* INT is pending but not driven */
    outb(f, 0x3F2, 0x0C);
    ck_assert(f->irq);
    outb(f, 0x3F2, 0x04);
    ck_assert(!f->irq);
    outb(f, 0x3F2, 0x0C);
    sense(f, 0xC0, 0);
    ck_assert(!f->irq); /* one interrupt for the polling, cleared by the first sense */
    sense(f, 0xC1, 0);
    sense(f, 0xC2, 0);
    sense(f, 0xC3, 0);
    uint8_t r[2];
    cmd(f, 1, 0x08); /* nothing left: invalid */
    ck_assert_uint_eq(result(f, r, 2), 1);
    ck_assert_uint_eq(r[0], 0x80);
    /* DSR software reset */
    outb(f, 0x3F4, 0x80);
    ck_assert(wait_irq(f, 5 * MS) != UINT64_MAX);
    sense(f, 0xC0, 0);
    /* a reset in the middle of a command's parameters drops it */
    cmd(f, 1, 0x03);
    ck_assert_uint_eq(msr(f), 0x90);
    outb(f, 0x3F2, 0x08);
    ck_assert_uint_eq(msr(f), 0x00);
    ck_assert(!f->irq);
    outb(f, 0x3F2, 0x0C);
    ck_assert(wait_irq(f, 5 * MS) != UINT64_MAX);
    ck_assert_uint_eq(msr(f), 0x80);
    sense(f, 0xC0, 0);
    ck_assert_uint_eq(f->irq_rises, 4);
    fx_free(f);
}
END_TEST

START_TEST(test_version_dumpreg_configure_lock)
{
    struct fx *f = fx_new();
    fdc_up(f);
    uint8_t r[10];
    cmd(f, 1, 0x10);
    ck_assert_uint_eq(result(f, r, 10), 1);
    ck_assert_uint_eq(r[0], 0x90);
    cmd(f, 4, 0x13, 0x00, 0x57, 0x20);   /* EIS, FIFO on, polling off, threshold 8, PRETRK 32 */
    cmd(f, 2, 0x12, 0x86);               /* perpendicular: OW, drive 0, GAP */
    cmd(f, 1, 0x0E);
    ck_assert_uint_eq(result(f, r, 10), 10);
    const uint8_t want[10] = {0, 0, 0, 0, 0xAF, 0x02, 0, 0x06, 0x57, 0x20};
    ck_assert_mem_eq(r, want, 10);
    cmd(f, 1, 0x94);                     /* LOCK */
    ck_assert_uint_eq(result(f, r, 10), 1);
    ck_assert_uint_eq(r[0], 0x10);
    reset_and_sense(f);                  /* locked: EFIFO, FIFOTHR, PRETRK survive */
    cmd(f, 1, 0x0E);
    ck_assert_uint_eq(result(f, r, 10), 10);
    const uint8_t locked[10] = {0, 0, 0, 0, 0xAF, 0x02, 0, 0x84, 0x07, 0x20};
    ck_assert_mem_eq(r, locked, 10);
    cmd(f, 1, 0x14);                     /* unlock */
    ck_assert_uint_eq(result(f, r, 10), 1);
    ck_assert_uint_eq(r[0], 0x00);
    reset_and_sense(f);
    cmd(f, 1, 0x0E);
    ck_assert_uint_eq(result(f, r, 10), 10);
    ck_assert_uint_eq(r[7], 0x04);
    ck_assert_uint_eq(r[8], 0x20);
    ck_assert_uint_eq(r[9], 0x00);
    const uint8_t invalid[] = {0x18, 0x83, 0x90, 0x25, 0xAA, 0x1F, 0x00};
    for (unsigned i = 0; i < sizeof invalid; i++) {
        cmd(f, 1, invalid[i]);
        ck_assert_uint_eq(result(f, r, 10), 1);
        ck_assert_uint_eq(r[0], 0x80);
    }
    ck_assert(!f->irq);
    fx_free(f);
}
END_TEST

START_TEST(test_seek_recalibrate)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    cmd(f, 3, 0x0F, 0x00, 10);
    ck_assert_uint_eq(msr(f), 0x81);         /* free for commands, drive 0 busy */
    advance(f, 55 * MS);                     /* 10 steps of 6 ms */
    ck_assert(!f->irq);
    ck_assert(wait_irq(f, 10 * MS) != UINT64_MAX);
    ck_assert_uint_eq(msr(f), 0x80);
    sense(f, 0x20, 10);
    uint8_t r[2];
    cmd(f, 2, 0x04, 0x00);                   /* SENSE DRIVE STATUS */
    ck_assert_uint_eq(result(f, r, 2), 1);
    ck_assert_uint_eq(r[0], 0x28);
    cmd(f, 2, 0x07, 0x00);
    ck_assert(wait_irq(f, 100 * MS) != UINT64_MAX);
    sense(f, 0x20, 0);
    cmd(f, 2, 0x04, 0x04);
    ck_assert_uint_eq(result(f, r, 2), 1);
    ck_assert_uint_eq(r[0], 0x3C);           /* track 0, head 1 */
    cmd(f, 3, 0xCF, 0x00, 5);                /* relative seek in */
    ck_assert(wait_irq(f, 100 * MS) != UINT64_MAX);
    sense(f, 0x20, 5);
    cmd(f, 3, 0x8F, 0x00, 7);                /* relative seek out past track 0 */
    ck_assert(wait_irq(f, 100 * MS) != UINT64_MAX);
    sense(f, 0x70, 0xFE);
    cmd(f, 2, 0x04, 0x00);
    ck_assert_uint_eq(result(f, r, 2), 1);
    ck_assert_uint_eq(r[0] & 0x10, 0x10);
    /* two drives' seeks: each interrupt sensed in turn */
    cmd(f, 2, 0x07, 0x00);
    ck_assert(wait_irq(f, 100 * MS) != UINT64_MAX);
    sense(f, 0x20, 0);
    cmd(f, 3, 0x0F, 0x00, 2);
    cmd(f, 3, 0x0F, 0x01, 3);
    ck_assert_uint_eq(msr(f), 0x83);
    ck_assert(wait_irq(f, 100 * MS) != UINT64_MAX);
    advance(f, 50 * MS);
    sense(f, 0x20, 2);
    ck_assert(f->irq);                       /* the second status raises INT again */
    sense(f, 0x21, 3);
    ck_assert(!f->irq);
    /* recalibrate with no drive selected: no TRK0 after 79 steps */
    outb(f, 0x3F2, 0x1D);
    cmd(f, 2, 0x07, 0x01);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    sense(f, 0x71, 0);
    fx_free(f);
}
END_TEST

START_TEST(test_read_dma)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    uint8_t r[7];
    /* four sectors of track 0, ended by TC */
    dma_setup(f, 0x10000, 4 * 512, true);
    uint64_t t0 = f->clk.now;
    rw(f, 0xE6, 0x00, 0, 0, 1, 18, r);
    RES(r, 0x00, 0x00, 0x00, 0, 0, 5, 2);
    ck_assert_uint_ge(f->clk.now - t0, 4 * 200 * MS / 18); /* four sectors passed the head */
    check_ram(f, 0x10000, chs(0, 0, 1), 4 * 512);
    ck_assert_uint_eq(physmem_read(f->pm, 0x10000 + 4 * 512, 1), 0);
    ck_assert_uint_eq(inb(f, 0x08) & 0x04, 0x04); /* TC of channel 2 */
    /* multi-track across the heads of cylinder 3 */
    seek(f, 0, 3);
    dma_setup(f, 0x20000, 4 * 512, true);
    rw(f, 0xE6, 0x00, 3, 0, 17, 18, r);
    RES(r, 0x04, 0x00, 0x00, 3, 1, 3, 2);
    check_ram(f, 0x20000, chs(3, 0, 17), 2 * 512);
    check_ram(f, 0x20400, chs(3, 1, 1), 2 * 512);
    /* TC with the last sector of the track: C + 1, R = 1 (Table 5-6) */
    dma_setup(f, 0x30000, 2 * 512, true);
    rw(f, 0x46, 0x04, 3, 1, 17, 18, r);
    RES(r, 0x04, 0x00, 0x00, 4, 1, 1, 2);
    check_ram(f, 0x30000, chs(3, 1, 17), 1024);
    /* MT, TC at EOT of side 0: H complemented, C unchanged */
    dma_setup(f, 0x30000, 512, true);
    rw(f, 0xC6, 0x00, 3, 0, 18, 18, r);
    RES(r, 0x00, 0x00, 0x00, 3, 1, 1, 2);
    /* a DMA buffer crossing a 64 KiB page wraps like the hardware */
    dma_setup(f, 0x4FF00, 512, true);
    rw(f, 0x46, 0x00, 3, 0, 1, 18, r);
    RES(r, 0x00, 0x00, 0x00, 3, 0, 2, 2);
    check_ram(f, 0x4FF00, chs(3, 0, 1), 256);
    check_ram(f, 0x40000, chs(3, 0, 1) + 256, 256);
    fx_free(f);
}
END_TEST

START_TEST(test_write_dma)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    seek(f, 1, 1);
    for (unsigned i = 0; i < 1024; i++)
        physmem_write(f->pm, 0x8000 + i, (uint8_t)(i ^ 0xA5), 1);
    uint8_t r[7];
    dma_setup(f, 0x8000, 1024, false);
    rw(f, 0xC5, 0x04, 1, 1, 5, 18, r);
    RES(r, 0x04, 0x00, 0x00, 1, 1, 7, 2);
    for (unsigned i = 0; i < 1024; i += 97)
        ck_assert_uint_eq(file_byte(f, chs(1, 1, 5) + i), (uint8_t)(i ^ 0xA5));
    ck_assert_uint_eq(file_byte(f, chs(1, 1, 7)), img_byte(chs(1, 1, 7)));
    ck_assert_uint_eq(file_byte(f, chs(1, 1, 4) + 511), img_byte(chs(1, 1, 4) + 511));
    /* read back through the controller */
    dma_setup(f, 0x9000, 1024, true);
    rw(f, 0x46, 0x04, 1, 1, 5, 6, r);
    RES(r, 0x04, 0x00, 0x00, 2, 1, 1, 2);
    for (unsigned i = 0; i < 1024; i++)
        ck_assert_uint_eq(physmem_read(f->pm, 0x9000 + i, 1), (uint8_t)(i ^ 0xA5));
    /* TC inside a sector: the rest of it is written as zeros */
    dma_setup(f, 0x8000, 100, false);
    rw(f, 0x45, 0x04, 1, 1, 9, 18, r);
    RES(r, 0x04, 0x00, 0x00, 1, 1, 10, 2);
    ck_assert_uint_eq(file_byte(f, chs(1, 1, 9) + 99), (uint8_t)(99 ^ 0xA5));
    ck_assert_uint_eq(file_byte(f, chs(1, 1, 9) + 100), 0);
    ck_assert_uint_eq(file_byte(f, chs(1, 1, 9) + 511), 0);
    fx_free(f);
}
END_TEST

START_TEST(test_write_protect)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_ONLY), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    uint8_t r[7];
    cmd(f, 2, 0x04, 0x00);
    ck_assert_uint_eq(result(f, r, 7), 1);
    ck_assert_uint_eq(r[0], 0x78); /* WP, track 0 */
    dma_setup(f, 0x8000, 512, false);
    rw(f, 0xC5, 0x00, 0, 0, 1, 18, r);
    RES(r, 0x40, 0x02, 0x00, 0, 0, 1, 2);
    ck_assert_uint_eq(file_byte(f, 0), img_byte(0));
    cmd(f, 6, 0x4D, 0x00, 2, 18, 0x54, 0xF6); /* FORMAT too */
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x40);
    ck_assert_uint_eq(r[1], 0x02);
    dma_setup(f, 0x8000, 512, true); /* reading works */
    rw(f, 0x46, 0x00, 0, 0, 1, 1, r);
    RES(r, 0x00, 0x00, 0x00, 1, 0, 1, 2);
    fx_free(f);
}
END_TEST

START_TEST(test_errors)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    uint8_t r[7];
    /* no sector 19: ND after two index pulses */
    dma_setup(f, 0x8000, 512, true);
    uint64_t t0 = f->clk.now;
    rw(f, 0x46, 0x00, 0, 0, 19, 19, r);
    RES(r, 0x40, 0x04, 0x00, 0, 0, 19, 2);
    ck_assert_uint_ge(f->clk.now - t0, 400 * MS);
    /* the head is on cylinder 0, the command names 5: ND and wrong cylinder */
    rw(f, 0x46, 0x00, 5, 0, 1, 18, r);
    RES(r, 0x40, 0x04, 0x10, 5, 0, 1, 2);
    /* N = 3 matches no ID */
    cmd(f, 9, 0x46, 0x00, 0, 0, 1, 3, 18, 0x1B, 0xFF);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[1], 0x04);
    /* end of cylinder without TC: two sectors read, then EN */
    dma_setup(f, 0x10000, 3 * 512, true);
    rw(f, 0x46, 0x00, 0, 0, 17, 18, r);
    RES(r, 0x40, 0x80, 0x00, 1, 0, 1, 2);
    check_ram(f, 0x10000, chs(0, 0, 17), 1024);
    ck_assert_uint_eq(physmem_read(f->pm, 0x10400, 1), 0);
    /* wrong data rate (250 kbps for a 1.44M disk), and FM: no address marks */
    outb(f, 0x3F7, 0x02);
    dma_setup(f, 0x8000, 512, true);
    rw(f, 0x46, 0x00, 0, 0, 1, 18, r);
    RES(r, 0x40, 0x01, 0x00, 0, 0, 1, 2);
    outb(f, 0x3F4, 0x00); /* DSR sets the rate too */
    rw(f, 0x06, 0x00, 0, 0, 1, 18, r);
    ck_assert_uint_eq(r[1], 0x01);
    /* DMA channel masked: the data request is never served */
    outb(f, 0x0A, 0x06);
    rw(f, 0x46, 0x00, 0, 0, 1, 18, r);
    RES(r, 0x40, 0x10, 0x00, 0, 0, 1, 2);
    /* DMA gate off in the DOR: no DRQ (overrun), and no IRQ until the gate opens */
    dma_setup(f, 0x8000, 512, true);
    outb(f, 0x3F2, 0x14);
    cmd(f, 9, 0x46, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF);
    ck_assert(wait_irq(f, 1000 * MS) == UINT64_MAX);
    ck_assert_uint_eq(msr(f) & 0xD0, 0xD0);
    outb(f, 0x3F2, 0x1C);
    ck_assert(f->irq);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[1], 0x10);
    /* past the last cylinder of the medium: nothing formatted there */
    seek(f, 0, 82);
    cmd(f, 2, 0x4A, 0x00);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x40);
    ck_assert_uint_eq(r[1], 0x01);
    fx_free(f);
}
END_TEST

START_TEST(test_read_id)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    seek(f, 1, 5);
    uint8_t r[7], r2[7];
    cmd(f, 2, 0x4A, 0x04);
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x04);
    ck_assert_uint_eq(r[1], 0);
    ck_assert_uint_eq(r[2], 0);
    ck_assert_uint_eq(r[3], 5);
    ck_assert_uint_eq(r[4], 1);
    ck_assert(r[5] >= 1 && r[5] <= 18);
    ck_assert_uint_eq(r[6], 2);
    cmd(f, 2, 0x4A, 0x04); /* the next ID under the head */
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r2, 7), 7);
    ck_assert_uint_eq(r2[5], r[5] % 18 + 1);
    outb(f, 0x3F7, 0x03); /* 1 Mbps: nothing readable */
    cmd(f, 2, 0x4A, 0x00);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x40);
    ck_assert_uint_eq(r[1], 0x01);
    fx_free(f);
}
END_TEST

START_TEST(test_disk_change)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    ck_assert_uint_eq(inb(f, 0x3F7), 0xFF); /* changed since power-on; bits 6-0 not driven */
    cmd(f, 2, 0x07, 0x00);                  /* already on track 0: no step pulse */
    ck_assert(wait_irq(f, 10 * MS) != UINT64_MAX);
    sense(f, 0x20, 0);
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x80);
    seek(f, 0, 0);                          /* no movement either */
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x80);
    seek(f, 0, 1);
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x00);
    fdc_eject(&f->fdc, 0);
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x80);
    seek(f, 0, 3); /* steps without a disk leave it set */
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x80);
    ck_assert_int_eq(fdc_insert(&f->fdc, 0, &f->bd, (char[64]){0}, 64), 0);
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x80);
    seek(f, 0, 2);
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x00);
    outb(f, 0x3F2, 0x1D); /* drive 1: nothing connected */
    ck_assert_uint_eq(inb(f, 0x3F7) & 0x80, 0x00);
    fx_free(f);
}
END_TEST

START_TEST(test_no_disk_motor_off)
{
    struct fx *f = fx_new();
    fdc_set_drive_type(&f->fdc, 0, FDC_DRIVE_1_44M);
    ck_assert_uint_eq(fdc_cmos_type(&f->fdc, 0), 4);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    uint8_t r[7];
    cmd(f, 2, 0x04, 0x00);
    ck_assert_uint_eq(result(f, r, 7), 1);
    ck_assert_uint_eq(r[0], 0x78); /* an empty 3.5" drive reports write-protect */
    cmd(f, 2, 0x4A, 0x00);         /* no disk: no index pulse, the command never ends */
    ck_assert(wait_irq(f, 3000 * MS) == UINT64_MAX);
    ck_assert_uint_eq(msr(f), 0x10);
    reset_and_sense(f);            /* the driver's way out */
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    outb(f, 0x3F7, 0x00);
    outb(f, 0x3F2, 0x0C);          /* motor off */
    cmd(f, 2, 0x4A, 0x00);
    ck_assert(wait_irq(f, 1000 * MS) == UINT64_MAX);
    outb(f, 0x3F2, 0x1C);          /* motor on: the disk turns, the ID is found */
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x00);
    fx_free(f);
}
END_TEST

START_TEST(test_non_dma)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    cmd(f, 3, 0x03, 0xAF, 0x03); /* ND: non-DMA mode */
    cmd(f, 9, 0x46, 0x00, 0, 0, 1, 2, 2, 0x1B, 0xFF);
    for (unsigned i = 0; i < 1024; i++) {
        ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
        ck_assert_uint_eq(msr(f), 0xF0);
        ck_assert_uint_eq(inb(f, 0x3F5), img_byte(i));
    }
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    uint8_t r[7];
    ck_assert_uint_eq(result(f, r, 7), 7);
    RES(r, 0x40, 0x80, 0x00, 1, 0, 1, 2); /* no TC in non-DMA mode: ends at EOT */
    cmd(f, 9, 0x45, 0x00, 0, 0, 3, 2, 3, 0x1B, 0xFF);
    for (unsigned i = 0; i < 512; i++) {
        ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
        ck_assert_uint_eq(msr(f), 0xB0);
        outb(f, 0x3F5, (uint8_t)(255 - i));
    }
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    RES(r, 0x40, 0x80, 0x00, 1, 0, 1, 2);
    ck_assert_uint_eq(file_byte(f, chs(0, 0, 3)), 255);
    ck_assert_uint_eq(file_byte(f, chs(0, 0, 3) + 511), 0);
    /* FORMAT takes its IDs through the FIFO */
    cmd(f, 6, 0x4D, 0x04, 2, 2, 0x54, 0x6B);
    const uint8_t ids[8] = {0, 1, 1, 2, 0, 1, 2, 2};
    for (unsigned i = 0; i < 8; i++) {
        ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
        ck_assert_uint_eq(msr(f), 0xB0);
        outb(f, 0x3F5, ids[i]);
    }
    ck_assert(wait_irq(f, 500 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x04);
    ck_assert_uint_eq(file_byte(f, chs(0, 1, 1)), 0x6B);
    ck_assert_uint_eq(file_byte(f, chs(0, 1, 2) + 511), 0x6B);
    ck_assert_uint_eq(file_byte(f, chs(0, 1, 3)), img_byte(chs(0, 1, 3)));
    fx_free(f);
}
END_TEST

START_TEST(test_format_verify)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    seek(f, 0, 2);
    for (unsigned s = 0; s < 18; s++) {
        const uint8_t id[4] = {2, 0, (uint8_t)(s + 1), 2};
        physmem_write_block(f->pm, 0x6000 + s * 4, id, 4);
    }
    dma_setup(f, 0x6000, 18 * 4, false);
    cmd(f, 6, 0x4D, 0x00, 2, 18, 0x54, 0xE5);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    uint8_t r[7];
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x00);
    ck_assert_uint_eq(r[1], 0x00);
    for (unsigned s = 1; s <= 18; s++)
        ck_assert_uint_eq(file_byte(f, chs(2, 0, s) + 300), 0xE5);
    ck_assert_uint_eq(file_byte(f, chs(2, 1, 1)), img_byte(chs(2, 1, 1)));
    cmd(f, 1, 0x0E); /* DUMPREG shows SC after a FORMAT */
    uint8_t d[10];
    ck_assert_uint_eq(result(f, d, 10), 10);
    ck_assert_uint_eq(d[6], 18);
    ck_assert_uint_eq(d[0], 2); /* PCN of drive 0 */
    /* VERIFY with EC: SC sectors, no data transfer */
    cmd(f, 9, 0x56, 0x80, 2, 0, 1, 2, 18, 0x1B, 3);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    RES(r, 0x00, 0x00, 0x00, 2, 0, 4, 2);
    /* without EC it stops at EOT */
    cmd(f, 9, 0x56, 0x00, 2, 0, 3, 2, 5, 0x1B, 0xFF);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    RES(r, 0x00, 0x00, 0x00, 3, 0, 1, 2);
    /* EC with more sectors than the track holds: EN */
    cmd(f, 9, 0x56, 0x80, 2, 0, 17, 2, 18, 0x1B, 5);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    RES(r, 0x40, 0x80, 0x00, 3, 0, 1, 2);
    fx_free(f);
}
END_TEST

START_TEST(test_geometries)
{
    static const struct {
        uint32_t size;
        unsigned type;
    } sizes[] = {{368640, 1}, {1228800, 2}, {737280, 3}, {1474560, 4}, {1720320, 4}, {2949120, 5}, {163840, 1}};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct fx *f = fx_new();
        ck_assert_uint_eq(fdc_cmos_type(&f->fdc, 0), 0);
        ck_assert_int_eq(fx_image(f, 0, sizes[i].size, BLOCKDEV_SNAPSHOT), 0);
        ck_assert_uint_eq(fdc_cmos_type(&f->fdc, 0), sizes[i].type);
        ck_assert_uint_eq(fdc_cmos_type(&f->fdc, 1), 0);
        fx_free(f);
    }
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, 1000000, BLOCKDEV_SNAPSHOT), -1); /* not a diskette size */
    fdc_set_drive_type(&f->fdc, 1, FDC_DRIVE_360K);
    ck_assert_int_eq(fx_image(f, 1, SIZE_144, BLOCKDEV_SNAPSHOT), -1); /* 3.5" into 5.25" */
    /* a 2.88M disk in its drive at 1 Mbps, read on its last cylinder */
    ck_assert_int_eq(fx_image(f, 0, 2949120, BLOCKDEV_SNAPSHOT), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    outb(f, 0x3F7, 0x03);
    seek(f, 0, 79);
    uint8_t r[7];
    dma_setup(f, 0x8000, 512, true);
    rw(f, 0x46, 0x04, 79, 1, 36, 36, r);
    RES(r, 0x04, 0x00, 0x00, 80, 1, 1, 2);
    check_ram(f, 0x8000, 2949120 - 512, 512);
    /* a 360K disk in a 1.2M drive: 300 kbps, double stepping */
    fdc_set_drive_type(&f->fdc, 0, FDC_DRIVE_1_2M);
    ck_assert_int_eq(fx_image(f, 0, 368640, BLOCKDEV_SNAPSHOT), 0);
    outb(f, 0x3F7, 0x01);
    cmd(f, 2, 0x07, 0x00); /* a new drive: where is its head? */
    ck_assert(wait_irq(f, 2000 * MS) != UINT64_MAX);
    sense(f, 0x20, 0);
    seek(f, 0, 8);
    cmd(f, 2, 0x4A, 0x00);
    ck_assert(wait_irq(f, 300 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0], 0x00);
    ck_assert_uint_eq(r[3], 4);
    fx_free(f);
}
END_TEST

START_TEST(test_ps2_registers)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_ONLY), 0);
    ck_assert_uint_eq(inb(f, 0x3F0), 0xFF); /* PC-AT mode: not driven */
    ck_assert_uint_eq(inb(f, 0x3F1), 0xFF);
    f->fdc.ps2_mode = true;
    outb(f, 0x3F2, 0x1C);
    ck_assert(wait_irq(f, 5 * MS) != UINT64_MAX);
    uint8_t sra = inb(f, 0x3F0);
    ck_assert_uint_eq(sra & 0x80, 0x80); /* INT pending */
    ck_assert_uint_eq(sra & 0x40, 0x40); /* nDRV2: no second drive */
    ck_assert_uint_eq(sra & 0x10, 0x00); /* nTRK0: on track 0 */
    ck_assert_uint_eq(sra & 0x02, 0x00); /* nWP: protected */
    ck_assert_uint_eq(inb(f, 0x3F1), 0xC1); /* motor 0 on, drive 0 selected */
    outb(f, 0x3F7, 0x02);
    ck_assert_uint_eq(inb(f, 0x3F7), 0x80 | 0x78 | 0x04 | 0x01); /* changed, 250 kbps, not high density */
    outb(f, 0x3F4, 0x00);
    ck_assert_uint_eq(inb(f, 0x3F7), 0xF8);
    outb(f, 0x3F3, 0xFF);
    ck_assert_uint_eq(inb(f, 0x3F3), 0xFF);
    outb(f, 0x3F3, 0x01);
    ck_assert_uint_eq(inb(f, 0x3F3), 0xFD);
    fx_free(f);
}
END_TEST

START_TEST(test_implied_seek_track_deleted)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    fdc_up(f);
    outb(f, 0x3F2, 0x1C);
    uint8_t r[10];
    /* CONFIGURE with EIS: a read on cylinder 5 seeks there first, without an interrupt of its own */
    cmd(f, 4, 0x13, 0x00, 0x60, 0x00);
    dma_setup(f, 0x8000, 512, true);
    rw(f, 0x46, 0x00, 5, 0, 1, 1, r);
    RES(r, 0x20, 0x00, 0x00, 6, 0, 1, 2);
    check_ram(f, 0x8000, chs(5, 0, 1), 512);
    cmd(f, 1, 0x08);
    ck_assert_uint_eq(result(f, r, 2), 1);
    ck_assert_uint_eq(r[0], 0x80);
    cmd(f, 1, 0x0E);
    ck_assert_uint_eq(result(f, r, 10), 10);
    ck_assert_uint_eq(r[0], 5);
    cmd(f, 4, 0x13, 0x00, 0x20, 0x00);
    /* READ TRACK: the sectors from the index on, whatever R says; ID registers kept */
    dma_setup(f, 0x10000, 4 * 512, true);
    rw(f, 0x42, 0x00, 5, 0, 3, 18, r);
    RES(r, 0x00, 0x00, 0x00, 5, 0, 3, 2);
    check_ram(f, 0x10000, chs(5, 0, 1), 4 * 512);
    dma_setup(f, 0x10000, 4 * 512, true);
    rw(f, 0x42, 0x00, 5, 0, 30, 2, r); /* no ID 30, ends after EOT = 2 sectors */
    RES(r, 0x40, 0x04, 0x00, 5, 0, 30, 2);
    /* READ DELETED DATA meeting normal data marks (Table 5-5) */
    dma_setup(f, 0x20000, 2 * 512, true);
    rw(f, 0x4C, 0x00, 5, 0, 2, 18, r);
    RES(r, 0x00, 0x00, 0x40, 5, 0, 2, 2); /* read, CM, address not incremented */
    check_ram(f, 0x20000, chs(5, 0, 2), 512);
    ck_assert_uint_eq(physmem_read(f->pm, 0x20200, 1), 0);
    rw(f, 0x6C, 0x00, 5, 0, 17, 18, r);   /* SK: both skipped, then the end of the cylinder */
    RES(r, 0x40, 0x80, 0x40, 6, 0, 1, 2);
    outb(f, 0x0C, 0);
    uint8_t lo = inb(f, 0x05);
    ck_assert_uint_eq(lo | inb(f, 0x05) << 8, 511); /* no DMA for skipped sectors */
    /* MT from side 1 to the end of the cylinder without TC */
    dma_setup(f, 0x30000, 3 * 512, true);
    rw(f, 0xC6, 0x04, 5, 1, 17, 18, r);
    RES(r, 0x44, 0x80, 0x00, 6, 0, 1, 2);
    check_ram(f, 0x30000, chs(5, 1, 17), 1024);
    fx_free(f);
}
END_TEST

/* The sequence of SeaBIOS 1.16's floppy.c: DOR 00h then 0Ch and a single
 * SENSE INTERRUPT, recalibrate + sense, READ ID media sense at the CMOS
 * type's rate, seek + sense, then a DMA read with EOT = last sector wanted. */
START_TEST(test_seabios_sequence)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_READ_WRITE), 0);
    ck_assert_uint_eq(fdc_cmos_type(&f->fdc, 0), 4);
    outb(f, 0x3F2, 0x00); /* floppy_enable_controller */
    outb(f, 0x3F2, 0x0C);
    ck_assert(wait_irq(f, 5 * MS) != UINT64_MAX);
    uint8_t r[7];
    cmd(f, 1, 0x08);
    ck_assert_uint_eq(result(f, r, 2), 2);
    ck_assert_uint_eq(r[0], 0xC0);
    outb(f, 0x3F2, 0x1C); /* floppy_drive_pio(0, ...) */
    cmd(f, 2, 0x07, 0x00);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    sense(f, 0x20, 0); /* the recalibrate's status, not a leftover polling one */
    outb(f, 0x3F7, 0x00);
    cmd(f, 2, 0x4A, 0x00);
    ck_assert(wait_irq(f, 1000 * MS) != UINT64_MAX);
    ck_assert_uint_eq(result(f, r, 7), 7);
    ck_assert_uint_eq(r[0] & 0xC0, 0);
    /* LBA 40 = C1 H0 S5, 3 sectors */
    seek(f, 0, 1);
    dma_setup(f, 0x7C00, 3 * 512, true);
    rw(f, 0xE6, 0x00, 1, 0, 5, 7, r);
    ck_assert_uint_eq(r[0] & 0xC0, 0);
    check_ram(f, 0x7C00, 40 * 512, 3 * 512);
    fx_free(f);
}
END_TEST

/* Random writes and reads on every port, with time passing: whatever the
 * state, nothing breaks, and a reset brings the controller back. */
START_TEST(test_garbage)
{
    struct fx *f = fx_new();
    ck_assert_int_eq(fx_image(f, 0, SIZE_144, BLOCKDEV_SNAPSHOT), 0);
    fdc_set_drive_type(&f->fdc, 1, FDC_DRIVE_360K);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    static const uint16_t ports[] = {0x3F0, 0x3F1, 0x3F2, 0x3F3, 0x3F4, 0x3F5, 0x3F7, 0x04, 0x05, 0x08, 0x0A, 0x0B,
                                     0x0C, 0x81, 0xD4, 0xD6};
    for (unsigned i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint16_t port = ports[(x >> 8) % (sizeof ports / sizeof ports[0])];
        uint8_t v = (uint8_t)(x >> 24);
        if ((x >> 40) % 16 == 0)
            advance(f, (x >> 44) % (20 * MS));
        else if (x & 1)
            (void)inb(f, port);
        else if (port == 0x3F2 && (x >> 50) % 4)
            outb(f, port, (uint8_t)(v | 0x04)); /* mostly out of reset */
        else
            outb(f, port, v);
    }
    outb(f, 0x3F2, 0x1C);
    reset_and_sense(f);
    ck_assert_uint_eq(msr(f), 0x80);
    fx_free(f);
}
END_TEST

static Suite *fdc_suite(void)
{
    Suite *s = suite_create("fdc");
    TCase *tc = tcase_create("control");
    tcase_add_test(tc, test_reset_sequence);
    tcase_add_test(tc, test_version_dumpreg_configure_lock);
    tcase_add_test(tc, test_seek_recalibrate);
    tcase_add_test(tc, test_disk_change);
    tcase_add_test(tc, test_ps2_registers);
    suite_add_tcase(s, tc);
    tc = tcase_create("data");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_read_dma);
    tcase_add_test(tc, test_write_dma);
    tcase_add_test(tc, test_write_protect);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_read_id);
    tcase_add_test(tc, test_no_disk_motor_off);
    tcase_add_test(tc, test_non_dma);
    tcase_add_test(tc, test_format_verify);
    tcase_add_test(tc, test_geometries);
    tcase_add_test(tc, test_seabios_sequence);
    tcase_add_test(tc, test_implied_seek_track_deleted);
    tcase_add_test(tc, test_garbage);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fdc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
