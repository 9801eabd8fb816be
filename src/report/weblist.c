/* weblist: the `list` listing as one self-contained HTML page (cprof's own format: no
 * network, no external assets): the profile's labels and total, buttons to open or close
 * every block, and the listing as listing_html.c draws it. */
#include <inttypes.h>
#include <string.h>

#include "report/listing.h"
#include "report/report.h"
#include "util/xalloc.h"

static const char page_head[] = "<!DOCTYPE html>\n"
				"<html>\n"
				"<head>\n"
				"<meta charset=\"UTF-8\">\n"
				"<meta name=\"generator\" content=\"cprof weblist\">\n"
				"<title>cprof listing</title>\n"
				"<style>\n";

/* After the style rules. */
static const char page_script[] =
	"</style>\n"
	"<script>\n"
	"function cprofToggleAll(open) {\n"
	"  document.querySelectorAll('details.routine').forEach(function (d) { d.open = open; });\n"
	"}\n"
	"document.addEventListener('DOMContentLoaded', function () {\n"
	"  var c = document.getElementById('controls');\n"
	"  [['Expand all', true], ['Collapse all', false]].forEach(function (b) {\n"
	"    var e = document.createElement('button');\n"
	"    e.textContent = b[0];\n"
	"    e.addEventListener('click', function () { cprofToggleAll(b[1]); });\n"
	"    c.appendChild(e);\n"
	"  });\n"
	"});\n"
	"</script>\n"
	"</head>\n"
	"<body>\n";

/* The legend: pprof's profile labels and the total, one per line. */
static void legend(const struct report *r, struct sink *out)
{
	struct sink labels;
	sink_init_mem(&labels);
	report_profile_labels(r, &labels);
	char a[MEASURE_BUF];
	sink_addf(&labels, "Total: %s\n", report_value(r, a, r->total));
	sink_adds(out, "<div class=\"legend\">");
	const char *s = strbuf_str(&labels.buf), *end = s + labels.buf.len;
	for (const char *nl; (nl = memchr(s, '\n', (size_t)(end - s))) != NULL; s = nl + 1) {
		listing_html_escape_n(out, s, (size_t)(nl - s));
		if (nl + 1 < end)
			sink_adds(out, "<br>\n");
	}
	sink_adds(out, "</div>\n<div class=\"controls\" id=\"controls\"></div>\n");
	sink_release(&labels);
}

static int weblist_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	sink_adds(out, page_head);
	sink_adds(out, listing_html_style);
	sink_adds(out, page_script);
	legend(r, out);
	listing_html(r, out, false);
	sink_adds(out, "</body>\n</html>\n");
	return 0;
}

const struct report_backend report_weblist = {
	.name = "weblist",
	.summary = "Source of the matching functions as one self-contained HTML page",
	.away_suffix = "html",
	.flags = REPORT_HAS_PARAM | REPORT_NO_TRIM | REPORT_LINES,
	.needs = { .input = REPORT_INPUT_LISTING, .obj_names = true },
	.render = weblist_render,
};
