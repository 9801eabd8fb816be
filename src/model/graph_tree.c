/* Call trees (pprof's newTree and TrimTree): one node per calling context. A visual tree
 * (dot's) is trimmed by moving a dropped node's children up to its parent; callgrind's is
 * never trimmed, and is made in its final order at once. */
#include "model/graph_private.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "util/hashmap.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* A tree being grown (grow_tree). The walk down each stack looks a child up per frame, so
 * what it reads is kept small: per node, its most recently found child (first_kid, with
 * that child's frame in first_frame), its next sibling in its parent's list (most recently
 * found first) and its own frame, read together as the list is scanned; its child count
 * (a byte), frame and parent beside. A node with more than FEW_KIDS children has them in
 * ctx as well (roots always). The rest of the tree (infos, weights, edges) is made after
 * the walk. */
struct kid_links {
	uint32_t first_kid, first_frame, next, frame;
};

struct tree {
	struct kid_links *kids;
	uint8_t *n_kids; /* each node's child count, up to FEW_KIDS + 1 */
	uint32_t *parent_of, *frame_of;
	int64_t *flat, *flat_div; /* flat_div: only with_div */
	uint8_t *outer;           /* reached from a location's outermost line */
	bool with_div;            /* the samples have divisors (-mean) */
	size_t n, cap_k, cap_n, cap_p, cap_f, cap_w, cap_d, cap_o;
	struct hashmap ctx;   /* (parent + 1, frame) -> tree node */
	struct node_log *log; /* a helper's tree: its nodes as made, for the main thread */
};

/* The nodes a helper's walk makes, in the order it makes them: each one's parent (in the
 * helper's numbers) and frame, in blocks that never move, so that the main thread can
 * merge them into its own tree while the helper walks on (merge_logged). The count is made
 * visible every LOG_STEP nodes (a store the other core reads, so not each time), and at
 * the end, before done. */
enum { LOG_BLOCK = 4096, LOG_STEP = 256 };

struct log_block {
	struct log_block *next;
	uint32_t parent[LOG_BLOCK], frame[LOG_BLOCK];
};

struct node_log {
	struct log_block *first, *last;
	size_t n;            /* the helper's own count */
	_Atomic size_t seen; /* the count the main thread may read */
	atomic_bool done;    /* the walk is over: seen is n */
};

static void log_node(struct node_log *l, uint32_t parent, uint32_t frame)
{
	size_t k = l->n % LOG_BLOCK;
	if (k == 0) {
		struct log_block *bl = xmalloc(sizeof(*bl));
		bl->next = NULL;
		if (l->last)
			l->last->next = bl;
		else
			l->first = bl;
		l->last = bl;
	}
	l->last->parent[k] = parent;
	l->last->frame[k] = frame;
	if (++l->n % LOG_STEP == 0)
		atomic_store_explicit(&l->seen, l->n, memory_order_release);
}

static void log_release(struct node_log *l)
{
	for (struct log_block *bl = l->first, *next; bl; bl = next) {
		next = bl->next;
		free(bl);
	}
}

#define FEW_KIDS 8

static uint64_t ctx_key(uint32_t parent, uint32_t fi)
{
	return (uint64_t)(parent + 1) << 32 | fi; /* roots: parent + 1 = 0 */
}

/* The child of parent for frame fi, or HASHMAP_NONE; a child found down the list moves
 * to its front. */
static inline uint32_t find_kid(struct tree *t, uint32_t parent, uint32_t fi)
{
	if (parent == UINT32_MAX)
		return hashmap_get(&t->ctx, ctx_key(parent, fi));
	struct kid_links *pk = &t->kids[parent];
	if (pk->first_frame == fi)
		return pk->first_kid;
	if (t->n_kids[parent] > FEW_KIDS)
		return hashmap_get(&t->ctx, ctx_key(parent, fi));
	uint32_t prev = pk->first_kid;
	if (prev == UINT32_MAX)
		return HASHMAP_NONE;
	for (uint32_t k = t->kids[prev].next; k != UINT32_MAX; prev = k, k = t->kids[k].next)
		if (t->kids[k].frame == fi) {
			t->kids[prev].next = t->kids[k].next;
			t->kids[k].next = pk->first_kid;
			pk->first_kid = k;
			pk->first_frame = fi;
			return k;
		}
	return HASHMAP_NONE;
}

/* Records ni as a child of parent, at the front of its list. */
static void add_kid(struct tree *t, uint32_t parent, uint32_t ni)
{
	if (parent == UINT32_MAX) {
		hashmap_put(&t->ctx, ctx_key(parent, t->frame_of[ni]), ni);
		return;
	}
	struct kid_links *pk = &t->kids[parent];
	t->kids[ni].next = pk->first_kid;
	pk->first_kid = ni;
	pk->first_frame = t->frame_of[ni];
	uint8_t old = t->n_kids[parent];
	if (old <= FEW_KIDS)
		t->n_kids[parent] = old + 1;
	if (old == FEW_KIDS) {
		for (uint32_t k = pk->first_kid; k != UINT32_MAX; k = t->kids[k].next)
			hashmap_put(&t->ctx, ctx_key(parent, t->kids[k].frame), k);
	} else if (old > FEW_KIDS) {
		hashmap_put(&t->ctx, ctx_key(parent, t->frame_of[ni]), ni);
	}
}

/* Room for need nodes in every per-node array but the kids. */
static void tree_reserve(struct tree *t, size_t need)
{
	XGROW(t->parent_of, t->cap_p, need);
	XGROW(t->frame_of, t->cap_f, need);
	XGROW(t->flat, t->cap_w, need);
	XGROW(t->outer, t->cap_o, need);
	if (t->with_div)
		XGROW(t->flat_div, t->cap_d, need);
}

/* A new node of frame fi under parent, with no weight and no kid links (tree_reserve made
 * its room). */
static uint32_t tree_append(struct tree *t, uint32_t parent, uint32_t fi)
{
	uint32_t ni = (uint32_t)t->n++;
	t->parent_of[ni] = parent;
	t->frame_of[ni] = fi;
	t->flat[ni] = 0;
	t->outer[ni] = 0;
	if (t->with_div)
		t->flat_div[ni] = 0;
	return ni;
}

/* The tree node of frame fi under parent (UINT32_MAX: a root), made if new. */
static uint32_t tree_node(struct tree *t, uint32_t parent, uint32_t fi)
{
	uint32_t ni = find_kid(t, parent, fi);
	if (ni != HASHMAP_NONE)
		return ni;
	XGROW(t->kids, t->cap_k, t->n + 1);
	XGROW(t->n_kids, t->cap_n, t->n + 1);
	tree_reserve(t, t->n + 1);
	ni = tree_append(t, parent, fi);
	t->kids[ni] = (struct kid_links){ UINT32_MAX, UINT32_MAX, UINT32_MAX, fi };
	t->n_kids[ni] = 0;
	add_kid(t, parent, ni);
	if (t->log)
		log_node(t->log, parent, fi);
	return ni;
}

/* The nodes' cum (and cum_div), zeroed by the caller: a node's children's first (each as
 * it is reached, the last made first, since every child was made after its parent), then
 * its flat. The order matters where sums saturate. */
static void tree_cums(const struct tree *t, int64_t *cum, int64_t *cum_div)
{
	for (size_t i = t->n; i-- > 0;) {
		cum[i] = add64(cum[i], t->flat[i]);
		if (cum_div)
			cum_div[i] = add64(cum_div[i], t->flat_div[i]);
		uint32_t parent = t->parent_of[i];
		if (parent == UINT32_MAX)
			continue;
		cum[parent] = add64(cum[parent], cum[i]);
		if (cum_div)
			cum_div[parent] = add64(cum_div[parent], cum_div[i]);
	}
}

/* The nodes' weights, once every stack's weight is at its leaf (in flat), and the edges,
 * one into each node but the roots, in node order: an edge carries its node's cum, and is
 * inlined unless some stack reached the node from a location's outermost line. Returns
 * the weights, per node. */
static struct graph_node *tree_weights(struct tree *t, struct graph *g)
{
	size_t n = t->n, n_edges = 0;
	int64_t *cum = xcalloc(n + 1, sizeof(*cum));
	int64_t *cum_div = t->with_div ? xcalloc(n + 1, sizeof(*cum_div)) : NULL;
	tree_cums(t, cum, cum_div);
	struct graph_node *w = xmalloc((n + 1) * sizeof(*w));
	for (size_t i = 0; i < n; i++) {
		w[i] = (struct graph_node){ .info = (uint32_t)i,
					    .flat = t->flat[i],
					    .flat_div = t->with_div ? t->flat_div[i] : 0,
					    .cum = cum[i],
					    .cum_div = cum_div ? cum_div[i] : 0 };
		n_edges += t->parent_of[i] != UINT32_MAX;
	}
	free(cum);
	free(cum_div);
	g->edges = xmalloc((n_edges + 1) * sizeof(*g->edges));
	g->n_edges = 0;
	for (size_t i = 0; i < n; i++)
		if (t->parent_of[i] != UINT32_MAX)
			g->edges[g->n_edges++] = (struct graph_edge){ .src = t->parent_of[i],
								      .dst = (uint32_t)i,
								      .weight = w[i].cum,
								      .weight_div = w[i].cum_div,
								      .inlined = !t->outer[i] };
	return w;
}

struct key_rec {
	uint64_t key;
	uint32_t pos;
};

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)

/* A stable LSD radix sort of *recs by key, RADIX_BITS a pass, through *tmp (the two swap
 * as passes go). A digit that is the same in every key takes no pass. */
static void radix_sort(struct key_rec **recs, struct key_rec **tmp, size_t n, size_t at[RADIX + 1])
{
	uint64_t any = 0;
	for (size_t i = 0; i < n; i++)
		any |= (*recs)[i].key ^ (*recs)[0].key;
	for (unsigned shift = 0; shift < 64 && any >> shift; shift += RADIX_BITS) {
		if (!(any >> shift & (RADIX - 1)))
			continue;
		memset(at, 0, (RADIX + 1) * sizeof(*at));
		for (size_t i = 0; i < n; i++)
			at[((*recs)[i].key >> shift & (RADIX - 1)) + 1]++;
		for (size_t d = 0; d < RADIX; d++)
			at[d + 1] += at[d];
		for (size_t i = 0; i < n; i++)
			(*tmp)[at[(*recs)[i].key >> shift & (RADIX - 1)]++] = (*recs)[i];
		struct key_rec *t = *recs;
		*recs = *tmp;
		*tmp = t;
	}
}

/* A name to sort: its first 16 bytes as two big-endian numbers (zeros past its end), whose
 * order is the bytes' order wherever they differ, and a frame that has it. Names are read
 * at random from memory, and most differ within their first 16 bytes. */
struct name_key {
	uint64_t head[2];
	uint32_t frame;
};

static uint64_t big_endian_at(const char *s, size_t len, size_t at)
{
	uint64_t v = 0;
	for (size_t i = at; i < at + 8; i++)
		v = v << 8 | (i < len ? (uint8_t)s[i] : 0);
	return v;
}

static int cmp_frame_names(const void *a, const void *c, void *ctx)
{
	return graph_name_cmp(((const struct builder *)ctx)->g, *(const uint32_t *)a,
			      *(const uint32_t *)c);
}

/* Sorts the frames order[0 .. n] by name: radix-sorted by their names' first 16 bytes
 * (name_key), then each run of equal first bytes by the whole names. */
static void sort_by_name(struct builder *b, uint32_t *order, size_t n)
{
	const struct graph *g = b->g;
	struct name_key *keys = xmalloc((n + 1) * sizeof(*keys));
	struct key_rec *room = xmalloc(2 * (n + 1) * sizeof(*room)), *recs = room,
		       *tmp = room + n + 1;
	size_t *at = xmalloc((RADIX + 1) * sizeof(*at));
	for (size_t i = 0; i < n; i++) {
		const char *s = g->names[order[i]];
		size_t len = g->name_len[order[i]];
		keys[i] = (struct name_key){ { big_endian_at(s, len, 0), big_endian_at(s, len, 8) },
					     order[i] };
		recs[i] = (struct key_rec){ keys[i].head[1], (uint32_t)i };
	}
	radix_sort(&recs, &tmp, n, at);
	for (size_t i = 0; i < n; i++)
		recs[i].key = keys[recs[i].pos].head[0];
	radix_sort(&recs, &tmp, n, at);
	for (size_t i = 0; i < n; i++)
		order[i] = keys[recs[i].pos].frame;
	for (size_t i = 0, j; i < n; i = j) {
		const struct name_key *k = &keys[recs[i].pos];
		for (j = i + 1; j < n && keys[recs[j].pos].head[0] == k->head[0] &&
				keys[recs[j].pos].head[1] == k->head[1];
		     j++)
			;
		if (j - i > 1)
			sort_r(order + i, j - i, sizeof(*order), cmp_frame_names, b);
	}
	free(at);
	free(room);
	free(keys);
}

static int cmp_frame_sprints(const void *a, const void *c, void *ctx)
{
	return graph_sprint_cmp(ctx, *(const uint32_t *)a, *(const uint32_t *)c);
}

/* Per frame (g's infos before the tree replaces them), its rank by name into
 * b->name_rank and by sprint into b->sprint_rank (equal frames, equal ranks). Nodes
 * compare sprints only when their names are equal, so a sprint rank need only order the
 * frames of one name: it counts from 0 in each name, so that where every name is one
 * frame's (one per address or line of a function), as is usual, it takes no bits of the
 * sort's keys; a frame whose name no other frame has is never printed for a sprint. The
 * frames are sorted by name, then each run of one name by sprint. */
static void frame_ranks(struct builder *b)
{
	const struct graph *g = b->g;
	size_t n = g->n_infos;
	uint32_t *name_rank = xmalloc((n + 1) * sizeof(*name_rank));
	uint32_t *sprint_rank = xmalloc((n + 1) * sizeof(*sprint_rank));
	uint32_t *order = xmalloc((n + 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	sort_by_name(b, order, n);
	uint32_t nr = 0;
	for (size_t i = 0, j; i < n; i = j, nr++) {
		for (j = i + 1; j < n && graph_name_cmp(g, order[i], order[j]) == 0; j++)
			;
		if (j - i > 1)
			sort_r(order + i, j - i, sizeof(*order), cmp_frame_sprints, b);
		uint32_t sr = 0;
		for (size_t k = i; k < j; k++) {
			if (k > i && cmp_frame_sprints(&order[k - 1], &order[k], b) != 0)
				sr++;
			name_rank[order[k]] = nr;
			sprint_rank[order[k]] = sr;
		}
	}
	free(order);
	b->name_rank = name_rank;
	b->sprint_rank = sprint_rank;
}

static void *run_frame_ranks(void *b)
{
	frame_ranks(b);
	return NULL;
}

/* Per tree node i of frame frame[i], the frame's info, name and name length (g's infos
 * and names are still the frames'). */
static void node_infos(const struct graph *g, const uint32_t *frame, size_t n,
		       struct node_info *infos, char **names, uint32_t *lens)
{
	for (size_t i = 0; i < n; i++) {
		infos[i] = g->infos[frame[i]];
		names[i] = g->names[frame[i]];
		lens[i] = g->name_len[frame[i]];
	}
}

/* Replaces g's infos and names (the frames') by the n tree nodes', whose frames and
 * parents are frame and parent: the names of a frame's contexts are the frame's name, kept
 * once in g->frame_names; b's sprints stay the frames'. A numbered tree has no infos or
 * names of its own (all three NULL): its nodes' are their frames' (graph_info). */
static void tree_install(struct builder *b, size_t n, uint32_t *frame, uint32_t *parent,
			 struct node_info *infos, char **names, uint32_t *lens)
{
	struct graph *g = b->g;
	g->frame_names = g->names;
	g->frame_infos = g->infos;
	g->n_frames = g->n_infos;
	b->frame_len = g->name_len;
	b->sprint_infos = g->infos;
	b->sprint_of = frame;
	g->names = names;
	g->name_len = lens;
	g->infos = infos;
	g->n_infos = n;
	g->tree_parent = parent;
	g->tree_frame = frame;
}

/* One thread's share of newTree's walk: the live stacks begin .. end into its own tree
 * (kids kept for the merge), each stack's leaf into b->stack_leaf by that tree's numbers.
 * The helper's logs its nodes (log) for the main thread to merge as they come; asked to
 * rank the frames (rank), it makes their names first and ranks them after its walk. */
struct walk {
	struct builder *b;
	struct tree t;
	size_t begin, end;
	struct node_log log;
	bool rank;
};

static void *walk_stacks(void *arg)
{
	struct walk *w = arg;
	struct builder *b = w->b;
	const struct profile *p = b->p;
	struct tree *t = &w->t;
	struct stack_buf buf = { 0 };
	/* The previous stack, root first: its locations and the node each one ended at. A
	 * stack that starts with the same locations goes through the same nodes. */
	uint32_t *prev_locs = NULL, *prev_nodes = NULL;
	size_t prev_depth = 0, cap_locs = 0, cap_nodes = 0;
	for (size_t st = w->begin; st < w->end; st++) {
		if (!b->stack_live[st])
			continue;
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
				parent = tree_node(t, parent, b->loc_nodes[k]);
				if (k == hi - 1)
					t->outer[parent] = 1;
			}
			prev_locs[depth - 1 - i] = locs[i];
			prev_nodes[depth - 1 - i] = parent;
		}
		prev_depth = depth;
		if (parent != UINT32_MAX) {
			t->flat[parent] = add64(t->flat[parent], b->stack_w[st]);
			if (t->with_div)
				t->flat_div[parent] = add64(t->flat_div[parent], b->stack_dw[st]);
		}
		b->stack_leaf[st] = parent;
	}
	stack_buf_release(&buf);
	free(prev_locs);
	free(prev_nodes);
	return NULL;
}

static void tree_release(struct tree *t)
{
	hashmap_release(&t->ctx);
	free(t->kids);
	free(t->n_kids);
	free(t->parent_of);
	free(t->frame_of);
	free(t->flat);
	free(t->flat_div);
	free(t->outer);
}

/* Merging u, the walk of the stacks begin .. end that came after t's, into t, u's nodes
 * taken in the order they were made (from its log), each found or made in t: those t
 * lacked are then made in the order one walk over all the stacks would have made them
 * (each at the first of u's stacks that reaches it). Only t's own nodes are looked up: u's
 * nodes map one to one onto t's, and the children of one of u's nodes have distinct
 * frames, so no node made here is asked for again, nor any child of one. They are
 * appended without links (t's kids are done with after the merge). */
struct merge {
	struct tree *t;
	size_t old;             /* t's own nodes */
	uint32_t *to;           /* per node of u merged: its node in t */
	size_t n, cap;          /* u's nodes merged */
	struct log_block *next; /* the block of u's node n */
};

enum { MERGE_AHEAD = 8 };

/* Merges u's logged nodes up to upto (the log holds that many). */
static void merge_logged(struct merge *m, const struct node_log *log, size_t upto)
{
	struct tree *t = m->t;
	XGROW(m->to, m->cap, upto + 1);
	for (; m->n < upto; m->n++) {
		size_t k = m->n % LOG_BLOCK;
		if (k == 0)
			m->next = m->n ? m->next->next : log->first;
		const struct log_block *bl = m->next;
		/* The parent's links a few nodes on, when the parent is mapped already and one of
		 * t's own (the lookups are at random over t). */
		if (k + MERGE_AHEAD < LOG_BLOCK && m->n + MERGE_AHEAD < upto) {
			uint32_t ahead = bl->parent[k + MERGE_AHEAD];
			if (ahead < m->n && m->to[ahead] < m->old)
				__builtin_prefetch(&t->kids[m->to[ahead]]);
		}
		uint32_t pa = bl->parent[k], fi = bl->frame[k];
		uint32_t parent = pa == UINT32_MAX ? UINT32_MAX : m->to[pa];
		uint32_t node = parent == UINT32_MAX || parent < m->old ? find_kid(t, parent, fi)
									: HASHMAP_NONE;
		if (node == HASHMAP_NONE) {
			tree_reserve(t, t->n + 1);
			node = tree_append(t, parent, fi);
		}
		m->to[m->n] = node;
	}
}

/* Once u's walk is over and all its nodes merged: their weights and marks added to their
 * nodes' in t (in u's order, as one walk would have added them), u's stacks' leaves
 * renumbered; u is released. */
static void merge_weights(struct builder *b, struct merge *m, struct tree *u, size_t begin,
			  size_t end)
{
	struct tree *t = m->t;
	for (size_t j = 0; j < u->n; j++) {
		uint32_t node = m->to[j];
		t->outer[node] |= u->outer[j];
		t->flat[node] = add64(t->flat[node], u->flat[j]);
		if (t->with_div)
			t->flat_div[node] = add64(t->flat_div[node], u->flat_div[j]);
	}
	for (size_t st = begin; st < end; st++)
		if (b->stack_leaf[st] != UINT32_MAX)
			b->stack_leaf[st] = m->to[b->stack_leaf[st]];
	free(m->to);
	log_release(u->log);
	tree_release(u);
}

/* A helper thread and what it is doing. */
struct helper {
	pthread_t thread;
	bool running;
};

static void helper_start(struct helper *h, void *(*fn)(void *), void *arg)
{
	h->running = pthread_create(&h->thread, NULL, fn, arg) == 0;
	if (!h->running)
		fn(arg);
}

static void helper_wait(struct helper *h)
{
	if (h->running)
		pthread_join(h->thread, NULL);
	h->running = false;
}

/* The percentage of the stack bytes the main thread walks when the helper also makes the
 * frames' names before its walk and ranks them after it, while the main thread merges the
 * helper's last nodes. On the bench's typecheck-long the names take about 2 ms and the
 * ranks 1.5 of the walk's 20 (the helper's half walked slower than the main thread's by a
 * tenth or more on the 2-core VM of the measures). There, against an even split with the
 * names made by the main thread, a share of 62 took 1.9 and 0.4 ms less (medians of 31
 * runs in turn, twice), one of 54 took 1 ms more. */
enum { RANKER_SHARE = 62 };

static void *walk_and_rank(void *arg)
{
	struct walk *w = arg;
	if (w->rank)
		graph_make_names(w->b);
	walk_stacks(w);
	atomic_store_explicit(&w->log.seen, w->log.n, memory_order_release);
	atomic_store_explicit(&w->log.done, true, memory_order_release);
	if (w->rank)
		frame_ranks(w->b);
	return NULL;
}

/* pprof's newTree: every frame gets a node of its own under its caller's node, so a
 * function reached through different paths is as many nodes. Walks every live stack into
 * *t (its kids freed), each stack's leaf node into b->stack_leaf, the later half of the
 * stacks in a helper thread (walking w2, the caller's, which lasts until the helper is
 * waited for) whose nodes the main thread merges as they are made. With a ranker (for a
 * tree whose nodes are sorted by frame ranks), the frames' names (graph_make_names) are
 * made by the main thread and their ranks by the helper once its walk is over: the
 * caller waits for them on the ranker. */
static void grow_tree(struct builder *b, struct tree *t, struct walk *w2, struct helper *ranker)
{
	const struct profile *p = b->p;
	bool with_div = b->stack_dw != NULL;
	b->stack_leaf = xmalloc((p->n_stacks + 1) * sizeof(*b->stack_leaf));
	memset(b->stack_leaf, 0xff, (p->n_stacks + 1) * sizeof(*b->stack_leaf));
	struct walk w1 = { .b = b, .t = { .with_div = with_div }, .end = p->n_stacks };
	*w2 = (struct walk){ .b = b, .t = { .with_div = with_div }, .rank = ranker != NULL };
	hashmap_init(&w1.t.ctx, 1024);
	/* The stacks of the later half of the stack bytes (stacks are stored in order) go to
	 * the helper. Any tree is split, however small (the thread's tens of microseconds are
	 * nothing beside the program's start), so that every call-tree test goes this way. */
	size_t half = ranker ? p->n_stack_bytes * RANKER_SHARE / 100 : p->n_stack_bytes / 2,
	       mid = 0;
	while (mid < p->n_stacks && p->stacks[mid].off < half)
		mid++;
	struct helper walker = { 0 };
	if (mid > 0 && mid < p->n_stacks) {
		w1.end = w2->begin = mid;
		w2->end = p->n_stacks;
		w2->t.log = &w2->log;
		hashmap_init(&w2->t.ctx, 1024);
		walker.running = pthread_create(&walker.thread, NULL, walk_and_rank, w2) == 0;
		if (!walker.running) {
			hashmap_release(&w2->t.ctx);
			w1.end = p->n_stacks;
		}
	}
	walk_stacks(&w1);
	*t = w1.t;
	if (walker.running) {
		/* The helper's nodes, merged as they come; its count is read again after done
		 * is seen, so that the last of them are not missed. */
		struct merge m = { .t = t, .old = t->n };
		for (;;) {
			bool done = atomic_load_explicit(&w2->log.done, memory_order_acquire);
			size_t seen = atomic_load_explicit(&w2->log.seen, memory_order_acquire);
			merge_logged(&m, &w2->log, seen);
			if (done)
				break;
			if (m.n == seen)
				sched_yield();
		}
		merge_weights(b, &m, &w2->t, w2->begin, w2->end);
		if (ranker)
			*ranker = walker;
		else
			helper_wait(&walker);
	} else if (ranker) {
		graph_make_names(b);
		helper_start(ranker, run_frame_ranks, b);
	}
	hashmap_release(&t->ctx);
	free(t->kids);
	free(t->n_kids);
	t->n_kids = NULL;
	t->kids = NULL;
}

/* A visual tree as graph nodes (returned, per new info) and edges, in the order the nodes
 * were made; g's infos and names replaced by the nodes'. */
static struct graph_node *build_visual_tree(struct builder *b)
{
	struct tree t;
	struct walk w2;
	grow_tree(b, &t, &w2, NULL);
	struct graph_node *w = tree_weights(&t, b->g);
	free(t.flat);
	free(t.flat_div);
	free(t.outer);
	size_t n = t.n;
	struct node_info *infos = xmalloc((n + 1) * sizeof(*infos));
	char **names = xmalloc((n + 1) * sizeof(*names));
	uint32_t *lens = xmalloc((n + 1) * sizeof(*lens));
	node_infos(b->g, t.frame_of, n, infos, names, lens);
	tree_install(b, n, t.frame_of, t.parent_of, infos, names, lens);
	return w;
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
 * stable). A weight w is compared as ~(w + 2^63), whose unsigned order is w's descending
 * one. */
enum { KEY_FIRST, KEY_NAME, KEY_SECOND, KEY_SPRINT, N_KEYS };

static uint64_t desc_key(int64_t v)
{
	return ~((uint64_t)v ^ (UINT64_C(1) << 63));
}

/* The nodes to sort: node k's weights are flat[at[k]] and cum[at[k]], its frame
 * frame[at[k]]. */
struct sort_input {
	const int64_t *flat, *cum;
	const uint32_t *frame, *at;
	size_t n;
};

/* Node k's fields, in v. */
static inline void tree_fields(const struct builder *b, const struct sort_input *in, size_t k,
			       uint64_t v[N_KEYS])
{
	size_t i = in->at[k];
	uint64_t flat = desc_key(abs64(in->flat[i])), cum = desc_key(abs64(in->cum[i]));
	uint32_t frame = in->frame[i];
	v[KEY_FIRST] = b->o->cum_sort ? cum : flat;
	v[KEY_NAME] = b->name_rank[frame];
	v[KEY_SECOND] = b->o->cum_sort ? flat : cum;
	v[KEY_SPRINT] = b->sprint_rank[frame];
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* How the fields pack into 64-bit words: a field's value v is kept as (v - lo) / div, in
 * bits bits at shift of word. Sample values are mostly multiples of a period (div), and
 * ranks are few, so the four fields usually fit in one word. Every v - lo is a multiple of
 * div = odd << tz, so the division is exact: ((v - lo) >> tz) times inv, odd's inverse
 * modulo 2^64. */
struct key_plan {
	uint64_t lo[N_KEYS], div[N_KEYS], inv[N_KEYS];
	unsigned tz[N_KEYS], shift[N_KEYS], word[N_KEYS], n_words;
};

static uint64_t distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* The inverse of odd modulo 2^64 (Newton's iteration: each step doubles the bits that are
 * right, from the 3 that odd itself has). */
static uint64_t inverse64(uint64_t odd)
{
	uint64_t inv = odd;
	for (int i = 0; i < 5; i++)
		inv *= 2 - odd * inv;
	return inv;
}

static void plan_keys(const struct builder *b, const struct sort_input *in, struct key_plan *kp)
{
	uint64_t hi[N_KEYS] = { 0 }, v[N_KEYS], first[N_KEYS] = { 0 };
	for (int f = 0; f < N_KEYS; f++) {
		kp->lo[f] = UINT64_MAX;
		kp->div[f] = 1;
	}
	/* The weights' common divisor is that of their differences from the first node's
	 * (ranks are few and small: theirs stays 1). */
	uint64_t d1 = 0, d2 = 0;
	for (size_t i = 0; i < in->n; i++) {
		tree_fields(b, in, i, v);
		if (i == 0)
			memcpy(first, v, sizeof(first));
		for (int f = 0; f < N_KEYS; f++) {
			kp->lo[f] = v[f] < kp->lo[f] ? v[f] : kp->lo[f];
			hi[f] = v[f] > hi[f] ? v[f] : hi[f];
		}
		/* Almost every difference is a multiple of the divisor so far: the remainder
		 * then only decides a branch, and the divisions do not wait on each other. */
		uint64_t x1 = distance(v[KEY_FIRST], first[KEY_FIRST]);
		uint64_t x2 = distance(v[KEY_SECOND], first[KEY_SECOND]);
		if (d1 == 0 || x1 % d1 != 0)
			d1 = gcd64(x1, d1);
		if (d2 == 0 || x2 % d2 != 0)
			d2 = gcd64(x2, d2);
	}
	kp->div[KEY_FIRST] = d1 ? d1 : 1;
	kp->div[KEY_SECOND] = d2 ? d2 : 1;
	for (int f = 0; f < N_KEYS; f++) {
		kp->tz[f] = (unsigned)__builtin_ctzll(kp->div[f]);
		kp->inv[f] = inverse64(kp->div[f] >> kp->tz[f]);
	}
	unsigned word = 0, used = 0;
	for (int f = N_KEYS; f-- > 0;) { /* the least significant field first */
		uint64_t span = in->n ? (hi[f] - kp->lo[f]) / kp->div[f] : 0;
		unsigned bits = span ? 64 - (unsigned)__builtin_clzll(span) : 0;
		if (used + bits > 64) {
			word++;
			used = 0;
		}
		kp->word[f] = word;
		kp->shift[f] = used;
		used += bits;
	}
	kp->n_words = word + 1;
}

/* Node i's key, in words k[0 .. kp->n_words). */
static void key_words(const struct builder *b, const struct key_plan *kp,
		      const struct sort_input *in, size_t i, uint64_t k[N_KEYS])
{
	uint64_t v[N_KEYS];
	tree_fields(b, in, i, v);
	for (unsigned w = 0; w < kp->n_words; w++)
		k[w] = 0;
	for (int f = 0; f < N_KEYS; f++) {
		uint64_t x = ((v[f] - kp->lo[f]) >> kp->tz[f]) * kp->inv[f];
		if (x)
			k[kp->word[f]] |= x << kp->shift[f];
	}
}

/* graph_sort_nodes for a tree, whose many nodes share few frames: names and sprints are
 * compared once per frame, by rank, and the nodes radix-sorted by their packed keys, the
 * least significant word first. Returns the nodes' places 0 .. in->n in sorted order. The
 * records sorted live in scratch, room for 2 * (in->n + 1) of them that the caller has
 * no use for yet (so that the sort adds nothing to the peak of memory). */
static uint32_t *tree_order(struct builder *b, const struct sort_input *in, void *scratch)
{
	size_t n = in->n;
	struct key_plan kp;
	plan_keys(b, in, &kp);
	struct key_rec *recs = scratch, *tmp = recs + n + 1;
	size_t *at = xmalloc((RADIX + 1) * sizeof(*at));
	/* The words after the first, kept by node (read back once per word, in sorted order). */
	size_t n_upper = kp.n_words - 1;
	uint64_t *upper = xmalloc((n * n_upper + 1) * sizeof(*upper));
	for (size_t i = 0; i < n; i++) {
		uint64_t k[N_KEYS];
		key_words(b, &kp, in, i, k);
		recs[i] = (struct key_rec){ k[0], (uint32_t)i };
		for (size_t w = 0; w < n_upper; w++)
			upper[i * n_upper + w] = k[w + 1];
	}
	radix_sort(&recs, &tmp, n, at);
	for (size_t w = 0; w < n_upper; w++) {
		for (size_t i = 0; i < n; i++)
			recs[i].key = upper[(size_t)recs[i].pos * n_upper + w];
		radix_sort(&recs, &tmp, n, at);
	}
	free(upper);
	free(at);
	uint32_t *order = xmalloc((n + 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = recs[i].pos;
	return order;
}

/* A tree that is not visual, in its final order: the selected nodes (sel, in the order they
 * were made) sorted (order), every node renumbered (to: the selected in sorted order, then
 * the others as made). A helper thread makes the edges while the graph's nodes, the
 * frames and the parents are made: the two take about as long. */
struct numbered_tree {
	const struct tree *t;
	const int64_t *cum, *cum_div;
	const uint32_t *sel, *order, *to;
	size_t n_sel;
	struct graph_node *nodes;
	struct graph_edge *edges;
	size_t n_edges;
};

/* How far ahead of the node being numbered its weights are fetched: the nodes, read in
 * sorted order, lie scattered over the tree's arrays. */
enum { GATHER_AHEAD = 16 };

/* The graph's nodes. */
static void number_nodes(struct numbered_tree *nt)
{
	const struct tree *t = nt->t;
	for (size_t j = 0; j < nt->n_sel; j++) {
		if (j + GATHER_AHEAD < nt->n_sel) {
			uint32_t k = nt->sel[nt->order[j + GATHER_AHEAD]];
			__builtin_prefetch(&t->parent_of[k]);
			__builtin_prefetch(&t->outer[k]);
			__builtin_prefetch(&t->flat[k]);
			__builtin_prefetch(&nt->cum[k]);
		}
		uint32_t i = nt->sel[nt->order[j]];
		bool has_caller = t->parent_of[i] != UINT32_MAX;
		nt->nodes[j] = (struct graph_node){ .info = (uint32_t)j,
						    .in_inline = has_caller && !t->outer[i],
						    .in_direct = has_caller && t->outer[i],
						    .flat = t->flat[i],
						    .flat_div = t->with_div ? t->flat_div[i] : 0,
						    .cum = nt->cum[i],
						    .cum_div = nt->cum_div ? nt->cum_div[i] : 0 };
	}
}

/* One edge into each node but the roots, grouped by caller (a counting sort, each group
 * in the order its callees were made), so that reports walking the nodes' edges read them
 * in order. */
static void *number_edges(void *arg)
{
	struct numbered_tree *nt = arg;
	const struct tree *t = nt->t;
	size_t n = t->n;
	uint32_t *at = xcalloc(n + 1, sizeof(*at));
	uint32_t *src_of = xmalloc((n + 1) * sizeof(*src_of)); /* per node: its caller's number */
	size_t n_edges = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + GATHER_AHEAD < n && t->parent_of[i + GATHER_AHEAD] != UINT32_MAX)
			__builtin_prefetch(&nt->to[t->parent_of[i + GATHER_AHEAD]]);
		uint32_t pa = t->parent_of[i];
		src_of[i] = pa == UINT32_MAX ? UINT32_MAX : nt->to[pa];
		if (pa != UINT32_MAX) {
			at[src_of[i] + 1]++;
			n_edges++;
		}
	}
	for (size_t k = 1; k < n; k++)
		at[k] += at[k - 1];
	struct graph_edge *edges = nt->edges; /* room for n */
	for (size_t i = 0; i < n; i++) {
		if (i + GATHER_AHEAD < n && src_of[i + GATHER_AHEAD] != UINT32_MAX)
			__builtin_prefetch(&edges[at[src_of[i + GATHER_AHEAD]]], 1);
		uint32_t src = src_of[i];
		if (src == UINT32_MAX)
			continue;
		edges[at[src]++] =
			(struct graph_edge){ .src = src,
					     .dst = nt->to[i],
					     .weight = nt->cum[i],
					     .weight_div = nt->cum_div ? nt->cum_div[i] : 0,
					     .inlined = !t->outer[i] };
	}
	free(at);
	free(src_of);
	nt->n_edges = n_edges;
	return NULL;
}

/* The arrays a numbered tree ends with, made once its node count is known. */
struct tree_arrays {
	struct graph_node *nodes;
	struct graph_edge *edges;
	uint32_t *frame, *parent;
	size_t n;
};

/* Backs the arrays with memory (xprefault) while the tree is sorted: what the last
 * steps write then takes no page faults. */
static void *prefault_arrays(void *arg)
{
	struct tree_arrays *a = arg;
	xprefault(a->nodes, a->n * sizeof(*a->nodes)); /* first: the sort's records' room */
	xprefault(a->edges, a->n * sizeof(*a->edges));
	xprefault(a->frame, a->n * sizeof(*a->frame));
	xprefault(a->parent, a->n * sizeof(*a->parent));
	return NULL;
}

/* A tree that is not visual (callgrind's), never trimmed (pprof's callgrind sets every
 * cutoff and node count to 0), is made in its final order at once: the nodes that
 * graph_select_nodes keeps, in pprof's order (graph_sort_nodes's), numbered first, the
 * others after them as made, so that reports walking the nodes read the per-node arrays
 * in order (a tree has as many infos as calling contexts, far too many to be read at random
 * from the cache). */
static void build_numbered_tree(struct builder *b)
{
	struct graph *g = b->g;
	struct tree t;
	struct walk w2;
	struct helper helper;
	grow_tree(b, &t, &w2, &helper);
	helper_wait(&helper); /* the frames' ranks */
	size_t n = t.n;
	struct tree_arrays a = { .nodes = xmalloc((n + 1) * sizeof(*a.nodes)),
				 .edges = xmalloc((n + 1) * sizeof(*a.edges)),
				 .frame = xmalloc((n + 1) * sizeof(*a.frame)),
				 .parent = xmalloc((n + 1) * sizeof(*a.parent)),
				 .n = n };
	helper_start(&helper, prefault_arrays, &a);
	int64_t *cum = xcalloc(n + 1, sizeof(*cum));
	int64_t *cum_div = t.with_div ? xcalloc(n + 1, sizeof(*cum_div)) : NULL;
	tree_cums(&t, cum, cum_div);
	/* graph_select_nodes's choice. */
	uint32_t *sel = xmalloc((n + 1) * sizeof(*sel));
	size_t n_sel = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t flat = t.flat[i], c = cum[i];
		if ((c == 0 && flat == 0) ||
		    (b->o->drop_negative && (flat < 0 || (flat == 0 && c < 0))))
			continue;
		sel[n_sel++] = (uint32_t)i;
	}
	struct sort_input in = {
		.flat = t.flat, .cum = cum, .frame = t.frame_of, .at = sel, .n = n_sel
	};
	/* The nodes are made after the sort: until then their room holds its records. */
	_Static_assert(sizeof(struct graph_node) >= 2 * sizeof(struct key_rec), "sort's room");
	uint32_t *order = tree_order(b, &in, a.nodes);
	uint32_t *to = xmalloc((n + 1) * sizeof(*to));
	memset(to, 0xff, (n + 1) * sizeof(*to));
	for (size_t j = 0; j < n_sel; j++)
		to[sel[order[j]]] = (uint32_t)j;
	uint32_t next = (uint32_t)n_sel;
	for (size_t i = 0; i < n; i++)
		if (to[i] == UINT32_MAX)
			to[i] = next++;
	struct numbered_tree nt = { .t = &t,
				    .cum = cum,
				    .cum_div = cum_div,
				    .sel = sel,
				    .order = order,
				    .to = to,
				    .n_sel = n_sel,
				    .nodes = a.nodes,
				    .edges = a.edges };
	helper_wait(&helper); /* the arrays backed */
	helper_start(&helper, number_edges, &nt);
	number_nodes(&nt);
	uint32_t *frame = a.frame, *parent = a.parent;
	for (size_t i = 0; i < n; i++) {
		if (i + GATHER_AHEAD < n) {
			__builtin_prefetch(&frame[to[i + GATHER_AHEAD]], 1);
			__builtin_prefetch(&parent[to[i + GATHER_AHEAD]], 1);
		}
		uint32_t pa = t.parent_of[i];
		frame[to[i]] = t.frame_of[i];
		parent[to[i]] = pa == UINT32_MAX ? UINT32_MAX : to[pa];
	}
	for (size_t st = 0; st < b->p->n_stacks; st++)
		if (b->stack_leaf[st] != UINT32_MAX)
			b->stack_leaf[st] = to[b->stack_leaf[st]];
	helper_wait(&helper);
	free(to);
	free(order);
	free(sel);
	free(cum);
	free(cum_div);
	tree_release(&t);
	tree_install(b, n, frame, parent, NULL, NULL, NULL);
	g->frame_rank = b->name_rank; /* the graph's now */
	b->name_rank = NULL;
	g->nodes = nt.nodes;
	g->n_nodes = g->orig_count = n_sel;
	g->edges = nt.edges;
	g->n_edges = nt.n_edges;
	g->tree_numbered = true;
}

void graph_build_call_tree(struct builder *b)
{
	struct graph *g = b->g;
	const struct graph_options *o = b->o;
	if (!o->visual) {
		build_numbered_tree(b);
		return;
	}
	struct work w;
	memset(&w, 0, sizeof(w));
	w.nodes = build_visual_tree(b);
	g->nodes = w.nodes; /* selected in place */
	graph_select_nodes(b, &w);

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
	graph_sort_entropy(b, g->edges, g->n_edges);
	/* A tree's tags are its nodes' from the start: trimming moves no weight. */
	if (b->p->n_labels > 0) {
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
			graph_sort_entropy(b, g->edges, g->n_edges);
		}
	}
	graph_mark_nodes(g, keep);
	g->dropped_edges = graph_trim_edges(g, keep, edge_cutoff);
	graph_remove_redundant_edges(g);
	graph_mark_inline(g);
	free(keep);
}
