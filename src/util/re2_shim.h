/* The little of RE2 (a C++ library) that util/regex.c uses, behind a C interface:
 * re2_shim.cc is the only C++ file in cprof. */
#ifndef CPROF_UTIL_RE2_SHIM_H
#define CPROF_UTIL_RE2_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct re2_shim;

/* Why a pattern does not compile, as Go's regexp/syntax names it. */
enum re2_shim_error {
	RE2_SHIM_OK,
	RE2_SHIM_INTERNAL,
	RE2_SHIM_BAD_ESCAPE,
	RE2_SHIM_BAD_CLASS,
	RE2_SHIM_BAD_RANGE,
	RE2_SHIM_MISSING_BRACKET,
	RE2_SHIM_MISSING_PAREN,
	RE2_SHIM_UNEXPECTED_PAREN,
	RE2_SHIM_TRAILING_BACKSLASH,
	RE2_SHIM_REPEAT_ARGUMENT,
	RE2_SHIM_REPEAT_SIZE,
	RE2_SHIM_REPEAT_OP,
	RE2_SHIM_BAD_PERL_OP,
	RE2_SHIM_BAD_UTF8,
	RE2_SHIM_BAD_NAMED_CAPTURE,
	RE2_SHIM_TOO_LARGE,
	RE2_SHIM_NO_MEMORY,
};

/* Compiles the n bytes at pattern (RE2 syntax, UTF-8, no capturing). On failure returns
 * NULL, sets *why, and copies the offending part of the pattern into arg (NUL-terminated,
 * cut to arg_size). */
struct re2_shim *re2_shim_compile(const char *pattern, size_t n, enum re2_shim_error *why,
				  char *arg, size_t arg_size);
/* Whether re matches anywhere in the n bytes at s, which must be valid UTF-8: 1 if it
 * does, 0 if not, -1 if memory ran out. */
int re2_shim_match(const struct re2_shim *re, const char *s, size_t n);
/* Compiles the n bytes at pattern as re2_shim_compile does, but reading pattern and texts
 * as Latin-1 (a byte is a character) and keeping capturing groups, for re2_shim_find. */
struct re2_shim *re2_shim_compile_bytes(const char *pattern, size_t n, enum re2_shim_error *why,
					char *arg, size_t arg_size);
/* The leftmost-first match of re in the n bytes at s: 1 with spans[2i], spans[2i+1] the
 * start and end of group i (0: the whole match) for i < n_groups (-1, -1 for a group that
 * took no part), 0 if there is none, -1 if memory ran out. */
int re2_shim_find(const struct re2_shim *re, const char *s, size_t n, long *spans, int n_groups);
void re2_shim_free(struct re2_shim *re);

#ifdef __cplusplus
}
#endif

#endif
