/* PS/2 mouse: the device on the 8042's auxiliary port.  Standard 3-byte
 * packets (ID 00), the IntelliMouse wheel (ID 03, 4-byte packets, enabled by
 * the sample-rate sequence 200,100,80) and the IntelliMouse Explorer's two
 * extra buttons (ID 04, by 200,200,80 once in ID 03).  Stream and remote
 * modes, wrap (echo) mode, scaling 2:1, status request.
 *
 * Movement from the front end accumulates in counters; a packet is built
 * from them when reporting is on in stream mode and the packet queue has
 * room, so motion merges while the guest is slow to read but no button
 * change is lost.  A counter beyond the 9-bit range saturates and sets the
 * packet's overflow bit, as the hardware's counters do.  The sample rate and
 * resolution are kept and reported, not applied: one host count is one
 * mouse count.
 *
 * Controller side: as for the keyboard (ps2_mouse_write, _has_data, _read,
 * notify). */
#ifndef RINGZERO_DEVICES_PS2_MOUSE_H
#define RINGZERO_DEVICES_PS2_MOUSE_H

#include <stdbool.h>
#include <stdint.h>

/* ps2_mouse_move() button bits */
#define PS2_MOUSE_LEFT 0x01
#define PS2_MOUSE_RIGHT 0x02
#define PS2_MOUSE_MIDDLE 0x04
#define PS2_MOUSE_BUTTON4 0x08
#define PS2_MOUSE_BUTTON5 0x10

#define PS2_MOUSE_QUEUE_SIZE 64 /* 16 four-byte packets */
#define PS2_MOUSE_RESP_SIZE 8

struct ps2_mouse_fifo {
    uint8_t data[PS2_MOUSE_QUEUE_SIZE];
    unsigned head, count;
};

struct ps2_mouse {
    void (*notify)(void *ctx); /* set by the controller */
    void *notify_ctx;

    struct ps2_mouse_fifo resp, packets;
    uint8_t last_sent;   /* for FE (resend) */
    uint8_t pending_cmd; /* F3 or E8 waiting for its argument; 0 = none */
    uint8_t id;          /* 0, 3 (wheel) or 4 (wheel + 5 buttons) */
    uint8_t rate;        /* samples per second */
    uint8_t resolution;  /* 0-3: 1, 2, 4, 8 counts/mm */
    bool scaling_2to1;
    bool remote;         /* remote mode (F0) instead of stream mode (EA) */
    bool reporting;      /* F4/F5 */
    bool wrap;           /* EE/EC */
    uint8_t rate_seq[3]; /* the last three sample rates set, oldest first */

    int32_t dx, dy, dz;  /* movement not reported yet */
    uint8_t buttons;     /* PS2_MOUSE_* */
    bool changed;        /* something to report */
};

/* Once, before the controller is attached: power-on state (as after FF:
 * ID 0, stream mode, reporting off, 100/s, 4/mm, nothing queued). */
void ps2_mouse_init(struct ps2_mouse *m);
/* Power cycle of a mouse already in use, keeping the controller's hook. */
void ps2_mouse_reset(struct ps2_mouse *m);

/* Front end: relative movement in mouse counts, dx > 0 right, dy > 0 up
 * (away from the user), dz > 0 the wheel turned towards the user (the sign
 * the packet carries); buttons is the PS2_MOUSE_* bits now down. */
void ps2_mouse_move(struct ps2_mouse *m, int dx, int dy, int dz, unsigned buttons);

/* Controller side. */
bool ps2_mouse_has_data(const struct ps2_mouse *m);
uint8_t ps2_mouse_read(struct ps2_mouse *m); /* next byte to the host; 0 if none */
void ps2_mouse_write(struct ps2_mouse *m, uint8_t byte);

#endif
