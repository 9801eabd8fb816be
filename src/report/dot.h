/* What the dot report's files share (dot.c draws the graph; dotname.c writes names;
 * dotnodelets.c draws the tag boxes under nodes). Not for other reports: pictures go
 * through render.h. */
#ifndef CPROF_REPORT_DOT_H
#define CPROF_REPORT_DOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "util/strbuf.h"

/* pprof's escapeForDot of s[0..n): backslashes and quotes escaped, newlines made
 * left-justified breaks. */
void dot_escape(struct strbuf *out, const char *s, size_t n);
/* pprof's multilinePrintableName: the node's address, shortened name parts and file:line,
 * each ending in an escaped "\n". */
void dot_node_name(struct strbuf *out, const struct profile *p, const struct node_info *i);
/* pprof's addNodelets for the node of info, numbered id: returns whether it drew any. */
bool dot_nodelets(struct sink *out, const struct report *r, const struct graph *g, uint32_t info,
		  size_t id, bool has_out);

#endif
