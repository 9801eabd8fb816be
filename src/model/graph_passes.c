/* The accumulation passes: samples folded per distinct stack, then pprof's newGraph as one
 * pass over the stacks with a kept-node mask, weighing nodes (flat, cum) and edges; big
 * passes run on two threads. */
#include "model/graph_private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"
#include "util/xalloc.h"

void graph_fold_samples(struct builder *b)
{
	const struct profile *p = b->p;
	b->stack_w = xcalloc(p->n_stacks + 1, sizeof(int64_t));
	if (b->o->mean)
		b->stack_dw = xcalloc(p->n_stacks + 1, sizeof(int64_t));
	b->stack_live = xcalloc(p->n_stacks + 1, 1);
	size_t si = (size_t)b->o->sample_index;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		int64_t w = v[si], dw = b->o->mean ? v[0] : 0;
		if (w == 0 && dw == 0)
			continue;
		uint32_t st = p->samples[s].stack;
		b->stack_w[st] = add64(b->stack_w[st], w);
		if (dw)
			b->stack_dw[st] = add64(b->stack_dw[st], dw);
		b->stack_live[st] = 1;
	}
}

static void edge_index_init(struct edge_index *x, size_t expect)
{
	size_t n = hash_slots(expect);
	x->slots = xmalloc(n * sizeof(*x->slots));
	memset(x->slots, 0xff, n * sizeof(*x->slots));
	x->mask = n - 1;
	x->count = 0;
}

static size_t edge_hash(uint32_t src, uint32_t dst)
{
	return (size_t)hash_u64((uint64_t)src << 32 | dst);
}

/* The index of the edge src -> dst among edges, or HASHMAP_NONE. */
static uint32_t edge_index_get(const struct edge_index *x, const struct graph_edge *edges,
			       uint32_t src, uint32_t dst)
{
	for (size_t i = edge_hash(src, dst) & x->mask;; i = (i + 1) & x->mask) {
		uint32_t e = x->slots[i];
		if (e == HASHMAP_NONE || (edges[e].src == src && edges[e].dst == dst))
			return e;
	}
}

/* Adds edge e, which edge_index_get did not find. */
static void edge_index_add(struct edge_index *x, const struct graph_edge *edges, uint32_t e)
{
	if ((x->count + 1) * 10 > (x->mask + 1) * 7) {
		struct edge_index bigger;
		edge_index_init(&bigger, (x->mask + 1) * 2 * 7 / 10);
		for (size_t i = 0; i <= x->mask; i++)
			if (x->slots[i] != HASHMAP_NONE)
				edge_index_add(&bigger, edges, x->slots[i]);
		free(x->slots);
		*x = bigger;
	}
	size_t i = edge_hash(edges[e].src, edges[e].dst) & x->mask;
	while (x->slots[i] != HASHMAP_NONE)
		i = (i + 1) & x->mask;
	x->slots[i] = e;
	x->count++;
}

/* A pass's per-info counters, kept small so that the random accesses of a pass hit the
 * cache: the stack that last counted the info, and its cum. */
struct node_acc {
	uint32_t stamp;
	int64_t cum;
};

static void acc_reset(struct work *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		w->acc[i].stamp = UINT32_MAX;
		w->acc[i].cum = 0;
	}
	memset(w->nodes, 0, n * sizeof(*w->nodes));
	for (size_t i = 0; i < n; i++)
		w->nodes[i].info = (uint32_t)i;
}

/* Moves the counted cums into the nodes. */
static void acc_done(struct work *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w->nodes[i].cum = w->acc[i].cum;
}

/* The index of the edge src -> dst among w's edges, made (weightless, inlined until an
 * occurrence says otherwise) if it is new. */
static uint32_t find_edge(struct work *w, uint32_t src, uint32_t dst)
{
	/* Callers mostly call what they called last: try that first. */
	uint32_t e = w->last_edge[src];
	if (e != HASHMAP_NONE && w->edges[e].dst == dst)
		return e;
	e = edge_index_get(&w->edge_map, w->edges, src, dst);
	if (e == HASHMAP_NONE) {
		XGROW(w->edges, w->cap_edges, w->n_edges + 1);
		XGROW(w->edge_stamp, w->cap_edge_stamp, w->n_edges + 1);
		XGROW(w->edge_met, w->cap_edge_met, w->n_edges + 1);
		e = (uint32_t)w->n_edges++;
		struct graph_edge *ne = &w->edges[e];
		memset(ne, 0, sizeof(*ne));
		ne->src = src;
		ne->dst = dst;
		ne->inlined = true;
		w->edge_stamp[e] = UINT32_MAX;
		edge_index_add(&w->edge_map, w->edges, e);
	}
	w->last_edge[src] = e;
	return e;
}

/* Counts node ni's cum once per stack st (and cum_div, which only -mean makes non-zero). */
static inline void count_cum(struct work *w, uint32_t ni, uint32_t st, int64_t wt, int64_t dw)
{
	struct node_acc *a = &w->acc[ni];
	if (a->stamp != st) {
		a->stamp = st;
		a->cum = add64(a->cum, wt);
		if (dw)
			w->nodes[ni].cum_div = add64(w->nodes[ni].cum_div, dw);
	}
}

/* The walk of one stack in accumulate, root first. */
struct walk {
	struct work *w;
	const uint8_t *kept, *edge_dst;
	bool weights;
	uint32_t st, parent;
	bool residual;
	int64_t wt, dw;
};

/* Visits node ni, from a location's outermost line (outer) or one inlined into it. */
static inline void walk_node(struct walk *k, uint32_t ni, bool outer)
{
	struct work *w = k->w;
	if (k->kept && !k->kept[ni]) {
		k->residual = true;
		return;
	}
	if (k->weights)
		count_cum(w, ni, k->st, k->wt, k->dw);
	uint32_t parent = k->parent;
	if (parent != UINT32_MAX && parent != ni && (!k->edge_dst || k->edge_dst[ni])) {
		uint32_t e = find_edge(w, parent, ni);
		if (w->edge_stamp[e] != k->st) {
			w->edge_stamp[e] = k->st;
			struct graph_edge *ed = &w->edges[e];
			ed->weight = add64(ed->weight, k->wt);
			ed->weight_div = add64(ed->weight_div, k->dw);
			if (k->residual)
				ed->residual = true;
			if (outer)
				ed->inlined = false;
		}
	}
	k->parent = ni;
	k->residual = false;
}

/* One pass of pprof's newGraph over the distinct stacks w->begin..end, keeping only infos
 * with kept[i] != 0 (all when kept is NULL). Leaves the edges in w->edges and, if weights,
 * per-info weights in w->nodes (else leaves w->nodes alone). */
static void accumulate(struct builder *b, struct work *w, const uint8_t *kept, bool weights)
{
	const struct profile *p = b->p;
	size_t n = b->g->n_infos;
	if (weights)
		acc_reset(w, n);
	memset(w->last_edge, 0xff, n * sizeof(*w->last_edge));
	free(w->edge_map.slots);
	edge_index_init(&w->edge_map, 1024);
	w->n_edges = 0;

	struct walk k = { .w = w, .kept = kept, .edge_dst = b->edge_dst, .weights = weights };
	for (size_t st = w->begin; st < w->end; st++) {
		if (!b->stack_live[st])
			continue;
		k.st = (uint32_t)st;
		k.wt = b->stack_w[st];
		k.dw = b->stack_dw ? b->stack_dw[st] : 0;
		k.parent = UINT32_MAX;
		k.residual = false;
		const uint32_t *locs = profile_stack(p, (uint32_t)st, &w->buf);
		for (uint32_t i = p->stacks[st].depth; i-- > 0;) {
			uint32_t loc = locs[i], one = b->loc_one[loc];
			if (one != LOC_MULTI) {
				walk_node(&k, one, true);
				continue;
			}
			uint32_t lo = b->loc_off[loc], hi = b->loc_off[loc + 1];
			for (uint32_t j = hi; j-- > lo;)
				walk_node(&k, b->loc_nodes[j], j == hi - 1);
		}
		if (weights && k.parent != UINT32_MAX && !k.residual) {
			struct graph_node *leaf = &w->nodes[k.parent];
			leaf->flat = add64(leaf->flat, k.wt);
			leaf->flat_div = add64(leaf->flat_div, k.dw);
		}
	}
	if (weights)
		acc_done(w, n);
}

/* The unmasked pass without edges, which decides the trimming: every frame's nodes get the
 * stack's weight once (cum), the innermost line of the leaf location gets it as flat. The
 * order frames are visited in does not matter here, so the stacks are decoded on the fly. */
static void accumulate_nodes(struct builder *b, struct work *w)
{
	const struct profile *p = b->p;
	size_t n = b->g->n_infos;
	acc_reset(w, n);
	const uint32_t *loc_off = b->loc_off, *loc_nodes = b->loc_nodes, *loc_one = b->loc_one;
	for (size_t st = w->begin; st < w->end; st++) {
		if (!b->stack_live[st] || p->stacks[st].depth == 0)
			continue;
		int64_t wt = b->stack_w[st], dw = b->stack_dw ? b->stack_dw[st] : 0;
		const uint8_t *in = p->stack_bytes + p->stacks[st].off;
		uint32_t depth = p->stacks[st].depth, leaf = 0;
		for (uint32_t i = 0; i < depth; i++) {
			uint32_t loc;
			in = stack_decode(in, 1, &loc);
			if (i == 0)
				leaf = loc;
			uint32_t one = loc_one[loc];
			if (one != LOC_MULTI) {
				count_cum(w, one, (uint32_t)st, wt, dw);
				continue;
			}
			for (uint32_t k = loc_off[loc], hi = loc_off[loc + 1]; k < hi; k++)
				count_cum(w, loc_nodes[k], (uint32_t)st, wt, dw);
		}
		struct graph_node *lf = &w->nodes[loc_nodes[loc_off[leaf]]];
		lf->flat = add64(lf->flat, wt);
		lf->flat_div = add64(lf->flat_div, dw);
	}
	acc_done(w, n);
}

/* Per location, for accumulate_inline_edges: whether some node of it is kept, and whether
 * some kept node of it takes edges (b->edge_dst). */
enum { LOC_KEPT = 1, LOC_DST = 2 };

static uint8_t *location_flags(const struct builder *b, const uint8_t *kept)
{
	size_t n = b->p->n_locations;
	uint8_t *f = xcalloc(n + 1, 1);
	for (size_t li = 0; li < n; li++)
		for (uint32_t k = b->loc_off[li]; k < b->loc_off[li + 1]; k++) {
			uint32_t ni = b->loc_nodes[k];
			if (kept && !kept[ni])
				continue;
			f[li] |= LOC_KEPT;
			if (b->edge_dst[ni])
				f[li] |= LOC_DST;
		}
	return f;
}

/* An edge met in the stack being walked, with the flags of its rootmost occurrence so far. */
struct met {
	uint32_t edge;
	bool residual, outer;
};

/* PASS_EDGES: the edges into edge_dst nodes (the only ones the "(inline)" marks need) among
 * the kept nodes, as accumulate makes them, without node weights. Stacks are walked leaf
 * first as they decode, so locations with no kept node cost a byte's lookup. pprof walks
 * root first and takes an edge's flags from its first occurrence in a stack: here that is
 * the last one met, so flags wait in w->met until the stack's end. */
static void accumulate_inline_edges(struct builder *b, struct work *w, const uint8_t *kept)
{
	const struct profile *p = b->p;
	size_t n = b->g->n_infos;
	const uint8_t *flags = b->loc_flags;
	memset(w->last_edge, 0xff, n * sizeof(*w->last_edge));
	free(w->edge_map.slots);
	edge_index_init(&w->edge_map, 1024);
	w->n_edges = 0;
	for (size_t st = w->begin; st < w->end; st++) {
		if (!b->stack_live[st])
			continue;
		int64_t wt = b->stack_w[st], dw = b->stack_dw ? b->stack_dw[st] : 0;
		const uint8_t *in = p->stack_bytes + p->stacks[st].off;
		uint32_t depth = p->stacks[st].depth, child = UINT32_MAX;
		bool residual = false, child_outer = false;
		size_t n_met = 0;
		for (uint32_t i = 0; i < depth; i++) {
			uint32_t loc;
			in = stack_decode(in, 1, &loc);
			if (!(flags[loc] & LOC_KEPT)) {
				residual = true;
				continue;
			}
			if (child == UINT32_MAX && !(flags[loc] & LOC_DST))
				continue; /* no edge into or out of it to make */
			uint32_t lo = b->loc_off[loc], hi = b->loc_off[loc + 1];
			for (uint32_t k = lo; k < hi; k++) {
				uint32_t ni = b->loc_nodes[k];
				if (kept && !kept[ni]) {
					residual = true;
					continue;
				}
				if (child != UINT32_MAX && child != ni) {
					uint32_t e = find_edge(w, ni, child);
					if (w->edge_stamp[e] != st) {
						w->edge_stamp[e] = (uint32_t)st;
						struct graph_edge *ed = &w->edges[e];
						ed->weight = add64(ed->weight, wt);
						ed->weight_div = add64(ed->weight_div, dw);
						XGROW(w->met, w->cap_met, n_met + 1);
						w->edge_met[e] = (uint32_t)n_met;
						w->met[n_met++].edge = e;
					}
					struct met *m = &w->met[w->edge_met[e]];
					m->residual = residual;
					m->outer = child_outer;
				}
				if (child != ni)
					child = b->edge_dst[ni] ? ni : UINT32_MAX;
				child_outer = k == hi - 1;
				residual = false;
			}
		}
		for (size_t j = 0; j < n_met; j++) {
			struct graph_edge *ed = &w->edges[w->met[j].edge];
			if (w->met[j].residual)
				ed->residual = true;
			if (w->met[j].outer)
				ed->inlined = false;
		}
	}
}

/* Two threads share big passes: each takes half the stacks' bytes with its own work, and
 * the halves are summed. Sums, "residual" (or) and "inlined" (and) do not depend on order,
 * and the second half's new edges follow the first's, so the result is deterministic. */
#define PARALLEL_BYTES 500000

struct pass {
	struct builder *b;
	struct work *w;
	const uint8_t *kept;
	enum pass_kind kind;
};

static void *run_pass(void *arg)
{
	struct pass *ps = arg;
	if (ps->kind == PASS_NODES)
		accumulate_nodes(ps->b, ps->w);
	else if (ps->kind == PASS_EDGES)
		accumulate_inline_edges(ps->b, ps->w, ps->kept);
	else
		accumulate(ps->b, ps->w, ps->kept, ps->kind == PASS_GRAPH);
	return NULL;
}

void graph_work_init(struct work *w, size_t n_infos)
{
	memset(w, 0, sizeof(*w));
	w->nodes = xmalloc((n_infos + 1) * sizeof(*w->nodes));
	w->acc = xmalloc((n_infos + 1) * sizeof(*w->acc));
	w->last_edge = xmalloc((n_infos + 1) * sizeof(*w->last_edge));
	edge_index_init(&w->edge_map, 16);
}

void graph_work_release(struct work *w)
{
	free(w->nodes);
	free(w->acc);
	free(w->last_edge);
	free(w->edge_stamp);
	free(w->edges);
	free(w->edge_map.slots);
	stack_buf_release(&w->buf);
	free(w->met);
	free(w->edge_met);
}

/* Folds the second half's results into the first's (the node weights too if weights). */
static void merge_work(struct work *into, const struct work *from, size_t n_infos, bool weights)
{
	for (size_t i = 0; weights && i < n_infos; i++) {
		struct graph_node *a = &into->nodes[i];
		const struct graph_node *c = &from->nodes[i];
		a->flat = add64(a->flat, c->flat);
		a->flat_div = add64(a->flat_div, c->flat_div);
		a->cum = add64(a->cum, c->cum);
		a->cum_div = add64(a->cum_div, c->cum_div);
	}
	for (size_t e = 0; e < from->n_edges; e++) {
		const struct graph_edge *src = &from->edges[e];
		uint32_t at = edge_index_get(&into->edge_map, into->edges, src->src, src->dst);
		if (at == HASHMAP_NONE) {
			XGROW(into->edges, into->cap_edges, into->n_edges + 1);
			at = (uint32_t)into->n_edges++;
			into->edges[at] = *src;
			edge_index_add(&into->edge_map, into->edges, at);
			continue;
		}
		struct graph_edge *d = &into->edges[at];
		d->weight = add64(d->weight, src->weight);
		d->weight_div = add64(d->weight_div, src->weight_div);
		d->residual = d->residual || src->residual;
		d->inlined = d->inlined && src->inlined;
	}
}

void graph_pass(struct builder *b, struct work *w, struct work *w2, const uint8_t *kept,
		enum pass_kind kind)
{
	const struct profile *p = b->p;
	w->begin = 0;
	w->end = p->n_stacks;
	pthread_t t;
	struct pass p1 = { b, w, kept, kind }, p2 = p1;
	if (kind == PASS_EDGES) {
		free(b->loc_flags);
		b->loc_flags = location_flags(b, kept);
	}
	bool split = p->n_stack_bytes >= PARALLEL_BYTES;
	if (split) {
		/* Split at half the bytes (stacks are stored in order). */
		size_t half = p->n_stack_bytes / 2, st = 0;
		while (st < p->n_stacks && p->stacks[st].off < half)
			st++;
		w->end = st;
		w2->begin = st;
		w2->end = p->n_stacks;
		p2.w = w2;
		split = pthread_create(&t, NULL, run_pass, &p2) == 0;
		if (!split)
			w->end = p->n_stacks;
	}
	run_pass(&p1);
	if (split) {
		pthread_join(t, NULL);
		merge_work(w, w2, b->g->n_infos, kind != PASS_EDGES);
	}
}
