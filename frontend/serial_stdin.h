/* Interactive serial console: keystrokes on the host terminal go to COM1's
 * receiver, so the guest's serial console can be used from a headless run.
 * Only when standard input is a terminal: it is put in raw mode (restored at
 * exit). Ctrl-A x quits, Ctrl-A Ctrl-A sends a Ctrl-A (as QEMU's -serial stdio). */
#ifndef RINGZERO_FRONTEND_SERIAL_STDIN_H
#define RINGZERO_FRONTEND_SERIAL_STDIN_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct serial_stdin;

/* NULL when standard input is not a terminal (nothing to do). */
struct serial_stdin *serial_stdin_open(void);
/* Moves waiting keystrokes into COM1 as its receiver has room; true when the user asked to quit. */
bool serial_stdin_poll(struct serial_stdin *s, struct machine *m);
/* Waits up to ns of real time for a keystroke (idle guest time being paced). */
void serial_stdin_wait(struct serial_stdin *s, uint64_t ns);
/* Restores the terminal and frees s (NULL is ignored). */
void serial_stdin_close(struct serial_stdin *s);

#endif
