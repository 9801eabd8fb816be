/* Frame filters with pprof's semantics: the name filters (-focus, -ignore, -hide, -show:
 * FilterSamplesByName), -show_from (ShowFrom), -prune_from (PruneFrom) and the profile's
 * own drop_frames/keep_frames (RemoveUninteresting). Location decisions are made once per
 * location, sample decisions once per distinct stack; stacks are then rebuilt,
 * deduplicated, in fresh arrays. */
#include "model/filter_private.h"

#include <stdlib.h>
#include <string.h>

#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- locations and their lines ------------------------------------------------------ */

/* pprof's simplifyFunc on the len bytes at name: the simplified name is the bytes
 * [*from, returned end) of name. */
static size_t simple_name_end(const char *name, size_t len, size_t *from)
{
	static const char *const reserved[] = { "(anonymous namespace)", "operator()" };
	*from = len > 0 && name[0] == '.';
	for (size_t i = *from; i < len;) {
		size_t skip = 0;
		for (size_t r = 0; r < ARRAY_SIZE(reserved) && !skip; r++) {
			size_t rn = strlen(reserved[r]);
			if (len - i >= rn && memcmp(name + i, reserved[r], rn) == 0)
				skip = rn;
		}
		if (skip) {
			i += skip;
			continue;
		}
		if (name[i] == '(')
			return i;
		i++;
	}
	return len;
}

void filter_simplify_name(const char *name, char *buf, size_t n)
{
	size_t from, end = simple_name_end(name, strlen(name), &from);
	if (n == 0)
		return;
	if (end - from >= n)
		end = from + n - 1;
	memcpy(buf, name + from, end - from);
	buf[end - from] = '\0';
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
	size_t from, end = simple_name_end(name, profile_str_len(p, f->name), &from);
	return regex_match_n(re, name + from, end - from);
}

/* Whether the function of a line matches re by name or file name (pprof's test for
 * every name filter). */
static bool line_matches(const struct profile *p, const struct line *ln, const struct regex *re)
{
	const struct function *f = line_func(p, ln);
	return f &&
	       (regex_match_n(re, profile_str(p, f->name), profile_str_len(p, f->name)) ||
		regex_match_n(re, profile_str(p, f->filename), profile_str_len(p, f->filename)));
}

static bool mapping_matches(const struct profile *p, const struct location *l,
			    const struct regex *re)
{
	return l->mapping != PROFILE_NONE &&
	       regex_match_n(re, profile_str(p, p->mappings[l->mapping].file),
			     profile_str_len(p, p->mappings[l->mapping].file));
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

/* ---- rebuilding stacks -------------------------------------------------------------- */

/* Per-location decisions, then one rebuild of every stack through them. */
struct plan {
	int8_t *focus;   /* per location: 1 focused, -1 ignored, 0 neither */
	bool *hidden;    /* per location: dropped from stacks */
	bool *show_from; /* per location: a show_from root */
	bool *prune;     /* per location: prune_from keeps it and what it called */
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

/* ---- FilterSamplesByName, ShowFrom, PruneFrom --------------------------------------- */

/* FilterSamplesByName: focus and ignore look at the lines before hide and show rewrite
 * them; show sees what hide left. */
static void plan_names(struct profile *p, const struct filter_options *o, struct plan *pl,
		       struct filter_matches *m)
{
	for (uint32_t i = 0; i < p->n_locations; i++) {
		struct location *l = &p->locations[i];
		if (o->ignore && loc_matches(p, l, o->ignore)) {
			m->ignore = true;
			pl->focus[i] = -1;
		} else if (!o->focus || loc_matches(p, l, o->focus)) {
			m->focus = true;
			pl->focus[i] = 1;
		}
		if (o->hide && loc_matches(p, l, o->hide)) {
			m->hide = true;
			if (mapping_matches(p, l, o->hide))
				l->n_lines = 0;
			else
				keep_lines(p, i, o->hide, false);
			if (p->locations[i].n_lines == 0)
				pl->hidden[i] = pl->has_hidden = true;
		}
		if (o->show) {
			if (!mapping_matches(p, &p->locations[i], o->show))
				keep_lines(p, i, o->show, true);
			if (p->locations[i].n_lines == 0)
				pl->hidden[i] = pl->has_hidden = true;
			else
				m->show = true;
		}
	}
}

/* ShowFrom: a location is a root to show from if its binary matches, or, cut after its last
 * (outermost) matching line, if a line does. */
static void plan_show_from(struct profile *p, const struct regex *show_from, struct plan *pl,
			   struct filter_matches *m)
{
	pl->has_show_from = true;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		struct location *l = &p->locations[i];
		if (mapping_matches(p, l, show_from)) {
			pl->show_from[i] = m->show_from = true;
			continue;
		}
		for (uint32_t k = l->n_lines; k-- > 0;)
			if (line_matches(p, &p->lines[l->first_line + k], show_from)) {
				l->n_lines = k + 1;
				pl->show_from[i] = m->show_from = true;
				break;
			}
	}
}

/* PruneFrom: cut a location before its first line whose function's simplified name matches;
 * its callers stay, its callees go. */
static void plan_prune_from(struct profile *p, const struct regex *prune_from, struct plan *pl)
{
	pl->has_prune = true;
	for (uint32_t i = 0; i < p->n_locations; i++) {
		struct location *l = &p->locations[i];
		for (uint32_t k = 0; k < l->n_lines; k++) {
			const struct function *f = line_func(p, &p->lines[l->first_line + k]);
			if (f && f->name != 0 && simple_name_matches(p, f, prune_from)) {
				pl->prune[i] = true;
				l->first_line += k;
				l->n_lines -= k;
				break;
			}
		}
	}
}

void filter_samples_by_name(struct profile *p, const struct filter_options *o,
			    struct filter_matches *m)
{
	size_t nl = p->n_locations;
	struct plan pl = { 0 };
	pl.focus = xcalloc(nl + 1, sizeof(*pl.focus));
	pl.hidden = xcalloc(nl + 1, sizeof(*pl.hidden));
	pl.show_from = xcalloc(nl + 1, sizeof(*pl.show_from));
	pl.prune = xcalloc(nl + 1, sizeof(*pl.prune));
	plan_names(p, o, &pl, m);
	if (o->show_from)
		plan_show_from(p, o->show_from, &pl, m);
	if (o->prune_from)
		plan_prune_from(p, o->prune_from, &pl);
	rebuild_stacks(p, planned_stack, &pl);
	free(pl.focus);
	free(pl.hidden);
	free(pl.show_from);
	free(pl.prune);
}

/* ---- drop_frames -------------------------------------------------------------------- */

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
			if (simple_name_matches(p, f, drop) &&
			    !(keep && simple_name_matches(p, f, keep))) {
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
