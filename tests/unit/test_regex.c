/* util/regex: every answer Go's regexp gives on expect_regexp.h's cases (matches, and the
 * reasons for refusing a pattern), and matching that stays linear on the patterns that
 * send backtracking matchers exponential. TAP output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect_regexp.h"
#include "util/regex.h"

static int n_test, n_fail;

static void ok(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n_test, what);
}

/* What cprof answers, in the words expect_regexp.h uses: "match", "no match", or the
 * reason after "bad regexp \"PATTERN\": ". */
static const char *answer(const char *pattern, const char *text, size_t text_len, char *buf,
			  size_t size)
{
	struct cprof_error err = { "" };
	struct regex *re = regex_compile(pattern, &err);
	if (!re) {
		char prefix[512];
		snprintf(prefix, sizeof(prefix), "bad regexp \"%s\": ", pattern);
		size_t n = strlen(prefix);
		snprintf(buf, size, "%s", strncmp(err.msg, prefix, n) ? err.msg : err.msg + n);
		return buf;
	}
	const char *a = regex_match_n(re, text, text_len) ? "match" : "no match";
	regex_free(re);
	return a;
}

/* A string of n copies of c then tail. */
static char *repeat(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/* Patterns that take a backtracking matcher (or PCRE2's DFA matcher, which restarts at
 * every position) time exponential or quadratic in the text: on 200,000-byte texts they
 * must still be answered at once. Without linear matching this test does not end. */
static void linear(void)
{
	static const struct {
		const char *pattern, *tail;
		char fill;
		int want;
	} cases[] = {
		{ "(a+)+$", "b", 'a', 0 },           { "(a|aa)*b", "", 'a', 0 },
		{ "^((a|aa)*b|a*9)$", "9", 'a', 1 }, { "(x+x+)+y", "", 'x', 0 },
		{ "(.*a){20}", "", 'b', 0 },         { "a.*b.*c.*d", "", 'a', 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = repeat(cases[i].fill, 200000, cases[i].tail);
		struct cprof_error err = { "" };
		struct regex *re = regex_compile(cases[i].pattern, &err);
		char what[128];
		snprintf(what, sizeof(what), "/%s/ on 200,000 '%c' then \"%s\": %s",
			 cases[i].pattern, cases[i].fill, cases[i].tail,
			 cases[i].want ? "match" : "no match");
		ok(re && regex_match(re, text) == cases[i].want, what);
		regex_free(re);
		free(text);
	}
	/* Invalid UTF-8 is read as U+FFFD per byte, long texts too. */
	char *bad = repeat('\xff', 100000, "");
	struct cprof_error err = { "" };
	struct regex *re = regex_compile("^\\x{FFFD}+$", &err);
	ok(re && regex_match(re, bad), "100,000 invalid bytes each read as U+FFFD");
	regex_free(re);
	free(bad);
}

/* regex_find: spans as Go's FindSubmatchIndex gives them, bytes read one by one. */
static void find(void)
{
	struct regex_span g[4];
	struct regex *re = regex_compile_bytes("(\\d+) *(\\d+) @([ x0-9a-f]*)");
	const char *t = "x123456 @ 0x1f z";
	ok(regex_find(re, t, strlen(t), g, 4) && g[0].start == 1 && g[1].start == 1 &&
		   g[1].end == 6 && g[2].start == 6 && g[2].end == 7 && g[3].start == 9 &&
		   g[3].end == 15,
	   "find: leftmost-first, greedy groups give back what the rest needs");
	ok(!regex_find(re, "1 @", 3, g, 4), "find: no match");
	regex_free(re);
	re = regex_compile_bytes("^(\\S+) (x)?(y)?");
	t = "\xff\xc3 y";
	ok(regex_find(re, t, strlen(t), g, 4) && g[1].end == 2 && g[2].start == -1 &&
		   g[3].start == 3,
	   "find: invalid UTF-8 bytes are characters; a group that took no part is -1");
	regex_free(re);
}

/* regex_fixed: compiled at the first call, the same regex from then on. */
static void fixed(void)
{
	static const struct regex *_Atomic slot;
	struct regex_span g[2];
	const struct regex *re = regex_fixed(&slot, "^a(b+)");
	ok(re && re == slot, "fixed: the first call compiles into the slot");
	ok(regex_fixed(&slot, "^a(b+)") == re, "fixed: a later call gives the same regex back");
	ok(regex_find(re, "abbc", 4, g, 2) && g[1].start == 1 && g[1].end == 3,
	   "fixed: the regex matches as a compiled one does");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(go_regexps) / sizeof(go_regexps[0]); i++) {
		char buf[512], what[1024], text[64];
		const char *got = answer(go_regexps[i].pattern, go_regexps[i].text,
					 go_regexps[i].text_len, buf, sizeof(buf));
		size_t n = go_regexps[i].text_len < sizeof(text) ? go_regexps[i].text_len
								 : sizeof(text) - 1;
		for (size_t k = 0; k < n; k++) { /* printable, so that TAP lines stay lines */
			char c = go_regexps[i].text[k];
			text[k] = c >= 0x20 && c < 0x7f ? c : '?';
		}
		text[n] = '\0';
		snprintf(what, sizeof(what), "/%s/ on \"%s\": %s (Go: %s)", go_regexps[i].pattern,
			 text, got, go_regexps[i].answer);
		ok(strcmp(got, go_regexps[i].answer) == 0, what);
	}
	linear();
	find();
	fixed();
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
