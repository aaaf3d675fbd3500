/* ATAPI CD-ROM packet commands (SFF-8020i / MMC-2): the drive behind ide.c's
 * PACKET protocol.  Given a 12-byte command packet it decides the outcome
 * (GOOD or CHECK CONDITION with sense data) and what data the host gets:
 * bytes in a response buffer, or a range of the disc image (2048-byte
 * sectors).  It keeps the drive's state: the disc (a blockdev holding an ISO
 * image, or none), the tray, the medium lock, the sense data of the last
 * command, a pending unit attention and the media event for GET EVENT STATUS
 * NOTIFICATION.  It knows nothing of registers, phases or DMA. */
#ifndef RINGZERO_DEVICES_ATAPI_H
#define RINGZERO_DEVICES_ATAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "blockdev.h"

#define ATAPI_SECTOR 2048u
#define ATAPI_RESP_MAX 256u

/* Sense keys (SPC) and the additional sense codes used. */
enum {
    ATAPI_SK_NO_SENSE = 0x0,
    ATAPI_SK_NOT_READY = 0x2,
    ATAPI_SK_MEDIUM_ERROR = 0x3,
    ATAPI_SK_ILLEGAL_REQUEST = 0x5,
    ATAPI_SK_UNIT_ATTENTION = 0x6,
    ATAPI_SK_ABORTED_COMMAND = 0xB,
};
enum {
    ATAPI_ASC_READ_ERROR = 0x11,
    ATAPI_ASC_INVALID_OPCODE = 0x20,
    ATAPI_ASC_LBA_OUT_OF_RANGE = 0x21,
    ATAPI_ASC_INVALID_FIELD = 0x24,
    ATAPI_ASC_MEDIUM_CHANGED = 0x28,
    ATAPI_ASC_RESET = 0x29,
    ATAPI_ASC_SAVING_UNSUPPORTED = 0x39,
    ATAPI_ASC_NO_MEDIUM = 0x3A,
    ATAPI_ASC_DATA_PHASE_ERROR = 0x4B,
    ATAPI_ASC_REMOVAL_PREVENTED = 0x53,
};

struct atapi {
    struct blockdev *disc; /* the image in the drive, or NULL */
    uint64_t sectors;      /* of the disc */
    bool tray_open;
    bool locked;           /* PREVENT ALLOW MEDIUM REMOVAL */
    uint8_t sense_key, asc, ascq; /* sense data of the last command */
    uint8_t ua_asc;        /* pending unit attention (0 = none) */
    uint8_t media_event;   /* pending GESN media event code (0 = none) */
    uint8_t resp[ATAPI_RESP_MAX];
};

/* The outcome of one packet command. */
struct atapi_result {
    bool check;            /* CHECK CONDITION: the sense data says why */
    uint64_t len;          /* bytes for the host (already cut to the allocation length) */
    bool from_disc;        /* the data is the image from disc_offset, else resp[] */
    uint64_t disc_offset;
};

/* A drive with the tray closed holding `disc` (or none), as after power-on:
 * the first command other than INQUIRY/REQUEST SENSE/GET CONFIGURATION/GET
 * EVENT STATUS sees a unit attention. */
void atapi_init(struct atapi *a, struct blockdev *disc);
/* A reset from the ATA side (SRST, DEVICE RESET): sense cleared, lock
 * released, unit attention "reset occurred". */
void atapi_reset(struct atapi *a);
/* The host puts in (disc != NULL, tray closed) or takes out the disc: unit
 * attention "medium may have changed" and a media event. */
void atapi_change_media(struct atapi *a, struct blockdev *disc);

void atapi_command(struct atapi *a, const uint8_t cdb[12], struct atapi_result *r);
/* Copies len bytes of r's data from position pos; 0, or -1 on an image read
 * failure (the drive then reports a medium error). */
int atapi_read_data(struct atapi *a, const struct atapi_result *r, uint64_t pos, uint8_t *buf, uint32_t len);
/* Records a medium error for a disc read that failed during the transfer. */
void atapi_set_read_error(struct atapi *a);
/* Records ABORTED COMMAND / DATA PHASE ERROR: the host's DMA could not take the data. */
void atapi_set_aborted(struct atapi *a);

#endif
