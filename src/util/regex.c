/* RE2-syntax regular expressions on top of PCRE2. PCRE2 reads the patterns people write for
 * RE2 the same way; what it would accept and RE2 would not is caught by a scan beforehand,
 * and the options make the rest agree ($ only at the very end, no \C, UTF-8). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>
#include <string.h>

#include "util/xalloc.h"

struct regex {
	pcre2_code *code;
	pcre2_match_data *md;
	char *pattern;
};

/* Why RE2 would refuse pattern, or NULL. Skips escapes and character classes so that
 * "[(?=]" or "\(?=" are not mistaken for lookaround. */
static const char *re2_refuses(const char *p)
{
	bool in_class = false;
	for (size_t i = 0; p[i]; i++) {
		char c = p[i];
		if (c == '\\') {
			char n = p[i + 1];
			if (!n)
				return NULL; /* PCRE2 reports the trailing backslash */
			if (n == 'C')
				return "\\C is not supported";
			if (!in_class && ((n >= '1' && n <= '9') || n == 'g' || n == 'k'))
				return "backreferences are not supported";
			i++;
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = false;
			continue;
		}
		if (c == '[') {
			in_class = true;
			/* A ']' right after '[' or '[^' is a literal. */
			if (p[i + 1] == '^')
				i++;
			if (p[i + 1] == ']')
				i++;
			continue;
		}
		if (c == '(' && p[i + 1] == '?') {
			char k = p[i + 2];
			if (k == '=' || k == '!' || (k == '<' && (p[i + 3] == '=' || p[i + 3] == '!')))
				return "lookaround is not supported";
			if (k == '>')
				return "atomic groups are not supported";
			if (k == '(')
				return "conditionals are not supported";
			if (k == 'R' || k == '&' || (k >= '0' && k <= '9') || k == '+' ||
			    (k == 'P' && p[i + 3] == '>'))
				return "recursion is not supported";
			if (k == 'C')
				return "callouts are not supported";
			if (k == '|')
				return "branch reset groups are not supported";
			continue;
		}
		if ((c == '*' || c == '+' || c == '?' || c == '}') && p[i + 1] == '+')
			return "possessive quantifiers are not supported";
	}
	return NULL;
}

struct regex *regex_compile(const char *pattern, struct cprof_error *err)
{
	const char *why = re2_refuses(pattern);
	if (why) {
		error_set(err, "bad regexp \"%s\": %s", pattern, why);
		return NULL;
	}
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
					       PCRE2_NEVER_BACKSLASH_C | PCRE2_NO_AUTO_CAPTURE,
				       &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		error_set(err, "bad regexp \"%s\": %s at offset %zu", pattern, (const char *)msg,
			  (size_t)off);
		return NULL;
	}
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md) {
		pcre2_code_free(re);
		error_set(err, "bad regexp \"%s\": out of memory", pattern);
		return NULL;
	}
	struct regex *r = xcalloc(1, sizeof(*r));
	r->code = re;
	r->md = md;
	r->pattern = xstrdup(pattern);
	return r;
}

bool regex_match_n(const struct regex *re, const char *s, size_t n)
{
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, NULL) >= 0;
}

bool regex_match(const struct regex *re, const char *s)
{
	return regex_match_n(re, s, strlen(s));
}

const char *regex_pattern(const struct regex *re)
{
	return re->pattern;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re);
}
