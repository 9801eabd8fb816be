/* model/filter: tag filter parsing (ranges with units, key=value, regexp lists), range
 * matching, pprof's simplified names, and the name filters' semantics on a small profile
 * built here (which line, file or binary a regexp matches, what each filter keeps). The
 * expectations follow pprof's profile/filter.go, prune.go and driver/driver_focus.go. TAP. */
#include <stdlib.h>
#include <string.h>

#include "model/filter.h"
#include "model/labels.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "tap.h"

/* ---- tag filters ---- */

static void range(const char *value, const char *key, enum filter_range r, double lo, double hi,
		  const char *unit)
{
	struct filter_tag t;
	struct cprof_error err = { "" };
	int rc = filter_tag_parse(&t, "-tagfocus", value, &err);
	tap_ok(rc == 0 && t.numeric && t.range == r && t.lo == lo && t.hi == hi &&
		       strcmp(t.unit, unit) == 0 &&
		       (key ? t.key && strcmp(t.key, key) == 0 : t.key == NULL),
	       "\"%s\" is a range [%g, %g] in \"%s\" (got %s %d [%g, %g] \"%s\")", value, lo, hi,
	       unit, rc == 0 && t.numeric ? "range" : "not a range", (int)t.range, t.lo, t.hi,
	       t.unit);
	filter_tag_release(&t);
}

static void regexps(const char *value, const char *key, size_t n)
{
	struct filter_tag t;
	struct cprof_error err = { "" };
	int rc = filter_tag_parse(&t, "-tagfocus", value, &err);
	tap_ok(rc == 0 && !t.numeric && t.n_res == n &&
		       (key ? t.key && strcmp(t.key, key) == 0 : t.key == NULL),
	       "\"%s\" is %zu regexp(s)%s%s", value, n, key ? " for key " : "", key ? key : "");
	filter_tag_release(&t);
}

static void refused(const char *value, const char *why)
{
	struct filter_tag t;
	struct cprof_error err = { "" };
	int rc = filter_tag_parse(&t, "-tagfocus", value, &err);
	tap_ok(rc < 0 && strncmp(err.msg, "-tagfocus: ", 11) == 0 && strstr(err.msg, why),
	       "\"%s\" refused (%s): %s", value, why, err.msg);
}

static void in_range(const char *value, int64_t v, const char *unit, bool want)
{
	struct filter_tag t;
	struct cprof_error err = { "" };
	if (filter_tag_parse(&t, "-tagfocus", value, &err) < 0 || !t.numeric) {
		tap_ok(0, "\"%s\" parses as a range", value);
		return;
	}
	tap_ok(filter_tag_range_match(&t, v, unit) == want, "%lld %s %s in \"%s\"", (long long)v,
	       unit, want ? "is" : "is not", value);
	filter_tag_release(&t);
}

static void simplify(const char *name, const char *want)
{
	char buf[256];
	filter_simplify_name(name, buf, sizeof(buf));
	tap_str(buf, want, "simplified name of %s", name);
}

/* ---- a small profile ----
 * functions: app.main (main.go), app.work (work.go), app.helper (work.go, inlined into
 * app.work), rt.alloc (rt/malloc.go); mappings /bin/app and libc.so;
 * locations: L0 = helper+work, L1 = main, L2 = alloc, L3 = no lines in libc.so;
 * samples (leaf first): 10 on L0 L1 (label worker=a), 20 on L2 L0 L1 (label bytes=2048
 * bytes), 40 on L3 L1. */

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

static void add_func(struct profile *p, const char *name, const char *file)
{
	XGROW(p->functions, p->cap_functions, p->n_functions + 1);
	p->functions[p->n_functions] = (struct function){ .id = p->n_functions + 1,
							  .name = str(p, name),
							  .filename = str(p, file) };
	p->n_functions++;
}

static void add_loc(struct profile *p, uint32_t mapping, const uint32_t *funcs, uint32_t n)
{
	XGROW(p->locations, p->cap_locations, p->n_locations + 1);
	XGROW(p->lines, p->cap_lines, p->n_lines + n);
	p->locations[p->n_locations] = (struct location){ .id = p->n_locations + 1,
							  .mapping = mapping,
							  .first_line = (uint32_t)p->n_lines,
							  .n_lines = n };
	p->n_locations++;
	for (uint32_t i = 0; i < n; i++)
		p->lines[p->n_lines++] = (struct line){ .function = funcs[i], .line = 1 };
}

static void add_sample(struct profile *p, struct stack_set *dedup, const uint32_t *locs,
		       uint32_t depth, int64_t v, const struct label *l)
{
	XGROW(p->samples, p->cap_samples, p->n_samples + 1);
	XGROW(p->values, p->cap_values, p->n_samples + 1);
	struct sample *s = &p->samples[p->n_samples];
	s->stack = profile_add_stack(p, dedup, locs, depth);
	s->first_label = (uint32_t)p->n_labels;
	s->n_labels = 0;
	if (l) {
		XGROW(p->labels, p->cap_labels, p->n_labels + 1);
		p->labels[p->n_labels++] = *l;
		s->n_labels = 1;
	}
	p->values[p->n_samples++] = v;
}

static struct profile *small_profile(void)
{
	struct profile *p = profile_new();
	XGROW(p->types, p->cap_types, 1);
	p->types[0] = (struct value_type){ str(p, "cpu"), str(p, "nanoseconds") };
	p->n_types = 1;
	XGROW(p->mappings, p->cap_mappings, 2);
	p->mappings[0] = (struct mapping){ .id = 1, .file = str(p, "/bin/app") };
	p->mappings[1] = (struct mapping){ .id = 2, .file = str(p, "libc.so") };
	p->n_mappings = 2;
	add_func(p, "app.main", "main.go");
	add_func(p, "app.work", "work.go");
	add_func(p, "app.helper", "work.go");
	add_func(p, "rt.alloc", "rt/malloc.go");
	add_loc(p, 0, (uint32_t[]){ 2, 1 }, 2);
	add_loc(p, 0, (uint32_t[]){ 0 }, 1);
	add_loc(p, 0, (uint32_t[]){ 3 }, 1);
	add_loc(p, 1, NULL, 0);
	struct stack_set dedup;
	stack_set_init(&dedup, 8);
	struct label worker = { .key = str(p, "worker"), .str = str(p, "a") };
	struct label bytes = { .key = str(p, "bytes"), .num = 2048, .num_unit = str(p, "bytes") };
	add_sample(p, &dedup, (uint32_t[]){ 0, 1 }, 2, 10, &worker);
	add_sample(p, &dedup, (uint32_t[]){ 2, 0, 1 }, 3, 20, &bytes);
	add_sample(p, &dedup, (uint32_t[]){ 3, 1 }, 2, 40, NULL);
	stack_set_release(&dedup);
	return p;
}

/* The samples as "value:loc loc ...|...", each location as its functions' short names
 * (innermost first, joined by '+', "-" for none). */
static char *samples_str(const struct profile *p)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		strbuf_addf(&b, "%s%lld:", s ? "|" : "", (long long)p->values[s]);
		struct stack_buf sb = { 0 };
		const uint32_t *locs = profile_stack(p, sa->stack, &sb);
		for (uint32_t i = 0; i < p->stacks[sa->stack].depth; i++) {
			const struct location *l = &p->locations[locs[i]];
			if (i)
				strbuf_addch(&b, ' ');
			if (l->n_lines == 0)
				strbuf_addch(&b, '-');
			for (uint32_t k = 0; k < l->n_lines; k++) {
				const char *name = profile_str(
					p, p->functions[p->lines[l->first_line + k].function].name);
				const char *dot = strchr(name, '.');
				strbuf_addf(&b, "%s%s", k ? "+" : "", dot ? dot + 1 : name);
			}
		}
		stack_buf_release(&sb);
	}
	char *r = xstrdup(strbuf_str(&b));
	strbuf_release(&b);
	return r;
}

enum opt { FOCUS, IGNORE, HIDE, SHOW, SHOW_FROM, PRUNE_FROM };

static void name_filter(enum opt which, const char *pattern, const char *want, bool want_match)
{
	static const char *const names[] = { "focus", "ignore",    "hide",
					     "show",  "show_from", "prune_from" };
	struct profile *p = small_profile();
	struct cprof_error err = { "" };
	struct regex *re = regex_compile(pattern, &err);
	struct filter_options o = { 0 };
	const struct regex **slot[] = { &o.focus, &o.ignore,    &o.hide,
					&o.show,  &o.show_from, &o.prune_from };
	*slot[which] = re;
	struct filter_matches m;
	filter_apply(p, &o, &m);
	char *got = samples_str(p);
	tap_str(got, want, "-%s=%s keeps", names[which], pattern);
	bool flags[] = { m.focus, m.ignore, m.hide, m.show, m.show_from, true };
	if (which != PRUNE_FROM)
		tap_ok(flags[which] == want_match, "-%s=%s %s", names[which], pattern,
		       want_match ? "matched" : "matched nothing");
	free(got);
	regex_free(re);
	profile_free(p);
}

static void tag_filter(const char *focus, const char *ignore, const char *want)
{
	struct profile *p = small_profile();
	struct cprof_error err = { "" };
	struct filter_tag f, i;
	struct filter_options o = { 0 };
	const char **units = labels_num_units(p);
	o.num_units = units;
	if (focus && filter_tag_parse(&f, "-tagfocus", focus, &err) == 0)
		o.tag_focus = &f;
	if (ignore && filter_tag_parse(&i, "-tagignore", ignore, &err) == 0)
		o.tag_ignore = &i;
	struct filter_matches m;
	filter_apply(p, &o, &m);
	char *got = samples_str(p);
	tap_str(got, want, "-tagfocus=%s -tagignore=%s keeps", focus ? focus : "",
		ignore ? ignore : "");
	free(got);
	if (o.tag_focus)
		filter_tag_release(&f);
	if (o.tag_ignore)
		filter_tag_release(&i);
	free((void *)units);
	profile_free(p);
}

int main(void)
{
	/* Ranges: pprof's parseTagFilterRange, units scaled to the first bound's. */
	range("1kb:10kb", NULL, RANGE_BETWEEN, 1, 10, "kB");
	range("100ms:", NULL, RANGE_GE, 100, 100, "ms");
	range(":64", NULL, RANGE_LE, 64, 64, "");
	range("64", NULL, RANGE_EQ, 64, 64, "");
	range("-5", NULL, RANGE_EQ, -5, -5, "");
	range("+5:7", NULL, RANGE_BETWEEN, 5, 7, "");
	range("request_size=2kb", "request_size", RANGE_EQ, 2, 2, "kB");
	range("1kb:2048", NULL, RANGE_BETWEEN, 1, 2048, "kB");
	range("1mb:2gb", NULL, RANGE_BETWEEN, 1, 2048, "MB");
	range("2seconds:", NULL, RANGE_GE, 2, 2, "s");
	/* What is not exactly a range is a list of regexps. */
	regexps("1kb:2ms", NULL, 1); /* units of two families */
	regexps("10:1kb", NULL, 1);  /* bytes cannot be scaled to no unit */
	regexps("1:2:3", NULL, 1);
	regexps("foo1", NULL, 1);
	regexps("1kb-", NULL, 1);
	regexps("worker", NULL, 1);
	regexps("worker=a,b", "worker", 2);
	regexps("stage:parse,worker:", NULL, 2);
	regexps("=x", NULL, 1);
	refused("worker=a(", "bad regexp \"a(\"");
	refused("ok,(", "bad regexp \"(\"");
	refused("99999999999999999999", "value out of range");
	refused("1abcdefghijklmnopqrstuvwxyz:", "unit too long");

	in_range("1kb:10kb", 2048, "bytes", true);
	in_range("1kb:10kb", 1024, "bytes", true);
	in_range("1kb:10kb", 10240, "bytes", true);
	in_range("1kb:10kb", 10241, "bytes", false);
	in_range("1kb:10kb", 1 << 20, "bytes", false);
	in_range("1kb:10kb", 2048, "nanoseconds", false);
	in_range("100ms:", 150000000, "nanoseconds", true);
	in_range("100ms:", 99999999, "nanoseconds", false);
	in_range("100ms:", 2, "s", true);
	in_range(":64", 64, "request", true);
	in_range(":64", 65, "request", false);
	in_range(":64", 16, "bytes", false); /* bytes are never unit-less */
	in_range("64", 64, "", true);

	simplify("main.(*T).run", "main.");
	simplify(".main.f", "main.f");
	simplify("ns::(anonymous namespace)::f(int)", "ns::(anonymous namespace)::f");
	simplify("Foo::operator()(int)", "Foo::operator()");
	simplify("runtime.mallocgc", "runtime.mallocgc");

	/* Name filters: function name, file name, or the location's binary. */
	const char *all = "10:helper+work main|20:alloc helper+work main|40:- main";
	name_filter(FOCUS, "work", "10:helper+work main|20:alloc helper+work main", true);
	name_filter(FOCUS, "malloc\\.go", "20:alloc helper+work main", true);
	name_filter(FOCUS, "libc", "40:- main", true);
	name_filter(FOCUS, "nothing", "", false);
	name_filter(IGNORE, "helper", "40:- main", true);
	name_filter(IGNORE, "nothing", all, false);
	name_filter(HIDE, "helper", "10:work main|20:alloc work main|40:- main", true);
	name_filter(HIDE, "^rt\\.", "10:helper+work main|20:helper+work main|40:- main", true);
	name_filter(HIDE, "libc", "10:helper+work main|20:alloc helper+work main|40:main", true);
	name_filter(SHOW, "app\\.work", "10:work|20:work", true);
	name_filter(SHOW, "work\\.go", "10:helper+work|20:helper+work", true);
	name_filter(SHOW, "nothing", "", false);
	name_filter(SHOW_FROM, "app\\.work", "10:helper+work|20:alloc helper+work", true);
	name_filter(SHOW_FROM, "helper", "10:helper|20:alloc helper", true);
	name_filter(SHOW_FROM, "app\\.main", all, true);
	name_filter(PRUNE_FROM, "app\\.work", "10:work main|20:work main|40:- main", true);
	name_filter(PRUNE_FROM, "^app\\.main$", "10:main|20:main|40:main", true);

	tag_filter("worker=a", NULL, "10:helper+work main");
	tag_filter("worker:a", NULL, "10:helper+work main");
	tag_filter(NULL, "worker=a", "20:alloc helper+work main|40:- main");
	tag_filter("1kb:4kb", NULL, "20:alloc helper+work main");
	tag_filter("bytes=2kb", NULL, "20:alloc helper+work main");
	tag_filter("other=2kb", NULL, "");
	tag_filter(":1kb", NULL, "");

	/* drop_frames: below the first dropped frame under the user's code. */
	struct profile *p = small_profile();
	p->drop_frames = str(p, "rt\\..*");
	filter_drop_frames(p);
	char *got = samples_str(p);
	tap_str(got, "10:helper+work main|20:helper+work main|40:- main", "drop_frames=rt\\..*");
	free(got);
	profile_free(p);
	p = small_profile();
	p->drop_frames = str(p, "app\\.helper");
	filter_drop_frames(p);
	got = samples_str(p);
	tap_str(got, "10:work main|20:work main|40:- main",
		"drop_frames=app\\.helper cuts an inlined frame and what it called");
	free(got);
	profile_free(p);
	p = small_profile();
	p->drop_frames = str(p, "rt\\..*|app\\.helper");
	p->keep_frames = str(p, "rt\\.alloc");
	filter_drop_frames(p);
	got = samples_str(p);
	tap_str(got, "10:work main|20:work main|40:- main", "keep_frames=rt\\.alloc");
	free(got);
	profile_free(p);

	/* tagroot/tagleaf: one pseudo location per (values, key), ids after the largest. */
	p = small_profile();
	bool root, leaf;
	filter_tag_roots(p, "worker", ",bytes", "kb", &root, &leaf);
	got = samples_str(p);
	tap_ok(root && leaf, "tagroot and tagleaf matched");
	tap_str(got, "10: helper+work main a|20:2kB alloc helper+work main |40: - main ",
		"tagroot=worker tagleaf=bytes (-unit=kb)");
	tap_int((int64_t)p->n_locations, 4 + 4, "four pseudo locations");
	tap_int((int64_t)p->locations[4].id, 5, "first pseudo location id");
	tap_int((int64_t)p->functions[4].id, 5, "first pseudo function id");
	free(got);
	profile_free(p);
	return tap_done();
}
