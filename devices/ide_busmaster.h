/* Bus-master IDE DMA engine of the Intel 82371SB PIIX3 IDE function (the
 * 16-byte I/O block behind BAR4): per channel a command register (start/stop,
 * direction), a status register (active, error, interrupt, drive DMA capable
 * bits) and the physical address of a PRD (physical region descriptor) table.
 * ide.c owns one of these; the drive side calls ide_busmaster_transfer when it
 * has data to move and tells the engine of its interrupt line's rising edges.
 * See ide_busmaster.c for the datasheet sections followed. */
#ifndef RINGZERO_DEVICES_IDE_BUSMASTER_H
#define RINGZERO_DEVICES_IDE_BUSMASTER_H

#include <stdbool.h>
#include <stdint.h>

#include "iobus.h"
#include "mem/physmem.h"
#include "pci.h"

#define IDE_BM_SIZE 16           /* the I/O block: primary at +0, secondary at +8 */
#define IDE_BM_CMD 0             /* BMICx */
#define IDE_BM_STATUS 2          /* BMISx */
#define IDE_BM_PRDT 4            /* BMIDTPx, 32 bits */

#define IDE_BM_CMD_START 0x01     /* SSBM */
#define IDE_BM_CMD_TO_MEMORY 0x08 /* RWCON = 1: bus master writes memory (a device read) */

#define IDE_BM_ST_ACTIVE 0x01     /* BMIDEA, read-only */
#define IDE_BM_ST_ERROR 0x02      /* write 1 to clear */
#define IDE_BM_ST_INTR 0x04       /* IDEINTS, write 1 to clear */
#define IDE_BM_ST_DRIVE0_DMA 0x20 /* software-owned capability bits */
#define IDE_BM_ST_DRIVE1_DMA 0x40

#define IDE_BM_PRD_EOT 0x80000000u
#define IDE_BM_MAX_PRDS 8192      /* a table may not cross 64 KiB: at most 8192 entries */
#define IDE_BM_BOUNCE 0x10000u    /* one PRD moves at most 64 KiB */

struct ide_bm_channel {
    uint8_t cmd;
    uint8_t status;
    uint32_t prdt;
};

struct ide_busmaster {
    struct physmem *mem;
    const struct pci_function *pci; /* optional: its command register's bus master enable gates DMA */
    struct ide_bm_channel ch[2];
    /* Told when a channel's start bit changes (the drive may now transfer, or must stop). */
    void (*start_changed)(void *opaque, unsigned channel, bool started);
    void *opaque;
    uint8_t bounce[IDE_BM_BOUNCE];
};

/* How a transfer through the PRD table ended. */
enum ide_bm_result {
    IDE_BM_DONE,         /* all the drive's bytes moved (ACTIVE clear if the table ended with them) */
    IDE_BM_TABLE_SHORT,  /* the table ended (EOT) first: ERROR set, ACTIVE clear */
    IDE_BM_DEVICE_ERROR, /* the drive's callback failed part way */
};

/* The drive side of a transfer: produce (to_memory) or consume len bytes of
 * the data stream at its current position.  Returns 0, or -1 to stop. */
typedef int (*ide_bm_io_fn)(void *opaque, uint8_t *buf, uint32_t len, bool to_memory);

void ide_busmaster_init(struct ide_busmaster *bm, struct physmem *mem);
void ide_busmaster_reset(struct ide_busmaster *bm);
/* Start bit set and (when a PCI function is attached) bus mastering enabled. */
bool ide_busmaster_started(const struct ide_busmaster *bm, unsigned channel);
/* Whether the direction bit says memory is written (a read from the drive). */
bool ide_busmaster_to_memory(const struct ide_busmaster *bm, unsigned channel);
/* The channel's interrupt line rose: sets IDEINTS. */
void ide_busmaster_irq_edge(struct ide_busmaster *bm, unsigned channel);
/* Moves `total` bytes between the drive (io) and memory through the PRD table. */
enum ide_bm_result ide_busmaster_transfer(struct ide_busmaster *bm, unsigned channel, bool to_memory,
                                          uint64_t total, ide_bm_io_fn io, void *opaque);

/* Register accessors for the 16-byte block (offset 0-15, any size); the
 * machine maps them at BAR4 with ide_busmaster_region. */
uint32_t ide_busmaster_io_read(void *bm, uint16_t offset, unsigned size);
void ide_busmaster_io_write(void *bm, uint16_t offset, uint32_t value, unsigned size);
struct io_region ide_busmaster_region(struct ide_busmaster *bm, uint16_t base);

#endif
