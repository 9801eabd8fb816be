/* What the shell's parts share: the session (shell.c: commands, help, completion, the
 * loop), its options (shell_options.c) and the terminal's line editor (shell_edit.c:
 * libedit, history, completion). */
#ifndef CPROF_CLI_SHELL_PRIVATE_H
#define CPROF_CLI_SHELL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/flags.h"
#include "cli/shell.h"
#include "util/strbuf.h"

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

/* pprof's options, by the name the shell knows them. The value lives in the flag of the
 * same name (has_flag false: a group of choices, each a boolean flag of its name; or
 * intel_syntax, which only the shell keeps). */
struct shell_option {
	const char *name;
	bool has_flag;
	const char *const *choices; /* NULL-terminated, or NULL */
};
extern const struct shell_option shell_options[];
extern const size_t shell_n_options;

/* The option called name, or the one with a choice called name (*choice is set then,
 * else NULL); NULL if none. */
const struct shell_option *shell_find_option(const char *name, const char **choice);
/* Whether the option (or its choice) is set by its name alone. */
bool shell_is_bool_option(const struct shell *sh, const struct shell_option *o, const char *choice);
/* The option's value as pprof's `o` shows it, in buf. */
void shell_option_value(const struct shell *sh, const struct shell_option *o, char *buf, size_t n);
/* pprof's configure: sets the option (name is its name or choice's) to value, or prints
 * pprof's one line on standard error. */
void shell_configure(struct shell *sh, const struct shell_option *o, const char *choice,
		     const char *name, const char *value);
/* sample_index=VALUE checked as pprof checks it: the sample type's name, or NULL after
 * printing why not. */
const char *shell_sample_type_name(struct shell *sh, const char *value);
/* o, options: every option but source_path with its value, sorted, on standard error. */
void shell_print_options(const struct shell *sh);
/* One line on what an option (or a choice) does, in cprof's words. */
const char *shell_option_help(const struct shell *sh, const char *name);
/* Go's strconv.Quote of s, appended to sb. */
void shell_go_quote(struct strbuf *sb, const char *s);
/* Go's strconv.ParseInt(s, 10, bits): 0, or -1 (invalid syntax) or -2 (out of range). */
int shell_go_parse_int(const char *s, int bits, int64_t *out);

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
char *shell_detach(struct strbuf *sb);

/* A line reader: libedit on a terminal (history in ~/.cprof_history), else plain reads
 * of standard input with the prompt written to the session's output. */
struct shell_input;
struct shell_input *shell_input_open(struct shell *sh);
/* The next line without its newline (the caller frees it), or NULL at end of input. */
char *shell_input_read(struct shell_input *in, const char *prompt);
void shell_input_close(struct shell_input *in);

#endif
