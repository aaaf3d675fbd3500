/* Scripted serial console: a tiny expect/send dialogue with the guest on COM1,
 * for headless tests and automation (ringzero --serial-script FILE).
 *
 * Script lines (leading blanks ignored; '#' starts a comment line):
 *   expect TEXT   wait until COM1 has printed TEXT after the previous match
 *   send TEXT     type TEXT and a carriage return into COM1's receiver
 *   sendraw TEXT  type TEXT alone (no carriage return)
 * In TEXT, \n \r \t \\ and \xHH are escapes.  The script is checked between
 * fixed instruction slices, so a run is as deterministic as the guest. */
#ifndef RINGZERO_FRONTEND_SERIAL_SCRIPT_H
#define RINGZERO_FRONTEND_SERIAL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct serial_script;

/* Parses a script file; NULL with a message in err (naming the line) on error. */
struct serial_script *serial_script_load(const char *path, char *err, size_t err_len);
/* Parses script text (for tests). */
struct serial_script *serial_script_parse(const char *text, char *err, size_t err_len);
void serial_script_free(struct serial_script *s);
/* Advances the script as far as the guest's output allows and feeds pending
 * input into the UART. Returns true once every line has been carried out. */
bool serial_script_step(struct serial_script *s, struct machine *m);
/* The line being waited for (1-based) and its text, for a clear message when a
 * run ends first; 0 when done. */
unsigned serial_script_waiting(const struct serial_script *s, const char **text);

#endif
