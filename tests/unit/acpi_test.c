/* ACPI tests: the tables of bios/acpi.c (signatures, lengths, checksums, the
 * FADT fields pointing at the PM registers, the MADT entries, the \_S5 and
 * EisaId AML), the table-loader script run the way SeaBIOS runs it (pointers
 * become addresses, checksums stay valid), and the PM registers of
 * devices/acpi_pm.c (the timer's rate on the virtual clock and its 24-bit
 * wrap, TMR_STS and the SCI, the power button, SLP_EN power-off, garbage
 * accesses), and the PC board with and without --acpi. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/acpi.h"
#include "devices/acpi_pm.h"
#include "frontend/machine.h"

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static struct acpi_build *build_pc(void)
{
    struct acpi_build *b = malloc(sizeof *b);
    ck_assert_ptr_nonnull(b);
    struct acpi_config cfg = acpi_pc_config(256u << 20);
    ck_assert_int_eq(acpi_build(&cfg, b), 0);
    return b;
}

static void check_table(const struct acpi_build *b, uint32_t at, const char *sig, uint32_t len)
{
    ck_assert_int_eq(memcmp(b->tables + at, sig, 4), 0);
    ck_assert_uint_eq(le32(b->tables + at + 4), len);
    ck_assert_uint_le(at + len, b->tables_len);
    ck_assert_uint_eq(acpi_sum(b->tables + at, len), 0);
    ck_assert_int_eq(memcmp(b->tables + at + 10, "RINGZR", 6), 0);
}

START_TEST(test_tables_headers_and_checksums)
{
    struct acpi_build *b = build_pc();
    ck_assert_int_eq(memcmp(b->rsdp, "RSD PTR ", 8), 0);
    ck_assert_uint_eq(acpi_sum(b->rsdp, ACPI_RSDP_LEN), 0);
    ck_assert_uint_eq(b->rsdp[15], 0); /* revision 0: RSDT only */
    ck_assert_uint_eq(le32(b->rsdp + 16), b->rsdt);

    ck_assert_uint_eq(b->facs % 64, 0);
    ck_assert_int_eq(memcmp(b->tables + b->facs, "FACS", 4), 0);
    ck_assert_uint_eq(le32(b->tables + b->facs + 4), ACPI_FACS_LEN);

    check_table(b, b->dsdt, "DSDT", b->dsdt_len);
    check_table(b, b->fadt, "FACP", ACPI_FADT_LEN);
    check_table(b, b->madt, "APIC", b->madt_len);
    check_table(b, b->rsdt, "RSDT", b->rsdt_len);
    ck_assert_uint_eq(b->tables[b->fadt + 8], 3);
    ck_assert_uint_eq(b->rsdt_len, ACPI_HEADER_LEN + 8);
    ck_assert_uint_eq(le32(b->tables + b->rsdt + 36), b->fadt);
    ck_assert_uint_eq(le32(b->tables + b->rsdt + 40), b->madt);
    free(b);
}
END_TEST

START_TEST(test_fadt_fields)
{
    struct acpi_build *b = build_pc();
    const uint8_t *f = b->tables + b->fadt;
    ck_assert_uint_eq(le32(f + ACPI_FADT_FIRMWARE_CTRL), b->facs);
    ck_assert_uint_eq(le32(f + ACPI_FADT_DSDT), b->dsdt);
    ck_assert_uint_eq(le16(f + ACPI_FADT_SCI_INT), 9);
    ck_assert_uint_eq(le32(f + ACPI_FADT_SMI_CMD), 0);
    ck_assert_uint_eq(le32(f + ACPI_FADT_PM1A_EVT_BLK), ACPI_PM_BASE + ACPI_PM_EVT_OFFSET);
    ck_assert_uint_eq(le32(f + ACPI_FADT_PM1A_CNT_BLK), ACPI_PM_BASE + ACPI_PM_CNT_OFFSET);
    ck_assert_uint_eq(le32(f + ACPI_FADT_PM_TMR_BLK), ACPI_PM_BASE + ACPI_PM_TMR_OFFSET);
    ck_assert_uint_eq(f[ACPI_FADT_PM1_EVT_LEN], 4);
    ck_assert_uint_eq(f[ACPI_FADT_PM1_CNT_LEN], 2);
    ck_assert_uint_eq(f[ACPI_FADT_PM_TMR_LEN], 4);
    ck_assert_uint_eq(f[ACPI_FADT_CENTURY], 0x32);
    uint32_t iapc = le16(f + ACPI_FADT_IAPC_BOOT_ARCH);
    ck_assert(iapc & ACPI_IAPC_8042);
    ck_assert(iapc & ACPI_IAPC_LEGACY_DEVICES);
    ck_assert(!(iapc & ACPI_IAPC_NO_VGA));
    uint32_t flags = le32(f + ACPI_FADT_FLAGS);
    ck_assert(flags & ACPI_FADT_F_RESET_REG_SUP);
    ck_assert(flags & ACPI_FADT_F_WBINVD);
    ck_assert(!(flags & (1u << 8))); /* TMR_VAL_EXT clear: a 24-bit timer */
    const uint8_t *r = f + ACPI_FADT_RESET_REG;
    ck_assert_uint_eq(r[0], 1); /* system I/O */
    ck_assert_uint_eq(r[1], 8);
    ck_assert_uint_eq(r[2], 0);
    ck_assert_uint_eq(le64(r + 4), 0xCF9);
    ck_assert_uint_eq(f[ACPI_FADT_RESET_VALUE], 6);
    /* the extended blocks agree with the 32-bit ones (Linux warns otherwise) */
    const struct { unsigned x, legacy, len; } blk[3] = {
        {ACPI_FADT_X_PM1A_EVT_BLK, ACPI_FADT_PM1A_EVT_BLK, 4},
        {ACPI_FADT_X_PM1A_CNT_BLK, ACPI_FADT_PM1A_CNT_BLK, 2},
        {ACPI_FADT_X_PM_TMR_BLK, ACPI_FADT_PM_TMR_BLK, 4},
    };
    for (unsigned k = 0; k < 3; k++) {
        ck_assert_uint_eq(f[blk[k].x], 1);
        ck_assert_uint_eq(f[blk[k].x + 1], blk[k].len * 8);
        ck_assert_uint_eq(le64(f + blk[k].x + 4), le32(f + blk[k].legacy));
    }
    free(b);
}
END_TEST

START_TEST(test_madt_entries)
{
    struct acpi_build *b = build_pc();
    const uint8_t *t = b->tables + b->madt;
    ck_assert_uint_eq(le32(t + 36), 0xFEE00000u);
    ck_assert_uint_eq(le32(t + 40) & 1, 1); /* PCAT_COMPAT */
    unsigned lapics = 0, ioapics = 0, nmis = 0, isos = 0;
    bool irq0 = false, sci = false;
    for (uint32_t at = 44; at < b->madt_len;) {
        const uint8_t *e = t + at;
        ck_assert_uint_ge(e[1], 2);
        ck_assert_uint_le(at + e[1], b->madt_len);
        switch (e[0]) {
        case 0:
            ck_assert_uint_eq(e[1], 8);
            ck_assert_uint_eq(e[3], 0);          /* APIC ID */
            ck_assert_uint_eq(le32(e + 4) & 1, 1); /* enabled */
            lapics++;
            break;
        case 1:
            ck_assert_uint_eq(e[1], 12);
            ck_assert_uint_eq(e[2], 1);
            ck_assert_uint_eq(le32(e + 4), 0xFEC00000u);
            ck_assert_uint_eq(le32(e + 8), 0);
            ioapics++;
            break;
        case 2:
            ck_assert_uint_eq(e[1], 10);
            ck_assert_uint_eq(e[2], 0);
            if (e[3] == 0) {
                ck_assert_uint_eq(le32(e + 4), 2);
                ck_assert_uint_eq(le16(e + 8), 0);
                irq0 = true;
            } else if (e[3] == 9) {
                ck_assert_uint_eq(le32(e + 4), 9);
                ck_assert_uint_eq(le16(e + 8), ACPI_MPS_LEVEL | ACPI_MPS_ACTIVE_HIGH);
                sci = true;
            }
            isos++;
            break;
        case 4:
            ck_assert_uint_eq(e[1], 6);
            ck_assert_uint_eq(e[2], 0xFF);
            ck_assert_uint_eq(e[5], 1); /* LINT1 */
            nmis++;
            break;
        default: ck_abort_msg("unexpected MADT entry type %u", e[0]);
        }
        at += e[1];
    }
    ck_assert_uint_eq(lapics, 1);
    ck_assert_uint_eq(ioapics, 1);
    ck_assert_uint_eq(nmis, 1);
    ck_assert_uint_eq(isos, 4); /* IRQ 0, 9, 10, 11 */
    ck_assert(irq0 && sci);
    free(b);
}
END_TEST

/* Decodes an AML integer at p; returns its length. */
static unsigned aml_int(const uint8_t *p, uint64_t *v)
{
    switch (p[0]) {
    case 0x00: *v = 0; return 1;
    case 0x01: *v = 1; return 1;
    case 0xFF: *v = ~0ull; return 1;
    case 0x0A: *v = p[1]; return 2;
    case 0x0B: *v = le16(p + 1); return 3;
    case 0x0C: *v = le32(p + 1); return 5;
    case 0x0E: *v = le64(p + 1); return 9;
    default: ck_abort_msg("not an AML integer: 0x%02x", p[0]); return 0;
    }
}

/* Decodes a PkgLength; returns its encoded size. */
static unsigned aml_pkglength(const uint8_t *p, uint32_t *len)
{
    unsigned extra = p[0] >> 6;
    if (!extra) {
        *len = p[0] & 0x3F;
        return 1;
    }
    *len = p[0] & 0x0F;
    for (unsigned k = 1; k <= extra; k++)
        *len |= (uint32_t)p[k] << (4 + 8 * (k - 1));
    return extra + 1;
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
    for (size_t k = 0; k + m <= n; k++)
        if (memcmp(hay + k, needle, m) == 0)
            return hay + k;
    return NULL;
}

START_TEST(test_dsdt_s5_and_structure)
{
    struct acpi_build *b = build_pc();
    const uint8_t *d = b->tables + b->dsdt, *end = d + b->dsdt_len;
    /* The body: Scope(\_SB) {...} spans exactly up to Name(\_S5, ...), which ends the table. */
    const uint8_t *p = d + ACPI_HEADER_LEN;
    ck_assert_uint_eq(p[0], 0x10);
    uint32_t len;
    unsigned n = aml_pkglength(p + 1, &len);
    ck_assert_int_eq(memcmp(p + 1 + n, "\\_SB_", 5), 0);
    p += 1 + len;
    static const uint8_t s5_name[] = {0x08, '\\', '_', 'S', '5', '_'};
    ck_assert_int_eq(memcmp(p, s5_name, sizeof s5_name), 0);
    p += sizeof s5_name;
    ck_assert_uint_eq(p[0], 0x12); /* PackageOp */
    n = aml_pkglength(p + 1, &len);
    ck_assert_ptr_eq(p + 1 + len, end);
    const uint8_t *q = p + 1 + n;
    ck_assert_uint_eq(q[0], 4); /* NumElements */
    q++;
    uint64_t v;
    q += aml_int(q, &v);
    ck_assert_uint_eq(v, ACPI_PM_SLP_TYP_S5);
    q += aml_int(q, &v);
    ck_assert_uint_eq(v, ACPI_PM_SLP_TYP_S5);

    /* PNP0A03 as an EisaId: "PNP" in 5-bit letters, then 0x0A03 */
    static const uint8_t hid[] = {'_', 'H', 'I', 'D', 0x0C, 0x41, 0xD0, 0x0A, 0x03};
    ck_assert_ptr_nonnull(find_bytes(d, b->dsdt_len, hid, sizeof hid));
    /* the PCI root's device op has a multi-byte PkgLength that reaches inside the scope */
    static const uint8_t dev[] = {0x5B, 0x82};
    const uint8_t *pci = find_bytes(d, b->dsdt_len, dev, sizeof dev);
    ck_assert_ptr_nonnull(pci);
    n = aml_pkglength(pci + 2, &len);
    ck_assert_uint_ge(n, 2);
    ck_assert_int_eq(memcmp(pci + 2 + n, "PCI0", 4), 0);
    ck_assert(pci + 2 + len <= end);
    free(b);
}
END_TEST

/* The loader script run the way SeaBIOS's romfile_loader.c runs it, with the
 * files placed at the given guest addresses. */
struct loaded {
    uint8_t tables[ACPI_TABLES_MAX];
    uint8_t rsdp[ACPI_RSDP_LEN];
    uint32_t tables_addr, rsdp_addr;
};

static uint8_t *loaded_file(struct loaded *l, const char *name, uint32_t *addr, uint32_t *size,
                            const struct acpi_build *b)
{
    if (!strcmp(name, ACPI_FILE_TABLES)) {
        *addr = l->tables_addr;
        *size = b->tables_len;
        return l->tables;
    }
    ck_assert_str_eq(name, ACPI_FILE_RSDP);
    *addr = l->rsdp_addr;
    *size = ACPI_RSDP_LEN;
    return l->rsdp;
}

START_TEST(test_loader_script)
{
    struct acpi_build *b = build_pc();
    struct loaded *l = calloc(1, sizeof *l);
    ck_assert_ptr_nonnull(l);
    l->tables_addr = 0x0FFF0040;
    l->rsdp_addr = 0xF5A10;
    ck_assert_uint_eq(b->loader_len % ACPI_LOADER_ENTRY_LEN, 0);
    unsigned allocs = 0, pointers = 0, checksums = 0;
    for (uint32_t at = 0; at < b->loader_len; at += ACPI_LOADER_ENTRY_LEN) {
        const uint8_t *e = b->loader + at;
        const char *f1 = (const char *)e + 4;
        ck_assert_uint_eq(e[4 + ACPI_LOADER_FILE_LEN - 1], 0);
        uint32_t addr, size;
        switch (le32(e)) {
        case ACPI_LOADER_ALLOCATE: {
            uint8_t *data = loaded_file(l, f1, &addr, &size, b);
            uint32_t alignment = le32(e + 4 + ACPI_LOADER_FILE_LEN);
            unsigned zone = e[8 + ACPI_LOADER_FILE_LEN];
            ck_assert_uint_eq(addr % alignment, 0);
            ck_assert_uint_eq(zone, data == l->rsdp ? ACPI_LOADER_ZONE_FSEG : ACPI_LOADER_ZONE_HIGH);
            ck_assert_uint_eq(allocs, data == l->rsdp ? 0 : 1); /* each allocated once, before use */
            memcpy(data, data == l->rsdp ? b->rsdp : b->tables, size);
            allocs++;
            break;
        }
        case ACPI_LOADER_ADD_POINTER: {
            ck_assert_uint_eq(allocs, 2);
            const char *f2 = f1 + ACPI_LOADER_FILE_LEN;
            uint32_t dsize, saddr, ssize;
            uint8_t *dest = loaded_file(l, f1, &addr, &dsize, b);
            loaded_file(l, f2, &saddr, &ssize, b);
            uint32_t offset = le32(e + 4 + 2 * ACPI_LOADER_FILE_LEN);
            unsigned width = e[8 + 2 * ACPI_LOADER_FILE_LEN];
            ck_assert_uint_eq(width, 4);
            ck_assert_uint_le(offset + width, dsize);
            uint32_t v = le32(dest + offset) + saddr;
            for (unsigned k = 0; k < 4; k++)
                dest[offset + k] = (uint8_t)(v >> (8 * k));
            pointers++;
            break;
        }
        case ACPI_LOADER_ADD_CHECKSUM: {
            uint8_t *data = loaded_file(l, f1, &addr, &size, b);
            uint32_t off = le32(e + 4 + ACPI_LOADER_FILE_LEN), start = le32(e + 8 + ACPI_LOADER_FILE_LEN),
                     len = le32(e + 12 + ACPI_LOADER_FILE_LEN);
            ck_assert_uint_lt(off, size);
            ck_assert_uint_le(start + len, size);
            data[off] = (uint8_t)(data[off] - acpi_sum(data + start, len));
            checksums++;
            break;
        }
        default: ck_abort_msg("unknown loader command %u", le32(e));
        }
    }
    ck_assert_uint_eq(allocs, 2);
    ck_assert_uint_eq(pointers, 5);
    ck_assert_uint_eq(checksums, 3);
    /* Everything now holds addresses, and every checksum is still right. */
    ck_assert_uint_eq(acpi_sum(l->rsdp, ACPI_RSDP_LEN), 0);
    ck_assert_uint_eq(le32(l->rsdp + 16), l->tables_addr + b->rsdt);
    const uint8_t *rsdt = l->tables + b->rsdt, *fadt = l->tables + b->fadt;
    ck_assert_uint_eq(acpi_sum(rsdt, b->rsdt_len), 0);
    ck_assert_uint_eq(le32(rsdt + 36), l->tables_addr + b->fadt);
    ck_assert_uint_eq(le32(rsdt + 40), l->tables_addr + b->madt);
    ck_assert_uint_eq(acpi_sum(fadt, ACPI_FADT_LEN), 0);
    ck_assert_uint_eq(le32(fadt + ACPI_FADT_FIRMWARE_CTRL), l->tables_addr + b->facs);
    ck_assert_uint_eq(le32(fadt + ACPI_FADT_DSDT), l->tables_addr + b->dsdt);
    ck_assert_uint_eq(acpi_sum(l->tables + b->dsdt, b->dsdt_len), 0);
    ck_assert_uint_eq(acpi_sum(l->tables + b->madt, b->madt_len), 0);
    free(l);
    free(b);
}
END_TEST

/* ---- the PM registers ---- */

static struct iobus io;
static struct vclock clk;
static struct acpi_pm pm;
static bool sci_level;
static unsigned sci_edges, power_offs;
static char err[256];

static void sci_sink(void *sink, unsigned pin, bool level)
{
    (void)sink;
    ck_assert_uint_eq(pin, 9);
    if (level && !sci_level)
        sci_edges++;
    sci_level = level;
}

static void on_power_off(void *opaque)
{
    ck_assert_ptr_eq(opaque, &pm);
    power_offs++;
}

static void pm_setup(void)
{
    iobus_init(&io);
    vclock_init(&clk);
    sci_level = false;
    sci_edges = power_offs = 0;
    struct irq_line sci = {.set_level = sci_sink, .sink = NULL, .pin = 9};
    ck_assert_int_eq(acpi_pm_attach(&pm, &io, &clk, &sci, ACPI_PM_BASE, err, sizeof err), 0);
    pm.power_off = on_power_off;
    pm.opaque = &pm;
}

#define STS (ACPI_PM_BASE + ACPI_PM_EVT_OFFSET)
#define EN (ACPI_PM_BASE + ACPI_PM_EVT_OFFSET + 2)
#define CNT (ACPI_PM_BASE + ACPI_PM_CNT_OFFSET)
#define TMR (ACPI_PM_BASE + ACPI_PM_TMR_OFFSET)

START_TEST(test_timer_rate_and_wrap)
{
    ck_assert_uint_eq(iobus_read(&io, TMR, 4), 0);
    vclock_advance(&clk, 1000000000ull); /* one second: 3579545 ticks */
    ck_assert_uint_eq(iobus_read(&io, TMR, 4), ACPI_PM_TIMER_HZ);
    vclock_advance(&clk, 1000000280ull); /* 279.4 ns per tick: one more */
    ck_assert_uint_eq(iobus_read(&io, TMR, 4), ACPI_PM_TIMER_HZ + 1);
    /* 2^24 ticks = 4.687 s: the value wraps to 0 and counts on; bits 24-31 read 0 */
    uint64_t wrap_ns = ((1ull << 24) * 1000000000ull + ACPI_PM_TIMER_HZ - 1) / ACPI_PM_TIMER_HZ;
    vclock_advance(&clk, wrap_ns);
    ck_assert_uint_eq(iobus_read(&io, TMR, 4), 0);
    vclock_advance(&clk, wrap_ns + 10000);
    uint32_t v = iobus_read(&io, TMR, 4);
    ck_assert_uint_le(v, 36);
    ck_assert_uint_ge(v, 35);
    /* an hour and more: no overflow in the conversion */
    ck_assert_uint_eq(acpi_pm_timer_at(7200ull * 1000000000ull), (uint32_t)(7200ull * ACPI_PM_TIMER_HZ) & 0xFFFFFF);
    /* byte reads assemble the same value; writes to the timer are ignored */
    vclock_advance(&clk, 6 * 1000000000ull);
    uint32_t whole = iobus_read(&io, TMR, 4), bytes = 0;
    for (unsigned k = 0; k < 4; k++)
        bytes |= iobus_read(&io, (uint16_t)(TMR + k), 1) << (8 * k);
    ck_assert_uint_eq(bytes, whole);
    iobus_write(&io, TMR, 0x12345678, 4);
    ck_assert_uint_eq(iobus_read(&io, TMR, 4), whole);
}
END_TEST

START_TEST(test_timer_status_and_sci)
{
    uint64_t half_ns = ((1ull << 23) * 1000000000ull + ACPI_PM_TIMER_HZ - 1) / ACPI_PM_TIMER_HZ,
             full_ns = ((1ull << 24) * 1000000000ull + ACPI_PM_TIMER_HZ - 1) / ACPI_PM_TIMER_HZ;
    vclock_advance(&clk, half_ns - 1000);
    ck_assert_uint_eq(iobus_read(&io, STS, 2) & ACPI_PM1_TMR, 0);
    vclock_advance(&clk, half_ns);
    ck_assert_uint_eq(iobus_read(&io, STS, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR); /* bit 23 changed */
    ck_assert(!sci_level);                                                   /* TMR_EN clear */
    iobus_write(&io, STS, ACPI_PM1_TMR, 2);                                  /* write 1 to clear */
    ck_assert_uint_eq(iobus_read(&io, STS, 2), 0);
    /* with TMR_EN an event raises the SCI when bit 23 next changes */
    iobus_write(&io, EN, ACPI_PM1_TMR, 2);
    ck_assert_uint_eq(iobus_read(&io, EN, 2), ACPI_PM1_TMR);
    ck_assert_uint_eq(vclock_next_deadline(&clk), full_ns);
    vclock_advance(&clk, full_ns - 1);
    ck_assert(!sci_level);
    vclock_advance(&clk, full_ns);
    ck_assert(sci_level);
    ck_assert_uint_eq(sci_edges, 1);
    iobus_write(&io, STS, 0xFFFF, 2);
    ck_assert(!sci_level);
    iobus_write(&io, EN, 0, 2);
    ck_assert_uint_eq(vclock_next_deadline(&clk), UINT64_MAX);
}
END_TEST

START_TEST(test_power_button)
{
    acpi_pm_press_power_button(&pm);
    ck_assert_uint_eq(iobus_read(&io, STS, 2), ACPI_PM1_PWRBTN);
    ck_assert(!sci_level);
    iobus_write(&io, EN, ACPI_PM1_PWRBTN, 2);
    ck_assert(sci_level);
    iobus_write(&io, STS + 1, ACPI_PM1_PWRBTN >> 8, 1); /* byte write of the high half clears it */
    ck_assert_uint_eq(iobus_read(&io, STS, 2), 0);
    ck_assert(!sci_level);
}
END_TEST

START_TEST(test_slp_en_powers_off)
{
    ck_assert_uint_eq(iobus_read(&io, CNT, 2), ACPI_PM1_SCI_EN); /* always in ACPI mode */
    /* another sleep type does nothing */
    iobus_write(&io, CNT, (5u << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN, 2);
    ck_assert_uint_eq(power_offs, 0);
    ck_assert_uint_eq(iobus_read(&io, CNT, 2), (5u << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SCI_EN); /* SLP_EN reads 0 */
    /* SLP_TYP first, then SLP_EN, as Linux's acpi_hw_legacy_sleep does */
    iobus_write(&io, CNT, ACPI_PM_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT, 2);
    ck_assert_uint_eq(power_offs, 0);
    iobus_write(&io, CNT, (ACPI_PM_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN, 2);
    ck_assert_uint_eq(power_offs, 1);
    ck_assert(pm.powered_off);
    /* SeaBIOS's APM power-off: one 16-bit write of SLP_EN with type 0 */
    acpi_pm_reset(&pm);
    ck_assert(!pm.powered_off);
    iobus_write(&io, CNT, 0x2000, 2);
    ck_assert_uint_eq(power_offs, 2);
    /* a byte write to the high half alone carries SLP_EN and the type */
    iobus_write(&io, CNT + 1, ACPI_PM1_SLP_EN >> 8, 1);
    ck_assert_uint_eq(power_offs, 3);
}
END_TEST

START_TEST(test_garbage_accesses)
{
    uint32_t x = 0x9E3779B9u;
    for (unsigned k = 0; k < 20000; k++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint16_t port = (uint16_t)(ACPI_PM_BASE - 4 + x % 24);
        unsigned size = 1u << ((x >> 8) % 3);
        if ((x >> 12) & 1)
            iobus_read(&io, port, size);
        else /* power-offs included: they only count here */
            iobus_write(&io, port, x * 2654435761u, size);
        vclock_advance(&clk, vclock_now(&clk) + (x >> 20));
    }
    /* still sane */
    ck_assert_uint_eq(iobus_read(&io, CNT, 2) & ACPI_PM1_SCI_EN, ACPI_PM1_SCI_EN);
    ck_assert_uint_eq(iobus_read(&io, TMR, 4) >> 24, 0);
    ck_assert_uint_eq(iobus_read(&io, ACPI_PM_BASE + 6, 2), 0); /* reserved */
    ck_assert_uint_eq(iobus_read(&io, ACPI_PM_BASE + ACPI_PM_SIZE, 1), 0xFF); /* past the block: unclaimed */
}
END_TEST

/* ---- the PC board ---- */

static struct machine *pc(bool acpi)
{
    struct machine_config cfg = {.board = BOARD_PC, .ram_bytes = 32u << 20, .model = CPU_MODEL_P6, .acpi = acpi};
    struct machine *m = machine_create(&cfg, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}

START_TEST(test_pc_board_files)
{
    struct machine *m = pc(true);
    const struct fw_cfg_item *t = fw_cfg_find_file(&m->fw_cfg, ACPI_FILE_TABLES),
                             *r = fw_cfg_find_file(&m->fw_cfg, ACPI_FILE_RSDP),
                             *l = fw_cfg_find_file(&m->fw_cfg, ACPI_FILE_LOADER);
    ck_assert(t && r && l);
    ck_assert_uint_eq(r->len, ACPI_RSDP_LEN);
    ck_assert_uint_eq(l->len % ACPI_LOADER_ENTRY_LEN, 0);
    ck_assert_int_eq(memcmp(t->data, "FACS", 4), 0);
    /* the PM registers answer, and soft-off ends the run */
    ck_assert_uint_eq(iobus_read(&m->io, CNT, 2), ACPI_PM1_SCI_EN);
    iobus_write(&m->io, CNT, ACPI_PM1_SLP_EN, 2);
    ck_assert_int_eq(machine_run(m, 1000), MACHINE_EXIT_POWEROFF);
    machine_destroy(m);

    m = pc(false);
    ck_assert_ptr_null(fw_cfg_find_file(&m->fw_cfg, ACPI_FILE_TABLES));
    ck_assert_ptr_null(fw_cfg_find_file(&m->fw_cfg, ACPI_FILE_LOADER));
    ck_assert_uint_eq(iobus_read(&m->io, CNT, 2), 0xFFFF);
    machine_destroy(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("acpi");
    TCase *tc = tcase_create("tables");
    tcase_add_test(tc, test_tables_headers_and_checksums);
    tcase_add_test(tc, test_fadt_fields);
    tcase_add_test(tc, test_madt_entries);
    tcase_add_test(tc, test_dsdt_s5_and_structure);
    tcase_add_test(tc, test_loader_script);
    suite_add_tcase(s, tc);

    tc = tcase_create("pm");
    tcase_add_checked_fixture(tc, pm_setup, NULL);
    tcase_add_test(tc, test_timer_rate_and_wrap);
    tcase_add_test(tc, test_timer_status_and_sci);
    tcase_add_test(tc, test_power_button);
    tcase_add_test(tc, test_slp_en_powers_off);
    tcase_add_test(tc, test_garbage_accesses);
    suite_add_tcase(s, tc);

    tc = tcase_create("board");
    tcase_add_test(tc, test_pc_board_files);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
