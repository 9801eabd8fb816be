/* The listing as HTML, shared by weblist (a page of its own) and html (a section of its
 * page): one collapsible <details> block per function and file, its lines shaded by
 * weight, the functions inlined at a line under it. */
#include <inttypes.h>
#include <string.h>

#include "report/listing.h"
#include "report/report.h"
#include "util/xalloc.h"

const char listing_html_style[] =
	"body { font-family: sans-serif; margin: 1em; }\n"
	".legend { font-size: 1.1em; margin-bottom: 1em; }\n"
	".controls button { margin-right: 0.5em; }\n"
	"details.routine { margin: 0.6em 0; border: 1px solid #ccc; border-radius: 3px; }\n"
	"details.routine > summary { cursor: pointer; padding: 0.3em 0.5em; background: #eee; }\n"
	"summary .fn { font-weight: bold; }\n"
	"summary .file { color: #555; margin-left: 0.6em; }\n"
	"summary .total { font-family: monospace; white-space: pre; margin-left: 0.6em; }\n"
	"pre.source { margin: 0; padding: 0.3em 0.5em; font-size: 0.9em; }\n"
	"pre.source .line, pre.source .inline { display: inline-block; min-width: 100%; }\n"
	"pre.source { tab-size: 4; }\n"
	"pre.source .num { color: #999; }\n"
	"pre.source .inline { color: #666; }\n"
	".error, .nosource { color: #a00; margin: 0.3em 0.5em; }\n";

void listing_html_escape_n(struct sink *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			sink_adds(out, "&lt;");
			break;
		case '>':
			sink_adds(out, "&gt;");
			break;
		case '&':
			sink_adds(out, "&amp;");
			break;
		case '"':
			sink_adds(out, "&#34;");
			break;
		case '\'':
			sink_adds(out, "&#39;");
			break;
		case '\0': /* as Go's HTMLEscapeString: HTML has no NUL character */
			sink_adds(out, "\xef\xbf\xbd");
			break;
		default:
			sink_addch(out, s[i]);
		}
	}
}

void listing_html_escape(struct sink *out, const char *s)
{
	listing_html_escape_n(out, s, strlen(s));
}

static const char *value_or_dot(const struct report *r, char buf[MEASURE_BUF], int64_t v)
{
	return v == 0 ? "." : report_value(r, buf, v);
}

static void line_html(const struct report *r, struct sink *out, const struct listing_line *ln,
		      int64_t max)
{
	char a[MEASURE_BUF], b[MEASURE_BUF];
	int64_t w = abs64(ln->cum) > abs64(ln->flat) ? ln->cum : ln->flat;
	sink_addf(out,
		  "<span class=\"line\" data-line=\"%" PRId64 "\" data-flat=\"%" PRId64
		  "\" data-cum=\"%" PRId64 "\"",
		  ln->lineno, ln->flat, ln->cum);
	if (w != 0 && max != 0) {
		/* At least a tint for any weight; fully saturated for the heaviest line. */
		double alpha = 0.08 + 0.72 * ((double)abs64(w) / (double)max);
		sink_addf(out, " style=\"background-color: rgba(%s, %.3f)\"",
			  w > 0 ? "255, 64, 32" : "32, 96, 255", alpha);
	}
	sink_adds(out, "><span class=\"num\">");
	sink_addf(out, "%6" PRId64, ln->lineno);
	sink_adds(out, "</span> ");
	sink_addpad(out, value_or_dot(r, a, ln->flat), 10);
	sink_addch(out, ' ');
	sink_addpad(out, value_or_dot(r, b, ln->cum), 10);
	sink_adds(out, "  ");
	listing_html_escape_n(out, ln->text, ln->text_len);
	sink_adds(out, "</span>\n");
}

/* The functions inlined at a line, under it, indented like its code. */
static void calls_html(const struct report *r, struct sink *out, const struct listing *l,
		       const struct listing_line *ln)
{
	char a[MEASURE_BUF];
	size_t indent = strspn(ln->text, " \t");
	for (size_t i = 0; i < ln->n_calls; i++) {
		const struct listing_call *c = &l->calls[ln->first_call + i];
		sink_adds(out, "<span class=\"inline\">");
		sink_addchars(out, ' ', 6 + 1 + 10 + 1);
		sink_addpad(out, value_or_dot(r, a, c->weight), 10);
		sink_adds(out, "  ");
		sink_add(out, ln->text, indent);
		sink_adds(out, "    \xe2\x86\xb3 inlined ");
		listing_html_escape_n(out, c->name, c->name_len);
		const char *base = memrchr(c->file, '/', c->file_len);
		base = base ? base + 1 : c->file;
		sink_addch(out, ' ');
		listing_html_escape_n(out, base, c->file_len - (size_t)(base - c->file));
		sink_addf(out, ":%" PRId64 "</span>\n", c->lineno);
	}
}

size_t listing_html(const struct report *r, struct sink *out, bool found_only)
{
	const struct listing *l = r->listing;
	size_t shown = 0;
	/* Shading is relative to the heaviest line in the whole page. */
	int64_t max = 0;
	for (size_t i = 0; i < l->n_lines; i++) {
		int64_t w = abs64(l->lines[i].cum) > abs64(l->lines[i].flat) ? l->lines[i].cum
									     : l->lines[i].flat;
		if (abs64(w) > max)
			max = abs64(w);
	}
	char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF];
	for (size_t i = 0; i < l->n_funcs; i++) {
		const struct listing_func *f = &l->funcs[i];
		if (f->n_blocks == 0 && !found_only) {
			sink_adds(out, "<p class=\"nosource\">No source information for ");
			listing_html_escape_n(out, f->name, f->name_len);
			sink_adds(out, "</p>\n");
		}
		for (size_t k = 0; k < f->n_blocks; k++) {
			const struct listing_block *bl = &l->blocks[f->first_block + k];
			if (bl->error && found_only)
				continue;
			sink_adds(out,
				  "<details class=\"routine\" open>\n<summary><span class=\"fn\">");
			listing_html_escape_n(out, f->name, f->name_len);
			sink_adds(out, "</span><span class=\"file\">");
			listing_html_escape_n(out, bl->file, bl->file_len);
			sink_adds(out, "</span><span class=\"total\">Total: ");
			sink_addpad(out, report_value(r, a, bl->flat), 10);
			sink_addch(out, ' ');
			sink_addpad(out, report_value(r, b, bl->cum), 10);
			sink_addf(out, " (flat, cum) %s</span></summary>\n",
				  measure_percent(c, bl->cum, r->total));
			if (bl->error) {
				sink_adds(out, "<p class=\"error\">Error: ");
				listing_html_escape_n(out, bl->error, bl->error_len);
				sink_adds(out, "</p>\n</details>\n");
				continue;
			}
			shown++;
			sink_adds(out, "<pre class=\"source\">");
			for (size_t n = 0; n < bl->n_lines; n++) {
				line_html(r, out, &l->lines[bl->first_line + n], max);
				calls_html(r, out, l, &l->lines[bl->first_line + n]);
			}
			sink_adds(out, "</pre>\n</details>\n");
		}
	}
	return shown;
}
