/* Code page 437 (the IBM PC's character set, which the VGA text modes show) to
 * Unicode, for turning a text screen into plain UTF-8 text. */
#ifndef RINGZERO_DEVICES_CP437_H
#define RINGZERO_DEVICES_CP437_H

#include <stddef.h>
#include <stdint.h>

/* The Unicode code point of a CP437 character (0x00 and 0xFF read as a space). */
uint16_t cp437_to_unicode(uint8_t ch);
/* Writes the UTF-8 form of a CP437 character into out (up to 3 bytes); returns the length. */
size_t cp437_to_utf8(uint8_t ch, char out[3]);

#endif
