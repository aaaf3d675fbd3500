/* Intel 82077AA floppy disk controller (see fdc.h).
 *
 * Followed: Intel 82077AA datasheet (290166): 2.1 "Status, Data and Control
 * Registers" (SRA/SRB in PS/2 mode, DOR, TDR, MSR, DSR, FIFO, DIR in PC-AT and
 * PS/2 mode, CCR), 2.2 reset (DOR and DSR software resets; LOCK keeps EFIFO,
 * FIFOTHR and PRETRK), 4 "Controller Phases", 5 "Command Set" (Table 5-1 and
 * the status register tables), 5.1 data transfer commands (Table 5-3 MT/N,
 * Table 5-4/5-5 SK, Table 5-6 result phase ID, Table 5-7 VERIFY termination,
 * the ND/MA after two index pulses, the NW check, EN at the end of the
 * cylinder), 5.2 control commands (READ ID, RECALIBRATE's 79 step pulses,
 * SEEK, RELATIVE SEEK, SENSE INTERRUPT STATUS with Table 5-9, SENSE DRIVE
 * STATUS, SPECIFY's step rate table, CONFIGURE, VERSION, DUMPREG, LOCK,
 * PERPENDICULAR MODE), 7.4 drive polling (after a reset one interrupt, then
 * one SENSE INTERRUPT STATUS per drive returns IC = 11), and the note to Table
 * 5-1: the DS bits of a command are internal only, the drive actually selected
 * is the DOR's, so the physical drive of a command is the DOR-selected one.
 *
 * In PC-AT mode DOR bit 3 (DMAGATE) gates the INT and DRQ outputs: an
 * interrupt raised while it is clear reaches IRQ 6 when it is set.  Where the
 * datasheet is silent: after the single post-reset interrupt each SENSE
 * INTERRUPT STATUS clears INT, and seek statuses are sensed before the polling
 * ones (SeaBIOS senses once after a reset, then recalibrates and senses).
 *
 * Data moves when the sectors pass under the head: DMA transfers happen at the
 * first sector's time, and the result phase (with IRQ 6) comes when the last
 * sector has passed.  Non-DMA mode hands one sector at a time through the FIFO
 * with an interrupt per byte request, and ends at EOT (ST1 EN), having no TC.
 *
 * Not modelled, a raw image having no room for it: deleted data marks (WRITE
 * DELETED writes normal data), CRC errors, IDs other than the image's own
 * layout (FORMAT with foreign IDs formats nothing), perpendicular recording
 * (the register is kept), FIFO thresholds, power-down.  The 82077AA has no
 * SCAN commands: they are invalid, as on the chip. */
#include "fdc.h"

#include <stdio.h>
#include <string.h>

enum { PH_RESET, PH_CMD, PH_EXEC, PH_NDMA_IN, PH_NDMA_OUT, PH_RESULT };
enum { EV_NONE, EV_POLL, EV_START, EV_DONE };
enum {
    C_INVALID, C_READ_TRACK, C_SPECIFY, C_SENSE_DRIVE, C_WRITE, C_READ, C_RECAL, C_SENSE_INT, C_WRITE_DEL,
    C_READ_ID, C_READ_DEL, C_FORMAT, C_DUMPREG, C_SEEK, C_REL_SEEK, C_VERSION, C_PERP, C_CONFIGURE, C_LOCK,
    C_VERIFY,
};

enum { MSR_RQM = 0x80, MSR_DIO = 0x40, MSR_NDMA = 0x20, MSR_CB = 0x10 };
enum { ST0_INVALID = 0x80, ST0_POLL = 0xC0, ST0_ABN = 0x40, ST0_SE = 0x20, ST0_EC = 0x10 };
enum { ST1_EN = 0x80, ST1_DE = 0x20, ST1_OR = 0x10, ST1_ND = 0x04, ST1_NW = 0x02, ST1_MA = 0x01 };
enum { ST2_CM = 0x40, ST2_DD = 0x20, ST2_WC = 0x10 };
enum { CFG_EIS = 0x40, CFG_EFIFO = 0x20, CFG_POLL = 0x10, DOR_RESET = 0x04 /* 0 = held in reset */, DOR_DMA = 0x08 };
#define POLL_DELAY_NS 250000u
#define INDEX_PULSE_NS 2000000u

enum media_class { M_525DD, M_525HD, M_35DD, M_35HD, M_35ED };

static const struct {
    uint32_t size;
    uint8_t tracks, heads, spt, cls;
} fdc_media[] = {
    {163840, 40, 1, 8, M_525DD},  {184320, 40, 1, 9, M_525DD},  {327680, 40, 2, 8, M_525DD},
    {368640, 40, 2, 9, M_525DD},  {1228800, 80, 2, 15, M_525HD}, {737280, 80, 2, 9, M_35DD},
    {1474560, 80, 2, 18, M_35HD}, {1720320, 80, 2, 21, M_35HD}, {1763328, 82, 2, 21, M_35HD},
    {2949120, 80, 2, 36, M_35ED},
};

/* Media classes each drive type takes, and the drive type a class gets by default. */
static const uint8_t fdc_accepts[6] = {
    [FDC_DRIVE_360K] = 1u << M_525DD,
    [FDC_DRIVE_1_2M] = 1u << M_525DD | 1u << M_525HD,
    [FDC_DRIVE_720K] = 1u << M_35DD,
    [FDC_DRIVE_1_44M] = 1u << M_35DD | 1u << M_35HD,
    [FDC_DRIVE_2_88M] = 1u << M_35DD | 1u << M_35HD | 1u << M_35ED,
};
static const uint8_t fdc_default_drive[5] = {FDC_DRIVE_360K, FDC_DRIVE_1_2M, FDC_DRIVE_720K, FDC_DRIVE_1_44M,
                                             FDC_DRIVE_2_88M};
static const uint16_t fdc_rate_kbps[4] = {500, 300, 250, 1000};

/* ---- drive mechanics ---- */

static struct fdc_drive *fdc_phys(struct fdc *fdc, unsigned pd)
{
    return pd < FDC_DRIVES && fdc->drive[pd].type != FDC_DRIVE_NONE ? &fdc->drive[pd] : NULL;
}

static bool fdc_is_35(const struct fdc_drive *d) { return d->type >= FDC_DRIVE_720K; }

static bool fdc_wp(const struct fdc_drive *d)
{
    /* Without a disk a 3.5" drive's write-protect sensor sees no tab: protected. */
    return d->bd ? d->read_only : fdc_is_35(d);
}

static bool fdc_spinning(struct fdc *fdc, unsigned pd)
{
    const struct fdc_drive *d = fdc_phys(fdc, pd);
    return d && d->bd && (fdc->dor & (0x10u << pd));
}

static unsigned fdc_speedup(const struct fdc *fdc) { return fdc->speedup ? fdc->speedup : 1u; }

static uint64_t fdc_rev_ns(struct fdc *fdc, unsigned pd)
{
    const struct fdc_drive *d = fdc_phys(fdc, pd);
    uint64_t rev = d && d->type == FDC_DRIVE_1_2M ? 166666667u : 200000000u; /* 360 / 300 rpm */
    return rev / fdc_speedup(fdc);
}

/* SPECIFY step rate: (16 - SRT) x 0.5 ms at 1 Mbps, scaled by the data rate. */
static uint64_t fdc_step_ns(const struct fdc *fdc)
{
    return (16u - (fdc->srt_hut >> 4)) * 500000000ull / fdc_rate_kbps[fdc->rate] / fdc_speedup(fdc);
}

/* Step pulses to the physical drive; the head stops at track 0 and at the
 * mechanical stop.  A step with a disk in resets the disk change line. */
static void fdc_step(struct fdc *fdc, unsigned pd, bool in, unsigned steps)
{
    struct fdc_drive *d = fdc_phys(fdc, pd);
    if (!d || !steps)
        return;
    unsigned max = d->type == FDC_DRIVE_360K ? 41u : 83u;
    unsigned t = d->track;
    t = in ? (t + steps > max ? max : t + steps) : (steps > t ? 0 : t - steps);
    d->track = (uint8_t)t;
    d->step_in = in;
    if (d->bd)
        d->changed = false;
}

static bool fdc_track0(struct fdc *fdc, unsigned pd) { return fdc_phys(fdc, pd) && fdc->drive[pd].track == 0; }

/* ---- interrupt ---- */

/* The INT output as IRQ 6 sees it. */
static void fdc_update_irq(struct fdc *fdc)
{
    bool level = fdc->int_latch && (fdc->ps2_mode || (fdc->dor & DOR_DMA));
    if (fdc->irq_level != level) {
        fdc->irq_level = level;
        irq_set(&fdc->irq, level);
    }
}

static void fdc_set_int(struct fdc *fdc, bool level)
{
    fdc->int_latch = level;
    fdc_update_irq(fdc);
}

static void fdc_pulse_int(struct fdc *fdc) { fdc_set_int(fdc, false), fdc_set_int(fdc, true); }

/* ---- phases ---- */

/* An immediate result phase (no interrupt). */
static void fdc_result(struct fdc *fdc, const uint8_t *bytes, unsigned n)
{
    memcpy(fdc->res, bytes, n);
    fdc->res_len = (uint8_t)n;
    fdc->res_pos = 0;
    fdc->phase = PH_RESULT;
    fdc->res_irq = false;
}

static void fdc_arm(struct fdc *fdc, uint8_t kind, uint64_t t)
{
    fdc->ev_kind = kind;
    vclock_arm(fdc->clk, &fdc->ev, t);
}

/* Ends a data command: the result is read out once the head is done at t. */
static void fdc_finish(struct fdc *fdc, uint8_t ic, uint8_t st1, uint8_t st2, uint64_t t)
{
    fdc->st0 = (uint8_t)(ic | (fdc->implied_seek ? ST0_SE : 0) | fdc->hds << 2 | fdc->ds);
    fdc->st1 = st1;
    fdc->st2 = (uint8_t)(fdc->st2 | st2);
    uint8_t r[7] = {fdc->st0, fdc->st1, fdc->st2, fdc->c, fdc->h, fdc->r, fdc->n};
    memcpy(fdc->res, r, sizeof r);
    fdc->res_len = 7;
    fdc->phase = PH_EXEC;
    fdc_arm(fdc, EV_DONE, t > vclock_now(fdc->clk) ? t : vclock_now(fdc->clk));
}

/* What a reset (DOR or DSR) clears; the drives keep their heads. */
static void fdc_soft_reset(struct fdc *fdc)
{
    vclock_cancel(fdc->clk, &fdc->ev);
    vclock_cancel(fdc->clk, &fdc->seek_ev);
    fdc->ev_kind = EV_NONE;
    fdc->stalled = false;
    fdc->cmd_pos = fdc->res_pos = fdc->res_len = 0;
    fdc->poll_pending = fdc->seek_pending = fdc->seek_busy = 0;
    memset(fdc->pcn, 0, sizeof fdc->pcn);
    fdc->st0 = fdc->st1 = fdc->st2 = 0;
    fdc->config &= (uint8_t)~(CFG_EIS | CFG_POLL); /* implied seek off, polling on */
    if (!fdc->lock) {
        fdc->config = (uint8_t)((fdc->config & ~0x2Fu) | CFG_EFIFO);
        fdc->pretrk = 0;
    }
    fdc->perp &= 0x3C; /* GAP and WGATE clear, D3-D0 kept */
    fdc_set_int(fdc, false);
}

static void fdc_leave_reset(struct fdc *fdc)
{
    fdc_soft_reset(fdc);
    fdc->phase = PH_CMD;
    fdc_arm(fdc, EV_POLL, vclock_now(fdc->clk) + POLL_DELAY_NS);
}

/* ---- sectors ---- */

/* The track under the head, if the controller can read its address marks. */
static bool fdc_readable(struct fdc *fdc, uint8_t *mtrack)
{
    const struct fdc_drive *d = fdc_phys(fdc, fdc->pd);
    if (!d || !d->bd || !(fdc->cmd[0] & 0x40) || fdc->rate != d->rate)
        return false; /* FM, or the wrong data rate: no address mark is ever found */
    unsigned m = d->double_step ? d->track / 2u : d->track;
    if (m >= d->tracks || fdc->hds >= d->heads)
        return false; /* unformatted track or side */
    *mtrack = (uint8_t)m;
    return true;
}

static uint64_t fdc_sector_ns(struct fdc *fdc) { return fdc_rev_ns(fdc, fdc->pd) / fdc->drive[fdc->pd].spt; }

/* The first time >= t at which sector r (1-based) of the track starts. */
static uint64_t fdc_sector_start(struct fdc *fdc, uint64_t t, unsigned r)
{
    uint64_t rev = fdc_rev_ns(fdc, fdc->pd), s = t - t % rev + (r - 1u) * fdc_sector_ns(fdc);
    return s < t ? s + rev : s;
}

static uint64_t fdc_offset(const struct fdc_drive *d, unsigned mtrack, unsigned head, unsigned r)
{
    return (((uint64_t)mtrack * d->heads + head) * d->spt + r - 1u) * FDC_SECTOR_SIZE;
}

/* Looks for the ID (C, H, R, N) on the track; its image offset in *off. */
static bool fdc_find(struct fdc *fdc, uint8_t mtrack, uint8_t *st2, uint64_t *off)
{
    const struct fdc_drive *d = &fdc->drive[fdc->pd];
    if (fdc->c != mtrack) {
        *st2 = ST2_WC; /* the track's IDs carry another cylinder */
        return false;
    }
    if (fdc->h != fdc->hds || fdc->r < 1 || fdc->r > d->spt || fdc->n != 2)
        return false;
    *off = fdc_offset(d, mtrack, fdc->hds, fdc->r);
    return true;
}

enum { ADV_CONTINUE, ADV_DONE, ADV_EN };

/* After a sector: the next ID, or the end (Table 5-6 for the ID reported). */
static int fdc_advance(struct fdc *fdc, bool tc)
{
    unsigned op = fdc->cmd[0] & 0x1F;
    if (op == 0x16 && !fdc->ec_flag && fdc->r == fdc->eot && (!fdc->mt || fdc->hds == 1))
        tc = true; /* VERIFY without EC stops at EOT (Table 5-7) */
    if (op == 0x16 && fdc->ec_flag && fdc->sectors_left && --fdc->sectors_left == 0)
        tc = true;
    if (fdc->r != fdc->eot) {
        fdc->r++;
        return tc ? ADV_DONE : ADV_CONTINUE;
    }
    fdc->r = 1;
    if (fdc->mt && fdc->hds == 0) {
        fdc->h ^= 1;
        if (tc)
            return ADV_DONE;
        fdc->hds = 1;
        return ADV_CONTINUE;
    }
    fdc->c++;
    if (fdc->mt)
        fdc->h ^= 1;
    return tc ? ADV_DONE : ADV_EN;
}

static bool fdc_dma_mode(const struct fdc *fdc) { return !(fdc->hlt_nd & 1); }

/* One sector of the image.  An image shorter than its diskette format (as
 * Debian's grub-rescue-floppy.img is) reads as zeros past its end, like the
 * unused tail of a freshly formatted diskette. */
static int fdc_read_image(const struct fdc_drive *d, uint64_t off, uint8_t *buf)
{
    if (off + FDC_SECTOR_SIZE <= d->bd->size)
        return blockdev_read(d->bd, off, buf, FDC_SECTOR_SIZE);
    memset(buf, 0, FDC_SECTOR_SIZE);
    if (off >= d->bd->size)
        return 0;
    return blockdev_read(d->bd, off, buf, (size_t)(d->bd->size - off));
}

/* One sector between the image and memory through DMA channel 2.  Returns
 * the ST1 error bits (0 = done) and whether TC came. */
static uint8_t fdc_dma_sector(struct fdc *fdc, uint64_t off, bool write, bool *tc)
{
    struct fdc_drive *d = &fdc->drive[fdc->pd];
    *tc = false;
    if (!(fdc->dor & DOR_DMA) || !fdc->dma || !dma8237_channel_ready(fdc->dma, FDC_DMA_CHANNEL))
        return ST1_OR; /* DRQ never answered */
    if (!write) {
        if (fdc_read_image(d, off, fdc->buf) != 0)
            return ST1_DE;
        size_t n = dma8237_transfer_tc(fdc->dma, FDC_DMA_CHANNEL, fdc->buf, FDC_SECTOR_SIZE, true, tc);
        return n < FDC_SECTOR_SIZE && !*tc ? ST1_OR : 0;
    }
    size_t n = dma8237_transfer_tc(fdc->dma, FDC_DMA_CHANNEL, fdc->buf, FDC_SECTOR_SIZE, false, tc);
    if (n < FDC_SECTOR_SIZE && !*tc)
        return ST1_OR;
    memset(fdc->buf + n, 0, FDC_SECTOR_SIZE - n); /* TC inside the sector: the rest is written as 00h */
    return blockdev_write(d->bd, off, fdc->buf, FDC_SECTOR_SIZE) != 0 ? ST1_DE : 0;
}

static bool fdc_cmd_writes(unsigned op) { return op == 0x05 || op == 0x09 || op == 0x0D; }

/* After a sector of op: go on, or end normally (DONE) or at the end of the cylinder (EN). */
static int fdc_next(struct fdc *fdc, unsigned op, bool tc)
{
    if (op == 0x0C && !(fdc->cmd[0] & 0x20))
        return ADV_DONE; /* READ DELETED read a normal sector: address not incremented (Table 5-5) */
    if (op == 0x02)
        return tc || fdc->fmt_count >= fdc->eot ? ADV_DONE : ADV_CONTINUE;
    return fdc_advance(fdc, tc);
}

static void fdc_end(struct fdc *fdc, unsigned op, int adv)
{
    if (adv == ADV_EN)
        fdc_finish(fdc, ST0_ABN, ST1_EN, 0, fdc->busy_until);
    else if (op == 0x02 && !fdc->track_hit) /* READ TRACK: no sector had the ID given */
        fdc_finish(fdc, ST0_ABN, ST1_ND, 0, fdc->busy_until);
    else
        fdc_finish(fdc, 0, 0, 0, fdc->busy_until);
}

/* READ/WRITE (DELETED) DATA, VERIFY, READ TRACK: the sectors from the ID
 * registers on (READ TRACK: from the index, comparing each ID), the head
 * being free at busy_until.  Returns at the end, or when the host has to move
 * a sector through the FIFO (non-DMA). */
static void fdc_rw_run(struct fdc *fdc)
{
    unsigned op = fdc->cmd[0] & 0x1F;
    bool track = op == 0x02, skipped = op == 0x0C && (fdc->cmd[0] & 0x20);
    const struct fdc_drive *d = fdc_phys(fdc, fdc->pd);
    uint8_t mtrack;
    if (!fdc_readable(fdc, &mtrack)) {
        fdc_finish(fdc, ST0_ABN, ST1_MA, 0, fdc->busy_until); /* fdc_try_start waited the two revolutions */
        return;
    }
    for (;;) {
        uint64_t off = 0;
        uint8_t st2 = 0;
        unsigned k = fdc->r;
        if (track) {
            k = ++fdc->fmt_count;
            if (k > d->spt) {
                fdc_finish(fdc, ST0_ABN, ST1_EN | (fdc->track_hit ? 0 : ST1_ND), 0, fdc->busy_until);
                return;
            }
            if (fdc_find(fdc, mtrack, &st2, &off) && fdc->r == k)
                fdc->track_hit = true;
            off = fdc_offset(d, mtrack, fdc->hds, k);
        } else if (!fdc_find(fdc, mtrack, &st2, &off)) {
            fdc_finish(fdc, ST0_ABN, ST1_ND, st2, fdc->busy_until + 2 * fdc_rev_ns(fdc, fdc->pd));
            return;
        }
        fdc->busy_until = fdc_sector_start(fdc, fdc->busy_until, k) + fdc_sector_ns(fdc);
        if (op == 0x0C)
            fdc->st2 |= ST2_CM; /* READ DELETED meets a normal data mark: read (SK = 0) or skipped */
        bool tc = false;
        if (op != 0x16 && !skipped) {
            if (!fdc_dma_mode(fdc)) {
                fdc->buf_pos = 0;
                fdc->buf_len = FDC_SECTOR_SIZE;
                if (!fdc_cmd_writes(op) && fdc_read_image(d, off, fdc->buf) != 0) {
                    fdc_finish(fdc, ST0_ABN, ST1_DE, ST2_DD, fdc->busy_until);
                    return;
                }
                fdc->phase = fdc_cmd_writes(op) ? PH_NDMA_OUT : PH_NDMA_IN;
                fdc_set_int(fdc, true); /* data request */
                return;
            }
            uint8_t err = fdc_dma_sector(fdc, off, fdc_cmd_writes(op), &tc);
            if (err) {
                fdc_finish(fdc, ST0_ABN, err, err == ST1_DE ? ST2_DD : 0, fdc->busy_until);
                return;
            }
        }
        int adv = fdc_next(fdc, op, tc);
        if (adv != ADV_CONTINUE) {
            fdc_end(fdc, op, adv);
            return;
        }
    }
}

/* FORMAT TRACK: SC IDs (C, H, R, N) from the host, each sector filled with D.
 * A raw image holds only its own layout: IDs that do not name one of its
 * sectors on this track (or a density the medium does not use) format nothing. */
static void fdc_format_sector(struct fdc *fdc, const uint8_t id[4])
{
    struct fdc_drive *d = &fdc->drive[fdc->pd];
    uint8_t mtrack;
    fdc->c = id[0], fdc->h = id[1], fdc->r = id[2], fdc->n = id[3];
    if (!fdc_readable(fdc, &mtrack) || id[0] != mtrack || id[1] != fdc->hds || id[2] < 1 || id[2] > d->spt ||
        id[3] != 2 || fdc->cmd[2] != 2)
        return;
    uint8_t fill[FDC_SECTOR_SIZE];
    memset(fill, fdc->cmd[5], sizeof fill);
    blockdev_write(d->bd, fdc_offset(d, mtrack, fdc->hds, id[2]), fill, sizeof fill);
}

/* From the index on; busy_until is the next index, which ends the format. */
static void fdc_format_run(struct fdc *fdc)
{
    while (fdc->fmt_count < fdc->cmd[3]) {
        if (!fdc_dma_mode(fdc)) {
            fdc->buf_pos = 0;
            fdc->buf_len = 4;
            fdc->phase = PH_NDMA_OUT;
            fdc_set_int(fdc, true);
            return;
        }
        bool tc = false;
        uint8_t id[4];
        size_t n = 0;
        if (fdc->dor & DOR_DMA && fdc->dma && dma8237_channel_ready(fdc->dma, FDC_DMA_CHANNEL))
            n = dma8237_transfer_tc(fdc->dma, FDC_DMA_CHANNEL, id, 4, false, &tc);
        if (n < 4 && !tc) {
            fdc_finish(fdc, ST0_ABN, ST1_OR, 0, fdc->busy_until);
            return;
        }
        fdc_format_sector(fdc, id);
        fdc->fmt_count++;
        if (tc)
            break;
    }
    fdc_finish(fdc, 0, 0, 0, fdc->busy_until);
}

/* Non-DMA: the host has moved the FIFO's sector (or format ID). */
static void fdc_ndma_done(struct fdc *fdc)
{
    unsigned op = fdc->cmd[0] & 0x1F;
    fdc->phase = PH_EXEC;
    fdc_set_int(fdc, false);
    if (vclock_now(fdc->clk) > fdc->busy_until)
        fdc->busy_until = vclock_now(fdc->clk);
    if (op == 0x0D) {
        fdc_format_sector(fdc, fdc->buf);
        fdc->fmt_count++;
        fdc_format_run(fdc);
        return;
    }
    uint8_t mtrack, st2;
    uint64_t off;
    if (fdc_cmd_writes(op) && fdc_readable(fdc, &mtrack) && fdc_find(fdc, mtrack, &st2, &off) &&
        blockdev_write(fdc->drive[fdc->pd].bd, off, fdc->buf, FDC_SECTOR_SIZE) != 0) {
        fdc_finish(fdc, ST0_ABN, ST1_DE, 0, fdc->busy_until);
        return;
    }
    int adv = fdc_next(fdc, op, false);
    if (adv == ADV_CONTINUE)
        fdc_rw_run(fdc);
    else
        fdc_end(fdc, op, adv);
}

/* The disk must turn for anything to be found: else wait (for the motor or a disk). */
static void fdc_try_start(struct fdc *fdc, uint64_t t0)
{
    unsigned op = fdc->cmd[0] & 0x1F;
    if (!fdc_spinning(fdc, fdc->pd)) {
        fdc->stalled = true;
        return;
    }
    fdc->stalled = false;
    uint64_t rev = fdc_rev_ns(fdc, fdc->pd), t = t0;
    uint8_t mtrack;
    if (fdc_cmd_writes(op) && fdc->drive[fdc->pd].read_only)
        t = t0; /* NW is seen at once */
    else if (op == 0x0D)
        t = t0 - t0 % rev + rev; /* from the next index pulse */
    else if (!fdc_readable(fdc, &mtrack))
        t = t0 + 2 * rev; /* two index pulses without an address mark */
    else if (op == 0x02)
        t = t0 - t0 % rev + rev;
    else if (op != 0x0A && fdc->r >= 1 && fdc->r <= fdc->drive[fdc->pd].spt)
        t = fdc_sector_start(fdc, t0, fdc->r); /* DMA starts with the first sector's data */
    fdc->busy_until = t;
    fdc_arm(fdc, EV_START, t);
}

/* The head has reached the track and the disk turns: run the command. */
static void fdc_start(struct fdc *fdc)
{
    unsigned op = fdc->cmd[0] & 0x1F;
    uint64_t rev = fdc_rev_ns(fdc, fdc->pd), t = fdc->busy_until;
    uint8_t mtrack;
    if (!fdc_spinning(fdc, fdc->pd)) { /* ejected or motor off since */
        fdc->stalled = true;
        return;
    }
    if (fdc_cmd_writes(op) && fdc->drive[fdc->pd].read_only) {
        fdc_finish(fdc, ST0_ABN, ST1_NW, 0, t);
    } else if (op == 0x0A) { /* READ ID: the next ID field under the head */
        if (!fdc_readable(fdc, &mtrack)) {
            fdc_finish(fdc, ST0_ABN, ST1_MA, 0, t);
            return;
        }
        uint64_t st = fdc_sector_ns(fdc);
        unsigned k = (unsigned)((t % rev + st - 1) / st) % fdc->drive[fdc->pd].spt;
        fdc->c = mtrack, fdc->h = fdc->hds, fdc->r = (uint8_t)(k + 1), fdc->n = 2;
        fdc_finish(fdc, 0, 0, 0, fdc_sector_start(fdc, t, k + 1u) + st / 8);
    } else if (op == 0x0D) {
        fdc->busy_until = t + rev;
        fdc_format_run(fdc);
    } else {
        fdc_rw_run(fdc);
    }
}

/* ---- seeks ---- */

/* One clock event serves the drives' seeks: it fires at the earliest end. */
static void fdc_seek_event(void *dev, uint64_t now)
{
    struct fdc *fdc = dev;
    uint64_t next = UINT64_MAX;
    for (unsigned ds = 0; ds < 4; ds++) {
        if (!(fdc->seek_busy & (1u << ds)))
            continue;
        if (fdc->seek_done[ds] <= now) {
            fdc->seek_busy &= (uint8_t)~(1u << ds);
            fdc->seek_pending |= (uint8_t)(1u << ds);
            fdc_pulse_int(fdc);
        } else if (fdc->seek_done[ds] < next) {
            next = fdc->seek_done[ds];
        }
    }
    if (next != UINT64_MAX)
        vclock_arm(fdc->clk, &fdc->seek_ev, next);
}

/* SEEK, RELATIVE SEEK, RECALIBRATE: step pulses to the DOR-selected drive;
 * the controller is free again at once, the drive busy until the end. */
static void fdc_seek(struct fdc *fdc, unsigned kind)
{
    unsigned ds = fdc->cmd[1] & 3u, pd = fdc->dor & 3u, steps = 0;
    const struct fdc_drive *d = fdc_phys(fdc, pd);
    uint8_t st0 = (uint8_t)(ST0_SE | ds);
    if (kind == C_RECAL) {
        while (steps < 79 && !fdc_track0(fdc, pd)) {
            fdc_step(fdc, pd, false, 1);
            steps++;
        }
        if (!fdc_track0(fdc, pd))
            st0 |= ST0_ABN | ST0_EC; /* no TRK0 after 79 step pulses */
        fdc->pcn[ds] = 0;
    } else if (kind == C_SEEK) {
        unsigned ncn = fdc->cmd[2];
        bool in = ncn > fdc->pcn[ds];
        steps = in ? ncn - fdc->pcn[ds] : fdc->pcn[ds] - ncn;
        fdc_step(fdc, pd, in, steps);
        fdc->pcn[ds] = (uint8_t)ncn;
    } else {
        bool in = fdc->cmd[0] & 0x40;
        steps = fdc->cmd[2];
        if (!in && d && steps > d->track)
            st0 |= ST0_ABN | ST0_EC; /* stepped out past track 0 */
        fdc_step(fdc, pd, in, steps);
        fdc->pcn[ds] = (uint8_t)(in ? fdc->pcn[ds] + steps : fdc->pcn[ds] - steps);
    }
    fdc->seek_st0[ds] = st0;
    fdc->seek_busy |= (uint8_t)(1u << ds);
    fdc->seek_done[ds] = vclock_now(fdc->clk) + steps * fdc_step_ns(fdc);
    if (!fdc->seek_ev.armed || fdc->seek_ev.deadline > fdc->seek_done[ds])
        vclock_arm(fdc->clk, &fdc->seek_ev, fdc->seek_done[ds]);
}

/* ---- command phase ---- */

static unsigned fdc_decode(uint8_t op, uint8_t *len)
{
    static const uint8_t lens[] = {[C_INVALID] = 1, [C_READ_TRACK] = 9, [C_SPECIFY] = 3, [C_SENSE_DRIVE] = 2,
                                   [C_WRITE] = 9, [C_READ] = 9, [C_RECAL] = 2, [C_SENSE_INT] = 1,
                                   [C_WRITE_DEL] = 9, [C_READ_ID] = 2, [C_READ_DEL] = 9, [C_FORMAT] = 6,
                                   [C_DUMPREG] = 1, [C_SEEK] = 3, [C_REL_SEEK] = 3, [C_VERSION] = 1,
                                   [C_PERP] = 2, [C_CONFIGURE] = 4, [C_LOCK] = 1, [C_VERIFY] = 9};
    unsigned c = C_INVALID;
    switch (op & 0x1F) {
    case 0x02: c = C_READ_TRACK; break;
    case 0x06: c = C_READ; break;
    case 0x0C: c = C_READ_DEL; break;
    case 0x16: c = C_VERIFY; break;
    case 0x05: c = op & 0x20 ? C_INVALID : C_WRITE; break;
    case 0x09: c = op & 0x20 ? C_INVALID : C_WRITE_DEL; break;
    case 0x0A: c = op & 0xA0 ? C_INVALID : C_READ_ID; break;
    case 0x0D: c = op & 0xA0 ? C_INVALID : C_FORMAT; break;
    case 0x0F: c = op == 0x0F ? C_SEEK : (op & 0xBF) == 0x8F ? C_REL_SEEK : C_INVALID; break;
    case 0x14: c = (op & 0x7F) == 0x14 ? C_LOCK : C_INVALID; break;
    default:
        c = op == 0x03 ? C_SPECIFY : op == 0x04 ? C_SENSE_DRIVE : op == 0x07 ? C_RECAL : op == 0x08 ? C_SENSE_INT
          : op == 0x0E ? C_DUMPREG : op == 0x10 ? C_VERSION : op == 0x12 ? C_PERP : op == 0x13 ? C_CONFIGURE
          : C_INVALID;
    }
    *len = lens[c];
    return c;
}

static void fdc_sense_int(struct fdc *fdc)
{
    uint8_t r[2];
    if (fdc->seek_pending) {
        unsigned d = (unsigned)__builtin_ctz(fdc->seek_pending);
        fdc->seek_pending &= (uint8_t)~(1u << d);
        r[0] = fdc->seek_st0[d], r[1] = fdc->pcn[d];
    } else if (fdc->poll_pending) {
        unsigned d = (unsigned)__builtin_ctz(fdc->poll_pending);
        fdc->poll_pending &= (uint8_t)~(1u << d);
        r[0] = (uint8_t)(ST0_POLL | d), r[1] = fdc->pcn[d];
    } else {
        r[0] = ST0_INVALID;
        fdc_result(fdc, r, 1);
        return;
    }
    fdc_set_int(fdc, false);
    if (fdc->seek_pending)
        fdc_set_int(fdc, true); /* another drive's seek is waiting to be sensed */
    fdc_result(fdc, r, 2);
}

static void fdc_execute(struct fdc *fdc, unsigned c)
{
    const uint8_t *p = fdc->cmd;
    uint8_t r[10];
    fdc->phase = PH_CMD;
    switch (c) {
    case C_SPECIFY:
        fdc->srt_hut = p[1], fdc->hlt_nd = p[2];
        return;
    case C_SENSE_DRIVE: {
        const struct fdc_drive *d = fdc_phys(fdc, fdc->dor & 3u);
        r[0] = (uint8_t)(0x28 | (p[1] & 7u)); /* bits 5 and 3 are always 1 on the 82077AA */
        if (d && fdc_wp(d))
            r[0] |= 0x40;
        if (d && d->track == 0)
            r[0] |= 0x10;
        fdc_result(fdc, r, 1);
        return;
    }
    case C_RECAL:
    case C_SEEK:
    case C_REL_SEEK:
        fdc_seek(fdc, c);
        return;
    case C_SENSE_INT:
        fdc_sense_int(fdc);
        return;
    case C_VERSION: /* an enhanced controller */
    case C_LOCK:
    case C_INVALID:
        if (c == C_LOCK)
            fdc->lock = p[0] & 0x80;
        r[0] = c == C_VERSION ? 0x90 : c == C_LOCK ? (fdc->lock ? 0x10 : 0) : ST0_INVALID;
        fdc_result(fdc, r, 1);
        return;
    case C_DUMPREG:
        memcpy(r, fdc->pcn, 4);
        r[4] = fdc->srt_hut, r[5] = fdc->hlt_nd, r[6] = fdc->sc_eot;
        r[7] = (uint8_t)((fdc->lock ? 0x80 : 0) | fdc->perp);
        r[8] = fdc->config, r[9] = fdc->pretrk;
        fdc_result(fdc, r, 10);
        return;
    case C_PERP:
        fdc->perp = (uint8_t)((p[1] & 0x80 ? p[1] & 0x3C : fdc->perp & 0x3C) | (p[1] & 3u));
        return;
    case C_CONFIGURE:
        fdc->config = p[2] & 0x7F, fdc->pretrk = p[3];
        return;
    }
    /* Data transfer commands and READ ID. */
    fdc->ds = p[1] & 3u, fdc->hds = (p[1] >> 2) & 1u, fdc->pd = fdc->dor & 3u;
    fdc->st0 = fdc->st1 = fdc->st2 = 0;
    fdc->implied_seek = false;
    fdc->fmt_count = 0;
    fdc->track_hit = false;
    fdc->phase = PH_EXEC;
    uint64_t t0 = vclock_now(fdc->clk);
    if (fdc->seek_busy & (1u << fdc->ds) && fdc->seek_done[fdc->ds] > t0)
        t0 = fdc->seek_done[fdc->ds];
    if (fdc->cmd_len == 9) {
        fdc->c = p[2], fdc->h = p[3], fdc->r = p[4], fdc->n = p[5], fdc->eot = p[6];
        fdc->sc_eot = p[6];
        fdc->mt = c != C_READ_TRACK && (p[0] & 0x80);
        fdc->ec_flag = c == C_VERIFY && (p[1] & 0x80);
        fdc->sectors_left = p[8];
        if (fdc->config & CFG_EIS) { /* implied seek to C first */
            unsigned from = fdc->pcn[fdc->ds], to = fdc->c;
            fdc_step(fdc, fdc->pd, to > from, to > from ? to - from : from - to);
            t0 += (to > from ? to - from : from - to) * fdc_step_ns(fdc);
            fdc->pcn[fdc->ds] = fdc->c;
            fdc->implied_seek = true;
        }
    } else if (c == C_FORMAT) {
        fdc->sc_eot = p[3];
    }
    fdc_try_start(fdc, t0);
}

static void fdc_fifo_write(struct fdc *fdc, uint8_t v)
{
    if (fdc->phase == PH_NDMA_OUT) {
        if (fdc->buf_pos < fdc->buf_len)
            fdc->buf[fdc->buf_pos++] = v;
        if (fdc->buf_pos < fdc->buf_len)
            fdc_pulse_int(fdc);
        else
            fdc_ndma_done(fdc);
        return;
    }
    if (fdc->phase != PH_CMD)
        return; /* RQM/DIO say the FIFO is not taking bytes */
    uint8_t len;
    unsigned c = fdc_decode(fdc->cmd_pos ? fdc->cmd[0] : v, &len);
    fdc->cmd[fdc->cmd_pos++] = v;
    fdc->cmd_len = len;
    if (fdc->cmd_pos < len)
        return;
    fdc->cmd_pos = 0;
    fdc_execute(fdc, c);
}

static uint8_t fdc_fifo_read(struct fdc *fdc)
{
    if (fdc->phase == PH_RESULT) {
        fdc->last_read = fdc->res[fdc->res_pos++];
        if (fdc->res_pos == 1 && fdc->res_irq)
            fdc_set_int(fdc, false); /* the result phase's interrupt */
        if (fdc->res_pos >= fdc->res_len)
            fdc->phase = PH_CMD;
    } else if (fdc->phase == PH_NDMA_IN && fdc->buf_pos < fdc->buf_len) {
        fdc->last_read = fdc->buf[fdc->buf_pos++];
        if (fdc->buf_pos < fdc->buf_len)
            fdc_pulse_int(fdc);
        else
            fdc_ndma_done(fdc);
    }
    return fdc->last_read;
}

/* ---- events ---- */

static void fdc_event(void *dev, uint64_t now)
{
    (void)now;
    struct fdc *fdc = dev;
    uint8_t kind = fdc->ev_kind;
    fdc->ev_kind = EV_NONE;
    if (kind == EV_POLL) {
        fdc->poll_pending = 0x0F; /* every drive "became ready" since the reset */
        fdc_set_int(fdc, true);
    } else if (kind == EV_START) {
        fdc_start(fdc);
    } else if (kind == EV_DONE) {
        fdc->res_pos = 0;
        fdc->phase = PH_RESULT;
        fdc->res_irq = true;
        fdc_set_int(fdc, true);
    }
}

/* ---- registers ---- */

static uint8_t fdc_msr(const struct fdc *fdc)
{
    static const uint8_t by_phase[] = {[PH_RESET] = 0, [PH_CMD] = MSR_RQM, [PH_EXEC] = MSR_CB,
                                       [PH_NDMA_IN] = MSR_RQM | MSR_DIO | MSR_NDMA | MSR_CB,
                                       [PH_NDMA_OUT] = MSR_RQM | MSR_NDMA | MSR_CB,
                                       [PH_RESULT] = MSR_RQM | MSR_DIO | MSR_CB};
    uint8_t m = by_phase[fdc->phase];
    if (fdc->phase == PH_CMD && fdc->cmd_pos)
        m |= MSR_CB;
    return (uint8_t)(m | fdc->seek_busy);
}

static uint8_t fdc_dir(struct fdc *fdc)
{
    const struct fdc_drive *d = fdc_phys(fdc, fdc->dor & 3u);
    uint8_t chg = d && d->changed ? 0x80 : 0;
    if (!fdc->ps2_mode)
        return (uint8_t)(chg | 0x7F); /* bits 6-0 are not driven in PC-AT mode */
    bool high = fdc->rate == FDC_RATE_500K || fdc->rate == FDC_RATE_1M;
    return (uint8_t)(chg | 0x78 | fdc->rate << 1 | (high ? 0 : 1));
}

/* PS/2 mode SRA: INT PENDING, nDRV2, STEP (a pulse, never caught), nTRK0,
 * HDSEL, nINDEX, nWP, DIR of the selected drive. */
static uint8_t fdc_sra(struct fdc *fdc)
{
    unsigned pd = fdc->dor & 3u;
    const struct fdc_drive *d = fdc_phys(fdc, pd);
    bool index = fdc_spinning(fdc, pd) &&
                 vclock_now(fdc->clk) % fdc_rev_ns(fdc, pd) < INDEX_PULSE_NS / fdc_speedup(fdc);
    return (uint8_t)((fdc->int_latch ? 0x80 : 0) | (fdc->drive[1].type ? 0 : 0x40) | (d && !d->track ? 0 : 0x10) |
                     fdc->hds << 3 | (index ? 0 : 0x04) | (d && fdc_wp(d) ? 0 : 0x02) | (d && d->step_in));
}

/* SRA and SRB are driven in PS/2 mode only; TDR bits 7-2 never. */
static uint32_t fdc_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct fdc *fdc = dev;
    switch (offset) {
    case 0: return fdc->ps2_mode ? fdc_sra(fdc) : 0xFF;
    case 1: return fdc->ps2_mode ? (uint32_t)(0xC0 | (fdc->dor & 1u) << 5 | (fdc->dor >> 4 & 3u)) : 0xFF;
    case 2: return fdc->dor;
    case 3: return 0xFCu | fdc->tdr;
    case 4: return fdc_msr(fdc);
    case 5: return fdc_fifo_read(fdc);
    default: return 0xFF;
    }
}

static void fdc_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct fdc *fdc = dev;
    uint8_t v = (uint8_t)value;
    switch (offset) {
    case 2: {
        uint8_t old = fdc->dor;
        fdc->dor = v;
        if (!(v & DOR_RESET)) {
            if (fdc->phase != PH_RESET) {
                fdc_soft_reset(fdc);
                fdc->phase = PH_RESET;
            }
        } else if (!(old & DOR_RESET) || fdc->phase == PH_RESET) {
            fdc_leave_reset(fdc);
        } else if (fdc->stalled) {
            fdc_try_start(fdc, vclock_now(fdc->clk)); /* a motor came on */
        }
        fdc_update_irq(fdc);
        return;
    }
    case 3: fdc->tdr = v & 3u; return;
    case 5: fdc_fifo_write(fdc, v); return;
    case 4:
        fdc->dsr = v & 0x7F;
        fdc->rate = v & 3u;
        if (v & 0x80 && fdc->phase != PH_RESET)
            fdc_leave_reset(fdc); /* self-clearing software reset */
        return;
    }
}

static uint32_t fdc_dir_read(void *dev, uint16_t offset, unsigned size)
{
    (void)offset, (void)size;
    return fdc_dir(dev);
}

static void fdc_ccr_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)offset, (void)size;
    struct fdc *fdc = dev;
    fdc->rate = value & 3u;
    fdc->dsr = (uint8_t)((fdc->dsr & ~3u) | fdc->rate);
}

/* ---- machine interface ---- */

void fdc_reset(struct fdc *fdc)
{
    fdc_soft_reset(fdc);
    fdc->dor = 0;
    fdc->phase = PH_RESET;
    fdc->dsr = fdc->rate = FDC_RATE_250K;
    fdc->tdr = fdc->srt_hut = fdc->hlt_nd = fdc->pretrk = fdc->perp = fdc->sc_eot = 0;
    fdc->lock = false;
    fdc->config = CFG_EFIFO;
}

int fdc_attach(struct fdc *fdc, struct iobus *bus, struct vclock *clk, const struct irq_line *irq6,
               struct dma8237 *dma, char *err, size_t err_len)
{
    *fdc = (struct fdc){.clk = clk, .dma = dma, .speedup = 1};
    if (irq6)
        fdc->irq = *irq6;
    fdc->ev = (struct clock_event){.fire = fdc_event, .dev = fdc, .name = "fdc"};
    fdc->seek_ev = (struct clock_event){.fire = fdc_seek_event, .dev = fdc, .name = "fdc-seek"};
    fdc_reset(fdc);
    const struct io_region regions[] = {
        {.name = "fdc", .base = FDC_PORT, .size = 6, .widths = 1, .read = fdc_read, .write = fdc_write, .dev = fdc},
        {.name = "fdc-dir", .base = FDC_PORT + 7, .size = 1, .widths = 1, .read = fdc_dir_read,
         .write = fdc_ccr_write, .dev = fdc},
    };
    for (unsigned i = 0; i < 2; i++)
        if (iobus_register(bus, &regions[i], err, err_len) != 0)
            return -1;
    return 0;
}

void fdc_set_drive_type(struct fdc *fdc, unsigned drive, enum fdc_drive_type type)
{
    if (drive >= FDC_DRIVES || (unsigned)type > FDC_DRIVE_2_88M)
        return;
    fdc->drive[drive] = (struct fdc_drive){.type = (uint8_t)type, .changed = true};
}

int fdc_insert(struct fdc *fdc, unsigned drive, struct blockdev *bd, char *err, size_t err_len)
{
    if (drive >= FDC_DRIVES || !bd) {
        snprintf(err, err_len, "floppy drive %u does not exist (0 or 1), or no image", drive);
        return -1;
    }
    unsigned i = 0, n = sizeof fdc_media / sizeof fdc_media[0];
    while (i < n && fdc_media[i].size != bd->size)
        i++;
    if (i == n && bd->size % FDC_SECTOR_SIZE == 0) {
        /* Not an exact format: the smallest one that holds the image. */
        for (unsigned k = 0; k < n; k++)
            if (fdc_media[k].size > bd->size && (i == n || fdc_media[k].size < fdc_media[i].size))
                i = k;
    }
    if (i == n) {
        snprintf(err, err_len, "floppy image %s: size %llu is not a known diskette format (160K, 180K, 320K, "
                 "360K, 720K, 1.2M, 1.44M, 1.68M, 1.72M, 2.88M)", bd->path, (unsigned long long)bd->size);
        return -1;
    }
    struct fdc_drive *d = &fdc->drive[drive];
    unsigned cls = fdc_media[i].cls;
    if (d->type == FDC_DRIVE_NONE)
        fdc_set_drive_type(fdc, drive, (enum fdc_drive_type)fdc_default_drive[cls]);
    if (!(fdc_accepts[d->type] & (1u << cls))) {
        snprintf(err, err_len, "floppy image %s: a %s diskette does not fit a drive of CMOS type %u", bd->path,
                 cls <= M_525HD ? "5.25\"" : "3.5\"", d->type);
        return -1;
    }
    d->bd = bd;
    d->tracks = fdc_media[i].tracks, d->heads = fdc_media[i].heads, d->spt = fdc_media[i].spt;
    d->double_step = cls == M_525DD && d->type == FDC_DRIVE_1_2M;
    d->rate = cls == M_525DD ? (d->double_step ? FDC_RATE_300K : FDC_RATE_250K)
            : cls == M_35DD ? FDC_RATE_250K : cls == M_35ED ? FDC_RATE_1M : FDC_RATE_500K;
    d->read_only = !blockdev_writable(bd);
    d->changed = true;
    if (fdc->stalled)
        fdc_try_start(fdc, vclock_now(fdc->clk));
    return 0;
}

void fdc_eject(struct fdc *fdc, unsigned drive)
{
    if (drive >= FDC_DRIVES)
        return;
    fdc->drive[drive].bd = NULL;
    fdc->drive[drive].changed = true;
}

unsigned fdc_cmos_type(const struct fdc *fdc, unsigned drive)
{
    return drive < FDC_DRIVES ? fdc->drive[drive].type : 0;
}
