/* model/diff: the pprof::base label and the tests for it (ids found once, pprof's
 * DiffBaseSample, the base total), a base made for -diff_base and for -base, -normalize's
 * scaling, and the merge keeping a labelled base apart, on small profiles built here. Every
 * expectation is worked out from the specs below by string comparison and arithmetic, not
 * through the module's own ids. TAP. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "model/merge.h"
#include "tap.h"
#include "util/sort.h"
#include "util/xalloc.h"

struct lab {
	const char *key, *str; /* str NULL: a numeric label of value num */
	int64_t num;
};

struct spec {
	const char *fn; /* the one frame of the sample's stack */
	int64_t v[2];   /* samples/count, cpu/UNIT */
	struct lab labels[2];
	uint32_t n_labels;
};

/* (clang-format 14 takes a macro body in braces for a block.) */
/* clang-format off */
#define STR(k, s) { k, s, 0 }
#define NUM(k, n) { k, NULL, n }
#define SPEC(f, a, b) { .fn = f, .v = { a, b } }
#define SPEC1(f, a, b, l0) { .fn = f, .v = { a, b }, .labels = { l0 }, .n_labels = 1 }
#define SPEC2(f, a, b, l0, l1) { .fn = f, .v = { a, b }, .labels = { l0, l1 }, .n_labels = 2 }
/* clang-format on */

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

/* The location of function fn, made on first use (one line, one mapping for all). */
static uint32_t location_of(struct profile *p, const char *fn)
{
	for (size_t i = 0; i < p->n_functions; i++)
		if (strcmp(profile_str(p, p->functions[i].name), fn) == 0)
			return (uint32_t)i;
	size_t i = p->n_functions++;
	XGROW(p->functions, p->cap_functions, i + 1);
	p->functions[i] = (struct function){ .id = i + 1, .name = str(p, fn) };
	XGROW(p->lines, p->cap_lines, i + 1);
	p->lines[p->n_lines++] = (struct line){ .function = (uint32_t)i, .line = 7 };
	XGROW(p->locations, p->cap_locations, i + 1);
	p->locations[p->n_locations++] = (struct location){ .id = i + 1,
							    .mapping = 0,
							    .address = 0x1000 + 16 * i,
							    .first_line = (uint32_t)i,
							    .n_lines = 1 };
	return (uint32_t)i;
}

/* A two-type profile (samples/count, cpu/unit; period type cpu/unit) of the n specs. */
static struct profile *build(const char *unit, const struct spec *ss, size_t n)
{
	struct profile *p = profile_new();
	p->types = xcalloc(2, sizeof(*p->types));
	p->n_types = p->cap_types = 2;
	p->types[0] = (struct value_type){ str(p, "samples"), str(p, "count") };
	p->types[1] = (struct value_type){ str(p, "cpu"), str(p, unit) };
	p->period_type = p->types[1];
	p->period = 1;
	XGROW(p->mappings, p->cap_mappings, 1);
	p->mappings[p->n_mappings++] = (struct mapping){
		.id = 1, .start = 0x1000, .limit = 0x2000, .file = str(p, "app")
	};
	struct stack_set stacks;
	stack_set_init(&stacks, 16);
	for (size_t s = 0; s < n; s++) {
		uint32_t loc = location_of(p, ss[s].fn);
		XGROW(p->samples, p->cap_samples, p->n_samples + 1);
		XGROW(p->values, p->cap_values, 2 * (p->n_samples + 1));
		XGROW(p->labels, p->cap_labels, p->n_labels + ss[s].n_labels);
		struct sample *sa = &p->samples[p->n_samples];
		sa->stack = profile_add_stack(p, &stacks, &loc, 1);
		sa->first_label = (uint32_t)p->n_labels;
		sa->n_labels = ss[s].n_labels;
		for (uint32_t k = 0; k < ss[s].n_labels; k++) {
			const struct lab *l = &ss[s].labels[k];
			p->labels[p->n_labels++] =
				(struct label){ .key = str(p, l->key),
						.str = l->str ? str(p, l->str) : 0,
						.num = l->num };
		}
		p->values[2 * p->n_samples] = ss[s].v[0];
		p->values[2 * p->n_samples + 1] = ss[s].v[1];
		p->n_samples++;
	}
	stack_set_release(&stacks);
	return p;
}

static bool is_base_key(const struct lab *l)
{
	return strcmp(l->key, DIFF_BASE_KEY) == 0;
}

/* What the spec says: a string label pprof::base=true (pprof's DiffBaseSample). */
static bool spec_is_base_sample(const struct spec *s)
{
	for (uint32_t k = 0; k < s->n_labels; k++)
		if (is_base_key(&s->labels[k]) && s->labels[k].str &&
		    strcmp(s->labels[k].str, DIFF_BASE_VALUE) == 0)
			return true;
	return false;
}

/* What the spec says: some string label keyed pprof::base, whatever its value. */
static bool spec_has_base_label(const struct spec *s)
{
	for (uint32_t k = 0; k < s->n_labels; k++)
		if (is_base_key(&s->labels[k]) && s->labels[k].str)
			return true;
	return false;
}

/* The sample whose leaf function is fn, or -1. */
static long sample_of(const struct profile *p, const char *fn)
{
	struct stack_buf b = { 0 };
	long found = -1;
	for (size_t s = 0; s < p->n_samples && found < 0; s++) {
		uint32_t leaf = profile_stack(p, p->samples[s].stack, &b)[0];
		uint32_t f = p->lines[p->locations[leaf].first_line].function;
		if (strcmp(profile_str(p, p->functions[f].name), fn) == 0)
			found = (long)s;
	}
	stack_buf_release(&b);
	return found;
}

static void test_find(void)
{
	const struct spec plain[] = { SPEC1("main.a", 1, 10, STR("worker", "w1")) };
	struct profile *p = build("nanoseconds", plain, 1);
	struct diff_base b = diff_base_find(p);
	tap_ok(b.key == STRTAB_NONE && b.value == STRTAB_NONE,
	       "a profile without the strings has neither id");
	uint32_t key = str(p, "pprof::base");
	b = diff_base_find(p);
	tap_int(b.key, key, "the key's id, once the profile has the string");
	tap_ok(b.value == STRTAB_NONE, "no id for a value the profile does not have");
	uint32_t value = str(p, "true");
	b = diff_base_find(p);
	tap_ok(b.key == key && b.value == value, "both ids");
	tap_str(DIFF_BASE_KEY "=" DIFF_BASE_VALUE, "pprof::base=true", "pprof's label");
	profile_free(p);
}

static const struct spec mixed[] = {
	SPEC1("main.base", 1, 100, STR("pprof::base", "true")),
	SPEC1("main.false", 2, 200, STR("pprof::base", "false")),
	SPEC1("main.other", 3, 300, STR("worker", "true")),
	SPEC2("main.second", 4, -400, STR("worker", "x"), STR("pprof::base", "true")),
	SPEC1("main.numeric", 5, 500, NUM("pprof::base", 1)),
	SPEC("main.none", 6, 600),
};

static void test_predicates(void)
{
	struct profile *p = build("nanoseconds", mixed, ARRAY_SIZE(mixed));
	struct diff_base b = diff_base_find(p);
	for (size_t s = 0; s < ARRAY_SIZE(mixed); s++) {
		const struct sample *sa = &p->samples[s];
		tap_int(diff_base_sample(p, &b, sa), spec_is_base_sample(&mixed[s]),
			"%s: diff_base_sample", mixed[s].fn);
		bool any = false;
		for (uint32_t k = 0; k < sa->n_labels; k++) {
			bool want = is_base_key(&mixed[s].labels[k]) && mixed[s].labels[k].str;
			bool got = diff_base_label(&b, &p->labels[sa->first_label + k]);
			tap_int(got, want, "%s: label %u is a base label", mixed[s].fn, k);
			any = any || got;
		}
		tap_int(any, spec_has_base_label(&mixed[s]), "%s: has a base label", mixed[s].fn);
	}
	profile_free(p);

	/* The key without the value "true" anywhere: labels are base labels, no sample is a
	 * base sample. */
	const struct spec no_true[] = { SPEC1("main.a", 1, 1, STR("pprof::base", "no")) };
	p = build("nanoseconds", no_true, 1);
	b = diff_base_find(p);
	tap_ok(!diff_base_sample(p, &b, &p->samples[0]), "pprof::base=no is not a base sample");
	tap_ok(diff_base_label(&b, &p->labels[0]), "but its label is a base label");
	profile_free(p);
}

static void test_total(void)
{
	struct profile *p = build("nanoseconds", mixed, ARRAY_SIZE(mixed));
	for (int i = 0; i < 2; i++) {
		int64_t want = 0;
		for (size_t s = 0; s < ARRAY_SIZE(mixed); s++)
			if (spec_has_base_label(&mixed[s]))
				want -= mixed[s].v[i];
		tap_int(diff_base_total(p, i), want,
			"value %d: the negated sum of the samples with a base label", i);
	}
	profile_free(p);
	const struct spec plain[] = { SPEC1("main.a", 1, 10, STR("worker", "true")) };
	p = build("nanoseconds", plain, 1);
	tap_int(diff_base_total(p, 1), 0, "no base label: 0");
	profile_free(p);
}

/* diff_make_base with and without the label, checked sample by sample against the specs. */
static void check_made_base(bool label)
{
	static const struct spec in[] = {
		SPEC("main.a", 1, 100),
		SPEC2("main.b", 2, -30, STR("pprof::base", "false"), STR("worker", "w")),
		SPEC1("main.c", 3, 7, NUM("pprof::base", 9)),
		SPEC1("main.zero", 0, 0, STR("worker", "z")),
	};
	const char *how = label ? "-diff_base" : "-base";
	struct profile *p = build("nanoseconds", in, ARRAY_SIZE(in));
	diff_make_base(p, label);
	size_t want_n = 0;
	int64_t want_total = 0;
	for (size_t s = 0; s < ARRAY_SIZE(in); s++) {
		bool zero = in[s].v[0] == 0 && in[s].v[1] == 0;
		long at = sample_of(p, in[s].fn);
		if (zero) {
			tap_int(at, -1, "%s: %s, all zero, is dropped", how, in[s].fn);
			continue;
		}
		want_n++;
		want_total += in[s].v[1];
		if (at < 0) {
			tap_ok(0, "%s: %s is kept", how, in[s].fn);
			continue;
		}
		const int64_t *v = profile_values(p, (size_t)at);
		tap_ok(v[0] == -in[s].v[0] && v[1] == -in[s].v[1], "%s: %s is negated", how,
		       in[s].fn);
		const struct sample *sa = &p->samples[at];
		uint32_t base_labels = 0, true_labels = 0, others = 0, want_others = 0;
		for (uint32_t k = 0; k < sa->n_labels; k++) {
			const struct label *l = &p->labels[sa->first_label + k];
			bool base = strcmp(profile_str(p, l->key), "pprof::base") == 0 && l->str;
			base_labels += base;
			true_labels += base && strcmp(profile_str(p, l->str), "true") == 0;
			others += !base;
		}
		for (uint32_t k = 0; k < in[s].n_labels; k++)
			want_others += !(is_base_key(&in[s].labels[k]) && in[s].labels[k].str);
		if (label) {
			tap_ok(base_labels == 1 && true_labels == 1,
			       "%s: %s has pprof::base=true and no other value of it", how,
			       in[s].fn);
		} else {
			uint32_t want_base = 0;
			for (uint32_t k = 0; k < in[s].n_labels; k++)
				want_base += is_base_key(&in[s].labels[k]) && in[s].labels[k].str;
			tap_int(base_labels, want_base, "%s: %s's base labels are left alone", how,
				in[s].fn);
		}
		tap_int(others, want_others, "%s: %s keeps its other labels (numeric ones too)",
			how, in[s].fn);
	}
	tap_int((int64_t)p->n_samples, (int64_t)want_n, "%s: samples left", how);
	if (label)
		tap_int(diff_base_total(p, 1), want_total,
			"%s: the base total is the base's own sum", how);
	profile_free(p);
}

static void test_normalize(void)
{
	/* Totals: p 4 and 8, base 8 and 4: ratios 2 and 0.5, the latter making halves. */
	static const struct spec ps[] = {
		SPEC("main.a", 1, 3),
		SPEC("main.b", 3, 5),
	};
	static const struct spec bs[] = {
		SPEC("main.a", 6, 1),
		SPEC("main.c", 2, 3),
	};
	struct profile *p = build("nanoseconds", ps, ARRAY_SIZE(ps));
	struct profile *b = build("nanoseconds", bs, ARRAY_SIZE(bs));
	double ratio[2];
	for (int i = 0; i < 2; i++) {
		int64_t pt = 0, bt = 0;
		for (size_t s = 0; s < ARRAY_SIZE(ps); s++)
			pt += ps[s].v[i];
		for (size_t s = 0; s < ARRAY_SIZE(bs); s++)
			bt += bs[s].v[i];
		ratio[i] = (double)bt / (double)pt;
	}
	struct cprof_error err = { "" };
	tap_int(diff_normalize(p, b, NULL, &err), 0, "normalize: compatible profiles");
	for (size_t s = 0; s < ARRAY_SIZE(ps); s++) {
		long at = sample_of(p, ps[s].fn);
		for (int i = 0; i < 2; i++) {
			/* round: half away from zero, as Go's math.Round */
			int64_t want = (int64_t)round((double)ps[s].v[i] * ratio[i]);
			tap_int(at < 0 ? -999 : profile_values(p, (size_t)at)[i], want,
				"normalize: %s value %d scaled by %g", ps[s].fn, i, ratio[i]);
		}
	}
	profile_free(p);
	profile_free(b);

	/* A type whose total in p is zero is scaled by zero. */
	static const struct spec zs[] = {
		SPEC("main.a", 1, 3),
		SPEC("main.b", -1, 5),
	};
	p = build("nanoseconds", zs, ARRAY_SIZE(zs));
	b = build("nanoseconds", bs, ARRAY_SIZE(bs));
	tap_int(diff_normalize(p, b, NULL, &err), 0, "normalize: a zero total");
	bool zero = p->n_samples == ARRAY_SIZE(zs);
	for (size_t s = 0; s < p->n_samples; s++)
		zero = zero && profile_values(p, s)[0] == 0;
	tap_ok(zero, "normalize: the zero-total type is all zero, the samples stay");
	profile_free(p);
	profile_free(b);

	/* Incompatible: refused, p untouched. */
	p = build("nanoseconds", ps, ARRAY_SIZE(ps));
	b = build("bytes", bs, ARRAY_SIZE(bs));
	tap_int(diff_normalize(p, b, NULL, &err), -1, "normalize: time by space is refused");
	tap_ok(strncmp(err.msg, "incompatible", 12) == 0, "with pprof's reason (%s)", err.msg);
	bool same = p->n_samples == ARRAY_SIZE(ps);
	for (size_t s = 0; same && s < ARRAY_SIZE(ps); s++)
		same = profile_values(p, s)[0] == ps[s].v[0] &&
		       profile_values(p, s)[1] == ps[s].v[1];
	tap_ok(same, "normalize: a refused profile keeps its values");
	profile_free(p);
	profile_free(b);
}

/* A source and a base merged as cprof diff merges them (the base made first): how many
 * samples the result has, and how many of them are base samples. */
static void merged(bool label, bool apart, size_t *n, size_t *n_base, int64_t *total)
{
	static const struct spec src[] = {
		SPEC("main.a", 1, 5),
		SPEC("main.a", 1, 5),
	};
	static const struct spec base[] = { SPEC("main.a", 1, 5) };
	struct profile *s = build("nanoseconds", src, ARRAY_SIZE(src));
	struct profile *b = build("nanoseconds", base, ARRAY_SIZE(base));
	diff_make_base(b, label);
	struct merge *m = merge_new();
	if (apart)
		merge_keep_apart(m);
	struct cprof_error err = { "" };
	int rc = merge_add(m, s, &err);
	rc |= merge_add(m, b, &err);
	tap_int(rc, 0, "merge: source and base merge");
	struct profile *p = merge_finish(m);
	struct diff_base db = diff_base_find(p);
	*n = p->n_samples;
	*n_base = 0;
	for (size_t i = 0; i < p->n_samples; i++)
		*n_base += diff_base_sample(p, &db, &p->samples[i]);
	*total = diff_base_total(p, 1);
	profile_free(p);
	profile_free(s);
	profile_free(b);
}

static void test_merge(void)
{
	size_t n, n_base;
	int64_t total;
	/* Summed: source 5 + 5; a labelled base stays a sample of its own. */
	merged(true, false, &n, &n_base, &total);
	tap_ok(n == 2 && n_base == 1, "-diff_base: the base sample stays apart (%zu, %zu)", n,
	       n_base);
	tap_int(total, 5, "-diff_base: the base total is the base's value");
	merged(false, false, &n, &n_base, &total);
	tap_ok(n == 1 && n_base == 0, "-base: the base is summed in (%zu, %zu)", n, n_base);
	/* Kept apart: the labelled base is a group of its own, so the signs do not mix and
	 * the source's equal samples stay apart; unlabelled, -5 meets +5 and all are summed. */
	merged(true, true, &n, &n_base, &total);
	tap_ok(n == 3 && n_base == 1, "apart, -diff_base: nothing summed (%zu, %zu)", n, n_base);
	merged(false, true, &n, &n_base, &total);
	tap_ok(n == 1 && n_base == 0, "apart, -base: signs mix, all summed (%zu, %zu)", n, n_base);
}

int main(void)
{
	test_find();
	test_predicates();
	test_total();
	check_made_base(true);
	check_made_base(false);
	test_normalize();
	test_merge();
	return tap_done();
}
