/* Selecting, ordering and trimming: the nodes with weight, pprof's node orders (by weight,
 * by entropy) and edge order, light edges dropped, redundant residual edges removed. */
#include "model/graph_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "util/sort.h"
#include "util/xalloc.h"

void graph_select_nodes(struct builder *b, struct work *w)
{
	struct graph *g = b->g;
	g->n_nodes = 0;
	for (size_t i = 0; i < g->n_infos; i++) {
		const struct graph_node *n = &w->nodes[i];
		if (n->cum == 0 && n->flat == 0)
			continue;
		if (b->o->drop_negative && (n->flat < 0 || (n->flat == 0 && n->cum < 0)))
			continue;
		g->nodes[g->n_nodes++] = *n; /* in place: the same object or an earlier one */
	}
}

bool graph_forced(const struct graph *g, const struct graph_options *o, uint32_t info)
{
	return o->keep && o->keep(o->keep_ctx, g->names[info]);
}

void graph_cutoffs(const struct graph *g, const struct graph_options *o, int64_t *node_cutoff,
		   int64_t *edge_cutoff)
{
	int64_t total = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		total = add64(total, g->nodes[i].flat);
	*node_cutoff = abs64(f2i((double)total * o->node_fraction));
	*edge_cutoff = abs64(f2i((double)total * o->edge_fraction));
}

static int cmp_name_then(const struct builder *b, const struct graph_node *l,
			 const struct graph_node *r)
{
	return graph_name_cmp(b->g, l->info, r->info);
}

static int cmp_nodes(const void *a, const void *c, void *ctx)
{
	const struct graph_node *l = a, *r = c;
	struct builder *b = ctx;
	int64_t lf = abs64(l->flat), rf = abs64(r->flat), lc = abs64(l->cum), rc = abs64(r->cum);
	int64_t l1 = b->o->cum_sort ? lc : lf, r1 = b->o->cum_sort ? rc : rf;
	int64_t l2 = b->o->cum_sort ? lf : lc, r2 = b->o->cum_sort ? rf : rc;
	if (l1 != r1)
		return l1 > r1 ? -1 : 1;
	int c1 = cmp_name_then(b, l, r);
	if (c1)
		return c1;
	if (l2 != r2)
		return l2 > r2 ? -1 : 1;
	return graph_sprint_cmp(b, l->info, r->info);
}

void graph_sort_nodes(struct builder *b)
{
	sort_r(b->g->nodes, b->g->n_nodes, sizeof(*b->g->nodes), cmp_nodes, b);
}

size_t graph_trim_edges(struct graph *g, const uint8_t *in_graph, int64_t cutoff)
{
	size_t dropped = 0;
	for (size_t e = 0; e < g->n_edges; e++) {
		struct graph_edge *ed = &g->edges[e];
		if (ed->removed || !in_graph[ed->dst])
			continue;
		if (abs64(ed->weight) < cutoff) {
			ed->removed = true;
			dropped++;
		}
	}
	return dropped;
}

void graph_mark_nodes(const struct graph *g, uint8_t *mask)
{
	memset(mask, 0, g->n_infos);
	for (size_t i = 0; i < g->n_nodes; i++)
		mask[g->nodes[i].info] = 1;
}

void graph_mark_inline(struct graph *g)
{
	uint8_t *kinds = xcalloc(g->n_infos + 1, 1);
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *ed = &g->edges[e];
		if (!ed->removed)
			kinds[ed->dst] |= ed->inlined ? 1 : 2;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		g->nodes[i].in_inline = kinds[g->nodes[i].info] & 1;
		g->nodes[i].in_direct = kinds[g->nodes[i].info] & 2;
	}
	free(kinds);
}

/* pprof's entropyScore, per info: how much a node's edges tell (a node that only passes its
 * callers' weight on to one callee tells little), times its cum, plus its flat. Computed in
 * doubles exactly as pprof does, so that NaNs (zero-weight edges) order the same. */
static int64_t *entropy_scores(const struct builder *b, const struct graph_edge *edges,
			       size_t n_edges)
{
	const struct graph *g = b->g;
	size_t n = g->n_infos + 1;
	int64_t *in_total = xcalloc(n, sizeof(int64_t)), *out_total = xcalloc(n, sizeof(int64_t));
	size_t *n_in = xcalloc(n, sizeof(size_t)), *n_out = xcalloc(n, sizeof(size_t));
	double *in_score = xcalloc(n, sizeof(double)), *out_score = xcalloc(n, sizeof(double));
	int64_t *score = xcalloc(n, sizeof(int64_t));
	for (size_t i = 0; i < g->n_nodes; i++)
		out_total[g->nodes[i].info] = g->nodes[i].flat;
	for (size_t e = 0; e < n_edges; e++) {
		const struct graph_edge *ed = &edges[e];
		if (ed->removed)
			continue;
		n_in[ed->dst]++;
		n_out[ed->src]++;
		if (ed->weight > 0) {
			in_total[ed->dst] = add64(in_total[ed->dst], abs64(ed->weight));
			out_total[ed->src] = add64(out_total[ed->src], abs64(ed->weight));
		}
	}
	for (size_t e = 0; e < n_edges; e++) {
		const struct graph_edge *ed = &edges[e];
		if (ed->removed)
			continue;
		if (in_total[ed->dst] != 0) {
			double frac = (double)abs64(ed->weight) / (double)in_total[ed->dst];
			in_score[ed->dst] += -frac * log2(frac);
		}
		if (out_total[ed->src] != 0) {
			double frac = (double)abs64(ed->weight) / (double)out_total[ed->src];
			out_score[ed->src] += -frac * log2(frac);
		}
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *nd = &g->nodes[i];
		uint32_t ix = nd->info;
		double s = 0;
		s += n_in[ix] == 0 ? 1 : in_score[ix];
		if (n_out[ix] == 0) {
			s += 1;
		} else {
			double o = out_score[ix];
			if (out_total[ix] != 0 && nd->flat > 0) {
				double frac = (double)abs64(nd->flat) / (double)out_total[ix];
				o += -frac * log2(frac);
			}
			s += o;
		}
		score[ix] = add64(f2i(s * (double)nd->cum), nd->flat);
	}
	free(in_total);
	free(out_total);
	free(n_in);
	free(n_out);
	free(in_score);
	free(out_score);
	return score;
}

/* cmp_entropy's context: the builder and the nodes' scores, per info. */
struct entropy_order {
	struct builder *b;
	const int64_t *scores;
};

/* pprof's EntropyOrder: score, then name, then flat, then the whole info. */
static int cmp_entropy(const void *a, const void *c, void *ctx)
{
	const struct graph_node *l = a, *r = c;
	const struct entropy_order *eo = ctx;
	int64_t ls = abs64(eo->scores[l->info]), rs = abs64(eo->scores[r->info]);
	if (ls != rs)
		return ls > rs ? -1 : 1;
	int n = cmp_name_then(eo->b, l, r);
	if (n)
		return n;
	int64_t lf = abs64(l->flat), rf = abs64(r->flat);
	if (lf != rf)
		return lf > rf ? -1 : 1;
	return graph_sprint_cmp(eo->b, l->info, r->info);
}

void graph_sort_entropy(struct builder *b, const struct graph_edge *edges, size_t n_edges)
{
	int64_t *score = entropy_scores(b, edges, n_edges);
	struct entropy_order eo = { .b = b, .scores = score };
	sort_r(b->g->nodes, b->g->n_nodes, sizeof(*b->g->nodes), cmp_entropy, &eo);
	free(score);
}

static int cmp_edge_ix(const void *a, const void *c, void *ctx)
{
	const struct graph *g = ctx;
	const uint32_t *l = a, *r = c;
	return graph_edge_order(g, &g->edges[*l], &g->edges[*r]);
}

/* Whether e's callee is reachable from its caller by kept edges other than e. seen is all
 * zeros on entry and on return: only the nodes visited are cleared, not all of them. */
static bool is_redundant(const struct graph *g, const uint32_t *in_off, const uint32_t *ins,
			 uint32_t e, uint8_t *seen, uint32_t *queue)
{
	const struct graph_edge *ed = &g->edges[e];
	size_t head = 0, tail = 0;
	seen[ed->dst] = 1;
	queue[tail++] = ed->dst;
	bool found = false;
	while (head < tail && !found) {
		uint32_t n = queue[head++];
		for (uint32_t k = in_off[n]; k < in_off[n + 1]; k++) {
			const struct graph_edge *ie = &g->edges[ins[k]];
			if (ins[k] == e || ie->removed || seen[ie->src])
				continue;
			if (ie->src == ed->src) {
				found = true;
				break;
			}
			seen[ie->src] = 1;
			queue[tail++] = ie->src;
		}
	}
	for (size_t i = 0; i < tail; i++)
		seen[queue[i]] = 0;
	return found;
}

void graph_remove_redundant_edges(struct graph *g)
{
	size_t n = g->n_infos;
	uint32_t *in_off = xcalloc(n + 2, sizeof(uint32_t));
	uint32_t *ins = xmalloc((g->n_edges + 1) * sizeof(uint32_t));
	for (size_t e = 0; e < g->n_edges; e++)
		if (!g->edges[e].removed)
			in_off[g->edges[e].dst + 1]++;
	for (size_t i = 0; i < n; i++)
		in_off[i + 1] += in_off[i];
	uint32_t *fill = xcalloc(n + 1, sizeof(uint32_t));
	for (size_t e = 0; e < g->n_edges; e++)
		if (!g->edges[e].removed) {
			uint32_t d = g->edges[e].dst;
			ins[in_off[d] + fill[d]++] = (uint32_t)e;
		}
	free(fill);
	for (size_t i = 0; i < n; i++)
		sort_r(ins + in_off[i], in_off[i + 1] - in_off[i], sizeof(*ins), cmp_edge_ix, g);

	uint8_t *seen = xcalloc(n + 1, 1);
	uint32_t *queue = xmalloc((n + 1) * sizeof(uint32_t));
	for (size_t i = g->n_nodes; i-- > 0;) {
		uint32_t d = g->nodes[i].info;
		for (uint32_t k = in_off[d + 1]; k-- > in_off[d];) {
			struct graph_edge *ed = &g->edges[ins[k]];
			if (ed->removed)
				continue;
			if (!ed->residual)
				break;
			if (is_redundant(g, in_off, ins, ins[k], seen, queue))
				ed->removed = true;
		}
	}
	free(seen);
	free(queue);
	free(in_off);
	free(ins);
}

size_t graph_visual_top(const struct graph *g, const struct node_tags *t, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		size_t n = nodetags_count(t, g->nodes[i].info);
		count += (n > 4 ? 4 : n) + 1;
		if (count >= max)
			return i + 1;
	}
	return max;
}

int graph_edge_order(const struct graph *g, const struct graph_edge *a, const struct graph_edge *b)
{
	/* Weights that differ only in sign are neither before nor after each other, as in
	 * pprof (where the order of such edges then varies from run to run). */
	if (a->weight != b->weight) {
		int64_t aw = abs64(a->weight), bw = abs64(b->weight);
		if (aw != bw)
			return aw > bw ? -1 : 1;
	}
	int c = a->src == b->src ? 0 : graph_name_cmp(g, a->src, b->src);
	if (c)
		return c;
	return graph_name_cmp(g, a->dst, b->dst);
}
