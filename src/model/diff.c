/* The base side of pprof's profile differences: marking, negating and normalizing a base,
 * and finding its samples again in the merged profile; see diff.h. */
#include "model/diff.h"

#include <stdlib.h>
#include <string.h>

#include "util/goint.h"
#include "util/xalloc.h"

struct diff_base diff_base_find(const struct profile *p)
{
	return (struct diff_base){
		.key = strtab_find(&p->strs, DIFF_BASE_KEY, strlen(DIFF_BASE_KEY)),
		.value = strtab_find(&p->strs, DIFF_BASE_VALUE, strlen(DIFF_BASE_VALUE)),
	};
}

/* Whether sample s has a base label. */
static bool is_base_sample(const struct profile *p, const struct diff_base *b, size_t s)
{
	const struct sample *sa = &p->samples[s];
	for (uint32_t i = 0; i < sa->n_labels; i++)
		if (diff_base_label(b, &p->labels[sa->first_label + i]))
			return true;
	return false;
}

int64_t diff_base_total(const struct profile *p, int sample_index)
{
	struct diff_base b = diff_base_find(p);
	if (b.key == STRTAB_NONE)
		return 0;
	int64_t total = 0;
	for (size_t s = 0; s < p->n_samples; s++)
		if (is_base_sample(p, &b, s)) {
			int64_t v = profile_values(p, s)[sample_index];
			total = add64(total, (int64_t)(0 - (uint64_t)v));
		}
	return total;
}

int64_t diff_new_total(const struct profile *p, int sample_index)
{
	struct diff_base b = diff_base_find(p);
	int64_t total = 0;
	for (size_t s = 0; s < p->n_samples; s++)
		if (b.key == STRTAB_NONE || !is_base_sample(p, &b, s))
			total = add64(total, profile_values(p, s)[sample_index]);
	return total;
}

/* pprof's SetLabel with one value: every sample's string labels of key become the one label
 * key=value. */
static void set_label(struct profile *p, const char *key, const char *value)
{
	uint32_t k = strtab_intern(&p->strs, key, strlen(key));
	uint32_t v = strtab_intern(&p->strs, value, strlen(value));
	struct label *labels = NULL;
	size_t n = 0, cap = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		struct sample *sa = &p->samples[s];
		XGROW(labels, cap, n + sa->n_labels + 1);
		uint32_t first = (uint32_t)n;
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			if (!(l->key == k && !label_is_numeric(l)))
				labels[n++] = *l;
		}
		labels[n++] = (struct label){ .key = k, .str = v };
		sa->first_label = first;
		sa->n_labels = (uint32_t)(n - first);
	}
	free(p->labels);
	p->labels = labels;
	p->n_labels = n;
	p->cap_labels = cap;
}

void diff_make_base(struct profile *base, bool label)
{
	if (label)
		set_label(base, DIFF_BASE_KEY, DIFF_BASE_VALUE);
	double *minus = xmalloc((base->n_types + 1) * sizeof(*minus));
	for (size_t i = 0; i < base->n_types; i++)
		minus[i] = -1;
	profile_scale(base, minus);
	free(minus);
}

int diff_normalize(struct profile *p, const struct profile *base, double **ratios_out,
		   struct cprof_error *err)
{
	if (profile_compatible(p, base, err) < 0)
		return -1;
	size_t n = p->n_types;
	uint64_t *sums = xcalloc(2 * n + 1, sizeof(*sums));
	for (size_t s = 0; s < base->n_samples; s++)
		for (size_t i = 0; i < n; i++)
			sums[i] += (uint64_t)profile_values(base, s)[i];
	for (size_t s = 0; s < p->n_samples; s++)
		for (size_t i = 0; i < n; i++)
			sums[n + i] += (uint64_t)profile_values(p, s)[i];
	double *ratios = xmalloc((n + 1) * sizeof(*ratios));
	for (size_t i = 0; i < n; i++)
		ratios[i] = sums[n + i] == 0
				    ? 0.0
				    : (double)(int64_t)sums[i] / (double)(int64_t)sums[n + i];
	profile_scale(p, ratios);
	if (ratios_out)
		*ratios_out = ratios;
	else
		free(ratios);
	free(sums);
	return 0;
}
