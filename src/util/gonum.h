/* Go's number conversions and math as pprof's parsers run them, bit for bit: strconv's
 * ParseInt and ParseUint (base prefixes, underscores, range checks) and math.Exp as Go
 * computes it on amd64. */
#ifndef CPROF_UTIL_GONUM_H
#define CPROF_UTIL_GONUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* strconv.ParseUint(s[0..n), base, 64): base 0 reads Go's prefixes (0x, 0o, 0b, a leading
 * 0 for octal) and underscores between digits; else 2..36. Returns 0 and *out, or -1 for
 * anything Go refuses (syntax or range). */
int gonum_parse_uint(const char *s, size_t n, int base, uint64_t *out);
/* strconv.ParseInt(s[0..n), base, 64): an optional sign, then as gonum_parse_uint. */
int gonum_parse_int(const char *s, size_t n, int base, int64_t *out);

/* math.Exp(x) as Go 1.19 computes it on amd64 (its own assembly, not the C library's exp,
 * whose last bit can differ), with or without FMA as the CPU decides, as Go does. */
double gonum_exp(double x);
/* The same on the path chosen here (fma: the one for CPUs with FMA), whatever the CPU. */
double gonum_exp_path(double x, bool fma);

#endif
