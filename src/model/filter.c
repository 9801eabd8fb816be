/* Selection filters with pprof's semantics (its profile package's FilterSamplesByName,
 * ShowFrom, FilterSamplesByTag, FilterTagsByName, Prune, PruneFrom and the driver's tag
 * filters and tag roots). Location decisions are made once per location, sample decisions
 * once per distinct stack; stacks are then rebuilt, deduplicated, in fresh arrays. */
#include "model/filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "model/measure.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- tag filters ---------------------------------------------------------------- */

/* One match of pprof's range pattern ([+-]?digits letters?) at or after s[from]. */
struct num_match {
	size_t start, end;  /* the whole match */
	size_t num_end;     /* end of the number; letters run from here to end */
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
	case RANGE_EQ: return sv == t->lo;
	case RANGE_GE: return sv >= t->lo;
	case RANGE_LE: return sv <= t->lo;
	case RANGE_BETWEEN: return sv >= t->lo && sv <= t->hi;
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

/* ---- locations and their lines ------------------------------------------------------ */

void filter_simplify_name(const char *name, char *buf, size_t n)
{
	static const char *const reserved[] = { "(anonymous namespace)", "operator()" };
	if (*name == '.')
		name++;
	size_t end = strlen(name);
	for (size_t i = 0; name[i];) {
		size_t skip = 0;
		for (size_t r = 0; r < 2 && !skip; r++)
			if (strncmp(name + i, reserved[r], strlen(reserved[r])) == 0)
				skip = strlen(reserved[r]);
		if (skip) {
			i += skip;
			continue;
		}
		if (name[i] == '(') {
			end = i;
			break;
		}
		i++;
	}
	if (n == 0)
		return;
	if (end >= n)
		end = n - 1;
	memcpy(buf, name, end);
	buf[end] = '\0';
}

static const struct function *line_func(const struct profile *p, const struct line *ln)
{
	return ln->function == PROFILE_NONE ? NULL : &p->functions[ln->function];
}

/* Whether f's simplified name matches re. */
static bool simple_name_matches(const struct profile *p, const struct function *f,
				const struct regex *re)
{
	const char *name = profile_str(p, f->name);
	size_t n = strlen(name) + 1;
	char small[256], *buf = n <= sizeof(small) ? small : xmalloc(n);
	filter_simplify_name(name, buf, n);
	bool m = regex_match(re, buf);
	if (buf != small)
		free(buf);
	return m;
}

/* Whether the function of a line matches re by name or file name (pprof's test for
 * every name filter). */
static bool line_matches(const struct profile *p, const struct line *ln, const struct regex *re)
{
	const struct function *f = line_func(p, ln);
	return f && (regex_match(re, profile_str(p, f->name)) ||
		     regex_match(re, profile_str(p, f->filename)));
}

static bool mapping_matches(const struct profile *p, const struct location *l,
			    const struct regex *re)
{
	return l->mapping != PROFILE_NONE &&
	       regex_match(re, profile_str(p, p->mappings[l->mapping].file));
}

static bool loc_matches(const struct profile *p, const struct location *l, const struct regex *re)
{
	for (uint32_t i = 0; i < l->n_lines; i++)
		if (line_matches(p, &p->lines[l->first_line + i], re))
			return true;
	return mapping_matches(p, l, re);
}

/* Keeps the lines of location l whose match against re equals keep (lines without a
 * function are always kept); the kept lines are appended to p->lines. */
static void keep_lines(struct profile *p, uint32_t loc, const struct regex *re, bool keep)
{
	struct location *l = &p->locations[loc];
	uint32_t n = l->n_lines, first = l->first_line;
	XGROW(p->lines, p->cap_lines, p->n_lines + n);
	size_t start = p->n_lines;
	for (uint32_t i = 0; i < n; i++) {
		struct line ln = p->lines[first + i];
		if (line_func(p, &ln) && line_matches(p, &ln, re) != keep)
			continue;
		p->lines[p->n_lines++] = ln;
	}
	l->first_line = (uint32_t)start;
	l->n_lines = (uint32_t)(p->n_lines - start);
}

/* ---- rebuilding stacks and samples --------------------------------------------------- */

/* Per-location decisions, then one rebuild of every stack through them. */
struct plan {
	int8_t *focus;          /* per location: 1 focused, -1 ignored, 0 neither */
	bool *hidden;           /* per location: dropped from stacks */
	bool *show_from;        /* per location: a show_from root */
	bool *prune;            /* per location: prune_from keeps it and what it called */
	bool has_hidden;
	bool has_show_from, has_prune;
};

/* The new stack of locs[0..depth), or false when samples on it go. */
static bool plan_stack(const struct plan *pl, const uint32_t *locs, uint32_t depth, uint32_t *out,
		       uint32_t *out_depth)
{
	bool focused = false;
	for (uint32_t i = 0; i < depth; i++) {
		if (pl->focus[locs[i]] < 0)
			return false;
		if (pl->focus[locs[i]] > 0)
			focused = true;
	}
	if (!focused)
		return false;
	uint32_t n = 0;
	for (uint32_t i = 0; i < depth; i++)
		if (!pl->has_hidden || !pl->hidden[locs[i]])
			out[n++] = locs[i];
	if (n == 0)
		return false;
	if (pl->has_show_from) {
		uint32_t i = n;
		while (i > 0 && !pl->show_from[out[i - 1]])
			i--;
		if (i == 0)
			return false;
		n = i;
	}
	if (pl->has_prune) {
		for (uint32_t i = 0; i < n; i++)
			if (pl->prune[out[i]]) {
				memmove(out, out + i, (n - i) * sizeof(*out));
				n -= i;
				break;
			}
	}
	*out_depth = n;
	return true;
}

/* Replaces p's stacks by what stack_fn makes of each (into fresh, deduplicated arrays) and
 * drops the samples whose stack it refuses. */
typedef bool stack_fn(const void *ctx, const uint32_t *locs, uint32_t depth, uint32_t *out,
		      uint32_t *out_depth);

static void rebuild_stacks(struct profile *p, stack_fn *fn, const void *ctx)
{
	struct profile old = { 0 };
	profile_move_stacks(p, &old);
	size_t n_old = old.n_stacks, max_depth = 0;
	for (size_t s = 0; s < n_old; s++)
		if (old.stacks[s].depth > max_depth)
			max_depth = old.stacks[s].depth;
	XGROW(p->stacks, p->cap_stacks, n_old + 1); /* stacks only lose frames here */
	uint32_t *map = xmalloc((n_old + 1) * sizeof(*map));
	uint32_t *buf = xmalloc((max_depth + 1) * sizeof(*buf));
	struct stack_buf in = { 0 };
	struct stack_set dedup;
	stack_set_init(&dedup, n_old + 16);
	for (size_t s = 0; s < n_old; s++) {
		uint32_t depth = 0;
		const uint32_t *locs = profile_stack(&old, (uint32_t)s, &in);
		if (fn(ctx, locs, old.stacks[s].depth, buf, &depth))
			map[s] = profile_add_stack(p, &dedup, buf, depth);
		else
			map[s] = PROFILE_NONE;
	}
	stack_set_release(&dedup);
	stack_buf_release(&in);
	size_t kept = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		uint32_t st = map[p->samples[s].stack];
		if (st == PROFILE_NONE)
			continue;
		p->samples[s].stack = st;
		profile_keep_sample(p, s, &kept);
	}
	p->n_samples = kept;
	free(map);
	free(buf);
	profile_drop_stacks(&old);
}

static bool planned_stack(const void *ctx, const uint32_t *locs, uint32_t depth, uint32_t *out,
			  uint32_t *out_depth)
{
	return plan_stack(ctx, locs, depth, out, out_depth);
}

/* Drops the samples for which keep[i] is false. */
static void keep_samples(struct profile *p, const bool *keep)
{
	size_t kept = 0;
	for (size_t s = 0; s < p->n_samples; s++)
		if (keep[s])
			profile_keep_sample(p, s, &kept);
	p->n_samples = kept;
}

/* pprof's FilterTagsByName: labels whose key show does not match, or hide does, go. */
static void filter_label_keys(struct profile *p, const struct regex *show, const struct regex *hide,
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

/* pprof's FilterSamplesByName, ShowFrom and PruneFrom. */
static void filter_names(struct profile *p, const struct filter_options *o, struct filter_matches *m)
{
	size_t nl = p->n_locations;
	struct plan pl = { 0 };
	pl.focus = xcalloc(nl + 1, sizeof(*pl.focus));
	pl.hidden = xcalloc(nl + 1, sizeof(*pl.hidden));
	pl.show_from = xcalloc(nl + 1, sizeof(*pl.show_from));
	pl.prune = xcalloc(nl + 1, sizeof(*pl.prune));

	/* FilterSamplesByName: focus and ignore look at the lines before hide and show
	 * rewrite them; show sees what hide left. */
	for (uint32_t i = 0; i < nl; i++) {
		struct location *l = &p->locations[i];
		if (o->ignore && loc_matches(p, l, o->ignore)) {
			m->ignore = true;
			pl.focus[i] = -1;
		} else if (!o->focus || loc_matches(p, l, o->focus)) {
			m->focus = true;
			pl.focus[i] = 1;
		}
		if (o->hide && loc_matches(p, l, o->hide)) {
			m->hide = true;
			if (mapping_matches(p, l, o->hide))
				l->n_lines = 0;
			else
				keep_lines(p, i, o->hide, false);
			if (p->locations[i].n_lines == 0)
				pl.hidden[i] = pl.has_hidden = true;
		}
		if (o->show) {
			if (!mapping_matches(p, &p->locations[i], o->show))
				keep_lines(p, i, o->show, true);
			if (p->locations[i].n_lines == 0)
				pl.hidden[i] = pl.has_hidden = true;
			else
				m->show = true;
		}
	}

	/* ShowFrom: a location is a root to show from if its binary matches, or, cut after
	 * its last (outermost) matching line, if a line does. */
	if (o->show_from) {
		pl.has_show_from = true;
		for (uint32_t i = 0; i < nl; i++) {
			struct location *l = &p->locations[i];
			if (mapping_matches(p, l, o->show_from)) {
				pl.show_from[i] = m->show_from = true;
				continue;
			}
			for (uint32_t k = l->n_lines; k-- > 0;)
				if (line_matches(p, &p->lines[l->first_line + k], o->show_from)) {
					l->n_lines = k + 1;
					pl.show_from[i] = m->show_from = true;
					break;
				}
		}
	}

	/* PruneFrom: cut a location before its first line whose function's simplified name
	 * matches; its callers stay, its callees go. */
	if (o->prune_from) {
		pl.has_prune = true;
		for (uint32_t i = 0; i < nl; i++) {
			struct location *l = &p->locations[i];
			for (uint32_t k = 0; k < l->n_lines; k++) {
				const struct function *f = line_func(p, &p->lines[l->first_line + k]);
				if (f && f->name != 0 && simple_name_matches(p, f, o->prune_from)) {
					pl.prune[i] = true;
					l->first_line += k;
					l->n_lines -= k;
					break;
				}
			}
		}
	}

	rebuild_stacks(p, planned_stack, &pl);
	free(pl.focus);
	free(pl.hidden);
	free(pl.show_from);
	free(pl.prune);
}

void filter_apply(struct profile *p, const struct filter_options *o, struct filter_matches *m)
{
	memset(m, 0, sizeof(*m));
	/* Without name filters, pprof's pass still drops the samples with no location. */
	bool names = o->focus || o->ignore || o->hide || o->show || o->show_from || o->prune_from;
	for (size_t st = 0; st < p->n_stacks && !names; st++)
		names = p->stacks[st].depth == 0;
	if (names)
		filter_names(p, o, m);

	/* FilterSamplesByTag, on the samples left. */
	if (o->tag_focus || o->tag_ignore) {
		bool *keep = xmalloc((p->n_samples + 1) * sizeof(*keep));
		for (size_t s = 0; s < p->n_samples; s++) {
			const struct sample *sa = &p->samples[s];
			bool focused = !o->tag_focus || filter_tag_match(o->tag_focus, p, sa, o->num_units);
			bool ignored = o->tag_ignore && filter_tag_match(o->tag_ignore, p, sa, o->num_units);
			m->tag_focus |= focused;
			m->tag_ignore |= ignored;
			keep[s] = focused && !ignored;
		}
		keep_samples(p, keep);
		free(keep);
	}
	if (o->tag_show || o->tag_hide)
		filter_label_keys(p, o->tag_show, o->tag_hide, m);

	m->focus |= !o->focus;
	m->ignore |= !o->ignore;
	m->hide |= !o->hide;
	m->show |= !o->show;
	m->show_from |= !o->show_from;
	m->tag_focus |= !o->tag_focus;
	m->tag_ignore |= !o->tag_ignore;
	m->tag_show |= !o->tag_show;
	m->tag_hide |= !o->tag_hide;
}

/* ---- drop_frames ----------------------------------------------------------------- */

struct prune_ctx {
	const bool *prune, *beneath;
};

/* Prune's per-sample rule: from the root, once a frame of the user's code has been seen,
 * the first pruned location and all it called go. */
static bool pruned_stack(const void *ctx, const uint32_t *locs, uint32_t depth, uint32_t *out,
			 uint32_t *out_depth)
{
	const struct prune_ctx *c = ctx;
	uint32_t from = 0;
	bool user = false;
	for (uint32_t i = depth; i-- > 0;) {
		uint32_t l = locs[i];
		if (!c->prune[l] && !c->beneath[l]) {
			user = true;
			continue;
		}
		if (!user)
			continue;
		from = c->prune[l] ? i + 1 : i;
		break;
	}
	*out_depth = depth - from;
	if (*out_depth)
		memmove(out, locs + from, *out_depth * sizeof(*out));
	return true;
}

static struct regex *whole_name_regex(const struct profile *p, uint32_t s)
{
	const char *pat = profile_str(p, s);
	struct strbuf b = STRBUF_INIT;
	strbuf_addf(&b, "^(%s)$", pat);
	struct cprof_error err;
	struct regex *re = regex_compile(strbuf_str(&b), &err);
	strbuf_release(&b);
	return re;
}

void filter_drop_frames(struct profile *p)
{
	if (p->drop_frames == 0)
		return;
	struct regex *drop = whole_name_regex(p, p->drop_frames), *keep = NULL;
	if (!drop)
		return;
	if (p->keep_frames != 0 && !(keep = whole_name_regex(p, p->keep_frames))) {
		regex_free(drop);
		return;
	}
	size_t nl = p->n_locations;
	bool *prune = xcalloc(nl + 1, sizeof(*prune)), *beneath = xcalloc(nl + 1, sizeof(*beneath));
	for (uint32_t i = 0; i < nl; i++) {
		struct location *l = &p->locations[i];
		uint32_t k = l->n_lines;
		bool found = false;
		while (k-- > 0) {
			const struct function *f = line_func(p, &p->lines[l->first_line + k]);
			if (!f || f->name == 0)
				continue;
			if (simple_name_matches(p, f, drop) && !(keep && simple_name_matches(p, f, keep))) {
				found = true;
				break;
			}
		}
		if (!found)
			continue;
		beneath[i] = true;
		if (k == l->n_lines - 1) {
			prune[i] = true;
		} else {
			l->first_line += k + 1;
			l->n_lines -= k + 1;
		}
	}
	struct prune_ctx ctx = { prune, beneath };
	rebuild_stacks(p, pruned_stack, &ctx);
	free(prune);
	free(beneath);
	regex_free(drop);
	regex_free(keep);
}

/* ---- tagroot / tagleaf ----------------------------------------------------------- */

/* The keys of a comma-separated list, empty ones dropped. */
static size_t split_keys(const char *list, char ***out)
{
	size_t n = 0;
	*out = NULL;
	if (!list)
		return 0;
	for (const char *s = list;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		if (len) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n++] = xstrndup(s, len);
		}
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

static void free_keys(char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

struct label_locs {
	struct hashmap locs; /* (name, file) string ids -> location index */
	uint64_t next_loc, next_func;
};

/* The pseudo location of function (name, file), made once. */
static uint32_t label_loc(struct profile *p, struct label_locs *ll, uint32_t name, uint32_t file)
{
	uint64_t key = hash_u64(((uint64_t)name << 32) | file);
	uint32_t found = hashmap_get(&ll->locs, key);
	if (found != HASHMAP_NONE)
		return found;
	XGROW(p->functions, p->cap_functions, p->n_functions + 1);
	uint32_t f = (uint32_t)p->n_functions++;
	p->functions[f] = (struct function){ .id = ll->next_func++, .name = name, .filename = file };
	XGROW(p->lines, p->cap_lines, p->n_lines + 1);
	uint32_t ln = (uint32_t)p->n_lines++;
	p->lines[ln] = (struct line){ .function = f };
	XGROW(p->locations, p->cap_locations, p->n_locations + 1);
	uint32_t l = (uint32_t)p->n_locations++;
	p->locations[l] = (struct location){
		.id = ll->next_loc++, .mapping = PROFILE_NONE, .first_line = ln, .n_lines = 1
	};
	hashmap_put(&ll->locs, key, l);
	return l;
}

/* pprof's formatLabelValues joined by ",": the sample's string values of key, then its
 * numbers, each in its own unit scaled to unit (or bare when the key has no units). */
static uint32_t label_values(struct profile *p, const struct sample *s, const char *key,
			     const char *unit, bool *any)
{
	struct strbuf b = STRBUF_INIT;
	size_t n = 0;
	uint32_t key_id = strtab_find(&p->strs, key, strlen(key));
	for (int numeric = 0; numeric < 2 && key_id != STRTAB_NONE; numeric++) {
		bool units = numeric && labels_key_has_units(p, s, key_id);
		for (uint32_t i = 0; i < s->n_labels; i++) {
			const struct label *l = &p->labels[s->first_label + i];
			if (l->key != key_id || !label_kept(l) || label_is_numeric(l) != (numeric != 0))
				continue;
			if (n++)
				strbuf_addch(&b, ',');
			if (!numeric) {
				strbuf_adds(&b, profile_str(p, l->str));
				continue;
			}
			char v[MEASURE_BUF];
			if (units)
				measure_label(v, l->num, profile_str(p, l->num_unit), unit);
			else
				measure_label(v, l->num, "", "");
			strbuf_adds(&b, v);
		}
	}
	*any = n > 0;
	uint32_t id = strtab_intern(&p->strs, strbuf_str(&b), b.len);
	strbuf_release(&b);
	return id;
}

void filter_tag_roots(struct profile *p, const char *roots, const char *leaves, const char *unit,
		      bool *root_match, bool *leaf_match)
{
	char **rk, **lk;
	size_t nr = split_keys(roots, &rk), nlf = split_keys(leaves, &lk);
	*root_match = *leaf_match = false;
	if (nr == 0 && nlf == 0) {
		free_keys(rk, nr);
		free_keys(lk, nlf);
		return;
	}
	struct label_locs ll = { .next_loc = 1, .next_func = 1 };
	hashmap_init(&ll.locs, 64);
	for (size_t i = 0; i < p->n_locations; i++)
		if (p->locations[i].id >= ll.next_loc)
			ll.next_loc = p->locations[i].id + 1;
	for (size_t i = 0; i < p->n_functions; i++)
		if (p->functions[i].id >= ll.next_func)
			ll.next_func = p->functions[i].id + 1;

	/* Every sample gets a stack of its own making, deduplicated again. */
	struct profile old = { 0 };
	profile_move_stacks(p, &old);
	XGROW(p->stacks, p->cap_stacks, old.n_stacks + 1);
	struct stack_buf in = { 0 };
	struct stack_set dedup;
	stack_set_init(&dedup, p->n_samples + 16);
	uint32_t *buf = NULL;
	size_t cap = 0;
	uint32_t *root_locs = xmalloc((nr + 1) * sizeof(*root_locs));
	for (size_t s = 0; s < p->n_samples; s++) {
		struct sample *sa = &p->samples[s];
		const struct stack *st = &old.stacks[sa->stack];
		uint32_t depth = 0;
		bool any;
		for (size_t i = 0; i < nr; i++) {
			const char *k = rk[nr - 1 - i];
			uint32_t name = label_values(p, sa, k, unit, &any);
			*root_match |= any;
			root_locs[i] = label_loc(p, &ll, name, strtab_intern(&p->strs, k, strlen(k)));
		}
		XGROW(buf, cap, nlf + st->depth + nr);
		for (size_t i = 0; i < nlf; i++) {
			const char *k = lk[nlf - 1 - i];
			uint32_t name = label_values(p, sa, k, unit, &any);
			*leaf_match |= any;
			buf[depth++] = label_loc(p, &ll, name, strtab_intern(&p->strs, k, strlen(k)));
		}
		if (st->depth)
			memcpy(buf + depth, profile_stack(&old, sa->stack, &in),
			       st->depth * sizeof(*buf));
		depth += st->depth;
		if (nr)
			memcpy(buf + depth, root_locs, nr * sizeof(*buf));
		depth += (uint32_t)nr;
		sa->stack = profile_add_stack(p, &dedup, buf, depth);
	}
	stack_set_release(&dedup);
	stack_buf_release(&in);
	hashmap_release(&ll.locs);
	free(buf);
	free(root_locs);
	profile_drop_stacks(&old);
	free_keys(rk, nr);
	free_keys(lk, nlf);
}
