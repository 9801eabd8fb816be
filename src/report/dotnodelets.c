/* The nodelets under a node of the DOT graph: pprof's addNodelets and numericNodelets, the
 * node's heaviest label sets and its numeric tags, collapsed into ranges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "report/dot.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* A tag as the nodelets show it: one of the node's, or a group of numeric ones. */
struct nodelet {
	const char *name; /* the tag's name (name_len bytes); NULL for a group */
	size_t name_len;
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

static const char *nodelet_name(const struct nodelet *t, size_t *len)
{
	*len = t->name ? t->name_len : strlen(t->range);
	return t->name ? t->name : t->range;
}

/* pprof's SortTags: heavier first (cum unless *flat, then flat), then by name. */
static int cmp_nodelets(const void *a, const void *b, void *flat)
{
	const struct nodelet *l = a, *r = b;
	if (!*(bool *)flat && l->cum != r->cum) {
		int64_t lc = abs64(l->cum), rc = abs64(r->cum);
		if (lc != rc)
			return lc > rc ? -1 : 1;
	}
	if (l->flat != r->flat) {
		int64_t lf = abs64(l->flat), rf = abs64(r->flat);
		if (lf != rf)
			return lf > rf ? -1 : 1;
	}
	size_t ln, rn;
	const char *ls = nodelet_name(l, &ln), *rs = nodelet_name(r, &rn);
	int c = memcmp(ls, rs, ln < rn ? ln : rn);
	return c ? c : (ln > rn) - (ln < rn);
}

static void sort_nodelets(struct nodelet *t, size_t n, bool flat)
{
	sort_r(t, n, sizeof(*t), cmp_nodelets, &flat);
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
	snprintf(out->range, sizeof(out->range), "%s..%s",
		 measure_label(a, min->value, unit, "auto"),
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

/* pprof's numericNodelets: the numeric tags (collapsed to four) under source. Returns
 * whether it drew any. */
static bool numeric_nodelets(struct sink *out, const struct report *r, struct nodelet *t, size_t n,
			     bool flat, const char *source, const char *unit)
{
	n = collapse(t, n, 4, flat, unit);
	bool drew = false;
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
		size_t len;
		const char *name = nodelet_name(&t[j], &len);
		sink_addf(out, "N%s_%zu [label = \"", source, j);
		sink_add(out, name, len);
		sink_addf(out, "\" id=\"N%s_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", source,
			  j, weight);
		sink_addf(out,
			  "%s -> N%s_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
			  "labeltooltip=\"%s\"%s]\n",
			  source, source, j, weight, weight, weight, attr);
		drew = true;
	}
	return drew;
}

static struct nodelet as_nodelet(const struct node_tags *tags, const struct node_tag *t)
{
	struct nodelet n;
	memset(&n, 0, sizeof(n));
	uint32_t at = t->name == NODETAGS_LABEL ? t->label : t->name;
	n.name = tags->names[at];
	n.name_len = tags->name_len[at];
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
bool dot_nodelets(struct sink *out, const struct report *r, const struct graph *g, uint32_t info,
		  size_t id, bool has_out)
{
	const struct node_tags *tags = g->tags;
	if (!tags || tags->off[info] == tags->off[info + 1])
		return false;
	size_t total = tags->off[info + 1] - tags->off[info];
	struct nodelet *ts = xmalloc(total * sizeof(*ts)), *nts = xmalloc(total * sizeof(*nts));
	size_t n = 0;
	bool drew = false;
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
		sink_addf(out, "N%zu_%zu [label = \"", id, i);
		sink_add(out, ts[i].name, ts[i].name_len);
		sink_addf(out, "\" id=\"N%zu_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", id, i,
			  weight);
		sink_addf(out,
			  "N%zu -> N%zu_%zu [label=\" %s\" weight=100 tooltip=\"%s\" "
			  "labeltooltip=\"%s\"]\n",
			  id, id, i, weight, weight, weight);
		drew = true;
		size_t m = numeric_tags(tags, info, ts[i].label, nts);
		if (m) {
			snprintf(src, sizeof(src), "N%zu_%zu", id, i);
			drew |= numeric_nodelets(out, r, nts, m, flat, src, tags->unit);
		}
	}
	size_t m = numeric_tags(tags, info, 0, nts);
	if (m) {
		char src[32];
		snprintf(src, sizeof(src), "N%zu", id);
		drew |= numeric_nodelets(out, r, nts, m, flat, src, tags->unit);
	}
	free(ts);
	free(nts);
	return drew;
}
