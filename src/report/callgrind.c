/* callgrind: the address-level graph in the format of valgrind's callgrind tool, for
 * KCachegrind and callgrind_annotate, as pprof's printCallgrind writes it (name
 * compression, relative addresses, names disambiguated with " [i/n]"). */
#include <assert.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/digits.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

/* callgrind's name compression: "(N) name" the first time, "(N)" after. Names are byte
 * strings kept end to end in bytes: entry i is bytes.buf[off[i] .. off[i + 1]), and
 * numbered id[i]; last_id is the last number given (numbers may also be given outside the
 * table, see struct disambiguation). */
struct names {
	struct hashmap map;
	struct strbuf bytes;
	size_t *off, *id;
	size_t n, cap, cap_id, last_id;
	uint32_t *of_str; /* per profile string id: its name's index, once looked up */
};

static void names_init(struct names *ns, size_t expect, size_t n_strs)
{
	memset(ns, 0, sizeof(*ns));
	hashmap_init(&ns->map, expect);
	XGROW(ns->off, ns->cap, 1);
	ns->off[0] = 0;
	ns->of_str = xmalloc((n_strs + 1) * sizeof(*ns->of_str));
	memset(ns->of_str, 0xff, (n_strs + 1) * sizeof(*ns->of_str));
}

/* "(id)" for a name printed before, written at p; returns the end. */
static char *put_id(char *p, size_t id)
{
	*p++ = '(';
	p = digits_put_u64(p, id);
	*p++ = ')';
	return p;
}

/* "(id)" for a name printed before; "(id) " before the name the first time. */
static void add_id(struct sink *out, size_t id, bool first)
{
	char *p = put_id(sink_room(out, 24), id);
	if (first)
		*p++ = ' ';
	sink_wrote(out, p);
}

/* The index of name in ns; a new one (*fresh) gets the next id. */
static uint32_t name_index(struct names *ns, const char *name, size_t len, bool *fresh)
{
	uint64_t h = hash_bytes(name, len, 0);
	for (;;) {
		uint32_t ix = hashmap_get(&ns->map, h);
		if (ix == HASHMAP_NONE)
			break;
		if (ns->off[ix + 1] - ns->off[ix] == len &&
		    memcmp(ns->bytes.buf + ns->off[ix], name, len) == 0) {
			*fresh = false;
			return ix;
		}
		h = hash_u64(h + 1);
	}
	strbuf_add(&ns->bytes, name, len);
	XGROW(ns->off, ns->cap, ns->n + 2);
	XGROW(ns->id, ns->cap_id, ns->n + 1);
	ns->off[ns->n + 1] = ns->bytes.len;
	ns->id[ns->n] = ++ns->last_id;
	hashmap_put(&ns->map, h, (uint32_t)ns->n);
	*fresh = true;
	return (uint32_t)ns->n++;
}

static void names_release(struct names *ns)
{
	strbuf_release(&ns->bytes);
	free(ns->off);
	free(ns->id);
	hashmap_release(&ns->map);
	free(ns->of_str);
}

/* "0x" and v's digits in base 16, written at p; returns the end. */
static char *put_hex(char *p, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	int bits = v ? 64 - __builtin_clzll(v) : 1;
	char *end = p + 2 + (bits + 3) / 4, *q = end;
	do {
		*--q = hex[v & 15];
		v >>= 4;
	} while (v);
	p[0] = '0';
	p[1] = 'x';
	return end;
}

/* pprof's callgrindAddress, written at p (room for 24 bytes): "*" for the previous
 * address, a signed offset from it when shorter than the address; returns the end. */
static inline char *put_address(char *p, const struct node_info *prev, uint64_t cur)
{
	if (!prev)
		return put_hex(p, cur);
	if (prev->address == cur) {
		*p++ = '*';
		return p;
	}
	int64_t d = (int64_t)(cur - prev->address);
	uint64_t mag = d < 0 ? -(uint64_t)d : (uint64_t)d;
	int bits = cur ? 64 - __builtin_clzll(cur) : 1;
	if (1 + digits_count(mag) >= (unsigned)(2 + (bits + 3) / 4))
		return put_hex(p, cur);
	*p++ = d < 0 ? '-' : '+';
	return digits_put_u64(p, mag);
}

/* v in decimal at p; returns the end. */
static inline char *put_int(char *p, int64_t v)
{
	if (v < 0)
		*p++ = '-';
	return digits_put_u64(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

/* Whether infos a and b stand for the same function, as pprof's Node.Function: the same
 * info but for address and line (in a call tree, also the same calling context: see
 * tree_firsts). */
static bool same_function(const struct node_info *infos, uint32_t a, uint32_t b)
{
	const struct node_info *x = &infos[a], *y = &infos[b];
	return x->name == y->name && x->orig_name == y->orig_name && x->file == y->file &&
	       x->objfile == y->objfile && x->start_line == y->start_line;
}

/* The first of the nodes up to node i (in node order) that stands for the same function
 * as node i, in the same (file, name) group, recorded in fns (hash of the function ->
 * that first node); i itself when it is the first. Not for call trees (tree_firsts). */
static uint32_t first_node(const struct graph *g, const uint32_t *info_of, struct hashmap *fns,
			   const uint32_t *group_of, uint32_t i)
{
	uint32_t info = info_of[i];
	const struct node_info *ni = &g->infos[info];
	uint64_t h = hash_u64((uint64_t)group_of[i] << 32 | ni->orig_name);
	h = hash_u64(h ^ ((uint64_t)ni->objfile << 32 | (uint32_t)ni->start_line));
	h = hash_u64(h ^ (uint64_t)ni->start_line >> 32);
	for (;;) {
		uint32_t k = hashmap_put(fns, h, i);
		if (k == HASHMAP_NONE)
			return i;
		if (group_of[k] == group_of[i] && same_function(g->infos, info_of[k], info))
			return k;
		h = hash_u64(h + 1);
	}
}

/* pprof's getDisambiguatedNames, as numbers: per info of a node, its function's number
 * within its (file, name) group (from 1) in fn_no and the group's count of functions in
 * fn_count (the name takes " [fn_no/fn_count]" when that is over 1); 0 for other infos.
 *
 * A call tree has about as many such names as nodes, so they are not kept as strings:
 * "N [i/n]" names one string whatever the group (the suffix reads back one way), so groups
 * of one name and one count share a row of n_slots ids: slot[info] is the name's place
 * (see struct writer's name_id). That holds while no plain name (the profile's
 * function names) spells such a name, i.e. none ends in " [digits/digits]"; else slot is
 * NULL and every name goes through the table of strings. */
struct disambiguation {
	uint32_t *fn_no, *fn_count;
	uint32_t *slot;
	size_t n_slots;
};

/* Whether the n bytes at s end in " [digits/digits]", as a suffixed name does. */
static bool looks_suffixed(const char *s, size_t n)
{
	if (n == 0 || s[--n] != ']')
		return false;
	for (int part = 0; part < 2; part++) {
		size_t digits = 0;
		while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9') {
			n--;
			digits++;
		}
		if (digits == 0 || n == 0 || s[--n] != (part == 0 ? '/' : '['))
			return false;
	}
	return n > 0 && s[n - 1] == ' ';
}

/* Whether some node's function name might equal a suffixed name: of a call tree, whose
 * many nodes are contexts of its few frames, the frames' names are looked at. */
static bool names_look_suffixed(const struct graph *g, const uint32_t *info_of)
{
	const struct profile *p = g->prof;
	const struct node_info *infos = g->tree_frame ? g->frame_infos : g->infos;
	size_t n = g->tree_frame ? g->n_frames : g->n_nodes;
	for (size_t i = 0; i < n; i++) {
		uint32_t name = infos[g->tree_frame ? i : info_of[i]].name;
		if (looks_suffixed(profile_str(p, name), profile_str_len(p, name)))
			return true;
	}
	return false;
}

/* The nodes grouped by (file, name), and each node's function's number in its group
 * (from 0, in order of the functions' first nodes): disambiguate's work, with which the
 * suffixed names get their slots (name_slots). */
struct grouping {
	uint32_t *group_of, *funcs; /* per node */
	uint32_t *name, *n_funcs;   /* per group: its name (a string id), its functions */
	size_t n_groups;
};

static void grouping_release(struct grouping *gr)
{
	free(gr->group_of);
	free(gr->funcs);
	free(gr->name);
	free(gr->n_funcs);
}

/* The slots of the suffixed names (see struct disambiguation): per node i (of info
 * info_of[i]), its function's place in its group's (name, count) row. */
static void name_slots(const struct graph *g, const uint32_t *info_of, struct disambiguation *d,
		       const struct grouping *gr)
{
	if (names_look_suffixed(g, info_of))
		return;
	uint32_t *row = xmalloc((gr->n_groups + 1) * sizeof(*row)); /* per group: its row start */
	struct hashmap rows;
	hashmap_init(&rows, gr->n_groups + 16);
	size_t n_slots = 0;
	for (size_t gi = 0; gi < gr->n_groups; gi++) {
		uint32_t count = gr->n_funcs[gi], name = gr->name[gi];
		if (count < 2)
			continue;
		uint64_t h = hash_u64((uint64_t)name << 32 | count);
		for (;;) {
			uint32_t other = hashmap_put(&rows, h, (uint32_t)gi);
			if (other == HASHMAP_NONE) {
				row[gi] = (uint32_t)n_slots;
				n_slots += count;
				break;
			}
			if (gr->n_funcs[other] == count && gr->name[other] == name) {
				row[gi] = row[other];
				break;
			}
			h = hash_u64(h + 1);
		}
	}
	hashmap_release(&rows);
	d->slot = xcalloc(g->n_infos + 1, sizeof(*d->slot));
	d->n_slots = n_slots;
	for (size_t i = 0; i < g->n_nodes; i++) {
		uint32_t gi = gr->group_of[i];
		if (gr->n_funcs[gi] > 1)
			d->slot[info_of ? info_of[i] : i] = row[gi] + gr->funcs[i];
	}
	free(row);
}

/* Per function, its number: the index of the first of the infos (of n) that stands for it. */
static uint32_t *function_numbers(const struct node_info *infos, size_t n)
{
	uint32_t *fn = xmalloc((n + 1) * sizeof(*fn));
	struct hashmap by_fn;
	hashmap_init(&by_fn, n + 16);
	for (size_t i = 0; i < n; i++) {
		const struct node_info *ni = &infos[i];
		uint64_t h = hash_u64((uint64_t)ni->name << 32 | ni->orig_name);
		h = hash_u64(h ^ ((uint64_t)ni->file << 32 | ni->objfile));
		h = hash_u64(h ^ (uint64_t)ni->start_line);
		for (;;) {
			uint32_t k = hashmap_put(&by_fn, h, (uint32_t)i);
			if (k == HASHMAP_NONE || same_function(infos, k, (uint32_t)i)) {
				fn[i] = k == HASHMAP_NONE ? (uint32_t)i : k;
				break;
			}
			h = hash_u64(h + 1);
		}
	}
	hashmap_release(&by_fn);
	return fn;
}

/* A call tree's node among its siblings: its function (function_numbers's) and number. */
struct callee {
	uint32_t fn, node;
};

static int cmp_callees(const void *a, const void *b)
{
	const struct callee *x = a, *y = b;
	if (x->fn != y->fn)
		return x->fn < y->fn ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Per node of a call tree in its final order, the first node (in node order) of its
 * function, where a function is one calling context as well: the nodes that may share one
 * are siblings (roots are siblings too). A caller's callees are one run of the edges; per
 * run, those that are nodes are sorted by (function, node), so that the first of each
 * function is its first node. */
static uint32_t *tree_firsts(const struct graph *g, const uint32_t *fn_of_frame)
{
	size_t n = g->n_nodes, cap = 0;
	uint32_t *first = xmalloc((n + 1) * sizeof(*first));
	struct callee *buf = NULL;
	for (size_t e = 0, end; e <= g->n_edges; e = end) {
		size_t k = 0;
		if (e == g->n_edges) { /* the roots, after the runs */
			end = e + 1;
			for (size_t i = 0; i < n; i++)
				if (g->tree_parent[i] == UINT32_MAX) {
					XGROW(buf, cap, k + 1);
					buf[k++] = (struct callee){ fn_of_frame[g->tree_frame[i]],
								    (uint32_t)i };
				}
		} else {
			uint32_t src = g->edges[e].src;
			for (end = e; end < g->n_edges && g->edges[end].src == src; end++) {
				if (end + 16 < g->n_edges) /* the callees' frames, at random */
					__builtin_prefetch(&g->tree_frame[g->edges[end + 16].dst]);
				uint32_t dst = g->edges[end].dst;
				if (dst >= n) /* an info that is no node */
					continue;
				XGROW(buf, cap, k + 1);
				buf[k++] = (struct callee){ fn_of_frame[g->tree_frame[dst]], dst };
			}
		}
		if (k > 16) {
			qsort(buf, k, sizeof(*buf), cmp_callees);
		} else {
			for (size_t i = 1; i < k; i++) {
				struct callee c = buf[i];
				size_t j = i;
				for (; j > 0 && cmp_callees(&buf[j - 1], &c) > 0; j--)
					buf[j] = buf[j - 1];
				buf[j] = c;
			}
		}
		for (size_t i = 0; i < k; i++)
			first[buf[i].node] = i && buf[i - 1].fn == buf[i].fn
						     ? first[buf[i - 1].node]
						     : buf[i].node;
	}
	free(buf);
	return first;
}

/* Numbers each node's function within its group, from first (per node, the first node of
 * its function: itself if none came before). */
static void number_functions(struct grouping *gr, size_t n, const uint32_t *first)
{
	gr->funcs = xmalloc((n + 1) * sizeof(*gr->funcs));
	gr->n_funcs = xcalloc(gr->n_groups + 1, sizeof(*gr->n_funcs));
	for (size_t i = 0; i < n; i++)
		gr->funcs[i] = first[i] == i ? gr->n_funcs[gr->group_of[i]]++ : gr->funcs[first[i]];
}

/* The grouping of a call tree in its final order (tree_numbered), whose many nodes are
 * contexts of its few frames: the groups and functions are the frames'. */
static void group_tree(const struct graph *g, struct grouping *gr)
{
	size_t n = g->n_nodes, nf = g->n_frames;
	uint32_t *group_of_frame = xmalloc((nf + 1) * sizeof(*group_of_frame));
	gr->name = xmalloc((nf + 1) * sizeof(*gr->name));
	gr->n_groups = 0;
	struct hashmap groups;
	hashmap_init(&groups, nf + 16);
	for (size_t f = 0; f < nf; f++) {
		const struct node_info *fi = &g->frame_infos[f];
		uint64_t key = (uint64_t)fi->file << 32 | fi->name;
		uint32_t gi = hashmap_put(&groups, key, (uint32_t)gr->n_groups);
		if (gi == HASHMAP_NONE) {
			gi = (uint32_t)gr->n_groups++;
			gr->name[gi] = fi->name;
		}
		group_of_frame[f] = gi;
	}
	hashmap_release(&groups);
	gr->group_of = xmalloc((n + 1) * sizeof(*gr->group_of));
	for (size_t i = 0; i < n; i++)
		gr->group_of[i] = group_of_frame[g->tree_frame[i]];
	free(group_of_frame);
	uint32_t *fn_of_frame = function_numbers(g->frame_infos, nf);
	uint32_t *first = tree_firsts(g, fn_of_frame);
	free(fn_of_frame);
	number_functions(gr, n, first);
	free(first);
}

/* The grouping of any other graph's nodes, of infos info_of. */
static void group_nodes(const struct graph *g, const uint32_t *info_of, struct grouping *gr)
{
	size_t n = g->n_nodes;
	struct hashmap groups;
	hashmap_init(&groups, n + 16);
	gr->group_of = xmalloc((n + 1) * sizeof(*gr->group_of));
	gr->name = xmalloc((n + 1) * sizeof(*gr->name));
	gr->n_groups = 0;
	for (size_t i = 0; i < n; i++) {
		const struct node_info *ni = &g->infos[info_of[i]];
		uint64_t key = (uint64_t)ni->file << 32 | ni->name;
		uint32_t gi = hashmap_put(&groups, key, (uint32_t)gr->n_groups);
		if (gi == HASHMAP_NONE) {
			gi = (uint32_t)gr->n_groups++;
			gr->name[gi] = ni->name;
		}
		gr->group_of[i] = gi;
	}
	hashmap_release(&groups);
	uint32_t *first = xmalloc((n + 1) * sizeof(*first));
	struct hashmap fns;
	hashmap_init(&fns, n + 16);
	for (size_t i = 0; i < n; i++)
		first[i] = first_node(g, info_of, &fns, gr->group_of, (uint32_t)i);
	hashmap_release(&fns);
	number_functions(gr, n, first);
	free(first);
}

static void disambiguate(const struct graph *g, struct disambiguation *d)
{
	d->slot = NULL;
	d->n_slots = 0;
	d->fn_no = xcalloc(g->n_infos + 1, sizeof(*d->fn_no));
	d->fn_count = xcalloc(g->n_infos + 1, sizeof(*d->fn_count));
	struct grouping gr;
	uint32_t *info_of = NULL; /* the nodes' infos; NULL for a tree's, node i's being i */
	if (g->tree_parent) {
		assert(g->tree_numbered);
		group_tree(g, &gr);
	} else {
		info_of = xmalloc((g->n_nodes + 1) * sizeof(*info_of));
		for (size_t i = 0; i < g->n_nodes; i++)
			info_of[i] = g->nodes[i].info;
		group_nodes(g, info_of, &gr);
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		uint32_t info = info_of ? info_of[i] : (uint32_t)i;
		d->fn_no[info] = gr.funcs[i] + 1;
		d->fn_count[info] = gr.n_funcs[gr.group_of[i]];
	}
	name_slots(g, info_of, d, &gr);
	grouping_release(&gr);
	free(info_of);
}

/* " [fn_no/fn_count]", the suffix of a name that more than one function has, at p;
 * returns the end. */
static inline char *put_suffix(char *p, const struct disambiguation *d, uint32_t info)
{
	*p++ = ' ';
	*p++ = '[';
	p = digits_put_u64(p, d->fn_no[info]);
	*p++ = '/';
	p = digits_put_u64(p, d->fn_count[info]);
	*p++ = ']';
	return p;
}

/* Info's disambiguated name (fn_count > 1), in sb (emptied first). */
static void node_name(struct strbuf *sb, const struct graph *g, const struct disambiguation *d,
		      uint32_t info)
{
	strbuf_reset(sb);
	const struct profile *p = g->prof;
	uint32_t name = graph_info(g, info)->name;
	strbuf_add(sb, profile_str(p, name), profile_str_len(p, name));
	char b[48];
	strbuf_add(sb, b, (size_t)(put_suffix(b, d, info) - b));
}

/* Sample values in the output unit (pprof's measurement.Scale), truncated; the last value
 * scaled per slot is kept, since a tree's nodes repeat few values many times. */
struct scaler {
	const struct report *r;
	int64_t in[256], out[256];
	bool set[256];
};

static inline int64_t scaled(struct scaler *s, int64_t v)
{
	size_t k = (size_t)(hash_u64((uint64_t)v) & 255);
	if (!s->set[k] || s->in[k] != v) {
		char unit[16];
		s->in[k] = v;
		s->out[k] =
			f2i(measure_scale(v, s->r->opt.sample_unit, s->r->opt.output_unit, unit));
		s->set[k] = true;
	}
	return s->out[k];
}

/* The number of string id's name (not "") in ns, given now if it has none (*fresh); its
 * index is looked up once. */
static size_t str_id(struct names *ns, const struct profile *p, uint32_t id, bool *fresh)
{
	*fresh = false;
	uint32_t ix = ns->of_str[id];
	if (ix == UINT32_MAX)
		ix = ns->of_str[id] =
			name_index(ns, profile_str(p, id), profile_str_len(p, id), fresh);
	return ns->id[ix];
}

/* pprof's compressed name of string id: "(id) name" the first time, "(id)" after; nothing
 * for "". */
static void add_str(struct sink *out, struct names *ns, const struct profile *p, uint32_t id)
{
	if (!profile_str_len(p, id))
		return;
	bool fresh;
	size_t n = str_id(ns, p, id, &fresh);
	add_id(out, n, fresh);
	if (fresh)
		sink_put(out, profile_str(p, id), profile_str_len(p, id));
}

/* The room a node's line or a call's four lines ask of the sink: their fixed pieces,
 * numbers and name ids, and a callee's name of up to NAME_IN_LINE bytes printed the first
 * time (a longer one goes through sink_put, a file's through add_str). */
#define NAME_IN_LINE 128
#define LINE_ROOM (192 + NAME_IN_LINE)

/* add_str within a line being written at q; returns where the line goes on (in a room of
 * LINE_ROOM again when the name had to be printed). */
static char *put_str(struct sink *out, char *q, struct names *ns, const struct profile *p,
		     uint32_t id)
{
	uint32_t ix = ns->of_str[id];
	if (ix != UINT32_MAX)
		return put_id(q, ns->id[ix]);
	sink_wrote(out, q);
	add_str(out, ns, p, id);
	return sink_room(out, LINE_ROOM);
}

/* What one thread needs to write nodes (write_nodes) or only number their names
 * (number_names): its own numbering of the names, scaler and scratch; the graph, its
 * edges and the disambiguation are shared and only read. */
struct writer {
	const struct report *r;
	const struct graph *g;
	const struct profile *p;
	const struct report_edges *re;
	const struct disambiguation *d;
	struct names objfiles, files, fnames;
	size_t *name_id; /* per slot (d->slot): the number its name was given, 0 while none */
	struct scaler sc;
	struct strbuf callee_name;
};

static void writer_init(struct writer *w, const struct report *r, const struct report_edges *re,
			const struct disambiguation *d)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->g = r->graph;
	w->p = r->prof;
	w->re = re;
	w->d = d;
	names_init(&w->objfiles, 16, w->p->strs.count);
	names_init(&w->files, 256, w->p->strs.count);
	names_init(&w->fnames, 256, w->p->strs.count);
	w->name_id = xcalloc(d->n_slots + 1, sizeof(*w->name_id));
	w->sc.r = r;
	strbuf_init(&w->callee_name);
}

static void writer_release(struct writer *w)
{
	names_release(&w->objfiles);
	names_release(&w->files);
	names_release(&w->fnames);
	free(w->name_id);
	strbuf_release(&w->callee_name);
}

/* How many nodes ahead of the one being written its callees are fetched, in two steps (a
 * tree's frames and slots, then what they lead to): a call tree's callees lie scattered
 * over its infos, one cache miss each when read unannounced. */
enum { AHEAD = 4 };

static void prefetch_callees(const struct writer *w, size_t i)
{
	const struct graph *g = w->g;
	const struct disambiguation *d = w->d;
	if (i >= g->n_nodes)
		return;
	uint32_t info = g->nodes[i].info;
	if (!g->infos) /* the node's own, a frame's too */
		__builtin_prefetch(&g->frame_infos[g->tree_frame[info]]);
	for (size_t k = w->re->out_off[info]; k < w->re->out_off[info + 1]; k++) {
		uint32_t dst = w->re->outs[k]->dst;
		__builtin_prefetch(g->infos ? (const void *)&g->infos[dst]
					    : (const void *)&g->tree_frame[dst]);
		__builtin_prefetch(&d->fn_count[dst]);
		__builtin_prefetch(&d->fn_no[dst]);
		if (d->slot)
			__builtin_prefetch(&d->slot[dst]);
	}
}

static void prefetch_callees_next(const struct writer *w, size_t i)
{
	const struct graph *g = w->g;
	if (i >= g->n_nodes)
		return;
	uint32_t info = g->nodes[i].info;
	for (size_t k = w->re->out_off[info]; k < w->re->out_off[info + 1]; k++) {
		uint32_t dst = w->re->outs[k]->dst;
		if (!g->infos)
			__builtin_prefetch(&g->frame_infos[g->tree_frame[dst]]);
		if (w->d->slot)
			__builtin_prefetch(&w->name_id[w->d->slot[dst]]);
	}
}

/* Whether a node of info ni, after one of info prev (NULL: none), starts with its object
 * file, file and function name. */
static bool starts_function(const struct node_info *prev, const struct node_info *ni)
{
	return !prev || ni->objfile != prev->objfile || ni->file != prev->file ||
	       ni->name != prev->name;
}

/* The info of the node before node i, NULL for the first. */
static const struct node_info *info_before(const struct graph *g, size_t i)
{
	return i ? graph_info(g, g->nodes[i - 1].info) : NULL;
}

/* The number string id's name has in ns (none for ""), given now if it has none. */
static void number_str(struct names *ns, const struct profile *p, uint32_t id)
{
	bool fresh;
	if (profile_str_len(p, id))
		str_id(ns, p, id, &fresh);
}

/* How callee dst's name reads: its number in w (0: no name, as for a callee of no node of
 * the graph's), given now if it had none (fresh), when it is then spelt out: bytes, and the
 * suffix after them when suffix (a name of a slot, see struct disambiguation). Both
 * write_nodes and number_names number the callees' names through it, so that the helper's
 * numbering is the writing's. */
struct callee_name {
	size_t id;
	bool fresh, suffix;
	const char *bytes;
	size_t len;
};

static struct callee_name name_callee(struct writer *w, uint32_t dst,
				      const struct node_info *callee)
{
	const struct disambiguation *d = w->d;
	const struct profile *p = w->p;
	struct callee_name c = { 0 };
	uint32_t count = d->fn_count[dst];
	if (count == 1 && profile_str_len(p, callee->name)) { /* the plain name */
		c.id = str_id(&w->fnames, p, callee->name, &c.fresh);
		c.bytes = profile_str(p, callee->name);
		c.len = profile_str_len(p, callee->name);
	} else if (d->slot && count > 1) {
		size_t *id = &w->name_id[d->slot[dst]];
		c.fresh = !*id;
		if (c.fresh)
			*id = ++w->fnames.last_id;
		c.id = *id;
		c.bytes = profile_str(p, callee->name);
		c.len = profile_str_len(p, callee->name);
		c.suffix = true;
	} else if (count > 1) {
		node_name(&w->callee_name, w->g, d, dst);
		uint32_t ix =
			name_index(&w->fnames, w->callee_name.buf, w->callee_name.len, &c.fresh);
		c.id = w->fnames.id[ix];
		c.bytes = w->callee_name.buf;
		c.len = w->callee_name.len;
	}
	return c;
}

/* Numbers the names that writing nodes begin .. end would, in the same order, and writes
 * nothing: what a thread does for the nodes another thread writes before its own. Each
 * step is write_nodes's, less the writing. */
static void number_names(struct writer *w, size_t begin, size_t end)
{
	const struct graph *g = w->g;
	const struct profile *p = w->p;
	const struct node_info *prev = info_before(g, begin);
	for (size_t i = begin; i < end; i++) {
		prefetch_callees(w, i + AHEAD);
		prefetch_callees_next(w, i + AHEAD / 2);
		uint32_t info = g->nodes[i].info;
		const struct node_info *ni = graph_info(g, info);
		if (starts_function(prev, ni)) {
			number_str(&w->objfiles, p, ni->objfile);
			number_str(&w->files, p, ni->file);
			number_str(&w->fnames, p, ni->name);
		}
		for (size_t k = w->re->out_off[info]; k < w->re->out_off[info + 1]; k++) {
			uint32_t dst = w->re->outs[k]->dst;
			const struct node_info *callee = graph_info(g, dst);
			number_str(&w->files, p, callee->file);
			name_callee(w, dst, callee);
		}
		prev = ni;
	}
}

/* Writes nodes begin .. end to out: each node's line, then the four lines of each call out
 * of it (a call tree writes five per calling context), written in place a piece at a
 * time. */
static void write_nodes(struct writer *w, struct sink *out, size_t begin, size_t end)
{
	const struct graph *g = w->g;
	const struct profile *p = w->p;
	const struct disambiguation *d = w->d;
	const struct node_info *prev = info_before(g, begin);
	for (size_t i = begin; i < end; i++) {
		prefetch_callees(w, i + AHEAD);
		prefetch_callees_next(w, i + AHEAD / 2);
		const struct graph_node *n = &g->nodes[i];
		const struct node_info *ni = graph_info(g, n->info);
		if (starts_function(prev, ni)) {
			sink_adds(out, "\nob=");
			add_str(out, &w->objfiles, p, ni->objfile);
			sink_adds(out, "\nfl=");
			add_str(out, &w->files, p, ni->file);
			sink_adds(out, "\nfn=");
			add_str(out, &w->fnames, p, ni->name);
			sink_addch(out, '\n');
		}
		char *q = put_address(sink_room(out, LINE_ROOM), prev, ni->address);
		*q++ = ' ';
		q = put_int(q, ni->lineno);
		*q++ = ' ';
		q = put_int(q, scaled(&w->sc, graph_flat(n)));
		*q++ = '\n';
		sink_wrote(out, q);
		for (size_t k = w->re->out_off[n->info]; k < w->re->out_off[n->info + 1]; k++) {
			const struct graph_edge *e = w->re->outs[k];
			const struct node_info *callee = graph_info(g, e->dst);
			q = sink_room(out, LINE_ROOM);
			memcpy(q, "cfl=", 4);
			q += 4;
			if (profile_str_len(p, callee->file))
				q = put_str(out, q, &w->files, p, callee->file);
			memcpy(q, "\ncfn=", 5);
			q += 5;
			struct callee_name c = name_callee(w, e->dst, callee);
			if (c.id)
				q = put_id(q, c.id);
			if (c.fresh) {
				*q++ = ' ';
				if (c.len > NAME_IN_LINE) { /* longer than the line's room */
					sink_wrote(out, q);
					sink_put(out, c.bytes, c.len);
					q = sink_room(out, LINE_ROOM);
				} else {
					memcpy(q, c.bytes, c.len);
					q += c.len;
				}
				if (c.suffix)
					q = put_suffix(q, d, e->dst);
			}
			memcpy(q, "\ncalls=0 ", 9);
			q = put_address(q + 9, prev, callee->address);
			*q++ = ' ';
			q = put_int(q, callee->lineno);
			memcpy(q, "\n* * ", 5);
			q = put_int(q + 5, scaled(&w->sc, e->weight));
			*q++ = '\n';
			sink_wrote(out, q);
		}
		prev = ni;
	}
}

/* The nodes after the first part, written into memory by a helper thread, which first
 * numbers the names of the first part (number_names) to go on where the main thread,
 * writing that part to the output, will have left off. */
struct last_part {
	struct writer w;
	size_t begin;
	struct sink text;
};

static void *write_last_part(void *arg)
{
	struct last_part *h = arg;
	number_names(&h->w, 0, h->begin);
	write_nodes(&h->w, &h->text, h->begin, h->w.g->n_nodes);
	return NULL;
}

/* The lines node i's writing takes: its own and four per call out of it. */
static size_t node_lines(const struct writer *w, size_t i)
{
	uint32_t info = w->g->nodes[i].info;
	return 1 + 4 * (w->re->out_off[info + 1] - w->re->out_off[info]);
}

/* Where the last part of the nodes starts: after FIRST_PART of their lines, or later,
 * so that the helper's text stays within LAST_PART_LINES lines of about 20 bytes (a
 * profile of millions of calling contexts writes gigabytes). The helper numbering the
 * first part's names does about a quarter of the work of writing them, and its own text
 * takes fresh memory (on the bench's typecheck-long, 8.9 MB of text in all, 3.5 MB of it
 * the last part's): the main thread's part is the larger. */
#define FIRST_PART 0.625
#define LAST_PART_LINES ((size_t)4 << 20)

static size_t first_part_end(const struct writer *w, size_t *last_lines)
{
	size_t n = w->g->n_nodes, total = 0, sum = 0, i = 0;
	for (size_t j = 0; j < n; j++)
		total += node_lines(w, j);
	while (i < n && ((double)sum < FIRST_PART * (double)total || total - sum > LAST_PART_LINES))
		sum += node_lines(w, i++);
	*last_lines = total - sum;
	return i;
}

/* The edges, grouped by caller in a thread while the names are disambiguated (both only
 * read the graph). */
struct edges_job {
	const struct graph *g;
	struct report_edges re;
};

static void *group_callees(void *job)
{
	struct edges_job *j = job;
	report_edges_init_outs(&j->re, j->g);
	return NULL;
}

/* The threads (one to group the edges, then one to write the last part) are made for
 * every graph, since their tens of microseconds are nothing beside the program's start,
 * so that every callgrind test goes their way. On the bench's typecheck-long, a call tree
 * of 110,000 calling contexts, the disambiguation takes about 4 ms beside the grouping's
 * 3, and the writing about 10 ms in two threads where one took 17. */
static int callgrind_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	struct edges_job ej = { .g = g };
	pthread_t thread;
	bool threaded = pthread_create(&thread, NULL, group_callees, &ej) == 0;
	struct disambiguation d;
	disambiguate(g, &d);
	if (threaded)
		pthread_join(thread, NULL);
	else
		group_callees(&ej);

	sink_addf(out, "positions: instr line\nevents: %s(%s)\n", r->opt.sample_type,
		  r->opt.output_unit);
	struct writer w;
	struct last_part h;
	writer_init(&w, r, &ej.re, &d);
	writer_init(&h.w, r, &ej.re, &d);
	size_t last_lines;
	h.begin = first_part_end(&w, &last_lines);
	sink_init_mem(&h.text);
	/* Room for as many lines of 20 bytes (typecheck-long's average 15.5, its last part's
	 * 16.9), so that the text is seldom moved as it grows. */
	strbuf_grow(&h.text.buf, 20 * last_lines);
	threaded = pthread_create(&thread, NULL, write_last_part, &h) == 0;
	write_nodes(&w, out, 0, threaded ? h.begin : g->n_nodes);
	if (threaded) {
		pthread_join(thread, NULL);
		sink_put(out, h.text.buf.buf, h.text.buf.len);
	}
	sink_release(&h.text);
	writer_release(&w);
	writer_release(&h.w);
	report_edges_release(&ej.re);
	free(d.fn_no);
	free(d.fn_count);
	free(d.slot);
	return 0;
}

const struct report_backend report_callgrind = {
	.name = "callgrind",
	.summary = "Call graph in callgrind format, for callgrind_annotate and KCachegrind",
	.flags = REPORT_ADDRESSES,
	.needs = { .input = REPORT_INPUT_GRAPH,
		   .obj_names = true,
		   .call_tree = true,
		   .whole_units = true },
	.away_suffix = "callgraph.out",
	.render = callgrind_render,
};
