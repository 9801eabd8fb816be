#include "report/report.h"
const struct report_backend report_proto = { .name = "proto" };
