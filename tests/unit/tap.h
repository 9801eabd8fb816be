/* A minimal TAP producer for meson's `protocol : 'tap'`: ok/not ok lines (with the got and
 * wanted values when a comparison fails) and a plan. Header-only: each test program is one
 * file. */
#ifndef CPROF_TESTS_TAP_H
#define CPROF_TESTS_TAP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 0))) static void tap_report(int cond, const char *fmt, va_list ap)
{
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond)
		tap_failed++;
}

TAP_UNUSED static void tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
TAP_UNUSED static void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_report(cond, fmt, ap);
	va_end(ap);
}

/* String equality (NULL equals only NULL). */
TAP_UNUSED static void tap_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
TAP_UNUSED static void tap_str(const char *got, const char *want, const char *fmt, ...)
{
	int cond = (got == NULL || want == NULL) ? got == want : strcmp(got, want) == 0;
	va_list ap;
	va_start(ap, fmt);
	tap_report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got ? got : "(null)",
		       want ? want : "(null)");
}

TAP_UNUSED static void tap_int(int64_t got, int64_t want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
TAP_UNUSED static void tap_int(int64_t got, int64_t want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_report(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got:  %lld\n#   want: %lld\n", (long long)got, (long long)want);
}

TAP_UNUSED static void tap_mem(const void *got, size_t got_n, const void *want, size_t want_n,
			       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
TAP_UNUSED static void tap_mem(const void *got, size_t got_n, const void *want, size_t want_n,
			       const char *fmt, ...)
{
	int cond = got_n == want_n && (got_n == 0 || memcmp(got, want, got_n) == 0);
	va_list ap;
	va_start(ap, fmt);
	tap_report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got %zu bytes, want %zu\n", got_n, want_n);
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
