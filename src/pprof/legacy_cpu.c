/* gperftools' binary CPU profiles (and Java's, which share the format): a header of five
 * words (0, 3, 0 or 1 for Java, the sampling period in microseconds, 0) in 32- or 64-bit
 * words of either byte order, then samples (count, depth, addresses) up to the end marker
 * (0, 1, 0), then the memory map as text (Java: its symbol table). As pprof's parseCPU. */
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/goint.h"
#include "util/xalloc.h"

/* pprof's cpuInts: 32-bit little-endian, 32-bit big-endian, 64-bit little, 64-bit big. */
struct words {
	const uint8_t *p; /* NULL once a read ran out, as Go's nil slice */
	size_t n;
	size_t size;
	bool big;
};

/* The next word; at the end (fewer than a word's bytes left) 0, and the reader is spent. */
static uint64_t word(struct words *w)
{
	if (!w->p || w->n < w->size) {
		w->p = NULL;
		w->n = 0;
		return 0;
	}
	uint64_t v = 0;
	for (size_t b = 0; b < w->size; b++)
		v = v << 8 | w->p[w->big ? b : w->size - 1 - b];
	w->p += w->size;
	w->n -= w->size;
	return v;
}

static uint64_t adjust_caller(uint64_t addr, size_t i)
{
	return i > 0 ? addr - 1 : addr;
}

/* parseCPUSamples: samples until the end marker or the end of the data; *w is left at what
 * follows. adjust: callers' addresses less 1 (C++; Java's are ids). */
static int samples(struct words *w, bool adjust, struct lprof *lp, struct cprof_error *err)
{
	uint64_t *addrs = NULL;
	size_t cap = 0;
	int rc = LEGACY_OK;
	while (w->p && w->n > 0) {
		size_t at = (size_t)(w->n);
		uint64_t count = word(w), depth = word(w);
		/* pprof checks the depth against a quarter of what is left, whatever the word
		 * size: with 8-byte words a stack can claim twice what is there, and the
		 * missing addresses read as 0. */
		if (!w->p || depth > w->n / 4) {
			error_set(err,
				  "CPU profile: the sample %zu bytes before the end claims %llu "
				  "frames, more than the data holds",
				  at, (unsigned long long)depth);
			rc = LEGACY_NOT_MINE;
			break;
		}
		if (depth > cap) {
			cap = (size_t)depth;
			free(addrs);
			addrs = xmalloc(cap * sizeof(*addrs));
		}
		for (uint64_t i = 0; i < depth; i++)
			addrs[i] = word(w);
		if (count == 0 && depth == 1 && addrs[0] == 0)
			break; /* the end marker */
		struct lsample *s = lprof_sample(lp);
		for (uint64_t i = 0; i < depth; i++) {
			uint64_t a = adjust ? adjust_caller(addrs[i], (size_t)i) : addrs[i];
			lprof_frame(lp, s, lprof_loc(lp, a));
		}
		s->v[0] = (int64_t)count;
		s->v[1] = mul64((int64_t)count, lp->period);
	}
	free(addrs);
	return rc;
}

/* pprof strips up to two second-from-leaf frames that (nearly) every sample shares: the
 * signal handler's, not the program's. */
static void strip_handler_frames(struct lprof *lp)
{
	size_t margin = lp->n_samples / 32;
	for (int iter = 0; iter < 2; iter++) {
		uint32_t *n_by = xmalloc((lp->n_locs ? lp->n_locs : 1) * sizeof(*n_by));
		memset(n_by, 0, (lp->n_locs ? lp->n_locs : 1) * sizeof(*n_by));
		/* Locations are one per address here, so counting by location counts by
		 * address. At most one address can reach the threshold. */
		uint32_t found = PROFILE_NONE;
		for (size_t s = 0; s < lp->n_samples; s++) {
			const struct lsample *smp = &lp->samples[s];
			if (smp->n > 1)
				n_by[lp->frames[smp->first + 1]]++;
		}
		for (size_t l = 0; l < lp->n_locs; l++)
			if (n_by[l] > 0 && n_by[l] >= lp->n_samples - margin)
				found = (uint32_t)l;
		free(n_by);
		if (found == PROFILE_NONE)
			continue;
		for (size_t s = 0; s < lp->n_samples; s++) {
			struct lsample *smp = &lp->samples[s];
			uint32_t *f = lp->frames + smp->first;
			if (smp->n > 1 && f[1] == found) {
				memmove(f + 1, f + 2, (smp->n - 2) * sizeof(*f));
				smp->n--;
			}
		}
	}
}

static int cpp_profile(struct words *w, struct lprof *lp, struct cprof_error *err)
{
	int rc = samples(w, true, lp, err);
	if (rc != LEGACY_OK)
		return rc;
	strip_handler_frames(lp);
	struct lscan s; /* what follows the samples, if anything (a NULL + 0 is undefined) */
	lscan_init(&s, w->p ? (const char *)w->p : "", w->p ? w->n : 0);
	if (lprof_memory_map(lp, &s, err) != LEGACY_OK)
		return LEGACY_FAIL;
	lprof_drop_duplicate_leaf(lp);
	return LEGACY_OK;
}

static int java_profile(struct words *w, struct lprof *lp, struct cprof_error *err)
{
	int rc = samples(w, false, lp, err);
	if (rc != LEGACY_OK)
		return rc;
	if (legacy_java_symbols(w->p ? (const char *)w->p : "", w->p ? w->n : 0, lp, err) !=
	    LEGACY_OK)
		return LEGACY_FAIL;
	legacy_java_strip_addresses(lp);
	return LEGACY_OK;
}

int legacy_cpu(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	for (int k = 0; k < 4; k++) {
		struct words w = { data, len, k < 2 ? 4 : 8, k % 2 == 1 };
		uint64_t h[5];
		for (int i = 0; i < 5; i++)
			h[i] = word(&w);
		if (!w.p || h[0] != 0 || h[1] != 3 || h[2] > 1 || h[3] == 0 || h[4] != 0)
			continue;
		lp->period = mul64((int64_t)h[3], 1000);
		lp->period_type[0] = LSTR("cpu");
		lp->period_type[1] = LSTR("nanoseconds");
		lprof_type(lp, LSTR("samples"), LSTR("count"));
		lprof_type(lp, LSTR("cpu"), LSTR("nanoseconds"));
		return h[2] == 0 ? cpp_profile(&w, lp, err) : java_profile(&w, lp, err);
	}
	return LEGACY_NOT_MINE;
}
