/* ACPI tables and the SeaBIOS table-loader script (see acpi.h).  Section
 * numbers are those of the ACPI Specification 6.x. */
#include "acpi.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/acpi_pm.h"

#define OEM_ID "RINGZR"          /* 6 bytes */
#define OEM_TABLE_ID "RINGZERO"  /* 8 bytes */
#define CREATOR_ID "RZRO"
#define PCI_MMIO_END 0xFEBFFFFFu /* the IOAPIC window starts at 0xFEC00000 */

struct acpi_config acpi_pc_config(uint64_t ram_below_4g)
{
    struct acpi_config c = {
        .ram_below_4g = ram_below_4g,
        .pm_base = ACPI_PM_BASE,
        .sci_irq = 9,
        .ioapic_id = 1,
        .ioapic_addr = 0xFEC00000u,
        .lapic_addr = 0xFEE00000u,
        .reset_port = 0xCF9,
        .reset_value = 6, /* PIIX3 RCR: SRST (hard reset) | RCPU (go) */
        .pci_irq = {10, 10, 11, 11},
        .slp_typ_s5 = ACPI_PM_SLP_TYP_S5,
    };
    return c;
}

uint8_t acpi_sum(const uint8_t *data, size_t len)
{
    uint8_t s = 0;
    for (size_t k = 0; k < len; k++)
        s = (uint8_t)(s + data[k]);
    return s;
}

/* ---- a byte buffer that notes overflow instead of failing at each call ---- */

struct buf {
    uint8_t *data;
    size_t len, cap;
    bool overflow;
};

static void put(struct buf *b, const void *src, size_t n)
{
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
}
static void put8(struct buf *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    put(b, &x, 1);
}
static void put16(struct buf *b, unsigned v)
{
    put8(b, v);
    put8(b, v >> 8);
}
static void put32(struct buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
static void put64(struct buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}
static void put_zeros(struct buf *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        put8(b, 0);
}
static void align(struct buf *b, size_t a)
{
    while (b->len % a)
        put8(b, 0);
}
static void poke32(struct buf *b, size_t at, uint32_t v)
{
    if (b->overflow || at + 4 > b->len)
        return;
    for (unsigned k = 0; k < 4; k++)
        b->data[at + k] = (uint8_t)(v >> (8 * k));
}

/* ---- AML encoding (§20.2) ---- */

enum {
    AML_ZERO = 0x00, AML_ONE = 0x01, AML_NAME = 0x08, AML_BYTE = 0x0A, AML_WORD = 0x0B, AML_DWORD = 0x0C,
    AML_STRING = 0x0D, AML_QWORD = 0x0E, AML_SCOPE = 0x10, AML_BUFFER = 0x11, AML_PACKAGE = 0x12,
    AML_EXT = 0x5B, AML_EXT_DEVICE = 0x82,
};

/* Inserts the PkgLength (§20.2.4) of everything written since `start` at
 * `start`: the encoded length counts its own bytes; one byte holds up to 63,
 * otherwise the low nibble goes in the lead byte (bits 7-6 = extra bytes). */
static void aml_close(struct buf *b, size_t start)
{
    if (b->overflow)
        return;
    size_t body = b->len - start, n = body + 1 <= 0x3F ? 1 : body + 2 <= 0xFFF ? 2 : body + 3 <= 0xFFFFF ? 3 : 4;
    size_t total = body + n;
    uint8_t enc[4];
    if (n == 1) {
        enc[0] = (uint8_t)total;
    } else {
        enc[0] = (uint8_t)(((n - 1) << 6) | (total & 0x0F));
        for (size_t k = 1; k < n; k++)
            enc[k] = (uint8_t)(total >> (4 + 8 * (k - 1)));
    }
    if (n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    memmove(b->data + start + n, b->data + start, body);
    memcpy(b->data + start, enc, n);
    b->len += n;
}

static void aml_int(struct buf *b, uint64_t v)
{
    if (v == 0) {
        put8(b, AML_ZERO);
    } else if (v == 1) {
        put8(b, AML_ONE);
    } else if (v <= 0xFF) {
        put8(b, AML_BYTE);
        put8(b, (unsigned)v);
    } else if (v <= 0xFFFF) {
        put8(b, AML_WORD);
        put16(b, (unsigned)v);
    } else if (v <= 0xFFFFFFFFu) {
        put8(b, AML_DWORD);
        put32(b, (uint32_t)v);
    } else {
        put8(b, AML_QWORD);
        put64(b, v);
    }
}

/* A name string: '\' for the root, then 4-character segments separated by
 * '.' in `path` ("\\_SB.PCI0" or "_HID"); segments are padded with '_'. */
static void aml_namestring(struct buf *b, const char *path)
{
    if (*path == '\\') {
        put8(b, '\\');
        path++;
    }
    char segs[4][4];
    unsigned count = 0;
    while (*path && count < 4) {
        memset(segs[count], '_', 4);
        for (unsigned k = 0; *path && *path != '.'; path++)
            if (k < 4)
                segs[count][k++] = *path;
        if (*path == '.')
            path++;
        count++;
    }
    if (count == 2) {
        put8(b, 0x2E); /* DualNamePrefix */
    } else if (count > 2) {
        put8(b, 0x2F); /* MultiNamePrefix */
        put8(b, count);
    }
    for (unsigned s = 0; s < count; s++)
        put(b, segs[s], 4);
}

static void aml_name_int(struct buf *b, const char *name, uint64_t v)
{
    put8(b, AML_NAME);
    aml_namestring(b, name);
    aml_int(b, v);
}

static void aml_name_string(struct buf *b, const char *name, const char *s)
{
    put8(b, AML_NAME);
    aml_namestring(b, name);
    put8(b, AML_STRING);
    put(b, s, strlen(s) + 1);
}

/* EisaId("PNPxxxx") (§19.6.35): three letters of 5 bits, then 4 hex digits,
 * as a big-endian 32-bit value stored as an Integer. */
static void aml_name_eisaid(struct buf *b, const char *name, const char id[7])
{
    unsigned c1 = (unsigned)(id[0] - '@') & 0x1F, c2 = (unsigned)(id[1] - '@') & 0x1F,
             c3 = (unsigned)(id[2] - '@') & 0x1F;
    unsigned hex = 0;
    for (unsigned k = 3; k < 7; k++)
        hex = hex << 4 | (unsigned)(id[k] <= '9' ? id[k] - '0' : (id[k] | 0x20) - 'a' + 10);
    put8(b, AML_NAME);
    aml_namestring(b, name);
    put8(b, AML_DWORD);
    put8(b, c1 << 2 | c2 >> 3);
    put8(b, (c2 & 7) << 5 | c3);
    put8(b, hex >> 8);
    put8(b, hex & 0xFF);
}

static size_t aml_open_device(struct buf *b, const char *name)
{
    put8(b, AML_EXT);
    put8(b, AML_EXT_DEVICE);
    size_t at = b->len;
    aml_namestring(b, name);
    return at;
}

/* Name(name, Buffer(){resource template}): the caller writes the descriptors
 * between open and close; close adds the end tag (§6.4.2.9, checksum 0 =
 * not checked). */
static size_t aml_open_crs(struct buf *b, const char *name, size_t *size_at)
{
    put8(b, AML_NAME);
    aml_namestring(b, name);
    put8(b, AML_BUFFER);
    size_t at = b->len;
    put8(b, AML_WORD); /* BufferSize, patched at close */
    *size_at = b->len;
    put16(b, 0);
    return at;
}
static void aml_close_crs(struct buf *b, size_t at, size_t size_at)
{
    put8(b, 0x79);
    put8(b, 0);
    size_t size = b->len - (size_at + 2);
    if (!b->overflow) {
        b->data[size_at] = (uint8_t)size;
        b->data[size_at + 1] = (uint8_t)(size >> 8);
    }
    aml_close(b, at);
}

/* I/O port descriptor, 16-bit decode, fixed base (§6.4.2.5). */
static void res_io(struct buf *b, unsigned base, unsigned len)
{
    put8(b, 0x47);
    put8(b, 1);
    put16(b, base);
    put16(b, base);
    put8(b, 1);
    put8(b, len);
}
/* IRQ descriptor without flags: edge, active high (§6.4.2.1). */
static void res_irq(struct buf *b, unsigned irq)
{
    put8(b, 0x22);
    put16(b, 1u << irq);
}
/* Word address space descriptor (§6.4.3.5.3), produced by the bridge, fixed
 * minimum and maximum (general flags bits 2-3). */
static void res_word(struct buf *b, unsigned type, unsigned type_flags, unsigned min, unsigned max)
{
    put8(b, 0x88);
    put16(b, 13);
    put8(b, type);
    put8(b, 0x0C);
    put8(b, type_flags);
    put16(b, 0);
    put16(b, min);
    put16(b, max);
    put16(b, 0);
    put16(b, max - min + 1);
}
/* DWord memory descriptor (§6.4.3.5.2); type flags bit 0 read/write, bits 2-1
 * cacheability (0 non-cacheable, 1 cacheable). */
static void res_dword_mem(struct buf *b, unsigned type_flags, uint32_t min, uint32_t max)
{
    put8(b, 0x87);
    put16(b, 23);
    put8(b, 0);
    put8(b, 0x0C);
    put8(b, type_flags);
    put32(b, 0);
    put32(b, min);
    put32(b, max);
    put32(b, 0);
    put32(b, max - min + 1);
}

/* An ISA device under the bridge: _HID and a fixed _CRS of ports and one IRQ. */
static void isa_device(struct buf *b, const char *name, const char *eisaid, unsigned port1, unsigned len1,
                       unsigned port2, unsigned len2, unsigned irq)
{
    size_t dev = aml_open_device(b, name);
    aml_name_eisaid(b, "_HID", eisaid);
    size_t size_at, crs = aml_open_crs(b, "_CRS", &size_at);
    if (len1)
        res_io(b, port1, len1);
    if (len2)
        res_io(b, port2, len2);
    res_irq(b, irq);
    aml_close_crs(b, crs, size_at);
    aml_close(b, dev);
}

/* The PCI root bridge (PNP0A03): its bus, I/O and memory windows in _CRS
 * (§6.2.2, resource descriptors §6.4), its interrupt routing in _PRT. */
static void pci_root(struct buf *b, const struct acpi_config *cfg)
{
    size_t dev = aml_open_device(b, "PCI0");
    aml_name_eisaid(b, "_HID", "PNP0A03");
    aml_name_int(b, "_ADR", 0);
    aml_name_int(b, "_BBN", 0);
    aml_name_int(b, "_UID", 0);

    size_t size_at, crs = aml_open_crs(b, "_CRS", &size_at);
    res_word(b, 2, 0, 0, 0xFF);          /* bus numbers 0-255 */
    res_io(b, 0xCF8, 8);                 /* the configuration mechanism's own ports, consumed */
    res_word(b, 1, 3, 0x0000, 0x0CF7);   /* I/O below the config ports; type flags 3: ISA and non-ISA ranges */
    res_word(b, 1, 3, 0x0D00, 0xFFFF);
    res_dword_mem(b, 0x03, 0xA0000, 0xBFFFF); /* the legacy VGA window */
    uint64_t mmio = cfg->ram_below_4g < PCI_MMIO_END ? cfg->ram_below_4g : PCI_MMIO_END;
    res_dword_mem(b, 0x01, (uint32_t)mmio, PCI_MMIO_END);
    aml_close_crs(b, crs, size_at);

    /* _PRT (§6.2.13): {address 0xSSSSFFFF (any function of slot S), pin 0-3 =
     * INTA-D, source 0 (no link device: the index is a GSI), GSI}.  The PIIX3
     * rotates pins by slot onto PIRQ A-D (piix3_slot_pirq); SeaBIOS routes those
     * to the ISA IRQs in cfg->pci_irq, which are the GSIs with the IOAPIC too. */
    put8(b, AML_NAME);
    aml_namestring(b, "_PRT");
    put8(b, AML_PACKAGE);
    size_t prt = b->len;
    put8(b, 0); /* NumElements, patched below */
    unsigned elements = 0;
    for (unsigned slot = 1; slot < 32; slot++)
        for (unsigned pin = 0; pin < 4; pin++) {
            put8(b, AML_PACKAGE);
            size_t e = b->len;
            put8(b, 4);
            aml_int(b, (uint64_t)slot << 16 | 0xFFFF);
            aml_int(b, pin);
            aml_int(b, 0);
            aml_int(b, cfg->pci_irq[(pin + slot - 1) & 3]);
            aml_close(b, e);
            elements++;
        }
    if (!b->overflow)
        b->data[prt] = (uint8_t)elements; /* NumElements is a byte: at most 255 */
    aml_close(b, prt);

    /* The PIIX3 function 0 and the legacy devices behind it. */
    size_t isa = aml_open_device(b, "ISA");
    aml_name_int(b, "_ADR", 0x00010000);
    isa_device(b, "KBD", "PNP0303", 0x60, 1, 0x64, 1, 1);
    isa_device(b, "MOU", "PNP0F13", 0, 0, 0, 0, 12);
    isa_device(b, "RTC", "PNP0B00", 0x70, 2, 0, 0, 8);
    isa_device(b, "COM1", "PNP0501", 0x3F8, 8, 0, 0, 4);
    aml_close(b, isa);
    aml_close(b, dev);
}

/* ---- table headers (§5.2.6) ---- */

static size_t header(struct buf *b, const char sig[4], uint8_t revision)
{
    size_t at = b->len;
    put(b, sig, 4);
    put32(b, 0); /* length, at finish */
    put8(b, revision);
    put8(b, 0);  /* checksum, at finish */
    put(b, OEM_ID, 6);
    put(b, OEM_TABLE_ID, 8);
    put32(b, 1);
    put(b, CREATOR_ID, 4);
    put32(b, 1);
    return at;
}

static uint32_t finish(struct buf *b, size_t at)
{
    uint32_t len = (uint32_t)(b->len - at);
    poke32(b, at + 4, len);
    if (!b->overflow)
        b->data[at + 9] = (uint8_t)(0 - acpi_sum(b->data + at, len));
    return len;
}

static void dsdt(struct buf *b, const struct acpi_config *cfg)
{
    /* Scope(\_SB) { PCI0, CPU0 } */
    put8(b, AML_SCOPE);
    size_t sb = b->len;
    aml_namestring(b, "\\_SB");
    pci_root(b, cfg);
    size_t cpu = aml_open_device(b, "CPU0"); /* processor device (§8.4), matched to the MADT by _UID */
    aml_name_string(b, "_HID", "ACPI0007");
    aml_name_int(b, "_UID", 0);
    aml_close(b, cpu);
    aml_close(b, sb);

    /* Name(\_S5, Package(4){SLP_TYP a, SLP_TYP b, reserved, reserved}) (§7.4.2) */
    put8(b, AML_NAME);
    aml_namestring(b, "\\_S5");
    put8(b, AML_PACKAGE);
    size_t s5 = b->len;
    put8(b, 4);
    aml_int(b, cfg->slp_typ_s5);
    aml_int(b, cfg->slp_typ_s5);
    aml_int(b, 0);
    aml_int(b, 0);
    aml_close(b, s5);
}

/* Generic Address Structure (§5.2.3.2) in system I/O space. */
static void gas_io(struct buf *b, unsigned bits, unsigned access_size, uint64_t port)
{
    put8(b, 1);
    put8(b, bits);
    put8(b, 0);
    put8(b, access_size);
    put64(b, port);
}

static void fadt(struct buf *b, const struct acpi_config *cfg, uint32_t facs, uint32_t dsdt_at)
{
    size_t at = header(b, "FACP", 3);
    put32(b, facs);            /* FIRMWARE_CTRL: patched to an address by the loader */
    put32(b, dsdt_at);         /* DSDT: likewise */
    put8(b, 0);                /* reserved (INT_MODEL in ACPI 1.0) */
    put8(b, 0);                /* Preferred_PM_Profile: unspecified */
    put16(b, cfg->sci_irq);
    put32(b, 0);               /* SMI_CMD 0: no mode transition, always in ACPI mode (§4.8.2.1) */
    put8(b, 0);                /* ACPI_ENABLE */
    put8(b, 0);                /* ACPI_DISABLE */
    put8(b, 0);                /* S4BIOS_REQ */
    put8(b, 0);                /* PSTATE_CNT */
    put32(b, cfg->pm_base + ACPI_PM_EVT_OFFSET); /* PM1a_EVT_BLK */
    put32(b, 0);                                  /* PM1b_EVT_BLK */
    put32(b, cfg->pm_base + ACPI_PM_CNT_OFFSET); /* PM1a_CNT_BLK */
    put32(b, 0);                                  /* PM1b_CNT_BLK */
    put32(b, 0);                                  /* PM2_CNT_BLK */
    put32(b, cfg->pm_base + ACPI_PM_TMR_OFFSET); /* PM_TMR_BLK */
    put32(b, 0);                                  /* GPE0_BLK: none */
    put32(b, 0);                                  /* GPE1_BLK */
    put8(b, ACPI_PM_EVT_LEN);
    put8(b, ACPI_PM_CNT_LEN);
    put8(b, 0);                /* PM2_CNT_LEN */
    put8(b, ACPI_PM_TMR_LEN);
    put8(b, 0);                /* GPE0_BLK_LEN */
    put8(b, 0);                /* GPE1_BLK_LEN */
    put8(b, 0);                /* GPE1_BASE */
    put8(b, 0);                /* CST_CNT */
    put16(b, 0x0FFF);          /* P_LVL2_LAT > 100: no C2 */
    put16(b, 0x0FFF);          /* P_LVL3_LAT > 1000: no C3 */
    put16(b, 0);               /* FLUSH_SIZE */
    put16(b, 0);               /* FLUSH_STRIDE */
    put8(b, 0);                /* DUTY_OFFSET */
    put8(b, 0);                /* DUTY_WIDTH */
    put8(b, 0);                /* DAY_ALRM: no day alarm */
    put8(b, 0);                /* MON_ALRM */
    put8(b, 0x32);             /* CENTURY: the RTC's CMOS century byte */
    /* No MSI: nothing on this board turns MSI writes into interrupts. */
    put16(b, ACPI_IAPC_LEGACY_DEVICES | ACPI_IAPC_8042 | ACPI_IAPC_NO_MSI);
    put8(b, 0);
    put32(b, ACPI_FADT_F_WBINVD | ACPI_FADT_F_PROC_C1 | ACPI_FADT_F_SLP_BUTTON | ACPI_FADT_F_FIX_RTC |
                 ACPI_FADT_F_RESET_REG_SUP);
    gas_io(b, 8, 1, cfg->reset_port); /* RESET_REG: byte access */
    put8(b, cfg->reset_value);
    put16(b, 0);               /* ARM_BOOT_ARCH */
    put8(b, 0);                /* FADT minor version */
    put64(b, 0);               /* X_FIRMWARE_CTRL: the 32-bit field is used */
    put64(b, 0);               /* X_DSDT: likewise */
    gas_io(b, ACPI_PM_EVT_LEN * 8, 2, cfg->pm_base + ACPI_PM_EVT_OFFSET);
    put_zeros(b, 12);          /* X_PM1b_EVT_BLK */
    gas_io(b, ACPI_PM_CNT_LEN * 8, 2, cfg->pm_base + ACPI_PM_CNT_OFFSET);
    put_zeros(b, 12);          /* X_PM1b_CNT_BLK */
    put_zeros(b, 12);          /* X_PM2_CNT_BLK */
    gas_io(b, ACPI_PM_TMR_LEN * 8, 3, cfg->pm_base + ACPI_PM_TMR_OFFSET);
    put_zeros(b, 12);          /* X_GPE0_BLK */
    put_zeros(b, 12);          /* X_GPE1_BLK */
    finish(b, at);
}

static void madt_iso(struct buf *b, unsigned irq, unsigned gsi, unsigned flags)
{
    put8(b, 2);  /* Interrupt Source Override (§5.2.12.5) */
    put8(b, 10);
    put8(b, 0);  /* bus: ISA */
    put8(b, irq);
    put32(b, gsi);
    put16(b, flags);
}

static uint32_t madt(struct buf *b, const struct acpi_config *cfg)
{
    size_t at = header(b, "APIC", 3);
    put32(b, cfg->lapic_addr);
    put32(b, 1); /* PCAT_COMPAT: the 8259 pair is present too */
    put8(b, 0);  /* Processor Local APIC (§5.2.12.2) */
    put8(b, 8);
    put8(b, 0);  /* ACPI processor UID, as CPU0's _UID */
    put8(b, 0);  /* APIC ID */
    put32(b, 1); /* enabled */
    put8(b, 1);  /* I/O APIC (§5.2.12.3) */
    put8(b, 12);
    put8(b, cfg->ioapic_id);
    put8(b, 0);
    put32(b, cfg->ioapic_addr);
    put32(b, 0); /* GSI base */
    madt_iso(b, 0, 2, 0); /* the PIT's IRQ 0 is on IOAPIC input 2 (frontend/pc_apic.c); bus-conforming */
    madt_iso(b, cfg->sci_irq, cfg->sci_irq, ACPI_MPS_LEVEL | ACPI_MPS_ACTIVE_HIGH); /* SCI: a high level */
    for (unsigned k = 0; k < 4; k++) { /* PCI interrupts through the PIIX3: high levels on their ISA IRQs */
        bool seen = cfg->pci_irq[k] == cfg->sci_irq;
        for (unsigned j = 0; j < k; j++)
            seen = seen || cfg->pci_irq[j] == cfg->pci_irq[k];
        if (!seen)
            madt_iso(b, cfg->pci_irq[k], cfg->pci_irq[k], ACPI_MPS_LEVEL | ACPI_MPS_ACTIVE_HIGH);
    }
    put8(b, 4);  /* Local APIC NMI (§5.2.12.7): LINT1 of every processor */
    put8(b, 6);
    put8(b, 0xFF);
    put16(b, 0);
    put8(b, 1);
    return finish(b, at);
}

/* ---- the loader script ---- */

static void loader_entry(struct buf *b, uint32_t command, const char *f1, const char *f2, const uint32_t *words,
                         unsigned nwords, int byte_after)
{
    size_t at = b->len;
    put32(b, command);
    char name[ACPI_LOADER_FILE_LEN] = {0};
    strncpy(name, f1, sizeof name - 1);
    put(b, name, sizeof name);
    if (f2) {
        memset(name, 0, sizeof name);
        strncpy(name, f2, sizeof name - 1);
        put(b, name, sizeof name);
    }
    for (unsigned k = 0; k < nwords; k++)
        put32(b, words[k]);
    if (byte_after >= 0)
        put8(b, (unsigned)byte_after);
    if (!b->overflow)
        put_zeros(b, at + ACPI_LOADER_ENTRY_LEN - b->len);
}

static void ld_allocate(struct buf *b, const char *file, uint32_t alignment, unsigned zone)
{
    loader_entry(b, ACPI_LOADER_ALLOCATE, file, NULL, &alignment, 1, (int)zone);
}
static void ld_pointer(struct buf *b, const char *dest, const char *src, uint32_t offset, unsigned size)
{
    loader_entry(b, ACPI_LOADER_ADD_POINTER, dest, src, &offset, 1, (int)size);
}
static void ld_checksum(struct buf *b, const char *file, uint32_t start, uint32_t len)
{
    uint32_t w[3] = {start + 9, start, len}; /* the header's checksum byte is at offset 9 */
    loader_entry(b, ACPI_LOADER_ADD_CHECKSUM, file, NULL, w, 3, -1);
}

int acpi_build(const struct acpi_config *cfg, struct acpi_build *out)
{
    memset(out, 0, sizeof *out);
    struct buf t = {.data = out->tables, .cap = sizeof out->tables};

    /* FACS (§5.2.10): first, so it is 64-byte aligned; no checksum. */
    out->facs = (uint32_t)t.len;
    put(&t, "FACS", 4);
    put32(&t, ACPI_FACS_LEN);
    put32(&t, 0); /* hardware signature */
    put32(&t, 0); /* firmware waking vector */
    put32(&t, 0); /* global lock */
    put32(&t, 0); /* flags */
    put64(&t, 0); /* X firmware waking vector */
    put8(&t, 1);  /* version */
    put_zeros(&t, ACPI_FACS_LEN - 33);

    out->dsdt = (uint32_t)t.len;
    size_t d = header(&t, "DSDT", 2); /* revision 2: 64-bit AML integers */
    dsdt(&t, cfg);
    out->dsdt_len = finish(&t, d);

    align(&t, 8);
    out->fadt = (uint32_t)t.len;
    fadt(&t, cfg, out->facs, out->dsdt);

    align(&t, 8);
    out->madt = (uint32_t)t.len;
    out->madt_len = madt(&t, cfg);

    align(&t, 8);
    out->rsdt = (uint32_t)t.len;
    size_t r = header(&t, "RSDT", 1);
    put32(&t, out->fadt);
    put32(&t, out->madt);
    out->rsdt_len = finish(&t, r);
    out->tables_len = (uint32_t)t.len;

    /* RSDP (§5.2.5.3), revision 0: the RSDT only. */
    struct buf p = {.data = out->rsdp, .cap = sizeof out->rsdp};
    put(&p, "RSD PTR ", 8);
    put8(&p, 0);
    put(&p, OEM_ID, 6);
    put8(&p, 0);
    put32(&p, out->rsdt);
    out->rsdp[8] = (uint8_t)(0 - acpi_sum(out->rsdp, ACPI_RSDP_LEN));

    /* The script: allocate both files, turn the offsets into addresses, then
     * fix each checksum the new addresses disturbed. */
    struct buf l = {.data = out->loader, .cap = sizeof out->loader};
    ld_allocate(&l, ACPI_FILE_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    ld_allocate(&l, ACPI_FILE_TABLES, 64, ACPI_LOADER_ZONE_HIGH);
    ld_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, out->fadt + ACPI_FADT_FIRMWARE_CTRL, 4);
    ld_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, out->fadt + ACPI_FADT_DSDT, 4);
    ld_checksum(&l, ACPI_FILE_TABLES, out->fadt, ACPI_FADT_LEN);
    ld_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, out->rsdt + ACPI_HEADER_LEN, 4);
    ld_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, out->rsdt + ACPI_HEADER_LEN + 4, 4);
    ld_checksum(&l, ACPI_FILE_TABLES, out->rsdt, out->rsdt_len);
    ld_pointer(&l, ACPI_FILE_RSDP, ACPI_FILE_TABLES, 16, 4);
    uint32_t w[3] = {8, 0, ACPI_RSDP_LEN}; /* the RSDP's checksum covers its first 20 bytes */
    loader_entry(&l, ACPI_LOADER_ADD_CHECKSUM, ACPI_FILE_RSDP, NULL, w, 3, -1);
    out->loader_len = (uint32_t)l.len;
    return t.overflow || p.overflow || l.overflow ? -1 : 0;
}

int acpi_add_fw_cfg(struct fw_cfg *fw, const struct acpi_config *cfg, char *err, size_t err_len)
{
    struct acpi_build *b = malloc(sizeof *b);
    if (!b || acpi_build(cfg, b) != 0) {
        snprintf(err, err_len, b ? "ACPI tables do not fit their buffers" : "out of memory");
        free(b);
        return -1;
    }
    int rc = fw_cfg_add_file(fw, ACPI_FILE_TABLES, b->tables, b->tables_len) != 0 ||
                     fw_cfg_add_file(fw, ACPI_FILE_RSDP, b->rsdp, ACPI_RSDP_LEN) != 0 ||
                     fw_cfg_add_file(fw, ACPI_FILE_LOADER, b->loader, b->loader_len) != 0
                 ? -1
                 : 0;
    if (rc != 0)
        snprintf(err, err_len, "fw_cfg: out of memory");
    free(b);
    return rc;
}
