/* The annotated source listing shared by `list` (text) and `weblist` (HTML): pprof's
 * printSource grouping, the functions whose names match the report's regexp, per source
 * file their lines around the samples with flat and cum weights. Built in two steps around
 * the reading of source files, which is not a report's job: listing_build groups the
 * graph's nodes and names the files (l->files); the driver reads them; listing_fill makes
 * the lines. A struct listing owns its arrays and files, not the graph it was built from. */
#ifndef CPROF_REPORT_LISTING_H
#define CPROF_REPORT_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/graph.h"
#include "model/srcfile.h"
#include "util/error.h"

/* A call on a line to a function the compiler inlined there. */
struct listing_call {
	const char *name, *file; /* the inlined function and where its code is */
	size_t name_len, file_len;
	int64_t lineno, weight;
};

struct listing_line {
	int64_t lineno, flat, cum;
	const char *text; /* the source line, without its newline: text_len bytes */
	size_t text_len;
	size_t first_call, n_calls; /* into listing.calls, heaviest first */
};

/* One function in one source file: a ROUTINE block. */
struct listing_block {
	const char *file; /* the file name as the profile has it, trimmed */
	size_t file_len;
	int64_t flat, cum; /* summed over the function's nodes in this file */
	const char *error; /* why the file could not be read, or NULL */
	size_t error_len;
	size_t first_line, n_lines; /* into listing.lines */
	/* listing_build's plan for listing_fill: */
	size_t src;                 /* into listing.files */
	size_t first_node, n_nodes; /* the block's graph nodes, into listing.nodes */
	int64_t start, end;         /* the lines to show, if the file has them */
};

struct listing_func {
	const char *name; /* name_len bytes (a NUL inside is a byte of the name) */
	size_t name_len;
	size_t first_block, n_blocks; /* into listing.blocks; 0 blocks: no source information */
};

struct listing {
	const struct graph *graph;
	struct srcfile *files; /* every file a block shows, once; read before listing_fill */
	size_t n_files;
	struct listing_func *funcs; /* sorted by name */
	size_t n_funcs;
	struct listing_block *blocks;
	size_t n_blocks;
	struct listing_line *lines;
	size_t n_lines;
	struct listing_call *calls;
	size_t n_calls;
	const struct graph_node **nodes; /* the matching nodes, grouped by function and file */
	uint32_t *inl_off, *inl_edges;   /* per info, its inlined edges out (compressed rows) */
};

/* Groups the nodes of g (a line-granularity graph) whose function name matches symbol.
 * Returns 0, or -1 with err set (bad regexp, no function matches). */
int listing_build(struct listing *l, const struct graph *g, const char *symbol,
		  struct cprof_error *err);
/* Makes each block's lines from the files' text (or leaves none where a file has an
 * error). */
void listing_fill(struct listing *l);
void listing_release(struct listing *l);

/* The listing as HTML (listing_html.c), for weblist's page and the html report: a
 * collapsible <details> block per function and file, lines shaded by weight (red for
 * positive values, blue for negative ones), the functions inlined at a line under it.
 * found_only leaves out the blocks whose file was not found, and the functions without
 * source information. Returns the number of blocks with source lines written. The
 * blocks' CSS rules are listing_html_style. */
struct report;
struct sink;
size_t listing_html(const struct report *r, struct sink *out, bool found_only);
extern const char listing_html_style[];
/* The n bytes of s escaped for HTML text and attribute values, a NUL as U+FFFD (HTML
 * has no NUL character). listing_html_escape: s up to its first NUL. */
void listing_html_escape_n(struct sink *out, const char *s, size_t n);
void listing_html_escape(struct sink *out, const char *s);

#endif
