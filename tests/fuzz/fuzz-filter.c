/* Fuzz target for selection: the payload is loaded as a profile and the control bytes (see
 * fuzz-common.h) set each of -focus, -ignore, -hide, -show, -show_from, -prune_from,
 * -tagshow, -taghide (regexps made from the profile's own names or from the control bytes),
 * -tagfocus and -tagignore (ranges with units such as "bytes=1kb:2mb", or regexps),
 * -tagroot, -tagleaf and -relative_percentages about one time in three, and sometimes
 * replace the profile's own drop_frames and keep_frames; then a report shows what is left,
 * as the command line would run it. */
#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	fz_init(&f, data, size);
	struct fz_report r = { .b = fz_backend(&f, 64), .sources = fz_one_in(&f, 4) };
	struct profile *p = fz_load_single(f.data, f.size, r.b);
	if (!p)
		return 0;
	char re[512];
	if (fz_one_in(&f, 4)) {
		fz_pattern(&f, p, re, sizeof(re));
		p->drop_frames = strtab_intern(&p->strs, re, strlen(re));
	}
	if (fz_one_in(&f, 8)) {
		fz_pattern(&f, p, re, sizeof(re));
		p->keep_frames = strtab_intern(&p->strs, re, strlen(re));
	}
	char param[512];
	if (r.b->flags & REPORT_HAS_PARAM) {
		fz_pattern(&f, p, param, sizeof(param));
		r.param = param;
	}
	struct fz_args a = { .argc = 0 };
	fz_select_flags(&f, p, 3, &a);
	if (fz_one_in(&f, 2))
		fz_shape_flags(&f, p, &a);
	struct sink out; /* kept in memory, never written */
	sink_init_mem(&out);
	fz_run_report(p, &r, &a, &out, &f);
	sink_release(&out);
	fz_args_release(&a);
	profile_free(p);
	return 0;
}
