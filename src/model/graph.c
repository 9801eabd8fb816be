/* Building and trimming the call graph the way pprof's graph package does.
 *
 * pprof rebuilds its graph from the samples after each trimming step (dropping nodes makes
 * edges skip over them, "residual" edges); so do we, but cheaply: the distinct node infos
 * and each location's node list are computed once, samples are folded per distinct stack
 * once, and a rebuild is one pass over the distinct stacks with a kept-node mask. */
#include "model/graph.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "util/hashmap.h"
#include "util/path.h"
#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define LOC_MULTI UINT32_MAX

/* Everything derived from (profile, options) that does not change between rebuilds. */
struct builder {
	const struct profile *p;
	const struct graph_options *o;
	struct graph *g;
	uint32_t *loc_off;   /* per location: start in loc_nodes; loc_off[n] = end */
	uint32_t *loc_nodes; /* info index per kept line, innermost first */
	uint32_t *loc_one;   /* per location: its only node, or LOC_MULTI (then see loc_off) */
	uint8_t *edge_dst;   /* per info: edges into it are made (NULL: all are) */
	uint8_t *loc_flags;  /* PASS_EDGES: location_flags of the pass's mask */
	int64_t *stack_w, *stack_dw; /* per distinct stack: summed weight and divisor (NULL
				      * without -mean: then 0) */
	uint8_t *stack_live;         /* per distinct stack: some sample had w or dw != 0 */
	char **sprints;              /* per info: Go's fmt.Sprint(NodeInfo), made lazily */
	uint32_t *stack_leaf;        /* call trees: per distinct stack, its leaf tree node */
};

static uint64_t info_hash(const struct node_info *i)
{
	uint64_t h = hash_u64(i->name ^ ((uint64_t)i->file << 32));
	h = hash_u64(h ^ i->address);
	h = hash_u64(h ^ (uint64_t)i->lineno ^ ((uint64_t)i->start_line << 40));
	return hash_u64(h ^ i->objfile ^ ((uint64_t)i->orig_name << 32));
}

static bool info_eq(const struct node_info *a, const struct node_info *b)
{
	return a->name == b->name && a->orig_name == b->orig_name && a->file == b->file &&
	       a->objfile == b->objfile && a->address == b->address &&
	       a->start_line == b->start_line && a->lineno == b->lineno;
}

static char *printable_name(const struct profile *p, const struct node_info *i)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name = profile_str(p, i->name), *file = profile_str(p, i->file);
	if (i->address)
		strbuf_addf(&sb, "%016" PRIx64, i->address);
	if (*name) {
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_adds(&sb, name);
	}
	const char *objfile = profile_str(p, i->objfile);
	struct strbuf tail = STRBUF_INIT;
	if (i->lineno != 0) {
		strbuf_addf(&tail, "%s:%" PRId64, file, i->lineno);
	} else if (*file) {
		strbuf_adds(&tail, file);
	} else if (*name) {
		/* the name says it all */
	} else if (*objfile) {
		char *base = xmalloc(strlen(objfile) + 2);
		strbuf_addf(&tail, "[%s]", path_base(base, objfile));
		free(base);
	} else {
		strbuf_adds(&tail, "<unknown>");
	}
	if (tail.len) {
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, tail.buf, tail.len);
	}
	strbuf_release(&tail);
	if (!sb.buf)
		return xstrdup("");
	return sb.buf;
}

/* Go's fmt.Sprint of a NodeInfo value: the last tie-breaker of pprof's node order. */
static const char *sprint_info(struct builder *b, uint32_t ix)
{
	if (!b->sprints[ix]) {
		const struct profile *p = b->p;
		const struct node_info *i = &b->g->infos[ix];
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "{%s %s %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}",
			    profile_str(p, i->name), profile_str(p, i->orig_name), i->address,
			    profile_str(p, i->file), i->start_line, i->lineno,
			    profile_str(p, i->objfile));
		b->sprints[ix] = sb.buf;
	}
	return b->sprints[ix];
}

/* Works out each location's node infos under the granularity, as pprof's Aggregate and
 * CreateNodes together do. Interns new file names (cleaned) into the profile's strtab. */
static void make_infos(struct builder *b)
{
	struct profile *p = (struct profile *)b->p; /* only its strtab grows */
	const struct graph_options *o = b->o;
	struct graph *g = b->g;
	bool inlines = !o->noinlines, function = true, filename = true, linenumber = true,
	     address = true;
	switch (o->granularity) {
	case GRAN_ADDRESSES:
		break; /* with inlines pprof aggregates nothing at all */
	case GRAN_LINES:
		address = false;
		break;
	case GRAN_FILES:
		function = linenumber = address = false;
		break;
	case GRAN_FUNCTIONS:
		filename = linenumber = address = false;
		break;
	case GRAN_FILEFUNCTIONS:
		linenumber = address = false;
		break;
	}

	/* Per function: the cleaned, trimmed file name id, computed once. */
	uint32_t *fun_file = xmalloc((p->n_functions + 1) * sizeof(*fun_file));
	char *tmp = NULL;
	size_t tmpcap = 0;
	for (size_t f = 0; f < p->n_functions; f++) {
		const char *name = profile_str(p, p->functions[f].filename);
		if (!filename || !*name) {
			fun_file[f] = 0;
			continue;
		}
		const char *t = o->raw_paths ? name : path_trim(name, o->trim_path, o->source_path);
		if (!*t) {
			fun_file[f] = 0;
			continue;
		}
		XGROW(tmp, tmpcap, strlen(t) + 2);
		path_clean(tmp, t);
		fun_file[f] = strtab_intern(&p->strs, tmp, strlen(tmp));
	}
	free(tmp);

	struct hashmap map;
	hashmap_init(&map, p->n_functions + 16);
	size_t cap_infos = 0, cap_nodes = 0, n_nodes = 0;
	b->loc_off = xmalloc((p->n_locations + 1) * sizeof(*b->loc_off));
	for (size_t li = 0; li < p->n_locations; li++) {
		const struct location *l = &p->locations[li];
		b->loc_off[li] = (uint32_t)n_nodes;
		uint32_t first = 0, n = l->n_lines;
		if (!inlines && n > 1) {
			first = n - 1;
			n = 1;
		}
		uint32_t objfile = 0;
		if (l->mapping != PROFILE_NONE)
			objfile = p->mappings[l->mapping].file;
		XGROW(b->loc_nodes, cap_nodes, n_nodes + (n ? n : 1));
		for (uint32_t k = 0; k < (n ? n : 1); k++) {
			struct node_info ni;
			memset(&ni, 0, sizeof(ni));
			ni.address = address ? l->address : 0;
			const struct line *ln = n ? &p->lines[l->first_line + first + k] : NULL;
			if (!ln || ln->function == PROFILE_NONE) {
				ni.objfile = objfile;
			} else {
				const struct function *fn = &p->functions[ln->function];
				ni.lineno = linenumber ? ln->line : 0;
				ni.name = function ? fn->name : 0;
				ni.file = fun_file[ln->function];
				if (o->obj_names || ni.name == 0) {
					ni.objfile = objfile;
					ni.start_line = fn->start_line;
				}
			}
			uint64_t h = info_hash(&ni);
			uint32_t ix;
			/* Probe on the hash; on a collision with a different info, rehash. */
			for (;;) {
				ix = hashmap_get(&map, h);
				if (ix == HASHMAP_NONE || info_eq(&g->infos[ix], &ni))
					break;
				h = hash_u64(h + 1);
			}
			if (ix == HASHMAP_NONE) {
				XGROW(g->infos, cap_infos, g->n_infos + 1);
				ix = (uint32_t)g->n_infos++;
				g->infos[ix] = ni;
				hashmap_put(&map, h, ix);
			}
			b->loc_nodes[n_nodes++] = ix;
		}
	}
	b->loc_off[p->n_locations] = (uint32_t)n_nodes;
	hashmap_release(&map);
	/* Most locations have one node: the passes find it with one lookup. */
	b->loc_one = xmalloc((p->n_locations + 1) * sizeof(*b->loc_one));
	for (size_t li = 0; li < p->n_locations; li++) {
		uint32_t lo = b->loc_off[li], n = b->loc_off[li + 1] - lo;
		b->loc_one[li] = n == 1 ? b->loc_nodes[lo] : LOC_MULTI;
	}
	free(fun_file);

	if (o->inline_edges_only) {
		/* An edge is inlined when it leads to a location's inner line. */
		b->edge_dst = xcalloc(g->n_infos + 1, 1);
		for (size_t li = 0; li < p->n_locations; li++)
			for (uint32_t k = b->loc_off[li]; k + 1 < b->loc_off[li + 1]; k++)
				b->edge_dst[b->loc_nodes[k]] = 1;
	}

	g->names = xmalloc((g->n_infos + 1) * sizeof(*g->names));
	for (size_t i = 0; i < g->n_infos; i++)
		g->names[i] = printable_name(p, &g->infos[i]);
	b->sprints = xcalloc(g->n_infos + 1, sizeof(*b->sprints));
}

/* Folds every sample into its distinct stack: pprof's per-sample sums, done once. */
static void fold_samples(struct builder *b)
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

/* Edges by (caller, callee): open addressing over edge indexes, whose keys are read from
 * the edges themselves, so a slot takes 4 bytes where a general map's takes 16. */
struct edge_index {
	uint32_t *slots; /* edge index, or HASHMAP_NONE */
	size_t mask, count;
};

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

struct work {
	struct graph_node *nodes;  /* indexed by info */
	struct node_acc *acc;      /* per info: the pass's counters */
	struct edge_index edge_map; /* this work's edges by (src, dst) */
	uint32_t *last_edge;       /* per info: the edge it was last the caller of */
	uint32_t *edge_stamp;
	struct graph_edge *edges;  /* this pass's edges (its share of the stacks) */
	size_t n_edges, cap_edges, cap_edge_stamp;
	size_t begin, end;         /* the distinct stacks this work covers */
	struct stack_buf buf;      /* the stack being walked, decoded */
	struct met *met;           /* accumulate_inline_edges: the stack's edges so far */
	uint32_t *edge_met;        /* per edge: its place in met, while edge_stamp is the stack */
	size_t cap_met, cap_edge_met;
};

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
	if (parent != UINT32_MAX && parent != ni &&
	    (!k->edge_dst || k->edge_dst[ni])) {
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

enum pass_kind {
	PASS_NODES, /* node weights, all nodes kept (accumulate_nodes) */
	PASS_GRAPH, /* node weights and edges of the kept nodes */
	PASS_EDGES, /* only the edges: node weights are the PASS_NODES ones, masked */
};

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

static void work_init(struct work *w, size_t n_infos)
{
	memset(w, 0, sizeof(*w));
	w->nodes = xmalloc((n_infos + 1) * sizeof(*w->nodes));
	w->acc = xmalloc((n_infos + 1) * sizeof(*w->acc));
	w->last_edge = xmalloc((n_infos + 1) * sizeof(*w->last_edge));
	edge_index_init(&w->edge_map, 16);
}

static void work_release(struct work *w)
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

/* Runs one pass over all distinct stacks into w (and w2 as the second thread's work). */
static void pass(struct builder *b, struct work *w, struct work *w2, const uint8_t *kept,
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

/* pprof's selectNodesForGraph: the nodes with any weight. */
static void select_nodes(struct builder *b, struct work *w)
{
	struct graph *g = b->g;
	g->n_nodes = 0;
	for (size_t i = 0; i < g->n_infos; i++) {
		const struct graph_node *n = &w->nodes[i];
		if (n->cum == 0 && n->flat == 0)
			continue;
		if (b->o->drop_negative && (n->flat < 0 || (n->flat == 0 && n->cum < 0)))
			continue;
		g->nodes[g->n_nodes++] = *n;
	}
}

static int cmp_name_then(const struct builder *b, const struct graph_node *l,
			 const struct graph_node *r)
{
	return strcmp(b->g->names[l->info], b->g->names[r->info]);
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
	return strcmp(sprint_info(b, l->info), sprint_info(b, r->info));
}

static void sort_nodes(struct builder *b)
{
	sort_r(b->g->nodes, b->g->n_nodes, sizeof(*b->g->nodes), cmp_nodes, b);
}

/* pprof's TrimLowFrequencyEdges: drop edges into graph nodes lighter than the cutoff. */
static size_t trim_edges(struct graph *g, const uint8_t *in_graph, int64_t cutoff)
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

static void mark_graph(const struct graph *g, uint8_t *mask)
{
	memset(mask, 0, g->n_infos);
	for (size_t i = 0; i < g->n_nodes; i++)
		mask[g->nodes[i].info] = 1;
}

/* Marks each node that has kept incoming edges that are inlined / not inlined. */
static void mark_inline(struct graph *g)
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
	return strcmp(sprint_info(eo->b, l->info), sprint_info(eo->b, r->info));
}

/* Sorts g's nodes in pprof's entropy order, scored on the given edges. */
static void sort_entropy(struct builder *b, const struct graph_edge *edges, size_t n_edges)
{
	int64_t *score = entropy_scores(b, edges, n_edges);
	struct entropy_order eo = { .b = b, .scores = score };
	sort_r(b->g->nodes, b->g->n_nodes, sizeof(*b->g->nodes), cmp_entropy, &eo);
	free(score);
}

static int cmp_edge_ix(const void *a, const void *c, void *ctx)
{
	const struct graph *g = ctx;
	return graph_edge_order(g, &g->edges[*(const uint32_t *)a], &g->edges[*(const uint32_t *)c]);
}

/* Whether e's callee is reachable from its caller by kept edges other than e. */
static bool is_redundant(const struct graph *g, const uint32_t *in_off, const uint32_t *ins,
			 uint32_t e, uint8_t *seen, uint32_t *queue)
{
	const struct graph_edge *ed = &g->edges[e];
	memset(seen, 0, g->n_infos);
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
	return found;
}

/* pprof's RemoveRedundantEdges: from the last node up, each node's lightest residual
 * incoming edges go while their caller still reaches the node another way; the first
 * non-residual edge (in edge order, lightest first) stops the node's walk. */
static void remove_redundant_edges(struct graph *g)
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

	uint8_t *seen = xmalloc(n + 1);
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

/* pprof's selectTopNodes in visual mode: each node counts with its tags (up to four, the
 * nodelets drawn under it), so fewer nodes fit in max. */
static size_t visual_top(const struct graph *g, const struct node_tags *t, size_t max)
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

static void builder_release(struct builder *b)
{
	for (size_t i = 0; i < b->g->n_infos; i++)
		free(b->sprints[i]);
	free(b->sprints);
	free(b->loc_off);
	free(b->loc_nodes);
	free(b->loc_one);
	free(b->edge_dst);
	free(b->loc_flags);
	free(b->stack_w);
	free(b->stack_dw);
	free(b->stack_live);
	free(b->stack_leaf);
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
	struct node_info *infos = NULL;
	struct graph_node *weights = NULL;
	uint32_t *parent_of = NULL, *frame_of = NULL, *edge_of = NULL;
	size_t n = 0, cap = 0, cap_w = 0, cap_p = 0, cap_f = 0, cap_e = 0, cap_edges = 0;
	struct hashmap ctx;
	hashmap_init(&ctx, 1024);
	struct stack_buf buf = { 0 };
	g->n_edges = 0;
	b->stack_leaf = xmalloc((p->n_stacks + 1) * sizeof(*b->stack_leaf));
	memset(b->stack_leaf, 0xff, (p->n_stacks + 1) * sizeof(*b->stack_leaf));
	for (size_t st = 0; st < p->n_stacks; st++) {
		if (!b->stack_live[st])
			continue;
		int64_t wt = b->stack_w[st], dw = b->stack_dw ? b->stack_dw[st] : 0;
		const uint32_t *locs = profile_stack(p, (uint32_t)st, &buf);
		uint32_t parent = UINT32_MAX;
		for (uint32_t i = p->stacks[st].depth; i-- > 0;) {
			uint32_t lo = b->loc_off[locs[i]], hi = b->loc_off[locs[i] + 1];
			for (uint32_t k = hi; k-- > lo;) {
				uint32_t fi = b->loc_nodes[k];
				uint64_t key = (uint64_t)(parent + 1) << 32 | fi; /* roots: parent + 1 = 0 */
				uint32_t ni = hashmap_get(&ctx, key);
				if (ni == HASHMAP_NONE) {
					XGROW(infos, cap, n + 1);
					XGROW(weights, cap_w, n + 1);
					XGROW(parent_of, cap_p, n + 1);
					XGROW(frame_of, cap_f, n + 1);
					XGROW(edge_of, cap_e, n + 1);
					ni = (uint32_t)n++;
					infos[ni] = g->infos[fi];
					memset(&weights[ni], 0, sizeof(weights[ni]));
					weights[ni].info = ni;
					parent_of[ni] = parent;
					frame_of[ni] = fi;
					edge_of[ni] = UINT32_MAX;
					hashmap_put(&ctx, key, ni);
					if (parent != UINT32_MAX) {
						XGROW(g->edges, cap_edges, g->n_edges + 1);
						struct graph_edge *e = &g->edges[g->n_edges];
						memset(e, 0, sizeof(*e));
						e->src = parent;
						e->dst = ni;
						e->inlined = true;
						edge_of[ni] = (uint32_t)g->n_edges++;
					}
				}
				weights[ni].cum = add64(weights[ni].cum, wt);
				weights[ni].cum_div = add64(weights[ni].cum_div, dw);
				if (edge_of[ni] != UINT32_MAX) {
					struct graph_edge *e = &g->edges[edge_of[ni]];
					e->weight = add64(e->weight, wt);
					e->weight_div = add64(e->weight_div, dw);
					if (k == hi - 1)
						e->inlined = false;
				}
				parent = ni;
			}
		}
		if (parent != UINT32_MAX) {
			weights[parent].flat = add64(weights[parent].flat, wt);
			weights[parent].flat_div = add64(weights[parent].flat_div, dw);
		}
		b->stack_leaf[st] = parent;
	}
	hashmap_release(&ctx);
	stack_buf_release(&buf);

	char **names = xmalloc((n + 1) * sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = xstrdup(g->names[frame_of[i]]);
	for (size_t i = 0; i < g->n_infos; i++) {
		free(g->names[i]);
		free(b->sprints[i]);
	}
	free(g->names);
	free(g->infos);
	free(b->sprints);
	g->names = names;
	g->infos = infos;
	g->n_infos = n;
	g->tree_parent = parent_of;
	b->sprints = xcalloc(n + 1, sizeof(*b->sprints));
	XGROW(weights, cap_w, n + 1);
	free(frame_of);
	free(edge_of);
	return weights;
}


/* pprof's TrimTree: the nodes not in keep leave the tree (g's nodes, in order); their
 * children hang from their parent by residual edges (inlined if both edges were), or become
 * roots when they had none. Then redundant residual edges go. */
static void trim_tree(struct graph *g, const uint8_t *keep)
{
	size_t n = g->n_infos;
	uint32_t *in_edge = xmalloc((n + 1) * sizeof(*in_edge));
	uint32_t *head = xmalloc((n + 1) * sizeof(*head));
	uint32_t *next = xmalloc((g->n_edges + 1) * sizeof(*next));
	memset(in_edge, 0xff, (n + 1) * sizeof(*in_edge));
	memset(head, 0xff, (n + 1) * sizeof(*head));
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *ed = &g->edges[e];
		if (ed->removed)
			continue;
		in_edge[ed->dst] = (uint32_t)e;
		next[e] = head[ed->src];
		head[ed->src] = (uint32_t)e;
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
			for (uint32_t e = head[cur]; e != UINT32_MAX; e = next[e]) {
				g->edges[e].removed = true;
				in_edge[g->edges[e].dst] = UINT32_MAX;
			}
			head[cur] = UINT32_MAX;
			continue;
		}
		uint32_t parent = g->edges[pe].src;
		bool inlined = g->edges[pe].inlined;
		g->edges[pe].removed = true;
		in_edge[cur] = UINT32_MAX;
		for (uint32_t *link = &head[parent]; *link != UINT32_MAX; link = &next[*link])
			if (*link == pe) {
				*link = next[pe];
				break;
			}
		for (uint32_t e = head[cur], nx; e != UINT32_MAX; e = nx) {
			nx = next[e];
			struct graph_edge *ed = &g->edges[e];
			ed->src = parent;
			ed->residual = true;
			ed->inlined = inlined && ed->inlined;
			next[e] = head[parent];
			head[parent] = e;
		}
		head[cur] = UINT32_MAX;
	}
	g->n_nodes = kept;
	free(in_edge);
	free(head);
	free(next);
	remove_redundant_edges(g);
}

static void sort_tree(struct builder *b)
{
	if (b->o->visual)
		sort_entropy(b, b->g->edges, b->g->n_edges);
	else
		sort_nodes(b);
}

/* The call-tree graph: pprof's newTree, sorted and trimmed as pprof trims trees (nodes under
 * the cutoff, then all but the top nodes, leave by trim_tree). */
static void build_call_tree(struct builder *b)
{
	struct graph *g = b->g;
	const struct graph_options *o = b->o;
	struct work w;
	memset(&w, 0, sizeof(w));
	w.nodes = build_tree(b);
	g->nodes = xmalloc((g->n_infos + 1) * sizeof(*g->nodes));
	select_nodes(b, &w);
	free(w.nodes);

	int64_t total = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		total = add64(total, g->nodes[i].flat);
	int64_t node_cutoff = abs64(f2i((double)total * o->node_fraction));
	int64_t edge_cutoff = abs64(f2i((double)total * o->edge_fraction));
	uint8_t *keep = xcalloc(g->n_infos + 1, 1);
	if (node_cutoff > 0) {
		size_t n_keep = 0;
		for (size_t i = 0; i < g->n_nodes; i++)
			if (abs64(g->nodes[i].cum) >= node_cutoff) {
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
		mark_graph(g, keep);
		trim_edges(g, keep, edge_cutoff);
		size_t n_top = (size_t)o->node_count;
		if (g->tags)
			n_top = visual_top(g, g->tags, n_top);
		if (n_top < g->n_nodes) {
			memset(keep, 0, g->n_infos);
			for (size_t i = 0; i < n_top; i++)
				keep[g->nodes[i].info] = 1;
			trim_tree(g, keep);
			sort_tree(b);
		}
	}
	mark_graph(g, keep);
	g->dropped_edges = trim_edges(g, keep, edge_cutoff);
	if (o->visual)
		remove_redundant_edges(g);
	mark_inline(g);
	free(keep);
	builder_release(b);
}

void graph_build(struct graph *g, const struct profile *p, const struct graph_options *o)
{
	memset(g, 0, sizeof(*g));
	g->prof = p;
	struct builder b = { .p = p, .o = o, .g = g };
	make_infos(&b);
	fold_samples(&b);
	if (o->call_tree) {
		build_call_tree(&b);
		return;
	}

	struct work w, w2;
	work_init(&w, g->n_infos);
	work_init(&w2, g->n_infos);
	g->nodes = xmalloc((g->n_infos + 1) * sizeof(*g->nodes));
	uint8_t *mask = xcalloc(g->n_infos + 1, 1);

	/* Trimming decisions need node weights only; edges are built by the last pass. */
	pass(&b, &w, &w2, NULL, PASS_NODES);
	select_nodes(&b, &w);
	int64_t total = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		total = add64(total, g->nodes[i].flat);
	int64_t node_cutoff = abs64(f2i((double)total * o->node_fraction));
	int64_t edge_cutoff = abs64(f2i((double)total * o->edge_fraction));

	/* pprof rebuilds its graph without the nodes under the cutoff. A kept node's flat and
	 * cum do not change by that (cum counts it once per stack whoever else is there; flat
	 * goes to the leaf only while the leaf is kept), so the rebuild only matters for edges,
	 * which the final pass makes with the same mask. */
	uint8_t *kept = NULL;
	if (node_cutoff > 0) {
		size_t n_kept = 0;
		for (size_t i = 0; i < g->n_nodes; i++)
			if (abs64(g->nodes[i].cum) >= node_cutoff)
				g->nodes[n_kept++] = g->nodes[i];
		if (n_kept != g->n_nodes) {
			g->dropped_nodes = g->n_nodes - n_kept;
			g->n_nodes = n_kept;
			mark_graph(g, mask);
			kept = mask;
		}
	}
	g->orig_count = g->n_nodes;
	if (o->visual) {
		/* The entropy order weighs each node's edges: this graph's, before trimming. */
		pass(&b, &w, &w2, kept, PASS_GRAPH);
		select_nodes(&b, &w);
		sort_entropy(&b, w.edges, w.n_edges);
	} else {
		sort_nodes(&b);
	}
	size_t n_top = o->node_count > 0 ? (size_t)o->node_count : 0;
	if (o->visual && n_top > 0 && p->n_labels > 0) {
		/* visual_top looks at n_top nodes at most, and a node's tags do not depend on
		 * which other nodes are kept (cum counts its samples, flat those it is the leaf
		 * of): the tags of those nodes are enough. */
		uint8_t *first = xcalloc(g->n_infos + 1, 1);
		for (size_t i = 0; i < n_top && i < g->n_nodes; i++)
			first[g->nodes[i].info] = 1;
		struct nodetags_source src = { .loc_off = b.loc_off, .loc_nodes = b.loc_nodes,
					       .kept = first, .n_infos = g->n_infos };
		struct node_tags *t = nodetags_build(p, o->sample_index, o->mean, &src,
						     node_cutoff, o->tag_unit);
		n_top = visual_top(g, t, n_top);
		nodetags_free(t);
		free(first);
	}
	bool top_rebuild = n_top > 0 && n_top < g->n_nodes;
	if (top_rebuild) {
		uint8_t *top = xcalloc(g->n_infos + 1, 1);
		for (size_t i = 0; i < n_top; i++)
			top[g->nodes[i].info] = 1;
		free(mask);
		mask = top;
		kept = mask;
	}
	/* The final pass, with edges. Its node weights equal the last pass's. */
	/* Edges only for the "(inline)" marks: then the first pass's weights are this pass's
	 * (see above), once the nodes this pass would leave out are. */
	bool edges_only = o->inline_edges_only && !o->visual;
	pass(&b, &w, &w2, kept, edges_only ? PASS_EDGES : PASS_GRAPH);
	if (edges_only && kept)
		for (size_t i = 0; i < g->n_infos; i++)
			if (!kept[i])
				memset(&w.nodes[i], 0, sizeof(w.nodes[i]));
	g->edges = w.edges;
	g->n_edges = w.n_edges;
	w.edges = NULL;
	select_nodes(&b, &w);
	if (o->visual)
		sort_entropy(&b, g->edges, g->n_edges);
	else
		sort_nodes(&b);
	mark_graph(g, mask);
	if (o->node_count > 0 && !top_rebuild) {
		/* pprof trims light edges before choosing the top nodes; when that choice keeps
		 * every node there is no rebuild, and those edges are not counted again. */
		trim_edges(g, mask, edge_cutoff);
	}
	g->dropped_edges = trim_edges(g, mask, edge_cutoff);
	if (o->visual)
		remove_redundant_edges(g);
	if (o->visual && p->n_labels > 0) {
		struct nodetags_source src = { .loc_off = b.loc_off, .loc_nodes = b.loc_nodes,
					       .kept = kept, .n_infos = g->n_infos };
		g->tags = nodetags_build(p, o->sample_index, o->mean, &src, node_cutoff,
					 o->tag_unit);
	}

	/* Incoming-edge kinds per node, for the "(inline)" markers. */
	mark_inline(g);

	free(mask);
	work_release(&w);
	work_release(&w2);
	builder_release(&b);
}

void graph_release(struct graph *g)
{
	for (size_t i = 0; i < g->n_infos; i++)
		free(g->names[i]);
	free(g->names);
	free(g->infos);
	free(g->nodes);
	free(g->edges);
	free(g->tree_parent);
	nodetags_free(g->tags);
	memset(g, 0, sizeof(*g));
}

void graph_locations_build(struct graph_locations *gl, const struct profile *p,
			   const struct graph_options *o)
{
	struct graph g;
	memset(&g, 0, sizeof(g));
	g.prof = p;
	struct builder b = { .p = p, .o = o, .g = &g };
	make_infos(&b);
	free(b.sprints);
	free(b.edge_dst);
	free(b.loc_one);
	gl->infos = g.infos;
	gl->names = g.names;
	gl->n_infos = g.n_infos;
	gl->loc_off = b.loc_off;
	gl->loc_nodes = b.loc_nodes;
}

void graph_locations_release(struct graph_locations *gl)
{
	for (size_t i = 0; i < gl->n_infos; i++)
		free(gl->names[i]);
	free(gl->names);
	free(gl->infos);
	free(gl->loc_off);
	free(gl->loc_nodes);
	memset(gl, 0, sizeof(*gl));
}

/* Whether sample s carries the string label key=value (ids; STRTAB_NONE never matches). */
static bool has_label(const struct profile *p, const struct sample *s, uint32_t key,
		      uint32_t value)
{
	for (uint32_t i = 0; i < s->n_labels; i++)
		if (p->labels[s->first_label + i].key == key &&
		    p->labels[s->first_label + i].str == value)
			return true;
	return false;
}

int graph_edge_order(const struct graph *g, const struct graph_edge *a,
		     const struct graph_edge *b)
{
	/* Weights that differ only in sign are neither before nor after each other, as in
	 * pprof (where the order of such edges then varies from run to run). */
	if (a->weight != b->weight) {
		int64_t aw = abs64(a->weight), bw = abs64(b->weight);
		if (aw != bw)
			return aw > bw ? -1 : 1;
	}
	int c = strcmp(g->names[a->src], g->names[b->src]);
	if (c)
		return c;
	return strcmp(g->names[a->dst], g->names[b->dst]);
}

int64_t graph_total(const struct profile *p, int sample_index, bool mean)
{
	int64_t total = 0, div = 0, diff_total = 0, diff_div = 0;
	/* A -diff_base profile: percentages are of the base's total (its samples' weight). */
	uint32_t base_key = strtab_find(&p->strs, "pprof::base", 11);
	uint32_t base_true = strtab_find(&p->strs, "true", 4);
	bool diff = base_key != STRTAB_NONE && base_true != STRTAB_NONE;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		int64_t w = abs64(v[sample_index]), d = mean ? v[0] : 0;
		total = add64(total, w);
		div = add64(div, d);
		if (diff && has_label(p, &p->samples[s], base_key, base_true)) {
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
