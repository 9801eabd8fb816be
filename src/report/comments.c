/* comments: the profile's free-form comments, one per line, as pprof prints them. */
#include "report/report.h"

static int comments_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	for (size_t i = 0; i < p->n_comments; i++) {
		sink_add(out, profile_str(p, p->comments[i]), p->strs.len[p->comments[i]]);
		sink_addch(out, '\n');
	}
	return 0;
}

const struct report_backend report_comments = {
	.name = "comments",
	.summary = "The comments stored in the profile",
	.render = comments_render,
};
