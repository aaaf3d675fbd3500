#include "sse.h"

const struct opdef sse_int_opdefs[] = {
    {0, 0, 0, NULL},
};
