/* The selection flags of the command line (-focus, -ignore, ..., -tagroot, -tagleaf,
 * -relative_percentages): compiled once before the profile is read, applied to it in
 * pprof's order, with pprof's warnings on standard error and its "Active filters:" lines.
 * A struct select owns what it compiles: select_release. */
#ifndef CPROF_CLI_SELECT_H
#define CPROF_CLI_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/filter.h"
#include "model/profile.h"
#include "util/error.h"

/* The flags' values, as given (NULL or "" when unset). */
struct select_flags {
	const char *focus, *ignore, *hide, *show, *show_from, *prune_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide, *tagroot, *tagleaf;
	bool relative_percentages;
};

struct select {
	const struct select_flags *f;
	struct regex *focus, *ignore, *hide, *show, *show_from, *prune_from, *tagshow, *taghide;
	struct filter_tag tagfocus, tagignore;
	bool has_tagfocus, has_tagignore;
	const char **num_units; /* labels_num_units of the profile, before filtering */
	char *active[9];        /* pprof's ActiveFilters: "focus=RE", ... in its order */
	size_t n_active;
};

/* Compiles the flags' regexps and tag filters, in pprof's order; the first bad one is the
 * error ("-focus: bad regexp ..."). */
int select_compile(struct select *s, const struct select_flags *f, struct cprof_error *err);
/* What pprof does before the report's total is taken: the profile's drop_frames, then
 * -tagroot/-tagleaf (numbers scaled to unit, the -unit flag). */
void select_prepare(struct select *s, struct profile *p, const char *unit);
/* The filters proper (pprof's applyFocus), with its notes ("tagfocus:Interpreted '1kb:'
 * as range, not regexp") and "... matched no samples" warnings. */
void select_apply(struct select *s, struct profile *p);
/* pprof's note on numeric label keys seen with more than one unit, alone (the shell's
 * greeting prints it, as pprof's does). */
void select_warn_units(const struct profile *p);
void select_release(struct select *s);

#endif
