/* MC146818A real-time clock and its 128 bytes of CMOS RAM, at the PC/AT ports
 * 0x70 (index; bit 7 is the NMI mask, kept for the machine) and 0x71 (data),
 * interrupting on IRQ 8.
 *
 * The clock counts from a start time the machine gives (host clock, or a fixed
 * value for deterministic runs) plus virtual time; nothing ticks: registers,
 * flags and UIP are computed from "now" when read, and an event is armed only
 * when an enabled interrupt must be raised at a given time.  See rtc_cmos.c
 * for the datasheet sections followed.
 *
 * CMOS bytes a PC BIOS reads are filled by the machine with rtc_cmos_set_byte()
 * and the helpers below.  SeaBIOS on a QEMU-like machine (CONFIG_QEMU) reads:
 *   0x00-0x0D  clock and status registers (rtc_setup writes A=0x26, sets B 24h, clears DSE)
 *   0x0F       shutdown/resume code (handle_resume; 0x05 and 0x0A jump via 40:67)
 *   0x10       floppy drive types: high nibble drive A, low nibble drive B
 *              (1=360K 5.25", 2=1.2M 5.25", 3=720K 3.5", 4=1.44M 3.5", 5=2.88M 3.5")
 *   0x32       century, BCD (INT 1Ah AH=04h returns it in CH)
 *   0x34-0x35  RAM above 16 MiB in 64 KiB units (if zero: 0x30-0x31, KiB above 1 MiB)
 *   0x38       bit 0: do not check the floppy boot signature; bits 7-4: third boot device
 *   0x39-0x3A  ATA translation, 2 bits per drive (0 none, 1 LBA, 2 large, 3 r-echs)
 *   0x3D       first boot device (bits 3-0) and second (bits 7-4):
 *              1 floppy, 2 hard disk, 3 CD-ROM, 4 network (BEV), 0 none
 *   0x5B-0x5D  RAM above 4 GiB in 64 KiB units (read when fw_cfg has no etc/e820)
 *   0x5F       number of CPUs minus one
 * It does not read 0x12/0x19-0x2D (hard disk types: it probes ATA itself),
 * 0x14 (equipment byte) or 0x15-0x18 (base and old extended memory size);
 * older BIOSes (Bochs BIOS, AT BIOS) do, so the helpers fill them too. */
#ifndef RINGZERO_DEVICES_RTC_CMOS_H
#define RINGZERO_DEVICES_RTC_CMOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "iobus.h"
#include "irq.h"

#define RTC_CMOS_PORT 0x70 /* 0x70 index, 0x71 data */
#define RTC_CMOS_IRQ 8

/* CMOS RAM layout used by PC BIOSes (the ones SeaBIOS reads are listed above). */
enum {
    RTC_CMOS_SHUTDOWN_CODE = 0x0F,
    RTC_CMOS_FLOPPY_TYPES = 0x10,
    RTC_CMOS_DISK_TYPES = 0x12,
    RTC_CMOS_EQUIPMENT = 0x14,
    RTC_CMOS_BASE_MEM_LO = 0x15, /* KiB below 1 MiB (640) */
    RTC_CMOS_BASE_MEM_HI = 0x16,
    RTC_CMOS_OLD_EXT_MEM_LO = 0x17, /* KiB above 1 MiB, at most 65535 */
    RTC_CMOS_OLD_EXT_MEM_HI = 0x18,
    RTC_CMOS_CHECKSUM_HI = 0x2E, /* AT checksum: sum of bytes 0x10-0x2D */
    RTC_CMOS_CHECKSUM_LO = 0x2F,
    RTC_CMOS_EXT_MEM_LO = 0x30, /* KiB above 1 MiB, at most 65535 */
    RTC_CMOS_EXT_MEM_HI = 0x31,
    RTC_CMOS_CENTURY = 0x32,
    RTC_CMOS_EXT_MEM2_LO = 0x34, /* 64 KiB units above 16 MiB, at most 65535 */
    RTC_CMOS_EXT_MEM2_HI = 0x35,
    RTC_CMOS_BOOT_FLAG1 = 0x38,
    RTC_CMOS_DISK_TRANSLATION = 0x39,
    RTC_CMOS_BOOT_FLAG2 = 0x3D,
    RTC_CMOS_HIGH_MEM_LO = 0x5B, /* 64 KiB units above 4 GiB */
    RTC_CMOS_HIGH_MEM_MID = 0x5C,
    RTC_CMOS_HIGH_MEM_HI = 0x5D,
    RTC_CMOS_CPU_COUNT = 0x5F, /* CPUs minus one */
};

/* Boot devices for rtc_cmos_set_boot_order (SeaBIOS's numbering). */
enum rtc_cmos_boot_dev {
    RTC_BOOT_NONE = 0,
    RTC_BOOT_FLOPPY = 1,
    RTC_BOOT_DISK = 2,
    RTC_BOOT_CDROM = 3,
    RTC_BOOT_NETWORK = 4,
};

/* rtc_cmos_set_memory_size puts at most this much RAM below 4 GiB (the rest
 * of the 4 GiB is left to PCI memory, the APICs and the BIOS) and the
 * remainder above 4 GiB.  A machine with another layout uses
 * rtc_cmos_set_memory_layout. */
#define RTC_CMOS_LOWMEM_MAX 0xE0000000ull

struct rtc_cmos {
    struct vclock *clk;
    struct irq_line irq;
    struct clock_event ev;
    uint8_t ram[128];     /* 0x00-0x09 clock bytes as stored; 0x0A-0x0D registers; the rest RAM */
    uint8_t index;        /* selected byte, 0-127 */
    bool nmi_masked;      /* bit 7 of the last index write */
    bool irq_level;
    bool running;         /* divider chain counting (DV2-0 = 010) */
    int64_t div_origin;   /* virtual ns where the divider chain was at a second boundary */
    uint64_t next_update; /* end of the next update cycle not yet applied (virtual ns) */
    uint64_t last_sync;   /* flags and updates are accounted up to this time */
};

/* The struct must stay where it is after init (the bus and the clock point into it).
 * Registers ports 0x70-0x71; the clock starts at `start` (seconds since the
 * epoch, broken down as UTC: pass a shifted value for local time) at the
 * current virtual time, in 24-hour BCD mode (register B = 0x02), 1024 Hz
 * periodic rate (register A = 0x26), century byte 0x32 set in BCD.
 * Returns 0, or -1 with a message. */
int rtc_cmos_init(struct rtc_cmos *rtc, struct iobus *bus, struct vclock *clk, const struct irq_line *irq,
                  time_t start, char *err, size_t err_len);

/* Sets a CMOS byte (index wraps to 0-127).  For 0x00-0x0D it acts as a guest
 * write to that register; for 0x10-0x2D it also updates the AT checksum. */
void rtc_cmos_set_byte(struct rtc_cmos *rtc, unsigned index, uint8_t value);
/* Reads a CMOS byte without side effects (register C is not cleared). */
uint8_t rtc_cmos_get_byte(struct rtc_cmos *rtc, unsigned index);

/* Memory size bytes as SeaBIOS reads them: 0x15-0x16 (KiB below 640 KiB),
 * 0x17-0x18 and 0x30-0x31 (KiB above 1 MiB, at most 65535), 0x34-0x35
 * (64 KiB units above 16 MiB, at most 65535), 0x5B-0x5D (64 KiB units above 4 GiB). */
void rtc_cmos_set_memory_layout(struct rtc_cmos *rtc, uint64_t below_4g, uint64_t above_4g);
void rtc_cmos_set_memory_size(struct rtc_cmos *rtc, uint64_t ram_bytes);
/* Floppy drive types (0 none, 1-5 as listed above) in 0x10, and the floppy
 * bits of the equipment byte 0x14 (bit 0 present, bits 7-6 count - 1). */
void rtc_cmos_set_floppy_types(struct rtc_cmos *rtc, unsigned drive_a, unsigned drive_b);
/* Boot order in 0x3D and 0x38 bits 7-4; check_floppy_signature false sets 0x38 bit 0. */
void rtc_cmos_set_boot_order(struct rtc_cmos *rtc, enum rtc_cmos_boot_dev first, enum rtc_cmos_boot_dev second,
                             enum rtc_cmos_boot_dev third, bool check_floppy_signature);
void rtc_cmos_set_cpu_count(struct rtc_cmos *rtc, unsigned cpus);

/* The NMI mask bit the guest last wrote to port 0x70 (the machine gates NMIs with it). */
static inline bool rtc_cmos_nmi_masked(const struct rtc_cmos *rtc) { return rtc->nmi_masked; }

#endif
