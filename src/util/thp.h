/* Transparent huge pages for the heap. A page fault costs several microseconds on a
 * virtual machine; a 2 MiB page takes one fault where 512 small pages take 512. */
#ifndef CPROF_UTIL_THP_H
#define CPROF_UTIL_THP_H

#include <stddef.h>

/* Told of every block the allocator makes (n usable bytes at p) by the interposed malloc
 * (util/budget.c): asks the system (madvise MADV_HUGEPAGE) for huge pages for each growth
 * of the heap past the end it had at the first block, and for any block of two huge
 * pages or more, as glibc's glibc.malloc.hugetlb=1 tunable would (which a program cannot
 * set for itself). Nothing where the system has no such pages. Thread-safe. */
void thp_advise(const void *p, size_t n);

#endif
