/* Turns the state of a struct vga into what the monitor shows, and the text
 * screen into plain text.  See vga_render.c. */
#ifndef RINGZERO_DEVICES_VGA_RENDER_H
#define RINGZERO_DEVICES_VGA_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "vga.h"

/* No frame is larger: a CRTC programmed to the limit of its fields gives 256
 * characters of 9 dots at half dot clock (4608) and 1024 lines; VBE gives at
 * most 2560x1600.  A buffer of this size always suffices. */
#define VGA_RENDER_MAX_W 4608u
#define VGA_RENDER_MAX_H 1600u

/* Draws the current frame as XRGB8888 pixels, rows packed (stride *w) in
 * pixels[0 .. *w * *h).  The size is the dot resolution the CRTC (or VBE)
 * produces: 80x25 text with 9-dot characters is 720x400, mode 13h is
 * 640x400 (320x200 with each pixel doubled both ways), mode 12h 640x480.
 * Returns 0 with *w, *h set; or -1, drawing nothing, when the frame does not
 * fit in max_w x max_h (*w, *h then give the size needed).  A blanked screen
 * (sequencer screen off, attribute controller palette access) is drawn black
 * or in the overscan colour at the normal size.  Blinking (text attribute
 * bit 7, the cursor) follows the virtual clock. */
int vga_render(struct vga *vga, uint32_t *pixels, unsigned max_w, unsigned max_h, unsigned *w, unsigned *h);

/* The current text screen as lines of code page 437 bytes, each ending in
 * '\n', trailing blanks removed, in UTF-8 (code page 437 translated, see
 * cp437.h; NUL and 0xFF read as spaces).  Writes at most len - 1 bytes and a NUL.
 * Returns the length of the whole text (as snprintf does), 0 in graphics
 * modes. */
size_t vga_text_dump(struct vga *vga, char *buf, size_t len);

#endif
