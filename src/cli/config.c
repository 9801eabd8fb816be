/* The flag table and pprof's report options; see config.h. */
#include "cli/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pprof/load.h"
#include "util/sort.h"

/* A flag's value as --help shows its default: "" when it has none worth saying (false,
 * zero, empty, or a negative number meaning "the report's own"). */
static void note_default(const struct flag *f, char *buf, size_t n)
{
	buf[0] = '\0';
	switch (f->type) {
	case FLAG_BOOL:
		if (*(bool *)f->ptr)
			snprintf(buf, n, "true");
		break;
	case FLAG_INT:
		if (*(int64_t *)f->ptr > 0)
			snprintf(buf, n, "%" PRId64, *(int64_t *)f->ptr);
		break;
	case FLAG_FLOAT:
		if (*(double *)f->ptr > 0)
			snprintf(buf, n, "%g", *(double *)f->ptr);
		break;
	case FLAG_STRING:
		if (*(const char **)f->ptr)
			snprintf(buf, n, "%s", *(const char **)f->ptr);
		break;
	case FLAG_SIZE: {
		uint64_t v = *(uint64_t *)f->ptr;
		if (v == CONFIG_MEMORY_AUTO) /* the help text says how it is found */
			break;
		const char *suffix = "kMGT";
		int k = -1;
		while (v && v % 1024 == 0 && k < 3) {
			v /= 1024;
			k++;
		}
		if (v)
			snprintf(buf, n, "%" PRIu64 "%.*s", v, k >= 0, k >= 0 ? suffix + k : "");
		break;
	}
	case FLAG_LIST:
	case FLAG_REFUSED:
		break;
	}
}

static void add(struct config_flags *c, const char *name, enum flag_type t, void *ptr,
		const char *arg, const char *help)
{
	if (c->n_flags == MAX_FLAGS) { /* a programming error that every run would hit */
		fprintf(stderr, "cprof: more than %d flags defined\n", MAX_FLAGS);
		abort();
	}
	c->flags[c->n_flags++] = (struct flag){ name, t, ptr, arg, help, false };
}

/* A flag per report name, as pprof's -top, -text ... */
static void define_reports(struct config_flags *c, struct config *g)
{
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
			if (b->flags & REPORT_HAS_PARAM)
				add(c, names[k], FLAG_STRING, &g->report_param[r], "regexp",
				    b->summary);
			else
				add(c, names[k], FLAG_BOOL, &g->report_flag[r], NULL, b->summary);
		}
	}
}

/* Where the report goes, what its nodes are and which value it shows. */
static void define_shape(struct config_flags *c, struct config *g)
{
	add(c, "output", FLAG_STRING, &g->output, "file",
	    "Write the report to file; a regular file is replaced once the report is whole");
	add(c, "nodecount", FLAG_INT, &g->nodecount, "n",
	    "Keep the n heaviest nodes (default: all in text reports, 80 in graphs)");
	add(c, "nodefraction", FLAG_FLOAT, &g->nodefraction, "f",
	    "Leave out nodes worth less than f of the total");
	add(c, "edgefraction", FLAG_FLOAT, &g->edgefraction, "f",
	    "Leave out edges worth less than f of the total");
	add(c, "trim", FLAG_BOOL, &g->trim, NULL,
	    "Apply the node and edge limits (-trim=false keeps everything)");
	add(c, "cum", FLAG_BOOL, &g->cum, NULL,
	    "Order by cumulative value (a node with all it calls)");
	add(c, "flat", FLAG_BOOL, &g->flat, NULL,
	    "Order by flat value (a node alone; the default)");
	add(c, "functions", FLAG_BOOL, &g->functions, NULL, "One node per function (the default)");
	add(c, "filefunctions", FLAG_BOOL, &g->filefunctions, NULL,
	    "One node per function and source file");
	add(c, "files", FLAG_BOOL, &g->files, NULL, "One node per source file");
	add(c, "lines", FLAG_BOOL, &g->lines, NULL, "One node per source line");
	add(c, "addresses", FLAG_BOOL, &g->addresses, NULL, "One node per instruction address");
	add(c, "noinlines", FLAG_BOOL, &g->noinlines, NULL,
	    "Charge inlined calls to the function they were inlined into");
	add(c, "unit", FLAG_STRING, &g->unit, "unit",
	    "Show values in: minimum, auto, or a unit such as ms, s, kb, mb");
	add(c, "divide_by", FLAG_FLOAT, &g->divide_by, "x",
	    "Divide every value by x before reporting it");
	add(c, "mean", FLAG_BOOL, &g->mean, NULL,
	    "Report values per event: each divided by its sample's count");
	add(c, "sample_index", FLAG_STRING, &g->sample_index, "index|name",
	    "The sample type to report, by name or position from 0");
	add(c, "inuse_space", FLAG_BOOL, &g->inuse_space, NULL,
	    "Shorthand for -sample_index=inuse_space");
	add(c, "inuse_objects", FLAG_BOOL, &g->inuse_objects, NULL,
	    "Shorthand for -sample_index=inuse_objects");
	add(c, "alloc_space", FLAG_BOOL, &g->alloc_space, NULL,
	    "Shorthand for -sample_index=alloc_space");
	add(c, "alloc_objects", FLAG_BOOL, &g->alloc_objects, NULL,
	    "Shorthand for -sample_index=alloc_objects");
	add(c, "total_delay", FLAG_BOOL, &g->total_delay, NULL,
	    "Shorthand for -sample_index=delay");
	add(c, "contentions", FLAG_BOOL, &g->contentions, NULL,
	    "Shorthand for -sample_index=contentions");
	add(c, "mean_delay", FLAG_BOOL, &g->mean_delay, NULL,
	    "Shorthand for -mean -sample_index=delay");
}

/* The profiles' labels, diffs and bases, names and sources. */
static void define_profiles(struct config_flags *c, struct config *g)
{
	add(c, "compact_labels", FLAG_BOOL, &g->compact_labels, NULL,
	    "Leave the profile's labels out of the header");
	add(c, "icicle", FLAG_BOOL, &g->icicle, NULL, "flame: draw the root on top");
	add(c, "minwidth", FLAG_FLOAT, &g->minwidth, "pct",
	    "flame: leave out boxes narrower than pct% of the total");
	add(c, "call_tree", FLAG_BOOL, &g->call_tree, NULL,
	    "Keep calling contexts apart: a node per path (callgrind, graphs)");
	add(c, "drop_negative", FLAG_BOOL, &g->drop_negative, NULL,
	    "Leave out nodes whose value is negative (in a diff)");
	add(c, "diff_base", FLAG_LIST, &g->diff_base, "profile",
	    "Report the change from this base: profile minus base");
	add(c, "base", FLAG_LIST, &g->base, "profile", "Subtract this profile from the ones given");
	add(c, "normalize", FLAG_BOOL, &g->normalize, NULL,
	    "Scale the profile to the base's total before subtracting");
	add(c, "fail-above", FLAG_FLOAT, &g->fail_above, "pct",
	    "cprof diff: exit 3 if a node grew by more than pct% of the base total");
	add(c, "min_samples", FLAG_INT, &g->min_samples, "n",
	    "cprof diff: no verdict unless both profiles hold n samples");
	add(c, "o", FLAG_STRING, &g->output, "file", "Same as -output");
	add(c, "trim_path", FLAG_STRING, &g->trim_path, "paths",
	    "Prefixes to strip from recorded source paths (colon-separated)");
	add(c, "source_path", FLAG_STRING, &g->source_path, "paths",
	    "Directories to look for source files in (colon-separated)");
	add(c, "add_comment", FLAG_STRING, &g->add_comment, "text",
	    "Store this comment in the profile (see the comments report)");
	add(c, "buildid", FLAG_STRING, &g->buildid, "id",
	    "Take this as the main binary's build id");
	add(c, "symbolize", FLAG_STRING, &g->symbolize, "mode",
	    "Simplify demangled C++/Rust names as pprof does (none: keep them whole)");
}

/* Fetching profiles over HTTP: pprof's source options. */
static void define_fetch(struct config_flags *c, struct config *g)
{
	add(c, "seconds", FLAG_INT, &g->seconds, "n",
	    "Ask a URL for a profile of n seconds (its seconds parameter)");
	add(c, "timeout", FLAG_INT, &g->timeout, "n",
	    "Seconds to wait for a URL's answer, plus 5 (default: 1.5 times its seconds, else 60)");
	add(c, "tls_cert", FLAG_STRING, &g->tls_cert, "file",
	    "Client certificate (PEM) for https URLs, with -tls_key");
	add(c, "tls_key", FLAG_STRING, &g->tls_key, "file", "The client certificate's key (PEM)");
	add(c, "tls_ca", FLAG_STRING, &g->tls_ca, "file",
	    "Trust only these CA certificates (PEM) for https URLs");
}

/* Which samples, frames, nodes and tags the report keeps. */
static void define_selection(struct config_flags *c, struct config *g)
{
	add(c, "focus", FLAG_STRING, &g->sel.focus, "regexp",
	    "Keep only samples with a frame matching regexp");
	add(c, "ignore", FLAG_STRING, &g->sel.ignore, "regexp",
	    "Drop samples with a frame matching regexp");
	add(c, "hide", FLAG_STRING, &g->sel.hide, "regexp",
	    "Take frames matching regexp out of every stack");
	add(c, "show", FLAG_STRING, &g->sel.show, "regexp",
	    "Keep only frames matching regexp in every stack");
	add(c, "show_from", FLAG_STRING, &g->sel.show_from, "regexp",
	    "Start each stack at its outermost frame matching regexp");
	add(c, "prune_from", FLAG_STRING, &g->sel.prune_from, "regexp",
	    "End each stack at its first frame matching regexp from the root");
	add(c, "tagfocus", FLAG_STRING, &g->sel.tagfocus, "filter",
	    "Keep only samples with a label matching [key=]regexp,... or in [key=]range (1kb:10kb, "
	    "100ms:, :64)");
	add(c, "tagignore", FLAG_STRING, &g->sel.tagignore, "filter",
	    "Drop samples with a label matching [key=]regexp,... or [key=]range");
	add(c, "tagshow", FLAG_STRING, &g->sel.tagshow, "regexp",
	    "Keep only label keys matching regexp");
	add(c, "taghide", FLAG_STRING, &g->sel.taghide, "regexp",
	    "Leave out label keys matching regexp");
	add(c, "tagroot", FLAG_STRING, &g->sel.tagroot, "keys",
	    "A frame per value of these label keys at each stack's root (comma-separated)");
	add(c, "tagleaf", FLAG_STRING, &g->sel.tagleaf, "keys",
	    "A frame per value of these label keys at each stack's leaf (comma-separated)");
	add(c, "relative_percentages", FLAG_BOOL, &g->sel.relative_percentages, NULL,
	    "Percentages of what the filters kept rather than of the whole");
}

/* pprof's flags for what cprof leaves to other programs (viewers, browsers, a server, a
 * disassembler): each answers with what to do instead. */
static void define_refused(struct config_flags *c)
{
	static const char web[] = "no web UI in cprof: write a report to a file and open that "
				  "(cprof svg -output=graph.svg PROFILE)";
	static const char viewer[] = "no viewer is started: write the graph to a file and open "
				     "that (cprof pdf -output=graph.pdf PROFILE)";
	static const char disasm[] = "no disassembler in cprof: 'cprof list REGEXP PROFILE' "
				     "annotates the source instead";
	static const struct {
		const char *name, *why;
	} refused[] = {
		{ "http", web },
		{ "no_browser", web },
		{ "web", "no browser is opened: write the graph to a file and open that "
			 "(cprof svg -output=graph.svg PROFILE)" },
		{ "gv", viewer },
		{ "evince", viewer },
		{ "eog", viewer },
		{ "kcachegrind",
		  "no viewer is started: run 'cprof callgrind -output=FILE PROFILE', "
		  "then 'kcachegrind FILE'" },
		{ "disasm", disasm },
		{ "intel_syntax", disasm },
		{ "tools", "no external tools are run, so there is no tool path to set" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
		add(c, refused[i].name, FLAG_REFUSED, NULL, NULL, refused[i].why);
}

void config_define(struct config_flags *c)
{
	struct config *g = &c->cfg;
	g->unit = "minimum";
	g->nodecount = -1;
	g->nodefraction = 0.005;
	g->edgefraction = 0.001;
	g->divide_by = 1.0;
	g->trim = true;
	g->max_size = LOAD_DEFAULT_MAX;
	g->max_memory = CONFIG_MEMORY_AUTO;
	g->fail_above = -1;
	g->minwidth = 0.1;
	g->seconds = -1;
	g->timeout = -1;

	define_reports(c, g);
	define_shape(c, g);
	define_profiles(c, g);
	define_fetch(c, g);
	define_selection(c, g);
	add(c, "max_size", FLAG_SIZE, &g->max_size, "bytes",
	    "Refuse profiles larger than this once inflated");
	add(c, "max_memory", FLAG_SIZE, &g->max_memory, "bytes",
	    "Fail with a message rather than hold more memory than this (0: no limit; "
	    "default: half of RAM, or of the cgroup's limit if lower)");
	add(c, "help", FLAG_BOOL, &g->help, NULL, "Print this help");
	add(c, "h", FLAG_BOOL, &g->help, NULL, NULL);
	add(c, "version", FLAG_BOOL, &g->version, NULL, "Print cprof's version");
	add(c, "V", FLAG_BOOL, &g->version, NULL, NULL);
	define_refused(c);
	for (size_t i = 0; i < c->n_flags; i++)
		note_default(&c->flags[i], c->defaults[i], sizeof(c->defaults[i]));
}

void config_release(struct config *g)
{
	free(g->base.items);
	free(g->diff_base.items);
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
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
		if (opts[i].on) {
			set[n++] = opts[i].name;
			*out = opts[i].gran;
		}
	if (n > 1) {
		error_set(err, "conflicting options set: [%s", set[0]);
		for (size_t i = 1; i < n; i++)
			snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg),
				 " %s", set[i]);
		snprintf(err->msg + strlen(err->msg), sizeof(err->msg) - strlen(err->msg), "]");
		return -1;
	}
	return 0;
}

/* pprof's reportOptions and applyCommandOverrides. */
int config_check(const struct config *g, const char **sample_index, struct cprof_error *err)
{
	/* pprof's sort choice, checked before its granularity */
	if (g->cum && g->flat)
		return error_set(err, "conflicting options set: [cum flat]");
	enum granularity gran;
	if (pick_granularity(g, &gran, err) < 0)
		return -1;
	const char *si = g->sample_index;
	si = shortcut(g->total_delay, si, "delay", "-total_delay");
	si = shortcut(g->mean_delay, si, "delay", "-mean_delay");
	si = shortcut(g->contentions, si, "contentions", "-contentions");
	si = shortcut(g->inuse_space, si, "inuse_space", "-inuse_space");
	si = shortcut(g->inuse_objects, si, "inuse_objects", "-inuse_objects");
	si = shortcut(g->alloc_space, si, "alloc_space", "-alloc_space");
	si = shortcut(g->alloc_objects, si, "alloc_objects", "-alloc_objects");
	*sample_index = si;
	return 0;
}

int config_report_options(const struct config *g, const char *si, const struct report_backend *b,
			  const struct profile *p, const char *src, struct report_options *o,
			  struct cprof_error *err)
{
	memset(o, 0, sizeof(*o));
	bool mean = g->mean || g->mean_delay;

	int ix = profile_sample_index(p, si);
	if (ix < 0) {
		char *end;
		(void)strtol(si, &end, 10);
		if (*end == '\0') { /* a number, as Go's strconv.Atoi reads one */
			error_set(err, "%s%ssample_index %s is outside the range [0..%zu]",
				  src ? src : "", src ? ": " : "", si, p->n_types - 1);
			return CONFIG_MISFIT;
		}
		struct strbuf types = STRBUF_INIT;
		profile_type_list(p, false, &types);
		error_set(err, "%s%ssample_index \"%s\" must be one of: %s", src ? src : "",
			  src ? ": " : "", si, types.buf);
		strbuf_release(&types);
		return CONFIG_MISFIT;
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
		count = b->default_nodecount             ? b->default_nodecount
			: (b->flags & REPORT_TEXT_COUNT) ? 0
							 : 80;
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
	o->flame_icicle = g->icicle;
	o->flame_minwidth = g->minwidth;
	return 0;
}
