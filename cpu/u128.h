/* 128-bit integer helpers shared by the soft-float code (cpu/x87/f80.c for the
 * x87's 80-bit format, cpu/sse/softfloat.c for SSE's binary32/binary64). */
#ifndef RINGZERO_CPU_U128_H
#define RINGZERO_CPU_U128_H

#include <stdint.h>

typedef unsigned __int128 u128;

/* Leading zero bits of x (x != 0). */
static inline int clz128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)x);
}

/* Shift right by n, OR-ing every bit shifted out into bit 0 (the sticky bit
 * that rounding needs). */
static inline u128 shr_sticky(u128 x, int32_t n)
{
    if (n <= 0)
        return x;
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

#endif
