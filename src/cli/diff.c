/* cprof diff's header and regression gate; see diff.h. */
#include "cli/diff.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sources.h"
#include "model/diff.h"
#include "model/graph.h"
#include "model/measure.h"
#include "model/noise.h"
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
		report_md_code(out, sources_name(path), strlen(sources_name(path)));
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

/* A p-value as the gate's tables print it. */
static const char *p_text(char buf[16], double p)
{
	if (p < 0.0001)
		return "<0.0001";
	snprintf(buf, 16, "%.4f", p);
	return buf;
}

/* A node past the threshold: its graph node and the p-value of its growth (-1: untested). */
struct grown {
	const struct graph_node *node;
	double p;
};

/* The title and column heads of a table of grown nodes. */
static void add_table_head(struct sink *out, const char *title, bool md, bool tested)
{
	if (md) {
		sink_addf(out, "\n%s\n\n| flat | flat%% | cum | cum%% |%s name |\n", title,
			  tested ? " p |" : "");
		sink_addf(out, "|---:|---:|---:|---:|%s:---|\n", tested ? "---:|" : "");
		return;
	}
	sink_addf(out, "\n%s\n%10s %6s %10s %6s", title, "flat", "flat%", "cum", "cum%");
	sink_addf(out, tested ? " %8s\n" : "\n", "p");
}

static void add_row(const struct report *r, struct sink *out, const struct graph *g,
		    const struct grown *n, int64_t total, bool md)
{
	char p[16];
	if (md)
		sink_adds(out, "| ");
	add_change(r, out, graph_flat(n->node), total, md);
	sink_adds(out, md ? " | " : " ");
	add_change(r, out, graph_cum(n->node), total, md);
	if (n->p >= 0)
		sink_addf(out, md ? " | %s" : " %8s", p_text(p, n->p));
	if (md) {
		sink_adds(out, " | ");
		report_md_code(out, g->names[n->node->info], g->name_len[n->node->info]);
		sink_adds(out, " |\n");
	} else {
		sink_adds(out, "  ");
		sink_add(out, g->names[n->node->info], g->name_len[n->node->info]);
		sink_addch(out, '\n');
	}
}

/* Samples as the gate's lines count them: whole numbers unless estimated from values. */
static void add_samples(struct sink *out, double n)
{
	sink_addf(out, n == round(n) ? "%.0f" : "%.1f", n);
}

/* The gate's working state: the report (values in their own units), its untrimmed graph's
 * options, the base total and the threshold in value units and in samples. */
struct gate {
	struct report r;
	struct graph_options o;
	int64_t total;
	double pct, limit, limit_samples;
	bool tested; /* the profile has sample counts */
	struct noise_counts c;
	double scale; /* -normalize's factor on the new side's samples (1 without) */
};

/* Finds the sample counts behind every node, when the profile has them. */
static void gate_count(struct gate *g, const struct gate_options *go)
{
	struct noise_measure m;
	g->tested = noise_measure_find(g->r.prof, g->o.sample_index, &m);
	g->scale = 1;
	if (!g->tested)
		return;
	if (go->scales && go->scales[m.index] > 0)
		g->scale = go->scales[m.index];
	noise_counts_build(&g->c, g->r.prof, &g->o, &m);
	/* Scaled back from -normalize's rounded values, a whole count can come out a hair
	 * off: settle it. */
	double *nt = &g->c.new_total;
	*nt /= g->scale;
	if (fabs(*nt - round(*nt)) < 1e-6 * fmax(1, *nt))
		*nt = round(*nt);
	g->limit_samples = g->pct / 100 * g->c.base_total;
}

/* With -min_samples above either side's samples: says so and returns true. */
static bool gate_refuses(const struct gate *g, const struct gate_options *go, bool md,
			 struct sink *out)
{
	if (go->min_samples <= 0 || (g->tested && g->c.base_total >= (double)go->min_samples &&
				     g->c.new_total >= (double)go->min_samples))
		return false;
	sink_adds(out, md ? "\n**Verdict**: not judged: " : "\nNot judged: ");
	if (g->tested) {
		sink_adds(out, "the base holds ");
		add_samples(out, g->c.base_total);
		sink_adds(out, " samples and the new profile ");
		add_samples(out, g->c.new_total);
	} else {
		sink_adds(out, "the profiles hold no sample counts");
	}
	sink_addf(out, ", and -min_samples=%" PRId64 " asks for as many on each side.\n",
		  go->min_samples);
	return true;
}

/* The nodes of graph gr past the threshold: regressions at the front of grown (*n of them),
 * those within the noise at the back (*n_noise, the first last). */
static void gate_judge(const struct gate *g, const struct graph *gr, struct grown *grown, size_t *n,
		       size_t *n_noise)
{
	*n = *n_noise = 0;
	double s = g->scale;
	for (size_t i = 0; i < gr->n_nodes; i++) {
		const struct graph_node *node = &gr->nodes[i];
		int64_t flat = graph_flat(node), cum = graph_cum(node);
		bool flat_over = flat > 0 && (double)flat > g->limit,
		     cum_over = cum > 0 && (double)cum > g->limit;
		if (!flat_over && !cum_over)
			continue;
		double p = -1;
		if (g->tested) {
			const struct noise_counts *c = &g->c;
			uint32_t k = node->info;
			double pf = flat_over ? noise_p_above(c->base_flat[k], c->new_flat[k] / s,
							      s, g->limit_samples)
					      : 1;
			double pc = cum_over ? noise_p_above(c->base_cum[k], c->new_cum[k] / s, s,
							     g->limit_samples)
					     : 1;
			p = pf < pc ? pf : pc;
		}
		if (!g->tested || p < NOISE_LEVEL)
			grown[(*n)++] = (struct grown){ node, p };
		else
			grown[gr->n_nodes - ++*n_noise] = (struct grown){ node, p };
	}
}

/* The regressions' table, the noise's, and the samples line. */
static void gate_tables(const struct gate *g, const struct graph *gr, const struct grown *grown,
			size_t n, size_t n_noise, bool md, struct sink *out)
{
	char title[256], t[MEASURE_BUF];
	if (n) {
		snprintf(title, sizeof(title),
			 md ? "**Regressions**: nodes that grew by more than %g%% of the base "
			      "total (%s)%s"
			    : "Regressions: nodes that grew by more than %g%% of the base total "
			      "(%s)%s",
			 g->pct, report_value(&g->r, t, g->total),
			 g->tested ? ", beyond sampling noise"
				   : "; no sample counts, so sampling noise is not tested");
		add_table_head(out, title, md, g->tested);
		for (size_t i = 0; i < n; i++)
			add_row(&g->r, out, gr, &grown[i], g->total, md);
	}
	if (n_noise) {
		snprintf(title, sizeof(title),
			 md ? "**Within sampling noise**: nodes that grew as much, but not beyond "
			      "what sampling explains (p >= %g)"
			    : "Within sampling noise: nodes that grew as much, but not beyond what "
			      "sampling explains (p >= %g)",
			 NOISE_LEVEL);
		add_table_head(out, title, md, true);
		for (size_t i = 1; i <= n_noise; i++) /* in the graph's order */
			add_row(&g->r, out, gr, &grown[gr->n_nodes - i], g->total, md);
	}
	if (g->tested) {
		sink_adds(out, "\nSamples: base ");
		add_samples(out, g->c.base_total);
		sink_adds(out, ", new ");
		add_samples(out, g->c.new_total);
		sink_addf(out,
			  "; p: the chance of the growth from sampling alone, were the true one "
			  "%g%%\n",
			  g->pct);
	}
}

size_t diff_gate(const struct report *report, const struct gate_options *go, bool md,
		 struct sink *out, char ***names, struct cprof_error *err)
{
	/* Each value in its own best unit: a diff's values (scaled by -normalize) can be
	 * too long in the report's single unit to line up. */
	struct gate g = { .r = *report, .pct = go->pct };
	snprintf(g.r.opt.output_unit, sizeof(g.r.opt.output_unit), "auto");
	g.o = g.r.opt.graph;
	g.o.node_count = 0;
	g.o.node_fraction = g.o.edge_fraction = 0;
	g.o.drop_negative = false;
	g.total = diff_base_total(g.r.prof, g.o.sample_index);
	g.limit = g.pct / 100 * (double)g.total;
	gate_count(&g, go);
	*names = NULL;
	if (gate_refuses(&g, go, md, out)) {
		noise_counts_release(&g.c);
		return 0;
	}
	struct graph gr;
	graph_build(&gr, g.r.prof, &g.o);
	struct grown *grown = xmalloc((gr.n_nodes + 1) * sizeof(*grown));
	size_t n, n_noise;
	gate_judge(&g, &gr, grown, &n, &n_noise);
	gate_tables(&g, &gr, grown, n, n_noise, md, out);
	if (n)
		*names = xmalloc(n * sizeof(**names));
	for (size_t i = 0; i < n; i++)
		(*names)[i] = xstrdup(gr.names[grown[i].node->info]);
	free(grown);
	graph_release(&gr);
	noise_counts_release(&g.c);
	if (n)
		qsort(*names, n, sizeof(**names), cmp_name);
	const char *beyond = g.tested ? " beyond sampling noise" : "";
	if (n)
		error_set(err, "regression: %zu node%s grew by more than %g%% of the base total%s",
			  n, n == 1 ? "" : "s", g.pct, beyond);
	if (md && n)
		sink_addf(out,
			  "\n**Verdict**: %zu node%s grew by more than %g%% of the base total%s.\n",
			  n, n == 1 ? "" : "s", g.pct, beyond);
	else if (md)
		sink_addf(out,
			  "\n**Verdict**: no node grew by more than %g%% of the base total%s.\n",
			  g.pct, beyond);
	return n;
}
