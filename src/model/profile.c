/* Lifetime of struct profile and the few helpers every stage shares. */
#include "model/profile.h"

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
	free(p->frames);
	free(p->stacks);
	free(p->samples);
	free(p->values);
	free(p->labels);
	free(p);
}

uint32_t profile_add_stack(struct profile *p, struct hashmap *dedup, const uint32_t *locs,
			   uint32_t depth)
{
	uint64_t h = hash_bytes(locs, depth * sizeof(*locs), depth);
	uint32_t found = hashmap_get(dedup, h);
	if (found != HASHMAP_NONE) {
		const struct stack *s = &p->stacks[found];
		if (s->depth == depth &&
		    (depth == 0 || memcmp(p->frames + s->off, locs, depth * sizeof(*locs)) == 0))
			return found;
	}
	XGROW(p->frames, p->cap_frames, p->n_frames + depth);
	if (depth)
		memcpy(p->frames + p->n_frames, locs, depth * sizeof(*locs));
	XGROW(p->stacks, p->cap_stacks, p->n_stacks + 1);
	uint32_t id = (uint32_t)p->n_stacks++;
	p->stacks[id].off = (uint32_t)p->n_frames;
	p->stacks[id].depth = depth;
	p->n_frames += depth;
	/* On a (rare) hash collision the first stack keeps the slot; the new one is just not
	 * shared, which costs memory but never correctness. */
	if (found == HASHMAP_NONE)
		hashmap_put(dedup, h, id);
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
