package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Regexp cases: each pattern against each of its texts, answered by Go's regexp (what
// pprof uses), or the reason Go refuses the pattern. cprof must give the same answers.
var regexpCases = []struct {
	pattern string
	texts   []string
}{
	{`main`, []string{"main.countWords", "xmai"}},
	{`^runtime\.m`, []string{"runtime.mallocgc", "xruntime.mallocgc", "runtimexm"}},
	{`step|sieve`, []string{"main.sieve", "main.step", "main.stop"}},
	{`a$`, []string{"a", "a\n", "ba", "ab"}},
	{`(?m)a$`, []string{"a\nb", "ab"}},
	{`^b`, []string{"a\nb", "b"}},
	{`(?m)^b`, []string{"a\nb"}},
	{`a.c`, []string{"abc", "a\nc", "a\u00e9c"}},
	{`(?s)a.c`, []string{"a\nc"}},
	{`(?i)MAIN`, []string{"main.main", "MaIn", "mai"}},
	{`(?i)k`, []string{"\u212a", "K", "x"}},
	{`(?i)straße`, []string{"STRASSE", "STRAẞE", "strasse"}},
	{`(?P<fn>fib)`, []string{"main.fib"}},
	{`\Q(a+)\E`, []string{"(a+)", "aa"}},
	{`[(?=]x`, []string{"(x", "?x", "x"}},
	{`\(?=x`, []string{"(=x", "=x", "x"}},
	{`\x{e9}t\x{e9}`, []string{"\u00e9t\u00e9", "ete"}},
	{`^.$`, []string{"\xff", "\xc3\xa9", "\xc3", "ab"}},
	{`^..$`, []string{"\xe2\x82", "\xe2\x82\xac"}},
	{`^a\x{FFFD}b$`, []string{"a\xffb", "a\ufffdb", "ab"}},
	{`^...$`, []string{"\xed\xa0\x80"}},
	{`^.$`, []string{"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80"}},
	{`^\C$`, []string{"a"}},
	{`\pL+`, []string{"\u00e9", "123"}},
	{`\p{Greek}`, []string{"\u03b1", "a"}},
	{`\PL`, []string{"abc", "ab1"}},
	{`[[:alpha:]]+\d`, []string{"abc1", "123"}},
	{`[^a]`, []string{"a", "\xff", "aa\x00"}},
	{`\bfoo\b`, []string{"a foo b", "afoob", "foo"}},
	{`\Bo\B`, []string{"foo", "o"}},
	{`\Aab\z`, []string{"ab", "ab\n"}},
	{`\s\S\w\W\d\D`, []string{" a_ 1x", "abcdef"}},
	{`x*`, []string{"", "yyy"}},
	{`^$`, []string{"", "\n"}},
	{`a{2,3}`, []string{"a", "aa"}},
	{`(?U)a+?`, []string{"aaa"}},
	{`\x00`, []string{"a\x00b", "ab"}},
	{"é", []string{"caf\u00e9", "cafe"}},
	{`[\x{100}-\x{10FFFF}]`, []string{"\u0101", "a", "\xff"}},
	{`(a+)+$`, []string{strings.Repeat("a", 30) + "b", strings.Repeat("a", 30)}},
	{`^((a|aa)*b|a*9)$`, []string{strings.Repeat("a", 41) + "9", strings.Repeat("a", 41)}},
	{`(x+x+)+y`, []string{strings.Repeat("x", 40)}},
	{`(.*a){12}`, []string{strings.Repeat("a", 11) + strings.Repeat("b", 30)}},
	// Refused, as Go refuses them.
	{`(?=a)`, nil}, {`(?!a)`, nil}, {`(?<=a)b`, nil}, {`(?<!a)b`, nil}, {`(a)\1`, nil},
	{`(?<n>a)\k<n>`, nil}, {`\C`, nil}, {`[\C]`, nil}, {`(?>a)`, nil}, {`a*+`, nil},
	{`a++`, nil}, {`(?R)`, nil}, {`(?(1)a|b)`, nil}, {`(`, nil}, {`)`, nil}, {`a{2,1}`, nil},
	{`a**`, nil}, {`[z-a]`, nil}, {`\8`, nil}, {`x{1001}`, nil}, {`[[:foo:]]`, nil},
	{`\pX`, nil}, {`a\`, nil}, {`a[`, nil}, {`a(`, nil}, {`[z`, nil}, {`a(b`, nil}, {`*`, nil}, {`(?<n>a)`, nil}, {`\Z`, nil}, {`[a`, nil},
	{`(?P<>a)`, nil}, {`(?P<n!>a)`, nil}, {`(?z)`, nil}, {`x{2}{3}`, nil},
	{"\xff", nil}, {"(\xff", nil}, {"a\xffb\xfe", nil}, {"\xed\xa0\x80", nil},
	{`(?i)(?P<n>a)(?P<n>b)`, []string{"ab"}},
}

// The answer cprof's test expects: "match", "no match", or Go's reason for refusing the
// pattern without its "error parsing regexp: " prefix.
func regexpAnswer(re *regexp.Regexp, err error, text string) string {
	if err != nil {
		return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	}
	if re.MatchString(text) {
		return "match"
	}
	return "no match"
}

func emitRegexp(w io.Writer) {
	fmt.Fprintln(w, "/* Go", goVersion(), "regexp: MatchString, or the reason Compile refuses. */")
	fmt.Fprintln(w, "static const struct { const char *pattern, *text; size_t text_len; const char *answer; } go_regexps[] = {")
	for _, c := range regexpCases {
		re, err := regexp.Compile(c.pattern)
		texts := c.texts
		if err != nil {
			texts = []string{""}
		}
		for _, t := range texts {
			fmt.Fprintf(w, "\t{ %s, %s, %d, %s },\n", cstr(c.pattern), cstr(t), len(t),
				cstr(regexpAnswer(re, err, t)))
		}
	}
	fmt.Fprintln(w, "};")
}
