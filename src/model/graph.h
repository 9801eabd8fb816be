/* The call graph pprof's reports are drawn from: nodes keyed by what the granularity keeps
 * of a frame (function, file, line, address), flat and cum weights per node, weighted edges
 * between callers and callees, and pprof's trimming (node fraction, node count, edge
 * fraction). A struct graph owns its arrays and shares nothing with the profile but string
 * ids; graph_release frees it. */
#ifndef CPROF_MODEL_GRAPH_H
#define CPROF_MODEL_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/profile.h"
#include "util/goint.h"

enum granularity { GRAN_FUNCTIONS, GRAN_FILEFUNCTIONS, GRAN_FILES, GRAN_LINES, GRAN_ADDRESSES };

struct graph_options {
	int sample_index; /* which value is the weight */
	bool mean;        /* divide by value 0 (the count), as -mean does */
	enum granularity granularity;
	bool noinlines; /* attribute inlined frames to their caller */
	bool obj_names; /* keep the binary name in nodes (list, raw, callgrind) */
	bool drop_negative;
	const char *trim_path;   /* -trim_path, may be NULL */
	const char *source_path; /* -source_path, may be NULL */
	double node_fraction, edge_fraction;
	int node_count; /* 0: no limit */
	bool cum_sort;  /* sort by cum instead of flat */
	/* Additions for the call-tree and per-location views (traces, callgrind): */
	/* pprof's newTree: one node per calling context. A visual tree is trimmed as pprof
	 * trims trees; any other (callgrind's) never is: its cutoffs and node count are not
	 * read. */
	bool call_tree;
	bool raw_paths; /* file names only cleaned, never trimmed (pprof's CreateNodes) */
	/* pprof's visual mode (dot and the pictures drawn from it): nodes in entropy order,
	 * redundant residual edges removed. */
	bool visual;
	const char *tag_unit; /* visual mode: the unit numeric tags are labelled in (-unit) */
	/* Only the edges top's "(inline)" and "(partial-inline)" marks need: those into nodes
	 * that some location has as an inlined line (so in_direct is only right for nodes with
	 * in_inline). Skips most of the edge work of reports that draw no edges;
	 * dropped_edges is then not counted. A call tree makes all. */
	bool inline_edges_only;
	/* Nodes that stay whatever -nodecount and -nodefraction would drop (cprof diff's gate
	 * keeps the nodes it lists in the report): keep(keep_ctx, name) for each node's name;
	 * NULL keeps none beyond pprof's choice. */
	bool (*keep)(void *ctx, const char *name);
	void *keep_ctx;
};

/* What identifies a node: pprof's NodeInfo. Strings are ids in the profile's strtab. */
struct node_info {
	uint32_t name, orig_name, file, objfile;
	uint64_t address;
	int64_t start_line, lineno;
};

struct graph_node {
	uint32_t info;             /* index into graph.infos */
	bool in_inline, in_direct; /* has kept incoming edges that are inlined / not inlined */
	int64_t flat, flat_div, cum, cum_div;
};

struct graph_edge {
	uint32_t src, dst; /* info indexes: caller, callee */
	int64_t weight, weight_div;
	bool residual, inlined, removed;
};

struct graph {
	const struct profile *prof;
	struct node_info *infos; /* every distinct node info the profile has (see graph_info) */
	char **names;            /* per info: pprof's printable name, name_len[i] bytes (NUL- */
	uint32_t *name_len;      /* terminated too, but a NUL inside is a byte of the name) */
	size_t n_infos;
	char *name_bytes; /* the names, end to end: the one block they point into */

	struct graph_node *nodes; /* the graph's nodes, in report order */
	size_t n_nodes;
	struct graph_edge *edges;
	size_t n_edges;
	/* A call tree in its final order (callgrind's, never trimmed): node i is info i, the
	 * edges are grouped by src in ascending order, each caller's edges one run, and the
	 * infos, names and name_len are NULL, an info's being its frame's (graph_info). */
	bool tree_numbered;

	/* What trimming did, for the report headers. */
	size_t orig_count, dropped_nodes, dropped_edges;

	/* Call-tree mode only (NULL otherwise): per info, the info of the calling context's
	 * node (UINT32_MAX for roots). Every tree node has an info of its own; infos of one
	 * frame in different contexts are equal but for their index. */
	uint32_t *tree_parent;
	/* Call-tree mode only: per info, the frame it is a context of, whose info and name
	 * (n_frames of them) its own are copies of: infos[i] is frame_infos[tree_frame[i]], and
	 * names[i] points at frame_names[tree_frame[i]] (into name_bytes). */
	uint32_t *tree_frame;
	struct node_info *frame_infos;
	char **frame_names;
	size_t n_frames;
	/* tree_numbered only (else NULL): per frame, its rank in the order of the frames'
	 * names, equal for equal names: what graph_name_cmp compares then. */
	uint32_t *frame_rank;

	/* Visual mode only, for profiles with labels (else NULL): the nodes' tags. */
	struct node_tags *tags;
};

/* Builds the trimmed, sorted graph of p as pprof's text and graph reports see it. */
void graph_build(struct graph *g, const struct profile *p, const struct graph_options *o);
void graph_release(struct graph *g);

/* pprof's CreateNodes: the node infos of every location under o's granularity, without
 * weights. Location l's nodes (one per kept line, innermost first) are the info indexes
 * loc_nodes[loc_off[l] .. loc_off[l + 1]). */
struct graph_locations {
	struct node_info *infos;
	char **names; /* per info: pprof's printable name, name_len[i] bytes */
	uint32_t *name_len;
	size_t n_infos;
	char *name_bytes; /* the names, end to end: the one block they point into */
	uint32_t *loc_off, *loc_nodes;
};
void graph_locations_build(struct graph_locations *gl, const struct profile *p,
			   const struct graph_options *o);
void graph_locations_release(struct graph_locations *gl);

/* Byte strings (a, an) and (b, bn) in Go's string order: < 0, 0 or > 0. */
static inline int graph_bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Info i's node info (a numbered call tree keeps its frames' only). */
static inline const struct node_info *graph_info(const struct graph *g, uint32_t i)
{
	return g->infos ? &g->infos[i] : &g->frame_infos[g->tree_frame[i]];
}

/* Infos a and b's printable names in Go's string order. */
static inline int graph_name_cmp(const struct graph *g, uint32_t a, uint32_t b)
{
	if (g->frame_rank) {
		uint32_t ra = g->frame_rank[g->tree_frame[a]], rb = g->frame_rank[g->tree_frame[b]];
		return ra < rb ? -1 : ra > rb;
	}
	if (g->names[a] == g->names[b])
		return 0;
	return graph_bytes_cmp(g->names[a], g->name_len[a], g->names[b], g->name_len[b]);
}

static inline int64_t graph_flat(const struct graph_node *n)
{
	return n->flat_div == 0 ? n->flat : div64(n->flat, n->flat_div);
}

static inline int64_t graph_cum(const struct graph_node *n)
{
	return n->cum_div == 0 ? n->cum : div64(n->cum, n->cum_div);
}

/* pprof's edge order (its edgeList): heavier (by absolute weight) first, then by caller
 * name, then by callee name; < 0, 0 or > 0 as a sorts before, with or after b. */
int graph_edge_order(const struct graph *g, const struct graph_edge *a, const struct graph_edge *b);

/* pprof's report total: the sum of |value| over all samples (divided by the summed counts
 * for -mean). */
int64_t graph_total(const struct profile *p, int sample_index, bool mean);

#endif
