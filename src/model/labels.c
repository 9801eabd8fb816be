/* Grouping sample labels by key and inferring numeric label units, as pprof does. */
#include "model/labels.h"
#include "util/sort.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int cmp_u64(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	return *a < *b ? -1 : *a > *b;
}

void labels_buf_release(struct labels_buf *b)
{
	free(b->groups);
	free(b->at);
	free(b->tmp);
	free(b->sort);
	memset(b, 0, sizeof(*b));
}

size_t labels_group(const struct profile *p, const struct sample *s, bool numeric,
		    struct labels_buf *b)
{
	if (s->n_labels > b->cap) {
		labels_buf_release(b);
		b->cap = s->n_labels;
		b->groups = xmalloc(b->cap * sizeof(*b->groups));
		b->tmp = xmalloc(b->cap * sizeof(*b->tmp));
		b->at = xmalloc(b->cap * sizeof(*b->at));
		b->sort = xmalloc(b->cap * sizeof(*b->sort));
	}
	struct label_group *groups = b->groups;
	uint32_t *at = b->at;
	/* The labels by (key, offset): each key's labels together, in sample order. */
	size_t n = 0;
	for (uint32_t i = 0; i < s->n_labels; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (label_kept(l) && label_is_numeric(l) == numeric)
			b->sort[n++] = (uint64_t)l->key << 32 | i;
	}
	if (n > 1)
		qsort(b->sort, n, sizeof(*b->sort), cmp_u64);
	size_t n_groups = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t key = (uint32_t)(b->sort[i] >> 32);
		at[i] = (uint32_t)b->sort[i];
		if (i == 0 || b->tmp[n_groups - 1].key != key)
			b->tmp[n_groups++] = (struct label_group){ key, (uint32_t)i, 0, false };
		struct label_group *g = &b->tmp[n_groups - 1];
		g->n++;
		g->has_units |= numeric && p->labels[s->first_label + at[i]].num_unit != 0;
	}
	/* The groups in order of their first label, which is each group's first in at. */
	for (size_t k = 0; k < n_groups; k++)
		b->sort[k] = (uint64_t)at[b->tmp[k].first] << 32 | k;
	if (n_groups > 1)
		qsort(b->sort, n_groups, sizeof(*b->sort), cmp_u64);
	for (size_t k = 0; k < n_groups; k++)
		groups[k] = b->tmp[(uint32_t)b->sort[k]];
	return n_groups;
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

/* String id as a unit's name for measure (C strings): no unit's name holds a NUL, so one
 * that does names a unit measure does not know, which "?" stands for. */
static const char *unit_name(const struct profile *p, uint32_t id)
{
	const char *s = profile_str(p, id);
	return memchr(s, '\0', profile_str_len(p, id)) ? "?" : s;
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
			const char *u = unit_name(p, l->num_unit);
			if (*u && (!units[l->key] || !*units[l->key]))
				units[l->key] = u;
			else if (!units[l->key])
				units[l->key] = "";
		}
	}
	for (size_t k = 0; k < p->strs.count; k++) {
		if (!units[k] || *units[k])
			continue;
		const char *key = unit_name(p, (uint32_t)k);
		units[k] = strcmp(key, "alignment") == 0 || strcmp(key, "request") == 0 ? "bytes"
											: key;
	}
	return units;
}

int labels_unit_clash_cmp(const void *a, const void *b, void *profile)
{
	const struct labels_unit_clash *l = a, *r = b;
	const struct profile *p = profile;
	size_t ln = profile_str_len(p, l->key), rn = profile_str_len(p, r->key);
	int c = memcmp(profile_str(p, l->key), profile_str(p, r->key), ln < rn ? ln : rn);
	if (c == 0 && ln != rn)
		c = ln < rn ? -1 : 1;
	return c ? c : strcmp(l->unit, r->unit);
}

size_t labels_unit_clashes(const struct profile *p, const char *const *units,
			   struct labels_unit_clash **out)
{
	struct labels_unit_clash *c = NULL;
	size_t n = 0, cap = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			const char *u = unit_name(p, l->num_unit);
			if (!label_is_numeric(l) || !*u || strcmp(u, units[l->key]) == 0)
				continue;
			XGROW(c, cap, n + 1);
			c[n++] = (struct labels_unit_clash){ l->key, u };
		}
	}
	sort_r(c, n, sizeof(*c), labels_unit_clash_cmp, (void *)p);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || labels_unit_clash_cmp(&c[kept - 1], &c[i], (void *)p) != 0)
			c[kept++] = c[i];
	*out = c;
	return kept;
}
