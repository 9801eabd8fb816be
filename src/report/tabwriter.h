/* Go's text/tabwriter as pprof configures it for tables (minwidth 0, padding 1, padchar
 * ' ', AlignRight): cells end with '\t', a line's last cell is not aligned, and a line
 * without tabs ends the block of lines aligned together. */
#ifndef CPROF_REPORT_TABWRITER_H
#define CPROF_REPORT_TABWRITER_H

#include <stddef.h>

#include "util/sink.h"
#include "util/strbuf.h"

struct tabwriter {
	struct sink *out;
	struct strbuf text; /* the pending lines, '\t' and '\n' kept */
};

void tabwriter_init(struct tabwriter *tw, struct sink *out);
/* Adds text (any number of cells and lines). */
void tabwriter_add(struct tabwriter *tw, const char *s);
/* The n bytes at s (a NUL among them is a byte like any other). */
void tabwriter_add_n(struct tabwriter *tw, const char *s, size_t n);
/* Formats what is pending into out; also releases tw's memory. */
void tabwriter_flush(struct tabwriter *tw);

#endif
