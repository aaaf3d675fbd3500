/* 8042 keyboard controller (see kbc8042.h).
 *
 * Follows the IBM Personal System/2 Hardware Interface Technical Reference,
 * "Keyboard/Auxiliary Device Controller": the status register, the command
 * byte, the commands 20-3F/60-7F (RAM), A7-AB, AD, AE, C0, D0-D4, F0-FF, and
 * the scancode translation (set 2 to set 1, with F0 turning the following
 * code into a release by setting bit 7).  Command responses replace the byte
 * in the output buffer (the reference warns that they overwrite it). */
#include "kbc8042.h"

/* The controller's translation table for set-2 bytes 00-7F.  Bytes from 80
 * up pass unchanged, except 83 (F7) -> 41 and 84 (Alt+SysRq) -> 54. */
static const uint8_t xlate_table[128] = {
    0xFF, 0x43, 0x41, 0x3F, 0x3D, 0x3B, 0x3C, 0x58, /* 00 */
    0x64, 0x44, 0x42, 0x40, 0x3E, 0x0F, 0x29, 0x59, /* 08 */
    0x65, 0x38, 0x2A, 0x70, 0x1D, 0x10, 0x02, 0x5A, /* 10 */
    0x66, 0x71, 0x2C, 0x1F, 0x1E, 0x11, 0x03, 0x5B, /* 18 */
    0x67, 0x2E, 0x2D, 0x20, 0x12, 0x05, 0x04, 0x5C, /* 20 */
    0x68, 0x39, 0x2F, 0x21, 0x14, 0x13, 0x06, 0x5D, /* 28 */
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5E, /* 30 */
    0x6A, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5F, /* 38 */
    0x6B, 0x33, 0x25, 0x17, 0x18, 0x0B, 0x0A, 0x60, /* 40 */
    0x6C, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0C, 0x61, /* 48 */
    0x6D, 0x73, 0x28, 0x74, 0x1A, 0x0D, 0x62, 0x6E, /* 50 */
    0x3A, 0x36, 0x1C, 0x1B, 0x75, 0x2B, 0x63, 0x76, /* 58 */
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7A, 0x0E, 0x7B, /* 60 */
    0x7C, 0x4F, 0x7D, 0x4B, 0x47, 0x7E, 0x7F, 0x6F, /* 68 */
    0x52, 0x53, 0x50, 0x4C, 0x4D, 0x48, 0x01, 0x45, /* 70 */
    0x57, 0x4E, 0x51, 0x4A, 0x37, 0x49, 0x46, 0x54, /* 78 */
};

static uint8_t xlate(uint8_t code)
{
    if (code < 0x80)
        return xlate_table[code];
    if (code == 0x83)
        return 0x41;
    if (code == 0x84)
        return 0x54;
    return code;
}

static uint8_t cmd_byte(const struct kbc8042 *k)
{
    return k->ram[0];
}

static void kbc_update_irqs(struct kbc8042 *k)
{
    bool kbd = k->obf && !k->obuf_aux && (cmd_byte(k) & KBC_CB_KBD_INT);
    bool aux = k->obf && k->obuf_aux && (cmd_byte(k) & KBC_CB_AUX_INT);
    if (kbd != k->irq_kbd_level) {
        k->irq_kbd_level = kbd;
        irq_set(&k->irq_kbd, kbd);
    }
    if (aux != k->irq_aux_level) {
        k->irq_aux_level = aux;
        irq_set(&k->irq_aux, aux);
    }
}

/* Puts a byte in the output buffer, replacing whatever was there. */
static void kbc_output(struct kbc8042 *k, uint8_t v, bool aux)
{
    k->obuf = v;
    k->obf = true;
    k->obuf_aux = aux;
    kbc_update_irqs(k);
}

static bool kbd_ready(const struct kbc8042 *k)
{
    return k->kbd && !(cmd_byte(k) & KBC_CB_KBD_DIS) && ps2_keyboard_has_data(k->kbd);
}

static bool aux_ready(const struct kbc8042 *k)
{
    return k->mouse && !(cmd_byte(k) & KBC_CB_AUX_DIS) && ps2_mouse_has_data(k->mouse);
}

/* Loads the output buffer from a device if it is empty.  A disabled
 * interface holds its device's bytes back (the device keeps them queued). */
static void kbc_service_once(struct kbc8042 *k)
{
    for (;;) {
        bool kbd = kbd_ready(k), aux = aux_ready(k);
        if (!kbd && !aux)
            return;
        if (kbd && aux) /* both waiting: take turns */
            kbd = k->last_from_aux;
        k->last_from_aux = !kbd;
        if (!kbd) {
            kbc_output(k, ps2_mouse_read(k->mouse), true);
            return;
        }
        uint8_t b = ps2_keyboard_read(k->kbd);
        if (cmd_byte(k) & KBC_CB_XLATE) {
            if (b == 0xF0) { /* a release prefix: kept, it sets bit 7 of the next code */
                k->xlat_break = true;
                continue;
            }
            b = (uint8_t)(xlate(b) | (k->xlat_break ? 0x80 : 0));
            k->xlat_break = false;
        }
        kbc_output(k, b, false);
        return;
    }
}

static void kbc_service(struct kbc8042 *k)
{
    /* Taking a byte can make a device queue more and notify us: that
     * nested call must not load the buffer under the byte being loaded. */
    if (k->obf || k->refill.armed || k->in_service)
        return;
    k->in_service = true;
    kbc_service_once(k);
    k->in_service = false;
}

static void kbc_refill_fire(void *dev, uint64_t now)
{
    (void)now;
    kbc_service(dev);
}

static void kbc_device_notify(void *ctx)
{
    kbc_service(ctx);
}

static void kbc_set_out_port(struct kbc8042 *k, uint8_t v)
{
    bool a20_old = k->out_port & KBC_OUT_A20;
    /* The reset line is a pulse to the machine: the bit reads back as 1. */
    k->out_port = v | KBC_OUT_RESET;
    bool a20 = v & KBC_OUT_A20;
    if (a20 != a20_old && k->set_a20)
        k->set_a20(k->opaque, a20);
    if (!(v & KBC_OUT_RESET) && k->reset)
        k->reset(k->opaque);
}

static void kbc_write_cmd_byte(struct kbc8042 *k, uint8_t v)
{
    k->ram[0] = v;
    k->sys_flag = v & KBC_CB_SYS;
    if (!(v & KBC_CB_XLATE))
        k->xlat_break = false;
    kbc_update_irqs(k);
    kbc_service(k); /* an interface may have been enabled */
}

/* A byte for a device; with none plugged in, the controller times out and
 * hands back FE, as from that device. */
static void kbc_to_keyboard(struct kbc8042 *k, uint8_t v)
{
    if (!k->kbd) {
        k->timeout = true;
        kbc_output(k, 0xFE, false);
        return;
    }
    k->timeout = false;
    ps2_keyboard_write(k->kbd, v);
}

static void kbc_to_mouse(struct kbc8042 *k, uint8_t v)
{
    if (!k->mouse) {
        k->timeout = true;
        kbc_output(k, 0xFE, true);
        return;
    }
    k->timeout = false;
    ps2_mouse_write(k->mouse, v);
}

static void kbc_command(struct kbc8042 *k, uint8_t c)
{
    k->pending = 0;
    if (c >= 0x20 && c <= 0x3F) { /* read RAM byte c & 1F (20: the command byte) */
        kbc_output(k, k->ram[c & 0x1F], false);
        return;
    }
    if (c >= 0x60 && c <= 0x7F) { /* write RAM byte: data follows */
        k->pending = c;
        return;
    }
    if (c >= 0xF0) { /* pulse output bits 0-3 low where c has a 0: bit 0 is the reset */
        if (!(c & KBC_OUT_RESET) && k->reset)
            k->reset(k->opaque);
        return;
    }
    switch (c) {
    case 0xA7: /* disable the auxiliary interface */
        k->ram[0] |= KBC_CB_AUX_DIS;
        break;
    case 0xA8: /* enable it */
        k->ram[0] &= (uint8_t)~KBC_CB_AUX_DIS;
        kbc_service(k);
        break;
    case 0xA9: /* auxiliary interface test: 00 = no error */
        kbc_output(k, 0x00, false);
        break;
    case 0xAA: /* self test: 55 = passed; a passed test sets the system flag */
        k->sys_flag = true;
        kbc_output(k, 0x55, false);
        break;
    case 0xAB: /* keyboard interface test: 00 = no error */
        kbc_output(k, 0x00, false);
        break;
    case 0xAD: /* disable the keyboard interface */
        k->ram[0] |= KBC_CB_KBD_DIS;
        break;
    case 0xAE: /* enable it */
        k->ram[0] &= (uint8_t)~KBC_CB_KBD_DIS;
        kbc_service(k);
        break;
    case 0xC0: /* read the input port */
        kbc_output(k, k->input_port, false);
        break;
    case 0xD0: { /* read the output port; bits 4/5 are the IRQ 1/12 outputs */
        uint8_t v = k->out_port & (uint8_t)~(KBC_OUT_KBD_IRQ | KBC_OUT_AUX_IRQ);
        if (k->obf && !k->obuf_aux)
            v |= KBC_OUT_KBD_IRQ;
        if (k->obf && k->obuf_aux)
            v |= KBC_OUT_AUX_IRQ;
        kbc_output(k, v, false);
        break;
    }
    case 0xD1: /* write the output port */
    case 0xD2: /* write the output buffer as if from the keyboard */
    case 0xD3: /* ... as if from the mouse */
    case 0xD4: /* write the next byte to the mouse */
        k->pending = c;
        break;
    default: /* commands this controller does not have: ignored */
        break;
    }
}

static void kbc_data(struct kbc8042 *k, uint8_t v)
{
    uint8_t c = k->pending;
    k->pending = 0;
    if (c == 0x60) {
        kbc_write_cmd_byte(k, v);
    } else if (c > 0x60 && c <= 0x7F) {
        k->ram[c & 0x1F] = v;
    } else if (c == 0xD1) {
        kbc_set_out_port(k, v);
    } else if (c == 0xD2) {
        kbc_output(k, v, false);
    } else if (c == 0xD3) {
        kbc_output(k, v, true);
    } else if (c == 0xD4) {
        kbc_to_mouse(k, v);
    } else {
        kbc_to_keyboard(k, v);
    }
}

static uint8_t kbc_status(const struct kbc8042 *k)
{
    uint8_t s = KBC_STAT_UNLOCK;
    if (k->obf)
        s |= KBC_STAT_OBF;
    if (k->obf && k->obuf_aux)
        s |= KBC_STAT_AUX_OBF;
    if (k->sys_flag)
        s |= KBC_STAT_SYS;
    if (k->last_cmd)
        s |= KBC_STAT_CMD;
    if (k->timeout)
        s |= KBC_STAT_TIMEOUT;
    return s;
}

static uint32_t kbc_status_read(void *dev, uint16_t offset, unsigned size)
{
    return kbc_status(dev);
}

static uint32_t kbc_data_read(void *dev, uint16_t offset, unsigned size)
{
    struct kbc8042 *k = dev;
    uint8_t v = k->obuf; /* an empty buffer reads as its last byte again */
    if (k->obf) {
        k->obf = false;
        kbc_update_irqs(k);
        if (k->clk && k->byte_delay_ns && (kbd_ready(k) || aux_ready(k)))
            vclock_arm(k->clk, &k->refill, vclock_now(k->clk) + k->byte_delay_ns);
        else
            kbc_service(k);
    }
    return v;
}

static void kbc_command_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct kbc8042 *k = dev;
    k->last_cmd = true;
    kbc_command(k, (uint8_t)value);
}

static void kbc_data_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct kbc8042 *k = dev;
    k->last_cmd = false;
    kbc_data(k, (uint8_t)value);
}

void kbc8042_reset(struct kbc8042 *k)
{
    if (k->clk)
        vclock_cancel(k->clk, &k->refill);
    for (unsigned i = 0; i < sizeof k->ram; i++)
        k->ram[i] = 0;
    /* Keyboard and mouse interrupts on, translation on: what a BIOS sets up,
     * so that a guest run without one still gets keys.  The system flag is
     * clear, as after a power-on (POST reads it to tell a cold start). */
    k->ram[0] = KBC_CB_KBD_INT | KBC_CB_AUX_INT | KBC_CB_XLATE;
    k->sys_flag = false;
    /* Input port: key lock open (7), no manufacturing jumper (5), colour display (6 = 0). */
    k->input_port = 0xA0;
    k->obuf = 0;
    k->obf = k->obuf_aux = false;
    k->last_cmd = false;
    k->timeout = false;
    k->pending = 0;
    k->xlat_break = false;
    k->last_from_aux = false;
    kbc_update_irqs(k);
    /* Output port: not resetting, A20 on, clock and data lines idle high. */
    kbc_set_out_port(k, 0xCF);
}

int kbc8042_attach(struct kbc8042 *k, struct iobus *bus, struct vclock *clk,
                   struct ps2_keyboard *kbd, struct ps2_mouse *mouse,
                   const struct irq_line *irq_kbd, const struct irq_line *irq_aux,
                   char *err, size_t err_len)
{
    *k = (struct kbc8042){0};
    k->clk = clk;
    k->kbd = kbd;
    k->mouse = mouse;
    if (irq_kbd)
        k->irq_kbd = *irq_kbd;
    if (irq_aux)
        k->irq_aux = *irq_aux;
    k->byte_delay_ns = KBC8042_BYTE_DELAY_NS;
    k->refill = (struct clock_event){.fire = kbc_refill_fire, .dev = k, .name = "kbc8042-refill"};
    k->out_port = 0xCF; /* so that the reset below reports no change */
    kbc8042_reset(k);
    if (kbd) {
        kbd->notify = kbc_device_notify;
        kbd->notify_ctx = k;
    }
    if (mouse) {
        mouse->notify = kbc_device_notify;
        mouse->notify_ctx = k;
    }
    struct io_region data = {.name = "kbc8042-data", .base = KBC8042_DATA_PORT, .size = 1,
                             .widths = 1, .read = kbc_data_read, .write = kbc_data_write, .dev = k};
    struct io_region ctl = {.name = "kbc8042-ctl", .base = KBC8042_STATUS_PORT, .size = 1,
                            .widths = 1, .read = kbc_status_read, .write = kbc_command_write, .dev = k};
    if (iobus_register(bus, &data, err, err_len) < 0)
        return -1;
    if (iobus_register(bus, &ctl, err, err_len) < 0)
        return -1;
    kbc_service(k); /* anything the devices queued before they were plugged in */
    return 0;
}
