/* The PC's two legacy ATA channels as the PIIX3 IDE function presents them
 * in compatibility mode: primary at 0x1F0-0x1F7 + 0x3F6 on IRQ 14, secondary
 * at 0x170-0x177 + 0x376 on IRQ 15, up to two devices each (master/slave by
 * the device register's DEV bit): ATA hard disks backed by a blockdev, and
 * ATAPI CD-ROMs (atapi.c) with an ISO image or no disc.  The PIIX3 bus-master
 * DMA engine (ide_busmaster.c) is part of the controller; the machine maps its
 * registers at the BAR4 address the PCI function reports.  Commands take a
 * little virtual time (clock events), so guests that poll BSY and guests that
 * wait for the interrupt both work.  See ide.c for the standards followed. */
#ifndef RINGZERO_DEVICES_IDE_H
#define RINGZERO_DEVICES_IDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atapi.h"
#include "blockdev.h"
#include "clock.h"
#include "ide_busmaster.h"
#include "iobus.h"
#include "irq.h"
#include "mem/physmem.h"

#define IDE_PRIMARY_BASE 0x1F0
#define IDE_PRIMARY_CTL 0x3F6
#define IDE_PRIMARY_IRQ 14
#define IDE_SECONDARY_BASE 0x170
#define IDE_SECONDARY_CTL 0x376
#define IDE_SECONDARY_IRQ 15

#define IDE_SECTOR 512u
#define IDE_MAX_MULTIPLE 16      /* IDENTIFY word 47: READ/WRITE MULTIPLE block limit */
#define IDE_BUF_SIZE 0x10000u    /* one DRQ block: up to 64 KiB (ATAPI byte count limit) */

/* Status register */
#define IDE_ST_ERR 0x01
#define IDE_ST_DRQ 0x08
#define IDE_ST_DSC 0x10
#define IDE_ST_DF 0x20
#define IDE_ST_DRDY 0x40
#define IDE_ST_BSY 0x80
/* Error register */
#define IDE_ERR_ABRT 0x04
#define IDE_ERR_IDNF 0x10
#define IDE_ERR_UNC 0x40
/* Device control register */
#define IDE_CTL_NIEN 0x02
#define IDE_CTL_SRST 0x04
#define IDE_CTL_HOB 0x80
/* Device register */
#define IDE_DEV_LBA 0x40
#define IDE_DEV_DEV 0x10
/* ATAPI interrupt reason (sector count register) */
#define IDE_IREASON_COD 0x01
#define IDE_IREASON_IO 0x02

enum ide_kind { IDE_NONE, IDE_DISK, IDE_CDROM };

enum ide_phase {
    IDE_PHASE_IDLE,
    IDE_PHASE_BUSY,    /* BSY: the clock event carries the command on */
    IDE_PHASE_PIO_IN,  /* DRQ: the host reads buf[pos..len) */
    IDE_PHASE_PIO_OUT, /* DRQ: the host writes buf[pos..len) (data or a command packet) */
    IDE_PHASE_DMA,     /* DMARQ: waiting for the bus master */
    IDE_PHASE_RESET,   /* SRST held */
};

struct ide_channel;

struct ide_device {
    struct ide_channel *chan;
    unsigned unit;
    enum ide_kind kind;
    struct blockdev *bd; /* IDE_DISK: the image */
    struct atapi atapi;  /* IDE_CDROM */
    char model[41], serial[21];

    /* Task file: every device latches the host's writes (unless busy). */
    uint8_t feature, nsector, lbal, lbam, lbah;
    uint8_t hob_feature, hob_nsector, hob_lbal, hob_lbam, hob_lbah; /* previous values, for LBA48 */
    uint8_t select, status, error;
    bool intrq; /* interrupt pending (driven onto the line while selected and nIEN is clear) */

    /* Disk geometry and settings. */
    uint64_t sectors;
    uint16_t cyls, heads, spt;             /* default CHS translation */
    uint16_t cur_cyls, cur_heads, cur_spt; /* INITIALIZE DEVICE PARAMETERS */
    uint8_t multiple;                      /* SET MULTIPLE MODE block, 0 = disabled */
    uint8_t xfer_mode;                     /* SET FEATURES 03h mode value */
    bool write_cache, look_ahead, revert_on_reset, standby;

    /* The command in progress. */
    uint8_t cmd;
    enum ide_phase phase;
    unsigned next;          /* what the clock event does */
    bool ext, dma, write;   /* LBA48 command; DMA; data towards the device */
    uint64_t lba;           /* next sector */
    uint32_t remaining;     /* sectors still to move */
    uint32_t block;         /* sectors per DRQ block */
    uint32_t pos, len;      /* PIO cursor in buf */
    uint32_t stage;         /* DMA write: bytes of a partial sector staged in buf */
    uint8_t packet[12];
    struct atapi_result ares;
    uint64_t adone;         /* bytes of ares delivered */
    uint16_t byte_limit;    /* ATAPI PIO byte count limit */
    struct clock_event ev;
    uint8_t buf[IDE_BUF_SIZE + 2];
};

struct ide_controller;

struct ide_channel {
    struct ide_controller *ctrl;
    unsigned index;
    struct ide_device dev[2];
    unsigned cur;        /* selected device */
    uint8_t devctl;      /* nIEN, SRST, HOB as last written */
    bool decode;         /* the PIIX3 decodes the channel's legacy ports */
    bool irq_level;
    struct irq_line irq;
};

struct ide_controller {
    struct vclock *clk;
    struct ide_channel ch[2];
    struct ide_busmaster bm;
};

/* The struct must stay where it is after init (the bus, the clock and the bus
 * master point into it); it is large (per-device 64 KiB buffers), so allocate
 * it with the machine.  Registers both channels' ports; no drives attached;
 * legacy decoding on.  Returns 0, or -1 with a message. */
int ide_init(struct ide_controller *ide, struct iobus *bus, struct vclock *clk, struct physmem *mem,
             const struct irq_line *irq14, const struct irq_line *irq15, char *err, size_t err_len);
/* Attaches a hard disk (its size is the image's, in whole 512-byte sectors)
 * or a CD-ROM drive (disc may be NULL: no disc) as unit 0 (master) or 1
 * (slave).  The blockdev must outlive the controller.  Returns 0, or -1. */
int ide_attach_disk(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *bd, char *err,
                    size_t err_len);
int ide_attach_cdrom(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *disc, char *err,
                     size_t err_len);
/* The user changes the CD (NULL ejects it): the drive reports a unit attention. */
void ide_cdrom_change_media(struct ide_controller *ide, unsigned channel, unsigned unit, struct blockdev *disc);
/* Hardware reset (power-on, system reset): drives back to power-on settings, bus master stopped. */
void ide_reset(struct ide_controller *ide);
/* PIIX3 IDETIM decode enable / PCI I/O enable: a channel that does not decode reads 0xFF. */
void ide_set_decode(struct ide_controller *ide, unsigned channel, bool enabled);
/* The PIIX3 IDE PCI function, whose bus master enable bit gates DMA (NULL: always enabled). */
void ide_set_pci(struct ide_controller *ide, const struct pci_function *f);

/* ---- between ide.c and ide_disk.c, not for the machine ------------------------ */

#define IDE_CMD_IDENTIFY_PACKET 0xA1
#define IDE_CMD_IDENTIFY 0xEC

/* ide.c: protocol steps */
void ide_raise_irq(struct ide_device *d);
uint8_t ide_ready_status(const struct ide_device *d);
void ide_complete(struct ide_device *d, bool irq);   /* idle, ready, optionally interrupting */
void ide_fail(struct ide_device *d, uint8_t error);  /* ERR with the error bits, and an interrupt */
void ide_drq(struct ide_device *d, enum ide_phase phase, uint32_t len); /* a data block is ready */
void ide_dma_kick(struct ide_device *d);             /* start the DMA if the bus master is ready */
bool ide_exec_common(struct ide_device *d);          /* commands both kinds take; false if not one */
/* ide_disk.c: the ATA disk command set and IDENTIFY */
void ide_identify(struct ide_device *d);
void ide_disk_exec(struct ide_device *d);
void ide_disk_read_block(struct ide_device *d);
void ide_disk_write_block(struct ide_device *d);
bool ide_disk_block_read(struct ide_device *d);      /* a data-in block was read; true if more follow */
int ide_disk_dma_io(void *opaque, uint8_t *buf, uint32_t len, bool to_memory);
void ide_disk_dma_done(struct ide_device *d, enum ide_bm_result res);

#endif
