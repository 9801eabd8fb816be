/* Go's int64 arithmetic in C: pprof's numbers wrap and convert as Go's do, and C's signed
 * overflow and out-of-range conversions are undefined. Every layer uses these helpers. */
#ifndef CPROF_UTIL_GOINT_H
#define CPROF_UTIL_GOINT_H

#include <stdint.h>

/* Wrapping addition, as Go's int64 behaves. */
static inline int64_t add64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* Wrapping subtraction, as Go's int64 behaves. */
static inline int64_t sub64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

/* Wrapping multiplication, as Go's int64 behaves. */
static inline int64_t mul64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* Go's int64 division: x / -1 wraps (MinInt64 / -1 is MinInt64) where C traps. b != 0. */
static inline int64_t div64(int64_t a, int64_t b)
{
	return b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b;
}

/* |a|, with |MinInt64| = MinInt64 as in Go. */
static inline int64_t abs64(int64_t a)
{
	return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}

/* Go's int64(float64) for the values pprof converts, saturating where C would be undefined. */
static inline int64_t f2i(double x)
{
	if (x != x)
		return INT64_MIN;
	if (x >= 9223372036854775807.0)
		return INT64_MIN; /* what amd64's conversion yields for out-of-range values */
	if (x <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)x;
}

#endif
