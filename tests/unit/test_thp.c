/* util/thp: a big block's whole huge pages, and the heap as it grows, are marked for
 * transparent huge pages (the "hg" flag of their mappings in /proc/self/smaps), where the
 * kernel takes such advice at all. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tap.h"
#include "util/thp.h"

/* Whether the mapping holding addr has the flag "hg" (MADV_HUGEPAGE): 1 or 0, -1 if
 * /proc/self/smaps does not say. */
static int advised(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	char line[512];
	int in = 0, found = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) /* a mapping's first line */
			in = addr >= lo && addr < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			found = strstr(line, " hg") != NULL;
			break;
		}
	}
	fclose(f);
	return found;
}

static void huge_pages(void)
{
	size_t huge = (size_t)2 << 20, n = 5 * huge;
	uint8_t *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		tap_ok(0, "mmap of %zu bytes", n);
		return;
	}
	/* Whether the kernel takes the advice at all: asked of the mapping's last huge page,
	 * which no block below reaches. */
	uintptr_t last = ((uintptr_t)m + n - huge) & ~(uintptr_t)(huge - 1);
#ifdef MADV_HUGEPAGE
	int takes = madvise((void *)last, huge, MADV_HUGEPAGE) == 0 && advised(last) == 1;
#else
	int takes = 0;
#endif
	if (!takes) {
		tap_ok(1, "# SKIP the kernel takes no MADV_HUGEPAGE advice");
		munmap(m, n);
		return;
	}
	/* A block of over three huge pages from the middle of a page: its whole huge pages
	 * are advised. */
	uintptr_t first = ((uintptr_t)m + 100 + huge - 1) & ~(uintptr_t)(huge - 1);
	tap_int(advised(first), 0, "a fresh mapping is not advised");
	thp_advise(m + 100, last - (uintptr_t)m - 100);
	tap_int(advised(first), 1, "a big block's first whole huge page is advised");
	tap_int(advised(first + huge), 1, "and the next");
	munmap(m, n);
	/* The heap, grown by hand past the last block seen: the growth is advised when a block
	 * beyond what was seen comes along (or, with cprof's malloc, as soon as it makes one). */
	void *small = malloc(64);
	thp_advise(small, 64);
	uint8_t *old = sbrk(0);
	if (sbrk((intptr_t)(4 * huge)) == (void *)-1) {
		tap_ok(1, "# SKIP the heap cannot grow here");
		free(small);
		return;
	}
	/* (Left grown: malloc may have grown the heap past it since.) */
	thp_advise(old, 64);
	uintptr_t inside = ((uintptr_t)old + huge - 1) & ~(uintptr_t)(huge - 1);
	tap_int(advised(inside), 1, "the heap's growth is advised once a block in it is seen");
	free(small);
}

int main(void)
{
	huge_pages();
	return tap_done();
}
