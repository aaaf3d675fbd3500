/* ide_busmaster_test.c - Check unit tests for the PIIX3 bus-master IDE DMA
 * engine (devices/ide_busmaster.c) with ATA disks behind it (devices/ide.c),
 * driven through the I/O ports (the engine mapped at 0xC000 as the machine
 * maps BAR4), the IRQ line, the virtual clock, disk images (blockdev) and a
 * physmem RAM region holding the PRD tables and the data. */
#include "devices/ide.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ide_test_rig.h"

static void lba28(struct rig *r, uint32_t lba, uint8_t count, uint8_t unit)
{
    out(r, DEVSEL, (uint8_t)(0xE0 | unit << 4 | (lba >> 24 & 0x0F)));
    out(r, NSECT, count);
    out(r, LBAL, (uint8_t)lba);
    out(r, LBAM, (uint8_t)(lba >> 8));
    out(r, LBAH, (uint8_t)(lba >> 16));
}

static void lba48(struct rig *r, uint64_t lba, uint16_t count)
{
    out(r, DEVSEL, 0x40);
    out(r, NSECT, (uint8_t)(count >> 8));
    out(r, LBAL, (uint8_t)(lba >> 24));
    out(r, LBAM, (uint8_t)(lba >> 32));
    out(r, LBAH, (uint8_t)(lba >> 40));
    out(r, NSECT, (uint8_t)count);
    out(r, LBAL, (uint8_t)lba);
    out(r, LBAM, (uint8_t)(lba >> 8));
    out(r, LBAH, (uint8_t)(lba >> 16));
}

/* Reads `sectors` sectors of PIO data in blocks of `block`, checking DRQ and the pattern. */
/* ---- bus master DMA ----------------------------------------------------------- */

static void prd(struct rig *r, uint32_t at, uint32_t base, uint32_t count, bool eot)
{
    physmem_write(r->mem, at, base, 4);
    physmem_write(r->mem, at + 4, (count & 0xFFFF) | (eot ? IDE_BM_PRD_EOT : 0), 4);
}

static void bm_setup(struct rig *r, uint32_t table, bool to_memory)
{
    outl(r, BM + IDE_BM_PRDT, table);
    out(r, BM + IDE_BM_CMD, to_memory ? IDE_BM_CMD_TO_MEMORY : 0);
    out(r, BM + IDE_BM_STATUS, IDE_BM_ST_ERROR | IDE_BM_ST_INTR);
}

static void check_mem(struct rig *r, uint32_t at, uint64_t sector, unsigned from, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ck_assert_msg(physmem_read(r->mem, at + i, 1) == pattern(sector, from + i), "memory %x", at + i);
}

START_TEST(test_bm_registers)
{
    struct rig *r = rig_new();
    outl(r, BM + 4, 0x12345677);
    ck_assert_uint_eq(inl(r, BM + 4), 0x12345674); /* dword aligned */
    ck_assert_uint_eq(inw(r, BM + 6), 0x1234);
    ck_assert_uint_eq(in(r, BM + 0), 0);
    out(r, BM + 2, 0xFF); /* capable bits stick, active is read-only, W1C bits were clear */
    ck_assert_uint_eq(in(r, BM + 2), 0x60);
    out(r, BM + 0, 0xFF);
    ck_assert_uint_eq(in(r, BM + 0), 0x09);
    ck_assert_uint_eq(in(r, BM + 2), 0x61);
    out(r, BM + 0, 0);
    ck_assert_uint_eq(in(r, BM + 2), 0x60);
    ck_assert_uint_eq(in(r, BM + 1), 0);
    ck_assert_uint_eq(in(r, BM + 3), 0);
    /* the secondary channel's block is separate */
    out(r, BM + 8, IDE_BM_CMD_START | IDE_BM_CMD_TO_MEMORY);
    ck_assert_uint_eq(in(r, BM + 8), 0x09);
    ck_assert_uint_eq(in(r, BM + 10), IDE_BM_ST_ACTIVE);
    outl(r, BM + 12, 0xABCD0000);
    ck_assert_uint_eq(inl(r, BM + 12), 0xABCD0000);
    ck_assert_uint_eq(inl(r, BM + 4), 0x12345674);
    ck_assert_uint_eq(inl(r, BM + 0), 0x00600000); /* cmd, reserved, status, reserved */
    ide_reset(r->ide);
    ck_assert_uint_eq(inl(r, BM + 4), 0);
    ck_assert_uint_eq(in(r, BM + 2), 0);
    ck_assert_uint_eq(in(r, BM + 10), 0);
    rig_free(r);
}
END_TEST

START_TEST(test_dma_read)
{
    struct rig *r = rig_new();
    out(r, ALT, 0);
    prd(r, 0x1000, 0x2000, 512, false);
    prd(r, 0x1008, 0x10000, 1024, true);
    physmem_mark_code(r->mem, 0x10100, 16);
    bm_setup(r, 0x1000, true);
    lba28(r, 40, 3, 0);
    out(r, STATCMD, 0xC8);
    advance(r, 1000000);
    /* nothing moves before the engine starts */
    ck_assert_uint_eq(physmem_read(r->mem, 0x2000, 1), 0);
    ck_assert_uint_eq(r->irq[0].edges, 0);
    ck_assert(in(r, ALT) & IDE_ST_DRQ);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_ACTIVE);
    advance(r, 1000000);
    ck_assert_uint_eq(r->irq[0].edges, 1);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR); /* table used up exactly */
    check_mem(r, 0x2000, 40, 0, 512);
    check_mem(r, 0x10000, 41, 0, 512);
    check_mem(r, 0x10200, 42, 0, 512);
    ck_assert_uint_ge(r->code.calls, 1); /* DMA over code reached the SMC tracking */
    ck_assert(r->code.phys <= 0x10100 && 0x10100 < r->code.phys + r->code.len);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    out(r, BM + IDE_BM_STATUS, IDE_BM_ST_INTR);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), 0);
    ck_assert_uint_eq(in(r, LBAL), 42);

    /* started before the command, PRDs splitting sectors, a 64 KiB (count 0) entry,
     * LBA48, and a table longer than the data: ACTIVE stays set */
    prd(r, 0x1000, 0x20001, 300, false); /* bit 0 of the address is ignored */
    prd(r, 0x1008, 0x30000, 0, false);
    prd(r, 0x1010, 0x50000, 4096, true);
    bm_setup(r, 0x1000, true);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    lba48(r, 1000, 130);
    out(r, STATCMD, 0x25);
    advance(r, 2000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR | IDE_BM_ST_ACTIVE);
    check_mem(r, 0x20000, 1000, 0, 300);
    check_mem(r, 0x30000, 1000, 300, 212);
    check_mem(r, 0x30000 + 212, 1001, 0, 512);
    /* 300 + 65536 = 65836 bytes = sector 128 byte 300 */
    check_mem(r, 0x50000, 1128, 300, 212);
    check_mem(r, 0x50000 + 212, 1129, 0, 512);
    ck_assert_uint_eq(physmem_read(r->mem, 0x50000 + 724, 1), 0);
    out(r, BM + IDE_BM_CMD, 0);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    rig_free(r);
}
END_TEST

START_TEST(test_dma_write)
{
    struct rig *r = rig_new();
    for (unsigned i = 0; i < 1536; i++)
        physmem_write(r->mem, 0x40000 + i, (uint8_t)(i * 13 + 1), 1);
    /* three PRDs of 512, 700 and 324 bytes: sectors cut across entries */
    prd(r, 0x3000, 0x40000, 512, false);
    prd(r, 0x3008, 0x40200, 700, false);
    prd(r, 0x3010, 0x40200 + 700, 324, true);
    bm_setup(r, 0x3000, false);
    lba28(r, 77, 3, 0);
    out(r, STATCMD, 0xCA);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR);
    out(r, BM + IDE_BM_CMD, 0);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    lba28(r, 77, 3, 0);
    out(r, STATCMD, 0x20);
    for (unsigned s = 0; s < 3; s++) {
        ck_assert(wait_ready(r, ALT) & IDE_ST_DRQ);
        for (unsigned i = 0; i < 512; i += 2) {
            uint16_t w = inw(r, DATA);
            unsigned k = s * 512 + i;
            ck_assert_uint_eq(w, (uint16_t)((uint8_t)(k * 13 + 1) | (uint8_t)((k + 1) * 13 + 1) << 8));
        }
    }
    rig_free(r);
}
END_TEST

START_TEST(test_dma_bad_tables)
{
    struct rig *r = rig_new();
    out(r, ALT, 0);
    /* a table shorter than the data: error bit, the command fails */
    prd(r, 0x1000, 0x2000, 512, true);
    bm_setup(r, 0x1000, true);
    lba28(r, 10, 2, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR | IDE_BM_ST_ERROR);
    ck_assert_uint_eq(in(r, STATCMD), 0x51);
    check_mem(r, 0x2000, 10, 0, 512); /* what fitted arrived */
    out(r, BM + IDE_BM_CMD, 0);
    /* PRDs outside RAM: writes vanish, the transfer completes */
    prd(r, 0x1000, 0xE0000000u, 512, false);
    prd(r, 0x1008, 0x001FFF00u, 512, true); /* straddles the end of RAM */
    bm_setup(r, 0x1000, true);
    lba28(r, 20, 2, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR);
    check_mem(r, 0x1FFF00, 21, 0, 256);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    out(r, BM + IDE_BM_CMD, 0);
    /* the table itself outside RAM reads as all ones: one 64 KiB-2 entry with EOT at 0xFFFFFFFE */
    bm_setup(r, 0xF0000000u, true);
    lba28(r, 30, 1, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS), IDE_BM_ST_INTR | IDE_BM_ST_ACTIVE);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    out(r, BM + IDE_BM_CMD, 0);
    /* a table without EOT running through zeroed memory: 64 KiB entries at 0 until the data is done */
    for (uint32_t a = 0x100000; a < 0x100100; a += 4)
        physmem_write(r->mem, a, 0, 4);
    bm_setup(r, 0x100000, true);
    lba28(r, 0, 1, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    check_mem(r, 0, 0, 0, 512);
    out(r, BM + IDE_BM_CMD, 0);
    /* direction bit against the command: error */
    prd(r, 0x1000, 0x2000, 512, true);
    bm_setup(r, 0x1000, false);
    lba28(r, 10, 1, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(in(r, BM + IDE_BM_STATUS) & IDE_BM_ST_ERROR, IDE_BM_ST_ERROR);
    ck_assert_uint_eq(in(r, STATCMD), 0x51);
    out(r, BM + IDE_BM_CMD, 0);
    /* stopping the engine mid-way abandons the transfer; the drive waits */
    prd(r, 0x1000, 0x60000, 512, true);
    bm_setup(r, 0x1000, true);
    lba28(r, 33, 1, 0);
    out(r, STATCMD, 0xC8);
    advance(r, 10000);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    advance(r, 1000000);
    ck_assert_uint_eq(physmem_read(r->mem, 0x60000, 1), 0);
    ck_assert(in(r, ALT) & IDE_ST_DRQ);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    check_mem(r, 0x60000, 33, 0, 512);
    ck_assert_uint_eq(in(r, STATCMD), 0x50);
    rig_free(r);
}
END_TEST

START_TEST(test_dma_needs_bus_master_enable)
{
    struct rig *r = rig_new();
    struct pci_function f;
    pci_function_init(&f, "ide", 0x8086, 0x7010, 0, 0x010180, 0);
    ide_set_pci(r->ide, &f);
    prd(r, 0x1000, 0x2000, 512, true);
    bm_setup(r, 0x1000, true);
    lba28(r, 10, 1, 0);
    out(r, STATCMD, 0xC8);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    ck_assert_uint_eq(physmem_read(r->mem, 0x2000, 1), 0);
    ck_assert(in(r, ALT) & IDE_ST_DRQ);
    f.config[PCI_COMMAND] |= PCI_COMMAND_MASTER;
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY);
    out(r, BM + IDE_BM_CMD, IDE_BM_CMD_TO_MEMORY | IDE_BM_CMD_START);
    advance(r, 1000000);
    check_mem(r, 0x2000, 10, 0, 512);
    rig_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ide_busmaster");
    TCase *tc = tcase_create("registers");
    tcase_add_test(tc, test_bm_registers);
    suite_add_tcase(s, tc);

    tc = tcase_create("dma");
    tcase_add_test(tc, test_dma_read);
    tcase_add_test(tc, test_dma_write);
    tcase_add_test(tc, test_dma_bad_tables);
    tcase_add_test(tc, test_dma_needs_bus_master_enable);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
