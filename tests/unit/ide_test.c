/* ide_test.c - Check unit tests for the ATA channels and disks (devices/ide.c,
 * devices/ide_disk.c), driven through the I/O ports, the IRQ lines, the
 * virtual clock and disk images (blockdev).  The bus-master DMA paths are in
 * ide_busmaster_test.c. */
#include "devices/ide.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ide_test_rig.h"

static void lba28(struct rig *r, uint32_t lba, uint8_t count, uint8_t unit)
{
    out(r, DEVSEL, (uint8_t)(0xE0 | unit << 4 | (lba >> 24 & 0x0F)));
    out(r, NSECT, count);
    out(r, LBAL, (uint8_t)lba);
    out(r, LBAM, (uint8_t)(lba >> 8));
    out(r, LBAH, (uint8_t)(lba >> 16));
}

static void lba48(struct rig *r, uint64_t lba, uint16_t count)
{
    out(r, DEVSEL, 0x40);
    out(r, NSECT, (uint8_t)(count >> 8));
    out(r, LBAL, (uint8_t)(lba >> 24));
    out(r, LBAM, (uint8_t)(lba >> 32));
    out(r, LBAH, (uint8_t)(lba >> 40));
    out(r, NSECT, (uint8_t)count);
    out(r, LBAL, (uint8_t)lba);
    out(r, LBAM, (uint8_t)(lba >> 8));
    out(r, LBAH, (uint8_t)(lba >> 16));
}

/* Reads `sectors` sectors of PIO data in blocks of `block`, checking DRQ and the pattern. */
static void read_sector(struct rig *r, uint64_t sector)
{
    for (unsigned i = 0; i < 512; i += 2) {
        uint16_t w = inw(r, DATA);
        ck_assert_msg((w & 0xFF) == pattern(sector, i) && (w >> 8) == pattern(sector, i + 1), "sector %llu byte %u",
                      (unsigned long long)sector, i);
    }
}

/* Reads `sectors` sectors of PIO data in DRQ blocks of `block`, acknowledging
 * each block's interrupt through the status register as a driver does. */
static void read_pio(struct rig *r, uint64_t first, unsigned sectors, unsigned block)
{
    for (unsigned s = 0; s < sectors; s++) {
        if (s % block == 0) {
            wait_ready(r, ALT);
            uint8_t st = in(r, STATCMD);
            ck_assert_msg(st & IDE_ST_DRQ, "no DRQ before sector %u (status %02x)", s, st);
        }
        read_sector(r, first + s);
    }
    ck_assert_uint_eq(wait_ready(r, ALT) & (IDE_ST_DRQ | IDE_ST_ERR), 0);
}

static void read_identify(struct rig *r, uint16_t id[256])
{
    out(r, STATCMD, 0xEC);
    uint8_t st = wait_ready(r, ALT);
    ck_assert_msg(st & IDE_ST_DRQ, "IDENTIFY: status %02x", st);
    for (unsigned i = 0; i < 256; i++)
        id[i] = inw(r, DATA);
}

static void id_string(const uint16_t *id, unsigned word, unsigned words, char *out_s)
{
    for (unsigned i = 0; i < words; i++) {
        out_s[2 * i] = (char)(id[word + i] >> 8);
        out_s[2 * i + 1] = (char)id[word + i];
    }
    out_s[2 * words] = 0;
}

/* ---- registers, signatures, reset ----------------------------------------- */

START_TEST(test_signature_and_srst)
{
    struct rig *r = rig_new();
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, NSECT), 0x01);
    ck_assert_uint_eq(in(r, LBAL), 0x01);
    ck_assert_uint_eq(in(r, LBAM), 0x00);
    ck_assert_uint_eq(in(r, LBAH), 0x00);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    /* registers read back what was written */
    out(r, NSECT, 0x55);
    out(r, LBAL, 0xAA);
    out(r, LBAM, 0x12);
    out(r, LBAH, 0x34);
    ck_assert_uint_eq(in(r, NSECT), 0x55);
    ck_assert_uint_eq(in(r, LBAL), 0xAA);
    ck_assert_uint_eq(in(r, LBAM), 0x12);
    ck_assert_uint_eq(in(r, LBAH), 0x34);
    /* the absent slave: registers latch, status reads 0 */
    out(r, DEVSEL, 0xB0);
    ck_assert_uint_eq(in(r, DEVSEL), 0xB0);
    out(r, NSECT, 0x66);
    ck_assert_uint_eq(in(r, NSECT), 0x66);
    ck_assert_uint_eq(in(r, STATCMD), 0x00);
    ck_assert_uint_eq(in(r, ALT), 0x00);
    out(r, STATCMD, 0xEC); /* nobody executes it */
    ck_assert_uint_eq(in(r, ALT), 0x00);
    advance(r, 100000);
    ck_assert_uint_eq(in(r, STATCMD), 0x00);
    /* soft reset: it selects device 0; BSY while SRST is held and a little after */
    out(r, ALT, IDE_CTL_SRST | IDE_CTL_NIEN);
    ck_assert(in(r, ALT) & IDE_ST_BSY);
    advance(r, 100000);
    ck_assert(in(r, ALT) & IDE_ST_BSY);
    out(r, ALT, IDE_CTL_NIEN);
    ck_assert(in(r, ALT) & IDE_ST_BSY);
    wait_ready(r, ALT);
    ck_assert_uint_eq(in(r, DEVSEL), 0x00);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, NSECT), 0x01);
    ck_assert_uint_eq(in(r, LBAL), 0x01);
    ck_assert_uint_eq(in(r, LBAM), 0x00);
    ck_assert_uint_eq(in(r, LBAH), 0x00);
    /* the absent slave's own signature says "nothing here" */
    out(r, DEVSEL, 0xB0);
    ck_assert_uint_eq(in(r, NSECT), 0x01);
    ck_assert_uint_eq(in(r, LBAL), 0x01);
    ck_assert_uint_eq(in(r, LBAM), 0xFF);
    ck_assert_uint_eq(in(r, LBAH), 0xFF);
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, STATCMD), 0x00);
    ck_assert_uint_eq(r->irq[0].edges, 0);
    /* the secondary channel has nothing: the bus floats */
    ck_assert_uint_eq(in(r, 0x177), 0xFF);
    ck_assert_uint_eq(in(r, 0x172), 0xFF);
    ck_assert_uint_eq(in(r, 0x376), 0xFF);
    out(r, 0x172, 0x55);
    ck_assert_uint_eq(in(r, 0x172), 0xFF);
    rig_free(r);
}
END_TEST

START_TEST(test_hob_registers)
{
    struct rig *r = rig_new();
    out(r, NSECT, 0x12);
    out(r, NSECT, 0x34);
    out(r, LBAL, 0x56);
    out(r, LBAL, 0x78);
    out(r, LBAM, 0x9A);
    out(r, LBAM, 0xBC);
    out(r, LBAH, 0xDE);
    out(r, LBAH, 0xF0);
    out(r, ALT, IDE_CTL_HOB);
    ck_assert_uint_eq(in(r, NSECT), 0x12);
    ck_assert_uint_eq(in(r, LBAL), 0x56);
    ck_assert_uint_eq(in(r, LBAM), 0x9A);
    ck_assert_uint_eq(in(r, LBAH), 0xDE);
    out(r, ALT, 0);
    ck_assert_uint_eq(in(r, NSECT), 0x34);
    ck_assert_uint_eq(in(r, LBAH), 0xF0);
    /* a command block write clears HOB */
    out(r, ALT, IDE_CTL_HOB);
    out(r, ERR_FEAT, 0);
    ck_assert_uint_eq(in(r, NSECT), 0x34);
    rig_free(r);
}
END_TEST

START_TEST(test_decode_disable)
{
    struct rig *r = rig_new();
    ide_set_decode(r->ide, 0, false);
    ck_assert_uint_eq(in(r, STATCMD), 0xFF);
    ck_assert_uint_eq(in(r, ALT), 0xFF);
    out(r, STATCMD, 0xEC);
    ide_set_decode(r->ide, 0, true);
    advance(r, 100000);
    ck_assert_uint_eq(in(r, STATCMD), 0x50); /* the command never arrived */
    rig_free(r);
}
END_TEST

START_TEST(test_execute_diagnostic)
{
    struct rig *r = rig_new();
    out(r, NSECT, 0x77);
    out(r, LBAM, 0x77);
    out(r, STATCMD, 0x90);
    ck_assert(in(r, ALT) & IDE_ST_BSY);
    wait_ready(r, ALT);
    ck_assert_uint_eq(r->irq[0].edges, 1);
    ck_assert_uint_eq(in(r, ERR_FEAT), 0x01);
    ck_assert_uint_eq(in(r, NSECT), 0x01);
    ck_assert_uint_eq(in(r, LBAM), 0x00);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    ck_assert(!r->irq[0].level);
    rig_free(r);
}
END_TEST

/* ---- IDENTIFY --------------------------------------------------------------- */

START_TEST(test_identify_contents)
{
    struct rig *r = rig_new();
    uint16_t id[256];
    read_identify(r, id);
    ck_assert_uint_eq(r->irq[0].edges, 1);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    ck_assert_uint_eq(id[0], 0x0040);
    ck_assert_uint_eq(id[1], DISK_SECTORS / (16 * 63));
    ck_assert_uint_eq(id[3], 16);
    ck_assert_uint_eq(id[6], 63);
    char s[48];
    id_string(id, 27, 20, s);
    ck_assert_str_eq(s, "RINGZERO HARDDISK                       ");
    id_string(id, 10, 10, s);
    ck_assert_str_eq(s, "RZHD00              ");
    id_string(id, 23, 4, s);
    ck_assert_str_eq(s, "1.0     ");
    ck_assert_uint_eq(id[47], 0x8010);
    ck_assert_uint_eq(id[49] & 0x0300, 0x0300); /* LBA and DMA */
    ck_assert_uint_eq(id[53] & 7, 7);
    ck_assert_uint_eq(id[54], id[1]);
    ck_assert_uint_eq(id[55], 16);
    ck_assert_uint_eq(id[56], 63);
    ck_assert_uint_eq(id[57] | (uint32_t)id[58] << 16, id[1] * 16u * 63u);
    ck_assert_uint_eq(id[59], 0x0110);
    ck_assert_uint_eq(id[60] | (uint32_t)id[61] << 16, DISK_SECTORS);
    ck_assert_uint_eq(id[63], 0x0407); /* MWDMA 0-2, mode 2 selected */
    ck_assert_uint_eq(id[88] & 0x3F, 0x3F);
    ck_assert_uint_eq(id[88] & 0x3F00, 0);
    ck_assert(id[83] & (1 << 10)); /* 48-bit */
    ck_assert(id[83] & (1 << 13)); /* FLUSH CACHE EXT */
    ck_assert(id[86] & (1 << 10));
    ck_assert(id[86] & (1 << 13));
    ck_assert_uint_eq(id[83] & 0xC000, 0x4000);
    ck_assert_uint_eq(id[93] & 0xDF61, 0x4001); /* not "device 0 answers for device 1" */
    ck_assert_uint_eq(id[100], DISK_SECTORS);
    ck_assert_uint_eq(id[101] | id[102] | id[103], 0);
    uint8_t sum = 0;
    for (unsigned i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (id[i] & 0xFF) + (id[i] >> 8));
    ck_assert_uint_eq(id[255] & 0xFF, 0xA5);
    ck_assert_uint_eq(sum, 0);
    /* IDENTIFY PACKET DEVICE is for packet devices */
    out(r, STATCMD, 0xA1);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    rig_free(r);
}
END_TEST

START_TEST(test_identify_large_disk)
{
    struct rig *r = rig_new_bare();
    uint64_t sectors = 200ull << 21; /* 200 GiB, sparse */
    make_image(r, 0, sectors, true);
    open_disk(r, 0, BLOCKDEV_READ_WRITE, 0, 0);
    uint16_t id[256];
    read_identify(r, id);
    ck_assert_uint_eq(id[1], 16383);
    ck_assert_uint_eq(id[60] | (uint32_t)id[61] << 16, 0x0FFFFFFF);
    uint64_t cap = 0;
    for (unsigned i = 0; i < 4; i++)
        cap |= (uint64_t)id[100 + i] << (16 * i);
    ck_assert_uint_eq(cap, sectors);
    /* LBA48 beyond 2^28: write a sector there and read it back */
    uint64_t lba = (1ull << 28) + 12345;
    lba48(r, lba, 1);
    out(r, STATCMD, 0x34);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    for (unsigned i = 0; i < 512; i += 2)
        outw(r, DATA, (uint16_t)(pattern(lba, i) | pattern(lba, i + 1) << 8));
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    /* the address registers hold the last sector written (HOB for the high bytes) */
    ck_assert_uint_eq(in(r, LBAL), (uint8_t)lba);
    out(r, ALT, IDE_CTL_HOB);
    ck_assert_uint_eq(in(r, LBAL), (uint8_t)(lba >> 24));
    out(r, ALT, 0);
    lba48(r, lba, 1);
    out(r, STATCMD, 0x24);
    read_pio(r, lba, 1, 1);
    rig_free(r);
}
END_TEST

/* ---- PIO transfers ------------------------------------------------------------ */

START_TEST(test_pio_read_lba28)
{
    struct rig *r = rig_new();
    out(r, ALT, 0); /* interrupts on */
    lba28(r, 100, 3, 0);
    out(r, STATCMD, 0x20);
    ck_assert_uint_eq(in(r, ALT), IDE_ST_BSY | IDE_ST_DRDY);
    /* one interrupt per sector, raised when its data is ready */
    for (unsigned s = 0; s < 3; s++) {
        wait_ready(r, ALT);
        ck_assert_uint_eq(r->irq[0].edges, s + 1);
        ck_assert(r->irq[0].level);
        ck_assert_uint_eq(in(r, STATCMD), IDE_ST_DRDY | IDE_ST_DSC | IDE_ST_DRQ);
        ck_assert(!r->irq[0].level);
        read_sector(r, 100 + s);
    }
    ck_assert_uint_eq(r->irq[0].edges, 3); /* none after the last block */
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    ck_assert_uint_eq(in(r, LBAL), 102); /* the last sector read */
    /* 256 sectors when the count is 0; 32-bit data accesses */
    lba28(r, 3000, 0, 0);
    out(r, STATCMD, 0x21);
    for (unsigned s = 0; s < 256; s++) {
        ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
        for (unsigned i = 0; i < 512; i += 4) {
            uint32_t v = inl(r, DATA);
            for (unsigned k = 0; k < 4; k++)
                ck_assert_uint_eq((v >> (8 * k)) & 0xFF, pattern(3000 + s, i + k));
        }
    }
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    rig_free(r);
}
END_TEST

START_TEST(test_pio_write_persists)
{
    struct rig *r = rig_new();
    out(r, ALT, 0);
    lba28(r, 50, 2, 0);
    out(r, STATCMD, 0x30);
    ck_assert_uint_eq(wait_ready(r, ALT), IDE_ST_DRDY | IDE_ST_DSC | IDE_ST_DRQ);
    ck_assert_uint_eq(r->irq[0].edges, 0); /* no interrupt before the first block */
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned i = 0; i < 512; i += 2)
            outw(r, DATA, (uint16_t)((i ^ (s * 0x55)) & 0xFF) | (uint16_t)(((i + 1) ^ (s * 0x55)) & 0xFF) << 8);
        ck_assert(in(r, ALT) & IDE_ST_BSY);
        uint8_t st = wait_ready(r, ALT);
        ck_assert_uint_eq(r->irq[0].edges, s + 1);
        ck_assert_uint_eq(st, s == 0 ? 0x58 : 0x50);
        in(r, STATCMD);
    }
    /* read them back */
    lba28(r, 50, 2, 0);
    out(r, STATCMD, 0x20);
    for (unsigned s = 0; s < 2; s++) {
        ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
        for (unsigned i = 0; i < 512; i += 2) {
            uint16_t w = inw(r, DATA);
            ck_assert_uint_eq(w & 0xFF, (i ^ (s * 0x55)) & 0xFF);
        }
    }
    /* 32-bit data writes move two words each */
    lba28(r, 60, 1, 0);
    out(r, STATCMD, 0x30);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    for (unsigned i = 0; i < 512; i += 4)
        outl(r, DATA, 0x01020304u * (i / 4 + 1));
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    lba28(r, 60, 1, 0);
    out(r, STATCMD, 0x20);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    for (unsigned i = 0; i < 512; i += 4)
        ck_assert_uint_eq(inl(r, DATA), 0x01020304u * (i / 4 + 1));
    /* a soft reset in the middle of a transfer ends it */
    lba28(r, 0, 4, 0);
    out(r, STATCMD, 0x20);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    inw(r, DATA);
    out(r, ALT, IDE_CTL_SRST);
    out(r, ALT, 0);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    ck_assert_uint_eq(inw(r, DATA), 0xFFFF);
    /* flush, then the file holds the data */
    out(r, STATCMD, 0xE7);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    blockdev_close(&r->bd[0]);
    r->open[0] = false;
    FILE *f = fopen(r->path[0], "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t sec[512];
    fseek(f, 51 * 512, SEEK_SET);
    ck_assert_uint_eq(fread(sec, 1, 512, f), 512);
    for (unsigned i = 0; i < 512; i++)
        ck_assert_uint_eq(sec[i], (i ^ 0x55) & 0xFF);
    fseek(f, 52 * 512, SEEK_SET);
    ck_assert_uint_eq(fread(sec, 1, 512, f), 512);
    ck_assert_uint_eq(sec[0], pattern(52, 0)); /* untouched */
    fclose(f);
    rig_free(r);
}
END_TEST

START_TEST(test_pio_lba48)
{
    struct rig *r = rig_new();
    lba48(r, 0x123, 2);
    ck_assert_uint_eq(in(r, NSECT), 2);
    out(r, STATCMD, 0x24);
    read_pio(r, 0x123, 2, 1);
    /* the whole 16-bit count: 0x0104 sectors */
    lba48(r, 7, 0x104);
    out(r, STATCMD, 0x24);
    read_pio(r, 7, 0x104, 1);
    ck_assert_uint_eq(in(r, LBAL), (uint8_t)(7 + 0x104 - 1));
    ck_assert_uint_eq(in(r, LBAM), (uint8_t)((7 + 0x104 - 1) >> 8));
    /* write multiple ext */
    out(r, NSECT, 8);
    out(r, STATCMD, 0xC6);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    lba48(r, 900, 8);
    out(r, STATCMD, 0x39);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    for (unsigned i = 0; i < 8 * 512; i += 2)
        outw(r, DATA, (uint16_t)(pattern(0, i) | pattern(0, i + 1) << 8));
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    lba48(r, 900, 1);
    out(r, STATCMD, 0x24);
    ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
    ck_assert_uint_eq(inw(r, DATA), (uint16_t)(pattern(0, 0) | pattern(0, 1) << 8));
    rig_free(r);
}
END_TEST

START_TEST(test_pio_chs)
{
    struct rig *r = rig_new();
    /* default translation 16 heads x 63 sectors: C 1 H 2 S 3 */
    out(r, DEVSEL, 0xA2);
    out(r, NSECT, 2);
    out(r, LBAL, 3);
    out(r, LBAM, 1);
    out(r, LBAH, 0);
    out(r, STATCMD, 0x20);
    uint64_t lba = (1 * 16 + 2) * 63 + 3 - 1;
    read_pio(r, lba, 2, 1);
    /* the registers now address the last sector in CHS */
    ck_assert_uint_eq(in(r, LBAL), 4);
    ck_assert_uint_eq(in(r, DEVSEL) & 0x0F, 2);
    /* sector 0 does not exist */
    out(r, LBAL, 0);
    out(r, STATCMD, 0x20);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_IDNF);
    /* INITIALIZE DEVICE PARAMETERS: 8 heads, 32 sectors per track */
    out(r, DEVSEL, 0xA7);
    out(r, NSECT, 32);
    out(r, STATCMD, 0x91);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    uint16_t id[256];
    read_identify(r, id);
    ck_assert_uint_eq(id[54], DISK_SECTORS / (8 * 32));
    ck_assert_uint_eq(id[55], 8);
    ck_assert_uint_eq(id[56], 32);
    ck_assert_uint_eq(id[1], DISK_SECTORS / (16 * 63)); /* the default stays */
    out(r, DEVSEL, 0xA5); /* C 2 H 5 S 7 */
    out(r, NSECT, 1);
    out(r, LBAL, 7);
    out(r, LBAM, 2);
    out(r, LBAH, 0);
    out(r, STATCMD, 0x20);
    read_pio(r, (2 * 8 + 5) * 32 + 6, 1, 1);
    /* head 8 is past the new geometry */
    out(r, DEVSEL, 0xA8);
    out(r, LBAL, 1);
    out(r, STATCMD, 0x20);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_IDNF);
    /* SEEK in range completes, past the end fails */
    out(r, DEVSEL, 0xA0);
    out(r, STATCMD, 0x70);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    lba28(r, DISK_SECTORS, 1, 0);
    out(r, STATCMD, 0x70);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    out(r, STATCMD, 0x10); /* RECALIBRATE */
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    rig_free(r);
}
END_TEST

START_TEST(test_read_write_multiple)
{
    struct rig *r = rig_new();
    out(r, ALT, 0);
    out(r, NSECT, 4);
    out(r, STATCMD, 0xC6);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    in(r, STATCMD);
    unsigned e0 = r->irq[0].edges;
    lba28(r, 10, 10, 0);
    out(r, STATCMD, 0xC4);
    read_pio(r, 10, 10, 4);
    ck_assert_uint_eq(r->irq[0].edges - e0, 3); /* blocks of 4, 4 and 2 */
    /* word 59 shows the setting */
    uint16_t id[256];
    read_identify(r, id);
    ck_assert_uint_eq(id[59], 0x0104);
    /* not a power of two, or above the maximum: aborted */
    out(r, NSECT, 3);
    out(r, STATCMD, 0xC6);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    out(r, NSECT, 32);
    out(r, STATCMD, 0xC6);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    /* disabled: READ MULTIPLE aborts */
    out(r, NSECT, 0);
    out(r, STATCMD, 0xC6);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    lba28(r, 10, 1, 0);
    out(r, STATCMD, 0xC4);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    rig_free(r);
}
END_TEST

START_TEST(test_irq_per_block_and_nien)
{
    struct rig *r = rig_new();
    /* nIEN set: the line stays low, the status still works */
    out(r, ALT, IDE_CTL_NIEN);
    lba28(r, 0, 2, 0);
    out(r, STATCMD, 0x20);
    read_pio(r, 0, 2, 1);
    ck_assert_uint_eq(r->irq[0].edges, 0);
    /* a pending interrupt appears when nIEN is cleared */
    out(r, STATCMD, 0xE5); /* CHECK POWER MODE */
    wait_ready(r, ALT);
    ck_assert(!r->irq[0].level);
    out(r, ALT, 0);
    ck_assert(r->irq[0].level);
    ck_assert_uint_eq(r->irq[0].edges, 1);
    ck_assert_uint_eq(in(r, NSECT), 0xFF);
    /* the alternate status does not acknowledge; the status does */
    in(r, ALT);
    ck_assert(r->irq[0].level);
    in(r, STATCMD);
    ck_assert(!r->irq[0].level);
    /* the line follows the selected device */
    out(r, STATCMD, 0xE5);
    wait_ready(r, ALT);
    ck_assert(r->irq[0].level);
    out(r, DEVSEL, 0xB0);
    ck_assert(!r->irq[0].level);
    out(r, DEVSEL, 0xA0);
    ck_assert(r->irq[0].level);
    /* a new command clears a pending interrupt */
    out(r, STATCMD, 0xE1);
    ck_assert(!r->irq[0].level);
    wait_ready(r, ALT);
    ck_assert(r->irq[0].level);
    rig_free(r);
}
END_TEST

START_TEST(test_master_and_slave)
{
    struct rig *r = rig_new_bare();
    make_image(r, 0, 2048, false);
    make_image(r, 1, 1024, false);
    open_disk(r, 0, BLOCKDEV_READ_WRITE, 0, 0);
    open_disk(r, 1, BLOCKDEV_READ_ONLY, 0, 1);
    uint16_t id[256];
    out(r, DEVSEL, 0xB0);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    read_identify(r, id);
    ck_assert_uint_eq(id[60], 1024);
    ck_assert_uint_eq(id[93] & 0x1F00, 0x0B00); /* device 1's reset result */
    out(r, DEVSEL, 0xA0);
    read_identify(r, id);
    ck_assert_uint_eq(id[60], 2048);
    ck_assert_uint_eq(id[93] & 0x30, 0x30); /* device 0 saw device 1 */
    lba28(r, 1000, 1, 1);
    out(r, STATCMD, 0x20);
    read_pio(r, 1000, 1, 1);
    /* the slave's image is read-only: writes abort, the data stays */
    lba28(r, 5, 1, 1);
    out(r, STATCMD, 0x30);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    ck_assert_uint_eq(in(r, DATA), 0xFF); /* no data phase */
    lba28(r, 5, 1, 1);
    out(r, STATCMD, 0x20);
    read_pio(r, 5, 1, 1);
    /* soft reset resets both */
    out(r, ALT, IDE_CTL_SRST);
    out(r, ALT, 0);
    wait_ready(r, ALT);
    out(r, DEVSEL, 0xB0);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    ck_assert_uint_eq(in(r, LBAM), 0);
    ck_assert_uint_eq(in(r, ERR_FEAT), 1);
    rig_free(r);
}
END_TEST

/* ---- errors and the other commands ------------------------------------------ */

START_TEST(test_errors)
{
    struct rig *r = rig_new();
    out(r, ALT, 0);
    /* starts inside, ends past the end */
    lba28(r, DISK_SECTORS - 1, 2, 0);
    out(r, STATCMD, 0x20);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_IDNF);
    ck_assert_uint_eq(r->irq[0].edges, 1);
    ck_assert_uint_eq(in(r, LBAL), (uint8_t)DISK_SECTORS); /* the first missing sector */
    ck_assert_uint_eq(in(r, LBAM), (uint8_t)(DISK_SECTORS >> 8));
    ck_assert_uint_eq(in(r, STATCMD), 0x51);
    /* starts past the end; LBA48; verify; DMA */
    lba48(r, 1ull << 40, 1);
    out(r, STATCMD, 0x24);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_IDNF);
    lba28(r, DISK_SECTORS, 1, 0);
    out(r, STATCMD, 0x40);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    lba28(r, DISK_SECTORS, 1, 0);
    out(r, STATCMD, 0xC8);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_IDNF);
    /* READ VERIFY in range: no data, an interrupt */
    unsigned e = r->irq[0].edges;
    lba28(r, 10, 20, 0);
    out(r, STATCMD, 0x40);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    ck_assert_uint_eq(r->irq[0].edges, e + 1);
    /* unknown and ATAPI-only commands abort */
    static const uint8_t bad[] = {0x00, 0x08, 0x50, 0xA0, 0xFF, 0xF8, 0x27};
    for (unsigned i = 0; i < sizeof bad; i++) {
        out(r, STATCMD, bad[i]);
        ck_assert_msg(wait_ready(r, ALT) == 0x51, "command %02x", bad[i]);
        ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    }
    /* the next good command clears the error */
    out(r, STATCMD, 0xE1);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    ck_assert_uint_eq(in(r, ERR_FEAT), 0);
    /* writes to the command block while busy are ignored */
    lba28(r, 1, 1, 0);
    out(r, STATCMD, 0x20);
    out(r, LBAL, 99);
    out(r, STATCMD, 0xEC);
    read_pio(r, 1, 1, 1);
    rig_free(r);
}
END_TEST

START_TEST(test_read_only_image)
{
    struct rig *r = rig_new_bare();
    make_image(r, 0, 64, false);
    open_disk(r, 0, BLOCKDEV_READ_ONLY, 0, 0);
    static const uint8_t writes[] = {0x30, 0x34, 0xC5, 0x39, 0xCA, 0x35};
    for (unsigned i = 0; i < sizeof writes; i++) {
        lba48(r, 3, 1);
        out(r, DEVSEL, 0xE0);
        out(r, STATCMD, writes[i]);
        ck_assert_msg(wait_ready(r, ALT) == 0x51, "command %02x", writes[i]);
        ck_assert_uint_eq(in(r, ERR_FEAT), IDE_ERR_ABRT);
    }
    lba28(r, 3, 1, 0);
    out(r, STATCMD, 0x20);
    read_pio(r, 3, 1, 1);
    rig_free(r);
}
END_TEST

START_TEST(test_features_and_power)
{
    struct rig *r = rig_new();
    uint16_t id[256];
    out(r, ERR_FEAT, 0x03);
    out(r, NSECT, 0x42); /* UDMA 2 */
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    read_identify(r, id);
    ck_assert_uint_eq(id[88], 0x043F);
    ck_assert_uint_eq(id[63], 0x0007);
    out(r, ERR_FEAT, 0x03);
    out(r, NSECT, 0x21); /* MWDMA 1 */
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    read_identify(r, id);
    ck_assert_uint_eq(id[88], 0x003F);
    ck_assert_uint_eq(id[63], 0x0207);
    out(r, ERR_FEAT, 0x03);
    out(r, NSECT, 0x47); /* UDMA 7: no */
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    out(r, ERR_FEAT, 0x82); /* write cache off */
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    read_identify(r, id);
    ck_assert_uint_eq(id[85] & 0x20, 0);
    out(r, ERR_FEAT, 0x77);
    out(r, STATCMD, 0xEF);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x51);
    /* power modes */
    out(r, STATCMD, 0xE0);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    out(r, STATCMD, 0xE5);
    wait_ready(r, ALT);
    ck_assert_uint_eq(in(r, NSECT), 0x00);
    out(r, STATCMD, 0xE3);
    wait_ready(r, ALT);
    out(r, STATCMD, 0xE5);
    wait_ready(r, ALT);
    ck_assert_uint_eq(in(r, NSECT), 0xFF);
    out(r, STATCMD, 0xEA);
    ck_assert_uint_eq(wait_ready(r, ALT), 0x50);
    /* a hardware reset brings back the power-on settings */
    ide_reset(r->ide);
    read_identify(r, id);
    ck_assert_uint_eq(id[63], 0x0407);
    ck_assert_uint_eq(id[85] & 0x20, 0x20);
    rig_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ide");
    TCase *tc = tcase_create("registers");
    tcase_add_test(tc, test_signature_and_srst);
    tcase_add_test(tc, test_hob_registers);
    tcase_add_test(tc, test_decode_disable);
    tcase_add_test(tc, test_execute_diagnostic);
    suite_add_tcase(s, tc);

    tc = tcase_create("identify");
    tcase_add_test(tc, test_identify_contents);
    tcase_add_test(tc, test_identify_large_disk);
    suite_add_tcase(s, tc);

    tc = tcase_create("pio");
    tcase_add_test(tc, test_pio_read_lba28);
    tcase_add_test(tc, test_pio_write_persists);
    tcase_add_test(tc, test_pio_lba48);
    tcase_add_test(tc, test_pio_chs);
    tcase_add_test(tc, test_read_write_multiple);
    tcase_add_test(tc, test_irq_per_block_and_nien);
    tcase_add_test(tc, test_master_and_slave);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_read_only_image);
    tcase_add_test(tc, test_features_and_power);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
