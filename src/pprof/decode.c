/* profile.proto decoding. The top-level Profile message is walked by hand so that memory is
 * bounded by the model, not the input: each sub-message (Sample, Location, ...) is unpacked
 * by protobuf-c into a scratch arena that is reset right after, and converted at once.
 *
 * Writers put samples before the locations they use and strings last, so references are
 * resolved late: a sample's location ids become location indexes on first sight (the
 * location is filled in when its message arrives), string indexes are checked and mapped
 * to interned ids once the whole string table is known. */
#include "pprof/decode.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pprof/fastsample.h"
#include "pprof/load.h"
#include "pprof/location.h"
#include "profile.pb-c.h"
#include "util/arena.h"
#include "util/budget.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

/* Ids below this are looked up in a flat array; writers number objects densely from 1. */
#define DENSE_IDS (1u << 22)

/* id -> index, dense for small ids and hashed above. */
struct idmap {
	uint32_t *dense;
	size_t dense_cap;
	struct hashmap sparse;
};

static void idmap_init(struct idmap *m)
{
	m->dense = NULL;
	m->dense_cap = 0;
	hashmap_init(&m->sparse, 16);
}

static void idmap_release(struct idmap *m)
{
	free(m->dense);
	hashmap_release(&m->sparse);
}

static uint32_t idmap_get(const struct idmap *m, uint64_t id)
{
	if (id < DENSE_IDS)
		return id < m->dense_cap ? m->dense[id] : PROFILE_NONE;
	return hashmap_get(&m->sparse, id);
}

static void idmap_set(struct idmap *m, uint64_t id, uint32_t index)
{
	if (id >= DENSE_IDS) {
		hashmap_put(&m->sparse, id, index);
		return;
	}
	if (id >= m->dense_cap) {
		size_t old = m->dense_cap, n = old ? old : 1024;
		while (n <= id)
			n *= 2;
		m->dense = xrealloc(m->dense, n * sizeof(*m->dense));
		memset(m->dense + old, 0xff, (n - old) * sizeof(*m->dense));
		m->dense_cap = n;
	}
	m->dense[id] = index;
}

struct decoder {
	struct profile *p;
	struct cprof_error *err;
	struct arena scratch;
	ProtobufCAllocator alloc;
	struct idmap locs, funcs, maps;

	uint8_t *loc_defined;     /* per location index: its Location message was seen */
	uint32_t *loc_first_user; /* per location index: the first sample naming it */
	uint64_t *loc_mapping_id; /* per location index: mapping id, resolved at the end */
	size_t cap_loc_extra, cap_defined, cap_user;
	/* Function ids as lines name them (funcs maps an id to its reference number, which a
	 * line holds until finish makes it the function's index): per reference, the id and
	 * the function's index (PROFILE_NONE until its Function message arrives). */
	uint64_t *fref_id;
	uint32_t *fref_index;
	size_t n_frefs, cap_fref_id, cap_fref_index;

	uint32_t *str_ids; /* file string index -> interned id */
	size_t n_strs, cap_strs;
	bool strs_identity; /* str_ids[i] == i for all i so far */
	bool locs_identity; /* location id i + 1 is index i, for all locations so far */

	struct fastsample fast;
	struct stack_set stacks;
	struct hashmap label_sets; /* for profile_share_labels */
	uint32_t *tmp;
	size_t cap_tmp;
	size_t value_count; /* values per sample, from the first sample */
	size_t n_type_msgs;
	struct decode_info info;
};

static void *scratch_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void scratch_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

/* Returns 0, -1 if the data ends inside the varint, or -2 if it is longer than ten bytes
 * or overflows 64 bits. */
static int read_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	for (int shift = 0; shift < 70; shift += 7) {
		if (p >= end)
			return -1;
		uint8_t b = *p++;
		if (shift == 63 && b > 1)
			return -2;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return 0;
		}
	}
	return -2;
}

/* The message for a varint read_varint rejected with rc. */
static const char *varint_problem(int rc)
{
	return rc == -1 ? "truncated varint" : "invalid varint (over 64 bits)";
}

/* error_set for bytes that are not shaped as profile.proto at all (as opposed to a profile
 * whose content is wrong, or input that could not be read). */
__attribute__((format(printf, 2, 3))) static int shape_error(struct decoder *d, const char *fmt,
							     ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err->msg, sizeof(d->err->msg), fmt, ap);
	va_end(ap);
	d->info.not_proto = true;
	return -1;
}

/* A string index as read from the file: it must fit in 32 bits; its range is checked once
 * the table is complete. */
static int str_index(struct decoder *d, int64_t v, const char *what, uint32_t *out)
{
	if (v < 0 || v >= (int64_t)UINT32_MAX)
		return error_set(d->err, "%s: string index %" PRId64 " out of range", what, v);
	*out = (uint32_t)v;
	return 0;
}

static int add_string(struct decoder *d, const uint8_t *s, size_t n)
{
	if (d->n_strs >= UINT32_MAX - 1)
		return error_set(d->err, "string_table: too many strings");
	uint32_t id = strtab_intern(&d->p->strs, (const char *)s, n);
	XGROW(d->str_ids, d->cap_strs, d->n_strs + 1);
	if (id != d->n_strs)
		d->strs_identity = false;
	d->str_ids[d->n_strs++] = id;
	return 0;
}

static int value_type(struct decoder *d, const uint8_t *b, size_t n, const char *what,
		      struct value_type *out)
{
	Perftools__Profiles__ValueType *m =
		perftools__profiles__value_type__unpack(&d->alloc, n, b);
	if (!m)
		return shape_error(d, "%s: malformed message", what);
	int rc = 0;
	if (str_index(d, m->type, what, &out->type) < 0 ||
	    str_index(d, m->unit, what, &out->unit) < 0)
		rc = -1;
	arena_reset(&d->scratch);
	return rc;
}

static void ensure_loc_extra(struct decoder *d, size_t n)
{
	if (n > d->cap_defined) {
		size_t old = d->cap_defined;
		XGROW(d->loc_defined, d->cap_defined, n);
		memset(d->loc_defined + old, 0, d->cap_defined - old);
	}
	XGROW(d->loc_first_user, d->cap_user, n);
	XGROW(d->loc_mapping_id, d->cap_loc_extra, n);
}

/* location_ref's way for ids not seen yet (or beyond the dense array). */
static uint32_t location_slow(struct decoder *d, uint64_t id, uint32_t user)
{
	uint32_t ix = idmap_get(&d->locs, id);
	if (ix != PROFILE_NONE)
		return ix;
	struct profile *p = d->p;
	XGROW(p->locations, p->cap_locations, p->n_locations + 1);
	ix = (uint32_t)p->n_locations++;
	memset(&p->locations[ix], 0, sizeof(p->locations[ix]));
	p->locations[ix].id = id;
	p->locations[ix].mapping = PROFILE_NONE;
	ensure_loc_extra(d, ix + 1);
	d->loc_first_user[ix] = user;
	d->loc_mapping_id[ix] = 0;
	idmap_set(&d->locs, id, ix);
	if (id != (uint64_t)ix + 1)
		d->locs_identity = false;
	return ix;
}

/* The index of location id, making a placeholder if the id has not been seen yet: once for
 * every frame of every sample, so the common case is inline, and the commonest (writers
 * number locations in order of first use, as indexes are) needs no table. */
static inline uint32_t location_ref(struct decoder *d, uint64_t id, uint32_t user)
{
	if (d->locs_identity && id - 1 < d->p->n_locations)
		return (uint32_t)(id - 1);
	if (id < d->locs.dense_cap && d->locs.dense[id] != PROFILE_NONE)
		return d->locs.dense[id];
	return location_slow(d, id, user);
}

/* The reference number of function id (see struct decoder), made on first sight; -1 past
 * 2^32 - 2 distinct ids. */
static int function_ref(struct decoder *d, uint64_t id, uint32_t *out)
{
	uint32_t r = idmap_get(&d->funcs, id);
	if (r == PROFILE_NONE) {
		if (d->n_frefs >= UINT32_MAX - 1)
			return error_set(d->err, "too many functions");
		XGROW(d->fref_id, d->cap_fref_id, d->n_frefs + 1);
		XGROW(d->fref_index, d->cap_fref_index, d->n_frefs + 1);
		r = (uint32_t)d->n_frefs++;
		d->fref_id[r] = id;
		d->fref_index[r] = PROFILE_NONE;
		idmap_set(&d->funcs, id, r);
	}
	*out = r;
	return 0;
}

static int sample(struct decoder *d, const uint8_t *b, size_t n)
{
	struct profile *p = d->p;
	size_t number = p->n_samples;
	Perftools__Profiles__Sample *m = &d->fast.m;
	if (!fastsample_parse(&d->fast, b, n))
		m = perftools__profiles__sample__unpack(&d->alloc, n, b);
	if (!m)
		return shape_error(d, "sample %zu: malformed message", number);
	int rc = -1;
	if (number == 0)
		d->value_count = m->n_value;
	if (m->n_value != d->value_count) {
		error_set(d->err, "sample %zu has %zu values, sample 0 has %zu", number, m->n_value,
			  d->value_count);
		goto out;
	}
	if (number >= UINT32_MAX - 1 || m->n_location_id >= UINT32_MAX ||
	    p->n_stack_bytes + STACK_ROOM(m->n_location_id) > UINT32_MAX ||
	    p->n_labels + m->n_label >= UINT32_MAX) {
		error_set(d->err,
			  "sample %zu: profile too large (over 4 GiB of stacks or 2^32 labels)",
			  number);
		goto out;
	}
	XGROW(d->tmp, d->cap_tmp, m->n_location_id);
	for (size_t i = 0; i < m->n_location_id; i++) {
		if (m->location_id[i] == 0) {
			error_set(d->err, "sample %zu names location id 0 (ids must be non-zero)",
				  number);
			goto out;
		}
		d->tmp[i] = location_ref(d, m->location_id[i], (uint32_t)number);
	}
	XGROW(p->samples, p->cap_samples, number + 1);
	struct sample *s = &p->samples[number];
	/* Ids that are indexes + 1 (locs_identity still holds after the loop above) in one
	 * canonical run are the stack already encoded. */
	if (m == &d->fast.m && d->fast.loc_run && d->locs_identity)
		s->stack = profile_add_encoded_stack(p, &d->stacks, d->fast.loc_run,
						     d->fast.loc_run_len,
						     (uint32_t)m->n_location_id);
	else
		s->stack = profile_add_stack(p, &d->stacks, d->tmp, (uint32_t)m->n_location_id);
	s->first_label = (uint32_t)p->n_labels;
	s->n_labels = (uint32_t)m->n_label;
	if (m->n_value) {
		XGROW(p->values, p->cap_values, (number + 1) * m->n_value);
		memcpy(p->values + number * m->n_value, m->value, m->n_value * sizeof(int64_t));
	}
	XGROW(p->labels, p->cap_labels, p->n_labels + m->n_label);
	if (m->n_label)
		memset(&p->labels[p->n_labels], 0, m->n_label * sizeof(struct label));
	for (size_t i = 0; i < m->n_label; i++) {
		const Perftools__Profiles__Label *l = m->label[i];
		struct label *out = &p->labels[p->n_labels + i];
		if (str_index(d, l->key, "sample label key", &out->key) < 0 ||
		    str_index(d, l->str, "sample label value", &out->str) < 0 ||
		    str_index(d, l->num_unit, "sample label unit", &out->num_unit) < 0)
			goto out;
		out->num = l->num;
	}
	p->n_labels += m->n_label;
	s->first_label = profile_share_labels(p, &d->label_sets, (uint32_t)m->n_label);
	p->n_samples++;
	rc = 0;
out:
	arena_reset(&d->scratch);
	return rc;
}

static int mapping(struct decoder *d, const uint8_t *b, size_t n)
{
	struct profile *p = d->p;
	Perftools__Profiles__Mapping *m = perftools__profiles__mapping__unpack(&d->alloc, n, b);
	if (!m)
		return shape_error(d, "mapping %zu: malformed message", p->n_mappings);
	int rc = -1;
	if (m->id == 0) {
		error_set(d->err, "mapping %zu has id 0 (ids must be non-zero)", p->n_mappings);
		goto out;
	}
	if (idmap_get(&d->maps, m->id) != PROFILE_NONE) {
		error_set(d->err, "mapping id %" PRIu64 " is defined twice", m->id);
		goto out;
	}
	XGROW(p->mappings, p->cap_mappings, p->n_mappings + 1);
	struct mapping *o = &p->mappings[p->n_mappings];
	o->id = m->id;
	o->start = m->memory_start;
	o->limit = m->memory_limit;
	o->offset = m->file_offset;
	if (str_index(d, m->filename, "mapping filename", &o->file) < 0 ||
	    str_index(d, m->build_id, "mapping build_id", &o->build_id) < 0)
		goto out;
	o->has_functions = m->has_functions;
	o->has_filenames = m->has_filenames;
	o->has_line_numbers = m->has_line_numbers;
	o->has_inline_frames = m->has_inline_frames;
	idmap_set(&d->maps, m->id, (uint32_t)p->n_mappings);
	p->n_mappings++;
	rc = 0;
out:
	arena_reset(&d->scratch);
	return rc;
}

static int function(struct decoder *d, const uint8_t *b, size_t n)
{
	struct profile *p = d->p;
	Perftools__Profiles__Function *m = perftools__profiles__function__unpack(&d->alloc, n, b);
	if (!m)
		return shape_error(d, "function %zu: malformed message", p->n_functions);
	int rc = -1;
	if (m->id == 0) {
		error_set(d->err, "function %zu has id 0 (ids must be non-zero)", p->n_functions);
		goto out;
	}
	uint32_t ref = idmap_get(&d->funcs, m->id);
	if (ref != PROFILE_NONE && d->fref_index[ref] != PROFILE_NONE) {
		error_set(d->err, "function id %" PRIu64 " is defined twice", m->id);
		goto out;
	}
	XGROW(p->functions, p->cap_functions, p->n_functions + 1);
	struct function *o = &p->functions[p->n_functions];
	o->id = m->id;
	if (str_index(d, m->name, "function name", &o->name) < 0 ||
	    str_index(d, m->system_name, "function system_name", &o->system_name) < 0 ||
	    str_index(d, m->filename, "function filename", &o->filename) < 0)
		goto out;
	o->start_line = m->start_line;
	if (function_ref(d, m->id, &ref) < 0)
		goto out;
	d->fref_index[ref] = (uint32_t)p->n_functions;
	p->n_functions++;
	rc = 0;
out:
	arena_reset(&d->scratch);
	return rc;
}

/* Room in p->lines for n more: doubling as lines arrive, but a location bigger than all
 * before it gets exactly its own (one location may hold most of a profile's lines). */
static int grow_lines(struct decoder *d, size_t n)
{
	struct profile *p = d->p;
	size_t need = p->n_lines + n;
	if (need <= p->cap_lines)
		return 0;
	size_t cap = p->cap_lines * 2 > need ? p->cap_lines * 2 : need;
	if (cap < 16)
		cap = 16;
	if (!budget_allows((cap - p->cap_lines) * sizeof(struct line)))
		return budget_error(d->err);
	p->lines = xrealloc(p->lines, cap * sizeof(struct line));
	p->cap_lines = cap;
	return 0;
}

static int location(struct decoder *d, const uint8_t *b, size_t n)
{
	struct profile *p = d->p;
	struct location_msg m;
	if (!location_scan(b, n, &m))
		return shape_error(d, "location: malformed message");
	if (m.id == 0)
		return error_set(d->err, "a location has id 0 (ids must be non-zero)");
	if (p->n_lines + m.n_lines >= UINT32_MAX)
		return error_set(d->err, "location id %" PRIu64 ": too many lines", m.id);
	uint32_t ix = location_ref(d, m.id, UINT32_MAX);
	if (d->loc_defined[ix])
		return error_set(d->err, "location id %" PRIu64 " is defined twice", m.id);
	/* As pprof's CheckValid: a line names a function. */
	if (m.line_without_function)
		return error_set(d->err,
				 "location id %" PRIu64
				 " has a line without a function (function_id 0)",
				 m.id);
	if (grow_lines(d, m.n_lines) < 0)
		return -1;
	d->loc_defined[ix] = 1;
	struct location *o = &p->locations[ix];
	o->address = m.address;
	o->is_folded = m.is_folded;
	o->first_line = (uint32_t)p->n_lines;
	o->n_lines = (uint32_t)m.n_lines;
	d->loc_mapping_id[ix] = m.mapping_id;
	/* Each line holds its function's reference number until finish. */
	struct line_reader r;
	struct location_line ln;
	line_reader_init(&r, b, n);
	while (line_reader_next(&r, &ln)) {
		struct line *l = &p->lines[p->n_lines];
		if (function_ref(d, ln.function_id, &l->function) < 0)
			return -1;
		l->line = ln.line;
		l->column = ln.column;
		p->n_lines++;
	}
	return 0;
}

static int comment_value(struct decoder *d, uint64_t v)
{
	struct profile *p = d->p;
	XGROW(p->comments, p->cap_comments, p->n_comments + 1);
	return str_index(d, (int64_t)v, "comment", &p->comments[p->n_comments++]);
}

static int wire_mismatch(struct decoder *d, unsigned field, unsigned wt, size_t off)
{
	return shape_error(d,
			   "not a profile.proto message (field %u has wire type %u at offset %zu)",
			   field, wt, off);
}

/* One top-level field. v holds a varint's value; b/n a length-delimited field's bytes. */
static int field(struct decoder *d, unsigned num, unsigned wt, uint64_t v, const uint8_t *b,
		 size_t n, size_t off)
{
	struct profile *p = d->p;
	bool lenfield = wt == 2, varint = wt == 0;
	switch (num) {
	case 1:
		if (!lenfield)
			return wire_mismatch(d, num, wt, off);
		XGROW(p->types, p->cap_types, p->n_types + 1);
		if (value_type(d, b, n, "sample_type", &p->types[p->n_types]) < 0)
			return -1;
		p->n_types++;
		return 0;
	case 2:
		return lenfield ? sample(d, b, n) : wire_mismatch(d, num, wt, off);
	case 3:
		return lenfield ? mapping(d, b, n) : wire_mismatch(d, num, wt, off);
	case 4:
		return lenfield ? location(d, b, n) : wire_mismatch(d, num, wt, off);
	case 5:
		return lenfield ? function(d, b, n) : wire_mismatch(d, num, wt, off);
	case 6:
		return lenfield ? add_string(d, b, n) : wire_mismatch(d, num, wt, off);
	case 11:
		return lenfield ? value_type(d, b, n, "period_type", &p->period_type)
				: wire_mismatch(d, num, wt, off);
	case 13:
		if (varint)
			return comment_value(d, v);
		if (lenfield) {
			const uint8_t *q = b, *end = b + n;
			while (q < end) {
				uint64_t c;
				int vr = read_varint(&q, end, &c);
				if (vr < 0)
					return shape_error(d, "comment: %s", varint_problem(vr));
				if (comment_value(d, c) < 0)
					return -1;
			}
			return 0;
		}
		return wire_mismatch(d, num, wt, off);
	case 7:
	case 8:
	case 9:
	case 10:
	case 12:
	case 14:
	case 15:
		if (!varint)
			return wire_mismatch(d, num, wt, off);
		switch (num) {
		case 7:
			return str_index(d, (int64_t)v, "drop_frames", &p->drop_frames);
		case 8:
			return str_index(d, (int64_t)v, "keep_frames", &p->keep_frames);
		case 9:
			p->time_nanos = (int64_t)v;
			return 0;
		case 10:
			p->duration_nanos = (int64_t)v;
			return 0;
		case 12:
			p->period = (int64_t)v;
			return 0;
		case 14:
			return str_index(d, (int64_t)v, "default_sample_type",
					 &p->default_sample_type);
		default:
			return str_index(d, (int64_t)v, "doc_url", &p->doc_url);
		}
	default:
		return 0; /* unknown fields are skipped, as protobuf requires */
	}
}

/* Checks a file string index and turns it into an interned id. */
static int resolve_str(struct decoder *d, uint32_t *s, const char *what, uint64_t owner)
{
	if (*s >= d->n_strs) {
		if (owner)
			return error_set(d->err,
					 "%s id %" PRIu64 ": string index %" PRIu32
					 " out of range (string_table has %zu entries)",
					 what, owner, *s, d->n_strs);
		return error_set(d->err,
				 "%s: string index %" PRIu32
				 " out of range (string_table has %zu entries)",
				 what, *s, d->n_strs);
	}
	*s = d->str_ids[*s];
	return 0;
}

static int finish(struct decoder *d)
{
	struct profile *p = d->p;
	if (d->n_strs == 0)
		return error_set(d->err,
				 "string_table is missing (its entry 0 must be the empty string)");
	if (p->strs.len[d->str_ids[0]] != 0)
		return error_set(d->err, "string_table[0] must be the empty string");

	for (size_t i = 0; i < p->n_locations; i++) {
		struct location *l = &p->locations[i];
		if (!d->loc_defined[i])
			return error_set(d->err,
					 "sample %" PRIu32 " refers to location id %" PRIu64
					 ", which is not defined",
					 d->loc_first_user[i], l->id);
		uint64_t mid = d->loc_mapping_id[i];
		if (mid) {
			l->mapping = idmap_get(&d->maps, mid);
			if (l->mapping == PROFILE_NONE)
				return error_set(d->err,
						 "location id %" PRIu64
						 " refers to mapping id %" PRIu64
						 ", which is not defined",
						 l->id, mid);
		}
		for (uint32_t k = 0; k < l->n_lines; k++) {
			struct line *ln = &p->lines[l->first_line + k];
			uint32_t f = d->fref_index[ln->function];
			if (f == PROFILE_NONE)
				return error_set(d->err,
						 "location id %" PRIu64
						 " refers to function id %" PRIu64
						 ", which is not defined",
						 l->id, d->fref_id[ln->function]);
			ln->function = f;
		}
	}
	if (p->n_samples && d->value_count != p->n_types)
		return error_set(d->err,
				 "samples have %zu values but the profile has %zu sample types",
				 d->value_count, p->n_types);

	/* Strings: every index must be in range; ids differ from indexes only when the
	 * table holds duplicates. */
	for (size_t i = 0; i < p->n_types; i++)
		if (resolve_str(d, &p->types[i].type, "sample_type", 0) < 0 ||
		    resolve_str(d, &p->types[i].unit, "sample_type unit", 0) < 0)
			return -1;
	if (resolve_str(d, &p->period_type.type, "period_type", 0) < 0 ||
	    resolve_str(d, &p->period_type.unit, "period_type unit", 0) < 0 ||
	    resolve_str(d, &p->default_sample_type, "default_sample_type", 0) < 0 ||
	    resolve_str(d, &p->drop_frames, "drop_frames", 0) < 0 ||
	    resolve_str(d, &p->keep_frames, "keep_frames", 0) < 0 ||
	    resolve_str(d, &p->doc_url, "doc_url", 0) < 0)
		return -1;
	for (size_t i = 0; i < p->n_comments; i++)
		if (resolve_str(d, &p->comments[i], "comment", 0) < 0)
			return -1;
	for (size_t i = 0; i < p->n_mappings; i++) {
		struct mapping *m = &p->mappings[i];
		if (resolve_str(d, &m->file, "filename of mapping", m->id) < 0 ||
		    resolve_str(d, &m->build_id, "build_id of mapping", m->id) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->n_functions; i++) {
		struct function *f = &p->functions[i];
		if (resolve_str(d, &f->name, "name of function", f->id) < 0 ||
		    resolve_str(d, &f->system_name, "system_name of function", f->id) < 0 ||
		    resolve_str(d, &f->filename, "filename of function", f->id) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->n_labels; i++) {
		struct label *l = &p->labels[i];
		if (resolve_str(d, &l->key, "sample label key", 0) < 0 ||
		    resolve_str(d, &l->str, "sample label value", 0) < 0 ||
		    resolve_str(d, &l->num_unit, "sample label unit", 0) < 0)
			return -1;
	}
	return 0;
}

/* What a length-delimited field's key and length (of head bytes, declaring len more) tell
 * before any of it is read: a length past what the input can hold, a field too big for
 * the memory budget (its bytes, and a string's copy), a non-empty first string. */
static int early_checks(struct decoder *d, struct instream *in, unsigned num, size_t head,
			uint64_t len)
{
	struct cprof_error *err = d->err;
	uint64_t off = instream_offset(in);
	bool capped;
	uint64_t most = instream_most(in, &capped);
	if (len > most || head + len > most) {
		if (capped)
			return error_set(err,
					 "field %u at offset %" PRIu64 " is %" PRIu64
					 " bytes long, past the %" PRIu64
					 "-byte limit (raise it with -max_size)",
					 num, off, len, off + most);
		return shape_error(d,
				   "field %u at offset %" PRIu64 " runs past the end of "
				   "the data (truncated profile?)",
				   num, off);
	}
	if (!budget_allows(head + len + (num == 6 ? len : 0)))
		return budget_error(err);
	if (num == 6 && d->n_strs == 0 && len != 0)
		return error_set(err, "string_table[0] must be the empty string");
	return 0;
}

/* The top-level loop: one Profile field at a time from the stream's window. */
static int decode_fields(struct decoder *d, struct instream *in)
{
	struct cprof_error *err = d->err;
	const uint8_t *q;
	ssize_t avail = instream_peek(in, 1, &q, err);
	if (avail < 0)
		return -1;
	if (avail == 0)
		return error_set(err, "empty profile");
	for (;;) {
		/* A key and a length take at most 20 bytes. */
		avail = instream_peek(in, 20, &q, err);
		if (avail < 0)
			return -1;
		if (avail == 0)
			return 0;
		const uint8_t *p = q, *end = q + avail;
		uint64_t off = instream_offset(in), key, v = 0;
		int vr = read_varint(&p, end, &key);
		if (vr < 0)
			return shape_error(d, "%s in a field key at offset %" PRIu64 "%s",
					   varint_problem(vr), off,
					   vr == -1 ? " (truncated profile?)" : "");
		unsigned num = (unsigned)(key >> 3), wt = (unsigned)(key & 7);
		if (key >> 3 == 0 || key >> 3 > 536870911)
			return shape_error(d,
					   "not a profile.proto message (invalid field number at "
					   "offset %" PRIu64 ")",
					   off);
		size_t head, total;
		switch (wt) {
		case 0:
			vr = read_varint(&p, end, &v);
			if (vr < 0)
				return shape_error(d, "field %u at offset %" PRIu64 ": %s%s", num,
						   off, varint_problem(vr),
						   vr == -1 ? " (truncated profile?)" : "");
			total = (size_t)(p - q);
			break;
		case 1:
		case 5:
			head = (size_t)(p - q);
			total = head + (wt == 1 ? 8 : 4);
			break;
		case 2:
			vr = read_varint(&p, end, &v);
			if (vr < 0)
				return shape_error(d,
						   "field %u at offset %" PRIu64
						   ": %s in its length%s",
						   num, off, varint_problem(vr),
						   vr == -1 ? " (truncated profile?)" : "");
			head = (size_t)(p - q);
			if (early_checks(d, in, num, head, v) < 0)
				return -1;
			total = head + (size_t)v;
			break;
		default:
			return shape_error(
				d,
				"not a profile.proto message (unsupported wire type %u at "
				"offset %" PRIu64 ")",
				wt, off);
		}
		if (wt != 0) {
			avail = instream_peek(in, total, &q, err);
			if (avail < 0)
				return -1;
			if ((size_t)avail < total)
				return shape_error(d,
						   "field %u at offset %" PRIu64
						   " runs past the end of "
						   "the data (truncated profile?)",
						   num, off);
		}
		const uint8_t *b = wt == 2 ? q + head : NULL;
		if (field(d, num, wt, v, b, wt == 2 ? (size_t)v : 0, (size_t)off) < 0)
			return -1;
		if (wt == 2)
			d->info.messages++;
		instream_consume(in, total);
	}
}

int decode_stream(struct instream *in, struct profile *p, struct cprof_error *err)
{
	struct decode_info info;
	return decode_stream_info(in, p, err, &info);
}

int decode_stream_info(struct instream *in, struct profile *p, struct cprof_error *err,
		       struct decode_info *info)
{
	struct decoder d;
	memset(&d, 0, sizeof(d));
	d.p = p;
	d.err = err;
	d.strs_identity = true;
	d.locs_identity = true;
	arena_init(&d.scratch, 64 * 1024);
	d.alloc.alloc = scratch_alloc;
	d.alloc.free = scratch_free;
	d.alloc.allocator_data = &d.scratch;
	idmap_init(&d.locs);
	idmap_init(&d.funcs);
	idmap_init(&d.maps);
	stack_set_init(&d.stacks, 1024);
	hashmap_init(&d.label_sets, 64);

	int rc = decode_fields(&d, in);
	if (rc == 0)
		rc = finish(&d);

	arena_release(&d.scratch);
	idmap_release(&d.locs);
	idmap_release(&d.funcs);
	idmap_release(&d.maps);
	stack_set_release(&d.stacks);
	fastsample_free(&d.fast);
	hashmap_release(&d.label_sets);
	free(d.loc_defined);
	free(d.loc_first_user);
	free(d.loc_mapping_id);
	free(d.fref_id);
	free(d.fref_index);
	free(d.str_ids);
	free(d.tmp);
	*info = d.info;
	return rc;
}

int decode_profile(const uint8_t *buf, size_t len, struct profile *p, struct cprof_error *err)
{
	struct decode_info info;
	return decode_profile_info(buf, len, p, err, &info);
}

int decode_profile_info(const uint8_t *buf, size_t len, struct profile *p, struct cprof_error *err,
			struct decode_info *info)
{
	struct instream *in = instream_memory(buf, len, SIZE_MAX);
	int rc = decode_stream_info(in, p, err, info);
	instream_close(in);
	return rc;
}

bool decode_plausible(const uint8_t *head, size_t n)
{
	const uint8_t *q = head, *end = head + n;
	while (q < end) {
		uint64_t key, v;
		int vr = read_varint(&q, end, &key);
		if (vr != 0)
			return vr == -1; /* cut by the end of the head, or not a varint */
		uint64_t num = key >> 3;
		unsigned wt = (unsigned)(key & 7);
		if (num == 0 || num > 536870911)
			return false;
		/* What field() takes: messages and strings length-delimited, the rest varints,
		 * comments either way; unknown fields anything protobuf has. */
		bool known = num <= 15, message = num <= 6 || num == 11;
		switch (wt) {
		case 0:
			vr = read_varint(&q, end, &v);
			if (vr != 0)
				return vr == -1;
			if (known && message)
				return false;
			break;
		case 1:
		case 5:
			if (known)
				return false;
			if ((size_t)(end - q) < (wt == 1 ? 8u : 4u))
				return true;
			q += wt == 1 ? 8 : 4;
			break;
		case 2:
			vr = read_varint(&q, end, &v);
			if (vr != 0)
				return vr == -1;
			if (known && !message && num != 13)
				return false;
			if (v > (uint64_t)(end - q))
				return true;
			q += v;
			break;
		default:
			return false;
		}
	}
	return true;
}
