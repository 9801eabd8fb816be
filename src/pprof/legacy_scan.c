/* Go's text handling as pprof's legacy parsers use it: bufio.Scanner's lines (with its
 * 64 KiB limit, which makes longer lines an error in pprof), strings.TrimSpace with
 * Unicode's white space, and the hexadecimal addresses of a stack. */
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/gonum.h"
#include "util/xalloc.h"

/* bufio.MaxScanTokenSize: a line and its "\n" must fit in this buffer. */
#define MAX_TOKEN 65536

void lscan_init(struct lscan *s, const char *data, size_t len)
{
	s->p = data;
	s->end = data + len;
	s->line = (struct lstr){ data, 0 };
	s->too_long = false;
	s->line_no = 0;
}

bool lscan_next(struct lscan *s)
{
	s->line = (struct lstr){ s->end, 0 };
	if (s->too_long || s->p == s->end)
		return false;
	size_t rest = (size_t)(s->end - s->p);
	const char *nl = memchr(s->p, '\n', rest < MAX_TOKEN ? rest : MAX_TOKEN);
	size_t n;
	if (nl) {
		n = (size_t)(nl - s->p);
	} else if (rest < MAX_TOKEN) {
		n = rest; /* the last line, without its "\n" */
	} else {
		s->too_long = true; /* a full buffer and no end of line */
		return false;
	}
	s->line = (struct lstr){ s->p, n };
	if (n > 0 && s->p[n - 1] == '\r')
		s->line.n--;
	s->p += nl ? n + 1 : n;
	s->line_no++;
	return true;
}

/* The length of the Unicode white space (unicode.IsSpace) encoded at the start of s, or
 * 0. Go decodes an invalid byte as U+FFFD, which is not space, so only these exact
 * encodings count. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	switch (s[0]) {
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case ' ':
		return 1;
	case 0xc2: /* U+0085, U+00A0 */
		return n >= 2 && (s[1] == 0x85 || s[1] == 0xa0) ? 2 : 0;
	case 0xe1: /* U+1680 */
		return n >= 3 && s[1] == 0x9a && s[2] == 0x80 ? 3 : 0;
	case 0xe2: /* U+2000-U+200A, U+2028, U+2029, U+202F, U+205F */
		if (n < 3)
			return 0;
		if (s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 ||
				     s[2] == 0xa9 || s[2] == 0xaf))
			return 3;
		return s[1] == 0x81 && s[2] == 0x9f ? 3 : 0;
	case 0xe3: /* U+3000 */
		return n >= 3 && s[1] == 0x80 && s[2] == 0x80 ? 3 : 0;
	default:
		return 0;
	}
}

/* The length of the white space encoded at the end of s, or 0 (as utf8.DecodeLastRune
 * reads it: a space's exact encoding at the end always decodes as that space). */
static size_t space_before(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (space_at(s + n - k, k) == k)
			return k;
	return 0;
}

struct lstr lstr_trim(struct lstr s)
{
	const unsigned char *u = (const unsigned char *)s.s;
	size_t a = 0, b = s.n, k;
	while ((k = space_at(u + a, b - a)) > 0)
		a += k;
	while (b > a && (k = space_before(u + a, b - a)) > 0)
		b -= k;
	return (struct lstr){ s.s + a, b - a };
}

bool lstr_eq(struct lstr a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.s, lit, n) == 0;
}

bool lstr_same(struct lstr a, struct lstr b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0);
}

bool lstr_prefix(struct lstr a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n >= n && memcmp(a.s, lit, n) == 0;
}

bool lstr_contains(struct lstr a, const char *lit)
{
	size_t n = strlen(lit);
	if (n == 0)
		return true;
	for (size_t i = 0; i + n <= a.n; i++) {
		const char *c = memchr(a.s + i, lit[0], a.n - n + 1 - i);
		if (!c)
			return false;
		i = (size_t)(c - a.s);
		if (memcmp(c, lit, n) == 0)
			return true;
	}
	return false;
}

bool lstr_blank_or_comment(struct lstr s)
{
	struct lstr t = lstr_trim(s);
	return t.n == 0 || t.s[0] == '#';
}

bool lstr_map_sentinel(struct lstr s)
{
	return lstr_contains(s, "--- Memory map: ---") || lstr_contains(s, "MAPPED_LIBRARIES:");
}

struct lstr lstr_sub(struct lstr s, const struct regex_span *g)
{
	if (g->start < 0)
		return (struct lstr){ s.s, 0 };
	return (struct lstr){ s.s + g->start, (size_t)(g->end - g->start) };
}

static bool lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int lstr_hex(struct lstr s, struct addrs *a)
{
	size_t i = 0;
	while (i + 2 < s.n) {
		if (s.s[i] != '0' || s.s[i + 1] != 'x' || !lower_hex(s.s[i + 2])) {
			i++;
			continue;
		}
		size_t j = i + 2;
		while (j < s.n && lower_hex(s.s[j]))
			j++;
		uint64_t addr;
		if (gonum_parse_uint(s.s + i, j - i, 0, &addr) < 0)
			return -1;
		XGROW(a->v, a->cap, a->n + 1);
		a->v[a->n++] = addr;
		i = j;
	}
	return 0;
}

struct lsample *lprof_sample_at(struct lprof *lp, const struct addrs *a, size_t skip)
{
	struct lsample *s = lprof_sample(lp);
	for (size_t i = 0; i < a->n; i++)
		lprof_frame(lp, s, lprof_loc(lp, i >= skip ? a->v[i] - 1 : a->v[i]));
	return s;
}

int lscan_too_long(const struct lscan *s, const char *what, struct cprof_error *err)
{
	error_set(err, "%s: line %zu is longer than 65535 bytes, the most pprof reads", what,
		  s->line_no + 1);
	return LEGACY_FAIL;
}

int lprof_additional_sections(struct lprof *lp, struct lscan *s, struct cprof_error *err)
{
	while (!lstr_map_sentinel(s->line) && lscan_next(s))
		;
	if (s->too_long)
		return lscan_too_long(s, "memory map", err);
	return lprof_memory_map(lp, s, err);
}
