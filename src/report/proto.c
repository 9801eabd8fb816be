/* proto: the (selected) profile written back as gzip'd profile.proto, with -divide_by
 * applied to every value as pprof's printProto does. The command line encodes it. */
#include "report/report.h"

static void proto_make(const struct report *r, struct report_profile *out)
{
	*out = (struct report_profile){ .prof = r->prof, .ratio = r->opt.ratio };
}

const struct report_backend report_proto = {
	.name = "proto",
	.summary = "The profile after flags and filters, as gzip'd profile.proto",
	.flags = REPORT_ADDRESSES | REPORT_SAMPLES | REPORT_IDS,
	.away_suffix = "pb.gz",
	.make_profile = proto_make,
};
