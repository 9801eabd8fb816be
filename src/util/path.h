/* Path helpers with Go's path/filepath semantics (Unix), because pprof's output depends on
 * them. Results are written into caller buffers or returned as pointers into the input. */
#ifndef CPROF_UTIL_PATH_H
#define CPROF_UTIL_PATH_H

#include <stddef.h>

/* Go's filepath.Clean: out must hold strlen(path) + 2 bytes. Returns out. */
char *path_clean(char *out, const char *path);
/* Go's filepath.Base, written into out (strlen(path) + 2 bytes). Returns out. */
char *path_base(char *out, const char *path);

#endif
