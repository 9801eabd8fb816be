/* Reading a profile in any format pprof reads: format detection, then profile.proto's
 * decoder (pprof/decode.h) or the legacy parsers (pprof/legacy.h). The one entry point
 * the loader calls. */
#ifndef CPROF_PPROF_READ_H
#define CPROF_PPROF_READ_H

#include "model/profile.h"
#include "util/error.h"

struct instream;

/* Reads the stream to its end into a new profile (the caller frees it), whatever its
 * format. NULL with the reason in err: the input's own problem, or for bytes that are no
 * profile at all "not a profile: neither profile.proto (gzip'd or not) nor a legacy pprof
 * format". */
struct profile *read_profile(struct instream *in, struct cprof_error *err);

#endif
