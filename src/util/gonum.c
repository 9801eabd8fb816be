/* See gonum.h. The parsers follow Go 1.19's strconv/atoi.go; gonum_exp follows
 * math/exp_amd64.s step by step (a simplified SLEEF exp: argument reduction by ln 2, a
 * Taylor series on x/16, squared back four times), both of its paths. */
#include "util/gonum.h"

#include <math.h>
#include <stdbool.h>

static unsigned char lower(unsigned char c)
{
	return c | ('x' - 'X');
}

/* strconv's underscoreOK, on the number without its sign. */
static bool underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;
	if (n >= 2 && s[0] == '0' &&
	    (lower((unsigned char)s[1]) == 'b' || lower((unsigned char)s[1]) == 'o' ||
	     lower((unsigned char)s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower((unsigned char)s[1]) == 'x';
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

int gonum_parse_uint(const char *s, size_t n, int base, uint64_t *out)
{
	if (n == 0)
		return -1;
	const char *s0 = s;
	size_t n0 = n;
	bool base0 = base == 0;
	if (base0) {
		base = 10;
		if (s[0] == '0') {
			unsigned char c = n >= 3 ? lower((unsigned char)s[1]) : 0;
			base = c == 'b' ? 2 : c == 'o' ? 8 : c == 'x' ? 16 : 8;
			size_t skip = c == 'b' || c == 'o' || c == 'x' ? 2 : 1;
			s += skip;
			n -= skip;
		}
	} else if (base < 2 || base > 36) {
		return -1;
	}
	uint64_t cutoff = UINT64_MAX / (uint64_t)base + 1, v = 0;
	bool underscores = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], d;
		if (c == '_' && base0) {
			underscores = true;
			continue;
		} else if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = lower(c) - 'a' + 10;
		} else {
			return -1;
		}
		if (d >= base || v >= cutoff)
			return -1;
		v *= (uint64_t)base;
		if (v + d < v)
			return -1;
		v += d;
	}
	if (underscores && !underscore_ok(s0, n0))
		return -1;
	*out = v;
	return 0;
}

int gonum_parse_int(const char *s, size_t n, int base, int64_t *out)
{
	if (n == 0)
		return -1;
	bool neg = false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		s++;
		n--;
	}
	uint64_t u;
	if (gonum_parse_uint(s, n, base, &u) < 0)
		return -1;
	if ((!neg && u >= (uint64_t)1 << 63) || (neg && u > (uint64_t)1 << 63))
		return -1;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* Go's internal/cpu: FMA is used when the CPU has AVX (with the OS saving its state) and
 * FMA. */
static bool use_fma(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	static int known = -1;
	if (known < 0) {
		__builtin_cpu_init();
		known = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
	}
	return known;
#else
	return false;
#endif
}

/* CVTSD2SL: round to nearest even (the default mode), 0x80000000 when out of range. */
static int32_t cvtsd2sl(double x)
{
	double r = nearbyint(x);
	if (!(r >= -2147483648.0 && r <= 2147483647.0))
		return INT32_MIN;
	return (int32_t)r;
}

static double from_bits(uint64_t b)
{
	union {
		uint64_t u;
		double d;
	} v = { .u = b };
	return v.d;
}

static uint64_t to_bits(double d)
{
	union {
		double d;
		uint64_t u;
	} v = { .d = d };
	return v.u;
}

double gonum_exp(double x)
{
	return gonum_exp_path(x, use_fma());
}

double gonum_exp_path(double x, bool fma_path)
{
	static const double ln2u = 0.69314718055966295651160180568695068359375;
	static const double ln2l = 0.28235290563031577122588448175013436025525412068e-12;
	static const double log2e = 1.4426950408889634073599246810018920;
	static const double overflow = 7.09782712893384e+02;
	static const double t[] = {
		0.5,
		1.0,
		2.0,
		1.6666666666666666667e-1,
		4.1666666666666666667e-2,
		8.3333333333333333333e-3,
		1.3888888888888888889e-3,
		1.9841269841269841270e-4,
		2.4801587301587301587e-5,
	};
	uint64_t bits = to_bits(x);
	if ((bits & ~((uint64_t)1 << 63)) >= 0x7ff0000000000000) {
		if (bits == 0xfff0000000000000)
			return 0; /* -Inf */
		return x;         /* NaN or +Inf */
	}
	if (x > overflow)
		return HUGE_VAL;
	int32_t e = cvtsd2sl(log2e * x);
	double k = (double)e, a, b;
	if (fma_path) {
		a = fma(-ln2u, k, x);
		a = fma(-ln2l, k, a);
		a *= 0.0625;
		b = t[8];
		b = fma(b, a, t[7]);
		b = fma(b, a, t[6]);
		b = fma(b, a, t[5]);
		b = fma(b, a, t[4]);
		b = fma(b, a, t[3]);
		b = fma(b, a, t[0]);
		b = fma(b, a, t[1]);
		a *= b;
		for (int i = 0; i < 3; i++) {
			b = a + t[2];
			a *= b;
		}
		b = a + t[2];
		a = fma(a, b, t[1]);
	} else {
		volatile double m; /* keeps each product rounded on its own, as MULSD does */
		m = ln2u * k;
		a = x - m;
		m = ln2l * k;
		a = a - m;
		a *= 0.0625;
		b = t[8];
		for (int i = 7; i >= 3; i--) {
			m = b * a;
			b = m + t[i];
		}
		m = b * a;
		b = m + t[0];
		m = b * a;
		b = m + t[1];
		a *= b;
		for (int i = 0; i < 4; i++) {
			b = t[2] + a;
			a *= b;
		}
		a += t[1];
	}
	/* a * 2**e, with Go's handling of the exponent's range */
	int64_t be = (int64_t)e + 0x3ff;
	if (be <= 0) {
		if (be < -52)
			return 0;
		a *= from_bits((uint64_t)(be + 0x3fe) << 52);
		be = 1;
	} else if (be >= 0x7ff) {
		return HUGE_VAL;
	}
	return a * from_bits((uint64_t)be << 52);
}
