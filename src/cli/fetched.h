/* A profile made from fetched sources, saved where go tool pprof saves it: in $PPROF_TMPDIR,
 * else $HOME/pprof, else $TMPDIR or /tmp (the first that is or can be made a directory),
 * as pprof.PROGRAM.TYPE....NNN.pb.gz, NNN the first free number from 001. */
#ifndef CPROF_CLI_FETCHED_H
#define CPROF_CLI_FETCHED_H

#include "model/profile.h"
#include "util/error.h"

/* Writes p there as gzip'd profile.proto, saying "Saved profile in PATH" on standard error,
 * or "Could not save profile: ..." when the file cannot be made or written (then nothing
 * is left there), and "Could not use temp dir ..." for each directory passed over, as
 * pprof does. Returns 0; -1 with err set when no directory can be used (pprof's "failed
 * to identify temp dir", which ends its run too). */
int fetched_save(const struct profile *p, struct cprof_error *err);

#endif
