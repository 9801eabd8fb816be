/* pprof's Merge of a single profile, which go tool pprof applies to every profile it reads:
 * samples whose values are all zero are dropped, samples with the same stack and labels are
 * summed, equal mappings, functions and locations are shared, unused ones are dropped, and
 * every id is renumbered from 1 in order of first use. */
#ifndef CPROF_MODEL_COMPACT_H
#define CPROF_MODEL_COMPACT_H

#include "model/profile.h"

/* A new profile (profile_free) holding src compacted as pprof's Merge([src]) leaves it.
 * src is not changed (a single source keeps its string ids). */
struct profile *profile_compact(struct profile *src);

#endif
