/* The interactive shell that `cprof [flags] [binary] PROFILE...` enters when no report is
 * named, as go tool pprof does: one loaded profile, pprof's commands and option
 * assignments read a line at a time, with libedit (history, completion) when standard
 * input is a terminal and plain reads otherwise. The options are the command line's flags
 * (the same table, struct config_flags), changed in place by assignments. */
#ifndef CPROF_CLI_SHELL_H
#define CPROF_CLI_SHELL_H

#include "cli/config.h"
#include "model/profile.h"
#include "report/report.h"
#include "util/error.h"
#include "util/sink.h"

/* Runs report b (with its regexp param, or NULL) with the options g on a copy of the
 * session's profile, to standard output or g->output. Returns 0, or -1 with one line in
 * err (the session goes on). */
typedef int shell_report_fn(void *ctx, const struct config *g, const struct report_backend *b,
			    const char *param, struct cprof_error *err);

/* Reads commands until quit, exit or end of input. cf holds the flags as the command line
 * set them; prof is the loaded profile (never changed); reports and the prompt go to out.
 * Returns 0, or -1 with err set when standard output fails. */
int shell_run(struct config_flags *cf, const struct profile *prof, struct sink *out,
	      shell_report_fn *report, void *ctx, struct cprof_error *err);

#endif
