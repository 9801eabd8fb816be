/* The shell's options: pprof's names over the command line's flag table (each option's
 * value is the flag of the same name, its kind the flag's kind), their values as pprof
 * shows them, and assignments read as pprof reads them (Go's number and bool syntax, its
 * messages). See shell_private.h. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/shell_private.h"
#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const sort_choices[] = { "cum", "flat", NULL };
static const char *const granularity_choices[] = { "functions", "filefunctions", "files",
						   "lines",     "addresses",     NULL };

/* pprof's options, by the name the shell knows them. The value lives in the flag of the
 * same name (flag NULL: a group of choices, each a boolean flag; or intel_syntax, which
 * only the shell keeps). */
const struct shell_option shell_options[] = {
	{ "call_tree", true, NULL },
	{ "compact_labels", true, NULL },
	{ "divide_by", true, NULL },
	{ "drop_negative", true, NULL },
	{ "edgefraction", true, NULL },
	{ "focus", true, NULL },
	{ "granularity", false, granularity_choices },
	{ "hide", true, NULL },
	{ "ignore", true, NULL },
	{ "intel_syntax", false, NULL },
	{ "mean", true, NULL },
	{ "nodecount", true, NULL },
	{ "nodefraction", true, NULL },
	{ "noinlines", true, NULL },
	{ "normalize", true, NULL },
	{ "output", true, NULL },
	{ "prune_from", true, NULL },
	{ "relative_percentages", true, NULL },
	{ "sample_index", true, NULL },
	{ "show", true, NULL },
	{ "show_from", true, NULL },
	{ "sort", false, sort_choices },
	{ "source_path", true, NULL },
	{ "tagfocus", true, NULL },
	{ "taghide", true, NULL },
	{ "tagignore", true, NULL },
	{ "tagleaf", true, NULL },
	{ "tagroot", true, NULL },
	{ "tagshow", true, NULL },
	{ "trim", true, NULL },
	{ "trim_path", true, NULL },
	{ "unit", true, NULL },
};

const size_t shell_n_options = ARRAY_SIZE(shell_options);

/* ---- option values ------------------------------------------------------------------ */

/* sb's bytes as a string of the caller's; sb is released. */
char *shell_detach(struct strbuf *sb)
{
	char *s = xstrdup(strbuf_str(sb));
	strbuf_release(sb);
	return s;
}

static struct flag *option_flag(const struct shell *sh, const struct shell_option *o)
{
	return o->has_flag ? flags_find(sh->cf->flags, sh->cf->n_flags, o->name) : NULL;
}

/* The option named name, or the one that has a choice called name (*choice set then). */
const struct shell_option *shell_find_option(const char *name, const char **choice)
{
	*choice = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(shell_options); i++) {
		if (strcmp(shell_options[i].name, name) == 0)
			return &shell_options[i];
		for (size_t k = 0; shell_options[i].choices && shell_options[i].choices[k]; k++)
			if (strcmp(shell_options[i].choices[k], name) == 0) {
				*choice = shell_options[i].choices[k];
				return &shell_options[i];
			}
	}
	return NULL;
}

bool shell_is_bool_option(const struct shell *sh, const struct shell_option *o, const char *choice)
{
	if (choice)
		return true;
	if (!o->has_flag)
		return !o->choices; /* intel_syntax */
	return option_flag(sh, o)->type == FLAG_BOOL;
}

/* Go's strconv.Quote for the bytes messages show: printable ASCII and valid UTF-8 as they
 * are, the rest escaped. */
void shell_go_quote(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned c = *p;
		const char *esc = c == '"'    ? "\\\""
				  : c == '\\' ? "\\\\"
				  : c == '\a' ? "\\a"
				  : c == '\b' ? "\\b"
				  : c == '\f' ? "\\f"
				  : c == '\n' ? "\\n"
				  : c == '\r' ? "\\r"
				  : c == '\t' ? "\\t"
				  : c == '\v' ? "\\v"
					      : NULL;
		if (esc) {
			strbuf_adds(sb, esc);
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			strbuf_addch(sb, (char)c);
			continue;
		}
		size_t n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (c >= 0xf5)
			n = 0;
		size_t k = 1;
		while (n && k < n && (p[k] & 0xc0) == 0x80)
			k++;
		if (n && k == n) {
			strbuf_add(sb, (const char *)p, n);
			p += n - 1;
		} else {
			strbuf_addf(sb, "\\x%02x", c);
		}
	}
	strbuf_addch(sb, '"');
}

/* A float as Go's fmt %v prints it: the shortest digits that read back the same, with an
 * exponent only below 1e-4 or from 1e6 (Go's %g with the shortest precision). */
static void go_float(char *buf, size_t n, double v)
{
	if (isnan(v)) {
		snprintf(buf, n, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, n, "%sInf", v < 0 ? "-" : "+");
		return;
	}
	char e[40];
	for (int prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is [-]d[.ddd]e[+-]XX */
	char *ep = strchr(e, 'e');
	int exp = atoi(ep + 1);
	*ep = '\0';
	bool neg = e[0] == '-';
	char digits[24];
	size_t nd = 0;
	for (const char *p = e + neg; *p; p++)
		if (*p != '.')
			digits[nd++] = *p;
	digits[nd] = '\0';
	if (exp < -4 || exp >= 6) {
		snprintf(buf, n, "%s%c%s%s%se%c%02d", neg ? "-" : "", digits[0], nd > 1 ? "." : "",
			 digits + 1, "", exp < 0 ? '-' : '+', abs(exp));
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	if (neg)
		strbuf_addch(&sb, '-');
	if (exp < 0) {
		strbuf_adds(&sb, "0.");
		for (int i = -1; i > exp; i--)
			strbuf_addch(&sb, '0');
		strbuf_adds(&sb, digits);
	} else {
		for (int i = 0; i <= exp || (size_t)i < nd; i++) {
			if (i == exp + 1)
				strbuf_addch(&sb, '.');
			strbuf_addch(&sb, (size_t)i < nd ? digits[i] : '0');
		}
	}
	snprintf(buf, n, "%s", sb.buf);
	strbuf_release(&sb);
}

/* The option's value as pprof's config.get shows it. */
void shell_option_value(const struct shell *sh, const struct shell_option *o, char *buf, size_t n)
{
	const struct config *g = sh->g;
	if (o->choices == sort_choices) {
		snprintf(buf, n, "%s", g->cum ? "cum" : "flat");
		return;
	}
	if (o->choices == granularity_choices) {
		const bool on[] = { g->functions, g->filefunctions, g->files, g->lines,
				    g->addresses };
		const char *v = "functions";
		for (size_t i = 0; i < ARRAY_SIZE(on); i++)
			if (on[i]) {
				v = granularity_choices[i];
				break;
			}
		snprintf(buf, n, "%s", v);
		return;
	}
	if (!o->has_flag) {
		snprintf(buf, n, "%s", sh->intel_syntax ? "true" : "false");
		return;
	}
	const struct flag *f = option_flag(sh, o);
	switch (f->type) {
	case FLAG_BOOL:
		snprintf(buf, n, "%s", *(bool *)f->ptr ? "true" : "false");
		break;
	case FLAG_INT:
		snprintf(buf, n, "%" PRId64, *(int64_t *)f->ptr);
		break;
	case FLAG_FLOAT:
		go_float(buf, n, *(double *)f->ptr);
		break;
	case FLAG_STRING: {
		const char *s = *(const char **)f->ptr;
		snprintf(buf, n, "%s", s ? s : "");
		break;
	}
	default:
		buf[0] = '\0';
	}
}

/* pprof's stringToBool: its spellings of true and false, in any case, "" for true. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "1", "" };
	static const char *const no[] = { "false", "f", "no", "n", "0" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	return -1;
}

/* Go's strconv.ParseBool (stricter than parse_bool): what a choice's value may be. */
static bool go_parse_bool_true(const char *v)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcmp(v, yes[i]) == 0)
			return true;
	return false;
}

/* Go's strconv.ParseInt(s, 10, bits): 0, or -1 (invalid syntax) or -2 (out of range). */
int shell_go_parse_int(const char *s, int bits, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return -1;
	uint64_t v = 0, limit = (uint64_t)1 << (bits - 1);
	bool over = false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			over = true;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (over || v > limit || (!neg && v == limit))
		return -2;
	*out = neg ? -(int64_t)(v - 1) - 1 : (int64_t)v;
	if (neg && v == 0)
		*out = 0;
	return 0;
}

/* Go's strconv.ParseFloat(s, 64): 0, or -1 (invalid syntax) or -2 (out of range). */
static int go_parse_float(const char *s, double *out)
{
	if (!*s || strchr(" \t\n\v\f\r", *s))
		return -1;
	const char *hex = strstr(s, "0x") ? strstr(s, "0x") : strstr(s, "0X");
	if (hex && !strpbrk(hex, "pP"))
		return -1;
	static const char *const words[] = { "inf",       "+inf",      "-inf", "infinity",
					     "+infinity", "-infinity", "nan" };
	bool word = false;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		word |= strcasecmp(s, words[i]) == 0;
	if (!word && strpbrk(s, "iInN") && !hex)
		return -1;
	/* Go allows '_' between digits (and after a base prefix). */
	char *plain = xstrdup(s);
	size_t k = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '_') {
			plain[k++] = s[i];
			continue;
		}
		bool after = i > 0 && (hex ? isxdigit((unsigned char)s[i - 1]) || s[i - 1] == 'x' ||
						       s[i - 1] == 'X'
					   : isdigit((unsigned char)s[i - 1]));
		bool before = hex ? isxdigit((unsigned char)s[i + 1])
				  : isdigit((unsigned char)s[i + 1]);
		if (!after || !before) {
			free(plain);
			return -1;
		}
	}
	plain[k] = '\0';
	errno = 0;
	char *end;
	double v = strtod(plain, &end);
	bool whole = !*end;
	free(plain);
	if (!whole)
		return -1;
	*out = v;
	return errno == ERANGE && isinf(v) ? -2 : 0;
}

static const char *keep(struct shell *sh, const char *v)
{
	char *s = xstrdup(v);
	strlist_push(&sh->owned, s);
	return s;
}

/* pprof's shell_configure(name, value) (with name an option or one of its choices): sets the
 * option or prints why not. */
void shell_configure(struct shell *sh, const struct shell_option *o, const char *choice,
		     const char *name, const char *value)
{
	struct config *g = sh->g;
	struct strbuf msg = STRBUF_INIT;
	const char *set = choice;
	if (choice && !go_parse_bool_true(value)) {
		strbuf_adds(&msg, "unknown config field ");
		shell_go_quote(&msg, name);
		goto fail;
	}
	if (o->choices && !choice) {
		for (size_t k = 0; o->choices[k]; k++)
			if (strcmp(o->choices[k], value) == 0)
				set = o->choices[k];
		if (!set) {
			strbuf_adds(&msg, "invalid ");
			shell_go_quote(&msg, o->name);
			strbuf_adds(&msg, " value ");
			shell_go_quote(&msg, value);
			goto fail;
		}
	}
	if (o->choices == sort_choices) {
		g->cum = strcmp(set, "cum") == 0;
		g->flat = !g->cum;
		return;
	}
	if (o->choices == granularity_choices) {
		bool *on[] = { &g->functions, &g->filefunctions, &g->files, &g->lines,
			       &g->addresses };
		for (size_t i = 0; i < ARRAY_SIZE(on); i++)
			*on[i] = strcmp(granularity_choices[i], set) == 0;
		return;
	}
	bool b;
	if (!o->has_flag) { /* intel_syntax */
		if (parse_bool(value, &b) < 0)
			goto bad_bool;
		sh->intel_syntax = b;
		return;
	}
	struct flag *f = option_flag(sh, o);
	switch (f->type) {
	case FLAG_BOOL:
		if (parse_bool(value, &b) < 0)
			goto bad_bool;
		*(bool *)f->ptr = b;
		return;
	case FLAG_INT: {
		int64_t v;
		int rc = shell_go_parse_int(value, 64, &v);
		if (rc == 0) {
			*(int64_t *)f->ptr = v;
			return;
		}
		strbuf_adds(&msg, "strconv.Atoi: parsing ");
		shell_go_quote(&msg, value);
		strbuf_adds(&msg, rc == -2 ? ": value out of range" : ": invalid syntax");
		goto fail;
	}
	case FLAG_FLOAT: {
		double v;
		int rc = go_parse_float(value, &v);
		if (rc == 0) {
			*(double *)f->ptr = v;
			return;
		}
		strbuf_adds(&msg, "strconv.ParseFloat: parsing ");
		shell_go_quote(&msg, value);
		strbuf_adds(&msg, rc == -2 ? ": value out of range" : ": invalid syntax");
		goto fail;
	}
	default:
		*(const char **)f->ptr = keep(sh, value);
		return;
	}
bad_bool:
	strbuf_addf(&msg, "illegal value \"%s\" for bool variable", value);
fail:
	fprintf(stderr, "%s\n", msg.buf);
	strbuf_release(&msg);
}

/* sample_index=VALUE as pprof checks it: the value becomes the type's name. */
const char *shell_sample_type_name(struct shell *sh, const char *value)
{
	const struct profile *p = sh->prof;
	int ix = profile_sample_index(p, value);
	if (ix >= 0)
		return profile_str(p, p->types[ix].type);
	int64_t n;
	if (shell_go_parse_int(value, 64, &n) == 0) {
		fprintf(stderr, "sample_index %s is outside the range [0..%zu]\n", value,
			p->n_types - 1);
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "sample_index ");
	shell_go_quote(&sb, value);
	strbuf_adds(&sb, " must be one of: ");
	profile_type_list(p, false, &sb);
	fprintf(stderr, "%s\n", sb.buf);
	strbuf_release(&sb);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* o, options: every option but source_path with its value and, for choices and sample
 * types, what it may be; sorted, on standard error, as pprof lists them. */
void shell_print_options(const struct shell *sh)
{
	const struct profile *p = sh->prof;
	char *lines[ARRAY_SIZE(shell_options)];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(shell_options); i++) {
		const struct shell_option *o = &shell_options[i];
		if (strcmp(o->name, "source_path") == 0)
			continue;
		char v[256];
		shell_option_value(sh, o, v, sizeof(v));
		struct strbuf comment = STRBUF_INIT;
		if (o->choices) {
			const char *sorted[8];
			size_t k = 0;
			for (; o->choices[k]; k++)
				sorted[k] = o->choices[k];
			qsort(sorted, k, sizeof(*sorted), cmp_str);
			for (size_t m = 0; m < k; m++)
				strbuf_addf(&comment, "%s%s", m ? " | " : "[", sorted[m]);
			strbuf_addch(&comment, ']');
		} else if (strcmp(o->name, "sample_index") == 0) {
			if (!v[0] && p->n_types)
				snprintf(v, sizeof(v), "%s",
					 profile_str(p, p->types[p->n_types - 1].type));
			for (size_t k = 0; k < p->n_types; k++)
				strbuf_addf(&comment, "%s%s", k ? " | " : "[",
					    profile_str(p, p->types[k].type));
			strbuf_addch(&comment, ']');
		} else if (strcmp(o->name, "nodecount") == 0 && strcmp(v, "-1") == 0) {
			strbuf_adds(&comment, "default");
		} else if (!v[0]) {
			snprintf(v, sizeof(v), "\"\"");
		}
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "  %-25s = %-20s %s%s", o->name, v, comment.len ? "//: " : "",
			    comment.len ? comment.buf : "");
		lines[n++] = shell_detach(&line);
		strbuf_release(&comment);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (size_t i = 0; i < n; i++) {
		fprintf(stderr, "%s\n", lines[i]);
		free(lines[i]);
	}
}

const char *shell_option_help(const struct shell *sh, const char *name)
{
	if (strcmp(name, "sort") == 0)
		return "Which value orders the text reports";
	if (strcmp(name, "granularity") == 0)
		return "What one node of the graph stands for";
	if (strcmp(name, "intel_syntax") == 0)
		return "Kept for pprof's sake: cprof has no disassembler to apply it to";
	const struct flag *f = flags_find(sh->cf->flags, sh->cf->n_flags, name);
	return f && f->help ? f->help : "";
}
