/* list: pprof's annotated source listing (-list=REGEXP), one ROUTINE block per matching
 * function and source file, each line with its flat and cum weights. */
#include <inttypes.h>

#include "report/listing.h"
#include "report/report.h"

/* pprof's valueOrDot: zero prints as ".". */
static const char *value_or_dot(const struct report *r, char buf[MEASURE_BUF], int64_t v)
{
	return v == 0 ? "." : report_value(r, buf, v);
}

static int list_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct listing *l = r->listing;
	char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF];
	sink_addf(out, "Total: %s\n", report_value(r, a, r->total));
	for (size_t i = 0; i < l->n_funcs; i++) {
		const struct listing_func *f = &l->funcs[i];
		if (f->n_blocks == 0) {
			sink_adds(out, "No source information for ");
			sink_add(out, f->name, f->name_len);
			sink_addch(out, '\n');
		}
		for (size_t k = 0; k < f->n_blocks; k++) {
			const struct listing_block *bl = &l->blocks[f->first_block + k];
			sink_adds(out, "ROUTINE ======================== ");
			sink_add(out, f->name, f->name_len);
			sink_adds(out, " in ");
			sink_add(out, bl->file, bl->file_len);
			sink_addch(out, '\n');
			sink_addpad(out, report_value(r, a, bl->flat), 10);
			sink_addch(out, ' ');
			sink_addpad(out, report_value(r, b, bl->cum), 10);
			sink_addf(out, " (flat, cum) %s of Total\n",
				  measure_percent(c, bl->cum, r->total));
			if (bl->error) {
				sink_adds(out, " Error: ");
				sink_add(out, bl->error, bl->error_len);
				sink_addch(out, '\n');
				continue;
			}
			for (size_t n = 0; n < bl->n_lines; n++) {
				const struct listing_line *ln = &l->lines[bl->first_line + n];
				sink_addpad(out, value_or_dot(r, a, ln->flat), 10);
				sink_addch(out, ' ');
				sink_addpad(out, value_or_dot(r, b, ln->cum), 10);
				sink_addf(out, " %6" PRId64 ":", ln->lineno);
				sink_add(out, ln->text, ln->text_len);
				sink_addch(out, '\n');
			}
		}
	}
	return 0;
}

const struct report_backend report_list = {
	.name = "list",
	.summary = "Source of the functions matching the regexp, a value beside each line",
	.flags = REPORT_HAS_PARAM | REPORT_NO_TRIM | REPORT_LINES,
	.needs = { .input = REPORT_INPUT_LISTING, .obj_names = true },
	.render = list_render,
};
