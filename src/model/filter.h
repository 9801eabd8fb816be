/* Selection: pprof's ways of narrowing a profile before a report reads it (focus, ignore,
 * hide, show, show_from, prune_from, tag filters, tagroot/tagleaf, the profile's own
 * drop_frames/keep_frames). Every function edits the struct profile in place: samples are
 * dropped, stacks rebuilt, location lines rewritten; new lines, labels, functions and
 * locations live in the profile's own arrays. Regexps and tag filters stay the caller's. */
#ifndef CPROF_MODEL_FILTER_H
#define CPROF_MODEL_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"
#include "util/regex.h"

enum filter_range { RANGE_EQ, RANGE_GE, RANGE_LE, RANGE_BETWEEN };

/* A parsed -tagfocus/-tagignore value: "[key=]value", where value is a numeric range with an
 * optional unit ("64", "1kb:10kb", "100ms:", ":64") or comma-separated regexps. */
struct filter_tag {
	char *key;    /* the key before "=", or NULL: any key */
	bool numeric; /* a range, not regexps */
	enum filter_range range;
	double lo, hi;      /* the bounds in unit */
	char unit[16];      /* the unit the bounds were written in ("" when none) */
	struct regex **res; /* string form: the regexps, all owned */
	size_t n_res;
};

/* Parses value (the text of flag name, e.g. "tagfocus") into t. Returns 0, or -1 with
 * "NAME: bad regexp ..." in err; t holds nothing to release then. */
int filter_tag_parse(struct filter_tag *t, const char *name, const char *value,
		     struct cprof_error *err);
void filter_tag_release(struct filter_tag *t);
/* Whether a numeric label value v in unit matches the range of a numeric t. */
bool filter_tag_range_match(const struct filter_tag *t, int64_t v, const char *unit);
/* Whether sample s matches t. num_units is labels_num_units(p) of the profile before
 * filtering (pprof infers units once). */
bool filter_tag_match(const struct filter_tag *t, const struct profile *p, const struct sample *s,
		      const char *const *num_units);

/* pprof's simplifyFunc, which drop_frames and prune_from match against: a leading '.' and
 * everything from the first '(' not part of "(anonymous namespace)" or "operator()" go.
 * Writes at most n - 1 bytes and a NUL to buf. */
void filter_simplify_name(const char *name, char *buf, size_t n);

/* pprof's RemoveUninteresting: drops the frames above the last (rootmost) frame whose
 * simplified name matches the profile's drop_frames (whole name) and not keep_frames. A
 * drop_frames that does not compile is ignored, as pprof ignores it. */
void filter_drop_frames(struct profile *p);

/* pprof's tagroot/tagleaf: for each label key in the comma-separated lists, a pseudo frame
 * named by the sample's values of that key (numbers scaled to unit) is put at the root
 * (roots) or at the leaf (leaves) of every sample. Sets *root_match / *leaf_match when some
 * sample had a value for some key. */
void filter_tag_roots(struct profile *p, const char *roots, const char *leaves, const char *unit,
		      bool *root_match, bool *leaf_match);

struct filter_options {
	const struct regex *focus, *ignore, *hide, *show, *show_from, *prune_from;
	const struct filter_tag *tag_focus, *tag_ignore;
	const struct regex *tag_show, *tag_hide;
	const char *const *num_units; /* labels_num_units before any filter, for tag ranges */
};

/* What matched, for pprof's "... expression matched no samples" warnings: one flag per
 * option, true when the option is unset or matched. */
struct filter_matches {
	bool focus, ignore, hide, show, show_from, tag_focus, tag_ignore, tag_show, tag_hide;
};

/* pprof's applyFocus: FilterSamplesByName, ShowFrom, FilterSamplesByTag, FilterTagsByName
 * and PruneFrom, in that order. */
void filter_apply(struct profile *p, const struct filter_options *o, struct filter_matches *m);

#endif
