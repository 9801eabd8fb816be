/* util/sink: what a writing sink hands its write function is exactly the bytes added, in
 * order, in chunks of at most SINK_CHUNK plus one piece, whatever mix of sink_put (the
 * inlined copy), sink_room's writes in place, sink_add, sink_add_int and big blocks made
 * them; sink_add_int and digits_put_u64 against printf; a failed write is kept and
 * reported by sink_finish. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/digits.h"
#include "util/sink.h"
#include "util/strbuf.h"

struct capture {
	struct strbuf all;
	size_t writes, largest;
	int fail_after; /* writes that succeed before every later one fails; -1: none fails */
};

static int capture_write(void *ctx, const char *data, size_t n)
{
	struct capture *c = ctx;
	if (c->fail_after >= 0 && c->writes >= (size_t)c->fail_after) {
		errno = ENOSPC;
		return -1;
	}
	c->writes++;
	if (n > c->largest)
		c->largest = n;
	strbuf_add(&c->all, data, n);
	return 0;
}

static void test_add_int(void)
{
	const int64_t values[] = { 0,         1,         -1,         9,           10,
				   -10,       123456789, 9999999999, 10000000000, -1234567890123,
				   INT64_MAX, INT64_MIN };
	const int widths[] = { 0, 1, 10, 25 };
	int bad = 0;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			struct sink s;
			sink_init_mem(&s);
			sink_add_int(&s, values[i], widths[w]);
			char want[64];
			snprintf(want, sizeof(want), "%*" PRId64, widths[w], values[i]);
			if (strcmp(strbuf_str(&s.buf), want) != 0) {
				bad++;
				tap_str(strbuf_str(&s.buf), want, "sink_add_int(%" PRId64 ", %d)",
					values[i], widths[w]);
			}
			sink_release(&s);
		}
	}
	tap_ok(bad == 0, "sink_add_int agrees with printf on %zu cases",
	       sizeof(values) / sizeof(values[0]) * sizeof(widths) / sizeof(widths[0]));
}

/* Pieces of every size from 0 to a few hundred bytes, a few big blocks, numbers: the
 * written stream equals the same pieces appended to a strbuf. */
static void test_stream(void)
{
	struct capture c = { STRBUF_INIT, 0, 0, -1 };
	struct strbuf want = STRBUF_INIT;
	struct sink s;
	sink_init(&s, capture_write, &c);
	char piece[SINK_CHUNK + 100];
	for (size_t i = 0; i < sizeof(piece); i++)
		piece[i] = (char)('a' + i % 26);
	uint32_t x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245 + 12345;
		size_t n = (x >> 8) % 300;
		if (i % 4000 == 3999)
			n = sizeof(piece);   /* a block larger than the chunk */
		if (i % 5 == 4 && n < 256) { /* written in place */
			char *at = sink_room(&s, 256);
			memcpy(at, piece + i % 26, n);
			sink_wrote(&s, at + n);
			strbuf_add(&want, piece + i % 26, n);
		} else if (i % 3 == 0) {
			sink_put(&s, piece + i % 26, n < sizeof(piece) - 26 ? n : n - 26);
			strbuf_add(&want, piece + i % 26, n < sizeof(piece) - 26 ? n : n - 26);
		} else if (i % 3 == 1) {
			sink_add(&s, piece, n);
			strbuf_add(&want, piece, n);
		} else {
			sink_add_int(&s, (int64_t)x - (1 << 30), 12);
			strbuf_addf(&want, "%12" PRId64, (int64_t)x - (1 << 30));
		}
	}
	tap_ok(sink_finish(&s) == 0, "a stream of pieces is written without error");
	tap_ok(c.all.len == want.len && memcmp(c.all.buf, want.buf, want.len) == 0,
	       "the written bytes are the pieces in order (%zu bytes, %zu writes)", want.len,
	       c.writes);
	tap_ok(c.writes > want.len / (2 * SINK_CHUNK), "the sink writes as it goes (%zu writes)",
	       c.writes);
	tap_ok(c.largest < SINK_CHUNK + 300,
	       "no write is larger than a chunk and a piece (largest %zu)", c.largest);
	sink_release(&s);
	strbuf_release(&c.all);
	strbuf_release(&want);
}

/* sink_room on a memory sink grows its buffer; what was written stays. */
static void test_room_mem(void)
{
	struct sink s;
	sink_init_mem(&s);
	size_t total = 0;
	bool ok = true;
	for (int i = 0; i < 1000; i++) {
		char *at = sink_room(&s, 100);
		memset(at, 'a' + i % 26, 100);
		sink_wrote(&s, at + 100);
		total += 100;
		ok = ok && s.buf.len == total && s.buf.buf[total - 1] == 'a' + i % 26 &&
		     s.buf.buf[total] == '\0';
	}
	for (size_t k = 0; ok && k < total; k++)
		ok = s.buf.buf[k] == 'a' + (int)(k / 100 % 26);
	tap_ok(ok, "sink_room on a memory sink keeps every piece written in place");
	sink_release(&s);
}

/* digits_count and digits_put_u64 against printf, at every power of ten and either side. */
static void test_digits(void)
{
	int bad = 0, n = 0;
	for (uint64_t p = 1, i = 0; i < 20; i++, p *= 10) {
		const uint64_t vs[] = { p - 1, p, p + 1, p * 9 / 10 * 10 + (p > 1), UINT64_MAX };
		for (size_t k = 0; k < sizeof(vs) / sizeof(vs[0]); k++) {
			char got[32], want[32];
			*digits_put_u64(got, vs[k]) = '\0';
			snprintf(want, sizeof(want), "%" PRIu64, vs[k]);
			n++;
			if (strcmp(got, want) != 0 || digits_count(vs[k]) != strlen(want)) {
				bad++;
				tap_str(got, want, "digits_put_u64(%" PRIu64 ")", vs[k]);
			}
		}
	}
	tap_ok(bad == 0, "digits_count and digits_put_u64 agree with printf on %d values", n);
}

static void test_failure(void)
{
	struct capture c = { STRBUF_INIT, 0, 0, 1 };
	struct sink s;
	sink_init(&s, capture_write, &c);
	char piece[1000];
	memset(piece, 'z', sizeof(piece));
	for (int i = 0; i < 1000; i++)
		sink_put(&s, piece, sizeof(piece));
	errno = 0;
	int rc = sink_finish(&s);
	tap_ok(rc == -1 && errno == ENOSPC, "a failed write is reported by sink_finish");
	tap_ok(c.all.len >= SINK_CHUNK && c.all.len < SINK_CHUNK + sizeof(piece),
	       "the first chunk was written before the failure (%zu bytes)", c.all.len);
	tap_ok(c.writes == 1, "after the failure nothing more is written");
	sink_release(&s);
	strbuf_release(&c.all);
}

int main(void)
{
	test_add_int();
	test_stream();
	test_room_mem();
	test_digits();
	test_failure();
	return tap_done();
}
