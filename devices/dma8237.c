/* Intel 8237A DMA controller pair of the PC/AT (see dma8237.h).
 *
 * Followed: Intel 8237A/8237A-5 datasheet (231466): "Register Description"
 * (current and base address/word count, command, mode, request, mask and
 * status registers, temporary register), "Software Commands" (clear first/last
 * flip-flop, master clear, clear mask register), "Programming" (the 16-bit
 * registers are loaded and read low byte then high byte through the internal
 * flip-flop; writing loads base and current register together), "Transfer
 * Types" (verify, write, read), "Autoinitialize" (current registers reloaded
 * from the base registers at EOP), "Address Generation" (the 16-bit address
 * steps by one up or down and wraps; the page registers are outside the chip,
 * so a transfer wraps within its 64 KiB page), "DMA Operation"/"Terminal
 * count" (TC when the word count rolls from 0 to FFFFh: count + 1 transfers;
 * the status TC bit is set and, without autoinitialize, the channel's mask bit
 * is set), "Software requests" (request register: non-maskable, they run the
 * channel to terminal count, the request bit clears at TC).  IBM PC/AT
 * Technical Reference, "DMA Controller": the second 8237 is wired for word
 * transfers (A1-A16 from its address register, page register bits 7-1 give
 * A23-A17, so a 16-bit channel wraps within its 128 KiB page), channel 4
 * cascades the first controller, the page register ports.
 *
 * Illegal or mismatched programming gets what the bus does: a write-type
 * transfer whose device is not driving data stores the undriven bus (FFh), a
 * read-type transfer into a device that is not listening drops the data, the
 * verify and illegal types make no memory cycle at all. */
#include "dma8237.h"

#include <string.h>

/* Page register (offset from 0x80) of each channel. */
static const uint8_t dma_page_reg[8] = {0x7, 0x3, 0x1, 0x2, 0xF, 0xB, 0x9, 0xA};

static bool dma_cascade_open(const struct dma8237 *dma)
{
    const struct dma8237_ctrl *c2 = &dma->ctrl[1];
    return !(c2->command & DMA8237_CMD_DISABLE) && !(c2->mask & 1u) && DMA8237_MODE_SEL(c2->ch[0].mode) == 3;
}

/* Whether the channel can run cycles at all (the mask aside). */
static bool dma_can_run(const struct dma8237 *dma, unsigned channel)
{
    const struct dma8237_ctrl *c = &dma->ctrl[channel >> 2];
    if (c->command & DMA8237_CMD_DISABLE || DMA8237_MODE_SEL(c->ch[channel & 3].mode) == 3)
        return false;
    return channel >= 4 || dma_cascade_open(dma);
}

bool dma8237_channel_ready(const struct dma8237 *dma, unsigned channel)
{
    if (channel > 7 || channel == 4)
        return false;
    return !(dma->ctrl[channel >> 2].mask & (1u << (channel & 3))) && dma_can_run(dma, channel);
}

/* Memory side of `bytes` contiguous bytes at phys; dev is the device's buffer
 * (NULL for a software request: no device on the bus). */
static void dma_cycles(struct dma8237 *dma, unsigned type, bool to_memory, uint64_t phys, uint8_t *dev, size_t bytes)
{
    if (type == 1) { /* write transfer: I/O read, memory write */
        if (dev && to_memory) {
            physmem_write_block(dma->pm, phys, dev, bytes);
            return;
        }
        uint8_t ff[256];
        memset(ff, 0xFF, sizeof ff);
        for (size_t off = 0; off < bytes; off += sizeof ff)
            physmem_write_block(dma->pm, phys + off, ff, bytes - off < sizeof ff ? bytes - off : sizeof ff);
        if (dev)
            memset(dev, 0xFF, bytes);
    } else if (type == 2) { /* read transfer: memory read, I/O write */
        if (dev && !to_memory)
            physmem_read_block(dma->pm, phys, dev, bytes);
    } else if (dev && !to_memory) { /* verify / illegal: no memory cycle, nothing drives the bus */
        memset(dev, 0xFF, bytes);
    }
}

/* Runs up to `units` transfers (bytes or words) on the channel, stopping at
 * terminal count.  Returns the units done. */
static size_t dma_run(struct dma8237 *dma, unsigned channel, uint8_t *buf, size_t units, bool to_memory, bool *tc)
{
    struct dma8237_ctrl *c = &dma->ctrl[channel >> 2];
    struct dma8237_channel *ch = &c->ch[channel & 3];
    unsigned bit = 1u << (channel & 3), w = channel >= 4 ? 2u : 1u;
    unsigned type = DMA8237_MODE_TYPE(ch->mode);
    bool dec = ch->mode & DMA8237_MODE_DECREMENT;
    uint8_t page = dma->page[dma_page_reg[channel]];
    uint64_t page_base = (uint64_t)(w == 2 ? page & 0xFEu : page) << 16;
    size_t done = 0;
    *tc = false;
    while (done < units) {
        size_t run = units - done;
        uint32_t to_tc = (uint32_t)ch->cur_count + 1u;
        if (run > to_tc)
            run = to_tc;
        if (dec)
            run = 1; /* memory runs backwards: one cycle at a time */
        else if (run > 0x10000u - ch->cur_addr)
            run = 0x10000u - ch->cur_addr; /* the address wraps within the page */
        uint64_t phys = page_base + (uint64_t)ch->cur_addr * w;
        dma_cycles(dma, type, to_memory, phys, buf ? buf + done * w : NULL, run * w);
        ch->cur_addr = (uint16_t)(dec ? ch->cur_addr - 1u : ch->cur_addr + run);
        ch->cur_count = (uint16_t)(ch->cur_count - run);
        done += run;
        if (run == to_tc) {
            c->tc |= (uint8_t)bit;
            c->request &= (uint8_t)~bit;
            if (ch->mode & DMA8237_MODE_AUTOINIT) {
                ch->cur_addr = ch->base_addr;
                ch->cur_count = ch->base_count;
            } else {
                c->mask |= (uint8_t)bit;
            }
            *tc = true;
            break;
        }
    }
    return done;
}

size_t dma8237_transfer_tc(struct dma8237 *dma, unsigned channel, uint8_t *buf, size_t len, bool to_memory,
                           bool *tc)
{
    bool dummy;
    if (!tc)
        tc = &dummy;
    *tc = false;
    if (!dma8237_channel_ready(dma, channel) || !buf)
        return 0;
    unsigned w = channel >= 4 ? 2u : 1u;
    return dma_run(dma, channel, buf, len / w, to_memory, tc) * w;
}

int dma8237_transfer(struct dma8237 *dma, unsigned channel, uint8_t *buf, size_t len, bool to_memory)
{
    size_t n = dma8237_transfer_tc(dma, channel, buf, len, to_memory, NULL);
    return n > (size_t)INT32_MAX ? INT32_MAX : (int)n;
}

void dma8237_set_dreq(struct dma8237 *dma, unsigned channel, bool level)
{
    if (channel > 7)
        return;
    if (level)
        dma->dreq |= (uint8_t)(1u << channel);
    else
        dma->dreq &= (uint8_t)~(1u << channel);
}

/* Software requests are not maskable: a pending one runs its channel to
 * terminal count as soon as the controller (and the cascade) lets it. */
static void dma_service_requests(struct dma8237 *dma)
{
    for (unsigned channel = 0; channel < 8; channel++) {
        struct dma8237_ctrl *c = &dma->ctrl[channel >> 2];
        if (!(c->request & (1u << (channel & 3))) || !dma_can_run(dma, channel))
            continue;
        bool tc;
        dma_run(dma, channel, NULL, 0x10000u, false, &tc);
    }
}

static void dma_master_clear(struct dma8237_ctrl *c)
{
    c->command = 0;
    c->tc = 0;
    c->request = 0;
    c->temp = 0;
    c->flip_flop = false;
    c->mask = 0x0F;
}

void dma8237_reset(struct dma8237 *dma)
{
    dma_master_clear(&dma->ctrl[0]);
    dma_master_clear(&dma->ctrl[1]);
}

static uint8_t dma_reg_read(struct dma8237 *dma, unsigned ci, unsigned reg)
{
    struct dma8237_ctrl *c = &dma->ctrl[ci];
    if (reg < 8) {
        const struct dma8237_channel *ch = &c->ch[reg >> 1];
        uint16_t v = reg & 1 ? ch->cur_count : ch->cur_addr;
        uint8_t b = (uint8_t)(c->flip_flop ? v >> 8 : v);
        c->flip_flop = !c->flip_flop;
        return b;
    }
    switch (reg) {
    case 8: { /* status: TC bits clear on read; request bits are live */
        uint8_t req = (uint8_t)((c->request | (dma->dreq >> (ci * 4))) & 0x0F);
        uint8_t s = (uint8_t)(c->tc | req << 4);
        c->tc = 0;
        return s;
    }
    case 13:
        return c->temp;
    case 15: /* the mask bits, as the PIIX/ICH let them be read back */
        return (uint8_t)(0xF0 | c->mask);
    default: /* write-only registers: nothing drives the bus */
        return 0xFF;
    }
}

static void dma_reg_write(struct dma8237 *dma, unsigned ci, unsigned reg, uint8_t v)
{
    struct dma8237_ctrl *c = &dma->ctrl[ci];
    if (reg < 8) {
        struct dma8237_channel *ch = &c->ch[reg >> 1];
        uint16_t *base = reg & 1 ? &ch->base_count : &ch->base_addr;
        uint16_t *cur = reg & 1 ? &ch->cur_count : &ch->cur_addr;
        if (c->flip_flop) {
            *base = (uint16_t)((*base & 0x00FFu) | v << 8);
            *cur = (uint16_t)((*cur & 0x00FFu) | v << 8);
        } else {
            *base = (uint16_t)((*base & 0xFF00u) | v);
            *cur = (uint16_t)((*cur & 0xFF00u) | v);
        }
        c->flip_flop = !c->flip_flop;
        return;
    }
    unsigned bit = 1u << (v & 3);
    switch (reg) {
    case 8:
        c->command = v;
        break;
    case 9:
        if (v & 4)
            c->request |= (uint8_t)bit;
        else
            c->request &= (uint8_t)~bit;
        break;
    case 10:
        if (v & 4)
            c->mask |= (uint8_t)bit;
        else
            c->mask &= (uint8_t)~bit;
        break;
    case 11:
        c->ch[v & 3].mode = (uint8_t)(v & 0xFC);
        break;
    case 12:
        c->flip_flop = false;
        break;
    case 13:
        dma_master_clear(c);
        break;
    case 14:
        c->mask = 0;
        break;
    case 15:
        c->mask = (uint8_t)(v & 0x0F);
        break;
    }
    dma_service_requests(dma);
}

static uint32_t dma1_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    return dma_reg_read(dev, 0, offset & 15u);
}

static void dma1_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    dma_reg_write(dev, 0, offset & 15u, (uint8_t)value);
}

static uint32_t dma2_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    return dma_reg_read(dev, 1, (offset >> 1) & 15u);
}

static void dma2_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    dma_reg_write(dev, 1, (offset >> 1) & 15u, (uint8_t)value);
}

static uint32_t dma_page_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    const struct dma8237 *dma = dev;
    return dma->page[(offset + 1u) & 15u];
}

static void dma_page_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct dma8237 *dma = dev;
    dma->page[(offset + 1u) & 15u] = (uint8_t)value;
}

int dma8237_attach(struct dma8237 *dma, struct iobus *bus, struct physmem *pm, char *err, size_t err_len)
{
    *dma = (struct dma8237){.pm = pm};
    dma8237_reset(dma);
    const struct io_region regions[] = {
        {.name = "dma8237-1", .base = DMA8237_PORT1, .size = 16, .widths = 1, .read = dma1_read,
         .write = dma1_write, .dev = dma},
        {.name = "dma8237-2", .base = DMA8237_PORT2, .size = 32, .widths = 1, .read = dma2_read,
         .write = dma2_write, .dev = dma},
        {.name = "dma-page", .base = DMA8237_PAGE_PORT + 1, .size = 15, .widths = 1, .read = dma_page_read,
         .write = dma_page_write, .dev = dma},
    };
    for (unsigned i = 0; i < sizeof regions / sizeof regions[0]; i++)
        if (iobus_register(bus, &regions[i], err, err_len) != 0)
            return -1;
    return 0;
}
