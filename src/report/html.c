/* html: cprof's own report, one self-contained page to open offline or mail: the header
 * (file, type, time, duration, total, active filters), then per sample type a tab with the
 * top table (its first 100 rows, sorted by a click on a column head), the flame graph, the
 * call graph (the svg report, to pan and zoom) and the annotated source of the ten heaviest
 * functions whose files are found. A -diff_base profile also gets both totals, and its
 * flame graph is the differential one. The page is written as CommonMark, each part put
 * through libcmark as it is made; the tables and pictures are raw HTML blocks in it (no
 * blank line inside, which would end them). Its Content-Security-Policy allows inline
 * scripts and styles and nothing else: no request of any kind. The other reports are run
 * through the driver (r->runner), which prepares each as the command line would. */
#include <cmark.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "report/listing.h"
#include "report/report.h"
#include "util/goint.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

extern const struct report_backend report_flame, report_svg;

/* The heaviest functions whose source the page shows. */
#define N_SOURCES 10

static const char page_style[] =
	"body { font-family: sans-serif; margin: 1em 2em; }\n"
	"h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }\n"
	".tabs { margin: 1em 0; border-bottom: 1px solid #999; }\n"
	".tabs button { font: inherit; padding: 0.3em 1em; border: 1px solid #999; "
	"border-bottom: none; background: #eee; cursor: pointer; }\n"
	".tabs button[aria-selected=\"true\"] { background: #fff; font-weight: bold; }\n"
	"table.top { border-collapse: collapse; font-family: monospace; }\n"
	"table.top th { cursor: pointer; background: #eee; padding: 0.2em 0.6em; "
	"user-select: none; }\n"
	"table.top th[data-order=\"desc\"]::after { content: \" \\25bc\"; }\n"
	"table.top th[data-order=\"asc\"]::after { content: \" \\25b2\"; }\n"
	"table.top td { padding: 0.1em 0.6em; text-align: right; white-space: pre; }\n"
	"table.top td:last-child { text-align: left; }\n"
	"table.top tbody tr:nth-child(even) { background: #f6f6f6; }\n"
	".flame { overflow-x: auto; }\n"
	".callgraph { height: 70vh; border: 1px solid #ccc; overflow: hidden; }\n"
	".callgraph svg { display: block; }\n";

/* Tabs switch panels; a click on a column head sorts the table by it (descending first,
 * then ascending), numbers by their raw values, names as text. */
static const char page_script[] =
	"<script>\n"
	"(function () {\n"
	"  var tabs = [].slice.call(document.querySelectorAll('.tabs button'));\n"
	"  var panels = [].slice.call(document.querySelectorAll('section.panel'));\n"
	"  function show(i) {\n"
	"    tabs.forEach(function (t, k) { t.setAttribute('aria-selected', String(k === i)); });\n"
	"    panels.forEach(function (p, k) { p.hidden = k !== i; });\n"
	"  }\n"
	"  tabs.forEach(function (t, k) { t.addEventListener('click', function () { show(k); }); "
	"});\n"
	"  [].slice.call(document.querySelectorAll('table.top')).forEach(function (table) {\n"
	"    var body = table.tBodies[0], heads = [].slice.call(table.tHead.rows[0].cells);\n"
	"    heads.forEach(function (th, col) {\n"
	"      th.addEventListener('click', function () {\n"
	"        var down = th.getAttribute('data-order') !== 'desc';\n"
	"        var text = th.hasAttribute('data-text');\n"
	"        var rows = [].slice.call(body.rows);\n"
	"        rows.sort(function (a, b) {\n"
	"          var x = a.cells[col], y = b.cells[col], c;\n"
	"          if (text) c = x.textContent < y.textContent ? -1 : x.textContent > "
	"y.textContent ? 1 : 0;\n"
	"          else c = +x.getAttribute('data-v') - +y.getAttribute('data-v');\n"
	"          return down ? -c : c;\n"
	"        });\n"
	"        rows.forEach(function (r) { body.appendChild(r); });\n"
	"        heads.forEach(function (h) { h.removeAttribute('data-order'); });\n"
	"        th.setAttribute('data-order', down ? 'desc' : 'asc');\n"
	"      });\n"
	"    });\n"
	"  });\n"
	"})();\n"
	"</script>\n";

/* Text for CommonMark: md's escapes, and '&', which would start an entity reference. */
static void md_text(struct sink *md, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&')
			sink_adds(md, "\\&");
		else
			report_md_text(md, s + i, 1);
	}
}

/* A part of the page, written as CommonMark, then rendered into out by libcmark. */
static void flush_markdown(struct sink *md, struct sink *out)
{
	if (md->buf.len == 0)
		return;
	char *html = cmark_markdown_to_html(md->buf.buf, md->buf.len, CMARK_OPT_UNSAFE);
	sink_adds(out, html);
	free(html);
	sink_release(md);
	sink_init_mem(md);
}

/* Raw HTML as a CommonMark HTML block: opened by a <div> line, so that it runs to the
 * next blank line, which is why the blank lines of html (none in what cprof's reports
 * draw) are dropped; a blank line closes it. */
static void add_block(struct sink *md, const char *div_class, const char *html, size_t n)
{
	sink_addf(md, "<div class=\"%s\">\n", div_class);
	const char *end = html + n;
	for (const char *s = html; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		bool blank = true;
		for (const char *c = s; c < e && blank; c++)
			blank = *c == ' ' || *c == '\t' || *c == '\r';
		if (!blank) {
			sink_add(md, s, (size_t)(e - s));
			sink_addch(md, '\n');
		}
		s = e + 1;
	}
	sink_adds(md, "</div>\n\n");
}

/* An SVG picture a report drew, without what precedes its <svg> element (the XML
 * declaration, doctype and comments, which an HTML page has no use for). */
static void add_picture(struct sink *md, const char *div_class, const struct strbuf *svg)
{
	const char *s = strbuf_str(svg), *root = strstr(s, "<svg");
	if (!root)
		root = s;
	add_block(md, div_class, root, svg->len - (size_t)(root - s));
}

/* The table: top's nodes, values and percentages as top prints them, each numeric cell
 * with its raw value for sorting. */
static int table_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	/* top's legend past the profile labels the page's header already shows. */
	struct sink legend, labels;
	sink_init_mem(&legend);
	sink_init_mem(&labels);
	report_legend(r, g, false, &legend);
	report_profile_labels(r, &labels);
	const char *s = strbuf_str(&legend.buf), *end = s + legend.buf.len;
	if (!r->opt.compact_labels && legend.buf.len >= labels.buf.len &&
	    memcmp(s, strbuf_str(&labels.buf), labels.buf.len) == 0)
		s += labels.buf.len;
	sink_adds(out, "<p class=\"legend\">");
	for (const char *nl; (nl = memchr(s, '\n', (size_t)(end - s))) != NULL; s = nl + 1) {
		listing_html_escape_n(out, s, (size_t)(nl - s));
		if (nl + 1 < end)
			sink_adds(out, "<br>");
	}
	sink_adds(out, "</p>\n");
	sink_release(&legend);
	sink_release(&labels);
	sink_adds(out,
		  "<table class=\"top\">\n<thead><tr><th>flat</th><th>flat%</th>"
		  "<th>sum%</th><th>cum</th><th>cum%</th><th data-text>name</th></tr></thead>\n"
		  "<tbody>\n");
	int64_t flat_sum = 0;
	char f[MEASURE_BUF], fp[MEASURE_BUF], sp[MEASURE_BUF], c[MEASURE_BUF], cp[MEASURE_BUF];
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		int64_t flat = graph_flat(n), cum = graph_cum(n);
		flat_sum = add64(flat_sum, flat);
		sink_addf(out,
			  "<tr><td data-v=\"%" PRId64 "\">%s</td><td data-v=\"%" PRId64
			  "\">%s</td><td data-v=\"%" PRId64 "\">%s</td><td data-v=\"%" PRId64
			  "\">%s</td><td data-v=\"%" PRId64 "\">%s</td><td>",
			  flat, report_value(r, f, flat), flat, report_percent(fp, flat, r->total),
			  flat_sum, report_percent(sp, flat_sum, r->total), cum,
			  report_value(r, c, cum), cum, report_percent(cp, cum, r->total));
		listing_html_escape_n(out, g->names[n->info], g->name_len[n->info]);
		sink_adds(out, report_inline_mark(n));
		sink_adds(out, "</td></tr>\n");
	}
	sink_adds(out, "</tbody>\n</table>\n");
	return 0;
}

static const struct report_backend table = {
	.name = "html",
	.flags = REPORT_TEXT_COUNT,
	.default_nodecount = 100,
	.needs = { .input = REPORT_INPUT_GRAPH, .inline_edges_only = true },
	.render = table_render,
};

/* Appends the n bytes of name to the regexp in out, its RE2 metacharacters escaped and a
 * NUL written \x00 (the regexp travels as a C string). */
static void quote_re(struct sink *out, const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '\0') {
			sink_adds(out, "\\x00");
			continue;
		}
		if (strchr("\\.+*?()|[]{}^$", name[i]))
			sink_addch(out, '\\');
		sink_addch(out, name[i]);
	}
}

/* The functions of the N_SOURCES heaviest nodes (by flat, as top orders them) as one
 * anchored regexp for the listing, or nothing when there are none. */
static int heaviest_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	struct hashmap seen;
	hashmap_init(&seen, 2 * N_SOURCES);
	size_t n = 0;
	for (size_t i = 0; i < g->n_nodes && n < N_SOURCES; i++) {
		uint32_t name = g->infos[g->nodes[i].info].name;
		if (name == 0 || hashmap_put(&seen, name, 0) != HASHMAP_NONE)
			continue;
		sink_adds(out, n++ ? "|" : "^(?:");
		quote_re(out, profile_str(r->prof, name), profile_str_len(r->prof, name));
	}
	if (n)
		sink_adds(out, ")$");
	hashmap_release(&seen);
	return 0;
}

static const struct report_backend heaviest = {
	.name = "html",
	.flags = REPORT_TEXT_COUNT,
	.needs = { .input = REPORT_INPUT_GRAPH },
	.render = heaviest_render,
};

/* The listing's blocks whose files were found. */
static int source_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	if (listing_html(r, out, true) == 0)
		sink_adds(out, "<p class=\"nosource\">None of these functions' source files was "
			       "found (-source_path, -trim_path).</p>\n");
	return 0;
}

static const struct report_backend source = {
	.name = "html",
	.flags = REPORT_HAS_PARAM | REPORT_NO_TRIM | REPORT_LINES,
	.needs = { .input = REPORT_INPUT_LISTING, .obj_names = true },
	.render = source_render,
};

/* Runs b for sample type si into a fresh buffer out. */
static int run(const struct report *r, const struct report_backend *b, int si, const char *symbol,
	       struct sink *out, struct cprof_error *err)
{
	sink_init_mem(out);
	return r->runner->run(r->runner->ctx, b, si, symbol, out, err);
}

/* One sample type's panel: table, flame graph, call graph, sources. */
static int panel(const struct report *r, int si, struct sink *md, struct sink *out,
		 struct cprof_error *err)
{
	const struct profile *p = r->prof;
	const char *type = profile_str(p, p->types[si].type);
	sink_addf(md, "<section class=\"panel\" id=\"type-%d\"%s>\n\n", si,
		  si == r->opt.graph.sample_index ? "" : " hidden");
	struct sink part;
	sink_adds(md, "## Top: ");
	md_text(md, type, strlen(type));
	sink_adds(md, "\n\n");
	if (run(r, &table, si, NULL, &part, err) < 0)
		goto fail;
	add_block(md, "top", strbuf_str(&part.buf), part.buf.len);
	sink_release(&part);
	flush_markdown(md, out);

	sink_adds(md, "## Flame graph\n\n");
	if (run(r, &report_flame, si, NULL, &part, err) < 0)
		goto fail;
	add_picture(md, "flame", &part.buf);
	sink_release(&part);
	flush_markdown(md, out);

	sink_adds(md, "## Call graph\n\nDrag to pan, use the wheel to zoom.\n\n");
	if (run(r, &report_svg, si, NULL, &part, err) < 0)
		goto fail;
	add_picture(md, "callgraph", &part.buf);
	sink_release(&part);
	flush_markdown(md, out);

	sink_adds(md, "## Source of the heaviest functions\n\n");
	if (run(r, &heaviest, si, NULL, &part, err) < 0)
		goto fail;
	char *re = xstrdup(strbuf_str(&part.buf));
	sink_release(&part);
	struct cprof_error why = { "" };
	if (!*re)
		sink_adds(md, "No function has samples.\n\n");
	else if (run(r, &source, si, re, &part, &why) < 0)
		sink_addf(md, "No source listing: %s\n\n", why.msg);
	else
		add_block(md, "source", strbuf_str(&part.buf), part.buf.len);
	if (*re)
		sink_release(&part);
	free(re);
	sink_adds(md, "</section>\n\n");
	flush_markdown(md, out);
	return 0;
fail:
	sink_release(&part);
	return -1;
}

/* The header's lines: the profile's labels, the active filters and the totals, in the
 * unit top picks (the
 * report is prepared with a graph, which resolves -unit=minimum). */
static int labels_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	report_profile_labels(r, out);
	if (r->opt.n_active_filters > 0)
		sink_adds(out, "Active filters:\n");
	for (size_t i = 0; i < r->opt.n_active_filters; i++)
		sink_addf(out, "   %s\n", r->opt.active_filters[i]);
	char a[MEASURE_BUF], b[MEASURE_BUF];
	int si = r->opt.graph.sample_index;
	int64_t base = diff_base_total(r->prof, si);
	if (base != 0)
		sink_addf(out, "Base total: %s\nNew total: %s\n", report_value(r, a, base),
			  report_value(r, b, diff_new_total(r->prof, si)));
	sink_addf(out, "Total: %s\n", report_value(r, a, r->total));
	return 0;
}

static const struct report_backend labels = {
	.name = "html",
	.flags = REPORT_TEXT_COUNT,
	.needs = { .input = REPORT_INPUT_GRAPH, .inline_edges_only = true },
	.render = labels_render,
};

/* The header as a list, an active filter's indented lines as a sublist. */
static int header(const struct report *r, struct sink *md, struct cprof_error *err)
{
	struct sink lines;
	if (run(r, &labels, r->opt.graph.sample_index, NULL, &lines, err) < 0) {
		sink_release(&lines);
		return -1;
	}
	const char *s = strbuf_str(&lines.buf), *end = s + lines.buf.len;
	for (const char *nl; (nl = memchr(s, '\n', (size_t)(end - s))) != NULL; s = nl + 1) {
		const char *t = s;
		while (t < nl && *t == ' ')
			t++;
		sink_adds(md, t == s ? "- " : "  - ");
		md_text(md, t, (size_t)(nl - t));
		sink_addch(md, '\n');
	}
	sink_addch(md, '\n');
	sink_release(&lines);
	return 0;
}

static int html_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	if (!r->runner)
		return error_set(err, "the html report runs only from the command line");
	const struct profile *p = r->prof;
	sink_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'; "
		       "form-action 'none'\">\n"
		       "<meta name=\"generator\" content=\"cprof html\">\n<title>cprof: ");
	listing_html_escape(out, r->opt.sample_type);
	sink_adds(out, "</title>\n<style>\n");
	sink_adds(out, listing_html_style);
	sink_adds(out, page_style); /* after: its rules win */
	sink_adds(out, "</style>\n</head>\n<body>\n");

	struct sink md;
	sink_init_mem(&md);
	sink_adds(&md, "# cprof report\n\n");
	if (header(r, &md, err) < 0) {
		sink_release(&md);
		return -1;
	}
	sink_adds(&md, "<div class=\"tabs\" role=\"tablist\">\n");
	for (size_t t = 0; t < p->n_types; t++) {
		sink_addf(&md, "<button role=\"tab\" data-type=\"%zu\" aria-selected=\"%s\">", t,
			  (int)t == r->opt.graph.sample_index ? "true" : "false");
		uint32_t type = p->types[t].type, unit = p->types[t].unit;
		listing_html_escape_n(&md, profile_str(p, type), profile_str_len(p, type));
		if (profile_str_len(p, unit)) {
			sink_adds(&md, " (");
			listing_html_escape_n(&md, profile_str(p, unit), profile_str_len(p, unit));
			sink_addch(&md, ')');
		}
		sink_adds(&md, "</button>\n");
	}
	sink_adds(&md, "</div>\n\n");
	flush_markdown(&md, out);
	int rc = 0;
	for (size_t t = 0; t < p->n_types && rc == 0; t++)
		rc = panel(r, (int)t, &md, out, err);
	sink_release(&md);
	sink_adds(out, page_script);
	sink_adds(out, "</body>\n</html>\n");
	return rc;
}

const struct report_backend report_html = {
	.name = "html",
	.summary = "One self-contained HTML page: top table, flame graph, call graph, sources; "
		   "a tab per sample type",
	.away_suffix = "html",
	.flags = REPORT_COMPOSITE | REPORT_TEXT_COUNT,
	.default_nodecount = 100,
	.needs = { .input = REPORT_INPUT_PROFILE },
	.render = html_render,
};
