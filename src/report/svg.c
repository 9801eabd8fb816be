/* svg: the call graph drawn by graphviz in process (render.c), made for browsers as
 * pprof's massageSVG makes it: the picture fills the window inside a "viewport" group that
 * a small embedded script pans (drag) and zooms (wheel, around the pointer). Each node's
 * <title> is its function's name. */
#include <string.h>

#include "report/render.h"

/* Our own pan and zoom: the viewport group's transform is matrix(k,0,0,k,x,y). */
static const char pan_zoom_script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"(function () {\n"
	/* The picture this script is in: the document, or an SVG inlined in an HTML page
	 * (the html report), which may hold several. */
	"  var me = document.currentScript, svg = me && me.closest('svg') || "
	"document.documentElement;\n"
	"  var view = svg.querySelector('[id=\"viewport\"]');\n"
	"  if (!view) return;\n"
	"  var k = 0.5, x = 0, y = 0, drag = null;\n"
	"  function apply() {\n"
	"    view.setAttribute('transform', 'matrix(' + k + ',0,0,' + k + ',' + x + ',' + y + "
	"')');\n"
	"  }\n"
	"  function at(e) {\n"
	"    var box = svg.getBoundingClientRect();\n"
	"    return { x: e.clientX - box.left, y: e.clientY - box.top };\n"
	"  }\n"
	"  svg.addEventListener('wheel', function (e) {\n"
	"    e.preventDefault();\n"
	"    if (!e.deltaY) return;\n"
	"    var p = at(e), f = e.deltaY < 0 ? 1.25 : 0.8;\n"
	"    if (k * f < 0.01 || k * f > 100) return;\n"
	"    x = p.x - (p.x - x) * f;\n"
	"    y = p.y - (p.y - y) * f;\n"
	"    k *= f;\n"
	"    apply();\n"
	"  }, { passive: false });\n"
	"  svg.addEventListener('mousedown', function (e) {\n"
	"    if (e.button !== 0) return;\n"
	"    drag = { x: e.clientX - x, y: e.clientY - y };\n"
	"    e.preventDefault();\n"
	"  });\n"
	"  window.addEventListener('mousemove', function (e) {\n"
	"    if (!drag) return;\n"
	"    x = e.clientX - drag.x;\n"
	"    y = e.clientY - drag.y;\n"
	"    apply();\n"
	"  });\n"
	"  window.addEventListener('mouseup', function () { drag = null; });\n"
	"  apply();\n"
	"})();\n"
	"]]></script>\n";

/* The end of the root element's width, height and viewBox attributes, when s + at starts
 * the root element as graphviz writes it; else 0. */
static size_t root_size_end(const char *s, size_t at)
{
	const char *p = s + at + 4;
	static const char *const attrs[] = { "width=\"", "height=\"", "viewBox=\"" };
	for (size_t i = 0; i < 3; i++) {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		size_t n = strlen(attrs[i]);
		if (strncmp(p, attrs[i], n) != 0)
			return 0;
		const char *q = strchr(p + n, '"');
		if (!q || q == p + n)
			return 0;
		p = q + 1;
	}
	return (size_t)(p - s);
}

/* Copies a node group's header with its <title> replaced by the name in its tooltip (what
 * precedes the last " (" of "NAME (VALUE)"); returns where the copied part ends. */
static const char *node_title(struct strbuf *out, const char *g)
{
	const char *t = strstr(g, "<title>"), *te = t ? strstr(t, "</title>") : NULL;
	const char *end = strstr(g, "</g>");
	const char *tip = t ? strstr(t, "xlink:title=\"") : NULL;
	if (!te || !end || !tip || tip > end)
		return g;
	tip += strlen("xlink:title=\"");
	const char *tip_end = strchr(tip, '"'), *cut = NULL;
	for (const char *p = tip; p && p < tip_end; p++)
		if (p[0] == ' ' && p[1] == '(')
			cut = p;
	if (!cut)
		return g;
	strbuf_add(out, g, (size_t)(t - g) + strlen("<title>"));
	strbuf_add(out, tip, (size_t)(cut - tip));
	return te;
}

static void massage(struct strbuf *out, const char *s, size_t len)
{
	const char *root = strstr(s, "<svg");
	const char *graph0 = strstr(s, "<g id=\"graph0\"");
	const char *close = NULL;
	for (const char *p = strstr(s, "</svg>"); p; p = strstr(p + 1, "</svg>"))
		close = p;
	if (!root || !graph0 || !close || graph0 < root || close < graph0) {
		strbuf_add(out, s, len);
		return;
	}
	size_t size_end = root_size_end(s, (size_t)(root - s));
	const char *p = s;
	if (size_end) {
		strbuf_add(out, s, (size_t)(root - s));
		strbuf_adds(out, "<svg width=\"100%\" height=\"100%\"");
		p = s + size_end;
	}
	strbuf_add(out, p, (size_t)(graph0 - p));
	strbuf_adds(out, "<g id=\"viewport\" transform=\"matrix(0.5,0,0,0.5,0,0)\">\n");
	p = graph0;
	/* Node groups: <g id="nodeN" class="node">. Nodelets (class "node" too) keep
	 * graphviz's title, their own id. */
	for (;;) {
		const char *g = strstr(p, "<g id=\"node");
		if (!g || g > close)
			break;
		strbuf_add(out, p, (size_t)(g - p));
		const char *next = node_title(out, g);
		if (next == g) {
			strbuf_addch(out, *g);
			next = g + 1;
		}
		p = next;
	}
	strbuf_add(out, p, (size_t)(close - p));
	strbuf_adds(out, "</g>\n");
	strbuf_adds(out, pan_zoom_script);
	strbuf_add(out, close, len - (size_t)(close - s));
}

static int svg_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	struct strbuf raw = STRBUF_INIT;
	if (render_graph(r, "svg", &raw, err) < 0) {
		strbuf_release(&raw);
		return -1;
	}
	/* Graphviz leaves some ampersands unquoted ("&;"): pprof fixes them, so do we. */
	struct strbuf fixed = STRBUF_INIT;
	const char *p = strbuf_str(&raw);
	for (const char *a; (a = strstr(p, "&;")); p = a + 2) {
		strbuf_add(&fixed, p, (size_t)(a - p));
		strbuf_adds(&fixed, "&amp;;");
	}
	strbuf_adds(&fixed, p);
	struct strbuf page = STRBUF_INIT;
	massage(&page, strbuf_str(&fixed), fixed.len);
	sink_add(out, page.buf, page.len);
	strbuf_release(&page);
	strbuf_release(&fixed);
	strbuf_release(&raw);
	return 0;
}

const struct report_backend report_svg = {
	.name = "svg",
	.summary = "Call graph drawn as SVG, to pan and zoom in a browser",
	.away_suffix = "svg",
	.needs = REPORT_NEEDS_DOT,
	.render = svg_render,
};
