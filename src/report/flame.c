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
#include "util/sort.h"
#include "util/xalloc.h"

#define WIDTH 1200.0
#define ROW 16
#define TOP 66    /* the title, the subtitle and the buttons */
#define BOTTOM 24 /* the details line */

/* The graph is built from the distinct stacks, not sample by sample: each stack, as its
 * frames root first (keys: a frame's name rank, times two, plus one when inlined), with the
 * values of its samples summed. Sorted as key strings, the stacks under any one box are a
 * run, and the boxes at each depth are runs within their parent's; prefix sums give a run's
 * value at once. So a box narrower than -minwidth is left out without looking below it
 * (only to count what it hides), and the work is about the stacks' frames, not the tree's
 * nodes: a 20 MB profile's full tree has millions. */

/* One box drawn: a frame on one path, or (depth 0) the root. */
struct box {
	uint32_t info; /* the frame's name: r->locations->names[info] */
	uint32_t depth;
	bool inlined;
	int64_t value, base; /* new and (diffs) base values */
	double x;            /* start, in value units from the left */
};

struct flame {
	const char *const *names;
	const uint32_t *name_len; /* names[i] is name_len[i] bytes (a NUL inside is a byte) */
	uint32_t *info_of_rank;   /* a key's name rank back to an info */
	uint32_t *keys;           /* every used stack's keys, root first */
	size_t *off;              /* stack k's keys are keys[off[k] .. off[k + 1]) */
	size_t n_stacks;          /* used stacks, in key order after sorting */
	uint32_t *order;          /* used stacks in key order */
	uint64_t *sum, *sum_base; /* prefix sums over order: values (new) and base values */
	int64_t *value;           /* per used stack: its samples' summed value (new) */
	struct box *boxes;
	size_t n_boxes, cap_boxes;
};

static int cmp_rank(const void *a, const void *b, void *ctx)
{
	const struct flame *f = ctx;
	uint32_t l = *(const uint32_t *)a, r = *(const uint32_t *)b;
	size_t ln = f->name_len[l], rn = f->name_len[r];
	int c = memcmp(f->names[l], f->names[r], ln < rn ? ln : rn);
	if (c == 0)
		c = (ln > rn) - (ln < rn);
	return c ? c : (l > r) - (l < r);
}

static size_t stack_len(const struct flame *f, uint32_t k)
{
	return f->off[k + 1] - f->off[k];
}

/* Stacks a and b as key strings, from position from on: < 0, 0 or > 0. */
static int cmp_keys(const struct flame *f, uint32_t a, uint32_t b, size_t from)
{
	const uint32_t *ka = f->keys + f->off[a], *kb = f->keys + f->off[b];
	size_t la = stack_len(f, a), lb = stack_len(f, b), n = la < lb ? la : lb;
	for (size_t i = from; i < n; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return (la > lb) - (la < lb);
}

static int cmp_stacks(const void *a, const void *b, void *ctx)
{
	return cmp_keys(ctx, *(const uint32_t *)a, *(const uint32_t *)b, 0);
}

/* How many frames stacks a and b share, from position from on (they share those before). */
static size_t common(const struct flame *f, uint32_t a, uint32_t b, size_t from)
{
	const uint32_t *ka = f->keys + f->off[a], *kb = f->keys + f->off[b];
	size_t la = stack_len(f, a), lb = stack_len(f, b), n = la < lb ? la : lb, i = from;
	while (i < n && ka[i] == kb[i])
		i++;
	return i;
}

/* Collects every used stack's keys and summed values. */
static void collect(struct flame *f, const struct report *r)
{
	const struct profile *p = r->prof;
	const struct graph_locations *gl = r->locations;
	/* Name ranks: infos in name order (ties by index, so the order is total). */
	uint32_t *by_name = xmalloc((gl->n_infos + 1) * sizeof(*by_name));
	for (size_t i = 0; i < gl->n_infos; i++)
		by_name[i] = (uint32_t)i;
	sort_r(by_name, gl->n_infos, sizeof(*by_name), cmp_rank, f);
	uint32_t *rank = xmalloc((gl->n_infos + 1) * sizeof(*rank));
	for (size_t i = 0; i < gl->n_infos; i++)
		rank[by_name[i]] = (uint32_t)i;
	f->info_of_rank = by_name;

	/* Each stack's samples summed; slot[stack] numbers the used ones from 1. */
	uint32_t *slot = xcalloc(p->n_stacks + 1, sizeof(*slot));
	uint32_t *used = xmalloc((p->n_samples + 1) * sizeof(*used));
	int64_t *val = xmalloc((p->n_samples + 1) * sizeof(*val)), *bval;
	bval = xmalloc((p->n_samples + 1) * sizeof(*bval));
	struct diff_base db = diff_base_find(p);
	int si = r->opt.graph.sample_index;
	size_t n = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		int64_t x = v[si], d = r->opt.graph.mean ? v[0] : 0;
		if (d != 0)
			x = div64(x, d);
		uint32_t st = p->samples[s].stack;
		if (!slot[st]) {
			used[n] = st;
			val[n] = bval[n] = 0;
			slot[st] = (uint32_t)++n;
		}
		size_t k = slot[st] - 1;
		if (diff_base_sample(p, &db, &p->samples[s]))
			bval[k] = add64(bval[k], (int64_t)(0 - (uint64_t)x));
		else
			val[k] = add64(val[k], x);
	}
	free(slot);

	struct stack_buf stb = { 0 };
	size_t frames = 0;
	for (size_t k = 0; k < n; k++) {
		const uint32_t *locs = profile_stack(p, used[k], &stb);
		for (uint32_t i = 0; i < p->stacks[used[k]].depth; i++)
			frames += gl->loc_off[locs[i] + 1] - gl->loc_off[locs[i]];
	}
	f->keys = xmalloc((frames + 1) * sizeof(*f->keys));
	f->off = xmalloc((n + 1) * sizeof(*f->off));
	size_t at = 0;
	for (size_t k = 0; k < n; k++) {
		f->off[k] = at;
		const uint32_t *locs = profile_stack(p, used[k], &stb);
		for (uint32_t i = p->stacks[used[k]].depth; i-- > 0;) {
			uint32_t lo = gl->loc_off[locs[i]], hi = gl->loc_off[locs[i] + 1];
			for (uint32_t j = hi; j-- > lo;)
				f->keys[at++] = rank[gl->loc_nodes[j]] * 2 + (j != hi - 1);
		}
	}
	f->off[n] = at;
	stack_buf_release(&stb);
	free(rank);
	free(used);

	f->n_stacks = n;
	f->order = xmalloc((n + 1) * sizeof(*f->order));
	for (size_t k = 0; k < n; k++)
		f->order[k] = (uint32_t)k;
	sort_r(f->order, n, sizeof(*f->order), cmp_stacks, f);
	f->sum = xmalloc((n + 1) * sizeof(*f->sum));
	f->sum_base = xmalloc((n + 1) * sizeof(*f->sum_base));
	f->sum[0] = f->sum_base[0] = 0;
	for (size_t i = 0; i < n; i++) {
		f->sum[i + 1] = f->sum[i] + (uint64_t)val[f->order[i]];
		f->sum_base[i + 1] = f->sum_base[i] + (uint64_t)bval[f->order[i]];
	}
	f->value = val;
	free(bval);
}

/* The value and base value of the stacks at order[a .. b), wrapping as Go's int64 does. */
static int64_t run_value(const uint64_t *sum, size_t a, size_t b)
{
	return (int64_t)(sum[b] - sum[a]);
}

/* The boxes with a positive value among the stacks at order[a .. b) below depth d: one per
 * distinct path through them, counted as the frames each stack adds past the last such
 * stack before it. */
static size_t hidden(const struct flame *f, size_t a, size_t b, size_t d)
{
	size_t count = 0;
	uint32_t prev = UINT32_MAX;
	for (size_t i = a; i < b; i++) {
		uint32_t k = f->order[i];
		if (f->value[k] <= 0)
			continue;
		size_t shared = prev == UINT32_MAX ? d : common(f, prev, k, d);
		count += stack_len(f, k) - shared;
		prev = k;
	}
	return count;
}

static void add_box(struct flame *f, struct box b)
{
	if (f->n_boxes == f->cap_boxes) {
		f->cap_boxes = f->cap_boxes ? 2 * f->cap_boxes : 256;
		f->boxes = xrealloc(f->boxes, f->cap_boxes * sizeof(*f->boxes));
	}
	f->boxes[f->n_boxes++] = b;
}

/* A run of stacks that share their first `depth` frames, to be split at that depth: its
 * boxes start at x. */
struct pending {
	size_t a, b, depth;
	double x;
};

/* Finds the boxes at least min_value wide, root first, and counts those left out. */
static size_t place(struct flame *f, double min_value)
{
	size_t left_out = 0;
	int64_t total = run_value(f->sum, 0, f->n_stacks);
	if (total > 0 && (double)total >= min_value)
		add_box(f, (struct box){ .value = total,
					 .base = run_value(f->sum_base, 0, f->n_stacks) });
	else
		return total > 0 ? hidden(f, 0, f->n_stacks, 0) + 1 : hidden(f, 0, f->n_stacks, 0);
	struct pending *todo = xmalloc(64 * sizeof(*todo));
	size_t n_todo = 1, cap_todo = 64;
	todo[0] = (struct pending){ 0, f->n_stacks, 0, 0 };
	while (n_todo) {
		struct pending t = todo[--n_todo];
		size_t i = t.a;
		double x = t.x;
		while (i < t.b && stack_len(f, f->order[i]) <= t.depth)
			i++; /* stacks that end at the parent: its own value */
		while (i < t.b) {
			uint32_t key = f->keys[f->off[f->order[i]] + t.depth];
			size_t j = i + 1;
			while (j < t.b && f->keys[f->off[f->order[j]] + t.depth] == key)
				j++;
			int64_t v = run_value(f->sum, i, j);
			if (v > 0 && (double)v >= min_value) {
				add_box(f, (struct box){ .info = f->info_of_rank[key / 2],
							 .depth = (uint32_t)t.depth + 1,
							 .inlined = key & 1,
							 .value = v,
							 .base = run_value(f->sum_base, i, j),
							 .x = x });
				if (n_todo == cap_todo) {
					cap_todo *= 2;
					todo = xrealloc(todo, cap_todo * sizeof(*todo));
				}
				todo[n_todo++] = (struct pending){ i, j, t.depth + 1, x };
			} else {
				left_out += hidden(f, i, j, t.depth);
			}
			if (v > 0)
				x += (double)v;
			i = j;
		}
	}
	free(todo);
	return left_out;
}

static void flame_release(struct flame *f)
{
	free(f->info_of_rank);
	free(f->keys);
	free(f->off);
	free(f->order);
	free(f->sum);
	free(f->sum_base);
	free(f->value);
	free(f->boxes);
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

/* The first n bytes of s (NUL-terminated after them) escaped for XML text and attribute
 * values, control characters (NUL included: XML has no U+0000) and bytes that are not
 * UTF-8 as U+FFFD, never a sequence cut in two. */
static void add_xml_n(struct sink *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
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
	/* The picture this script is in: the document, or one of several SVGs inlined in
	 * an HTML page (the html report), each with its own frames and controls. */
	"  var me = document.currentScript, svg = me && me.closest('svg') || "
	"document.documentElement;\n"
	"  var W = 1200, total = +svg.getAttribute('data-total');\n"
	"  function byId(id) { return svg.querySelector('[id=\"' + id + '\"]'); }\n"
	"  var frames = [].slice.call(svg.querySelectorAll('g.f'));\n"
	"  var details = byId('details'), matched = byId('matched'), reset = byId('reset');\n"
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
	"  svg.cprofSearch = function (p) { return search(p ? new RegExp(p) : null); };\n"
	"  window.cprofSearch = svg.cprofSearch;\n"
	"  byId('search').addEventListener('click', function () {\n"
	"    var p = prompt('Search (regexp):', ''); if (p !== null) svg.cprofSearch(p); });\n"
	"})();\n"
	"]]></script>\n";

/* Draws box b at its depth: rect, label and, for the script, its extent and name. root is
 * the root box, for the shares. */
static void draw(const struct report *r, const struct flame *f, const struct box *n,
		 const struct box *root, double scale, int height, bool icicle, int64_t max_change,
		 struct sink *out)
{
	const char *name = n->depth == 0 ? "all" : f->names[n->info];
	size_t len = n->depth == 0 ? 3 : f->name_len[n->info];
	double px = n->x * scale, pw = (double)n->value * scale;
	int y = icicle ? TOP + (int)n->depth * ROW : height - BOTTOM - ((int)n->depth + 1) * ROW;
	char colour[32], a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF + 1], d[MEASURE_BUF];
	if (max_change > 0)
		diff_colour((double)sub64(n->value, n->base) / (double)max_change, colour);
	else
		package_colour(name, colour);
	sink_addf(out,
		  "<g class=\"f\" data-x=\"%.17g\" data-w=\"%" PRId64 "\" data-c=\"%s\" data-n=\"",
		  n->x, n->value, colour);
	add_xml_n(out, name, len);
	sink_adds(out, "\"><title>");
	add_xml_n(out, name, len);
	if (n->inlined)
		sink_adds(out, " (inline)");
	if (max_change > 0) {
		int64_t change = sub64(n->value, n->base);
		snprintf(c, sizeof(c), "%s%s", change > 0 ? "+" : "", report_value(r, d, change));
		const char *pct = report_percent(d, change, root->base);
		sink_addf(out, ": new %s, base %s, change %s (%s of the base total)",
			  report_value(r, a, n->value), report_value(r, b, n->base), c, pct);
	} else {
		const char *pct = report_percent(b, n->value, root->value);
		sink_addf(out, ": %s (%s)", report_value(r, a, n->value), pct);
	}
	sink_addf(out,
		  "</title><rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"%s/>"
		  "<text x=\"%.2f\" y=\"%d\">",
		  px, y, pw, ROW - 1, colour,
		  n->inlined ? " stroke=\"#555\" stroke-dasharray=\"3,2\"" : "", px + 3, y + 11);
	/* The characters that fit in the box, counted up to what decides how the name is
	 * cut (where values of both signs cancel out in the root's, a box can be far wider
	 * than the picture). */
	double room = (pw - 6) / 7;
	size_t cap = len > 3 ? len : 3;
	size_t fit = !(room > 0) ? 0 : room >= (double)cap ? cap : (size_t)room;
	if (fit >= 3 && len <= fit) {
		add_xml_n(out, name, len);
	} else if (fit >= 3) {
		add_xml_n(out, name, fit - 2);
		sink_adds(out, "..");
	}
	sink_adds(out, "</text></g>\n");
}

static int flame_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	struct report copy = *r; /* "minimum" is each value's own best unit here */
	if (strcmp(copy.opt.output_unit, "minimum") == 0)
		snprintf(copy.opt.output_unit, sizeof(copy.opt.output_unit), "auto");
	struct flame f = { .names = (const char *const *)r->locations->names,
			   .name_len = r->locations->name_len };
	collect(&f, r);
	int64_t all = run_value(f.sum, 0, f.n_stacks),
		all_base = run_value(f.sum_base, 0, f.n_stacks);
	bool diff = all_base != 0;
	int64_t total = all > 0 ? all : 0, max_change = 0;
	double min_value = r->opt.flame_minwidth / 100 * (double)total;
	size_t left_out = place(&f, min_value);
	uint32_t depth = 0;
	for (size_t i = 0; i < f.n_boxes; i++) {
		const struct box *n = &f.boxes[i];
		depth = n->depth > depth ? n->depth : depth;
		int64_t change = abs64(sub64(n->value, n->base)); /* wraps as the totals do */
		if (diff && n->depth > 0 && change > max_change)
			max_change = change;
	}
	if (diff && max_change == 0)
		max_change = 1;
	int height = TOP + ((int)depth + 1) * ROW + BOTTOM;
	double scale = total > 0 ? WIDTH / (double)total : 0;
	sink_addf(out,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" class=\"cprof-flame\" data-total=\"%" PRId64 "\">\n"
		  /* Scoped: inlined in an HTML page, a style applies to the whole page. */
		  "<style>.cprof-flame text { font: 12px monospace; fill: #000; "
		  "pointer-events: none; }\n"
		  ".cprof-flame g.f rect { stroke-width: 0.5; } "
		  ".cprof-flame g.f:hover rect { stroke: #000; }\n"
		  ".cprof-flame .b { cursor: pointer; fill: #333; }</style>\n"
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
	/* The shares are of the root's values (drawn first, when it is drawn at all). */
	const struct box root = { .value = all, .base = all_base };
	for (size_t i = 0; i < f.n_boxes; i++)
		draw(&copy, &f, &f.boxes[i], &root, scale, height, r->opt.flame_icicle, max_change,
		     out);
	sink_addf(out, "<text id=\"details\" x=\"10\" y=\"%d\"> </text>\n%s</svg>\n", height - 8,
		  script);
	flame_release(&f);
	return 0;
}

const struct report_backend report_flame = {
	.name = "flame",
	.summary = "A flame graph: one standalone SVG, to hover, zoom and search in a browser",
	.away_suffix = "svg",
	.needs = { .input = REPORT_INPUT_LOCATIONS },
	.render = flame_render,
};
