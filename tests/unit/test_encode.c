/* pprof/encode: a profile built by hand is encoded, inflated with zlib and walked as raw
 * protobuf (ids are index + 1, the string table holds exactly the strings used, "" first,
 * once each), then decoded with pprof/decode and compared with the original field by field
 * (labels pprof would drop are gone, everything else survives). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "model/labels.h"
#include "model/profile.h"
#include "pprof/decode.h"
#include "pprof/encode.h"
#include "pprof/load.h"
#include "tap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static uint32_t strn(struct profile *p, const char *s, size_t n)
{
	return strtab_intern(&p->strs, s, n);
}

static uint32_t str(struct profile *p, const char *s)
{
	return strn(p, s, strlen(s));
}

enum { N_LOCS = 300, N_FUNCS = 5, N_TYPES = 2 };

/* Location k's mapping (or none), its lines' functions, and whether it is folded: every
 * fourth location has no mapping, location 5 has no lines, location 0 an inlined frame. (A
 * line without a function cannot be read back: pprof and cprof refuse the profile.) */
static uint32_t loc_mapping(size_t k)
{
	return k % 4 == 3 ? PROFILE_NONE : (uint32_t)(k % 2);
}

static uint32_t loc_lines(size_t k)
{
	return k == 5 ? 0 : k == 0 ? 2 : 1;
}

/* The function of line i of location k: location 0's first line (the inlined frame) is
 * function 1, the others call functions 0 and 2. */
static uint32_t line_function(size_t k, uint32_t i)
{
	if (k == 0 && i == 0)
		return 1;
	return k % 3 ? 2 : 0;
}

static void add_sample(struct profile *p, struct stack_set *set, const uint32_t *locs,
		       uint32_t depth, int64_t v0, int64_t v1, const struct label *ls, uint32_t n)
{
	XGROW(p->samples, p->cap_samples, p->n_samples + 1);
	XGROW(p->values, p->cap_values, N_TYPES * (p->n_samples + 1));
	XGROW(p->labels, p->cap_labels, p->n_labels + n + 1);
	struct sample *s = &p->samples[p->n_samples];
	s->stack = profile_add_stack(p, set, locs, depth);
	s->first_label = (uint32_t)p->n_labels;
	s->n_labels = n;
	for (uint32_t i = 0; i < n; i++)
		p->labels[p->n_labels++] = ls[i];
	p->values[N_TYPES * p->n_samples] = v0;
	p->values[N_TYPES * p->n_samples + 1] = v1;
	p->n_samples++;
}

/* The profile: every field set, file ids that are not index + 1, strings nothing uses. */
static struct profile *build(void)
{
	struct profile *p = profile_new();
	str(p, "never used");
	p->types = xcalloc(N_TYPES, sizeof(*p->types));
	p->n_types = p->cap_types = N_TYPES;
	p->types[0] = (struct value_type){ str(p, "samples"), str(p, "count") };
	p->types[1] = (struct value_type){ str(p, "cpu"), str(p, "nanoseconds") };
	p->period_type = (struct value_type){ str(p, "cpu"), str(p, "nanoseconds") };
	p->period = 10000000;
	p->time_nanos = 1700000000123456789;
	p->duration_nanos = 2500000000;
	p->drop_frames = str(p, "runtime\\..*");
	p->keep_frames = str(p, "main\\.keep");
	p->default_sample_type = str(p, "cpu");
	p->doc_url = str(p, "https://example.com/doc");
	str(p, "also never used");
	static const char *const comments[] = { "first comment", "second", "first comment" };
	p->comments = xcalloc(3, sizeof(*p->comments));
	p->n_comments = p->cap_comments = 3;
	for (size_t i = 0; i < 3; i++)
		p->comments[i] = str(p, comments[i]);

	p->mappings = xcalloc(2, sizeof(*p->mappings));
	p->n_mappings = p->cap_mappings = 2;
	p->mappings[0] = (struct mapping){ .id = 77,
					   .start = 0x400000,
					   .limit = 0x800000,
					   .offset = 0x1000,
					   .file = str(p, "/bin/app"),
					   .build_id = str(p, "abc123"),
					   .has_functions = true,
					   .has_filenames = true,
					   .has_line_numbers = true,
					   .has_inline_frames = true };
	p->mappings[1] = (struct mapping){
		.id = 5, .start = UINT64_MAX - 0xfff, .limit = UINT64_MAX, .file = str(p, "[vdso]")
	};

	/* A name with a NUL inside; a function no location uses; one with all strings "". */
	p->functions = xcalloc(N_FUNCS, sizeof(*p->functions));
	p->n_functions = p->cap_functions = N_FUNCS;
	p->functions[0] = (struct function){ .id = 1000,
					     .name = str(p, "main.main"),
					     .system_name = str(p, "main.main"),
					     .filename = str(p, "main.go"),
					     .start_line = 10 };
	p->functions[1] = (struct function){ .id = 3,
					     .name = strn(p, "in\0lined", 8),
					     .system_name = str(p, "sys.inlined"),
					     .filename = str(p, "util.go"),
					     .start_line = -1 };
	p->functions[2] = (struct function){ .id = 9,
					     .name = str(p, "lib.work"),
					     .filename = str(p, "/src/lib/work.c") };
	p->functions[3] = (struct function){ .id = 1,
					     .name = str(p, "orphan"),
					     .filename = str(p, "orphan.go"),
					     .start_line = 1 << 30 };
	p->functions[4] = (struct function){ .id = 2 };

	p->locations = xcalloc(N_LOCS, sizeof(*p->locations));
	p->n_locations = p->cap_locations = N_LOCS;
	for (size_t k = 0; k < N_LOCS; k++) {
		struct location *l = &p->locations[k];
		*l = (struct location){ .id = 5000 - k,
					.mapping = loc_mapping(k),
					.address = 0x400000 + 16 * k,
					.first_line = (uint32_t)p->n_lines,
					.n_lines = loc_lines(k),
					.is_folded = k % 10 == 9 };
		XGROW(p->lines, p->cap_lines, p->n_lines + l->n_lines);
		for (uint32_t i = 0; i < l->n_lines; i++)
			p->lines[p->n_lines++] = (struct line){ .function = line_function(k, i),
								.line = (int64_t)(k * 3 + i),
								.column = (int64_t)(k % 5) };
	}

	struct stack_set set;
	stack_set_init(&set, 16);
	uint32_t deep[N_LOCS], some[] = { 299, 0, 150, 7 }, two[] = { 5, 128 };
	for (size_t k = 0; k < N_LOCS; k++)
		deep[k] = (uint32_t)(N_LOCS - 1 - k); /* first use in reverse index order */
	const struct label lab[] = {
		{ .key = str(p, "thread"), .str = str(p, "worker-1") },
		{ .key = str(p, "bytes"), .num = 4096, .num_unit = str(p, "bytes") },
		{ .key = str(p, "dropped key"), .str = 0, .num = 0, .num_unit = 0 },
		{ .key = str(p, "delta"), .num = -17 },
		{ .key = str(p, "unit only"), .num_unit = str(p, "ms") },
		{ .key = str(p, "thread"), .str = str(p, "worker-2") },
	};
	add_sample(p, &set, deep, N_LOCS, 1, 10000000, NULL, 0);
	add_sample(p, &set, some, 4, INT64_MAX, INT64_MIN, lab, 6);
	add_sample(p, &set, NULL, 0, -5, 0, lab, 2);
	add_sample(p, &set, two, 2, 0, 0, lab + 2, 1); /* its only label is dropped */
	add_sample(p, &set, some, 4, 3, -300, lab + 3, 3);
	stack_set_release(&set);
	return p;
}

/* The strings the encoding must hold: everything p refers to, but for dropped labels. */
static void used_strings(const struct profile *p, struct strtab *want)
{
#define USE(id) strtab_intern(want, profile_str(p, (id)), p->strs.len[(id)])
	for (size_t i = 0; i < p->n_types; i++)
		USE(p->types[i].type), USE(p->types[i].unit);
	USE(p->period_type.type), USE(p->period_type.unit);
	USE(p->drop_frames), USE(p->keep_frames), USE(p->default_sample_type), USE(p->doc_url);
	for (size_t i = 0; i < p->n_comments; i++)
		USE(p->comments[i]);
	for (size_t i = 0; i < p->n_mappings; i++)
		USE(p->mappings[i].file), USE(p->mappings[i].build_id);
	for (size_t i = 0; i < p->n_functions; i++)
		USE(p->functions[i].name), USE(p->functions[i].system_name),
			USE(p->functions[i].filename);
	for (size_t s = 0; s < p->n_samples; s++)
		for (uint32_t i = 0; i < p->samples[s].n_labels; i++) {
			const struct label *l = &p->labels[p->samples[s].first_label + i];
			if (label_kept(l))
				USE(l->key), USE(l->str), USE(l->num_unit);
		}
#undef USE
}

static bool inflate_all(const struct strbuf *gz, size_t from, struct strbuf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return false;
	z.next_in = (Bytef *)gz->buf + from;
	z.avail_in = (uInt)(gz->len - from);
	int rc;
	do {
		strbuf_grow(out, 4096);
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = 4096;
		rc = inflate(&z, Z_NO_FLUSH);
		out->len = (size_t)((char *)z.next_out - out->buf);
	} while (rc == Z_OK);
	bool ok = rc == Z_STREAM_END && z.avail_in == 0;
	inflateEnd(&z);
	return ok;
}

struct cursor {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t varint(struct cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end)
			break;
		uint8_t b = *c->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80)
			return v;
	}
	c->bad = true;
	return 0;
}

/* Field 1 (id) of a sub-message; 0 if absent. */
static uint64_t sub_id(const uint8_t *b, size_t n, bool *bad)
{
	struct cursor c = { b, b + n, false };
	uint64_t id = 0;
	while (c.p < c.end && !c.bad) {
		uint64_t key = varint(&c);
		if ((key & 7) == 0) {
			uint64_t v = varint(&c);
			if (key >> 3 == 1)
				id = v;
		} else if ((key & 7) == 2) {
			uint64_t len = varint(&c);
			if (len > (uint64_t)(c.end - c.p))
				c.bad = true;
			else
				c.p += len;
		} else {
			c.bad = true;
		}
	}
	*bad |= c.bad;
	return id;
}

/* Walks the raw message: the string table, and the ids of mappings, locations, functions in
 * the order written. */
static void test_raw(const struct profile *p, const struct strtab *want, const struct strbuf *gz)
{
	tap_ok(gz->len > 2 && (uint8_t)gz->buf[0] == 0x1f && (uint8_t)gz->buf[1] == 0x8b,
	       "raw: gzip magic");
	struct strbuf raw = STRBUF_INIT;
	tap_ok(inflate_all(gz, 0, &raw), "raw: inflates whole (%zu bytes)", raw.len);
	struct cursor c = { (const uint8_t *)raw.buf, (const uint8_t *)raw.buf + raw.len, false };
	struct strtab seen;
	strtab_init(&seen);
	size_t n_strs = 0, n_id[6] = { 0 };
	bool first_empty = false, dup = false, unwanted = false, ids_ok = true;
	while (c.p < c.end && !c.bad) {
		uint64_t key = varint(&c), field = key >> 3;
		if ((key & 7) != 2) {
			varint(&c);
			continue;
		}
		uint64_t len = varint(&c);
		if (len > (uint64_t)(c.end - c.p)) {
			c.bad = true;
			break;
		}
		const uint8_t *b = c.p;
		c.p += len;
		if (field == 6) {
			if (n_strs++ == 0)
				first_empty = len == 0;
			size_t before = seen.count;
			strtab_intern(&seen, (const char *)b, len);
			dup |= seen.count == before && n_strs > 1;
			unwanted |= strtab_find(want, (const char *)b, len) == STRTAB_NONE;
		} else if (field >= 3 && field <= 5) {
			uint64_t id = sub_id(b, len, &c.bad);
			ids_ok &= id == ++n_id[field];
		}
	}
	tap_ok(!c.bad, "raw: the message parses");
	tap_ok(first_empty, "raw: string_table[0] is \"\"");
	tap_ok(!dup, "raw: no string is written twice");
	tap_ok(!unwanted, "raw: no string is written that nothing uses");
	tap_int((int64_t)n_strs, (int64_t)want->count, "raw: every used string is written");
	tap_ok(ids_ok, "raw: mapping, location and function ids are index + 1 in order");
	tap_int((int64_t)n_id[3], (int64_t)p->n_mappings, "raw: every mapping written");
	tap_int((int64_t)n_id[4], (int64_t)p->n_locations, "raw: every location written");
	tap_int((int64_t)n_id[5], (int64_t)p->n_functions, "raw: every function written");
	strtab_release(&seen);
	strbuf_release(&raw);
}

static bool same_str(const struct profile *a, uint32_t ia, const struct profile *b, uint32_t ib)
{
	return a->strs.len[ia] == b->strs.len[ib] &&
	       memcmp(profile_str(a, ia), profile_str(b, ib), a->strs.len[ia]) == 0;
}

/* The original index of what a decoded id names (the encoder wrote index + 1; 0 is none). */
static uint32_t orig(uint64_t id)
{
	return id ? (uint32_t)(id - 1) : PROFILE_NONE;
}

static void compare_header(const struct profile *p, const struct profile *q)
{
	tap_int((int64_t)q->n_types, (int64_t)p->n_types, "sample types: count");
	bool types = q->n_types == p->n_types;
	for (size_t i = 0; types && i < p->n_types; i++)
		types = same_str(p, p->types[i].type, q, q->types[i].type) &&
			same_str(p, p->types[i].unit, q, q->types[i].unit);
	tap_ok(types, "sample types: names and units");
	tap_ok(same_str(p, p->period_type.type, q, q->period_type.type) &&
		       same_str(p, p->period_type.unit, q, q->period_type.unit),
	       "period type");
	tap_int(q->period, p->period, "period");
	tap_int(q->time_nanos, p->time_nanos, "time_nanos");
	tap_int(q->duration_nanos, p->duration_nanos, "duration_nanos");
	tap_ok(same_str(p, p->drop_frames, q, q->drop_frames), "drop_frames");
	tap_ok(same_str(p, p->keep_frames, q, q->keep_frames), "keep_frames");
	tap_ok(same_str(p, p->default_sample_type, q, q->default_sample_type),
	       "default_sample_type");
	tap_ok(same_str(p, p->doc_url, q, q->doc_url), "doc_url");
	tap_int((int64_t)q->n_comments, (int64_t)p->n_comments, "comments: count (repeats kept)");
	bool comments = q->n_comments == p->n_comments;
	for (size_t i = 0; comments && i < p->n_comments; i++)
		comments = same_str(p, p->comments[i], q, q->comments[i]);
	tap_ok(comments, "comments: text, in order");
}

static void compare_tables(const struct profile *p, const struct profile *q)
{
	tap_int((int64_t)q->n_mappings, (int64_t)p->n_mappings, "mappings: count");
	for (size_t i = 0; i < p->n_mappings && i < q->n_mappings; i++) {
		const struct mapping *a = &p->mappings[i], *b = &q->mappings[i];
		tap_int((int64_t)b->id, (int64_t)i + 1, "mapping %zu: id is index + 1", i);
		tap_ok(a->start == b->start && a->limit == b->limit && a->offset == b->offset,
		       "mapping %zu: start, limit, offset", i);
		tap_ok(same_str(p, a->file, q, b->file) && same_str(p, a->build_id, q, b->build_id),
		       "mapping %zu: file, build id", i);
		tap_ok(a->has_functions == b->has_functions &&
			       a->has_filenames == b->has_filenames &&
			       a->has_line_numbers == b->has_line_numbers &&
			       a->has_inline_frames == b->has_inline_frames,
		       "mapping %zu: has_* flags", i);
	}
	tap_int((int64_t)q->n_functions, (int64_t)p->n_functions, "functions: count");
	for (size_t i = 0; i < p->n_functions && i < q->n_functions; i++) {
		const struct function *a = &p->functions[i], *b = &q->functions[i];
		tap_int((int64_t)b->id, (int64_t)i + 1, "function %zu: id is index + 1", i);
		tap_ok(same_str(p, a->name, q, b->name) &&
			       same_str(p, a->system_name, q, b->system_name) &&
			       same_str(p, a->filename, q, b->filename),
		       "function %zu: name (%u bytes), system name, file", i, p->strs.len[a->name]);
		tap_int(b->start_line, a->start_line, "function %zu: start line", i);
	}

	/* Locations are numbered by the decoder in order of first use: match them by id. */
	tap_int((int64_t)q->n_locations, (int64_t)p->n_locations, "locations: count");
	int ids = 0, fields = 0, maps = 0, lines = 0;
	for (size_t j = 0; j < q->n_locations; j++) {
		const struct location *b = &q->locations[j];
		uint32_t k = orig(b->id);
		if (k >= p->n_locations) {
			ids++;
			continue;
		}
		const struct location *a = &p->locations[k];
		fields += a->address != b->address || a->is_folded != b->is_folded;
		uint32_t bm = b->mapping == PROFILE_NONE ? PROFILE_NONE
							 : orig(q->mappings[b->mapping].id);
		maps += bm != a->mapping;
		if (a->n_lines != b->n_lines) {
			lines++;
			continue;
		}
		for (uint32_t i = 0; i < a->n_lines; i++) {
			const struct line *la = &p->lines[a->first_line + i];
			const struct line *lb = &q->lines[b->first_line + i];
			uint32_t bf = PROFILE_NONE;
			if (lb->function != PROFILE_NONE)
				bf = orig(q->functions[lb->function].id);
			lines += bf != la->function || la->line != lb->line ||
				 la->column != lb->column;
		}
	}
	tap_int(ids, 0, "locations: every id names an original location");
	tap_int(fields, 0, "locations: address and is_folded");
	tap_int(maps, 0, "locations: mapping (or none)");
	tap_int(lines, 0, "locations: lines, inlined first: function (or none), line, column");
}

static void compare_samples(const struct profile *p, const struct profile *q)
{
	tap_int((int64_t)q->n_samples, (int64_t)p->n_samples, "samples: count");
	struct stack_buf sa = { 0 }, sb = { 0 };
	for (size_t s = 0; s < p->n_samples && s < q->n_samples; s++) {
		const struct sample *a = &p->samples[s], *b = &q->samples[s];
		tap_mem(profile_values(q, s), q->n_types * sizeof(int64_t), profile_values(p, s),
			p->n_types * sizeof(int64_t), "sample %zu: values", s);
		uint32_t depth = p->stacks[a->stack].depth;
		const uint32_t *la = profile_stack(p, a->stack, &sa);
		const uint32_t *lb = profile_stack(q, b->stack, &sb);
		bool same = q->stacks[b->stack].depth == depth;
		for (uint32_t i = 0; same && i < depth; i++)
			same = orig(q->locations[lb[i]].id) == la[i];
		tap_ok(same, "sample %zu: stack of %u frames, leaf first", s, depth);
		/* The kept labels, in order; the dropped ones gone. */
		uint32_t kept = 0, i = 0;
		same = true;
		for (uint32_t k = 0; k < a->n_labels; k++) {
			const struct label *x = &p->labels[a->first_label + k];
			if (!label_kept(x))
				continue;
			kept++;
			if (i >= b->n_labels) {
				same = false;
				break;
			}
			const struct label *y = &q->labels[b->first_label + i++];
			same &= same_str(p, x->key, q, y->key) && same_str(p, x->str, q, y->str) &&
				x->num == y->num && same_str(p, x->num_unit, q, y->num_unit);
		}
		tap_int(b->n_labels, kept, "sample %zu: %u of %u labels kept", s, kept,
			a->n_labels);
		tap_ok(same, "sample %zu: labels' keys, values, numbers and units", s);
	}
	stack_buf_release(&sa);
	stack_buf_release(&sb);
}

/* Encodes p after prefix, checks the prefix survives, decodes the rest into a new profile. */
static struct profile *round_trip(const struct profile *p, struct strbuf *out, const char *prefix)
{
	struct cprof_error err = { "" };
	strbuf_adds(out, prefix);
	size_t from = out->len;
	tap_int(encode_profile(p, out, &err), 0, "encode_profile succeeds");
	tap_ok(out->len > from && strncmp(out->buf, prefix, from) == 0,
	       "it appends to what the buffer held");
	struct instream *in = instream_memory((const uint8_t *)out->buf + from, out->len - from,
					      LOAD_DEFAULT_MAX);
	struct profile *q = profile_new();
	int rc = decode_stream(in, q, &err);
	instream_close(in);
	tap_int(rc, 0, "the project's decoder reads it back (%s)", err.msg);
	if (rc < 0) {
		profile_free(q);
		return NULL;
	}
	return q;
}

static void test_full(void)
{
	struct profile *p = build();
	struct strtab want;
	strtab_init(&want);
	used_strings(p, &want);
	struct strbuf out = STRBUF_INIT;
	struct profile *q = round_trip(p, &out, "");
	test_raw(p, &want, &out);
	if (q) {
		compare_header(p, q);
		compare_tables(p, q);
		compare_samples(p, q);
		tap_int((int64_t)q->strs.count, (int64_t)want.count,
			"the decoded profile holds exactly the used strings");
		tap_int(strtab_find(&q->strs, "never used", 10), STRTAB_NONE,
			"an unused string is not");
		tap_int(strtab_find(&q->strs, "dropped key", 11), STRTAB_NONE,
			"nor the key of a dropped label");
	}

	strbuf_release(&out);
	strtab_release(&want);
	profile_free(q);
	profile_free(p);
}

static void test_empty(void)
{
	struct profile *p = profile_new();
	struct strbuf out = STRBUF_INIT;
	struct profile *q = round_trip(p, &out, "XYZ");
	tap_ok(q && q->n_types == 0 && q->n_samples == 0 && q->n_locations == 0 &&
		       q->n_functions == 0 && q->n_mappings == 0 && q->n_comments == 0,
	       "an empty profile round-trips empty");
	tap_int(q ? (int64_t)q->strs.count : -1, 1, "with only \"\" in its strings");
	struct strbuf raw = STRBUF_INIT;
	tap_ok(inflate_all(&out, 3, &raw), "the empty profile is gzip'd too");
	static const uint8_t only_table[] = { 6 << 3 | 2, 0 };
	tap_mem(raw.buf, raw.len, only_table, sizeof(only_table),
		"and is one field: string_table = [\"\"]");
	strbuf_release(&raw);
	strbuf_release(&out);
	profile_free(q);
	profile_free(p);
}

int main(void)
{
	test_full();
	test_empty();
	return tap_done();
}
