/* Screenshots as PNG files (libpng, 8-bit RGB), their file names, and the
 * shape a frame has on a VGA monitor.  See screenshot.h.
 *
 * libpng reports errors by calling our error function, which must not
 * return: it records the message and longjmps back to the setjmp in
 * screenshot_write_png.  Everything that function frees after the jump is
 * set up before the setjmp and not changed afterwards, as C requires of
 * non-volatile locals read after a longjmp. */
#include "screenshot.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
    if (!err || !err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

/* ---- PNG writing ---------------------------------------------------------- */

struct png_failure {
    char msg[160];
    int saved_errno; /* errno when libpng gave up: a failed fwrite leaves it */
};

static void png_fail(png_structp png, png_const_charp msg)
{
    struct png_failure *f = png_get_error_ptr(png);
    f->saved_errno = errno;
    snprintf(f->msg, sizeof f->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* warnings (none expected for what we write) are not errors */
}

/* The frame's rows as RGB bytes, one row at a time; X is dropped. */
static void xrgb_to_rgb(const uint32_t *src, unsigned w, png_bytep dst)
{
    for (unsigned x = 0; x < w; x++) {
        uint32_t p = src[x];
        dst[3 * x + 0] = (png_byte)(p >> 16);
        dst[3 * x + 1] = (png_byte)(p >> 8);
        dst[3 * x + 2] = (png_byte)p;
    }
}

int screenshot_write_png(const char *path, const uint32_t *pixels, unsigned w, unsigned h, char *err,
                         size_t err_len)
{
    /* PNG allows 2^31-1; libpng by default refuses more than 1,000,000. */
    if (!path || !pixels || w == 0 || h == 0 || w > 1000000u || h > 1000000u) {
        set_err(err, err_len, "screenshot %s: bad frame size %ux%u", path ? path : "(null)", w, h);
        return -1;
    }
    png_bytep row = malloc((size_t)w * 3);
    if (!row) {
        set_err(err, err_len, "screenshot %s: out of memory", path);
        return -1;
    }
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        set_err(err, err_len, "cannot write screenshot %s: %s", path, strerror(errno));
        free(row);
        return -1;
    }
    struct png_failure failure = {.msg = "", .saved_errno = 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &failure, png_fail, png_warn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    bool ok = false;
    if (!png || !info) {
        snprintf(failure.msg, sizeof failure.msg, "cannot set up libpng");
    } else if (setjmp(png_jmpbuf(png)) == 0) {
        errno = 0;
        png_init_io(png, fp);
        png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                     PNG_FILTER_TYPE_DEFAULT);
        png_write_info(png, info);
        for (unsigned y = 0; y < h; y++) {
            xrgb_to_rgb(pixels + (size_t)y * w, w, row);
            png_write_row(png, row);
        }
        png_write_end(png, NULL);
        ok = true;
    }
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);

    /* The last buffered bytes reach the file only now: a full disk shows here. */
    if (ok && (fflush(fp) != 0 || ferror(fp))) {
        ok = false;
        failure.saved_errno = errno;
        snprintf(failure.msg, sizeof failure.msg, "write error");
    }
    struct stat st;
    bool regular = fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode);
    if (fclose(fp) != 0 && ok) {
        ok = false;
        failure.saved_errno = errno;
        snprintf(failure.msg, sizeof failure.msg, "write error");
    }
    if (ok)
        return 0;
    if (failure.saved_errno)
        set_err(err, err_len, "cannot write screenshot %s: %s (%s)", path, failure.msg,
                strerror(failure.saved_errno));
    else
        set_err(err, err_len, "cannot write screenshot %s: %s", path, failure.msg);
    if (regular)
        unlink(path); /* no half-written PNG left behind */
    return -1;
}

/* ---- geometry --------------------------------------------------------------- */

void screenshot_display_aspect(unsigned w, unsigned h, unsigned *aw, unsigned *ah)
{
    if (w == 0 || h == 0) {
        *aw = 4;
        *ah = 3;
    } else if (h <= 480) {
        /* 200, 350, 400 and 480 lines all fill the screen of a VGA monitor
         * (the sync polarities tell it which), so the picture is 4:3. */
        *aw = 4;
        *ah = 3;
    } else {
        *aw = w;
        *ah = h;
    }
}

void screenshot_display_size(unsigned w, unsigned h, unsigned *dw, unsigned *dh)
{
    unsigned aw, ah;
    screenshot_display_aspect(w, h, &aw, &ah);
    *dw = w;
    *dh = (unsigned)(((uint64_t)w * ah + aw / 2) / aw);
    if (*dh == 0)
        *dh = 1;
}

struct screenshot_rect screenshot_fit_rect(unsigned frame_w, unsigned frame_h, unsigned out_w, unsigned out_h)
{
    struct screenshot_rect r = {0, 0, out_w, out_h};
    if (out_w == 0 || out_h == 0)
        return r;
    unsigned aw, ah;
    screenshot_display_aspect(frame_w, frame_h, &aw, &ah);
    /* Compare out_w/out_h with aw/ah without dividing. */
    if ((uint64_t)out_w * ah <= (uint64_t)out_h * aw) {
        /* The area is narrower than the picture: full width, bars above and below. */
        r.h = (unsigned)(((uint64_t)out_w * ah + aw / 2) / aw);
        if (r.h == 0)
            r.h = 1;
        if (r.h > out_h)
            r.h = out_h;
        r.y = (out_h - r.h) / 2;
    } else {
        r.w = (unsigned)(((uint64_t)out_h * aw + ah / 2) / ah);
        if (r.w == 0)
            r.w = 1;
        if (r.w > out_w)
            r.w = out_w;
        r.x = (out_w - r.w) / 2;
    }
    return r;
}

/* ---- file names --------------------------------------------------------- */

/* Walks the pattern; with buf, writes the name for counter n.  Returns the
 * number of counters (0 or 1), or -1 with a message. */
static int pattern_walk(const char *pattern, unsigned n, char *buf, size_t len, char *err, size_t err_len)
{
    if (!pattern || !*pattern) {
        set_err(err, err_len, "empty screenshot file name pattern");
        return -1;
    }
    size_t out = 0;
    int counters = 0;
    char piece[32];
    for (const char *p = pattern; *p;) {
        const char *text = piece;
        if (*p != '%') {
            piece[0] = *p++;
            piece[1] = '\0';
        } else if (p[1] == '%') {
            piece[0] = '%';
            piece[1] = '\0';
            p += 2;
        } else {
            const char *start = p++;
            bool zero = false;
            if (*p == '0') {
                zero = true;
                p++;
            }
            unsigned width = 0;
            while (*p >= '0' && *p <= '9' && width < 100)
                width = width * 10 + (unsigned)(*p++ - '0');
            if ((*p != 'u' && *p != 'd') || width > 20 || counters) {
                set_err(err, err_len,
                        "bad screenshot file name pattern '%s' at '%s': one %%u (or %%03u...) and %%%% only",
                        pattern, start);
                return -1;
            }
            p++;
            counters++;
            snprintf(piece, sizeof piece, zero ? "%0*u" : "%*u", (int)width, n);
        }
        size_t l = strlen(text);
        if (buf) {
            if (out + l >= len) {
                set_err(err, err_len, "screenshot file name from '%s' is too long", pattern);
                return -1;
            }
            memcpy(buf + out, text, l);
        }
        out += l;
    }
    if (buf)
        buf[out] = '\0';
    return counters;
}

int screenshot_pattern_check(const char *pattern, char *err, size_t err_len)
{
    return pattern_walk(pattern, 0, NULL, 0, err, err_len);
}

int screenshot_format_name(const char *pattern, unsigned n, char *buf, size_t len, char *err, size_t err_len)
{
    if (!buf || !len) {
        set_err(err, err_len, "no room for a screenshot file name");
        return -1;
    }
    return pattern_walk(pattern, n, buf, len, err, err_len) < 0 ? -1 : 0;
}

int screenshot_next_path(const char *pattern, unsigned *n, char *buf, size_t len, char *err, size_t err_len)
{
    int counters = screenshot_pattern_check(pattern, err, err_len);
    if (counters < 0)
        return -1;
    if (counters == 0)
        return screenshot_format_name(pattern, 0, buf, len, err, err_len);
    /* Never overwrite an earlier screenshot (of this run or another). */
    for (unsigned tries = 0; tries < 100000; tries++, (*n)++) {
        if (screenshot_format_name(pattern, *n, buf, len, err, err_len) < 0)
            return -1;
        struct stat st;
        if (lstat(buf, &st) != 0 && errno == ENOENT) {
            (*n)++;
            return 0;
        }
    }
    set_err(err, err_len, "no free screenshot file name from '%s' (last tried %s)", pattern, buf);
    return -1;
}
