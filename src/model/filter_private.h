/* What the parts of model/filter share: the passes filter_apply runs, each in the file of its
 * job (filter_frames.c, filter_tag.c). Included only by src/model/filter*.c. */
#ifndef CPROF_MODEL_FILTER_PRIVATE_H
#define CPROF_MODEL_FILTER_PRIVATE_H

#include "model/filter.h"
#include "model/profile.h"
#include "util/regex.h"

/* pprof's FilterSamplesByName, ShowFrom and PruneFrom, in one rebuild of p's stacks; also
 * drops the samples with no location. Sets m's focus, ignore, hide, show and show_from when
 * the option matched (filter_apply sets those of unset options). */
void filter_samples_by_name(struct profile *p, const struct filter_options *o,
			    struct filter_matches *m);

/* pprof's FilterSamplesByTag: keeps the samples that o->tag_focus (when set) matches and
 * o->tag_ignore (when set) does not; sets m->tag_focus and m->tag_ignore when they matched. */
void filter_samples_by_tag(struct profile *p, const struct filter_options *o,
			   struct filter_matches *m);

/* pprof's FilterTagsByName: labels whose key show (when set) does not match, or hide does,
 * go; sets m->tag_show and m->tag_hide when they matched a key. */
void filter_tags_by_name(struct profile *p, const struct regex *show, const struct regex *hide,
			 struct filter_matches *m);

#endif
