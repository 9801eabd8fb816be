/* cprof's command line: both spellings (cprof top F, cprof -top F), pprof's flags, loading
 * the profiles and running one report into standard output or the file it names. Prints
 * no errors itself: main.c does. */
#ifndef CPROF_CLI_CLI_H
#define CPROF_CLI_CLI_H

#include <stdbool.h>

#include "util/error.h"
#include "util/sink.h"

/* CLI_REGRESSION: cprof diff -fail-above found nodes that grew too much; the report (and
 * the list of those nodes) is written, the one-line summary in err. */
enum cli_status { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_REGRESSION = 3 };

/* Runs the command line argv[1..argc), writing to out (standard output; finished here),
 * which is a terminal when out_terminal (binary reports then go to a file instead, as
 * pprof's do). Returns an exit status; unless CLI_OK, err holds one line (without the
 * "cprof: " prefix). */
int cli_run(int argc, char **argv, struct sink *out, bool out_terminal, struct cprof_error *err);

#endif
