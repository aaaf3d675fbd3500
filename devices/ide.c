/* ATA channels and the ATA side of ATAPI CD-ROMs (see ide.h); the disk
 * command set and the IDENTIFY data are in ide_disk.c.
 *
 * Follows ATA/ATAPI-6 (T13/1410D rev 3b): the interface register clause
 * (per-device registers that both devices latch; Status and Alternate Status;
 * Device Control with nIEN, SRST and HOB; the "previous content" copies read
 * with HOB=1 for 48-bit addressing; device 0 answering for an absent device 1
 * except that Status reads 00h), the protocol clause (PIO data-in with an
 * interrupt per DRQ block, PIO data-out whose first block has none, non-data,
 * DMA, PACKET with the byte count limit in LBA Mid/High and the interrupt
 * reason in Sector Count, DRQ for the command packet without an interrupt as
 * IDENTIFY PACKET word 0 announces; the software reset protocol), the
 * signatures after reset and EXECUTE DEVICE DIAGNOSTIC (01 01 00 00 for ATA,
 * 01 01 14 EB for packet devices, error 01h, device register 00h so device 0
 * is selected), DEVICE RESET for packet devices, SET FEATURES (transfer mode,
 * write cache, look-ahead, revert to defaults on reset) and the power
 * management commands; SFF-8020i for a packet device's error register (sense
 * key in bits 7:4).  The absent device's own register copy gets the signature
 * 01 01 FF FF, so hosts classify it as nothing; a channel with no device
 * floats at FFh.  A device ignores command block writes while BSY.  The
 * interrupt line is the selected device's INTRQ gated by nIEN; reading Status
 * (not Alternate Status) or writing a command acknowledges it. */
#include "ide.h"

#include <stdio.h>
#include <string.h>

enum {
    CMD_DEVICE_RESET = 0x08,
    CMD_EXECUTE_DIAGNOSTIC = 0x90,
    CMD_PACKET = 0xA0,
    CMD_STANDBY_IMMEDIATE = 0xE0, CMD_IDLE_IMMEDIATE = 0xE1, CMD_STANDBY = 0xE2, CMD_IDLE = 0xE3,
    CMD_CHECK_POWER_MODE = 0xE5, CMD_SLEEP = 0xE6,
    CMD_SET_FEATURES = 0xEF,
};

/* What the device's clock event does next. */
enum { NEXT_EXEC, NEXT_READ_BLOCK, NEXT_WRITE_BLOCK, NEXT_PACKET, NEXT_ATAPI_BLOCK, NEXT_ATAPI_STATUS,
       NEXT_DMA, NEXT_RESET_DONE, NEXT_DIAG_DONE };

/* Virtual time the drive takes (ns): small, so polling guests spin briefly. */
#define CMD_NS 2000u
#define BLOCK_NS 1000u
#define RESET_NS 20000u
#define DMA_NS 2000u
#define DMA_NS_PER_KIB 2000u

#define DEFAULT_HEADS 16
#define DEFAULT_SPT 63
#define MAX_CYLS 16383
#define XFER_MWDMA2 0x22

/* ---- interrupt line ------------------------------------------------------ */

static void update_irq(struct ide_channel *ch)
{
    const struct ide_device *d = &ch->dev[ch->cur];
    bool level = d->kind != IDE_NONE && d->intrq && !(ch->devctl & IDE_CTL_NIEN);
    if (level == ch->irq_level)
        return;
    ch->irq_level = level;
    if (level)
        ide_busmaster_irq_edge(&ch->ctrl->bm, ch->index);
    irq_set(&ch->irq, level);
}

void ide_raise_irq(struct ide_device *d)
{
    d->intrq = true;
    update_irq(d->chan);
}

static void schedule(struct ide_device *d, unsigned next, uint64_t ns)
{
    struct vclock *clk = d->chan->ctrl->clk;
    d->next = next;
    vclock_arm(clk, &d->ev, vclock_now(clk) + ns);
}

static void cancel(struct ide_device *d) { vclock_cancel(d->chan->ctrl->clk, &d->ev); }

/* ---- status helpers ------------------------------------------------------ */

uint8_t ide_ready_status(const struct ide_device *d)
{
    return d->kind == IDE_DISK ? IDE_ST_DRDY | IDE_ST_DSC : IDE_ST_DRDY;
}

static void busy(struct ide_device *d, unsigned next, uint64_t ns)
{
    d->phase = IDE_PHASE_BUSY;
    d->status = IDE_ST_BSY | IDE_ST_DRDY;
    schedule(d, next, ns);
}

void ide_complete(struct ide_device *d, bool irq)
{
    d->phase = IDE_PHASE_IDLE;
    d->status = ide_ready_status(d);
    if (irq)
        ide_raise_irq(d);
}

void ide_fail(struct ide_device *d, uint8_t error)
{
    d->phase = IDE_PHASE_IDLE;
    d->error = error;
    d->status = ide_ready_status(d) | IDE_ST_ERR;
    ide_raise_irq(d);
}

static void set_signature(struct ide_device *d)
{
    d->nsector = d->lbal = 1;
    d->lbam = d->kind == IDE_CDROM ? 0x14 : d->kind == IDE_DISK ? 0x00 : 0xFF;
    d->lbah = d->kind == IDE_CDROM ? 0xEB : d->kind == IDE_DISK ? 0x00 : 0xFF;
    d->hob_nsector = d->hob_lbal = d->hob_lbam = d->hob_lbah = d->hob_feature = 0;
    d->select = 0;
}

/* An absent device's register copy after a reset: 01 01 FF FF, diagnostics "passed". */
static void absent_signature(struct ide_device *d)
{
    set_signature(d);
    d->error = 0x01;
}

/* Where a data phase starts: DRQ set, the host moves len bytes. */
void ide_drq(struct ide_device *d, enum ide_phase phase, uint32_t len)
{
    d->phase = phase;
    d->pos = 0;
    d->len = len;
    d->status = ide_ready_status(d) | IDE_ST_DRQ;
}

/* ---- DMA ------------------------------------------------------------------ */

static int cd_dma_io(void *opaque, uint8_t *buf, uint32_t len, bool to_memory)
{
    struct ide_device *d = opaque;
    if (!to_memory || atapi_read_data(&d->atapi, &d->ares, d->adone, buf, len) < 0)
        return -1;
    d->adone += len;
    return 0;
}

static uint64_t dma_bytes(const struct ide_device *d)
{
    return d->kind == IDE_DISK ? (uint64_t)d->remaining * IDE_SECTOR : d->ares.len - d->adone;
}

void ide_dma_kick(struct ide_device *d)
{
    if (d->phase != IDE_PHASE_DMA || d->ev.armed || !ide_busmaster_started(&d->chan->ctrl->bm, d->chan->index))
        return;
    schedule(d, NEXT_DMA, DMA_NS + dma_bytes(d) / 1024 * DMA_NS_PER_KIB);
}

static void atapi_status(struct ide_device *d);
static void atapi_error(struct ide_device *d);

static void dma_run(struct ide_device *d)
{
    struct ide_busmaster *bm = &d->chan->ctrl->bm;
    unsigned c = d->chan->index;
    if (!ide_busmaster_started(bm, c))
        return;
    bool to_memory = d->kind == IDE_CDROM || !d->write;
    enum ide_bm_result res = IDE_BM_TABLE_SHORT;
    if (ide_busmaster_to_memory(bm, c) == to_memory)
        res = ide_busmaster_transfer(bm, c, to_memory, dma_bytes(d), d->kind == IDE_CDROM ? cd_dma_io : ide_disk_dma_io,
                                     d);
    else /* the engine moves data the wrong way: nothing matches, the command fails */
        bm->ch[c].status = (uint8_t)((bm->ch[c].status & ~IDE_BM_ST_ACTIVE) | IDE_BM_ST_ERROR);
    if (d->kind == IDE_CDROM) {
        if (res == IDE_BM_DONE) {
            atapi_status(d);
        } else {
            if (res == IDE_BM_DEVICE_ERROR)
                atapi_set_read_error(&d->atapi);
            else
                atapi_set_aborted(&d->atapi);
            atapi_error(d);
            d->error |= IDE_ERR_ABRT;
        }
        return;
    }
    ide_disk_dma_done(d, res);
}

static void bm_start_changed(void *opaque, unsigned channel, bool started)
{
    struct ide_controller *ide = opaque;
    for (unsigned u = 0; u < 2; u++) {
        struct ide_device *d = &ide->ch[channel & 1].dev[u];
        if (started)
            ide_dma_kick(d);
        else if (d->phase == IDE_PHASE_DMA)
            cancel(d); /* the transfer is abandoned; the drive keeps waiting */
    }
}

/* ---- ATAPI protocol ------------------------------------------------------- */

static void atapi_status(struct ide_device *d)
{
    d->nsector = IDE_IREASON_IO | IDE_IREASON_COD;
    ide_complete(d, true);
}

static void atapi_error(struct ide_device *d)
{
    d->nsector = IDE_IREASON_IO | IDE_IREASON_COD;
    uint8_t key = d->atapi.sense_key;
    ide_fail(d, (uint8_t)(key << 4 | (key == ATAPI_SK_ILLEGAL_REQUEST ? IDE_ERR_ABRT : 0)));
}

/* One DRQ block of at most the byte count limit (even unless it is the last). */
static void atapi_block(struct ide_device *d)
{
    uint64_t left = d->ares.len - d->adone;
    uint32_t limit = d->byte_limit;
    if (limit == 0 || limit == 0xFFFF)
        limit = 0xFFFE;
    if (limit == 1)
        limit = 2;
    uint32_t n = left <= limit ? (uint32_t)left : (limit & ~1u);
    if (atapi_read_data(&d->atapi, &d->ares, d->adone, d->buf, n) < 0) {
        atapi_set_read_error(&d->atapi);
        atapi_error(d);
        return;
    }
    d->buf[n] = 0; /* the pad byte of an odd last block */
    d->lbam = (uint8_t)n;
    d->lbah = (uint8_t)(n >> 8);
    d->nsector = IDE_IREASON_IO;
    d->phase = IDE_PHASE_PIO_IN;
    d->pos = 0;
    d->len = n;
    d->status = IDE_ST_DRDY | IDE_ST_DRQ;
    ide_raise_irq(d);
}

static void packet_exec(struct ide_device *d)
{
    memcpy(d->packet, d->buf, sizeof d->packet);
    atapi_command(&d->atapi, d->packet, &d->ares);
    d->adone = 0;
    if (d->ares.check) {
        atapi_error(d);
    } else if (d->ares.len == 0) {
        atapi_status(d);
    } else if (d->dma) {
        d->nsector = IDE_IREASON_IO;
        d->phase = IDE_PHASE_DMA;
        d->status = IDE_ST_DRDY | IDE_ST_DRQ;
        ide_dma_kick(d);
    } else {
        atapi_block(d);
    }
}

/* The host has read or written the whole DRQ block. */
static void block_done(struct ide_device *d)
{
    if (d->phase == IDE_PHASE_PIO_OUT) {
        busy(d, d->cmd == CMD_PACKET ? NEXT_PACKET : NEXT_WRITE_BLOCK, d->cmd == CMD_PACKET ? CMD_NS : BLOCK_NS);
        return;
    }
    if (d->cmd == CMD_PACKET) {
        d->adone += d->len;
        busy(d, d->adone < d->ares.len ? NEXT_ATAPI_BLOCK : NEXT_ATAPI_STATUS, BLOCK_NS);
        return;
    }
    if (d->cmd == IDE_CMD_IDENTIFY || d->cmd == IDE_CMD_IDENTIFY_PACKET) {
        ide_complete(d, false);
        return;
    }
    if (ide_disk_block_read(d))
        busy(d, NEXT_READ_BLOCK, BLOCK_NS);
    else
        ide_complete(d, false); /* PIO data-in: no interrupt after the last block */
}

/* ---- commands -------------------------------------------------------------- */

static bool valid_xfer_mode(uint8_t m)
{
    return m <= 0x01 || (m >= 0x08 && m <= 0x0C) || (m >= 0x20 && m <= 0x22) || (m >= 0x40 && m <= 0x45);
}

static void set_features(struct ide_device *d)
{
    switch (d->feature) {
    case 0x03:
        if (!valid_xfer_mode(d->nsector)) {
            ide_fail(d, IDE_ERR_ABRT);
            return;
        }
        d->xfer_mode = d->nsector;
        break;
    case 0x02: d->write_cache = true; break;
    case 0x82: d->write_cache = false; break;
    case 0xAA: d->look_ahead = true; break;
    case 0x55: d->look_ahead = false; break;
    case 0xCC: d->revert_on_reset = true; break;
    case 0x66: d->revert_on_reset = false; break;
    default:
        ide_fail(d, IDE_ERR_ABRT);
        return;
    }
    ide_complete(d, true);
}

static void default_settings(struct ide_device *d)
{
    d->cur_cyls = d->cyls;
    d->cur_heads = d->heads;
    d->cur_spt = d->spt;
    d->multiple = d->kind == IDE_DISK ? IDE_MAX_MULTIPLE : 0;
    d->xfer_mode = XFER_MWDMA2;
    d->write_cache = d->look_ahead = true;
    d->revert_on_reset = false;
    d->standby = false;
}

/* Commands both kinds of device take the same way; false if not one of them. */
bool ide_exec_common(struct ide_device *d)
{
    switch (d->cmd) {
    case CMD_SET_FEATURES:
        set_features(d);
        return true;
    case CMD_CHECK_POWER_MODE:
    case 0x98:
        d->nsector = d->standby ? 0x00 : 0xFF;
        ide_complete(d, true);
        return true;
    case CMD_STANDBY_IMMEDIATE: case CMD_STANDBY: case CMD_SLEEP: case 0x94: case 0x96: case 0x99:
        d->standby = true;
        ide_complete(d, true);
        return true;
    case CMD_IDLE_IMMEDIATE: case CMD_IDLE: case 0x95: case 0x97:
        d->standby = false;
        ide_complete(d, true);
        return true;
    default:
        return false;
    }
}

static void exec_cdrom(struct ide_device *d)
{
    switch (d->cmd) {
    case CMD_PACKET:
        if (d->feature & 0x02) { /* overlapped: not supported */
            ide_fail(d, IDE_ERR_ABRT);
            return;
        }
        d->dma = d->feature & 0x01;
        d->byte_limit = (uint16_t)(d->lbah << 8 | d->lbam);
        d->nsector = IDE_IREASON_COD; /* host to device: the command packet */
        ide_drq(d, IDE_PHASE_PIO_OUT, sizeof d->packet);
        d->status = IDE_ST_DRDY | IDE_ST_DRQ;
        return;
    case IDE_CMD_IDENTIFY_PACKET:
        ide_identify(d);
        return;
    case IDE_CMD_IDENTIFY: /* a packet device aborts it and shows its signature */
        set_signature(d);
        ide_fail(d, IDE_ERR_ABRT);
        return;
    default:
        if (!ide_exec_common(d))
            ide_fail(d, IDE_ERR_ABRT);
        return;
    }
}

static void reset_done(struct ide_device *d)
{
    set_signature(d);
    d->error = 0x01; /* diagnostics passed (device 0: and device 1 passed or is absent) */
    d->phase = IDE_PHASE_IDLE;
    /* a packet device leaves reset with DRDY clear (ATA-6 9.12) */
    d->status = d->kind == IDE_DISK ? IDE_ST_DRDY | IDE_ST_DSC : 0;
    d->chan->cur = 0;
    if (d->kind == IDE_CDROM)
        atapi_reset(&d->atapi);
    if (d->revert_on_reset)
        default_settings(d);
    update_irq(d->chan);
}

static void device_event(void *opaque, uint64_t now)
{
    (void)now;
    struct ide_device *d = opaque;
    switch (d->next) {
    case NEXT_EXEC:
        if (d->kind == IDE_CDROM)
            exec_cdrom(d);
        else
            ide_disk_exec(d);
        return;
    case NEXT_READ_BLOCK: ide_disk_read_block(d); return;
    case NEXT_WRITE_BLOCK: ide_disk_write_block(d); return;
    case NEXT_PACKET: packet_exec(d); return;
    case NEXT_ATAPI_BLOCK: atapi_block(d); return;
    case NEXT_ATAPI_STATUS: atapi_status(d); return;
    case NEXT_DMA: dma_run(d); return;
    case NEXT_RESET_DONE: reset_done(d); return;
    case NEXT_DIAG_DONE:
        reset_done(d);
        if (d->unit == 0 || d->chan->dev[0].kind == IDE_NONE)
            ide_raise_irq(d); /* device 0 reports the result */
        return;
    default:
        return;
    }
}

/* ---- the register file ------------------------------------------------------ */

static bool channel_present(const struct ide_channel *ch)
{
    return ch->decode && (ch->dev[0].kind != IDE_NONE || ch->dev[1].kind != IDE_NONE);
}

static uint16_t data_read(struct ide_channel *ch)
{
    struct ide_device *d = &ch->dev[ch->cur];
    if (d->phase != IDE_PHASE_PIO_IN)
        return 0xFFFF;
    uint16_t v = (uint16_t)(d->buf[d->pos] | d->buf[d->pos + 1] << 8);
    d->pos += 2;
    if (d->pos >= d->len)
        block_done(d);
    return v;
}

static void data_write(struct ide_channel *ch, uint16_t v)
{
    struct ide_device *d = &ch->dev[ch->cur];
    if (d->phase != IDE_PHASE_PIO_OUT)
        return;
    d->buf[d->pos] = (uint8_t)v;
    d->buf[d->pos + 1] = (uint8_t)(v >> 8);
    d->pos += 2;
    if (d->pos >= d->len)
        block_done(d);
}

static uint8_t reg_read(struct ide_channel *ch, unsigned reg)
{
    struct ide_device *d = &ch->dev[ch->cur];
    bool hob = ch->devctl & IDE_CTL_HOB;
    switch (reg) {
    case 0: return (uint8_t)data_read(ch);
    case 1: return d->error;
    case 2: return hob ? d->hob_nsector : d->nsector;
    case 3: return hob ? d->hob_lbal : d->lbal;
    case 4: return hob ? d->hob_lbam : d->lbam;
    case 5: return hob ? d->hob_lbah : d->lbah;
    case 6: return d->select;
    default:
        if (d->kind == IDE_NONE)
            return 0; /* device 0 answers for an absent device 1 */
        d->intrq = false; /* reading Status acknowledges the interrupt */
        update_irq(ch);
        return d->status;
    }
}

static void start_diagnostic(struct ide_channel *ch)
{
    for (unsigned u = 0; u < 2; u++) {
        struct ide_device *d = &ch->dev[u];
        if (d->kind == IDE_NONE) {
            absent_signature(d);
            continue;
        }
        cancel(d);
        d->intrq = false;
        busy(d, NEXT_DIAG_DONE, RESET_NS);
    }
    update_irq(ch);
}

static void command(struct ide_channel *ch, uint8_t cmd)
{
    struct ide_device *d = &ch->dev[ch->cur];
    if (cmd == CMD_EXECUTE_DIAGNOSTIC) { /* both devices run it, whichever is selected */
        if (!(ch->dev[0].status & IDE_ST_BSY) && !(ch->dev[1].status & IDE_ST_BSY))
            start_diagnostic(ch);
        return;
    }
    if (d->kind == IDE_NONE)
        return;
    if (cmd == CMD_DEVICE_RESET && d->kind == IDE_CDROM && d->phase != IDE_PHASE_RESET) {
        /* accepted even while busy; ends without an interrupt and keeps the selection */
        unsigned keep = ch->cur;
        cancel(d);
        d->intrq = false;
        reset_done(d);
        d->select = keep ? IDE_DEV_DEV : 0;
        ch->cur = keep;
        update_irq(ch);
        return;
    }
    if (d->status & IDE_ST_BSY)
        return;
    cancel(d);
    d->cmd = cmd;
    d->error = 0;
    d->dma = false;
    d->intrq = false;
    update_irq(ch);
    busy(d, NEXT_EXEC, CMD_NS);
}

static void reg_write(struct ide_channel *ch, unsigned reg, uint8_t v)
{
    if (reg == 0) {
        data_write(ch, v);
        return;
    }
    ch->devctl &= (uint8_t)~IDE_CTL_HOB; /* any command block write clears HOB */
    if (reg == 7) {
        command(ch, v);
        return;
    }
    bool cur_busy = ch->dev[ch->cur].status & IDE_ST_BSY;
    for (unsigned u = 0; u < 2; u++) {
        struct ide_device *d = &ch->dev[u];
        if (d->status & IDE_ST_BSY)
            continue;
        switch (reg) {
        case 1: d->hob_feature = d->feature; d->feature = v; break;
        case 2: d->hob_nsector = d->nsector; d->nsector = v; break;
        case 3: d->hob_lbal = d->lbal; d->lbal = v; break;
        case 4: d->hob_lbam = d->lbam; d->lbam = v; break;
        case 5: d->hob_lbah = d->lbah; d->lbah = v; break;
        default: d->select = v; break;
        }
    }
    if (reg == 6 && !cur_busy) {
        ch->cur = (v & IDE_DEV_DEV) ? 1 : 0;
        update_irq(ch);
    }
}

static uint32_t cmd_read(void *opaque, uint16_t off, unsigned size)
{
    struct ide_channel *ch = opaque;
    if (!channel_present(ch))
        return 0xFFFFFFFFu >> (32 - 8 * size); /* nobody drives the bus */
    if (off == 0 && size >= 2) { /* 32-bit accesses move two words */
        uint32_t v = data_read(ch);
        if (size == 4)
            v |= (uint32_t)data_read(ch) << 16;
        return v;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size && off + i < 8; i++)
        v |= (uint32_t)reg_read(ch, off + i) << (8 * i);
    return v;
}

static void cmd_write(void *opaque, uint16_t off, uint32_t value, unsigned size)
{
    struct ide_channel *ch = opaque;
    if (!channel_present(ch))
        return;
    if (off == 0 && size >= 2) {
        data_write(ch, (uint16_t)value);
        if (size == 4)
            data_write(ch, (uint16_t)(value >> 16));
        return;
    }
    for (unsigned i = 0; i < size && off + i < 8; i++)
        reg_write(ch, off + i, (uint8_t)(value >> (8 * i)));
}

static uint32_t ctl_read(void *opaque, uint16_t off, unsigned size)
{
    (void)off;
    (void)size;
    struct ide_channel *ch = opaque;
    if (!channel_present(ch))
        return 0xFF;
    const struct ide_device *d = &ch->dev[ch->cur];
    return d->kind == IDE_NONE ? 0 : d->status; /* alternate status: no acknowledge */
}

static void ctl_write(void *opaque, uint16_t off, uint32_t value, unsigned size)
{
    (void)off;
    (void)size;
    struct ide_channel *ch = opaque;
    if (!channel_present(ch))
        return;
    uint8_t old = ch->devctl, v = (uint8_t)value & (IDE_CTL_NIEN | IDE_CTL_SRST | IDE_CTL_HOB);
    ch->devctl = v;
    if ((v & IDE_CTL_SRST) && !(old & IDE_CTL_SRST))
        ch->cur = 0; /* the reset clears every device's DEV bit */
    for (unsigned u = 0; u < 2; u++) {
        struct ide_device *d = &ch->dev[u];
        if (d->kind == IDE_NONE) {
            if (!(v & IDE_CTL_SRST) && (old & IDE_CTL_SRST))
                absent_signature(d);
            continue;
        }
        if ((v & IDE_CTL_SRST) && !(old & IDE_CTL_SRST)) { /* reset asserted: everything stops */
            cancel(d);
            d->phase = IDE_PHASE_RESET;
            d->status = IDE_ST_BSY;
            d->intrq = false;
        } else if (!(v & IDE_CTL_SRST) && (old & IDE_CTL_SRST)) {
            schedule(d, NEXT_RESET_DONE, RESET_NS);
        }
    }
    update_irq(ch);
}

/* ---- set-up ------------------------------------------------------------------ */

static void power_on_device(struct ide_device *d)
{
    cancel(d);
    default_settings(d);
    d->feature = d->hob_feature = 0;
    d->intrq = false;
    d->dma = false;
    reset_done(d);
    if (d->kind == IDE_CDROM) {
        d->atapi.tray_open = false;
        d->atapi.media_event = 0;
    }
}

int ide_init(struct ide_controller *ide, struct iobus *bus, struct vclock *clk, struct physmem *mem,
             const struct irq_line *irq14, const struct irq_line *irq15, char *err, size_t err_len)
{
    static const char *const names[2][2] = {{"ide0-cmd", "ide0-ctl"}, {"ide1-cmd", "ide1-ctl"}};
    static const uint16_t bases[2][2] = {{IDE_PRIMARY_BASE, IDE_PRIMARY_CTL}, {IDE_SECONDARY_BASE, IDE_SECONDARY_CTL}};
    memset(ide, 0, sizeof *ide);
    ide->clk = clk;
    ide_busmaster_init(&ide->bm, mem);
    ide->bm.start_changed = bm_start_changed;
    ide->bm.opaque = ide;
    for (unsigned c = 0; c < 2; c++) {
        struct ide_channel *ch = &ide->ch[c];
        ch->ctrl = ide;
        ch->index = c;
        ch->decode = true;
        const struct irq_line *line = c ? irq15 : irq14;
        if (line)
            ch->irq = *line;
        for (unsigned u = 0; u < 2; u++) {
            struct ide_device *d = &ch->dev[u];
            d->chan = ch;
            d->unit = u;
            d->ev = (struct clock_event){.fire = device_event, .dev = d, .name = "ide"};
            absent_signature(d);
        }
        struct io_region cmd = {.name = names[c][0], .base = bases[c][0], .size = 8, .widths = 1 | 2 | 4,
                                .read = cmd_read, .write = cmd_write, .dev = ch};
        struct io_region ctl = {.name = names[c][1], .base = bases[c][1], .size = 1, .widths = 1,
                                .read = ctl_read, .write = ctl_write, .dev = ch};
        if (iobus_register(bus, &cmd, err, err_len) != 0 || iobus_register(bus, &ctl, err, err_len) != 0)
            return -1;
    }
    return 0;
}

static struct ide_device *slot(struct ide_controller *ide, unsigned channel, unsigned unit, char *err,
                               size_t err_len)
{
    if (channel > 1 || unit > 1) {
        snprintf(err, err_len, "IDE: no channel %u unit %u", channel, unit);
        return NULL;
    }
    struct ide_device *d = &ide->ch[channel].dev[unit];
    if (d->kind != IDE_NONE) {
        snprintf(err, err_len, "IDE: channel %u unit %u is already in use", channel, unit);
        return NULL;
    }
    return d;
}

int ide_attach_disk(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *bd, char *err,
                    size_t err_len)
{
    struct ide_device *d = slot(ide, channel, unit, err, err_len);
    if (!d)
        return -1;
    if (!bd || bd->size < IDE_SECTOR) {
        snprintf(err, err_len, "IDE: disk image %s is smaller than one sector", bd ? bd->path : "(none)");
        return -1;
    }
    d->kind = IDE_DISK;
    d->bd = bd;
    d->sectors = bd->size / IDE_SECTOR;
    uint64_t cyls = d->sectors / (DEFAULT_HEADS * DEFAULT_SPT);
    d->cyls = (uint16_t)(cyls > MAX_CYLS ? MAX_CYLS : cyls ? cyls : 1);
    d->heads = DEFAULT_HEADS;
    d->spt = DEFAULT_SPT;
    snprintf(d->model, sizeof d->model, "RINGZERO HARDDISK");
    snprintf(d->serial, sizeof d->serial, "RZHD%u%u", channel, unit);
    power_on_device(d);
    update_irq(d->chan);
    return 0;
}

int ide_attach_cdrom(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *disc, char *err,
                     size_t err_len)
{
    struct ide_device *d = slot(ide, channel, unit, err, err_len);
    if (!d)
        return -1;
    d->kind = IDE_CDROM;
    atapi_init(&d->atapi, disc);
    snprintf(d->model, sizeof d->model, "RINGZERO ATAPI CD-ROM");
    snprintf(d->serial, sizeof d->serial, "RZCD%u%u", channel, unit);
    power_on_device(d);
    update_irq(d->chan);
    return 0;
}

void ide_cdrom_change_media(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *disc)
{
    if (channel > 1 || unit > 1 || ide->ch[channel].dev[unit].kind != IDE_CDROM)
        return;
    atapi_change_media(&ide->ch[channel].dev[unit].atapi, disc);
}

void ide_reset(struct ide_controller *ide)
{
    ide_busmaster_reset(&ide->bm);
    for (unsigned c = 0; c < 2; c++) {
        struct ide_channel *ch = &ide->ch[c];
        ch->devctl = 0;
        for (unsigned u = 0; u < 2; u++) {
            struct ide_device *d = &ch->dev[u];
            if (d->kind == IDE_NONE) {
                absent_signature(d);
            } else {
                power_on_device(d);
            }
        }
        ch->cur = 0;
        update_irq(ch);
    }
}

void ide_set_decode(struct ide_controller *ide, unsigned channel, bool enabled)
{
    if (channel < 2)
        ide->ch[channel].decode = enabled;
}

void ide_set_pci(struct ide_controller *ide, const struct pci_function *f) { ide->bm.pci = f; }
