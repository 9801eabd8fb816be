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

#endif
