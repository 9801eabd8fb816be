/* util/regex: RE2 syntax on PCRE2 — what matches, and what RE2 refuses. TAP output. */
#include <stdio.h>
#include <string.h>

#include "util/regex.h"

static int n_test, n_fail;

static void ok(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", n_test, what);
}

static void match(const char *pattern, const char *s, int want)
{
	struct cprof_error err = { "" };
	struct regex *re = regex_compile(pattern, &err);
	char what[256];
	snprintf(what, sizeof(what), "/%s/ %s \"%s\"", pattern, want ? "matches" : "does not match",
		 s);
	ok(re && regex_match(re, s) == want, what);
	regex_free(re);
}

static void refused(const char *pattern, const char *why)
{
	struct cprof_error err = { "" };
	struct regex *re = regex_compile(pattern, &err);
	char what[256];
	snprintf(what, sizeof(what), "/%s/ refused (%s)", pattern, why);
	ok(!re && strstr(err.msg, why) && strstr(err.msg, pattern), what);
	regex_free(re);
}

int main(void)
{
	match("main", "main.countWords", 1);
	match("^runtime\\.m", "runtime.mallocgc", 1);
	match("^runtime\\.m", "xruntime.mallocgc", 0);
	match("step|sieve", "main.sieve", 1);
	match("a$", "a\n", 0); /* RE2: $ is the end of text, never before a final newline */
	match("(?i)MAIN", "main.main", 1);
	match("(?P<fn>fib)", "main.fib", 1);
	match("[(?=]x", "(x", 1);  /* inside a class, (?= is no lookahead */
	match("\\(?=x", "(=x", 1); /* an escaped parenthesis neither */
	match("\\x{e9}t\\x{e9}", "\xc3\xa9t\xc3\xa9", 1);
	/* Invalid UTF-8: each byte that starts no valid sequence reads as U+FFFD, as in Go
	 * (these answers are what Go 1.19's regexp gives). */
	match("^.$", "\xff", 1);
	match("^..$", "\xe2\x82", 1); /* a truncated sequence: two bytes, two */
	match("^a\\x{FFFD}b$",
	      "a\xff"
	      "b",
	      1);
	match("^...$", "\xed\xa0\x80", 1);   /* an encoded surrogate: three */
	match("^.$", "\xf4\x8f\xbf\xbf", 1); /* U+10FFFF is one character */
	match("\\pL+", "\xc3\xa9", 1);
	/* Patterns that make a backtracking matcher explode: answered, and as Go answers. */
	match("^((a|aa)*b|a*9)$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa9", 1);
	{
		char many[5001];
		memset(many, 'a', 5000);
		many[5000] = '\0';
		match("(a|aa)*b", many, 0);
	}
	refused("(?=a)", "lookaround is not supported");
	refused("(?!a)", "lookaround is not supported");
	refused("(?<=a)b", "lookaround is not supported");
	refused("(?<!a)b", "lookaround is not supported");
	refused("(a)\\1", "backreferences are not supported");
	refused("(?<n>a)\\k<n>", "backreferences are not supported");
	refused("\\C", "\\C is not supported");
	refused("(?>a)", "atomic groups are not supported");
	refused("a*+", "possessive quantifiers are not supported");
	refused("(?R)", "recursion is not supported");
	refused("(?(1)a|b)", "conditionals are not supported");
	refused("(", "bad regexp");
	refused("a{2,1}", "bad regexp");
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
