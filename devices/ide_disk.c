/* ATA hard disk commands and the IDENTIFY data of both device kinds, for the
 * channels in ide.c (see ide.h).
 *
 * Follows ATA/ATAPI-6 (T13/1410D rev 3b): the command descriptions (READ/WRITE
 * SECTOR(S), MULTIPLE and DMA with their EXT forms, READ VERIFY SECTOR(S),
 * SET MULTIPLE MODE, INITIALIZE DEVICE PARAMETERS, FLUSH CACHE (EXT),
 * RECALIBRATE and SEEK, and the IDENTIFY DEVICE / IDENTIFY PACKET DEVICE words
 * with the word 255 integrity checksum), and the addressing rules: CHS through
 * the current geometry, 28-bit LBA with the top nibble in the device register,
 * 48-bit LBA from the current and previous register contents, sector counts
 * of 0 meaning 256 or 65536.
 *
 * The disks translate CHS with 16 heads and 63 sectors per track by default
 * (cylinders capped at 16383) and whatever INITIALIZE DEVICE PARAMETERS sets.
 * After each block of a read or write the address registers hold the last
 * sector moved, as ATA-1 drives did; on an error they hold the failing one.
 * A command that cannot complete (an address past the end: IDNF; a write to a
 * read-only image, an unknown command: ABRT; a failing image read: UNC) ends
 * with ERR and an interrupt. */
#include "ide.h"

#include <string.h>

enum {
    CMD_READ_SECTORS = 0x20, CMD_READ_SECTORS_NR = 0x21,
    CMD_READ_SECTORS_EXT = 0x24, CMD_READ_DMA_EXT = 0x25, CMD_READ_MULTIPLE_EXT = 0x29,
    CMD_WRITE_SECTORS = 0x30, CMD_WRITE_SECTORS_NR = 0x31,
    CMD_WRITE_SECTORS_EXT = 0x34, CMD_WRITE_DMA_EXT = 0x35, CMD_WRITE_MULTIPLE_EXT = 0x39,
    CMD_READ_VERIFY = 0x40, CMD_READ_VERIFY_NR = 0x41, CMD_READ_VERIFY_EXT = 0x42,
    CMD_INITIALIZE_PARAMS = 0x91,
    CMD_READ_MULTIPLE = 0xC4, CMD_WRITE_MULTIPLE = 0xC5, CMD_SET_MULTIPLE = 0xC6,
    CMD_READ_DMA = 0xC8, CMD_READ_DMA_NR = 0xC9, CMD_WRITE_DMA = 0xCA, CMD_WRITE_DMA_NR = 0xCB,
    CMD_FLUSH_CACHE = 0xE7, CMD_FLUSH_CACHE_EXT = 0xEA,
};

/* ---- addresses ----------------------------------------------------------- */

/* The command's starting sector and count from the task file; false for a CHS
 * address outside the current geometry. */
static bool decode_address(const struct ide_device *d, uint64_t *lba, uint32_t *count)
{
    if (d->ext) {
        *lba = (uint64_t)d->hob_lbah << 40 | (uint64_t)d->hob_lbam << 32 | (uint64_t)d->hob_lbal << 24 |
               (uint64_t)d->lbah << 16 | (uint64_t)d->lbam << 8 | d->lbal;
        *count = (uint32_t)d->hob_nsector << 8 | d->nsector;
        if (!*count)
            *count = 65536;
        return true;
    }
    *count = d->nsector ? d->nsector : 256;
    if (d->select & IDE_DEV_LBA) {
        *lba = (uint64_t)(d->select & 0x0F) << 24 | (uint64_t)d->lbah << 16 | (uint64_t)d->lbam << 8 | d->lbal;
        return true;
    }
    unsigned cyl = (unsigned)d->lbah << 8 | d->lbam, head = d->select & 0x0F, sector = d->lbal;
    if (sector == 0 || sector > d->cur_spt || head >= d->cur_heads || cyl >= d->cur_cyls)
        return false;
    *lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_spt + sector - 1;
    return true;
}

/* Writes a sector address back into the task file in the command's addressing mode. */
static void set_address(struct ide_device *d, uint64_t lba)
{
    if (d->ext) {
        d->lbal = (uint8_t)lba;
        d->lbam = (uint8_t)(lba >> 8);
        d->lbah = (uint8_t)(lba >> 16);
        d->hob_lbal = (uint8_t)(lba >> 24);
        d->hob_lbam = (uint8_t)(lba >> 32);
        d->hob_lbah = (uint8_t)(lba >> 40);
    } else if (d->select & IDE_DEV_LBA) {
        d->lbal = (uint8_t)lba;
        d->lbam = (uint8_t)(lba >> 8);
        d->lbah = (uint8_t)(lba >> 16);
        d->select = (uint8_t)((d->select & 0xF0) | ((lba >> 24) & 0x0F));
    } else if (d->cur_heads && d->cur_spt) {
        uint64_t track = lba / d->cur_spt, cyl = track / d->cur_heads;
        d->lbal = (uint8_t)(lba % d->cur_spt + 1);
        d->lbam = (uint8_t)cyl;
        d->lbah = (uint8_t)(cyl >> 8);
        d->select = (uint8_t)((d->select & 0xF0) | (track % d->cur_heads));
    }
}

/* ---- IDENTIFY ------------------------------------------------------------ */

static void id_string(uint16_t *id, unsigned word, unsigned words, const char *s)
{
    size_t n = strlen(s);
    for (unsigned i = 0; i < 2 * words; i++) {
        uint8_t c = i < n ? (uint8_t)s[i] : ' ';
        /* ATA strings put the first character of each pair in the high byte */
        id[word + i / 2] |= (uint16_t)(i & 1 ? c : c << 8);
    }
}

static void id_common(const struct ide_device *d, uint16_t *id)
{
    id_string(id, 10, 10, d->serial);
    id_string(id, 23, 4, "1.0");
    id_string(id, 27, 20, d->model);
    id[49] = 0x0F00;                /* IORDY, IORDY may be disabled, LBA, DMA */
    id[51] = 0x0200;                /* obsolete PIO timing mode 2 */
    id[63] = 0x0007;                /* multiword DMA 0-2 supported */
    if ((d->xfer_mode & 0xF8) == 0x20)
        id[63] |= (uint16_t)(0x100 << (d->xfer_mode & 7));
    id[64] = 0x0003;                /* PIO 3 and 4 */
    id[65] = id[66] = id[67] = id[68] = 120;
    id[88] = 0x003F;                /* Ultra DMA 0-5 supported */
    if ((d->xfer_mode & 0xF8) == 0x40)
        id[88] |= (uint16_t)(0x100 << (d->xfer_mode & 7));
    /* Word 93, hardware reset result: CBLID above ViH, device number by
     * jumper; device 0 passed diagnostics and saw device 1's PDIAG-/DASP-. */
    bool other = d->chan->dev[d->unit ^ 1].kind != IDE_NONE;
    id[93] = d->unit ? 0x6B00 : (uint16_t)(0x600B | (other ? 0x0030 : 0));
}

void ide_identify(struct ide_device *d)
{
    uint16_t id[256];
    memset(id, 0, sizeof id);
    id_common(d, id);
    if (d->kind == IDE_CDROM) {
        id[0] = 0x85C0; /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets */
        id[53] = 0x0006;
        id[80] = 0x0070; /* ATAPI-4 to 6 */
        id[82] = 0x4218; /* NOP, DEVICE RESET, PACKET, power management */
        id[83] = id[84] = id[87] = 0x4000;
        id[85] = 0x4218;
    } else {
        uint64_t lba28 = d->sectors < 0x0FFFFFFF ? d->sectors : 0x0FFFFFFF;
        uint32_t cur_cap = (uint32_t)d->cur_cyls * d->cur_heads * d->cur_spt;
        id[0] = 0x0040; /* fixed device */
        id[1] = d->cyls;
        id[3] = d->heads;
        id[6] = d->spt;
        id[47] = 0x8000 | IDE_MAX_MULTIPLE;
        id[50] = 0x4000;
        id[53] = 0x0007; /* words 54-58, 64-70 and 88 valid */
        id[54] = d->cur_cyls;
        id[55] = d->cur_heads;
        id[56] = d->cur_spt;
        id[57] = (uint16_t)cur_cap;
        id[58] = (uint16_t)(cur_cap >> 16);
        id[59] = d->multiple ? (uint16_t)(0x0100 | d->multiple) : 0;
        id[60] = (uint16_t)lba28;
        id[61] = (uint16_t)(lba28 >> 16);
        id[80] = 0x007E; /* ATA-1 to ATA-6 */
        id[82] = 0x4068; /* NOP, look-ahead, write cache, power management */
        id[83] = 0x7400; /* FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses */
        id[84] = id[87] = 0x4000;
        id[85] = (uint16_t)(0x4008 | (d->look_ahead ? 0x40 : 0) | (d->write_cache ? 0x20 : 0));
        id[86] = 0x3400;
        for (unsigned i = 0; i < 4; i++)
            id[100 + i] = (uint16_t)(d->sectors >> (16 * i));
    }
    /* Word 255: integrity signature A5h and a checksum making all 512 bytes sum to 0. */
    id[255] = 0x00A5;
    uint8_t sum = 0;
    for (unsigned i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (id[i] & 0xFF) + (id[i] >> 8));
    sum = (uint8_t)(sum + 0xA5);
    id[255] |= (uint16_t)((uint8_t)-sum << 8);
    for (unsigned i = 0; i < 256; i++) {
        d->buf[2 * i] = (uint8_t)id[i];
        d->buf[2 * i + 1] = (uint8_t)(id[i] >> 8);
    }
    ide_drq(d, IDE_PHASE_PIO_IN, 512);
    ide_raise_irq(d);
}

/* ---- disk data transfers -------------------------------------------------- */

void ide_disk_read_block(struct ide_device *d)
{
    uint32_t n = d->remaining < d->block ? d->remaining : d->block;
    if (blockdev_read(d->bd, d->lba * IDE_SECTOR, d->buf, (size_t)n * IDE_SECTOR) < 0) {
        set_address(d, d->lba);
        ide_fail(d, IDE_ERR_UNC);
        return;
    }
    ide_drq(d, IDE_PHASE_PIO_IN, n * IDE_SECTOR);
    ide_raise_irq(d);
}

void ide_disk_write_block(struct ide_device *d)
{
    uint32_t n = d->len / IDE_SECTOR;
    if (blockdev_write(d->bd, d->lba * IDE_SECTOR, d->buf, d->len) < 0) {
        set_address(d, d->lba);
        ide_fail(d, IDE_ERR_ABRT);
        return;
    }
    d->lba += n;
    d->remaining -= n;
    set_address(d, d->lba - 1);
    if (!d->remaining) {
        ide_complete(d, true);
        return;
    }
    n = d->remaining < d->block ? d->remaining : d->block;
    ide_drq(d, IDE_PHASE_PIO_OUT, n * IDE_SECTOR);
    ide_raise_irq(d);
}

enum rw_mode { RW_PIO, RW_MULTIPLE, RW_DMA, RW_VERIFY };

static void start_rw(struct ide_device *d, bool write, bool ext, enum rw_mode mode)
{
    uint64_t lba;
    uint32_t count;
    d->ext = ext;
    if (mode == RW_MULTIPLE && !d->multiple) {
        ide_fail(d, IDE_ERR_ABRT);
        return;
    }
    if (!decode_address(d, &lba, &count)) {
        ide_fail(d, IDE_ERR_IDNF);
        return;
    }
    if (lba >= d->sectors || count > d->sectors - lba) {
        set_address(d, lba > d->sectors ? lba : d->sectors);
        ide_fail(d, IDE_ERR_IDNF);
        return;
    }
    if (write && !blockdev_writable(d->bd)) {
        ide_fail(d, IDE_ERR_ABRT);
        return;
    }
    d->standby = false;
    d->write = write;
    d->lba = lba;
    d->remaining = count;
    d->block = mode == RW_MULTIPLE ? d->multiple : 1;
    switch (mode) {
    case RW_VERIFY:
        set_address(d, lba + count - 1);
        ide_complete(d, true);
        return;
    case RW_DMA:
        d->stage = 0;
        d->dma = true;
        d->phase = IDE_PHASE_DMA;
        d->status = ide_ready_status(d) | IDE_ST_DRQ;
        ide_dma_kick(d);
        return;
    default:
        if (write)
            ide_drq(d, IDE_PHASE_PIO_OUT, (count < d->block ? count : d->block) * IDE_SECTOR);
        else
            ide_disk_read_block(d);
        return;
    }
}

/* ---- DMA ------------------------------------------------------------------ */

int ide_disk_dma_io(void *opaque, uint8_t *buf, uint32_t len, bool to_memory)
{
    struct ide_device *d = opaque;
    if (to_memory) {
        /* whole sectors except where a PRD ends mid-sector: read by byte offset */
        if (blockdev_read(d->bd, d->lba * IDE_SECTOR + d->stage, buf, len) < 0)
            return -1;
        d->stage += len;
        d->lba += d->stage / IDE_SECTOR;
        d->remaining -= d->stage / IDE_SECTOR;
        d->stage %= IDE_SECTOR;
        return 0;
    }
    /* Writes commit whole sectors; a partial one waits in buf for the rest. */
    while (len) {
        if (d->stage == 0 && len >= IDE_SECTOR) {
            uint32_t whole = len & ~(IDE_SECTOR - 1);
            if (blockdev_write(d->bd, d->lba * IDE_SECTOR, buf, whole) < 0)
                return -1;
            d->lba += whole / IDE_SECTOR;
            d->remaining -= whole / IDE_SECTOR;
            buf += whole;
            len -= whole;
            continue;
        }
        uint32_t take = IDE_SECTOR - d->stage < len ? IDE_SECTOR - d->stage : len;
        memcpy(d->buf + d->stage, buf, take);
        d->stage += take;
        buf += take;
        len -= take;
        if (d->stage == IDE_SECTOR) {
            if (blockdev_write(d->bd, d->lba * IDE_SECTOR, d->buf, IDE_SECTOR) < 0)
                return -1;
            d->lba++;
            d->remaining--;
            d->stage = 0;
        }
    }
    return 0;
}

/* Accounts for a PIO data-in block the host has read; true if more follow. */
bool ide_disk_block_read(struct ide_device *d)
{
    uint32_t n = d->len / IDE_SECTOR;
    d->lba += n;
    d->remaining -= n;
    set_address(d, d->lba - 1);
    return d->remaining != 0;
}

void ide_disk_dma_done(struct ide_device *d, enum ide_bm_result res)
{
    if (res == IDE_BM_DONE) {
        set_address(d, d->lba - 1);
        ide_complete(d, true);
        return;
    }
    set_address(d, d->lba);
    ide_fail(d, res == IDE_BM_DEVICE_ERROR && !d->write ? IDE_ERR_UNC : IDE_ERR_ABRT);
}

/* ---- commands ------------------------------------------------------------- */

void ide_disk_exec(struct ide_device *d)
{
    uint8_t c = d->cmd;
    if ((c & 0xF0) == 0x10 || (c & 0xF0) == 0x70) { /* RECALIBRATE, SEEK */
        uint64_t lba;
        uint32_t count;
        d->ext = false;
        if ((c & 0xF0) == 0x70 && (!decode_address(d, &lba, &count) || lba >= d->sectors))
            ide_fail(d, IDE_ERR_IDNF);
        else
            ide_complete(d, true);
        return;
    }
    switch (c) {
    case CMD_READ_SECTORS: case CMD_READ_SECTORS_NR: start_rw(d, false, false, RW_PIO); return;
    case CMD_READ_SECTORS_EXT: start_rw(d, false, true, RW_PIO); return;
    case CMD_READ_MULTIPLE: start_rw(d, false, false, RW_MULTIPLE); return;
    case CMD_READ_MULTIPLE_EXT: start_rw(d, false, true, RW_MULTIPLE); return;
    case CMD_READ_DMA: case CMD_READ_DMA_NR: start_rw(d, false, false, RW_DMA); return;
    case CMD_READ_DMA_EXT: start_rw(d, false, true, RW_DMA); return;
    case CMD_WRITE_SECTORS: case CMD_WRITE_SECTORS_NR: start_rw(d, true, false, RW_PIO); return;
    case CMD_WRITE_SECTORS_EXT: start_rw(d, true, true, RW_PIO); return;
    case CMD_WRITE_MULTIPLE: start_rw(d, true, false, RW_MULTIPLE); return;
    case CMD_WRITE_MULTIPLE_EXT: start_rw(d, true, true, RW_MULTIPLE); return;
    case CMD_WRITE_DMA: case CMD_WRITE_DMA_NR: start_rw(d, true, false, RW_DMA); return;
    case CMD_WRITE_DMA_EXT: start_rw(d, true, true, RW_DMA); return;
    case CMD_READ_VERIFY: case CMD_READ_VERIFY_NR: start_rw(d, false, false, RW_VERIFY); return;
    case CMD_READ_VERIFY_EXT: start_rw(d, false, true, RW_VERIFY); return;
    case IDE_CMD_IDENTIFY:
        ide_identify(d);
        return;
    case CMD_SET_MULTIPLE: /* 0 disables; otherwise a power of two up to word 47's limit */
        if (d->nsector > IDE_MAX_MULTIPLE || (d->nsector & (d->nsector - 1))) {
            ide_fail(d, IDE_ERR_ABRT);
            return;
        }
        d->multiple = d->nsector;
        ide_complete(d, true);
        return;
    case CMD_INITIALIZE_PARAMS: { /* sectors per track in the count, heads - 1 in the device register */
        unsigned heads = (d->select & 0x0F) + 1u, spt = d->nsector;
        if (spt == 0) {
            ide_fail(d, IDE_ERR_ABRT);
            return;
        }
        uint64_t cyls = d->sectors / (heads * spt);
        d->cur_heads = (uint16_t)heads;
        d->cur_spt = (uint16_t)spt;
        d->cur_cyls = (uint16_t)(cyls > 65535 ? 65535 : cyls);
        ide_complete(d, true);
        return;
    }
    case CMD_FLUSH_CACHE:
    case CMD_FLUSH_CACHE_EXT:
        if (blockdev_flush(d->bd) < 0)
            ide_fail(d, IDE_ERR_ABRT);
        else
            ide_complete(d, true);
        return;
    default:
        if (!ide_exec_common(d))
            ide_fail(d, IDE_ERR_ABRT); /* NOP, PACKET, IDENTIFY PACKET, DEVICE RESET and the unknown */
        return;
    }
}

