/* pprof/gunzip: the inflater of this build (ISA-L or zlib; scripts/check builds both) on
 * gzip made here with zlib: one and two members fed whole, a byte at a time and in odd
 * pieces, into outputs of odd sizes; and the faults load.c names: a bad check, a
 * truncated member, data after a member that is not gzip. TAP. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pprof/gunzip.h"
#include "tap.h"

/* data gzip'd by zlib into a new buffer of *len bytes. */
static uint8_t *gzip(const uint8_t *data, size_t n, size_t *len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&z, n);
	uint8_t *out = malloc(cap);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

struct result {
	uint8_t *out;
	size_t len;
	unsigned members;
	const char *error; /* NULL, "truncated", "trailing", or the inflater's message */
};

/* Inflates in, handed over in pieces of `piece` bytes, into outputs of `room` bytes, as
 * load.c drives it. */
static struct result inflate_all(const uint8_t *in, size_t n, size_t piece, size_t room)
{
	struct result r = { malloc(1 << 20), 0, 0, NULL };
	struct gunzip *g = gunzip_new();
	size_t pos = 0;
	for (;;) {
		if (gunzip_avail_in(g) == 0 && pos < n) {
			size_t k = n - pos < piece ? n - pos : piece;
			gunzip_input(g, in + pos, k);
			pos += k;
		}
		uint8_t *out = r.out + r.len;
		size_t left = room;
		const char *msg = NULL;
		enum gunzip_status st = gunzip_run(g, &out, &left, &msg);
		r.len += room - left;
		if (st == GUNZIP_MEMBER_END) {
			r.members++;
			if (gunzip_avail_in(g) == 0 && pos == n)
				break;
			gunzip_next_member(g);
		} else if (st == GUNZIP_ERROR) {
			r.error = r.members && gunzip_member_out(g) == 0 ? "trailing" : msg;
			break;
		} else if (left > 0 && gunzip_avail_in(g) == 0 && pos == n) {
			r.error = "truncated";
			break;
		}
	}
	gunzip_free(g);
	return r;
}

int main(void)
{
	/* Some 300 kB that compress, but not to nothing. */
	size_t n = 300000;
	uint8_t *data = malloc(2 * n);
	uint32_t x = 12345;
	for (size_t i = 0; i < 2 * n; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (uint8_t)("abcdefgh"[(x >> 16) & 7] + (i % 1000 == 0));
	}
	size_t len1, len2;
	uint8_t *m1 = gzip(data, n, &len1), *m2 = gzip(data + n, n, &len2);
	uint8_t *two = malloc(len1 + len2 + 16);
	memcpy(two, m1, len1);
	memcpy(two + len1, m2, len2);

	static const size_t pieces[][2] = {
		{ 1 << 30, 1 << 20 }, { 1, 4096 }, { 7, 1 }, { 4099, 65536 }, { 10, 333 }
	};
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		size_t piece = pieces[i][0], room = pieces[i][1];
		struct result r = inflate_all(two, len1 + len2, piece, room);
		tap_ok(!r.error && r.members == 2 && r.len == 2 * n &&
			       memcmp(r.out, data, 2 * n) == 0,
		       "%s: two members in pieces of %zu into %zu: %zu bytes, %u members, %s",
		       gunzip_backend(), piece, room, r.len, r.members, r.error ? r.error : "ok");
		free(r.out);
	}

	/* A corrupt check (the CRC's first byte). */
	uint8_t *bad = malloc(len1);
	memcpy(bad, m1, len1);
	bad[len1 - 8] ^= 0xff;
	struct result r = inflate_all(bad, len1, 4096, 65536);
	tap_str(r.error, "incorrect data check", "a bad CRC");
	free(r.out);
	/* Cut anywhere: inside the header, the data, the trailer. */
	static const size_t cuts[] = { 1, 5, 11, 100, 4000, 0 /* len1 - 3 */ };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t cut = cuts[i] ? cuts[i] : len1 - 3;
		r = inflate_all(m1, cut, 4096, 65536);
		tap_str(r.error, "truncated", "cut after %zu of %zu bytes", cut, len1);
		free(r.out);
	}
	/* After a member: text, a wrong second byte, a lone byte (too short to be a header,
	 * so zlib waits for more), a header's start. */
	static const char *const tails[] = { "garbage!", "\x1f?", "g", "\x1f\x8b\x08" };
	static const char *const want[] = { "trailing", "trailing", "truncated", "truncated" };
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(tails[i]);
		memcpy(two + len1, tails[i], k);
		for (size_t piece = 1; piece <= 4096; piece *= 4096) {
			r = inflate_all(two, len1 + k, piece, 65536);
			tap_str(r.error, want[i], "%zu bytes after a member, in pieces of %zu", k,
				piece);
			free(r.out);
		}
	}
	free(bad);
	free(two);
	free(m1);
	free(m2);
	free(data);
	return tap_done();
}
