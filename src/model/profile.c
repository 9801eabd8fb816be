/* Lifetime of struct profile and the few helpers every stage shares. */
#include "model/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	free(p->stack_bytes);
	free(p->stacks);
	free(p->samples);
	free(p->values);
	free(p->labels);
	free(p);
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

static size_t stack_encode(uint8_t *out, const uint32_t *locs, uint32_t depth)
{
	uint8_t *o = out;
	for (uint32_t i = 0; i < depth; i++) {
		uint32_t v = locs[i];
		while (v >= 0x80) {
			*o++ = (uint8_t)(v | 0x80);
			v >>= 7;
		}
		*o++ = (uint8_t)v;
	}
	return (size_t)(o - out);
}

static void set_alloc(struct stack_set *set, size_t n)
{
	set->slots = xcalloc(n, sizeof(*set->slots));
	set->mask = n - 1;
}

void stack_set_init(struct stack_set *set, size_t expect)
{
	size_t n = 16;
	while (n * 7 < expect * 10)
		n *= 2;
	set->count = 0;
	set_alloc(set, n);
}

void stack_set_release(struct stack_set *set)
{
	free(set->slots);
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
	size_t n = set->mask + 1;
	set_alloc(set, n * 2);
	for (size_t i = 0; i < n; i++)
		if (old[i])
			set_insert(set, old[i]);
	free(old);
}

static _Noreturn void too_large(void)
{
	fprintf(stderr, "cprof: profile too large (over 4 GiB of encoded stacks)\n");
	exit(1);
}

uint32_t profile_add_stack(struct profile *p, struct stack_set *set, const uint32_t *locs,
			   uint32_t depth)
{
	if (p->n_stack_bytes + STACK_MAX_BYTES(depth) >= UINT32_MAX || p->n_stacks >= UINT32_MAX - 1)
		too_large();
	/* Encoded in place at the end: kept if new, forgotten if not. */
	XGROW(p->stack_bytes, p->cap_stack_bytes, p->n_stack_bytes + STACK_MAX_BYTES(depth) + 1);
	uint8_t *enc = p->stack_bytes + p->n_stack_bytes;
	size_t len = stack_encode(enc, locs, depth);
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
