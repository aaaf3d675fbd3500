/* The 82093AA I/O APIC (see ioapic.h).
 *
 * Followed: Intel 82093AA I/O APIC datasheet (290566): §3.0 "Register
 * Description" (IOREGSEL/IOWIN, IOAPICID, IOAPICVER, IOAPICARB, IOREDTBL),
 * §2.4 on edge and level interrupts and the remote IRR, and the EOI message
 * of the local APIC (Intel SDM vol. 3 §10.8.5).
 *
 * Model: an edge-triggered entry sends its message on an inactive-to-active
 * transition of its input while unmasked (an edge that arrives masked is
 * lost).  A level-triggered entry sends while its input is active, unmasked
 * and its remote IRR clear; a local APIC accepting it sets the remote IRR,
 * the EOI of its vector clears it, and if the input is still active the
 * message goes out again. */
#include "ioapic.h"

/* Low-dword bits the guest writes (delivery status and remote IRR are read-only). */
#define REDIR_WRITABLE_LO 0x0001AFFFull
#define REDIR_WRITABLE_HI 0xFF00000000000000ull /* destination, bits 56-63 */

static bool input_active(const struct ioapic *io, unsigned pin)
{
    bool high = (io->levels >> pin) & 1u;
    return high != ((io->redir[pin] & IOAPIC_ACTIVE_LOW) != 0);
}

static bool send(struct ioapic *io, unsigned pin)
{
    uint64_t e = io->redir[pin];
    struct apic_msg msg = {
        .vector = (uint8_t)e,
        .delivery = (uint8_t)((e >> 8) & 7u),
        .dest = (uint8_t)(e >> 56),
        .logical = (e & IOAPIC_DEST_LOGICAL) != 0,
        .level = (e & IOAPIC_LEVEL) != 0,
    };
    return io->deliver && io->deliver(io->opaque, &msg);
}

/* A level-triggered entry sends whenever it can. */
static void service_level(struct ioapic *io, unsigned pin)
{
    uint64_t e = io->redir[pin];
    if (!(e & IOAPIC_LEVEL) || (e & (IOAPIC_MASKED | IOAPIC_REMOTE_IRR)) || !input_active(io, pin))
        return;
    if (send(io, pin))
        io->redir[pin] |= IOAPIC_REMOTE_IRR;
}

void ioapic_set_irq(void *opaque, unsigned pin, bool level)
{
    struct ioapic *io = opaque;
    if (pin >= IOAPIC_PINS)
        return;
    bool was_active = input_active(io, pin);
    if (level)
        io->levels |= 1u << pin;
    else
        io->levels &= ~(1u << pin);
    uint64_t e = io->redir[pin];
    if (e & IOAPIC_LEVEL)
        service_level(io, pin);
    else if (!(e & IOAPIC_MASKED) && !was_active && input_active(io, pin))
        send(io, pin);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
        uint64_t e = io->redir[pin];
        if ((e & IOAPIC_LEVEL) && (e & IOAPIC_REMOTE_IRR) && (uint8_t)e == vector) {
            io->redir[pin] &= ~IOAPIC_REMOTE_IRR;
            service_level(io, pin);
        }
    }
}

static uint32_t reg_read(const struct ioapic *io, unsigned reg)
{
    switch (reg) {
    case IOAPIC_REG_ID: return io->id;
    case IOAPIC_REG_VER: return IOAPIC_VERSION;
    case IOAPIC_REG_ARB: return io->id; /* the arbitration ID is loaded from the ID */
    default:
        if (reg >= IOAPIC_REG_REDIR && reg < IOAPIC_REG_REDIR + 2 * IOAPIC_PINS) {
            uint64_t e = io->redir[(reg - IOAPIC_REG_REDIR) / 2];
            return (reg & 1u) ? (uint32_t)(e >> 32) : (uint32_t)e;
        }
        return 0; /* no register there */
    }
}

static void reg_write(struct ioapic *io, unsigned reg, uint32_t v)
{
    if (reg == IOAPIC_REG_ID) {
        io->id = v & 0x0F000000u;
        return;
    }
    if (reg < IOAPIC_REG_REDIR || reg >= IOAPIC_REG_REDIR + 2 * IOAPIC_PINS)
        return; /* version, arbitration: read-only; others: nothing there */
    unsigned pin = (reg - IOAPIC_REG_REDIR) / 2;
    uint64_t e = io->redir[pin];
    if (reg & 1u) {
        e = (e & ~REDIR_WRITABLE_HI) | (((uint64_t)v << 32) & REDIR_WRITABLE_HI);
    } else {
        e = (e & ~REDIR_WRITABLE_LO) | (v & REDIR_WRITABLE_LO);
        if (!(e & IOAPIC_LEVEL)) /* the remote IRR means nothing for an edge entry */
            e &= ~IOAPIC_REMOTE_IRR;
    }
    io->redir[pin] = e;
    service_level(io, pin); /* e.g. unmasked while its input is active */
}

uint64_t ioapic_mmio_read(struct ioapic *io, uint64_t offset, unsigned size)
{
    if (size > 8)
        size = 8;
    uint64_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t at = offset + i;
        uint32_t word;
        if (at < IOAPIC_REGSEL + 4) /* IOREGSEL is at offset 0 */
            word = io->regsel;
        else if (at >= IOAPIC_WINDOW && at < IOAPIC_WINDOW + 4)
            word = reg_read(io, io->regsel);
        else
            continue;
        value |= (uint64_t)((word >> (8 * (at & 3u))) & 0xFFu) << (8 * i);
    }
    return value;
}

void ioapic_mmio_write(struct ioapic *io, uint64_t offset, uint64_t value, unsigned size)
{
    if (offset == IOAPIC_REGSEL)
        io->regsel = (uint8_t)value; /* any width: the register is 8 bits */
    else if (offset == IOAPIC_WINDOW && size >= 4)
        reg_write(io, io->regsel, (uint32_t)value);
}

void ioapic_reset(struct ioapic *io)
{
    io->id = 0;
    io->regsel = 0;
    for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
        io->redir[pin] = IOAPIC_MASKED;
}

void ioapic_init(struct ioapic *io, bool (*deliver)(void *opaque, const struct apic_msg *msg), void *opaque)
{
    *io = (struct ioapic){.deliver = deliver, .opaque = opaque};
    ioapic_reset(io);
}
