/* dot: the call graph in Graphviz's DOT language, as pprof's -dot prints it (its
 * ComposeDot): a legend box with the report's header, one box per node sized and coloured
 * by weight, one arrow per edge with its weight. The pictures (svg, png, ...) draw this text. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/dot.h"
#include "report/render.h"
#include "util/path.h"
#include "util/xalloc.h"

/* pprof's dotColor: grey near 0, shading to red for positive and green for negative
 * scores in [-1, 1]; light for backgrounds. */
static const char *dot_color(char buf[8], double score, bool background)
{
	double saturation = background ? 0.1 : 1.0, value = background ? 0.93 : 0.7;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 0.3);
	if (score < 0.0)
		score = -pow(-score, 0.3);
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(buf, 8, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0),
		 (unsigned)(uint8_t)(g * 255.0), (unsigned)(uint8_t)(b * 255.0));
	return buf;
}

static double fraction(int64_t v, int64_t total)
{
	return (double)v / (double)abs64(total);
}

/* The title: the main binary's base name, as pprof's report options take it. */
static void add_title(struct strbuf *out, const struct profile *p)
{
	size_t len = p->n_mappings ? profile_str_len(p, p->mappings[0].file) : 0;
	if (!len)
		return;
	char *base = xmalloc(len + 2);
	strbuf_add(out, base, path_base_n(base, profile_str(p, p->mappings[0].file), len));
	free(base);
}

static void add_escaped(struct sink *out, struct strbuf *scratch, const char *s, size_t n)
{
	strbuf_reset(scratch);
	dot_escape(scratch, s, n);
	sink_add(out, scratch->buf, scratch->len);
}

static void add_legend(struct sink *out, const struct report *r, const struct graph *g,
		       const struct strbuf *title)
{
	struct sink lines;
	sink_init_mem(&lines);
	report_legend(r, g, true, &lines);
	struct strbuf esc = STRBUF_INIT;
	const char *s = strbuf_str(&lines.buf), *end = s + lines.buf.len;
	const char *nl = memchr(s, '\n', lines.buf.len);
	sink_adds(out, "subgraph cluster_L { \"");
	add_escaped(out, &esc, s, nl ? (size_t)(nl - s) : lines.buf.len);
	sink_adds(out, "\" [shape=box fontsize=16 label=\"");
	for (const char *l = s; l < end;) {
		nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		add_escaped(out, &esc, l, n);
		sink_adds(out, "\\l");
		l += n + (nl != NULL);
	}
	sink_addch(out, '"');
	if (title->len) {
		sink_adds(out, " tooltip=\"");
		sink_add(out, title->buf, title->len);
		sink_addch(out, '"');
	}
	sink_adds(out, "] }\n");
	strbuf_release(&esc);
	sink_release(&lines);
}

static void add_node(struct sink *out, const struct report *r, const struct graph *g,
		     const struct graph_node *n, size_t id, double max_flat)
{
	int64_t flat = graph_flat(n), cum = graph_cum(n);
	char fv[MEASURE_BUF], cv[MEASURE_BUF], pct[MEASURE_BUF], c1[8], c2[8];
	sink_addf(out, "N%zu [label=\"", id);
	struct strbuf sb = STRBUF_INIT;
	dot_node_name(&sb, r->prof, &g->infos[n->info]);
	sink_add(out, sb.buf, sb.len);
	const char *flat_value = report_value(r, fv, flat), *cum_value = flat_value;
	if (flat != 0)
		sink_addf(out, "%s (%s)", flat_value, report_percent(pct, flat, r->total));
	else
		sink_adds(out, "0");
	if (cum != flat) {
		sink_adds(out, flat != 0 ? "\\n" : " ");
		cum_value = report_value(r, cv, cum);
		sink_addf(out, "of %s (%s)", cum_value, report_percent(pct, cum, r->total));
	}
	/* Font sizes grow from 8 to 24 with the square root of the share of the top flat.
	 * |MinInt64| stays negative, as in Go: the root of it is NaN, which Go converts to
	 * MinInt64, and pprof prints the wrapped sum. */
	int64_t font = 8;
	double af = (double)abs64(flat);
	if (max_flat != 0 && flat != 0 && af <= max_flat)
		font = add64(font, f2i(ceil(16.0 * sqrt(af / max_flat))));
	sink_addf(out, "\" id=\"node%zu\" fontsize=%" PRId64 " shape=box tooltip=\"", id, font);
	add_escaped(out, &sb, g->names[n->info], g->name_len[n->info]);
	strbuf_release(&sb);
	sink_addf(out, " (%s)\" color=\"%s\" fillcolor=\"%s\"]\n", cum_value,
		  dot_color(c1, fraction(cum, r->total), false),
		  dot_color(c2, fraction(cum, r->total), true));
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void add_edge(struct sink *out, const struct report *r, const struct graph *g,
		     const struct graph_edge *e, size_t from, size_t to, bool minlen)
{
	char wv[MEASURE_BUF], col[8];
	int64_t w = e->weight_div == 0 ? e->weight : div64(e->weight, e->weight_div);
	const char *ws = report_value(r, wv, w);
	sink_addf(out, "N%zu -> N%zu [label=\" %s%s\"", from, to, ws,
		  e->inlined ? "\\n (inline)" : "");
	int64_t total = r->total;
	if (total != 0) {
		/* Go's int64 arithmetic wraps; so does this. */
		int64_t weight = 1 + min64(abs64(div64((int64_t)((uint64_t)w * 100), total)), 100);
		if (weight > 1)
			sink_addf(out, " weight=%" PRId64, weight);
		int64_t width = 1 + min64(abs64(div64((int64_t)((uint64_t)w * 5), total)), 5);
		if (width > 1)
			sink_addf(out, " penwidth=%" PRId64, width);
		sink_addf(out, " color=\"%s\"", dot_color(col, fraction(w, total), false));
	}
	struct strbuf tip = STRBUF_INIT;
	strbuf_addch(&tip, '"');
	dot_escape(&tip, g->names[e->src], g->name_len[e->src]);
	strbuf_adds(&tip, e->residual ? " ... " : " -> ");
	dot_escape(&tip, g->names[e->dst], g->name_len[e->dst]);
	strbuf_addf(&tip, " (%s)\"", ws);
	sink_adds(out, " tooltip=");
	sink_add(out, tip.buf, tip.len);
	sink_adds(out, " labeltooltip=");
	sink_add(out, tip.buf, tip.len);
	strbuf_release(&tip);
	if (e->residual)
		sink_adds(out, " style=\"dotted\"");
	/* Callers with nodelets keep their callees further away. */
	if (minlen)
		sink_adds(out, " minlen=2");
	sink_adds(out, "]\n");
}

static int dot_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;

	struct strbuf title = STRBUF_INIT;
	add_title(&title, r->prof);
	sink_adds(out, "digraph \"");
	if (title.len)
		sink_add(out, title.buf, title.len);
	else
		sink_adds(out, "unnamed");
	sink_adds(out, "\" {\n");
	sink_adds(out, "node [style=filled fillcolor=\"#f8f8f8\"]\n");
	add_legend(out, r, g, &title);

	if (g->n_nodes > 0) {
		size_t *id = xcalloc(g->n_infos + 1, sizeof(*id));
		double max_flat = (double)abs64(graph_flat(&g->nodes[0]));
		for (size_t i = 0; i < g->n_nodes; i++) {
			id[g->nodes[i].info] = i + 1;
			double f = (double)abs64(graph_flat(&g->nodes[i]));
			if (f > max_flat)
				max_flat = f;
		}
		bool *has_out = xcalloc(g->n_infos + 1, sizeof(*has_out));
		bool *nodelets = xcalloc(g->n_infos + 1, sizeof(*nodelets));
		for (size_t e = 0; e < g->n_edges; e++)
			if (!g->edges[e].removed)
				has_out[g->edges[e].src] = true;
		for (size_t i = 0; i < g->n_nodes; i++) {
			uint32_t info = g->nodes[i].info;
			add_node(out, r, g, &g->nodes[i], i + 1, max_flat);
			nodelets[info] = dot_nodelets(out, r, g, info, i + 1, has_out[info]);
		}

		const struct graph_edge **edges = xmalloc((g->n_edges + 1) * sizeof(*edges));
		size_t n = 0;
		for (size_t e = 0; e < g->n_edges; e++)
			/* As pprof: an edge into a node the graph left out (zero weight) leads
			 * to "N0". */
			if (!g->edges[e].removed && id[g->edges[e].src])
				edges[n++] = &g->edges[e];
		report_sort_edges(g, edges, n);
		for (size_t e = 0; e < n; e++)
			add_edge(out, r, g, edges[e], id[edges[e]->src], id[edges[e]->dst],
				 nodelets[edges[e]->src]);
		free(edges);
		free(has_out);
		free(nodelets);
		free(id);
	}
	sink_adds(out, "}\n");
	strbuf_release(&title);
	return 0;
}

const struct report_backend report_dot = {
	.name = "dot",
	.summary = "Call graph as Graphviz DOT source",
	.needs = REPORT_NEEDS_DOT,
	.render = dot_render,
};
