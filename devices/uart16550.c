/* PC16550D UART (see uart16550.h).
 *
 * Follows the National Semiconductor (now TI) PC16550D datasheet: Table II
 * (register addresses and bits; DLAB selects the divisor latch at offsets 0-1),
 * 8.4 Line Control Register (frame format), 8.5 typical clock/divisor tables
 * (1.8432 MHz, baud = clock / (16 x divisor)), 8.6 Line Status Register (DR,
 * OE cleared by reading LSR, THRE, TEMT), 8.7 FIFO Control Register (writing
 * bit 0 changes mode and clears both FIFOs; bits 1-7 are only taken with bit 0
 * set; receive trigger 1/4/8/14), 8.8 Interrupt Identification Register
 * (priorities: receiver line status, received data available / character
 * timeout, THR empty, modem status; bits 7-6 set in FIFO mode; THRE
 * interrupt reset by reading IIR when it is the source or by writing THR),
 * 8.9 Interrupt Enable Register, 8.10 Modem Control Register (loopback:
 * transmitter output looped to the receiver, modem inputs driven by
 * RTS/DTR/OUT1/OUT2, output pins forced inactive), 8.11 Modem Status Register
 * (delta bits cleared by reading MSR, TERI on RI's trailing edge) and FIFO
 * interrupt mode operation (character timeout: FIFO not empty and no
 * character received or read for 4 character times; an overrun keeps the
 * FIFO and loses the character in the shift register).
 *
 * On a PC the chip's INTR reaches the interrupt controller through a buffer
 * enabled by the OUT2 pin (MCR bit 3); loopback forces OUT2 inactive, so the
 * line is quiet in loopback even though IIR reports interrupts there.
 *
 * Time: a byte moves from THR/FIFO into the shift register when the shifter
 * is free and occupies it for one frame; the state between accesses is
 * derived from the clock in uart_sync, and one event is armed for the next
 * change the guest can see (a byte starting or ending, a character timeout).
 * Divisor 0 counts as 65536, as the 16-bit baud counter does. */
#include "uart16550.h"

#include <string.h>

enum { REG_DATA = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7 };
enum { IER_ERBFI = 0x01, IER_ETBEI = 0x02, IER_ELSI = 0x04, IER_EDSSI = 0x08 };
enum { IIR_NONE = 0x01, IIR_MS = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_RLS = 0x06, IIR_CTO = 0x0C,
       IIR_FIFO = 0xC0 };
enum { FCR_ENABLE = 0x01, FCR_RX_RESET = 0x02, FCR_TX_RESET = 0x04, FCR_KEEP = 0xC8 /* trigger, DMA mode */ };
enum { LCR_DLAB = 0x80 };
enum { MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10 };
enum { LSR_DR = 0x01, LSR_OE = 0x02, LSR_ERRORS = 0x1E, LSR_THRE = 0x20, LSR_TEMT = 0x40 };
enum { MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08 };

static bool uart_loop(const struct uart16550 *u) { return (u->mcr & MCR_LOOP) != 0; }
static unsigned uart_capacity(const struct uart16550 *u) { return u->fifo_enabled ? UART16550_FIFO_SIZE : 1; }

/* One character on the line, from LCR: start, 5-8 data bits, parity, and 1,
 * 1.5 (5-bit words) or 2 stop bits.  A bit lasts 16 x divisor / 1.8432 MHz
 * = divisor x 78125/9 ns; computed in half bits, rounded up. */
static uint64_t uart_frame_ns(const struct uart16550 *u)
{
    unsigned data = 5 + (u->lcr & 3);
    unsigned half_bits = 2 * (1 + data + ((u->lcr & 0x08) ? 1 : 0));
    half_bits += (u->lcr & 0x04) ? (data == 5 ? 3 : 4) : 2;
    uint64_t div = u->divisor ? u->divisor : 65536;
    uint64_t ns = (half_bits * div * 78125 + 17) / 18;
    return u->frame_ns_cap && ns > u->frame_ns_cap ? u->frame_ns_cap : ns;
}

static unsigned uart_rx_trigger(const struct uart16550 *u)
{
    static const unsigned levels[4] = {1, 4, 8, 14};
    return levels[u->fcr >> 6];
}

/* ---- modem status ------------------------------------------------------- */

static uint8_t uart_msr_lines(const struct uart16550 *u)
{
    if (!uart_loop(u))
        return u->msr_inputs;
    /* loopback: CTS <- RTS, DSR <- DTR, RI <- OUT1, DCD <- OUT2 */
    return (uint8_t)(((u->mcr & MCR_RTS) ? UART_MSR_CTS : 0) | ((u->mcr & MCR_DTR) ? UART_MSR_DSR : 0) |
                     ((u->mcr & MCR_OUT1) ? UART_MSR_RI : 0) | ((u->mcr & MCR_OUT2) ? UART_MSR_DCD : 0));
}

static void uart_msr_refresh(struct uart16550 *u)
{
    uint8_t now = uart_msr_lines(u), changed = now ^ u->msr_lines;
    if (changed & UART_MSR_CTS)
        u->msr_delta |= MSR_DCTS;
    if (changed & UART_MSR_DSR)
        u->msr_delta |= MSR_DDSR;
    if (changed & UART_MSR_DCD)
        u->msr_delta |= MSR_DDCD;
    if ((changed & UART_MSR_RI) && !(now & UART_MSR_RI))
        u->msr_delta |= MSR_TERI; /* trailing edge only */
    u->msr_lines = now;
}

/* ---- FIFOs and the transmitter ------------------------------------------ */

static void uart_rx_clear(struct uart16550 *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
}

static void uart_tx_clear(struct uart16550 *u)
{
    if (u->tx_count)
        u->thre_pending = true; /* THR just became empty */
    u->tx_head = 0;
    u->tx_count = 0;
}

/* A character completes at time t on the receiver side. */
static bool uart_rx_push(struct uart16550 *u, uint8_t b, uint64_t t)
{
    if (u->rx_count >= uart_capacity(u)) {
        u->lsr_err |= LSR_OE; /* the shift register is overwritten; the FIFO is kept */
        return false;
    }
    u->rxf[(u->rx_head + u->rx_count) % UART16550_FIFO_SIZE] = b;
    u->rx_count++;
    u->rx_activity = t;
    return true;
}

/* The shifter takes the next byte from THR/FIFO at time t. */
static void uart_tsr_load(struct uart16550 *u, uint64_t t)
{
    uint8_t b = u->txf[u->tx_head];
    u->tx_head = (u->tx_head + 1) % UART16550_FIFO_SIZE;
    u->tx_count--;
    u->tsr_busy = true;
    u->tsr_byte = b;
    u->tsr_end = t + uart_frame_ns(u);
    if (u->tx_count == 0)
        u->thre_pending = true;
    if (!uart_loop(u) && u->tx) /* in loopback the output pin stays marking */
        u->tx(u->tx_opaque, b);
}

/* Plays the transmitter forward to now: each byte ends one frame after it
 * started (looping back into the receiver then) and the next one starts. */
static void uart_sync(struct uart16550 *u, uint64_t now)
{
    while (u->tsr_busy && u->tsr_end <= now) {
        uint64_t t = u->tsr_end;
        u->tsr_busy = false;
        if (uart_loop(u))
            uart_rx_push(u, u->tsr_byte, t);
        if (u->tx_count)
            uart_tsr_load(u, t);
    }
}

static uint64_t uart_timeout_at(const struct uart16550 *u)
{
    return u->rx_activity + 4 * uart_frame_ns(u);
}

static bool uart_timeout(const struct uart16550 *u, uint64_t now)
{
    return u->fifo_enabled && u->rx_count > 0 && now >= uart_timeout_at(u);
}

/* ---- interrupts --------------------------------------------------------- */

/* The highest-priority pending interrupt, IIR bits 3-0. */
static uint8_t uart_iir_id(const struct uart16550 *u, uint64_t now)
{
    if ((u->ier & IER_ELSI) && (u->lsr_err & LSR_ERRORS))
        return IIR_RLS;
    if (u->ier & IER_ERBFI) {
        if (u->rx_count > 0 && (!u->fifo_enabled || u->rx_count >= uart_rx_trigger(u)))
            return IIR_RDA;
        if (uart_timeout(u, now))
            return IIR_CTO;
    }
    if ((u->ier & IER_ETBEI) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_EDSSI) && (u->msr_delta & 0x0F))
        return IIR_MS;
    return IIR_NONE;
}

static void uart_update_irq(struct uart16550 *u, uint64_t now)
{
    bool level = uart_iir_id(u, now) != IIR_NONE && (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

static void uart_rearm(struct uart16550 *u, uint64_t now)
{
    uint64_t deadline = UINT64_MAX;
    if (u->tsr_busy)
        deadline = u->tsr_end;
    if ((u->ier & IER_ERBFI) && u->fifo_enabled && u->rx_count > 0 && !uart_timeout(u, now) &&
        uart_timeout_at(u) < deadline)
        deadline = uart_timeout_at(u);
    if (deadline == UINT64_MAX)
        vclock_cancel(u->clk, &u->ev);
    else
        vclock_arm(u->clk, &u->ev, deadline);
}

static void uart_settle(struct uart16550 *u, uint64_t now)
{
    uart_update_irq(u, now);
    uart_rearm(u, now);
}

static void uart_fire(void *dev, uint64_t now)
{
    struct uart16550 *u = dev;
    uart_sync(u, now);
    uart_settle(u, now);
}

/* ---- registers ---------------------------------------------------------- */

static uint8_t uart_read_rbr(struct uart16550 *u, uint64_t now)
{
    if (u->rx_count) {
        u->rbr_last = u->rxf[u->rx_head];
        u->rx_head = (u->rx_head + 1) % UART16550_FIFO_SIZE;
        u->rx_count--;
    }
    u->rx_activity = now; /* a read restarts the timeout */
    return u->rbr_last;
}

static void uart_write_thr(struct uart16550 *u, uint8_t v, uint64_t now)
{
    /* Writing THR resets the THRE interrupt; the line drops before a byte
     * moving on to the shifter can raise it again, so the sink sees an edge. */
    u->thre_pending = false;
    uart_update_irq(u, now);
    if (u->tx_count < uart_capacity(u)) {
        u->txf[(u->tx_head + u->tx_count) % UART16550_FIFO_SIZE] = v;
        u->tx_count++;
    } else if (!u->fifo_enabled) {
        u->txf[u->tx_head] = v; /* 16450 mode: THR holds one byte, overwritten */
    } /* a full transmit FIFO drops the byte */
    if (!u->tsr_busy && u->tx_count)
        uart_tsr_load(u, now);
}

static void uart_write_fcr(struct uart16550 *u, uint8_t v)
{
    bool enable = (v & FCR_ENABLE) != 0;
    if (enable != u->fifo_enabled) { /* a mode change empties both FIFOs */
        uart_rx_clear(u);
        uart_tx_clear(u);
        u->fifo_enabled = enable;
    }
    if (!enable)
        return; /* the other bits are only programmed with bit 0 set */
    if (v & FCR_RX_RESET)
        uart_rx_clear(u);
    if (v & FCR_TX_RESET)
        uart_tx_clear(u); /* the shift register keeps its byte */
    u->fcr = v & FCR_KEEP;
}

static uint8_t uart_lsr(const struct uart16550 *u)
{
    uint8_t v = u->lsr_err;
    if (u->rx_count)
        v |= LSR_DR;
    if (u->tx_count == 0)
        v |= u->tsr_busy ? LSR_THRE : LSR_THRE | LSR_TEMT;
    return v;
}

static uint32_t uart_port_read(void *dev, uint16_t offset, unsigned size)
{
    (void)size;
    struct uart16550 *u = dev;
    uint64_t now = vclock_now(u->clk);
    uint8_t v = 0xFF;
    uart_sync(u, now);
    switch (offset) {
    case REG_DATA:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : uart_read_rbr(u, now);
        break;
    case REG_IER:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
        break;
    case REG_IIR_FCR: {
        uint8_t id = uart_iir_id(u, now);
        if (id == IIR_THRE)
            u->thre_pending = false; /* reading IIR with THRE as the source clears it */
        v = (uint8_t)(id | (u->fifo_enabled ? IIR_FIFO : 0));
        break;
    }
    case REG_LCR:
        v = u->lcr;
        break;
    case REG_MCR:
        v = u->mcr;
        break;
    case REG_LSR:
        v = uart_lsr(u);
        u->lsr_err = 0; /* OE/PE/FE/BI clear on read */
        break;
    case REG_MSR:
        v = (uint8_t)(u->msr_lines | u->msr_delta);
        u->msr_delta = 0;
        break;
    case REG_SCR:
        v = u->scr;
        break;
    }
    uart_settle(u, now);
    return v;
}

static void uart_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    (void)size;
    struct uart16550 *u = dev;
    uint64_t now = vclock_now(u->clk);
    uint8_t v = (uint8_t)value;
    uart_sync(u, now);
    switch (offset) {
    case REG_DATA:
        if (u->lcr & LCR_DLAB)
            u->divisor = (uint16_t)((u->divisor & 0xFF00) | v);
        else
            uart_write_thr(u, v, now);
        break;
    case REG_IER:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0x00FF) | v << 8);
        } else {
            /* enabling ETBEI with THR already empty raises THRE at once */
            if (!(u->ier & IER_ETBEI) && (v & IER_ETBEI) && u->tx_count == 0)
                u->thre_pending = true;
            u->ier = v & 0x0F;
        }
        break;
    case REG_IIR_FCR:
        uart_write_fcr(u, v);
        break;
    case REG_LCR:
        u->lcr = v;
        break;
    case REG_MCR:
        u->mcr = v & 0x1F;
        uart_msr_refresh(u);
        break;
    case REG_SCR:
        u->scr = v;
        break;
    default:
        break; /* LSR and MSR: factory test writes, ignored */
    }
    uart_settle(u, now);
}

/* ---- machine interface -------------------------------------------------- */

int uart16550_init(struct uart16550 *u, struct iobus *bus, struct vclock *clk, uint16_t base,
                   const struct irq_line *irq, char *err, size_t err_len)
{
    memset(u, 0, sizeof *u);
    u->clk = clk;
    if (irq)
        u->irq = *irq;
    u->ev.fire = uart_fire;
    u->ev.dev = u;
    u->ev.name = "uart16550";
    u->divisor = 12;
    u->msr_inputs = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
    u->msr_lines = u->msr_inputs;
    struct io_region r = {.name = "uart16550", .base = base, .size = 8, .widths = 1,
                          .read = uart_port_read, .write = uart_port_write, .dev = u};
    return iobus_register(bus, &r, err, err_len);
}

void uart16550_set_tx(struct uart16550 *u, void (*tx)(void *opaque, uint8_t byte), void *opaque)
{
    u->tx = tx;
    u->tx_opaque = opaque;
}

size_t uart16550_rx_space(struct uart16550 *u)
{
    uart_sync(u, vclock_now(u->clk));
    return uart_loop(u) ? 0 : uart_capacity(u) - u->rx_count;
}

size_t uart16550_receive(struct uart16550 *u, const uint8_t *bytes, size_t n)
{
    uint64_t now = vclock_now(u->clk);
    uart_sync(u, now);
    size_t k = 0;
    if (uart_loop(u))
        return 0; /* loopback disconnects the receiver from the line */
    while (k < n && uart_rx_push(u, bytes[k], now))
        k++;
    uart_settle(u, now);
    return k;
}

void uart16550_set_modem_inputs(struct uart16550 *u, uint8_t msr_bits)
{
    uint64_t now = vclock_now(u->clk);
    uart_sync(u, now);
    u->msr_inputs = msr_bits & 0xF0;
    uart_msr_refresh(u);
    uart_settle(u, now);
}
