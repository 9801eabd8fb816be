/* Decoding profile.proto bytes into a struct profile, validating every id and string index
 * the format promises. The only place that includes the generated protobuf-c header. */
#ifndef CPROF_PPROF_DECODE_H
#define CPROF_PPROF_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"

/* Decodes len bytes of an uncompressed profile.proto message into p, which must be new
 * (profile_new). On error returns -1 with a message naming the field that is wrong; p is
 * then only fit for profile_free. */
int decode_profile(const uint8_t *buf, size_t len, struct profile *p, struct cprof_error *err);

struct instream;
/* The same, reading the stream to its end (see pprof/load.h). */
int decode_stream(struct instream *in, struct profile *p, struct cprof_error *err);

#endif
