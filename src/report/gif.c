/* gif: the call graph drawn by graphviz in process (see render.c). */
#include "report/render.h"

static int gif_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	return render_graph_to(r, "gif", out, err);
}

const struct report_backend report_gif = {
	.name = "gif",
	.summary = "Call graph drawn as a GIF image",
	.away_suffix = "gif",
	.needs = REPORT_NEEDS_DOT,
	.render = gif_render,
};
