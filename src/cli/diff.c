/* cprof diff's header and regression gate; see diff.h. */
#include "cli/diff.h"

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

void diff_header(struct sink *out, const struct report *orig, const char *base,
		 const char *const *news, size_t n_news, const int64_t durations[2])
{
	sink_addf(out, "cprof diff: base %s, new", sources_name(base));
	for (size_t i = 0; i < n_news; i++)
		sink_addf(out, " %s", sources_name(news[i]));
	sink_adds(out, " (values are new - base)\nBase ");
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
	sink_adds(out, "; percentages are of the base total\n");
}

static void add_change(const struct report *r, struct sink *out, int64_t v, int64_t total)
{
	char val[MEASURE_BUF + 1], pc[MEASURE_BUF];
	snprintf(val, sizeof(val), "%s%s", v > 0 ? "+" : "", report_value(r, pc, v));
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

size_t diff_gate(const struct report *report, double pct, struct sink *out, char ***names,
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
			sink_addf(out,
				  "\nRegressions: nodes that grew by more than %g%% of the base"
				  " total (%s)\n",
				  pct, report_value(r, t, total));
			sink_addf(out, "%10s %6s %10s %6s\n", "flat", "flat%", "cum", "cum%");
		}
		add_change(r, out, flat, total);
		sink_addch(out, ' ');
		add_change(r, out, cum, total);
		sink_addf(out, "  %s\n", g.names[node->info]);
		*names = xrealloc(*names, n * sizeof(**names));
		(*names)[n - 1] = xstrdup(g.names[node->info]);
	}
	graph_release(&g);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	if (n)
		error_set(err, "regression: %zu node%s grew by more than %g%% of the base total", n,
			  n == 1 ? "" : "s", pct);
	return n;
}
