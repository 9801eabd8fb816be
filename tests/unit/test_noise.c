/* model/noise: the gate's p-value against the normal distribution's tables, and the choice
 * of the sample counts on small profiles built here. TAP. */
#include <math.h>
#include <string.h>

#include "model/noise.h"
#include "tap.h"
#include "util/xalloc.h"

/* The normal distribution's upper quantiles, from its tables: P(Z > z) = p. */
static const struct {
	double z, p;
} quantiles[] = { { 0, 0.5 },           { 1.6448536, 0.05 },  { 2.3263479, 0.01 },
		  { 3.0902323, 0.001 }, { -1.6448536, 0.95 }, { 3.7190165, 0.0001 } };

static void test_p_above(void)
{
	for (size_t i = 0; i < sizeof(quantiles) / sizeof(quantiles[0]); i++) {
		double z = quantiles[i].z, want = quantiles[i].p;
		/* base 30, grown 70 (scale 1): a growth of 40 with variance 100. */
		double p = noise_p_above(30, 70, 1, 40 - 10 * z);
		tap_ok(fabs(p - want) < 1e-6 * want, "z %g: p %.9g, the table's %g", z, p, want);
		/* -normalize's factor 2 on the new side: 2*40 - 50 = 30, variance 4*40 + 50. */
		p = noise_p_above(50, 40, 2, 30 - sqrt(210) * z);
		tap_ok(fabs(p - want) < 1e-6 * want, "scaled, z %g: p %.9g, the table's %g", z, p,
		       want);
	}
	tap_ok(noise_p_above(0, 0, 1, 0) == 1, "no samples on either side: nothing grew");
	tap_ok(noise_p_above(0, 0, 1, -1) == 0, "no samples, a negative limit: past it");
	tap_ok(noise_p_above(10, 30, 1, 5) < noise_p_above(10, 30, 1, 10),
	       "a higher limit is harder to pass");
	tap_ok(noise_p_above(100, 300, 1, 100) < noise_p_above(10, 30, 1, 10),
	       "ten times the samples, the same shares: more certain");
}

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

/* A profile with the sample types "type/unit"... and the period period_type/unit. */
static struct profile *typed(const char *const *types, size_t n, const char *period_type,
			     const char *period_unit, int64_t period)
{
	struct profile *p = profile_new();
	XGROW(p->types, p->cap_types, n);
	for (size_t i = 0; i < n; i++) {
		const char *slash = strchr(types[i], '/');
		p->types[i].type = strtab_intern(&p->strs, types[i], (size_t)(slash - types[i]));
		p->types[i].unit = str(p, slash + 1);
	}
	p->n_types = n;
	p->period_type = (struct value_type){ str(p, period_type), str(p, period_unit) };
	p->period = period;
	return p;
}

static void test_measure(void)
{
	struct noise_measure m;
	const char *cpu[] = { "samples/count", "cpu/nanoseconds" };
	struct profile *p = typed(cpu, 2, "cpu", "nanoseconds", 10000000);
	tap_ok(noise_measure_find(p, 1, &m) && m.index == 1 && m.per_sample == 1e7,
	       "cpu: nanoseconds by the period");
	tap_ok(noise_measure_find(p, 0, &m) && m.index == 1 && m.per_sample == 1e7,
	       "cpu: the period's unit also for -sample_index=samples");
	profile_free(p);

	const char *heap[] = { "alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
			       "inuse_space/bytes" };
	p = typed(heap, 4, "space", "bytes", 524288);
	tap_ok(noise_measure_find(p, 3, &m) && m.index == 3 && m.per_sample == 524288,
	       "heap: inuse_space's own bytes by the period");
	tap_ok(noise_measure_find(p, 0, &m) && m.index == 1 && m.per_sample == 524288,
	       "heap: alloc_objects (estimates) counted by alloc_space");
	tap_ok(noise_measure_find(p, 2, &m) && m.index == 3 && m.per_sample == 524288,
	       "heap: inuse_objects counted by inuse_space");
	profile_free(p);

	const char *contention[] = { "contentions/count", "delay/nanoseconds" };
	p = typed(contention, 2, "", "", 0);
	tap_ok(noise_measure_find(p, 1, &m) && m.index == 0 && m.per_sample == 1,
	       "no period: the count type");
	profile_free(p);

	const char *space[] = { "space/bytes" };
	p = typed(space, 1, "", "", 0);
	tap_ok(!noise_measure_find(p, 0, &m), "no period and no count: no sample counts");
	profile_free(p);
}

int main(void)
{
	test_p_above();
	test_measure();
	return tap_done();
}
