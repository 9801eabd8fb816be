/* The list of report backends; both command-line spellings look reports up here. */
#include <string.h>

#include "report/report.h"

extern const struct report_backend report_list;
extern const struct report_backend report_top;
extern const struct report_backend report_weblist;
extern const struct report_backend report_comments;
extern const struct report_backend report_raw;
extern const struct report_backend report_traces;
extern const struct report_backend report_tags;
extern const struct report_backend report_tree;
extern const struct report_backend report_peek;
extern const struct report_backend report_callgrind;
extern const struct report_backend report_proto;
extern const struct report_backend report_topproto;
extern const struct report_backend report_dot;
extern const struct report_backend report_svg;
extern const struct report_backend report_png;
extern const struct report_backend report_pdf;
extern const struct report_backend report_ps;
extern const struct report_backend report_gif;

const struct report_backend *const report_backends[] = {
	&report_top,
	&report_list,
	&report_weblist,
	&report_comments,
	&report_raw,
	&report_traces,
	&report_tags,
	&report_tree,
	&report_peek,
	&report_callgrind,
	&report_proto,
	&report_topproto,
	&report_dot,
	&report_svg,
	&report_png,
	&report_pdf,
	&report_ps,
	&report_gif,
	NULL,
};

const struct report_backend *report_find(const char *name)
{
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		if (strcmp(b->name, name) == 0)
			return b;
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			if (strcmp(b->aliases[k], name) == 0)
				return b;
	}
	return NULL;
}
