/* Which profile sources are URLs, and the URL fetched for each: go tool pprof's adjustURL
 * over Go's net/url (its parser, its query re-encoding and its String). */
#ifndef CPROF_PPROF_URL_H
#define CPROF_PPROF_URL_H

#include <stdbool.h>
#include <stdint.h>

/* The path pprof asks for when a URL has none: net/http/pprof's CPU profile. */
#define URL_DEFAULT_PATH "/debug/pprof/profile"

struct url_source {
	char *url;          /* the URL to fetch, as pprof prints it (owned) */
	int64_t timeout_ms; /* pprof's timeout: the -timeout, else 1.5 times the profile's
			     * seconds (from -seconds or the URL), else 60 s */
};

/* pprof's adjustURL for source and the -seconds and -timeout flags (values <= 0: unset).
 * A source is a URL when Go's url.Parse gives it a host, as it is or with "http://" in
 * front (host:port/path). Then out gets the URL with go tool pprof's default path when it
 * has none, its query re-encoded as Go's url.Values.Encode does (keys sorted) with
 * seconds=N when seconds > 0, and the timeout; returns true. False for anything else (a
 * file name), out untouched. */
bool url_adjust(const char *source, int64_t seconds, int64_t timeout, struct url_source *out);
void url_source_release(struct url_source *u);

/* Whether source is a URL (url_adjust would return true). */
bool url_is_url(const char *source);

#endif
