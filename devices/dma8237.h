/* The PC/AT pair of Intel 8237A DMA controllers with their page registers.
 *
 * Controller 1 (channels 0-3, byte transfers) at ports 0x00-0x0F; controller 2
 * (channels 4-7, word transfers) at 0xC0-0xDF, its registers on even ports (the
 * AT wires A1-A4 to it, so each odd port aliases the even one below).  Channel
 * 4 is the cascade input of controller 1: controller 1 can only get the bus when
 * channel 4 is unmasked and in cascade mode.  The 74LS612 page registers at
 * 0x81-0x8F give address bits 23-16 (0x87, 0x83, 0x81, 0x82 for channels 0-3;
 * 0x8F, 0x8B, 0x89, 0x8A for 4-7); port 0x80 belongs to the POST-code latch.
 *
 * Devices move data with dma8237_transfer(): no DREQ/DACK handshake is
 * simulated, the bytes move at once, as programmed (address step, page wrap,
 * count, terminal count, autoinitialize), between the device's buffer and guest
 * memory through struct physmem (which bounds every access). */
#ifndef RINGZERO_DEVICES_DMA8237_H
#define RINGZERO_DEVICES_DMA8237_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iobus.h"
#include "mem/physmem.h"

#define DMA8237_PORT1 0x00
#define DMA8237_PORT2 0xC0
#define DMA8237_PAGE_PORT 0x80

/* Mode register (bits 1-0 select the channel when written). */
#define DMA8237_MODE_TYPE(m) (((m) >> 2) & 3u) /* 0 verify, 1 write (to memory), 2 read (from memory) */
#define DMA8237_MODE_AUTOINIT 0x10
#define DMA8237_MODE_DECREMENT 0x20
#define DMA8237_MODE_SEL(m) (((m) >> 6) & 3u) /* 0 demand, 1 single, 2 block, 3 cascade */
#define DMA8237_CMD_DISABLE 0x04               /* command register: controller disable */

struct dma8237_channel {
    uint16_t base_addr, base_count; /* reloaded by autoinitialize */
    uint16_t cur_addr, cur_count;   /* 16-bit channels: addresses and counts in words */
    uint8_t mode;                   /* bits 7-2 as written */
};

struct dma8237_ctrl {
    struct dma8237_channel ch[4];
    uint8_t command;
    uint8_t tc;       /* status bits 3-0: terminal count reached, cleared by a status read */
    uint8_t request;  /* software request bits (request register) */
    uint8_t mask;     /* bits 3-0 */
    uint8_t temp;     /* temporary register (memory-to-memory only; reads 0 after clear) */
    bool flip_flop;   /* byte pointer: false = low byte next */
};

struct dma8237 {
    struct dma8237_ctrl ctrl[2];
    uint8_t page[16];  /* the 74LS612's 16 registers, ports 0x80-0x8F */
    uint8_t dreq;      /* DREQ inputs driven by devices, bit n = channel n */
    struct physmem *pm;
};

/* Power-on state, registers the three port ranges.  Returns 0 or -1 with a message. */
int dma8237_attach(struct dma8237 *dma, struct iobus *bus, struct physmem *pm, char *err, size_t err_len);
/* RESET input of both chips (as master clear); page registers keep their contents. */
void dma8237_reset(struct dma8237 *dma);

/* Whether a device requesting on `channel` (0-7) would be served now: controller
 * enabled, channel unmasked and not in cascade mode, and for channels 0-3 the
 * cascade (channel 4) open.  Channel 4 itself never transfers. */
bool dma8237_channel_ready(const struct dma8237 *dma, unsigned channel);

/* Moves up to len bytes between buf and guest memory on `channel`, as its mode
 * register says (the channel's transfer type decides what reaches memory;
 * to_memory is the device's direction), stopping at terminal count.  16-bit
 * channels move whole words (len rounded down to even).  Returns the bytes
 * moved (0 if the channel is not ready); *tc (may be NULL) tells whether
 * terminal count was reached, which sets the status bit and either reloads the
 * channel (autoinitialize) or masks it. */
size_t dma8237_transfer_tc(struct dma8237 *dma, unsigned channel, uint8_t *buf, size_t len, bool to_memory,
                           bool *tc);
int dma8237_transfer(struct dma8237 *dma, unsigned channel, uint8_t *buf, size_t len, bool to_memory);

/* DREQ level of a device on `channel` (shown in the status register's request bits). */
void dma8237_set_dreq(struct dma8237 *dma, unsigned channel, bool level);

#endif
