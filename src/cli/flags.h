/* Command-line flags with Go's flag syntax, as pprof parses them: -flag, --flag, -flag=value,
 * -flag value (not for booleans), booleans as -flag or -flag=false, "--" ends the flags.
 * Unlike Go, flags may also follow positional arguments (cprof top prof.pb.gz -cum). */
#ifndef CPROF_CLI_FLAGS_H
#define CPROF_CLI_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* FLAG_REFUSED: a flag of pprof's that cprof does not have; giving it is an error whose
 * text is the flag's help (what to do instead). */
enum flag_type { FLAG_BOOL, FLAG_INT, FLAG_FLOAT, FLAG_STRING, FLAG_LIST, FLAG_SIZE, FLAG_REFUSED };

struct strlist {
	const char **items;
	size_t n, cap;
};

struct flag {
	const char *name;
	enum flag_type type;
	void *ptr;        /* bool, int64_t, double, const char *, struct strlist, uint64_t */
	const char *arg;  /* the value's name in --help ("n", "regexp", ...); NULL for bools */
	const char *help; /* one line for --help */
	bool set;         /* filled in by flags_parse */
};

/* Parses argv[0..argc) against flags; positional arguments are collected, in order, in pos
 * (pointers into argv; the caller frees pos->items). Returns 0, or -1 with the message Go
 * would give ("flag provided but not defined: -x", ...). Help flags are the caller's. */
int flags_parse(struct flag *flags, size_t n, int argc, char **argv, struct strlist *pos,
		struct cprof_error *err);
struct flag *flags_find(struct flag *flags, size_t n, const char *name);
void strlist_push(struct strlist *l, const char *s);

#endif
