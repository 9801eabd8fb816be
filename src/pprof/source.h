/* Finding and reading the source files a profile names, for the annotated listings.
 * Lookup first does exactly what pprof does (-trim_path / guessed prefixes, then each
 * -source_path entry and its parents, an absolute path as is); when that fails it also
 * tries the module cache for "module@version/..." paths and $GOROOT/src for standard
 * library paths. The text read goes into the caller's struct srcfile (model/srcfile.h). */
#ifndef CPROF_PPROF_SOURCE_H
#define CPROF_PPROF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "model/srcfile.h"
#include "util/strbuf.h"

struct source_reader;

/* A reader searching search_path (colon-separated; NULL or "" means the current
 * directory, as pprof does) and trimming trim_path (colon-separated, may be NULL). */
struct source_reader *source_reader_new(const char *search_path, const char *trim_path);
void source_reader_free(struct source_reader *sr);

/* Finds the file f->path names and reads it into f, or sets f->error to pprof's message
 * ("could not find file F on path P", "open F: no such file or directory"). */
void source_read(struct source_reader *sr, struct srcfile *f);

/* The lookup itself: appends to found the name of the file to open for the profile's
 * path and returns 0, or returns -1 and appends pprof's error message to found instead.
 * search_path is used as given (no current-directory default). */
int source_find(const char *path, const char *search_path, const char *trim_path,
		struct strbuf *found);
/* source_find of the len bytes at path (NUL-terminated at len): a name with a NUL inside
 * is looked for as pprof does and never found (the message quotes every byte). */
int source_find_n(const char *path, size_t len, const char *search_path, const char *trim_path,
		  struct strbuf *found);

/* The module cache's escaping of a module path or version: each upper-case letter
 * becomes '!' and its lower-case form. Appends to out. */
void source_escape_module(struct strbuf *out, const char *s, size_t n);

#endif
