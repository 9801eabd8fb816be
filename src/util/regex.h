/* Regular expressions for pprof's regexp arguments (RE2 syntax, which PCRE2 accepts for
 * the patterns people write): unanchored search, as Go's MatchString. A struct regex owns
 * its compiled pattern; regex_free releases it. */
#ifndef CPROF_UTIL_REGEX_H
#define CPROF_UTIL_REGEX_H

#include <stdbool.h>

#include "util/error.h"

struct regex;

/* Compiles pattern; on a syntax error returns NULL with err holding why. */
struct regex *regex_compile(const char *pattern, struct cprof_error *err);
/* Whether s contains a match of re. */
bool regex_match(const struct regex *re, const char *s);
void regex_free(struct regex *re);

#endif
