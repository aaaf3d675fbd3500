/* PS/2 keyboard (see ps2_keyboard.h).
 *
 * Follows the IBM 101/102-key keyboard command set as the IBM Personal
 * System/2 Hardware Interface Technical Reference ("Keyboard", Commands from
 * the System / Commands to the System) describes it, and the scancode tables
 * of Microsoft's "Keyboard Scan Code Specification" (rev. 1.3a, appendix C:
 * set 1 and set 2 codes per key, PrintScreen and Pause special cases). */
#include "ps2_keyboard.h"

#include <stddef.h>

/* ---- byte queues ---- */

static bool fifo_push(struct ps2_kbd_fifo *f, unsigned cap, uint8_t v)
{
    if (f->count >= cap)
        return false;
    f->data[(f->head + f->count) % PS2_KBD_QUEUE_SIZE] = v;
    f->count++;
    return true;
}

static uint8_t fifo_pop(struct ps2_kbd_fifo *f)
{
    uint8_t v = f->data[f->head];
    f->head = (f->head + 1) % PS2_KBD_QUEUE_SIZE;
    f->count--;
    return v;
}

static void fifo_clear(struct ps2_kbd_fifo *f)
{
    f->head = 0;
    f->count = 0;
}

/* ---- scancode tables ---- */

#define KF_E0 0x01    /* the code is preceded by E0 (and E0 F0 on release in set 2) */
#define KF_SPECIAL 0x02 /* PrintScreen, Pause: sequences built by hand */

struct key_codes {
    uint8_t set1, set2, flags;
};

/* Per HID usage.  An entry of zeros is a key this keyboard does not have. */
static const struct key_codes key_table[PS2_KEY_COUNT] = {
    [PS2_KEY_A] = {0x1E, 0x1C, 0}, [PS2_KEY_B] = {0x30, 0x32, 0}, [PS2_KEY_C] = {0x2E, 0x21, 0},
    [PS2_KEY_D] = {0x20, 0x23, 0}, [PS2_KEY_E] = {0x12, 0x24, 0}, [PS2_KEY_F] = {0x21, 0x2B, 0},
    [PS2_KEY_G] = {0x22, 0x34, 0}, [PS2_KEY_H] = {0x23, 0x33, 0}, [PS2_KEY_I] = {0x17, 0x43, 0},
    [PS2_KEY_J] = {0x24, 0x3B, 0}, [PS2_KEY_K] = {0x25, 0x42, 0}, [PS2_KEY_L] = {0x26, 0x4B, 0},
    [PS2_KEY_M] = {0x32, 0x3A, 0}, [PS2_KEY_N] = {0x31, 0x31, 0}, [PS2_KEY_O] = {0x18, 0x44, 0},
    [PS2_KEY_P] = {0x19, 0x4D, 0}, [PS2_KEY_Q] = {0x10, 0x15, 0}, [PS2_KEY_R] = {0x13, 0x2D, 0},
    [PS2_KEY_S] = {0x1F, 0x1B, 0}, [PS2_KEY_T] = {0x14, 0x2C, 0}, [PS2_KEY_U] = {0x16, 0x3C, 0},
    [PS2_KEY_V] = {0x2F, 0x2A, 0}, [PS2_KEY_W] = {0x11, 0x1D, 0}, [PS2_KEY_X] = {0x2D, 0x22, 0},
    [PS2_KEY_Y] = {0x15, 0x35, 0}, [PS2_KEY_Z] = {0x2C, 0x1A, 0},
    [PS2_KEY_1] = {0x02, 0x16, 0}, [PS2_KEY_2] = {0x03, 0x1E, 0}, [PS2_KEY_3] = {0x04, 0x26, 0},
    [PS2_KEY_4] = {0x05, 0x25, 0}, [PS2_KEY_5] = {0x06, 0x2E, 0}, [PS2_KEY_6] = {0x07, 0x36, 0},
    [PS2_KEY_7] = {0x08, 0x3D, 0}, [PS2_KEY_8] = {0x09, 0x3E, 0}, [PS2_KEY_9] = {0x0A, 0x46, 0},
    [PS2_KEY_0] = {0x0B, 0x45, 0},
    [PS2_KEY_ENTER] = {0x1C, 0x5A, 0},
    [PS2_KEY_ESCAPE] = {0x01, 0x76, 0},
    [PS2_KEY_BACKSPACE] = {0x0E, 0x66, 0},
    [PS2_KEY_TAB] = {0x0F, 0x0D, 0},
    [PS2_KEY_SPACE] = {0x39, 0x29, 0},
    [PS2_KEY_MINUS] = {0x0C, 0x4E, 0},
    [PS2_KEY_EQUAL] = {0x0D, 0x55, 0},
    [PS2_KEY_LEFT_BRACKET] = {0x1A, 0x54, 0},
    [PS2_KEY_RIGHT_BRACKET] = {0x1B, 0x5B, 0},
    [PS2_KEY_BACKSLASH] = {0x2B, 0x5D, 0},
    [PS2_KEY_NONUS_HASH] = {0x2B, 0x5D, 0},
    [PS2_KEY_SEMICOLON] = {0x27, 0x4C, 0},
    [PS2_KEY_APOSTROPHE] = {0x28, 0x52, 0},
    [PS2_KEY_GRAVE] = {0x29, 0x0E, 0},
    [PS2_KEY_COMMA] = {0x33, 0x41, 0},
    [PS2_KEY_PERIOD] = {0x34, 0x49, 0},
    [PS2_KEY_SLASH] = {0x35, 0x4A, 0},
    [PS2_KEY_CAPS_LOCK] = {0x3A, 0x58, 0},
    [PS2_KEY_F1] = {0x3B, 0x05, 0}, [PS2_KEY_F2] = {0x3C, 0x06, 0}, [PS2_KEY_F3] = {0x3D, 0x04, 0},
    [PS2_KEY_F4] = {0x3E, 0x0C, 0}, [PS2_KEY_F5] = {0x3F, 0x03, 0}, [PS2_KEY_F6] = {0x40, 0x0B, 0},
    [PS2_KEY_F7] = {0x41, 0x83, 0}, [PS2_KEY_F8] = {0x42, 0x0A, 0}, [PS2_KEY_F9] = {0x43, 0x01, 0},
    [PS2_KEY_F10] = {0x44, 0x09, 0}, [PS2_KEY_F11] = {0x57, 0x78, 0}, [PS2_KEY_F12] = {0x58, 0x07, 0},
    [PS2_KEY_PRINT_SCREEN] = {0x37, 0x7C, KF_E0 | KF_SPECIAL},
    [PS2_KEY_SCROLL_LOCK] = {0x46, 0x7E, 0},
    [PS2_KEY_PAUSE] = {0x45, 0x77, KF_SPECIAL},
    [PS2_KEY_INSERT] = {0x52, 0x70, KF_E0},
    [PS2_KEY_HOME] = {0x47, 0x6C, KF_E0},
    [PS2_KEY_PAGE_UP] = {0x49, 0x7D, KF_E0},
    [PS2_KEY_DELETE] = {0x53, 0x71, KF_E0},
    [PS2_KEY_END] = {0x4F, 0x69, KF_E0},
    [PS2_KEY_PAGE_DOWN] = {0x51, 0x7A, KF_E0},
    [PS2_KEY_RIGHT] = {0x4D, 0x74, KF_E0},
    [PS2_KEY_LEFT] = {0x4B, 0x6B, KF_E0},
    [PS2_KEY_DOWN] = {0x50, 0x72, KF_E0},
    [PS2_KEY_UP] = {0x48, 0x75, KF_E0},
    [PS2_KEY_NUM_LOCK] = {0x45, 0x77, 0},
    [PS2_KEY_KP_SLASH] = {0x35, 0x4A, KF_E0},
    [PS2_KEY_KP_ASTERISK] = {0x37, 0x7C, 0},
    [PS2_KEY_KP_MINUS] = {0x4A, 0x7B, 0},
    [PS2_KEY_KP_PLUS] = {0x4E, 0x79, 0},
    [PS2_KEY_KP_ENTER] = {0x1C, 0x5A, KF_E0},
    [PS2_KEY_KP_1] = {0x4F, 0x69, 0}, [PS2_KEY_KP_2] = {0x50, 0x72, 0},
    [PS2_KEY_KP_3] = {0x51, 0x7A, 0}, [PS2_KEY_KP_4] = {0x4B, 0x6B, 0},
    [PS2_KEY_KP_5] = {0x4C, 0x73, 0}, [PS2_KEY_KP_6] = {0x4D, 0x74, 0},
    [PS2_KEY_KP_7] = {0x47, 0x6C, 0}, [PS2_KEY_KP_8] = {0x48, 0x75, 0},
    [PS2_KEY_KP_9] = {0x49, 0x7D, 0}, [PS2_KEY_KP_0] = {0x52, 0x70, 0},
    [PS2_KEY_KP_PERIOD] = {0x53, 0x71, 0},
    [PS2_KEY_NONUS_BACKSLASH] = {0x56, 0x61, 0},
    [PS2_KEY_APPLICATION] = {0x5D, 0x2F, KF_E0},
    [PS2_KEY_INTL_RO] = {0x73, 0x51, 0},
    [PS2_KEY_INTL_KANA] = {0x70, 0x13, 0},
    [PS2_KEY_INTL_YEN] = {0x7D, 0x6A, 0},
    [PS2_KEY_INTL_HENKAN] = {0x79, 0x64, 0},
    [PS2_KEY_INTL_MUHENKAN] = {0x7B, 0x67, 0},
    [PS2_KEY_LEFT_CTRL] = {0x1D, 0x14, 0},
    [PS2_KEY_LEFT_SHIFT] = {0x2A, 0x12, 0},
    [PS2_KEY_LEFT_ALT] = {0x38, 0x11, 0},
    [PS2_KEY_LEFT_GUI] = {0x5B, 0x1F, KF_E0},
    [PS2_KEY_RIGHT_CTRL] = {0x1D, 0x14, KF_E0},
    [PS2_KEY_RIGHT_SHIFT] = {0x36, 0x59, 0},
    [PS2_KEY_RIGHT_ALT] = {0x38, 0x11, KF_E0},
    [PS2_KEY_RIGHT_GUI] = {0x5C, 0x27, KF_E0},
};

static unsigned put(uint8_t *out, unsigned n, const uint8_t *seq, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        out[n + i] = seq[i];
    return n + len;
}

/* PrintScreen is "E0 12 E0 7C" (set 1: E0 2A E0 37) with a fake left Shift
 * around it, except with Ctrl or Shift held (the plain E0 7C) and with Alt
 * held, when it is SysRq (84, set 1: 54).  Pause is a make-only sequence;
 * with Ctrl held it is Break (E0 7E E0 F0 7E, set 1: E0 46 E0 C6). */
static unsigned special_sequence(unsigned key, bool down, unsigned set, unsigned mods,
                                 uint8_t *out)
{
    if (key == PS2_KEY_PAUSE) {
        static const uint8_t pause1[] = {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5};
        static const uint8_t pause2[] = {0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77};
        static const uint8_t break1[] = {0xE0, 0x46, 0xE0, 0xC6};
        static const uint8_t break2[] = {0xE0, 0x7E, 0xE0, 0xF0, 0x7E};
        if (!down)
            return 0;
        if (mods & PS2_MOD_CTRL)
            return set == 1 ? put(out, 0, break1, 4) : put(out, 0, break2, 5);
        return set == 1 ? put(out, 0, pause1, 6) : put(out, 0, pause2, 8);
    }
    /* PrintScreen */
    if (mods & PS2_MOD_ALT) {
        if (set == 1) {
            out[0] = down ? 0x54 : 0xD4;
            return 1;
        }
        static const uint8_t make2[] = {0x84}, brk2[] = {0xF0, 0x84};
        return down ? put(out, 0, make2, 1) : put(out, 0, brk2, 2);
    }
    static const uint8_t make1[] = {0xE0, 0x2A, 0xE0, 0x37}, brk1[] = {0xE0, 0xB7, 0xE0, 0xAA};
    static const uint8_t make2[] = {0xE0, 0x12, 0xE0, 0x7C};
    static const uint8_t brk2[] = {0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12};
    bool bare = mods & (PS2_MOD_CTRL | PS2_MOD_SHIFT);
    if (set == 1) {
        if (bare)
            return down ? put(out, 0, make1 + 2, 2) : put(out, 0, brk1, 2);
        return down ? put(out, 0, make1, 4) : put(out, 0, brk1, 4);
    }
    if (bare)
        return down ? put(out, 0, make2 + 2, 2) : put(out, 0, brk2, 3);
    return down ? put(out, 0, make2, 4) : put(out, 0, brk2, 6);
}

unsigned ps2_keyboard_sequence(unsigned keycode, bool down, unsigned set, unsigned mods,
                               uint8_t out[8])
{
    if (keycode >= PS2_KEY_COUNT || key_table[keycode].set1 == 0)
        return 0;
    const struct key_codes *kc = &key_table[keycode];
    if (kc->flags & KF_SPECIAL)
        return special_sequence(keycode, down, set, mods, out);
    unsigned n = 0;
    if (kc->flags & KF_E0)
        out[n++] = 0xE0;
    if (set == 1) {
        out[n++] = (uint8_t)(down ? kc->set1 : kc->set1 | 0x80);
    } else {
        if (!down)
            out[n++] = 0xF0;
        out[n++] = kc->set2;
    }
    return n;
}

/* ---- device state ---- */

static bool key_held(const struct ps2_keyboard *k, unsigned key)
{
    return (k->held[key / 8] >> (key % 8)) & 1;
}

static unsigned held_mods(const struct ps2_keyboard *k)
{
    unsigned m = 0;
    if (key_held(k, PS2_KEY_LEFT_CTRL) || key_held(k, PS2_KEY_RIGHT_CTRL))
        m |= PS2_MOD_CTRL;
    if (key_held(k, PS2_KEY_LEFT_SHIFT) || key_held(k, PS2_KEY_RIGHT_SHIFT))
        m |= PS2_MOD_SHIFT;
    if (key_held(k, PS2_KEY_LEFT_ALT) || key_held(k, PS2_KEY_RIGHT_ALT))
        m |= PS2_MOD_ALT;
    return m;
}

static void kbd_notify(struct ps2_keyboard *k)
{
    if (k->notify)
        k->notify(k->notify_ctx);
}

static void kbd_respond(struct ps2_keyboard *k, uint8_t v)
{
    fifo_push(&k->resp, PS2_KBD_RESP_SIZE, v);
}

static void kbd_stop_repeat(struct ps2_keyboard *k)
{
    k->repeat_key = 0;
    if (k->clk)
        vclock_cancel(k->clk, &k->repeat);
}

/* Typematic byte: delay (1 + bits 6-5) * 250 ms; period (8 + bits 2-0) *
 * 2^(bits 4-3) * 4.17 ms, i.e. 30 to 2 characters per second. */
static uint64_t typematic_delay_ns(uint8_t t)
{
    return (uint64_t)(1 + ((t >> 5) & 3)) * 250000000u;
}

static uint64_t typematic_period_ns(uint8_t t)
{
    return (uint64_t)((8u + (t & 7)) << ((t >> 3) & 3)) * 4166667u;
}

/* Scancodes in the set this keyboard sends (set 3 is sent as set 2). */
static unsigned kbd_wire_set(const struct ps2_keyboard *k)
{
    return k->scancode_set == 1 ? 1 : 2;
}

/* Queues a whole sequence or none of it.  The last byte of the buffer is
 * kept for the overrun code (00 in set 2, FF in set 1), which takes it when
 * a sequence does not fit. */
static bool kbd_queue_sequence(struct ps2_keyboard *k, const uint8_t *seq, unsigned len)
{
    if (len == 0)
        return true;
    if (k->keys.count + len >= PS2_KBD_QUEUE_SIZE) {
        uint8_t overrun = kbd_wire_set(k) == 1 ? 0xFF : 0x00;
        if (k->keys.count < PS2_KBD_QUEUE_SIZE)
            fifo_push(&k->keys, PS2_KBD_QUEUE_SIZE, overrun);
        return false;
    }
    for (unsigned i = 0; i < len; i++)
        fifo_push(&k->keys, PS2_KBD_QUEUE_SIZE, seq[i]);
    return true;
}

static void kbd_repeat_fire(void *dev, uint64_t now)
{
    struct ps2_keyboard *k = dev;
    if (!k->repeat_key || !k->scanning)
        return;
    /* A repeat is only worth sending when the previous bytes went out: a
     * host that is not reading must not find its buffer full of repeats. */
    if (k->keys.count == 0) {
        uint8_t seq[8];
        unsigned n = ps2_keyboard_sequence(k->repeat_key, true, kbd_wire_set(k), held_mods(k), seq);
        kbd_queue_sequence(k, seq, n);
        kbd_notify(k);
    }
    vclock_arm(k->clk, &k->repeat, now + typematic_period_ns(k->typematic));
}

static void kbd_set_defaults(struct ps2_keyboard *k)
{
    k->scancode_set = 2;
    k->typematic = 0x2B; /* 10.9 characters per second after 500 ms */
    k->leds = 0;
    k->pending_cmd = 0;
    kbd_stop_repeat(k);
}

void ps2_keyboard_reset(struct ps2_keyboard *k)
{
    kbd_set_defaults(k);
    fifo_clear(&k->resp);
    fifo_clear(&k->keys);
    k->last_sent = 0;
    k->scanning = true;
}

void ps2_keyboard_init(struct ps2_keyboard *k, struct vclock *clk)
{
    *k = (struct ps2_keyboard){0};
    k->clk = clk;
    k->repeat = (struct clock_event){.fire = kbd_repeat_fire, .dev = k, .name = "ps2-typematic"};
    ps2_keyboard_reset(k);
}

void ps2_keyboard_key(struct ps2_keyboard *k, unsigned keycode, bool down)
{
    if (keycode >= PS2_KEY_COUNT || key_table[keycode].set1 == 0)
        return;
    if (key_held(k, keycode) == down)
        return; /* a repeated down, or an up for a key that is not down */
    /* The modifiers in force are the ones held before this key changes. */
    unsigned mods = held_mods(k);
    if (down)
        k->held[keycode / 8] |= (uint8_t)(1u << (keycode % 8));
    else
        k->held[keycode / 8] &= (uint8_t)~(1u << (keycode % 8));
    if (!k->scanning)
        return;

    uint8_t seq[8];
    unsigned n = ps2_keyboard_sequence(keycode, down, kbd_wire_set(k), mods, seq);
    kbd_queue_sequence(k, seq, n);

    /* Typematic: the last key pressed repeats until it is released (Pause never). */
    if (down && keycode != PS2_KEY_PAUSE && k->clk) {
        k->repeat_key = keycode;
        vclock_arm(k->clk, &k->repeat, vclock_now(k->clk) + typematic_delay_ns(k->typematic));
    } else if (!down && keycode == k->repeat_key) {
        kbd_stop_repeat(k);
    }
    kbd_notify(k);
}

void ps2_keyboard_release_all(struct ps2_keyboard *k)
{
    for (unsigned key = 0; key < PS2_KEY_COUNT; key++)
        if (key_held(k, key))
            ps2_keyboard_key(k, key, false);
}

bool ps2_keyboard_has_data(const struct ps2_keyboard *k)
{
    return k->resp.count || k->keys.count;
}

uint8_t ps2_keyboard_read(struct ps2_keyboard *k)
{
    if (k->resp.count)
        k->last_sent = fifo_pop(&k->resp);
    else if (k->keys.count)
        k->last_sent = fifo_pop(&k->keys);
    else
        return 0;
    return k->last_sent;
}

/* An argument byte for the command in pending_cmd. */
static void kbd_argument(struct ps2_keyboard *k, uint8_t arg)
{
    uint8_t cmd = k->pending_cmd;
    k->pending_cmd = 0;
    switch (cmd) {
    case 0xED: /* set LEDs */
        k->leds = arg & 7;
        kbd_respond(k, 0xFA);
        break;
    case 0xF3: /* typematic rate and delay */
        k->typematic = arg & 0x7F;
        kbd_respond(k, 0xFA);
        break;
    case 0xF0: /* 0: report the set; 1-3: select it */
        kbd_respond(k, 0xFA);
        if (arg == 0) {
            kbd_respond(k, k->scancode_set);
        } else if (arg <= 3) {
            k->scancode_set = arg;
            fifo_clear(&k->keys); /* codes of the old set mean nothing now */
            kbd_stop_repeat(k);
        }
        break;
    default: /* FB-FD (set 3 key modes): each key code is acknowledged, none kept */
        kbd_respond(k, 0xFA);
        k->pending_cmd = cmd;
        break;
    }
}

void ps2_keyboard_write(struct ps2_keyboard *k, uint8_t byte)
{
    /* A byte that is not a command (below ED) is an argument when one is
     * expected; a command byte instead aborts the command waiting for it. */
    if (k->pending_cmd && byte < 0xED) {
        kbd_argument(k, byte);
        kbd_notify(k);
        return;
    }
    k->pending_cmd = 0;
    switch (byte) {
    case 0xED: case 0xF3: case 0xF0: case 0xFB: case 0xFC: case 0xFD:
        kbd_respond(k, 0xFA);
        k->pending_cmd = byte;
        break;
    case 0xEE: /* echo */
        kbd_respond(k, 0xEE);
        break;
    case 0xF2: /* identify: MF2 keyboard */
        kbd_respond(k, 0xFA);
        kbd_respond(k, 0xAB);
        kbd_respond(k, 0x83);
        break;
    case 0xF4: /* enable: clears the buffer, starts scanning */
        fifo_clear(&k->keys);
        k->scanning = true;
        kbd_respond(k, 0xFA);
        break;
    case 0xF5: /* default and disable */
        kbd_set_defaults(k);
        fifo_clear(&k->keys);
        k->scanning = false;
        kbd_respond(k, 0xFA);
        break;
    case 0xF6: /* set defaults; scanning goes on as it was */
        kbd_set_defaults(k);
        fifo_clear(&k->keys);
        kbd_respond(k, 0xFA);
        break;
    case 0xF7: case 0xF8: case 0xF9: case 0xFA: /* set 3 "all keys" modes: accepted, ignored */
        kbd_respond(k, 0xFA);
        break;
    case 0xFE: /* resend the last byte sent */
        kbd_respond(k, k->last_sent);
        break;
    case 0xFF: /* reset: ACK, then the basic assurance test passes (AA) */
        ps2_keyboard_reset(k);
        kbd_respond(k, 0xFA);
        kbd_respond(k, 0xAA);
        break;
    default: /* not a command: ask for it again */
        kbd_respond(k, 0xFE);
        break;
    }
    kbd_notify(k);
}
