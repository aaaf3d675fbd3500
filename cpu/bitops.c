/* Placeholder: filled in by its instruction group. */
#include "operand.h"

const struct opdef bitops_opdefs[] = {
    {0, 0, 0, NULL},
};
