/* pprof's parseLegacy: the parsers tried in pprof's order on the whole input, the one that
 * takes it filling a struct lprof (legacy_private.h), which is then made a struct profile
 * with the drop_frames and keep_frames pprof's addLegacyFrameInfo gives each kind. */
#include "pprof/legacy.h"

#include <string.h>

#include "pprof/legacy_private.h"
#include "util/goint.h"
#include "util/gonum.h"
#include "util/xalloc.h"

/* pprof's frame patterns, by kind (its allocRxStr, allocSkipRxStr, lockRxStr and
 * cpuProfilerRxStr): the drop_frames and keep_frames of what the legacy parsers make. */
static const char alloc_rx[] =
	"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|"
	"realloc|tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|"
	"tc_posix_memalign|tc_pvalloc|tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|"
	"tc_deletearray|tc_new_nothrow|tc_newarray_nothrow|malloc_zone_malloc|"
	"malloc_zone_calloc|malloc_zone_valloc|malloc_zone_realloc|malloc_zone_memalign|"
	"malloc_zone_free|runtime\\..*|BaseArena::.*|(::)?do_malloc_no_errno|"
	"(::)?do_malloc_pages|(::)?do_malloc|DoSampledAllocation|"
	"MallocedMemBlock::MallocedMemBlock|_M_allocate|__builtin_(vec_)?delete|"
	"__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|__libc_malloc|"
	"__malloc_alloc_template::allocate|allocate|cpp_alloc|operator new(\\[\\])?|"
	"simple_alloc::allocate";
static const char alloc_skip_rx[] = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";
static const char lock_rx[] =
	"RecordLockProfileData|(base::)?RecordLockProfileData.*|"
	"(base::)?SubmitMutexProfileData.*|(base::)?SubmitSpinLockProfileData.*|"
	"(base::Mutex::)?AwaitCommon.*|(base::Mutex::)?Unlock.*|(base::Mutex::)?UnlockSlow.*|"
	"(base::Mutex::)?ReaderUnlock.*|(base::MutexLock::)?~MutexLock.*|"
	"(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|(Mutex::)?UnlockSlow.*|"
	"(Mutex::)?ReaderUnlock.*|(MutexLock::)?~MutexLock.*|(SpinLock::)?Unlock.*|"
	"(SpinLock::)?SlowUnlock.*|(SpinLockHolder::)?~SpinLockHolder.*";
static const char cpu_profiler_rx[] = "ProfileData::Add|ProfileData::prof_handler|"
				      "CpuProfiler::prof_handler|__pthread_sighandler|__restore";

/* The bytes of the first 64 KiB that only text has none of. */
#define SNIFF_LEN 65536

uint32_t lprof_loc(struct lprof *lp, uint64_t addr)
{
	uint32_t ix = hashmap_get(&lp->by_addr, addr);
	if (ix != HASHMAP_NONE)
		return ix;
	XGROW(lp->locs, lp->cap_locs, lp->n_locs + 1);
	ix = (uint32_t)lp->n_locs++;
	lp->locs[ix] = (struct lloc){
		.addr = addr, .map = PROFILE_NONE, .func = PROFILE_NONE, .order = PROFILE_NONE
	};
	hashmap_put(&lp->by_addr, addr, ix);
	return ix;
}

struct lsample *lprof_sample(struct lprof *lp)
{
	XGROW(lp->samples, lp->cap_samples, lp->n_samples + 1);
	struct lsample *s = &lp->samples[lp->n_samples++];
	memset(s, 0, sizeof(*s));
	s->first = (uint32_t)lp->n_frames;
	return s;
}

void lprof_frame(struct lprof *lp, struct lsample *s, uint32_t loc)
{
	XGROW(lp->frames, lp->cap_frames, lp->n_frames + 1);
	lp->frames[lp->n_frames++] = loc;
	s->n++;
}

void lprof_type(struct lprof *lp, struct lstr type, struct lstr unit)
{
	lp->types[lp->n_types][0] = type;
	lp->types[lp->n_types][1] = unit;
	lp->n_types++;
}

void legacy_unsample(int64_t count, int64_t size, int64_t rate, int64_t *out_count,
		     int64_t *out_size)
{
	if (count == 0 || size == 0) {
		*out_count = *out_size = 0;
		return;
	}
	if (rate <= 1) {
		*out_count = count;
		*out_size = size;
		return;
	}
	double avg = (double)size / (double)count;
	double scale = 1 / (1 - gonum_exp(-avg / (double)rate));
	*out_count = f2i((double)count * scale);
	*out_size = f2i((double)size * scale);
}

static void lprof_init(struct lprof *lp)
{
	memset(lp, 0, sizeof(*lp));
	hashmap_init(&lp->by_addr, 256);
}

static void lprof_release(struct lprof *lp)
{
	hashmap_release(&lp->by_addr);
	free(lp->locs);
	free(lp->frames);
	free(lp->samples);
	free(lp->maps);
	free(lp->funcs);
	free(lp->order);
	for (size_t i = 0; i < lp->n_texts; i++)
		free(lp->texts[i]);
	free(lp->texts);
}

static uint32_t intern(struct profile *p, struct lstr s)
{
	return s.n ? strtab_intern(&p->strs, s.s, s.n) : 0;
}

/* pprof's isProfileType on the sample types' names. */
static bool types_are(const struct lprof *lp, const char *const *names, size_t n)
{
	if (lp->n_types != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!lstr_eq(lp->types[i][0], names[i]))
			return false;
	return true;
}

/* addLegacyFrameInfo: heap profiles drop allocator frames, contention profiles lock
 * frames, all others the CPU profiler's own. */
static void frame_info(const struct lprof *lp, struct profile *p)
{
	static const char *const heap1[] = { "allocations", "size" };
	static const char *const heap2[] = { "objects", "space" };
	static const char *const heap3[] = { "inuse_objects", "inuse_space" };
	static const char *const heap4[] = { "alloc_objects", "alloc_space" };
	static const char *const heap5[] = { "alloc_objects", "alloc_space", "inuse_objects",
					     "inuse_space" };
	static const char *const contention[] = { "contentions", "delay" };
	const char *drop = cpu_profiler_rx, *keep = "";
	if (types_are(lp, heap1, 2) || types_are(lp, heap2, 2) || types_are(lp, heap3, 2) ||
	    types_are(lp, heap4, 2) || types_are(lp, heap5, 4)) {
		drop = alloc_rx;
		keep = alloc_skip_rx;
	} else if (types_are(lp, contention, 2)) {
		drop = lock_rx;
	}
	p->drop_frames = strtab_intern(&p->strs, drop, strlen(drop));
	p->keep_frames = strtab_intern(&p->strs, keep, strlen(keep));
}

/* The mappings, functions and locations, numbered as pprof's remapping left them. */
static void convert_tables(const struct lprof *lp, struct profile *p)
{
	p->mappings = xcalloc(lp->n_maps ? lp->n_maps : 1, sizeof(*p->mappings));
	p->cap_mappings = lp->n_maps ? lp->n_maps : 1;
	for (size_t i = 0; i < lp->n_maps; i++) {
		const struct lmap *m = &lp->maps[i];
		p->mappings[i] = (struct mapping){ .id = i + 1,
						   .start = m->start,
						   .limit = m->limit,
						   .offset = m->offset,
						   .file = intern(p, m->file),
						   .build_id = intern(p, m->build_id) };
	}
	p->n_mappings = lp->n_maps;

	/* remapFunctionIDs: functions in order of first use by the locations. */
	uint32_t *func_ix = xmalloc((lp->n_funcs ? lp->n_funcs : 1) * sizeof(*func_ix));
	for (size_t i = 0; i < lp->n_funcs; i++)
		func_ix[i] = PROFILE_NONE;
	XGROW(p->locations, p->cap_locations, lp->n_order);
	XGROW(p->lines, p->cap_lines, lp->n_order);
	for (size_t i = 0; i < lp->n_order; i++) {
		const struct lloc *l = &lp->locs[lp->order[i]];
		struct location *o = &p->locations[i];
		*o = (struct location){ .id = i + 1,
					.mapping = l->map,
					.address = l->addr,
					.first_line = (uint32_t)p->n_lines };
		if (l->func == PROFILE_NONE)
			continue;
		if (func_ix[l->func] == PROFILE_NONE) {
			const struct lfunc *f = &lp->funcs[l->func];
			XGROW(p->functions, p->cap_functions, p->n_functions + 1);
			uint32_t name = intern(p, f->name);
			p->functions[p->n_functions] =
				(struct function){ .id = p->n_functions + 1,
						   .name = name,
						   .system_name = name,
						   .filename = intern(p, f->file) };
			func_ix[l->func] = (uint32_t)p->n_functions++;
		}
		p->lines[p->n_lines++] =
			(struct line){ .function = func_ix[l->func], .line = l->line };
		o->n_lines = 1;
	}
	p->n_locations = lp->n_order;
	free(func_ix);
}

static int convert_samples(const struct lprof *lp, struct profile *p, struct cprof_error *err)
{
	struct stack_set set;
	struct hashmap label_lists;
	struct stack_buf buf = { 0 };
	stack_set_init(&set, lp->n_samples + 16);
	hashmap_init(&label_lists, 16);
	uint32_t bytes_key = strtab_intern(&p->strs, "bytes", 5);
	int rc = 0;
	XGROW(p->samples, p->cap_samples, lp->n_samples);
	if (lp->n_samples && p->n_types)
		XGROW(p->values, p->cap_values, lp->n_samples * p->n_types);
	for (size_t s = 0; s < lp->n_samples; s++) {
		const struct lsample *ls = &lp->samples[s];
		if (p->n_stack_bytes + STACK_ROOM(ls->n) > UINT32_MAX || s >= UINT32_MAX - 1) {
			rc = error_set(err, "profile too large (over 4 GiB of stacks)");
			break;
		}
		if (ls->n >= buf.cap)
			stack_buf_grow(&buf, ls->n);
		for (uint32_t k = 0; k < ls->n; k++)
			buf.locs[k] = lp->locs[lp->frames[ls->first + k]].order;
		struct sample *o = &p->samples[s];
		o->stack = profile_add_stack(p, &set, buf.locs, ls->n);
		memcpy(p->values + s * p->n_types, ls->v, p->n_types * sizeof(int64_t));
		o->first_label = (uint32_t)p->n_labels;
		o->n_labels = 0;
		if (ls->has_bytes) {
			XGROW(p->labels, p->cap_labels, p->n_labels + 1);
			p->labels[p->n_labels++] =
				(struct label){ .key = bytes_key, .num = ls->bytes };
			o->n_labels = 1;
			o->first_label = profile_share_labels(p, &label_lists, 1);
		}
		p->n_samples++;
	}
	stack_buf_release(&buf);
	stack_set_release(&set);
	hashmap_release(&label_lists);
	return rc;
}

static int convert(const struct lprof *lp, struct profile *p, struct cprof_error *err)
{
	if (lp->n_types == 0 && lp->n_samples)
		return error_set(err, "malformed profile: missing sample type information");
	XGROW(p->types, p->cap_types, lp->n_types ? lp->n_types : 1);
	for (size_t i = 0; i < lp->n_types; i++)
		p->types[i] = (struct value_type){ intern(p, lp->types[i][0]),
						   intern(p, lp->types[i][1]) };
	p->n_types = lp->n_types;
	p->period_type =
		(struct value_type){ intern(p, lp->period_type[0]), intern(p, lp->period_type[1]) };
	p->period = lp->period;
	p->duration_nanos = lp->duration;
	frame_info(lp, p);
	convert_tables(lp, p);
	return convert_samples(lp, p, err);
}

int legacy_parse_one(enum legacy_parser which, const uint8_t *data, size_t len, struct profile *p,
		     struct cprof_error *err)
{
	static int (*const parsers[LEGACY_N_PARSERS])(const uint8_t *, size_t, struct lprof *,
						      struct cprof_error *) = {
		[LEGACY_CPU] = legacy_cpu,
		[LEGACY_HEAP] = legacy_heap,
		[LEGACY_COUNT] = legacy_count,
		[LEGACY_THREAD] = legacy_thread,
		[LEGACY_CONTENTION] = legacy_contention,
		[LEGACY_JAVA] = legacy_java,
	};
	struct lprof lp;
	lprof_init(&lp);
	err->msg[0] = '\0';
	int rc = parsers[which](data, len, &lp, err);
	if (rc == LEGACY_OK)
		rc = convert(&lp, p, err) < 0 ? LEGACY_FAIL : LEGACY_OK;
	lprof_release(&lp);
	return rc;
}

int legacy_parse(const uint8_t *data, size_t len, struct profile *p, struct cprof_error *err)
{
	/* Why the first parser that knew the header gave up, should no later one take it. */
	struct cprof_error closest = { "" };
	for (int i = 0; i < LEGACY_N_PARSERS; i++) {
		int rc = legacy_parse_one((enum legacy_parser)i, data, len, p, err);
		if (rc != LEGACY_NOT_MINE)
			return rc;
		if (!closest.msg[0] && err->msg[0])
			closest = *err;
	}
	*err = closest;
	return LEGACY_NOT_MINE;
}

/* A gperftools or Java CPU profile's header, in any of the word sizes and byte orders. */
static bool cpu_header(const uint8_t *h, size_t n)
{
	for (int wide = 0; wide < 2; wide++) {
		size_t w = wide ? 8 : 4;
		if (n < 5 * w)
			continue;
		for (int big = 0; big < 2; big++) {
			uint64_t v[5];
			for (int k = 0; k < 5; k++) {
				v[k] = 0;
				for (size_t b = 0; b < w; b++) {
					size_t at = big ? b : w - 1 - b;
					v[k] = v[k] << 8 | h[k * w + at];
				}
			}
			if (v[0] == 0 && v[1] == 3 && v[2] <= 1 && v[3] > 0 && v[4] == 0)
				return true;
		}
	}
	return false;
}

static bool has(const uint8_t *h, size_t n, const char *word)
{
	return lstr_contains((struct lstr){ (const char *)h, n }, word);
}

enum legacy_guess legacy_sniff(const uint8_t *head, size_t n)
{
	if (n > SNIFF_LEN)
		n = SNIFF_LEN;
	if (cpu_header(head, n))
		return LEGACY_LIKELY;
	bool text = true;
	for (size_t i = 0; i < n && text; i++)
		text = head[i] > 0x08;
	if (text)
		return LEGACY_LIKELY;
	/* Every text header has one of these: heap, growthz and fragmentationz profiles;
	 * goroutine and threadcreate; threadz, contention, mutex and Java's. */
	if (has(head, n, "heap profile:") || has(head, n, " profile: total ") ||
	    has(head, n, "--- "))
		return LEGACY_MAYBE;
	return LEGACY_NO;
}
