/* Writing a struct profile back as gzip'd profile.proto, the format go tool pprof and cprof
 * read. With decode.c, the only place that includes the generated protobuf-c header. */
#ifndef CPROF_PPROF_ENCODE_H
#define CPROF_PPROF_ENCODE_H

#include "model/profile.h"
#include "util/error.h"
#include "util/strbuf.h"

/* Appends p to out as a gzip'd profile.proto message. Mappings, locations and functions get
 * the ids index+1; only strings the profile uses are written; labels pprof would drop (no
 * value, number or unit) are left out. Returns 0, or -1 with a message in err. */
int encode_profile(const struct profile *p, struct strbuf *out, struct cprof_error *err);
/* encode_profile of p with every value times ratio (when it is positive and not 1), as
 * pprof's printProto writes a report's profile under -divide_by. */
int encode_profile_scaled(const struct profile *p, double ratio, struct strbuf *out,
			  struct cprof_error *err);

#endif
