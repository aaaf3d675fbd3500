/* ATAPI CD-ROM packet commands (see atapi.h).
 *
 * Follows SFF-8020i rev 2.6 (ATAPI for CD-ROMs: INQUIRY data for a removable
 * CD-ROM, REQUEST SENSE fixed format, READ CAPACITY, READ(10)/(12), READ TOC
 * formats 0 and 1 with the format field also accepted in byte 9, the sense
 * keys and codes of its appendix), MMC-2 (T10/1228-D: MODE SENSE(10) with the
 * CD capabilities and mechanical status page 2Ah and the read error recovery
 * page 01h, GET CONFIGURATION with the profile list, core, morphing, removable
 * medium, random readable and CD read features for profile 0008h CD-ROM, GET
 * EVENT STATUS NOTIFICATION in polled mode with the media class, READ DISC
 * INFORMATION, READ TOC format 2 (raw), START STOP UNIT, PREVENT ALLOW MEDIUM
 * REMOVAL, SET CD SPEED, MECHANISM STATUS) and SPC for the unit attention
 * rules: a pending unit attention fails every command except INQUIRY, REQUEST
 * SENSE, GET CONFIGURATION and GET EVENT STATUS NOTIFICATION, once.
 *
 * The disc is one data track (track 1, session 1, ADR 1 / control 4) covering
 * the whole image; the lead-out follows it.  MSF addresses count the 2-second
 * pregap (LBA 0 = 00:02:00). */
#include "atapi.h"

#include <string.h>

enum {
    CMD_TEST_UNIT_READY = 0x00,
    CMD_REQUEST_SENSE = 0x03,
    CMD_INQUIRY = 0x12,
    CMD_START_STOP_UNIT = 0x1B,
    CMD_PREVENT_ALLOW = 0x1E,
    CMD_READ_CAPACITY = 0x25,
    CMD_READ_10 = 0x28,
    CMD_SEEK_10 = 0x2B,
    CMD_READ_TOC = 0x43,
    CMD_GET_CONFIGURATION = 0x46,
    CMD_GET_EVENT_STATUS = 0x4A,
    CMD_READ_DISC_INFO = 0x51,
    CMD_MODE_SENSE_10 = 0x5A,
    CMD_READ_12 = 0xA8,
    CMD_SET_CD_SPEED = 0xBB,
    CMD_MECHANISM_STATUS = 0xBD,
};

enum { EVENT_NONE = 0, EVENT_NEW_MEDIA = 2, EVENT_MEDIA_REMOVAL = 3 };

#define PROFILE_CD_ROM 0x0008
#define ADR_CONTROL_DATA 0x14 /* ADR 1 (Q sub-channel position), control 4 (data track) */
#define LEADOUT_TRACK 0xAA

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}
static void pad(uint8_t *dst, const char *s, size_t n)
{
    memset(dst, ' ', n);
    memcpy(dst, s, strlen(s) < n ? strlen(s) : n);
}

static bool disc_ready(const struct atapi *a) { return a->disc && !a->tray_open; }

void atapi_init(struct atapi *a, struct blockdev *disc)
{
    memset(a, 0, sizeof *a);
    a->disc = disc;
    a->sectors = disc ? disc->size / ATAPI_SECTOR : 0;
    a->ua_asc = ATAPI_ASC_RESET; /* power on */
}

void atapi_reset(struct atapi *a)
{
    a->sense_key = a->asc = a->ascq = 0;
    a->locked = false;
    a->ua_asc = ATAPI_ASC_RESET;
}

void atapi_change_media(struct atapi *a, struct blockdev *disc)
{
    a->disc = disc;
    a->sectors = disc ? disc->size / ATAPI_SECTOR : 0;
    a->tray_open = false;
    a->ua_asc = ATAPI_ASC_MEDIUM_CHANGED;
    a->media_event = disc ? EVENT_NEW_MEDIA : EVENT_MEDIA_REMOVAL;
}

void atapi_set_read_error(struct atapi *a)
{
    a->sense_key = ATAPI_SK_MEDIUM_ERROR;
    a->asc = ATAPI_ASC_READ_ERROR;
    a->ascq = 0;
}

void atapi_set_aborted(struct atapi *a)
{
    a->sense_key = ATAPI_SK_ABORTED_COMMAND;
    a->asc = ATAPI_ASC_DATA_PHASE_ERROR;
    a->ascq = 0;
}

static void fail(struct atapi *a, struct atapi_result *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    r->check = true;
    r->len = 0;
    r->from_disc = false;
    a->sense_key = key;
    a->asc = asc;
    a->ascq = ascq;
}

static void invalid_field(struct atapi *a, struct atapi_result *r)
{
    fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_FIELD, 0);
}

/* NOT READY / MEDIUM NOT PRESENT (tray closed 01h, tray open 02h); false when a disc is ready. */
static bool need_disc(struct atapi *a, struct atapi_result *r)
{
    if (disc_ready(a))
        return true;
    fail(a, r, ATAPI_SK_NOT_READY, ATAPI_ASC_NO_MEDIUM, a->tray_open ? 0x02 : 0x01);
    return false;
}

/* Data from resp[]: `avail` bytes built, the host allowed `alloc`. */
static void reply(struct atapi_result *r, uint32_t avail, uint32_t alloc)
{
    r->len = avail < alloc ? avail : alloc;
}

static void put_msf(uint8_t *p, uint32_t lba)
{
    lba += 150; /* the pregap: LBA 0 is 00:02:00 */
    p[0] = 0;
    p[1] = (uint8_t)(lba / (75 * 60));
    p[2] = (uint8_t)(lba / 75 % 60);
    p[3] = (uint8_t)(lba % 75);
}

static void put_address(uint8_t *p, uint32_t lba, bool msf)
{
    if (msf)
        put_msf(p, lba);
    else
        put32(p, lba);
}

/* ---- commands ------------------------------------------------------------ */

static void request_sense(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    uint8_t key = a->sense_key, asc = a->asc, ascq = a->ascq;
    /* The previous command's CHECK CONDITION comes first; a pending unit
     * attention is reported when there is nothing else. */
    if (key == ATAPI_SK_NO_SENSE && a->ua_asc) {
        key = ATAPI_SK_UNIT_ATTENTION;
        asc = a->ua_asc;
        ascq = 0;
        a->ua_asc = 0;
    } else if (key == ATAPI_SK_NO_SENSE && !disc_ready(a)) {
        /* Nothing pending but the unit cannot serve media access: say why (SPC). */
        key = ATAPI_SK_NOT_READY;
        asc = ATAPI_ASC_NO_MEDIUM;
        ascq = a->tray_open ? 0x02 : 0x01;
    }
    uint8_t *d = a->resp;
    memset(d, 0, 18);
    d[0] = 0x70; /* current error, fixed format */
    d[2] = key;
    d[7] = 10;   /* additional sense length */
    d[12] = asc;
    d[13] = ascq;
    a->sense_key = a->asc = a->ascq = 0;
    reply(r, 18, cdb[4]);
}

static void inquiry(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    if ((cdb[1] & 1) || cdb[2]) { /* vital product data pages: none */
        invalid_field(a, r);
        return;
    }
    uint8_t *d = a->resp;
    memset(d, 0, 36);
    d[0] = 0x05; /* CD-ROM device */
    d[1] = 0x80; /* removable medium */
    d[2] = 0x00; /* ANSI version 0, as ATAPI devices report */
    d[3] = 0x21; /* ATAPI version 2, response data format 1 */
    d[4] = 36 - 5;
    pad(d + 8, "RINGZERO", 8);
    pad(d + 16, "ATAPI CD-ROM", 16);
    pad(d + 32, "1.0", 4);
    reply(r, 36, be16(cdb + 3)); /* byte 3 is zero in SFF-8020i; SPC made it the MSB */
}

static void read_capacity(struct atapi *a, struct atapi_result *r)
{
    if (!need_disc(a, r))
        return;
    uint64_t last = a->sectors ? a->sectors - 1 : 0;
    put32(a->resp, last > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)last);
    put32(a->resp + 4, ATAPI_SECTOR);
    r->len = 8;
}

static void read_sectors(struct atapi *a, uint32_t lba, uint32_t count, struct atapi_result *r)
{
    if (!need_disc(a, r))
        return;
    if ((uint64_t)lba + count > a->sectors) {
        fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_LBA_OUT_OF_RANGE, 0);
        return;
    }
    r->from_disc = true;
    r->disc_offset = (uint64_t)lba * ATAPI_SECTOR;
    r->len = (uint64_t)count * ATAPI_SECTOR;
}

static unsigned toc_descriptor(uint8_t *p, uint8_t track, uint32_t lba, bool msf)
{
    p[0] = 0;
    p[1] = ADR_CONTROL_DATA;
    p[2] = track;
    p[3] = 0;
    put_address(p + 4, lba, msf);
    return 8;
}

static unsigned raw_toc_descriptor(uint8_t *p, uint8_t point, uint8_t pmin, uint8_t psec, uint8_t pframe)
{
    memset(p, 0, 11);
    p[0] = 1; /* session */
    p[1] = ADR_CONTROL_DATA;
    p[3] = point;
    p[8] = pmin;
    p[9] = psec;
    p[10] = pframe;
    return 11;
}

static void read_toc(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    if (!need_disc(a, r))
        return;
    bool msf = cdb[1] & 2;
    unsigned format = cdb[2] & 0x0F;
    if (!format)
        format = cdb[9] >> 6; /* SFF-8020i kept the format in the control byte */
    unsigned track = cdb[6];
    uint32_t leadout = a->sectors > 0xFFFFFFFFu - 150 ? 0xFFFFFFFFu - 150 : (uint32_t)a->sectors;
    uint8_t *d = a->resp;
    unsigned n = 4;
    switch (format) {
    case 0: /* TOC: track descriptors from `track`, then the lead-out */
        if (track > 1 && track != LEADOUT_TRACK) {
            invalid_field(a, r);
            return;
        }
        if (track <= 1)
            n += toc_descriptor(d + n, 1, 0, msf);
        n += toc_descriptor(d + n, LEADOUT_TRACK, leadout, msf);
        break;
    case 1: /* multi-session information: the first track of the last session */
        n += toc_descriptor(d + n, 1, 0, msf);
        break;
    case 2: { /* raw TOC (always MSF): points A0, A1, A2 and track 1 */
        uint8_t lo[4];
        put_msf(lo, leadout);
        n += raw_toc_descriptor(d + n, 0xA0, 1, 0x00, 0); /* first track, disc type CD-ROM */
        n += raw_toc_descriptor(d + n, 0xA1, 1, 0, 0);    /* last track */
        n += raw_toc_descriptor(d + n, 0xA2, lo[1], lo[2], lo[3]);
        n += raw_toc_descriptor(d + n, 1, 0, 2, 0);
        break;
    }
    default:
        invalid_field(a, r);
        return;
    }
    put16(d, n - 2);
    d[2] = 1; /* first track (formats 0) or session (1, 2) */
    d[3] = 1;
    reply(r, n, be16(cdb + 7));
}

/* CD capabilities and mechanical status, MMC-2 layout (20 bytes of parameters). */
static unsigned caps_page(const struct atapi *a, uint8_t *p, bool changeable)
{
    memset(p, 0, 22);
    p[0] = 0x2A;
    p[1] = 20;
    if (changeable)
        return 22;
    p[4] = 0x40;                             /* multi-session */
    p[6] = 0x29 | (a->locked ? 0x02 : 0);    /* tray loader, eject, lock (+ lock state) */
    put16(p + 8, 32 * 176);                  /* maximum read speed, KB/s (32x) */
    put16(p + 12, 512);                      /* buffer size, KiB */
    put16(p + 14, 32 * 176);                 /* current read speed */
    return 22;
}

static unsigned error_recovery_page(uint8_t *p, bool changeable)
{
    memset(p, 0, 8);
    p[0] = 0x01;
    p[1] = 6;
    if (!changeable)
        p[3] = 5; /* read retry count */
    return 8;
}

static void mode_sense(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    unsigned pc = cdb[2] >> 6, page = cdb[2] & 0x3F;
    if (pc == 3) {
        fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_SAVING_UNSUPPORTED, 0);
        return;
    }
    uint8_t *d = a->resp;
    memset(d, 0, 8);
    unsigned n = 8;
    if (page == 0x01 || page == 0x3F)
        n += error_recovery_page(d + n, pc == 1);
    if (page == 0x2A || page == 0x3F)
        n += caps_page(a, d + n, pc == 1);
    if (n == 8) {
        invalid_field(a, r);
        return;
    }
    put16(d, n - 2);
    /* Medium type: 120 mm data CD, or no disc with the door closed / open. */
    d[2] = disc_ready(a) ? 0x01 : a->tray_open ? 0x71 : 0x70;
    reply(r, n, be16(cdb + 7));
}

static void start_stop(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    bool loej = cdb[4] & 2, start = cdb[4] & 1;
    if (!loej)
        return; /* spinning up or down: nothing to model */
    if (!start) {
        if (a->locked) {
            fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_REMOVAL_PREVENTED, 0x02);
            return;
        }
        if (!a->tray_open && a->disc)
            a->media_event = EVENT_MEDIA_REMOVAL;
        a->tray_open = true;
    } else if (a->tray_open) {
        a->tray_open = false;
        if (a->disc)
            a->media_event = EVENT_NEW_MEDIA;
    }
}

struct feature {
    uint16_t code;
    bool current;
    uint8_t len; /* additional length */
    uint8_t data[8];
};

static void get_configuration(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    unsigned rt = cdb[1] & 3, start = be16(cdb + 2);
    if (rt == 3) {
        invalid_field(a, r);
        return;
    }
    bool disc = disc_ready(a);
    const struct feature features[] = {
        {0x0000, true, 4, {PROFILE_CD_ROM >> 8, PROFILE_CD_ROM & 0xFF, disc ? 1 : 0, 0}}, /* profile list */
        {0x0001, true, 4, {0, 0, 0, 2}},                        /* core: ATAPI interface */
        {0x0002, true, 4, {0, 0, 0, 0}},                        /* morphing: polled events */
        {0x0003, true, 4, {0x29, 0, 0, 0}},                     /* removable medium: tray, eject, lock */
        {0x0010, disc, 8, {0, 0, ATAPI_SECTOR >> 8, 0, 0, 1, 0, 0}}, /* random readable: 2048, blocking 1 */
        {0x001E, disc, 4, {0, 0, 0, 0}},                        /* CD read */
    };
    uint8_t *d = a->resp;
    memset(d, 0, 8);
    unsigned n = 8;
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
        const struct feature *f = &features[i];
        if ((rt == 2 && f->code != start) || f->code < start || (rt == 1 && !f->current))
            continue;
        put16(d + n, f->code);
        /* version 0; the first four are persistent (always current) */
        d[n + 2] = (uint8_t)((f->code <= 0x0003 ? 0x02 : 0) | (f->current ? 0x01 : 0));
        d[n + 3] = f->len;
        memcpy(d + n + 4, f->data, f->len);
        n += 4u + f->len;
    }
    put32(d, n - 4);
    put16(d + 6, disc ? PROFILE_CD_ROM : 0);
    reply(r, n, be16(cdb + 7));
}

static void get_event_status(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    if (!(cdb[1] & 1)) { /* asynchronous notification: not supported */
        invalid_field(a, r);
        return;
    }
    uint8_t *d = a->resp;
    memset(d, 0, 8);
    d[3] = 0x10; /* supported classes: media */
    unsigned n;
    if (cdb[4] & 0x10) {
        d[2] = 0x04; /* media class */
        d[4] = a->media_event;
        d[5] = (uint8_t)((disc_ready(a) ? 0x02 : 0) | (a->tray_open ? 0x01 : 0));
        a->media_event = EVENT_NONE;
        n = 8;
    } else {
        d[2] = 0x80; /* no event available in the requested classes */
        n = 4;
    }
    put16(d, n - 2);
    reply(r, n, be16(cdb + 7));
}

static void read_disc_info(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    if (!need_disc(a, r))
        return;
    if (cdb[1] & 7) { /* only the standard disc information */
        invalid_field(a, r);
        return;
    }
    uint8_t *d = a->resp;
    memset(d, 0, 34);
    put16(d, 32);
    d[2] = 0x0E; /* not erasable, last session complete, disc finalized */
    d[3] = 1;    /* first track */
    d[4] = 1;    /* sessions */
    d[5] = 1;    /* first track in last session */
    d[6] = 1;    /* last track in last session */
    d[8] = 0x00; /* CD-DA or CD-ROM */
    put32(d + 16, 0xFFFFFFFFu); /* no lead-in of a next session */
    put32(d + 20, 0xFFFFFFFFu);
    reply(r, 34, be16(cdb + 7));
}

static void mechanism_status(struct atapi *a, const uint8_t *cdb, struct atapi_result *r)
{
    uint8_t *d = a->resp;
    memset(d, 0, 8);
    d[1] = a->tray_open ? 0x10 : 0; /* mechanism idle; door open bit */
    reply(r, 8, be16(cdb + 8));
}

void atapi_command(struct atapi *a, const uint8_t cdb[12], struct atapi_result *r)
{
    memset(r, 0, sizeof *r);
    uint8_t op = cdb[0];
    bool ua_exempt = op == CMD_INQUIRY || op == CMD_REQUEST_SENSE || op == CMD_GET_CONFIGURATION ||
                     op == CMD_GET_EVENT_STATUS;
    if (a->ua_asc && !ua_exempt) {
        fail(a, r, ATAPI_SK_UNIT_ATTENTION, a->ua_asc, 0);
        a->ua_asc = 0;
        return;
    }
    if (op != CMD_REQUEST_SENSE)
        a->sense_key = a->asc = a->ascq = 0;
    switch (op) {
    case CMD_TEST_UNIT_READY:
        need_disc(a, r);
        return;
    case CMD_REQUEST_SENSE:
        request_sense(a, cdb, r);
        return;
    case CMD_INQUIRY:
        inquiry(a, cdb, r);
        return;
    case CMD_START_STOP_UNIT:
        start_stop(a, cdb, r);
        return;
    case CMD_PREVENT_ALLOW:
        a->locked = cdb[4] & 1;
        return;
    case CMD_READ_CAPACITY:
        read_capacity(a, r);
        return;
    case CMD_READ_10:
        read_sectors(a, be32(cdb + 2), be16(cdb + 7), r);
        return;
    case CMD_READ_12:
        read_sectors(a, be32(cdb + 2), be32(cdb + 6), r);
        return;
    case CMD_SEEK_10:
        if (need_disc(a, r) && be32(cdb + 2) >= a->sectors)
            fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_LBA_OUT_OF_RANGE, 0);
        return;
    case CMD_READ_TOC:
        read_toc(a, cdb, r);
        return;
    case CMD_GET_CONFIGURATION:
        get_configuration(a, cdb, r);
        return;
    case CMD_GET_EVENT_STATUS:
        get_event_status(a, cdb, r);
        return;
    case CMD_READ_DISC_INFO:
        read_disc_info(a, cdb, r);
        return;
    case CMD_MODE_SENSE_10:
        mode_sense(a, cdb, r);
        return;
    case CMD_SET_CD_SPEED:
        return;
    case CMD_MECHANISM_STATUS:
        mechanism_status(a, cdb, r);
        return;
    default:
        fail(a, r, ATAPI_SK_ILLEGAL_REQUEST, ATAPI_ASC_INVALID_OPCODE, 0);
        return;
    }
}

int atapi_read_data(struct atapi *a, const struct atapi_result *r, uint64_t pos, uint8_t *buf, uint32_t len)
{
    if (pos > r->len || len > r->len - pos)
        return -1;
    if (!r->from_disc) {
        if (pos + len > ATAPI_RESP_MAX)
            return -1;
        memcpy(buf, a->resp + pos, len);
        return 0;
    }
    if (!a->disc || a->tray_open)
        return -1;
    return blockdev_read(a->disc, r->disc_offset + pos, buf, len);
}
