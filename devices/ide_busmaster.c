/* PIIX3 bus-master IDE DMA engine (see ide_busmaster.h).
 *
 * Follows the 82371FB (PIIX) / 82371SB (PIIX3) data sheet: the bus master IDE
 * I/O register descriptions (BMICx command with SSBM bit 0 and RWCON bit 3;
 * BMISx status with BMIDEA bit 0 read-only, the error bit 1 and IDEINTS bit 2
 * write-one-to-clear, the drive DMA capable bits 5-6 read/write, simplex bit
 * 7 hardwired 0; BMIDTPx the PRD table pointer with bits 1:0 reserved) and the
 * bus master IDE functional description (a PRD is a 32-bit physical base with
 * bit 0 zero, then a byte count in bits 15:1 where 0 means 64 KiB, bit 31
 * marking the table's last entry; IDEINTS is set by the rising edge of the
 * channel's interrupt line whatever the engine is doing; BMIDEA is set by SSBM
 * and cleared when the transfer for the EOT region is done or SSBM is
 * cleared, and stays set when the drive finishes before the table does).
 *
 * The engine moves a command's data in one go when the drive asks
 * (ide_busmaster_transfer); the drive models the time it takes.  Memory goes
 * through physmem_read_block/physmem_write_block, so DMA over code reaches the
 * CPU's self-modifying-code tracking, unmapped reads return all ones and
 * unmapped writes vanish, as on a PCI bus where nobody claims the address.
 * Where the data sheet leaves the drive hanging (a table that ends before the
 * drive's data), the engine sets its error bit and the drive aborts the
 * command, so a guest sees an error instead of a timeout. */
#include "ide_busmaster.h"

#include <string.h>

void ide_busmaster_init(struct ide_busmaster *bm, struct physmem *mem)
{
    memset(bm, 0, sizeof *bm);
    bm->mem = mem;
}

void ide_busmaster_reset(struct ide_busmaster *bm)
{
    for (unsigned c = 0; c < 2; c++) {
        bool was = bm->ch[c].cmd & IDE_BM_CMD_START;
        memset(&bm->ch[c], 0, sizeof bm->ch[c]);
        if (was && bm->start_changed)
            bm->start_changed(bm->opaque, c, false);
    }
}

bool ide_busmaster_started(const struct ide_busmaster *bm, unsigned channel)
{
    if (channel > 1 || !(bm->ch[channel].cmd & IDE_BM_CMD_START))
        return false;
    return !bm->pci || (bm->pci->config[PCI_COMMAND] & PCI_COMMAND_MASTER);
}

bool ide_busmaster_to_memory(const struct ide_busmaster *bm, unsigned channel)
{
    return channel < 2 && (bm->ch[channel].cmd & IDE_BM_CMD_TO_MEMORY);
}

void ide_busmaster_irq_edge(struct ide_busmaster *bm, unsigned channel)
{
    if (channel < 2)
        bm->ch[channel].status |= IDE_BM_ST_INTR;
}

enum ide_bm_result ide_busmaster_transfer(struct ide_busmaster *bm, unsigned channel, bool to_memory,
                                          uint64_t total, ide_bm_io_fn io, void *opaque)
{
    struct ide_bm_channel *ch = &bm->ch[channel & 1];
    uint64_t done = 0;
    uint32_t prd = ch->prdt;
    for (unsigned n = 0; n < IDE_BM_MAX_PRDS; n++, prd += 8) {
        uint32_t base = (uint32_t)physmem_read(bm->mem, prd, 4) & ~1u;
        uint32_t word = (uint32_t)physmem_read(bm->mem, (uint32_t)(prd + 4), 4);
        uint32_t count = word & 0xFFFEu;
        if (count == 0)
            count = 0x10000u;
        bool eot = word & IDE_BM_PRD_EOT;
        uint32_t take = total - done < count ? (uint32_t)(total - done) : count;
        if (take) {
            if (to_memory) {
                if (io(opaque, bm->bounce, take, true) < 0)
                    return IDE_BM_DEVICE_ERROR;
                physmem_write_block(bm->mem, base, bm->bounce, take);
            } else {
                physmem_read_block(bm->mem, base, bm->bounce, take);
                if (io(opaque, bm->bounce, take, false) < 0)
                    return IDE_BM_DEVICE_ERROR;
            }
        }
        done += take;
        if (done == total) {
            /* The drive is satisfied; the engine goes idle only if it also
             * used up the region carrying EOT (data sheet table "BMIDEA and
             * IDEINTS after a transfer": a longer table leaves BMIDEA set). */
            if (take == count && eot)
                ch->status &= (uint8_t)~IDE_BM_ST_ACTIVE;
            return IDE_BM_DONE;
        }
        if (eot)
            break;
    }
    ch->status = (uint8_t)((ch->status & ~IDE_BM_ST_ACTIVE) | IDE_BM_ST_ERROR);
    return IDE_BM_TABLE_SHORT;
}

/* ---- registers ----------------------------------------------------------- */

static uint8_t reg_read(struct ide_busmaster *bm, unsigned off)
{
    struct ide_bm_channel *ch = &bm->ch[(off >> 3) & 1];
    switch (off & 7) {
    case IDE_BM_CMD:
        return ch->cmd;
    case IDE_BM_STATUS:
        return ch->status;
    case IDE_BM_PRDT:
    case IDE_BM_PRDT + 1:
    case IDE_BM_PRDT + 2:
    case IDE_BM_PRDT + 3:
        return (uint8_t)(ch->prdt >> (8 * ((off & 7) - IDE_BM_PRDT)));
    default:
        return 0; /* reserved */
    }
}

static void reg_write(struct ide_busmaster *bm, unsigned off, uint8_t v)
{
    unsigned c = (off >> 3) & 1;
    struct ide_bm_channel *ch = &bm->ch[c];
    switch (off & 7) {
    case IDE_BM_CMD: {
        bool was = ch->cmd & IDE_BM_CMD_START, now = v & IDE_BM_CMD_START;
        ch->cmd = v & (IDE_BM_CMD_START | IDE_BM_CMD_TO_MEMORY);
        if (was == now)
            return;
        /* Starting sets BMIDEA; stopping clears it and loses the engine's
         * state (a stopped transfer cannot be resumed). */
        if (now)
            ch->status |= IDE_BM_ST_ACTIVE;
        else
            ch->status &= (uint8_t)~IDE_BM_ST_ACTIVE;
        if (bm->start_changed)
            bm->start_changed(bm->opaque, c, now);
        return;
    }
    case IDE_BM_STATUS: {
        uint8_t keep = ch->status & (IDE_BM_ST_ACTIVE | IDE_BM_ST_ERROR | IDE_BM_ST_INTR);
        keep &= (uint8_t)~(v & (IDE_BM_ST_ERROR | IDE_BM_ST_INTR));
        ch->status = (uint8_t)(keep | (v & (IDE_BM_ST_DRIVE0_DMA | IDE_BM_ST_DRIVE1_DMA)));
        return;
    }
    case IDE_BM_PRDT:
    case IDE_BM_PRDT + 1:
    case IDE_BM_PRDT + 2:
    case IDE_BM_PRDT + 3: {
        unsigned shift = 8 * ((off & 7) - IDE_BM_PRDT);
        ch->prdt = (ch->prdt & ~(0xFFu << shift)) | ((uint32_t)v << shift);
        ch->prdt &= ~3u; /* the table is dword aligned */
        return;
    }
    default:
        return;
    }
}

uint32_t ide_busmaster_io_read(void *dev, uint16_t offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; i++)
        v |= (uint32_t)reg_read(dev, (offset + i) & (IDE_BM_SIZE - 1)) << (8 * i);
    return v;
}

void ide_busmaster_io_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size && i < 4; i++)
        reg_write(dev, (offset + i) & (IDE_BM_SIZE - 1), (uint8_t)(value >> (8 * i)));
}

struct io_region ide_busmaster_region(struct ide_busmaster *bm, uint16_t base)
{
    return (struct io_region){.name = "piix3-bmide",
                              .base = base,
                              .size = IDE_BM_SIZE,
                              .widths = 1 | 2 | 4,
                              .read = ide_busmaster_io_read,
                              .write = ide_busmaster_io_write,
                              .dev = bm};
}
