#include "report/report.h"
const struct report_backend report_callgrind = { .name = "callgrind" };
