/* png: the call graph drawn by graphviz in process (see render.c). */
#include "report/render.h"

static int png_render(struct report *r, struct strbuf *out, struct cprof_error *err)
{
	return render_graph(r, "png", out, err);
}

const struct report_backend report_png = {
	.name = "png",
	.summary = "Outputs a graph image in PNG format",
	.away_suffix = "png",
	.render = png_render,
};
