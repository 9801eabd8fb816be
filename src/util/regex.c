/* A thin PCRE2 wrapper: compile once, match many names. */
#include "util/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "util/xalloc.h"

struct regex {
	pcre2_code *code;
	pcre2_match_data *md;
};

struct regex *regex_compile(const char *pattern, struct cprof_error *err)
{
	int code;
	PCRE2_SIZE off;
	/* Go's regexp works on UTF-8 and tolerates invalid bytes in the subject. */
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		error_set(err, "%s at offset %zu of `%s`", (const char *)msg, (size_t)off, pattern);
		return NULL;
	}
	struct regex *re = xmalloc(sizeof(*re));
	re->code = c;
	re->md = pcre2_match_data_create_from_pattern(c, NULL);
	if (!re->md) {
		pcre2_code_free(c);
		free(re);
		error_set(err, "out of memory");
		return NULL;
	}
	return re;
}

bool regex_match(const struct regex *re, const char *s)
{
	return pcre2_match(re->code, (PCRE2_SPTR)s, strlen(s), 0, 0, re->md, NULL) >= 0;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re);
}
