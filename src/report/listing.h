/* The annotated source listing shared by `list` (text) and `weblist` (HTML): pprof's
 * printSource grouping, the functions whose names match the report's regexp, per source
 * file their lines around the samples with flat and cum weights. A struct listing owns
 * everything it points to (graph, source cache); listing_release frees it. */
#ifndef CPROF_REPORT_LISTING_H
#define CPROF_REPORT_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"
#include "report/source.h"

/* A call on a line to a function the compiler inlined there. */
struct listing_call {
	const char *name, *file; /* the inlined function and where its code is */
	int64_t lineno, weight;
};

struct listing_line {
	int64_t lineno, flat, cum;
	const char *text; /* the source line, without its newline */
	size_t first_call, n_calls; /* into listing.calls, heaviest first */
};

/* One function in one source file: a ROUTINE block. */
struct listing_block {
	const char *file;          /* the file name as the profile has it, trimmed */
	int64_t flat, cum;         /* summed over the function's nodes in this file */
	const char *error;         /* why the file could not be read, or NULL */
	size_t first_line, n_lines; /* into listing.lines */
};

struct listing_func {
	const char *name;
	size_t first_block, n_blocks; /* into listing.blocks; 0 blocks: no source information */
};

struct listing {
	struct graph graph;
	struct source_reader *sources;
	struct listing_func *funcs; /* sorted by name */
	size_t n_funcs;
	struct listing_block *blocks;
	size_t n_blocks;
	struct listing_line *lines;
	size_t n_lines;
	struct listing_call *calls;
	size_t n_calls;
};

/* Builds the listing for r's regexp (r->opt.symbol) over the graph at line granularity.
 * Returns 0, or -1 with err set (bad regexp, no function matches). */
int listing_build(struct listing *l, struct report *r, struct cprof_error *err);
void listing_release(struct listing *l);

#endif
