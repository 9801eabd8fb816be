/* A profile fetched over HTTP or HTTPS with libcurl, as go tool pprof fetches it, read as a
 * stream of body bytes: nothing is held but what the reader has not taken yet (at most
 * about a MiB; past that the transfer pauses), and the body stops at a cap. */
#ifndef CPROF_PPROF_FETCH_H
#define CPROF_PPROF_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

struct fetch_options {
	/* How long to wait for the response's headers, then for each piece of its body. */
	int64_t timeout_ms;
	/* A client certificate and its key (PEM), both or neither; the only CAs to trust
	 * (PEM), or NULL for the system's. */
	const char *tls_cert, *tls_key, *tls_ca;
	uint64_t max; /* the most body bytes to take (-max_size) */
};

struct fetch;

/* Starts a GET of url (as url_adjust makes it): http, https, or pprof's https+insecure
 * (https without checking the server's certificate). Fails at once only for an unsupported
 * scheme; what the server, the network or TLS (the files of o included) does wrong is
 * reported by fetch_read. Messages do not name the URL. */
int fetch_open(const char *url, const struct fetch_options *o, struct fetch **out,
	       struct cprof_error *err);
/* Waits for body bytes and copies up to cap of them to dst: returns how many, 0 at the end
 * of the body, -1 with err set when the request failed (no connection, a status other than
 * 200, a timeout, TLS, a body past the cap). Not concurrently with itself. */
ssize_t fetch_read(struct fetch *f, uint8_t *dst, size_t cap, struct cprof_error *err);
/* Makes a fetch_read blocked in another thread return -1 soon; for closing early. */
void fetch_cancel(struct fetch *f);
void fetch_free(struct fetch *f);

#endif
