/* PS/2 (MF II) keyboard: the device at the far end of the 8042's keyboard
 * port.  It answers the host commands (reset, identify, scancode set, LEDs,
 * typematic, enable/disable, echo, resend), keeps its own output queue, and
 * turns key presses from the front end into scancode set 1 or set 2
 * make/break sequences, with typematic repeat driven by the virtual clock.
 *
 * Key codes are USB HID usages (Keyboard/Keypad page 0x07), so a front end
 * that already speaks HID (SDL scancodes do) passes them straight through.
 *
 * Set 3 can be selected and is reported by F0 00, but keys still produce
 * set-2 codes (set 3 is almost never used; its per-key modes are not kept).
 *
 * The controller side: ps2_keyboard_write() delivers a host byte, and the
 * controller pulls device bytes with ps2_keyboard_has_data()/_read(); the
 * keyboard calls notify(notify_ctx) whenever it has queued something new. */
#ifndef RINGZERO_DEVICES_PS2_KEYBOARD_H
#define RINGZERO_DEVICES_PS2_KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"

/* The 104-key board plus the ISO and Japanese extra keys, by HID usage. */
enum ps2_key {
    PS2_KEY_NONE = 0x00,
    PS2_KEY_A = 0x04, PS2_KEY_B, PS2_KEY_C, PS2_KEY_D, PS2_KEY_E, PS2_KEY_F, PS2_KEY_G,
    PS2_KEY_H, PS2_KEY_I, PS2_KEY_J, PS2_KEY_K, PS2_KEY_L, PS2_KEY_M, PS2_KEY_N,
    PS2_KEY_O, PS2_KEY_P, PS2_KEY_Q, PS2_KEY_R, PS2_KEY_S, PS2_KEY_T, PS2_KEY_U,
    PS2_KEY_V, PS2_KEY_W, PS2_KEY_X, PS2_KEY_Y, PS2_KEY_Z,                 /* 0x1D */
    PS2_KEY_1 = 0x1E, PS2_KEY_2, PS2_KEY_3, PS2_KEY_4, PS2_KEY_5,
    PS2_KEY_6, PS2_KEY_7, PS2_KEY_8, PS2_KEY_9, PS2_KEY_0,                 /* 0x27 */
    PS2_KEY_ENTER = 0x28,
    PS2_KEY_ESCAPE = 0x29,
    PS2_KEY_BACKSPACE = 0x2A,
    PS2_KEY_TAB = 0x2B,
    PS2_KEY_SPACE = 0x2C,
    PS2_KEY_MINUS = 0x2D,
    PS2_KEY_EQUAL = 0x2E,
    PS2_KEY_LEFT_BRACKET = 0x2F,
    PS2_KEY_RIGHT_BRACKET = 0x30,
    PS2_KEY_BACKSLASH = 0x31,
    PS2_KEY_NONUS_HASH = 0x32,      /* ISO key left of Enter: same position code as backslash */
    PS2_KEY_SEMICOLON = 0x33,
    PS2_KEY_APOSTROPHE = 0x34,
    PS2_KEY_GRAVE = 0x35,
    PS2_KEY_COMMA = 0x36,
    PS2_KEY_PERIOD = 0x37,
    PS2_KEY_SLASH = 0x38,
    PS2_KEY_CAPS_LOCK = 0x39,
    PS2_KEY_F1 = 0x3A, PS2_KEY_F2, PS2_KEY_F3, PS2_KEY_F4, PS2_KEY_F5, PS2_KEY_F6,
    PS2_KEY_F7, PS2_KEY_F8, PS2_KEY_F9, PS2_KEY_F10, PS2_KEY_F11, PS2_KEY_F12, /* 0x45 */
    PS2_KEY_PRINT_SCREEN = 0x46,
    PS2_KEY_SCROLL_LOCK = 0x47,
    PS2_KEY_PAUSE = 0x48,
    PS2_KEY_INSERT = 0x49,
    PS2_KEY_HOME = 0x4A,
    PS2_KEY_PAGE_UP = 0x4B,
    PS2_KEY_DELETE = 0x4C,
    PS2_KEY_END = 0x4D,
    PS2_KEY_PAGE_DOWN = 0x4E,
    PS2_KEY_RIGHT = 0x4F,
    PS2_KEY_LEFT = 0x50,
    PS2_KEY_DOWN = 0x51,
    PS2_KEY_UP = 0x52,
    PS2_KEY_NUM_LOCK = 0x53,
    PS2_KEY_KP_SLASH = 0x54,
    PS2_KEY_KP_ASTERISK = 0x55,
    PS2_KEY_KP_MINUS = 0x56,
    PS2_KEY_KP_PLUS = 0x57,
    PS2_KEY_KP_ENTER = 0x58,
    PS2_KEY_KP_1 = 0x59, PS2_KEY_KP_2, PS2_KEY_KP_3, PS2_KEY_KP_4, PS2_KEY_KP_5,
    PS2_KEY_KP_6, PS2_KEY_KP_7, PS2_KEY_KP_8, PS2_KEY_KP_9, PS2_KEY_KP_0,  /* 0x62 */
    PS2_KEY_KP_PERIOD = 0x63,
    PS2_KEY_NONUS_BACKSLASH = 0x64, /* the 102nd key, between left Shift and Z */
    PS2_KEY_APPLICATION = 0x65,     /* Menu */
    PS2_KEY_INTL_RO = 0x87,
    PS2_KEY_INTL_KANA = 0x88,
    PS2_KEY_INTL_YEN = 0x89,
    PS2_KEY_INTL_HENKAN = 0x8A,
    PS2_KEY_INTL_MUHENKAN = 0x8B,
    PS2_KEY_LEFT_CTRL = 0xE0,
    PS2_KEY_LEFT_SHIFT = 0xE1,
    PS2_KEY_LEFT_ALT = 0xE2,
    PS2_KEY_LEFT_GUI = 0xE3,
    PS2_KEY_RIGHT_CTRL = 0xE4,
    PS2_KEY_RIGHT_SHIFT = 0xE5,
    PS2_KEY_RIGHT_ALT = 0xE6,
    PS2_KEY_RIGHT_GUI = 0xE7,
    PS2_KEY_COUNT = 0xE8 /* one past the largest usage */
};

/* LED bits, as the ED command sets them. */
#define PS2_LED_SCROLL 0x01
#define PS2_LED_NUM 0x02
#define PS2_LED_CAPS 0x04

/* Command responses wait in a small queue that goes first; scancodes in a
 * larger one (a real keyboard buffers 16 bytes; 64 spares a front end that
 * types faster than the guest reads from losing keys to an overrun). */
#define PS2_KBD_RESP_SIZE 8
#define PS2_KBD_QUEUE_SIZE 64

struct ps2_kbd_fifo {
    uint8_t data[PS2_KBD_QUEUE_SIZE];
    unsigned head, count;
};

struct ps2_keyboard {
    struct vclock *clk;        /* typematic repeat; NULL: no repeat */
    void (*notify)(void *ctx); /* set by the controller */
    void *notify_ctx;

    struct ps2_kbd_fifo resp, keys;
    uint8_t last_sent;      /* for FE (resend) */
    uint8_t pending_cmd;    /* ED, F3, F0, FB-FD: waiting for an argument; 0 = none */
    uint8_t scancode_set;   /* 1, 2 or 3 */
    uint8_t leds;           /* PS2_LED_* */
    uint8_t typematic;      /* F3 argument: bits 0-4 rate, 5-6 delay */
    bool scanning;          /* F4/F5 */
    uint8_t held[PS2_KEY_COUNT / 8 + 1]; /* bitmap of keys down, by usage */
    unsigned repeat_key;    /* usage that repeats, 0 = none */
    struct clock_event repeat;
};

/* Once, before the controller is attached: power-on state (set 2,
 * scanning, 10.9 cps after 500 ms, LEDs off, nothing queued).  No power-on
 * AA is queued: firmware and drivers reset the keyboard themselves. */
void ps2_keyboard_init(struct ps2_keyboard *k, struct vclock *clk);
/* Power cycle of a keyboard already in use: the same state, keeping the
 * clock and the controller's hook (the keys physically down stay down). */
void ps2_keyboard_reset(struct ps2_keyboard *k);

/* Front end: a key went down or up.  Unknown codes are ignored, and so is a
 * down for a key already down (host auto-repeat: the keyboard repeats by
 * itself, at the rate the guest programmed with F3). */
void ps2_keyboard_key(struct ps2_keyboard *k, unsigned keycode, bool down);
/* Releases every key that is down (the front end lost focus). */
void ps2_keyboard_release_all(struct ps2_keyboard *k);
/* The LEDs the guest set (PS2_LED_*), for the front end to show. */
static inline uint8_t ps2_keyboard_leds(const struct ps2_keyboard *k) { return k->leds; }

/* Controller side. */
bool ps2_keyboard_has_data(const struct ps2_keyboard *k);
uint8_t ps2_keyboard_read(struct ps2_keyboard *k); /* next byte to the host; 0 if none */
void ps2_keyboard_write(struct ps2_keyboard *k, uint8_t byte);

/* The scancode sequence a key produces in a set (1, or 2 for 2 and 3), with
 * `mods` the PS2_MOD_* held (they change PrintScreen and Pause).  Returns
 * the length (0 for a key without one, or the release of Pause). */
#define PS2_MOD_CTRL 0x01
#define PS2_MOD_SHIFT 0x02
#define PS2_MOD_ALT 0x04
unsigned ps2_keyboard_sequence(unsigned keycode, bool down, unsigned set, unsigned mods,
                               uint8_t out[8]);

#endif
