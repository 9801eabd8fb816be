/* The words the shell completion scripts (completions/) offer, printed one per line by
 * the hidden command `cprof __complete KIND [PROFILE]`, so that the scripts never fall out
 * of step with cprof: KIND is commands (subcommands and reports), flags (each as -name, or
 * -name= when it takes a value) or sample_types (those of PROFILE). */
#ifndef CPROF_CLI_COMPLETE_H
#define CPROF_CLI_COMPLETE_H

#include "cli/config.h"
#include "util/error.h"
#include "util/sink.h"

/* The subcommand names that are not reports (diff, merge, help, version). */
extern const char *const complete_commands[];

/* Prints the words for argv[0] (KIND) and argv[1] (PROFILE) to out. Returns 0, or -1 with a
 * message in err (an unknown KIND is a usage error, an unreadable profile gives no words
 * and no error: completion must stay quiet). */
int complete_words(const struct config_flags *cf, int argc, char **argv, struct sink *out,
		   struct cprof_error *err);

#endif
