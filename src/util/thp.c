/* Transparent huge pages for the heap; see thp.h. */
#include "util/thp.h"

#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

/* The heap from heap_from to heap_advised has been advised (both 0 until a block is seen). */
static _Atomic uintptr_t heap_from, heap_advised;

void thp_advise(const void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t at = (uintptr_t)p,
		  done = atomic_load_explicit(&heap_advised, memory_order_relaxed);
	if (at + n > done) { /* the heap may have grown, or p is beyond it */
		uintptr_t top = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
		/* The first block seen only marks where the heap then ends (its pages below
		 * were touched already); each growth past the mark is advised. */
		if (!done) {
			if (atomic_compare_exchange_strong(&heap_advised, &done, top))
				atomic_store(&heap_from, top);
		} else if (top > done &&
			   atomic_compare_exchange_strong(&heap_advised, &done, top)) {
			madvise((void *)done, top - done, MADV_HUGEPAGE);
		}
	}
	/* A big block elsewhere (a thread's arena, a mapping of its own): its whole huge
	 * pages. */
	if (n >= 2 * HUGE_PAGE && !(at >= atomic_load(&heap_from) && at + n <= done)) {
		uintptr_t start = (at + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		uintptr_t end = (at + n) & ~(HUGE_PAGE - 1);
		madvise((void *)start, end - start, MADV_HUGEPAGE);
	}
#else
	(void)p;
	(void)n;
#endif
}
