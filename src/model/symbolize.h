/* pprof's symbolization step, as much of it as runs without binaries or a network: function
 * names that were never demangled on their own (name empty or equal to the system name) are
 * simplified as pprof's Demangle simplifies names that look like demangled C++ (and Rust):
 * parameter lists and template arguments go. Mangled names are demangled first by the
 * demangler the mode carries (the CLI's is libiberty's). It also tells when pprof's local symbolization would find no main binary. */
#ifndef CPROF_MODEL_SYMBOLIZE_H
#define CPROF_MODEL_SYMBOLIZE_H

#include <stdbool.h>

#include "model/profile.h"

struct symbolize_mode {
	bool off;          /* -symbolize=none: names are left alone */
	bool no_local;     /* -symbolize=remote (the last of local, fastlocal, remote) */
	bool force;        /* names already demangled are simplified again from system names */
	bool no_params;    /* drop "(...)" */
	bool no_templates; /* drop "<...>" */
	bool clones;       /* keep clone suffixes (demangle=none) */
	/* The demangler (NULL: none): name demangled as this mode asks (malloc'd), or NULL
	 * when it is not mangled. */
	char *(*demangle)(const char *name, const struct symbolize_mode *m);
	int unrecognized; /* parts of the mode pprof warns about, once each */
};

/* Reads pprof's -symbolize value ([local|fastlocal|remote|none][:force]
 * [:demangle=none|full|templates|default], case-insensitive); NULL or "" is the default. */
void symbolize_parse(const char *mode, struct symbolize_mode *m);

/* Simplifies p's function names as m says (nothing when m->off). */
void symbolize_names(struct profile *p, const struct symbolize_mode *m);

/* pprof's removeMatching: s without its (nested) open..close groups, in place; a close
 * with no open stops the removal there. Returns s. */
char *symbolize_remove_matching(char *s, char open, char close);

#endif
