/* Fuzz target for every report under varied flags: the payload is loaded as the command
 * line loads a file (gzip or not), and one report of the registry, chosen by the control
 * bytes (see fuzz-common.h), is rendered under flags they choose: granularity, sorting,
 * trimming, units, sample index, -mean, -divide_by, -call_tree, -symbolize, now and then a
 * filter; list, weblist and peek get a regexp made from the profile's names. The graphviz
 * pictures come up about once in 16 runs, with at most 12 nodes. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	fz_init(&f, data, size);
	struct fz_report r = { .b = fz_backend(&f, 16), .sources = fz_one_in(&f, 2) };
	struct profile *p = fz_load_single(f.data, f.size, r.b);
	if (!p)
		return 0;
	char param[512];
	if (r.b->flags & REPORT_HAS_PARAM) {
		fz_pattern(&f, p, param, sizeof(param));
		r.param = param;
	}
	struct fz_args a = { .argc = 0 };
	fz_shape_flags(&f, p, &a);
	fz_select_flags(&f, p, 24, &a);
	struct sink out; /* kept in memory, never written */
	sink_init_mem(&out);
	fz_run_report(p, &r, &a, &out, &f);
	sink_release(&out);
	fz_args_release(&a);
	profile_free(p);
	return 0;
}
