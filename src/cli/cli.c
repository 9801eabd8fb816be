/* The command-line driver: flags, sources, options, one report. It mirrors pprof's driver
 * (parseFlags, applyCommandOverrides, reportOptions) so the same flags mean the same. */
#include "cli/cli.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/diff.h"
#include "cli/flags.h"
#include "cli/select.h"
#include "cli/sources.h"
#include "model/profile.h"
#include "model/symbolize.h"
#include "pprof/load.h"
#include "report/report.h"
#include "util/xalloc.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

#define MAX_FLAGS 128
#define MAX_REPORTS 64 /* report names and aliases */

/* Every flag's value; defaults are pprof's (its defaultConfig). */
struct config {
	bool help, version;
	const char *output, *unit, *sample_index, *trim_path, *source_path, *add_comment, *buildid,
		*symbolize;
	int64_t nodecount;
	double nodefraction, edgefraction, divide_by;
	bool cum, flat, functions, filefunctions, files, lines, addresses, noinlines, mean, trim,
		compact_labels, drop_negative, call_tree, normalize;
	struct strlist base, diff_base;
	double fail_above; /* cprof diff's gate, in percent of the base total; < 0: off */
	bool inuse_space, inuse_objects, alloc_space, alloc_objects, total_delay, contentions,
		mean_delay;
	uint64_t max_size;
	struct select_flags sel;     /* -focus, -ignore, ..., -relative_percentages */
	bool report_flag[MAX_REPORTS];        /* -top, -text, ...: one per backend (and alias) */
	const char *report_param[MAX_REPORTS]; /* -list=RE, ...: backends that take a regexp */
};


struct cli {
	struct config cfg;
	struct flag flags[MAX_FLAGS];
	size_t n_flags;
	/* The report flags' names, parallel to cfg.report_flag / report_param. */
	const struct report_backend *report_of[MAX_REPORTS];
	const char *report_name[MAX_REPORTS];
	size_t n_reports;
};

static void add(struct cli *c, const char *name, enum flag_type t, void *ptr, const char *arg,
		const char *help)
{
	if (c->n_flags == MAX_FLAGS) { /* a programming error that every run would hit */
		fprintf(stderr, "cprof: more than %d flags defined\n", MAX_FLAGS);
		abort();
	}
	c->flags[c->n_flags++] = (struct flag){ name, t, ptr, arg, help, false };
}

static void define_flags(struct cli *c)
{
	struct config *g = &c->cfg;
	g->unit = "minimum";
	g->nodecount = -1;
	g->nodefraction = 0.005;
	g->edgefraction = 0.001;
	g->divide_by = 1.0;
	g->trim = true;
	g->max_size = LOAD_DEFAULT_MAX;
	g->fail_above = -1;

	/* Reports, as pprof's -top, -text ... */
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		const char *names[8] = { b->name };
		size_t n = 1;
		for (size_t k = 0; b->aliases && b->aliases[k] && n < 8; k++)
			names[n++] = b->aliases[k];
		for (size_t k = 0; k < n; k++) {
			if (c->n_reports == MAX_REPORTS) {
				fprintf(stderr, "cprof: more than %d report names\n", MAX_REPORTS);
				abort();
			}
			size_t r = c->n_reports++;
			c->report_of[r] = b;
			c->report_name[r] = names[k];
			if (b->flags & REPORT_HAS_PARAM)
				add(c, names[k], FLAG_STRING, &g->report_param[r], "regexp", b->summary);
			else
				add(c, names[k], FLAG_BOOL, &g->report_flag[r], NULL, b->summary);
		}
	}
	add(c, "output", FLAG_STRING, &g->output, "file", "Write the report to file (atomically) instead of standard output");
	add(c, "nodecount", FLAG_INT, &g->nodecount, "n", "Show at most n nodes (default: all for top, 80 for graphs)");
	add(c, "nodefraction", FLAG_FLOAT, &g->nodefraction, "f", "Hide nodes below f*total (default 0.005)");
	add(c, "edgefraction", FLAG_FLOAT, &g->edgefraction, "f", "Hide edges below f*total (default 0.001)");
	add(c, "trim", FLAG_BOOL, &g->trim, NULL, "Honor nodefraction/edgefraction/nodecount defaults (default true)");
	add(c, "cum", FLAG_BOOL, &g->cum, NULL, "Sort entries based on cumulative weight");
	add(c, "flat", FLAG_BOOL, &g->flat, NULL, "Sort entries based on own weight (default)");
	add(c, "functions", FLAG_BOOL, &g->functions, NULL, "Aggregate at the function level (default)");
	add(c, "filefunctions", FLAG_BOOL, &g->filefunctions, NULL, "Aggregate at the function level, keeping files apart");
	add(c, "files", FLAG_BOOL, &g->files, NULL, "Aggregate at the file level");
	add(c, "lines", FLAG_BOOL, &g->lines, NULL, "Aggregate at the source code line level");
	add(c, "addresses", FLAG_BOOL, &g->addresses, NULL, "Aggregate at the address level");
	add(c, "noinlines", FLAG_BOOL, &g->noinlines, NULL, "Attribute inlined functions to their first out-of-line caller");
	add(c, "unit", FLAG_STRING, &g->unit, "unit", "Measurement units to display (minimum, auto, ms, s, kb, mb, ...)");
	add(c, "divide_by", FLAG_FLOAT, &g->divide_by, "x", "Divide all sample values by x");
	add(c, "mean", FLAG_BOOL, &g->mean, NULL, "Average sample value over the first value (count)");
	add(c, "sample_index", FLAG_STRING, &g->sample_index, "index|name", "Sample value to report (0-based index or name)");
	add(c, "inuse_space", FLAG_BOOL, &g->inuse_space, NULL, "Same as -sample_index=inuse_space");
	add(c, "inuse_objects", FLAG_BOOL, &g->inuse_objects, NULL, "Same as -sample_index=inuse_objects");
	add(c, "alloc_space", FLAG_BOOL, &g->alloc_space, NULL, "Same as -sample_index=alloc_space");
	add(c, "alloc_objects", FLAG_BOOL, &g->alloc_objects, NULL, "Same as -sample_index=alloc_objects");
	add(c, "total_delay", FLAG_BOOL, &g->total_delay, NULL, "Same as -sample_index=delay");
	add(c, "contentions", FLAG_BOOL, &g->contentions, NULL, "Same as -sample_index=contentions");
	add(c, "mean_delay", FLAG_BOOL, &g->mean_delay, NULL, "Same as -mean -sample_index=delay");
	add(c, "compact_labels", FLAG_BOOL, &g->compact_labels, NULL, "Leave the profile's labels out of the header");
	add(c, "call_tree", FLAG_BOOL, &g->call_tree, NULL, "Create a context-sensitive call tree (callgrind and the graphs)");
	add(c, "drop_negative", FLAG_BOOL, &g->drop_negative, NULL, "Ignore negative differences");
	add(c, "diff_base", FLAG_LIST, &g->diff_base, "profile", "Compare against this base profile: shows profile - base");
	add(c, "base", FLAG_LIST, &g->base, "profile", "Subtract this base profile");
	add(c, "normalize", FLAG_BOOL, &g->normalize, NULL, "Scale the profile to the base's total before subtracting");
	add(c, "fail-above", FLAG_FLOAT, &g->fail_above, "pct", "cprof diff: exit 3 if a node grew by more than pct% of the base total");
	add(c, "o", FLAG_STRING, &g->output, "file", "Same as -output");
	add(c, "trim_path", FLAG_STRING, &g->trim_path, "paths", "Path prefixes to trim from source file names (colon-separated)");
	add(c, "source_path", FLAG_STRING, &g->source_path, "paths", "Search path for source files (colon-separated)");
	add(c, "add_comment", FLAG_STRING, &g->add_comment, "text", "Add a comment to the profile (shown in the header)");
	add(c, "buildid", FLAG_STRING, &g->buildid, "id", "Override the build id of the main binary");
	add(c, "symbolize", FLAG_STRING, &g->symbolize, "mode", "Simplify demangled C++/Rust names as pprof does (none: keep them whole)");
	add(c, "focus", FLAG_STRING, &g->sel.focus, "regexp", "Restrict to samples going through a node matching regexp");
	add(c, "ignore", FLAG_STRING, &g->sel.ignore, "regexp", "Skip samples going through a node matching regexp");
	add(c, "hide", FLAG_STRING, &g->sel.hide, "regexp", "Skip nodes matching regexp");
	add(c, "show", FLAG_STRING, &g->sel.show, "regexp", "Only show nodes matching regexp");
	add(c, "show_from", FLAG_STRING, &g->sel.show_from, "regexp", "Drop functions above the highest matched frame");
	add(c, "prune_from", FLAG_STRING, &g->sel.prune_from, "regexp", "Drop frames below the first frame matching regexp");
	add(c, "tagfocus", FLAG_STRING, &g->sel.tagfocus, "filter", "Restrict to samples with a label matching [key=]regexp,... or [key=]range (1kb:10kb, 100ms:, :64)");
	add(c, "tagignore", FLAG_STRING, &g->sel.tagignore, "filter", "Skip samples with a label matching [key=]regexp,... or [key=]range");
	add(c, "tagshow", FLAG_STRING, &g->sel.tagshow, "regexp", "Only show tags whose key matches regexp");
	add(c, "taghide", FLAG_STRING, &g->sel.taghide, "regexp", "Hide tags whose key matches regexp");
	add(c, "tagroot", FLAG_STRING, &g->sel.tagroot, "keys", "Add pseudo stack frames for these label keys at the root (comma-separated)");
	add(c, "tagleaf", FLAG_STRING, &g->sel.tagleaf, "keys", "Add pseudo stack frames for these label keys at the leaf (comma-separated)");
	add(c, "relative_percentages", FLAG_BOOL, &g->sel.relative_percentages, NULL, "Show percentages relative to the focused subgraph");
	add(c, "max_size", FLAG_SIZE, &g->max_size, "bytes", "Refuse profiles larger than this once inflated (default 2G)");
	add(c, "help", FLAG_BOOL, &g->help, NULL, "Print this help");
	add(c, "h", FLAG_BOOL, &g->help, NULL, NULL);
	add(c, "version", FLAG_BOOL, &g->version, NULL, "Print cprof's version");
}

/* cprof's own subcommands, which are not reports: they pick the report and read their
 * positional arguments their own way. */
enum command { CMD_REPORT, CMD_DIFF, CMD_MERGE };

static const struct {
	const char *name;
	enum command cmd;
	const char *usage, *summary;
} commands[] = {
	{ "diff", CMD_DIFF, "diff [flags] BASE NEW...", "New minus base (default report: top)" },
	{ "merge", CMD_MERGE, "merge -o OUT PROFILE...", "Merge profiles into OUT (profile.proto)" },
};

static void help(struct cli *c, struct strbuf *out)
{
	strbuf_adds(out,
		"usage: cprof REPORT [flags] [binary] PROFILE...\n"
		"       cprof -REPORT [flags] [binary] PROFILE...   (go tool pprof's spelling)\n"
		"\n"
		"Reads a pprof profile (gzip'd or plain profile.proto; '-' or no PROFILE with a\n"
		"pipe on standard input reads standard input) and prints a report exactly as\n"
		"go tool pprof prints it. Several profiles are merged; -base and -diff_base\n"
		"subtract base profiles.\n"
		"\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		strbuf_addf(out, "  cprof %-29s %s\n", commands[i].usage, commands[i].summary);
	strbuf_adds(out, "\nReports:\n");
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		char name[64];
		snprintf(name, sizeof(name), "%s%s", b->name, b->flags & REPORT_HAS_PARAM ? " REGEXP" : "");
		strbuf_addf(out, "  %-22s %s", name, b->summary);
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			strbuf_addf(out, "%s%s", k ? ", " : " (also: ", b->aliases[k]);
		if (b->aliases && b->aliases[0])
			strbuf_adds(out, ")");
		strbuf_addch(out, '\n');
	}
	strbuf_adds(out, "\nFlags (-flag, --flag, -flag=value, -flag value; booleans -flag=false):\n");
	for (size_t i = 0; i < c->n_flags; i++) {
		const struct flag *f = &c->flags[i];
		if (!f->help || (i < c->n_reports))
			continue;
		char name[64];
		snprintf(name, sizeof(name), "-%s%s%s", f->name, f->arg ? "=" : "", f->arg ? f->arg : "");
		strbuf_addf(out, "  %-22s %s\n", name, f->help);
	}
	strbuf_adds(out, "\nExit status: 0 success, 1 failure (bad profile, unreadable file), 2 usage,\n"
			 "3 cprof diff -fail-above found a regression.\n"
			 "See cprof(1) for details.\n");
}

/* pprof's sampleIndex: the first legacy shortcut given wins. */
static const char *shortcut(bool on, const char *si, const char *type, const char *flag)
{
	if (!on)
		return si;
	if (!si || !*si)
		return type;
	fprintf(stderr, "Multiple value selections, ignoring %s\n", flag);
	return si;
}

static int pick_granularity(const struct config *g, enum granularity *out, struct cprof_error *err)
{
	const struct {
		bool on;
		enum granularity gran;
		const char *name;
	} opts[] = {
		{ g->functions, GRAN_FUNCTIONS, "functions" },
		{ g->filefunctions, GRAN_FILEFUNCTIONS, "filefunctions" },
		{ g->files, GRAN_FILES, "files" },
		{ g->lines, GRAN_LINES, "lines" },
		{ g->addresses, GRAN_ADDRESSES, "addresses" },
	};
	const char *set[5];
	size_t n = 0;
	*out = GRAN_FUNCTIONS;
	for (size_t i = 0; i < 5; i++)
		if (opts[i].on) {
			set[n++] = opts[i].name;
			*out = opts[i].gran;
		}
	if (n > 1) {
		error_set(err, "conflicting options set: [%s", set[0]);
		for (size_t i = 1; i < n; i++)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg), " %s", set[i]);
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg), "]");
		return -1;
	}
	return 0;
}

/* Whether a file starts like an executable pprof could open as the binary. */
static bool is_object_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char m[4] = { 0 };
	ssize_t n = read(fd, m, 4);
	close(fd);
	if (n < 4)
		return false;
	static const unsigned char magics[][4] = {
		{ 0x7f, 'E', 'L', 'F' }, { 0xfe, 0xed, 0xfa, 0xce }, { 0xfe, 0xed, 0xfa, 0xcf },
		{ 0xce, 0xfa, 0xed, 0xfe }, { 0xcf, 0xfa, 0xed, 0xfe }, { 0xca, 0xfe, 0xba, 0xbe },
	};
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (memcmp(m, magics[i], 4) == 0)
			return true;
	return m[0] == 'M' && m[1] == 'Z';
}

static bool is_build_id(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* The sample types as pprof lists them in errors: "[samples cpu]". */
static void type_list(const struct profile *p, char *buf, size_t n)
{
	size_t used = (size_t)snprintf(buf, n, "[");
	for (size_t i = 0; i < p->n_types && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " " : "",
					 profile_str(p, p->types[i].type));
	if (used < n)
		snprintf(buf + used, n - used, "]");
}

/* pprof's reportOptions and applyCommandOverrides. */
static int report_options(const struct config *g, const struct report_backend *b,
			  const struct profile *p, const char *src, struct report_options *o,
			  struct cprof_error *err)
{
	memset(o, 0, sizeof(*o));
	const char *si = g->sample_index;
	si = shortcut(g->total_delay, si, "delay", "-total_delay");
	si = shortcut(g->mean_delay, si, "delay", "-mean_delay");
	si = shortcut(g->contentions, si, "contentions", "-contentions");
	si = shortcut(g->inuse_space, si, "inuse_space", "-inuse_space");
	si = shortcut(g->inuse_objects, si, "inuse_objects", "-inuse_objects");
	si = shortcut(g->alloc_space, si, "alloc_space", "-alloc_space");
	si = shortcut(g->alloc_objects, si, "alloc_objects", "-alloc_objects");
	bool mean = g->mean || g->mean_delay;

	int ix = profile_sample_index(p, si);
	if (ix < 0) {
		char *end;
		long v = strtol(si, &end, 10);
		(void)v;
		if (*end == '\0')
			return error_set(err, "%s: sample_index %s is outside the range [0..%zu]", src, si,
					 p->n_types - 1);
		char types[512];
		type_list(p, types, sizeof(types));
		return error_set(err, "%s: sample_index \"%s\" must be one of: %s", src, si, types);
	}
	if (g->divide_by == 0)
		return error_set(err, "zero divisor specified");

	struct graph_options *go = &o->graph;
	go->sample_index = ix;
	go->mean = mean;
	if (pick_granularity(g, &go->granularity, err) < 0)
		return -1;
	if (b->flags & REPORT_LINES)
		go->granularity = GRAN_LINES;
	go->noinlines = g->noinlines;
	if (b->flags & REPORT_ADDRESSES) {
		go->granularity = GRAN_ADDRESSES;
		go->noinlines = false;
	}
	go->drop_negative = g->drop_negative;
	go->trim_path = g->trim_path;
	go->source_path = g->source_path;
	go->cum_sort = g->cum;
	go->node_fraction = g->nodefraction;
	go->edge_fraction = g->edgefraction;
	int64_t count = g->nodecount;
	if (count == -1)
		count = (b->flags & REPORT_TEXT_COUNT) ? 0 : 80;
	if (!g->trim || (b->flags & (REPORT_NO_TRIM | REPORT_ADDRESSES))) {
		count = 0;
		go->node_fraction = go->edge_fraction = 0;
	}
	go->node_count = count > INT32_MAX ? INT32_MAX : count < 0 ? 0 : (int)count;

	const struct value_type *t = &p->types[ix];
	snprintf(o->sample_type, sizeof(o->sample_type), "%s%s", mean ? "mean_" : "",
		 profile_str(p, t->type));
	o->sample_unit = profile_str(p, t->unit);
	snprintf(o->output_unit, sizeof(o->output_unit), "%s", g->unit);
	o->ratio = 1 / g->divide_by;
	o->compact_labels = g->compact_labels;
	o->call_tree = g->call_tree;
	return 0;
}

int cli_run(int argc, char **argv, struct cli_result *res, struct cprof_error *err)
{
	struct cli *c = xcalloc(1, sizeof(*c));
	struct strlist pos = { 0 };
	struct profile *prof = NULL;
	struct regex *re = NULL;
	struct select sel = { 0 };
	int status = CLI_USAGE;
	define_flags(c);
	struct config *g = &c->cfg;

	/* The subcommand spelling: cprof top [flags] F, cprof diff B N, cprof merge -o O F... */
	const struct report_backend *cmd = NULL;
	enum command mode = CMD_REPORT;
	int first = 1;
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			mode = commands[i].cmd;
			first = 2;
		}
	if (mode == CMD_REPORT && argc > 1 && argv[1][0] != '-' &&
	    (cmd = report_find(argv[1])) != NULL)
		first = 2;
	if (flags_parse(c->flags, c->n_flags, argc - first, argv + first, &pos, err) < 0)
		goto out;
	if (g->help) {
		help(c, &res->out);
		status = CLI_OK;
		goto out;
	}
	if (g->version) {
		strbuf_addf(&res->out, "cprof %s\n", CPROF_VERSION);
		status = CLI_OK;
		goto out;
	}

	/* The pprof spelling: exactly one report flag. */
	const char *param = NULL;
	size_t n_pos_used = 0;
	for (size_t r = 0; r < c->n_reports; r++) {
		bool on = g->report_flag[r] || (g->report_param[r] && *g->report_param[r]);
		if (!on)
			continue;
		if (cmd || mode == CMD_MERGE) {
			error_set(err, "must set at most one output format");
			goto out;
		}
		cmd = c->report_of[r];
		param = g->report_param[r];
	}
	if (mode == CMD_DIFF && !cmd)
		cmd = report_find("top");
	if (mode == CMD_MERGE) {
		cmd = report_find("proto");
		if (!g->output || !*g->output) {
			error_set(err, "merge: name the merged profile's file with -o OUT");
			goto out;
		}
	}
	if (flags_find(c->flags, c->n_flags, "fail-above")->set) {
		if (mode != CMD_DIFF) {
			error_set(err, "-fail-above is for cprof diff only");
			goto out;
		}
		if (!(g->fail_above >= 0)) {
			error_set(err, "-fail-above=%g: the percentage must be 0 or more", g->fail_above);
			goto out;
		}
	}
	if (!cmd && argc > 1 && argv[1][0] != '-' && access(argv[1], F_OK) != 0) {
		error_set(err, "unknown report \"%s\" (see cprof --help for the list)", argv[1]);
		goto out;
	}
	if (!cmd) {
		error_set(err, "no report chosen: name one, as in 'cprof top FILE' or 'cprof -top FILE'");
		goto out;
	}
	if ((cmd->flags & REPORT_HAS_PARAM) && !param) {
		if (pos.n == 0) {
			error_set(err, "%s needs a regexp argument", cmd->name);
			goto out;
		}
		param = pos.items[n_pos_used++];
	}
	if (param && !(re = regex_compile(param, err)))
		goto out;
	if (select_compile(&sel, &g->sel, err) < 0)
		goto out;

	/* Bases: -base or -diff_base (not both), or cprof diff's first argument. */
	struct sources src = { .max_size = g->max_size, .normalize = g->normalize,
			       .merge_single = (cmd->flags & REPORT_SAMPLES) != 0 };
	/* As in pprof, a repeated -base or -diff_base keeps its last value; an empty one is
	 * none. More bases are merged when cprof diff names them. */
	const char **base = g->base.n && *g->base.items[g->base.n - 1]
				    ? &g->base.items[g->base.n - 1] : NULL;
	const char **diff_base = g->diff_base.n && *g->diff_base.items[g->diff_base.n - 1]
					 ? &g->diff_base.items[g->diff_base.n - 1] : NULL;
	if (base && diff_base) {
		error_set(err, "-base and -diff_base flags cannot both be specified");
		goto out;
	}
	src.bases = diff_base ? diff_base : base;
	src.n_bases = src.bases ? 1 : 0;
	src.diff_base = diff_base != NULL;
	if (mode == CMD_DIFF) {
		if (src.n_bases) {
			error_set(err, "diff: the base is the first argument; -base and -diff_base do not apply");
			goto out;
		}
		if (pos.n - n_pos_used < 2) {
			error_set(err, "diff: needs a base and a new profile: cprof diff BASE NEW");
			goto out;
		}
		src.bases = pos.items + n_pos_used++;
		src.n_bases = 1;
		src.diff_base = true;
	}
	if (g->normalize && src.n_bases == 0) {
		error_set(err, "must have base profile to normalize by");
		goto out;
	}

	/* Sources: [binary] profile...; standard input when none is named and it is a pipe. */
	src.build_id = g->buildid;
	if (pos.n - n_pos_used > 1 && mode == CMD_REPORT) {
		const char *arg0 = pos.items[n_pos_used];
		if (is_object_file(arg0)) {
			src.exec_name = arg0;
			n_pos_used++;
		} else if (!(g->buildid && *g->buildid) && is_build_id(arg0)) {
			src.build_id = arg0;
			n_pos_used++;
		}
	}
	static const char *const stdin_name[] = { "-" };
	if (pos.n - n_pos_used == 0) {
		if (isatty(STDIN_FILENO)) {
			error_set(err, "no profile source specified (see cprof --help)");
			goto out;
		}
		src.profiles = stdin_name;
		src.n_profiles = 1;
	} else {
		src.profiles = pos.items + n_pos_used;
		src.n_profiles = pos.n - n_pos_used;
	}

	status = CLI_FAIL;
	prof = sources_load(&src, err);
	if (!prof)
		goto out;
	/* As pprof, on the merged profile: the demangling step of its symbolization. */
	struct symbolize_mode sym;
	symbolize_parse(g->symbolize, &sym);
	for (int i = 0; i < sym.unrecognized; i++)
		fprintf(stderr, "ignoring unrecognized symbolization option: %s\n"
				"expecting -symbolize=[local|fastlocal|remote|none][:force]"
				"[:demangle=[none|full|templates|default]\n",
			g->symbolize);
	symbolize_names(prof, &sym);
	if (g->add_comment && *g->add_comment) {
		XGROW(prof->comments, prof->cap_comments, prof->n_comments + 1);
		prof->comments[prof->n_comments++] =
			strtab_intern(&prof->strs, g->add_comment, strlen(g->add_comment));
	}

	/* As pprof: the total is taken before the filters unless -relative_percentages. */
	struct report_options ro;
	const char *name = sources_name(src.profiles[0]);
	if (prof->n_types == 0) { /* a bad profile (exit 1), not a bad sample index (2) */
		error_set(err, "%s: %s", name,
			  prof->n_samples ? "malformed profile: missing sample type information"
					  : "profile has no samples");
		goto out;
	}
	select_prepare(&sel, prof, g->unit);
	if (report_options(g, cmd, prof, name, &ro, err) < 0) {
		status = CLI_USAGE;
		goto out;
	}
	int64_t total = graph_total(prof, ro.graph.sample_index, ro.graph.mean);
	select_apply(&sel, prof);
	ro.symbol = param;
	ro.symbol_re = re;
	ro.active_filters = (const char *const *)sel.active;
	ro.n_active_filters = sel.n_active;
	struct report r;
	report_init(&r, prof, &ro);
	if (!g->sel.relative_percentages)
		r.total = total;
	if (mode == CMD_DIFF)
		diff_header(&res->out, src.bases[0], src.profiles, src.n_profiles);
	if (cmd->render(&r, &res->out, err) < 0)
		goto out;
	res->output_path = g->output && *g->output ? g->output : NULL;
	res->away_suffix = cmd->away_suffix;
	status = CLI_OK;
	if (mode == CMD_DIFF && g->fail_above >= 0 &&
	    diff_gate(&r, g->fail_above, &res->out, err) > 0)
		status = CLI_REGRESSION;
out:
	select_release(&sel);
	regex_free(re);
	profile_free(prof);
	free(pos.items);
	free(g->base.items);
	free(g->diff_base.items);
	free(c);
	return status;
}
