/* Placeholder: descriptors and protected-mode segment loads (being written). */
#include "desc.h"
#include "operand.h"

const struct opdef desc_opdefs[] = {
    {0, 0, 0, NULL},
};
