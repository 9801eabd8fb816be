/* RE2-syntax regular expressions on top of PCRE2. PCRE2 reads the patterns people write for
 * RE2 the same way; what it would accept and RE2 would not is caught by a scan beforehand,
 * and the options make the rest agree ($ only at the very end, no \C, UTF-8). Matching uses
 * PCRE2's DFA matcher: like RE2 it never backtracks, so no pattern takes exponential time
 * (profiles bring their own drop_frames patterns) and no step limit turns into "no match". */
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

/* The DFA matcher's workspace: on the stack, and on the heap for the rare pattern that
 * needs more. */
#define WS_FIRST 1024
#define WS_MAX ((size_t)1 << 22)

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
			if (k == '=' || k == '!' ||
			    (k == '<' && (p[i + 3] == '=' || p[i + 3] == '!')))
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
				       PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C |
					       PCRE2_NO_AUTO_CAPTURE,
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

/* The length of the valid UTF-8 sequence at s[0..n), as Go's utf8.DecodeRune accepts it
 * (no overlong forms, surrogates or code points past U+10FFFF), or 0 if it is invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		len = 2;
	} else if (c < 0xf0) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c < 0xf5) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* s[0..n) with every byte that starts no valid UTF-8 sequence replaced by U+FFFD, which is
 * how Go's regexp reads such bytes; *out_n is the copy's length. The caller frees it. */
static char *utf8_sanitize(const char *s, size_t n, size_t *out_n)
{
	char *out = xmalloc(3 * n + 1), *o = out;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len((const unsigned char *)s + i, n - i);
		if (len == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(o, s + i, len);
			o += len;
			i += len;
		}
	}
	*out_n = (size_t)(o - out);
	return out;
}

static bool match_valid(const struct regex *re, const char *s, size_t n, bool *bad_utf);

bool regex_match_n(const struct regex *re, const char *s, size_t n)
{
	bool bad_utf = false;
	bool m = match_valid(re, s, n, &bad_utf);
	if (!bad_utf)
		return m;
	size_t clean_n;
	char *clean = utf8_sanitize(s, n, &clean_n);
	m = match_valid(re, clean, clean_n, &bad_utf);
	free(clean);
	return m;
}

/* Matches s, which PCRE2 checks is valid UTF-8: if not, *bad_utf is set and the answer is
 * false. */
static bool match_valid(const struct regex *re, const char *s, size_t n, bool *bad_utf)
{
	int first[WS_FIRST], *ws = first;
	size_t ws_n = WS_FIRST;
	int rc;
	for (;;) {
		rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, NULL, ws, ws_n);
		if (rc != PCRE2_ERROR_DFA_WSSIZE || ws_n >= WS_MAX)
			break;
		if (ws != first)
			free(ws);
		ws_n *= 4;
		ws = xmalloc(ws_n * sizeof(*ws));
	}
	if (ws != first)
		free(ws);
	if (rc >= 0)
		return true; /* 0 is a match too, one the match data was too small to describe */
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) {
		*bad_utf = true;
		return false;
	}
	/* What the DFA matcher cannot answer (a pattern needing a workspace beyond WS_MAX),
	 * the backtracking one is asked. */
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
