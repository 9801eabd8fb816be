/* pprof's Merge of a single profile, which go tool pprof applies to every profile it reads:
 * samples whose values are all zero are dropped, samples with the same stack and labels are
 * summed, equal mappings, functions and locations are shared, unused ones are dropped, and
 * every id is renumbered from 1 in order of first use. */
#ifndef CPROF_MODEL_COMPACT_H
#define CPROF_MODEL_COMPACT_H

#include <stdbool.h>

#include "model/profile.h"

/* A new profile (profile_free) holding src compacted as pprof's Merge([src]) leaves it.
 * src is not changed (a single source keeps its string ids). */
struct profile *profile_compact(struct profile *src);

/* Whether compacting p changes what reports drawn from the call graph show, which pprof's
 * Merge does for one profile only when it sums samples of opposite signs (their total
 * counts magnitudes) or when two mappings share its key (size rounded to pages, offset,
 * build id or file: their locations move into the first, addresses shifted), as legacy
 * profiles can have. Otherwise those reports may skip the work. */
bool profile_compact_shows(const struct profile *p);

/* Whether a report must see p compacted: one that shows samples one by one (shows_samples)
 * when the merge would change them, or always if it shows the ids the merge renumbers
 * (shows_ids); any other when profile_compact_shows, and the merge would change p. */
bool profile_compact_needed(const struct profile *p, bool shows_samples, bool shows_ids);

#endif
