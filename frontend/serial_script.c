/* Scripted serial console (see serial_script.h). */
#include "serial_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"

enum step_kind { STEP_EXPECT, STEP_SEND };

struct script_step {
    enum step_kind kind;
    char *text;      /* unescaped; NUL-free for expect */
    size_t len;
    unsigned line;
};

struct serial_script {
    struct script_step *steps;
    size_t count, next;
    uint64_t match_from; /* COM1 output position after the last match */
    size_t sent;         /* bytes of the current send step already in the UART */
};

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Unescapes src[0..n) into a new buffer; false on a bad escape. */
static bool unescape(const char *src, size_t n, bool add_cr, char **out, size_t *out_len)
{
    char *buf = malloc(n + 2);
    if (!buf)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = src[i];
        if (ch == '\\') {
            if (++i >= n) {
                free(buf);
                return false;
            }
            switch (src[i]) {
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case '\\': ch = '\\'; break;
            case 'x': {
                int hi = i + 1 < n ? hexval(src[i + 1]) : -1, lo = i + 2 < n ? hexval(src[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    free(buf);
                    return false;
                }
                ch = (char)(hi * 16 + lo);
                i += 2;
                break;
            }
            default:
                free(buf);
                return false;
            }
        }
        buf[k++] = ch;
    }
    if (add_cr)
        buf[k++] = '\r'; /* what the Enter key sends on a serial terminal */
    buf[k] = 0;
    *out = buf;
    *out_len = k;
    return true;
}

void serial_script_free(struct serial_script *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->count; k++)
        free(s->steps[k].text);
    free(s->steps);
    free(s);
}

struct serial_script *serial_script_parse(const char *text, char *err, size_t err_len)
{
    struct serial_script *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    unsigned line = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t'))
            q++;
        size_t rest = (size_t)(p + len - q);
        if (rest && q[rest - 1] == '\r')
            rest--; /* CRLF files */
        if (rest && *q != '#') {
            static const struct { const char *word; enum step_kind kind; bool cr; } words[] = {
                {"expect ", STEP_EXPECT, false}, {"send ", STEP_SEND, true}, {"sendraw ", STEP_SEND, false}};
            bool ok = false;
            for (size_t w = 0; w < sizeof words / sizeof words[0] && !ok; w++) {
                size_t wl = strlen(words[w].word);
                if (rest < wl || memcmp(q, words[w].word, wl) != 0)
                    continue;
                struct script_step st = {.kind = words[w].kind, .line = line};
                if (!unescape(q + wl, rest - wl, words[w].cr, &st.text, &st.len) || st.len == 0 ||
                    (st.kind == STEP_EXPECT && strlen(st.text) != st.len)) {
                    snprintf(err, err_len, "serial script line %u: bad or empty text", line);
                    free(st.text);
                    serial_script_free(s);
                    return NULL;
                }
                struct script_step *grown = realloc(s->steps, (s->count + 1) * sizeof *grown);
                if (!grown) {
                    free(st.text);
                    serial_script_free(s);
                    snprintf(err, err_len, "out of memory");
                    return NULL;
                }
                s->steps = grown;
                s->steps[s->count++] = st;
                ok = true;
            }
            if (!ok) {
                snprintf(err, err_len, "serial script line %u: expected 'expect TEXT', 'send TEXT' or 'sendraw TEXT'",
                         line);
                serial_script_free(s);
                return NULL;
            }
        }
        p += len;
        if (*p == '\n')
            p++;
    }
    return s;
}

struct serial_script *serial_script_load(const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot read serial script %s", path);
        return NULL;
    }
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    bool too_big = buf && !feof(f);
    fclose(f);
    if (!buf || too_big) {
        free(buf);
        snprintf(err, err_len, "serial script %s: larger than 1 MiB", path);
        return NULL;
    }
    buf[n] = 0;
    if (strlen(buf) != n) {
        free(buf);
        snprintf(err, err_len, "serial script %s: contains NUL bytes", path);
        return NULL;
    }
    struct serial_script *s = serial_script_parse(buf, err, err_len);
    free(buf);
    return s;
}

bool serial_script_step(struct serial_script *s, struct machine *m)
{
    while (s->next < s->count) {
        struct script_step *st = &s->steps[s->next];
        if (st->kind == STEP_EXPECT) {
            uint64_t end;
            if (!machine_serial_find(m, st->text, s->match_from, &end))
                return false;
            s->match_from = end;
        } else {
            /* Offer only what the receiver has room for (16 bytes with the FIFO on,
             * 1 without): more would be an overrun. The rest waits for the next step. */
            size_t room = uart16550_rx_space(&m->com1), left = st->len - s->sent;
            s->sent += uart16550_receive(&m->com1, (const uint8_t *)st->text + s->sent, left < room ? left : room);
            if (s->sent < st->len)
                return false;
            s->sent = 0;
        }
        s->next++;
    }
    return true;
}

unsigned serial_script_waiting(const struct serial_script *s, const char **text)
{
    if (s->next >= s->count)
        return 0;
    *text = s->steps[s->next].text;
    return s->steps[s->next].line;
}
