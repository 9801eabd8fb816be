/* The in-memory profile: one struct profile owns every array and string it references
 * (profile_free releases all of it). Objects are addressed by dense uint32_t indexes; the
 * file's ids survive only as the `id` field of mappings, functions and locations. */
#ifndef CPROF_MODEL_PROFILE_H
#define CPROF_MODEL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/strtab.h"
#include "util/hashmap.h"

#define PROFILE_NONE UINT32_MAX

struct value_type {
	uint32_t type, unit; /* string ids */
};

struct mapping {
	uint64_t id;
	uint64_t start, limit, offset;
	uint32_t file, build_id; /* string ids */
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

struct function {
	uint64_t id;
	uint32_t name, system_name, filename; /* string ids */
	int64_t start_line;
};

struct line {
	uint32_t function; /* function index, or PROFILE_NONE */
	int64_t line, column;
};

struct location {
	uint64_t id;
	uint32_t mapping;    /* mapping index, or PROFILE_NONE */
	uint64_t address;
	uint32_t first_line; /* into profile.lines; lines are innermost (inlined) first */
	uint32_t n_lines;
	bool is_folded;
};

struct label {
	uint32_t key, str; /* string ids; str is 0 for a numeric label */
	int64_t num;
	uint32_t num_unit; /* string id */
};

/* A distinct call stack: depth location indexes, leaf first, at profile.frames[off]. */
struct stack {
	uint32_t off, depth;
};

struct sample {
	uint32_t stack;       /* index into profile.stacks */
	uint32_t first_label; /* into profile.labels; samples with equal labels may share them */
	uint32_t n_labels;
};

struct profile {
	struct strtab strs;

	struct value_type *types; /* sample types; every sample has n_types values */
	size_t n_types, cap_types;
	struct value_type period_type;
	int64_t period, time_nanos, duration_nanos;
	uint32_t default_sample_type, drop_frames, keep_frames, doc_url; /* string ids */
	uint32_t *comments;
	size_t n_comments, cap_comments;

	struct mapping *mappings; /* in file order: mappings[0] is the main binary */
	size_t n_mappings, cap_mappings;
	struct function *functions;
	size_t n_functions, cap_functions;
	struct location *locations;
	size_t n_locations, cap_locations;
	struct line *lines;
	size_t n_lines, cap_lines;

	uint32_t *frames; /* location indexes of all stacks */
	size_t n_frames, cap_frames;
	struct stack *stacks;
	size_t n_stacks, cap_stacks;
	struct sample *samples;
	size_t n_samples, cap_samples;
	int64_t *values; /* n_samples * n_types, row-major */
	size_t cap_values;
	struct label *labels;
	size_t n_labels, cap_labels;
};

struct profile *profile_new(void);
void profile_free(struct profile *p);

static inline const char *profile_str(const struct profile *p, uint32_t id)
{
	return strtab_get(&p->strs, id);
}

/* The values of a sample. While no sample has values (no sample types) the array may be
 * NULL, and NULL + 0 is undefined in C: an empty array stands in. */
static inline const int64_t *profile_values(const struct profile *p, size_t sample)
{
	static const int64_t none[1];
	return p->values ? p->values + sample * p->n_types : none;
}

/* The location indexes of a stack, leaf first; as for values, an empty array while no
 * stack has frames. */
static inline const uint32_t *profile_stack(const struct profile *p, uint32_t stack)
{
	static const uint32_t none[1];
	return p->frames ? p->frames + p->stacks[stack].off : none;
}

/* Appends a stack of depth location indexes (leaf first) and returns its index; identical
 * stacks share one index. */
uint32_t profile_add_stack(struct profile *p, struct hashmap *dedup, const uint32_t *locs,
			   uint32_t depth);

/* The step of an in-place filter over p's samples: moves sample s and its values down to
 * index *kept and counts it. Visit samples in order; afterwards n_samples = *kept. */
void profile_keep_sample(struct profile *p, size_t s, size_t *kept);

/* Appends the comments ids[0..n) (string ids of p) that p does not have yet, in order, as
 * pprof's Merge combines comments; linear in n and p's comments. ids may be p->comments
 * only through profile_dedup_comments. */
void profile_add_comments(struct profile *p, const uint32_t *ids, size_t n);
/* Drops repeated comments in place, keeping the first of each (pprof's Merge of one
 * profile, the one part of it that reports built from the call graph can show). */
void profile_dedup_comments(struct profile *p);

/* The index of the sample type whose type is name (also accepting pprof's "inuse_" prefix
 * for legacy names), or a decimal index; -1 if none matches. An empty name picks the
 * default: default_sample_type if set, else the last type. */
int profile_sample_index(const struct profile *p, const char *name);

#endif
