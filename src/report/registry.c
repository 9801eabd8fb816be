/* The list of report backends (registry.def); both command-line spellings look reports
 * up here. */
#include <string.h>

#include "report/report.h"

#define REPORT(name) extern const struct report_backend report_##name;
#include "report/registry.def"
#undef REPORT

const struct report_backend *const report_backends[] = {
#define REPORT(name) &report_##name,
#include "report/registry.def"
#undef REPORT
	NULL,
};

const struct report_backend *report_find(const char *name)
{
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		if (strcmp(b->name, name) == 0)
			return b;
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			if (strcmp(b->aliases[k], name) == 0)
				return b;
	}
	return NULL;
}
