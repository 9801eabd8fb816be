/* Checked allocation: out of memory is a clean exit, never a NULL to check. */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/budget.h"

_Noreturn void xalloc_die(size_t n)
{
	fprintf(stderr, "cprof: out of memory (allocating %zu bytes)\n", n);
	budget_run_on_exit();
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		xalloc_die(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die(count * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		xalloc_die(n);
	return q;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			xalloc_die(SIZE_MAX);
		n *= 2;
	}
	*p = xrealloc(*p, n * elem);
	*cap = n;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

#define HUGE_PAGE ((size_t)2 << 20)

void *xreserve(size_t size)
{
	/* Over-reserve by a huge page to start on a huge-page boundary, then trim. */
	size_t span = size + HUGE_PAGE;
	uint8_t *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	uint8_t *start = (uint8_t *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (start > m)
		munmap(m, (size_t)(start - m));
	size_t tail = (size_t)(m + span - (start + size));
	if (tail)
		munmap(start + size, tail);
#ifdef MADV_HUGEPAGE
	madvise(start, size, MADV_HUGEPAGE);
#endif
	return start;
}

void xunreserve(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

void xprefault(void *p, size_t size)
{
#ifdef MADV_POPULATE_WRITE
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(page - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)size;
#endif
}
