/* Allocation that never returns NULL: on exhaustion cprof prints one line and exits 1. */
#ifndef CPROF_UTIL_XALLOC_H
#define CPROF_UTIL_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (of *cap elements of size elem) so that it holds at least need elements. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* The exit every allocation failure takes: one line (n is what was asked for), status 1. */
_Noreturn void xalloc_die(size_t n);

/* Address space for an array that fills in place up to size bytes (a multiple of 2 MiB),
 * zeroed, or NULL if the
 * system refuses (the caller then falls back to xgrow). Pages are only committed as they
 * are touched, as transparent huge pages where the system has them: the array never moves
 * and its faults are 512 times fewer. Release with xunreserve. */
void *xreserve(size_t size);
void xunreserve(void *p, size_t size);

/* Has the system back the whole pages within p .. p + size with memory now, changing no
 * byte (Linux's MADV_POPULATE_WRITE; nothing where that is missing or refused). Another
 * thread can do it for an array the caller fills later: the filling then takes no page
 * faults, each several microseconds on a virtual machine. */
void xprefault(void *p, size_t size);

/* Grows arr (cap elements) to hold need. The check is inline, since most calls find room:
 * need and cap are read twice, so they must have no side effects. */
#define XGROW(arr, cap, need)                                                                      \
	do {                                                                                       \
		if ((need) > (cap))                                                                \
			xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)));                    \
	} while (0)

#endif
