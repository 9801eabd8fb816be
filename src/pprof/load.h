/* Reading a profile's bytes: a file or standard input, gzip inflated on the fly, with a cap
 * on the inflated size so a gzip bomb is an error rather than an out-of-memory. */
#ifndef CPROF_PPROF_LOAD_H
#define CPROF_PPROF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define LOAD_DEFAULT_MAX ((size_t)2 << 30) /* 2 GiB */

struct loaded {
	uint8_t *data; /* owned; free with loaded_release */
	size_t len;
};

/* Reads path ("-" for standard input) into out, inflating gzip. Fails, with a message
 * naming the problem (not the file), if the data (after inflating) exceeds max bytes. */
int load_bytes(const char *path, size_t max, struct loaded *out, struct cprof_error *err);
void loaded_release(struct loaded *l);

#endif
