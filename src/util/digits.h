/* Decimal digits without printf, two at a time: reports as long as the profile print
 * millions of numbers. */
#ifndef CPROF_UTIL_DIGITS_H
#define CPROF_UTIL_DIGITS_H

#include <stdint.h>
#include <string.h>

/* The decimal digits of v, written backwards to end just before end (at most 20 bytes);
 * returns where they start. */
static inline char *digits_u64(char *end, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

/* How many decimal digits v has. */
static inline unsigned digits_count(uint64_t v)
{
	unsigned n = 1;
	for (; v >= 10000; v /= 10000)
		n += 4;
	if (v >= 100) {
		v /= 100;
		n += 2;
	}
	return n + (v >= 10);
}

/* The decimal digits of v written forwards from p; returns their end. */
static inline char *digits_put_u64(char *p, uint64_t v)
{
	char *end = p + digits_count(v);
	digits_u64(end, v);
	return end;
}

#endif
