/* Sorting with a context argument instead of file-scope globals (graph building runs
 * threads), and ARRAY_SIZE. */
#ifndef CPROF_UTIL_SORT_H
#define CPROF_UTIL_SORT_H

#include <stddef.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* qsort with ctx handed to every comparison. glibc's qsort is this same sort with no
 * context, so results (ties included) are what qsort gives. */
static inline void sort_r(void *base, size_t n, size_t size,
			  int (*cmp)(const void *, const void *, void *), void *ctx)
{
	if (n > 1)
		qsort_r(base, n, size, cmp, ctx);
}

#endif
