/* Placeholder: filled in by its instruction group. */
#include "operand.h"

const struct opdef bcd_opdefs[] = {
    {0, 0, 0, NULL},
};
