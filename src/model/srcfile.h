/* The text of a source file that an annotated listing shows, or why it could not be had.
 * The input layer fills it (pprof/source.c finds and reads files); listings only read it.
 * A struct srcfile owns its path, bytes, lines and error; srcfile_release frees them. */
#ifndef CPROF_MODEL_SRCFILE_H
#define CPROF_MODEL_SRCFILE_H

#include <stddef.h>
#include <stdint.h>

struct srcfile {
	/* the name the profile gives the file, path_len bytes (a NUL inside is a byte of the
	 * name, which no file has; 0: up to its first NUL) */
	char *path;
	size_t path_len;
	char *data;   /* the file's bytes, each line NUL-terminated in place */
	char **lines; /* lines[0] is line 1, line_len[0] bytes (a NUL inside is a byte) */
	uint32_t *line_len;
	size_t n_lines;
	/* why the file could not be read (pprof's words), or NULL; error_len bytes (it may
	 * quote path) */
	char *error;
	size_t error_len;
	char *fallback; /* the file read where pprof's search found none (cprof's module cache
			 * or GOROOT lookup), or NULL when pprof would read the same */
};

/* Go's bufio.Scanner gives up on a line longer than this; pprof then keeps the lines
 * before it. */
#define SRCFILE_MAX_LINE (64 * 1024)

/* Takes data (malloc'd, len bytes plus room for a NUL at data[len]) as f's text and splits
 * it into lines as Go's bufio.Scanner does: a '\r' before the '\n' is dropped, and a line
 * longer than SRCFILE_MAX_LINE ends the text. */
void srcfile_set_text(struct srcfile *f, char *data, size_t len);
/* Line lineno (1-based) without its newline, or NULL when the file has no such line. */
const char *srcfile_line(const struct srcfile *f, int64_t lineno);
/* The length in bytes of line lineno, which the file has. */
size_t srcfile_line_len(const struct srcfile *f, int64_t lineno);
void srcfile_release(struct srcfile *f);

#endif
