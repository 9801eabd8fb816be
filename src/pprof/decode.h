/* Decoding profile.proto bytes into a struct profile, validating every id and string index
 * the format promises. The only place that includes the generated protobuf-c header. */
#ifndef CPROF_PPROF_DECODE_H
#define CPROF_PPROF_DECODE_H

#include <stdbool.h>
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

/* How far decoding got, for telling a broken profile.proto from bytes of another kind. */
struct decode_info {
	uint64_t messages; /* top-level length-delimited fields read whole, without error */
	bool not_proto;    /* the error is the bytes' shape (wire types, lengths, varints, a
			    * sub-message that does not unpack), not the profile's content, the
			    * input's reading or the memory budget */
};
int decode_profile_info(const uint8_t *buf, size_t len, struct profile *p, struct cprof_error *err,
			struct decode_info *info);
int decode_stream_info(struct instream *in, struct profile *p, struct cprof_error *err,
		       struct decode_info *info);

/* Whether the n bytes at head (the start of an input) read as top-level profile.proto
 * fields the decoder would take, as far as they go: each key, wire type and length, not
 * what the messages hold. */
bool decode_plausible(const uint8_t *head, size_t n);

#endif
