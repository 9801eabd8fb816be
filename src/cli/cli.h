/* cprof's command line: both spellings (cprof top F, cprof -top F), pprof's flags, loading
 * the profiles and running one report. Writes nothing itself: main.c prints what it returns. */
#ifndef CPROF_CLI_CLI_H
#define CPROF_CLI_CLI_H

#include "util/error.h"
#include "util/strbuf.h"

/* CLI_REGRESSION: cprof diff -fail-above found nodes that grew too much; the report (and
 * the list of those nodes) is in out, the one-line summary in err. */
enum cli_status { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_REGRESSION = 3 };

struct cli_result {
	struct strbuf out;       /* what to print (the report, or --help text) */
	const char *output_path; /* -output FILE, or NULL for standard output */
	const char *away_suffix; /* binary output: to a new file profileNNN.SUFFIX instead of
				    a terminal (report_backend.away_suffix), or NULL */
};

/* Runs the command line argv[1..argc). Returns an exit status; on CLI_FAIL or CLI_USAGE,
 * err holds one line (without the "cprof: " prefix), as it does on CLI_REGRESSION, whose
 * output is still to be written. res->out must be initialised. */
int cli_run(int argc, char **argv, struct cli_result *res, struct cprof_error *err);

#endif
