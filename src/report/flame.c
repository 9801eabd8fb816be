/* flame: cprof's own report, a flame graph as one standalone SVG file. Each box is a frame
 * on one distinct call path, as wide as its value; the root is at the bottom (-icicle puts
 * it on top), and a frame's children are in name order, so that two graphs of one program
 * line up. Frames are the names traces prints at the same granularity; inlined ones are
 * drawn with a dashed border. Boxes narrower than -minwidth percent of the total are left
 * out, and the title says how many. Colours: by package (a stable hash of it, so that a
 * package keeps its colour from one profile to the next); for a -diff_base profile, widths
 * are the new profile's and colours go from blue (shrank) to red (grew). A small script
 * shows a frame's name and value under the pointer, zooms into a frame on a click, finds
 * the frames matching a regexp (Search) and gives the share of the total they hold, each
 * path counted once, and resets the zoom. Nothing is fetched: the file opens from disk. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "report/report.h"
#include "util/goint.h"
#include "util/hashmap.h"
#include "util/sort.h"
#include "util/xalloc.h"

#define WIDTH 1200.0
#define ROW 16
#define TOP 66    /* the title, the subtitle and the buttons */
#define BOTTOM 24 /* the details line */

/* One box: a frame on one path. Node 0 is the root (all samples). */
struct fnode {
	uint32_t info; /* the frame's name: r->locations->names[info] */
	uint32_t parent;
	uint32_t first, n_kids; /* children: kids[first .. first + n_kids) */
	uint32_t depth;
	bool inlined;
	int64_t value, base; /* new and (diffs) base values */
	double x;            /* start, in value units from the left */
};

struct flame {
	struct fnode *nodes;
	size_t n, cap;
	uint32_t *kids;       /* node indexes grouped by parent, each group in name order */
	struct hashmap index; /* (parent, info, inlined) -> node */
	const char *const *names;
};

static uint32_t child(struct flame *f, uint32_t parent, uint32_t info, bool inlined)
{
	uint64_t h = hash_u64(((uint64_t)parent << 32 | info) * 2 + inlined);
	for (;;) {
		uint32_t ix = hashmap_get(&f->index, h);
		if (ix == HASHMAP_NONE)
			break;
		const struct fnode *c = &f->nodes[ix];
		if (c->parent == parent && c->info == info && c->inlined == inlined)
			return ix;
		h = hash_u64(h + 1);
	}
	if (f->n == f->cap) {
		f->cap *= 2;
		f->nodes = xrealloc(f->nodes, f->cap * sizeof(*f->nodes));
	}
	uint32_t ix = (uint32_t)f->n++;
	f->nodes[ix] = (struct fnode){ .info = info,
				       .parent = parent,
				       .depth = f->nodes[parent].depth + 1,
				       .inlined = inlined };
	hashmap_put(&f->index, h, ix);
	return ix;
}

/* Adds sample s (value v, to base when it is a base sample) along its path. */
static void add_sample(struct flame *f, const struct report *r, size_t s, int64_t v, bool base,
		       struct stack_buf *stb)
{
	const struct profile *p = r->prof;
	const struct graph_locations *gl = r->locations;
	const struct sample *sa = &p->samples[s];
	const uint32_t *stack = profile_stack(p, sa->stack, stb);
	uint32_t at = 0;
	if (base)
		f->nodes[0].base = add64(f->nodes[0].base, v);
	else
		f->nodes[0].value = add64(f->nodes[0].value, v);
	for (uint32_t i = p->stacks[sa->stack].depth; i-- > 0;) {
		uint32_t lo = gl->loc_off[stack[i]], hi = gl->loc_off[stack[i] + 1];
		for (uint32_t k = hi; k-- > lo;) {
			at = child(f, at, gl->loc_nodes[k], k != hi - 1);
			struct fnode *n = &f->nodes[at];
			if (base)
				n->base = add64(n->base, v);
			else
				n->value = add64(n->value, v);
		}
	}
}

static int cmp_kids(const void *a, const void *b, void *ctx)
{
	const struct flame *f = ctx;
	const struct fnode *l = &f->nodes[*(const uint32_t *)a],
			   *r = &f->nodes[*(const uint32_t *)b];
	if (l->parent != r->parent)
		return l->parent < r->parent ? -1 : 1;
	int c = strcmp(f->names[l->info], f->names[r->info]);
	return c ? c : (int)l->inlined - (int)r->inlined;
}

/* Groups the children of each node, in name order, and places every box: a child starts
 * where its elder siblings end. Parents come before their children in the node array, so
 * one pass in that order places them all (no recursion: stacks can be 100,000 deep). */
static void layout(struct flame *f)
{
	f->kids = xmalloc((f->n + 1) * sizeof(*f->kids));
	for (size_t i = 1; i < f->n; i++)
		f->kids[i - 1] = (uint32_t)i;
	sort_r(f->kids, f->n - 1, sizeof(*f->kids), cmp_kids, f);
	for (size_t k = 0; k + 1 < f->n; k++) {
		struct fnode *par = &f->nodes[f->nodes[f->kids[k]].parent];
		if (par->n_kids++ == 0)
			par->first = (uint32_t)k;
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct fnode *n = &f->nodes[i];
		double x = n->x;
		for (uint32_t k = 0; k < n->n_kids; k++) {
			struct fnode *c = &f->nodes[f->kids[n->first + k]];
			c->x = x;
			x += c->value > 0 ? (double)c->value : 0;
		}
	}
}

/* A stable colour per package (the name up to the first '.' after its last '/', or to
 * "::"), in the warm hues of flame graphs. */
static void package_colour(const char *name, char out[32])
{
	const char *slash = strrchr(name, '/'), *start = slash ? slash + 1 : name;
	size_t n = strcspn(start, ".:( ");
	size_t len = (size_t)(start - name) + n;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	snprintf(out, 32, "hsl(%u,%u%%,%u%%)", h % 56, 62 + (h >> 8) % 25, 55 + (h >> 16) % 12);
}

/* Blue to red by a change relative to the largest change (rel in -1 .. 1). */
static void diff_colour(double rel, char out[32])
{
	int fade = (int)lround(255 * (1 - fabs(rel)));
	if (rel >= 0)
		snprintf(out, 32, "rgb(255,%d,%d)", fade, fade);
	else
		snprintf(out, 32, "rgb(%d,%d,255)", fade, fade);
}

/* The length of the valid UTF-8 sequence at s (NUL-terminated), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t len = s[0] < 0x80   ? 1
		     : s[0] < 0xc2 ? 0
		     : s[0] < 0xe0 ? 2
		     : s[0] < 0xf0 ? 3
		     : s[0] < 0xf5 ? 4
				   : 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* The first n bytes of s (at most) escaped for XML text and attribute values, control
 * characters and bytes that are not UTF-8 as U+FFFD, never a sequence cut in two. */
static void add_xml_n(struct sink *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n && u[i];) {
		size_t len = utf8_seq(u + i);
		if (len > 1 && i + len > n)
			break;
		if (len == 0 || u[i] < 0x20) {
			sink_adds(out, "&#xfffd;");
			i++;
			continue;
		}
		if (u[i] == '&')
			sink_adds(out, "&amp;");
		else if (u[i] == '<')
			sink_adds(out, "&lt;");
		else if (u[i] == '>')
			sink_adds(out, "&gt;");
		else if (u[i] == '"')
			sink_adds(out, "&quot;");
		else
			sink_add(out, s + i, len);
		i += len;
	}
}

static void add_xml(struct sink *out, const char *s)
{
	add_xml_n(out, s, strlen(s));
}

static const char script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"(function () {\n"
	"  var svg = document.documentElement, W = 1200, total = +svg.getAttribute('data-total');\n"
	"  var frames = [].slice.call(document.querySelectorAll('g.f'));\n"
	"  var details = document.getElementById('details'), matched = "
	"document.getElementById('matched');\n"
	"  var reset = document.getElementById('reset');\n"
	"  function num(g, a) { return +g.getAttribute(a); }\n"
	"  function label(g, w) {\n"
	"    var n = g.getAttribute('data-n'), c = Math.floor((w - 6) / 7);\n"
	"    g.querySelector('text').textContent = c < 3 ? '' : n.length <= c ? n : n.slice(0, c - "
	"2) "
	"+ '..';\n"
	"  }\n"
	"  function place(zx, zw) {\n"
	"    frames.forEach(function (g) {\n"
	"      var x = num(g, 'data-x'), w = num(g, 'data-w');\n"
	"      var lo = Math.max(x, zx), hi = Math.min(x + w, zx + zw);\n"
	"      if (hi <= lo) { g.style.display = 'none'; return; }\n"
	"      g.style.display = '';\n"
	"      var px = (lo - zx) / zw * W, pw = (hi - lo) / zw * W, r = g.querySelector('rect');\n"
	"      r.setAttribute('x', px.toFixed(2)); r.setAttribute('width', pw.toFixed(2));\n"
	"      g.querySelector('text').setAttribute('x', (px + 3).toFixed(2)); label(g, pw);\n"
	"    });\n"
	"  }\n"
	"  frames.forEach(function (g) {\n"
	"    g.addEventListener('mouseover', function () {\n"
	"      details.textContent = g.querySelector('title').textContent; });\n"
	"    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
	"    g.addEventListener('click', function () {\n"
	"      place(num(g, 'data-x'), num(g, 'data-w')); reset.style.display = ''; });\n"
	"  });\n"
	"  reset.addEventListener('click', function () { place(0, total); reset.style.display = "
	"'none'; });\n"
	"  function search(re) {\n"
	"    var spans = [], covered = 0, end = -Infinity;\n"
	"    frames.forEach(function (g) {\n"
	"      var hit = re !== null && re.test(g.getAttribute('data-n'));\n"
	"      g.querySelector('rect').setAttribute('fill', hit ? 'rgb(230,0,230)' : "
	"g.getAttribute('data-c'));\n"
	"      if (hit) spans.push([num(g, 'data-x'), num(g, 'data-x') + num(g, 'data-w')]);\n"
	"    });\n"
	"    spans.sort(function (a, b) { return a[0] - b[0]; });\n"
	"    spans.forEach(function (s) {\n"
	"      if (s[1] <= end) return;\n"
	"      covered += s[1] - Math.max(s[0], end); end = s[1];\n"
	"    });\n"
	"    var share = total > 0 ? covered / total * 100 : 0;\n"
	"    matched.textContent = re === null ? '' : 'Matched: ' + share.toFixed(2) + '%';\n"
	"    return share;\n"
	"  }\n"
	"  window.cprofSearch = function (p) { return search(p ? new RegExp(p) : null); };\n"
	"  document.getElementById('search').addEventListener('click', function () {\n"
	"    var p = prompt('Search (regexp):', ''); if (p !== null) window.cprofSearch(p); });\n"
	"})();\n"
	"]]></script>\n";

/* Draws node i at its depth: rect, label and, for the script, its extent and name. */
static void draw(const struct report *r, const struct flame *f, uint32_t i, double scale,
		 int height, bool icicle, int64_t max_change, struct sink *out)
{
	const struct fnode *n = &f->nodes[i];
	const char *name = i == 0 ? "all" : f->names[n->info];
	double px = n->x * scale, pw = (double)n->value * scale;
	int y = icicle ? TOP + (int)n->depth * ROW : height - BOTTOM - ((int)n->depth + 1) * ROW;
	char colour[32], a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF + 1], d[MEASURE_BUF];
	if (max_change > 0)
		diff_colour((double)(n->value - n->base) / (double)max_change, colour);
	else
		package_colour(name, colour);
	sink_addf(out,
		  "<g class=\"f\" data-x=\"%.17g\" data-w=\"%" PRId64 "\" data-c=\"%s\" data-n=\"",
		  n->x, n->value, colour);
	add_xml(out, name);
	sink_adds(out, "\"><title>");
	add_xml(out, name);
	if (n->inlined)
		sink_adds(out, " (inline)");
	if (max_change > 0) {
		int64_t change = n->value - n->base;
		snprintf(c, sizeof(c), "%s%s", change > 0 ? "+" : "", report_value(r, d, change));
		const char *pct = report_percent(d, change, f->nodes[0].base);
		sink_addf(out, ": new %s, base %s, change %s (%s of the base total)",
			  report_value(r, a, n->value), report_value(r, b, n->base), c, pct);
	} else {
		const char *pct = report_percent(b, n->value, f->nodes[0].value);
		sink_addf(out, ": %s (%s)", report_value(r, a, n->value), pct);
	}
	sink_addf(out,
		  "</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"%s/>"
		  "<text x=\"%.2f\" y=\"%d\">",
		  px, y, pw, ROW - 1, colour,
		  n->inlined ? " stroke=\"#555\" stroke-dasharray=\"3,2\"" : "", px + 3, y + 11);
	int fit = (int)((pw - 6) / 7);
	if (fit >= 3 && strlen(name) <= (size_t)fit) {
		add_xml(out, name);
	} else if (fit >= 3) {
		add_xml_n(out, name, (size_t)fit - 2);
		sink_adds(out, "..");
	}
	sink_adds(out, "</text></g>\n");
}

static int flame_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	struct report copy = *r; /* "minimum" is each value's own best unit here */
	if (strcmp(copy.opt.output_unit, "minimum") == 0)
		snprintf(copy.opt.output_unit, sizeof(copy.opt.output_unit), "auto");
	struct flame f = { .cap = 1024, .names = (const char *const *)r->locations->names };
	f.nodes = xcalloc(f.cap, sizeof(*f.nodes));
	f.n = 1;
	hashmap_init(&f.index, 1024);
	struct diff_base db = diff_base_find(p);
	struct stack_buf stb = { 0 };
	int si = r->opt.graph.sample_index;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		int64_t val = v[si], d = r->opt.graph.mean ? v[0] : 0;
		if (d != 0)
			val = div64(val, d);
		bool base = diff_base_sample(p, &db, &p->samples[s]);
		add_sample(&f, r, s, base ? (int64_t)(0 - (uint64_t)val) : val, base, &stb);
	}
	stack_buf_release(&stb);
	layout(&f);
	bool diff = f.nodes[0].base != 0;
	int64_t total = f.nodes[0].value > 0 ? f.nodes[0].value : 0, max_change = 0;
	double min_value = r->opt.flame_minwidth / 100 * (double)total;
	size_t left_out = 0;
	uint32_t depth = 0;
	for (size_t i = 0; i < f.n; i++) {
		const struct fnode *n = &f.nodes[i];
		if (n->value <= 0 || (double)n->value < min_value) {
			left_out += n->value > 0;
			continue;
		}
		depth = n->depth > depth ? n->depth : depth;
		int64_t change = abs64(n->value - n->base);
		if (diff && i > 0 && change > max_change)
			max_change = change;
	}
	if (diff && max_change == 0)
		max_change = 1;
	int height = TOP + ((int)depth + 1) * ROW + BOTTOM;
	double scale = total > 0 ? WIDTH / (double)total : 0;
	sink_addf(out,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" data-total=\"%" PRId64 "\">\n"
		  "<style>text { font: 12px monospace; fill: #000; pointer-events: none; }\n"
		  "g.f rect { stroke-width: 0.5; } g.f:hover rect { stroke: #000; }\n"
		  ".b { cursor: pointer; fill: #333; }</style>\n"
		  "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
		  "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" style=\"font-size:16px\">",
		  (int)WIDTH, height, (int)WIDTH, height, total, (int)WIDTH / 2);
	sink_adds(out, diff ? "Differential flame graph (new - base, widths by the new profile): "
			    : "Flame graph: ");
	add_xml(out, r->opt.sample_type);
	sink_addf(out, "</text>\n<text x=\"%d\" y=\"38\" text-anchor=\"middle\">", (int)WIDTH / 2);
	char a[MEASURE_BUF];
	sink_addf(out, "total %s", report_value(&copy, a, total));
	if (left_out)
		sink_addf(out, "; %zu frame%s narrower than %g%% left out", left_out,
			  left_out == 1 ? "" : "s", r->opt.flame_minwidth);
	sink_adds(out, "</text>\n"
		       "<text id=\"reset\" class=\"b\" x=\"10\" y=\"58\" style=\"display:none\">"
		       "Reset Zoom</text>\n"
		       "<text id=\"search\" class=\"b\" x=\"1110\" y=\"58\">Search</text>\n"
		       "<text id=\"matched\" x=\"1000\" y=\"58\" text-anchor=\"end\"></text>\n");
	for (size_t i = 0; i < f.n; i++) {
		const struct fnode *n = &f.nodes[i];
		if (n->value > 0 && (double)n->value >= min_value)
			draw(&copy, &f, (uint32_t)i, scale, height, r->opt.flame_icicle, max_change,
			     out);
	}
	sink_addf(out, "<text id=\"details\" x=\"10\" y=\"%d\"> </text>\n%s</svg>\n", height - 8,
		  script);
	free(f.nodes);
	free(f.kids);
	hashmap_release(&f.index);
	return 0;
}

const struct report_backend report_flame = {
	.name = "flame",
	.summary = "A flame graph: one standalone SVG, to hover, zoom and search in a browser",
	.away_suffix = "svg",
	.needs = { .input = REPORT_INPUT_LOCATIONS },
	.render = flame_render,
};
