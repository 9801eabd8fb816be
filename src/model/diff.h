/* Profile differences as pprof makes them: -base and -diff_base negate a base profile before
 * it is merged with the sources, -diff_base also labels the base's samples pprof::base=true
 * so that reports can tell them apart, and -normalize first scales the sources to the base's
 * totals. This is the one home of that label and of the tests for it. Functions change
 * the caller's profile in place; what they add to it (labels, strings) is the profile's. */
#ifndef CPROF_MODEL_DIFF_H
#define CPROF_MODEL_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "model/labels.h"
#include "model/profile.h"
#include "util/error.h"

/* The label -diff_base puts on every sample of the base: DIFF_BASE_KEY=DIFF_BASE_VALUE. */
#define DIFF_BASE_KEY "pprof::base"
#define DIFF_BASE_VALUE "true"

/* The string ids of DIFF_BASE_KEY and DIFF_BASE_VALUE in a profile (STRTAB_NONE for one it
 * does not have): found once by diff_base_find, then used for any number of samples. */
struct diff_base {
	uint32_t key, value;
};

struct diff_base diff_base_find(const struct profile *p);

/* Whether l is a base label: one keyed pprof::base that is not numeric, whatever its value
 * (a label diff_make_base would replace). b is diff_base_find of l's profile. */
static inline bool diff_base_label(const struct diff_base *b, const struct label *l)
{
	return b->key != STRTAB_NONE && l->key == b->key && !label_is_numeric(l);
}

/* pprof's DiffBaseSample: whether sample s of p has the label pprof::base=true. b is
 * diff_base_find(p). */
static inline bool diff_base_sample(const struct profile *p, const struct diff_base *b,
				    const struct sample *s)
{
	if (b->key == STRTAB_NONE || b->value == STRTAB_NONE)
		return false;
	for (uint32_t i = 0; i < s->n_labels; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (l->key == b->key && l->str == b->value)
			return true;
	}
	return false;
}

/* The base's total in value sample_index of a -diff_base profile: the sum of the negated
 * values of the samples with a base label (see diff_base_label), wrapping as Go's int64
 * does; 0 when no sample has one. */
int64_t diff_base_total(const struct profile *p, int sample_index);
/* The rest: the sum of the values of the samples without a base label (the new profile's
 * total, less what equal base samples cancelled), wrapping as Go's int64 does. */
int64_t diff_new_total(const struct profile *p, int sample_index);

/* pprof's preparation of a base before it is merged with the sources: with label (for
 * -diff_base), every sample gets the label pprof::base=true in place of any other string
 * value of that key (pprof's SetLabel); then every value is negated (ScaleN by -1), which
 * drops the samples whose values are all zero. */
void diff_make_base(struct profile *base, bool label);

/* pprof's Normalize (-normalize): scales p so that each sample type's total equals base's
 * (a type whose total in p is zero is scaled by zero). Returns 0, or -1 with pprof's reason
 * in err when the two profiles are not compatible (see profile_compatible); p is then
 * unchanged. With ratios, *ratios receives each sample type's factor (the caller frees
 * them). */
int diff_normalize(struct profile *p, const struct profile *base, double **ratios,
		   struct cprof_error *err);

#endif
