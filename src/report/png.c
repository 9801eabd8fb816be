/* png: the call graph drawn by graphviz in process (see render.c). */
#include "report/render.h"

static int png_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	return render_graph_to(r, "png", out, err);
}

const struct report_backend report_png = {
	.name = "png",
	.summary = "Call graph drawn as a PNG image",
	.away_suffix = "png",
	.needs = REPORT_NEEDS_DOT,
	.render = png_render,
};
