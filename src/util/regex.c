/* RE2-syntax regular expressions on RE2 itself (through util/re2_shim.cc), so that a
 * pattern means what it means to pprof, which uses Go's regexp, RE2's Go twin: the same
 * syntax, leftmost-first semantics, and matching in time linear in the text whatever the
 * pattern (profiles bring their own drop_frames patterns). RE2 never gives up on a match:
 * when its DFA's memory runs out it falls back to its NFA, which is linear as well. The two
 * differences from Go are handled here: RE2 accepts \C (Go refuses it), and RE2 matches
 * only valid UTF-8, where Go reads an invalid byte as U+FFFD. */
#include "util/regex.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/re2_shim.h"
#include "util/xalloc.h"

struct regex {
	struct re2_shim *re;
	char *pattern;
};

/* Go's regexp/syntax name of each reason a pattern does not compile. */
static const char *const reasons[] = {
	[RE2_SHIM_OK] = "no error",
	[RE2_SHIM_INTERNAL] = "regexp/syntax: internal error",
	[RE2_SHIM_BAD_ESCAPE] = "invalid escape sequence",
	[RE2_SHIM_BAD_CLASS] = "invalid character class",
	[RE2_SHIM_BAD_RANGE] = "invalid character class range",
	[RE2_SHIM_MISSING_BRACKET] = "missing closing ]",
	[RE2_SHIM_MISSING_PAREN] = "missing closing )",
	[RE2_SHIM_UNEXPECTED_PAREN] = "unexpected )",
	[RE2_SHIM_TRAILING_BACKSLASH] = "trailing backslash at end of expression",
	[RE2_SHIM_REPEAT_ARGUMENT] = "missing argument to repetition operator",
	[RE2_SHIM_REPEAT_SIZE] = "invalid repeat count",
	[RE2_SHIM_REPEAT_OP] = "invalid nested repetition operator",
	[RE2_SHIM_BAD_PERL_OP] = "invalid or unsupported Perl syntax",
	[RE2_SHIM_BAD_UTF8] = "invalid UTF-8",
	[RE2_SHIM_BAD_NAMED_CAPTURE] = "invalid named capture",
	[RE2_SHIM_TOO_LARGE] = "expression too large",
	[RE2_SHIM_NO_MEMORY] = "out of memory",
};

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

/* The offset of the first byte of s[0..n) that starts no valid UTF-8 sequence, or n;
 * quick for the ASCII names most profiles have. */
static size_t utf8_invalid_at(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_len((const unsigned char *)s + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

/* Whether p has the escape \C (any byte), which RE2 accepts and Go refuses. */
static bool has_any_byte(const char *p)
{
	for (size_t i = 0; p[i]; i++) {
		if (p[i] != '\\')
			continue;
		if (p[i + 1] == 'C')
			return true;
		if (!p[i + 1])
			break;
		i++; /* skip what is escaped: in \\C the C is a literal */
	}
	return false;
}

struct regex *regex_compile(const char *pattern, struct cprof_error *err)
{
	size_t n = strlen(pattern), bad = utf8_invalid_at(pattern, n);
	if (bad < n) { /* Go checks this first, and names the rest of the pattern */
		error_set(err, "bad regexp \"%s\": %s: `%s`", pattern, reasons[RE2_SHIM_BAD_UTF8],
			  pattern + bad);
		return NULL;
	}
	if (has_any_byte(pattern)) {
		error_set(err, "bad regexp \"%s\": %s: `\\C`", pattern,
			  reasons[RE2_SHIM_BAD_ESCAPE]);
		return NULL;
	}
	enum re2_shim_error why;
	char arg[256];
	struct re2_shim *re = re2_shim_compile(pattern, n, &why, arg, sizeof(arg));
	if (!re) {
		if (why == RE2_SHIM_NO_MEMORY)
			xalloc_die(n);
		error_set(err, "bad regexp \"%s\": %s: `%s`", pattern, reasons[why], arg);
		return NULL;
	}
	struct regex *r = xcalloc(1, sizeof(*r));
	r->re = re;
	r->pattern = xstrdup(pattern);
	return r;
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

static bool match_utf8(const struct regex *re, const char *s, size_t n)
{
	int m = re2_shim_match(re->re, s, n);
	if (m < 0)
		xalloc_die(n);
	return m;
}

bool regex_match_n(const struct regex *re, const char *s, size_t n)
{
	if (utf8_invalid_at(s, n) == n)
		return match_utf8(re, s, n);
	size_t clean_n;
	char *clean = utf8_sanitize(s, n, &clean_n);
	bool m = match_utf8(re, clean, clean_n);
	free(clean);
	return m;
}

bool regex_match(const struct regex *re, const char *s)
{
	return regex_match_n(re, s, strlen(s));
}

const char *regex_pattern(const struct regex *re)
{
	return re->pattern;
}

struct regex *regex_compile_bytes(const char *pattern)
{
	enum re2_shim_error why;
	char arg[256];
	struct re2_shim *re =
		re2_shim_compile_bytes(pattern, strlen(pattern), &why, arg, sizeof(arg));
	if (!re) {
		if (why == RE2_SHIM_NO_MEMORY)
			xalloc_die(strlen(pattern));
		fprintf(stderr, "cprof: internal error: bad regexp \"%s\": %s: `%s`\n", pattern,
			reasons[why], arg);
		abort();
	}
	struct regex *r = xcalloc(1, sizeof(*r));
	r->re = re;
	r->pattern = xstrdup(pattern);
	return r;
}

const struct regex *regex_fixed(const struct regex *_Atomic *slot, const char *pattern)
{
	const struct regex *re = atomic_load_explicit(slot, memory_order_acquire);
	if (re)
		return re;
	struct regex *fresh = regex_compile_bytes(pattern);
	const struct regex *none = NULL;
	if (atomic_compare_exchange_strong_explicit(slot, &none, fresh, memory_order_acq_rel,
						    memory_order_acquire))
		return fresh;
	regex_free(fresh); /* another thread's came first */
	return none;
}

bool regex_find(const struct regex *re, const char *s, size_t n, struct regex_span *groups,
		int n_groups)
{
	long spans[32];
	int m = re2_shim_find(re->re, s, n, spans, n_groups);
	if (m < 0)
		xalloc_die(n);
	if (m == 0)
		return false;
	for (int i = 0; i < n_groups; i++) {
		groups[i].start = spans[2 * i];
		groups[i].end = spans[2 * i + 1];
	}
	return true;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	re2_shim_free(re->re);
	free(re->pattern);
	free(re);
}
