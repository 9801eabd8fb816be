/* Regular expressions with RE2's syntax and meaning, as Go's regexp and so pprof use them,
 * on RE2: matching takes time linear in the text for every pattern, and always answers.
 * A pattern Go's regexp refuses is refused, with Go's reason. A struct regex is owned by
 * the caller: regex_free. */
#ifndef CPROF_UTIL_REGEX_H
#define CPROF_UTIL_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct regex;

/* Compiles pattern; on error returns NULL with "bad regexp \"PATTERN\": why" in err. */
struct regex *regex_compile(const char *pattern, struct cprof_error *err);
/* Whether re matches anywhere in s (Go's MatchString). */
bool regex_match(const struct regex *re, const char *s);
/* Same for the n bytes at s. */
bool regex_match_n(const struct regex *re, const char *s, size_t n);
/* The pattern re was compiled from. */
const char *regex_pattern(const struct regex *re);
void regex_free(struct regex *re);

/* For fixed patterns that read bytes rather than names, such as pprof's legacy text formats:
 * pattern and text are Latin-1 (every byte a character), which for a pattern whose literals
 * and positive classes are ASCII matches the same spans as Go's regexp on UTF-8. A pattern
 * that does not compile is a bug: cprof stops with its reason. */
struct regex *regex_compile_bytes(const char *pattern);

/* A fixed byte pattern compiled once for the whole process: the parsers' patterns, which
 * a merge of many legacy profiles (or a fuzzer) would otherwise compile per file. *slot,
 * a static of the caller's set to NULL, holds it from the first call on; threads may race
 * to the first call (one compilation is kept). Never freed. */
const struct regex *regex_fixed(const struct regex *_Atomic *slot, const char *pattern);

/* A group's span in the text: [start, end), both -1 when the group took no part. */
struct regex_span {
	long start, end;
};

/* Go's FindSubmatchIndex: the leftmost-first match of re in the n bytes at s. Returns true
 * and fills groups[0..n_groups) (0 is the whole match; at most 16), or false. */
bool regex_find(const struct regex *re, const char *s, size_t n, struct regex_span *groups,
		int n_groups);

#endif
