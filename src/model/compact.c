/* Compaction as pprof's profileMerger does it for one source profile. Objects are keyed the
 * way pprof keys them (mappings by rounded size, offset and build id or file; functions by
 * name, system name, file and start line; locations by mapping-relative address, mapping,
 * lines and folding; samples by stack and labels), and numbered in order of first use. */
#include "model/compact.h"

#include <string.h>

#include "model/labels.h"
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

struct compact {
	const struct profile *src;
	struct profile *dst;
	struct keyset mappings, functions, locations, samples;
	uint32_t *map_of, *fun_of, *loc_of; /* src index -> dst index (PROFILE_NONE: not yet) */
	int64_t *map_shift;                 /* src mapping -> address shift into its dst mapping */
	struct hashmap stacks;
};

static void put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, sizeof(v));
}

static uint32_t map_mapping(struct compact *c, uint32_t mi)
{
	if (mi == PROFILE_NONE)
		return PROFILE_NONE;
	if (c->map_of[mi] != PROFILE_NONE)
		return c->map_of[mi];
	const struct mapping *m = &c->src->mappings[mi];
	uint64_t size = m->limit - m->start;
	size = size + 0xfff;
	size -= size % 0x1000;
	const char *who = profile_str(c->src, m->build_id);
	if (!*who)
		who = profile_str(c->src, m->file);
	struct strbuf key = STRBUF_INIT;
	put_u64(&key, size);
	put_u64(&key, m->offset);
	strbuf_adds(&key, who);
	bool added;
	uint32_t ix = keyset_find_or_add(&c->mappings, key.buf, key.len, &added);
	strbuf_release(&key);
	struct profile *d = c->dst;
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

static uint32_t map_function(struct compact *c, uint32_t fi)
{
	if (fi == PROFILE_NONE)
		return PROFILE_NONE;
	if (c->fun_of[fi] != PROFILE_NONE)
		return c->fun_of[fi];
	const struct function *f = &c->src->functions[fi];
	uint64_t key[4] = { (uint64_t)f->start_line, f->name, f->system_name, f->filename };
	bool added;
	uint32_t ix = keyset_find_or_add(&c->functions, key, sizeof(key), &added);
	struct profile *d = c->dst;
	if (added) {
		XGROW(d->functions, d->cap_functions, d->n_functions + 1);
		d->functions[d->n_functions] = *f;
		d->functions[d->n_functions].id = d->n_functions + 1;
		d->n_functions++;
	}
	c->fun_of[fi] = ix;
	return ix;
}

static uint32_t map_location(struct compact *c, uint32_t li)
{
	if (c->loc_of[li] != PROFILE_NONE)
		return c->loc_of[li];
	const struct location *l = &c->src->locations[li];
	struct profile *d = c->dst;
	uint32_t m = map_mapping(c, l->mapping);
	uint64_t addr = l->address;
	if (l->mapping != PROFILE_NONE)
		addr = (uint64_t)((int64_t)addr + c->map_shift[l->mapping]);
	struct strbuf key = STRBUF_INIT;
	put_u64(&key, m == PROFILE_NONE ? addr : addr - d->mappings[m].start);
	put_u64(&key, m == PROFILE_NONE ? 0 : (uint64_t)m + 1);
	put_u64(&key, l->is_folded);
	uint32_t first = (uint32_t)d->n_lines;
	XGROW(d->lines, d->cap_lines, d->n_lines + l->n_lines);
	for (uint32_t k = 0; k < l->n_lines; k++) {
		struct line ln = c->src->lines[l->first_line + k];
		ln.function = map_function(c, ln.function);
		put_u64(&key, ln.function == PROFILE_NONE ? 0 : (uint64_t)ln.function + 1);
		put_u64(&key, (uint64_t)ln.line);
		d->lines[first + k] = ln;
	}
	bool added;
	uint32_t ix = keyset_find_or_add(&c->locations, key.buf, key.len, &added);
	strbuf_release(&key);
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

/* The sample key's label part: per key (ordered by key id, which is as good as pprof's
 * order for equality), the key, its values in order and, for numbers, its units. */
static void label_key(struct strbuf *key, const struct profile *p, const struct sample *s,
		      uint32_t *keys)
{
	for (int numeric = 0; numeric < 2; numeric++) {
		size_t n = labels_keys(p, s, numeric, keys);
		/* sort the few keys (insertion sort) */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && keys[j - 1] > keys[j]; j--) {
				uint32_t t = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = t;
			}
		for (size_t k = 0; k < n; k++) {
			bool units = numeric && labels_key_has_units(p, s, keys[k]);
			put_u64(key, (uint64_t)numeric << 62 | (uint64_t)units << 61 | keys[k]);
			for (uint32_t i = 0; i < s->n_labels; i++) {
				const struct label *l = &p->labels[s->first_label + i];
				if (l->key != keys[k] || !label_kept(l) || label_is_numeric(l) != numeric)
					continue;
				put_u64(key, numeric ? (uint64_t)l->num : l->str);
				if (units)
					put_u64(key, l->num_unit);
			}
			put_u64(key, UINT64_MAX);
		}
	}
}

static void add_sample(struct compact *c, const struct profile *p, size_t s, uint32_t *keys,
		       uint32_t *locs)
{
	struct profile *d = c->dst;
	const struct sample *sa = &p->samples[s];
	const uint32_t *stack = profile_stack(p, sa->stack);
	uint32_t depth = p->stacks[sa->stack].depth;
	for (uint32_t i = 0; i < depth; i++)
		locs[i] = map_location(c, stack[i]);
	struct strbuf key = STRBUF_INIT;
	put_u64(&key, depth);
	strbuf_add(&key, locs, depth * sizeof(*locs));
	label_key(&key, p, sa, keys);
	bool added;
	uint32_t ix = keyset_find_or_add(&c->samples, key.buf, key.len, &added);
	strbuf_release(&key);
	const int64_t *v = profile_values(p, s);
	if (!added) {
		int64_t *dv = d->values + (size_t)ix * d->n_types;
		for (size_t i = 0; i < d->n_types; i++)
			dv[i] = (int64_t)((uint64_t)dv[i] + (uint64_t)v[i]);
		return;
	}
	XGROW(d->samples, d->cap_samples, d->n_samples + 1);
	XGROW(d->values, d->cap_values, (d->n_samples + 1) * d->n_types);
	memcpy(d->values + d->n_samples * d->n_types, v, d->n_types * sizeof(*v));
	struct sample *ns = &d->samples[d->n_samples++];
	ns->stack = profile_add_stack(d, &c->stacks, locs, depth);
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
}

static struct profile *compact_once(const struct profile *p, bool *has_zero)
{
	struct profile *d = profile_new();
	for (size_t i = 1; i < p->strs.count; i++)
		strtab_intern(&d->strs, profile_str(p, (uint32_t)i), p->strs.len[i]);
	d->n_types = d->cap_types = p->n_types;
	d->types = xmalloc((p->n_types + 1) * sizeof(*d->types));
	if (p->n_types)
		memcpy(d->types, p->types, p->n_types * sizeof(*d->types));
	d->period_type = p->period_type;
	d->period = p->period;
	d->time_nanos = p->time_nanos;
	d->duration_nanos = p->duration_nanos;
	d->default_sample_type = p->default_sample_type;
	d->drop_frames = p->drop_frames;
	d->keep_frames = p->keep_frames;
	d->doc_url = p->doc_url;
	d->comments = xmalloc((p->n_comments + 1) * sizeof(*d->comments));
	d->cap_comments = p->n_comments + 1;
	if (p->n_comments)
		memcpy(d->comments, p->comments, p->n_comments * sizeof(*d->comments));
	d->n_comments = p->n_comments;
	profile_dedup_comments(d);

	struct compact c = { .src = p, .dst = d };
	keyset_init(&c.mappings);
	keyset_init(&c.functions);
	keyset_init(&c.locations);
	keyset_init(&c.samples);
	hashmap_init(&c.stacks, p->n_stacks + 16);
	c.map_of = xmalloc((p->n_mappings + 1) * sizeof(*c.map_of));
	memset(c.map_of, 0xff, (p->n_mappings + 1) * sizeof(*c.map_of));
	c.map_shift = xcalloc(p->n_mappings + 1, sizeof(*c.map_shift));
	c.fun_of = xmalloc((p->n_functions + 1) * sizeof(*c.fun_of));
	memset(c.fun_of, 0xff, (p->n_functions + 1) * sizeof(*c.fun_of));
	c.loc_of = xmalloc((p->n_locations + 1) * sizeof(*c.loc_of));
	memset(c.loc_of, 0xff, (p->n_locations + 1) * sizeof(*c.loc_of));

	uint32_t max_depth = 0, max_labels = 0;
	for (size_t st = 0; st < p->n_stacks; st++)
		if (p->stacks[st].depth > max_depth)
			max_depth = p->stacks[st].depth;
	for (size_t s = 0; s < p->n_samples; s++)
		if (p->samples[s].n_labels > max_labels)
			max_labels = p->samples[s].n_labels;
	uint32_t *locs = xmalloc((max_depth + 1) * sizeof(*locs));
	uint32_t *keys = xmalloc((max_labels + 1) * sizeof(*keys));

	if (p->n_mappings > 0)
		map_mapping(&c, 0); /* the main binary stays first */
	for (size_t s = 0; s < p->n_samples; s++)
		if (!zero_values(profile_values(p, s), p->n_types))
			add_sample(&c, p, s, keys, locs);
	*has_zero = false;
	for (size_t s = 0; s < d->n_samples; s++)
		if (zero_values(profile_values(d, s), d->n_types))
			*has_zero = true;

	free(locs);
	free(keys);
	free(c.map_of);
	free(c.map_shift);
	free(c.fun_of);
	free(c.loc_of);
	hashmap_release(&c.stacks);
	keyset_release(&c.mappings);
	keyset_release(&c.functions);
	keyset_release(&c.locations);
	keyset_release(&c.samples);
	return d;
}

struct profile *profile_compact(const struct profile *src)
{
	bool has_zero;
	struct profile *d = compact_once(src, &has_zero);
	if (has_zero) {
		/* Samples that summed to zero: pprof merges once more to drop them. */
		struct profile *again = compact_once(d, &has_zero);
		profile_free(d);
		d = again;
	}
	return d;
}

void profile_dedup_comments(struct profile *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_comments; i++) {
		size_t k = 0;
		while (k < n && p->comments[k] != p->comments[i])
			k++;
		if (k == n)
			p->comments[n++] = p->comments[i];
	}
	p->n_comments = n;
}
