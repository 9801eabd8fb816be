/* C++ (Itanium) and Rust (legacy and v0) names demangled with libiberty, shaped as
 * pprof's demangler prints them for each -symbolize=demangle= mode. */
#ifndef CPROF_SYMBOLIZE_DEMANGLE_H
#define CPROF_SYMBOLIZE_DEMANGLE_H

#include "model/symbolize.h"

/* name demangled as m asks (malloc'd; the caller frees it), or NULL when it is not a
 * mangled name libiberty can read. */
char *symbolize_demangle(const char *name, const struct symbolize_mode *m);

#endif
