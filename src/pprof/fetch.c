/* HTTP(S) with libcurl; see fetch.h. One easy handle on a multi handle that fetch_read
 * drives: it runs the transfer until body bytes are buffered, then hands them out. The
 * write callback pauses the transfer while more than PAUSE_AT bytes wait, so the reader's
 * pace is the network's. The time limits are go tool pprof's: its client gives the
 * response's headers a deadline (ResponseHeaderTimeout) and the body none; here a body
 * that stops for as long fails too, rather than hang. */
#include "pprof/fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

#define PAUSE_AT (1u << 20) /* buffered body bytes past which the transfer pauses */
#define ERROR_BODY 512      /* bytes of a pprof error body kept for the message */

struct fetch {
	CURLM *multi;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	int64_t timeout_ms, deadline_ms;
	uint64_t max, received;
	atomic_bool cancelled;

	/* Body bytes not yet read: buf[pos, len). */
	uint8_t *buf;
	size_t pos, len, cap;
	bool paused;

	/* The last response's status line and headers, and a pprof error's body. */
	char status[64];
	bool x_go_pprof, text_plain, headers_done;
	struct strbuf error_body;

	bool done;   /* the transfer ended: result and err say how */
	bool failed; /* err holds the failure */
	struct cprof_error err;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_cleanup(void)
{
	curl_global_cleanup();
}

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (global_rc == CURLE_OK)
		atexit(global_cleanup);
}

/* Go's http.StatusText, for the codes a profile server answers with, for status lines
 * without a reason (HTTP/2's). */
static const char *status_text(long code)
{
	static const struct {
		long code;
		const char *text;
	} texts[] = {
		{ 400, "Bad Request" },         { 401, "Unauthorized" },
		{ 403, "Forbidden" },           { 404, "Not Found" },
		{ 405, "Method Not Allowed" },  { 408, "Request Timeout" },
		{ 429, "Too Many Requests" },   { 500, "Internal Server Error" },
		{ 501, "Not Implemented" },     { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == code)
			return texts[i].text;
	return NULL;
}

/* A header's value if line is "name: value" (name in any case), trimmed; else NULL. */
static const char *header_value(const char *line, size_t n, const char *name, size_t *len)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return NULL;
	const char *v = line + k + 1, *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	*len = (size_t)(end - v);
	return v;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct fetch *f = ctx;
	size_t len = size * n, vlen;
	const char *v;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100 Continue): "HTTP/1.1 404 Not Found". */
		const char *sp = memchr(data, ' ', len);
		size_t off = sp ? (size_t)(sp - data) : len;
		while (off < len && data[off] == ' ')
			off++;
		size_t end = len;
		while (end > off && isspace((unsigned char)data[end - 1]))
			end--;
		snprintf(f->status, sizeof(f->status), "%.*s", (int)(end - off), data + off);
		f->x_go_pprof = f->text_plain = f->headers_done = false;
	} else if ((v = header_value(data, len, "X-Go-Pprof", &vlen))) {
		f->x_go_pprof = vlen > 0;
	} else if ((v = header_value(data, len, "Content-Type", &vlen))) {
		f->text_plain = memmem(v, vlen, "text/plain", 10) != NULL;
	} else if (len <= 2 && (len == 0 || data[0] == '\r' || data[0] == '\n')) {
		/* The end of a response's headers; an interim 1xx one's is not the end. */
		f->headers_done = f->status[0] != '1';
		f->deadline_ms = now_ms() + f->timeout_ms;
	}
	return len;
}

static long response_code(struct fetch *f)
{
	long code = 0;
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

/* pprof's statusCodeError: "server response: 404 Not Found", and the body of an error
 * that net/http/pprof sends (X-Go-Pprof, text/plain), made one line. */
static void status_error(struct fetch *f, long code)
{
	char status[96];
	const char *text = status_text(code);
	if (strspn(f->status, "0123456789") == strlen(f->status) && text)
		snprintf(status, sizeof(status), "%ld %s", code, text);
	else
		snprintf(status, sizeof(status), "%s", f->status[0] ? f->status : "(none)");
	struct strbuf *b = &f->error_body;
	while (b->len && isspace((unsigned char)b->buf[b->len - 1]))
		b->len--;
	for (size_t i = 0; i < b->len; i++)
		if ((unsigned char)b->buf[i] < ' ' || b->buf[i] == 0x7f)
			b->buf[i] = ' ';
	if (f->x_go_pprof && f->text_plain && b->len)
		error_set(&f->err, "server response: %s - %.*s%s", status, (int)b->len, b->buf,
			  b->len >= ERROR_BODY ? "..." : "");
	else
		error_set(&f->err, "server response: %s", status);
	f->failed = true;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct fetch *f = ctx;
	size_t len = size * n;
	long code = response_code(f);
	if (code != 200) {
		/* Keep the start of a pprof error's body; stop reading anything else. */
		if (!f->x_go_pprof || !f->text_plain || f->error_body.len >= ERROR_BODY)
			return 0;
		size_t take = ERROR_BODY - f->error_body.len;
		strbuf_add(&f->error_body, data, len < take ? len : take);
		return len;
	}
	if (f->len - f->pos >= PAUSE_AT) {
		f->paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	f->received += len;
	if (f->received > f->max) {
		error_set(&f->err, "data exceeds the %llu-byte limit (raise it with -max_size)",
			  (unsigned long long)f->max);
		f->failed = true;
		return 0;
	}
	if (f->pos == f->len)
		f->pos = f->len = 0;
	XGROW(f->buf, f->cap, f->len + len);
	memcpy(f->buf + f->len, data, len);
	f->len += len;
	f->headers_done = true;
	f->deadline_ms = now_ms() + f->timeout_ms;
	return len;
}

/* A TLS failure in a line: OpenSSL's reason without its codes ("error:0A00010B:SSL
 * routines::wrong version number" says "wrong version number"), with a hint where the
 * reason points at one. */
static void tls_error(struct cprof_error *err, const char *msg)
{
	static const char problem[] = "SSL certificate problem: ";
	if (strncmp(msg, problem, sizeof(problem) - 1) == 0) {
		error_set(err, "TLS: the server's certificate is not trusted: %s (see -tls_ca)",
			  msg + sizeof(problem) - 1);
		return;
	}
	const char *routines = strstr(msg, "routines::");
	if (!routines) {
		if (strncmp(msg, "OpenSSL/", 8) == 0 && strstr(msg, ": "))
			msg = strstr(msg, ": ") + 2;
		error_set(err, "TLS handshake failed: %s", msg);
		return;
	}
	const char *reason = routines + 10;
	int len = (int)strcspn(reason, ",");
	const char *hint = "";
	if (strncmp(reason, "wrong version number", (size_t)len) == 0)
		hint = " (not a TLS server? http:// may be what it speaks)";
	else if (strstr(msg, "alert bad certificate") || strstr(msg, "certificate required"))
		hint = " (the server wants a client certificate: -tls_cert and -tls_key)";
	if (strncmp(msg, "could not load", 14) == 0) {
		error_set(err, "TLS: %.*s: %.*s", (int)strcspn(msg, ","), msg, len, reason);
		return;
	}
	error_set(err, "TLS handshake failed: %.*s%s", len, reason, hint);
}

/* The failed transfer's message, in pprof's words where it has them. */
static void transfer_error(struct fetch *f, CURLcode rc)
{
	const char *why = f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc);
	long os_errno = 0;
	f->failed = true;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(f->easy, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno)
			error_set(&f->err, "cannot connect: %s", strerror((int)os_errno));
		else
			error_set(&f->err, "cannot connect: %s", why);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		error_set(&f->err, "%c%s", tolower((unsigned char)why[0]), why + 1);
		return;
	case CURLE_TOO_MANY_REDIRECTS:
		error_set(&f->err, "stopped after 10 redirects");
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
		tls_error(&f->err, why);
		return;
	default:
		/* TLS 1.3 servers refuse a client certificate after the handshake. */
		if (strstr(why, "SSL routines::"))
			tls_error(&f->err, why);
		else
			error_set(&f->err, "%c%s", tolower((unsigned char)why[0]), why + 1);
		return;
	}
}

/* Runs the transfer as far as it goes without waiting; notes its end. */
static void step(struct fetch *f)
{
	int running, left;
	curl_multi_perform(f->multi, &running);
	CURLMsg *msg;
	while ((msg = curl_multi_info_read(f->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		f->done = true;
		if (f->failed) /* a callback's own error: the cap */
			return;
		long code = response_code(f);
		if (code != 0 && code != 200)
			status_error(f, code);
		else if (msg->data.result != CURLE_OK)
			transfer_error(f, msg->data.result);
	}
}

/* Whether the URL's host is this machine's loopback, which Go never reaches through a
 * proxy. */
static bool loopback(const char *url)
{
	char *host = NULL;
	CURLU *u = curl_url();
	bool lo = false;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		lo = strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
		     strcmp(host, "[::1]") == 0;
		curl_free(host);
	}
	curl_url_cleanup(u);
	return lo;
}

/* The scheme: http and https as they are, https+insecure as https without checking. */
static int scheme(const char *url, struct strbuf *out, bool *insecure, struct cprof_error *err)
{
	const char *colon = strstr(url, "://");
	size_t n = colon ? (size_t)(colon - url) : 0;
	*insecure = n == 14 && strncmp(url, "https+insecure", 14) == 0;
	if (*insecure) {
		strbuf_adds(out, "https");
		strbuf_adds(out, colon);
		return 0;
	}
	if ((n == 4 && strncmp(url, "http", 4) == 0) || (n == 5 && strncmp(url, "https", 5) == 0)) {
		strbuf_adds(out, url);
		return 0;
	}
	return error_set(err, "unsupported protocol scheme \"%.*s\"", (int)n, url);
}

static void set_tls(CURL *easy, const struct fetch_options *o, bool insecure)
{
	if (o->tls_cert && *o->tls_cert) {
		curl_easy_setopt(easy, CURLOPT_SSLCERT, o->tls_cert);
		curl_easy_setopt(easy, CURLOPT_SSLKEY, o->tls_key);
	}
	if (o->tls_ca && *o->tls_ca) {
		curl_easy_setopt(easy, CURLOPT_CAINFO, o->tls_ca);
		curl_easy_setopt(easy, CURLOPT_CAPATH, NULL);
	}
	if (insecure) {
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

int fetch_open(const char *url, const struct fetch_options *o, struct fetch **out,
	       struct cprof_error *err)
{
	struct strbuf target = STRBUF_INIT;
	bool insecure;
	if (scheme(url, &target, &insecure, err) < 0)
		return -1;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK) {
		strbuf_release(&target);
		return error_set(err, "cannot initialise libcurl: %s",
				 curl_easy_strerror(global_rc));
	}
	struct fetch *f = xcalloc(1, sizeof(*f));
	f->timeout_ms = o->timeout_ms;
	f->max = o->max;
	f->easy = curl_easy_init();
	f->multi = curl_multi_init();
	if (!f->easy || !f->multi) {
		error_set(err, "cannot initialise libcurl");
		goto fail;
	}
	CURL *e = f->easy;
	curl_easy_setopt(e, CURLOPT_URL, target.buf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L); /* as Go's client: up to 10 */
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip"); /* as Go's transport asks */
	curl_easy_setopt(e, CURLOPT_USERAGENT, "cprof/" CPROF_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	if (loopback(target.buf))
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	set_tls(e, o, insecure);
	curl_multi_add_handle(f->multi, e);
	f->deadline_ms = now_ms() + f->timeout_ms;
	strbuf_release(&target);
	*out = f;
	return 0;
fail:
	strbuf_release(&target);
	fetch_free(f);
	return -1;
}

ssize_t fetch_read(struct fetch *f, uint8_t *dst, size_t cap, struct cprof_error *err)
{
	for (;;) {
		if (f->pos < f->len) {
			size_t n = f->len - f->pos < cap ? f->len - f->pos : cap;
			memcpy(dst, f->buf + f->pos, n);
			f->pos += n;
			return (ssize_t)n;
		}
		if (f->failed)
			return error_set(err, "%s", f->err.msg);
		if (f->done)
			return 0;
		if (atomic_load(&f->cancelled))
			return error_set(err, "cancelled");
		if (f->paused) {
			f->paused = false;
			curl_easy_pause(f->easy, CURLPAUSE_CONT); /* may deliver the held data */
		}
		step(f);
		if (f->pos < f->len || f->done || f->failed)
			continue;
		int64_t left = f->deadline_ms - now_ms();
		if (left <= 0) {
			char secs[32];
			snprintf(secs, sizeof(secs), "%g", (double)f->timeout_ms / 1000);
			if (f->headers_done)
				error_set(&f->err, "timed out: no data for %ss (see -timeout)",
					  secs);
			else
				error_set(&f->err,
					  "timed out after %ss awaiting response headers (see "
					  "-timeout)",
					  secs);
			f->failed = true;
			continue;
		}
		curl_multi_poll(f->multi, NULL, 0, left > 1000 ? 1000 : (int)left, NULL);
	}
}

void fetch_cancel(struct fetch *f)
{
	if (!f)
		return;
	atomic_store(&f->cancelled, true);
	if (f->multi)
		curl_multi_wakeup(f->multi);
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	if (f->multi && f->easy)
		curl_multi_remove_handle(f->multi, f->easy);
	if (f->easy)
		curl_easy_cleanup(f->easy);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	strbuf_release(&f->error_body);
	free(f->buf);
	free(f);
}
