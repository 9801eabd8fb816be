/* Lifetime of struct profile and the few helpers every stage shares. */
#include "model/profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/budget.h"
#include "util/goint.h"
#include "util/xalloc.h"

struct profile *profile_new(void)
{
	struct profile *p = xcalloc(1, sizeof(*p));
	strtab_init(&p->strs);
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	strtab_release(&p->strs);
	free(p->types);
	free(p->comments);
	free(p->mappings);
	free(p->functions);
	free(p->locations);
	free(p->lines);
	profile_drop_stacks(p);
	free(p->samples);
	free(p->values);
	free(p->labels);
	free(p);
}

/* n elements of size bytes copied into a new array (NULL when there are none). */
static void *dup_array(const void *src, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	void *d = xmalloc(n * size);
	memcpy(d, src, n * size);
	return d;
}

#define DUP(dst, src, field, count)                                                                \
	do {                                                                                       \
		(dst)->field = dup_array((src)->field, (count), sizeof(*(src)->field));            \
	} while (0)
/* An array with its n_ and cap_ fields: the copy is exactly as long as the original. */
#define DUP_ARRAY(dst, src, field)                                                                 \
	do {                                                                                       \
		(dst)->n_##field = (dst)->cap_##field = (src)->n_##field;                          \
		DUP(dst, src, field, (src)->n_##field);                                            \
	} while (0)

struct profile *profile_copy(const struct profile *p)
{
	struct profile *c = profile_new();
	/* Interning p's strings in id order gives each the id it has in p: they are distinct. */
	for (size_t id = 1; id < p->strs.count; id++)
		strtab_intern(&c->strs, p->strs.str[id], p->strs.len[id]);
	DUP_ARRAY(c, p, types);
	c->period_type = p->period_type;
	c->period = p->period;
	c->time_nanos = p->time_nanos;
	c->duration_nanos = p->duration_nanos;
	c->default_sample_type = p->default_sample_type;
	c->drop_frames = p->drop_frames;
	c->keep_frames = p->keep_frames;
	c->doc_url = p->doc_url;
	DUP_ARRAY(c, p, comments);
	DUP_ARRAY(c, p, mappings);
	DUP_ARRAY(c, p, functions);
	DUP_ARRAY(c, p, locations);
	DUP_ARRAY(c, p, lines);
	DUP_ARRAY(c, p, stack_bytes);
	DUP_ARRAY(c, p, stacks);
	DUP_ARRAY(c, p, samples);
	c->cap_values = p->n_samples * p->n_types;
	DUP(c, p, values, c->cap_values);
	DUP_ARRAY(c, p, labels);
	return c;
}

void stack_buf_grow(struct stack_buf *b, size_t n)
{
	XGROW(b->locs, b->cap, n + 1);
}

void stack_buf_release(struct stack_buf *b)
{
	free(b->locs);
	b->locs = NULL;
	b->cap = 0;
}

/* Encodes without a branch per byte (varint lengths vary from frame to frame, and their
 * mispredictions were half of the encoding time): each varint is assembled in a word and
 * stored whole (where words are little-endian), so out needs STACK_ROOM(depth) bytes. */
static size_t stack_encode(uint8_t *out, const uint32_t *locs, uint32_t depth)
{
	uint8_t *o = out;
	for (uint32_t i = 0; i < depth; i++) {
		uint32_t v = locs[i] + 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		unsigned len = 1 + (31 - (unsigned)__builtin_clz(v | 1)) / 7;
		uint64_t w = (v & 0x7f) | (uint64_t)(v >> 7 & 0x7f) << 8 |
			     (uint64_t)(v >> 14 & 0x7f) << 16 | (uint64_t)(v >> 21 & 0x7f) << 24 |
			     (uint64_t)(v >> 28) << 32;
		w |= 0x8080808080ull & ((1ull << (8 * (len - 1))) - 1); /* continuation bits */
		memcpy(o, &w, sizeof(w));
		o += len;
#else
		for (; v >= 0x80; v >>= 7)
			*o++ = (uint8_t)(v | 0x80);
		*o++ = (uint8_t)v;
#endif
	}
	return (size_t)(o - out);
}

/* Big tables come from xreserve: a growing set is a fresh table each time, and faulting
 * it in huge pages was a tenth of the faults of loading the benchmark's profiles. */
#define SET_HUGE ((size_t)2 << 20)

static void set_alloc(struct stack_set *set, size_t n)
{
	size_t bytes = n * sizeof(*set->slots);
	set->reserved = 0;
	set->slots = NULL;
	if (bytes >= SET_HUGE) {
		set->reserved = (bytes + SET_HUGE - 1) & ~(SET_HUGE - 1);
		set->slots = xreserve(set->reserved);
		/* Mapped, not allocated: counted here. A hash table touches all its pages. */
		if (set->slots)
			budget_charge((int64_t)set->reserved);
	}
	if (!set->slots) {
		set->reserved = 0;
		set->slots = xcalloc(n, sizeof(*set->slots));
	}
	set->mask = n - 1;
}

static void set_free(uint64_t *slots, size_t reserved)
{
	if (reserved) {
		xunreserve(slots, reserved);
		budget_charge(-(int64_t)reserved);
	} else {
		free(slots);
	}
}

void stack_set_init(struct stack_set *set, size_t expect)
{
	set->count = 0;
	set_alloc(set, hash_slots(expect));
}

void stack_set_release(struct stack_set *set)
{
	set_free(set->slots, set->reserved);
	set->slots = NULL;
	set->mask = set->count = 0;
}

static void set_insert(struct stack_set *set, uint64_t slot)
{
	size_t i = (size_t)hash_u64(slot >> 32) & set->mask;
	while (set->slots[i])
		i = (i + 1) & set->mask;
	set->slots[i] = slot;
}

static void set_grow(struct stack_set *set)
{
	uint64_t *old = set->slots;
	size_t n = set->mask + 1, reserved = set->reserved;
	set_alloc(set, n * 2);
	for (size_t i = 0; i < n; i++)
		if (old[i])
			set_insert(set, old[i]);
	set_free(old, reserved);
}

void profile_drop_stacks(struct profile *p)
{
	if (p->stack_bytes_reserved) {
		xunreserve(p->stack_bytes, p->cap_stack_bytes);
		budget_charge(-(int64_t)p->charged_stack_bytes);
		p->charged_stack_bytes = 0;
	} else {
		free(p->stack_bytes);
	}
	free(p->stacks);
	p->stack_bytes = NULL;
	p->stacks = NULL;
	p->n_stack_bytes = p->cap_stack_bytes = p->n_stacks = p->cap_stacks = 0;
	p->stack_bytes_reserved = false;
}

void profile_move_stacks(struct profile *p, struct profile *old)
{
	old->stack_bytes = p->stack_bytes;
	old->n_stack_bytes = p->n_stack_bytes;
	old->cap_stack_bytes = p->cap_stack_bytes;
	old->stack_bytes_reserved = p->stack_bytes_reserved;
	old->charged_stack_bytes = p->charged_stack_bytes;
	old->stacks = p->stacks;
	old->n_stacks = p->n_stacks;
	old->cap_stacks = p->cap_stacks;
	p->stack_bytes = NULL;
	p->stacks = NULL;
	p->n_stack_bytes = p->cap_stack_bytes = p->n_stacks = p->cap_stacks = 0;
	p->stack_bytes_reserved = false;
	p->charged_stack_bytes = 0;
}

/* Encoded stacks past this move into a reservation of all the 4 GiB their offsets can
 * address: they never move again, and fill huge pages (the biggest array of a big
 * profile, whose page faults were a tenth of the time to load it). */
#define STACK_BYTES_SMALL ((size_t)2 << 20)
#define STACK_BYTES_SPAN ((uint64_t)UINT32_MAX + 1)

static void grow_stack_bytes(struct profile *p, size_t need)
{
	if (need <= p->cap_stack_bytes) {
		/* Always so once reserved (profile_add_stack keeps need within the span), whose
		 * pages count against the memory budget as they fill, a huge page at a time. */
		if (p->stack_bytes_reserved && need > p->charged_stack_bytes) {
			size_t to = (need + STACK_BYTES_SMALL - 1) & ~(STACK_BYTES_SMALL - 1);
			budget_charge((int64_t)(to - p->charged_stack_bytes));
			p->charged_stack_bytes = to;
		}
		return;
	}
	if (need > STACK_BYTES_SMALL && SIZE_MAX > UINT32_MAX) { /* not where 4 GiB is all */
		uint8_t *m = xreserve((size_t)STACK_BYTES_SPAN);
		if (m) {
			if (p->n_stack_bytes)
				memcpy(m, p->stack_bytes, p->n_stack_bytes);
			free(p->stack_bytes);
			p->stack_bytes = m;
			p->cap_stack_bytes = (size_t)STACK_BYTES_SPAN;
			p->stack_bytes_reserved = true;
			grow_stack_bytes(p, need); /* counts what is in it */
			return;
		}
	}
	XGROW(p->stack_bytes, p->cap_stack_bytes, need);
}

static _Noreturn void too_large(void)
{
	fprintf(stderr, "cprof: profile too large (over 4 GiB of encoded stacks)\n");
	exit(1);
}

/* Keeps the len bytes just encoded at the end of p->stack_bytes as a new stack of depth
 * frames, or returns the equal stack set holds. */
static uint32_t add_encoded(struct profile *p, struct stack_set *set, size_t len, uint32_t depth)
{
	uint8_t *enc = p->stack_bytes + p->n_stack_bytes;
	uint32_t h = (uint32_t)hash_bytes(enc, len, depth);
	size_t i = (size_t)hash_u64(h) & set->mask;
	for (; set->slots[i]; i = (i + 1) & set->mask) {
		uint64_t slot = set->slots[i];
		if ((uint32_t)(slot >> 32) != h)
			continue;
		const struct stack *s = &p->stacks[(uint32_t)slot - 1];
		/* Equal depths and equal bytes for len mean equal stacks: both encodings are
		 * canonical, and s's bytes, being earlier, cannot run past enc's end. */
		if (s->depth == depth && memcmp(p->stack_bytes + s->off, enc, len) == 0)
			return (uint32_t)slot - 1;
	}
	XGROW(p->stacks, p->cap_stacks, p->n_stacks + 1);
	uint32_t id = (uint32_t)p->n_stacks++;
	p->stacks[id].off = (uint32_t)p->n_stack_bytes;
	p->stacks[id].depth = depth;
	p->n_stack_bytes += len;
	set->slots[i] = (uint64_t)h << 32 | (id + 1);
	if (++set->count * 10 > (set->mask + 1) * 7)
		set_grow(set);
	return id;
}

/* Room at the end of p->stack_bytes for a stack of depth frames. */
static void make_room(struct profile *p, uint32_t depth)
{
	uint64_t need = (uint64_t)p->n_stack_bytes + STACK_ROOM(depth);
	if (need > UINT32_MAX || p->n_stacks >= UINT32_MAX - 1)
		too_large();
	grow_stack_bytes(p, (size_t)need);
}

uint32_t profile_add_stack(struct profile *p, struct stack_set *set, const uint32_t *locs,
			   uint32_t depth)
{
	make_room(p, depth);
	/* Encoded in place at the end: kept if new, forgotten if not. */
	size_t len = stack_encode(p->stack_bytes + p->n_stack_bytes, locs, depth);
	return add_encoded(p, set, len, depth);
}

uint32_t profile_add_encoded_stack(struct profile *p, struct stack_set *set, const uint8_t *bytes,
				   size_t len, uint32_t depth)
{
	make_room(p, depth);
	if (len)
		memcpy(p->stack_bytes + p->n_stack_bytes, bytes, len);
	return add_encoded(p, set, len, depth);
}

static bool same_label(const struct label *a, const struct label *b)
{
	return a->key == b->key && a->str == b->str && a->num == b->num &&
	       a->num_unit == b->num_unit;
}

uint32_t profile_share_labels(struct profile *p, struct hashmap *lists, uint32_t n)
{
	uint32_t first = (uint32_t)(p->n_labels - n);
	if (n == 0)
		return first;
	/* Field by field: struct padding is not always zero. */
	const struct label *mine = &p->labels[first];
	uint64_t h = n;
	for (uint32_t i = 0; i < n; i++)
		h = hash_u64(h ^ hash_u64((uint64_t)mine[i].key << 32 | mine[i].str) ^
			     hash_u64((uint64_t)mine[i].num + mine[i].num_unit));
	uint32_t at = hashmap_get(lists, h);
	if (at != HASHMAP_NONE) {
		/* An earlier list, at < first: the compared labels end before these begin. */
		uint32_t i = 0;
		while (i < n && same_label(&p->labels[at + i], &mine[i]))
			i++;
		if (i == n) {
			p->n_labels -= n;
			return at;
		}
		return first;
	}
	hashmap_put(lists, h, first);
	return first;
}

void profile_keep_sample(struct profile *p, size_t s, size_t *kept)
{
	size_t k = (*kept)++;
	if (k == s)
		return;
	p->samples[k] = p->samples[s];
	if (p->n_types)
		memmove(p->values + k * p->n_types, p->values + s * p->n_types,
			p->n_types * sizeof(*p->values));
}

/* Go's int64(math.Round(x)), including its result for values out of range. */
static int64_t round_go(double x)
{
	return f2i(round(x));
}

void profile_scale(struct profile *p, const double *ratios)
{
	bool all_one = true;
	for (size_t i = 0; i < p->n_types; i++)
		all_one = all_one && ratios[i] == 1;
	if (all_one)
		return;
	size_t fill = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		int64_t *v = p->values + s * p->n_types;
		bool keep = false;
		for (size_t i = 0; i < p->n_types; i++)
			if (ratios[i] != 1) {
				v[i] = round_go((double)v[i] * ratios[i]);
				keep = keep || v[i] != 0;
			}
		if (keep)
			profile_keep_sample(p, s, &fill);
	}
	p->n_samples = fill;
}

void profile_set_main_binary(struct profile *p, const char *file, const char *build_id)
{
	if (p->n_mappings == 0) {
		XGROW(p->mappings, p->cap_mappings, 1);
		memset(&p->mappings[0], 0, sizeof(p->mappings[0]));
		p->mappings[0].id = 1;
		p->n_mappings = 1;
		for (size_t i = 0; i < p->n_locations; i++)
			p->locations[i].mapping = 0;
	}
	if (file)
		p->mappings[0].file = strtab_intern(&p->strs, file, strlen(file));
	if (build_id && *build_id)
		p->mappings[0].build_id = strtab_intern(&p->strs, build_id, strlen(build_id));
}

void profile_view_scaled(struct profile *view, const struct profile *p, double ratio)
{
	*view = *p;
	size_t n = p->n_samples * p->n_types;
	view->values = xmalloc((n + 1) * sizeof(*view->values));
	for (size_t i = 0; i < n; i++)
		view->values[i] = f2i((double)p->values[i] * ratio);
}

void profile_view_release(struct profile *view)
{
	free(view->values);
	view->values = NULL;
}

void profile_add_comments(struct profile *p, const uint32_t *ids, size_t n)
{
	uint8_t *seen = xcalloc(p->strs.count / 8 + 1, 1);
	for (size_t i = 0; i < p->n_comments; i++)
		seen[p->comments[i] / 8] |= (uint8_t)(1u << (p->comments[i] % 8));
	XGROW(p->comments, p->cap_comments, p->n_comments + n + 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t c = ids[i];
		uint8_t bit = (uint8_t)(1u << (c % 8));
		if (seen[c / 8] & bit)
			continue;
		seen[c / 8] |= bit;
		p->comments[p->n_comments++] = c;
	}
	free(seen);
}

void profile_dedup_comments(struct profile *p)
{
	uint32_t *all = p->comments;
	size_t n = p->n_comments;
	p->comments = NULL;
	p->n_comments = p->cap_comments = 0;
	profile_add_comments(p, all, n);
	free(all);
}

static bool type_is(const struct profile *p, size_t i, const char *name)
{
	return strcmp(profile_str(p, p->types[i].type), name) == 0;
}

int profile_sample_index(const struct profile *p, const char *name)
{
	if (p->n_types == 0)
		return -1;
	if (!name || !*name) {
		const char *def = profile_str(p, p->default_sample_type);
		if (*def)
			for (size_t i = 0; i < p->n_types; i++)
				if (type_is(p, i, def))
					return (int)i;
		return (int)p->n_types - 1;
	}
	char *end;
	long v = strtol(name, &end, 10);
	if (*end == '\0')
		return v >= 0 && (size_t)v < p->n_types ? (int)v : -1;
	const char *no_inuse = strncmp(name, "inuse_", 6) == 0 ? name + 6 : name;
	for (size_t i = 0; i < p->n_types; i++)
		if (type_is(p, i, name) || type_is(p, i, no_inuse))
			return (int)i;
	return -1;
}

void profile_add_comment(struct profile *p, const char *text)
{
	XGROW(p->comments, p->cap_comments, p->n_comments + 1);
	p->comments[p->n_comments++] = strtab_intern(&p->strs, text, strlen(text));
}

void profile_type_list(const struct profile *p, bool units, struct strbuf *out)
{
	strbuf_addch(out, '[');
	for (size_t i = 0; i < p->n_types; i++) {
		strbuf_addf(out, "%s%s", i ? " " : "", profile_str(p, p->types[i].type));
		if (units)
			strbuf_addf(out, "/%s", profile_str(p, p->types[i].unit));
	}
	strbuf_addch(out, ']');
}

static bool str_equal(const struct profile *a, uint32_t ia, const struct profile *b, uint32_t ib)
{
	return a->strs.len[ia] == b->strs.len[ib] &&
	       memcmp(profile_str(a, ia), profile_str(b, ib), a->strs.len[ia]) == 0;
}

static bool same_type(const struct profile *a, const struct value_type *ta, const struct profile *b,
		      const struct value_type *tb)
{
	return str_equal(a, ta->type, b, tb->type) && str_equal(a, ta->unit, b, tb->unit);
}

int profile_compatible(const struct profile *a, const struct profile *b, struct cprof_error *err)
{
	if (!same_type(a, &a->period_type, b, &b->period_type))
		return error_set(err, "incompatible period types {%s %s} and {%s %s}",
				 profile_str(a, a->period_type.type),
				 profile_str(a, a->period_type.unit),
				 profile_str(b, b->period_type.type),
				 profile_str(b, b->period_type.unit));
	bool same = a->n_types == b->n_types;
	for (size_t i = 0; same && i < a->n_types; i++)
		same = same_type(a, &a->types[i], b, &b->types[i]);
	if (same)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	profile_type_list(a, true, &sb);
	strbuf_adds(&sb, " and ");
	profile_type_list(b, true, &sb);
	error_set(err, "incompatible sample types %s", sb.buf);
	strbuf_release(&sb);
	return -1;
}
