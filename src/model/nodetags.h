/* pprof's node tags: the weight of each node split by the samples' string labels (one tag
 * per distinct set of labels) and by the values of their numeric "bytes" label, which the
 * graph pictures draw as small boxes ("nodelets") under a node. A struct node_tags owns its
 * arrays; nodetags_free frees it. */
#ifndef CPROF_MODEL_NODETAGS_H
#define CPROF_MODEL_NODETAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"

#define NODETAGS_LABEL UINT32_MAX /* node_tag.name of a string-label tag */

struct node_tag {
	uint32_t label; /* index into names: the sample's labels joined as pprof joins them */
	uint32_t name;  /* index into names: the numeric value as a label, or NODETAGS_LABEL */
	int64_t value;  /* the numeric value (of the first sample that made the tag) */
	int64_t flat, flat_div, cum, cum_div;
};

struct node_tags {
	char **names;       /* labels strings and numeric tag names; names[0] is "" */
	uint32_t *name_len; /* names[i] is name_len[i] bytes (a NUL inside is one of them) */
	size_t n_names;
	struct node_tag *tags; /* grouped by node: info i's are tags[off[i] .. off[i + 1]) */
	size_t n_tags;
	size_t *off;
	const char *unit; /* the unit of the numeric values (pprof's NumLabelUnits["bytes"]) */
};

/* Where a sample's weight goes: the graph's nodes for each location (loc_off/loc_nodes, as
 * graph_infos.c makes them, innermost first) with kept masking the infos in the graph (NULL: all);
 * or, for a call tree (stack_leaf set), each stack's leaf node and the nodes' parents. */
struct nodetags_source {
	const uint32_t *loc_off, *loc_nodes;
	const uint8_t *kept;
	const uint32_t *stack_leaf, *tree_parent;
	size_t n_infos;
};

/* Builds the tags of src's nodes, weighted as the graph options say; numeric labels are
 * scaled to output_unit. Tags lighter than cutoff in both flat and cum are dropped. */
struct node_tags *nodetags_build(const struct profile *p, int sample_index, bool mean,
				 const struct nodetags_source *src, int64_t cutoff,
				 const char *output_unit);
void nodetags_free(struct node_tags *t);

/* pprof's countTags: how many of info's tags have flat weight. */
size_t nodetags_count(const struct node_tags *t, uint32_t info);

static inline int64_t nodetag_flat(const struct node_tag *t)
{
	return t->flat_div == 0 ? t->flat
				: (t->flat_div == -1 ? (int64_t)(0 - (uint64_t)t->flat)
						     : t->flat / t->flat_div);
}

static inline int64_t nodetag_cum(const struct node_tag *t)
{
	return t->cum_div == 0
		       ? t->cum
		       : (t->cum_div == -1 ? (int64_t)(0 - (uint64_t)t->cum) : t->cum / t->cum_div);
}

#endif
