/* util/gonum: Go's strconv.ParseInt and ParseUint, and math.Exp bit for bit, against the
 * values Go gave on the machine that wrote expect_gonum.h (tests/unit/gen). */
#include <string.h>

#include "expect_gonum.h"
#include "tap.h"
#include "util/gonum.h"

static int machine_has_fma(void)
{
#if defined(__x86_64__)
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

static unsigned long long bits(double d)
{
	unsigned long long u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

static double from_bits(unsigned long long u)
{
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(expect_parse) / sizeof(expect_parse[0]); i++) {
		const struct expect_parse *e = &expect_parse[i];
		int64_t v = 0;
		uint64_t u = 0;
		int ok = gonum_parse_int(e->s, strlen(e->s), e->base, &v) == 0;
		tap_int(ok, e->int_ok, "ParseInt(\"%s\", %d) accepted as Go does", e->s, e->base);
		if (ok && e->int_ok)
			tap_int(v, e->i, "ParseInt(\"%s\", %d) value", e->s, e->base);
		ok = gonum_parse_uint(e->s, strlen(e->s), e->base, &u) == 0;
		tap_int(ok, e->uint_ok, "ParseUint(\"%s\", %d) accepted as Go does", e->s, e->base);
		if (ok && e->uint_ok)
			tap_ok(u == e->u, "ParseUint(\"%s\", %d) value", e->s, e->base);
	}
	for (size_t i = 0; i < sizeof(expect_exp) / sizeof(expect_exp[0]); i++) {
		double x = from_bits(expect_exp[i][0]);
		unsigned long long got = bits(gonum_exp_path(x, EXPECT_EXP_FMA));
		tap_ok(got == expect_exp[i][1], "Exp(%.17g) = %016llx, want %016llx (%s FMA)", x,
		       got, expect_exp[i][1], EXPECT_EXP_FMA ? "with" : "without");
		got = bits(gonum_exp_path(x, false));
		tap_ok(got == expect_exp[i][2], "Exp(%.17g) = %016llx, want %016llx (without FMA)",
		       x, got, expect_exp[i][2]);
	}
	/* gonum_exp takes the path Go takes on this CPU. */
	double x = from_bits(expect_exp[5][0]);
	tap_ok(bits(gonum_exp(x)) == bits(gonum_exp_path(x, machine_has_fma())),
	       "gonum_exp takes this CPU's path");
	return tap_done();
}
