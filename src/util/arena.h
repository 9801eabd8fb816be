/* A bump allocator: many small allocations, freed all at once. The arena owns every block it
 * hands out; arena_reset keeps the first chunk for reuse, arena_release frees everything. */
#ifndef CPROF_UTIL_ARENA_H
#define CPROF_UTIL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	char *cur, *end;
	size_t chunk_size;
};

void arena_init(struct arena *a, size_t chunk_size);
void arena_release(struct arena *a);
/* Frees all but one chunk and rewinds: everything allocated before is invalid. */
void arena_reset(struct arena *a);
/* Returns n bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);
/* A NUL-terminated copy of n bytes. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

#endif
