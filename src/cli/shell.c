/* The interactive shell's session: pprof's greeting, its shortcuts, its command syntax
 * (top10, top 5 re -re -cum, > FILE), help and completion words, each report run through
 * the command line's own report path (options: shell_options.c). Everything is read as go
 * tool pprof reads it, and every message is its message, so that a piped session prints
 * what pprof prints. */
#include "cli/shell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/select.h"
#include "cli/shell_private.h"
#include "model/graph.h"
#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The shell's own commands beside the reports. */
static const char *const own_commands[] = { "o", "options", "help", "q", "quit", "exit", NULL };

/* pprof's commands that start a viewer or disassemble: cprof answers with its flag's
 * help, what to do instead. */
static const char *const refused_commands[] = { "web",         "gv",     "evince", "eog",
						"kcachegrind", "disasm", NULL };

/* ---- help -------------------------------------------------------------------------- */

static void help_all(const struct shell *sh)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "Reports (each a command; arguments as in 'help top'):\n");
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		char name[64];
		snprintf(name, sizeof(name), "%s%s", b->name,
			 b->flags & REPORT_HAS_PARAM ? " REGEXP" : "");
		strbuf_addf(&sb, "  %-22s %s\n", name, b->summary);
	}
	strbuf_adds(&sb,
		    "\nShell commands:\n"
		    "  o, options             Show every option with its value\n"
		    "  help [NAME]            This list, or more on one command or option\n"
		    "  q, quit, exit          Leave the shell (end of input does too)\n"
		    "  :                      Clear focus, ignore, hide, tagfocus and tagignore\n"
		    "  SAMPLE_TYPE            Report that sample type (total_TYPE, mean_TYPE too)"
		    "\n\nOptions (NAME=VALUE sets one, NAME= empties it, a bare boolean NAME"
		    " turns it on):\n");
	for (size_t i = 0; i < shell_n_options; i++) {
		const struct shell_option *o = &shell_options[i];
		strbuf_addf(&sb, "  %-22s %s", o->name, shell_option_help(sh, o->name));
		for (size_t k = 0; o->choices && o->choices[k]; k++)
			strbuf_addf(&sb, "%s%s", k ? ", " : " (", o->choices[k]);
		strbuf_adds(&sb, o->choices ? ")\n" : "\n");
	}
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
}

/* help NAME: a command's or an option's usage; "Unknown command: NAME" as pprof says. */
static void help_one(const struct shell *sh, const char *name)
{
	const struct report_backend *b = report_find(name);
	if (b) {
		bool re = b->flags & REPORT_HAS_PARAM;
		fprintf(stderr,
			"%s.\n  %s%s [N] [REGEXP]... [-REGEXP]... [-cum] [> FILE]\n"
			"  N keeps the N heaviest nodes; REGEXP keeps the samples through a\n"
			"  function it matches (tags: a label) and -REGEXP drops them; -cum "
			"orders\n"
			"  by cumulative value; > FILE writes the report to FILE.\n\n",
			b->summary, name, re ? " FUNCTION_REGEXP" : "");
		return;
	}
	const char *choice;
	const struct shell_option *o = shell_find_option(name, &choice);
	if (o) {
		char v[256];
		shell_option_value(sh, o, v, sizeof(v));
		fprintf(stderr, "%s: %s.\n  Now: %s\n\n", name,
			choice ? shell_option_help(sh, choice) : shell_option_help(sh, o->name), v);
		return;
	}
	fprintf(stderr, "Unknown command: %s\n", name);
}

/* ---- commands ---------------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* s without leading and trailing white space, in place. */
static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Splits s in place at white space, as Go's strings.Fields. */
static void fields(char *s, struct strlist *out)
{
	for (;;) {
		while (is_space(*s))
			*s++ = '\0';
		if (!*s)
			return;
		strlist_push(out, s);
		while (*s && !is_space(*s))
			s++;
	}
}

static char *cat_regex(char *a, const char *b)
{
	if (!a)
		return xstrdup(b);
	if (!*b)
		return a;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s%s%s", a, *a ? "|" : "", b);
	free(a);
	return shell_detach(&sb);
}

/* The message a filter's bad regexp gets from pprof ("parsing focus regexp: error parsing
 * regexp: ...") in place of the command line's ("-focus: bad regexp "RE": ..."); RE is the
 * option's value, or for the tag filters one of its parts. */
static void pprof_regexp_error(const struct config *g, const char *param, struct cprof_error *err)
{
	const struct {
		const char *name, *value;
	} res[] = {
		{ "focus", g->sel.focus },         { "ignore", g->sel.ignore },
		{ "hide", g->sel.hide },           { "show", g->sel.show },
		{ "show_from", g->sel.show_from }, { "prune_from", g->sel.prune_from },
		{ "tagfocus", g->sel.tagfocus },   { "tagignore", g->sel.tagignore },
		{ "tagshow", g->sel.tagshow },     { "taghide", g->sel.taghide },
	};
	char head[64], rest[sizeof(err->msg)];
	for (size_t i = 0; i < ARRAY_SIZE(res); i++) {
		if (!res[i].value)
			continue;
		snprintf(head, sizeof(head), "-%s: bad regexp \"", res[i].name);
		size_t h = strlen(head);
		if (strncmp(err->msg, head, h) != 0)
			continue;
		for (const char *q = strstr(err->msg + h, "\": "); q; q = strstr(q + 1, "\": ")) {
			char *re = xstrndup(err->msg + h, (size_t)(q - err->msg) - h);
			bool part = strstr(res[i].value, re) != NULL;
			free(re);
			if (!part)
				continue;
			snprintf(rest, sizeof(rest), "%s", q + 3);
			error_set(err, "parsing %s regexp: error parsing regexp: %s", res[i].name,
				  rest);
			return;
		}
	}
	if (param) {
		snprintf(head, sizeof(head), "bad regexp \"");
		size_t h = strlen(head), v = strlen(param);
		if (strncmp(err->msg, head, h) == 0 && strncmp(err->msg + h, param, v) == 0 &&
		    strncmp(err->msg + h + v, "\": ", 3) == 0) {
			snprintf(rest, sizeof(rest), "%s", err->msg + h + v + 3);
			error_set(err, "parsing argument regexp %s: error parsing regexp: %s",
				  param, rest);
		}
	}
}

/* The message of a file the report could not be written to as Go's os.Create gives it
 * ("open PATH: no such file or directory") in place of the command line's ("PATH: No such
 * file or directory"). */
static void pprof_open_error(const char *path, struct cprof_error *err)
{
	if (!path || !*path)
		return;
	size_t n = strlen(path);
	if (strncmp(err->msg, path, n) != 0 || strncmp(err->msg + n, ": ", 2) != 0)
		return;
	char why[sizeof(err->msg)];
	snprintf(why, sizeof(why), "%s", err->msg + n + 2);
	if (why[0] >= 'A' && why[0] <= 'Z')
		why[0] = (char)(why[0] - 'A' + 'a');
	error_set(err, "open %s: %s", path, why);
}

/* A report's arguments after its regexp, as pprof reads them: a number is the node count,
 * "> FILE" (or ">FILE") the output, -cum the order, -RE and RE join *ignore and *focus
 * (the caller frees them). Returns 0, or -1 after printing why (*focus and *ignore
 * freed). */
static int command_options(struct config *g, const char **args, size_t n_args, char **focus,
			   char **ignore)
{
	for (size_t i = 0; i < n_args; i++) {
		const char *t = args[i];
		int64_t n;
		if (shell_go_parse_int(t, 32, &n) == 0) {
			g->nodecount = n;
			continue;
		}
		if (t[0] == '>') {
			const char *file = t + 1;
			if (!*file) {
				if (++i >= n_args) {
					fprintf(stderr, "unexpected end of line after >\n");
					free(*focus);
					free(*ignore);
					*focus = *ignore = NULL;
					return -1;
				}
				file = args[i];
			}
			g->output = file;
		} else if (t[0] == '-') {
			if (strcmp(t, "-cum") == 0 || strcmp(t, "--cum") == 0) {
				g->cum = true;
				g->flat = false;
				continue;
			}
			*ignore = cat_regex(*ignore, t + 1);
		} else {
			*focus = cat_regex(*focus, t);
		}
	}
	return 0;
}

/* A report command, parsed as pprof's parseCommandLine: returns after printing its
 * report or its one-line error. */
static void run_command(struct shell *sh, struct strlist *tok)
{
	const char *name = tok->items[0];
	const char **args = tok->items + 1;
	size_t n_args = tok->n - 1;
	char *base = NULL;
	const char **extra = NULL; /* the arguments with a split count in front */
	const struct report_backend *b = report_find(name);
	size_t len = strlen(name), d = len;
	while (d && name[d - 1] >= '0' && name[d - 1] <= '9')
		d--;
	if (!b && d < len && d > 0) { /* top10: the digits at the end are the count */
		base = xstrdup(name);
		base[d] = '\0';
		extra = xmalloc((n_args + 1) * sizeof(*extra));
		extra[0] = name + d;
		memcpy(extra + 1, args, n_args * sizeof(*args));
		args = extra;
		n_args++;
		name = base;
		b = report_find(name);
	}
	if (!b) {
		for (size_t i = 0; refused_commands[i]; i++)
			if (strcmp(name, refused_commands[i]) == 0) {
				fprintf(stderr, "%s\n",
					flags_find(sh->cf->flags, sh->cf->n_flags, name)->help);
				goto out;
			}
		struct strbuf sb = STRBUF_INIT;
		const char *choice;
		if (shell_find_option(name, &choice) && strcmp(name, "sort") != 0 &&
		    strcmp(name, "granularity") != 0) {
			strbuf_addf(&sb, "did you mean: %s=%s", name, n_args ? args[0] : "<val>");
		} else {
			strbuf_adds(&sb, "unrecognized command: ");
			shell_go_quote(&sb, name);
		}
		fprintf(stderr, "%s\n", sb.buf);
		strbuf_release(&sb);
		goto out;
	}
	const char *param = NULL;
	if (b->flags & REPORT_HAS_PARAM) {
		if (n_args == 0) {
			fprintf(stderr, "command %s requires an argument\n", name);
			goto out;
		}
		param = args[0];
		args++;
		n_args--;
	}
	/* Options given with the command hold for it alone. */
	struct config g = *sh->g;
	char *focus = NULL, *ignore = NULL;
	if (command_options(&g, args, n_args, &focus, &ignore) < 0)
		goto out;
	bool tags = strcmp(b->name, "tags") == 0;
	if (focus && *focus)
		*(tags ? &g.sel.tagfocus : &g.sel.focus) = focus;
	if (ignore && *ignore)
		*(tags ? &g.sel.tagignore : &g.sel.ignore) = ignore;
	if (g.nodecount == -1 && strcmp(b->name, "top") == 0)
		g.nodecount = 10;

	struct cprof_error err = { "" };
	if (sh->report(sh->ctx, &g, b, param, &err) < 0) {
		pprof_regexp_error(&g, param, &err);
		pprof_open_error(g.output, &err);
		fprintf(stderr, "%s\n", err.msg);
	}
	free(focus);
	free(ignore);
out:
	free(extra);
	free(base);
}

/* One command after the shortcuts: an assignment, a shell command or a report. Returns
 * false to end the session. */
static bool run_line(struct shell *sh, char *input)
{
	char *eq = strchr(input, '=');
	char *name_end = eq ? eq : input + strlen(input);
	char saved = *name_end;
	*name_end = '\0';
	char *name = xstrdup(trim(input));
	*name_end = saved;
	const char *choice;
	const struct shell_option *o = shell_find_option(name, &choice);
	if (o) {
		char *value = xstrdup(eq ? eq + 1 : "");
		char *comment = NULL;
		for (char *c = strstr(value, "//:"); c; c = strstr(c + 1, "//:"))
			comment = c;
		if (comment)
			*comment = '\0';
		const char *v = trim(value);
		if (!eq && !shell_is_bool_option(sh, o, choice)) {
			fprintf(stderr, "please specify a value, e.g. %s=<val>\n", name);
		} else if (!choice && strcmp(o->name, "sample_index") == 0) {
			const char *type = shell_sample_type_name(sh, v);
			if (type)
				shell_configure(sh, o, NULL, name, type);
		} else {
			shell_configure(sh, o, choice, name, v);
		}
		free(value);
		free(name);
		return true;
	}
	free(name);

	char *copy = xstrdup(input);
	struct strlist tok = { NULL, 0, 0 };
	fields(copy, &tok);
	bool go_on = true;
	if (tok.n == 0) {
		/* nothing */
	} else if (strcmp(tok.items[0], "o") == 0 || strcmp(tok.items[0], "options") == 0) {
		shell_print_options(sh);
	} else if (strcmp(tok.items[0], "exit") == 0 || strcmp(tok.items[0], "quit") == 0 ||
		   strcmp(tok.items[0], "q") == 0) {
		go_on = false;
	} else if (strcmp(tok.items[0], "help") == 0) {
		struct strbuf topic = STRBUF_INIT;
		for (size_t i = 1; i < tok.n; i++)
			strbuf_addf(&topic, "%s%s", i > 1 ? " " : "", tok.items[i]);
		if (topic.len)
			help_one(sh, topic.buf);
		else
			help_all(sh);
		strbuf_release(&topic);
	} else {
		run_command(sh, &tok);
	}
	free(tok.items);
	free(copy);
	return go_on;
}

/* pprof's shortcuts: ":" clears the filters, a sample type's name selects it (total_T and
 * mean_T also set mean). Returns false to end the session. */
static bool run_input(struct shell *sh, char *input)
{
	char *line = trim(input);
	const struct profile *p = sh->prof;
	if (strcmp(line, ":") == 0) {
		static const char *const clear[] = { "focus=", "ignore=", "hide=", "tagfocus=",
						     "tagignore=" };
		for (size_t i = 0; i < ARRAY_SIZE(clear); i++) {
			char *c = xstrdup(clear[i]);
			run_line(sh, c);
			free(c);
		}
		return true;
	}
	for (size_t i = 0; i < p->n_types; i++) {
		const char *t = profile_str(p, p->types[i].type);
		const char *mean = NULL;
		if (strcmp(line, t) == 0)
			mean = "";
		else if (strncmp(line, "total_", 6) == 0 && strcmp(line + 6, t) == 0)
			mean = "mean=0";
		else if (strncmp(line, "mean_", 5) == 0 && strcmp(line + 5, t) == 0)
			mean = "mean=1";
		if (!mean)
			continue;
		if (*mean) {
			char *m = xstrdup(mean);
			run_line(sh, m);
			free(m);
		}
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "sample_index=%s", t);
		run_line(sh, sb.buf);
		strbuf_release(&sb);
		return true;
	}
	return run_line(sh, line);
}

/* ---- completion -------------------------------------------------------------------- */

static void add_prefixed(struct strlist *w, const char *word, size_t n, const char *cand)
{
	if (strncmp(cand, word, n) == 0)
		strlist_push(w, cand);
}

void shell_candidates(const struct shell *sh, const char *line, size_t cursor,
		      struct strlist *words, size_t *start)
{
	size_t s = cursor;
	while (s && !is_space(line[s - 1]))
		s--;
	const char *word = line + s;
	size_t n = cursor - s;
	size_t first = 0;
	while (first < s && is_space(line[first]))
		first++;
	const char *eq = memchr(word, '=', n);
	if (first == s && eq) { /* NAME=value: the option's values, or function names */
		char name[64];
		size_t nl = (size_t)(eq - word);
		snprintf(name, sizeof(name), "%.*s", (int)(nl < 63 ? nl : 63), word);
		const char *choice;
		const struct shell_option *o = shell_find_option(name, &choice);
		*start = s + nl + 1;
		const char *v = eq + 1;
		size_t vn = n - nl - 1;
		if (!o)
			return;
		if (o->choices) {
			for (size_t k = 0; o->choices[k]; k++)
				add_prefixed(words, v, vn, o->choices[k]);
		} else if (shell_is_bool_option(sh, o, choice)) {
			add_prefixed(words, v, vn, "true");
			add_prefixed(words, v, vn, "false");
		} else if (strcmp(name, "sample_index") == 0) {
			for (size_t k = 0; k < sh->prof->n_types; k++)
				add_prefixed(words, v, vn,
					     profile_str(sh->prof, sh->prof->types[k].type));
		} else if (strstr("focus ignore hide show show_from prune_from", name)) {
			for (size_t k = 0; k < sh->n_functions; k++)
				add_prefixed(words, v, vn, sh->functions[k]);
		}
		return;
	}
	*start = s;
	if (first == s) { /* the first word: a command or an option */
		for (size_t i = 0; report_backends[i]; i++) {
			add_prefixed(words, word, n, report_backends[i]->name);
			for (size_t k = 0;
			     report_backends[i]->aliases && report_backends[i]->aliases[k]; k++)
				add_prefixed(words, word, n, report_backends[i]->aliases[k]);
		}
		for (size_t i = 0; own_commands[i]; i++)
			add_prefixed(words, word, n, own_commands[i]);
		for (size_t i = 0; i < shell_n_options; i++) {
			add_prefixed(words, word, n, shell_options[i].name);
			for (size_t k = 0; shell_options[i].choices && shell_options[i].choices[k];
			     k++)
				add_prefixed(words, word, n, shell_options[i].choices[k]);
		}
		return;
	}
	/* A report's arguments: function names (after a '-', to ignore them). */
	if (n && word[0] == '-') {
		word++;
		n--;
		(*start)++;
	}
	for (size_t k = 0; k < sh->n_functions; k++)
		add_prefixed(words, word, n, sh->functions[k]);
}

char shell_completion_end(const struct shell *sh, const char *line, size_t start, const char *word)
{
	for (size_t i = 0; i < start; i++)
		if (!is_space(line[i]))
			return ' ';
	const char *choice;
	const struct shell_option *o = shell_find_option(word, &choice);
	return o && !choice && !shell_is_bool_option(sh, o, NULL) ? '=' : ' ';
}

/* ---- the session ------------------------------------------------------------------- */

/* pprof's greetings: the header lines (compact) on standard error, a hint when the
 * default sample type has no samples, then the invitation. */
static void greet(struct shell *sh)
{
	const struct profile *p = sh->prof;
	const struct report_backend *top = report_find("top");
	struct report_options ro;
	struct cprof_error err = { "" };
	const char *si = sh->g->sample_index;
	select_warn_units(p);
	if (p->n_types && config_report_options(sh->g, si ? si : "", top, p, "", &ro, &err) == 0) {
		int64_t total = graph_total(p, ro.graph.sample_index, ro.graph.mean);
		struct report r;
		report_init(&r, p, &ro, total);
		struct sink labels;
		sink_init_mem(&labels);
		report_profile_labels(&r, &labels);
		fwrite(labels.buf.buf, 1, labels.buf.len, stderr);
		sink_release(&labels);
		report_release(&r);
		if (total == 0 && p->n_types > 1)
			fputs("No samples were found with the default sample value type.\n"
			      "Try \"sample_index\" command to analyze different sample "
			      "values.\n",
			      stderr);
	}
	fputs("Entering interactive mode (type \"help\" for commands, \"o\" for options)\n",
	      stderr);
}

static void collect_functions(struct shell *sh)
{
	const struct profile *p = sh->prof;
	sh->functions = xcalloc(p->n_functions + 1, sizeof(*sh->functions));
	for (size_t i = 0; i < p->n_functions; i++) {
		const char *name = profile_str(p, p->functions[i].name);
		if (*name)
			sh->functions[sh->n_functions++] = name;
	}
	qsort(sh->functions, sh->n_functions, sizeof(*sh->functions), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < sh->n_functions; i++)
		if (k == 0 || strcmp(sh->functions[k - 1], sh->functions[i]) != 0)
			sh->functions[k++] = sh->functions[i];
	sh->n_functions = k;
}

int shell_run(struct config_flags *cf, const struct profile *prof, struct sink *out,
	      shell_report_fn *report, void *ctx, struct cprof_error *err)
{
	struct shell sh = {
		.cf = cf, .g = &cf->cfg, .prof = prof, .out = out, .report = report, .ctx = ctx
	};
	/* The legacy shortcuts (-alloc_space, -mean_delay, ...) become what they stand for,
	 * once, as pprof's flags become its options. */
	const char *si;
	struct config *g = sh.g;
	if (config_check(g, &si, err) == 0) {
		g->mean = g->mean || g->mean_delay;
		g->sample_index = si;
		g->total_delay = g->mean_delay = g->contentions = g->inuse_space =
			g->inuse_objects = g->alloc_space = g->alloc_objects = false;
	}
	g->compact_labels = true;
	collect_functions(&sh);
	greet(&sh);

	struct shell_input *in = shell_input_open(&sh);
	int rc = 0;
	for (;;) {
		char *line = shell_input_read(in, "(pprof) ");
		if (!line)
			break;
		bool go_on = run_input(&sh, line);
		free(line);
		if (sink_finish(out) < 0) {
			rc = error_set(err, "standard output: %s", strerror(errno));
			break;
		}
		if (!go_on)
			break;
	}
	shell_input_close(in);
	for (size_t i = 0; i < sh.owned.n; i++)
		free((char *)sh.owned.items[i]);
	free(sh.owned.items);
	free(sh.functions);
	return rc;
}
