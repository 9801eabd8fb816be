/* pdf: the call graph drawn by graphviz in process (see render.c). Cairo stamps the file
 * with the time it was written; the stamp becomes the profile's own time (or the epoch), so
 * that the same profile always gives the same bytes. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/render.h"

/* Rewrites "/CreationDate (D:YYYYMMDDhhmmssZ)" (or with an offset, "+hh'mm") in place as
 * that time in UTC: the same length, so the file's cross-reference offsets stay right.
 * Other date forms are left as they are. */
static void stamp_date(struct strbuf *pdf, int64_t time_nanos)
{
	static const char key[] = "/CreationDate (D:";
	const size_t n = sizeof(key) - 1, digits = 14;
	for (size_t i = 0; i + n + digits + 2 <= pdf->len; i++) {
		char *p = pdf->buf + i;
		if (memcmp(p, key, n) != 0)
			continue;
		char *d = p + n;
		if (strspn(d, "0123456789") != digits)
			return;
		char *zone = d + digits;
		bool utc = zone[0] == 'Z' && zone[1] == ')';
		bool offset = (zone[0] == '+' || zone[0] == '-') &&
			      strspn(zone + 1, "0123456789") == 2 && zone[3] == '\'' &&
			      strspn(zone + 4, "0123456789") == 2 && zone[6] == ')';
		if (!utc && !offset)
			return;
		time_t t = (time_t)(time_nanos / 1000000000);
		struct tm tm;
		char buf[32];
		if (!gmtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &tm) != digits)
			return;
		memcpy(d, buf, digits);
		if (offset)
			memcpy(zone, "+00'00", 6);
		return;
	}
}

static int pdf_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	struct strbuf pdf = STRBUF_INIT;
	int rc = render_graph(r, "pdf", &pdf, err);
	if (rc == 0) {
		stamp_date(&pdf, r->prof->time_nanos);
		sink_add(out, pdf.buf, pdf.len);
	}
	strbuf_release(&pdf);
	return rc;
}

const struct report_backend report_pdf = {
	.name = "pdf",
	.summary = "Call graph drawn as a PDF document",
	.away_suffix = "pdf",
	.needs = REPORT_NEEDS_DOT,
	.render = pdf_render,
};
