/* Report context shared by the backends: totals, unit choice and the header legend. */
#include "report/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/listing.h"
#include "util/path.h"
#include "util/sort.h"
#include "util/xalloc.h"

void report_init(struct report *r, const struct profile *p, const struct report_options *o,
		 int64_t total)
{
	memset(r, 0, sizeof(*r));
	r->prof = p;
	r->opt = *o;
	r->total = total;
}

static int build_graph(struct report *r, const struct report_needs *n, struct cprof_error *err)
{
	struct graph_options o = r->opt.graph;
	o.visual = n->visual;
	o.obj_names = n->obj_names;
	o.call_tree = n->call_tree && r->opt.call_tree;
	o.inline_edges_only = n->inline_edges_only;
	if (n->visual) /* numeric tags are labelled in the unit the report settles on */
		o.tag_unit = r->opt.output_unit;
	r->opt.whole_units = n->whole_units;
	r->opt.graph = o;
	r->graph = xmalloc(sizeof(*r->graph));
	graph_build(r->graph, r->prof, &o);
	if (n->input == REPORT_INPUT_LISTING) {
		r->listing = xmalloc(sizeof(*r->listing));
		if (listing_build(r->listing, r->graph, r->opt.symbol, err) < 0) {
			free(r->listing);
			r->listing = NULL;
			return -1;
		}
		r->files = r->listing->files;
		r->n_files = r->listing->n_files;
		return 0;
	}
	report_select_unit(r, r->graph);
	if (n->match_symbol && r->opt.symbol_re) {
		for (size_t i = 0; i < r->graph->n_nodes; i++) {
			uint32_t info = r->graph->nodes[i].info;
			if (regex_match_n(r->opt.symbol_re, r->graph->names[info],
					  r->graph->name_len[info]))
				return 0;
		}
		return error_set(err, "no matches found for regexp: %s",
				 regex_pattern(r->opt.symbol_re));
	}
	return 0;
}

int report_prepare(struct report *r, const struct report_backend *b, struct cprof_error *err)
{
	const struct report_needs *n = &b->needs;
	switch (n->input) {
	case REPORT_INPUT_PROFILE:
		return 0;
	case REPORT_INPUT_LOCATIONS: {
		/* pprof builds these nodes with default options: no trimmed paths, no binary
		 * names. */
		struct graph_options o = r->opt.graph;
		o.raw_paths = true;
		o.obj_names = n->obj_names;
		r->locations = xmalloc(sizeof(*r->locations));
		graph_locations_build(r->locations, r->prof, &o);
		return 0;
	}
	case REPORT_INPUT_GRAPH:
	case REPORT_INPUT_LISTING:
		return build_graph(r, n, err);
	}
	return 0;
}

int report_render(struct report *r, const struct report_backend *b, struct sink *out,
		  struct cprof_error *err)
{
	if (r->listing)
		listing_fill(r->listing);
	return b->render(r, out, err);
}

void report_release(struct report *r)
{
	if (r->listing)
		listing_release(r->listing);
	free(r->listing);
	if (r->graph)
		graph_release(r->graph);
	free(r->graph);
	if (r->locations)
		graph_locations_release(r->locations);
	free(r->locations);
	r->listing = NULL;
	r->graph = NULL;
	r->locations = NULL;
	r->files = NULL;
	r->n_files = 0;
}

void report_profile_release(struct report_profile *rp)
{
	profile_free(rp->owned);
	rp->owned = NULL;
	rp->prof = NULL;
}

/* v times -divide_by's ratio, as pprof scales values for display. */
static int64_t apply_ratio(const struct report *r, int64_t v)
{
	return r->opt.ratio > 0 && r->opt.ratio != 1 ? f2i((double)v * r->opt.ratio) : v;
}

const char *report_value(const struct report *r, char buf[MEASURE_BUF], int64_t v)
{
	v = apply_ratio(r, v);
	return measure_label(buf, v, r->opt.sample_unit, r->opt.output_unit);
}

void report_select_unit(struct report *r, const struct graph *g)
{
	if (strcmp(r->opt.output_unit, "minimum") != 0 || g->n_nodes == 0)
		return;
	int64_t min = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		int64_t v = abs64(graph_flat(&g->nodes[i]));
		if (v == 0)
			v = abs64(graph_cum(&g->nodes[i]));
		if (v > 0 && (min == 0 || v < min))
			min = v;
	}
	int64_t max = apply_ratio(r, r->total);
	min = apply_ratio(r, min == 0 ? r->total : min);
	char min_unit[16], max_unit[16], unit[16];
	measure_scale(min, r->opt.sample_unit, "minimum", min_unit);
	measure_scale(max, r->opt.sample_unit, "minimum", max_unit);
	memcpy(unit, min_unit, sizeof(unit));
	int64_t min100 = (int64_t)((uint64_t)min * 100);
	if (strcmp(min_unit, max_unit) != 0 && min100 < max && !r->opt.whole_units)
		measure_scale(min100, r->opt.sample_unit, "minimum", unit);
	snprintf(r->opt.output_unit, sizeof(r->opt.output_unit), "%s",
		 *unit ? unit : r->opt.sample_unit);
}

/* Go's time layout "Jan 2, 2006 at 3:04pm (MST)" in the local zone. */
static void add_time(struct sink *out, int64_t nanos)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t secs = nanos / 1000000000;
	if (nanos % 1000000000 < 0)
		secs--;
	time_t t = (time_t)secs;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		sink_addf(out, "%" PRId64, nanos);
		return;
	}
	int h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	sink_addf(out, "%s %d, %d at %d:%02d%s (%s)", months[tm.tm_mon], tm.tm_mday,
		  tm.tm_year + 1900, h12, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm",
		  tm.tm_zone ? tm.tm_zone : "UTC");
}

size_t report_profile_labels(const struct report *r, struct sink *out)
{
	size_t n = 0;
	const struct profile *p = r->prof;
	char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF];
	if (p->n_mappings > 0) {
		uint32_t file = p->mappings[0].file;
		size_t len = profile_str_len(p, file);
		if (len) {
			char *base = xmalloc(len + 2);
			size_t blen = path_base_n(base, profile_str(p, file), len);
			sink_adds(out, "File: ");
			sink_add(out, base, blen);
			sink_addch(out, '\n');
			free(base);
			n++;
		}
		const char *id = profile_str(p, p->mappings[0].build_id);
		if (*id || profile_str_len(p, p->mappings[0].build_id)) {
			sink_adds(out, "Build ID: ");
			sink_add(out, id, profile_str_len(p, p->mappings[0].build_id));
			sink_addch(out, '\n');
			n++;
		}
	}
	for (size_t i = 0; i < p->n_comments; i++) {
		const char *cmt = profile_str(p, p->comments[i]);
		if (cmt[0] != '#') {
			sink_add(out, cmt, profile_str_len(p, p->comments[i]));
			sink_addch(out, '\n');
			n++;
		}
	}
	if (r->opt.sample_type[0]) {
		sink_addf(out, "Type: %s\n", r->opt.sample_type);
		n++;
	}
	if (p->time_nanos != 0) {
		sink_adds(out, "Time: ");
		add_time(out, p->time_nanos);
		sink_addch(out, '\n');
		n++;
	}
	if (p->duration_nanos != 0) {
		char unit[16];
		double total_ns = measure_scale(r->total, r->opt.sample_unit, "nanoseconds", unit);
		sink_addf(out, "Duration: %s, Total samples = %s ",
			  measure_label(a, p->duration_nanos, "nanoseconds", "auto"),
			  report_value(r, b, r->total));
		if (strcmp(unit, "ns") == 0 && total_ns != 0)
			sink_addf(out, "(%s)",
				  measure_percent(c, f2i(total_ns), p->duration_nanos));
		sink_addch(out, '\n');
		n++;
	}
	return n;
}

const char *report_percent(char buf[MEASURE_BUF], int64_t v, int64_t total)
{
	const char *s = measure_percent(buf, v, total);
	while (*s == ' ')
		s++;
	return s;
}

const char *report_inline_mark(const struct graph_node *n)
{
	return !n->in_inline ? "" : n->in_direct ? " (partial-inline)" : " (inline)";
}

static const char *trim_space(char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static void dropped(struct sink *out, size_t n, const char *what, const char *measure,
		    const char *value)
{
	sink_addf(out, "Dropped %zu %s%s (%s <= %s)\n", n, what, n > 1 ? "s" : "", measure, value);
}

void report_legend(const struct report *r, const struct graph *g, bool full, struct sink *out)
{
	char a[MEASURE_BUF], b[MEASURE_BUF], c[MEASURE_BUF];
	if (full || !r->opt.compact_labels)
		report_profile_labels(r, out);
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		flat_sum = add64(flat_sum, graph_flat(&g->nodes[i]));
	if (r->opt.n_active_filters > 0)
		sink_adds(out, "Active filters:\n");
	for (size_t i = 0; i < r->opt.n_active_filters; i++) {
		const char *f = r->opt.active_filters[i];
		size_t n = strlen(f);
		/* pprof cuts a long filter at 80 bytes, even inside a UTF-8 sequence. */
		sink_adds(out, "   ");
		sink_add(out, f, n > 80 ? 80 : n);
		sink_adds(out, n > 80 ? "\xe2\x80\xa6\n" : "\n");
	}
	sink_addf(out, "Showing nodes accounting for %s, %s of %s total\n",
		  report_value(r, a, flat_sum),
		  trim_space((char *)measure_percent(b, flat_sum, r->total)),
		  report_value(r, c, r->total));
	if (r->total != 0) {
		const struct graph_options *o = &r->opt.graph;
		if (g->dropped_nodes > 0)
			dropped(out, g->dropped_nodes, "node", "cum",
				report_value(r, a,
					     abs64(f2i((double)r->total * o->node_fraction))));
		if (full && g->dropped_edges > 0)
			dropped(out, g->dropped_edges, "edge", "freq",
				report_value(r, a,
					     abs64(f2i((double)r->total * o->edge_fraction))));
		if (g->n_nodes > 0 && g->n_nodes < g->orig_count)
			sink_addf(out, "Showing top %zu nodes out of %zu\n", g->n_nodes,
				  g->orig_count);
	}
	if (full)
		sink_adds(out, "\nSee https://git.io/JfYMW for how to read the graph\n");
}

static int cmp_edges(const void *a, const void *b, void *g)
{
	return graph_edge_order(g, *(const struct graph_edge *const *)a,
				*(const struct graph_edge *const *)b);
}

void report_sort_edges(const struct graph *g, const struct graph_edge **edges, size_t n)
{
	sort_r(edges, n, sizeof(*edges), cmp_edges, (void *)g);
}

/* report_sort_edges, by insertion (stable, as glibc's merge sort) while n is small: most
 * nodes have a few edges or none, and a call tree has a node per calling context. */
static void sort_group(const struct graph *g, const struct graph_edge **l, size_t n)
{
	if (n > 16) {
		report_sort_edges(g, l, n);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		const struct graph_edge *e = l[i];
		size_t j = i;
		for (; j > 0 && graph_edge_order(g, l[j - 1], e) > 0; j--)
			l[j] = l[j - 1];
		l[j] = e;
	}
}

/* Fills *off (n + 2 offsets) and *list with the kept edges of g grouped by their src
 * (out) or dst, each group in pprof's edge order. */
static void group_edges(const struct graph *g, bool out, size_t **off,
			const struct graph_edge ***list)
{
	size_t n = g->n_infos;
	/* A counting sort in one array: o[k + 2] counts k's edges (the last group's count is
	 * not needed), then o[k + 1] is the start of k's group, advanced past it as its edges
	 * go in, so that o[k] ends as the start. */
	size_t *o = xcalloc(n + 2, sizeof(*o));
	for (size_t e = 0; e < g->n_edges; e++) {
		uint32_t k = out ? g->edges[e].src : g->edges[e].dst;
		if (!g->edges[e].removed && (size_t)k + 1 < n)
			o[k + 2]++;
	}
	for (size_t i = 1; i < n; i++)
		o[i + 1] += o[i];
	const struct graph_edge **l = xmalloc((g->n_edges + 1) * sizeof(*l));
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *ed = &g->edges[e];
		if (!ed->removed)
			l[o[(out ? ed->src : ed->dst) + 1]++] = ed;
	}
	for (size_t i = 0; i < n; i++)
		sort_group(g, l + o[i], o[i + 1] - o[i]);
	*off = o;
	*list = l;
}

void report_edges_init(struct report_edges *re, const struct graph *g)
{
	group_edges(g, false, &re->in_off, &re->ins);
	group_edges(g, true, &re->out_off, &re->outs);
}

void report_edges_init_outs(struct report_edges *re, const struct graph *g)
{
	re->ins = NULL;
	re->in_off = NULL;
	group_edges(g, true, &re->out_off, &re->outs);
}

void report_edges_release(struct report_edges *re)
{
	free(re->ins);
	free(re->outs);
	free(re->in_off);
	free(re->out_off);
}
