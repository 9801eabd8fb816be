/* pprof's measurement rules, kept table-driven: each unit family lists its units with
 * aliases and a factor relative to the smallest. */
#include "model/measure.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct family {
	const struct unit *units;
	size_t n;
	struct unit def; /* what a value is shown in when the target unit is unknown */
};

static const struct unit bytes_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
	{ "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
	{ "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
	{ "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
	{ "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 },
};

static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },    { "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 }, { "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3600e9 },
};

static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 },  { "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 }, { "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },   { "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },   { "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct family families[] = {
	{ bytes_units, N(bytes_units), { "B", { 0 }, 1 } },
	{ time_units, N(time_units), { "s", { 0 }, 1e9 } },
	{ gcu_units, N(gcu_units), { "GCU", { 0 }, 1 } },
};

/* pprof lower-cases the unit and drops a plural "s" from names longer than two bytes. */
static const struct unit *sniff(const struct family *f, const char *unit)
{
	char low[64];
	size_t n = strlen(unit);
	if (n >= sizeof(low))
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)unit[i]);
	low[n] = '\0';
	if (n > 2 && low[n - 1] == 's')
		low[--n] = '\0';
	for (size_t i = 0; i < f->n; i++)
		for (size_t k = 0; k < 4 && f->units[i].aliases[k]; k++)
			if (strcmp(low, f->units[i].aliases[k]) == 0)
				return &f->units[i];
	return NULL;
}

static void set_unit(char unit[16], const char *name)
{
	snprintf(unit, 16, "%s", name);
}

double measure_scale(int64_t value, const char *from, const char *to, char unit[16])
{
	/* Go negates and recurses unless -value overflows (MinInt64 stays negative). */
	if (value < 0 && value != INT64_MIN) {
		double v = measure_scale(-value, from, to, unit);
		return -v;
	}
	for (size_t fi = 0; fi < N(families); fi++) {
		const struct family *f = &families[fi];
		const struct unit *u = sniff(f, from);
		if (!u)
			continue;
		double v = (double)value * u->factor;
		if (strcmp(to, "minimum") == 0 || strcmp(to, "auto") == 0) {
			double best = 0;
			const char *name = NULL;
			for (size_t i = 0; i < f->n; i++)
				if (f->units[i].factor >= best && v / f->units[i].factor >= 1.0) {
					best = f->units[i].factor;
					name = f->units[i].name;
				}
			if (name) {
				set_unit(unit, name);
				return v / best;
			}
			set_unit(unit, f->def.name);
			return v / f->def.factor;
		}
		const struct unit *t = sniff(f, to);
		if (!t) {
			set_unit(unit, f->def.name);
			return v / f->def.factor;
		}
		set_unit(unit, t->name);
		return v / t->factor;
	}
	if (!strcmp(to, "count") || !strcmp(to, "sample") || !strcmp(to, "unit") ||
	    !strcmp(to, "minimum") || !strcmp(to, "auto"))
		set_unit(unit, "");
	else
		set_unit(unit, to);
	return (double)value;
}

const char *measure_label(char buf[MEASURE_BUF], int64_t value, const char *from, const char *to)
{
	char unit[16];
	double v = measure_scale(value, from, to, unit);
	char num[48];
	snprintf(num, sizeof(num), "%.2f", v);
	size_t n = strlen(num);
	if (n >= 3 && strcmp(num + n - 3, ".00") == 0)
		num[n - 3] = '\0';
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0) {
		snprintf(buf, MEASURE_BUF, "0");
		return buf;
	}
	snprintf(buf, MEASURE_BUF, "%s%s", num, unit);
	return buf;
}

const char *measure_percent(char buf[MEASURE_BUF], int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, MEASURE_BUF, "  100%%");
	else if (ratio >= 1.0)
		snprintf(buf, MEASURE_BUF, "%5.2f%%", ratio);
	else
		snprintf(buf, MEASURE_BUF, "%5.2g%%", ratio);
	return buf;
}

bool measure_compatible_units(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	for (size_t fi = 0; fi < N(families); fi++)
		if (sniff(&families[fi], a) && sniff(&families[fi], b))
			return true;
	return false;
}
