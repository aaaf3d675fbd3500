#include "sse.h"

const struct opdef sse_mov_opdefs[] = {
    {0, 0, 0, NULL},
};
