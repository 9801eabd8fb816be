/* callgrind: the address-level graph in the format of valgrind's callgrind tool, for
 * KCachegrind and callgrind_annotate, as pprof's printCallgrind writes it (name
 * compression, relative addresses, names disambiguated with " [i/n]"). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

/* callgrind's name compression: "(N) name" the first time, "(N)" after. */
struct names {
	struct hashmap map;
	char **strs;
	size_t n, cap;
};

static void add_name(struct sink *out, struct names *ns, const char *name)
{
	if (!*name)
		return;
	uint64_t h = hash_bytes(name, strlen(name), 0);
	for (;;) {
		uint32_t ix = hashmap_get(&ns->map, h);
		if (ix == HASHMAP_NONE)
			break;
		if (strcmp(ns->strs[ix], name) == 0) {
			sink_addf(out, "(%u)", ix + 1);
			return;
		}
		h = hash_u64(h + 1);
	}
	XGROW(ns->strs, ns->cap, ns->n + 1);
	ns->strs[ns->n] = xstrdup(name);
	hashmap_put(&ns->map, h, (uint32_t)ns->n);
	ns->n++;
	sink_addf(out, "(%zu) %s", ns->n, name);
}

static void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->strs[i]);
	free(ns->strs);
	hashmap_release(&ns->map);
}

/* pprof's callgrindAddress: "*" for the previous address, a signed offset when shorter. */
static void add_address(struct sink *out, const struct node_info *prev, uint64_t cur)
{
	char abs[32], rel[32];
	snprintf(abs, sizeof(abs), "0x%" PRIx64, cur);
	if (!prev) {
		sink_adds(out, abs);
		return;
	}
	if (prev->address == cur) {
		sink_addch(out, '*');
		return;
	}
	snprintf(rel, sizeof(rel), "%+" PRId64, (int64_t)(cur - prev->address));
	sink_adds(out, strlen(rel) < strlen(abs) ? rel : abs);
}

/* Whether two nodes stand for the same function, as pprof's Node.Function: the same info
 * but for address and line (and, in a call tree, the same calling context). */
static bool same_function(const struct graph *g, uint32_t a, uint32_t b)
{
	const struct node_info *x = &g->infos[a], *y = &g->infos[b];
	if (g->tree_parent && g->tree_parent[a] != g->tree_parent[b])
		return false;
	return x->name == y->name && x->orig_name == y->orig_name && x->file == y->file &&
	       x->objfile == y->objfile && x->start_line == y->start_line;
}

/* The first of the nodes up to node i (in node order) that stands for the same function
 * as node i, in the same (file, name) group, recorded in fns (hash of the function ->
 * that first node); i itself when it is the first. */
static uint32_t first_node(const struct graph *g, struct hashmap *fns, const uint32_t *group_of,
			   uint32_t i)
{
	uint32_t info = g->nodes[i].info;
	const struct node_info *ni = &g->infos[info];
	uint64_t h = hash_u64((uint64_t)group_of[i] << 32 | ni->orig_name);
	h = hash_u64(h ^ ((uint64_t)ni->objfile << 32 | (uint32_t)ni->start_line));
	h = hash_u64(h ^ (uint64_t)ni->start_line >> 32);
	if (g->tree_parent)
		h = hash_u64(h ^ g->tree_parent[info]);
	for (;;) {
		uint32_t k = hashmap_put(fns, h, i);
		if (k == HASHMAP_NONE)
			return i;
		if (group_of[k] == group_of[i] && same_function(g, g->nodes[k].info, info))
			return k;
		h = hash_u64(h + 1);
	}
}

/* pprof's getDisambiguatedNames: a node's name, with " [i/n]" when n different functions
 * share its file and name. Returns a malloc'd array of malloc'd names, per info. */
static char **disambiguate(const struct graph *g)
{
	char **names = xcalloc(g->n_infos + 1, sizeof(*names));
	/* Group nodes by (file, name); per group the distinct functions in node order. */
	struct hashmap groups, fns;
	hashmap_init(&groups, g->n_nodes + 16);
	hashmap_init(&fns, g->n_nodes + 16);
	uint32_t *group_of = xmalloc((g->n_nodes + 1) * sizeof(*group_of));
	uint32_t *first_of_group = xmalloc((g->n_nodes + 1) * sizeof(*first_of_group));
	uint32_t *funcs = xmalloc((g->n_nodes + 1) * sizeof(*funcs));  /* per node: function no. */
	uint32_t *n_funcs = xcalloc(g->n_nodes + 1, sizeof(*n_funcs)); /* per group */
	size_t n_groups = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct node_info *ni = &g->infos[g->nodes[i].info];
		uint64_t h = hash_u64((uint64_t)ni->file << 32 | ni->name);
		uint32_t gi;
		for (;;) {
			gi = hashmap_get(&groups, h);
			if (gi == HASHMAP_NONE)
				break;
			const struct node_info *o = &g->infos[g->nodes[first_of_group[gi]].info];
			if (o->file == ni->file && o->name == ni->name)
				break;
			h = hash_u64(h + 1);
		}
		if (gi == HASHMAP_NONE) {
			gi = (uint32_t)n_groups++;
			first_of_group[gi] = (uint32_t)i;
			hashmap_put(&groups, h, gi);
		}
		group_of[i] = gi;
		/* The function's number within the group: that of its first node, if any. */
		uint32_t first = first_node(g, &fns, group_of, (uint32_t)i);
		funcs[i] = first == i ? n_funcs[gi]++ : funcs[first];
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		uint32_t info = g->nodes[i].info;
		const char *name = profile_str(g->prof, g->infos[info].name);
		struct strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, name);
		if (n_funcs[group_of[i]] > 1)
			strbuf_addf(&sb, " [%u/%u]", funcs[i] + 1, n_funcs[group_of[i]]);
		names[info] = sb.buf ? sb.buf : xstrdup("");
	}
	hashmap_release(&groups);
	hashmap_release(&fns);
	free(group_of);
	free(first_of_group);
	free(funcs);
	free(n_funcs);
	return names;
}

static int64_t scaled(const struct report *r, int64_t v)
{
	char unit[16];
	return f2i(measure_scale(v, r->opt.sample_unit, r->opt.output_unit, unit));
}

static int callgrind_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	char **node_names = disambiguate(g);
	struct report_edges re;
	report_edges_init(&re, g);
	const struct profile *p = r->prof;

	sink_addf(out, "positions: instr line\nevents: %s(%s)\n", r->opt.sample_type,
		  r->opt.output_unit);
	struct names objfiles = { 0 }, files = { 0 }, fnames = { 0 };
	hashmap_init(&objfiles.map, 16);
	hashmap_init(&files.map, 256);
	hashmap_init(&fnames.map, 256);
	const struct node_info *prev = NULL;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		const struct node_info *ni = &g->infos[n->info];
		if (!prev || ni->objfile != prev->objfile || ni->file != prev->file ||
		    ni->name != prev->name) {
			sink_adds(out, "\nob=");
			add_name(out, &objfiles, profile_str(p, ni->objfile));
			sink_adds(out, "\nfl=");
			add_name(out, &files, profile_str(p, ni->file));
			sink_adds(out, "\nfn=");
			add_name(out, &fnames, profile_str(p, ni->name));
			sink_addch(out, '\n');
		}
		add_address(out, prev, ni->address);
		sink_addf(out, " %" PRId64 " %" PRId64 "\n", ni->lineno, scaled(r, graph_flat(n)));
		for (size_t k = re.out_off[n->info]; k < re.out_off[n->info + 1]; k++) {
			const struct graph_edge *e = re.outs[k];
			const struct node_info *callee = &g->infos[e->dst];
			sink_adds(out, "cfl=");
			add_name(out, &files, profile_str(p, callee->file));
			sink_adds(out, "\ncfn=");
			add_name(out, &fnames, node_names[e->dst] ? node_names[e->dst] : "");
			sink_adds(out, "\ncalls=0 ");
			add_address(out, prev, callee->address);
			sink_addf(out, " %" PRId64 "\n* * %" PRId64 "\n", callee->lineno,
				  scaled(r, e->weight));
		}
		prev = ni;
	}
	names_release(&objfiles);
	names_release(&files);
	names_release(&fnames);
	report_edges_release(&re);
	for (size_t i = 0; i < g->n_infos; i++)
		free(node_names[i]);
	free(node_names);
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
