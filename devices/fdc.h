/* Intel 82077AA-compatible floppy disk controller of the PC, with two drives.
 *
 * Ports 0x3F0-0x3F5 and 0x3F7 (0x3F6 is the IDE controller's), IRQ 6, DMA
 * channel 2 through struct dma8237.  PC-AT mode by default (IDENT high: status
 * registers A/B and the unused DIR/TDR bits are not driven and read as the
 * floating bus, and DOR bit 3 gates IRQ 6 and DRQ 2); PS/2 mode (ps2_mode,
 * set before use) drives SRA/SRB and the PS/2 DIR.
 *
 * Media are raw images (struct blockdev, owned by the machine); the geometry
 * comes from the image size: 160K/180K/320K/360K 5.25", 1.2M 5.25", 720K,
 * 1.44M, 1.68M DMF (21 sectors) and 2.88M 3.5".  Each medium needs its data
 * rate (DSR/CCR) and MFM, else the controller finds no address marks.  A drive
 * turns only with its motor on (DOR); without a turning disk there are no index
 * pulses, and the datasheet's controller then waits forever in the execution
 * phase: the driver's timeout and a reset recover, as on the hardware.
 * Mechanical delays (steps, rotation, sectors passing the head) are virtual
 * time; commands finish on clock events and raise IRQ 6. */
#ifndef RINGZERO_DEVICES_FDC_H
#define RINGZERO_DEVICES_FDC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blockdev.h"
#include "clock.h"
#include "dma8237.h"
#include "iobus.h"
#include "irq.h"

#define FDC_PORT 0x3F0
#define FDC_IRQ 6
#define FDC_DMA_CHANNEL 2
#define FDC_DRIVES 2
#define FDC_SECTOR_SIZE 512u

/* Drive types, numbered as the CMOS byte 0x10 nibbles. */
enum fdc_drive_type {
    FDC_DRIVE_NONE = 0,
    FDC_DRIVE_360K = 1,  /* 5.25" double density, 40 tracks, 300 rpm */
    FDC_DRIVE_1_2M = 2,  /* 5.25" high density, 80 tracks, 360 rpm */
    FDC_DRIVE_720K = 3,  /* 3.5" double density */
    FDC_DRIVE_1_44M = 4, /* 3.5" high density */
    FDC_DRIVE_2_88M = 5, /* 3.5" extra density */
};

/* Data rates as coded in DSR/CCR bits 1-0. */
enum { FDC_RATE_500K = 0, FDC_RATE_300K = 1, FDC_RATE_250K = 2, FDC_RATE_1M = 3 };

struct fdc_drive {
    uint8_t type;          /* enum fdc_drive_type; NONE = nothing on the cable */
    struct blockdev *bd;   /* inserted medium, NULL = empty */
    uint8_t tracks, heads, spt; /* medium geometry (512-byte sectors) */
    uint8_t rate;          /* data rate the medium needs in this drive */
    bool double_step;      /* 40-track medium in an 80-track drive */
    bool read_only;
    uint8_t track;         /* physical head position */
    bool changed;          /* disk change line (DIR bit 7), until a step with a disk in */
    bool step_in;          /* last step direction (SRA DIR bit) */
};

struct fdc {
    struct fdc_drive drive[FDC_DRIVES];
    struct vclock *clk;
    struct irq_line irq;
    struct dma8237 *dma;
    bool ps2_mode;         /* set by the machine before use; default PC-AT mode */
    unsigned speedup;      /* divides the mechanical delays; 1 (default) = real drive timing */

    /* registers */
    uint8_t dor, tdr, dsr, rate;
    uint8_t srt_hut, hlt_nd;   /* SPECIFY bytes */
    uint8_t config, pretrk;    /* CONFIGURE: 0 EIS EFIFO POLL FIFOTHR, PRETRK */
    uint8_t perp;              /* PERPENDICULAR MODE: D3-D0 GAP WGATE (bits 5-0) */
    bool lock;
    uint8_t pcn[4];
    uint8_t sc_eot;            /* for DUMPREG: last SC (FORMAT) or EOT (read/write) */
    uint8_t st0, st1, st2;

    /* command / execution / result phases */
    uint8_t phase;             /* enum in fdc.c */
    uint8_t cmd[9];
    uint8_t cmd_len, cmd_pos;
    uint8_t res[10];
    uint8_t res_len, res_pos;
    bool res_irq;              /* the result phase came with an interrupt */
    uint8_t last_read;

    /* interrupts */
    bool int_latch;            /* INT inside the chip */
    bool irq_level;            /* IRQ 6 as driven (INT gated by DOR bit 3 in PC-AT mode) */
    uint8_t poll_pending;      /* drives whose post-reset polling status is unread */
    uint8_t seek_pending;      /* drives with a seek/recalibrate status to sense */
    uint8_t seek_st0[4];
    uint8_t seek_busy;         /* MSR D3B-D0B */
    uint64_t seek_done[4];
    struct clock_event seek_ev;  /* at the earliest seek_done of a busy drive */

    /* execution of the current command */
    struct clock_event ev;
    uint8_t ev_kind;           /* what ev does when it fires */
    bool stalled;              /* waiting for index pulses that never come */
    uint8_t pd;                /* physical drive (DOR select at command start) */
    uint8_t ds, hds;           /* logical drive and head of the command */
    uint8_t c, h, r, n;        /* ID registers */
    uint8_t eot;
    bool mt, ec_flag;
    uint16_t sectors_left;     /* VERIFY with EC: SC */
    bool implied_seek;
    uint64_t busy_until;
    /* non-DMA execution: one sector in the FIFO's place */
    uint8_t buf[FDC_SECTOR_SIZE];
    uint16_t buf_pos, buf_len;
    uint8_t fmt_count;         /* FORMAT: IDs taken; READ TRACK: sectors passed */
    bool track_hit;            /* READ TRACK: an ID matched */
};

/* Power-on state (controller held in reset: DOR = 0), registers the ports.
 * irq6 and dma may be NULL.  Returns 0 or -1 with a message. */
int fdc_attach(struct fdc *fdc, struct iobus *bus, struct vclock *clk, const struct irq_line *irq6,
               struct dma8237 *dma, char *err, size_t err_len);
/* RESET pin (machine reset): DOR cleared, which holds the controller in reset. */
void fdc_reset(struct fdc *fdc);

/* Puts a drive of `type` on the cable, empty, its head on track 0
 * (FDC_DRIVE_NONE removes the drive and its medium). */
void fdc_set_drive_type(struct fdc *fdc, unsigned drive, enum fdc_drive_type type);
/* Inserts an image (the disk change line goes active).  Its size gives the
 * geometry; a drive of the matching type is connected if there is none.  A
 * read-only blockdev is a write-protected disk.  Returns 0, or -1 with a
 * message for an unknown size or a medium the drive cannot take. */
int fdc_insert(struct fdc *fdc, unsigned drive, struct blockdev *bd, char *err, size_t err_len);
void fdc_eject(struct fdc *fdc, unsigned drive);
/* The CMOS 0x10 nibble of a drive (0 = none, 4 = 1.44M, 5 = 2.88M ...). */
unsigned fdc_cmos_type(const struct fdc *fdc, unsigned drive);

#endif
