/* PCI tests: configuration mechanism #1 through ports 0xCF8-0xCFF with every
 * access width and byte lane, absent functions, the function model (read-only
 * bytes, write-one-to-clear status, BAR and ROM BAR sizing, mapping callbacks
 * on BAR and command changes, ROM contents), the i440FX host bridge (IDs, PAM
 * callbacks per register and nibble including SeaBIOS's dword sequence,
 * SMRAM lock), and the PIIX3 (IDs, PIRQ routing, IDE function, reset control
 * register at 0xCF9).  Everything goes through the I/O bus as a guest would. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/i440fx.h"
#include "devices/iobus.h"
#include "devices/pci.h"
#include "devices/piix3.h"

static struct iobus io;
static struct pci_bus bus;
static struct i440fx nb;
static struct piix3 sb;
static struct pci_function card; /* a test add-in card at 00:03.0 */
static uint8_t card_rom[3000];
static char err[256];

/* ---- event logs --------------------------------------------------------- */

struct pam_event {
    uint32_t base, size;
    bool read_ram, write_ram;
};
static struct pam_event pam_log[64];
static unsigned pam_count;

static void on_pam(void *opaque, uint32_t base, uint32_t size, bool read_ram, bool write_ram)
{
    ck_assert_ptr_eq(opaque, &nb);
    ck_assert_uint_lt(pam_count, 64);
    pam_log[pam_count++] = (struct pam_event){base, size, read_ram, write_ram};
}

struct bar_event {
    struct pci_function *f;
    unsigned bar;
    struct pci_bar_map old, now;
};
static struct bar_event bar_log[32];
static unsigned bar_count;

static void on_bar(void *owner, struct pci_function *f, unsigned bar, struct pci_bar_map old,
                   struct pci_bar_map now)
{
    ck_assert_ptr_eq(owner, &bus);
    ck_assert_uint_lt(bar_count, 32);
    bar_log[bar_count++] = (struct bar_event){f, bar, old, now};
}

struct pirq_event {
    unsigned pirq;
    int old_irq, new_irq;
};
static struct pirq_event pirq_log[16];
static unsigned pirq_count;

static void on_pirq(void *opaque, unsigned pirq, int old_irq, int new_irq)
{
    ck_assert_ptr_eq(opaque, &sb);
    ck_assert_uint_lt(pirq_count, 16);
    pirq_log[pirq_count++] = (struct pirq_event){pirq, old_irq, new_irq};
}

static int resets, hard_resets;
static void on_reset(void *opaque, bool hard)
{
    ck_assert_ptr_eq(opaque, &sb);
    resets++;
    hard_resets += hard;
}

static int decode_events;
static bool decode_state[2];
static void on_decode(void *opaque, unsigned channel, bool enabled)
{
    ck_assert_ptr_eq(opaque, &sb);
    ck_assert_uint_lt(channel, 2);
    decode_events++;
    decode_state[channel] = enabled;
}

static void setup(void)
{
    iobus_init(&io);
    pci_bus_init(&bus);
    ck_assert_int_eq(pci_bus_attach(&bus, &io, err, sizeof err), 0);
    pam_count = bar_count = pirq_count = 0;
    resets = hard_resets = decode_events = 0;
    decode_state[0] = decode_state[1] = false;
    ck_assert_int_eq(i440fx_init(&nb, &bus, on_pam, &nb, err, sizeof err), 0);
    ck_assert_int_eq(piix3_init(&sb, &bus, 1, err, sizeof err), 0);
    sb.pirq_routed = on_pirq;
    sb.reset_request = on_reset;
    sb.ide_decode_changed = on_decode;
    sb.opaque = &sb;
    sb.ide.bar_changed = on_bar;
    sb.ide.owner = &bus;

    for (unsigned i = 0; i < sizeof card_rom; i++)
        card_rom[i] = (uint8_t)(i * 7 + 1);
    card_rom[0] = 0x55;
    card_rom[1] = 0xAA;
    pci_function_init(&card, "card", 0x1234, 0x1111, 0x05, 0x030000, 0x00);
    pci_function_set_irq_pin(&card, 1);
    pci_function_set_bar(&card, 0, PCI_BAR_MEM32, 0x1000, false);
    pci_function_set_bar(&card, 1, PCI_BAR_IO, 20, false); /* rounds up to 32 */
    pci_function_set_bar(&card, 2, PCI_BAR_MEM32, 0x100000, true);
    pci_function_set_rom(&card, card_rom, sizeof card_rom);
    card.bar_changed = on_bar;
    card.owner = &bus;
    ck_assert_int_eq(pci_bus_add(&bus, &card, 3, 0, err, sizeof err), 0);
}

static void teardown(void) {}

/* ---- guest-side helpers: mechanism #1 as SeaBIOS does it ------------------ */

static uint32_t addr_of(unsigned b, unsigned d, unsigned f, unsigned reg)
{
    return PCI_CONFIG_ENABLE | b << 16 | d << 11 | f << 8 | (reg & 0xFC);
}

static uint32_t cfg_read(unsigned d, unsigned f, unsigned reg, unsigned size)
{
    iobus_write(&io, 0xCF8, addr_of(0, d, f, reg), 4);
    return iobus_read(&io, (uint16_t)(0xCFC + (reg & 3)), size);
}

static void cfg_write(unsigned d, unsigned f, unsigned reg, uint32_t value, unsigned size)
{
    iobus_write(&io, 0xCF8, addr_of(0, d, f, reg), 4);
    iobus_write(&io, (uint16_t)(0xCFC + (reg & 3)), value, size);
}

/* SeaBIOS's pci_bios_get_bar() size computation for a 32-bit BAR. */
static uint32_t probe_bar(unsigned d, unsigned f, unsigned reg)
{
    uint32_t old = cfg_read(d, f, reg, 4);
    uint32_t mask = reg == PCI_ROM_ADDRESS ? 0xFFFFF800u : (old & 1) ? 0xFFFFFFFCu : 0xFFFFFFF0u;
    cfg_write(d, f, reg, reg == PCI_ROM_ADDRESS ? mask : 0xFFFFFFFFu, 4);
    uint32_t val = cfg_read(d, f, reg, 4);
    cfg_write(d, f, reg, old, 4);
    return ~(val & mask) + 1;
}

/* ---- mechanism #1 ------------------------------------------------------- */

START_TEST(test_config_address_register)
{
    iobus_write(&io, 0xCF8, 0x80000000u, 4);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 4), 0x80000000u); /* SeaBIOS's pci_probe_host */
    iobus_write(&io, 0xCF8, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 4), 0x80FFFFFCu); /* reserved bits read 0 */
    /* Byte and word accesses to 0xCF8-0xCFB are not CONFIG_ADDRESS. */
    iobus_write(&io, 0xCF8, 0x80000000u, 4);
    iobus_write(&io, 0xCF8, 0x12, 1);
    iobus_write(&io, 0xCFA, 0x3456, 2);
    iobus_write(&io, 0xCFB, 0x01, 1);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 4), 0x80000000u);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 1), 0xFF);
    ck_assert_uint_eq(iobus_read(&io, 0xCFA, 2), 0xFFFF);
}
END_TEST

START_TEST(test_read_widths_and_lanes)
{
    ck_assert_uint_eq(cfg_read(0, 0, 0x00, 4), 0x12378086u);
    ck_assert_uint_eq(cfg_read(0, 0, 0x00, 2), 0x8086);
    ck_assert_uint_eq(cfg_read(0, 0, 0x02, 2), 0x1237);
    ck_assert_uint_eq(cfg_read(0, 0, 0x00, 1), 0x86);
    ck_assert_uint_eq(cfg_read(0, 0, 0x01, 1), 0x80);
    ck_assert_uint_eq(cfg_read(0, 0, 0x02, 1), 0x37);
    ck_assert_uint_eq(cfg_read(0, 0, 0x03, 1), 0x12);
    /* A word at lane 1 (0xCFD) reads bytes 1-2 of the dword. */
    iobus_write(&io, 0xCF8, addr_of(0, 0, 0, 0), 4);
    ck_assert_uint_eq(iobus_read(&io, 0xCFD, 2), 0x3780);
    /* A dword at 0xCFC with the low address bits set still reads the aligned dword. */
    iobus_write(&io, 0xCF8, addr_of(0, 0, 0, 0) | 3, 4);
    ck_assert_uint_eq(iobus_read(&io, 0xCFC, 4), 0x12378086u);
}
END_TEST

START_TEST(test_write_widths_and_lanes)
{
    /* Interrupt line (0x3C, lane 0) byte write; pin (lane 1) is read-only. */
    cfg_write(3, 0, 0x3C, 0x0B, 1);
    cfg_write(3, 0, 0x3D, 0x04, 1);
    ck_assert_uint_eq(cfg_read(3, 0, 0x3C, 2), 0x010B);
    /* Word write at lane 0 of 0x0C: cache line size and latency timer. */
    cfg_write(3, 0, 0x0C, 0x4010, 2);
    ck_assert_uint_eq(cfg_read(3, 0, 0x0C, 1), 0x10);
    ck_assert_uint_eq(cfg_read(3, 0, 0x0D, 1), 0x40);
    ck_assert_uint_eq(cfg_read(3, 0, 0x0E, 1), 0x00); /* header type untouched */
    /* Word write at lane 1 (0xCFD): latency timer and header type (read-only). */
    iobus_write(&io, 0xCF8, addr_of(0, 3, 0, 0x0C), 4);
    iobus_write(&io, 0xCFD, 0x8020, 2);
    ck_assert_uint_eq(cfg_read(3, 0, 0x0C, 4), 0x00002010u);
    /* Dword write of IDs and class changes nothing. */
    cfg_write(3, 0, 0x00, 0xDEADBEEF, 4);
    cfg_write(3, 0, 0x08, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(cfg_read(3, 0, 0x00, 4), 0x11111234u);
    ck_assert_uint_eq(cfg_read(3, 0, 0x08, 4), 0x03000005u);
}
END_TEST

START_TEST(test_absent_functions)
{
    unsigned sizes[3] = {1, 2, 4};
    for (unsigned s = 0; s < 3; s++) {
        uint32_t all = 0xFFFFFFFFu >> (32 - 8 * sizes[s]);
        ck_assert_uint_eq(cfg_read(5, 0, 0, sizes[s]), all);   /* empty slot */
        ck_assert_uint_eq(cfg_read(0, 1, 0, sizes[s]), all);   /* single-function device */
        ck_assert_uint_eq(cfg_read(31, 7, 0xFC, sizes[s]), all);
        iobus_write(&io, 0xCF8, PCI_CONFIG_ENABLE | 1u << 16, 4); /* bus 1 */
        ck_assert_uint_eq(iobus_read(&io, 0xCFC, sizes[s]), all);
        iobus_write(&io, 0xCF8, 0, 4); /* enable bit clear: nothing is selected */
        ck_assert_uint_eq(iobus_read(&io, 0xCFC, sizes[s]), all);
    }
    /* Writes with the enable bit clear or to empty slots go nowhere. */
    iobus_write(&io, 0xCF8, 0x00000000u | (0x59 & 0xFC), 4);
    iobus_write(&io, 0xCFD, 0x30, 1);
    cfg_write(5, 0, 0x04, 0xFFFF, 2);
    ck_assert_uint_eq(cfg_read(0, 0, 0x59, 1), 0x00);
    ck_assert_uint_eq(pam_count, 13); /* only the report at init */
}
END_TEST

START_TEST(test_status_write_one_to_clear)
{
    card.config[PCI_STATUS + 1] = 0x20 | 0x02; /* received master abort; DEVSEL medium */
    cfg_write(3, 0, PCI_STATUS, 0x0000, 2);
    ck_assert_uint_eq(cfg_read(3, 0, PCI_STATUS, 2), 0x2200);
    cfg_write(3, 0, PCI_STATUS, 0x0200, 2); /* DEVSEL timing is read-only */
    ck_assert_uint_eq(cfg_read(3, 0, PCI_STATUS, 2), 0x2200);
    cfg_write(3, 0, PCI_STATUS, 0x2000, 2);
    ck_assert_uint_eq(cfg_read(3, 0, PCI_STATUS, 2), 0x0200);
}
END_TEST

/* ---- BARs --------------------------------------------------------------- */

START_TEST(test_bar_sizing)
{
    ck_assert_uint_eq(cfg_read(3, 0, 0x10, 4), 0x00000000u);
    ck_assert_uint_eq(cfg_read(3, 0, 0x14, 4), 0x00000001u);
    ck_assert_uint_eq(cfg_read(3, 0, 0x18, 4), 0x00000008u); /* prefetchable */
    ck_assert_uint_eq(cfg_read(3, 0, 0x1C, 4), 0x00000000u); /* unimplemented */
    cfg_write(3, 0, 0x10, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(cfg_read(3, 0, 0x10, 4), 0xFFFFF000u);
    cfg_write(3, 0, 0x14, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(cfg_read(3, 0, 0x14, 4), 0xFFFFFFE1u);
    cfg_write(3, 0, 0x1C, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(cfg_read(3, 0, 0x1C, 4), 0);
    ck_assert_uint_eq(probe_bar(3, 0, 0x10), 0x1000);
    ck_assert_uint_eq(probe_bar(3, 0, 0x14), 32);
    ck_assert_uint_eq(probe_bar(3, 0, 0x18), 0x100000);
    ck_assert_uint_eq(probe_bar(3, 0, PCI_ROM_ADDRESS), 0x1000); /* 3000 bytes -> 4 KiB */
    ck_assert_uint_eq(probe_bar(1, 1, 0x20), 16);                /* PIIX3 bus-master block */
    ck_assert_uint_eq(cfg_read(3, 0, 0x10, 4), 0xFFFFF000u);     /* probe restored "old" */
    ck_assert_uint_eq(bar_count, 0);                             /* decoding never enabled */
}
END_TEST

START_TEST(test_bar_mapping_callbacks)
{
    cfg_write(3, 0, 0x10, 0xFEBF0000u, 4);
    cfg_write(3, 0, 0x14, 0xC000, 4);
    cfg_write(3, 0, 0x18, 0xFD000000u, 4);
    ck_assert_uint_eq(bar_count, 0);
    /* Memory enable maps the two memory BARs (not the ROM: its enable bit is clear). */
    cfg_write(3, 0, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    ck_assert_uint_eq(bar_count, 2);
    ck_assert_uint_eq(bar_log[0].bar, 0);
    ck_assert(!bar_log[0].old.mapped);
    ck_assert(bar_log[0].now.mapped);
    ck_assert_uint_eq(bar_log[0].now.base, 0xFEBF0000u);
    ck_assert_uint_eq(bar_log[0].now.size, 0x1000);
    ck_assert_uint_eq(bar_log[1].bar, 2);
    ck_assert_uint_eq(bar_log[1].now.base, 0xFD000000u);
    ck_assert_uint_eq(bar_log[1].now.size, 0x100000);
    ck_assert_ptr_eq(bar_log[1].f, &card);
    /* I/O enable maps the I/O BAR. */
    cfg_write(3, 0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    ck_assert_uint_eq(bar_count, 3);
    ck_assert_uint_eq(bar_log[2].bar, 1);
    ck_assert_uint_eq(bar_log[2].now.base, 0xC000);
    ck_assert_uint_eq(bar_log[2].now.size, 32);
    /* Moving a BAR while enabled: one event with old and new windows. */
    cfg_write(3, 0, 0x14, 0xC041, 4); /* low bits below the size are ignored */
    ck_assert_uint_eq(bar_count, 4);
    ck_assert_uint_eq(bar_log[3].old.base, 0xC000);
    ck_assert(bar_log[3].old.mapped && bar_log[3].now.mapped);
    ck_assert_uint_eq(bar_log[3].now.base, 0xC040);
    ck_assert_uint_eq(cfg_read(3, 0, 0x14, 4), 0xC041);
    /* Rewriting the same value is not a change. */
    cfg_write(3, 0, 0x14, 0xC040, 4);
    cfg_write(3, 0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);
    ck_assert_uint_eq(bar_count, 4);
    /* The all-ones probe with decoding on unmaps (window at the top / past 64K), restoring remaps. */
    cfg_write(3, 0, 0x10, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(bar_count, 5);
    ck_assert(!bar_log[4].now.mapped);
    ck_assert_uint_eq(bar_log[4].old.base, 0xFEBF0000u);
    cfg_write(3, 0, 0x10, 0xFEBF0000u, 4);
    ck_assert_uint_eq(bar_count, 6);
    ck_assert(bar_log[5].now.mapped);
    /* An I/O window running past 0xFFFF is not decoded. */
    cfg_write(3, 0, 0x14, 0x10000, 4);
    ck_assert_uint_eq(bar_count, 7);
    ck_assert(!bar_log[6].now.mapped);
    cfg_write(3, 0, 0x14, 0xFFE0, 4);
    ck_assert_uint_eq(bar_count, 8);
    ck_assert(bar_log[7].now.mapped);
    ck_assert_uint_eq(bar_log[7].now.base, 0xFFE0);
    /* Address 0 is never decoded. */
    cfg_write(3, 0, 0x18, 0, 4);
    ck_assert_uint_eq(bar_count, 9);
    ck_assert_uint_eq(bar_log[8].bar, 2);
    ck_assert(!bar_log[8].now.mapped);
    /* Disabling memory unmaps BAR0; disabling I/O unmaps BAR1. */
    cfg_write(3, 0, PCI_COMMAND, PCI_COMMAND_IO, 2);
    ck_assert_uint_eq(bar_count, 10);
    ck_assert_uint_eq(bar_log[9].bar, 0);
    ck_assert(!bar_log[9].now.mapped);
    ck_assert_uint_eq(bar_log[9].old.base, 0xFEBF0000u);
    cfg_write(3, 0, PCI_COMMAND, 0, 2);
    ck_assert_uint_eq(bar_count, 11);
    ck_assert_uint_eq(bar_log[10].bar, 1);
    ck_assert(!bar_log[10].now.mapped);
    struct pci_bar_map m = pci_function_bar_map(&card, 1);
    ck_assert(!m.mapped);
}
END_TEST

START_TEST(test_rom_bar)
{
    ck_assert_uint_eq(cfg_read(3, 0, PCI_ROM_ADDRESS, 4), 0);
    cfg_write(3, 0, PCI_ROM_ADDRESS, 0xFFFFFFFF, 4);
    ck_assert_uint_eq(cfg_read(3, 0, PCI_ROM_ADDRESS, 4), 0xFFFFF001u); /* bits 10:1 reserved */
    cfg_write(3, 0, PCI_ROM_ADDRESS, 0xFEB80000u, 4);
    cfg_write(3, 0, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    ck_assert_uint_eq(bar_count, 0); /* BAR0 and BAR2 are at 0; ROM not enabled */
    cfg_write(3, 0, PCI_ROM_ADDRESS, 0xFEB80001u, 4);
    ck_assert_uint_eq(bar_count, 1);
    ck_assert_uint_eq(bar_log[0].bar, PCI_ROM_SLOT);
    ck_assert(bar_log[0].now.mapped);
    ck_assert_uint_eq(bar_log[0].now.base, 0xFEB80000u);
    ck_assert_uint_eq(bar_log[0].now.size, 0x1000);
    /* What the owner's MMIO handler returns for the window. */
    ck_assert_uint_eq(pci_rom_read(&card, 0, 2), 0xAA55);
    ck_assert_uint_eq(pci_rom_read(&card, 100, 1), card_rom[100]);
    ck_assert_uint_eq(pci_rom_read(&card, 2996, 4),
                      card_rom[2996] | card_rom[2997] << 8 | (uint32_t)card_rom[2998] << 16 |
                          (uint32_t)card_rom[2999] << 24);
    ck_assert_uint_eq(pci_rom_read(&card, 2998, 4), card_rom[2998] | card_rom[2999] << 8); /* zero padding */
    ck_assert_uint_eq(pci_rom_read(&card, 0xFFE, 4), 0xFFFF0000u); /* past the BAR */
    ck_assert_uint_eq(pci_rom_read(&card, 0xFFFFFFFFu, 2), 0xFFFF);
    /* ROM enable off unmaps. */
    cfg_write(3, 0, PCI_ROM_ADDRESS, 0xFEB80000u, 4);
    ck_assert_uint_eq(bar_count, 2);
    ck_assert(!bar_log[1].now.mapped);
}
END_TEST

/* ---- i440FX ------------------------------------------------------------- */

START_TEST(test_i440fx_ids)
{
    ck_assert_uint_eq(cfg_read(0, 0, 0x08, 4), 0x06000002u);
    ck_assert_uint_eq(cfg_read(0, 0, 0x0E, 1), 0x00);
    ck_assert_uint_eq(cfg_read(0, 0, 0x2C, 4), 0x11001AF4u); /* SeaBIOS's QEMU check */
    ck_assert_uint_eq(cfg_read(0, 0, 0x04, 2), 0x0006);
    ck_assert_uint_eq(cfg_read(0, 0, 0x06, 2), 0x0280);
    cfg_write(0, 0, 0x04, 0xFFFF, 2);
    ck_assert_uint_eq(cfg_read(0, 0, 0x04, 2), 0x0146);
    ck_assert_uint_eq(cfg_read(0, 0, 0x3D, 1), 0); /* no interrupt pin */
    ck_assert_uint_eq(cfg_read(0, 0, 0x10, 4), 0);  /* no BARs */
}
END_TEST

START_TEST(test_pam_power_on_report)
{
    ck_assert_uint_eq(pam_count, 13);
    uint32_t covered = 0;
    for (unsigned i = 0; i < 13; i++) {
        ck_assert(!pam_log[i].read_ram && !pam_log[i].write_ram);
        covered += pam_log[i].size;
        ck_assert_uint_ge(pam_log[i].base, 0xC0000);
        ck_assert_uint_le(pam_log[i].base + pam_log[i].size, 0x100000);
    }
    ck_assert_uint_eq(covered, 0x40000);
    for (unsigned r = 0x59; r <= 0x5F; r++)
        ck_assert_uint_eq(cfg_read(0, 0, r, 1), 0);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x02);
}
END_TEST

START_TEST(test_pam_each_register_and_nibble)
{
    for (unsigned reg = 0x59; reg <= 0x5F; reg++) {
        for (unsigned high = 0; high < 2; high++) {
            for (unsigned attr = 1; attr <= 3; attr++) {
                pam_count = 0;
                cfg_write(0, 0, reg, attr << (high * 4), 1);
                if (reg == 0x59 && !high) {
                    ck_assert_uint_eq(pam_count, 0); /* reserved nibble */
                    ck_assert_uint_eq(cfg_read(0, 0, reg, 1), 0);
                    continue;
                }
                uint32_t base = reg == 0x59 ? 0xF0000 : 0xC0000 + ((reg - 0x5A) * 2 + high) * 0x4000;
                uint32_t size = reg == 0x59 ? 0x10000 : 0x4000;
                /* Moving to the high nibble turns off the low one the previous round left at 3. */
                bool low_turns_off = high && attr == 1 && reg != 0x59;
                ck_assert_uint_eq(cfg_read(0, 0, reg, 1), attr << (high * 4));
                ck_assert_uint_eq(pam_count, low_turns_off ? 2 : 1);
                const struct pam_event *e = &pam_log[0];
                if (low_turns_off) {
                    e = &pam_log[1];
                    ck_assert(!pam_log[0].read_ram && !pam_log[0].write_ram);
                }
                ck_assert_uint_eq(e->base, base);
                ck_assert_uint_eq(e->size, size);
                ck_assert_int_eq(e->read_ram, (attr & 1) != 0);
                ck_assert_int_eq(e->write_ram, (attr & 2) != 0);
            }
        }
        cfg_write(0, 0, reg, 0, 1);
    }
    /* Cache-enable bits 2 and 6 are reserved on the 82441FX. */
    pam_count = 0;
    cfg_write(0, 0, 0x5A, 0xFF, 1);
    ck_assert_uint_eq(cfg_read(0, 0, 0x5A, 1), 0x33);
    ck_assert_uint_eq(pam_count, 2);
    /* Writing the same value again reports nothing. */
    cfg_write(0, 0, 0x5A, 0x33, 1);
    ck_assert_uint_eq(pam_count, 2);
}
END_TEST

START_TEST(test_pam_seabios_sequence)
{
    /* make_bios_writable: dwords at 0x58 and 0x5C, PAM1-6 = 0x33, PAM0 = 0x30. */
    uint32_t lo = cfg_read(0, 0, 0x58, 4), hi = cfg_read(0, 0, 0x5C, 4);
    ck_assert_uint_eq(lo, 0);
    ck_assert_uint_eq(hi, 0);
    pam_count = 0;
    cfg_write(0, 0, 0x58, 0x33333000u, 4);
    cfg_write(0, 0, 0x5C, 0x33333333u, 4);
    ck_assert_uint_eq(pam_count, 13);
    for (unsigned i = 0; i < 13; i++)
        ck_assert(pam_log[i].read_ram && pam_log[i].write_ram);
    ck_assert_uint_eq(cfg_read(0, 0, 0x58, 4), 0x33333000u);
    ck_assert_uint_eq(cfg_read(0, 0, 0x5C, 4), 0x33333333u);
    /* make_bios_readonly: 0xC0000-0xC7FFF read-only RAM, 0xC8000 on writable, F segment read-only. */
    pam_count = 0;
    cfg_write(0, 0, 0x58, 0x33111000u, 4);
    cfg_write(0, 0, 0x5C, 0x33333333u, 4);
    ck_assert_uint_eq(pam_count, 3);
    ck_assert_uint_eq(pam_log[0].base, 0xF0000);
    ck_assert(pam_log[0].read_ram && !pam_log[0].write_ram);
    ck_assert_uint_eq(pam_log[1].base, 0xC0000);
    ck_assert_uint_eq(pam_log[2].base, 0xC4000);
    ck_assert(pam_log[2].read_ram && !pam_log[2].write_ram);
    /* DRAM timing (0x58) is stored. */
    ck_assert_uint_eq(cfg_read(0, 0, 0x58, 1), 0x00);
    cfg_write(0, 0, 0x58, 0x15, 1);
    ck_assert_uint_eq(cfg_read(0, 0, 0x58, 1), 0x15);
}
END_TEST

START_TEST(test_smram)
{
    cfg_write(0, 0, I440FX_SMRAM, 0xEF, 1);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x6A); /* bit 7 reserved, C_BASE fixed 010 */
    cfg_write(0, 0, I440FX_SMRAM, 0x48, 1);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x4A);
    /* Setting D_LCK clears D_OPEN; afterwards only D_CLS can change. */
    cfg_write(0, 0, I440FX_SMRAM, 0x58, 1);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x1A);
    cfg_write(0, 0, I440FX_SMRAM, 0x40, 1);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x1A);
    cfg_write(0, 0, I440FX_SMRAM, 0x20, 1);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x3A);
    /* Reset unlocks and restores PAM, reporting every segment. */
    cfg_write(0, 0, 0x5F, 0x33, 1);
    pam_count = 0;
    i440fx_reset(&nb);
    ck_assert_uint_eq(cfg_read(0, 0, I440FX_SMRAM, 1), 0x02);
    ck_assert_uint_eq(cfg_read(0, 0, 0x5F, 1), 0x00);
    ck_assert_uint_eq(pam_count, 13);
    ck_assert_uint_eq(cfg_read(0, 0, 0x00, 4), 0x12378086u);
}
END_TEST

/* ---- PIIX3 -------------------------------------------------------------- */

START_TEST(test_piix3_ids)
{
    ck_assert_uint_eq(cfg_read(1, 0, 0x00, 4), 0x70008086u);
    ck_assert_uint_eq(cfg_read(1, 0, 0x08, 4), 0x06010000u);
    ck_assert_uint_eq(cfg_read(1, 0, 0x0E, 1), 0x80); /* multi-function */
    ck_assert_uint_eq(cfg_read(1, 0, 0x04, 2), 0x0007);
    ck_assert_uint_eq(cfg_read(1, 0, 0x4C, 1), 0x4D);
    ck_assert_uint_eq(cfg_read(1, 0, 0x2C, 4), 0x11001AF4u);
    ck_assert_uint_eq(cfg_read(1, 1, 0x00, 4), 0x70108086u);
    ck_assert_uint_eq(cfg_read(1, 1, 0x08, 4), 0x01018000u); /* IDE, prog-if 80h, rev 0 */
    ck_assert_uint_eq(cfg_read(1, 1, 0x0E, 1), 0x00);
    ck_assert_uint_eq(cfg_read(1, 1, 0x20, 4), 0x00000001u);
    for (unsigned reg = 0x10; reg < 0x20; reg += 4) /* compatibility mode: no BAR0-3 */
        ck_assert_uint_eq(cfg_read(1, 1, reg, 4), 0);
    ck_assert_uint_eq(cfg_read(1, 1, 0x3D, 1), 0); /* legacy IRQ 14/15, no INTx pin */
    ck_assert_uint_eq(cfg_read(1, 2, 0x00, 4), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_pirq_routing)
{
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(cfg_read(1, 0, 0x60 + i, 1), 0x80);
        ck_assert_int_eq(piix3_pirq_to_irq(&sb, i), -1);
    }
    /* SeaBIOS's piix_isa_bridge_setup: 10, 10, 11, 11 with byte writes. */
    static const uint8_t irqs[4] = {10, 10, 11, 11};
    for (unsigned i = 0; i < 4; i++)
        cfg_write(1, 0, 0x60 + i, irqs[i], 1);
    ck_assert_uint_eq(pirq_count, 4);
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_int_eq(piix3_pirq_to_irq(&sb, i), irqs[i]);
        ck_assert_uint_eq(pirq_log[i].pirq, i);
        ck_assert_int_eq(pirq_log[i].old_irq, -1);
        ck_assert_int_eq(pirq_log[i].new_irq, irqs[i]);
    }
    ck_assert_uint_eq(cfg_read(1, 0, 0x60, 4), 0x0B0B0A0Au);
    /* A dword write; bits 6:4 are reserved. */
    pirq_count = 0;
    cfg_write(1, 0, 0x60, 0x8F7B0305u, 4);
    ck_assert_uint_eq(cfg_read(1, 0, 0x60, 4), 0x8F0B0305u);
    ck_assert_int_eq(piix3_pirq_to_irq(&sb, 0), 5);
    ck_assert_int_eq(piix3_pirq_to_irq(&sb, 1), 3);
    ck_assert_int_eq(piix3_pirq_to_irq(&sb, 2), 11);
    ck_assert_int_eq(piix3_pirq_to_irq(&sb, 3), -1); /* disabled */
    ck_assert_uint_eq(pirq_count, 3);                /* C stayed at 11 */
    ck_assert_int_eq(pirq_log[2].pirq, 3);
    ck_assert_int_eq(pirq_log[2].old_irq, 11);
    ck_assert_int_eq(pirq_log[2].new_irq, -1);
    /* Reserved IRQ numbers do not route. */
    static const uint8_t bad[5] = {0, 1, 2, 8, 13};
    for (unsigned k = 0; k < 5; k++) {
        cfg_write(1, 0, 0x61, bad[k], 1);
        ck_assert_int_eq(piix3_pirq_to_irq(&sb, 1), -1);
    }
    static const uint8_t good[11] = {3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15};
    for (unsigned k = 0; k < 11; k++) {
        cfg_write(1, 0, 0x61, good[k], 1);
        ck_assert_int_eq(piix3_pirq_to_irq(&sb, 1), good[k]);
    }
    ck_assert_int_eq(piix3_pirq_to_irq(&sb, 4), -1);
    /* QEMU's board swizzle, as SeaBIOS's piix_pci_slot_get_irq assumes. */
    ck_assert_uint_eq(piix3_slot_pirq(1, 1), 0);
    ck_assert_uint_eq(piix3_slot_pirq(2, 1), 1);
    ck_assert_uint_eq(piix3_slot_pirq(3, 1), 2);
    ck_assert_uint_eq(piix3_slot_pirq(3, 2), 3);
    ck_assert_uint_eq(piix3_slot_pirq(4, 1), 3);
    ck_assert_uint_eq(piix3_slot_pirq(5, 1), 0);
    ck_assert_uint_eq(piix3_slot_pirq(0, 1), 3);
    /* Reset restores the disabled routing and reports it. */
    pirq_count = 0;
    piix3_reset(&sb);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(piix3_pirq_to_irq(&sb, i), -1);
    ck_assert_uint_eq(pirq_count, 3);
}
END_TEST

START_TEST(test_ide_function)
{
    /* SeaBIOS's piix_ide_setup, then the command register. */
    cfg_write(1, 1, 0x40, 0x8000, 2);
    cfg_write(1, 1, 0x42, 0x8000, 2);
    ck_assert_int_eq(decode_events, 0); /* I/O space still disabled */
    ck_assert(!piix3_ide_decode_enabled(&sb, 0));
    cfg_write(1, 1, PCI_COMMAND, 0xFFFF, 2);
    ck_assert_uint_eq(cfg_read(1, 1, PCI_COMMAND, 2), 0x0005); /* I/O and bus master only */
    ck_assert_int_eq(decode_events, 2);
    ck_assert(decode_state[0] && decode_state[1]);
    ck_assert(piix3_ide_decode_enabled(&sb, 0) && piix3_ide_decode_enabled(&sb, 1));
    ck_assert(!piix3_ide_decode_enabled(&sb, 2));
    /* Timing registers are stored (bits 11:10 reserved); bit 15 gates a channel. */
    cfg_write(1, 1, 0x40, 0xFFFF7FFFu, 4);
    ck_assert_uint_eq(cfg_read(1, 1, 0x40, 4), 0xF3FF73FFu);
    ck_assert_int_eq(decode_events, 3);
    ck_assert(!decode_state[0] && decode_state[1]);
    cfg_write(1, 1, 0x44, 0xA5, 1);
    ck_assert_uint_eq(cfg_read(1, 1, 0x44, 1), 0xA5);
    /* BAR4: the bus-master block maps when I/O space is on. */
    ck_assert_uint_eq(bar_count, 0);
    cfg_write(1, 1, 0x20, 0xC0C1, 4);
    ck_assert_uint_eq(cfg_read(1, 1, 0x20, 4), 0xC0C1);
    ck_assert_uint_eq(bar_count, 1);
    ck_assert_ptr_eq(bar_log[0].f, &sb.ide);
    ck_assert_uint_eq(bar_log[0].bar, PIIX3_BMIBA_BAR);
    ck_assert(bar_log[0].now.mapped);
    ck_assert_uint_eq(bar_log[0].now.base, 0xC0C0);
    ck_assert_uint_eq(bar_log[0].now.size, 16);
    cfg_write(1, 1, PCI_COMMAND, 0, 2);
    ck_assert_uint_eq(bar_count, 2);
    ck_assert(!bar_log[1].now.mapped);
    ck_assert(!piix3_ide_decode_enabled(&sb, 1));
}
END_TEST

START_TEST(test_reset_control_register)
{
    ck_assert_uint_eq(iobus_read(&io, 0xCF9, 1), 0x00);
    iobus_write(&io, 0xCF9, 0x02, 1);
    ck_assert_int_eq(resets, 0);
    ck_assert_uint_eq(iobus_read(&io, 0xCF9, 1), 0x02);
    iobus_write(&io, 0xCF9, 0x06, 1); /* SeaBIOS's pci_reboot: hard reset */
    ck_assert_int_eq(resets, 1);
    ck_assert_int_eq(hard_resets, 1);
    iobus_write(&io, 0xCF9, 0x04, 1); /* soft reset */
    ck_assert_int_eq(resets, 2);
    ck_assert_int_eq(hard_resets, 1);
    ck_assert_uint_eq(iobus_read(&io, 0xCF9, 1), 0x00);
    /* The 0xCF9 lane of a word write reaches the register too; CONFIG_ADDRESS is untouched. */
    iobus_write(&io, 0xCF8, 0x80000000u, 4);
    iobus_write(&io, 0xCF8, 0x0200, 2);
    ck_assert_uint_eq(iobus_read(&io, 0xCF9, 1), 0x02);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 4), 0x80000000u);
    ck_assert_uint_eq(iobus_read(&io, 0xCF8, 2), 0x02FF);
    ck_assert_int_eq(resets, 2);
}
END_TEST

START_TEST(test_bus_add_errors)
{
    struct pci_function extra;
    pci_function_init(&extra, "extra", 0x1234, 0x2222, 0, 0xFF0000, 0);
    ck_assert_int_eq(pci_bus_add(&bus, &extra, 0, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "i440fx"));
    ck_assert_int_eq(pci_bus_add(&bus, &extra, 32, 0, err, sizeof err), -1);
    ck_assert_int_eq(pci_bus_add(&bus, &extra, 4, 8, err, sizeof err), -1);
    ck_assert_int_eq(pci_bus_add(&bus, &extra, 4, 0, err, sizeof err), 0);
    ck_assert_uint_eq(cfg_read(4, 0, 0, 4), 0x22221234u);
    /* The same ports cannot be claimed twice. */
    ck_assert_int_eq(pci_bus_attach(&bus, &io, err, sizeof err), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pci");
    TCase *tc = tcase_create("mechanism1");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_address_register);
    tcase_add_test(tc, test_read_widths_and_lanes);
    tcase_add_test(tc, test_write_widths_and_lanes);
    tcase_add_test(tc, test_absent_functions);
    tcase_add_test(tc, test_status_write_one_to_clear);
    tcase_add_test(tc, test_bus_add_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("bars");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_bar_sizing);
    tcase_add_test(tc, test_bar_mapping_callbacks);
    tcase_add_test(tc, test_rom_bar);
    suite_add_tcase(s, tc);

    tc = tcase_create("i440fx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_i440fx_ids);
    tcase_add_test(tc, test_pam_power_on_report);
    tcase_add_test(tc, test_pam_each_register_and_nibble);
    tcase_add_test(tc, test_pam_seabios_sequence);
    tcase_add_test(tc, test_smram);
    suite_add_tcase(s, tc);

    tc = tcase_create("piix3");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_piix3_ids);
    tcase_add_test(tc, test_pirq_routing);
    tcase_add_test(tc, test_ide_function);
    tcase_add_test(tc, test_reset_control_register);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
