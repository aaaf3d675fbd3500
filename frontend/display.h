/* The contract between a front end that shows the guest's screen and takes
 * the user's keyboard and mouse (frontend/sdl_window.c), and the machine
 * that owns the devices behind them (the VGA, the PS/2 keyboard and mouse).
 * Neither side includes the other's headers: the machine fills these two
 * structs with small functions of its own and an opaque pointer. */
#ifndef RINGZERO_FRONTEND_DISPLAY_H
#define RINGZERO_FRONTEND_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>

/* Where frames come from (the VGA). */
struct display_source {
    /* Renders the current screen into pixels (XRGB8888, rows packed, stride
     * *w) and returns 0 with the size, or -1 if there is nothing to show.
     * A source that returns -1 because its frame is larger than max_w x
     * max_h sets *w, *h to the size it needs (vga_render does), and the
     * caller may retry with a larger buffer. */
    int (*render)(void *opaque, uint32_t *pixels, unsigned max_w, unsigned max_h, unsigned *w, unsigned *h);
    void *opaque;
};

/* Where input goes (the PS/2 keyboard and mouse of the guest). */
struct input_sink {
    /* A key went down or up; keys are USB HID usages of the Keyboard/Keypad
     * page (0x04 A ... 0xE7 right GUI), which SDL scancodes are.  Host
     * auto-repeat is never passed on: the guest's keyboard repeats itself. */
    void (*key)(void *opaque, unsigned usb_hid_usage, bool down);
    /* Relative motion in mouse counts: dx > 0 right, dy > 0 up (away from
     * the user), dz > 0 the wheel turned towards the user; buttons is the
     * set now down, DISPLAY_BUTTON_*. */
    void (*mouse)(void *opaque, int dx, int dy, int dz, unsigned buttons);
    /* Every key is up (the window lost the keyboard focus). */
    void (*release_all)(void *opaque);
    void *opaque;
};

/* input_sink.mouse buttons: the same bits as ps2_mouse_move() takes. */
#define DISPLAY_BUTTON_LEFT   0x01u
#define DISPLAY_BUTTON_RIGHT  0x02u
#define DISPLAY_BUTTON_MIDDLE 0x04u
#define DISPLAY_BUTTON_BACK   0x08u /* 4th button (X1) */
#define DISPLAY_BUTTON_FWD    0x10u /* 5th button (X2) */

#endif
