/* Call trees (pprof's newTree and TrimTree): one node per calling context, trimmed by
 * moving a dropped node's children up to its parent. */
#include "model/graph_private.h"

#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "util/hashmap.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* A tree node's place in its parent's list of children: its frame and the next child,
 * side by side, since a search along the list reads both. */
struct kid_link {
	uint32_t frame, next;
};

/* build_tree's tree so far: per tree node, its info, its weights, its parent's node, the
 * frame (the graph's info) it is a context of, and the edge into it (UINT32_MAX for roots);
 * its children in a list (first_kid, links) while they are few, in ctx as well once they
 * are more than FEW_KIDS (and roots always), so finding a child reads little memory
 * however wide the tree. */
struct tree {
	struct graph *g;
	struct node_info *infos;
	struct graph_node *weights;
	uint32_t *parent_of, *frame_of, *edge_of;
	uint32_t *first_kid, *n_kids;
	struct kid_link *links;
	size_t n, cap, cap_w, cap_p, cap_f, cap_e, cap_edges, cap_k1, cap_k2, cap_k3;
	struct hashmap ctx; /* (parent + 1, frame) -> tree node */
};

#define FEW_KIDS 8

static uint64_t ctx_key(uint32_t parent, uint32_t fi)
{
	return (uint64_t)(parent + 1) << 32 | fi; /* roots: parent + 1 = 0 */
}

/* The child of parent for frame fi, or HASHMAP_NONE. */
static uint32_t find_kid(const struct tree *t, uint32_t parent, uint32_t fi)
{
	if (parent != UINT32_MAX && t->n_kids[parent] <= FEW_KIDS) {
		for (uint32_t k = t->first_kid[parent]; k != UINT32_MAX; k = t->links[k].next)
			if (t->links[k].frame == fi)
				return k;
		return HASHMAP_NONE;
	}
	return hashmap_get(&t->ctx, ctx_key(parent, fi));
}

/* Records ni as a child of parent. */
static void add_kid(struct tree *t, uint32_t parent, uint32_t ni)
{
	if (parent == UINT32_MAX) {
		hashmap_put(&t->ctx, ctx_key(parent, t->frame_of[ni]), ni);
		return;
	}
	t->links[ni].next = t->first_kid[parent];
	t->first_kid[parent] = ni;
	uint32_t n = ++t->n_kids[parent];
	if (n == FEW_KIDS + 1) {
		for (uint32_t k = t->first_kid[parent]; k != UINT32_MAX; k = t->links[k].next)
			hashmap_put(&t->ctx, ctx_key(parent, t->frame_of[k]), k);
	} else if (n > FEW_KIDS + 1) {
		hashmap_put(&t->ctx, ctx_key(parent, t->frame_of[ni]), ni);
	}
}

/* The tree node of frame fi under parent (UINT32_MAX: a root), made if new, with the edge
 * into it. */
static uint32_t tree_node(struct tree *t, uint32_t parent, uint32_t fi)
{
	struct graph *g = t->g;
	uint32_t ni = find_kid(t, parent, fi);
	if (ni != HASHMAP_NONE)
		return ni;
	XGROW(t->infos, t->cap, t->n + 1);
	XGROW(t->weights, t->cap_w, t->n + 1);
	XGROW(t->parent_of, t->cap_p, t->n + 1);
	XGROW(t->frame_of, t->cap_f, t->n + 1);
	XGROW(t->edge_of, t->cap_e, t->n + 1);
	XGROW(t->first_kid, t->cap_k1, t->n + 1);
	XGROW(t->links, t->cap_k2, t->n + 1);
	XGROW(t->n_kids, t->cap_k3, t->n + 1);
	ni = (uint32_t)t->n++;
	t->infos[ni] = g->infos[fi];
	memset(&t->weights[ni], 0, sizeof(t->weights[ni]));
	t->weights[ni].info = ni;
	t->parent_of[ni] = parent;
	t->frame_of[ni] = fi;
	t->edge_of[ni] = UINT32_MAX;
	t->first_kid[ni] = UINT32_MAX;
	t->links[ni] = (struct kid_link){ fi, UINT32_MAX };
	t->n_kids[ni] = 0;
	add_kid(t, parent, ni);
	if (parent != UINT32_MAX) {
		XGROW(g->edges, t->cap_edges, g->n_edges + 1);
		struct graph_edge *e = &g->edges[g->n_edges];
		memset(e, 0, sizeof(*e));
		e->src = parent;
		e->dst = ni;
		e->inlined = true;
		t->edge_of[ni] = (uint32_t)g->n_edges++;
	}
	return ni;
}

/* The weights of the tree's nodes and of the edges into them, once every stack's weight
 * is at its leaf (in flat): a node's cum is its flat plus its children's cum, and every
 * child was made after its parent. The edge into a node carries the node's cum, and is
 * inlined unless some stack reached the node from a location's outermost line (outer). */
static void tree_sum(struct tree *t, const uint8_t *outer)
{
	for (size_t n = t->n; n-- > 0;) {
		struct graph_node *w = &t->weights[n];
		w->cum = add64(w->cum, w->flat);
		w->cum_div = add64(w->cum_div, w->flat_div);
		uint32_t parent = t->parent_of[n];
		if (parent == UINT32_MAX)
			continue;
		struct graph_node *pw = &t->weights[parent];
		pw->cum = add64(pw->cum, w->cum);
		pw->cum_div = add64(pw->cum_div, w->cum_div);
		struct graph_edge *e = &t->g->edges[t->edge_of[n]];
		e->weight = w->cum;
		e->weight_div = w->cum_div;
		e->inlined = !outer[n];
	}
}

static int cmp_frame_names(const void *a, const void *c, void *ctx)
{
	const struct builder *b = ctx;
	return graph_name_cmp(b->g, *(const uint32_t *)a, *(const uint32_t *)c);
}

static int cmp_frame_sprints(const void *a, const void *c, void *ctx)
{
	return graph_sprint_cmp(ctx, *(const uint32_t *)a, *(const uint32_t *)c);
}

/* Per frame (g's infos before the tree replaces them), its rank by name into
 * b->name_rank and by sprint into b->sprint_rank (equal frames, equal ranks). Nodes
 * compare sprints only when their names are equal, so a sprint rank need only order the
 * frames of one name: frames are ranked by (name, sprint), and a frame whose name no
 * other frame has is never printed for a sprint. */
static void frame_ranks(struct builder *b)
{
	size_t n = b->g->n_infos;
	uint32_t *order = xmalloc((n + 1) * sizeof(*order));
	uint32_t *name_rank = xmalloc((n + 1) * sizeof(*name_rank));
	uint32_t *sprint_rank = xmalloc((n + 1) * sizeof(*sprint_rank));
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	sort_r(order, n, sizeof(*order), cmp_frame_names, b);
	uint32_t nr = 0, sr = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && cmp_frame_names(&order[i], &order[j], b) == 0; j++)
			;
		sort_r(order + i, j - i, sizeof(*order), cmp_frame_sprints, b);
		for (size_t k = i; k < j; k++) {
			if (k > i && cmp_frame_sprints(&order[k - 1], &order[k], b) != 0)
				sr++;
			name_rank[order[k]] = nr;
			sprint_rank[order[k]] = sr;
		}
		nr++;
		sr++;
	}
	free(order);
	b->name_rank = name_rank;
	b->sprint_rank = sprint_rank;
}

/* Replaces g's infos and names by the tree nodes': the names of a frame's contexts are
 * the frame's name, kept once in g->frame_names; b's sprints stay the frames'. */
static void tree_install(struct builder *b, struct tree *t)
{
	struct graph *g = b->g;
	size_t n = t->n;
	if (!b->o->visual)
		frame_ranks(b);
	char **names = xmalloc((n + 1) * sizeof(*names));
	uint32_t *lens = xmalloc((n + 1) * sizeof(*lens));
	for (size_t i = 0; i < n; i++) {
		names[i] = g->names[t->frame_of[i]];
		lens[i] = g->name_len[t->frame_of[i]];
	}
	g->frame_names = g->names;
	g->n_frames = g->n_infos;
	free(g->name_len);
	g->names = names;
	g->name_len = lens;
	b->sprint_infos = g->infos; /* the builder frees them */
	b->sprint_of = t->frame_of;
	g->infos = t->infos;
	g->n_infos = n;
	g->tree_parent = t->parent_of;
	g->tree_frame = t->frame_of;
}

/* pprof's newTree: every frame gets a node of its own under its caller's node, so a
 * function reached through different paths is as many nodes. Replaces g's infos (and
 * names) by one per tree node, records each node's parent in g->tree_parent, and leaves
 * the edges, one into each non-root node, in g->edges; returns the nodes' weights, per
 * new info. */
static struct graph_node *build_tree(struct builder *b)
{
	const struct profile *p = b->p;
	struct graph *g = b->g;
	struct tree t = { .g = g };
	hashmap_init(&t.ctx, 1024);
	struct stack_buf buf = { 0 };
	g->n_edges = 0;
	b->stack_leaf = xmalloc((p->n_stacks + 1) * sizeof(*b->stack_leaf));
	memset(b->stack_leaf, 0xff, (p->n_stacks + 1) * sizeof(*b->stack_leaf));
	/* The previous stack, root first: its locations and the node each one ended at. A
	 * stack that starts with the same locations goes through the same nodes. */
	uint32_t *prev_locs = NULL, *prev_nodes = NULL;
	size_t prev_depth = 0, cap_locs = 0, cap_nodes = 0, cap_outer = 0;
	uint8_t *outer = NULL; /* per node: reached from a location's outermost line */
	for (size_t st = 0; st < p->n_stacks; st++) {
		if (!b->stack_live[st])
			continue;
		int64_t wt = b->stack_w[st], dw = b->stack_dw ? b->stack_dw[st] : 0;
		const uint32_t *locs = profile_stack(p, (uint32_t)st, &buf);
		uint32_t depth = p->stacks[st].depth, same = 0;
		XGROW(prev_locs, cap_locs, depth + 1);
		XGROW(prev_nodes, cap_nodes, depth + 1);
		while (same < depth && same < prev_depth &&
		       prev_locs[same] == locs[depth - 1 - same])
			same++;
		uint32_t parent = same ? prev_nodes[same - 1] : UINT32_MAX;
		for (uint32_t i = depth - same; i-- > 0;) {
			uint32_t lo = b->loc_off[locs[i]], hi = b->loc_off[locs[i] + 1];
			for (uint32_t k = hi; k-- > lo;) {
				uint32_t ni = tree_node(&t, parent, b->loc_nodes[k]);
				if (ni >= cap_outer) {
					size_t old = cap_outer;
					XGROW(outer, cap_outer, (size_t)ni + 1);
					memset(outer + old, 0, cap_outer - old);
				}
				if (k == hi - 1)
					outer[ni] = 1;
				parent = ni;
			}
			prev_locs[depth - 1 - i] = locs[i];
			prev_nodes[depth - 1 - i] = parent;
		}
		prev_depth = depth;
		if (parent != UINT32_MAX) {
			t.weights[parent].flat = add64(t.weights[parent].flat, wt);
			t.weights[parent].flat_div = add64(t.weights[parent].flat_div, dw);
		}
		b->stack_leaf[st] = parent;
	}
	hashmap_release(&t.ctx);
	stack_buf_release(&buf);
	free(prev_locs);
	free(prev_nodes);
	free(t.first_kid);
	free(t.links);
	free(t.n_kids);
	tree_sum(&t, outer);
	free(outer);

	tree_install(b, &t);
	XGROW(t.weights, t.cap_w, t.n + 1);
	free(t.edge_of);
	return t.weights;
}

/* Each node's children: the edges out of it in a doubly linked list, so that an edge
 * leaves its list at once however many siblings it has. */
struct kids {
	uint32_t *head, *next, *prev; /* prev: UINT32_MAX for the first edge of a list */
};

static void kids_push(struct kids *k, uint32_t node, uint32_t e)
{
	k->prev[e] = UINT32_MAX;
	k->next[e] = k->head[node];
	if (k->head[node] != UINT32_MAX)
		k->prev[k->head[node]] = e;
	k->head[node] = e;
}

static void kids_unlink(struct kids *k, uint32_t node, uint32_t e)
{
	if (k->prev[e] == UINT32_MAX)
		k->head[node] = k->next[e];
	else
		k->next[k->prev[e]] = k->next[e];
	if (k->next[e] != UINT32_MAX)
		k->prev[k->next[e]] = k->prev[e];
}

/* pprof's TrimTree: the nodes not in keep leave the tree (g's nodes, in order); their
 * children hang from their parent by residual edges (inlined if both edges were), or become
 * roots when they had none. Then redundant residual edges go. */
static void trim_tree(struct graph *g, const uint8_t *keep)
{
	size_t n = g->n_infos;
	uint32_t *in_edge = xmalloc((n + 1) * sizeof(*in_edge));
	struct kids k = { .head = xmalloc((n + 1) * sizeof(*k.head)),
			  .next = xmalloc((g->n_edges + 1) * sizeof(*k.next)),
			  .prev = xmalloc((g->n_edges + 1) * sizeof(*k.prev)) };
	memset(in_edge, 0xff, (n + 1) * sizeof(*in_edge));
	memset(k.head, 0xff, (n + 1) * sizeof(*k.head));
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *ed = &g->edges[e];
		if (ed->removed)
			continue;
		in_edge[ed->dst] = (uint32_t)e;
		kids_push(&k, ed->src, (uint32_t)e);
	}
	size_t kept = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		uint32_t cur = g->nodes[i].info;
		if (keep[cur]) {
			g->nodes[kept++] = g->nodes[i];
			continue;
		}
		uint32_t pe = in_edge[cur];
		if (pe == UINT32_MAX) {
			for (uint32_t e = k.head[cur]; e != UINT32_MAX; e = k.next[e]) {
				g->edges[e].removed = true;
				in_edge[g->edges[e].dst] = UINT32_MAX;
			}
			k.head[cur] = UINT32_MAX;
			continue;
		}
		uint32_t parent = g->edges[pe].src;
		bool inlined = g->edges[pe].inlined;
		g->edges[pe].removed = true;
		in_edge[cur] = UINT32_MAX;
		kids_unlink(&k, parent, pe);
		for (uint32_t e = k.head[cur], nx; e != UINT32_MAX; e = nx) {
			nx = k.next[e];
			struct graph_edge *ed = &g->edges[e];
			ed->src = parent;
			ed->residual = true;
			ed->inlined = inlined && ed->inlined;
			kids_push(&k, parent, e);
		}
		k.head[cur] = UINT32_MAX;
	}
	g->n_nodes = kept;
	free(in_edge);
	free(k.head);
	free(k.next);
	free(k.prev);
	graph_remove_redundant_edges(g);
}

/* A tree node's place in pprof's node order (graph_sort_nodes's), as fields compared in
 * turn: its weight first descending, its frame's rank by name, its other weight
 * descending, its frame's rank by sprint; then its place before sorting (the sort is
 * stable). A weight w is kept as ~(w + 2^63), whose unsigned order is w's descending one. */
enum { KEY_FIRST, KEY_NAME, KEY_SECOND, KEY_SPRINT, N_KEYS };

struct tree_key {
	uint64_t k[N_KEYS];
	uint32_t pos;
};

static uint64_t desc_key(int64_t v)
{
	return ~((uint64_t)v ^ (UINT64_C(1) << 63));
}

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)

/* A stable LSD radix sort of *keys by field f, RADIX_BITS a pass, through *tmp (the two
 * swap as passes go). Digits above the field's highest bit set are not visited, and a
 * digit that is the same for every key costs its count alone. */
static void radix_sort(struct tree_key **keys, struct tree_key **tmp, size_t n, int f,
		       size_t at[RADIX + 1])
{
	uint64_t any = 0;
	for (size_t i = 0; i < n; i++)
		any |= (*keys)[i].k[f] ^ (*keys)[0].k[f];
	for (unsigned shift = 0; shift < 64 && any >> shift; shift += RADIX_BITS) {
		memset(at, 0, (RADIX + 1) * sizeof(*at));
		for (size_t i = 0; i < n; i++)
			at[((*keys)[i].k[f] >> shift & (RADIX - 1)) + 1]++;
		for (size_t d = 0; d < RADIX; d++)
			at[d + 1] += at[d];
		for (size_t i = 0; i < n; i++)
			(*tmp)[at[(*keys)[i].k[f] >> shift & (RADIX - 1)]++] = (*keys)[i];
		struct tree_key *t = *keys;
		*keys = *tmp;
		*tmp = t;
	}
}

/* graph_sort_nodes for a tree, whose many nodes share few frames: names and sprints are
 * compared once per frame, by rank, and the nodes radix-sorted field by field, the least
 * significant first. */
static void sort_tree_nodes(struct builder *b)
{
	struct graph *g = b->g;
	size_t n = g->n_nodes;
	struct tree_key *keys = xmalloc((n + 1) * sizeof(*keys));
	struct tree_key *tmp = xmalloc((n + 1) * sizeof(*tmp));
	for (size_t i = 0; i < n; i++) {
		const struct graph_node *nd = &g->nodes[i];
		int64_t flat = abs64(nd->flat), cum = abs64(nd->cum);
		uint32_t frame = g->tree_frame[nd->info];
		struct tree_key *k = &keys[i];
		k->k[KEY_FIRST] = desc_key(b->o->cum_sort ? cum : flat);
		k->k[KEY_NAME] = b->name_rank[frame];
		k->k[KEY_SECOND] = desc_key(b->o->cum_sort ? flat : cum);
		k->k[KEY_SPRINT] = b->sprint_rank[frame];
		k->pos = (uint32_t)i;
	}
	size_t *at = xmalloc((RADIX + 1) * sizeof(*at));
	for (int f = N_KEYS; f-- > 0;)
		radix_sort(&keys, &tmp, n, f, at);
	free(at);
	free(tmp);
	struct graph_node *sorted = xmalloc((g->n_infos + 1) * sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = g->nodes[keys[i].pos];
	free(keys);
	free(g->nodes);
	g->nodes = sorted;
}

static void sort_tree(struct builder *b)
{
	if (b->o->visual)
		graph_sort_entropy(b, b->g->edges, b->g->n_edges);
	else
		sort_tree_nodes(b);
}

/* Applies the permutation to (new index of each old info) to an array of n elements of
 * size bytes, indexed by info. */
static void *permute(void *a, const uint32_t *to, size_t n, size_t size)
{
	char *out = xmalloc((n + 1) * size);
	for (size_t i = 0; i < n; i++)
		memcpy(out + (size_t)to[i] * size, (char *)a + i * size, size);
	free(a);
	return out;
}

/* Numbers the tree's infos in node order (the infos of dropped nodes after them), so that
 * reports walking the nodes read the per-info arrays in order: a tree has as many infos
 * as calling contexts, far too many to be read at random from the cache. */
static void renumber_tree(struct builder *b)
{
	struct graph *g = b->g;
	size_t n = g->n_infos;
	uint32_t *to = xmalloc((n + 1) * sizeof(*to));
	memset(to, 0xff, (n + 1) * sizeof(*to));
	uint32_t next = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		to[g->nodes[i].info] = next++;
	for (size_t i = 0; i < n; i++)
		if (to[i] == UINT32_MAX)
			to[i] = next++;
	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i].info = to[g->nodes[i].info];
	for (size_t e = 0; e < g->n_edges; e++) {
		g->edges[e].src = to[g->edges[e].src];
		g->edges[e].dst = to[g->edges[e].dst];
	}
	for (size_t i = 0; i < n; i++)
		if (g->tree_parent[i] != UINT32_MAX)
			g->tree_parent[i] = to[g->tree_parent[i]];
	for (size_t st = 0; st < b->p->n_stacks; st++)
		if (b->stack_leaf[st] != UINT32_MAX)
			b->stack_leaf[st] = to[b->stack_leaf[st]];
	g->infos = permute(g->infos, to, n, sizeof(*g->infos));
	g->names = permute(g->names, to, n, sizeof(*g->names));
	g->name_len = permute(g->name_len, to, n, sizeof(*g->name_len));
	g->tree_parent = permute(g->tree_parent, to, n, sizeof(*g->tree_parent));
	g->tree_frame = permute(g->tree_frame, to, n, sizeof(*g->tree_frame));
	b->sprint_of = g->tree_frame;
	free(to);
}

void graph_build_call_tree(struct builder *b)
{
	struct graph *g = b->g;
	const struct graph_options *o = b->o;
	struct work w;
	memset(&w, 0, sizeof(w));
	w.nodes = build_tree(b);
	g->nodes = xmalloc((g->n_infos + 1) * sizeof(*g->nodes));
	graph_select_nodes(b, &w);
	free(w.nodes);

	int64_t node_cutoff, edge_cutoff;
	graph_cutoffs(g, o, &node_cutoff, &edge_cutoff);
	uint8_t *keep = xcalloc(g->n_infos + 1, 1);
	if (node_cutoff > 0) {
		size_t n_keep = 0;
		for (size_t i = 0; i < g->n_nodes; i++)
			if (abs64(g->nodes[i].cum) >= node_cutoff ||
			    graph_forced(g, o, g->nodes[i].info)) {
				keep[g->nodes[i].info] = 1;
				n_keep++;
			}
		if (n_keep != g->n_nodes) {
			g->dropped_nodes = g->n_nodes - n_keep;
			trim_tree(g, keep);
		}
	}
	g->orig_count = g->n_nodes;
	sort_tree(b);
	/* A tree's tags are its nodes' from the start: trimming moves no weight. */
	if (o->visual && b->p->n_labels > 0) {
		struct nodetags_source src = { .stack_leaf = b->stack_leaf,
					       .tree_parent = g->tree_parent,
					       .n_infos = g->n_infos };
		g->tags = nodetags_build(b->p, o->sample_index, o->mean, &src, node_cutoff,
					 o->tag_unit);
	}
	if (o->node_count > 0) {
		graph_mark_nodes(g, keep);
		graph_trim_edges(g, keep, edge_cutoff);
		size_t n_top = (size_t)o->node_count;
		if (g->tags)
			n_top = graph_visual_top(g, g->tags, n_top);
		if (n_top < g->n_nodes) {
			memset(keep, 0, g->n_infos);
			for (size_t i = 0; i < g->n_nodes; i++)
				if (i < n_top || graph_forced(g, o, g->nodes[i].info))
					keep[g->nodes[i].info] = 1;
			trim_tree(g, keep);
			sort_tree(b);
		}
	}
	graph_mark_nodes(g, keep);
	g->dropped_edges = graph_trim_edges(g, keep, edge_cutoff);
	if (o->visual)
		graph_remove_redundant_edges(g);
	graph_mark_inline(g);
	free(keep);
	if (!o->visual) /* (a visual tree's tags are by info) */
		renumber_tree(b);
}
