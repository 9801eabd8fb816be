/* pprof/load: plain and gzip input, multi-member gzip, members and data spanning the
 * reader's chunks, the size cap at its exact boundary. argv[1] is tests/errors/inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "pprof/load.h"
#include "tap.h"

static const char *inputs;

static char *input(const char *name)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", inputs, name);
	return path;
}

static int load(const char *path, size_t max, struct loaded *out, struct cprof_error *err)
{
	err->msg[0] = '\0';
	out->data = NULL;
	out->len = 0;
	return load_bytes(path, max, out, err);
}

/* Reads path as the decoder does, by peeks and consumes of assorted sizes (small ones that
 * mostly fit in a block, some that straddle blocks, some bigger than a block), and checks
 * every byte against want. Returns the number of bytes that matched in order. */
static size_t stream_matches(const char *path, const uint8_t *want, size_t n)
{
	struct instream *s;
	struct cprof_error err = { "" };
	if (instream_open(path, LOAD_DEFAULT_MAX, &s, &err) < 0)
		return 0;
	uint64_t x = 7;
	size_t at = 0;
	for (;;) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* Mostly small asks, one in a hundred up to 3 MiB. */
		size_t ask = (x >> 40) % 300 + 1;
		if ((x >> 40) % 100 == 0)
			ask = (size_t)(x >> 44) % (3u << 20) + 1;
		const uint8_t *d;
		ssize_t got = instream_peek(s, ask, &d, &err);
		if (got < 0 || (size_t)got > ask || (got < (ssize_t)ask && at + (size_t)got != n))
			break;
		if (got == 0 || memcmp(d, want + at, (size_t)got) != 0 || instream_offset(s) != at)
			break;
		size_t take = (x >> 20) % 2 ? (size_t)got : (size_t)got / 2;
		instream_consume(s, take);
		at += take;
		if (at == n) {
			got = instream_peek(s, 1, &d, &err);
			break;
		}
	}
	instream_close(s);
	return at;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

/* Appends one gzip member holding p[0..n) to f (zlib's own writer). */
static void gzip_member(FILE *f, const uint8_t *p, size_t n, int level)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		exit(99);
	size_t cap = deflateBound(&zs, (uLong)n);
	uint8_t *out = malloc(cap);
	zs.next_in = (Bytef *)p;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		exit(99);
	fwrite(out, 1, zs.total_out, f);
	deflateEnd(&zs);
	free(out);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_load INPUTS_DIR\n");
		return 99;
	}
	inputs = argv[1];
	struct loaded plain, l;
	struct cprof_error err;

	tap_int(load(input("valid.pb"), LOAD_DEFAULT_MAX, &plain, &err), 0, "plain file loads");
	tap_int(load(input("valid.pb.gz"), LOAD_DEFAULT_MAX, &l, &err), 0, "gzip file loads");
	tap_mem(l.data, l.len, plain.data, plain.len, "gzip inflates to the plain bytes");
	loaded_release(&l);
	tap_int(load(input("multi-member.pb.gz"), LOAD_DEFAULT_MAX, &l, &err), 0,
		"two-member gzip loads");
	tap_mem(l.data, l.len, plain.data, plain.len, "both members are inflated, in order");
	loaded_release(&l);

	/* The cap: exactly max bytes pass, one more fails, for plain and gzip input. */
	tap_int(load(input("valid.pb"), plain.len, &l, &err), 0, "plain data of exactly max bytes");
	loaded_release(&l);
	tap_int(load(input("valid.pb"), plain.len - 1, &l, &err), -1, "plain data of max+1 bytes");
	tap_ok(strstr(err.msg, "exceeds") != NULL, "size message: %s", err.msg);
	tap_int(load(input("valid.pb.gz"), plain.len, &l, &err), 0,
		"gzip data of exactly max bytes");
	loaded_release(&l);
	tap_int(load(input("valid.pb.gz"), plain.len - 1, &l, &err), -1,
		"gzip data of max+1 bytes");
	const size_t bomb = 1 + 258 * 400; /* what gen-hostile writes */
	tap_int(load(input("gzip-bomb-100k.gz"), bomb, &l, &err), 0, "bomb under an exact cap");
	tap_int(l.len, bomb, "bomb inflates to its size");
	size_t nonzero = 0;
	for (size_t i = 0; i < l.len; i++)
		nonzero += l.data[i] != 0;
	tap_int(nonzero, 0, "bomb is all zeros");
	loaded_release(&l);
	tap_int(load(input("gzip-bomb-100k.gz"), bomb - 1, &l, &err), -1, "bomb over the cap");
	tap_str(err.msg, "inflated data exceeds the 103200-byte limit (raise it with -max_size)",
		"bomb message");
	tap_int(load(input("gzip-bomb-100k.gz"), 0, &l, &err), -1, "max 0 refuses everything");
	tap_int(load(input("empty.pb"), 0, &l, &err), 0, "an empty file fits max 0");
	tap_int(l.len, 0, "and is empty");
	loaded_release(&l);

	/* 3 MiB of pseudo-random bytes (twelve of the reader's 256 KiB blocks), as plain data and as
	 * three gzip members of uneven sizes, compressed by zlib. */
	enum { BIG = 3 << 20 };
	uint8_t *big = malloc(BIG);
	uint64_t x = 1;
	for (size_t i = 0; i < BIG; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		big[i] = (uint8_t)(x >>
				   59); /* few distinct bytes: compressible, but not trivially */
	}
	char dir[] = "/tmp/cprof-test-load.XXXXXX";
	if (!mkdtemp(dir))
		return 99;
	char pplain[64], pgz[64];
	snprintf(pplain, sizeof(pplain), "%s/big", dir);
	snprintf(pgz, sizeof(pgz), "%s/big.gz", dir);
	write_file(pplain, big, BIG);
	FILE *f = fopen(pgz, "wb");
	gzip_member(f, big, 1000, 1);
	gzip_member(f, big + 1000, (2 << 20) - 1000, 6);
	gzip_member(f, big + (2 << 20), BIG - (2 << 20), 0);
	fclose(f);
	tap_int(load(pplain, LOAD_DEFAULT_MAX, &l, &err), 0, "3 MiB plain file loads");
	tap_mem(l.data, l.len, big, BIG, "3 MiB plain bytes");
	loaded_release(&l);
	tap_int(load(pgz, LOAD_DEFAULT_MAX, &l, &err), 0, "3 MiB in three gzip members loads");
	tap_mem(l.data, l.len, big, BIG, "3 MiB inflated bytes");
	loaded_release(&l);
	tap_int(load(pgz, BIG - 1, &l, &err), -1, "3 MiB gzip against a cap one byte short");
	tap_int(load(pgz, BIG, &l, &err), 0, "3 MiB gzip against an exact cap");
	loaded_release(&l);
	tap_int(stream_matches(pplain, big, BIG), BIG, "3 MiB plain file, read by assorted peeks");
	tap_int(stream_matches(pgz, big, BIG), BIG, "3 MiB gzip file, read by assorted peeks");
	unlink(pplain);
	unlink(pgz);
	rmdir(dir);
	free(big);

	tap_int(load(input("truncated-gzip.pb.gz"), LOAD_DEFAULT_MAX, &l, &err), -1,
		"truncated gzip");
	tap_str(err.msg, "gzip: unexpected end of compressed data", "truncated gzip message");
	tap_int(load(input("no-such-file"), LOAD_DEFAULT_MAX, &l, &err), -1, "missing file");
	tap_int(load(inputs, LOAD_DEFAULT_MAX, &l, &err), -1, "a directory");
	loaded_release(&plain);
	return tap_done();
}
