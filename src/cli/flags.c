/* Go flag package syntax, so pprof command lines work unchanged. */
#include "cli/flags.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void strlist_push(struct strlist *l, const char *s)
{
	XGROW(l->items, l->cap, l->n + 1);
	l->items[l->n++] = s;
}

struct flag *flags_find(struct flag *flags, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(flags[i].name, name) == 0)
			return &flags[i];
	return NULL;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; i < 6; i++) {
		if (strcmp(s, t[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, f[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Go's underscoreOK: '_' may only separate digits (a base prefix counts as a digit). */
static bool underscore_ok(const char *s)
{
	char saw = '^';
	if (*s == '+' || *s == '-')
		s++;
	bool hex = false;
	if (s[0] == '0' && s[1] && strchr("bBoOxX", s[1])) {
		hex = s[1] == 'x' || s[1] == 'X';
		saw = '0';
		s += 2;
	}
	for (; *s; s++) {
		if (isdigit((unsigned char)*s) || (hex && isxdigit((unsigned char)*s))) {
			saw = '0';
		} else if (*s == '_') {
			if (saw != '0')
				return false;
			saw = '_';
		} else {
			if (saw == '_')
				return false;
			saw = '!';
		}
	}
	return saw != '_';
}

/* Go's strconv.ParseInt(s, 0, 64): optional sign, 0b/0o/0x/0 prefixes, '_' separators. */
static const char *parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return "parse error";
	unsigned base = 10;
	if (p[0] == '0') {
		char c = (char)tolower((unsigned char)p[1]);
		if (c && p[2] && (c == 'b' || c == 'o' || c == 'x')) {
			base = c == 'b' ? 2 : c == 'o' ? 8 : 16;
			p += 2;
		} else {
			base = 8;
			p++;
		}
	}
	uint64_t v = 0;
	bool underscores = false;
	for (; *p; p++) {
		unsigned d;
		if (*p == '_') {
			underscores = true;
			continue;
		}
		if (isdigit((unsigned char)*p))
			d = (unsigned)(*p - '0');
		else if (isalpha((unsigned char)*p))
			d = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		else
			return "parse error";
		if (d >= base)
			return "parse error";
		if (v > (UINT64_MAX - d) / base)
			return "value out of range";
		v = v * base + d;
	}
	if (underscores && !underscore_ok(s))
		return "parse error";
	if (v > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
		return "value out of range";
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return NULL;
}

static const char *parse_size(const char *s, uint64_t *out)
{
	if (!*s || !isdigit((unsigned char)*s))
		return "parse error";
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	case 't':
	case 'T':
		shift = 40;
		end++;
		break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end)
		return "parse error";
	if (errno == ERANGE || (shift && v > (UINT64_MAX >> shift)))
		return "value out of range";
	*out = (uint64_t)v << shift;
	return NULL;
}

/* Go's strconv.ParseFloat(s, 64) for what strtod also reads, minus strtod's extras (hex
 * without a 'p' exponent, "nan(...)"), plus Go's '_' digit separators. */
static const char *parse_float(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s) || strlen(s) >= 128)
		return "parse error";
	char buf[128];
	size_t n = 0;
	bool underscores = false;
	for (const char *p = s; *p; p++) {
		if (*p == '_')
			underscores = true;
		else
			buf[n++] = *p;
	}
	buf[n] = '\0';
	if (underscores && !underscore_ok(s))
		return "parse error";
	const char *m = buf + (buf[0] == '+' || buf[0] == '-');
	if (m[0] == '0' && (m[1] == 'x' || m[1] == 'X') && !strpbrk(m, "pP"))
		return "parse error";
	if (strchr(buf, '(') || (m != buf && (m[0] == 'n' || m[0] == 'N')))
		return "parse error";
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (*end)
		return "parse error";
	if (errno == ERANGE && isinf(v))
		return "value out of range";
	*out = v;
	return NULL;
}

static int set_value(struct flag *f, const char *v, struct cprof_error *err)
{
	const char *why = NULL;
	switch (f->type) {
	case FLAG_BOOL:
		if (parse_bool(v, f->ptr) < 0)
			return error_set(err, "invalid boolean value \"%s\" for -%s: parse error",
					 v, f->name);
		break;
	case FLAG_INT:
		why = parse_int(v, f->ptr);
		break;
	case FLAG_FLOAT:
		why = parse_float(v, f->ptr);
		break;
	case FLAG_SIZE:
		why = parse_size(v, f->ptr);
		break;
	case FLAG_STRING:
		*(const char **)f->ptr = v;
		break;
	case FLAG_LIST:
		strlist_push(f->ptr, v);
		break;
	case FLAG_REFUSED: /* flags_parse stops at these */
		break;
	}
	if (why)
		return error_set(err, "invalid value \"%s\" for flag -%s: %s", v, f->name, why);
	f->set = true;
	return 0;
}

int flags_parse(struct flag *flags, size_t n, int argc, char **argv, struct strlist *pos,
		struct cprof_error *err)
{
	bool only_pos = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			strlist_push(pos, a);
			continue;
		}
		const char *name = a + 1;
		if (*name == '-') {
			name++;
			if (*name == '\0') {
				only_pos = true;
				continue;
			}
		}
		if (*name == '-' || *name == '=')
			return error_set(err, "bad flag syntax: %s", a);
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		char key[128];
		if (len >= sizeof(key))
			return error_set(err, "flag provided but not defined: -%.*s", (int)len,
					 name);
		memcpy(key, name, len);
		key[len] = '\0';
		struct flag *f = flags_find(flags, n, key);
		if (!f)
			return error_set(err, "flag provided but not defined: -%s", key);
		if (f->type == FLAG_REFUSED)
			return error_set(err, "-%s: %s", key, f->help);
		if (f->type == FLAG_BOOL) {
			if (set_value(f, eq ? eq + 1 : "true", err) < 0)
				return -1;
			continue;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc)
				return error_set(err, "flag needs an argument: -%s", key);
			v = argv[++i];
		}
		if (set_value(f, v, err) < 0)
			return -1;
	}
	return 0;
}
