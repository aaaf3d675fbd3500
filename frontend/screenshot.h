/* Screenshots: PNG files of the guest's screen, the file names they get, and
 * the geometry of showing a frame at the shape the monitor gives it.  None
 * of this needs a display, so the unit tests cover it all. */
#ifndef RINGZERO_FRONTEND_SCREENSHOT_H
#define RINGZERO_FRONTEND_SCREENSHOT_H

#include <stddef.h>
#include <stdint.h>

/* Writes w x h XRGB8888 pixels (rows packed, the X byte ignored) as an
 * 8-bit RGB PNG without alpha.  Returns 0, or -1 with a message naming the
 * path in err; a file left half-written is removed (only a regular file:
 * writing to a device such as /dev/full removes nothing). */
int screenshot_write_png(const char *path, const uint32_t *pixels, unsigned w, unsigned h, char *err,
                         size_t err_len);

/* The shape a frame has on the monitor, as the ratio *aw:*ah.  Every VGA
 * timing fills the 4:3 tube whatever its line count, so a frame of at most
 * 480 lines (320x200 and 640x400 with non-square pixels, 640x350, 720x400
 * text, 640x480) is 4:3; taller frames come from VBE modes, whose pixels are
 * square (1280x1024 is 5:4). */
void screenshot_display_aspect(unsigned w, unsigned h, unsigned *aw, unsigned *ah);

/* The size to show a frame at one to one: its width kept, its height
 * stretched to the aspect above (640x400 -> 640x480, 720x400 -> 720x540). */
void screenshot_display_size(unsigned w, unsigned h, unsigned *dw, unsigned *dh);

/* The largest rectangle of the frame's display aspect that fits in an
 * out_w x out_h area, centred (letterboxed or pillarboxed). */
struct screenshot_rect {
    unsigned x, y, w, h;
};
struct screenshot_rect screenshot_fit_rect(unsigned frame_w, unsigned frame_h, unsigned out_w, unsigned out_h);

/* File-name patterns: text with at most one counter conversion, %u or %d
 * with an optional zero flag and width ("ringzero-%03u.png"), and %% for a
 * percent sign.  Returns 1 if the pattern has a counter, 0 if not (every
 * screenshot then goes to the same file), -1 with a message in err if the
 * pattern is malformed (any other conversion is refused: the pattern comes
 * from the user and is never handed to printf). */
int screenshot_pattern_check(const char *pattern, char *err, size_t err_len);
/* The name for counter n.  Returns 0, or -1 (bad pattern, name too long). */
int screenshot_format_name(const char *pattern, unsigned n, char *buf, size_t len, char *err, size_t err_len);
/* The first name, from counter *n upwards, of a file that does not exist;
 * *n moves past it.  A pattern without a counter always gives its name. */
int screenshot_next_path(const char *pattern, unsigned *n, char *buf, size_t len, char *err, size_t err_len);

#endif
