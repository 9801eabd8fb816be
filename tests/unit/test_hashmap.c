/* util/hashmap: put/get semantics, growth, collisions and keys at the ends of the range. */
#include <stdint.h>

#include "tap.h"
#include "util/hashmap.h"

int main(void)
{
	struct hashmap m;
	hashmap_init(&m, 0);
	tap_int(hashmap_get(&m, 42), HASHMAP_NONE, "empty map has no key 42");
	tap_int(hashmap_put(&m, 42, 7), HASHMAP_NONE, "first put returns NONE");
	tap_int(hashmap_put(&m, 42, 8), 7, "second put returns the stored value");
	tap_int(hashmap_get(&m, 42), 7, "the first value stays");
	tap_int(hashmap_put(&m, 0, 1), HASHMAP_NONE, "key 0 can be stored");
	tap_int(hashmap_put(&m, UINT64_MAX, 2), HASHMAP_NONE, "key UINT64_MAX can be stored");
	tap_int(hashmap_get(&m, 0), 1, "key 0");
	tap_int(hashmap_get(&m, UINT64_MAX), 2, "key UINT64_MAX");
	tap_int((int64_t)m.count, 3, "three keys");
	hashmap_release(&m);

	/* Many keys force several rehashes; keys that differ only in high bits and keys that
	 * are multiples of the table size stress the probe sequence. */
	hashmap_init(&m, 4);
	enum { N = 100000 };
	int bad = 0;
	for (uint64_t i = 0; i < N; i++) {
		if (hashmap_put(&m, i << 40, (uint32_t)i) != HASHMAP_NONE)
			bad++;
		if (hashmap_put(&m, i * 1024 + 1, (uint32_t)(i + N)) != HASHMAP_NONE)
			bad++;
	}
	tap_int(bad, 0, "200000 distinct keys are all new");
	tap_int((int64_t)m.count, 2 * N, "count is 200000");
	bad = 0;
	for (uint64_t i = 0; i < N; i++) {
		if (hashmap_get(&m, i << 40) != (uint32_t)i)
			bad++;
		if (hashmap_get(&m, i * 1024 + 1) != (uint32_t)(i + N))
			bad++;
	}
	tap_int(bad, 0, "every key maps to its value after growth");
	tap_int(hashmap_get(&m, 3), HASHMAP_NONE, "an absent key is absent");
	tap_ok(((m.mask + 1) & m.mask) == 0, "table size is a power of two");
	tap_ok(m.count * 2 <= m.mask + 1, "load factor at most 1/2");
	hashmap_release(&m);
	hashmap_release(&m); /* twice is harmless */

	tap_ok(hash_bytes("abc", 3, 0) == hash_bytes("abc", 3, 0), "hash_bytes is deterministic");
	tap_ok(hash_bytes("abc", 3, 0) != hash_bytes("abd", 3, 0), "hash_bytes differs on a byte");
	tap_ok(hash_bytes("abcdefgh", 8, 0) != hash_bytes("abcdefgh\0", 9, 0),
	       "hash_bytes sees the length");
	tap_ok(hash_bytes("", 0, 0) != hash_bytes("", 0, 1), "hash_bytes uses the seed");
	return tap_done();
}
