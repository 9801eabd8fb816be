/* The profiles named on a command line made into one, as pprof's fetchProfiles does: every
 * source and every base (a file, standard input or a URL) is loaded and prepared on its own (a fake mapping when it has none,
 * the binary's name and build id overrides), sources are merged, bases are merged, then the
 * bases are subtracted (negated and merged in), after -normalize scaled the sources. */
#ifndef CPROF_CLI_SOURCES_H
#define CPROF_CLI_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"

struct instream;

struct sources {
	const char *const *profiles; /* paths, "-" for standard input, URLs; at least one */
	size_t n_profiles;
	const char *const *bases; /* -base or -diff_base paths */
	size_t n_bases;
	bool diff_base;       /* the bases came from -diff_base: label their samples pprof::base */
	bool normalize;       /* scale the sources to the bases' totals first */
	bool merge_single;    /* merge even a lone source (reports that show samples one by one) */
	bool merge_renumbers; /* and even when the merge would only renumber (ids are shown) */
	bool stdin_implied;   /* "-" stands for no profile named: an empty input says so */
	const char *exec_name, *build_id; /* overrides for the main binary, or NULL */
	int64_t *durations; /* if set, filled: [0] the sources' durations summed, [1] the bases' */
	double **scales;    /* if set, receives -normalize's factor per sample type (malloc'd) */
	uint64_t max_size;
	int64_t seconds, timeout;                /* -seconds and -timeout for URLs (<= 0: unset) */
	const char *tls_cert, *tls_key, *tls_ca; /* for https URLs, or NULL */
	/* If set, opens every source and base in place of files, standard input and URLs, as
	 * instream_open does (the fuzz targets serve their pieces from memory this way); the
	 * command line leaves it NULL. */
	int (*open)(const char *path, size_t max, struct instream **in, struct cprof_error *err);
};

/* The one profile the sources make (the caller frees it), or NULL with a message naming the
 * file or URL at fault. A URL is fetched with go tool pprof's rules and messages on
 * standard error ("Fetching profile over HTTP from URL"). Profiles are loaded one at a time and freed once merged, so memory is
 * bounded by the merged result and one input. */
struct profile *sources_load(const struct sources *s, struct cprof_error *err);

/* Whether a source or a base is a URL (then pprof saves the profile it makes). */
bool sources_remote(const struct sources *s);

/* The name a path is shown by in messages ("<stdin>" for "-"). */
const char *sources_name(const char *path);

#endif
