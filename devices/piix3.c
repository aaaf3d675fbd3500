/* Intel 82371SB PIIX3: ISA bridge function and IDE function configuration
 * (see piix3.h).
 *
 * Follows the 82371FB (PIIX) / 82371SB (PIIX3) PCI ISA IDE Xcelerator data
 * sheet: section 2.2 (function 0 PCI configuration registers and their
 * power-on values: PCICMD 0007h, PCISTS 0200h, IORT 4Dh, XBCS 03h, PIRQRC[A:D]
 * 80h, TOM 02h, MBIRQ 80h, MBDMA 0Ch, PCSC 0002h, SMICNTL 08h, FTMR 0Fh),
 * 2.2.9 (PIRQRC: bit 7 disables routing, bits 3:0 select IRQ 3-7, 9-12, 14 or
 * 15, other values reserved), 2.3 (function 1: BMIBA at 20h with bit 0
 * hardwired to 1, IDETIM 40h/42h with bit 15 the channel's decode enable,
 * SIDETIM 44h) and 2.4 (the reset control register at I/O 0CF9h: SRST bit 1,
 * RCPU bit 2).  Class, IDs and subsystem 1AF4:1100 are what QEMU presents. */
#include "piix3.h"

#include <string.h>

/* ---- function 0: ISA bridge --------------------------------------------- */

static int decode_pirq(uint8_t route)
{
    if (route & PIIX3_PIRQ_DISABLE)
        return -1;
    unsigned irq = route & 0x0F;
    /* IRQ 0, 1, 2, 8 and 13 are the timer, keyboard, cascade, RTC and FPU
     * error: the router cannot steer to them. */
    if (irq < 3 || irq == 8 || irq == 13)
        return -1;
    return (int)irq;
}

int piix3_pirq_to_irq(const struct piix3 *p, unsigned pirq)
{
    if (pirq > 3)
        return -1;
    return decode_pirq(p->isa.config[PIIX3_PIRQRC + pirq]);
}

unsigned piix3_slot_pirq(unsigned slot, unsigned pin) { return (pin - 1 + slot - 1) & 3; }

static void report_pirqs(struct piix3 *p)
{
    for (unsigned i = 0; i < 4; i++) {
        int now = piix3_pirq_to_irq(p, i), old = p->pirq_seen[i];
        if (now == old)
            continue;
        p->pirq_seen[i] = now;
        if (p->pirq_routed)
            p->pirq_routed(p->opaque, i, old, now);
    }
}

static void isa_config_written(void *dev, struct pci_function *f, uint8_t reg, unsigned size)
{
    (void)f;
    if (reg + size > PIIX3_PIRQRC && reg < PIIX3_PIRQRC + 4)
        report_pirqs(dev);
}

static void build_isa(struct piix3 *p)
{
    struct pci_function *f = &p->isa;
    pci_function_init(f, "piix3-isa", PIIX3_VENDOR_ID, PIIX3_ISA_DEVICE_ID, 0x00, 0x060100,
                      PCI_HEADER_MULTI_FUNCTION);
    pci_function_set_subsystem(f, PCI_SUBVENDOR_QEMU, PCI_SUBDEVICE_QEMU);
    /* I/O, memory and bus master are hardwired on (the bridge always forwards
     * to ISA); special cycle enable is the one writable command bit. */
    pci_function_set_reg(f, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
                         PCI_COMMAND_SPECIAL);
    pci_function_set_reg(f, PCI_STATUS, 2, 0x0200, 0); /* DEVSEL medium */
    pci_function_set_w1c(f, PCI_STATUS, 2, 0x3800);    /* master/target abort bits */
    pci_function_set_reg(f, PCI_CACHE_LINE_SIZE, 1, 0, 0);
    pci_function_set_reg(f, PCI_LATENCY_TIMER, 1, 0, 0);
    pci_function_set_reg(f, PCI_INTERRUPT_LINE, 1, 0, 0);
    pci_function_set_reg(f, 0x4C, 1, 0x4D, 0xFF);   /* IORT: ISA I/O recovery timer */
    pci_function_set_reg(f, 0x4E, 2, 0x0003, 0xFFFF); /* XBCS: X-bus chip selects */
    for (uint8_t i = 0; i < 4; i++)
        pci_function_set_reg(f, (uint8_t)(PIIX3_PIRQRC + i), 1, PIIX3_PIRQ_DISABLE, 0x8F); /* 6:4 reserved */
    pci_function_set_reg(f, 0x69, 1, 0x02, 0xFF);     /* TOM: top of memory */
    pci_function_set_reg(f, 0x6A, 2, 0x0000, 0xFFFF); /* MSTAT */
    pci_function_set_reg(f, 0x70, 1, 0x80, 0xFF);     /* MBIRQ0 */
    pci_function_set_reg(f, 0x71, 1, 0x80, 0xFF);     /* MBIRQ1 */
    pci_function_set_reg(f, 0x76, 1, 0x0C, 0xFF);     /* MBDMA0 */
    pci_function_set_reg(f, 0x77, 1, 0x0C, 0xFF);     /* MBDMA1 */
    pci_function_set_reg(f, 0x78, 2, 0x0002, 0xFFFF); /* PCSC: programmable chip select */
    pci_function_set_reg(f, 0x80, 1, 0x00, 0xFF);     /* APICBASE */
    pci_function_set_reg(f, 0x82, 1, 0x00, 0xFF);     /* DLC: deterministic latency */
    pci_function_set_reg(f, 0xA0, 1, 0x08, 0xFF);     /* SMICNTL */
    pci_function_set_reg(f, 0xA2, 2, 0x0000, 0xFFFF); /* SMIEN */
    pci_function_set_reg(f, 0xA4, 4, 0, 0xFFFFFFFF);  /* SEE: system event enable */
    pci_function_set_reg(f, 0xA8, 1, 0x0F, 0xFF);     /* FTMR: fast off timer */
    pci_function_set_reg(f, 0xAA, 2, 0x0000, 0xFFFF); /* SMIREQ */
    pci_function_set_reg(f, 0xAC, 1, 0x00, 0xFF);     /* CTLTMR */
    pci_function_set_reg(f, 0xAE, 1, 0x00, 0xFF);     /* CTHTMR */
    f->config_written = isa_config_written;
    f->dev = p;
}

/* ---- function 1: IDE ---------------------------------------------------- */

bool piix3_ide_decode_enabled(const struct piix3 *p, unsigned channel)
{
    if (channel > 1 || !(p->ide.config[PCI_COMMAND] & PCI_COMMAND_IO))
        return false;
    uint8_t reg = channel ? PIIX3_IDETIM_SEC : PIIX3_IDETIM_PRI;
    return pci_config_read(&p->ide, reg, 2) & PIIX3_IDETIM_DECODE;
}

static void report_ide_decode(struct piix3 *p)
{
    for (unsigned ch = 0; ch < 2; ch++) {
        bool now = piix3_ide_decode_enabled(p, ch);
        if (now == p->ide_decode_seen[ch])
            continue;
        p->ide_decode_seen[ch] = now;
        if (p->ide_decode_changed)
            p->ide_decode_changed(p->opaque, ch, now);
    }
}

static void ide_config_written(void *dev, struct pci_function *f, uint8_t reg, unsigned size)
{
    (void)f;
    (void)reg;
    (void)size;
    report_ide_decode(dev);
}

static void build_ide(struct piix3 *p)
{
    struct pci_function *f = &p->ide;
    /* Prog-if 80h: bus master capable; bits 0-3 zero = both channels fixed in
     * compatibility mode, so BAR0-3 do not exist and read as zero. */
    pci_function_init(f, "piix3-ide", PIIX3_VENDOR_ID, PIIX3_IDE_DEVICE_ID, 0x00, 0x010180, 0x00);
    pci_function_set_subsystem(f, PCI_SUBVENDOR_QEMU, PCI_SUBDEVICE_QEMU);
    pci_function_set_reg(f, PCI_COMMAND, 2, 0, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    pci_function_set_reg(f, PCI_STATUS, 2, 0x0280, 0);
    pci_function_set_w1c(f, PCI_STATUS, 2, 0x3800);
    pci_function_set_reg(f, PCI_CACHE_LINE_SIZE, 1, 0, 0);
    pci_function_set_reg(f, PCI_LATENCY_TIMER, 1, 0, 0xF0);
    pci_function_set_bar(f, PIIX3_BMIBA_BAR, PCI_BAR_IO, PIIX3_BM_SIZE, false);
    pci_function_set_reg(f, PIIX3_IDETIM_PRI, 2, 0, 0xF3FF); /* bits 11:10 reserved */
    pci_function_set_reg(f, PIIX3_IDETIM_SEC, 2, 0, 0xF3FF);
    pci_function_set_reg(f, PIIX3_SIDETIM, 1, 0, 0xFF);
    f->config_written = ide_config_written;
    f->dev = p;
}

/* ---- reset control register (I/O 0xCF9) ---------------------------------- */

static uint8_t rcr_read(void *dev) { return ((struct piix3 *)dev)->rcr; }

static void rcr_write(void *dev, uint8_t value)
{
    struct piix3 *p = dev;
    /* RCPU does not stay set: the reset it starts clears it, so every write
     * with bit 2 set is a new request (SeaBIOS writes 02h, then 06h). */
    p->rcr = value & PIIX3_RCR_SRST;
    if ((value & PIIX3_RCR_RCPU) && p->reset_request)
        p->reset_request(p->opaque, value & PIIX3_RCR_SRST);
}

/* ---- set-up ------------------------------------------------------------- */

static void rebuild(struct pci_function *f, void (*build)(struct piix3 *), struct piix3 *p)
{
    struct pci_function keep = *f;
    build(p);
    f->bus = keep.bus;
    f->devfn = keep.devfn;
    f->bar_changed = keep.bar_changed;
    f->owner = keep.owner;
    memcpy(f->map, keep.map, sizeof f->map);
    pci_function_update_mappings(f);
}

int piix3_init(struct piix3 *p, struct pci_bus *bus, unsigned dev, char *err, size_t err_len)
{
    memset(p, 0, sizeof *p);
    for (unsigned i = 0; i < 4; i++)
        p->pirq_seen[i] = -1;
    build_isa(p);
    build_ide(p);
    if (pci_bus_add(bus, &p->isa, dev, 0, err, err_len) < 0 || pci_bus_add(bus, &p->ide, dev, 1, err, err_len) < 0)
        return -1;
    bus->cf9_read = rcr_read;
    bus->cf9_write = rcr_write;
    bus->cf9_dev = p;
    return 0;
}

void piix3_reset(struct piix3 *p)
{
    rebuild(&p->isa, build_isa, p);
    rebuild(&p->ide, build_ide, p);
    p->rcr = 0;
    report_pirqs(p);
    report_ide_decode(p);
}
