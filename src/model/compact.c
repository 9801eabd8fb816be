/* Compaction: pprof's Merge of one source profile, done by the general merge (merge.c). */
#include "model/compact.h"

#include "model/merge.h"

struct profile *profile_compact(struct profile *src)
{
	struct merge *m = merge_new();
	merge_add(m, src, NULL); /* the first source is always compatible */
	return merge_finish(m);
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
