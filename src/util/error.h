/* Error reporting: a fallible function records one message in a struct cprof_error and
 * returns -1; the caller adds context or prints "cprof: <message>". */
#ifndef CPROF_UTIL_ERROR_H
#define CPROF_UTIL_ERROR_H

struct cprof_error {
	char msg[1024];
};

/* Formats the message into err (if err is non-NULL) and returns -1. */
int error_set(struct cprof_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Puts "prefix: " in front of the message already in err; returns -1. */
int error_prefix(struct cprof_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
