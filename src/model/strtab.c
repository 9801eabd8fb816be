/* String interning with an open-addressing table over ids. */
#include "model/strtab.h"

#include <string.h>

#include "util/hashmap.h"
#include "util/xalloc.h"

static void rehash(struct strtab *t, size_t nslots)
{
	free(t->slots);
	t->slots = xmalloc(nslots * sizeof(*t->slots));
	memset(t->slots, 0xff, nslots * sizeof(*t->slots));
	t->mask = nslots - 1;
	for (size_t id = 0; id < t->count; id++) {
		size_t i = hash_bytes(t->str[id], t->len[id], 0) & t->mask;
		while (t->slots[i] != STRTAB_NONE)
			i = (i + 1) & t->mask;
		t->slots[i] = (uint32_t)id;
	}
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena, 256 * 1024);
	rehash(t, 64);
	strtab_intern(t, "", 0);
}

void strtab_release(struct strtab *t)
{
	arena_release(&t->arena);
	free(t->str);
	free(t->len);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

uint32_t strtab_find(const struct strtab *t, const char *s, size_t n)
{
	for (size_t i = hash_bytes(s, n, 0) & t->mask;; i = (i + 1) & t->mask) {
		uint32_t id = t->slots[i];
		if (id == STRTAB_NONE)
			return STRTAB_NONE;
		if (t->len[id] == n && memcmp(t->str[id], s, n) == 0)
			return id;
	}
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t n)
{
	size_t i = hash_bytes(s, n, 0) & t->mask;
	for (;; i = (i + 1) & t->mask) {
		uint32_t id = t->slots[i];
		if (id == STRTAB_NONE)
			break;
		if (t->len[id] == n && memcmp(t->str[id], s, n) == 0)
			return id;
	}
	size_t cap = t->cap; /* both arrays grow in step from the same capacity */
	XGROW(t->str, cap, t->count + 1);
	XGROW(t->len, t->cap, t->count + 1);
	uint32_t id = (uint32_t)t->count++;
	t->str[id] = arena_strndup(&t->arena, s, n);
	t->len[id] = (uint32_t)n;
	t->slots[i] = id;
	if (t->count * 2 > t->mask + 1)
		rehash(t, (t->mask + 1) * 2);
	return id;
}
