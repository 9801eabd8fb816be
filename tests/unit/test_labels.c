/* model/labels: which labels pprof keeps and calls numeric, grouping a sample's labels by
 * key in order of first appearance (not of string id), units per key, and pprof's
 * NumLabelUnits defaults, on a profile built by hand. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "model/profile.h"
#include "tap.h"
#include "util/sort.h"
#include "util/xalloc.h"

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

/* A label spec: key, and either a string value or a number with a unit (NULL: none). */
struct spec {
	const char *key, *str;
	int64_t num;
	const char *unit;
};

static struct label make(struct profile *p, const struct spec *s)
{
	return (struct label){ .key = str(p, s->key),
			       .str = s->str ? str(p, s->str) : 0,
			       .num = s->num,
			       .num_unit = s->unit ? str(p, s->unit) : 0 };
}

/* Appends a sample (with no stack: labels do not look at it) holding labels ls[0..n). */
static struct sample *add_sample(struct profile *p, const struct spec *ls, size_t n)
{
	XGROW(p->labels, p->cap_labels, p->n_labels + n);
	XGROW(p->samples, p->cap_samples, p->n_samples + 1);
	struct sample *s = &p->samples[p->n_samples++];
	s->stack = 0;
	s->first_label = (uint32_t)p->n_labels;
	s->n_labels = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		p->labels[p->n_labels++] = make(p, &ls[i]);
	return s;
}

static void test_kept(void)
{
	struct label none = { 0 }, strl = { .key = 1, .str = 2 }, num = { .key = 1, .num = -3 },
		     unit = { .key = 1, .num_unit = 4 }, both = { .key = 1, .str = 2, .num = 5 };
	tap_ok(!label_kept(&none), "a label with no value, number or unit is dropped");
	tap_ok(!label_is_numeric(&none), "  and is not numeric");
	tap_ok(label_kept(&strl) && !label_is_numeric(&strl),
	       "a string label is kept, not numeric");
	tap_ok(label_kept(&num) && label_is_numeric(&num), "a negative number is kept, numeric");
	tap_ok(label_kept(&unit) && label_is_numeric(&unit), "a unit alone keeps it, numeric (0)");
	tap_ok(label_kept(&both) && !label_is_numeric(&both),
	       "a string value makes it a string label");
}

/* Checks group g of b: key, whether it has units, and its labels' offsets. */
static void check_group(const struct profile *p, const struct labels_buf *b, size_t g,
			const char *key, bool units, const uint32_t *offs, uint32_t n,
			const char *what)
{
	const struct label_group *lg = &b->groups[g];
	tap_str(profile_str(p, lg->key), key, "%s: group %zu is key %s", what, g, key);
	tap_int(lg->has_units, units, "%s: group %zu has_units", what, g);
	tap_int(lg->n, n, "%s: group %zu holds %u labels", what, g, n);
	bool same = lg->n == n;
	for (uint32_t i = 0; same && i < n; i++)
		same = b->at[lg->first + i] == offs[i];
	tap_ok(same, "%s: group %zu's labels are the right ones, in sample order", what, g);
}

static void test_group(void)
{
	struct profile *p = profile_new();
	/* Key ids in the reverse of the order the sample shows them. */
	uint32_t id_zeta = str(p, "zeta"), id_beta = str(p, "beta"), id_alpha = str(p, "alpha");
	tap_ok(id_zeta < id_beta && id_beta < id_alpha, "keys interned zeta, beta, alpha");
	static const struct spec ls[] = {
		{ "alpha", "a1", 0, NULL }, /* 0 */
		{ "beta", NULL, 10, "ms" }, /* 1 */
		{ "zeta", "z1", 0, NULL },  /* 2 */
		{ "gone", NULL, 0, NULL },  /* 3: dropped */
		{ "alpha", "a2", 0, NULL }, /* 4 */
		{ "beta", NULL, 20, NULL }, /* 5 */
		{ "num", NULL, 7, NULL },   /* 6 */
		{ "zeta", NULL, 0, "s" },   /* 7: numeric zeta, unit only */
		{ "alpha", "a3", 0, "kb" }, /* 8: a string label's unit does not count */
		{ "num", NULL, -1, NULL },  /* 9 */
	};
	struct sample *s = add_sample(p, ls, sizeof(ls) / sizeof(ls[0]));
	struct labels_buf b = { 0 };

	size_t n = labels_group(p, s, false, &b);
	tap_int((int64_t)n, 2, "string labels: two keys");
	check_group(p, &b, 0, "alpha", false, (const uint32_t[]){ 0, 4, 8 }, 3, "string");
	check_group(p, &b, 1, "zeta", false, (const uint32_t[]){ 2 }, 1, "string");

	n = labels_group(p, s, true, &b);
	tap_int((int64_t)n, 3, "numeric labels: three keys");
	check_group(p, &b, 0, "beta", true, (const uint32_t[]){ 1, 5 }, 2, "numeric");
	check_group(p, &b, 1, "num", false, (const uint32_t[]){ 6, 9 }, 2, "numeric");
	check_group(p, &b, 2, "zeta", true, (const uint32_t[]){ 7 }, 1, "numeric");

	tap_ok(labels_key_has_units(p, s, id_beta), "beta has a unit");
	tap_ok(labels_key_has_units(p, s, id_zeta), "numeric zeta has a unit");
	tap_ok(!labels_key_has_units(p, s, str(p, "num")), "num has none");
	tap_ok(!labels_key_has_units(p, s, id_alpha), "alpha's unit is on a string label");
	tap_ok(!labels_key_has_units(p, s, str(p, "absent")), "a key the sample lacks has none");

	/* The same buffer for a sample without labels, then for a bigger one. */
	struct sample *empty = add_sample(p, NULL, 0);
	s = &p->samples[0]; /* add_sample may have moved the samples */
	tap_int((int64_t)labels_group(p, empty, false, &b), 0, "no labels, no groups");
	tap_int((int64_t)labels_group(p, empty, true, &b), 0, "nor numeric ones");

	/* 1000 labels over 7 keys whose first appearances are in the order 6, 5, ..., 0. */
	enum { MANY = 1000, KEYS = 7 };
	struct spec *many = calloc(MANY, sizeof(*many));
	static const char *const keys[KEYS] = { "k0", "k1", "k2", "k3", "k4", "k5", "k6" };
	for (size_t i = 0; i < MANY; i++)
		many[i] = (struct spec){ keys[KEYS - 1 - i % KEYS], "v", 0, NULL };
	struct sample *big = add_sample(p, many, MANY);
	n = labels_group(p, big, false, &b);
	tap_int((int64_t)n, KEYS, "1000 labels, 7 keys");
	tap_ok(b.cap >= MANY, "the buffer grew to %zu", b.cap);
	bool order = true, counts = true, offsets = true;
	for (size_t g = 0; g < n; g++) {
		order &= strcmp(profile_str(p, b.groups[g].key), keys[KEYS - 1 - g]) == 0;
		counts &= b.groups[g].n == MANY / KEYS + (g < MANY % KEYS);
		for (uint32_t i = 0; i < b.groups[g].n; i++)
			offsets &= b.at[b.groups[g].first + i] == g + KEYS * i;
	}
	tap_ok(order, "groups in order of first appearance");
	tap_ok(counts, "each group holds its key's labels");
	tap_ok(offsets, "offsets ascending within each group");

	/* And back to the first sample with the bigger buffer. */
	s = &p->samples[0];
	n = labels_group(p, s, true, &b);
	tap_int((int64_t)n, 3, "reusing the grown buffer");
	check_group(p, &b, 0, "beta", true, (const uint32_t[]){ 1, 5 }, 2, "reused");

	labels_buf_release(&b);
	tap_ok(b.groups == NULL && b.at == NULL && b.cap == 0, "release empties the buffer");
	labels_buf_release(&b);
	free(many);
	profile_free(p);
}

static void test_units(void)
{
	struct profile *p = profile_new();
	uint32_t unused = str(p, "unused");
	static const struct spec s1[] = {
		{ "mem", NULL, 1, "kb" },       /* first unit of mem */
		{ "plain", NULL, 2, NULL },     /* never a unit: the key */
		{ "alignment", NULL, 8, NULL }, /* pprof's bytes default */
		{ "late", NULL, 1, NULL },      /* no unit in s1, "ms" in s2 */
		{ "tag", "x", 0, NULL },        /* a string label only */
		{ "request", NULL, 3, "" },     /* the unit "" is no unit */
	};
	static const struct spec s2[] = {
		{ "mem", NULL, 5, "mb" }, /* a later unit does not replace the first */
		{ "late", NULL, 2, "ms" },
		{ "sized", NULL, 4, "B" }, /* with a unit, the key's default does not apply */
		{ "alignment", NULL, 9, NULL },
		{ "request", NULL, 4, NULL },
		{ "ghost", NULL, 0, NULL }, /* dropped: no unit for ghost */
	};
	add_sample(p, s1, sizeof(s1) / sizeof(s1[0]));
	add_sample(p, s2, sizeof(s2) / sizeof(s2[0]));
	add_sample(p, NULL, 0);
	const char **u = labels_num_units(p);
	tap_str(u[str(p, "mem")], "kb", "the first non-empty unit wins");
	tap_str(u[str(p, "late")], "ms", "a unit seen late still counts");
	tap_str(u[str(p, "plain")], "plain", "no unit: the key itself");
	tap_str(u[str(p, "alignment")], "bytes", "alignment defaults to bytes");
	tap_str(u[str(p, "request")], "bytes", "request defaults to bytes");
	tap_str(u[str(p, "sized")], "B", "a unit given is kept");
	tap_ok(u[str(p, "tag")] == NULL, "a key of string labels only has none");
	tap_ok(u[str(p, "ghost")] == NULL, "a key of dropped labels only has none");
	tap_ok(u[unused] == NULL && u[str(p, "x")] == NULL && u[str(p, "kb")] == NULL,
	       "strings that are no key have none");
	tap_ok(u[0] == NULL, "nor has \"\"");
	free(u);
	profile_free(p);

	/* A profile without samples: every entry NULL. */
	p = profile_new();
	str(p, "alignment");
	u = labels_num_units(p);
	bool all_null = true;
	for (size_t k = 0; k < p->strs.count; k++)
		all_null &= u[k] == NULL;
	tap_ok(all_null, "no samples, no units");
	free(u);
	profile_free(p);
}

static void test_clashes(void)
{
	struct profile *p = profile_new();
	static const struct spec s1[] = {
		{ "t", NULL, 1, "ms" },
		{ "b", NULL, 1, "kb" },
		{ "t", NULL, 2, "s" },
		{ "n", NULL, 3, NULL }, /* no unit: never a clash */
	};
	static const struct spec s2[] = {
		{ "t", NULL, 3, "ns" },
		{ "t", NULL, 4, "s" }, /* "s" again: listed once */
		{ "b", NULL, 2, "" },  /* the unit "" is no clash */
		{ "b", NULL, 5, "mb" },
	};
	add_sample(p, s1, ARRAY_SIZE(s1));
	add_sample(p, s2, ARRAY_SIZE(s2));
	const char **u = labels_num_units(p);
	struct labels_unit_clash *c;
	size_t n = labels_unit_clashes(p, u, &c);
	tap_int((int64_t)n, 3, "three (key, other unit) pairs");
	static const char *const want[][2] = { { "b", "mb" }, { "t", "ns" }, { "t", "s" } };
	for (size_t i = 0; i < n && i < ARRAY_SIZE(want); i++) {
		tap_str(profile_str(p, c[i].key), want[i][0], "clash %zu: key, sorted", i);
		tap_str(c[i].unit, want[i][1], "clash %zu: unit, sorted", i);
	}
	free(c);
	free(u);
	profile_free(p);

	p = profile_new();
	add_sample(p, s1 + 3, 1);
	u = labels_num_units(p);
	tap_int((int64_t)labels_unit_clashes(p, u, &c), 0, "one unit per key: no clash");
	free(c);
	free(u);
	profile_free(p);
}

int main(void)
{
	test_kept();
	test_group();
	test_units();
	test_clashes();
	return tap_done();
}
