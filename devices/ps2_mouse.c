/* PS/2 mouse (see ps2_mouse.h).
 *
 * Follows the IBM PS/2 Hardware Interface Technical Reference ("Pointing
 * Device": commands E6-FF, the 3-byte data report, the status report), and
 * Microsoft's IntelliMouse extensions (device ID 3 after sample rates
 * 200,100,80 with the Z count in a fourth byte; ID 4 after 200,200,80 with Z
 * in bits 0-3 and buttons 4 and 5 in bits 4 and 5 of that byte). */
#include "ps2_mouse.h"

static bool fifo_push(struct ps2_mouse_fifo *f, unsigned cap, uint8_t v)
{
    if (f->count >= cap)
        return false;
    f->data[(f->head + f->count) % PS2_MOUSE_QUEUE_SIZE] = v;
    f->count++;
    return true;
}

static uint8_t fifo_pop(struct ps2_mouse_fifo *f)
{
    uint8_t v = f->data[f->head];
    f->head = (f->head + 1) % PS2_MOUSE_QUEUE_SIZE;
    f->count--;
    return v;
}

static void fifo_clear(struct ps2_mouse_fifo *f)
{
    f->head = 0;
    f->count = 0;
}

static void mouse_respond(struct ps2_mouse *m, uint8_t v)
{
    fifo_push(&m->resp, PS2_MOUSE_RESP_SIZE, v);
}

static void mouse_notify(struct ps2_mouse *m)
{
    if (m->notify)
        m->notify(m->notify_ctx);
}

static unsigned packet_size(const struct ps2_mouse *m)
{
    return m->id == 0 ? 3 : 4;
}

/* 2:1 scaling (stream mode only): 1->1 2->1 3->3 4->6 5->9, then double. */
static int32_t scale_2to1(int32_t v)
{
    static const int32_t small[6] = {0, 1, 1, 3, 6, 9};
    int32_t a = v < 0 ? -v : v;
    int32_t s = a <= 5 ? small[a] : 2 * a;
    return v < 0 ? -s : s;
}

/* Builds one data report from the counters and clears what it reported. */
static unsigned mouse_build_packet(struct ps2_mouse *m, bool streaming, uint8_t out[4])
{
    int32_t dx = m->dx, dy = m->dy;
    if (streaming && m->scaling_2to1) {
        dx = scale_2to1(dx);
        dy = scale_2to1(dy);
    }
    uint8_t b0 = 0x08 | (m->buttons & (PS2_MOUSE_LEFT | PS2_MOUSE_RIGHT | PS2_MOUSE_MIDDLE));
    /* 9-bit two's complement counters: past -256..255 they saturate and flag it. */
    if (dx > 255 || dx < -256) {
        b0 |= 0x40;
        dx = dx > 0 ? 255 : -256;
    }
    if (dy > 255 || dy < -256) {
        b0 |= 0x80;
        dy = dy > 0 ? 255 : -256;
    }
    if (dx < 0)
        b0 |= 0x10;
    if (dy < 0)
        b0 |= 0x20;
    out[0] = b0;
    out[1] = (uint8_t)(dx & 0xFF);
    out[2] = (uint8_t)(dy & 0xFF);
    m->dx = m->dy = 0;
    if (m->id == 0) {
        m->dz = 0;
        m->changed = false;
        return 3;
    }
    /* The wheel count is 4 bits (-8..7); what does not fit goes in the next packet. */
    int32_t dz = m->dz < -8 ? -8 : m->dz > 7 ? 7 : m->dz;
    m->dz -= dz;
    if (m->id == 4) {
        out[3] = (uint8_t)((dz & 0x0F) | ((m->buttons & PS2_MOUSE_BUTTON4) ? 0x10 : 0) |
                           ((m->buttons & PS2_MOUSE_BUTTON5) ? 0x20 : 0));
    } else {
        out[3] = (uint8_t)(dz & 0xFF);
    }
    m->changed = m->dz != 0;
    return 4;
}

/* Stream mode: report while there is something new and room for a whole packet. */
static void mouse_stream(struct ps2_mouse *m)
{
    bool queued = false;
    while (m->changed && m->reporting && !m->remote && !m->wrap &&
           m->packets.count + packet_size(m) <= PS2_MOUSE_QUEUE_SIZE) {
        uint8_t p[4];
        unsigned n = mouse_build_packet(m, true, p);
        for (unsigned i = 0; i < n; i++)
            fifo_push(&m->packets, PS2_MOUSE_QUEUE_SIZE, p[i]);
        queued = true;
    }
    if (queued)
        mouse_notify(m);
}

static void mouse_clear_motion(struct ps2_mouse *m)
{
    m->dx = m->dy = m->dz = 0;
    m->changed = false;
}

static void mouse_set_defaults(struct ps2_mouse *m)
{
    m->rate = 100;
    m->resolution = 2;
    m->scaling_2to1 = false;
    m->remote = false;
    m->reporting = false;
    m->wrap = false;
    m->pending_cmd = 0;
    mouse_clear_motion(m);
}

void ps2_mouse_reset(struct ps2_mouse *m)
{
    fifo_clear(&m->resp);
    fifo_clear(&m->packets);
    mouse_set_defaults(m);
    m->id = 0;
    m->last_sent = 0;
    m->rate_seq[0] = m->rate_seq[1] = m->rate_seq[2] = 0;
}

void ps2_mouse_init(struct ps2_mouse *m)
{
    *m = (struct ps2_mouse){0};
    ps2_mouse_reset(m);
}

/* Counters far beyond anything a packet can carry only need to stay beyond
 * it: clamping keeps any host value from overflowing them. */
static int32_t clamp_count(int64_t v)
{
    return v < -65536 ? -65536 : v > 65536 ? 65536 : (int32_t)v;
}

void ps2_mouse_move(struct ps2_mouse *m, int dx, int dy, int dz, unsigned buttons)
{
    m->dx = clamp_count((int64_t)m->dx + dx);
    m->dy = clamp_count((int64_t)m->dy + dy);
    m->dz = clamp_count((int64_t)m->dz + dz);
    buttons &= 0x1F;
    if (dx || dy || dz || buttons != m->buttons)
        m->changed = true;
    m->buttons = (uint8_t)buttons;
    mouse_stream(m);
}

bool ps2_mouse_has_data(const struct ps2_mouse *m)
{
    return m->resp.count || m->packets.count;
}

uint8_t ps2_mouse_read(struct ps2_mouse *m)
{
    if (m->resp.count)
        m->last_sent = fifo_pop(&m->resp);
    else if (m->packets.count)
        m->last_sent = fifo_pop(&m->packets);
    else
        return 0;
    mouse_stream(m); /* room again for motion that waited */
    return m->last_sent;
}

static void mouse_argument(struct ps2_mouse *m, uint8_t arg)
{
    uint8_t cmd = m->pending_cmd;
    m->pending_cmd = 0;
    mouse_respond(m, 0xFA);
    if (cmd == 0xE8) {
        m->resolution = arg & 3;
        return;
    }
    /* F3: sample rate.  The IntelliMouse "knock" is a sequence of rates. */
    m->rate = arg;
    m->rate_seq[0] = m->rate_seq[1];
    m->rate_seq[1] = m->rate_seq[2];
    m->rate_seq[2] = arg;
    if (m->rate_seq[0] == 200 && m->rate_seq[2] == 80) {
        if (m->rate_seq[1] == 100 && m->id == 0)
            m->id = 3;
        else if (m->rate_seq[1] == 200 && m->id == 3)
            m->id = 4;
    }
}

void ps2_mouse_write(struct ps2_mouse *m, uint8_t byte)
{
    if (m->pending_cmd) {
        mouse_argument(m, byte);
        mouse_notify(m);
        return;
    }
    if (m->wrap && byte != 0xEC && byte != 0xFF) {
        mouse_respond(m, byte); /* wrap mode echoes everything else */
        mouse_notify(m);
        return;
    }
    /* A command aborts a report not yet sent, so its answer comes next. */
    fifo_clear(&m->packets);
    switch (byte) {
    case 0xE6: /* scaling 1:1 */
        m->scaling_2to1 = false;
        mouse_respond(m, 0xFA);
        break;
    case 0xE7: /* scaling 2:1 */
        m->scaling_2to1 = true;
        mouse_respond(m, 0xFA);
        break;
    case 0xE8: case 0xF3: /* set resolution / sample rate: an argument follows */
        m->pending_cmd = byte;
        mouse_respond(m, 0xFA);
        break;
    case 0xE9: { /* status request */
        uint8_t s = 0;
        if (m->buttons & PS2_MOUSE_RIGHT)
            s |= 0x01;
        if (m->buttons & PS2_MOUSE_MIDDLE)
            s |= 0x02;
        if (m->buttons & PS2_MOUSE_LEFT)
            s |= 0x04;
        if (m->scaling_2to1)
            s |= 0x10;
        if (m->reporting)
            s |= 0x20;
        if (m->remote)
            s |= 0x40;
        mouse_respond(m, 0xFA);
        mouse_respond(m, s);
        mouse_respond(m, m->resolution);
        mouse_respond(m, m->rate);
        break;
    }
    case 0xEA: /* stream mode */
        m->remote = false;
        mouse_clear_motion(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xEB: { /* read data: a report whether or not anything moved */
        uint8_t p[4];
        unsigned n = mouse_build_packet(m, false, p);
        mouse_respond(m, 0xFA);
        for (unsigned i = 0; i < n; i++)
            fifo_push(&m->packets, PS2_MOUSE_QUEUE_SIZE, p[i]);
        break;
    }
    case 0xEC: /* leave wrap mode */
        m->wrap = false;
        mouse_respond(m, 0xFA);
        break;
    case 0xEE: /* wrap mode */
        m->wrap = true;
        mouse_clear_motion(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xF0: /* remote mode */
        m->remote = true;
        mouse_clear_motion(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xF2: /* identify */
        mouse_respond(m, 0xFA);
        mouse_respond(m, m->id);
        break;
    case 0xF4: /* enable reporting */
        m->reporting = true;
        mouse_clear_motion(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xF5: /* disable reporting */
        m->reporting = false;
        mouse_clear_motion(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xF6: /* set defaults */
        mouse_set_defaults(m);
        mouse_respond(m, 0xFA);
        break;
    case 0xFE: /* resend */
        mouse_respond(m, m->last_sent);
        break;
    case 0xFF: /* reset: ACK, self-test passed (AA), ID 00; back to a plain mouse */
        ps2_mouse_reset(m);
        mouse_respond(m, 0xFA);
        mouse_respond(m, 0xAA);
        mouse_respond(m, 0x00);
        break;
    default:
        mouse_respond(m, 0xFE);
        break;
    }
    mouse_notify(m);
}
