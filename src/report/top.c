/* top / text: pprof's flat table of the trimmed graph's nodes. */
#include "report/report.h"

static int top_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	report_legend(r, g, false, out);
	sink_addf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	int64_t flat_sum = 0;
	char f[MEASURE_BUF], fp[MEASURE_BUF], sp[MEASURE_BUF], c[MEASURE_BUF], cp[MEASURE_BUF];
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		int64_t flat = graph_flat(n), cum = graph_cum(n);
		flat_sum = add64(flat_sum, flat);
		sink_addpad(out, report_value(r, f, flat), 10);
		sink_addf(out, " %s %s ", measure_percent(fp, flat, r->total),
			  measure_percent(sp, flat_sum, r->total));
		sink_addpad(out, report_value(r, c, cum), 10);
		sink_addf(out, " %s  ", measure_percent(cp, cum, r->total));
		sink_add(out, g->names[n->info], g->name_len[n->info]);
		sink_adds(out, report_inline_mark(n));
		sink_addch(out, '\n');
	}
	return 0;
}

static const char *const top_aliases[] = { "text", NULL };

const struct report_backend report_top = {
	.name = "top",
	.aliases = top_aliases,
	.summary = "The heaviest nodes with their flat and cumulative values",
	.flags = REPORT_TEXT_COUNT,
	/* top draws no edges, only the "(inline)" marks */
	.needs = { .input = REPORT_INPUT_GRAPH, .inline_edges_only = true },
	.render = top_render,
};
