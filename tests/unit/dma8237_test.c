/* dma8237_test.c - Check suites for the 8237A pair and page registers
 * (devices/dma8237.c), programmed through ports 0x00-0x0F, 0xC0-0xDF and
 * 0x81-0x8F, moving data as a device does with dma8237_transfer() into a
 * physmem RAM buffer. */
#include "devices/dma8237.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define RAM_SIZE 0x100000u

struct fx {
    struct iobus bus;
    struct physmem *pm;
    struct dma8237 dma;
};

static void outb(struct fx *f, uint16_t port, uint8_t v) { iobus_write(&f->bus, port, v, 1); }
static uint8_t inb(struct fx *f, uint16_t port) { return (uint8_t)iobus_read(&f->bus, port, 1); }

static void fx_init(struct fx *f)
{
    char err[256];
    memset(f, 0, sizeof *f);
    iobus_init(&f->bus);
    f->pm = physmem_create();
    ck_assert_ptr_nonnull(f->pm);
    ck_assert_ptr_nonnull(physmem_add_ram(f->pm, "ram", 0, RAM_SIZE, err, sizeof err));
    ck_assert_msg(dma8237_attach(&f->dma, &f->bus, f->pm, err, sizeof err) == 0, "%s", err);
}

static void fx_free(struct fx *f) { physmem_destroy(f->pm); }

/* What a BIOS does first: channel 4 cascades controller 1, unmasked. */
static void open_cascade(struct fx *f)
{
    outb(f, 0xD6, 0xC0);
    outb(f, 0xD4, 0x00);
}

static const uint8_t page_port[8] = {0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A};

/* Programs an 8-bit channel (0-3) as SeaBIOS does for the floppy. */
static void program8(struct fx *f, unsigned ch, uint32_t phys, uint16_t count, uint8_t mode)
{
    outb(f, 0x0A, (uint8_t)(4 | ch));
    outb(f, 0x0C, 0);
    outb(f, (uint16_t)(ch * 2), (uint8_t)phys);
    outb(f, (uint16_t)(ch * 2), (uint8_t)(phys >> 8));
    outb(f, 0x0C, 0);
    outb(f, (uint16_t)(ch * 2 + 1), (uint8_t)count);
    outb(f, (uint16_t)(ch * 2 + 1), (uint8_t)(count >> 8));
    outb(f, 0x0B, (uint8_t)(mode | ch));
    outb(f, page_port[ch], (uint8_t)(phys >> 16));
    outb(f, 0x0A, (uint8_t)ch);
}

/* A 16-bit channel (5-7): word address and word count. */
static void program16(struct fx *f, unsigned ch, uint8_t page, uint16_t waddr, uint16_t wcount, uint8_t mode)
{
    unsigned i = ch - 4;
    outb(f, 0xD4, (uint8_t)(4 | i));
    outb(f, 0xD8, 0);
    outb(f, (uint16_t)(0xC0 + i * 4), (uint8_t)waddr);
    outb(f, (uint16_t)(0xC0 + i * 4), (uint8_t)(waddr >> 8));
    outb(f, (uint16_t)(0xC2 + i * 4), (uint8_t)wcount);
    outb(f, (uint16_t)(0xC2 + i * 4), (uint8_t)(wcount >> 8));
    outb(f, 0xD6, (uint8_t)(mode | i));
    outb(f, page_port[ch], page);
    outb(f, 0xD4, (uint8_t)i);
}

static uint16_t read16(struct fx *f, uint16_t port)
{
    uint8_t lo = inb(f, port);
    return (uint16_t)(lo | inb(f, port) << 8);
}

static void fill(uint8_t *b, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(seed + i * 13 + (i >> 8));
}

START_TEST(test_flip_flop_and_readback)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x0C, 0);
    outb(&f, 0x02, 0x34);
    outb(&f, 0x02, 0x12);
    outb(&f, 0x03, 0x78);
    outb(&f, 0x03, 0x56);
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x02), 0x1234);
    ck_assert_uint_eq(read16(&f, 0x03), 0x5678);
    /* one flip-flop for all registers: an odd access shifts the next */
    ck_assert_uint_eq(inb(&f, 0x02), 0x34);
    ck_assert_uint_eq(inb(&f, 0x03), 0x56);
    outb(&f, 0x06, 0xAA); /* now the low byte again */
    outb(&f, 0x0C, 0);
    outb(&f, 0x06, 0x11); /* clearing the flip-flop restarts at the low byte */
    outb(&f, 0x06, 0x22);
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x06), 0x2211);
    /* controller 2: word-spaced, odd ports alias the even ones */
    outb(&f, 0xD8, 0);
    outb(&f, 0xC4, 0xCD);
    outb(&f, 0xC5, 0xAB);
    outb(&f, 0xD9, 0);
    ck_assert_uint_eq(read16(&f, 0xC4), 0xABCD);
    /* page registers read back; 0x80 is not ours */
    for (unsigned p = 0x81; p <= 0x8F; p++)
        outb(&f, (uint16_t)p, (uint8_t)(p ^ 0x5A));
    for (unsigned p = 0x81; p <= 0x8F; p++)
        ck_assert_uint_eq(inb(&f, (uint16_t)p), (uint8_t)(p ^ 0x5A));
    ck_assert_uint_eq(inb(&f, 0x80), 0xFF);
    fx_free(&f);
}
END_TEST

START_TEST(test_masks_and_cascade)
{
    struct fx f;
    fx_init(&f);
    for (unsigned ch = 0; ch < 8; ch++)
        ck_assert(!dma8237_channel_ready(&f.dma, ch)); /* reset: all masked */
    ck_assert_uint_eq(inb(&f, 0x0F) & 0x0F, 0x0F);
    outb(&f, 0x0A, 0x02); /* unmask channel 2 */
    ck_assert_uint_eq(inb(&f, 0x0F) & 0x0F, 0x0B);
    ck_assert(!dma8237_channel_ready(&f.dma, 2)); /* channel 4 does not cascade yet */
    outb(&f, 0xD4, 0x00);                         /* unmasked but in demand mode */
    ck_assert(!dma8237_channel_ready(&f.dma, 2));
    outb(&f, 0xD6, 0xC0);
    ck_assert(dma8237_channel_ready(&f.dma, 2));
    ck_assert(!dma8237_channel_ready(&f.dma, 4)); /* the cascade channel never transfers */
    outb(&f, 0x08, 0x04);                         /* controller disable */
    ck_assert(!dma8237_channel_ready(&f.dma, 2));
    outb(&f, 0x08, 0x00);
    outb(&f, 0x0F, 0x0E); /* all-mask register */
    ck_assert(!dma8237_channel_ready(&f.dma, 1));
    ck_assert(dma8237_channel_ready(&f.dma, 0));
    outb(&f, 0x0E, 0); /* clear mask */
    ck_assert(dma8237_channel_ready(&f.dma, 3));
    outb(&f, 0x0B, 0xC3); /* channel 3 in cascade mode: no transfers of its own */
    ck_assert(!dma8237_channel_ready(&f.dma, 3));
    outb(&f, 0x0D, 0); /* master clear: masks set, flip-flop and temporary cleared */
    ck_assert(!dma8237_channel_ready(&f.dma, 0));
    ck_assert_uint_eq(inb(&f, 0x0D), 0);
    outb(&f, 0xDA, 0); /* controller 2 master clear closes the cascade */
    outb(&f, 0x0E, 0);
    ck_assert(!dma8237_channel_ready(&f.dma, 0));
    outb(&f, 0xDC, 0);
    outb(&f, 0xD6, 0xC0);
    ck_assert(dma8237_channel_ready(&f.dma, 0));
    ck_assert(dma8237_channel_ready(&f.dma, 6));
    fx_free(&f);
}
END_TEST

START_TEST(test_write_transfer_tc)
{
    struct fx f;
    fx_init(&f);
    open_cascade(&f);
    program8(&f, 2, 0x11000, 99, 0x46); /* single, increment, write to memory */
    uint8_t src[300], got[300];
    fill(src, sizeof src, 1);
    bool tc = true;
    ck_assert_uint_eq(dma8237_transfer_tc(&f.dma, 2, src, 40, true, &tc), 40);
    ck_assert(!tc);
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x04), 0x1000 + 40);
    ck_assert_uint_eq(read16(&f, 0x05), 59);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0F, 0); /* no TC yet */
    ck_assert_uint_eq(dma8237_transfer_tc(&f.dma, 2, src + 40, 200, true, &tc), 60); /* stops at TC */
    ck_assert(tc);
    physmem_read_block(f.pm, 0x11000, got, 101);
    ck_assert_mem_eq(got, src, 100);
    ck_assert_uint_eq(got[100], 0); /* nothing past the count */
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0F, 0x04); /* TC of channel 2 */
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0F, 0x00); /* cleared by the read */
    ck_assert(!dma8237_channel_ready(&f.dma, 2)); /* masked at TC (no autoinit) */
    ck_assert_int_eq(dma8237_transfer(&f.dma, 2, src, 10, true), 0);
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x05), 0xFFFF);
    fx_free(&f);
}
END_TEST

START_TEST(test_page_wrap_and_decrement)
{
    struct fx f;
    fx_init(&f);
    open_cascade(&f);
    uint8_t src[32], got[32];
    fill(src, sizeof src, 7);
    program8(&f, 1, 0x2FFF0, 31, 0x44); /* single mode, write */
    ck_assert_int_eq(dma8237_transfer(&f.dma, 1, src, 32, true), 32);
    physmem_read_block(f.pm, 0x2FFF0, got, 16);
    ck_assert_mem_eq(got, src, 16);
    physmem_read_block(f.pm, 0x20000, got, 16); /* wrapped within the 64 KiB page */
    ck_assert_mem_eq(got, src + 16, 16);
    ck_assert_uint_eq(physmem_read(f.pm, 0x30000, 1), 0);
    /* decrement: bytes go downwards from the start address */
    program8(&f, 3, 0x40010, 3, 0x64);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 3, src, 4, true), 4);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(physmem_read(f.pm, 0x40010 - i, 1), src[i]);
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x06), 0x000C);
    /* decrementing through 0000h wraps to FFFFh of the same page */
    program8(&f, 0, 0x50001, 3, 0x64);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 0, src, 4, true), 4);
    ck_assert_uint_eq(physmem_read(f.pm, 0x50000, 1), src[1]);
    ck_assert_uint_eq(physmem_read(f.pm, 0x5FFFF, 1), src[2]);
    ck_assert_uint_eq(physmem_read(f.pm, 0x5FFFE, 1), src[3]);
    fx_free(&f);
}
END_TEST

START_TEST(test_autoinit_and_read_transfer)
{
    struct fx f;
    fx_init(&f);
    open_cascade(&f);
    uint8_t mem[16], got[16];
    fill(mem, sizeof mem, 3);
    physmem_write_block(f.pm, 0x3000, mem, sizeof mem);
    program8(&f, 2, 0x3000, 7, 0x58); /* single, autoinit, read from memory */
    bool tc;
    ck_assert_uint_eq(dma8237_transfer_tc(&f.dma, 2, got, 16, false, &tc), 8);
    ck_assert(tc);
    ck_assert_mem_eq(got, mem, 8);
    ck_assert(dma8237_channel_ready(&f.dma, 2)); /* autoinit keeps it unmasked */
    outb(&f, 0x0C, 0);
    ck_assert_uint_eq(read16(&f, 0x04), 0x3000); /* current registers reloaded */
    ck_assert_uint_eq(read16(&f, 0x05), 7);
    memset(got, 0, sizeof got);
    ck_assert_uint_eq(dma8237_transfer_tc(&f.dma, 2, got, 4, false, &tc), 4);
    ck_assert(!tc);
    ck_assert_mem_eq(got, mem, 4);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x04, 0x04); /* the first TC is still latched */
    fx_free(&f);
}
END_TEST

START_TEST(test_16bit_channel)
{
    struct fx f;
    fx_init(&f);
    uint8_t src[64], got[64];
    fill(src, sizeof src, 9);
    /* page 03h: bit 0 is ignored, word 8000h is byte 10000h of the 128 KiB page */
    program16(&f, 5, 0x03, 0x8000, 9, 0x44);
    ck_assert(dma8237_channel_ready(&f.dma, 5));
    ck_assert_int_eq(dma8237_transfer(&f.dma, 5, src, 64, true), 20); /* 10 words */
    physmem_read_block(f.pm, 0x30000, got, 20);
    ck_assert_mem_eq(got, src, 20);
    ck_assert_uint_eq(inb(&f, 0xD0) & 0x02, 0x02); /* TC of channel 5 */
    /* the word address wraps within the 128 KiB page */
    program16(&f, 6, 0x04, 0xFFFF, 1, 0x48);
    physmem_write_block(f.pm, 0x5FFFE, "AB", 2);
    physmem_write_block(f.pm, 0x40000, "CD", 2);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 6, got, 5, false), 4); /* odd byte count: whole words only */
    ck_assert_mem_eq(got, "ABCD", 4);
    outb(&f, 0xD8, 0);
    ck_assert_uint_eq(read16(&f, 0xC8), 0x0001);
    fx_free(&f);
}
END_TEST

START_TEST(test_verify_mismatch_and_software_request)
{
    struct fx f;
    fx_init(&f);
    open_cascade(&f);
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    physmem_write_block(f.pm, 0x6000, "ZZZZZZZZ", 8);
    program8(&f, 1, 0x6000, 7, 0x40); /* verify: no memory cycles, counts still run */
    bool tc;
    ck_assert_uint_eq(dma8237_transfer_tc(&f.dma, 1, buf, 8, true, &tc), 8);
    ck_assert(tc);
    ck_assert_uint_eq(physmem_read(f.pm, 0x6000, 1), 'Z');
    /* read-type channel, device writing to memory: memory untouched */
    program8(&f, 1, 0x6000, 7, 0x48);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 1, buf, 8, true), 8);
    ck_assert_uint_eq(physmem_read(f.pm, 0x6003, 1), 'Z');
    /* software request on a masked write-type channel: runs to TC, memory sees the idle bus */
    program8(&f, 3, 0x7000, 3, 0x84); /* block mode */
    outb(&f, 0x0A, 0x07);             /* masked: software requests are not maskable */
    outb(&f, 0x09, 0x07);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(physmem_read(f.pm, 0x7000 + i, 1), 0xFF);
    ck_assert_uint_eq(physmem_read(f.pm, 0x7004, 1), 0);
    uint8_t st = inb(&f, 0x08);
    ck_assert_uint_eq(st & 0x08, 0x08); /* TC */
    ck_assert_uint_eq(st & 0x80, 0);    /* request bit cleared at TC */
    /* DREQ lines show in the status register */
    dma8237_set_dreq(&f.dma, 2, true);
    dma8237_set_dreq(&f.dma, 6, true);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xF0, 0x40);
    ck_assert_uint_eq(inb(&f, 0xD0) & 0xF0, 0x40);
    dma8237_set_dreq(&f.dma, 2, false);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xF0, 0);
    /* a request with the controller disabled waits */
    program8(&f, 0, 0x7100, 0, 0x84);
    outb(&f, 0x08, 0x04);
    outb(&f, 0x09, 0x04);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x10, 0x10);
    ck_assert_uint_eq(physmem_read(f.pm, 0x7100, 1), 0);
    outb(&f, 0x08, 0x00);
    ck_assert_uint_eq(physmem_read(f.pm, 0x7100, 1), 0xFF);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x11, 0x01);
    fx_free(&f);
}
END_TEST

START_TEST(test_bounds_and_garbage)
{
    struct fx f;
    fx_init(&f);
    open_cascade(&f);
    uint8_t buf[256];
    fill(buf, sizeof buf, 5);
    /* page FFh is far above the 1 MiB of RAM: physmem drops it, nothing breaks */
    program8(&f, 2, 0xFFFF80, 0xFFFF, 0x44);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 2, buf, sizeof buf, true), 256);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 9, buf, 4, true), 0);
    ck_assert_int_eq(dma8237_transfer(&f.dma, 2, NULL, 4, true), 0);
    for (unsigned p = 0; p < 0x10; p++) /* write garbage everywhere */
        outb(&f, (uint16_t)p, 0xFF);
    for (unsigned p = 0xC0; p < 0xE0; p++)
        outb(&f, (uint16_t)p, 0xFF);
    for (unsigned p = 0; p < 0x10; p++)
        (void)inb(&f, (uint16_t)p);
    dma8237_reset(&f.dma);
    ck_assert(!dma8237_channel_ready(&f.dma, 2));
    fx_free(&f);
}
END_TEST

static Suite *dma_suite(void)
{
    Suite *s = suite_create("dma8237");
    TCase *tc = tcase_create("registers");
    tcase_add_test(tc, test_flip_flop_and_readback);
    tcase_add_test(tc, test_masks_and_cascade);
    tcase_add_test(tc, test_bounds_and_garbage);
    suite_add_tcase(s, tc);
    tc = tcase_create("transfers");
    tcase_add_test(tc, test_write_transfer_tc);
    tcase_add_test(tc, test_page_wrap_and_decrement);
    tcase_add_test(tc, test_autoinit_and_read_transfer);
    tcase_add_test(tc, test_16bit_channel);
    tcase_add_test(tc, test_verify_mismatch_and_software_request);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dma_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
