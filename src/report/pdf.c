/* pdf: the call graph drawn by graphviz in process (see render.c). */
#include "report/render.h"

static int pdf_render(struct report *r, struct strbuf *out, struct cprof_error *err)
{
	return render_graph(r, "pdf", out, err);
}

const struct report_backend report_pdf = {
	.name = "pdf",
	.summary = "Outputs a graph in PDF format",
	.render = pdf_render,
};
