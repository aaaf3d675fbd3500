/* Physical address space: a small sorted table of RAM, ROM and MMIO regions.
 * The CPU caches host pointers for RAM and ROM pages in its TLB, so lookups
 * here are on the slow path only.  Unmapped space reads as all ones and
 * ignores writes, as an open PC bus does. */
#include "physmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct physmem *physmem_create(void)
{
    struct physmem *pm = calloc(1, sizeof *pm);
    if (pm)
        pm->a20_mask = ~0ull;
    return pm;
}

void physmem_destroy(struct physmem *pm)
{
    if (!pm)
        return;
    for (unsigned i = 0; i < pm->region_count; i++) {
        free(pm->regions[i]->host);
        free(pm->regions[i]->code_blocks);
        free(pm->regions[i]->rom);
        free(pm->regions[i]->shadow_mode);
        free(pm->regions[i]);
    }
    free(pm);
}

static void notify_map_changed(struct physmem *pm)
{
    if (pm->map_changed)
        pm->map_changed(pm->listener);
}

static struct mem_region *insert_region(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                        char *err, size_t err_len)
{
    if (size == 0 || base + size < base) {
        snprintf(err, err_len, "region %s: bad size 0x%llx at 0x%llx", name, (unsigned long long)size,
                 (unsigned long long)base);
        return NULL;
    }
    if (pm->region_count == PHYSMEM_MAX_REGIONS) {
        snprintf(err, err_len, "region %s: too many memory regions", name);
        return NULL;
    }
    unsigned pos = 0;
    for (unsigned i = 0; i < pm->region_count; i++) {
        const struct mem_region *r = pm->regions[i];
        if (base < r->base + r->size && r->base < base + size) {
            snprintf(err, err_len, "region %s [0x%llx-0x%llx] overlaps %s [0x%llx-0x%llx]", name,
                     (unsigned long long)base, (unsigned long long)(base + size - 1), r->name,
                     (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1));
            return NULL;
        }
        if (r->base < base)
            pos = i + 1;
    }
    struct mem_region *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "region %s: out of memory", name);
        return NULL;
    }
    memmove(&pm->regions[pos + 1], &pm->regions[pos], (pm->region_count - pos) * sizeof pm->regions[0]);
    pm->region_count++;
    pm->regions[pos] = r;
    r->name = name;
    r->base = base;
    r->size = size;
    return r;
}

static void remove_region(struct physmem *pm, struct mem_region *r)
{
    unsigned pos = 0;
    while (pos < pm->region_count && pm->regions[pos] != r)
        pos++;
    if (pos == pm->region_count)
        return;
    memmove(&pm->regions[pos], &pm->regions[pos + 1], (pm->region_count - pos - 1) * sizeof pm->regions[0]);
    pm->region_count--;
    free(r);
}

struct mem_region *physmem_add_ram(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                   char *err, size_t err_len)
{
    if ((base | size) & (PHYS_PAGE_SIZE - 1)) {
        snprintf(err, err_len, "RAM region %s must be page aligned", name);
        return NULL;
    }
    struct mem_region *r = insert_region(pm, name, base, size, err, err_len);
    if (!r)
        return NULL;
    r->kind = MEM_RAM;
    r->host = calloc(1, size);
    r->code_blocks = calloc(size >> PHYS_PAGE_SHIFT, sizeof *r->code_blocks);
    if (!r->host || !r->code_blocks) {
        free(r->host);
        free(r->code_blocks);
        remove_region(pm, r);
        snprintf(err, err_len, "RAM region %s: cannot allocate %llu bytes", name, (unsigned long long)size);
        return NULL;
    }
    notify_map_changed(pm);
    return r;
}

struct mem_region *physmem_add_rom(struct physmem *pm, const char *name, uint64_t base, const uint8_t *data,
                                   uint64_t size, char *err, size_t err_len)
{
    struct mem_region *r = insert_region(pm, name, base, size, err, err_len);
    if (!r)
        return NULL;
    r->kind = MEM_ROM;
    /* Round the copy up to whole pages so a page-sized host view never runs off the end. */
    uint64_t alloc = (size + PHYS_PAGE_SIZE - 1) & ~(uint64_t)(PHYS_PAGE_SIZE - 1);
    r->host = malloc(alloc);
    if (!r->host) {
        remove_region(pm, r);
        snprintf(err, err_len, "ROM region %s: cannot allocate %llu bytes", name, (unsigned long long)size);
        return NULL;
    }
    memset(r->host, 0xFF, alloc);
    memcpy(r->host, data, size);
    notify_map_changed(pm);
    return r;
}

struct mem_region *physmem_add_shadow(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                      char *err, size_t err_len)
{
    if ((base | size) & (SHADOW_CHUNK - 1)) {
        snprintf(err, err_len, "shadow region %s must be aligned to 16 KiB", name);
        return NULL;
    }
    struct mem_region *r = insert_region(pm, name, base, size, err, err_len);
    if (!r)
        return NULL;
    r->kind = MEM_SHADOW;
    r->host = calloc(1, size);
    r->rom = malloc(size);
    r->code_blocks = calloc(size >> PHYS_PAGE_SHIFT, sizeof *r->code_blocks);
    r->shadow_mode = calloc(size / SHADOW_CHUNK, 1); /* power-on: reads from ROM, writes dropped */
    if (!r->host || !r->rom || !r->code_blocks || !r->shadow_mode) {
        free(r->host);
        free(r->rom);
        free(r->code_blocks);
        free(r->shadow_mode);
        remove_region(pm, r);
        snprintf(err, err_len, "shadow region %s: out of memory", name);
        return NULL;
    }
    memset(r->rom, 0xFF, size); /* no ROM there: the bus floats high */
    notify_map_changed(pm);
    return r;
}

void physmem_shadow_load_rom(struct mem_region *r, uint64_t offset, const uint8_t *data, uint64_t len)
{
    if (r->kind != MEM_SHADOW || offset >= r->size)
        return;
    if (len > r->size - offset)
        len = r->size - offset;
    memcpy(r->rom + offset, data, len);
}

void physmem_set_shadow(struct physmem *pm, uint64_t base, uint64_t size, unsigned mode)
{
    bool changed = false;
    for (uint64_t a = base & ~(uint64_t)(SHADOW_CHUNK - 1); a < base + size; a += SHADOW_CHUNK) {
        struct mem_region *r = (struct mem_region *)physmem_find(pm, a);
        if (!r || r->kind != MEM_SHADOW)
            continue;
        uint8_t *m = &r->shadow_mode[(a - r->base) / SHADOW_CHUNK];
        if (*m != (uint8_t)mode) {
            *m = (uint8_t)mode;
            changed = true;
        }
    }
    if (changed)
        notify_map_changed(pm); /* cached translations and decoded code may point at the other copy */
}

static bool holds_ram(const struct mem_region *r) { return r->kind == MEM_RAM || r->kind == MEM_SHADOW; }
static unsigned shadow_mode_at(const struct mem_region *r, uint64_t phys)
{
    return r->kind == MEM_SHADOW ? r->shadow_mode[(phys - r->base) / SHADOW_CHUNK]
                                 : (SHADOW_READ_RAM | SHADOW_WRITE_RAM);
}

struct mem_region *physmem_add_mmio(struct physmem *pm, const char *name, uint64_t base, uint64_t size,
                                    const struct mmio_ops *ops, void *dev, char *err, size_t err_len)
{
    struct mem_region *r = insert_region(pm, name, base, size, err, err_len);
    if (!r)
        return NULL;
    r->kind = MEM_MMIO;
    r->ops = ops;
    r->dev = dev;
    notify_map_changed(pm);
    return r;
}

int physmem_move_region(struct physmem *pm, struct mem_region *r, uint64_t new_base, char *err, size_t err_len)
{
    unsigned from = 0;
    while (from < pm->region_count && pm->regions[from] != r)
        from++;
    if (from == pm->region_count) {
        snprintf(err, err_len, "move: not a region of this memory map");
        return -1;
    }
    if (new_base == r->base)
        return 0;
    if (new_base + r->size < new_base) {
        snprintf(err, err_len, "region %s: cannot move to 0x%llx (wraps)", r->name, (unsigned long long)new_base);
        return -1;
    }
    if (r->kind == MEM_RAM && (new_base & (PHYS_PAGE_SIZE - 1))) {
        snprintf(err, err_len, "RAM region %s must be page aligned", r->name);
        return -1;
    }
    unsigned to = 0;
    for (unsigned i = 0; i < pm->region_count; i++) {
        const struct mem_region *o = pm->regions[i];
        if (i == from)
            continue;
        if (new_base < o->base + o->size && o->base < new_base + r->size) {
            snprintf(err, err_len, "region %s [0x%llx-0x%llx] overlaps %s [0x%llx-0x%llx]", r->name,
                     (unsigned long long)new_base, (unsigned long long)(new_base + r->size - 1), o->name,
                     (unsigned long long)o->base, (unsigned long long)(o->base + o->size - 1));
            return -1;
        }
        if (o->base < new_base)
            to++;
    }
    /* Keep the table sorted; the region itself (and every pointer to it) stays put. */
    r->base = new_base;
    if (to > from)
        memmove(&pm->regions[from], &pm->regions[from + 1], (to - from) * sizeof pm->regions[0]);
    else if (to < from)
        memmove(&pm->regions[to + 1], &pm->regions[to], (from - to) * sizeof pm->regions[0]);
    pm->regions[to] = r;
    notify_map_changed(pm);
    return 0;
}

const struct mem_region *physmem_find(const struct physmem *pm, uint64_t phys)
{
    if (pm->hint < pm->region_count) {
        const struct mem_region *h = pm->regions[pm->hint];
        if (phys - h->base < h->size)
            return h;
    }
    unsigned lo = 0, hi = pm->region_count;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const struct mem_region *r = pm->regions[mid];
        if (phys < r->base)
            hi = mid;
        else if (phys - r->base >= r->size)
            lo = mid + 1;
        else {
            ((struct physmem *)pm)->hint = mid; /* a cache, not state: the map is unchanged */
            return r;
        }
    }
    return NULL;
}

void physmem_set_a20(struct physmem *pm, bool enabled)
{
    uint64_t mask = enabled ? ~0ull : ~(1ull << 20);
    if (mask != pm->a20_mask) {
        pm->a20_mask = mask;
        notify_map_changed(pm);
    }
}

uint8_t *physmem_host_page(const struct physmem *pm, uint64_t phys, bool for_write)
{
    const struct mem_region *r = physmem_find(pm, phys);
    if (!r || r->kind == MEM_MMIO || (for_write && r->kind == MEM_ROM))
        return NULL;
    if (r->kind == MEM_SHADOW) {
        unsigned mode = shadow_mode_at(r, phys);
        if (for_write)
            return (mode & SHADOW_WRITE_RAM) ? r->host + (phys - r->base) : NULL;
        return ((mode & SHADOW_READ_RAM) ? r->host : r->rom) + (phys - r->base);
    }
    /* A ROM smaller than a page may start mid-page; only hand out whole pages inside it. */
    uint64_t page = phys & ~(uint64_t)(PHYS_PAGE_SIZE - 1);
    if (page < r->base || page + PHYS_PAGE_SIZE > r->base + ((r->size + PHYS_PAGE_SIZE - 1) & ~(uint64_t)(PHYS_PAGE_SIZE - 1)))
        return NULL;
    return r->host + (phys - r->base);
}

static uint32_t block_mask(uint64_t offset_in_page, unsigned len)
{
    unsigned first = (unsigned)(offset_in_page >> PHYS_CODE_BLOCK_SHIFT);
    unsigned last = (unsigned)((offset_in_page + len - 1) >> PHYS_CODE_BLOCK_SHIFT);
    if (last > 31)
        last = 31;
    uint32_t hi = last == 31 ? 0xFFFFFFFFu : ((1u << (last + 1)) - 1);
    return hi & ~((1u << first) - 1);
}

void physmem_mark_code(struct physmem *pm, uint64_t phys, unsigned len)
{
    while (len) {
        const struct mem_region *r = physmem_find(pm, phys);
        uint64_t in_page = phys & (PHYS_PAGE_SIZE - 1);
        unsigned chunk = (unsigned)(PHYS_PAGE_SIZE - in_page);
        if (chunk > len)
            chunk = len;
        if (r && holds_ram(r))
            r->code_blocks[(phys - r->base) >> PHYS_PAGE_SHIFT] |= block_mask(in_page, chunk);
        phys += chunk;
        len -= chunk;
    }
}

bool physmem_page_has_code(const struct physmem *pm, uint64_t phys)
{
    const struct mem_region *r = physmem_find(pm, phys);
    return r && holds_ram(r) && r->code_blocks[(phys - r->base) >> PHYS_PAGE_SHIFT] != 0;
}

void physmem_note_write(struct physmem *pm, uint64_t phys, unsigned len)
{
    while (len) {
        const struct mem_region *r = physmem_find(pm, phys);
        uint64_t in_page = phys & (PHYS_PAGE_SIZE - 1);
        unsigned chunk = (unsigned)(PHYS_PAGE_SIZE - in_page);
        if (chunk > len)
            chunk = len;
        if (r && holds_ram(r)) {
            uint32_t *blocks = &r->code_blocks[(phys - r->base) >> PHYS_PAGE_SHIFT];
            uint32_t hit = *blocks & block_mask(in_page, chunk);
            if (hit) {
                *blocks &= ~hit;
                if (pm->code_written)
                    pm->code_written(pm->listener, phys, chunk);
            }
        }
        phys += chunk;
        len -= chunk;
    }
}

uint64_t physmem_read(struct physmem *pm, uint64_t phys, unsigned size)
{
    const struct mem_region *r = physmem_find(pm, phys);
    if (r && phys - r->base + size <= r->size) {
        if (r->kind == MEM_MMIO)
            return r->ops->read(r->dev, phys - r->base, size);
        const uint8_t *src = r->host;
        if (r->kind == MEM_SHADOW && (phys - r->base) / SHADOW_CHUNK == (phys - r->base + size - 1) / SHADOW_CHUNK &&
            !(shadow_mode_at(r, phys) & SHADOW_READ_RAM))
            src = r->rom;
        else if (r->kind == MEM_SHADOW && (phys - r->base) / SHADOW_CHUNK != (phys - r->base + size - 1) / SHADOW_CHUNK)
            goto bytewise;
        const uint8_t *p = src + (phys - r->base);
        switch (size) { /* fixed-size copies compile to single loads (little-endian host) */
        case 1: return *p;
        case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
        case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
        case 8: { uint64_t v; memcpy(&v, p, 8); return v; }
        default: { uint64_t v = 0; memcpy(&v, p, size); return v; }
        }
    }
bytewise:;
    uint64_t v = 0; /* unmapped or straddling regions or chunks: byte by byte */
    for (unsigned i = 0; i < size; i++) {
        const struct mem_region *b = physmem_find(pm, phys + i);
        uint64_t byte = 0xFF;
        if (b && b->kind == MEM_MMIO)
            byte = b->ops->read(b->dev, phys + i - b->base, 1) & 0xFF;
        else if (b && b->kind == MEM_SHADOW && !(shadow_mode_at(b, phys + i) & SHADOW_READ_RAM))
            byte = b->rom[phys + i - b->base];
        else if (b)
            byte = b->host[phys + i - b->base];
        v |= byte << (8 * i);
    }
    return v;
}

void physmem_write(struct physmem *pm, uint64_t phys, uint64_t value, unsigned size)
{
    const struct mem_region *r = physmem_find(pm, phys);
    if (r && phys - r->base + size <= r->size) {
        if (r->kind == MEM_MMIO) {
            r->ops->write(r->dev, phys - r->base, value, size);
            return;
        }
        if (r->kind == MEM_RAM ||
            (r->kind == MEM_SHADOW && (phys - r->base) / SHADOW_CHUNK == (phys - r->base + size - 1) / SHADOW_CHUNK)) {
            if (shadow_mode_at(r, phys) & SHADOW_WRITE_RAM) {
                memcpy(r->host + (phys - r->base), &value, size);
                physmem_note_write(pm, phys, size);
            }
            return;
        }
        if (r->kind == MEM_ROM)
            return;
    }
    if (size == 1)
        return; /* unmapped (or a single byte nobody takes): dropped */
    for (unsigned i = 0; i < size; i++)
        physmem_write(pm, phys + i, (value >> (8 * i)) & 0xFF, 1);
}

void physmem_read_block(struct physmem *pm, uint64_t phys, void *buf, size_t len)
{
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)physmem_read(pm, phys + i, 1);
}

void physmem_write_block(struct physmem *pm, uint64_t phys, const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len) {
        const struct mem_region *r = physmem_find(pm, phys);
        if (r && r->kind == MEM_RAM) {
            size_t chunk = r->base + r->size - phys;
            if (chunk > len)
                chunk = len;
            memcpy(r->host + (phys - r->base), in, chunk);
            for (size_t done = 0; done < chunk;) {
                unsigned step = chunk - done > 0x10000 ? 0x10000 : (unsigned)(chunk - done);
                physmem_note_write(pm, phys + done, step);
                done += step;
            }
            phys += chunk;
            in += chunk;
            len -= chunk;
        } else {
            physmem_write(pm, phys, *in, 1);
            phys++;
            in++;
            len--;
        }
    }
}
