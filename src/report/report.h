/* What every report backend shares: the options pprof's report package takes, the report
 * context (profile, total, value formatting, the graph or listing built for it) and the
 * backend interface. A backend declares what it needs (struct report_needs); report_prepare
 * builds that once, and the backend only renders it into a sink, which streams. Reports
 * never read files or encode profiles: the command line does (sources, pprof/encode). */
#ifndef CPROF_REPORT_REPORT_H
#define CPROF_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/graph.h"
#include "model/measure.h"
#include "model/profile.h"
#include "model/srcfile.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/sink.h"

struct report_options {
	struct graph_options graph;
	char sample_type[128]; /* the header's "Type:", e.g. "cpu" or "mean_delay" */
	const char *sample_unit;
	char output_unit[32]; /* -unit; "minimum" picks one from the data */
	double ratio;         /* 1 / -divide_by */
	bool compact_labels;
	const char *symbol;            /* the regexp argument of list, peek, ... (NULL if none) */
	const struct regex *symbol_re; /* symbol, compiled (NULL if none) */
	bool call_tree;                /* -call_tree, for the backends that honour it */
	const char *const *active_filters; /* pprof's "Active filters:" lines ("focus=RE") */
	size_t n_active_filters;
	bool whole_units;      /* pick the unit of the smallest value, never a larger one
				  (callgrind prints whole numbers) */
	bool flame_icicle;     /* flame: the root on top */
	double flame_minwidth; /* flame: boxes narrower than this percent of the total go */
};

struct listing;
struct report_backend;

/* The driver's way for a report made of others (REPORT_COMPOSITE: html) to run one:
 * backend b on the same profile and flags, but for sample type sample_index and with
 * symbol (a regexp, or NULL) as list's argument; the driver prepares it as its own, reads
 * the sources a listing names, and renders it into out. Returns 0, or -1 with err set. */
struct report_runner {
	int (*run)(void *ctx, const struct report_backend *b, int sample_index, const char *symbol,
		   struct sink *out, struct cprof_error *err);
	void *ctx;
};

/* A report: its profile and options, and what report_prepare built for its backend. */
struct report {
	const struct profile *prof;
	struct report_options opt;
	int64_t total;
	struct graph *graph;               /* REPORT_INPUT_GRAPH, _LISTING */
	struct graph_locations *locations; /* REPORT_INPUT_LOCATIONS */
	struct listing *listing;           /* REPORT_INPUT_LISTING */
	/* The source files a listing shows: the driver reads them (pprof/source.c) between
	 * report_prepare and report_render. */
	struct srcfile *files;
	size_t n_files;
	const struct report_runner *runner; /* REPORT_COMPOSITE: set by the driver */
};

/* What a backend needs from the command line's defaults (pprof's applyCommandOverrides). */
enum report_flags {
	REPORT_NO_TRIM = 1 << 0,    /* trimming never applies (node count/fractions are 0) */
	REPORT_TEXT_COUNT = 1 << 1, /* default -nodecount is 0 (all), not 80 */
	REPORT_HAS_PARAM = 1 << 2,  /* takes a regexp: -list=RE, cprof list RE F */
	REPORT_LINES = 1 << 3,      /* forces granularity=lines, whatever the flags say */
	REPORT_ADDRESSES = 1 << 4,  /* works on the whole profile: granularity addresses,
					  inlined frames kept, no trimming (proto, raw, callgrind) */
	REPORT_SAMPLES = 1 << 5,    /* shows samples one by one (raw, traces, tags, proto):
					  needs the profile fully compacted as pprof's Merge leaves
					  it; the graph reports see no difference but in comments */
	REPORT_MARKDOWN = 1 << 6,   /* writes Markdown (md): cprof diff's header and gate too */
	REPORT_COMPOSITE = 1 << 7,  /* made of other reports, run through r->runner (html) */
	REPORT_IDS = 1 << 8,        /* shows the ids pprof's Merge renumbers (raw, proto): with
					  REPORT_SAMPLES, a lone profile is merged even when the
					  merge would keep everything (merge_keeps_all) */
};

/* What report_prepare builds for a backend. */
enum report_input {
	REPORT_INPUT_PROFILE,   /* nothing: the backend walks r->prof itself */
	REPORT_INPUT_GRAPH,     /* r->graph, pprof's trimmed and sorted call graph; -unit=minimum
				   resolved from it (pprof's selectOutputUnit) */
	REPORT_INPUT_LOCATIONS, /* r->locations, node names per location (raw file paths) */
	REPORT_INPUT_LISTING,   /* r->listing, source lines of the functions matching the
				   regexp, from a line-granularity graph with binary names */
};

struct report_needs {
	enum report_input input;
	/* How the graph is built (the command line's options otherwise): */
	bool visual;            /* pprof's visual mode, with tags for nodelets */
	bool obj_names;         /* nodes keep the binary's name */
	bool call_tree;         /* -call_tree applies */
	bool inline_edges_only; /* no edges but those the "(inline)" marks need */
	bool whole_units;       /* -unit=minimum never picks a unit that makes fractions */
	bool match_symbol;      /* the regexp must match a node, or the report fails */
};

/* What a backend that makes a profile (proto, topproto) hands back: the command line
 * encodes prof with every value times ratio. owned, when set, is prof and is freed with
 * report_profile_release. */
struct report_profile {
	const struct profile *prof;
	double ratio;
	struct profile *owned;
};
void report_profile_release(struct report_profile *rp);

struct report_backend {
	const char *name;
	const char *const *aliases; /* other names for the same report, NULL-terminated */
	const char *summary;        /* one line for --help */
	unsigned flags;
	/* Binary (or machine-read) output: bound for a terminal, it goes to a new file
	 * profileNNN.<away_suffix> instead, as pprof does. NULL for text reports. */
	const char *away_suffix;
	/* -nodecount's default when not 0 (else 0, all, for REPORT_TEXT_COUNT, or 80). */
	int default_nodecount;
	struct report_needs needs;
	/* One of the two: writes the report to out (returns 0, or -1 with err set; out's
	 * own write errors are the caller's to check), or makes the profile to encode. */
	int (*render)(const struct report *r, struct sink *out, struct cprof_error *err);
	void (*make_profile)(const struct report *r, struct report_profile *out);
};

/* The registry: every backend, NULL-terminated. */
extern const struct report_backend *const report_backends[];
/* The backend called name (or one of its aliases), or NULL. */
const struct report_backend *report_find(const char *name);

/* Sets up r for p and o, with total the weight pprof divides percentages by (graph_total of
 * the profile before or after the filters: see -relative_percentages). */
void report_init(struct report *r, const struct profile *p, const struct report_options *o,
		 int64_t total);
/* Builds what b needs into r and names the source files to read (r->files). Returns 0, or
 * -1 with err set (a bad regexp, no matches). */
int report_prepare(struct report *r, const struct report_backend *b, struct cprof_error *err);
/* Renders b's report of r (prepared, its files read) into out. */
int report_render(struct report *r, const struct report_backend *b, struct sink *out,
		  struct cprof_error *err);
/* Frees what report_prepare built. */
void report_release(struct report *r);
/* pprof's formatValue: applies the -divide_by ratio and the output unit. */
const char *report_value(const struct report *r, char buf[MEASURE_BUF], int64_t v);
/* measure_percent without the padding top's columns need ("4.55%", not " 4.55%"). */
const char *report_percent(char buf[MEASURE_BUF], int64_t v, int64_t total);
/* The mark top puts after node n's name: " (inline)", " (partial-inline)" or "". */
const char *report_inline_mark(const struct graph_node *n);
/* pprof's selectOutputUnit: resolves -unit=minimum from the graph's values. */
void report_select_unit(struct report *r, const struct graph *g);
/* The header lines (File, Type, Time, Duration, ...) as pprof's ProfileLabels; returns how
 * many. */
size_t report_profile_labels(const struct report *r, struct sink *out);
/* The full legend pprof's text and graph reports print: profile labels, "Showing nodes
 * accounting for ...", dropped counts; one line each, every line ending in '\n'. */
void report_legend(const struct report *r, const struct graph *g, bool full, struct sink *out);

/* Markdown for md and cprof diff -md: s[0..n) with the punctuation Markdown reads escaped,
 * and the n bytes of a name as a code span fit for a table cell (fenced by more backticks
 * than it holds, '|' escaped, since GitHub splits cells at any unescaped '|'). Both write a
 * NUL byte as U+FFFD, which is what CommonMark makes of one. */
void report_md_text(struct sink *out, const char *s, size_t n);
void report_md_code(struct sink *out, const char *name, size_t n);

/* The kept edges of a graph grouped by node: info i's incoming edges are
 * ins[in_off[i] .. in_off[i + 1]), its outgoing ones outs[out_off[i] .. out_off[i + 1]), each
 * list in pprof's edge order (heavier first, then by caller name, then by callee name). */
struct report_edges {
	const struct graph_edge **ins, **outs;
	size_t *in_off, *out_off;
};
void report_edges_init(struct report_edges *re, const struct graph *g);
/* The outgoing lists alone (ins and in_off are NULL), for a report that walks callees only. */
void report_edges_init_outs(struct report_edges *re, const struct graph *g);
/* Sorts n edges of g in pprof's edge order (graph_edge_order). */
void report_sort_edges(const struct graph *g, const struct graph_edge **edges, size_t n);
void report_edges_release(struct report_edges *re);

#endif
