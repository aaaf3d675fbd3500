/* Intel 8042 keyboard controller as PC/AT and PS/2 systems program it: data
 * port 0x60, status (read) / command (write) port 0x64, IRQ 1 for keyboard
 * bytes and IRQ 12 for auxiliary (mouse) bytes, the A20 gate and the CPU
 * reset line on its output port.
 *
 * One output buffer holds one byte at a time; the controller fills it from
 * its own command responses, from the keyboard (translated to scancode set 1
 * when the command byte asks for it) or from the mouse, and raises the
 * matching IRQ while the byte waits, if that interrupt is enabled.  After
 * the guest reads a byte the next one is loaded byte_delay_ns later (a
 * clock event), so an interrupt handler's single read and EOI finish before
 * the next byte arrives; with nothing waiting, a new byte is loaded at once.
 *
 * The machine wires set_a20 and reset after kbc8042_attach (both may stay
 * NULL).  reset is called from inside a port write: latch it and reset the
 * CPU at an instruction boundary.  The 8042 itself is not reset by it (a
 * real one is not: POST reads the system flag to tell a warm start). */
#ifndef RINGZERO_DEVICES_KBC8042_H
#define RINGZERO_DEVICES_KBC8042_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "iobus.h"
#include "irq.h"
#include "ps2_keyboard.h"
#include "ps2_mouse.h"

#define KBC8042_DATA_PORT 0x60
#define KBC8042_STATUS_PORT 0x64

/* Status register (port 0x64 read) */
#define KBC_STAT_OBF 0x01     /* output buffer full */
#define KBC_STAT_IBF 0x02     /* input buffer full (never seen: writes are taken at once) */
#define KBC_STAT_SYS 0x04     /* system flag */
#define KBC_STAT_CMD 0x08     /* last write was to 0x64 */
#define KBC_STAT_UNLOCK 0x10  /* keyboard not inhibited by the key lock */
#define KBC_STAT_AUX_OBF 0x20 /* the byte in the output buffer is from the mouse */
#define KBC_STAT_TIMEOUT 0x40 /* a device did not answer */
#define KBC_STAT_PARITY 0x80

/* Command byte (controller RAM byte 0; commands 20h / 60h) */
#define KBC_CB_KBD_INT 0x01
#define KBC_CB_AUX_INT 0x02
#define KBC_CB_SYS 0x04
#define KBC_CB_OVERRIDE 0x08 /* AT: ignore the key lock */
#define KBC_CB_KBD_DIS 0x10
#define KBC_CB_AUX_DIS 0x20
#define KBC_CB_XLATE 0x40

/* Output port (commands D0h / D1h) */
#define KBC_OUT_RESET 0x01 /* active low: 0 resets the CPU */
#define KBC_OUT_A20 0x02
#define KBC_OUT_KBD_IRQ 0x10
#define KBC_OUT_AUX_IRQ 0x20

/* Default gap between bytes after the guest reads one (virtual ns). */
#define KBC8042_BYTE_DELAY_NS 20000u

struct kbc8042 {
    struct vclock *clk;
    struct ps2_keyboard *kbd; /* NULL: no keyboard plugged in */
    struct ps2_mouse *mouse;  /* NULL: no mouse */
    struct irq_line irq_kbd, irq_aux;
    bool irq_kbd_level, irq_aux_level;

    void (*set_a20)(void *opaque, bool enabled); /* output port bit 1 changed */
    void (*reset)(void *opaque);                 /* the CPU reset line was pulsed */
    void *opaque;

    uint8_t ram[32];      /* internal RAM; ram[0] is the command byte */
    uint8_t out_port;
    uint8_t input_port;
    uint8_t obuf;         /* output buffer (last byte stays readable) */
    bool obf, obuf_aux;   /* full; the byte is the mouse's */
    bool last_cmd;        /* status bit 3 */
    bool sys_flag;        /* status bit 2 */
    bool timeout;         /* status bit 6 */
    uint8_t pending;      /* command waiting for its data byte on 0x60; 0 = none */
    bool xlat_break;      /* translation: an F0 came, the next code is a release */
    bool last_from_aux;   /* the last device byte came from the mouse (alternation) */
    bool in_service;      /* loading the output buffer (a device may call back) */
    uint64_t byte_delay_ns;
    struct clock_event refill;
};

/* Puts the controller in its power-on state, wires the devices (their
 * notify hooks point here) and registers ports 0x60 and 0x64. */
int kbc8042_attach(struct kbc8042 *k, struct iobus *bus, struct vclock *clk,
                   struct ps2_keyboard *kbd, struct ps2_mouse *mouse,
                   const struct irq_line *irq_kbd, const struct irq_line *irq_aux,
                   char *err, size_t err_len);
/* Power-on state (attach does it); for a machine power cycle, not for the
 * resets the controller itself asks for.  Reports A20 (on) through set_a20
 * if it changes. */
void kbc8042_reset(struct kbc8042 *k);

#endif
