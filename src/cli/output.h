/* Where a report goes: standard output; -output's file, written atomically (a temporary
 * file beside it, renamed over it once complete, so a failed run never leaves half a
 * report); or, for a binary report bound for a terminal, a new file profileNNN.SUFFIX, as
 * pprof does. Files are made on the report's first chunk or at output_finish. */
#ifndef CPROF_CLI_OUTPUT_H
#define CPROF_CLI_OUTPUT_H

#include <stdbool.h>

#include "util/error.h"
#include "util/sink.h"

struct output {
	struct sink *std; /* standard output */
	struct sink file; /* the report's sink when it goes to a file */
	const char *path; /* -output, or NULL */
	const char *away; /* the suffix of a profileNNN file, or NULL */
	int fd;           /* the file, once made; -1 before */
	char *tmp;        /* path's temporary file, while it exists */
	char name[64];    /* the profileNNN file's name, once made */
};

/* Sends the report to path (when not NULL or ""), else to a profileNNN.away_suffix file when
 * away_suffix is set and standard output is a terminal, else to std. */
void output_init(struct output *o, struct sink *std, bool std_terminal, const char *path,
		 const char *away_suffix);
/* The sink the report writes into. */
struct sink *output_sink(struct output *o);
/* Writes out the rest and puts the file in place. Returns 0, or -1 with "NAME: why" in
 * err (the file removed). */
int output_finish(struct output *o, struct cprof_error *err);
/* Drops the report: removes the file it began, forgets what is buffered. */
void output_discard(struct output *o);

/* A sink's write function for a file descriptor, ctx pointing to the int. */
int output_write_fd(void *ctx, const char *data, size_t n);

#endif
