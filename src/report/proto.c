/* proto: the (selected) profile written back as gzip'd profile.proto, with -divide_by
 * applied to every value as pprof's printProto does. */
#include <stdlib.h>
#include <string.h>

#include "pprof/encode.h"
#include "report/report.h"
#include "util/xalloc.h"

static int proto_render(struct report *r, struct strbuf *out, struct cprof_error *err)
{
	const struct profile *p = r->prof;
	double ratio = r->opt.ratio;
	if (!(ratio > 0 && ratio != 1))
		return encode_profile(p, out, err);
	/* A shallow copy that differs only in its values. */
	struct profile q = *p;
	size_t n = p->n_samples * p->n_types;
	q.values = xmalloc((n + 1) * sizeof(*q.values));
	for (size_t i = 0; i < n; i++)
		q.values[i] = f2i((double)p->values[i] * ratio);
	int rc = encode_profile(&q, out, err);
	free(q.values);
	return rc;
}

const struct report_backend report_proto = {
	.name = "proto",
	.summary = "Outputs the profile in compressed protobuf format",
	.flags = REPORT_ADDRESSES | REPORT_SAMPLES,
	.away_suffix = "pb.gz",
	.render = proto_render,
};
