/* cprof diff's own output around pprof's report: the header naming base and new, and the
 * regression gate (-fail-above), cprof's answer where pprof has none. */
#ifndef CPROF_CLI_DIFF_H
#define CPROF_CLI_DIFF_H

#include <stddef.h>

#include "report/report.h"
#include "util/error.h"
#include "util/sink.h"

/* One line naming the base and the new profile(s); values below are new - base. */
void diff_header(struct sink *out, const char *base, const char *const *news, size_t n_news);

/* The gate: lists in out every node of r's untrimmed graph whose flat or cum grew by more
 * than pct percent of the base total (the samples labelled pprof::base, negated), each
 * value in its own unit. Returns how many; when some, err holds the one-line verdict. */
size_t diff_gate(const struct report *r, double pct, struct sink *out, struct cprof_error *err);

#endif
