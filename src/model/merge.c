/* Merging as pprof's profileMerger does it. Objects are keyed the way pprof keys them
 * (mappings by rounded size, offset and build id or file; functions by name, system name,
 * file and start line; locations by mapping-relative address, mapping, lines and folding;
 * samples by stack and labels) and numbered in order of first use across all sources. The
 * keys outlive each source, so sources can be loaded, folded in and freed one by one. */
#include "model/merge.h"

#include <stdio.h>
#include <string.h>

#include "model/diff.h"
#include "model/graph.h"
#include "model/labels.h"
#include "model/measure.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Interned byte keys: key bytes -> dense index, collisions resolved by comparing bytes. */
struct keyset {
	struct hashmap map;
	struct strbuf bytes;
	size_t *off; /* per index: start in bytes; off[n] = end */
	size_t n, cap;
};

static void keyset_init(struct keyset *k)
{
	memset(k, 0, sizeof(*k));
	hashmap_init(&k->map, 256);
	XGROW(k->off, k->cap, 1);
	k->off[0] = 0;
}

static void keyset_release(struct keyset *k)
{
	hashmap_release(&k->map);
	strbuf_release(&k->bytes);
	free(k->off);
}

/* The index of key (data, n); *added tells whether it is new (index == old count). */
static uint32_t keyset_find_or_add(struct keyset *k, const void *data, size_t n, bool *added)
{
	uint64_t h = hash_bytes(data, n, n);
	for (;;) {
		uint32_t ix = hashmap_get(&k->map, h);
		if (ix == HASHMAP_NONE)
			break;
		size_t len = k->off[ix + 1] - k->off[ix];
		if (len == n && memcmp(k->bytes.buf + k->off[ix], data, n) == 0) {
			*added = false;
			return ix;
		}
		h = hash_u64(h + 1);
	}
	strbuf_add(&k->bytes, data, n);
	XGROW(k->off, k->cap, k->n + 2);
	k->off[++k->n] = k->bytes.len;
	hashmap_put(&k->map, h, (uint32_t)(k->n - 1));
	*added = true;
	return (uint32_t)(k->n - 1);
}

struct merge {
	struct profile *dst;
	size_t n_sources;
	bool apart; /* samples appended, not summed with equal ones (merge_keep_apart) */
	struct keyset mappings, functions, locations, samples;
	struct hashmap label_lists; /* for profile_share_labels */
	struct stack_set stacks;    /* dst's stacks: a sample is keyed by its stack's index */
	struct stack_buf buf;       /* the source stack being mapped */
};

/* What one source's objects became in dst; lives while that source is folded in. */
struct source_map {
	struct merge *m;
	const struct profile *src;
	uint32_t *map_of, *fun_of, *loc_of; /* src index -> dst index (PROFILE_NONE: not yet) */
	int64_t *map_shift;                 /* src mapping -> address shift into its dst mapping */
	struct strbuf key;                  /* scratch for mapping and location keys */
};

struct merge *merge_new(void)
{
	struct merge *m = xcalloc(1, sizeof(*m));
	m->dst = profile_new();
	keyset_init(&m->mappings);
	keyset_init(&m->functions);
	keyset_init(&m->locations);
	keyset_init(&m->samples);
	hashmap_init(&m->label_lists, 64);
	stack_set_init(&m->stacks, 1024);
	return m;
}

void merge_keep_apart(struct merge *m)
{
	m->apart = true;
}

static void release_keys(struct merge *m)
{
	stack_set_release(&m->stacks);
	stack_buf_release(&m->buf);
	keyset_release(&m->mappings);
	keyset_release(&m->functions);
	keyset_release(&m->locations);
	keyset_release(&m->samples);
	hashmap_release(&m->label_lists);
}

void merge_free(struct merge *m)
{
	if (!m)
		return;
	release_keys(m);
	profile_free(m->dst);
	free(m);
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, sizeof(v));
}

static uint32_t map_mapping(struct source_map *c, uint32_t mi)
{
	if (mi == PROFILE_NONE)
		return PROFILE_NONE;
	if (c->map_of[mi] != PROFILE_NONE)
		return c->map_of[mi];
	struct profile *d = c->m->dst;
	const struct mapping *m = &c->src->mappings[mi];
	uint64_t size = m->limit - m->start;
	size = size + 0xfff;
	size -= size % 0x1000;
	uint32_t who = d->strs.len[m->build_id] ? m->build_id : m->file; /* every byte */
	struct strbuf *key = &c->key;
	strbuf_reset(key);
	put_u64(key, size);
	put_u64(key, m->offset);
	strbuf_add(key, profile_str(d, who), d->strs.len[who]);
	bool added;
	uint32_t ix = keyset_find_or_add(&c->m->mappings, key->buf, key->len, &added);
	if (added) {
		XGROW(d->mappings, d->cap_mappings, d->n_mappings + 1);
		d->mappings[d->n_mappings] = *m;
		d->mappings[d->n_mappings].id = d->n_mappings + 1;
		d->n_mappings++;
		c->map_shift[mi] = 0;
	} else {
		c->map_shift[mi] = (int64_t)(d->mappings[ix].start - m->start);
	}
	c->map_of[mi] = ix;
	return ix;
}

static uint32_t map_function(struct source_map *c, uint32_t fi)
{
	if (fi == PROFILE_NONE)
		return PROFILE_NONE;
	if (c->fun_of[fi] != PROFILE_NONE)
		return c->fun_of[fi];
	const struct function *f = &c->src->functions[fi];
	uint64_t key[4] = { (uint64_t)f->start_line, f->name, f->system_name, f->filename };
	bool added;
	uint32_t ix = keyset_find_or_add(&c->m->functions, key, sizeof(key), &added);
	struct profile *d = c->m->dst;
	if (added) {
		XGROW(d->functions, d->cap_functions, d->n_functions + 1);
		d->functions[d->n_functions] = *f;
		d->functions[d->n_functions].id = d->n_functions + 1;
		d->n_functions++;
	}
	c->fun_of[fi] = ix;
	return ix;
}

static uint32_t map_location(struct source_map *c, uint32_t li)
{
	if (c->loc_of[li] != PROFILE_NONE)
		return c->loc_of[li];
	const struct location *l = &c->src->locations[li];
	struct profile *d = c->m->dst;
	uint32_t m = map_mapping(c, l->mapping);
	uint64_t addr = l->address;
	if (l->mapping != PROFILE_NONE)
		addr = (uint64_t)((int64_t)addr + c->map_shift[l->mapping]);
	struct strbuf *key = &c->key;
	strbuf_reset(key);
	put_u64(key, m == PROFILE_NONE ? addr : addr - d->mappings[m].start);
	put_u64(key, m == PROFILE_NONE ? 0 : (uint64_t)m + 1);
	put_u64(key, l->is_folded);
	uint32_t first = (uint32_t)d->n_lines;
	XGROW(d->lines, d->cap_lines, d->n_lines + l->n_lines);
	for (uint32_t k = 0; k < l->n_lines; k++) {
		struct line ln = c->src->lines[l->first_line + k];
		ln.function = map_function(c, ln.function);
		put_u64(key, ln.function == PROFILE_NONE ? 0 : (uint64_t)ln.function + 1);
		put_u64(key, (uint64_t)ln.line);
		d->lines[first + k] = ln;
	}
	bool added;
	uint32_t ix = keyset_find_or_add(&c->m->locations, key->buf, key->len, &added);
	if (added) {
		d->n_lines += l->n_lines;
		XGROW(d->locations, d->cap_locations, d->n_locations + 1);
		struct location *nl = &d->locations[d->n_locations];
		*nl = *l;
		nl->id = d->n_locations + 1;
		nl->mapping = m;
		nl->address = addr;
		nl->first_line = first;
		d->n_locations++;
	}
	c->loc_of[li] = ix;
	return ix;
}

static bool zero_values(const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0)
			return false;
	return true;
}

static int cmp_group_key(const void *x, const void *y)
{
	const struct label_group *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* The sample key's label part: per key (ordered by key id, which is as good as pprof's
 * sorted labels for equality), the key, its values in order and, for numbers, its units. */
static void label_key(struct strbuf *key, const struct profile *p, const struct sample *s,
		      struct labels_buf *lb)
{
	for (int numeric = 0; numeric < 2; numeric++) {
		size_t n = labels_group(p, s, numeric, lb);
		if (n > 1)
			qsort(lb->groups, n, sizeof(*lb->groups), cmp_group_key);
		for (size_t k = 0; k < n; k++) {
			const struct label_group *g = &lb->groups[k];
			put_u64(key,
				(uint64_t)numeric << 62 | (uint64_t)g->has_units << 61 | g->key);
			for (uint32_t i = 0; i < g->n; i++) {
				const struct label *l =
					&p->labels[s->first_label + lb->at[g->first + i]];
				put_u64(key, numeric ? (uint64_t)l->num : l->str);
				if (g->has_units)
					put_u64(key, l->num_unit);
			}
			put_u64(key, UINT64_MAX);
		}
	}
}

static void add_sample(struct source_map *c, size_t s, struct labels_buf *lb, uint32_t *locs,
		       struct strbuf *key)
{
	const struct profile *p = c->src;
	struct profile *d = c->m->dst;
	const struct sample *sa = &p->samples[s];
	const uint32_t *stack = profile_stack(p, sa->stack, &c->m->buf);
	uint32_t depth = p->stacks[sa->stack].depth;
	for (uint32_t i = 0; i < depth; i++)
		locs[i] = map_location(c, stack[i]);
	uint32_t stack_ix = profile_add_stack(d, &c->m->stacks, locs, depth);
	const int64_t *v = profile_values(p, s);
	if (!c->m->apart) {
		strbuf_reset(key);
		put_u64(key, stack_ix);
		label_key(key, p, sa, lb);
		bool added;
		uint32_t ix = keyset_find_or_add(&c->m->samples, key->buf, key->len, &added);
		if (!added) {
			int64_t *dv = d->values + (size_t)ix * d->n_types;
			for (size_t i = 0; i < d->n_types; i++)
				dv[i] = (int64_t)((uint64_t)dv[i] + (uint64_t)v[i]);
			return;
		}
	}
	XGROW(d->samples, d->cap_samples, d->n_samples + 1);
	XGROW(d->values, d->cap_values, (d->n_samples + 1) * d->n_types);
	memcpy(d->values + d->n_samples * d->n_types, v, d->n_types * sizeof(*v));
	struct sample *ns = &d->samples[d->n_samples++];
	ns->stack = stack_ix;
	ns->first_label = (uint32_t)d->n_labels;
	ns->n_labels = 0;
	XGROW(d->labels, d->cap_labels, d->n_labels + sa->n_labels);
	for (uint32_t i = 0; i < sa->n_labels; i++) {
		const struct label *l = &p->labels[sa->first_label + i];
		if (label_kept(l)) {
			d->labels[d->n_labels++] = *l;
			ns->n_labels++;
		}
	}
	ns->first_label = profile_share_labels(d, &c->m->label_lists, ns->n_labels);
}

static bool str_eq(const struct profile *a, uint32_t ia, const struct profile *b, uint32_t ib)
{
	return a->strs.len[ia] == b->strs.len[ib] &&
	       memcmp(profile_str(a, ia), profile_str(b, ib), a->strs.len[ia]) == 0;
}

/* pprof's compatibleValueTypes: the types equal but for a plural "s", the units equal or
 * of one family. */
static bool compatible_type(const struct profile *a, const struct value_type *ta,
			    const struct profile *b, const struct value_type *tb)
{
	const char *x = profile_str(a, ta->type), *y = profile_str(b, tb->type);
	size_t nx = strlen(x), ny = strlen(y);
	if (nx && x[nx - 1] == 's')
		nx--;
	if (ny && y[ny - 1] == 's')
		ny--;
	if (nx != ny || memcmp(x, y, nx) != 0)
		return false;
	return measure_compatible_units(profile_str(a, ta->unit), profile_str(b, tb->unit));
}

static int type_error(struct cprof_error *err, const char *what, const struct profile *a,
		      const struct value_type *ta, const struct profile *b,
		      const struct value_type *tb)
{
	return error_set(err, "%s: incompatible types: {%s %s} {%s %s}", what,
			 profile_str(a, ta->type), profile_str(a, ta->unit),
			 profile_str(b, tb->type), profile_str(b, tb->unit));
}

/* How many of unit "to" one "from" is (1 when either is unknown). */
static double unit_ratio(const struct profile *a, uint32_t from, const struct profile *b,
			 uint32_t to)
{
	if (str_eq(a, from, b, to))
		return 1;
	char unit[16];
	return measure_scale(1, profile_str(a, from), profile_str(b, to), unit);
}

/* Interns string id of p into q's table. */
static uint32_t copy_str(struct profile *q, const struct profile *p, uint32_t id)
{
	return strtab_intern(&q->strs, profile_str(p, id), p->strs.len[id]);
}

/* pprof's Scale of a value from one unit to another, truncated as Go's int64(). */
static int64_t scale_to(int64_t v, const struct profile *p, uint32_t from, const struct profile *q,
			uint32_t to)
{
	char unit[16];
	return f2i(measure_scale(v, profile_str(p, from), profile_str(q, to), unit));
}

/* pprof's ScaleProfiles for the accumulated profile d and a new source s: both are brought
 * to the finest of their units, type by type (and the period to the finest period unit). */
static int scale_units(struct profile *d, struct profile *s, struct cprof_error *err)
{
	if (!compatible_type(d, &d->period_type, s, &s->period_type))
		return type_error(err, "period type", d, &d->period_type, s, &s->period_type);
	if (d->n_types != s->n_types)
		return error_set(err, "inconsistent samples type count: %zu != %zu", d->n_types,
				 s->n_types);
	for (size_t i = 0; i < d->n_types; i++)
		if (!compatible_type(d, &d->types[i], s, &s->types[i]))
			return type_error(err, "sample types", d, &d->types[i], s, &s->types[i]);

	uint32_t dpu = d->period_type.unit, spu = s->period_type.unit;
	if (unit_ratio(s, spu, d, dpu) < 1) {
		d->period = scale_to(d->period, d, dpu, s, spu);
		d->period_type.unit = copy_str(d, s, spu);
	} else {
		s->period = scale_to(s->period, s, spu, d, dpu);
		s->period_type.unit = copy_str(s, d, dpu);
	}
	double *rd = xmalloc((d->n_types + 1) * sizeof(*rd));
	double *rs = xmalloc((d->n_types + 1) * sizeof(*rs));
	for (size_t i = 0; i < d->n_types; i++) {
		uint32_t du = d->types[i].unit, su = s->types[i].unit;
		rd[i] = rs[i] = 1;
		if (unit_ratio(s, su, d, du) < 1) {
			rd[i] = unit_ratio(d, du, s, su);
			d->types[i].unit = copy_str(d, s, su);
		} else {
			rs[i] = unit_ratio(s, su, d, du);
			s->types[i].unit = copy_str(s, d, du);
		}
	}
	profile_scale(d, rd);
	profile_scale(s, rs);
	free(rd);
	free(rs);
	return 0;
}

/* Rewrites every string id of p through map. */
static void remap_strings(struct profile *p, const uint32_t *map)
{
	for (size_t i = 0; i < p->n_types; i++) {
		p->types[i].type = map[p->types[i].type];
		p->types[i].unit = map[p->types[i].unit];
	}
	p->period_type.type = map[p->period_type.type];
	p->period_type.unit = map[p->period_type.unit];
	p->default_sample_type = map[p->default_sample_type];
	p->drop_frames = map[p->drop_frames];
	p->keep_frames = map[p->keep_frames];
	p->doc_url = map[p->doc_url];
	for (size_t i = 0; i < p->n_comments; i++)
		p->comments[i] = map[p->comments[i]];
	for (size_t i = 0; i < p->n_mappings; i++) {
		p->mappings[i].file = map[p->mappings[i].file];
		p->mappings[i].build_id = map[p->mappings[i].build_id];
	}
	for (size_t i = 0; i < p->n_functions; i++) {
		struct function *f = &p->functions[i];
		f->name = map[f->name];
		f->system_name = map[f->system_name];
		f->filename = map[f->filename];
	}
	for (size_t i = 0; i < p->n_labels; i++) {
		struct label *l = &p->labels[i];
		l->key = map[l->key];
		l->str = map[l->str];
		l->num_unit = map[l->num_unit];
	}
}

/* pprof's combineHeaders, one source at a time: d starts all zero. */
static void combine_header(struct profile *d, const struct profile *s, bool first)
{
	if (first) {
		d->n_types = d->cap_types = s->n_types;
		d->types = xmalloc((s->n_types + 1) * sizeof(*d->types));
		if (s->n_types)
			memcpy(d->types, s->types, s->n_types * sizeof(*d->types));
		d->period_type = s->period_type;
		d->drop_frames = s->drop_frames;
		d->keep_frames = s->keep_frames;
		d->doc_url = s->doc_url;
	}
	if (d->time_nanos == 0 || s->time_nanos < d->time_nanos)
		d->time_nanos = s->time_nanos;
	d->duration_nanos = (int64_t)((uint64_t)d->duration_nanos + (uint64_t)s->duration_nanos);
	if (d->period == 0 || d->period < s->period)
		d->period = s->period;
	profile_add_comments(d, s->comments, s->n_comments);
	if (d->default_sample_type == 0)
		d->default_sample_type = s->default_sample_type;
}

int merge_add(struct merge *m, struct profile *src, struct cprof_error *err)
{
	struct profile *d = m->dst;
	bool first = m->n_sources == 0;
	if (!first && (scale_units(d, src, err) < 0 || profile_compatible(d, src, err) < 0))
		return -1;

	/* Bring src's strings into dst's table; the first source's ids stay as they are. */
	uint32_t *map = xmalloc((src->strs.count + 1) * sizeof(*map));
	bool identity = true;
	map[0] = 0;
	for (size_t i = 1; i < src->strs.count; i++) {
		map[i] = strtab_intern(&d->strs, profile_str(src, (uint32_t)i), src->strs.len[i]);
		identity = identity && map[i] == i;
	}
	if (!identity)
		remap_strings(src, map);
	free(map);
	combine_header(d, src, first);
	m->n_sources++;

	struct source_map c = { .m = m, .src = src, .key = STRBUF_INIT };
	c.map_of = xmalloc((src->n_mappings + 1) * sizeof(*c.map_of));
	memset(c.map_of, 0xff, (src->n_mappings + 1) * sizeof(*c.map_of));
	c.map_shift = xcalloc(src->n_mappings + 1, sizeof(*c.map_shift));
	c.fun_of = xmalloc((src->n_functions + 1) * sizeof(*c.fun_of));
	memset(c.fun_of, 0xff, (src->n_functions + 1) * sizeof(*c.fun_of));
	c.loc_of = xmalloc((src->n_locations + 1) * sizeof(*c.loc_of));
	memset(c.loc_of, 0xff, (src->n_locations + 1) * sizeof(*c.loc_of));

	uint32_t max_depth = 0;
	for (size_t st = 0; st < src->n_stacks; st++)
		if (src->stacks[st].depth > max_depth)
			max_depth = src->stacks[st].depth;
	uint32_t *locs = xmalloc((max_depth + 1) * sizeof(*locs));
	struct labels_buf lb = { 0 };
	struct strbuf key = STRBUF_INIT;

	/* The first mapping pprof sees is the main binary and stays first. */
	if (m->mappings.n == 0 && src->n_mappings > 0)
		map_mapping(&c, 0);
	for (size_t s = 0; s < src->n_samples; s++)
		if (!zero_values(profile_values(src, s), src->n_types))
			add_sample(&c, s, &lb, locs, &key);

	strbuf_release(&key);
	strbuf_release(&c.key);
	free(locs);
	labels_buf_release(&lb);
	free(c.map_of);
	free(c.map_shift);
	free(c.fun_of);
	free(c.loc_of);
	return 0;
}

/* merge_keeps_all's keys, built as merge_add builds them, for p's own objects: with no
 * two mappings or functions equal, a location's key may use p's indexes for them. */
typedef void key_fn(const struct profile *p, size_t i, struct strbuf *key, struct labels_buf *lb);

static void mapping_key(const struct profile *p, size_t i, struct strbuf *key,
			struct labels_buf *lb)
{
	(void)lb;
	const struct mapping *m = &p->mappings[i];
	uint64_t size = m->limit - m->start + 0xfff;
	uint32_t who = p->strs.len[m->build_id] ? m->build_id : m->file;
	put_u64(key, size - size % 0x1000);
	put_u64(key, m->offset);
	strbuf_add(key, profile_str(p, who), p->strs.len[who]);
}

static void function_key(const struct profile *p, size_t i, struct strbuf *key,
			 struct labels_buf *lb)
{
	(void)lb;
	const struct function *f = &p->functions[i];
	put_u64(key, (uint64_t)f->start_line);
	put_u64(key, f->name);
	put_u64(key, f->system_name);
	put_u64(key, f->filename);
}

static void location_key(const struct profile *p, size_t i, struct strbuf *key,
			 struct labels_buf *lb)
{
	(void)lb;
	const struct location *l = &p->locations[i];
	uint32_t m = l->mapping;
	put_u64(key, m == PROFILE_NONE ? l->address : l->address - p->mappings[m].start);
	put_u64(key, m == PROFILE_NONE ? 0 : (uint64_t)m + 1);
	put_u64(key, l->is_folded);
	for (uint32_t j = 0; j < l->n_lines; j++) {
		const struct line *ln = &p->lines[l->first_line + j];
		put_u64(key, ln->function == PROFILE_NONE ? 0 : (uint64_t)ln->function + 1);
		put_u64(key, (uint64_t)ln->line);
	}
}

/* Equal stack indexes are equal stacks; with locations distinct (checked too), equal stacks
 * are equal stack indexes, as p interns its stacks. */
static void sample_key(const struct profile *p, size_t i, struct strbuf *key, struct labels_buf *lb)
{
	put_u64(key, p->samples[i].stack);
	label_key(key, p, &p->samples[i], lb);
}

struct hashed {
	uint64_t hash;
	uint32_t i;
};

static int cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static bool same_key(const struct profile *p, key_fn *key_of, uint32_t i, uint32_t j,
		     struct strbuf *a, struct strbuf *b, struct labels_buf *lb)
{
	strbuf_reset(a);
	strbuf_reset(b);
	key_of(p, i, a, lb);
	key_of(p, j, b, lb);
	return a->len == b->len && memcmp(a->buf, b->buf, a->len) == 0;
}

/* Whether no two of p's n objects have equal keys: their hashes sorted, and the keys of
 * equal hashes compared (every pair of a run, however rare a run of more than one is).
 * Eight bytes an object, where a set of the keys would hold them all. */
static bool all_distinct(const struct profile *p, size_t n, key_fn *key_of)
{
	struct hashed *h = xmalloc((n + 1) * sizeof(*h));
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct labels_buf lb = { 0 };
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&a);
		key_of(p, i, &a, &lb);
		h[i] = (struct hashed){ hash_bytes(a.buf, a.len, a.len), (uint32_t)i };
	}
	if (n > 1)
		qsort(h, n, sizeof(*h), cmp_hashed);
	bool distinct = true;
	for (size_t r = 0; r < n && distinct;) {
		size_t end = r + 1;
		while (end < n && h[end].hash == h[r].hash)
			end++;
		for (size_t x = r; x < end && distinct; x++)
			for (size_t y = x + 1; y < end && distinct; y++)
				distinct = !same_key(p, key_of, h[x].i, h[y].i, &a, &b, &lb);
		r = end;
	}
	strbuf_release(&a);
	strbuf_release(&b);
	labels_buf_release(&lb);
	free(h);
	return distinct;
}

bool merge_keeps_all(const struct profile *p)
{
	/* A label the merge drops (no string, no number) is in no report, nor in the keys. */
	for (size_t s = 0; s < p->n_samples; s++)
		if (zero_values(profile_values(p, s), p->n_types))
			return false;
	return all_distinct(p, p->n_samples, sample_key) &&
	       all_distinct(p, p->n_mappings, mapping_key) &&
	       all_distinct(p, p->n_functions, function_key) &&
	       all_distinct(p, p->n_locations, location_key);
}

/* Whether samples kept apart could have summed differently: equal samples (stack and
 * labels) meeting with opposite signs. Only samples in one group can be equal, and the
 * base of a -diff_base (labelled pprof::base=true) is a group of its own; so a type with
 * both signs within a group is enough to say yes. */
static bool signs_mix(const struct profile *d)
{
	struct diff_base base = diff_base_find(d);
	uint8_t *seen = xcalloc(2 * d->n_types + 1, 1); /* per group and type: 1 pos, 2 neg */
	bool mix = false;
	for (size_t s = 0; s < d->n_samples && !mix; s++) {
		size_t g = diff_base_sample(d, &base, &d->samples[s]) ? 1 : 0;
		const int64_t *v = profile_values(d, s);
		for (size_t i = 0; i < d->n_types; i++) {
			uint8_t *f = &seen[g * d->n_types + i];
			*f |= v[i] > 0 ? 1 : v[i] < 0 ? 2 : 0;
			mix |= *f == 3;
		}
	}
	free(seen);
	return mix;
}

struct profile *merge_finish(struct merge *m)
{
	if (m->n_sources == 0) {
		merge_free(m);
		return NULL;
	}
	struct profile *d = m->dst;
	bool apart = m->apart;
	m->dst = NULL;
	release_keys(m);
	free(m);
	if (apart && signs_mix(d)) {
		/* Kept apart, equal samples could now cancel out in pprof's sums: sum them. */
		struct merge *again = merge_new();
		merge_add(again, d, NULL);
		profile_free(d);
		return merge_finish(again);
	}
	for (size_t s = 0; s < d->n_samples; s++)
		if (zero_values(profile_values(d, s), d->n_types)) {
			/* Samples that summed to zero: pprof merges once more to drop them. */
			struct merge *again = merge_new();
			merge_add(again, d, NULL);
			profile_free(d);
			return merge_finish(again);
		}
	return d;
}
