/* Units and number formatting exactly as pprof prints them: unit families (bytes, time,
 * GCU), automatic scaling, "%.2f" labels and percentages. Pure functions; strings returned
 * in caller-provided buffers. */
#ifndef CPROF_MODEL_MEASURE_H
#define CPROF_MODEL_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEASURE_BUF 64

/* Scales value from from_unit to to_unit ("auto"/"minimum" pick the largest unit under
 * which the value is >= 1). Writes the resulting unit name (may be "") to unit. */
double measure_scale(int64_t value, const char *from_unit, const char *to_unit, char unit[16]);
/* pprof's ScaledLabel: "%.2f" with ".00" trimmed, and the unit; "0" for zero. */
const char *measure_label(char buf[MEASURE_BUF], int64_t value, const char *from_unit,
			  const char *to_unit);
/* pprof's Percentage: "  100%", "%5.2f%%" or "%5.2g%%". */
const char *measure_percent(char buf[MEASURE_BUF], int64_t value, int64_t total);
/* Whether the two units belong to one family (or are equal). */
bool measure_compatible_units(const char *a, const char *b);

#endif
