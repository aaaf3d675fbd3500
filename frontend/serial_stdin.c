/* Interactive serial console (see serial_stdin.h). */
#include "serial_stdin.h"

#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "machine.h"

#define CTRL_A 0x01

struct serial_stdin {
    struct termios saved;
    unsigned char pending[256]; /* typed, not yet taken by the UART */
    size_t head, count;
    bool escape;                /* the previous key was Ctrl-A */
};

struct serial_stdin *serial_stdin_open(void)
{
    if (!isatty(STDIN_FILENO))
        return NULL;
    struct serial_stdin *s = calloc(1, sizeof *s);
    if (!s || tcgetattr(STDIN_FILENO, &s->saved) != 0) {
        free(s);
        return NULL;
    }
    /* Raw input: every key as it is typed, no echo (the guest echoes), no
     * signals (Ctrl-C goes to the guest); output processing stays as it was. */
    struct termios raw = s->saved;
    raw.c_iflag &= (tcflag_t) ~(ICRNL | INLCR | IGNCR | IXON | ISTRIP);
    raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    return s;
}

void serial_stdin_wait(struct serial_stdin *s, uint64_t ns)
{
    (void)s;
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int ms = ns >= 1000000000ull ? 1000 : (int)(ns / 1000000);
    if (ms > 0)
        poll(&p, 1, ms);
}

void serial_stdin_close(struct serial_stdin *s)
{
    if (!s)
        return;
    tcsetattr(STDIN_FILENO, TCSANOW, &s->saved);
    free(s);
}

bool serial_stdin_poll(struct serial_stdin *s, struct machine *m)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    while (s->count < sizeof s->pending && poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
        unsigned char buf[64];
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf < sizeof s->pending - s->count ? sizeof buf
                                                                                       : sizeof s->pending - s->count);
        if (n <= 0)
            break;
        for (ssize_t k = 0; k < n; k++) {
            unsigned char ch = buf[k];
            if (s->escape) {
                s->escape = false;
                if (ch == 'x' || ch == 'X')
                    return true;
                if (ch != CTRL_A)
                    continue; /* unknown escape: dropped */
            } else if (ch == CTRL_A) {
                s->escape = true;
                continue;
            }
            s->pending[(s->head + s->count++) % sizeof s->pending] = ch;
        }
    }
    /* Offer only what the receiver has room for: more would be an overrun. */
    while (s->count && uart16550_rx_space(&m->com1)) {
        if (uart16550_receive(&m->com1, &s->pending[s->head], 1) != 1)
            break;
        s->head = (s->head + 1) % sizeof s->pending;
        s->count--;
    }
    return false;
}
