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

/* Writes to keys the distinct keys (string ids) of sample s's string labels (numeric false)
 * or numeric labels (numeric true), in order of first appearance; keys must hold
 * s->n_labels entries. Returns how many. */
size_t labels_keys(const struct profile *p, const struct sample *s, bool numeric, uint32_t *keys);

/* Whether sample s has a numeric label of key whose unit is not "", which makes pprof keep a
 * unit (possibly "") for every value of that key. */
bool labels_key_has_units(const struct profile *p, const struct sample *s, uint32_t key);

/* pprof's NumLabelUnits: for each numeric label key (indexed by string id, p->strs.count
 * entries), the unit its values are in: the first non-empty unit seen, else "bytes" for
 * "alignment" and "request", else the key itself; NULL for keys no numeric label uses. The
 * caller frees the array; the strings belong to the profile (or are static). */
const char **labels_num_units(const struct profile *p);

#endif
