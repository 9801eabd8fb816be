/* What the phases of graph building share (graph.c orchestrates; graph_infos.c,
 * graph_passes.c, graph_trim.c and graph_tree.c do the work). Private to src/model/graph*.c:
 * no other file includes it. */
#ifndef CPROF_MODEL_GRAPH_PRIVATE_H
#define CPROF_MODEL_GRAPH_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/graph.h"
#include "model/profile.h"

struct node_tags;

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
	char **sprints;              /* per info: Go's fmt.Sprint(NodeInfo), made lazily, */
	uint32_t *sprint_len;        /* sprint_len[i] bytes */
	size_t n_sprints;
	const struct node_info *sprint_infos; /* the infos sprints are of: g's, or a call */
	const uint32_t *sprint_of; /* tree's frames, when sprint_of[i] is tree node i's frame */
	uint32_t *name_rank, *sprint_rank; /* call trees: per frame, by name; by sprint in a name */
	uint32_t *stack_leaf;              /* call trees: per distinct stack, its leaf tree node */
	uint32_t *frame_len;               /* call trees: per frame, its name's length */
};

/* graph_infos.c: node identity under the granularity. */

/* Works out each location's node infos under the granularity, as pprof's Aggregate and
 * CreateNodes together do. Interns new file names (cleaned) into the profile's strtab. */
void graph_make_infos(struct builder *b);
/* The infos' printable names (g->names, name_len and name_bytes). */
void graph_make_names(struct builder *b);
/* Go's fmt.Sprint of a NodeInfo value: the last tie-breaker of pprof's node order; *len
 * bytes (owned by b). */
const char *graph_sprint_info(struct builder *b, uint32_t ix, size_t *len);
/* Infos a and b's sprints in Go's string order. */
int graph_sprint_cmp(struct builder *b, uint32_t a, uint32_t c);

/* graph_passes.c: samples folded per stack, and the passes that weigh nodes and edges. */

/* Edges by (caller, callee): open addressing over edge indexes, whose keys are read from
 * the edges themselves, so a slot takes 4 bytes where a general map's takes 16. */
struct edge_index {
	uint32_t *slots; /* edge index, or HASHMAP_NONE */
	size_t mask, count;
};

struct node_acc;
struct met;

/* One thread's share of a pass: its stacks, counters and results. */
struct work {
	struct graph_node *nodes;   /* indexed by info */
	struct node_acc *acc;       /* per info: the pass's counters */
	struct edge_index edge_map; /* this work's edges by (src, dst) */
	uint32_t *last_edge;        /* per info: the edge it was last the caller of */
	uint32_t *edge_stamp;
	struct graph_edge *edges; /* this pass's edges (its share of the stacks) */
	size_t n_edges, cap_edges, cap_edge_stamp;
	size_t begin, end;    /* the distinct stacks this work covers */
	struct stack_buf buf; /* the stack being walked, decoded */
	struct met *met;      /* accumulate_inline_edges: the stack's edges so far */
	uint32_t *edge_met;   /* per edge: its place in met, while edge_stamp is the stack */
	size_t cap_met, cap_edge_met;
};

enum pass_kind {
	PASS_NODES, /* node weights, all nodes kept (accumulate_nodes) */
	PASS_GRAPH, /* node weights and edges of the kept nodes */
	PASS_EDGES, /* only the edges: node weights are the PASS_NODES ones, masked */
};

/* Folds every sample into its distinct stack: pprof's per-sample sums, done once. */
void graph_fold_samples(struct builder *b);
void graph_work_init(struct work *w, size_t n_infos);
void graph_work_release(struct work *w);
/* Runs one pass over all distinct stacks into w (and w2 as the second thread's work). */
void graph_pass(struct builder *b, struct work *w, struct work *w2, const uint8_t *kept,
		enum pass_kind kind);

/* graph_trim.c: selecting, ordering and trimming nodes and edges. */

/* pprof's selectNodesForGraph: the nodes with any weight (w->nodes may be g->nodes). */
void graph_select_nodes(struct builder *b, struct work *w);
/* The -nodefraction and -edgefraction cutoffs: those fractions of the sum of g's nodes'
 * flat weights, absolute. */
/* Whether node info must stay however the graph is trimmed (graph_options.keep). */
bool graph_forced(const struct graph *g, const struct graph_options *o, uint32_t info);
void graph_cutoffs(const struct graph *g, const struct graph_options *o, int64_t *node_cutoff,
		   int64_t *edge_cutoff);
void graph_sort_nodes(struct builder *b);
/* Sorts g's nodes in pprof's entropy order, scored on the given edges. */
void graph_sort_entropy(struct builder *b, const struct graph_edge *edges, size_t n_edges);
/* pprof's TrimLowFrequencyEdges: drop edges into graph nodes lighter than the cutoff. */
size_t graph_trim_edges(struct graph *g, const uint8_t *in_graph, int64_t cutoff);
/* Sets mask (n_infos bytes) to 1 for the infos of g's nodes, 0 for the others. */
void graph_mark_nodes(const struct graph *g, uint8_t *mask);
/* Marks each node that has kept incoming edges that are inlined / not inlined. */
void graph_mark_inline(struct graph *g);
/* pprof's RemoveRedundantEdges: from the last node up, each node's lightest residual
 * incoming edges go while their caller still reaches the node another way; the first
 * non-residual edge (in edge order, lightest first) stops the node's walk. */
void graph_remove_redundant_edges(struct graph *g);
/* pprof's selectTopNodes in visual mode: each node counts with its tags (up to four, the
 * nodelets drawn under it), so fewer nodes fit in max. */
size_t graph_visual_top(const struct graph *g, const struct node_tags *t, size_t max);

/* graph_tree.c: call trees. */

/* The call-tree graph: pprof's newTree, sorted and trimmed as pprof trims trees (nodes under
 * the cutoff, then all but the top nodes, leave by trim_tree). */
void graph_build_call_tree(struct builder *b);

#endif
