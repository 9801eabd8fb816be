/* ps: the call graph drawn by graphviz in process (see render.c). */
#include "report/render.h"

static int ps_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	return render_graph_to(r, "ps", out, err);
}

const struct report_backend report_ps = {
	.name = "ps",
	.summary = "Call graph drawn as PostScript",
	.away_suffix = "ps",
	.needs = REPORT_NEEDS_DOT,
	.render = ps_render,
};
