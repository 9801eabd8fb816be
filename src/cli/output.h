/* Where a report goes: standard output; -output's path; or, for a binary report bound for a
 * terminal, a new file profileNNN.SUFFIX, as pprof does. Files are made on the report's
 * first chunk or at output_finish.
 *
 * -output replaces a regular file (or makes a new one) only once the report is complete:
 * the report is written to an unnamed file in the same directory (O_TMPFILE; where that is
 * missing, a hidden temporary name removed on SIGINT, SIGTERM and SIGHUP) and put in place
 * at the end, with the old file's mode and owner. A failed or killed run leaves the old file
 * as it was and no temporary file. A symbolic link is followed: its target is replaced, the
 * link kept. Anything else (a device such as /dev/stdout, /dev/null or /dev/full, a FIFO, a
 * file with other hard links, a file whose owner cprof cannot give the new one or whose
 * directory it cannot write) is opened and written in place, as pprof writes every output. */
#ifndef CPROF_CLI_OUTPUT_H
#define CPROF_CLI_OUTPUT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/error.h"
#include "util/sink.h"

struct output {
	struct sink *std; /* standard output */
	struct sink file; /* the report's sink when it goes to a file */
	const char *path; /* -output, or NULL */
	const char *away; /* the suffix of a profileNNN file, or NULL */
	int fd;           /* the file, once made; -1 before */
	char *target;     /* path with symbolic links followed: what is replaced */
	bool in_place;    /* fd is the destination itself, opened for writing */
	bool exists;      /* target existed: give the new file its mode and owner */
	bool linked_new;  /* the new file was linked at target (which did not exist) */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	char *tmp;     /* the temporary name of the new file, while it has one */
	char name[64]; /* the profileNNN file's name, once made */
};

/* Sends the report to path (when not NULL or ""), else to a profileNNN.away_suffix file when
 * away_suffix is set and standard output is a terminal, else to std. */
void output_init(struct output *o, struct sink *std, bool std_terminal, const char *path,
		 const char *away_suffix);
/* The sink the report writes into. */
struct sink *output_sink(struct output *o);
/* Writes out the rest and puts the file in place. Returns 0, or -1 with "NAME: why" in err
 * (a new file removed, a replaced one left as it was). */
int output_finish(struct output *o, struct cprof_error *err);
/* Drops the report: removes a file it began, forgets what is buffered. */
void output_discard(struct output *o);

/* A sink's write function for a file descriptor, ctx pointing to the int. */
int output_write_fd(void *ctx, const char *data, size_t n);
/* The same for standard output, except that a reader gone away (EPIPE: `cprof ... | head`)
 * ends cprof at once, with status 0, instead of rendering the rest for nobody. */
int output_write_stdout(void *ctx, const char *data, size_t n);

#endif
