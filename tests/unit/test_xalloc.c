/* util/xalloc's xprefault: the pages within a range become resident and no byte changes,
 * also where the range starts and ends inside pages, or lies within one page. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"
#include "util/xalloc.h"

/* How many of the pages p .. p + n (page-aligned) are resident. */
static size_t resident(uint8_t *p, size_t n, size_t page)
{
	size_t pages = n / page, count = 0;
	unsigned char *v = malloc(pages);
	if (mincore(p, n, v) != 0) {
		free(v);
		return SIZE_MAX;
	}
	for (size_t i = 0; i < pages; i++)
		count += v[i] & 1;
	free(v);
	return count;
}

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = 64, n = pages * page;
	uint8_t *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		tap_ok(0, "mmap of %zu bytes", n);
		return tap_done();
	}
	/* A pattern on the first and last pages only: the others are untouched. */
	memset(m, 0xa5, page);
	memset(m + n - page, 0x5a, page);
	size_t before = resident(m, n, page);
	tap_int(before, 2, "two of %zu pages resident before", pages);
	/* From the middle of the first page to the middle of the last: the whole pages between
	 * are backed, the two partial ones (already resident) keep their bytes. */
	xprefault(m + page / 2, n - page);
#ifdef MADV_POPULATE_WRITE
	/* Where the kernel has it (Linux 5.14 on), every page; else it is asked in vain. */
	uint8_t *probe =
		mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int has = probe != MAP_FAILED && madvise(probe, page, MADV_POPULATE_WRITE) == 0;
	if (probe != MAP_FAILED)
		munmap(probe, page);
	tap_int(resident(m, n, page), has ? pages : 2, "pages resident after (the kernel %s it)",
		has ? "has" : "lacks");
#endif
	int same = 1;
	for (size_t i = 0; i < n; i++)
		same &= m[i] == (i < page ? 0xa5 : i >= n - page ? 0x5a : 0);
	tap_ok(same, "no byte changed");
	/* Within one page, and empty: nothing to do, and nothing goes wrong. */
	xprefault(m + 10, 100);
	xprefault(m, 0);
	tap_ok(m[10] == 0xa5 && m[109] == 0xa5, "a range within a page keeps its bytes");
	munmap(m, n);
	return tap_done();
}
