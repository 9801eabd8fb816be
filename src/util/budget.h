/* The memory budget (-max_memory): every byte cprof holds on the heap, its libraries'
 * included, is counted as it is allocated and freed, and an allocation that would take the
 * count past the budget ends cprof with one line ("cprof: FILE: needs more than the 2.0 GiB
 * memory budget (-max_memory)") and exit status 1, before the system runs out of memory
 * and its OOM killer ends cprof without a word. The count is process-wide; so is the
 * budget, which no budget (0) leaves unenforced. */
#ifndef CPROF_UTIL_BUDGET_H
#define CPROF_UTIL_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Sets the budget in bytes (0: none). Takes effect for the allocations that follow; the
 * bytes already held count against it. */
void budget_set(uint64_t bytes);
uint64_t budget_get(void);
/* The default budget: half of the smaller of the machine's physical memory (sysinfo(2))
 * and the memory limit of cprof's cgroup (cgroup v2 memory.max, the lowest along its
 * path, or v1 memory.limit_in_bytes), if it has one; 0 if neither can be read. */
uint64_t budget_default(void);
/* Names what cprof is working on (a profile's file name, copied) for the message; NULL
 * for nothing. */
void budget_subject(const char *name);

/* The bytes held now, as counted. */
uint64_t budget_used(void);
/* Whether bytes more can be held now without passing the budget: for refusing what is
 * already known to be too big, before reading or allocating any of it. */
bool budget_allows(uint64_t bytes);
/* Sets the budget's message, without the subject, in err: "needs more than the 2.0 GiB
 * memory budget (-max_memory)"; returns -1. */
int budget_error(struct cprof_error *err);

/* Counts bytes (negative: returns them) of memory cprof maps itself rather than
 * allocates (xreserve); past the budget, ends cprof as an allocation would. */
void budget_charge(int64_t bytes);

/* A function to run before cprof exits for its budget or for out of memory (it removes
 * an unfinished -output file): it must not allocate. budget_run_on_exit runs it, once. */
void budget_on_exit(void (*fn)(void));
void budget_run_on_exit(void);
/* Prints "cprof: [SUBJECT: ]needs more than ... (-max_memory)" and exits with status 1,
 * running the on-exit function and no atexit handlers. Several threads may call it; one
 * prints. */
_Noreturn void budget_exceeded(void);

/* bytes as the messages show sizes: "512 B", "64.0 KiB", "2.0 GiB". */
void budget_format(uint64_t bytes, char *buf, size_t n);

#endif
