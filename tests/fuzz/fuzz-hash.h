/* A hash of a fuzz input, for the targets that draw their choices from it without
 * fuzz-common.c's control bytes (fuzz-legacy.c, fuzz-objfile.c). */
#ifndef CPROF_TESTS_FUZZ_HASH_H
#define CPROF_TESTS_FUZZ_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The input's size and at most 256 of its bytes, spread over it (FNV-1a): a loop over
 * every byte, instrumented, took a millisecond on an input of 250 KB. */
static inline uint64_t fz_input_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325u ^ size;
	for (size_t i = 0, step = size / 256 + 1; i < size; i += step)
		h = (h ^ data[i]) * 0x100000001b3u;
	return h ^ h >> 29;
}

#endif
