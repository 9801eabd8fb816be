/* Linear-probing hash map used for id lookups, interning and graph edges. */
#include "util/hashmap.h"

#include <string.h>

#include "util/xalloc.h"

static void alloc_slots(struct hashmap *m, size_t n)
{
	m->slots = xmalloc(n * sizeof(*m->slots));
	for (size_t i = 0; i < n; i++)
		m->slots[i].val = HASHMAP_NONE;
	m->mask = n - 1;
}

void hashmap_init(struct hashmap *m, size_t expect)
{
	m->count = 0;
	alloc_slots(m, hash_slots(expect));
}

void hashmap_release(struct hashmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->mask = m->count = 0;
}

uint32_t hashmap_get(const struct hashmap *m, uint64_t key)
{
	for (size_t i = hash_u64(key) & m->mask;; i = (i + 1) & m->mask) {
		const struct hashmap_slot *s = &m->slots[i];
		if (s->val == HASHMAP_NONE || s->key == key)
			return s->val;
	}
}

static void grow(struct hashmap *m)
{
	struct hashmap_slot *old = m->slots;
	size_t n = m->mask + 1;
	alloc_slots(m, n * 2);
	for (size_t i = 0; i < n; i++) {
		if (old[i].val == HASHMAP_NONE)
			continue;
		size_t j = hash_u64(old[i].key) & m->mask;
		while (m->slots[j].val != HASHMAP_NONE)
			j = (j + 1) & m->mask;
		m->slots[j] = old[i];
	}
	free(old);
}

uint32_t hashmap_put(struct hashmap *m, uint64_t key, uint32_t val)
{
	if ((m->count + 1) * 10 > (m->mask + 1) * 7)
		grow(m);
	for (size_t i = hash_u64(key) & m->mask;; i = (i + 1) & m->mask) {
		struct hashmap_slot *s = &m->slots[i];
		if (s->val == HASHMAP_NONE) {
			s->key = key;
			s->val = val;
			m->count++;
			return HASHMAP_NONE;
		}
		if (s->key == key)
			return s->val;
	}
}

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = hash_u64(h ^ w);
		b += 8;
		n -= 8;
	}
	uint64_t w = 0;
	if (n) /* b may be NULL when n is 0 */
		memcpy(&w, b, n);
	return hash_u64(h ^ w ^ ((uint64_t)n << 56));
}
