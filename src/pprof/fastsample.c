/* The Sample fast path (see fastsample.h). tests/unit/test_fastsample checks it against
 * protobuf-c on valid and mangled messages. */
#include "pprof/fastsample.h"

#include <limits.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* A varint of at most max_bytes bytes: nine (63 bits) for values, as longer ones (negative
 * values take ten) are left to protobuf-c, so there is no overflow rule here to get wrong;
 * five for keys and lengths, the most protobuf-c reads for those. */
static inline bool varint_max(const uint8_t **pp, const uint8_t *end, uint64_t *out,
			      unsigned max_bytes)
{
	const uint8_t *p = *pp;
	if (p < end && *p < 0x80) {
		*out = *p;
		*pp = p + 1;
		return true;
	}
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 7 * max_bytes; shift += 7) {
		if (p >= end)
			return false;
		uint8_t c = *p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*pp = p;
			*out = v;
			return true;
		}
	}
	return false;
}

static inline bool varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	return varint_max(pp, end, out, 9);
}

/* A key or a length. */
static inline bool varint5(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	return varint_max(pp, end, out, 5);
}

/* Whether a length-delimited field of len bytes at p fits before end (and under INT_MAX,
 * protobuf-c's limit). */
static inline bool fits(uint64_t len, const uint8_t *p, const uint8_t *end)
{
	return len <= (uint64_t)(end - p) && len <= INT_MAX;
}

/* Appends the varints of a packed run of len bytes at *pp to arr (n of them so far). */
#define PACKED(arr, cap, n, type)                                                                  \
	do {                                                                                       \
		uint64_t len_;                                                                     \
		if (!varint5(&p, end, &len_) || !fits(len_, p, end))                               \
			return false;                                                              \
		const uint8_t *stop_ = p + len_;                                                   \
		XGROW(arr, cap, (n) + len_ + 1);                                                   \
		while (p < stop_) {                                                                \
			uint64_t v_;                                                               \
			if (!varint(&p, stop_, &v_))                                               \
				return false;                                                      \
			(arr)[(n)++] = (type)v_;                                                   \
		}                                                                                  \
	} while (0)

static bool label(Perftools__Profiles__Label *l, const uint8_t *p, const uint8_t *end)
{
	Perftools__Profiles__Label init = PERFTOOLS__PROFILES__LABEL__INIT;
	*l = init;
	while (p < end) {
		uint64_t key, v;
		if (!varint5(&p, end, &key) || (key & 7) != 0 || !varint(&p, end, &v))
			return false;
		switch (key >> 3) {
		case 1:
			l->key = (int64_t)v;
			break;
		case 2:
			l->str = (int64_t)v;
			break;
		case 3:
			l->num = (int64_t)v;
			break;
		case 4:
			l->num_unit = (int64_t)v;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* Appends the location ids of a packed run; false if malformed. Notes whether each varint
 * is canonical (no final zero byte after the first): only then is the run reusable. */
static bool location_run(struct fastsample *f, const uint8_t **pp, const uint8_t *end, size_t *nl,
			 bool *canonical)
{
	const uint8_t *p = *pp;
	uint64_t len, v;
	if (!varint5(&p, end, &len) || !fits(len, p, end))
		return false;
	const uint8_t *stop = p + len;
	XGROW(f->locs, f->cap_locs, *nl + len + 1);
	f->loc_run = p;
	f->loc_run_len = (size_t)len;
	while (p < stop) {
		const uint8_t *start = p;
		if (!varint(&p, stop, &v))
			return false;
		if (p - start > 1 && p[-1] == 0)
			*canonical = false;
		f->locs[(*nl)++] = v;
	}
	*pp = p;
	return true;
}

bool fastsample_parse(struct fastsample *f, const uint8_t *b, size_t n)
{
	const uint8_t *p = b, *end = b + n;
	size_t nl = 0, nv = 0, nlab = 0, loc_fields = 0;
	bool canonical = true;
	while (p < end) {
		uint64_t key, v;
		if (!varint5(&p, end, &key))
			return false;
		switch (key) {
		case 1 << 3 | 2:
			loc_fields++;
			if (!location_run(f, &p, end, &nl, &canonical))
				return false;
			break;
		case 2 << 3 | 2:
			PACKED(f->values, f->cap_values, nv, int64_t);
			break;
		case 1 << 3 | 0:
			loc_fields += 2; /* ids one by one: no run to reuse */
			if (!varint(&p, end, &v))
				return false;
			XGROW(f->locs, f->cap_locs, nl + 1);
			f->locs[nl++] = v;
			break;
		case 2 << 3 | 0:
			if (!varint(&p, end, &v))
				return false;
			XGROW(f->values, f->cap_values, nv + 1);
			f->values[nv++] = (int64_t)v;
			break;
		case 3 << 3 | 2:
			if (!varint5(&p, end, &v) || !fits(v, p, end))
				return false;
			XGROW(f->labels, f->cap_labels, nlab + 1);
			if (!label(&f->labels[nlab++], p, p + v))
				return false;
			p += v;
			break;
		default:
			return false;
		}
	}
	/* The label array may have moved while it grew: point at it only now. */
	XGROW(f->label_ptrs, f->cap_label_ptrs, nlab + 1);
	for (size_t i = 0; i < nlab; i++)
		f->label_ptrs[i] = &f->labels[i];
	Perftools__Profiles__Sample init = PERFTOOLS__PROFILES__SAMPLE__INIT;
	f->m = init;
	f->m.n_location_id = nl;
	f->m.location_id = f->locs;
	f->m.n_value = nv;
	f->m.value = f->values;
	f->m.n_label = nlab;
	f->m.label = f->label_ptrs;
	if (loc_fields != 1 || !canonical)
		f->loc_run = NULL;
	return true;
}

void fastsample_free(struct fastsample *f)
{
	free(f->locs);
	free(f->values);
	free(f->labels);
	free(f->label_ptrs);
}
