/* dot: the call graph in Graphviz's DOT language, as pprof's -dot prints it (its
 * ComposeDot): a legend box with the report's header, one box per node sized and coloured
 * by weight, one arrow per edge with its weight. The pictures (svg, png, ...) draw this text. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "report/report.h"
#include "util/path.h"
#include "util/xalloc.h"

/* escapeForDot: backslashes and quotes escaped, newlines made left-justified breaks. */
static void add_escaped(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			strbuf_adds(out, "\\\\");
		else if (s[i] == '"')
			strbuf_adds(out, "\\\"");
		else if (s[i] == '\n')
			strbuf_adds(out, "\\l");
		else
			strbuf_addch(out, s[i]);
	}
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Go's `.`: any byte up to the end of the line. */
static size_t line_len(const char *s)
{
	return strcspn(s, "\n");
}

/* pprof's goVerRegExp: drops the first "/vN" (N >= 2) module major version followed by '.'
 * or '/'. The whole name must be one line for it to apply. */
static void drop_major_version(struct strbuf *sb)
{
	if (memchr(sb->buf, '\n', sb->len))
		return;
	for (size_t i = 0; i + 1 < sb->len; i++) {
		if (sb->buf[i] != '/' || sb->buf[i + 1] != 'v')
			continue;
		size_t d = i + 2, k = d;
		while (k < sb->len && sb->buf[k] >= '0' && sb->buf[k] <= '9')
			k++;
		size_t nd = k - d;
		if (nd == 0 || k >= sb->len || (sb->buf[k] != '.' && sb->buf[k] != '/'))
			continue;
		if ((nd == 1 && sb->buf[d] >= '2') || (nd >= 2 && sb->buf[d] != '0')) {
			memmove(sb->buf + i, sb->buf + k, sb->len - k + 1);
			sb->len -= k - i;
			return;
		}
	}
}

/* pprof's goRegExp: what follows the last "dir/" of a leading run of path elements made of
 * word characters, '-' and '.', up to the end of the line; NULL when there is none. */
static const char *go_short(const char *f, size_t *len)
{
	/* Path elements hold no newline, so they all lie within the first line. */
	size_t line = line_len(f), pos = 0, last = 0;
	bool any = false;
	for (;;) {
		size_t k = pos;
		while (is_word(f[k]) || f[k] == '-' || f[k] == '.')
			k++;
		if (k == pos || f[k] != '/')
			break;
		pos = k + 1;
		if (pos < line) {
			last = pos;
			any = true;
		}
	}
	if (!any)
		return NULL;
	*len = line - last;
	return f + last;
}

/* pprof's javaRegExp: Class.method of a dotted Java name followed by '(' or the end. */
static const char *java_short(const char *f, size_t *len)
{
	size_t pos = 0;
	for (;;) {
		if (!is_lower(f[pos]))
			break;
		size_t k = pos + 1;
		while (is_word(f[k]))
			k++;
		if (f[k] != '.')
			break;
		pos = k + 1;
	}
	if (!is_upper(f[pos]))
		return NULL;
	size_t k = pos + 1;
	while (is_word(f[k]) || f[k] == '$')
		k++;
	if (f[k] != '.')
		return NULL;
	k++;
	if (strncmp(f + k, "<init>", 6) == 0) {
		k += 6;
	} else {
		if (!is_lower(f[k]))
			return NULL;
		k++;
		while (is_word(f[k]) || f[k] == '$')
			k++;
	}
	if (f[k] != '(' && f[k] != '\0')
		return NULL;
	*len = k - pos;
	return f + pos;
}

static bool is_ident_start(char c)
{
	return is_word(c) && !(c >= '0' && c <= '9');
}

/* The Class::method (with any template arguments) of cppRegExp starting at f + k, or 0. */
static size_t cpp_method(const char *f, size_t k, size_t last_gt)
{
	size_t b = k;
	while (f[k] == '_')
		k++;
	if (!is_upper(f[k]))
		return 0;
	k++;
	while (is_word(f[k]))
		k++;
	if (f[k] != ':' || f[k + 1] != ':')
		return 0;
	k += 2;
	if (f[k] == '~')
		k++;
	if (!is_ident_start(f[k]))
		return 0;
	k++;
	while (is_word(f[k]))
		k++;
	/* "<.*>" takes everything up to the line's last '>'. */
	if (f[k] == '<' && last_gt != SIZE_MAX && last_gt > k)
		k = last_gt + 1;
	return k - b;
}

/* pprof's cppRegExp: Class::method after the most namespaces that still leave one. */
static const char *cpp_short(const char *f, size_t *len)
{
	size_t line = line_len(f), last_gt = SIZE_MAX;
	for (size_t i = line; i-- > 0;)
		if (f[i] == '>') {
			last_gt = i;
			break;
		}
	const char *best = NULL;
	size_t pos = 0;
	for (;;) {
		if (!is_ident_start(f[pos]))
			break;
		size_t k = pos + 1;
		while (is_word(f[k]))
			k++;
		if (f[k] != ':' || f[k + 1] != ':')
			break;
		pos = k + 2;
		size_t n = cpp_method(f, pos, last_gt);
		if (n) {
			best = f + pos;
			*len = n;
		}
	}
	return best;
}

/* pprof's ShortenFunctionName, into out. */
static void shorten_name(struct strbuf *out, const char *name)
{
	static const char anon[] = "(anonymous namespace)::";
	struct strbuf sb = STRBUF_INIT;
	if (strncmp(name, anon, sizeof(anon) - 1) == 0)
		name += sizeof(anon) - 1;
	strbuf_adds(&sb, name);
	drop_major_version(&sb);
	const char *f = strbuf_str(&sb), *s;
	size_t n = 0;
	if ((s = go_short(f, &n)) || (s = java_short(f, &n)) || (s = cpp_short(f, &n)))
		strbuf_add(out, s, n);
	else
		strbuf_adds(out, f);
	strbuf_release(&sb);
}

/* pprof's multilinePrintableName: the node's name parts, one per line (package, type and
 * function of a shortened name on lines of their own), each line ending in "\n". */
static void add_node_name(struct strbuf *out, const struct profile *p, const struct node_info *i)
{
	if (i->address)
		strbuf_addf(out, "%016" PRIx64 "\\n", i->address);
	const char *name = profile_str(p, i->name);
	if (*name) {
		struct strbuf sh = STRBUF_INIT, esc = STRBUF_INIT;
		shorten_name(&sh, name);
		add_escaped(&esc, sh.buf ? sh.buf : "", sh.len);
		const char *e = strbuf_str(&esc);
		for (size_t k = 0; k < esc.len;) {
			if (strncmp(e + k, "::", 2) == 0) {
				strbuf_adds(out, "\\n");
				k += 2;
			} else if (strncmp(e + k, "[...]", 5) == 0) {
				strbuf_adds(out, "[\xe2\x80\xa6]");
				k += 5;
			} else if (e[k] == '.') {
				strbuf_adds(out, "\\n");
				k++;
			} else {
				strbuf_addch(out, e[k++]);
			}
		}
		strbuf_adds(out, "\\n");
		strbuf_release(&sh);
		strbuf_release(&esc);
	}
	const char *file = profile_str(p, i->file), *obj = profile_str(p, i->objfile);
	char *base = xmalloc(strlen(file) + strlen(obj) + 2);
	if (i->lineno != 0)
		strbuf_addf(out, "%s:%" PRId64 "\\n", *file ? path_base(base, file) : "", i->lineno);
	else if (*file)
		strbuf_addf(out, "%s\\n", path_base(base, file));
	else if (*name)
		;
	else if (*obj)
		strbuf_addf(out, "[%s]\\n", path_base(base, obj));
	else
		strbuf_adds(out, "<unknown>\\n");
	free(base);
}

/* pprof's dotColor: grey near 0, shading to red for positive and green for negative
 * scores in [-1, 1]; light for backgrounds. */
static const char *dot_color(char buf[8], double score, bool background)
{
	double saturation = background ? 0.1 : 1.0, value = background ? 0.93 : 0.7;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 0.3);
	if (score < 0.0)
		score = -pow(-score, 0.3);
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(buf, 8, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0),
		 (unsigned)(uint8_t)(g * 255.0), (unsigned)(uint8_t)(b * 255.0));
	return buf;
}

static double fraction(int64_t v, int64_t total)
{
	return (double)v / (double)abs64(total);
}

static const char *percent(char buf[MEASURE_BUF], int64_t v, int64_t total)
{
	const char *s = measure_percent(buf, v, total);
	while (*s == ' ')
		s++;
	return s;
}

/* The title: the main binary's base name, as pprof's report options take it. */
static void add_title(struct strbuf *out, const struct profile *p)
{
	const char *file = p->n_mappings ? profile_str(p, p->mappings[0].file) : "";
	if (!*file)
		return;
	char *base = xmalloc(strlen(file) + 2);
	strbuf_adds(out, path_base(base, file));
	free(base);
}

static void add_legend(struct strbuf *out, const struct report *r, const struct graph *g,
		       const char *title)
{
	struct strbuf lines = STRBUF_INIT;
	report_legend(r, g, true, &lines);
	const char *s = strbuf_str(&lines);
	size_t first = strcspn(s, "\n");
	strbuf_adds(out, "subgraph cluster_L { \"");
	add_escaped(out, s, first);
	strbuf_adds(out, "\" [shape=box fontsize=16 label=\"");
	for (const char *l = s; *l;) {
		size_t n = strcspn(l, "\n");
		add_escaped(out, l, n);
		strbuf_adds(out, "\\l");
		l += n + (l[n] == '\n');
	}
	strbuf_addch(out, '"');
	if (*title)
		strbuf_addf(out, " tooltip=\"%s\"", title);
	strbuf_adds(out, "] }\n");
	strbuf_release(&lines);
}

static void add_node(struct strbuf *out, const struct report *r, const struct graph *g,
		     const struct graph_node *n, size_t id, double max_flat)
{
	int64_t flat = graph_flat(n), cum = graph_cum(n);
	char fv[MEASURE_BUF], cv[MEASURE_BUF], pct[MEASURE_BUF], c1[8], c2[8];
	strbuf_addf(out, "N%zu [label=\"", id);
	add_node_name(out, r->prof, &g->infos[n->info]);
	const char *flat_value = report_value(r, fv, flat), *cum_value = flat_value;
	if (flat != 0)
		strbuf_addf(out, "%s (%s)", flat_value, percent(pct, flat, r->total));
	else
		strbuf_adds(out, "0");
	if (cum != flat) {
		strbuf_adds(out, flat != 0 ? "\\n" : " ");
		cum_value = report_value(r, cv, cum);
		strbuf_addf(out, "of %s (%s)", cum_value, percent(pct, cum, r->total));
	}
	/* Font sizes grow from 8 to 24 with the square root of the share of the top flat. */
	int font = 8;
	double af = (double)abs64(flat);
	if (max_flat != 0 && flat != 0 && af <= max_flat)
		font += (int)ceil(16.0 * sqrt(af / max_flat));
	strbuf_addf(out, "\" id=\"node%zu\" fontsize=%d shape=box tooltip=\"", id, font);
	const char *name = g->names[n->info];
	add_escaped(out, name, strlen(name));
	strbuf_addf(out, " (%s)\" color=\"%s\" fillcolor=\"%s\"]\n", cum_value,
		    dot_color(c1, fraction(cum, r->total), false),
		    dot_color(c2, fraction(cum, r->total), true));
}

/* A tag as the nodelets show it: one of the node's, or a group of numeric ones. */
struct nodelet {
	const char *name;                /* the tag's name; NULL for a group */
	uint32_t label;                  /* the tag's labels string (index in node_tags.names) */
	char range[2 * MEASURE_BUF + 4]; /* a group's "MIN..MAX" */
	int64_t value, flat, flat_div, cum, cum_div;
};

static int64_t nodelet_flat(const struct nodelet *t)
{
	return t->flat_div == 0 ? t->flat : div64(t->flat, t->flat_div);
}

static int64_t nodelet_cum(const struct nodelet *t)
{
	return t->cum_div == 0 ? t->cum : div64(t->cum, t->cum_div);
}

static const char *nodelet_name(const struct nodelet *t)
{
	return t->name ? t->name : t->range;
}

static bool sort_flat;

/* pprof's SortTags: heavier first (cum unless flat, then flat), then by name. */
static int cmp_nodelets(const void *a, const void *b)
{
	const struct nodelet *l = a, *r = b;
	if (!sort_flat && l->cum != r->cum) {
		int64_t lc = abs64(l->cum), rc = abs64(r->cum);
		if (lc != rc)
			return lc > rc ? -1 : 1;
	}
	if (l->flat != r->flat) {
		int64_t lf = abs64(l->flat), rf = abs64(r->flat);
		if (lf != rf)
			return lf > rf ? -1 : 1;
	}
	return strcmp(nodelet_name(l), nodelet_name(r));
}

static void sort_nodelets(struct nodelet *t, size_t n, bool flat)
{
	sort_flat = flat;
	qsort(t, n, sizeof(*t), cmp_nodelets);
}

static double scale(int64_t v, const char *from, const char *to)
{
	char unit[16];
	return measure_scale(v, from, to, unit);
}

/* pprof's tagGroupLabel: the range of a group of numeric tags and its summed weights. */
static void group_label(struct nodelet *out, const struct nodelet *g, size_t n, const char *unit)
{
	char a[MEASURE_BUF], b[MEASURE_BUF];
	memset(out, 0, sizeof(*out));
	if (n == 1) {
		snprintf(out->range, sizeof(out->range), "%s",
			 measure_label(a, g[0].value, unit, "auto"));
		out->flat = nodelet_flat(&g[0]);
		out->cum = nodelet_cum(&g[0]);
		return;
	}
	const struct nodelet *min = &g[0], *max = &g[0];
	int64_t f = g[0].flat, df = g[0].flat_div, c = g[0].cum, dc = g[0].cum_div;
	for (size_t i = 1; i < n; i++) {
		if (f2i(scale(g[i].value, unit, unit)) < min->value)
			min = &g[i];
		if (f2i(scale(g[i].value, unit, unit)) > max->value)
			max = &g[i];
		f = add64(f, g[i].flat);
		df = add64(df, g[i].flat_div);
		c = add64(c, g[i].cum);
		dc = add64(dc, g[i].cum_div);
	}
	if (df != 0)
		f = div64(f, df);
	if (dc != 0)
		c = div64(c, dc);
	snprintf(out->range, sizeof(out->range), "%s..%s", measure_label(a, min->value, unit, "auto"),
		 measure_label(b, max->value, unit, "auto"));
	out->flat = f;
	out->cum = c;
}

/* pprof's collapsedTags: more than count numeric tags are gathered in count groups around
 * the heaviest ones, each labelled with its range. Returns how many are left in t. */
static size_t collapse(struct nodelet *t, size_t n, size_t count, bool flat, const char *unit)
{
	sort_nodelets(t, n, flat);
	if (n <= count)
		return n;
	size_t *group = xmalloc(n * sizeof(*group));
	for (size_t i = 0; i < n; i++) {
		group[i] = i;
		if (i < count)
			continue;
		double d = fabs(scale(t[0].value, unit, unit) - (double)t[i].value);
		group[i] = 0;
		for (size_t k = 1; k < count; k++) {
			double nd = fabs(scale(t[k].value, unit, unit) - (double)t[i].value);
			if (nd < d) {
				group[i] = k;
				d = nd;
			}
		}
	}
	struct nodelet *members = xmalloc(n * sizeof(*members));
	struct nodelet *groups = xmalloc(count * sizeof(*groups));
	for (size_t k = 0; k < count; k++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (group[i] == k)
				members[m++] = t[i];
		group_label(&groups[k], members, m, unit);
	}
	for (size_t k = 0; k < count; k++)
		t[k] = groups[k];
	free(members);
	free(groups);
	free(group);
	sort_nodelets(t, count, flat);
	return count;
}

/* pprof's numericNodelets: the numeric tags (collapsed to four) under source. */
static void numeric_nodelets(struct strbuf *out, const struct report *r, struct nodelet *t,
			     size_t n, bool flat, const char *source, const char *unit)
{
	n = collapse(t, n, 4, flat, unit);
	for (size_t j = 0; j < n; j++) {
		int64_t w = nodelet_cum(&t[j]);
		const char *attr = " style=\"dotted\"";
		if (flat || nodelet_flat(&t[j]) == nodelet_cum(&t[j])) {
			w = nodelet_flat(&t[j]);
			attr = "";
		}
		if (w == 0)
			continue;
		char wv[MEASURE_BUF];
		const char *weight = report_value(r, wv, w);
		const char *name = nodelet_name(&t[j]);
		strbuf_addf(out,
			    "N%s_%zu [label = \"%s\" id=\"N%s_%zu\" fontsize=8 shape=box3d "
			    "tooltip=\"%s\"]\n",
			    source, j, name, source, j, weight);
		strbuf_addf(out,
			    "%s -> N%s_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
			    "labeltooltip=\"%s\"%s]\n",
			    source, source, j, weight, weight, weight, attr);
	}
}

static struct nodelet as_nodelet(const struct node_tags *tags, const struct node_tag *t)
{
	struct nodelet n;
	memset(&n, 0, sizeof(n));
	n.name = tags->names[t->name == NODETAGS_LABEL ? t->label : t->name];
	n.label = t->label;
	n.value = t->value;
	n.flat = t->flat;
	n.flat_div = t->flat_div;
	n.cum = t->cum;
	n.cum_div = t->cum_div;
	return n;
}

/* The numeric tags of info under the labels string label, into t; returns how many. */
static size_t numeric_tags(const struct node_tags *tags, uint32_t info, uint32_t label,
			   struct nodelet *t)
{
	size_t n = 0;
	for (size_t i = tags->off[info]; i < tags->off[info + 1]; i++) {
		const struct node_tag *tg = &tags->tags[i];
		if (tg->name != NODETAGS_LABEL && tg->label == label)
			t[n++] = as_nodelet(tags, tg);
	}
	return n;
}

/* pprof's addNodelets: boxes under the node for its heaviest label sets (with their
 * numeric tags under them) and its numeric tags. Returns whether it drew any. */
static bool add_nodelets(struct strbuf *out, const struct report *r, const struct graph *g,
			 uint32_t info, size_t id, bool has_out)
{
	const struct node_tags *tags = g->tags;
	if (!tags || tags->off[info] == tags->off[info + 1])
		return false;
	size_t total = tags->off[info + 1] - tags->off[info];
	struct nodelet *ts = xmalloc(total * sizeof(*ts)), *nts = xmalloc(total * sizeof(*nts));
	size_t n = 0, before = out->len;
	for (size_t i = tags->off[info]; i < tags->off[info + 1]; i++)
		if (tags->tags[i].name == NODETAGS_LABEL)
			ts[n++] = as_nodelet(tags, &tags->tags[i]);
	/* Leaves show cum tags (weight of dropped callees included); others flat ones. */
	bool flat = has_out;
	sort_nodelets(ts, n, flat);
	if (n > 4)
		n = 4;
	for (size_t i = 0; i < n; i++) {
		int64_t w = flat ? nodelet_flat(&ts[i]) : nodelet_cum(&ts[i]);
		if (w == 0)
			continue;
		char wv[MEASURE_BUF], src[64];
		const char *weight = report_value(r, wv, w);
		strbuf_addf(out,
			    "N%zu_%zu [label = \"%s\" id=\"N%zu_%zu\" fontsize=8 shape=box3d "
			    "tooltip=\"%s\"]\n",
			    id, i, ts[i].name, id, i, weight);
		strbuf_addf(out,
			    "N%zu -> N%zu_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
			    "labeltooltip=\"%s\"]\n",
			    id, id, i, weight, weight, weight);
		size_t m = numeric_tags(tags, info, ts[i].label, nts);
		if (m) {
			snprintf(src, sizeof(src), "N%zu_%zu", id, i);
			numeric_nodelets(out, r, nts, m, flat, src, tags->unit);
		}
	}
	size_t m = numeric_tags(tags, info, 0, nts);
	if (m) {
		char src[32];
		snprintf(src, sizeof(src), "N%zu", id);
		numeric_nodelets(out, r, nts, m, flat, src, tags->unit);
	}
	free(ts);
	free(nts);
	return out->len != before;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void add_edge(struct strbuf *out, const struct report *r, const struct graph *g,
		     const struct graph_edge *e, size_t from, size_t to, bool minlen)
{
	char wv[MEASURE_BUF], col[8];
	int64_t w = e->weight_div == 0 ? e->weight : div64(e->weight, e->weight_div);
	const char *ws = report_value(r, wv, w);
	strbuf_addf(out, "N%zu -> N%zu [label=\" %s%s\"", from, to, ws,
		    e->inlined ? "\\n (inline)" : "");
	int64_t total = r->total;
	if (total != 0) {
		/* Go's int64 arithmetic wraps; so does this. */
		int64_t weight = 1 + min64(abs64(div64((int64_t)((uint64_t)w * 100), total)), 100);
		if (weight > 1)
			strbuf_addf(out, " weight=%" PRId64, weight);
		int64_t width = 1 + min64(abs64(div64((int64_t)((uint64_t)w * 5), total)), 5);
		if (width > 1)
			strbuf_addf(out, " penwidth=%" PRId64, width);
		strbuf_addf(out, " color=\"%s\"", dot_color(col, fraction(w, total), false));
	}
	struct strbuf tip = STRBUF_INIT;
	strbuf_addch(&tip, '"');
	add_escaped(&tip, g->names[e->src], strlen(g->names[e->src]));
	strbuf_adds(&tip, e->residual ? " ... " : " -> ");
	add_escaped(&tip, g->names[e->dst], strlen(g->names[e->dst]));
	strbuf_addf(&tip, " (%s)\"", ws);
	strbuf_addf(out, " tooltip=%s labeltooltip=%s", tip.buf, tip.buf);
	strbuf_release(&tip);
	if (e->residual)
		strbuf_adds(out, " style=\"dotted\"");
	/* Callers with nodelets keep their callees further away. */
	if (minlen)
		strbuf_adds(out, " minlen=2");
	strbuf_adds(out, "]\n");
}

static int dot_render(struct report *r, struct strbuf *out, struct cprof_error *err)
{
	(void)err;
	struct graph g;
	r->opt.graph.visual = true;
	r->opt.graph.call_tree = r->opt.call_tree;
	r->opt.graph.tag_unit = r->opt.output_unit;
	graph_build(&g, r->prof, &r->opt.graph);
	report_select_unit(r, &g);

	struct strbuf title = STRBUF_INIT;
	add_title(&title, r->prof);
	const char *t = strbuf_str(&title);
	strbuf_addf(out, "digraph \"%s\" {\n", *t ? t : "unnamed");
	strbuf_adds(out, "node [style=filled fillcolor=\"#f8f8f8\"]\n");
	add_legend(out, r, &g, t);

	if (g.n_nodes > 0) {
		size_t *id = xcalloc(g.n_infos + 1, sizeof(*id));
		double max_flat = (double)abs64(graph_flat(&g.nodes[0]));
		for (size_t i = 0; i < g.n_nodes; i++) {
			id[g.nodes[i].info] = i + 1;
			double f = (double)abs64(graph_flat(&g.nodes[i]));
			if (f > max_flat)
				max_flat = f;
		}
		bool *has_out = xcalloc(g.n_infos + 1, sizeof(*has_out));
		bool *nodelets = xcalloc(g.n_infos + 1, sizeof(*nodelets));
		for (size_t e = 0; e < g.n_edges; e++)
			if (!g.edges[e].removed)
				has_out[g.edges[e].src] = true;
		for (size_t i = 0; i < g.n_nodes; i++) {
			uint32_t info = g.nodes[i].info;
			add_node(out, r, &g, &g.nodes[i], i + 1, max_flat);
			nodelets[info] = add_nodelets(out, r, &g, info, i + 1, has_out[info]);
		}

		const struct graph_edge **edges = xmalloc((g.n_edges + 1) * sizeof(*edges));
		size_t n = 0;
		for (size_t e = 0; e < g.n_edges; e++)
			/* As pprof: an edge into a node the graph left out (zero weight) leads
			 * to "N0". */
			if (!g.edges[e].removed && id[g.edges[e].src])
				edges[n++] = &g.edges[e];
		report_sort_edges(&g, edges, n);
		for (size_t e = 0; e < n; e++)
			add_edge(out, r, &g, edges[e], id[edges[e]->src], id[edges[e]->dst],
				 nodelets[edges[e]->src]);
		free(edges);
		free(has_out);
		free(nodelets);
		free(id);
	}
	strbuf_adds(out, "}\n");
	strbuf_release(&title);
	graph_release(&g);
	return 0;
}

const struct report_backend report_dot = {
	.name = "dot",
	.summary = "Outputs a graph in DOT format",
	.render = dot_render,
};
