/* The text heap and contention profiles, as pprof's parseHeap and parseContention read
 * them: "heap profile: N: B [N: B] @ heap/RATE" (heap, heap_v2, heapz_v2, heapprofile),
 * growthz and fragmentationz headers, then "N: B [N: B] @ ADDRS" lines, values unsampled
 * with Go's math; "--- contention:", "--- mutex:" or "--- contentionz " with its
 * "name = value" attributes, then "CYCLES COUNT @ ADDRS" lines. */
#include <inttypes.h>
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/goint.h"
#include "util/gonum.h"
#include "util/xalloc.h"

#define HEAP_HEADER_RE                                                                             \
	"heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*)/?(\\d*)"
#define HEAP_SAMPLE_RE "(-?\\d+): *(-?\\d+) *\\[ *(\\d+): *(\\d+) *] @([ x0-9a-f]*)"
#define GROWTH_HEADER_RE "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ growthz?"
#define FRAGMENTATION_HEADER_RE                                                                    \
	"heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] @ fragmentationz?"
#define CONTENTION_SAMPLE_RE "(\\d+) *(\\d+) @([ x0-9a-f]*)"

struct heap {
	bool v2;        /* values are sampled: unsample them */
	bool has_alloc; /* allocated as well as in-use values */
	const struct regex *sample;
	struct addrs addrs;
};

/* parseHeapHeader on a line heapHeaderRE matched (groups g). */
static int heap_header(struct lstr line, const struct regex_span *g, struct heap *h,
		       struct lprof *lp, struct cprof_error *err)
{
	struct lstr rate = lstr_sub(line, &g[6]), kind = lstr_sub(line, &g[5]);
	int64_t period = 0;
	if (rate.n && gonum_parse_int(rate.s, rate.n, 10, &period) < 0) {
		error_set(err, "heap profile: its sampling rate is past 64 bits");
		return LEGACY_NOT_MINE;
	}
	struct lstr n1 = lstr_sub(line, &g[1]), n2 = lstr_sub(line, &g[2]);
	struct lstr n3 = lstr_sub(line, &g[3]), n4 = lstr_sub(line, &g[4]);
	h->has_alloc = (!lstr_same(n3, n1) && !lstr_eq(n3, "0")) ||
		       (!lstr_same(n4, n2) && !lstr_eq(n4, "0"));
	if (lstr_eq(kind, "heapz_v2") || lstr_eq(kind, "heap_v2")) {
		h->v2 = true;
		lp->period = period;
	} else if (lstr_eq(kind, "heapprofile")) {
		lp->period = 1;
	} else if (lstr_eq(kind, "heap")) {
		h->v2 = true;
		lp->period = period / 2;
	} else {
		error_set(err,
			  "heap profile: unknown kind \"%.*s\" (heap, heap_v2, heapz_v2 or "
			  "heapprofile)",
			  (int)(kind.n > 64 ? 64 : kind.n), kind.s);
		return LEGACY_NOT_MINE;
	}
	return LEGACY_OK;
}

/* One count and size pair of a sample (pprof's addValues): what they say, and the block
 * size they give. */
static int heap_values(struct lstr c, struct lstr b, const char *what, const struct heap *h,
		       struct lprof *lp, const struct lscan *s, int64_t *out, int64_t *blocksize,
		       struct cprof_error *err)
{
	int64_t count, size;
	if (gonum_parse_int(c.s, c.n, 10, &count) < 0 || gonum_parse_int(b.s, b.n, 10, &size) < 0)
		return error_set(err, "heap profile: line %zu: %s count or bytes past 64 bits",
				 s->line_no, what);
	if (count == 0 && size != 0)
		return error_set(err,
				 "heap profile: line %zu: %s count is 0 but %s bytes is %" PRId64,
				 s->line_no, what, what, size);
	if (count != 0) {
		*blocksize = div64(size, count);
		if (h->v2)
			legacy_unsample(count, size, lp->period, &count, &size);
	}
	out[0] = count;
	out[1] = size;
	return 0;
}

static int heap_sample(struct lstr line, struct heap *h, struct lprof *lp, const struct lscan *s,
		       struct cprof_error *err)
{
	struct regex_span g[6];
	if (!regex_find(h->sample, line.s, line.n, g, 6))
		return error_set(err,
				 "heap profile: line %zu is not a sample (\"N: BYTES [N: BYTES] @ "
				 "ADDRESSES\")",
				 s->line_no);
	int64_t v[4], blocksize = 0;
	int k = 0;
	if (h->has_alloc) {
		if (heap_values(lstr_sub(line, &g[3]), lstr_sub(line, &g[4]), "allocation", h, lp,
				s, v, &blocksize, err) < 0)
			return -1;
		k = 2;
	}
	if (heap_values(lstr_sub(line, &g[1]), lstr_sub(line, &g[2]), "inuse", h, lp, s, v + k,
			&blocksize, err) < 0)
		return -1;
	h->addrs.n = 0;
	if (lstr_hex(lstr_sub(line, &g[5]), &h->addrs) < 0)
		return error_set(err, "heap profile: line %zu: an address is past 64 bits",
				 s->line_no);
	struct lsample *smp = lprof_sample_at(lp, &h->addrs, 0);
	memcpy(smp->v, v, (size_t)(k + 2) * sizeof(int64_t));
	smp->bytes = blocksize;
	smp->has_bytes = true;
	return 0;
}

/* What the first line says: LEGACY_OK with the period and kind set, or not a heap
 * profile. */
static int heap_first_line(struct lstr line, struct heap *h, struct lprof *lp,
			   struct cprof_error *err)
{
	static const struct regex *_Atomic heap_header_re;
	const struct regex *header = regex_fixed(&heap_header_re, HEAP_HEADER_RE);
	struct regex_span g[7];
	int rc = LEGACY_NOT_MINE;
	if (regex_find(header, line.s, line.n, g, 7)) {
		rc = heap_header(line, g, h, lp, err);
	} else {
		static const struct regex *_Atomic growth_header_re;
		const struct regex *growth = regex_fixed(&growth_header_re, GROWTH_HEADER_RE);
		static const struct regex *_Atomic fragmentation_header_re;
		const struct regex *frag =
			regex_fixed(&fragmentation_header_re, FRAGMENTATION_HEADER_RE);
		if (regex_find(growth, line.s, line.n, g, 1) ||
		    regex_find(frag, line.s, line.n, g, 1)) {
			lp->period = 1;
			rc = LEGACY_OK;
		}
	}
	return rc;
}

int legacy_heap(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct lscan s;
	lscan_init(&s, (const char *)data, len);
	if (!lscan_next(&s))
		return s.too_long ? lscan_too_long(&s, "profile", err) : LEGACY_NOT_MINE;
	struct heap h = { 0 };
	int rc = heap_first_line(s.line, &h, lp, err);
	if (rc != LEGACY_OK)
		return rc;
	lp->period_type[0] = LSTR("space");
	lp->period_type[1] = LSTR("bytes");
	if (h.has_alloc) {
		/* alloc before inuse, so that pprof's default is inuse_space */
		lprof_type(lp, LSTR("alloc_objects"), LSTR("count"));
		lprof_type(lp, LSTR("alloc_space"), LSTR("bytes"));
		lprof_type(lp, LSTR("inuse_objects"), LSTR("count"));
		lprof_type(lp, LSTR("inuse_space"), LSTR("bytes"));
	} else {
		lprof_type(lp, LSTR("objects"), LSTR("count"));
		lprof_type(lp, LSTR("space"), LSTR("bytes"));
	}
	static const struct regex *_Atomic heap_sample_re;
	h.sample = regex_fixed(&heap_sample_re, HEAP_SAMPLE_RE);
	while (lscan_next(&s)) {
		struct lstr line = lstr_trim(s.line);
		if (lstr_blank_or_comment(line))
			continue;
		if (lstr_map_sentinel(line))
			break;
		if (heap_sample(line, &h, lp, &s, err) < 0) {
			rc = LEGACY_FAIL;
			break;
		}
	}
	free(h.addrs.v);
	if (rc != LEGACY_OK)
		return rc;
	if (s.too_long)
		return lscan_too_long(&s, "heap profile", err);
	return lprof_additional_sections(lp, &s, err);
}

struct contention {
	int64_t cpu_hz;
	const struct regex *sample;
	struct addrs addrs;
};

/* The "name = value" lines before the samples: LEGACY_OK at the first line that is not
 * one, LEGACY_NOT_MINE for an attribute C++ contention profiles do not have. */
static int contention_attributes(struct contention *c, struct lscan *s, struct lprof *lp,
				 struct cprof_error *err)
{
	while (lscan_next(s)) {
		struct lstr line = lstr_trim(s->line);
		if (lstr_blank_or_comment(line))
			continue;
		if (lstr_prefix(line, "---"))
			break;
		const char *eq = memchr(line.s, '=', line.n);
		if (!eq)
			break;
		struct lstr key = lstr_trim((struct lstr){ line.s, (size_t)(eq - line.s) });
		struct lstr val =
			lstr_trim((struct lstr){ eq + 1, line.n - (size_t)(eq + 1 - line.s) });
		int64_t v;
		bool known = lstr_eq(key, "cycles/second") || lstr_eq(key, "sampling period") ||
			     lstr_eq(key, "ms since reset");
		if (known && gonum_parse_int(val.s, val.n, 0, &v) < 0) {
			error_set(err, "contention profile: line %zu: \"%.*s\" is not an integer",
				  s->line_no, (int)(key.n > 64 ? 64 : key.n), key.s);
			return LEGACY_NOT_MINE;
		}
		if (lstr_eq(key, "cycles/second"))
			c->cpu_hz = v;
		else if (lstr_eq(key, "sampling period"))
			lp->period = v;
		else if (lstr_eq(key, "ms since reset"))
			lp->duration = mul64(mul64(v, 1000), 1000);
		else if (lstr_eq(key, "format") || lstr_eq(key, "resolution"))
			return LEGACY_NOT_MINE; /* Java's contentionz */
		else if (!lstr_eq(key, "discarded samples")) {
			error_set(err, "contention profile: line %zu: unknown attribute",
				  s->line_no);
			return LEGACY_NOT_MINE;
		}
	}
	return s->too_long ? lscan_too_long(s, "contention profile", err) : LEGACY_OK;
}

/* pprof's parseContentionSample: "CYCLES COUNT @ ADDRS", unsampled with the period and
 * the clock rate when the profile has them. */
static int contention_sample(struct contention *c, struct lstr line, const struct lscan *s,
			     struct lprof *lp, struct cprof_error *err)
{
	struct regex_span g[4];
	if (!regex_find(c->sample, line.s, line.n, g, 4)) {
		error_set(err,
			  "contention profile: line %zu is not a sample (\"CYCLES COUNT @ "
			  "ADDRESSES\")",
			  s->line_no);
		return LEGACY_NOT_MINE;
	}
	struct lstr a = lstr_sub(line, &g[1]), b = lstr_sub(line, &g[2]);
	int64_t v1, v2;
	if (gonum_parse_int(a.s, a.n, 10, &v1) < 0 || gonum_parse_int(b.s, b.n, 10, &v2) < 0)
		return error_set(err, "contention profile: line %zu: a value is past 64 bits",
				 s->line_no);
	int64_t period = lp->period;
	if (period > 0) {
		if (c->cpu_hz > 0) {
			double ghz = (double)c->cpu_hz / 1e9;
			v1 = f2i((double)v1 * (double)period / ghz);
		}
		v2 = mul64(v2, period);
	}
	c->addrs.n = 0;
	if (lstr_hex(lstr_sub(line, &g[3]), &c->addrs) < 0)
		return error_set(err, "contention profile: line %zu: an address is past 64 bits",
				 s->line_no);
	struct lsample *smp = lprof_sample_at(lp, &c->addrs, 0);
	smp->v[0] = v2;
	smp->v[1] = v1;
	return LEGACY_OK;
}

int legacy_contention(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct lscan s;
	lscan_init(&s, (const char *)data, len);
	if (!lscan_next(&s))
		return s.too_long ? lscan_too_long(&s, "profile", err) : LEGACY_NOT_MINE;
	if (!lstr_prefix(s.line, "--- contentionz ") && !lstr_prefix(s.line, "--- mutex:") &&
	    !lstr_prefix(s.line, "--- contention:"))
		return LEGACY_NOT_MINE;
	lp->period_type[0] = LSTR("contentions");
	lp->period_type[1] = LSTR("count");
	lp->period = 1;
	lprof_type(lp, LSTR("contentions"), LSTR("count"));
	lprof_type(lp, LSTR("delay"), LSTR("nanoseconds"));
	struct contention c = { 0 };
	int rc = contention_attributes(&c, &s, lp, err);
	if (rc != LEGACY_OK)
		return rc;
	static const struct regex *_Atomic contention_sample_re;
	c.sample = regex_fixed(&contention_sample_re, CONTENTION_SAMPLE_RE);
	for (;;) {
		struct lstr line = lstr_trim(s.line);
		if (lstr_prefix(line, "---"))
			break;
		if (!lstr_blank_or_comment(line)) {
			rc = contention_sample(&c, line, &s, lp, err);
			if (rc != LEGACY_OK)
				break;
		}
		if (!lscan_next(&s))
			break;
	}
	free(c.addrs.v);
	if (rc != LEGACY_OK)
		return rc;
	if (s.too_long)
		return lscan_too_long(&s, "contention profile", err);
	return lprof_additional_sections(lp, &s, err);
}
