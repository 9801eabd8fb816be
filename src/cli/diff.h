/* cprof diff's own output around pprof's report: the header naming base and new, and the
 * regression gate (-fail-above), cprof's answer where pprof has none. */
#ifndef CPROF_CLI_DIFF_H
#define CPROF_CLI_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "util/error.h"
#include "util/sink.h"

/* (With md, both as Markdown, for the md report.) Two lines: the base and the new
 * profile(s) by name (values below are new - base), then
 * each one's total in r's sample type and unit and its duration (durations[1] the base's,
 * [0] the news' summed; 0 when unknown), and that percentages are of the base total. */
void diff_header(struct sink *out, const struct report *r, const char *base,
		 const char *const *news, size_t n_news, const int64_t durations[2], bool md);

/* What the gate is asked. */
struct gate_options {
	double pct;           /* -fail-above: the growth allowed, in percent of the base total */
	int64_t min_samples;  /* -min_samples: no verdict below this many samples on a side */
	const double *scales; /* -normalize's factor per sample type, or NULL */
};

/* The gate (with md, as a Markdown table followed by a verdict even when no node grew):
 * lists in out every node of r's untrimmed graph whose flat or cum grew by more than
 * g->pct percent of the base total (the samples labelled pprof::base, negated) and beyond
 * sampling noise (noise.h's test, when the profile has sample counts; the nodes that grew
 * as much within the noise are listed apart), each value in its own unit, and puts their
 * names, sorted, in *names (malloc'd, as each name; the caller frees them). Returns how
 * many; when some, err holds the one-line verdict. Below g->min_samples samples on either
 * side it judges nothing and says so. */
size_t diff_gate(const struct report *r, const struct gate_options *g, bool md, struct sink *out,
		 char ***names, struct cprof_error *err);
/* graph_options.keep for names as diff_gate returns them: ctx is a struct diff_names. */
struct diff_names {
	char **names;
	size_t n;
};
bool diff_names_keep(void *ctx, const char *name);

#endif
