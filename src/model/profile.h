/* The in-memory profile: one struct profile owns every array and string it references
 * (profile_free releases all of it). Objects are addressed by dense uint32_t indexes; the
 * file's ids survive only as the `id` field of mappings, functions and locations. */
#ifndef CPROF_MODEL_PROFILE_H
#define CPROF_MODEL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/strtab.h"
#include "util/error.h"
#include "util/hashmap.h"
#include "util/strbuf.h"

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
	uint32_t mapping; /* mapping index, or PROFILE_NONE */
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

/* A distinct call stack: depth location indexes, leaf first, stored at
 * profile.stack_bytes[off] as LEB128 varints of index + 1. Frames are most of a big
 * profile's memory; encoded they take 2.3 bytes each instead of 4 (the benchmark's
 * profiles), and touching fewer pages also makes loading faster. Plus one, because writers
 * number locations from 1 in order of first use, as indexes are: then a sample's packed
 * location ids are its stack's bytes already. Read them with profile_stack. */
struct stack {
	uint32_t off, depth;
};

/* A caller's buffer for decoded stacks, grown as needed; zero-initialise, then release. */
struct stack_buf {
	uint32_t *locs;
	size_t cap;
};

/* The distinct stacks of a profile being built: open addressing over stack indexes, each
 * slot with 32 bits of its stack's hash so that probes rarely read a stack. */
struct stack_set {
	uint64_t *slots; /* hash << 32 | stack index; 0 is empty (index bits hold +1) */
	size_t mask, count;
	size_t reserved; /* slots is an xreserve of this many bytes (0: xcalloc) */
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

	uint8_t *stack_bytes; /* every stack's frames, encoded (see struct stack) */
	size_t n_stack_bytes, cap_stack_bytes;
	bool stack_bytes_reserved;  /* stack_bytes is an xreserve of cap_stack_bytes */
	size_t charged_stack_bytes; /* of a reservation, counted against the memory budget */
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
/* A deep copy of p that the caller owns (frees with profile_free): the interactive shell
 * filters a copy per command and keeps the loaded profile as it was. String ids, indexes
 * and stacks are the same as p's. */
struct profile *profile_copy(const struct profile *p);

static inline const char *profile_str(const struct profile *p, uint32_t id)
{
	return strtab_get(&p->strs, id);
}

/* The length in bytes of string id (a NUL inside a string is one of its bytes). */
static inline size_t profile_str_len(const struct profile *p, uint32_t id)
{
	return p->strs.len[id];
}

/* The values of a sample. While no sample has values (no sample types) the array may be
 * NULL, and NULL + 0 is undefined in C: an empty array stands in. */
static inline const int64_t *profile_values(const struct profile *p, size_t sample)
{
	static const int64_t none[1];
	return p->values ? p->values + sample * p->n_types : none;
}

void stack_buf_grow(struct stack_buf *b, size_t n);
void stack_buf_release(struct stack_buf *b);

/* Decodes depth frames at in into out; returns the end of the encoding. */
static inline const uint8_t *stack_decode(const uint8_t *in, uint32_t depth, uint32_t *out)
{
	for (uint32_t i = 0; i < depth; i++) {
		uint32_t v = *in++;
		if (v >= 0x80) {
			uint32_t b, shift = 7;
			v &= 0x7f;
			do {
				b = *in++;
				v |= (b & 0x7f) << shift;
				shift += 7;
			} while (b >= 0x80);
		}
		out[i] = v - 1;
	}
	return in;
}

/* The location indexes of stack st, leaf first, decoded into b (valid until b's next use;
 * never NULL, also for an empty stack). */
static inline const uint32_t *profile_stack(const struct profile *p, uint32_t st,
					    struct stack_buf *b)
{
	uint32_t depth = p->stacks[st].depth;
	if (depth >= b->cap)
		stack_buf_grow(b, depth);
	if (depth) /* stack_bytes may be NULL, and NULL + 0 is undefined */
		stack_decode(p->stack_bytes + p->stacks[st].off, depth, b->locs);
	return b->locs;
}

void stack_set_init(struct stack_set *set, size_t expect);
void stack_set_release(struct stack_set *set);

/* The room adding a stack of depth frames needs: five bytes a frame at most, and the
 * encoder's eight-byte stores. Stacks must fit in 4 GiB, which offsets address. */
#define STACK_ROOM(depth) (5 * (uint64_t)(depth) + 8)

/* Appends a stack of depth location indexes (leaf first) unless set already holds an equal
 * one of p's, and returns its index: equal stacks always share one. Past 4 GiB of encoded
 * stacks, which offsets cannot address, it exits as out of memory does; the decoder checks
 * first and names the file. */
uint32_t profile_add_stack(struct profile *p, struct stack_set *set, const uint32_t *locs,
			   uint32_t depth);
/* The same for a stack given encoded: len bytes of depth canonical varints of index + 1. */
uint32_t profile_add_encoded_stack(struct profile *p, struct stack_set *set, const uint8_t *bytes,
				   size_t len, uint32_t depth);

/* Hands p's stacks over to *old (zeroed by the caller) and leaves p with none: for making
 * p's stacks anew from old's, which profile_drop_stacks(old) frees afterwards. */
void profile_move_stacks(struct profile *p, struct profile *old);
void profile_drop_stacks(struct profile *p);

/* Samples mostly repeat a few label lists, stored once each: given the n labels just
 * appended to p->labels, returns the start of an equal list stored before (taking the n
 * back off) or, when there is none, the start of these, remembered in lists (a hashmap the
 * caller keeps while it adds samples). */
uint32_t profile_share_labels(struct profile *p, struct hashmap *lists, uint32_t n);

/* The step of an in-place filter over p's samples: moves sample s and its values down to
 * index *kept and counts it. Visit samples in order; afterwards n_samples = *kept. */
void profile_keep_sample(struct profile *p, size_t s, size_t *kept);

/* pprof's ScaleN: multiplies value i of every sample by ratios[i] (rounded half away from
 * zero) and drops the samples left all zero; ratios of 1 leave a value untouched. */
void profile_scale(struct profile *p, const double *ratios);

/* Names p's main binary, as pprof's locateBinaries does before it searches for binaries: a
 * profile without mappings gets a fake one (id 1) that every location then uses; a file
 * (non-NULL) and a build id (non-empty) given replace those of mappings[0]. */
void profile_set_main_binary(struct profile *p, const char *file, const char *build_id);

/* Makes *view p with every sample value times ratio, truncated as Go's int64(float64(v) *
 * ratio) (pprof's -divide_by on a profile it writes): the view shares everything of p but
 * its values, which profile_view_release frees. p must outlive the view. */
void profile_view_scaled(struct profile *view, const struct profile *p, double ratio);
void profile_view_release(struct profile *view);

/* Appends the comments ids[0..n) (string ids of p) that p does not have yet, in order, as
 * pprof's Merge combines comments; linear in n and p's comments. ids may be p->comments
 * only through profile_dedup_comments. */
void profile_add_comments(struct profile *p, const uint32_t *ids, size_t n);
/* Appends the comment text, as -add_comment does (even one p already has). */
void profile_add_comment(struct profile *p, const char *text);
/* Drops repeated comments in place, keeping the first of each (pprof's Merge of one
 * profile, the one part of it that reports built from the call graph can show). */
void profile_dedup_comments(struct profile *p);

/* The index of the sample type whose type is name (also accepting pprof's "inuse_" prefix
 * for legacy names), or a decimal index; -1 if none matches. An empty name picks the
 * default: default_sample_type if set, else the last type. */
int profile_sample_index(const struct profile *p, const char *name);
/* The sample types as pprof lists them in messages, appended to out: "[samples cpu]", or
 * with units "[samples/count cpu/nanoseconds]". */
void profile_type_list(const struct profile *p, bool units, struct strbuf *out);
/* pprof's compatible, which Merge and Normalize check: 0 when a and b have equal period
 * types and equal sample types, else -1 with pprof's reason in err. */
int profile_compatible(const struct profile *a, const struct profile *b, struct cprof_error *err);

#endif
