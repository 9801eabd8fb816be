/* Sample labels as pprof's profile package sees them: a label with neither a value, a number
 * nor a unit is dropped; a label with a string value is a string label, any other a numeric
 * one; labels are grouped by key, keys in order of first appearance. Pure functions over
 * the profile; nothing is allocated that the caller does not free. */
#ifndef CPROF_MODEL_LABELS_H
#define CPROF_MODEL_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"

static inline bool label_kept(const struct label *l)
{
	return l->str != 0 || l->num != 0 || l->num_unit != 0;
}

static inline bool label_is_numeric(const struct label *l)
{
	return l->str == 0 && label_kept(l);
}

/* Sample s's kept string labels (numeric false) or numeric labels (numeric true) grouped by
 * key, the groups in order of their key's first appearance: group k is key, whether any of
 * its numeric labels has a unit (which makes pprof keep a unit, possibly "", for every value
 * of the key), and its labels' offsets in the sample (first_label + at[i]), in sample order,
 * at[first .. first + n). */
struct label_group {
	uint32_t key, first, n;
	bool has_units;
};

/* Where labels_group puts a sample's groups: reusable from sample to sample, grown as
 * needed; labels_buf_release frees it. A zeroed struct is an empty buffer. */
struct labels_buf {
	struct label_group *groups; /* the groups, in order of first appearance */
	uint32_t *at;               /* the groups' label offsets (see struct label_group) */
	struct label_group *tmp;
	uint64_t *sort;
	size_t cap;
};
void labels_buf_release(struct labels_buf *b);

/* Groups s's labels into b->groups and b->at; returns the number of groups. O(n log n) in
 * the sample's labels, however many keys they have. */
size_t labels_group(const struct profile *p, const struct sample *s, bool numeric,
		    struct labels_buf *b);

/* Whether sample s has a numeric label of key whose unit is not "" (see labels_group). */
bool labels_key_has_units(const struct profile *p, const struct sample *s, uint32_t key);

/* pprof's NumLabelUnits: for each numeric label key (indexed by string id, p->strs.count
 * entries), the unit its values are in: the first non-empty unit seen, else "bytes" for
 * "alignment" and "request", else the key itself; "?" for a unit whose name holds a NUL
 * (a unit no measure knows); NULL for keys no numeric label uses. The
 * caller frees the array; the strings belong to the profile (or are static). */
const char **labels_num_units(const struct profile *p);

/* A numeric label key (a string id: a key's name may hold a NUL) and a unit its values
 * also came in, other than units[key]. */
struct labels_unit_clash {
	uint32_t key;
	const char *unit;
};

/* pprof's identifyNumLabelUnits check: the (key, unit) pairs of p's numeric labels whose unit
 * is neither "" nor the one labels_num_units chose (units), sorted by key (its bytes) then unit (where
 * pprof's order is random), each pair once. Returns how many; *out is the caller's to free. */
size_t labels_unit_clashes(const struct profile *p, const char *const *units,
			   struct labels_unit_clash **out);
/* That order, for sort_r with the profile as context: keys by their bytes, then units. */
int labels_unit_clash_cmp(const void *a, const void *b, void *profile);

#endif
