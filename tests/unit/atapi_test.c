/* atapi_test.c - Check unit tests for the ATAPI CD-ROM (devices/atapi.c behind
 * the PACKET protocol of devices/ide.c), driven through the secondary
 * channel's ports, its IRQ line, the virtual clock, an ISO image (blockdev)
 * and a physmem RAM region for bus-master DMA. */
#include "devices/ide.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S 0x170 /* secondary command block */
#define DATA (S + 0)
#define ERR_FEAT (S + 1)
#define IREASON (S + 2)
#define LBAL (S + 3)
#define BCL (S + 4)
#define BCH (S + 5)
#define DEVSEL (S + 6)
#define STATCMD (S + 7)
#define ALT 0x376
#define BM 0xC000

#define DISC_SECTORS 64u

struct sink {
    bool level;
    unsigned edges;
};

static void sink_set(void *s, unsigned pin, bool level)
{
    (void)pin;
    struct sink *k = s;
    if (level && !k->level)
        k->edges++;
    k->level = level;
}

struct rig {
    struct iobus bus;
    struct vclock clk;
    struct physmem *mem;
    struct ide_controller *ide;
    struct sink irq[2];
    struct blockdev disc, disk;
    bool disc_open, disk_open;
    char dir[64], iso[96], img[96];
};

/* what one packet command did */
struct xfer {
    uint8_t data[0x10000];
    unsigned len, blocks;
    unsigned sizes[64];
    uint8_t status, error;
    unsigned edges;
};

static uint8_t cd_pattern(uint64_t sector, unsigned i) { return (uint8_t)(sector * 17 + i * 3 + (i >> 8)); }

static void write_file(const char *path, uint64_t sectors, unsigned size, uint8_t (*pat)(uint64_t, unsigned))
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (uint64_t s = 0; s < sectors; s++)
        for (unsigned i = 0; i < size; i++)
            fputc(pat(s, i), f);
    fclose(f);
}

static void rig_open_disc(struct rig *r)
{
    char err[256];
    ck_assert_msg(blockdev_open(&r->disc, r->iso, BLOCKDEV_READ_ONLY, err, sizeof err) == 0, "%s", err);
    r->disc_open = true;
}

/* A CD-ROM as secondary master (with the disc unless `empty`). */
static struct rig *rig_new_with(bool empty, bool attach)
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
    ck_assert_ptr_nonnull(physmem_add_ram(r->mem, "ram", 0, 0x100000, err, sizeof err));
    struct irq_line l14 = {.set_level = sink_set, .sink = &r->irq[0], .pin = 14};
    struct irq_line l15 = {.set_level = sink_set, .sink = &r->irq[1], .pin = 15};
    ck_assert_msg(ide_init(r->ide, &r->bus, &r->clk, r->mem, &l14, &l15, err, sizeof err) == 0, "%s", err);
    struct io_region bm = ide_busmaster_region(&r->ide->bm, BM);
    ck_assert_msg(iobus_register(&r->bus, &bm, err, sizeof err) == 0, "%s", err);
    snprintf(r->dir, sizeof r->dir, "/tmp/rz-atapi-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(r->dir));
    snprintf(r->iso, sizeof r->iso, "%s/disc.iso", r->dir);
    write_file(r->iso, DISC_SECTORS, 2048, cd_pattern);
    if (!empty)
        rig_open_disc(r);
    if (attach)
        ck_assert_msg(ide_attach_cdrom(r->ide, 1, 0, empty ? NULL : &r->disc, err, sizeof err) == 0, "%s", err);
    return r;
}

static struct rig *rig_new(void) { return rig_new_with(false, true); }

static void rig_free(struct rig *r)
{
    if (r->disc_open)
        blockdev_close(&r->disc);
    if (r->disk_open)
        blockdev_close(&r->disk);
    unlink(r->iso);
    if (r->img[0])
        unlink(r->img);
    rmdir(r->dir);
    physmem_destroy(r->mem);
    free(r->ide);
    free(r);
}

static uint8_t in(struct rig *r, uint16_t port) { return (uint8_t)iobus_read(&r->bus, port, 1); }
static uint16_t inw(struct rig *r, uint16_t port) { return (uint16_t)iobus_read(&r->bus, port, 2); }
static void out(struct rig *r, uint16_t port, uint8_t v) { iobus_write(&r->bus, port, v, 1); }
static void outw(struct rig *r, uint16_t port, uint16_t v) { iobus_write(&r->bus, port, v, 2); }
static void outl(struct rig *r, uint16_t port, uint32_t v) { iobus_write(&r->bus, port, v, 4); }

static void advance(struct rig *r, uint64_t ns)
{
    uint64_t end = r->clk.now + ns;
    for (uint64_t d; (d = vclock_next_deadline(&r->clk)) <= end;)
        vclock_advance(&r->clk, d > r->clk.now ? d : r->clk.now);
    vclock_advance(&r->clk, end);
}

static uint8_t wait_ready(struct rig *r, uint16_t alt)
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

/* PACKET: the byte count limit in LBA mid/high, DRQ for the 12-byte packet. */
static void send_packet(struct rig *r, const uint8_t cdb[12], uint16_t limit, bool dma)
{
    out(r, ERR_FEAT, dma ? 1 : 0);
    out(r, BCL, (uint8_t)limit);
    out(r, BCH, (uint8_t)(limit >> 8));
    out(r, STATCMD, 0xA0);
    uint8_t st = wait_ready(r, ALT);
    ck_assert_msg(st & IDE_ST_DRQ, "no DRQ for the packet (status %02x)", st);
    ck_assert_uint_eq(in(r, IREASON) & 3, IDE_IREASON_COD);
    for (unsigned i = 0; i < 12; i += 2)
        outw(r, DATA, (uint16_t)(cdb[i] | cdb[i + 1] << 8));
}

/* Runs a PIO packet command to its status phase, collecting the data. */
static void run(struct rig *r, const uint8_t cdb[12], uint16_t limit, struct xfer *x)
{
    memset(x, 0, sizeof *x);
    unsigned e0 = r->irq[1].edges;
    send_packet(r, cdb, limit, false);
    for (;;) {
        wait_ready(r, ALT);
        uint8_t st = in(r, STATCMD);
        if (!(st & IDE_ST_DRQ)) {
            x->status = st;
            x->error = in(r, ERR_FEAT);
            ck_assert_uint_eq(in(r, IREASON) & 3, IDE_IREASON_IO | IDE_IREASON_COD);
            break;
        }
        ck_assert_uint_eq(in(r, IREASON) & 3, IDE_IREASON_IO);
        unsigned n = in(r, BCL) | (unsigned)in(r, BCH) << 8;
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_lt(x->blocks, 64);
        x->sizes[x->blocks++] = n;
        for (unsigned i = 0; i < n; i += 2) {
            uint16_t w = inw(r, DATA);
            ck_assert_uint_lt(x->len + 1, sizeof x->data);
            x->data[x->len++] = (uint8_t)w;
            if (i + 1 < n)
                x->data[x->len++] = (uint8_t)(w >> 8);
        }
    }
    x->edges = r->irq[1].edges - e0;
}

static void check_good(const struct xfer *x)
{
    ck_assert_msg(x->status == IDE_ST_DRDY, "status %02x error %02x", x->status, x->error);
}

static void check_sense(struct rig *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    static struct xfer x;
    const uint8_t cdb[12] = {0x03, 0, 0, 0, 18};
    run(r, cdb, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 18);
    ck_assert_uint_eq(x.data[0], 0x70);
    ck_assert_uint_eq(x.data[7], 10);
    ck_assert_msg(x.data[2] == key && x.data[12] == asc && x.data[13] == ascq, "sense %x/%02x/%02x", x.data[2],
                  x.data[12], x.data[13]);
}

/* Expects CHECK CONDITION with the key in the error register, then the sense data. */
static void check_fails(struct rig *r, const struct xfer *x, uint8_t key, uint8_t asc, uint8_t ascq)
{
    ck_assert_uint_eq(x->status, IDE_ST_DRDY | IDE_ST_ERR);
    ck_assert_uint_eq(x->error >> 4, key);
    ck_assert_uint_eq(x->len, 0);
    check_sense(r, key, asc, ascq);
}

static void clear_unit_attention(struct rig *r)
{
    static struct xfer x;
    const uint8_t tur[12] = {0};
    run(r, tur, 0, &x);
    check_fails(r, &x, ATAPI_SK_UNIT_ATTENTION, ATAPI_ASC_RESET, 0);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* ---- ATA side ----------------------------------------------------------------- */

START_TEST(test_signature_and_identify)
{
    struct rig *r = rig_new();
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, IREASON), 0x01);
    ck_assert_uint_eq(in(r, LBAL), 0x01);
    ck_assert_uint_eq(in(r, BCL), 0x14);
    ck_assert_uint_eq(in(r, BCH), 0xEB);
    ck_assert_uint_eq(in(r, STATCMD), 0x00); /* DRDY clear until the first command */
    /* IDENTIFY DEVICE: aborted, with the signature */
    out(r, BCL, 0);
    out(r, BCH, 0);
    out(r, STATCMD, 0xEC);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY | IDE_ST_ERR);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    ck_assert_uint_eq(in(r, BCL), 0x14);
    ck_assert_uint_eq(in(r, BCH), 0xEB);
    /* IDENTIFY PACKET DEVICE */
    out(r, STATCMD, 0xA1);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    uint16_t id[256];
    uint8_t sum = 0;
    for (unsigned i = 0; i < 256; i++) {
        id[i] = inw(r, DATA);
        sum = (uint8_t)(sum + (id[i] & 0xFF) + (id[i] >> 8));
    }
    ck_assert_uint_eq(sum, 0);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY);
    ck_assert_uint_eq(id[0], 0x85C0);
    char model[41];
    for (unsigned i = 0; i < 20; i++) {
        model[2 * i] = (char)(id[27 + i] >> 8);
        model[2 * i + 1] = (char)id[27 + i];
    }
    model[40] = 0;
    ck_assert_str_eq(model, "RINGZERO ATAPI CD-ROM                   ");
    ck_assert_uint_eq(id[49] & 0x0300, 0x0300);
    ck_assert_uint_eq(id[63] & 0x0707, 0x0407);
    ck_assert(id[82] & (1 << 4)); /* PACKET */
    ck_assert(id[82] & (1 << 9)); /* DEVICE RESET */
    ck_assert_uint_eq(id[93] & 0xDF61, 0x4001);
    /* soft reset: the signature again, and a unit attention */
    out(r, ALT, IDE_CTL_SRST);
    out(r, ALT, 0);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x00);
    ck_assert_uint_eq(in(r, BCL), 0x14);
    ck_assert_uint_eq(in(r, BCH), 0xEB);
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    clear_unit_attention(r);
    /* the absent slave */
    out(r, DEVSEL, 0x10);
    ck_assert_uint_eq(in(r, STATCMD), 0x00);
    out(r, ALT, IDE_CTL_SRST);
    out(r, ALT, 0);
    out(r, DEVSEL, 0x10); /* ignored: the drive is busy with the reset */
    ck_assert(in(r, ALT) & IDE_ST_BSY);
    wait_ready(r, ALT);
    out(r, DEVSEL, 0x10);
    ck_assert_uint_eq(in(r, BCL), 0xFF);
    ck_assert_uint_eq(in(r, BCH), 0xFF);
    rig_free(r);
}
END_TEST

START_TEST(test_disk_master_cdrom_slave)
{
    struct rig *r = rig_new_with(false, false);
    char err[256];
    snprintf(r->img, sizeof r->img, "%s/disk.img", r->dir);
    write_file(r->img, 64, 512, cd_pattern);
    ck_assert_int_eq(blockdev_open(&r->disk, r->img, BLOCKDEV_READ_WRITE, err, sizeof err), 0);
    r->disk_open = true;
    ck_assert_int_eq(ide_attach_disk(r->ide, 1, 0, &r->disk, err, sizeof err), 0);
    ck_assert_int_eq(ide_attach_cdrom(r->ide, 1, 1, &r->disc, err, sizeof err), 0);
    ck_assert_int_eq(ide_attach_cdrom(r->ide, 1, 1, &r->disc, err, sizeof err), -1); /* taken */
    ck_assert_uint_eq(in(r, BCL), 0x00);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    out(r, DEVSEL, 0x10);
    ck_assert_uint_eq(in(r, BCL), 0x14);
    ck_assert_uint_eq(in(r, BCH), 0xEB);
    ck_assert_uint_eq(in(r, STATCMD), 0x00);
    clear_unit_attention(r);
    static struct xfer x;
    const uint8_t rd[12] = {0x28, 0, 0, 0, 0, 7, 0, 0, 1};
    run(r, rd, 2048, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 2048);
    ck_assert_uint_eq(x.data[100], cd_pattern(7, 100));
    rig_free(r);
}
END_TEST

START_TEST(test_device_reset_and_diagnostic)
{
    struct rig *r = rig_new();
    clear_unit_attention(r);
    out(r, BCL, 0x12);
    out(r, STATCMD, 0x08); /* DEVICE RESET: no interrupt */
    unsigned e = r->irq[1].edges;
    ck_assert_uint_eq(wait_ready(r, ALT), 0x00);
    ck_assert_uint_eq(r->irq[1].edges, e);
    ck_assert_uint_eq(in(r, BCL), 0x14);
    clear_unit_attention(r);
    out(r, STATCMD, 0x90);
    wait_ready(r, ALT);
    ck_assert_uint_eq(r->irq[1].edges, e + 4); /* TUR, REQUEST SENSE (data, status), the diagnostic */
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, BCH), 0xEB);
    /* SET FEATURES and power commands work on a packet device too */
    out(r, ERR_FEAT, 0x03);
    out(r, IREASON, 0x42);
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY);
    out(r, STATCMD, 0xE5);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY);
    ck_assert_uint_eq(in(r, IREASON), 0xFF);
    /* overlapped PACKET is not supported */
    out(r, ERR_FEAT, 0x02);
    out(r, STATCMD, 0xA0);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY | IDE_ST_ERR);
    rig_free(r);
}
END_TEST

/* ---- packet commands ------------------------------------------------------------ */

START_TEST(test_unit_attention_and_sense)
{
    struct rig *r = rig_new();
    static struct xfer x;
    /* INQUIRY is exempt and leaves the unit attention pending */
    const uint8_t inq[12] = {0x12, 0, 0, 0, 36};
    run(r, inq, 0xFFFE, &x);
    check_good(&x);
    const uint8_t tur[12] = {0};
    run(r, tur, 0, &x);
    ck_assert_uint_eq(x.status, IDE_ST_DRDY | IDE_ST_ERR);
    ck_assert_uint_eq(x.error, ATAPI_SK_UNIT_ATTENTION << 4);
    ck_assert_uint_eq(x.edges, 1);
    check_sense(r, ATAPI_SK_UNIT_ATTENTION, ATAPI_ASC_RESET, 0);
    run(r, tur, 0, &x);
    check_good(&x);
    ck_assert_uint_eq(x.error, 0);
    check_sense(r, ATAPI_SK_NO_SENSE, 0, 0);
    /* REQUEST SENSE reports a unit attention directly, once */
    ide_reset(r->ide);
    check_sense(r, ATAPI_SK_UNIT_ATTENTION, ATAPI_ASC_RESET, 0);
    run(r, tur, 0, &x);
    check_good(&x);
    /* media change */
    ide_cdrom_change_media(r->ide, 1, 0, &r->disc);
    run(r, tur, 0, &x);
    check_fails(r, &x, ATAPI_SK_UNIT_ATTENTION, ATAPI_ASC_MEDIUM_CHANGED, 0);
    run(r, tur, 0, &x);
    check_good(&x);
    rig_free(r);
}
END_TEST

START_TEST(test_inquiry_byte_count_limit)
{
    struct rig *r = rig_new();
    static struct xfer x;
    const uint8_t inq[12] = {0x12, 0, 0, 0, 36};
    run(r, inq, 10, &x);
    check_good(&x);
    ck_assert_uint_eq(x.blocks, 4);
    ck_assert_uint_eq(x.sizes[0], 10);
    ck_assert_uint_eq(x.sizes[3], 6);
    ck_assert_uint_eq(x.edges, 5); /* one per DRQ block and one for the status */
    ck_assert_uint_eq(x.len, 36);
    ck_assert_uint_eq(x.data[0], 0x05);
    ck_assert_uint_eq(x.data[1], 0x80);
    ck_assert_uint_eq(x.data[4], 31);
    ck_assert_mem_eq(x.data + 8, "RINGZERO", 8);
    /* an odd limit is used as the even number below it */
    run(r, inq, 7, &x);
    ck_assert_uint_eq(x.blocks, 6);
    ck_assert_uint_eq(x.sizes[0], 6);
    ck_assert_uint_eq(x.len, 36);
    ck_assert_mem_eq(x.data + 16, "ATAPI CD-ROM", 12);
    /* a short allocation length, odd: one block with a pad byte */
    const uint8_t inq5[12] = {0x12, 0, 0, 0, 5};
    run(r, inq5, 0xFFFE, &x);
    ck_assert_uint_eq(x.blocks, 1);
    ck_assert_uint_eq(x.sizes[0], 5);
    ck_assert_uint_eq(x.len, 5);
    /* vital product data: not supported */
    const uint8_t vpd[12] = {0x12, 1, 0x80, 0, 36};
    run(r, vpd, 0xFFFE, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_FIELD, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_read_capacity_and_read)
{
    struct rig *r = rig_new();
    static struct xfer x;
    clear_unit_attention(r);
    const uint8_t cap[12] = {0x25};
    run(r, cap, 8, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 8);
    ck_assert_uint_eq(be32(x.data), DISC_SECTORS - 1);
    ck_assert_uint_eq(be32(x.data + 4), 2048);
    /* READ(10): one DRQ block per sector at a 2048 limit (SeaBIOS's way) */
    const uint8_t rd[12] = {0x28, 0, 0, 0, 0, 5, 0, 0, 3};
    run(r, rd, 2048, &x);
    check_good(&x);
    ck_assert_uint_eq(x.blocks, 3);
    ck_assert_uint_eq(x.edges, 4);
    ck_assert_uint_eq(x.len, 3 * 2048);
    for (unsigned i = 0; i < x.len; i++)
        ck_assert_uint_eq(x.data[i], cd_pattern(5 + i / 2048, i % 2048));
    /* a limit that cuts sectors */
    run(r, rd, 3000, &x);
    check_good(&x);
    ck_assert_uint_eq(x.blocks, 3);
    ck_assert_uint_eq(x.sizes[0], 3000);
    ck_assert_uint_eq(x.sizes[1], 3000);
    ck_assert_uint_eq(x.sizes[2], 144);
    for (unsigned i = 0; i < x.len; i++)
        ck_assert_uint_eq(x.data[i], cd_pattern(5 + i / 2048, i % 2048));
    /* the largest block */
    run(r, rd, 0xFFFE, &x);
    ck_assert_uint_eq(x.blocks, 1);
    ck_assert_uint_eq(x.sizes[0], 6144);
    /* READ(12) up to the last sector */
    const uint8_t rd12[12] = {0xA8, 0, 0, 0, 0, 60, 0, 0, 0, 4};
    run(r, rd12, 0x8000, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 4 * 2048);
    ck_assert_uint_eq(x.data[3 * 2048 + 7], cd_pattern(63, 7));
    /* no sectors: no data phase */
    const uint8_t rd0[12] = {0x28, 0, 0, 0, 0, 5};
    run(r, rd0, 2048, &x);
    check_good(&x);
    ck_assert_uint_eq(x.blocks, 0);
    /* past the end */
    const uint8_t past[12] = {0x28, 0, 0, 0, 0, 62, 0, 0, 3};
    run(r, past, 2048, &x);
    ck_assert_uint_eq(x.error, ATAPI_SK_ILLEGAL_REQUEST << 4 | IDE_ERR_ABRT);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_LBA_OUT_OF_RANGE, 0);
    const uint8_t far[12] = {0xA8, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1};
    run(r, far, 2048, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_LBA_OUT_OF_RANGE, 0);
    /* SEEK */
    const uint8_t seek[12] = {0x2B, 0, 0, 0, 0, 63};
    run(r, seek, 0, &x);
    check_good(&x);
    rig_free(r);
}
END_TEST

START_TEST(test_read_toc)
{
    struct rig *r = rig_new();
    static struct xfer x;
    clear_unit_attention(r);
    const uint8_t toc[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, 100};
    run(r, toc, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 20);
    ck_assert_uint_eq(be16(x.data), 18);
    ck_assert_uint_eq(x.data[2], 1);
    ck_assert_uint_eq(x.data[3], 1);
    ck_assert_uint_eq(x.data[5], 0x14);
    ck_assert_uint_eq(x.data[6], 1);
    ck_assert_uint_eq(be32(x.data + 8), 0);
    ck_assert_uint_eq(x.data[14], 0xAA);
    ck_assert_uint_eq(be32(x.data + 16), DISC_SECTORS);
    /* MSF: LBA 0 is 00:02:00; the lead-out at 64 + 150 = 00:02:64 */
    const uint8_t msf[12] = {0x43, 2, 0, 0, 0, 0, 0, 0, 100};
    run(r, msf, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(be32(x.data + 8), 0x00000200);
    ck_assert_uint_eq(be32(x.data + 16), 0x00000240);
    /* from the lead-out only; a track that does not exist */
    const uint8_t aa[12] = {0x43, 0, 0, 0, 0, 0, 0xAA, 0, 100};
    run(r, aa, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, 12);
    ck_assert_uint_eq(x.data[6], 0xAA);
    const uint8_t t2[12] = {0x43, 0, 0, 0, 0, 0, 2, 0, 100};
    run(r, t2, 0xFFFE, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_FIELD, 0);
    /* multi-session information, both ways of giving the format */
    const uint8_t ms[12] = {0x43, 0, 1, 0, 0, 0, 0, 0, 12};
    run(r, ms, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 12);
    ck_assert_uint_eq(be16(x.data), 10);
    ck_assert_uint_eq(x.data[6], 1);
    ck_assert_uint_eq(be32(x.data + 8), 0);
    const uint8_t ms_old[12] = {0x43, 2, 0, 0, 0, 0, 0, 0, 12, 0x40};
    run(r, ms_old, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(be16(x.data), 10);
    ck_assert_uint_eq(be32(x.data + 8), 0x00000200);
    /* raw TOC: A0, A1, A2 and track 1 */
    const uint8_t raw[12] = {0x43, 2, 2, 0, 0, 0, 0, 0, 100};
    run(r, raw, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 4 + 4 * 11);
    ck_assert_uint_eq(x.data[4 + 3], 0xA0);
    ck_assert_uint_eq(x.data[4 + 22 + 3], 0xA2);
    ck_assert_uint_eq(x.data[4 + 22 + 9], 2);
    ck_assert_uint_eq(x.data[4 + 22 + 10], 64);
    /* a small allocation length cuts the data, not the length field */
    const uint8_t small[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, 4};
    run(r, small, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, 4);
    ck_assert_uint_eq(be16(x.data), 18);
    rig_free(r);
}
END_TEST

START_TEST(test_mode_sense_and_configuration)
{
    struct rig *r = rig_new();
    static struct xfer x;
    clear_unit_attention(r);
    const uint8_t caps[12] = {0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128};
    run(r, caps, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 8 + 22);
    ck_assert_uint_eq(be16(x.data), 8 + 22 - 2);
    ck_assert_uint_eq(x.data[2], 0x01);
    ck_assert_uint_eq(be16(x.data + 6), 0); /* no block descriptors */
    ck_assert_uint_eq(x.data[8], 0x2A);
    ck_assert_uint_eq(x.data[9], 20);
    ck_assert_uint_eq(x.data[8 + 6] & 0x09, 0x09); /* lock, eject */
    const uint8_t all[12] = {0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 128};
    run(r, all, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, 8 + 8 + 22);
    ck_assert_uint_eq(x.data[8], 0x01);
    ck_assert_uint_eq(x.data[16], 0x2A);
    const uint8_t saved[12] = {0x5A, 0, 0xEA, 0, 0, 0, 0, 0, 128};
    run(r, saved, 0xFFFE, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_SAVING_UNSUPPORTED, 0);
    const uint8_t page5[12] = {0x5A, 0, 0x05, 0, 0, 0, 0, 0, 128};
    run(r, page5, 0xFFFE, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_FIELD, 0);
    /* GET CONFIGURATION: the header alone, then everything */
    const uint8_t hdr[12] = {0x46, 0, 0, 0, 0, 0, 0, 0, 8};
    run(r, hdr, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 8);
    unsigned total = be32(x.data) + 4;
    ck_assert_uint_eq(be16(x.data + 6), 0x0008);
    const uint8_t cfg[12] = {0x46, 0, 0, 0, 0, 0, 0, 1, 0};
    run(r, cfg, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, total);
    unsigned codes[8], n = 0;
    for (unsigned p = 8; p < x.len && n < 8; p += 4u + x.data[p + 3])
        codes[n++] = be16(x.data + p);
    ck_assert_uint_eq(n, 6);
    ck_assert_uint_eq(codes[0], 0x0000);
    ck_assert_uint_eq(be16(x.data + 12), 0x0008); /* the profile list names CD-ROM */
    ck_assert_uint_eq(x.data[14] & 1, 1);         /* current */
    ck_assert_uint_eq(codes[4], 0x0010);
    ck_assert_uint_eq(codes[5], 0x001E);
    /* one feature */
    const uint8_t one[12] = {0x46, 2, 0, 0x10, 0, 0, 0, 0, 100};
    run(r, one, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, 8 + 12);
    ck_assert_uint_eq(be16(x.data + 8), 0x0010);
    ck_assert_uint_eq(be32(x.data + 12), 2048);
    rig_free(r);
}
END_TEST

START_TEST(test_tray_lock_and_events)
{
    struct rig *r = rig_new();
    static struct xfer x;
    clear_unit_attention(r);
    const uint8_t gesn[12] = {0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8};
    run(r, gesn, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 8);
    ck_assert_uint_eq(x.data[2], 0x04);
    ck_assert_uint_eq(x.data[3], 0x10);
    ck_assert_uint_eq(x.data[4], 0);    /* no change */
    ck_assert_uint_eq(x.data[5], 0x02); /* medium present, tray closed */
    const uint8_t async[12] = {0x4A, 0, 0, 0, 0x10, 0, 0, 0, 8};
    run(r, async, 0xFFFE, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_FIELD, 0);
    const uint8_t other[12] = {0x4A, 1, 0, 0, 0x02, 0, 0, 0, 8};
    run(r, other, 0xFFFE, &x);
    ck_assert_uint_eq(x.len, 4);
    ck_assert_uint_eq(x.data[2], 0x80); /* no event available */
    /* locked: eject refused */
    const uint8_t lock[12] = {0x1E, 0, 0, 0, 1};
    const uint8_t unlock[12] = {0x1E};
    const uint8_t eject[12] = {0x1B, 0, 0, 0, 0x02};
    const uint8_t load[12] = {0x1B, 0, 0, 0, 0x03};
    const uint8_t tur[12] = {0};
    run(r, lock, 0, &x);
    check_good(&x);
    const uint8_t caps[12] = {0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128};
    run(r, caps, 0xFFFE, &x);
    ck_assert_uint_eq(x.data[8 + 6] & 0x02, 0x02); /* lock state */
    run(r, eject, 0, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_REMOVAL_PREVENTED, 0x02);
    run(r, unlock, 0, &x);
    run(r, eject, 0, &x);
    check_good(&x);
    run(r, tur, 0, &x);
    check_fails(r, &x, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, 0x02);
    run(r, gesn, 0xFFFE, &x);
    ck_assert_uint_eq(x.data[4], 3);    /* media removal */
    ck_assert_uint_eq(x.data[5], 0x01); /* tray open */
    const uint8_t mech[12] = {0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8};
    run(r, mech, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 8);
    ck_assert_uint_eq(x.data[1] & 0x10, 0x10);
    run(r, load, 0, &x);
    check_good(&x);
    run(r, gesn, 0xFFFE, &x);
    ck_assert_uint_eq(x.data[4], 2); /* new media */
    run(r, gesn, 0xFFFE, &x);
    ck_assert_uint_eq(x.data[4], 0);
    run(r, tur, 0, &x);
    check_good(&x);
    /* disc information, speed */
    const uint8_t di[12] = {0x51, 0, 0, 0, 0, 0, 0, 0, 34};
    run(r, di, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(x.len, 34);
    ck_assert_uint_eq(be16(x.data), 32);
    ck_assert_uint_eq(x.data[2], 0x0E);
    ck_assert_uint_eq(x.data[3], 1);
    const uint8_t speed[12] = {0xBB, 0, 0xFF, 0xFF, 0xFF, 0xFF};
    run(r, speed, 0, &x);
    check_good(&x);
    /* commands the drive does not have */
    const uint8_t write10[12] = {0x2A, 0, 0, 0, 0, 1, 0, 0, 1};
    run(r, write10, 2048, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_OPCODE, 0);
    const uint8_t ms6[12] = {0x1A, 0, 0x2A, 0, 64};
    run(r, ms6, 2048, &x);
    check_fails(r, &x, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_OPCODE, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_no_media)
{
    struct rig *r = rig_new_with(true, true);
    static struct xfer x;
    clear_unit_attention(r);
    const uint8_t tur[12] = {0};
    run(r, tur, 0, &x);
    check_fails(r, &x, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, 0x01);
    ck_assert_uint_eq(x.error, ATAPI_SK_NOT_READY << 4); /* SeaBIOS's "not ready" 0x20 */
    /* nothing pending, still not ready: REQUEST SENSE says why */
    check_sense(r, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, 0x01);
    const uint8_t cap[12] = {0x25};
    run(r, cap, 8, &x);
    check_fails(r, &x, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, 0x01);
    const uint8_t rd[12] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1};
    run(r, rd, 2048, &x);
    check_fails(r, &x, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, 0x01);
    const uint8_t cfg[12] = {0x46, 0, 0, 0, 0, 0, 0, 0, 8};
    run(r, cfg, 0xFFFE, &x);
    check_good(&x);
    ck_assert_uint_eq(be16(x.data + 6), 0);
    const uint8_t caps[12] = {0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128};
    run(r, caps, 0xFFFE, &x);
    ck_assert_uint_eq(x.data[2], 0x70);
    /* the user puts a disc in */
    rig_open_disc(r);
    ide_cdrom_change_media(r->ide, 1, 0, &r->disc);
    run(r, rd, 2048, &x);
    check_fails(r, &x, ATAPI_SK_UNIT_ATTENTION, ATAPI_ASC_MEDIUM_CHANGED, 0);
    run(r, rd, 2048, &x);
    check_good(&x);
    ck_assert_uint_eq(x.data[9], cd_pattern(0, 9));
    rig_free(r);
}
END_TEST

START_TEST(test_atapi_dma)
{
    struct rig *r = rig_new();
    clear_unit_attention(r);
    /* READ(10) of 2 sectors into two PRDs */
    physmem_write(r->mem, 0x1000, 0x8000, 4);
    physmem_write(r->mem, 0x1004, 1000, 4);
    physmem_write(r->mem, 0x1008, 0x9000, 4);
    physmem_write(r->mem, 0x100C, IDE_BM_PRD_EOT | 3096, 4);
    outl(r, BM + 8 + IDE_BM_PRDT, 0x1000);
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    unsigned e = r->irq[1].edges;
    const uint8_t rd[12] = {0x28, 0, 0, 0, 0, 10, 0, 0, 2};
    send_packet(r, rd, 0, true);
    advance(r, 100000);
    ck_assert(in(r, ALT) & IDE_ST_DRQ); /* waiting for the engine */
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + 8 + IDE_BM_STATUS), IDE_BM_ST_INTR);
    ck_assert_uint_eq(r->irq[1].edges, e + 1);
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    ck_assert_uint_eq(in(r, STATCMD), IDE_ST_DRDY);
    ck_assert_uint_eq(in(r, IREASON) & 3, 3);
    for (unsigned i = 0; i < 1000; i++)
        ck_assert_uint_eq(physmem_read(r->mem, 0x8000 + i, 1), cd_pattern(10, i));
    for (unsigned i = 1000; i < 4096; i++)
        ck_assert_uint_eq(physmem_read(r->mem, 0x9000 + i - 1000, 1), cd_pattern(10 + i / 2048, i % 2048));
    /* INQUIRY by DMA: 36 bytes into a 36-byte PRD */
    physmem_write(r->mem, 0x1000, 0xA000, 4);
    physmem_write(r->mem, 0x1004, IDE_BM_PRD_EOT | 36, 4);
    out(r, BM + 8 + IDE_BM_STATUS, IDE_BM_ST_INTR);
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    const uint8_t inq[12] = {0x12, 0, 0, 0, 36};
    send_packet(r, inq, 0, true);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + 8 + IDE_BM_STATUS), IDE_BM_ST_INTR);
    ck_assert_uint_eq(physmem_read(r->mem, 0xA000, 1), 0x05);
    ck_assert_uint_eq(physmem_read(r->mem, 0xA000 + 8, 1), 'R');
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    ck_assert_uint_eq(in(r, STATCMD), IDE_ST_DRDY);
    /* an error needs no DMA: CHECK CONDITION at once */
    out(r, BM + 8 + IDE_BM_STATUS, IDE_BM_ST_INTR);
    const uint8_t past[12] = {0x28, 0, 0, 0, 0, 63, 0, 0, 2};
    send_packet(r, past, 0, true);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, STATCMD), IDE_ST_DRDY | IDE_ST_ERR);
    check_sense(r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_LBA_OUT_OF_RANGE, 0);
    /* a table too short for the data */
    physmem_write(r->mem, 0x1004, IDE_BM_PRD_EOT | 512, 4);
    out(r, BM + 8 + IDE_BM_STATUS, IDE_BM_ST_INTR | IDE_BM_ST_ERROR);
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    send_packet(r, rd, 0, true);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + 8 + IDE_BM_STATUS), IDE_BM_ST_INTR | IDE_BM_ST_ERROR);
    ck_assert_uint_eq(in(r, STATCMD), IDE_ST_DRDY | IDE_ST_ERR);
    ck_assert_uint_eq(in(r, ERR_FEAT), ATAPI_SK_ABORTED_COMMAND << 4 | IDE_ERR_ABRT);
    out(r, BM + 8 + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    check_sense(r, ATAPI_SK_ABORTED_COMMAND, ATAPI_ASC_DATA_PHASE_ERROR, 0);
    rig_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("atapi");
    TCase *tc = tcase_create("ata");
    tcase_add_test(tc, test_signature_and_identify);
    tcase_add_test(tc, test_disk_master_cdrom_slave);
    tcase_add_test(tc, test_device_reset_and_diagnostic);
    suite_add_tcase(s, tc);

    tc = tcase_create("packet");
    tcase_add_test(tc, test_unit_attention_and_sense);
    tcase_add_test(tc, test_inquiry_byte_count_limit);
    tcase_add_test(tc, test_read_capacity_and_read);
    tcase_add_test(tc, test_read_toc);
    tcase_add_test(tc, test_mode_sense_and_configuration);
    tcase_add_test(tc, test_tray_lock_and_events);
    tcase_add_test(tc, test_no_media);
    suite_add_tcase(s, tc);

    tc = tcase_create("dma");
    tcase_add_test(tc, test_atapi_dma);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
