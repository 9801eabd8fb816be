/* Pictures of the call graph: the dot report's text laid out and drawn by graphviz (cgraph
 * and gvc) inside the process, with no dot executable and no temporary file. */
#ifndef CPROF_REPORT_RENDER_H
#define CPROF_REPORT_RENDER_H

#include "report/report.h"

/* Renders r's call graph (exactly the graph the dot report prints) in graphviz's output
 * format (svg, png, pdf, ps, gif) and appends the bytes, which may be binary, to out.
 * Returns 0, or -1 with "FORMAT: graphviz: why" in err. */
int render_graph(struct report *r, const char *format, struct strbuf *out,
		 struct cprof_error *err);

#endif
