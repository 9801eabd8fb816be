/* cprof diff's header and regression gate; see diff.h. */
#include "cli/diff.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sources.h"
#include "model/diff.h"
#include "model/graph.h"
#include "model/measure.h"
#include "util/xalloc.h"

/* "total T, duration D" (without the duration when it is unknown). */
static void add_total(struct sink *out, const struct report *r, int64_t total, int64_t duration)
{
	char t[MEASURE_BUF], d[MEASURE_BUF];
	sink_addf(out, "total %s", report_value(r, t, total));
	if (duration > 0)
		sink_addf(out, ", duration %s", measure_label(d, duration, "nanoseconds", "auto"));
}

/* A file's name in the header: as is, or in Markdown a code span. */
static void add_file(struct sink *out, const char *path, bool md)
{
	if (md)
		report_md_code(out, sources_name(path));
	else
		sink_adds(out, sources_name(path));
}

void diff_header(struct sink *out, const struct report *orig, const char *base,
		 const char *const *news, size_t n_news, const int64_t durations[2], bool md)
{
	sink_adds(out, md ? "**cprof diff**: base " : "cprof diff: base ");
	add_file(out, base, md);
	sink_adds(out, ", new");
	for (size_t i = 0; i < n_news; i++) {
		sink_addch(out, ' ');
		add_file(out, news[i], md);
	}
	sink_adds(out,
		  md ? " (values are new - base)\n\nBase " : " (values are new - base)\nBase ");
	/* Before the report has chosen its unit from its nodes, "minimum" is each value's own
	 * best unit: "auto". */
	struct report copy = *orig;
	if (strcmp(copy.opt.output_unit, "minimum") == 0)
		snprintf(copy.opt.output_unit, sizeof(copy.opt.output_unit), "auto");
	const struct report *r = &copy;
	int si = r->opt.graph.sample_index;
	add_total(out, r, diff_base_total(r->prof, si), durations[1]);
	sink_adds(out, "; new ");
	add_total(out, r, diff_new_total(r->prof, si), durations[0]);
	sink_adds(out, md ? "; percentages are of the base total\n\n"
			  : "; percentages are of the base total\n");
}

/* A change and its share of total: padded columns, or Markdown cells. */
static void add_change(const struct report *r, struct sink *out, int64_t v, int64_t total, bool md)
{
	char val[MEASURE_BUF + 1], pc[MEASURE_BUF];
	snprintf(val, sizeof(val), "%s%s", v > 0 ? "+" : "", report_value(r, pc, v));
	if (md) {
		sink_addf(out, "%s | %s", val, report_percent(pc, v, total));
		return;
	}
	sink_addpad(out, val, 10);
	sink_addf(out, " %s", measure_percent(pc, v, total));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool diff_names_keep(void *ctx, const char *name)
{
	const struct diff_names *d = ctx;
	return d->n && bsearch(&name, d->names, d->n, sizeof(*d->names), cmp_name);
}

size_t diff_gate(const struct report *report, double pct, bool md, struct sink *out, char ***names,
		 struct cprof_error *err)
{
	/* Each value in its own best unit: a diff's values (scaled by -normalize) can be
	 * too long in the report's single unit to line up. */
	struct report copy = *report, *r = &copy;
	snprintf(r->opt.output_unit, sizeof(r->opt.output_unit), "auto");
	struct graph_options o = r->opt.graph;
	o.node_count = 0;
	o.node_fraction = o.edge_fraction = 0;
	o.drop_negative = false;
	struct graph g;
	graph_build(&g, r->prof, &o);
	int64_t total = diff_base_total(r->prof, o.sample_index);
	double limit = pct / 100 * (double)total;
	size_t n = 0;
	for (size_t i = 0; i < g.n_nodes; i++) {
		const struct graph_node *node = &g.nodes[i];
		int64_t flat = graph_flat(node), cum = graph_cum(node);
		if (!((double)flat > limit || (double)cum > limit) || (flat <= 0 && cum <= 0))
			continue;
		if (n++ == 0) {
			char t[MEASURE_BUF];
			sink_addf(
				out,
				md ? "\n**Regressions**: nodes that grew by more than %g%% of the "
				     "base total (%s)\n\n| flat | flat%% | cum | cum%% | name |\n"
				     "|---:|---:|---:|---:|:---|\n"
				   : "\nRegressions: nodes that grew by more than %g%% of the base"
				     " total (%s)\n%10s %6s %10s %6s\n",
				pct, report_value(r, t, total), "flat", "flat%", "cum", "cum%");
		}
		if (md)
			sink_adds(out, "| ");
		add_change(r, out, flat, total, md);
		sink_adds(out, md ? " | " : " ");
		add_change(r, out, cum, total, md);
		if (md) {
			sink_adds(out, " | ");
			report_md_code(out, g.names[node->info]);
			sink_adds(out, " |\n");
		} else {
			sink_addf(out, "  %s\n", g.names[node->info]);
		}
		*names = xrealloc(*names, n * sizeof(**names));
		(*names)[n - 1] = xstrdup(g.names[node->info]);
	}
	graph_release(&g);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	if (n)
		error_set(err, "regression: %zu node%s grew by more than %g%% of the base total", n,
			  n == 1 ? "" : "s", pct);
	if (md && n)
		sink_addf(out,
			  "\n**Verdict**: %zu node%s grew by more than %g%% of the base total.\n",
			  n, n == 1 ? "" : "s", pct);
	else if (md)
		sink_addf(out, "\n**Verdict**: no node grew by more than %g%% of the base total.\n",
			  pct);
	return n;
}
