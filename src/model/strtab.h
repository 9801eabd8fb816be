/* Interned strings: each distinct string is stored once and named by a dense uint32_t id;
 * id 0 is always "". The strtab owns the bytes; pointers stay valid until strtab_release. */
#ifndef CPROF_MODEL_STRTAB_H
#define CPROF_MODEL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define STRTAB_NONE UINT32_MAX

struct strtab {
	struct arena arena;
	const char **str; /* id -> NUL-terminated bytes (strings may contain NUL: use len) */
	uint32_t *len;    /* id -> length in bytes */
	size_t count, cap;
	uint32_t *slots; /* open addressing over ids; STRTAB_NONE = empty */
	size_t mask;
};

void strtab_init(struct strtab *t);
void strtab_release(struct strtab *t);
/* The id of the string (s, n), adding a copy if it is new. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t n);
/* The id of (s, n) if present, else STRTAB_NONE. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t n);

static inline const char *strtab_get(const struct strtab *t, uint32_t id)
{
	return t->str[id];
}

#endif
