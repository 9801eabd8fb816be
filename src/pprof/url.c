/* pprof's URL rules over Go's net/url; see url.h. A URL is parsed into its parts as Go's
 * url.Parse does (decoded, with the raw spelling of the path and fragment kept as hints),
 * then written back as URL.String writes it: the same bytes go tool pprof prints and asks
 * for. Decoded parts carry their lengths (a query may decode to a NUL byte). */
#include "pprof/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Go's encoding modes: which part of a URL a string is escaped or unescaped for. */
enum enc { ENC_HOST, ENC_ZONE, ENC_PATH, ENC_USER, ENC_QUERY, ENC_FRAGMENT };

static bool in_set(unsigned char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Go's shouldEscape. */
static bool should_escape(unsigned char c, enum enc m)
{
	if (is_alnum(c))
		return false;
	if ((m == ENC_HOST || m == ENC_ZONE) && in_set(c, "!$&'()*+,;=:[]<>\""))
		return false;
	if (in_set(c, "-_.~"))
		return false;
	if (in_set(c, "$&+,/:;=?@")) {
		switch (m) {
		case ENC_PATH:
			return c == '?';
		case ENC_USER:
			return c == '@' || c == '/' || c == '?' || c == ':';
		case ENC_QUERY:
			return true;
		case ENC_FRAGMENT:
			return false;
		case ENC_HOST:
		case ENC_ZONE:
			break;
		}
	}
	if (m == ENC_FRAGMENT && in_set(c, "!()*"))
		return false;
	return true;
}

/* strbuf_add, for data that may be NULL when n is 0 (an empty strbuf's). */
static void add_bytes(struct strbuf *out, const char *data, size_t n)
{
	if (n)
		strbuf_add(out, data, n);
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned unhex(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Go's unescape of s[0..n) for mode m, appended to out (when not NULL): false where Go
 * returns an error (a malformed escape, or a byte a host may not hold). */
static bool unescape(const char *s, size_t n, enum enc m, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (u[i] == '%') {
			if (i + 2 >= n || !is_hex(u[i + 1]) || !is_hex(u[i + 2]))
				return false;
			bool pct25 = memcmp(s + i, "%25", 3) == 0;
			if (m == ENC_HOST && unhex(u[i + 1]) < 8 && !pct25)
				return false;
			unsigned v = unhex(u[i + 1]) << 4 | unhex(u[i + 2]);
			if (m == ENC_ZONE && !pct25 && v != ' ' &&
			    should_escape((unsigned char)v, ENC_HOST))
				return false;
			i += 3;
			continue;
		}
		if (u[i] != '+' && (m == ENC_HOST || m == ENC_ZONE) && u[i] < 0x80 &&
		    should_escape(u[i], m))
			return false;
		i++;
	}
	for (size_t i = 0; out && i < n; i++) {
		if (u[i] == '%') {
			strbuf_addch(out, (char)(unhex(u[i + 1]) << 4 | unhex(u[i + 2])));
			i += 2;
		} else if (u[i] == '+' && m == ENC_QUERY) {
			strbuf_addch(out, ' ');
		} else {
			strbuf_addch(out, s[i]);
		}
	}
	return true;
}

/* Go's escape of s[0..n) for mode m, appended to out. */
static void escape(struct strbuf *out, const char *s, size_t n, enum enc m)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' && m == ENC_QUERY) {
			strbuf_addch(out, '+');
		} else if (should_escape(c, m)) {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			strbuf_add(out, e, 3);
		} else {
			strbuf_addch(out, (char)c);
		}
	}
}

/* Go's validEncoded. */
static bool valid_encoded(const char *s, size_t n, enum enc m)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!in_set(c, "!$&'()*+,;=:@[]%") && should_escape(c, m))
			return false;
	}
	return true;
}

/* Go's validOptionalPort: "" or ':' and digits. */
static bool valid_port(const char *p, size_t n)
{
	if (n == 0)
		return true;
	if (p[0] != ':')
		return false;
	for (size_t i = 1; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static bool valid_userinfo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) &&
		    !in_set((unsigned char)s[i], "-._:~!$&'()*+,;=%@"))
			return false;
	return true;
}

/* A URL as Go's url.URL holds it (Opaque only as a flag: pprof never prints one). */
struct gourl {
	struct strbuf scheme, user, host, path, raw_path, query, frag, raw_frag;
	bool has_user, opaque, omit_host, force_query;
};

static void gourl_release(struct gourl *u)
{
	struct strbuf *parts[] = { &u->scheme,   &u->user,  &u->host, &u->path,
				   &u->raw_path, &u->query, &u->frag, &u->raw_frag };
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		strbuf_release(parts[i]);
	memset(u, 0, sizeof(*u));
}

/* Go's parseHost, into u->host. */
static bool parse_host(struct gourl *u, const char *h, size_t n)
{
	if (n > 0 && h[0] == '[') {
		const char *close = memrchr(h, ']', n);
		if (!close)
			return false;
		size_t i = (size_t)(close - h);
		if (!valid_port(close + 1, n - i - 1))
			return false;
		const char *zone = memmem(h, i, "%25", 3);
		if (zone) {
			size_t z = (size_t)(zone - h);
			return unescape(h, z, ENC_HOST, &u->host) &&
			       unescape(zone, i - z, ENC_ZONE, &u->host) &&
			       unescape(close, n - i, ENC_HOST, &u->host);
		}
	} else {
		const char *colon = memrchr(h, ':', n);
		if (colon && !valid_port(colon, n - (size_t)(colon - h)))
			return false;
	}
	return unescape(h, n, ENC_HOST, &u->host);
}

/* Go's parseAuthority: the user information (kept as String writes it) and the host. */
static bool parse_authority(struct gourl *u, const char *a, size_t n)
{
	const char *at = memrchr(a, '@', n);
	size_t i = at ? (size_t)(at - a) : 0;
	if (!parse_host(u, at ? at + 1 : a, at ? n - i - 1 : n))
		return false;
	if (!at)
		return true;
	if (!valid_userinfo(a, i))
		return false;
	u->has_user = true;
	const char *colon = memchr(a, ':', i);
	size_t name_len = colon ? (size_t)(colon - a) : i;
	struct strbuf part = STRBUF_INIT;
	bool ok = unescape(a, name_len, ENC_USER, &part);
	if (ok)
		escape(&u->user, part.buf, part.len, ENC_USER);
	if (ok && colon) {
		strbuf_reset(&part);
		ok = unescape(colon + 1, i - name_len - 1, ENC_USER, &part);
		strbuf_addch(&u->user, ':');
		if (ok)
			escape(&u->user, part.buf, part.len, ENC_USER);
	}
	strbuf_release(&part);
	return ok;
}

/* Go's setPath and setFragment: the decoded text, and the raw one when Go's escaping of
 * the decoded text would spell it otherwise. */
static bool set_decoded(struct strbuf *dec, struct strbuf *raw, const char *s, size_t n, enum enc m)
{
	if (!unescape(s, n, m, dec))
		return false;
	struct strbuf esc = STRBUF_INIT;
	escape(&esc, dec->buf, dec->len, m);
	if (esc.len != n || (n && memcmp(esc.buf, s, n) != 0))
		add_bytes(raw, s, n);
	strbuf_release(&esc);
	return true;
}

/* Go's getScheme: the scheme's length (0: none); false for a leading ':'. */
static bool get_scheme(const char *s, size_t n, size_t *len)
{
	*len = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				return true;
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return false;
			*len = i;
		}
		return true;
	}
	return true;
}

/* Go's parse(rawURL, false), for the part before '#'. */
static bool parse_main(struct gourl *u, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return false;
	if (n == 1 && s[0] == '*') {
		strbuf_addch(&u->path, '*');
		return true;
	}
	size_t sl;
	if (!get_scheme(s, n, &sl))
		return false;
	for (size_t i = 0; i < sl; i++)
		strbuf_addch(&u->scheme, (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]));
	const char *rest = sl ? s + sl + 1 : s;
	size_t rn = sl ? n - sl - 1 : n;
	const char *q = memchr(rest, '?', rn);
	if (q && q == rest + rn - 1) {
		u->force_query = true;
		rn--;
	} else if (q) {
		add_bytes(&u->query, q + 1, rn - (size_t)(q - rest) - 1);
		rn = (size_t)(q - rest);
	}
	bool slash = rn > 0 && rest[0] == '/';
	if (!slash) {
		if (sl) {
			u->opaque = true;
			return true;
		}
		const char *seg_end = memchr(rest, '/', rn);
		if (memchr(rest, ':', seg_end ? (size_t)(seg_end - rest) : rn))
			return false;
	}
	bool two = rn >= 2 && rest[0] == '/' && rest[1] == '/';
	bool three = two && rn >= 3 && rest[2] == '/';
	if ((sl || !three) && two) {
		const char *auth = rest + 2;
		const char *end = memchr(auth, '/', rn - 2);
		size_t an = end ? (size_t)(end - auth) : rn - 2;
		if (!parse_authority(u, auth, an))
			return false;
		rest = auth + an;
		rn = rn - 2 - an;
	} else if (sl && slash) {
		u->omit_host = true;
	}
	return set_decoded(&u->path, &u->raw_path, rest, rn, ENC_PATH);
}

/* Go's url.Parse. */
static bool go_parse(struct gourl *u, const char *s)
{
	memset(u, 0, sizeof(*u));
	const char *hash = strchr(s, '#');
	size_t n = hash ? (size_t)(hash - s) : strlen(s);
	bool ok = parse_main(u, s, n) && (!hash || set_decoded(&u->frag, &u->raw_frag, hash + 1,
							       strlen(hash + 1), ENC_FRAGMENT));
	if (!ok)
		gourl_release(u);
	return ok;
}

/* Go's EscapedPath and EscapedFragment. */
static void add_escaped(struct strbuf *out, const struct strbuf *dec, const struct strbuf *raw,
			enum enc m)
{
	if (raw->len && valid_encoded(raw->buf, raw->len, m)) {
		struct strbuf back = STRBUF_INIT;
		bool same = unescape(raw->buf, raw->len, m, &back) && back.len == dec->len &&
			    (!dec->len || memcmp(back.buf, dec->buf, dec->len) == 0);
		strbuf_release(&back);
		if (same) {
			add_bytes(out, raw->buf, raw->len);
			return;
		}
	}
	if (m == ENC_PATH && dec->len == 1 && dec->buf[0] == '*') {
		strbuf_addch(out, '*');
		return;
	}
	escape(out, dec->buf, dec->len, m);
}

/* Go's URL.String, for a URL with a host. */
static char *go_string(const struct gourl *u)
{
	struct strbuf out = STRBUF_INIT;
	if (u->scheme.len) {
		strbuf_add(&out, u->scheme.buf, u->scheme.len);
		strbuf_addch(&out, ':');
	}
	strbuf_adds(&out, "//");
	if (u->has_user) {
		add_bytes(&out, u->user.buf, u->user.len);
		strbuf_addch(&out, '@');
	}
	escape(&out, u->host.buf, u->host.len, ENC_HOST);
	struct strbuf path = STRBUF_INIT;
	add_escaped(&path, &u->path, &u->raw_path, ENC_PATH);
	if (path.len && path.buf[0] != '/')
		strbuf_addch(&out, '/');
	add_bytes(&out, path.buf, path.len);
	strbuf_release(&path);
	if (u->force_query || u->query.len) {
		strbuf_addch(&out, '?');
		add_bytes(&out, u->query.buf, u->query.len);
	}
	if (u->frag.len) {
		strbuf_addch(&out, '#');
		add_escaped(&out, &u->frag, &u->raw_frag, ENC_FRAGMENT);
	}
	return out.buf; /* never empty: it holds "//" and the host */
}

/* One key=value of a query, decoded; the bytes are in the query's text buffer. */
struct pair {
	size_t key, key_len, val, val_len, order;
};

struct query {
	struct strbuf text;
	struct pair *pairs;
	size_t n, cap;
};

static void query_add(struct query *q, const char *k, size_t kn, const char *v, size_t vn)
{
	XGROW(q->pairs, q->cap, q->n + 1);
	struct pair *p = &q->pairs[q->n];
	p->key = q->text.len;
	add_bytes(&q->text, k, kn);
	p->key_len = kn;
	p->val = q->text.len;
	add_bytes(&q->text, v, vn);
	p->val_len = vn;
	p->order = q->n++;
}

/* Go's parseQuery: pairs split on '&', none holding ';', each decoded (or dropped). */
static void query_parse(struct query *q, const char *s, size_t n)
{
	struct strbuf k = STRBUF_INIT, v = STRBUF_INIT;
	while (n > 0) {
		const char *amp = memchr(s, '&', n);
		size_t len = amp ? (size_t)(amp - s) : n;
		if (len > 0 && !memchr(s, ';', len)) {
			const char *eq = memchr(s, '=', len);
			size_t kn = eq ? (size_t)(eq - s) : len;
			strbuf_reset(&k);
			strbuf_reset(&v);
			if (unescape(s, kn, ENC_QUERY, &k) &&
			    (!eq || unescape(eq + 1, len - kn - 1, ENC_QUERY, &v)))
				query_add(q, k.buf, k.len, v.buf, v.len);
		}
		s += len + (amp != NULL);
		n -= len + (amp != NULL);
	}
	strbuf_release(&k);
	strbuf_release(&v);
}

static bool key_is(const struct query *q, const struct pair *p, const char *key)
{
	return p->key_len == strlen(key) && memcmp(q->text.buf + p->key, key, p->key_len) == 0;
}

static int pair_cmp(const void *a, const void *b, void *ctx)
{
	const struct query *q = ctx;
	const struct pair *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = n ? memcmp(q->text.buf + x->key, q->text.buf + y->key, n) : 0;
	if (c == 0 && x->key_len != y->key_len)
		c = x->key_len < y->key_len ? -1 : 1;
	if (c == 0)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

/* Go's Values.Encode: keys sorted, each key's values in their order. */
static void query_encode(struct query *q, struct strbuf *out)
{
	sort_r(q->pairs, q->n, sizeof(*q->pairs), pair_cmp, q);
	for (size_t i = 0; i < q->n; i++) {
		const struct pair *p = &q->pairs[i];
		if (i)
			strbuf_addch(out, '&');
		escape(out, q->text.buf + p->key, p->key_len, ENC_QUERY);
		strbuf_addch(out, '=');
		escape(out, q->text.buf + p->val, p->val_len, ENC_QUERY);
	}
}

/* Go's strconv.ParseInt(s, 10, 32), into *v; false on any error. */
static bool parse_int32(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	bool neg = false;
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return false;
	int64_t x = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
		if (x > (int64_t)1 << 31)
			return false;
	}
	x = neg ? -x : x;
	if (x > INT32_MAX || x < INT32_MIN)
		return false;
	*v = x;
	return true;
}

/* The -seconds override, or the URL's own seconds (Go's Values.Get: the first); the
 * profile's duration in seconds. */
static int64_t apply_seconds(struct query *q, int64_t seconds)
{
	if (seconds > 0) {
		size_t k = 0;
		for (size_t i = 0; i < q->n; i++)
			if (!key_is(q, &q->pairs[i], "seconds"))
				q->pairs[k++] = q->pairs[i];
		q->n = k;
		char num[32];
		int len = snprintf(num, sizeof(num), "%lld", (long long)seconds);
		query_add(q, "seconds", 7, num, (size_t)len); /* Values.Set */
		return seconds;
	}
	for (size_t i = 0; i < q->n; i++) {
		const struct pair *p = &q->pairs[i];
		int64_t v;
		if (key_is(q, p, "seconds"))
			return p->val_len && parse_int32(q->text.buf + p->val, p->val_len, &v) ? v
											       : 0;
	}
	return 0;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
	return a > INT64_MAX / b ? INT64_MAX : a * b;
}

bool url_adjust(const char *source, int64_t seconds, int64_t timeout, struct url_source *out)
{
	struct gourl u;
	bool ok = go_parse(&u, source);
	if (!ok || (u.host.len == 0 && u.scheme.len && strcmp(u.scheme.buf, "file") != 0)) {
		if (ok)
			gourl_release(&u);
		/* host:port/path: url.Parse took the host for a scheme. */
		struct strbuf with = STRBUF_INIT;
		strbuf_adds(&with, "http://");
		strbuf_adds(&with, source);
		ok = go_parse(&u, with.buf);
		strbuf_release(&with);
	}
	if (!ok)
		return false;
	if (u.host.len == 0) {
		gourl_release(&u);
		return false;
	}
	if (u.path.len == 0 || (u.path.len == 1 && u.path.buf[0] == '/')) {
		strbuf_reset(&u.path);
		strbuf_adds(&u.path, URL_DEFAULT_PATH);
	}
	struct query q = { STRBUF_INIT, NULL, 0, 0 };
	strbuf_grow(&q.text, 1); /* offsets into it are taken even when all is empty */
	query_parse(&q, u.query.buf, u.query.len);
	int64_t duration = apply_seconds(&q, seconds);
	strbuf_reset(&u.query);
	query_encode(&q, &u.query);
	strbuf_release(&q.text);
	free(q.pairs);

	if (timeout > 0)
		out->timeout_ms = sat_mul(timeout, 1000);
	else if (duration > 0)
		out->timeout_ms = sat_mul(duration, 1500);
	else
		out->timeout_ms = 60000;
	out->url = go_string(&u);
	gourl_release(&u);
	return true;
}

void url_source_release(struct url_source *u)
{
	free(u->url);
	u->url = NULL;
}

bool url_is_url(const char *source)
{
	struct url_source u;
	if (!url_adjust(source, 0, 0, &u))
		return false;
	url_source_release(&u);
	return true;
}
