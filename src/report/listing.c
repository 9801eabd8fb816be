/* Grouping graph nodes into functions, files and source lines as pprof's printSource and
 * getSourceFromFile do. */
#include "report/listing.h"

#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"
#include "util/regex.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* pprof shows this many lines before the first and after the last sampled line. */
#define MARGIN 5

/* pprof's order: functions by name (NameOrder), each one's files by name (FileOrder). */
static int cmp_nodes(const void *a, const void *b, void *ctx)
{
	const struct graph_node *ln = *(const struct graph_node *const *)a;
	const struct graph_node *rn = *(const struct graph_node *const *)b;
	const struct graph *g = ctx;
	const struct node_info *l = &g->infos[ln->info], *r = &g->infos[rn->info];
	int c = graph_bytes_cmp(profile_str(g->prof, l->name), profile_str_len(g->prof, l->name),
				profile_str(g->prof, r->name), profile_str_len(g->prof, r->name));
	if (c)
		return c;
	c = graph_bytes_cmp(profile_str(g->prof, l->file), profile_str_len(g->prof, l->file),
			    profile_str(g->prof, r->file), profile_str_len(g->prof, r->file));
	if (c)
		return c;
	if (l->start_line != r->start_line)
		return l->start_line < r->start_line ? -1 : 1;
	return ln->info < rn->info ? -1 : ln->info > rn->info;
}

/* Per node info, the graph's inlined edges out of it (compressed rows): off[i]..off[i+1]
 * in edges. */
static void index_inlined(struct listing *l, const struct graph *g)
{
	uint32_t *off = xcalloc(g->n_infos + 2, sizeof(*off));
	uint32_t *edges = xmalloc((g->n_edges + 1) * sizeof(*edges));
	for (size_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].inlined && !g->edges[e].removed)
			off[g->edges[e].src + 2]++;
	for (size_t i = 2; i < g->n_infos + 2; i++)
		off[i] += off[i - 1];
	for (size_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].inlined && !g->edges[e].removed)
			edges[off[g->edges[e].src + 1]++] = (uint32_t)e;
	l->inl_off = off;
	l->inl_edges = edges;
}

static int cmp_calls(const void *a, const void *b)
{
	const struct listing_call *l = a, *r = b;
	if (abs64(l->weight) != abs64(r->weight))
		return abs64(l->weight) > abs64(r->weight) ? -1 : 1;
	int c = graph_bytes_cmp(l->name, l->name_len, r->name, r->name_len);
	if (c)
		return c;
	c = graph_bytes_cmp(l->file, l->file_len, r->file, r->file_len);
	if (c)
		return c;
	return l->lineno < r->lineno ? -1 : l->lineno > r->lineno;
}

/* Plans the block of one function in one file: the nodes nodes[0..n) share name and
 * file. */
static void add_block(struct listing *l, size_t first, size_t n, const char *file, size_t file_len,
		      size_t src)
{
	const struct graph *g = l->graph;
	const struct graph_node *const *nodes = l->nodes + first;
	const struct node_info *fi = &g->infos[nodes[0]->info];
	int64_t start = fi->start_line != 0 ? fi->start_line : add64(fi->lineno, -MARGIN);
	int64_t end = add64(fi->lineno, MARGIN);
	for (size_t i = 0; i < n; i++) {
		const struct node_info *ni = &g->infos[nodes[i]->info];
		int64_t s = ni->start_line != 0 ? ni->start_line : add64(ni->lineno, -MARGIN);
		/* pprof's else-if: a node that moves the start never moves the end. */
		if (s < start)
			start = s;
		else if (add64(ni->lineno, MARGIN) > end)
			end = add64(ni->lineno, MARGIN);
	}
	struct listing_block *b = &l->blocks[l->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->file = file;
	b->file_len = file_len;
	for (size_t i = 0; i < n; i++) {
		b->flat = add64(b->flat, nodes[i]->flat);
		b->cum = add64(b->cum, nodes[i]->cum);
	}
	b->src = src;
	b->first_node = first;
	b->n_nodes = n;
	b->start = start < 1 ? 1 : start;
	b->end = end;
}

/* The index in l->files of the file named by string id file, added if new. */
static size_t file_index(struct listing *l, struct hashmap *seen, uint32_t file, size_t *cap_files)
{
	uint32_t f = hashmap_get(seen, file);
	if (f != HASHMAP_NONE)
		return f;
	XGROW(l->files, *cap_files, l->n_files + 1);
	memset(&l->files[l->n_files], 0, sizeof(*l->files));
	const struct profile *p = l->graph->prof;
	l->files[l->n_files].path = xstrndup(profile_str(p, file), profile_str_len(p, file));
	l->files[l->n_files].path_len = profile_str_len(p, file);
	hashmap_put(seen, file, (uint32_t)l->n_files);
	return l->n_files++;
}

int listing_build(struct listing *l, const struct graph *g, const char *symbol,
		  struct cprof_error *err)
{
	memset(l, 0, sizeof(*l));
	l->graph = g;
	symbol = symbol ? symbol : "";
	struct regex *re = regex_compile(symbol, err);
	if (!re)
		return error_prefix(err, "parsing argument regexp %s", symbol);
	const struct profile *p = g->prof;

	/* The matching nodes, grouped by function name, then by file. */
	const struct graph_node **match = xmalloc((g->n_nodes + 1) * sizeof(*match));
	size_t n_match = 0;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (regex_match_n(re, profile_str(p, g->infos[g->nodes[i].info].name),
				  profile_str_len(p, g->infos[g->nodes[i].info].name)))
			match[n_match++] = &g->nodes[i];
	regex_free(re);
	if (n_match == 0) {
		free(match);
		return error_set(err, "no matches found for regexp: %s", symbol);
	}
	sort_r(match, n_match, sizeof(*match), cmp_nodes, (void *)g);
	l->nodes = match;

	l->funcs = xmalloc(n_match * sizeof(*l->funcs));
	l->blocks = xmalloc(n_match * sizeof(*l->blocks));
	struct hashmap seen;
	hashmap_init(&seen, 16);
	size_t cap_files = 0;
	/* Equal strings have equal ids: the strtab interns each string once. */
	for (size_t i = 0, j; i < n_match; i = j) {
		uint32_t name = g->infos[match[i]->info].name;
		for (j = i + 1; j < n_match && g->infos[match[j]->info].name == name; j++)
			;
		struct listing_func *f = &l->funcs[l->n_funcs++];
		f->name = profile_str(p, name);
		f->name_len = profile_str_len(p, name);
		f->first_block = l->n_blocks;
		for (size_t a = i, b; a < j; a = b) {
			uint32_t file = g->infos[match[a]->info].file;
			for (b = a + 1; b < j && g->infos[match[b]->info].file == file; b++)
				;
			if (file != 0)
				add_block(l, a, b - a, profile_str(p, file),
					  profile_str_len(p, file),
					  file_index(l, &seen, file, &cap_files));
		}
		f->n_blocks = l->n_blocks - f->first_block;
	}
	hashmap_release(&seen);
	index_inlined(l, g);
	return 0;
}

/* The calls inlined at the line of node info into l->calls, heaviest first. */
static void add_calls(struct listing *l, uint32_t info, size_t *cap_calls)
{
	const struct graph *g = l->graph;
	for (uint32_t k = l->inl_off[info]; k < l->inl_off[info + 1]; k++) {
		const struct graph_edge *e = &g->edges[l->inl_edges[k]];
		const struct node_info *callee = &g->infos[e->dst];
		XGROW(l->calls, *cap_calls, l->n_calls + 1);
		const struct profile *p = g->prof;
		l->calls[l->n_calls++] = (struct listing_call){
			.name = profile_str(p, callee->name),
			.name_len = profile_str_len(p, callee->name),
			.file = profile_str(p, callee->file),
			.file_len = profile_str_len(p, callee->file),
			.lineno = callee->lineno,
			.weight = e->weight,
		};
	}
}

/* The lines of block b from its file, start to end or the file's last line. As in pprof,
 * a block whose range is empty (sampled lines before the function's start line) reads no
 * line, so the file's error shows only if an earlier block of that file (tried[b->src])
 * tried to read it. */
static void fill_block(struct listing *l, struct listing_block *b, bool *tried, size_t *cap_lines,
		       size_t *cap_calls)
{
	const struct graph *g = l->graph;
	const struct srcfile *src = &l->files[b->src];
	const struct graph_node *const *nodes = l->nodes + b->first_node;
	b->first_line = l->n_lines;
	if (b->start <= b->end)
		tried[b->src] = true;
	b->error = tried[b->src] ? src->error : NULL;
	b->error_len = b->error ? src->error_len : 0;
	if (b->error)
		return;
	for (int64_t ln = b->start; ln <= b->end; ln++) {
		const char *text = srcfile_line(src, ln);
		if (!text)
			break;
		int64_t flat = 0, cum = 0;
		size_t first_call = l->n_calls;
		for (size_t i = 0; i < b->n_nodes; i++) {
			uint32_t info = nodes[i]->info;
			if (g->infos[info].lineno != ln)
				continue;
			flat = add64(flat, nodes[i]->flat);
			cum = add64(cum, nodes[i]->cum);
			add_calls(l, info, cap_calls);
		}
		if (l->n_calls > first_call + 1)
			qsort(l->calls + first_call, l->n_calls - first_call, sizeof(*l->calls),
			      cmp_calls);
		XGROW(l->lines, *cap_lines, l->n_lines + 1);
		struct listing_line *line = &l->lines[l->n_lines++];
		*line = (struct listing_line){ .lineno = ln,
					       .flat = flat,
					       .cum = cum,
					       .text = text,
					       .text_len = srcfile_line_len(src, ln) };
		line->first_call = first_call;
		line->n_calls = l->n_calls - first_call;
	}
	b->n_lines = l->n_lines - b->first_line;
}

void listing_fill(struct listing *l)
{
	size_t cap_lines = 0, cap_calls = 0;
	bool *tried = xcalloc(l->n_files + 1, sizeof(*tried));
	for (size_t i = 0; i < l->n_blocks; i++)
		fill_block(l, &l->blocks[i], tried, &cap_lines, &cap_calls);
	free(tried);
}

void listing_release(struct listing *l)
{
	for (size_t i = 0; i < l->n_files; i++)
		srcfile_release(&l->files[i]);
	free(l->files);
	free(l->funcs);
	free(l->blocks);
	free(l->lines);
	free(l->calls);
	free(l->nodes);
	free(l->inl_off);
	free(l->inl_edges);
	memset(l, 0, sizeof(*l));
}
