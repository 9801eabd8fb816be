/* Bump allocation in chunks; large requests get a chunk of their own. */
#include "util/arena.h"

#include <stdint.h>
#include <string.h>

#include "util/xalloc.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))

void arena_init(struct arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->cur = a->end = NULL;
	a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->cur = a->end = NULL;
}

void arena_reset(struct arena *a)
{
	/* Keep one chunk of the normal size: the scratch arena reuses it message after message. */
	struct arena_chunk *keep = NULL;
	for (struct arena_chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		if (!keep && c->size == a->chunk_size)
			keep = c;
		else
			free(c);
	}
	a->head = keep;
	if (keep) {
		keep->next = NULL;
		a->cur = (char *)keep->data;
		a->end = a->cur + keep->size;
	} else {
		a->cur = a->end = NULL;
	}
}

static void *new_chunk(struct arena *a, size_t n)
{
	size_t size = n > a->chunk_size ? n : a->chunk_size;
	if (size > SIZE_MAX - sizeof(struct arena_chunk))
		size = SIZE_MAX - sizeof(struct arena_chunk); /* xmalloc will fail cleanly */
	struct arena_chunk *c = xmalloc(sizeof(*c) + size);
	c->size = size;
	if (size == a->chunk_size || !a->head) {
		/* Becomes the current chunk. */
		c->next = a->head;
		a->head = c;
		a->cur = (char *)c->data + n;
		a->end = (char *)c->data + size;
	} else {
		/* An oversized block: link it behind the head so the current chunk stays current. */
		c->next = a->head->next;
		a->head->next = c;
	}
	return c->data;
}

void *arena_alloc(struct arena *a, size_t n)
{
	/* Rounded up, such a size would wrap to a small one: it is out of memory instead. */
	if (n > SIZE_MAX - (ALIGN - 1))
		return new_chunk(a, SIZE_MAX);
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	if ((size_t)(a->end - a->cur) >= n) {
		void *p = a->cur;
		a->cur += n;
		return p;
	}
	return new_chunk(a, n);
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *d = arena_alloc(a, n);
	if (n)
		memcpy(d, p, n);
	return d;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}
