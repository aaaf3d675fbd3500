/* The SDL2 window: shows the frames of a display_source at the shape a VGA
 * monitor gives them, and sends the keyboard and (while grabbed) the mouse
 * to an input_sink.
 *
 * Keys: Ctrl+Alt+G grabs or releases the mouse (a click in the window also
 * grabs it); Ctrl+Alt+S writes a screenshot (PNG of the guest's frame at
 * its own resolution) to the next free name of the pattern.  The title says
 * how to grab or release.
 *
 * Everything runs on the caller's thread, the one that opened the window:
 * call sdl_window_poll and sdl_window_present between runs of the CPU.  Both
 * are cheap when there is nothing to do (they look at the host clock and
 * return), so they can be called every few milliseconds of host time. */
#ifndef RINGZERO_FRONTEND_SDL_WINDOW_H
#define RINGZERO_FRONTEND_SDL_WINDOW_H

#include <stdbool.h>
#include <stddef.h>

#include "display.h"

struct sdl_window;

#define SDL_WINDOW_DEFAULT_SCREENSHOT_PATTERN "ringzero-%03u.png"

/* Opens the window.  The structs are copied; their opaque pointers must
 * outlive the window.  Either may be NULL (no frames: a black window; no
 * input: keys and mouse are dropped).  screenshot_path_pattern: see
 * screenshot_pattern_check(); NULL means SDL_WINDOW_DEFAULT_SCREENSHOT_PATTERN.
 * Returns NULL with the reason in err (SDL_GetError() when SDL cannot open
 * a window, e.g. without a DISPLAY). */
struct sdl_window *sdl_window_open(const char *title, const struct display_source *src,
                                   const struct input_sink *input, const char *screenshot_path_pattern,
                                   char *err, size_t err_len);

/* Handles the window's pending events: keys and mouse go to the input sink,
 * the hot keys are acted on.  Returns false once the user has closed the
 * window (and from then on). */
bool sdl_window_poll(struct sdl_window *win);

/* Draws the current frame if 1/60 s of host time has passed since the last
 * one; otherwise returns at once. */
void sdl_window_present(struct sdl_window *win);

/* Writes a screenshot as Ctrl+Alt+S does; returns 0 and the file's name in
 * path, or -1 with the reason in err. */
int sdl_window_screenshot(struct sdl_window *win, char *path, size_t path_len, char *err, size_t err_len);

/* Releases the grab, closes the window and frees it (NULL is allowed). */
void sdl_window_close(struct sdl_window *win);

#endif
