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

#endif
