/* pprof's Merge of many profiles, folded one source at a time into an accumulator so that
 * memory is bounded by the merged result (load one, merge it, free it), with the unit
 * scaling pprof applies first (the base of a diff is prepared in model/diff.h). A struct
 * merge owns the profile it builds until merge_finish hands it to the caller. */
#ifndef CPROF_MODEL_MERGE_H
#define CPROF_MODEL_MERGE_H

#include "model/profile.h"
#include "util/error.h"

struct merge;

struct merge *merge_new(void);
/* For reports drawn from the call graph, which cannot tell equal samples summed from equal
 * samples side by side as long as they have one sign: samples are appended as they come,
 * saving the keys that find equal ones. merge_finish sums them after all if signs mix (a
 * source with negative values), so pprof's Merge semantics hold. Call before the first
 * merge_add. */
void merge_keep_apart(struct merge *m);
/* Frees an unfinished merge and the profile it was building; NULL is fine. */
void merge_free(struct merge *m);

/* Folds src into the merge as pprof's Merge does: src is first scaled to the units common
 * to both (as pprof's ScaleProfiles), checked for compatibility with what is merged so far
 * (same sample types and period type), then its header is combined and its non-zero
 * samples added. src is modified: its values may be rescaled and its string ids are
 * rewritten to the merged profile's (its own strtab no longer names them: only free it).
 * On an incompatible src, returns -1 with pprof's reason in err; m is then only fit for
 * merge_free (its units may have been converted already). */
int merge_add(struct merge *m, struct profile *src, struct cprof_error *err);

/* The merged profile (the caller frees it); m is freed. Samples that summed to zero are
 * dropped by merging once more, as pprof does. Returns NULL if nothing was added. */
struct profile *merge_finish(struct merge *m);

/* Whether merging p alone would keep every sample, mapping, function and location as they
 * are, only renumbered (and empty labels dropped, which no report shows): no sample of
 * zero values, and no two samples, mappings, functions or locations equal by the keys
 * merge_add uses. Reports that show samples but no ids (traces, tags) may then skip the
 * merge. */
bool merge_keeps_all(const struct profile *p);

#endif
