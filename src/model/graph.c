/* Building and trimming the call graph the way pprof's graph package does.
 *
 * pprof rebuilds its graph from the samples after each trimming step (dropping nodes makes
 * edges skip over them, "residual" edges); so do we, but cheaply: the distinct node infos
 * and each location's node list are computed once, samples are folded per distinct stack
 * once, and a rebuild is one pass over the distinct stacks with a kept-node mask. */
#include "model/graph.h"

#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "model/graph_private.h"
#include "model/nodetags.h"
#include "util/xalloc.h"

static void builder_release(struct builder *b)
{
	for (size_t i = 0; i < b->n_sprints; i++)
		free(b->sprints[i]);
	free(b->sprints);
	free(b->sprint_len);
	free(b->name_rank);
	free(b->sprint_rank);
	if (b->sprint_infos != b->g->infos && b->sprint_infos != b->g->frame_infos)
		free((struct node_info *)b->sprint_infos);
	free(b->loc_off);
	free(b->loc_nodes);
	free(b->loc_one);
	free(b->edge_dst);
	free(b->loc_flags);
	free(b->stack_w);
	free(b->stack_dw);
	free(b->stack_live);
	free(b->stack_leaf);
	free(b->frame_len);
}

/* graph_build's state from one step to the next. */
struct build {
	struct builder *b;
	struct work w, w2;
	uint8_t *mask;       /* the infos of the nodes kept (owned) */
	const uint8_t *kept; /* mask once some step has left nodes out, else NULL */
	int64_t node_cutoff, edge_cutoff;
	bool top_rebuild; /* the top nodes are fewer than the nodes: edges are rebuilt */
};

/* pprof rebuilds its graph without the nodes under the cutoff. A kept node's flat and
 * cum do not change by that (cum counts it once per stack whoever else is there; flat
 * goes to the leaf only while the leaf is kept), so the rebuild only matters for edges,
 * which the final pass makes with the same mask. */
static void drop_light_nodes(struct build *s)
{
	struct graph *g = s->b->g;
	if (s->node_cutoff > 0) {
		size_t n_kept = 0;
		for (size_t i = 0; i < g->n_nodes; i++)
			if (abs64(g->nodes[i].cum) >= s->node_cutoff ||
			    graph_forced(g, s->b->o, g->nodes[i].info))
				g->nodes[n_kept++] = g->nodes[i];
		if (n_kept != g->n_nodes) {
			g->dropped_nodes = g->n_nodes - n_kept;
			g->n_nodes = n_kept;
			graph_mark_nodes(g, s->mask);
			s->kept = s->mask;
		}
	}
}

/* Sorts the nodes that are left, for the choice of the top ones. */
static void order_nodes(struct build *s)
{
	struct builder *b = s->b;
	if (b->o->visual) {
		/* The entropy order weighs each node's edges: this graph's, before trimming. */
		graph_pass(b, &s->w, &s->w2, s->kept, PASS_GRAPH);
		graph_select_nodes(b, &s->w);
		graph_sort_entropy(b, s->w.edges, s->w.n_edges);
	} else {
		graph_sort_nodes(b);
	}
}

/* How many of the first nodes -nodecount keeps (0: all); in visual mode their tags count. */
static size_t top_count(const struct build *s)
{
	const struct builder *b = s->b;
	const struct graph_options *o = b->o;
	const struct graph *g = b->g;
	size_t n_top = o->node_count > 0 ? (size_t)o->node_count : 0;
	if (o->visual && n_top > 0 && b->p->n_labels > 0) {
		/* graph_visual_top looks at n_top nodes at most, and a node's tags do not depend on
		 * which other nodes are kept (cum counts its samples, flat those it is the leaf
		 * of): the tags of those nodes are enough. */
		uint8_t *first = xcalloc(g->n_infos + 1, 1);
		for (size_t i = 0; i < n_top && i < g->n_nodes; i++)
			first[g->nodes[i].info] = 1;
		struct nodetags_source src = { .loc_off = b->loc_off,
					       .loc_nodes = b->loc_nodes,
					       .kept = first,
					       .n_infos = g->n_infos };
		struct node_tags *t = nodetags_build(b->p, o->sample_index, o->mean, &src,
						     s->node_cutoff, o->tag_unit);
		n_top = graph_visual_top(g, t, n_top);
		nodetags_free(t);
		free(first);
	}
	return n_top;
}

/* Keeps only the first n_top nodes when they are fewer than the nodes. */
static void keep_top(struct build *s, size_t n_top)
{
	const struct graph *g = s->b->g;
	s->top_rebuild = n_top > 0 && n_top < g->n_nodes;
	if (s->top_rebuild) {
		uint8_t *top = xcalloc(g->n_infos + 1, 1);
		for (size_t i = 0; i < g->n_nodes; i++)
			if (i < n_top || graph_forced(g, s->b->o, g->nodes[i].info))
				top[g->nodes[i].info] = 1;
		free(s->mask);
		s->mask = top;
		s->kept = s->mask;
	}
}

/* The final pass, with edges. Its node weights equal the last pass's. */
static void final_pass(struct build *s)
{
	struct builder *b = s->b;
	const struct graph_options *o = b->o;
	struct graph *g = b->g;
	/* Edges only for the "(inline)" marks: then the first pass's weights are this pass's
	 * (see above), once the nodes this pass would leave out are. */
	bool edges_only = o->inline_edges_only && !o->visual;
	graph_pass(b, &s->w, &s->w2, s->kept, edges_only ? PASS_EDGES : PASS_GRAPH);
	if (edges_only && s->kept)
		for (size_t i = 0; i < g->n_infos; i++)
			if (!s->kept[i])
				memset(&s->w.nodes[i], 0, sizeof(s->w.nodes[i]));
	g->edges = s->w.edges;
	g->n_edges = s->w.n_edges;
	s->w.edges = NULL;
	graph_select_nodes(b, &s->w);
	if (o->visual)
		graph_sort_entropy(b, g->edges, g->n_edges);
	else
		graph_sort_nodes(b);
}

/* Trims the final graph's edges and gives its nodes their tags and "(inline)" marks. */
static void finish_graph(struct build *s)
{
	const struct builder *b = s->b;
	const struct graph_options *o = b->o;
	struct graph *g = b->g;
	graph_mark_nodes(g, s->mask);
	if (o->node_count > 0 && !s->top_rebuild) {
		/* pprof trims light edges before choosing the top nodes; when that choice keeps
		 * every node there is no rebuild, and those edges are not counted again. */
		graph_trim_edges(g, s->mask, s->edge_cutoff);
	}
	g->dropped_edges = graph_trim_edges(g, s->mask, s->edge_cutoff);
	if (o->visual)
		graph_remove_redundant_edges(g);
	if (o->visual && b->p->n_labels > 0) {
		struct nodetags_source src = { .loc_off = b->loc_off,
					       .loc_nodes = b->loc_nodes,
					       .kept = s->kept,
					       .n_infos = g->n_infos };
		g->tags = nodetags_build(b->p, o->sample_index, o->mean, &src, s->node_cutoff,
					 o->tag_unit);
	}

	/* Incoming-edge kinds per node, for the "(inline)" markers. */
	graph_mark_inline(g);
}

void graph_build(struct graph *g, const struct profile *p, const struct graph_options *o)
{
	memset(g, 0, sizeof(*g));
	g->prof = p;
	struct builder b = { .p = p, .o = o, .g = g };
	graph_make_infos(&b);
	if (!o->call_tree || o->visual) /* else made while the tree's stacks are walked */
		graph_make_names(&b);
	graph_fold_samples(&b);
	if (o->call_tree) {
		graph_build_call_tree(&b);
		builder_release(&b);
		return;
	}

	struct build s = { .b = &b };
	graph_work_init(&s.w, g->n_infos);
	graph_work_init(&s.w2, g->n_infos);
	g->nodes = xmalloc((g->n_infos + 1) * sizeof(*g->nodes));
	s.mask = xcalloc(g->n_infos + 1, 1);

	/* Trimming decisions need node weights only; edges are built by the last pass. */
	graph_pass(&b, &s.w, &s.w2, NULL, PASS_NODES);
	graph_select_nodes(&b, &s.w);
	graph_cutoffs(g, o, &s.node_cutoff, &s.edge_cutoff);
	drop_light_nodes(&s);
	g->orig_count = g->n_nodes;
	order_nodes(&s);
	keep_top(&s, top_count(&s));
	final_pass(&s);
	finish_graph(&s);

	free(s.mask);
	graph_work_release(&s.w);
	graph_work_release(&s.w2);
	builder_release(&b);
}

void graph_release(struct graph *g)
{
	free(g->name_bytes);
	free(g->frame_names);
	free(g->frame_infos);
	free(g->tree_frame);
	free(g->names);
	free(g->name_len);
	free(g->infos);
	free(g->nodes);
	free(g->edges);
	free(g->tree_parent);
	free(g->frame_rank);
	nodetags_free(g->tags);
	memset(g, 0, sizeof(*g));
}

int64_t graph_total(const struct profile *p, int sample_index, bool mean)
{
	int64_t total = 0, div = 0, diff_total = 0, diff_div = 0;
	/* A -diff_base profile: percentages are of the base's total (its samples' weight). */
	struct diff_base base = diff_base_find(p);
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		int64_t w = abs64(v[sample_index]), d = mean ? v[0] : 0;
		total = add64(total, w);
		div = add64(div, d);
		if (diff_base_sample(p, &base, &p->samples[s])) {
			diff_total = add64(diff_total, w);
			diff_div = add64(diff_div, d);
		}
	}
	if (diff_total > 0) {
		total = diff_total;
		div = diff_div;
	}
	if (div != 0)
		return div64(total, div);
	return total;
}
