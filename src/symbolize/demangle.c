/* Demangling through libiberty's cplus_demangle; see demangle.h. pprof's demangler is Go's
 * (github.com/ianlancetaylor/demangle), which omits parameter lists (and with them return
 * types and clone suffixes) by not printing them: libiberty without DMGL_PARAMS does the
 * same. Template arguments it omits in C++ names only; here they are removed after. */
#include "symbolize/demangle.h"

#include <libiberty/demangle.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Go's test for a legacy Rust name: _ZN...17h<16 hex digits>E, ignoring a ".suffix". */
static bool legacy_rust(const char *name)
{
	if (strncmp(name, "_ZN", 3) != 0)
		return false;
	size_t n = strlen(name);
	const char *dot = NULL;
	for (const char *p = strstr(name, "E."); p; p = strstr(p + 1, "E."))
		dot = p;
	if (dot && dot > name)
		n = (size_t)(dot - name) + 1;
	return n > 23 && name[n - 1] == 'E' && memcmp(name + n - 20, "17h", 3) == 0;
}

/* Removes every " [clone .suffix]" libiberty prints after a function's parameters. */
static void drop_clones(char *s)
{
	char *c;
	while ((c = strstr(s, " [clone ")) != NULL) {
		char *end = strchr(c, ']');
		if (!end)
			break;
		memmove(c, end + 1, strlen(end + 1) + 1);
	}
}

char *symbolize_demangle(const char *name, const struct symbolize_mode *m)
{
	/* The prefixes Go's demangler reads: C++'s _Z, clang's block ___Z, _GLOBAL_ constructors,
	 * Rust v0's _R. */
	if (strncmp(name, "_Z", 2) != 0 && strncmp(name, "_R", 2) != 0 &&
	    strncmp(name, "___Z", 4) != 0 && strncmp(name, "_GLOBAL_", 8) != 0)
		return NULL;
	char *d = cplus_demangle(name, DMGL_ANSI | (m->no_params ? 0 : DMGL_PARAMS));
	if (!d)
		return NULL;
	bool rust = name[1] == 'R' || legacy_rust(name);
	if (m->no_templates && !rust)
		symbolize_remove_matching(d, '<', '>');
	if (!m->clones)
		drop_clones(d);
	return d;
}
