/* What the shell's parts share: the session (shell.c: options, commands, the loop) and the
 * terminal's line editor (shell_edit.c: libedit, history, completion). */
#ifndef CPROF_CLI_SHELL_PRIVATE_H
#define CPROF_CLI_SHELL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/flags.h"
#include "cli/shell.h"

struct shell {
	struct config_flags *cf;
	struct config *g; /* &cf->cfg: the options, as assignments leave them */
	const struct profile *prof;
	struct sink *out;
	shell_report_fn *report;
	void *ctx;
	bool intel_syntax;      /* an option pprof lists; cprof has no disassembler to use it */
	struct strlist owned;   /* option values the shell allocated (freed at the end) */
	const char **functions; /* the profile's function names, sorted, for completion */
	size_t n_functions;
};

/* The words that may replace the word before the cursor in line[0..cursor): commands and
 * option names first on the line, an option's values after "NAME=", function names in a
 * report's arguments. *start is where that word begins. The words are pointers into
 * static tables or the profile; the caller frees the list's items array only. */
void shell_candidates(const struct shell *sh, const char *line, size_t cursor,
		      struct strlist *words, size_t *start);

/* What follows a word completed whole at line[start]: '=' after the name of an option that
 * takes a value, else a space. */
char shell_completion_end(const struct shell *sh, const char *line, size_t start, const char *word);

/* sb's bytes as a string the caller frees; sb is released. */
struct strbuf;
char *shell_detach(struct strbuf *sb);

/* A line reader: libedit on a terminal (history in ~/.cprof_history), else plain reads
 * of standard input with the prompt written to the session's output. */
struct shell_input;
struct shell_input *shell_input_open(struct shell *sh);
/* The next line without its newline (the caller frees it), or NULL at end of input. */
char *shell_input_read(struct shell_input *in, const char *prompt);
void shell_input_close(struct shell_input *in);

#endif
