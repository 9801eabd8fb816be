/* One-line error messages carried up to main. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(struct cprof_error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int error_prefix(struct cprof_error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t p = strlen(prefix), o = strlen(old), cap = sizeof(err->msg) - 1;
	if (p > cap)
		p = cap;
	memcpy(err->msg, prefix, p);
	size_t n = p;
	if (n + 2 <= cap) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
	}
	if (o > cap - n)
		o = cap - n;
	memcpy(err->msg + n, old, o);
	err->msg[n + o] = '\0';
	return -1;
}
