/* The memory budget; see budget.h.
 *
 * How bytes are counted. Where malloc is glibc's, cprof defines malloc, free and the rest
 * of the family itself (ELF interposition, which glibc supports for replacing its
 * allocator): each counts the block's usable size and hands the work to glibc's __libc_*
 * functions, and an allocation that would pass the budget ends cprof before it is made.
 * zlib's, graphviz's and libcmark's allocations go through the same functions, so the
 * budget's one line is what every library's exhaustion looks like, never a library's own
 * message or abort. Under a sanitizer (ASan, MSan, TSan), which brings its own malloc,
 * the sanitizer's allocation hooks count instead (the limit is then checked right after
 * the block is made; untouched, it costs nothing). Both count the same thing, the bytes
 * allocated, so a test passes alike in both builds.
 *
 * Why not setrlimit(RLIMIT_DATA): it counts address space, not memory (a MAP_NORESERVE
 * reservation counts whole), ASan's shadow mapping breaks it, and past it allocations
 * merely fail: libcmark then aborts, graphviz prints its own message, zlib and
 * pthread_create report errors of their own. */
#include "util/budget.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||                         \
	__has_feature(thread_sanitizer) || __has_feature(hwaddress_sanitizer)
#define BUDGET_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_HWADDRESS__)
#undef BUDGET_SANITIZER
#define BUDGET_SANITIZER 1
#endif

#if !defined(BUDGET_SANITIZER) && defined(__GLIBC__)
#define BUDGET_INTERPOSE 1
#include <malloc.h>

#include "util/thp.h"
#endif

/* Signed: blocks allocated before the counting began (by the dynamic loader, or before a
 * sanitizer's hooks were installed) may be freed afterwards. */
static _Atomic int64_t held;
static _Atomic uint64_t limit;
static atomic_flag failing = ATOMIC_FLAG_INIT;
static char subject[512];
static void (*on_exit_fn)(void);

void budget_set(uint64_t bytes)
{
	atomic_store_explicit(&limit, bytes, memory_order_relaxed);
}

uint64_t budget_get(void)
{
	return atomic_load_explicit(&limit, memory_order_relaxed);
}

void budget_subject(const char *name)
{
	if (!name) {
		subject[0] = '\0';
		return;
	}
	snprintf(subject, sizeof(subject), "%s", name);
}

void budget_on_exit(void (*fn)(void))
{
	on_exit_fn = fn;
}

void budget_run_on_exit(void)
{
	void (*fn)(void) = on_exit_fn;
	on_exit_fn = NULL;
	if (fn)
		fn();
}

uint64_t budget_used(void)
{
	int64_t h = atomic_load_explicit(&held, memory_order_relaxed);
	return h > 0 ? (uint64_t)h : 0;
}

bool budget_allows(uint64_t bytes)
{
	uint64_t max = budget_get(), used = budget_used();
	return max == 0 || (used <= max && bytes <= max - used);
}

void budget_format(uint64_t bytes, char *buf, size_t n)
{
	static const char units[][4] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (bytes < 1024) {
		snprintf(buf, n, "%" PRIu64 " B", bytes);
		return;
	}
	/* Whole units and a truncated tenth, in integers: no floating point (and none of
	 * printf's allocations) on the way out of an exhausted budget. */
	unsigned u = 0;
	uint64_t unit = 1024;
	while (u + 1 < sizeof(units) / sizeof(units[0]) && bytes / 1024 >= unit) {
		unit *= 1024;
		u++;
	}
	snprintf(buf, n, "%" PRIu64 ".%" PRIu64 " %s", bytes / unit, (bytes % unit) * 10 / unit,
		 units[u]);
}

int budget_error(struct cprof_error *err)
{
	char size[32];
	budget_format(budget_get(), size, sizeof(size));
	return error_set(err, "needs more than the %s memory budget (-max_memory)", size);
}

_Noreturn void budget_exceeded(void)
{
	/* One thread reports; any other that gets here waits for the exit. */
	if (atomic_flag_test_and_set(&failing))
		for (;;)
			pause();
	/* No budget from here on: nothing below may come back here. */
	uint64_t max = atomic_exchange(&limit, 0);
	char size[32], line[sizeof(subject) + 128];
	budget_format(max, size, sizeof(size));
	int n = snprintf(line, sizeof(line),
			 "cprof: %s%sneeds more than the %s memory budget (-max_memory)\n", subject,
			 subject[0] ? ": " : "", size);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0)
		n = 0; /* nowhere left to say it */
	budget_run_on_exit();
	/* _exit: atexit handlers (a leak check among them, in sanitizer builds) would run in
	 * the middle of whatever allocation got here. */
	_exit(1);
}

/* Counts bytes about to be held; ends cprof if they would pass the budget. */
static inline void take(uint64_t bytes)
{
	uint64_t max = atomic_load_explicit(&limit, memory_order_relaxed);
	if (max && !budget_allows(bytes))
		budget_exceeded();
}

static inline void count(int64_t bytes)
{
	atomic_fetch_add_explicit(&held, bytes, memory_order_relaxed);
}

void budget_charge(int64_t bytes)
{
	if (bytes > 0)
		take((uint64_t)bytes);
	count(bytes);
}

/* The lowest memory limit in the files named file of the cgroup directory root + path and
 * its ancestors up to root; UINT64_MAX if none says one ("max", or missing). */
static uint64_t lowest_limit(const char *root, const char *path, const char *file)
{
	uint64_t low = UINT64_MAX;
	char dir[1024];
	if (snprintf(dir, sizeof(dir), "%s%s", root, path) >= (int)sizeof(dir))
		return low;
	size_t root_len = strlen(root);
	for (;;) {
		size_t len = strlen(dir);
		while (len > root_len && dir[len - 1] == '/')
			dir[--len] = '\0';
		char name[1200];
		snprintf(name, sizeof(name), "%s/%s", dir, file);
		FILE *f = fopen(name, "re");
		if (f) {
			unsigned long long v;
			if (fscanf(f, "%llu", &v) == 1 && v < low)
				low = v;
			fclose(f);
		}
		char *slash = strrchr(dir + root_len, '/');
		if (!slash)
			return low;
		*slash = '\0';
	}
}

/* The memory limit of cprof's cgroup (v2's memory.max, else v1's memory controller), or
 * UINT64_MAX. */
static uint64_t cgroup_limit(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return UINT64_MAX;
	uint64_t low = UINT64_MAX;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* hierarchy-id:controllers:path */
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		const char *controllers = c1 + 1, *path = c2 + 1;
		uint64_t v = UINT64_MAX;
		if (*controllers == '\0') {
			v = lowest_limit("/sys/fs/cgroup", path, "memory.max");
		} else {
			char list[256];
			snprintf(list, sizeof(list), ",%s,", controllers);
			if (strstr(list, ",memory,"))
				v = lowest_limit("/sys/fs/cgroup/memory", path,
						 "memory.limit_in_bytes");
		}
		if (v < low)
			low = v;
	}
	fclose(f);
	return low;
}

uint64_t budget_default(void)
{
	uint64_t mem = UINT64_MAX;
	struct sysinfo si;
	if (sysinfo(&si) == 0 && si.totalram)
		mem = (uint64_t)si.totalram * (si.mem_unit ? si.mem_unit : 1);
	uint64_t cg = cgroup_limit();
	if (cg < mem)
		mem = cg;
	return mem == UINT64_MAX ? 0 : mem / 2;
}

#ifdef BUDGET_INTERPOSE
/* glibc's allocator under its own names. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);
void *__libc_valloc(size_t n);
void *__libc_pvalloc(size_t n);

/* A block just made (or NULL): counted at its usable size, which free gives back, and
 * told to thp_advise. */
static inline void *made(void *p)
{
	if (p) {
		size_t n = malloc_usable_size(p);
		count((int64_t)n);
		thp_advise(p, n);
	}
	return p;
}

void *malloc(size_t n)
{
	take(n);
	return made(__libc_malloc(n));
}

void free(void *p)
{
	if (!p)
		return;
	count(-(int64_t)malloc_usable_size(p));
	__libc_free(p);
}

void *calloc(size_t count_, size_t size)
{
	if (size && count_ > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	take((uint64_t)count_ * size);
	return made(__libc_calloc(count_, size));
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t old = malloc_usable_size(p);
	if (n > old)
		take(n - old);
	void *q = __libc_realloc(p, n);
	if (!q) {
		if (n == 0) /* glibc's realloc(p, 0) frees p */
			count(-(int64_t)old);
		return NULL;
	}
	size_t n_q = malloc_usable_size(q);
	count((int64_t)n_q - (int64_t)old);
	thp_advise(q, n_q);
	return q;
}

void *reallocarray(void *p, size_t count_, size_t size)
{
	if (size && count_ > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, count_ * size);
}

void *memalign(size_t align, size_t n)
{
	take(n);
	return made(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align % sizeof(void *) != 0 || (align & (align - 1)) != 0 || align == 0)
		return EINVAL;
	take(n);
	void *p = made(__libc_memalign(align, n));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	take(n);
	return made(__libc_valloc(n));
}

void *pvalloc(size_t n)
{
	take(n);
	return made(__libc_pvalloc(n));
}
#endif

#ifdef BUDGET_SANITIZER
/* The sanitizers' allocator interface (declared here: gcc installs no header for it). */
void __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
					       void (*free_hook)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	count((int64_t)n);
	uint64_t max = atomic_load_explicit(&limit, memory_order_relaxed);
	if (max && budget_used() > max)
		budget_exceeded();
}

static void on_free(const volatile void *p)
{
	count(-(int64_t)__sanitizer_get_allocated_size(p));
}

__attribute__((constructor)) static void install_hooks(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#endif
