/* Tag filters with pprof's semantics: parsing -tagfocus/-tagignore values (numeric ranges
 * with units, or regexp lists, optionally for one key), matching samples against them
 * (FilterSamplesByTag) and -tagshow/-taghide's FilterTagsByName over label keys. */
#include "model/filter_private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "model/measure.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* One match of pprof's range pattern ([+-]?digits letters?) at or after s[from]. */
struct num_match {
	size_t start, end; /* the whole match */
	size_t num_end;    /* end of the number; letters run from here to end */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool find_number(const char *s, size_t from, struct num_match *m)
{
	for (size_t i = from; s[i]; i++) {
		size_t k = i;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if (!is_digit(s[k]))
			continue;
		while (is_digit(s[k]))
			k++;
		m->start = i;
		m->num_end = k;
		while (is_alpha(s[k]))
			k++;
		m->end = k;
		return true;
	}
	return false;
}

/* The number and unit of match m, scaled into its own unit as pprof does. */
static int scale_match(const char *s, const struct num_match *m, const char *to, double *v,
		       char unit[16], const char *name, struct cprof_error *err)
{
	char num[32], u[16];
	size_t nl = m->num_end - m->start, ul = m->end - m->num_end;
	if (nl >= sizeof(num))
		return error_set(err, "%s: bad range \"%s\": value out of range", name, s);
	if (ul >= sizeof(u))
		return error_set(err, "%s: bad range \"%s\": unit too long", name, s);
	memcpy(num, s + m->start, nl);
	num[nl] = '\0';
	memcpy(u, s + m->num_end, ul);
	u[ul] = '\0';
	errno = 0;
	char *end;
	long long x = strtoll(num, &end, 10);
	if (errno || *end)
		return error_set(err, "%s: bad range \"%s\": value out of range", name, s);
	*v = measure_scale((int64_t)x, u, to ? to : u, unit);
	return 0;
}

/* pprof's parseTagFilterRange: 1 when value is a range (t filled in), 0 when it is not (a
 * regexp then), -1 on a number too large. */
static int parse_range(struct filter_tag *t, const char *value, const char *name,
		       struct cprof_error *err)
{
	struct num_match m[2];
	if (!find_number(value, 0, &m[0]))
		return 0;
	size_t n = find_number(value, m[0].end, &m[1]) ? 2 : 1;
	const char *s = value;
	size_t len = strlen(s), l0 = m[0].end - m[0].start;
	if (n == 1) {
		if (m[0].start == 0 && m[0].end == len)
			t->range = RANGE_EQ;
		else if (m[0].start == 0 && len == l0 + 1 && s[l0] == ':')
			t->range = RANGE_GE;
		else if (m[0].start == 1 && s[0] == ':' && m[0].end == len)
			t->range = RANGE_LE;
		else
			return 0;
		if (scale_match(s, &m[0], NULL, &t->lo, t->unit, name, err) < 0)
			return -1;
		t->hi = t->lo;
		return 1;
	}
	if (m[0].start != 0 || s[m[0].end] != ':' || m[1].start != m[0].end + 1 || m[1].end != len)
		return 0;
	if (scale_match(s, &m[0], NULL, &t->lo, t->unit, name, err) < 0)
		return -1;
	char unit2[16];
	if (scale_match(s, &m[1], t->unit, &t->hi, unit2, name, err) < 0)
		return -1;
	if (strcmp(unit2, t->unit) != 0)
		return 0;
	t->range = RANGE_BETWEEN;
	return 1;
}

int filter_tag_parse(struct filter_tag *t, const char *name, const char *value,
		     struct cprof_error *err)
{
	memset(t, 0, sizeof(*t));
	const char *eq = strchr(value, '=');
	if (eq) {
		if (eq > value)
			t->key = xstrndup(value, (size_t)(eq - value));
		value = eq + 1;
	}
	int r = parse_range(t, value, name, err);
	if (r < 0) {
		filter_tag_release(t);
		return -1;
	}
	if (r > 0) {
		t->numeric = true;
		return 0;
	}
	const char *p = value;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *pat = xstrndup(p, n);
		struct regex *re = regex_compile(pat, err);
		free(pat);
		if (!re) {
			error_prefix(err, "%s", name);
			filter_tag_release(t);
			return -1;
		}
		t->res = xrealloc(t->res, (t->n_res + 1) * sizeof(*t->res));
		t->res[t->n_res++] = re;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

void filter_tag_release(struct filter_tag *t)
{
	for (size_t i = 0; i < t->n_res; i++)
		regex_free(t->res[i]);
	free(t->res);
	free(t->key);
	memset(t, 0, sizeof(*t));
}

bool filter_tag_range_match(const struct filter_tag *t, int64_t v, const char *unit)
{
	char su[16];
	double sv = measure_scale(v, unit, t->unit, su);
	if (strcmp(su, t->unit) != 0)
		return false;
	switch (t->range) {
	case RANGE_EQ:
		return sv == t->lo;
	case RANGE_GE:
		return sv >= t->lo;
	case RANGE_LE:
		return sv <= t->lo;
	case RANGE_BETWEEN:
		return sv >= t->lo && sv <= t->hi;
	}
	return false;
}

static bool key_is(const struct profile *p, uint32_t key, const char *want)
{
	return strcmp(profile_str(p, key), want) == 0;
}

/* Whether some string label of s, as "key:value" (any_key) or its value (key), matches re. */
static bool string_label_matches(const struct profile *p, const struct sample *s,
				 const struct regex *re, const char *key)
{
	struct strbuf kv = STRBUF_INIT;
	bool found = false;
	for (uint32_t i = 0; i < s->n_labels && !found; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (l->str == 0)
			continue;
		if (key) {
			found = key_is(p, l->key, key) && regex_match(re, profile_str(p, l->str));
			continue;
		}
		strbuf_reset(&kv);
		strbuf_addf(&kv, "%s:%s", profile_str(p, l->key), profile_str(p, l->str));
		found = regex_match_n(re, strbuf_str(&kv), kv.len);
	}
	strbuf_release(&kv);
	return found;
}

bool filter_tag_match(const struct filter_tag *t, const struct profile *p, const struct sample *s,
		      const char *const *num_units)
{
	if (t->numeric) {
		for (uint32_t i = 0; i < s->n_labels; i++) {
			const struct label *l = &p->labels[s->first_label + i];
			if (!label_is_numeric(l) || (t->key && !key_is(p, l->key, t->key)))
				continue;
			const char *unit = num_units && num_units[l->key] ? num_units[l->key] : "";
			if (filter_tag_range_match(t, l->num, unit))
				return true;
		}
		return false;
	}
	/* With a key, any regexp matching any value of it; without, every regexp must match
	 * some "key:value". */
	for (size_t r = 0; r < t->n_res; r++) {
		bool m = string_label_matches(p, s, t->res[r], t->key);
		if (t->key && m)
			return true;
		if (!t->key && !m)
			return false;
	}
	return !t->key;
}

/* ---- FilterSamplesByTag and FilterTagsByName ---------------------------------------- */

/* Drops the samples for which keep[i] is false. */
static void keep_samples(struct profile *p, const bool *keep)
{
	size_t kept = 0;
	for (size_t s = 0; s < p->n_samples; s++)
		if (keep[s])
			profile_keep_sample(p, s, &kept);
	p->n_samples = kept;
}

void filter_samples_by_tag(struct profile *p, const struct filter_options *o,
			   struct filter_matches *m)
{
	bool *keep = xmalloc((p->n_samples + 1) * sizeof(*keep));
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		bool focused = !o->tag_focus || filter_tag_match(o->tag_focus, p, sa, o->num_units);
		bool ignored = o->tag_ignore &&
			       filter_tag_match(o->tag_ignore, p, sa, o->num_units);
		m->tag_focus |= focused;
		m->tag_ignore |= ignored;
		keep[s] = focused && !ignored;
	}
	keep_samples(p, keep);
	free(keep);
}

void filter_tags_by_name(struct profile *p, const struct regex *show, const struct regex *hide,
			 struct filter_matches *m)
{
	struct label *old = p->labels;
	p->labels = NULL;
	p->n_labels = p->cap_labels = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		struct sample *sa = &p->samples[s];
		uint32_t first = (uint32_t)p->n_labels;
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &old[sa->first_label + i];
			bool drop = false;
			if (label_kept(l)) {
				const char *key = profile_str(p, l->key);
				bool in_show = !show || regex_match(show, key);
				bool in_hide = hide && regex_match(hide, key);
				m->tag_show |= in_show;
				m->tag_hide |= in_hide;
				drop = !in_show || in_hide;
			}
			if (drop)
				continue;
			XGROW(p->labels, p->cap_labels, p->n_labels + 1);
			p->labels[p->n_labels++] = *l;
		}
		sa->first_label = first;
		sa->n_labels = (uint32_t)p->n_labels - first;
	}
	free(old);
}
