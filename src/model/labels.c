/* Grouping sample labels by key and inferring numeric label units, as pprof does. */
#include "model/labels.h"

#include <string.h>

#include "util/xalloc.h"

size_t labels_keys(const struct profile *p, const struct sample *s, bool numeric, uint32_t *keys)
{
	size_t n = 0;
	for (uint32_t i = 0; i < s->n_labels; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (!label_kept(l) || label_is_numeric(l) != numeric)
			continue;
		size_t k = 0;
		while (k < n && keys[k] != l->key)
			k++;
		if (k == n)
			keys[n++] = l->key;
	}
	return n;
}

bool labels_key_has_units(const struct profile *p, const struct sample *s, uint32_t key)
{
	for (uint32_t i = 0; i < s->n_labels; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (l->key == key && label_is_numeric(l) && l->num_unit != 0)
			return true;
	}
	return false;
}

const char **labels_num_units(const struct profile *p)
{
	const char **units = xcalloc(p->strs.count + 1, sizeof(*units));
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			if (!label_is_numeric(l))
				continue;
			const char *u = profile_str(p, l->num_unit);
			if (*u && (!units[l->key] || !*units[l->key]))
				units[l->key] = u;
			else if (!units[l->key])
				units[l->key] = "";
		}
	}
	for (size_t k = 0; k < p->strs.count; k++) {
		if (!units[k] || *units[k])
			continue;
		const char *key = profile_str(p, (uint32_t)k);
		units[k] = strcmp(key, "alignment") == 0 || strcmp(key, "request") == 0 ? "bytes" : key;
	}
	return units;
}
