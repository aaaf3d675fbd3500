/* Intel 82441FX PMC host bridge (see i440fx.h).
 *
 * Follows the Intel 440FX PCIset (82441FX PMC / 82442FX DBX) data sheet,
 * section 3.2 (PMC configuration registers): PCICMD/PCISTS defaults, the PAM
 * registers 59h-5Fh (3.2.18: two attribute nibbles per register, RE = bit 0/4,
 * WE = bit 1/5, PAM0's low nibble reserved, its high nibble the 64 KiB BIOS
 * area at 0xF0000) and SMRAM 72h (3.2.25: D_LCK makes D_OPEN zero and the
 * register read-only except D_CLS until reset; C_BASE_SEG hardwired to 010b).
 * The IDs, revision 02 and subsystem 1AF4:1100 are what QEMU's "pc" machine
 * presents, which is what SeaBIOS checks. */
#include "i440fx.h"

#include <string.h>

bool i440fx_pam_segment(uint8_t reg, bool high, uint32_t *base, uint32_t *size)
{
    if (reg < I440FX_PAM0 || reg >= I440FX_PAM0 + I440FX_PAM_COUNT)
        return false;
    unsigned idx = reg - I440FX_PAM0;
    if (idx == 0) {
        if (!high)
            return false;
        *base = 0xF0000;
        *size = 0x10000;
        return true;
    }
    /* PAM1 low = 0xC0000, PAM1 high = 0xC4000, PAM2 low = 0xC8000, ... */
    *base = 0xC0000 + ((idx - 1) * 2 + (high ? 1 : 0)) * 0x4000u;
    *size = 0x4000;
    return true;
}

/* Tells the machine about every PAM segment whose RE/WE bits differ from what
 * it was told last (all of them when force). */
static void report_pam(struct i440fx *h, bool force)
{
    for (unsigned i = 0; i < I440FX_PAM_COUNT; i++) {
        uint8_t reg = (uint8_t)(I440FX_PAM0 + i);
        uint8_t now = h->pci.config[reg], seen = h->pam_seen[i];
        h->pam_seen[i] = now;
        for (unsigned half = 0; half < 2; half++) {
            unsigned shift = half ? 4 : 0;
            unsigned a = (now >> shift) & 3, b = (seen >> shift) & 3;
            uint32_t base, size;
            if ((a == b && !force) || !i440fx_pam_segment(reg, half != 0, &base, &size))
                continue;
            if (h->pam_changed)
                h->pam_changed(h->opaque, base, size, a & I440FX_PAM_RE, a & I440FX_PAM_WE);
        }
    }
}

static bool i440fx_write_byte(void *dev, struct pci_function *f, uint8_t reg, uint8_t value)
{
    (void)dev;
    if (reg != I440FX_SMRAM)
        return false;
    uint8_t old = f->config[reg], now;
    if (old & I440FX_SMRAM_D_LCK) {
        now = (uint8_t)((old & ~I440FX_SMRAM_D_CLS) | (value & I440FX_SMRAM_D_CLS));
    } else {
        now = (uint8_t)((value & (I440FX_SMRAM_D_OPEN | I440FX_SMRAM_D_CLS | I440FX_SMRAM_D_LCK |
                                  I440FX_SMRAM_G_SMRAME)) |
                        I440FX_SMRAM_C_BASE);
        if (now & I440FX_SMRAM_D_LCK)
            now &= (uint8_t)~I440FX_SMRAM_D_OPEN;
    }
    f->config[reg] = now;
    return true;
}

static void i440fx_config_written(void *dev, struct pci_function *f, uint8_t reg, unsigned size)
{
    (void)f;
    if (reg + size > I440FX_PAM0 && reg < I440FX_PAM0 + I440FX_PAM_COUNT)
        report_pam(dev, false);
}

static void build_config(struct i440fx *h)
{
    struct pci_function *f = &h->pci;
    pci_function_init(f, "i440fx", I440FX_VENDOR_ID, I440FX_DEVICE_ID, I440FX_REVISION, 0x060000, 0x00);
    pci_function_set_subsystem(f, PCI_SUBVENDOR_QEMU, PCI_SUBDEVICE_QEMU);
    /* Memory access and bus master are hardwired on; parity and SERR enables are R/W. */
    pci_function_set_reg(f, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
                         PCI_COMMAND_PARITY | PCI_COMMAND_SERR);
    pci_function_set_reg(f, PCI_STATUS, 2, 0x0280, 0); /* fast back-to-back, DEVSEL medium */
    pci_function_set_reg(f, PCI_CACHE_LINE_SIZE, 1, 0, 0);
    pci_function_set_reg(f, PCI_LATENCY_TIMER, 1, 0, 0xF8);
    pci_function_set_reg(f, PCI_INTERRUPT_LINE, 1, 0, 0);
    /* DRAM and PCI control registers: stored, without effect here. */
    for (uint8_t reg = 0x50; reg <= 0x58; reg++)
        pci_function_set_reg(f, reg, 1, 0, 0xFF);
    for (uint8_t reg = 0x60; reg <= 0x67; reg++) /* DRB0-7 */
        pci_function_set_reg(f, reg, 1, 0, 0xFF);
    pci_function_set_reg(f, 0x68, 1, 0, 0xC0); /* FDHC: fixed DRAM hole */
    pci_function_set_reg(f, 0x70, 1, 0, 0xFF); /* MTT */
    pci_function_set_reg(f, 0x71, 1, 0, 0xFF); /* CLT */
    pci_function_set_reg(f, 0x90, 1, 0, 0xFF); /* ERRCMD */
    pci_function_set_w1c(f, 0x91, 1, 0xFF);    /* ERRSTS */
    pci_function_set_reg(f, I440FX_PAM0, 1, 0, 0x30);
    for (uint8_t reg = I440FX_PAM0 + 1; reg < I440FX_PAM0 + I440FX_PAM_COUNT; reg++)
        pci_function_set_reg(f, reg, 1, 0, 0x33);
    pci_function_set_reg(f, I440FX_SMRAM, 1, I440FX_SMRAM_C_BASE, 0); /* written through i440fx_write_byte */
    f->write_byte = i440fx_write_byte;
    f->config_written = i440fx_config_written;
    f->dev = h;
}

int i440fx_init(struct i440fx *h, struct pci_bus *bus,
                void (*pam_changed)(void *opaque, uint32_t base, uint32_t size, bool read_ram, bool write_ram),
                void *opaque, char *err, size_t err_len)
{
    memset(h, 0, sizeof *h);
    h->pam_changed = pam_changed;
    h->opaque = opaque;
    build_config(h);
    if (pci_bus_add(bus, &h->pci, 0, 0, err, err_len) < 0)
        return -1;
    report_pam(h, true);
    return 0;
}

void i440fx_reset(struct i440fx *h)
{
    struct pci_function keep = h->pci;
    build_config(h);
    h->pci.bus = keep.bus;
    h->pci.devfn = keep.devfn;
    h->pci.bar_changed = keep.bar_changed;
    h->pci.owner = keep.owner;
    memcpy(h->pci.map, keep.map, sizeof h->pci.map);
    pci_function_update_mappings(&h->pci);
    report_pam(h, true);
}
