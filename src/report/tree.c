/* tree: every node of the trimmed graph with its callers above and callees below, as
 * pprof's printTree; with a regexp (peek) only the nodes whose name matches, and at least
 * one must (report_needs.match_symbol). */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/xalloc.h"

static const char separator[] =
	"----------------------------------------------------------+-------------\n";
static const char legend[] =
	"      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 \n";

static void add_edges(struct sink *out, const struct report *r, const struct graph *g,
		      const struct graph_edge *const *list, size_t n, bool incoming, int64_t cum)
{
	for (size_t i = 0; i < n; i++) {
		const struct graph_edge *e = list[i];
		char v[MEASURE_BUF], pct[MEASURE_BUF];
		sink_addpad(out, report_value(r, v, e->weight), 50);
		uint32_t other = incoming ? e->src : e->dst;
		sink_addf(out, " %s |   ", measure_percent(pct, e->weight, cum));
		sink_add(out, g->names[other], g->name_len[other]);
		sink_adds(out, e->inlined ? " (inline)\n" : "\n");
	}
}

static int tree_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	report_legend(r, g, false, out);
	sink_adds(out, separator);
	sink_adds(out, legend);

	struct report_edges re;
	report_edges_init(&re, g);

	const struct regex *rx = r->opt.symbol_re;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		if (rx && !regex_match_n(rx, g->names[n->info], g->name_len[n->info]))
			continue;
		int64_t flat = graph_flat(n), cum = graph_cum(n);
		sink_adds(out, separator);
		add_edges(out, r, g, re.ins + re.in_off[n->info],
			  re.in_off[n->info + 1] - re.in_off[n->info], true, cum);
		flat_sum = add64(flat_sum, flat);
		char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF], d[MEASURE_BUF], e[MEASURE_BUF];
		sink_addpad(out, report_value(r, a, flat), 10);
		sink_addf(out, " %s %s ", measure_percent(b, flat, r->total),
			  measure_percent(c, flat_sum, r->total));
		sink_addpad(out, report_value(r, d, cum), 10);
		sink_addf(out, " %s                | ", measure_percent(e, cum, r->total));
		sink_add(out, g->names[n->info], g->name_len[n->info]);
		sink_addch(out, '\n');
		add_edges(out, r, g, re.outs + re.out_off[n->info],
			  re.out_off[n->info + 1] - re.out_off[n->info], false, cum);
	}
	if (g->n_nodes > 0)
		sink_adds(out, separator);
	report_edges_release(&re);
	return 0;
}

const struct report_backend report_tree = {
	.name = "tree",
	.summary = "Every node between its callers and its callees, as text",
	.needs = { .input = REPORT_INPUT_GRAPH },
	.render = tree_render,
};
