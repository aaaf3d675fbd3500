/* Physical address space: RAM, ROM and MMIO regions, the A20 gate, and the
 * bookkeeping the CPU needs for self-modifying code (which 128-byte blocks of
 * RAM hold decoded instructions).  Nothing here knows about the CPU: it is
 * told about code blocks and calls back when one is written. */
#ifndef RINGZERO_MEM_PHYSMEM_H
#define RINGZERO_MEM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHYS_PAGE_SHIFT 12
#define PHYS_PAGE_SIZE  4096u
#define PHYS_CODE_BLOCK_SHIFT 7 /* 128-byte blocks: 32 per page */

/* MEM_SHADOW: RAM with a ROM image behind it, per 16 KiB chunk reading from one
 * or the other and writing to RAM or nowhere (the PC's 0xC0000-0xFFFFF under the
 * i440FX PAM registers). */
enum mem_kind { MEM_RAM, MEM_ROM, MEM_MMIO, MEM_SHADOW };
#define SHADOW_CHUNK 0x4000u
#define SHADOW_READ_RAM 1u
#define SHADOW_WRITE_RAM 2u

/* MMIO accessors: offset is relative to the region base; size is 1, 2, 4 or 8. */
struct mmio_ops {
    uint64_t (*read)(void *dev, uint64_t offset, unsigned size);
    void (*write)(void *dev, uint64_t offset, uint64_t value, unsigned size);
};

struct mem_region {
    const char *name;
    uint64_t base, size;
    enum mem_kind kind;
    uint8_t *host;              /* RAM and ROM */
    uint32_t *code_blocks;      /* RAM: per page, bit set = 128-byte block holds decoded code */
    uint8_t *rom;               /* SHADOW: the ROM image behind the RAM */
    uint8_t *shadow_mode;       /* SHADOW: SHADOW_* bits per 16 KiB chunk */
    const struct mmio_ops *ops; /* MMIO */
    void *dev;
};

#define PHYSMEM_MAX_REGIONS 64

struct physmem {
    struct mem_region *regions[PHYSMEM_MAX_REGIONS]; /* sorted by base; each allocated once, so
                                                      * a region pointer stays valid for good */
    unsigned region_count;
    unsigned hint;      /* index of the region found last: most lookups hit it again */
    uint64_t a20_mask; /* ~(1 << 20) when the gate is closed, all ones when open */
    /* Called when decoded code in [phys, phys+len) was overwritten. */
    void (*code_written)(void *opaque, uint64_t phys, unsigned len);
    /* Called when a mapping changes (A20, region added): cached translations are stale. */
    void (*map_changed)(void *opaque);
    void *listener;
};

struct physmem *physmem_create(void);
void physmem_destroy(struct physmem *pm);

/* Each returns the region, or NULL with a message in err if it would overlap
 * another region (both are named) or the table is full. */
struct mem_region *physmem_add_ram(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                   char *err, size_t err_len);
struct mem_region *physmem_add_rom(struct physmem *pm, const char *name, uint64_t base, const uint8_t *data,
                                   uint64_t size, char *err, size_t err_len);
struct mem_region *physmem_add_mmio(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                    const struct mmio_ops *ops, void *dev, char *err, size_t err_len);

struct mem_region *physmem_add_shadow(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                      char *err, size_t err_len);
/* Copies data into the ROM image of a shadow region at an offset (clipped to the region). */
void physmem_shadow_load_rom(struct mem_region *r, uint64_t offset, const uint8_t *data, uint64_t len);
/* Sets how the 16 KiB chunks of [base, base+size) inside a shadow region read and write. */
void physmem_set_shadow(struct physmem *pm, uint64_t base, uint64_t size, unsigned mode);

/* Moves region r (RAM, ROM or MMIO; contents kept) to new_base, e.g. when a
 * PCI BAR is reprogrammed.  Returns 0, or -1 with a message if it would
 * overlap another region or wrap; the region then stays where it was.  The
 * table stays sorted: pointers to the regions between the old and the new
 * place (and to r) are stale afterwards; the others do not move. */
int physmem_move_region(struct physmem *pm, struct mem_region *r, uint64_t new_base, char *err, size_t err_len);

const struct mem_region *physmem_find(const struct physmem *pm, uint64_t phys);

void physmem_set_a20(struct physmem *pm, bool enabled);
static inline bool physmem_a20(const struct physmem *pm) { return pm->a20_mask & (1u << 20); }

/* Host pointer to the byte at phys if it is RAM (or ROM when !for_write), else NULL.
 * The pointer is valid up to the end of its 4 KiB page. */
uint8_t *physmem_host_page(const struct physmem *pm, uint64_t phys, bool for_write);

/* Byte-wise accessors for devices, loaders and the CPU's slow path. Unmapped
 * reads return all ones, unmapped writes are dropped, ROM writes are dropped.
 * Writes to RAM holding decoded code call code_written. */
uint64_t physmem_read(struct physmem *pm, uint64_t phys, unsigned size);
void physmem_write(struct physmem *pm, uint64_t phys, uint64_t value, unsigned size);
void physmem_read_block(struct physmem *pm, uint64_t phys, void *buf, size_t len);
void physmem_write_block(struct physmem *pm, uint64_t phys, const void *buf, size_t len);

/* Self-modifying-code bookkeeping. */
void physmem_mark_code(struct physmem *pm, uint64_t phys, unsigned len);
bool physmem_page_has_code(const struct physmem *pm, uint64_t phys);
/* If [phys, phys+len) touches a code block, clear those blocks and call code_written. */
void physmem_note_write(struct physmem *pm, uint64_t phys, unsigned len);

#endif
