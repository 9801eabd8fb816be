/* Path helpers with Go's path/filepath semantics (Unix), because pprof's output depends on
 * them. Results are written into caller buffers or returned as pointers into the input. */
#ifndef CPROF_UTIL_PATH_H
#define CPROF_UTIL_PATH_H

#include <stddef.h>

/* Go's filepath.Clean: out must hold strlen(path) + 2 bytes. Returns out. */
char *path_clean(char *out, const char *path);
/* path_clean of the n bytes at path (a NUL among them is a byte of a name); returns the
 * length written to out (n + 2 bytes), NUL-terminated too. */
size_t path_clean_n(char *out, const char *path, size_t n);
/* Go's filepath.Base, written into out (strlen(path) + 2 bytes). Returns out. */
char *path_base(char *out, const char *path);
/* path_base of the n bytes at path (a NUL among them is a byte of a name); returns the
 * length written to out (n + 2 bytes), NUL-terminated too. */
size_t path_base_n(char *out, const char *path, size_t n);

/* pprof's trimPath: strips from a profile's source file name the first of the
 * colon-separated prefixes in trim (a '/' is added to each) or, when trim is empty, what
 * precedes "/<basename of a search_path entry>/"; then "/proc/self/cwd/./" or
 * "/proc/self/cwd/". Returns a pointer into path. trim and search_path may be NULL. */
const char *path_trim(const char *path, const char *trim, const char *search_path);
/* path_trim of the len bytes at path (a NUL among them is a byte of the name). */
const char *path_trim_n(const char *path, size_t len, const char *trim, const char *search_path);

#endif
