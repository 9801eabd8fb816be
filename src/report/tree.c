/* tree: every node of the trimmed graph with its callers above and callees below, as
 * pprof's printTree; with a regexp (peek) only the nodes whose name matches. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/xalloc.h"

static const char separator[] =
	"----------------------------------------------------------+-------------\n";
static const char legend[] =
	"      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 \n";

static const struct graph *sort_graph;

/* pprof's edgeList order: heavier first, then by caller name, then by callee name. */
static int cmp_edges(const void *a, const void *b)
{
	const struct graph_edge *l = *(const struct graph_edge *const *)a;
	const struct graph_edge *r = *(const struct graph_edge *const *)b;
	if (l->weight != r->weight) {
		int64_t lw = abs64(l->weight), rw = abs64(r->weight);
		if (lw != rw)
			return lw > rw ? -1 : 1;
	}
	int c = strcmp(sort_graph->names[l->src], sort_graph->names[r->src]);
	if (c)
		return c;
	return strcmp(sort_graph->names[l->dst], sort_graph->names[r->dst]);
}

static void add_edges(struct strbuf *out, const struct report *r, const struct graph *g,
		      const struct graph_edge **list, size_t n, bool incoming, int64_t cum)
{
	sort_graph = g;
	qsort(list, n, sizeof(*list), cmp_edges);
	sort_graph = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct graph_edge *e = list[i];
		char v[MEASURE_BUF], pct[MEASURE_BUF];
		strbuf_addpad(out, report_value(r, v, e->weight), 50);
		strbuf_addf(out, " %s |   %s%s\n", measure_percent(pct, e->weight, cum),
			    g->names[incoming ? e->src : e->dst], e->inlined ? " (inline)" : "");
	}
}

static int tree_render(struct report *r, struct strbuf *out, struct cprof_error *err)
{
	struct graph g;
	graph_build(&g, r->prof, &r->opt.graph);
	report_select_unit(r, &g);
	report_legend(r, &g, false, out);
	strbuf_adds(out, separator);
	strbuf_adds(out, legend);

	/* Each node's kept edges, in and out, grouped by node info. */
	size_t *in_off = xcalloc(g.n_infos + 2, sizeof(*in_off));
	size_t *out_off = xcalloc(g.n_infos + 2, sizeof(*out_off));
	for (size_t e = 0; e < g.n_edges; e++)
		if (!g.edges[e].removed) {
			in_off[g.edges[e].dst + 1]++;
			out_off[g.edges[e].src + 1]++;
		}
	for (size_t i = 0; i < g.n_infos; i++) {
		in_off[i + 1] += in_off[i];
		out_off[i + 1] += out_off[i];
	}
	const struct graph_edge **ins = xmalloc((g.n_edges + 1) * sizeof(*ins));
	const struct graph_edge **outs = xmalloc((g.n_edges + 1) * sizeof(*outs));
	size_t *in_fill = xcalloc(g.n_infos + 1, sizeof(*in_fill));
	size_t *out_fill = xcalloc(g.n_infos + 1, sizeof(*out_fill));
	for (size_t e = 0; e < g.n_edges; e++) {
		const struct graph_edge *ed = &g.edges[e];
		if (ed->removed)
			continue;
		ins[in_off[ed->dst] + in_fill[ed->dst]++] = ed;
		outs[out_off[ed->src] + out_fill[ed->src]++] = ed;
	}

	const struct regex *rx = r->opt.symbol_re;
	size_t matched = 0;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g.n_nodes; i++) {
		const struct graph_node *n = &g.nodes[i];
		const char *name = g.names[n->info];
		if (rx && !regex_match(rx, name))
			continue;
		matched++;
		int64_t flat = graph_flat(n), cum = graph_cum(n);
		strbuf_adds(out, separator);
		add_edges(out, r, &g, ins + in_off[n->info], in_off[n->info + 1] - in_off[n->info],
			  true, cum);
		flat_sum = add64(flat_sum, flat);
		char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF], d[MEASURE_BUF],
			e[MEASURE_BUF];
		strbuf_addpad(out, report_value(r, a, flat), 10);
		strbuf_addf(out, " %s %s ", measure_percent(b, flat, r->total),
			    measure_percent(c, flat_sum, r->total));
		strbuf_addpad(out, report_value(r, d, cum), 10);
		strbuf_addf(out, " %s                | %s\n", measure_percent(e, cum, r->total), name);
		add_edges(out, r, &g, outs + out_off[n->info],
			  out_off[n->info + 1] - out_off[n->info], false, cum);
	}
	if (g.n_nodes > 0)
		strbuf_adds(out, separator);
	free(in_off);
	free(out_off);
	free(in_fill);
	free(out_fill);
	free(ins);
	free(outs);
	graph_release(&g);
	if (rx && matched == 0)
		return error_set(err, "no matches found for regexp: %s", regex_pattern(rx));
	return 0;
}

const struct report_backend report_tree = {
	.name = "tree",
	.summary = "Outputs a text rendering of call graph",
	.render = tree_render,
};
