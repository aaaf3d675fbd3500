/* National Semiconductor PC16550D UART with 16-byte FIFOs, as a PC serial port
 * (COM1 0x3F8 IRQ 4, COM2 0x2F8 IRQ 3, COM3 0x3E8 IRQ 4, COM4 0x2E8 IRQ 3),
 * clocked at 1.8432 MHz.  Transmit and receive timing run on virtual time:
 * a character occupies the line for its frame (start + data + parity + stop
 * bits, 10 bit times for 8N1) at the programmed baud rate.  See uart16550.c
 * for the datasheet sections followed. */
#ifndef RINGZERO_DEVICES_UART16550_H
#define RINGZERO_DEVICES_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "iobus.h"
#include "irq.h"

#define UART16550_COM1 0x3F8
#define UART16550_COM2 0x2F8
#define UART16550_COM3 0x3E8
#define UART16550_COM4 0x2E8
#define UART16550_FIFO_SIZE 16

/* Modem status inputs (MSR bits 7-4) for uart16550_set_modem_inputs. */
enum { UART_MSR_CTS = 0x10, UART_MSR_DSR = 0x20, UART_MSR_RI = 0x40, UART_MSR_DCD = 0x80 };

struct uart16550 {
    struct vclock *clk;
    struct irq_line irq;
    struct clock_event ev;
    /* Output: called with each byte as it starts on the line (not in loopback). */
    void (*tx)(void *opaque, uint8_t byte);
    void *tx_opaque;

    uint16_t divisor;
    /* 0: a character takes as long as LCR and the divisor say (the real line rate).
     * Otherwise at most this many ns: a line faster than any baud rate, for guests
     * that print with interrupts off (a Linux console at 115200 baud loses timer
     * ticks on a slow virtual CPU). The register behaviour is the same either way. */
    uint64_t frame_ns_cap;
    uint8_t ier, lcr, mcr, scr;
    uint8_t fcr;          /* trigger level and DMA mode bits as last programmed */
    bool fifo_enabled;    /* FCR bit 0 */
    uint8_t lsr_err;      /* latched OE (no PE/FE/BI: host input has none) */
    uint8_t msr_inputs;   /* external CTS/DSR/RI/DCD (bits 7-4) */
    uint8_t msr_lines;    /* effective inputs last seen, for the delta bits */
    uint8_t msr_delta;    /* DCTS, DDSR, TERI, DDCD (bits 3-0) */
    uint8_t rbr_last;     /* what RBR reads when empty */

    uint8_t rxf[UART16550_FIFO_SIZE];
    unsigned rx_head, rx_count;
    uint64_t rx_activity; /* last character received or read (character timeout) */
    uint8_t txf[UART16550_FIFO_SIZE];
    unsigned tx_head, tx_count;
    bool tsr_busy;        /* transmitter shift register sending tsr_byte until tsr_end */
    uint8_t tsr_byte;
    uint64_t tsr_end;
    bool thre_pending;    /* THRE interrupt latch */
    bool irq_level;
};

/* The struct must stay where it is after init (the bus and the clock point into it).
 * Registers 8 ports at base; the chip starts as after a master reset with
 * divisor 12 (9600 baud), no transmit callback, and modem inputs CTS, DSR
 * and DCD active (a peer that is ready).  Returns 0, or -1 with a message. */
int uart16550_init(struct uart16550 *u, struct iobus *bus, struct vclock *clk, uint16_t base,
                   const struct irq_line *irq, char *err, size_t err_len);
void uart16550_set_tx(struct uart16550 *u, void (*tx)(void *opaque, uint8_t byte), void *opaque);

/* Input from the outside line.  Stores bytes while there is room (16 in FIFO
 * mode, 1 in 16450 mode) and returns how many were stored.  If not all fit, a
 * character arrived with no room: LSR OE is set, as on the chip, and the
 * FIFO/RBR keeps its contents.  The caller drops the rest (a line without
 * flow control) or offers them again later; a machine that wants no loss
 * offers at most uart16550_rx_space() bytes.  In loopback the receiver is
 * off the line: nothing is taken and the space is 0. */
size_t uart16550_receive(struct uart16550 *u, const uint8_t *bytes, size_t n);
size_t uart16550_rx_space(struct uart16550 *u);
/* Sets the external modem status inputs (UART_MSR_* bits); changes set the delta bits. */
void uart16550_set_modem_inputs(struct uart16550 *u, uint8_t msr_bits);

#endif
