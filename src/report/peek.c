/* peek: the tree report restricted to the nodes whose name matches a regexp, untrimmed. */
#include "report/report.h"

extern const struct report_backend report_tree;

static int peek_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	return report_tree.render(r, out, err);
}

const struct report_backend report_peek = {
	.name = "peek",
	.summary = "Callers and callees of the functions matching the regexp",
	.flags = REPORT_HAS_PARAM | REPORT_NO_TRIM,
	.needs = { .input = REPORT_INPUT_GRAPH, .match_symbol = true },
	.render = peek_render,
};
