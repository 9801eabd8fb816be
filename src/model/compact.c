/* Compaction: pprof's Merge of one source profile, done by the general merge (merge.c). */
#include "model/compact.h"

#include <stdlib.h>

#include "model/merge.h"
#include "util/xalloc.h"

struct profile *profile_compact(struct profile *src)
{
	struct merge *m = merge_new();
	merge_add(m, src, NULL); /* the first source is always compatible */
	return merge_finish(m);
}

struct mapkey {
	uint64_t size, offset;
	uint32_t who;
};

static int mapkey_cmp(const void *a, const void *b)
{
	const struct mapkey *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->who < y->who ? -1 : x->who > y->who;
}

bool profile_compact_shows(const struct profile *p)
{
	for (size_t i = 0; i < p->n_samples * p->n_types; i++)
		if (p->values[i] < 0)
			return true;
	if (p->n_mappings < 2)
		return false;
	/* The mapping key merge.c's map_mapping uses. */
	struct mapkey *k = xmalloc(p->n_mappings * sizeof(*k));
	for (size_t i = 0; i < p->n_mappings; i++) {
		const struct mapping *m = &p->mappings[i];
		uint64_t size = m->limit - m->start + 0xfff;
		k[i] = (struct mapkey){ size - size % 0x1000, m->offset,
					p->strs.len[m->build_id] ? m->build_id : m->file };
	}
	qsort(k, p->n_mappings, sizeof(*k), mapkey_cmp);
	bool shared = false;
	for (size_t i = 1; i < p->n_mappings && !shared; i++)
		shared = mapkey_cmp(&k[i - 1], &k[i]) == 0;
	free(k);
	return shared;
}

bool profile_compact_needed(const struct profile *p, bool shows_samples, bool shows_ids)
{
	if (!shows_samples && !profile_compact_shows(p))
		return false;
	return shows_ids || !merge_keeps_all(p);
}
