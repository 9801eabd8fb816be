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

/* Go's strconv.ParseInt(s, 0, 64) for the forms people type. */
static const char *parse_int(const char *s, int64_t *out)
{
	if (!*s || isspace((unsigned char)*s))
		return "parse error";
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (*end)
		return "parse error";
	if (errno == ERANGE)
		return "value out of range";
	*out = v;
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
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
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

static const char *parse_float(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return "parse error";
	char *end;
	errno = 0;
	double v = strtod(s, &end);
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
			return error_set(err, "invalid boolean value \"%s\" for -%s: parse error", v, f->name);
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
			return error_set(err, "flag provided but not defined: -%.*s", (int)len, name);
		memcpy(key, name, len);
		key[len] = '\0';
		struct flag *f = flags_find(flags, n, key);
		if (!f)
			return error_set(err, "flag provided but not defined: -%s", key);
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
