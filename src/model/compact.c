/* Compaction: pprof's Merge of one source profile, done by the general merge (merge.c). */
#include "model/compact.h"

#include "model/merge.h"

struct profile *profile_compact(struct profile *src)
{
	struct merge *m = merge_new();
	merge_add(m, src, NULL); /* the first source is always compatible */
	return merge_finish(m);
}
