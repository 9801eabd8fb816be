/* Selection filters with pprof's semantics (its profile package's FilterSamplesByName,
 * ShowFrom, FilterSamplesByTag, FilterTagsByName, Prune, PruneFrom and the driver's tag
 * filters and tag roots): filter_apply runs the passes in pprof's order. The passes live by
 * job: frames in filter_frames.c, tags in filter_tag.c, tag roots in filter_tagroot.c. */
#include "model/filter.h"

#include <string.h>

#include "model/filter_private.h"

void filter_apply(struct profile *p, const struct filter_options *o, struct filter_matches *m)
{
	memset(m, 0, sizeof(*m));
	/* Without name filters, pprof's pass still drops the samples with no location. */
	bool names = o->focus || o->ignore || o->hide || o->show || o->show_from || o->prune_from;
	for (size_t st = 0; st < p->n_stacks && !names; st++)
		names = p->stacks[st].depth == 0;
	if (names)
		filter_samples_by_name(p, o, m);

	/* FilterSamplesByTag, on the samples left. */
	if (o->tag_focus || o->tag_ignore)
		filter_samples_by_tag(p, o, m);
	if (o->tag_show || o->tag_hide)
		filter_tags_by_name(p, o->tag_show, o->tag_hide, m);

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
