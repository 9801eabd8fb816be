/* model/merge: pprof's Merge of several profiles (strings, functions and samples unified,
 * headers combined, units brought to the finest, incompatible profiles refused) and the
 * ScaleN its unit scaling uses (profile_scale), on small profiles built by hand. The diff
 * operations around a merge are tested in test_diff.c. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/compact.h"
#include "model/merge.h"
#include "tap.h"
#include "util/xalloc.h"

struct spec {
	const char *stack[4]; /* function names, leaf first, NULL-terminated */
	int64_t count, value;
	const char *label_key, *label_value; /* a string label, or NULL */
};

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

static uint32_t location_of(struct profile *p, const char *fn)
{
	for (size_t i = 0; i < p->n_functions; i++)
		if (strcmp(profile_str(p, p->functions[i].name), fn) == 0)
			return (uint32_t)i; /* one location per function, same index */
	size_t i = p->n_functions;
	XGROW(p->functions, p->cap_functions, i + 1);
	p->functions[i] =
		(struct function){ .id = i + 1, .name = str(p, fn), .filename = str(p, "app.go") };
	p->n_functions++;
	/* The address and line depend on the name only, so that profiles agree on them. */
	uint64_t h = 14695981039346656037u;
	for (const char *c = fn; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211u;
	XGROW(p->lines, p->cap_lines, i + 1);
	p->lines[i] = (struct line){ .function = (uint32_t)i, .line = 10 + (int64_t)(h % 97) };
	p->n_lines++;
	XGROW(p->locations, p->cap_locations, i + 1);
	p->locations[i] = (struct location){ .id = i + 1,
					     .mapping = 0,
					     .address = 0x1000 + 16 * (h % 251),
					     .first_line = (uint32_t)i,
					     .n_lines = 1 };
	p->n_locations++;
	return (uint32_t)i;
}

/* A CPU-like profile: samples/count and cpu/UNIT, period type cpu/UNIT. junk is interned
 * first so that equal strings get different ids in different profiles. */
static struct profile *build(const char *junk, const char *unit, int64_t period, int64_t time,
			     int64_t duration, const char *comment, const struct spec *ss, size_t n)
{
	struct profile *p = profile_new();
	str(p, junk);
	p->types = xcalloc(2, sizeof(*p->types));
	p->n_types = p->cap_types = 2;
	p->types[0] = (struct value_type){ str(p, "samples"), str(p, "count") };
	p->types[1] = (struct value_type){ str(p, "cpu"), str(p, unit) };
	p->period_type = p->types[1];
	p->period = period;
	p->time_nanos = time;
	p->duration_nanos = duration;
	if (comment) {
		XGROW(p->comments, p->cap_comments, 1);
		p->comments[p->n_comments++] = str(p, comment);
	}
	XGROW(p->mappings, p->cap_mappings, 1);
	p->mappings[0] = (struct mapping){ .id = 1,
					   .start = 0x1000,
					   .limit = 0x2000,
					   .file = str(p, "app"),
					   .has_functions = true };
	p->n_mappings = 1;
	struct stack_set stacks;
	stack_set_init(&stacks, 16);
	for (size_t s = 0; s < n; s++) {
		uint32_t locs[4], depth = 0;
		while (depth < 4 && ss[s].stack[depth]) {
			locs[depth] = location_of(p, ss[s].stack[depth]);
			depth++;
		}
		XGROW(p->samples, p->cap_samples, p->n_samples + 1);
		XGROW(p->values, p->cap_values, 2 * (p->n_samples + 1));
		struct sample *sa = &p->samples[p->n_samples];
		sa->stack = profile_add_stack(p, &stacks, locs, depth);
		sa->first_label = (uint32_t)p->n_labels;
		sa->n_labels = 0;
		if (ss[s].label_key) {
			XGROW(p->labels, p->cap_labels, p->n_labels + 1);
			struct label l = { .key = str(p, ss[s].label_key),
					   .str = str(p, ss[s].label_value) };
			p->labels[p->n_labels++] = l;
			sa->n_labels = 1;
		}
		p->values[2 * p->n_samples] = ss[s].count;
		p->values[2 * p->n_samples + 1] = ss[s].value;
		p->n_samples++;
	}
	stack_set_release(&stacks);
	return p;
}

/* The value v (0 or 1) of the sample whose leaf is fn and whose labels count n_labels;
 * -999 when there is no such sample, -998 when there are several. */
static int64_t value_at(const struct profile *p, const char *fn, int v)
{
	int64_t found = -999;
	for (size_t s = 0; s < p->n_samples; s++) {
		struct stack_buf sb = { 0 };
		uint32_t leaf = profile_stack(p, p->samples[s].stack, &sb)[0];
		stack_buf_release(&sb);
		const struct location *l = &p->locations[leaf];
		const struct function *f = &p->functions[p->lines[l->first_line].function];
		if (strcmp(profile_str(p, f->name), fn) != 0)
			continue;
		if (found != -999)
			return -998;
		found = profile_values(p, s)[v];
	}
	return found;
}

static void test_merge_two(void)
{
	const struct spec a[] = {
		{ { "main.work", "main.main", NULL }, 2, 20, NULL, NULL },
		{ { "main.old", "main.main", NULL }, 1, 10, NULL, NULL },
	};
	const struct spec b[] = {
		{ { "main.new", "main.main", NULL }, 3, 30, NULL, NULL },
		{ { "main.work", "main.main", NULL }, 4, 40, NULL, NULL },
	};
	struct profile *pa = build("x", "nanoseconds", 10, 500, 1000, "run 1", a, 2);
	struct profile *pb = build("yy", "nanoseconds", 20, 300, 2000, "run 1", b, 2);
	struct merge *m = merge_new();
	struct cprof_error err = { "" };
	tap_int(merge_add(m, pa, &err), 0, "first profile merges");
	tap_int(merge_add(m, pb, &err), 0, "second profile merges");
	profile_free(pa);
	profile_free(pb);
	struct profile *d = merge_finish(m);
	tap_int((int64_t)d->n_samples, 3, "equal stacks become one sample");
	tap_int(value_at(d, "main.work", 0), 6, "their counts add up");
	tap_int(value_at(d, "main.work", 1), 60, "and their values");
	tap_int(value_at(d, "main.new", 1), 30, "a sample only in the second is kept");
	tap_int((int64_t)d->n_functions, 4, "functions are unified by name across profiles");
	tap_int((int64_t)d->n_locations, 4, "and locations with them");
	tap_int((int64_t)d->n_mappings, 1, "the equal mappings become one");
	tap_int(d->duration_nanos, 3000, "durations add up");
	tap_int(d->time_nanos, 300, "the earliest time is kept");
	tap_int(d->period, 20, "the largest period is kept");
	tap_int((int64_t)d->n_comments, 1, "repeated comments are kept once");
	tap_str(profile_str(d, d->types[1].unit), "nanoseconds", "sample types are the first's");
	profile_free(d);
}

static void test_units(void)
{
	const struct spec ns[] = { { { "main.f", NULL }, 1, 5000000, NULL, NULL } };
	const struct spec ms[] = { { { "main.f", NULL }, 1, 3, NULL, NULL } };
	for (int order = 0; order < 2; order++) {
		struct profile *a = build("a", "nanoseconds", 10000000, 0, 0, NULL, ns, 1);
		struct profile *b = build("b", "milliseconds", 10, 0, 0, NULL, ms, 1);
		struct merge *m = merge_new();
		struct cprof_error err = { "" };
		int ok = merge_add(m, order ? b : a, &err) == 0 &&
			 merge_add(m, order ? a : b, &err) == 0;
		tap_ok(ok, "nanoseconds and milliseconds merge (%s first)", order ? "ms" : "ns");
		profile_free(a);
		profile_free(b);
		struct profile *d = merge_finish(m);
		tap_str(profile_str(d, d->types[1].unit), "nanoseconds",
			"values end in the finer unit");
		tap_int(value_at(d, "main.f", 1), 8000000, "3ms are added as 3000000ns");
		tap_str(profile_str(d, d->period_type.unit), "nanoseconds",
			"so does the period type");
		tap_int(d->period, 10000000, "and the period");
		profile_free(d);
	}
}

static void test_incompatible(void)
{
	const struct spec s[] = { { { "main.f", NULL }, 1, 5, NULL, NULL } };
	struct profile *a = build("a", "nanoseconds", 1, 0, 0, NULL, s, 1);
	struct profile *b = build("b", "bytes", 1, 0, 0, NULL, s, 1);
	struct merge *m = merge_new();
	struct cprof_error err = { "" };
	merge_add(m, a, &err);
	tap_int(merge_add(m, b, &err), -1, "time and space values do not merge");
	tap_str(err.msg, "period type: incompatible types: {cpu nanoseconds} {cpu bytes}",
		"with pprof's reason");
	merge_free(m);
	profile_free(a);
	profile_free(b);
}

static void test_scale(void)
{
	const struct spec s[] = {
		{ { "main.a", NULL }, 1, 3, NULL, NULL },
		{ { "main.b", NULL }, 1, -3, NULL, NULL },
		{ { "main.c", NULL }, 7, 0, NULL, NULL },
	};
	struct profile *p = build("", "nanoseconds", 1, 0, 0, NULL, s, 3);
	profile_scale(p, (const double[]){ 1, 0.5 });
	tap_int((int64_t)p->n_samples, 2,
		"a sample whose scaled values are all zero is dropped, whatever its other values");
	tap_int(value_at(p, "main.a", 1), 2, "1.5 rounds away from zero to 2");
	tap_int(value_at(p, "main.b", 1), -2, "-1.5 rounds to -2");
	tap_int(value_at(p, "main.a", 0), 1, "a ratio of 1 leaves the value alone");
	profile_scale(p, (const double[]){ -1, -1 });
	tap_int(value_at(p, "main.b", 1), 2, "-1 negates");
	profile_free(p);
}

static void test_zero_sum(void)
{
	const struct spec a[] = { { { "main.a", NULL }, 1, 5, NULL, NULL },
				  { { "main.b", NULL }, 1, 5, NULL, NULL } };
	const struct spec b[] = { { { "main.a", NULL }, -1, -5, NULL, NULL } };
	struct profile *pa = build("", "nanoseconds", 1, 0, 0, NULL, a, 2);
	struct profile *pb = build("", "nanoseconds", 1, 0, 0, NULL, b, 1);
	struct merge *m = merge_new();
	merge_add(m, pa, NULL);
	merge_add(m, pb, NULL);
	profile_free(pa);
	profile_free(pb);
	struct profile *d = merge_finish(m);
	tap_int((int64_t)d->n_samples, 1, "samples that sum to zero are dropped");
	tap_int((int64_t)d->n_functions, 1, "and what only they used");
	profile_free(d);
}

/* merge_keep_apart: equal samples stay two (their sums are the same), and label lists
 * that repeat across samples and profiles are stored once either way. */
static void test_apart(void)
{
	const struct spec a[] = {
		{ { "main.work", "main.main", NULL }, 2, 20, "handler", "get" },
		{ { "main.old", "main.main", NULL }, 1, 10, "handler", "get" },
	};
	const struct spec b[] = {
		{ { "main.work", "main.main", NULL }, 4, 40, "handler", "get" },
		{ { "main.new", "main.main", NULL }, 3, 30, "handler", "put" },
	};
	for (int apart = 0; apart < 2; apart++) {
		struct profile *pa = build("x", "nanoseconds", 10, 0, 0, NULL, a, 2);
		struct profile *pb = build("yy", "nanoseconds", 10, 0, 0, NULL, b, 2);
		struct merge *m = merge_new();
		if (apart)
			merge_keep_apart(m);
		struct cprof_error err = { "" };
		merge_add(m, pa, &err);
		merge_add(m, pb, &err);
		profile_free(pa);
		profile_free(pb);
		struct profile *d = merge_finish(m);
		int64_t work = 0;
		for (size_t s = 0; s < d->n_samples; s++) {
			struct stack_buf sb = { 0 };
			uint32_t leaf = profile_stack(d, d->samples[s].stack, &sb)[0];
			stack_buf_release(&sb);
			const struct line *ln = &d->lines[d->locations[leaf].first_line];
			if (strcmp(profile_str(d, d->functions[ln->function].name), "main.work") ==
			    0)
				work += profile_values(d, s)[1];
		}
		const char *how = apart ? "apart" : "summed";
		tap_int((int64_t)d->n_samples, apart ? 4 : 3, "%s: equal samples %s", how,
			apart ? "stay two" : "become one");
		tap_int(work, 60, "%s: main.work's values add up to 60", how);
		tap_int((int64_t)d->n_labels, 2, "%s: three samples' handler=get stored once", how);
		profile_free(d);
	}

	/* A source with negative values (a saved diff): kept apart, +5 and -5 would count 10
	 * in a report's total where pprof's sum is 0 and the sample goes; so they are summed. */
	const struct spec plus[] = { { { "main.work", NULL }, 1, 5, NULL, NULL },
				     { { "main.main", NULL }, 1, 7, NULL, NULL } };
	const struct spec minus[] = { { { "main.work", NULL }, -1, -5, NULL, NULL } };
	struct profile *pp = build("x", "nanoseconds", 10, 0, 0, NULL, plus, 2);
	struct profile *pm = build("y", "nanoseconds", 10, 0, 0, NULL, minus, 1);
	struct merge *m = merge_new();
	merge_keep_apart(m);
	struct cprof_error err = { "" };
	merge_add(m, pp, &err);
	merge_add(m, pm, &err);
	profile_free(pp);
	profile_free(pm);
	struct profile *d = merge_finish(m);
	tap_int((int64_t)d->n_samples, 1, "apart, but signs mix: summed, and the zero sum dropped");
	tap_int(value_at(d, "main.main", 1), 7, "what remains is main.main's 7");
	profile_free(d);
}

/* merge_keeps_all against what profile_compact does: it says yes exactly when the merge
 * keeps every sample, mapping, function and location. */
static bool compact_keeps_all(struct profile *p)
{
	struct profile *c = profile_compact(p);
	bool same = c->n_samples == p->n_samples && c->n_mappings == p->n_mappings &&
		    c->n_functions == p->n_functions && c->n_locations == p->n_locations;
	profile_free(c);
	return same;
}

static void check_keeps(struct profile *p, bool want, const char *what)
{
	bool got = merge_keeps_all(p);
	tap_ok(got == want, "merge_keeps_all: %s (%s)", what, want ? "yes" : "no");
	tap_ok(compact_keeps_all(p) == want, "and profile_compact agrees: %s", what);
	profile_free(p);
}

static void test_keeps_all(void)
{
	const struct spec distinct[] = { { { "main.a", "main.main", NULL }, 1, 5, NULL, NULL },
					 { { "main.b", "main.main", NULL }, 1, 5, NULL, NULL },
					 { { "main.a", "main.main", NULL }, 2, 9, "k", "v" },
					 { { "main.a", "main.main", NULL }, 2, 9, "k", "w" } };
	check_keeps(build("", "nanoseconds", 1, 0, 0, NULL, distinct, 4), true,
		    "samples differ by stack or label");

	/* A label with neither string nor number, which the merge drops and no report shows. */
	const struct spec labelled[] = { { { "main.a", NULL }, 1, 5, "k", "v" },
					 { { "main.b", NULL }, 1, 5, NULL, NULL } };
	struct profile *empty = build("", "nanoseconds", 1, 0, 0, NULL, labelled, 2);
	empty->labels[0].str = 0;
	check_keeps(empty, true, "an empty label");

	const struct spec twice[] = { { { "main.a", "main.main", NULL }, 1, 5, "k", "v" },
				      { { "main.a", "main.main", NULL }, 2, 7, "k", "v" } };
	check_keeps(build("", "nanoseconds", 1, 0, 0, NULL, twice, 2), false,
		    "a stack and labels twice");

	const struct spec zero[] = { { { "main.a", NULL }, 1, 5, NULL, NULL },
				     { { "main.b", NULL }, 0, 0, NULL, NULL } };
	check_keeps(build("", "nanoseconds", 1, 0, 0, NULL, zero, 2), false,
		    "a sample of zero values");

	/* A second function equal to main.b's, and a location equal to main.a's, each used
	 * by a sample of its own. */
	const struct spec base[] = { { { "main.a", NULL }, 1, 5, NULL, NULL },
				     { { "main.b", NULL }, 1, 5, NULL, NULL },
				     { { "main.c", NULL }, 1, 5, NULL, NULL } };
	struct profile *p = build("", "nanoseconds", 1, 0, 0, NULL, base, 3);
	p->functions[2] = p->functions[1];
	p->functions[2].id = 3;
	check_keeps(p, false, "two equal functions");
	p = build("", "nanoseconds", 1, 0, 0, NULL, base, 3);
	p->locations[2].address = p->locations[0].address;
	p->lines[p->locations[2].first_line] = p->lines[p->locations[0].first_line];
	check_keeps(p, false, "two equal locations");
}

int main(void)
{
	test_merge_two();
	test_units();
	test_incompatible();
	test_scale();
	test_zero_sum();
	test_apart();
	test_keeps_all();
	return tap_done();
}
