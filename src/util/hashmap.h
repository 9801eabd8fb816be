/* An open-addressing map from uint64_t keys to uint32_t values (UINT32_MAX is reserved as
 * "empty"). The map owns its slots; hashmap_release frees them. */
#ifndef CPROF_UTIL_HASHMAP_H
#define CPROF_UTIL_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#define HASHMAP_NONE UINT32_MAX

struct hashmap_slot {
	uint64_t key;
	uint32_t val;
};

struct hashmap {
	struct hashmap_slot *slots;
	size_t mask, count;
};

void hashmap_init(struct hashmap *m, size_t expect);
void hashmap_release(struct hashmap *m);
/* The value stored for key, or HASHMAP_NONE. */
uint32_t hashmap_get(const struct hashmap *m, uint64_t key);
/* Returns the value already stored for key, or stores val and returns HASHMAP_NONE. */
uint32_t hashmap_put(struct hashmap *m, uint64_t key, uint32_t val);

/* The slots an open-addressing table needs for expect entries: a power of two (so a mask
 * picks a slot), at least 16, filled at most to 70%, the load every table here keeps. */
static inline size_t hash_slots(size_t expect)
{
	size_t n = 16;
	while (n * 7 < expect * 10)
		n *= 2;
	return n;
}

static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* A fast non-cryptographic hash of n bytes (FNV-1a folded through hash_u64). */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

#endif
