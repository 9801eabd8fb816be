/* Grouping graph nodes into functions, files and source lines as pprof's printSource and
 * getSourceFromFile do. */
#include "report/listing.h"

#include <stdlib.h>
#include <string.h>

#include "util/regex.h"
#include "util/xalloc.h"

/* pprof shows this many lines before the first and after the last sampled line. */
#define MARGIN 5

static const struct graph *sort_graph;

/* pprof's order: functions by name (NameOrder), each one's files by name (FileOrder). */
static int cmp_nodes(const void *a, const void *b)
{
	const struct graph_node *ln = *(const struct graph_node *const *)a;
	const struct graph_node *rn = *(const struct graph_node *const *)b;
	const struct graph *g = sort_graph;
	const struct node_info *l = &g->infos[ln->info], *r = &g->infos[rn->info];
	int c = strcmp(profile_str(g->prof, l->name), profile_str(g->prof, r->name));
	if (c)
		return c;
	c = strcmp(profile_str(g->prof, l->file), profile_str(g->prof, r->file));
	if (c)
		return c;
	if (l->start_line != r->start_line)
		return l->start_line < r->start_line ? -1 : 1;
	return ln->info < rn->info ? -1 : ln->info > rn->info;
}

/* Per node info, the graph's inlined edges out of it (compressed rows). */
struct inline_index {
	uint32_t *off; /* off[i]..off[i+1] in edges */
	uint32_t *edges;
};

static void index_inlined(struct inline_index *ix, const struct graph *g)
{
	ix->off = xcalloc(g->n_infos + 2, sizeof(*ix->off));
	ix->edges = xmalloc((g->n_edges + 1) * sizeof(*ix->edges));
	for (size_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].inlined && !g->edges[e].removed)
			ix->off[g->edges[e].src + 2]++;
	for (size_t i = 2; i < g->n_infos + 2; i++)
		ix->off[i] += ix->off[i - 1];
	for (size_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].inlined && !g->edges[e].removed)
			ix->edges[ix->off[g->edges[e].src + 1]++] = (uint32_t)e;
}

static int cmp_calls(const void *a, const void *b)
{
	const struct listing_call *l = a, *r = b;
	if (abs64(l->weight) != abs64(r->weight))
		return abs64(l->weight) > abs64(r->weight) ? -1 : 1;
	int c = strcmp(l->name, r->name);
	if (c)
		return c;
	c = strcmp(l->file, r->file);
	if (c)
		return c;
	return l->lineno < r->lineno ? -1 : l->lineno > r->lineno;
}

/* The lines of one function in one file: the nodes nodes[0..n) share name and file. */
static void add_block(struct listing *l, const struct graph_node *const *nodes, size_t n,
		      const char *file, const struct inline_index *ix, size_t *cap_lines,
		      size_t *cap_calls)
{
	const struct graph *g = &l->graph;
	const struct node_info *first = &g->infos[nodes[0]->info];
	int64_t start = first->start_line != 0 ? first->start_line : add64(first->lineno, -MARGIN);
	int64_t end = add64(first->lineno, MARGIN);
	for (size_t i = 0; i < n; i++) {
		const struct node_info *ni = &g->infos[nodes[i]->info];
		int64_t s = ni->start_line != 0 ? ni->start_line : add64(ni->lineno, -MARGIN);
		/* pprof's else-if: a node that moves the start never moves the end. */
		if (s < start)
			start = s;
		else if (add64(ni->lineno, MARGIN) > end)
			end = add64(ni->lineno, MARGIN);
	}
	if (start < 1)
		start = 1;

	struct listing_block *b = &l->blocks[l->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->file = file;
	for (size_t i = 0; i < n; i++) {
		b->flat = add64(b->flat, nodes[i]->flat);
		b->cum = add64(b->cum, nodes[i]->cum);
	}
	b->first_line = l->n_lines;
	for (int64_t ln = start; ln <= end; ln++) {
		const char *text = source_line(l->sources, file, ln);
		if (!text)
			break;
		int64_t flat = 0, cum = 0;
		size_t first_call = l->n_calls;
		for (size_t i = 0; i < n; i++) {
			uint32_t info = nodes[i]->info;
			if (g->infos[info].lineno != ln)
				continue;
			flat = add64(flat, nodes[i]->flat);
			cum = add64(cum, nodes[i]->cum);
			for (uint32_t k = ix->off[info]; k < ix->off[info + 1]; k++) {
				const struct graph_edge *e = &g->edges[ix->edges[k]];
				const struct node_info *callee = &g->infos[e->dst];
				XGROW(l->calls, *cap_calls, l->n_calls + 1);
				l->calls[l->n_calls++] = (struct listing_call){
					profile_str(g->prof, callee->name), profile_str(g->prof, callee->file),
					callee->lineno, e->weight
				};
			}
		}
		if (l->n_calls > first_call + 1)
			qsort(l->calls + first_call, l->n_calls - first_call, sizeof(*l->calls),
			      cmp_calls);
		XGROW(l->lines, *cap_lines, l->n_lines + 1);
		l->lines[l->n_lines++] = (struct listing_line){ ln, flat, cum, text, first_call,
								 l->n_calls - first_call };
	}
	b->error = source_error(l->sources, file);
	if (b->error)
		l->n_lines = b->first_line;
	b->n_lines = l->n_lines - b->first_line;
}

int listing_build(struct listing *l, struct report *r, struct cprof_error *err)
{
	memset(l, 0, sizeof(*l));
	const char *symbol = r->opt.symbol ? r->opt.symbol : "";
	struct regex *re = regex_compile(symbol, err);
	if (!re)
		return error_prefix(err, "parsing argument regexp %s", symbol);
	struct graph_options go = r->opt.graph;
	go.obj_names = true; /* pprof keeps binary names for its listings */
	graph_build(&l->graph, r->prof, &go);
	const struct graph *g = &l->graph;
	const struct profile *p = r->prof;

	/* The matching nodes, grouped by function name, then by file. */
	struct graph_node **match = xmalloc((g->n_nodes + 1) * sizeof(*match));
	size_t n_match = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (regex_match(re, profile_str(p, g->infos[g->nodes[i].info].name)))
			match[n_match++] = &g->nodes[i];
	regex_free(re);
	if (n_match == 0) {
		free(match);
		graph_release(&l->graph);
		return error_set(err, "no matches found for regexp: %s", symbol);
	}
	sort_graph = g;
	qsort(match, n_match, sizeof(*match), cmp_nodes);
	sort_graph = NULL;

	l->sources = source_reader_new(r->opt.graph.source_path, r->opt.graph.trim_path);
	l->funcs = xmalloc(n_match * sizeof(*l->funcs));
	l->blocks = xmalloc(n_match * sizeof(*l->blocks));
	size_t cap_lines = 0, cap_calls = 0;
	struct inline_index ix;
	index_inlined(&ix, g);
	/* Equal strings have equal ids: the strtab interns each string once. */
	for (size_t i = 0, j; i < n_match; i = j) {
		uint32_t name = g->infos[match[i]->info].name;
		for (j = i + 1; j < n_match && g->infos[match[j]->info].name == name; j++)
			;
		struct listing_func *f = &l->funcs[l->n_funcs++];
		f->name = profile_str(p, name);
		f->first_block = l->n_blocks;
		for (size_t a = i, b; a < j; a = b) {
			uint32_t file = g->infos[match[a]->info].file;
			for (b = a + 1; b < j && g->infos[match[b]->info].file == file; b++)
				;
			if (file != 0)
				add_block(l, (const struct graph_node *const *)match + a, b - a,
					  profile_str(p, file), &ix, &cap_lines, &cap_calls);
		}
		f->n_blocks = l->n_blocks - f->first_block;
	}
	free(ix.off);
	free(ix.edges);
	free(match);
	return 0;
}

void listing_release(struct listing *l)
{
	graph_release(&l->graph);
	source_reader_free(l->sources);
	free(l->funcs);
	free(l->blocks);
	free(l->lines);
	free(l->calls);
	memset(l, 0, sizeof(*l));
}
