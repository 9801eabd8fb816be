/* util/strbuf: the empty buffer, byte appends with NULs inside, growth, formatted appends
 * at and across the capacity's edge (checked against snprintf), padding counted in UTF-8
 * characters, and a growth request that overflows being out of memory. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "util/strbuf.h"

#ifdef __SANITIZE_ADDRESS__
/* Let a huge realloc return NULL, as it does without ASan, so that xalloc's own
 * out-of-memory exit is what the tests below see. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/* The buffer's invariant: len < cap and a NUL at buf[len] once anything was added. */
static bool terminated(const struct strbuf *sb)
{
	return sb->buf ? sb->len < sb->cap && sb->buf[sb->len] == '\0' : sb->len == 0;
}

/* In a child process: a buffer holding prefix bytes, then strbuf_grow(extra) and, if that
 * returns, writing the last of the extra bytes it promised. Returns the wait status. */
static int grow_in_child(size_t prefix, size_t extra)
{
	fflush(stdout); /* or the child's exit would print our TAP lines again */
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		struct strbuf sb = STRBUF_INIT;
		strbuf_addchars(&sb, 'x', prefix);
		strbuf_grow(&sb, extra);
		/* Promised: extra more bytes and the NUL fit. */
		if (sb.cap - sb.len <= extra)
			_exit(2);
		_exit(0);
	}
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void test_overflow(void)
{
	const struct {
		size_t prefix, extra;
	} cases[] = {
		{ 0, SIZE_MAX },     { 0, SIZE_MAX - 1 },   { 5, SIZE_MAX - 5 },
		{ 5, SIZE_MAX - 3 }, { 100, SIZE_MAX / 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = grow_in_child(cases[i].prefix, cases[i].extra);
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		       "grow by SIZE_MAX - %zu with %zu bytes held exits 1 (status %#x: 0 and 2 "
		       "mean it returned)",
		       SIZE_MAX - cases[i].extra, cases[i].prefix, status);
	}
}

static void test_empty(void)
{
	struct strbuf sb = STRBUF_INIT;
	tap_ok(sb.buf == NULL && sb.len == 0 && sb.cap == 0, "STRBUF_INIT is empty, unallocated");
	tap_str(strbuf_str(&sb), "", "an empty buffer reads as \"\"");
	strbuf_reset(&sb);
	tap_ok(sb.buf == NULL && sb.len == 0, "reset of an unallocated buffer");
	strbuf_add(&sb, "", 0);
	tap_ok(sb.len == 0 && terminated(&sb), "adding 0 bytes keeps it empty and terminated");
	tap_str(strbuf_str(&sb), "", "still \"\"");
	strbuf_release(&sb);
	tap_ok(sb.buf == NULL && sb.len == 0 && sb.cap == 0, "release makes it STRBUF_INIT again");
	strbuf_release(&sb);
	tap_ok(sb.buf == NULL, "releasing twice is harmless");

	struct strbuf other;
	memset(&other, 0xff, sizeof(other));
	strbuf_init(&other);
	tap_ok(other.buf == NULL && other.len == 0 && other.cap == 0, "strbuf_init empties");
	strbuf_addf(&other, "%s", "");
	tap_ok(other.len == 0 && terminated(&other), "an empty formatted append");
	tap_str(strbuf_str(&other), "", "reads as \"\"");
	strbuf_release(&other);
}

static void test_bytes(void)
{
	struct strbuf sb = STRBUF_INIT;
	const char nul[] = "a\0b";
	strbuf_add(&sb, nul, 3);
	tap_int((int64_t)sb.len, 3, "a NUL inside counts as a byte");
	tap_mem(sb.buf, sb.len + 1, nul, sizeof(nul), "bytes kept, NUL added after them");
	strbuf_adds(&sb, "cd");
	strbuf_addch(&sb, '\0');
	strbuf_addch(&sb, 'e');
	strbuf_addchars(&sb, '-', 0);
	strbuf_addchars(&sb, '=', 4);
	const char want[] = "a\0bcd\0e====";
	tap_mem(sb.buf, sb.len, want, sizeof(want) - 1,
		"adds, addch (NUL too) and addchars append");
	tap_ok(terminated(&sb), "terminated");

	char *kept = sb.buf;
	size_t cap = sb.cap;
	strbuf_reset(&sb);
	tap_ok(sb.len == 0 && sb.buf == kept && sb.cap == cap && sb.buf[0] == '\0',
	       "reset empties but keeps the memory");
	tap_str(strbuf_str(&sb), "", "and reads as \"\"");
	strbuf_release(&sb);

	/* Growth: many appends of every length up to 300 match a copy made by hand. */
	size_t total = 0;
	for (size_t n = 0; n <= 300; n++)
		total += n;
	char *ref = malloc(total + 1), *chunk = malloc(301);
	size_t at = 0;
	bool always = true;
	for (size_t n = 0; n <= 300; n++) {
		for (size_t k = 0; k < n; k++)
			chunk[k] = (char)('A' + (n + k) % 26);
		memcpy(ref + at, chunk, n);
		at += n;
		strbuf_add(&sb, chunk, n);
		always &= terminated(&sb) && sb.len == at;
	}
	tap_int((int64_t)sb.len, (int64_t)total, "%zu bytes after 301 appends", total);
	tap_mem(sb.buf, sb.len, ref, total, "the same bytes as appended");
	tap_ok(always, "length and terminator right after every append");
	free(ref);
	free(chunk);

	/* strbuf_grow(n) makes room for n more bytes: adding them does not move the buffer. */
	strbuf_grow(&sb, 10000);
	char *before = sb.buf;
	tap_ok(sb.cap - sb.len > 10000, "grow leaves room for the bytes and a NUL");
	strbuf_addchars(&sb, 'z', 10000);
	tap_ok(sb.buf == before, "adding them does not reallocate");
	tap_ok(sb.buf[total] == 'z' && sb.buf[total + 9999] == 'z' && terminated(&sb),
	       "they land after the earlier bytes");
	strbuf_release(&sb);
}

static void vadd(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vadd(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* Appends "%s%d" of (s, d) to sb and to a reference made by snprintf. */
static bool addf_matches(struct strbuf *sb, char *ref, size_t *ref_len, const char *s, int d)
{
	*ref_len += (size_t)sprintf(ref + *ref_len, "%s%d", s, d);
	strbuf_addf(sb, "%s%d", s, d);
	return sb->len == *ref_len && memcmp(sb->buf, ref, *ref_len + 1) == 0 && terminated(sb);
}

static void test_format(void)
{
	struct strbuf sb = STRBUF_INIT;
	char ref[1024];
	size_t ref_len = 0;
	ref[0] = '\0';
	tap_ok(addf_matches(&sb, ref, &ref_len, "first", 1), "addf into an unallocated buffer");
	strbuf_release(&sb);

	/* Outputs two and one shorter than the room, exactly the room (no space left for the
	 * NUL), and longer: each must grow exactly when needed and come out whole. */
	for (int delta = -2; delta <= 2; delta++) {
		strbuf_grow(&sb, 100);
		strbuf_adds(&sb, "prefix:");
		ref_len = (size_t)sprintf(ref, "prefix:");
		size_t room = sb.cap - sb.len, cap = sb.cap;
		int want = (int)room + delta;
		char fill[600];
		memset(fill, 'a' + delta + 2, sizeof(fill));
		fill[want - 1] = '\0'; /* the %d adds one digit */
		tap_ok(addf_matches(&sb, ref, &ref_len, fill, 7),
		       "addf of %d bytes with %zu of room", want, room);
		tap_ok(delta < 0 ? sb.cap == cap : sb.cap > cap, "  %s (capacity %zu, now %zu)",
		       delta < 0 ? "fits" : "grows", cap, sb.cap);
		strbuf_release(&sb);
	}

	/* A long expansion, from a width: many times the capacity. */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "[%*d]", 3000, -42);
	char *want = malloc(3100);
	int n = snprintf(want, 3100, "[%*d]", 3000, -42);
	tap_int((int64_t)sb.len, n, "a 3000-wide field");
	tap_str(sb.buf, want, "as snprintf formats it");
	free(want);

	/* vaddf with the caller's va_list; %% and a NUL-free argument list. */
	strbuf_reset(&sb);
	vadd(&sb, "%s=%05.1f%%|%c|%llu", "x", 2.25, 'q', (unsigned long long)UINT64_MAX);
	char want2[128];
	snprintf(want2, sizeof(want2), "%s=%05.1f%%|%c|%llu", "x", 2.25, 'q',
		 (unsigned long long)UINT64_MAX);
	tap_str(strbuf_str(&sb), want2, "vaddf formats as snprintf does");
	strbuf_release(&sb);
}

static void test_pad(void)
{
	/* input, its length in characters (not bytes), width */
	const struct {
		const char *s;
		int chars, width;
	} cases[] = {
		{ "abc", 3, 6 },
		{ "abc", 3, 3 },
		{ "abc", 3, 2 },
		{ "abc", 3, 0 },
		{ "abc", 3, -5 },
		{ "", 0, 4 },
		{ "h\xc3\xa9llo", 5, 8 },     /* é: two bytes, one character */
		{ "\xe2\x86\x92x", 2, 4 },    /* →: three bytes */
		{ "\xf0\x9f\x94\xa5", 1, 3 }, /* a four-byte character */
		{ "\xc3\xa9\xc3\xa9", 2, 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "|");
		strbuf_addpad(&sb, cases[i].s, cases[i].width);
		int pad = cases[i].width > cases[i].chars ? cases[i].width - cases[i].chars : 0;
		char want[64];
		snprintf(want, sizeof(want), "|%*s%s", pad, "", cases[i].s);
		tap_str(strbuf_str(&sb), want, "addpad(\"%s\", %d) pads %d", cases[i].s,
			cases[i].width, pad);
		strbuf_release(&sb);
	}
}

/* strbuf_add_u64, _i64 and _hex16 (and digits_u64 under them) against printf, on each
 * power of ten and its neighbours, the extremes, and a spread of other values. */
static void test_numbers(void)
{
	struct strbuf sb = STRBUF_INIT;
	char ref[64];
	uint64_t vals[200];
	size_t n = 0;
	vals[n++] = 0;
	vals[n++] = UINT64_MAX;
	vals[n++] = (uint64_t)INT64_MAX;
	vals[n++] = (uint64_t)INT64_MIN;
	for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10) {
		vals[n++] = p - 1;
		vals[n++] = p;
		vals[n++] = p + 1;
	}
	for (uint64_t x = 0x9e3779b97f4a7c15u; n < sizeof(vals) / sizeof(vals[0]);
	     x = x * 6364136223846793005u + 1442695040888963407u)
		vals[n++] = x >> (x & 63);
	bool u_ok = true, i_ok = true, h_ok = true;
	for (size_t k = 0; k < n; k++) {
		strbuf_reset(&sb);
		strbuf_add_u64(&sb, vals[k]);
		snprintf(ref, sizeof(ref), "%" PRIu64, vals[k]);
		u_ok &= strcmp(sb.buf, ref) == 0 && sb.len == strlen(ref);
		strbuf_reset(&sb);
		strbuf_add_i64(&sb, (int64_t)vals[k]);
		snprintf(ref, sizeof(ref), "%" PRId64, (int64_t)vals[k]);
		i_ok &= strcmp(sb.buf, ref) == 0 && sb.len == strlen(ref);
		strbuf_reset(&sb);
		strbuf_add_hex16(&sb, vals[k]);
		snprintf(ref, sizeof(ref), "%016" PRIx64, vals[k]);
		h_ok &= strcmp(sb.buf, ref) == 0 && sb.len == 16;
	}
	tap_ok(u_ok, "add_u64 prints what printf does, on %zu values", n);
	tap_ok(i_ok, "add_i64 too, on them as signed");
	tap_ok(h_ok, "add_hex16 too, as 16 hex digits");
	strbuf_release(&sb);
}

int main(void)
{
	test_overflow(); /* first: nothing of ours is allocated yet when the children exit */
	test_empty();
	test_bytes();
	test_format();
	test_pad();
	test_numbers();
	return tap_done();
}
