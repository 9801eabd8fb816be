/* Reading a profile's bytes: a file, standard input, a URL or memory, gzip inflated on the
 * fly with a cap on the inflated size (a gzip bomb is an error, not an out-of-memory).
 *
 * The stream hands out a sliding window: a profile is decoded field by field while a second
 * thread inflates ahead, so the whole inflated profile is never in memory at once. */
#ifndef CPROF_PPROF_LOAD_H
#define CPROF_PPROF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pprof/fetch.h"
#include "util/error.h"

#define LOAD_DEFAULT_MAX ((size_t)2 << 30) /* 2 GiB */

struct instream;

/* Opens path ("-" for standard input); gzip is detected by its magic bytes. Fails with a
 * message naming the problem (not the file). */
int instream_open(const char *path, size_t max, struct instream **out, struct cprof_error *err);
/* Fetches url (see fetch_open) and streams its body as instream_open streams a file; the
 * cap holds for the bytes received as well as for the inflated ones. */
int instream_open_url(const char *url, const struct fetch_options *o, size_t max,
		      struct instream **out, struct cprof_error *err);
/* A stream over len bytes at data (borrowed, not copied), which may be gzip'd. */
struct instream *instream_memory(const uint8_t *data, size_t len, size_t max);
/* Makes up to n bytes available, contiguous, at *data. Returns how many are available: n,
 * or fewer at the end of the data; -1 on error (read, corrupt gzip, over the cap). The
 * pointer is valid until the next call. */
ssize_t instream_peek(struct instream *s, size_t n, const uint8_t **data, struct cprof_error *err);
/* Drops n bytes from the front of the window (n <= what the last peek returned). */
void instream_consume(struct instream *s, size_t n);
/* The offset of the window's start in the (inflated) data. */
uint64_t instream_offset(const struct instream *s);
/* The most bytes the stream can still deliver from the window's start: up to the end of
 * plain data of known size (then *capped is false), else up to the cap (true). For
 * refusing a length that cannot be right before reading towards it. */
uint64_t instream_most(const struct instream *s, bool *capped);
void instream_close(struct instream *s);

struct loaded {
	uint8_t *data; /* owned; free with loaded_release */
	size_t len;
};

/* Reads all of path ("-" for standard input) into out, inflating gzip. */
int load_bytes(const char *path, size_t max, struct loaded *out, struct cprof_error *err);
void loaded_release(struct loaded *l);

#endif
