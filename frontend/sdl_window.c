/* The SDL2 window of the emulator: frames from a display_source drawn with
 * SDL_Renderer into a letterboxed rectangle of the monitor's shape, keyboard
 * and mouse to an input_sink, and the hot keys.  See sdl_window.h.
 *
 * SDL facts relied on (SDL2 wiki, SDL_scancode.h): SDL_Scancode values are
 * the USB HID usages of the Keyboard/Keypad page for 0x04-0xE7, so they go
 * to the guest unchanged; key events carry a `repeat` flag for host
 * auto-repeat; in relative mouse mode SDL_MOUSEMOTION gives xrel/yrel with y
 * growing downwards; a wheel y > 0 is a turn away from the user unless the
 * event says SDL_MOUSEWHEEL_FLIPPED. */
#include "sdl_window.h"

#include <SDL.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screenshot.h"

/* The first pixel buffer fits every standard VGA frame (720x400 text) and
 * 1024x768; a larger frame grows it, up to this bound. */
#define INITIAL_BUF_W 1024u
#define INITIAL_BUF_H 768u
#define MAX_FRAME_W 8192u
#define MAX_FRAME_H 8192u
#define MAX_FRAME_PIXELS (16u << 20)

#define FRAMES_PER_SECOND 60u
#define STATUS_MS 3000u      /* how long a message stays in the title */
#define MIN_WINDOW_W 640u    /* smaller frames get an integer zoom */

struct sdl_window {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    unsigned tex_w, tex_h;
    SDL_ScaleMode tex_scale;

    struct display_source src;
    struct input_sink input;
    bool has_src, has_input;

    uint32_t *pixels;
    unsigned buf_w, buf_h;
    unsigned frame_w, frame_h;   /* the last frame rendered; 0 if none */
    unsigned sized_w, sized_h;   /* the frame size the window was last fitted to */

    uint64_t perf_freq, last_frame; /* SDL performance counter */
    bool presented;
    uint64_t last_pump_ms;

    char *base_title;
    char *shot_pattern;
    unsigned shot_counter;
    uint64_t status_until_ms;    /* 0: the title shows no message */

    bool closed;
    bool grabbed;
    unsigned buttons;            /* DISPLAY_BUTTON_* down, as the guest knows them */
    int pend_dx, pend_dy, pend_dz;
    uint8_t swallowed[SDL_NUM_SCANCODES / 8 + 1]; /* hot keys whose release the guest must not see */
};

static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
    if (!err || !err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- title -------------------------------------------------------------- */

static void update_title(struct sdl_window *w, const char *status)
{
    char title[512];
    if (status)
        snprintf(title, sizeof title, "%s - %s", w->base_title, status);
    else if (w->grabbed)
        snprintf(title, sizeof title, "%s - mouse grabbed: Ctrl+Alt+G releases", w->base_title);
    else
        snprintf(title, sizeof title, "%s - click or Ctrl+Alt+G to grab the mouse", w->base_title);
    SDL_SetWindowTitle(w->window, title);
}

static void show_status(struct sdl_window *w, const char *msg)
{
    update_title(w, msg);
    w->status_until_ms = SDL_GetTicks64() + STATUS_MS;
    if (w->status_until_ms == 0)
        w->status_until_ms = 1;
}

/* ---- input ------------------------------------------------------------ */

static void send_key(struct sdl_window *w, unsigned usage, bool down)
{
    if (w->has_input && w->input.key)
        w->input.key(w->input.opaque, usage, down);
}

static void send_mouse(struct sdl_window *w, int dx, int dy, int dz)
{
    if (w->has_input && w->input.mouse)
        w->input.mouse(w->input.opaque, dx, dy, dz, w->buttons);
}

/* Motion gathered from several events goes out as one report; it must go
 * out before a button changes, so the guest sees the click where it was. */
static void flush_motion(struct sdl_window *w)
{
    if (w->pend_dx || w->pend_dy || w->pend_dz)
        send_mouse(w, w->pend_dx, w->pend_dy, w->pend_dz);
    w->pend_dx = w->pend_dy = w->pend_dz = 0;
}

static void set_buttons(struct sdl_window *w, unsigned buttons)
{
    flush_motion(w);
    if (buttons == w->buttons)
        return;
    w->buttons = buttons;
    send_mouse(w, 0, 0, 0);
}

static int clamp_add(int a, int b)
{
    long long s = (long long)a + b;
    return s > 65535 ? 65535 : s < -65535 ? -65535 : (int)s; /* far beyond a packet's range */
}

static void set_grab(struct sdl_window *w, bool grab)
{
    if (grab == w->grabbed)
        return;
    /* Relative mode hides the pointer and reports motion without limits;
     * the keyboard grab lets Alt+Tab and the like reach the guest. */
    if (grab && SDL_SetRelativeMouseMode(SDL_TRUE) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot grab the mouse: %s", SDL_GetError());
        show_status(w, msg);
        return;
    }
    if (!grab) {
        SDL_SetRelativeMouseMode(SDL_FALSE);
        flush_motion(w);
        set_buttons(w, 0);
    }
    SDL_SetWindowGrab(w->window, grab ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowKeyboardGrab(w->window, grab ? SDL_TRUE : SDL_FALSE);
    w->grabbed = grab;
    w->status_until_ms = 0;
    update_title(w, NULL);
}

static unsigned button_bit(Uint8 sdl_button)
{
    switch (sdl_button) {
    case SDL_BUTTON_LEFT: return DISPLAY_BUTTON_LEFT;
    case SDL_BUTTON_RIGHT: return DISPLAY_BUTTON_RIGHT;
    case SDL_BUTTON_MIDDLE: return DISPLAY_BUTTON_MIDDLE;
    case SDL_BUTTON_X1: return DISPLAY_BUTTON_BACK;
    case SDL_BUTTON_X2: return DISPLAY_BUTTON_FWD;
    default: return 0;
    }
}

static void release_everything(struct sdl_window *w)
{
    if (w->has_input && w->input.release_all)
        w->input.release_all(w->input.opaque);
    memset(w->swallowed, 0, sizeof w->swallowed);
    flush_motion(w);
    set_buttons(w, 0);
}

static void do_screenshot(struct sdl_window *w)
{
    char path[512], err[512], msg[600];
    if (sdl_window_screenshot(w, path, sizeof path, err, sizeof err) == 0) {
        snprintf(msg, sizeof msg, "screenshot %s", path);
        fprintf(stderr, "ringzero: wrote %s\n", path);
    } else {
        snprintf(msg, sizeof msg, "%s", err);
        fprintf(stderr, "ringzero: %s\n", err);
    }
    show_status(w, msg);
}

static void handle_key(struct sdl_window *w, const SDL_KeyboardEvent *ev)
{
    if (ev->repeat)
        return; /* the guest's keyboard does its own typematic repeat */
    SDL_Scancode sc = ev->keysym.scancode;
    if ((unsigned)sc >= SDL_NUM_SCANCODES)
        return;
    bool down = ev->type == SDL_KEYDOWN;
    uint8_t bit = (uint8_t)(1u << (sc % 8));
    if (down && (ev->keysym.mod & KMOD_CTRL) && (ev->keysym.mod & KMOD_ALT) &&
        (sc == SDL_SCANCODE_G || sc == SDL_SCANCODE_S)) {
        /* A hot key: the guest sees neither its press nor its release
         * (it has seen Ctrl and Alt, as a real keyboard would send them). */
        w->swallowed[sc / 8] |= bit;
        if (sc == SDL_SCANCODE_G)
            set_grab(w, !w->grabbed);
        else
            do_screenshot(w);
        return;
    }
    if (!down && (w->swallowed[sc / 8] & bit)) {
        w->swallowed[sc / 8] &= (uint8_t)~bit;
        return;
    }
    /* Usages past 0xE7 are SDL's own numbering (media keys), not HID. */
    if (sc >= SDL_SCANCODE_A && sc <= SDL_SCANCODE_RGUI)
        send_key(w, (unsigned)sc, down);
}

static void handle_window_event(struct sdl_window *w, const SDL_WindowEvent *ev)
{
    switch (ev->event) {
    case SDL_WINDOWEVENT_FOCUS_LOST:
        /* The releases of keys held now will go to another window: the
         * guest would see them stuck.  A grab does not survive either. */
        set_grab(w, false);
        release_everything(w);
        break;
    case SDL_WINDOWEVENT_CLOSE:
        w->closed = true;
        break;
    case SDL_WINDOWEVENT_EXPOSED:
        w->presented = false; /* redraw at the next present */
        break;
    default:
        break;
    }
}

bool sdl_window_poll(struct sdl_window *w)
{
    if (!w || w->closed)
        return false;
    /* Asking the X server for events costs a little: once per millisecond
     * is more than enough for keys and mouse. */
    uint64_t now = SDL_GetTicks64();
    if (now == w->last_pump_ms)
        return true;
    w->last_pump_ms = now;

    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_QUIT:
            w->closed = true;
            break;
        case SDL_WINDOWEVENT:
            handle_window_event(w, &ev.window);
            break;
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            handle_key(w, &ev.key);
            break;
        case SDL_MOUSEMOTION:
            if (w->grabbed) {
                w->pend_dx = clamp_add(w->pend_dx, ev.motion.xrel);
                w->pend_dy = clamp_add(w->pend_dy, -ev.motion.yrel); /* the guest's y grows upwards */
            }
            break;
        case SDL_MOUSEWHEEL:
            if (w->grabbed) {
                int y = ev.wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -ev.wheel.y : ev.wheel.y;
                w->pend_dz = clamp_add(w->pend_dz, -y); /* dz > 0: towards the user */
            }
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (!w->grabbed) {
                /* A click in the window grabs the mouse, and is not passed on. */
                if (ev.type == SDL_MOUSEBUTTONDOWN && ev.button.button == SDL_BUTTON_LEFT)
                    set_grab(w, true);
                break;
            }
            if (ev.type == SDL_MOUSEBUTTONDOWN)
                set_buttons(w, w->buttons | button_bit(ev.button.button));
            else
                set_buttons(w, w->buttons & ~button_bit(ev.button.button));
            break;
        default:
            break;
        }
    }
    flush_motion(w);
    if (w->status_until_ms && now >= w->status_until_ms) {
        w->status_until_ms = 0;
        update_title(w, NULL);
    }
    return !w->closed;
}

/* ---- frames --------------------------------------------------------------- */

/* Renders the current frame into w->pixels; false if there is none. */
static bool render_frame(struct sdl_window *w)
{
    w->frame_w = w->frame_h = 0;
    if (!w->has_src || !w->src.render)
        return false;
    for (int attempt = 0; attempt < 2; attempt++) {
        unsigned fw = 0, fh = 0;
        if (w->src.render(w->src.opaque, w->pixels, w->buf_w, w->buf_h, &fw, &fh) == 0) {
            if (fw == 0 || fh == 0 || fw > w->buf_w || fh > w->buf_h)
                return false; /* a source that breaks its contract shows nothing */
            w->frame_w = fw;
            w->frame_h = fh;
            return true;
        }
        /* -1 with a size that does not fit: grow the buffer and ask again. */
        if (attempt || (fw <= w->buf_w && fh <= w->buf_h) || fw > MAX_FRAME_W || fh > MAX_FRAME_H)
            return false;
        unsigned nw = fw > w->buf_w ? fw : w->buf_w, nh = fh > w->buf_h ? fh : w->buf_h;
        if ((uint64_t)nw * nh > MAX_FRAME_PIXELS)
            return false;
        uint32_t *p = malloc((size_t)nw * nh * sizeof *p);
        if (!p)
            return false;
        free(w->pixels);
        w->pixels = p;
        w->buf_w = nw;
        w->buf_h = nh;
    }
    return false;
}

/* Sizes the window for a new frame size (a mode change), unless the user
 * has maximised it or made it full screen. */
static void fit_window(struct sdl_window *w)
{
    w->sized_w = w->frame_w;
    w->sized_h = w->frame_h;
    if (SDL_GetWindowFlags(w->window) & (SDL_WINDOW_MAXIMIZED | SDL_WINDOW_FULLSCREEN | SDL_WINDOW_FULLSCREEN_DESKTOP))
        return;
    unsigned base_w, base_h, zoom = 1;
    screenshot_display_size(w->frame_w, w->frame_h, &base_w, &base_h);
    while (base_w * zoom < MIN_WINDOW_W && zoom < 8)
        zoom++;
    unsigned dw = base_w * zoom, dh = base_h * zoom;
    SDL_Rect usable;
    int display = SDL_GetWindowDisplayIndex(w->window);
    bool bounded = display >= 0 && SDL_GetDisplayUsableBounds(display, &usable) == 0 && usable.w > 64 &&
                   usable.h > 64;
    if (bounded) {
        /* Leave room for the decorations the window manager adds. */
        unsigned max_w = (unsigned)usable.w - 32, max_h = (unsigned)usable.h - 64;
        if (dw > max_w || dh > max_h) {
            struct screenshot_rect r = screenshot_fit_rect(w->frame_w, w->frame_h, max_w, max_h);
            dw = r.w;
            dh = r.h;
        }
    }
    SDL_SetWindowSize(w->window, (int)dw, (int)dh);
    if (bounded) {
        /* A window that grew past the edge of the screen moves back in. */
        int x, y;
        SDL_GetWindowPosition(w->window, &x, &y);
        int nx = x, ny = y;
        if (nx + (int)dw > usable.x + usable.w)
            nx = usable.x + usable.w - (int)dw;
        if (ny + (int)dh > usable.y + usable.h)
            ny = usable.y + usable.h - (int)dh;
        if (nx < usable.x)
            nx = usable.x;
        if (ny < usable.y)
            ny = usable.y;
        if (nx != x || ny != y)
            SDL_SetWindowPosition(w->window, nx, ny);
    }
}

static bool ensure_texture(struct sdl_window *w)
{
    if (w->texture && w->tex_w == w->frame_w && w->tex_h == w->frame_h)
        return true;
    if (w->texture)
        SDL_DestroyTexture(w->texture);
    w->texture = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_XRGB8888, SDL_TEXTUREACCESS_STREAMING,
                                   (int)w->frame_w, (int)w->frame_h);
    if (!w->texture) {
        w->tex_w = w->tex_h = 0;
        return false;
    }
    w->tex_w = w->frame_w;
    w->tex_h = w->frame_h;
    w->tex_scale = SDL_ScaleModeNearest;
    SDL_SetTextureScaleMode(w->texture, w->tex_scale);
    return true;
}

void sdl_window_present(struct sdl_window *w)
{
    if (!w || w->closed)
        return;
    uint64_t now = SDL_GetPerformanceCounter(), period = w->perf_freq / FRAMES_PER_SECOND;
    if (w->presented && now - w->last_frame < period)
        return;
    /* Keep the cadence (a frame drawn a little late does not push the next
     * one back), unless we are a whole frame behind. */
    w->last_frame = w->presented && now - w->last_frame < 2 * period ? w->last_frame + period : now;
    w->presented = true;
    if (SDL_GetWindowFlags(w->window) & (SDL_WINDOW_MINIMIZED | SDL_WINDOW_HIDDEN))
        return;

    bool have = render_frame(w);
    if (have && (w->frame_w != w->sized_w || w->frame_h != w->sized_h))
        fit_window(w);
    if (have && (!ensure_texture(w) ||
                 SDL_UpdateTexture(w->texture, NULL, w->pixels, (int)(w->frame_w * sizeof(uint32_t))) != 0))
        have = false;

    SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
    SDL_RenderClear(w->renderer);
    int out_w = 0, out_h = 0;
    if (have && SDL_GetRendererOutputSize(w->renderer, &out_w, &out_h) == 0 && out_w > 0 && out_h > 0) {
        struct screenshot_rect r = screenshot_fit_rect(w->frame_w, w->frame_h, (unsigned)out_w, (unsigned)out_h);
        /* Whole multiples stay sharp with nearest; anything else (400 lines
         * stretched to 4:3) would get uneven rows, so it is filtered. */
        SDL_ScaleMode mode = (r.w % w->frame_w == 0 && r.h % w->frame_h == 0) ? SDL_ScaleModeNearest
                                                                              : SDL_ScaleModeLinear;
        if (mode != w->tex_scale) {
            SDL_SetTextureScaleMode(w->texture, mode);
            w->tex_scale = mode;
        }
        SDL_Rect dst = {(int)r.x, (int)r.y, (int)r.w, (int)r.h};
        SDL_RenderCopy(w->renderer, w->texture, NULL, &dst);
    }
    SDL_RenderPresent(w->renderer);
}

int sdl_window_screenshot(struct sdl_window *w, char *path, size_t path_len, char *err, size_t err_len)
{
    if (!render_frame(w)) {
        set_err(err, err_len, "screenshot: the guest shows nothing to capture");
        return -1;
    }
    if (screenshot_next_path(w->shot_pattern, &w->shot_counter, path, path_len, err, err_len) < 0)
        return -1;
    return screenshot_write_png(path, w->pixels, w->frame_w, w->frame_h, err, err_len);
}

/* ---- open / close ---------------------------------------------------------- */

struct sdl_window *sdl_window_open(const char *title, const struct display_source *src,
                                   const struct input_sink *input, const char *screenshot_path_pattern,
                                   char *err, size_t err_len)
{
    const char *pattern = screenshot_path_pattern ? screenshot_path_pattern : SDL_WINDOW_DEFAULT_SCREENSHOT_PATTERN;
    if (screenshot_pattern_check(pattern, err, err_len) < 0)
        return NULL;
    struct sdl_window *w = calloc(1, sizeof *w);
    if (!w) {
        set_err(err, err_len, "out of memory");
        return NULL;
    }
    w->base_title = dup_string(title ? title : "ringzero");
    w->shot_pattern = dup_string(pattern);
    w->buf_w = INITIAL_BUF_W;
    w->buf_h = INITIAL_BUF_H;
    w->pixels = malloc((size_t)w->buf_w * w->buf_h * sizeof *w->pixels);
    if (!w->base_title || !w->shot_pattern || !w->pixels) {
        set_err(err, err_len, "out of memory");
        free(w->base_title);
        free(w->shot_pattern);
        free(w->pixels);
        free(w);
        return NULL;
    }
    if (src) {
        w->src = *src;
        w->has_src = true;
    }
    if (input) {
        w->input = *input;
        w->has_input = true;
    }

    /* The emulator keeps its own SIGINT/SIGTERM behaviour. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        set_err(err, err_len, "cannot open a window: %s", SDL_GetError());
        goto fail_mem;
    }
    /* With no X11 or Wayland display, Debian's SDL 2.26 falls back to its
     * "offscreen" driver and "opens" a window nobody can see.  Only take
     * that when asked for (SDL_VIDEODRIVER=offscreen). */
    const char *driver = SDL_GetCurrentVideoDriver();
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) && !getenv("SDL_VIDEODRIVER")) {
        set_err(err, err_len,
                "cannot open a window: no display (is DISPLAY or WAYLAND_DISPLAY set?); SDL offers only its "
                "invisible '%s' driver",
                driver);
        goto fail_sdl;
    }
    w->window = SDL_CreateWindow(w->base_title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 640, 480,
                                 SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!w->window) {
        set_err(err, err_len, "cannot open a window: %s", SDL_GetError());
        goto fail_sdl;
    }
    /* No vsync: presenting must never block the emulation. */
    w->renderer = SDL_CreateRenderer(w->window, -1, 0);
    if (!w->renderer)
        w->renderer = SDL_CreateRenderer(w->window, -1, SDL_RENDERER_SOFTWARE);
    if (!w->renderer) {
        set_err(err, err_len, "cannot draw in the window: %s", SDL_GetError());
        goto fail_window;
    }
    SDL_SetWindowMinimumSize(w->window, 160, 120);
    SDL_StopTextInput(); /* keys only: no input method, no text events */
    w->perf_freq = SDL_GetPerformanceFrequency();
    update_title(w, NULL);
    SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
    SDL_RenderClear(w->renderer);
    SDL_RenderPresent(w->renderer);
    return w;

fail_window:
    SDL_DestroyWindow(w->window);
fail_sdl:
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0)
        SDL_Quit();
fail_mem:
    free(w->base_title);
    free(w->shot_pattern);
    free(w->pixels);
    free(w);
    return NULL;
}

void sdl_window_close(struct sdl_window *w)
{
    if (!w)
        return;
    if (w->grabbed) {
        SDL_SetRelativeMouseMode(SDL_FALSE);
        SDL_SetWindowKeyboardGrab(w->window, SDL_FALSE);
        SDL_SetWindowGrab(w->window, SDL_FALSE);
    }
    if (w->texture)
        SDL_DestroyTexture(w->texture);
    SDL_DestroyRenderer(w->renderer);
    SDL_DestroyWindow(w->window);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    /* The last user of SDL lets it free the rest (its D-Bus connection...). */
    if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0)
        SDL_Quit();
    free(w->base_title);
    free(w->shot_pattern);
    free(w->pixels);
    free(w);
}
