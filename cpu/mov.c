/* Placeholder: filled in by its instruction group. */
#include "operand.h"

const struct opdef mov_opdefs[] = {
    {0, 0, 0, NULL},
};
