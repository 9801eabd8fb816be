/* The names in the DOT text: pprof's escapeForDot, ShortenFunctionName (Go, Java and C++
 * rules) and multilinePrintableName, the node label's name lines. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/dot.h"
#include "util/path.h"
#include "util/xalloc.h"

/* escapeForDot: backslashes and quotes escaped, newlines made left-justified breaks. */
void dot_escape(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			strbuf_adds(out, "\\\\");
		else if (s[i] == '"')
			strbuf_adds(out, "\\\"");
		else if (s[i] == '\n')
			strbuf_adds(out, "\\l");
		else
			strbuf_addch(out, s[i]);
	}
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Go's `.`: any byte up to the end of the line (of the n bytes at s). */
static size_t line_len(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	return nl ? (size_t)(nl - s) : n;
}

/* pprof's goVerRegExp: drops the first "/vN" (N >= 2) module major version followed by '.'
 * or '/'. The whole name must be one line for it to apply. */
static void drop_major_version(struct strbuf *sb)
{
	if (memchr(sb->buf, '\n', sb->len))
		return;
	for (size_t i = 0; i + 1 < sb->len; i++) {
		if (sb->buf[i] != '/' || sb->buf[i + 1] != 'v')
			continue;
		size_t d = i + 2, k = d;
		while (k < sb->len && sb->buf[k] >= '0' && sb->buf[k] <= '9')
			k++;
		size_t nd = k - d;
		if (nd == 0 || k >= sb->len || (sb->buf[k] != '.' && sb->buf[k] != '/'))
			continue;
		if ((nd == 1 && sb->buf[d] >= '2') || (nd >= 2 && sb->buf[d] != '0')) {
			memmove(sb->buf + i, sb->buf + k, sb->len - k + 1);
			sb->len -= k - i;
			return;
		}
	}
}

/* The shorteners read the n bytes at f, NUL-terminated (a NUL inside is a byte that no
 * class below takes). */

/* pprof's goRegExp: what follows the last "dir/" of a leading run of path elements made of
 * word characters, '-' and '.', up to the end of the line; NULL when there is none. */
static const char *go_short(const char *f, size_t n, size_t *len)
{
	/* Path elements hold no newline, so they all lie within the first line. */
	size_t line = line_len(f, n), pos = 0, last = 0;
	bool any = false;
	for (;;) {
		size_t k = pos;
		while (is_word(f[k]) || f[k] == '-' || f[k] == '.')
			k++;
		if (k == pos || f[k] != '/')
			break;
		pos = k + 1;
		if (pos < line) {
			last = pos;
			any = true;
		}
	}
	if (!any)
		return NULL;
	*len = line - last;
	return f + last;
}

/* pprof's javaRegExp: Class.method of a dotted Java name followed by '(' or the end. */
static const char *java_short(const char *f, size_t n, size_t *len)
{
	size_t pos = 0;
	for (;;) {
		if (!is_lower(f[pos]))
			break;
		size_t k = pos + 1;
		while (is_word(f[k]))
			k++;
		if (f[k] != '.')
			break;
		pos = k + 1;
	}
	if (!is_upper(f[pos]))
		return NULL;
	size_t k = pos + 1;
	while (is_word(f[k]) || f[k] == '$')
		k++;
	if (f[k] != '.')
		return NULL;
	k++;
	if (strncmp(f + k, "<init>", 6) == 0) {
		k += 6;
	} else {
		if (!is_lower(f[k]))
			return NULL;
		k++;
		while (is_word(f[k]) || f[k] == '$')
			k++;
	}
	if (f[k] != '(' && k != n)
		return NULL;
	*len = k - pos;
	return f + pos;
}

static bool is_ident_start(char c)
{
	return is_word(c) && !(c >= '0' && c <= '9');
}

/* The Class::method (with any template arguments) of cppRegExp starting at f + k, or 0. */
static size_t cpp_method(const char *f, size_t k, size_t last_gt)
{
	size_t b = k;
	while (f[k] == '_')
		k++;
	if (!is_upper(f[k]))
		return 0;
	k++;
	while (is_word(f[k]))
		k++;
	if (f[k] != ':' || f[k + 1] != ':')
		return 0;
	k += 2;
	if (f[k] == '~')
		k++;
	if (!is_ident_start(f[k]))
		return 0;
	k++;
	while (is_word(f[k]))
		k++;
	/* "<.*>" takes everything up to the line's last '>'. */
	if (f[k] == '<' && last_gt != SIZE_MAX && last_gt > k)
		k = last_gt + 1;
	return k - b;
}

/* pprof's cppRegExp: Class::method after the most namespaces that still leave one. */
static const char *cpp_short(const char *f, size_t n, size_t *len)
{
	size_t line = line_len(f, n), last_gt = SIZE_MAX;
	for (size_t i = line; i-- > 0;)
		if (f[i] == '>') {
			last_gt = i;
			break;
		}
	const char *best = NULL;
	size_t pos = 0;
	for (;;) {
		if (!is_ident_start(f[pos]))
			break;
		size_t k = pos + 1;
		while (is_word(f[k]))
			k++;
		if (f[k] != ':' || f[k + 1] != ':')
			break;
		pos = k + 2;
		size_t m = cpp_method(f, pos, last_gt);
		if (m) {
			best = f + pos;
			*len = m;
		}
	}
	return best;
}

/* pprof's ShortenFunctionName of the len bytes at name, into out. */
static void shorten_name(struct strbuf *out, const char *name, size_t len)
{
	static const char anon[] = "(anonymous namespace)::";
	struct strbuf sb = STRBUF_INIT;
	if (len >= sizeof(anon) - 1 && memcmp(name, anon, sizeof(anon) - 1) == 0) {
		name += sizeof(anon) - 1;
		len -= sizeof(anon) - 1;
	}
	strbuf_add(&sb, name, len);
	drop_major_version(&sb);
	const char *f = strbuf_str(&sb), *s;
	size_t n = 0;
	if ((s = go_short(f, sb.len, &n)) || (s = java_short(f, sb.len, &n)) ||
	    (s = cpp_short(f, sb.len, &n)))
		strbuf_add(out, s, n);
	else
		strbuf_add(out, f, sb.len);
	strbuf_release(&sb);
}

/* pprof's multilinePrintableName: the node's name parts, one per line (package, type and
 * function of a shortened name on lines of their own), each line ending in "\n". */
void dot_node_name(struct strbuf *out, const struct profile *p, const struct node_info *i)
{
	if (i->address)
		strbuf_addf(out, "%016" PRIx64 "\\n", i->address);
	const char *name = profile_str(p, i->name);
	if (*name || profile_str_len(p, i->name)) {
		struct strbuf sh = STRBUF_INIT, esc = STRBUF_INIT;
		shorten_name(&sh, name, profile_str_len(p, i->name));
		dot_escape(&esc, sh.buf ? sh.buf : "", sh.len);
		const char *e = strbuf_str(&esc);
		for (size_t k = 0; k < esc.len;) {
			if (strncmp(e + k, "::", 2) == 0) {
				strbuf_adds(out, "\\n");
				k += 2;
			} else if (strncmp(e + k, "[...]", 5) == 0) {
				strbuf_adds(out, "[\xe2\x80\xa6]");
				k += 5;
			} else if (e[k] == '.') {
				strbuf_adds(out, "\\n");
				k++;
			} else {
				strbuf_addch(out, e[k++]);
			}
		}
		strbuf_adds(out, "\\n");
		strbuf_release(&sh);
		strbuf_release(&esc);
	}
	const char *file = profile_str(p, i->file), *obj = profile_str(p, i->objfile);
	char *base = xmalloc(strlen(file) + strlen(obj) + 2);
	if (i->lineno != 0)
		strbuf_addf(out, "%s:%" PRId64 "\\n", *file ? path_base(base, file) : "",
			    i->lineno);
	else if (*file)
		strbuf_addf(out, "%s\\n", path_base(base, file));
	else if (profile_str_len(p, i->name))
		;
	else if (*obj)
		strbuf_addf(out, "[%s]\\n", path_base(base, obj));
	else
		strbuf_adds(out, "<unknown>\\n");
	free(base);
}
