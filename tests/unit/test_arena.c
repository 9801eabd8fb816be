/* util/arena: alignment, blocks that never overlap across chunk boundaries, oversized
 * requests in chunks of their own, reset keeping one chunk, copies, and a request too large
 * to round up being out of memory rather than a small block. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "util/arena.h"

#define ALIGN_ANY _Alignof(max_align_t)

#ifdef __SANITIZE_ADDRESS__
/* Let a huge malloc return NULL, as it does without ASan, so that xmalloc's own
 * out-of-memory exit is what the tests below see. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

static bool aligned(const void *p)
{
	return (uintptr_t)p % ALIGN_ANY == 0;
}

/* The space a block takes: its size rounded up to a unit (a multiple of the alignment,
 * measured by test_fresh as the step between two zero-byte blocks), at least one unit. */
static size_t unit = ALIGN_ANY;

static size_t rounded(size_t n)
{
	size_t r = (n + unit - 1) / unit * unit;
	return r ? r : unit;
}

/* Runs arena_alloc(n) on a fresh arena in a child process and returns its wait status;
 * the child exits 0 if a block came back. Its standard error (xmalloc's message) goes to
 * err, NUL-terminated. */
static int alloc_in_child(size_t n, char *err, size_t err_size)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	fflush(stdout); /* or the child's exit would print our TAP lines again */
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		struct arena a;
		arena_init(&a, 4096);
		volatile char *p = arena_alloc(&a, n);
		p[0] = 1;
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t r;
	while (got + 1 < err_size && (r = read(fds[0], err + got, err_size - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(fds[0]);
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void test_huge(void)
{
	/* Sizes within one alignment of SIZE_MAX wrap to a small number when rounded up. */
	const size_t sizes[] = {
		SIZE_MAX,         SIZE_MAX - 1, SIZE_MAX - ALIGN_ANY + 2, SIZE_MAX - ALIGN_ANY + 1,
		SIZE_MAX / 2 + 1, SIZE_MAX / 2
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char err[512];
		int status = alloc_in_child(sizes[i], err, sizeof(err));
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		       "arena_alloc(SIZE_MAX - %zu) exits 1 (status %#x)", SIZE_MAX - sizes[i],
		       status);
		tap_ok(strstr(err, "out of memory") != NULL, "  saying out of memory (\"%.60s\")",
		       err);
	}
}

static void test_fresh(void)
{
	struct arena a;
	arena_init(&a, 0);
	tap_ok(a.chunk_size > 0, "chunk size 0 picks a default (%zu)", a.chunk_size);
	tap_ok(a.head == NULL && a.cur == NULL && a.end == NULL, "a new arena holds no memory");
	arena_reset(&a);
	tap_ok(a.head == NULL && a.cur == NULL, "resetting an empty arena leaves it empty");
	arena_release(&a);
	arena_release(&a);
	tap_ok(a.head == NULL, "releasing twice is harmless");

	arena_init(&a, 1000);
	tap_int((int64_t)a.chunk_size, 1000, "the chunk size given is kept");
	void *z1 = arena_alloc(&a, 0), *z2 = arena_alloc(&a, 0);
	tap_ok(z1 && z2 && z1 != z2, "zero-byte requests give distinct blocks");
	unit = (size_t)((char *)z2 - (char *)z1);
	tap_ok(unit > 0 && unit % ALIGN_ANY == 0, "a zero-byte block takes one unit (%zu bytes)",
	       unit);
	void *z3 = arena_alloc(&a, 1), *z4 = arena_alloc(&a, unit), *z5 = arena_alloc(&a, unit + 1);
	void *z6 = arena_alloc(&a, 0);
	tap_ok((char *)z4 - (char *)z3 == (ptrdiff_t)unit &&
		       (char *)z5 - (char *)z4 == (ptrdiff_t)unit &&
		       (char *)z6 - (char *)z5 == (ptrdiff_t)(2 * unit),
	       "1 and %zu bytes take one unit, %zu bytes two", unit, unit + 1);
	arena_release(&a);
	tap_ok(a.head == NULL && a.cur == NULL && a.end == NULL, "release empties it");
	tap_ok(arena_alloc(&a, 8) != NULL, "and it can be used again");
	arena_release(&a);
}

/* Every size from 1 to 3 alignment units, over and over, in small chunks: each block is
 * aligned, filled with its own pattern, and every pattern survives to the end. */
static void test_no_overlap(void)
{
	enum { N = 2000, CHUNK = 256 };
	struct arena a;
	arena_init(&a, CHUNK);
	unsigned char *blk[N];
	size_t len[N];
	int misaligned = 0, adjacent = 0, jumps = 0;
	for (size_t i = 0; i < N; i++) {
		len[i] = 1 + i % (3 * ALIGN_ANY);
		char *before = a.cur;
		blk[i] = arena_alloc(&a, len[i]);
		misaligned += !aligned(blk[i]);
		if ((char *)blk[i] == before)
			adjacent++;
		else
			jumps++;
		memset(blk[i], (int)(i & 0xff), len[i]);
	}
	int bad = 0;
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			bad += blk[i][k] != (unsigned char)(i & 0xff);
	tap_int(misaligned, 0, "every block is aligned for any type");
	tap_int(bad, 0, "no block overwrites another");
	/* Blocks follow each other inside a chunk; a new chunk starts when one is full. */
	size_t total = 0;
	for (size_t i = 0; i < N; i++)
		total += rounded(len[i]);
	tap_ok(jumps >= (int)(total / CHUNK) && jumps <= (int)(2 * total / CHUNK) + 1,
	       "%d new chunks for %zu bytes in chunks of %d", jumps, total, CHUNK);
	tap_int(adjacent + jumps, N, "each block either follows the last or starts a chunk");
	arena_release(&a);
}

static void test_boundaries(void)
{
	const size_t chunk = 4 * unit;
	struct arena a;
	arena_init(&a, chunk);
	char *p = arena_alloc(&a, chunk);
	tap_ok(aligned(p), "a block the size of a chunk is aligned");
	tap_ok(a.cur == a.end, "and fills its chunk exactly");
	char *q = arena_alloc(&a, 1);
	tap_ok(q < p || q >= p + chunk, "the next block is in another chunk");
	tap_int(a.end - a.cur, (int64_t)(chunk - rounded(1)), "which it starts");

	/* Exactly the room left fits; one byte more does not. */
	size_t room = (size_t)(a.end - a.cur);
	char *r = arena_alloc(&a, room);
	tap_ok(r == q + rounded(1) && a.cur == a.end, "a request of exactly the room left fits");
	arena_reset(&a);
	char *s = arena_alloc(&a, unit);
	room = (size_t)(a.end - a.cur);
	char *t = arena_alloc(&a, room + 1);
	tap_ok(t != s + unit && aligned(t), "one byte more than the room left does not");
	arena_release(&a);
}

static void test_oversized(void)
{
	enum { CHUNK = 512 };
	struct arena a;
	arena_init(&a, CHUNK);
	char *first = arena_alloc(&a, 10);
	char *cur = a.cur, *end = a.end;
	size_t big_n = 10 * CHUNK + 3;
	unsigned char *big = arena_alloc(&a, big_n);
	tap_ok(aligned(big), "an oversized block is aligned");
	tap_ok(a.cur == cur && a.end == end, "an oversized block leaves the current chunk current");
	char *next = arena_alloc(&a, 10);
	tap_ok(next == first + rounded(10), "the next small block follows the one before it");
	memset(big, 0xab, big_n);
	memset(first, 1, 10);
	memset(next, 2, 10);
	int bad = 0;
	for (size_t i = 0; i < big_n; i++)
		bad += big[i] != 0xab;
	tap_int(bad, 0, "the oversized block is all its own");

	/* Reset keeps one chunk of the normal size, whole, and frees the rest. */
	arena_reset(&a);
	tap_ok(a.head != NULL, "reset keeps a chunk");
	tap_int(a.end - a.cur, CHUNK, "the kept chunk is of the normal size and empty again");
	char *again = arena_alloc(&a, 10);
	tap_ok(again == first, "allocation restarts at its start, reusing the memory");
	arena_release(&a);

	/* An oversized first request: its chunk is the only one, and reset frees it. */
	arena_init(&a, CHUNK);
	void *only = arena_alloc(&a, 3 * CHUNK);
	tap_ok(only != NULL && a.head != NULL, "an oversized first block");
	arena_reset(&a);
	tap_ok(a.head == NULL && a.cur == NULL && a.end == NULL,
	       "reset frees a lone oversized chunk (none of the normal size to keep)");
	void *after = arena_alloc(&a, 1);
	tap_ok(after != NULL && a.end - a.cur == CHUNK - (ptrdiff_t)rounded(1),
	       "the next request makes a normal chunk");
	arena_release(&a);
}

static void test_copies(void)
{
	struct arena a;
	arena_init(&a, 64);
	const char src[] = "a\0b\xff tail";
	size_t n = sizeof(src) - 1;
	char *d = arena_memdup(&a, src, n);
	tap_mem(d, n, src, n, "memdup copies every byte, NULs included");
	tap_ok(d != src && aligned(d), "into an aligned block of the arena");
	tap_ok(arena_memdup(&a, NULL, 0) != NULL, "memdup of nothing is a block, not NULL");

	char *s = arena_strndup(&a, src, n);
	tap_mem(s, n + 1, src, n + 1, "strndup copies n bytes and adds a NUL");
	char *pre = arena_strndup(&a, "prefix-and-more", 6);
	tap_str(pre, "prefix", "strndup stops at n");
	char *empty = arena_strndup(&a, "xyz", 0);
	tap_str(empty, "", "strndup of 0 bytes is \"\"");

	/* Copies bigger than a chunk. */
	char big[1000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	char *bd = arena_memdup(&a, big, sizeof(big));
	char *bs = arena_strndup(&a, big, sizeof(big));
	tap_mem(bd, sizeof(big), big, sizeof(big), "a copy larger than a chunk");
	tap_ok(memcmp(bs, big, sizeof(big)) == 0 && bs[sizeof(big)] == '\0',
	       "a string larger than a chunk, terminated");
	tap_str(pre, "prefix", "earlier copies are intact");
	arena_release(&a);
}

int main(void)
{
	test_huge(); /* first: nothing of ours is allocated yet when the children exit */
	test_fresh();
	test_no_overlap();
	test_boundaries();
	test_oversized();
	test_copies();
	return tap_done();
}
