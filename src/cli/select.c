/* Wiring the selection flags to model/filter: compile, prepare, apply, as pprof's driver
 * does in applyFocus and generateTagRootsLeaves. */
#include "cli/select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool set(const char *v)
{
	return v && *v;
}

static int compile_re(struct regex **re, const char *name, const char *v, struct cprof_error *err)
{
	if (!set(v))
		return 0;
	if (!(*re = regex_compile(v, err)))
		return error_prefix(err, "-%s", name);
	return 0;
}

static int compile_tag(struct filter_tag *t, bool *has, const char *name, const char *v,
		       struct cprof_error *err)
{
	if (!set(v))
		return 0;
	char flag[32];
	snprintf(flag, sizeof(flag), "-%s", name);
	if (filter_tag_parse(t, flag, v, err) < 0)
		return -1;
	*has = true;
	return 0;
}

/* pprof's note for a tag filter taken as a numeric range. */
static void note_range(const struct filter_tag *t, const char *name, const char *v)
{
	if (!t->numeric)
		return;
	const char *eq = strchr(v, '=');
	fprintf(stderr, "%s:Interpreted '%s' as range, not regexp\n", name, eq ? eq + 1 : v);
}

static void add_active(struct select *s, const char *name, const char *v)
{
	if (!set(v))
		return;
	struct strbuf b = STRBUF_INIT;
	strbuf_addf(&b, "%s=%s", name, v);
	s->active[s->n_active++] = xstrdup(strbuf_str(&b));
	strbuf_release(&b);
}

int select_compile(struct select *s, const struct select_flags *f, struct cprof_error *err)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	if (compile_re(&s->focus, "focus", f->focus, err) < 0 ||
	    compile_re(&s->ignore, "ignore", f->ignore, err) < 0 ||
	    compile_re(&s->hide, "hide", f->hide, err) < 0 ||
	    compile_re(&s->show, "show", f->show, err) < 0 ||
	    compile_re(&s->show_from, "show_from", f->show_from, err) < 0 ||
	    compile_tag(&s->tagfocus, &s->has_tagfocus, "tagfocus", f->tagfocus, err) < 0 ||
	    compile_tag(&s->tagignore, &s->has_tagignore, "tagignore", f->tagignore, err) < 0 ||
	    compile_re(&s->prune_from, "prune_from", f->prune_from, err) < 0 ||
	    compile_re(&s->tagshow, "tagshow", f->tagshow, err) < 0 ||
	    compile_re(&s->taghide, "taghide", f->taghide, err) < 0)
		return -1;
	add_active(s, "focus", f->focus);
	add_active(s, "ignore", f->ignore);
	add_active(s, "hide", f->hide);
	add_active(s, "show", f->show);
	add_active(s, "show_from", f->show_from);
	add_active(s, "tagfocus", f->tagfocus);
	add_active(s, "tagignore", f->tagignore);
	add_active(s, "tagshow", f->tagshow);
	add_active(s, "taghide", f->taghide);
	return 0;
}

static void warn(bool matched, const char *option)
{
	if (!matched)
		fprintf(stderr, "%s expression matched no samples\n", option);
}

/* Whether string ids a and b hold the same bytes (a profile may list a string twice). */
static bool same_str(const struct profile *p, uint32_t a, uint32_t b)
{
	size_t n = profile_str_len(p, a);
	return n == profile_str_len(p, b) && memcmp(profile_str(p, a), profile_str(p, b), n) == 0;
}

/* pprof's note on a numeric label key seen with more than one unit: it keeps the first
 * (units) and lists the others. */
static void warn_mixed_units(const struct profile *p, const char *const *units)
{
	struct labels_unit_clash *c;
	size_t n = labels_unit_clashes(p, units, &c);
	for (size_t i = 0; i < n;) {
		uint32_t key = c[i].key;
		fputs("For tag ", stderr);
		fwrite(profile_str(p, key), 1, profile_str_len(p, key), stderr);
		fprintf(stderr, " used unit %s, also encountered unit(s) ", units[key]);
		size_t j = i;
		for (; j < n && same_str(p, c[j].key, key); j++)
			fprintf(stderr, "%s%s", j == i ? "" : ", ", c[j].unit);
		fputc('\n', stderr);
		i = j;
	}
	free(c);
}

void select_warn_units(const struct profile *p)
{
	const char **units = labels_num_units(p);
	warn_mixed_units(p, units);
	free((void *)units);
}

void select_prepare(struct select *s, struct profile *p, const char *unit)
{
	filter_drop_frames(p);
	s->num_units = labels_num_units(p);
	warn_mixed_units(p, s->num_units);
	bool root, leaf;
	filter_tag_roots(p, s->f->tagroot, s->f->tagleaf, unit, &root, &leaf);
	warn(!set(s->f->tagroot) || root, "TagRoot");
	warn(!set(s->f->tagleaf) || leaf, "TagLeaf");
}

void select_apply(struct select *s, struct profile *p)
{
	/* Printed here, not when compiling, so that a profile that fails to load is the only
	 * line on standard error. */
	if (s->has_tagfocus)
		note_range(&s->tagfocus, "tagfocus", s->f->tagfocus);
	if (s->has_tagignore)
		note_range(&s->tagignore, "tagignore", s->f->tagignore);
	struct filter_options o = {
		.focus = s->focus,
		.ignore = s->ignore,
		.hide = s->hide,
		.show = s->show,
		.show_from = s->show_from,
		.prune_from = s->prune_from,
		.tag_focus = s->has_tagfocus ? &s->tagfocus : NULL,
		.tag_ignore = s->has_tagignore ? &s->tagignore : NULL,
		.tag_show = s->tagshow,
		.tag_hide = s->taghide,
		.num_units = s->num_units,
	};
	struct filter_matches m;
	filter_apply(p, &o, &m);
	warn(m.focus, "Focus");
	warn(m.ignore, "Ignore");
	warn(m.hide, "Hide");
	warn(m.show, "Show");
	warn(m.show_from, "ShowFrom");
	warn(m.tag_focus, "TagFocus");
	warn(m.tag_ignore, "TagIgnore");
	warn(m.tag_show, "TagShow");
	warn(m.tag_hide, "TagHide");
}

void select_release(struct select *s)
{
	struct regex *res[] = { s->focus,     s->ignore,     s->hide,    s->show,
				s->show_from, s->prune_from, s->tagshow, s->taghide };
	for (size_t i = 0; i < ARRAY_SIZE(res); i++)
		regex_free(res[i]);
	filter_tag_release(&s->tagfocus);
	filter_tag_release(&s->tagignore);
	free((void *)s->num_units);
	for (size_t i = 0; i < s->n_active; i++)
		free(s->active[i]);
	memset(s, 0, sizeof(*s));
}
