/* The shell's line reader: on a terminal, libedit with history kept in ~/.cprof_history
 * across sessions and tab completion (shell_candidates); otherwise plain reads of standard
 * input, the prompt written to standard output before each, as pprof reads a pipe. */
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/shell_private.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct shell_input {
	struct shell *sh;
	EditLine *el; /* NULL: plain reads */
	History *hist;
	char *history_path;
	const char *prompt;
};

static char *prompt_of(EditLine *el)
{
	struct shell_input *in;
	el_get(el, EL_CLIENTDATA, &in);
	return (char *)in->prompt;
}

/* Tab: the longest prefix the candidates share; the candidates listed when that adds
 * nothing and there are several. */
static unsigned char complete(EditLine *el, int ch)
{
	(void)ch;
	struct shell_input *in;
	el_get(el, EL_CLIENTDATA, &in);
	const LineInfo *li = el_line(el);
	size_t cursor = (size_t)(li->cursor - li->buffer);
	char *line = xmalloc(cursor + 1);
	memcpy(line, li->buffer, cursor);
	line[cursor] = '\0';
	struct strlist words = { NULL, 0, 0 };
	size_t start = cursor;
	shell_candidates(in->sh, line, cursor, &words, &start);
	unsigned char rc = CC_REFRESH;
	if (words.n == 0) {
		rc = CC_ERROR;
	} else {
		size_t typed = cursor - start, common = strlen(words.items[0]);
		for (size_t i = 1; i < words.n; i++) {
			size_t k = 0;
			while (k < common && words.items[i][k] == words.items[0][k])
				k++;
			common = k;
		}
		if (common > typed || words.n == 1) {
			struct strbuf add = STRBUF_INIT;
			strbuf_add(&add, words.items[0] + typed, common - typed);
			if (words.n == 1)
				strbuf_addch(&add, shell_completion_end(in->sh, line, start,
									words.items[0]));
			el_insertstr(el, strbuf_str(&add));
			strbuf_release(&add);
		} else if (words.n > 1) {
			fputc('\n', stdout);
			for (size_t i = 0; i < words.n && i < 200; i++)
				fprintf(stdout, "%s%s", i ? "  " : "", words.items[i]);
			fputc('\n', stdout);
			fflush(stdout);
			rc = CC_REDISPLAY;
		}
	}
	free(words.items);
	free(line);
	return rc;
}

struct shell_input *shell_input_open(struct shell *sh)
{
	struct shell_input *in = xcalloc(1, sizeof(*in));
	in->sh = sh;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return in;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return in;
	in->el = el_init("cprof", stdin, stdout, stderr);
	if (!in->el)
		return in;
	in->hist = history_init();
	HistEvent ev;
	history(in->hist, &ev, H_SETSIZE, 1000);
	history(in->hist, &ev, H_SETUNIQUE, 1);
	const char *home = getenv("HOME");
	if (home && *home) {
		struct strbuf path = STRBUF_INIT;
		strbuf_addf(&path, "%s/.cprof_history", home);
		in->history_path = shell_detach(&path);
		history(in->hist, &ev, H_LOAD, in->history_path);
	}
	el_set(in->el, EL_CLIENTDATA, in);
	el_set(in->el, EL_PROMPT, prompt_of);
	el_set(in->el, EL_EDITOR, "emacs");
	el_set(in->el, EL_SIGNAL, 1); /* the terminal set back if a signal ends cprof */
	el_set(in->el, EL_HIST, history, in->hist);
	/* The wide call: libedit's narrow one copies the name and help and never frees them. */
	el_wset(in->el, EL_ADDFN, L"cprof-complete", L"complete a command, option or function",
		complete);
	el_set(in->el, EL_BIND, "^I", "cprof-complete", NULL);
	el_source(in->el, NULL); /* the user's ~/.editrc */
	return in;
}

char *shell_input_read(struct shell_input *in, const char *prompt)
{
	in->prompt = prompt;
	if (!in->el) {
		sink_adds(in->sh->out, prompt);
		sink_finish(in->sh->out);
		char *line = NULL;
		size_t cap = 0;
		ssize_t n = getline(&line, &cap, stdin);
		if (n <= 0) {
			free(line);
			return NULL;
		}
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		return line;
	}
	int n;
	const char *s = el_gets(in->el, &n);
	if (!s || n <= 0) {
		fputc('\n', stdout); /* end of input (^D) leaves the prompt's line */
		return NULL;
	}
	char *line = xstrdup(s);
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len) {
		HistEvent ev;
		history(in->hist, &ev, H_ENTER, line);
		if (in->history_path)
			history(in->hist, &ev, H_SAVE, in->history_path);
	}
	return line;
}

void shell_input_close(struct shell_input *in)
{
	if (!in)
		return;
	if (in->el)
		el_end(in->el);
	if (in->hist)
		history_end(in->hist);
	free(in->history_path);
	free(in);
}
