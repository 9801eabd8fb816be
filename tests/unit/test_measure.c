/* model/measure against go tool pprof's -top columns (expectations from tests/unit/gen). */
#include <math.h>
#include <string.h>

#include "expect_measure.h"
#include "model/measure.h"
#include "tap.h"

/* The table's percentages had their padding dropped when read back from pprof's output. */
static const char *trim(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

int main(void)
{
	char buf[MEASURE_BUF];
	for (size_t i = 0; i < sizeof(go_labels) / sizeof(go_labels[0]); i++) {
		const char *got =
			measure_label(buf, go_labels[i].value, go_labels[i].from, go_labels[i].to);
		tap_str(got, go_labels[i].label, "label %lld %s -> %s", go_labels[i].value,
			go_labels[i].from, go_labels[i].to);
	}
	for (size_t i = 0; i < sizeof(go_percents) / sizeof(go_percents[0]); i++) {
		const char *got = measure_percent(buf, go_percents[i].value, go_percents[i].total);
		tap_str(trim(got), go_percents[i].pct, "percent %lld of %lld", go_percents[i].value,
			go_percents[i].total);
		/* Go's %5.2f/%5.2g pad to five characters before the '%'. */
		tap_ok(strlen(got) >= 6, "percent %lld of %lld is padded", go_percents[i].value,
		       go_percents[i].total);
	}
	/* Rules stated in pprof's source rather than read back from a report: zero prints "0"
	 * whatever the unit, a zero total gives 0%, and 100% is written "  100%". */
	tap_str(measure_label(buf, 0, "nanoseconds", "auto"), "0", "zero has no unit");
	tap_str(measure_label(buf, 0, "bytes", "mb"), "0", "zero has no unit (explicit)");
	tap_str(measure_percent(buf, 5, 0), "    0%", "zero total");
	tap_str(measure_percent(buf, 7, 7), "  100%", "100%%");
	tap_str(measure_label(buf, INT64_MIN, "count", "auto"), "-9223372036854775808",
		"MinInt64 is not negated (%%.2f, then .00 trimmed)");
	char unit[16];
	double v = measure_scale(INT64_MIN, "nanoseconds", "s", unit);
	tap_ok(v < 0 && strcmp(unit, "s") == 0, "MinInt64 ns scales negative");
	tap_ok(measure_compatible_units("ms", "nanoseconds"), "ms and nanoseconds are one family");
	tap_ok(measure_compatible_units("kb", "bytes"), "kb and bytes are one family");
	tap_ok(!measure_compatible_units("bytes", "seconds"), "bytes and seconds are not");
	tap_ok(measure_compatible_units("widgets", "widgets"), "equal units are compatible");
	return tap_done();
}
