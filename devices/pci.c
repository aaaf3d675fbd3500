/* PCI configuration mechanism #1 and the PCI function model (see pci.h).
 *
 * Follows the PCI Local Bus Specification rev. 2.1, section 3.7.4.1
 * (configuration mechanism #1: CONFIG_ADDRESS at 0xCF8 is claimed only by
 * dword accesses; CONFIG_DATA at 0xCFC-0xCFF takes byte, word and dword
 * accesses at any byte lane) and section 6 (configuration space header, base
 * address registers, expansion ROM base address register), and the i440FX /
 * PIIX3 data sheets for what the chipset does with the other accesses: byte
 * and word accesses to 0xCF8-0xCFB are ordinary I/O cycles, of which only 0xCF9
 * (the PIIX3 reset control register) is claimed. */
#include "pci.h"

#include <stdio.h>
#include <string.h>

static uint32_t ones(unsigned size) { return 0xFFFFFFFFu >> (32 - 8 * size); }

static uint32_t get_le(const uint8_t *p, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint32_t)p[k] << (8 * k);
    return v;
}

static void put_le(uint8_t *p, unsigned size, uint32_t v)
{
    for (unsigned k = 0; k < size; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

/* ---- the function model ------------------------------------------------- */

void pci_function_init(struct pci_function *f, const char *name, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code, uint8_t header_type)
{
    memset(f, 0, sizeof *f);
    f->name = name;
    put_le(&f->config[PCI_VENDOR_ID], 2, vendor);
    put_le(&f->config[PCI_DEVICE_ID], 2, device);
    f->config[PCI_REVISION_ID] = revision;
    put_le(&f->config[PCI_CLASS_PROG], 3, class_code);
    f->config[PCI_HEADER_TYPE] = header_type;
    put_le(&f->wmask[PCI_COMMAND], 2,
           PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
               PCI_COMMAND_INTX_DISABLE);
    /* Status bits 8 (master data parity error) and 11-15 (signaled/received
     * aborts, SERR, parity) are "write one to clear" (spec 6.2.3). */
    put_le(&f->w1cmask[PCI_STATUS], 2, 0xF900);
    f->wmask[PCI_CACHE_LINE_SIZE] = 0xFF;
    f->wmask[PCI_LATENCY_TIMER] = 0xFF;
    f->wmask[PCI_INTERRUPT_LINE] = 0xFF;
}

void pci_function_set_reg(struct pci_function *f, uint8_t reg, unsigned size, uint32_t value, uint32_t wmask)
{
    if (size == 0 || size > 4 || (unsigned)reg + size > 256)
        return;
    put_le(&f->config[reg], size, value);
    put_le(&f->wmask[reg], size, wmask);
}

void pci_function_set_w1c(struct pci_function *f, uint8_t reg, unsigned size, uint32_t mask)
{
    if (size == 0 || size > 4 || (unsigned)reg + size > 256)
        return;
    put_le(&f->w1cmask[reg], size, mask);
}

void pci_function_set_subsystem(struct pci_function *f, uint16_t vendor, uint16_t device)
{
    pci_function_set_reg(f, PCI_SUBSYSTEM_VENDOR_ID, 2, vendor, 0);
    pci_function_set_reg(f, PCI_SUBSYSTEM_ID, 2, device, 0);
}

void pci_function_set_irq_pin(struct pci_function *f, uint8_t pin)
{
    f->config[PCI_INTERRUPT_PIN] = pin <= 4 ? pin : 0;
    f->wmask[PCI_INTERRUPT_PIN] = 0;
}

static uint32_t pow2_at_least(uint32_t size, uint32_t min)
{
    uint32_t p = min;
    while (p < size && p < 0x80000000u)
        p <<= 1;
    return p;
}

void pci_function_set_bar(struct pci_function *f, unsigned n, enum pci_bar_kind kind, uint32_t size,
                          bool prefetchable)
{
    if (n >= PCI_BAR_COUNT)
        return;
    uint8_t reg = (uint8_t)(PCI_BASE_ADDRESS_0 + 4 * n);
    f->bar[n].kind = kind;
    if (kind == PCI_BAR_IO) {
        /* All 32 address bits above the size are writable, as on QEMU, so that
         * SeaBIOS's probe (~readback + 1) yields the size. */
        f->bar[n].size = pow2_at_least(size, 4);
        pci_function_set_reg(f, reg, 4, PCI_BAR_SPACE_IO, ~(f->bar[n].size - 1));
    } else if (kind == PCI_BAR_MEM32) {
        f->bar[n].size = pow2_at_least(size, 16);
        pci_function_set_reg(f, reg, 4, prefetchable ? PCI_BAR_MEM_PREFETCH : 0, ~(f->bar[n].size - 1));
    } else {
        f->bar[n].size = 0;
        pci_function_set_reg(f, reg, 4, 0, 0);
    }
}

void pci_function_set_rom(struct pci_function *f, const uint8_t *data, uint32_t len)
{
    f->rom = data;
    f->rom_len = data ? len : 0;
    f->rom_size = data ? pow2_at_least(len, 0x800) : 0;
    /* Bits 10:1 are reserved (read 0); bit 0 enables decoding. */
    pci_function_set_reg(f, PCI_ROM_ADDRESS, 4, 0, f->rom_size ? (~(f->rom_size - 1) | PCI_ROM_ENABLE) : 0);
}

uint32_t pci_rom_read(const struct pci_function *f, uint32_t offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size && k < 4; k++) {
        uint64_t o = (uint64_t)offset + k;
        uint32_t byte = o < f->rom_len ? f->rom[o] : o < f->rom_size ? 0 : 0xFF;
        v |= byte << (8 * k);
    }
    return v;
}

struct pci_bar_map pci_function_bar_map(const struct pci_function *f, unsigned n)
{
    struct pci_bar_map m = {false, 0, 0};
    uint16_t cmd = (uint16_t)get_le(&f->config[PCI_COMMAND], 2);
    uint64_t base = 0, limit = 0;
    bool enabled = false;
    if (n < PCI_BAR_COUNT) {
        uint32_t reg = get_le(&f->config[PCI_BASE_ADDRESS_0 + 4 * n], 4);
        m.size = f->bar[n].size;
        if (f->bar[n].kind == PCI_BAR_IO) {
            base = reg & ~3u & ~(m.size - 1);
            limit = 0x10000;
            enabled = cmd & PCI_COMMAND_IO;
        } else if (f->bar[n].kind == PCI_BAR_MEM32) {
            base = reg & ~15u & ~(m.size - 1);
            limit = 0xFFFFFFFFu; /* a window ending at the very top is the all-ones probe pattern */
            enabled = cmd & PCI_COMMAND_MEMORY;
        }
    } else if (n == PCI_ROM_SLOT && f->rom_size) {
        uint32_t reg = get_le(&f->config[PCI_ROM_ADDRESS], 4);
        m.size = f->rom_size;
        base = reg & ~0x7FFu & ~(m.size - 1);
        limit = 0xFFFFFFFFu;
        enabled = (cmd & PCI_COMMAND_MEMORY) && (reg & PCI_ROM_ENABLE);
    }
    /* Address 0 is where an unassigned BAR sits; never decode it. */
    if (enabled && base != 0 && base + m.size <= limit) {
        m.mapped = true;
        m.base = (uint32_t)base;
    }
    return m;
}

void pci_function_update_mappings(struct pci_function *f)
{
    for (unsigned n = 0; n <= PCI_ROM_SLOT; n++) {
        struct pci_bar_map now = pci_function_bar_map(f, n);
        struct pci_bar_map old = f->map[n];
        bool changed = old.mapped != now.mapped || (now.mapped && (old.base != now.base || old.size != now.size));
        f->map[n] = now;
        if (changed && f->bar_changed)
            f->bar_changed(f->owner, f, n, old, now);
    }
}

uint32_t pci_config_read(const struct pci_function *f, uint8_t reg, unsigned size)
{
    if (size == 0 || size > 4 || (unsigned)reg + size > 256)
        return ones(size ? size : 1);
    return get_le(&f->config[reg], size);
}

void pci_config_write(struct pci_function *f, uint8_t reg, uint32_t value, unsigned size)
{
    if (size == 0 || size > 4 || (unsigned)reg + size > 256)
        return;
    for (unsigned k = 0; k < size; k++) {
        uint8_t r = (uint8_t)(reg + k), v = (uint8_t)(value >> (8 * k));
        if (f->write_byte && f->write_byte(f->dev, f, r, v))
            continue;
        uint8_t b = (uint8_t)((f->config[r] & ~f->wmask[r]) | (v & f->wmask[r]));
        f->config[r] = (uint8_t)(b & ~(v & f->w1cmask[r]));
    }
    pci_function_update_mappings(f);
    if (f->config_written)
        f->config_written(f->dev, f, reg, size);
}

/* ---- the bus: mechanism #1 ---------------------------------------------- */

void pci_bus_init(struct pci_bus *bus) { memset(bus, 0, sizeof *bus); }

int pci_bus_add(struct pci_bus *bus, struct pci_function *f, unsigned dev, unsigned fn, char *err,
                size_t err_len)
{
    if (dev >= 32 || fn >= 8) {
        snprintf(err, err_len, "PCI function %s: bad slot %u.%u", f->name, dev, fn);
        return -1;
    }
    unsigned devfn = dev << 3 | fn;
    if (bus->devfn[devfn]) {
        snprintf(err, err_len, "PCI function %s: slot 00:%02x.%u already holds %s", f->name, dev, fn,
                 bus->devfn[devfn]->name);
        return -1;
    }
    bus->devfn[devfn] = f;
    f->bus = bus;
    f->devfn = (uint8_t)devfn;
    pci_function_update_mappings(f);
    return 0;
}

/* The function CONFIG_ADDRESS selects, or NULL (disabled, other bus, empty slot). */
static struct pci_function *selected(const struct pci_bus *bus)
{
    uint32_t a = bus->config_address;
    if (!(a & PCI_CONFIG_ENABLE) || ((a >> 16) & 0xFF) != 0)
        return NULL; /* no PCI-to-PCI bridges: nothing answers on other buses */
    return bus->devfn[(a >> 8) & 0xFF];
}

static uint32_t data_read(struct pci_bus *bus, unsigned lane, unsigned size)
{
    struct pci_function *f = selected(bus);
    if (!f)
        return ones(size); /* master abort: all ones */
    return pci_config_read(f, (uint8_t)((bus->config_address & 0xFC) + lane), size);
}

static void data_write(struct pci_bus *bus, unsigned lane, uint32_t value, unsigned size)
{
    struct pci_function *f = selected(bus);
    if (f)
        pci_config_write(f, (uint8_t)((bus->config_address & 0xFC) + lane), value, size);
}

static uint32_t pci_bus_port_read(void *dev, uint16_t offset, unsigned size)
{
    struct pci_bus *bus = dev;
    if (offset >= 4)
        return data_read(bus, offset - 4u, size);
    if (offset == 0 && size == 4)
        return bus->config_address;
    /* Not a CONFIG_ADDRESS access: byte lanes as ordinary I/O. */
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        unsigned port = offset + k;
        uint32_t byte;
        if (port >= 4)
            byte = data_read(bus, port - 4, 1);
        else if (port == 1 && bus->cf9_read)
            byte = bus->cf9_read(bus->cf9_dev);
        else
            byte = 0xFF;
        v |= (byte & 0xFF) << (8 * k);
    }
    return v;
}

static void pci_bus_port_write(void *dev, uint16_t offset, uint32_t value, unsigned size)
{
    struct pci_bus *bus = dev;
    if (offset >= 4) {
        data_write(bus, offset - 4u, value, size);
        return;
    }
    if (offset == 0 && size == 4) {
        /* Bits 30:24 and 1:0 are reserved and read back as zero. */
        bus->config_address = value & 0x80FFFFFCu;
        return;
    }
    for (unsigned k = 0; k < size; k++) {
        unsigned port = offset + k;
        uint8_t byte = (uint8_t)(value >> (8 * k));
        if (port >= 4)
            data_write(bus, port - 4, byte, 1);
        else if (port == 1 && bus->cf9_write)
            bus->cf9_write(bus->cf9_dev, byte);
    }
}

int pci_bus_attach(struct pci_bus *bus, struct iobus *io, char *err, size_t err_len)
{
    struct io_region r = {.name = "pci-config", .base = PCI_CONFIG_ADDRESS_PORT, .size = 8, .widths = 1 | 2 | 4,
                          .read = pci_bus_port_read, .write = pci_bus_port_write, .dev = bus};
    return iobus_register(io, &r, err, err_len);
}
