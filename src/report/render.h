/* Pictures of the call graph: the dot report's text laid out and drawn by graphviz (cgraph
 * and gvc) inside the process, with no dot executable and no temporary file. */
#ifndef CPROF_REPORT_RENDER_H
#define CPROF_REPORT_RENDER_H

#include "report/report.h"

/* What the dot report needs, and so every picture of it. */
/* (clang-format 14 takes a macro body in braces for a block.) */
/* clang-format off */
#define REPORT_NEEDS_DOT { .input = REPORT_INPUT_GRAPH, .visual = true, .call_tree = true }
/* clang-format on */

/* Renders r's call graph (exactly the graph the dot report prints) in graphviz's output
 * format (svg, png, pdf, ps, gif) and appends the bytes, which may be binary, to out.
 * Returns 0, or -1 with "FORMAT: graphviz: why" in err. */
int render_graph(const struct report *r, const char *format, struct strbuf *out,
		 struct cprof_error *err);
/* render_graph, then the bytes to out. */
int render_graph_to(const struct report *r, const char *format, struct sink *out,
		    struct cprof_error *err);

#endif
