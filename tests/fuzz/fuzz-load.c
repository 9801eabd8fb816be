/* Fuzz target for the loader: the payload is read as cprof reads a profile file (gzip
 * sniffed, inflated with a cap) from memory and, one run in eight, from a file (the
 * threaded stream, load_bytes, decoding, or a stream dropped after one peek), with windows of varied sizes peeked and consumed; about half the time the
 * target first wraps it in gzip itself (one or two members, sometimes repeated past the
 * stream's block size, sometimes followed by garbage) so that valid gzip reaches the
 * decoder. Contract checks, which abort: memory and file give the same bytes and the same
 * verdict; gzip the target made inflates to exactly what it compressed, and fails exactly
 * when over the cap or followed by garbage; a profile decodes the same streamed (memory or
 * file) as from its inflated bytes; and what cprof encodes decodes back to a profile that
 * encodes the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz-common.h"
#include "pprof/decode.h"
#include "pprof/encode.h"
#include "pprof/load.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLOCK ((size_t)1 << 18) /* load.c's block: windows straddle blocks past it */

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-load: %s\n", what);
	abort();
}

/* Appends n bytes at data to out as one gzip member. */
static void gzip_member(struct strbuf *out, const uint8_t *data, size_t n, int level)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fail("deflateInit2");
	size_t bound = deflateBound(&zs, (uLong)n);
	strbuf_grow(out, bound);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->buf + out->len;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		fail("deflate");
	out->len += bound - zs.avail_out;
	out->buf[out->len] = '\0';
	deflateEnd(&zs);
}

/* What the stream is made of, and what it must give when the target made the gzip. */
struct input {
	struct strbuf bytes; /* what is read: the payload, or gzip the target made */
	struct strbuf plain; /* when known: what the bytes inflate to */
	bool known, garbage;
};

static void make_input(struct fz *f, struct input *in)
{
	unsigned how = fz_below(f, 16);
	if (how < 8 || how == 15 || (how == 14 && (f->size == 0 || f->size > 65536))) {
		strbuf_add(&in->bytes, f->data, f->size); /* as given: gzip or not */
		if (f->size < 2 || f->data[0] != 0x1f || f->data[1] != 0x8b) {
			strbuf_add(&in->plain, f->data, f->size);
			in->known = true;
		}
		return;
	}
	in->known = true;
	if (how == 14) { /* repeated past a block, so that windows straddle blocks */
		while (in->plain.len <= BLOCK + fz_below(f, 4096))
			strbuf_add(&in->plain, f->data, f->size);
		gzip_member(&in->bytes, (const uint8_t *)in->plain.buf, in->plain.len, 1);
	} else {
		strbuf_add(&in->plain, f->data, f->size);
		size_t cut = how >= 12 ? fz_u32(f) % (f->size + 1) : f->size; /* two members */
		gzip_member(&in->bytes, f->data, cut, (int)fz_below(f, 10));
		if (how >= 12)
			gzip_member(&in->bytes, f->data + cut, f->size - cut, (int)fz_below(f, 10));
	}
	if (fz_one_in(f, 8)) { /* a few bytes after the last member: too short to be one */
		for (unsigned i = 0, n = 1 + fz_below(f, 8); i < n; i++)
			strbuf_addch(&in->bytes, (char)fz_byte(f));
		in->garbage = true;
	}
}

/* The cap: mostly 1 MiB, else near the data's size. 1 MiB is four of the stream's blocks,
 * past every payload the target repeats past a block, and a gzip bomb of a few kilobytes
 * still reaches it; a larger cap lets such a bomb inflate (and be read in small windows,
 * decoded, compared) for tens of milliseconds a run. */
static size_t pick_cap(struct fz *f, const struct input *in)
{
	size_t n = in->known ? in->plain.len : in->bytes.len;
	switch (fz_below(f, 8)) {
	case 0:
		return fz_u32(f) % (2 * n + 2);
	case 1:
		return n;
	case 2:
		return n ? n - 1 : 0;
	default:
		return (size_t)1 << 20;
	}
}

/* How much to peek: the stream's callers ask for a varint's 20 bytes, a field's length,
 * or everything (load_bytes). 0 is a whole window when the choices have run out. */
static size_t peek_size(struct fz *f)
{
	switch (fz_below(f, 8)) {
	case 0:
		return 65536;
	case 1:
		return 1 + fz_below(f, 20);
	case 2:
	case 3:
		return 1 + fz_below(f, 4096);
	case 4:
		return BLOCK - 32 + fz_below(f, 64);
	case 5:
		return (size_t)1 << 20;
	case 6:
		return 0;
	default:
		return 1 + fz_u32(f) % (3 * BLOCK);
	}
}

/* Reads s to its end in windows the choices size. Returns 0, or -1 with err set. */
static int read_all(struct instream *s, struct fz *f, struct strbuf *out, struct cprof_error *err)
{
	for (;;) {
		size_t want = peek_size(f);
		const uint8_t *d;
		ssize_t n = instream_peek(s, want, &d, err);
		if (n < 0)
			return -1;
		if ((size_t)n > want)
			fail("a peek gave more than it was asked for");
		if (instream_offset(s) != out->len)
			fail("the stream's offset is not what was consumed");
		if (n == 0 && want > 0)
			return 0;
		size_t take = n ? (size_t)n - fz_u32(f) % (size_t)n : 0;
		strbuf_add(out, d, take);
		instream_consume(s, take);
	}
}

static bool same(const struct strbuf *a, const struct strbuf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->buf, b->buf, a->len) == 0);
}

/* The profile in s as gzip'd profile.proto (empty when it does not decode). */
static void decode_encode(struct instream *s, struct strbuf *enc)
{
	struct profile *p = profile_new();
	struct cprof_error err = { "" };
	if (decode_stream(s, p, &err) == 0 && encode_profile(p, enc, &err) < 0)
		fail("a decoded profile does not encode");
	profile_free(p);
	instream_close(s);
}

/* Which reading of the file a run makes beside the memory stream, if any: each starts a
 * thread and takes a megabyte or more (a sanitizer build maps it afresh), ten times what
 * the memory stream costs, so one run in eight reads the file, one way. */
enum file_check { FILE_STREAM, LOAD_BYTES, FILE_DECODE, FILE_DROPPED, MEMORY_ONLY };

/* Decoding: streamed from memory (and, by file_check, from the file) as from the bytes the
 * stream gave (ok: whether it gave them), then what was encoded round the loop once more. */
static void check_decode(const struct input *in, size_t cap, const struct fz_memfile *m,
			 enum file_check fc, const struct strbuf *got, bool ok)
{
	struct strbuf mem = STRBUF_INIT, file = STRBUF_INIT, flat = STRBUF_INIT;
	decode_encode(instream_memory((const uint8_t *)in->bytes.buf, in->bytes.len, cap), &mem);
	struct instream *s;
	struct cprof_error err = { "" };
	if (fc == FILE_DECODE && instream_open(m->path, cap, &s, &err) == 0)
		decode_encode(s, &file);
	/* Inflated bytes that are gzip again never decode (0x1f is wire type 7); memory streams
	 * would inflate them once more. */
	bool gzip_again = got->len >= 2 && got->buf[0] == 0x1f && (uint8_t)got->buf[1] == 0x8b;
	if (ok && !gzip_again)
		decode_encode(instream_memory((const uint8_t *)got->buf, got->len, SIZE_MAX),
			      &flat);
	if ((fc == FILE_DECODE && !same(&mem, &file)) || (ok && !gzip_again && !same(&mem, &flat)))
		fail("a profile decodes differently streamed from memory, from a file or whole");
	if (mem.len) {
		struct strbuf again = STRBUF_INIT;
		decode_encode(instream_memory((const uint8_t *)mem.buf, mem.len, SIZE_MAX), &again);
		if (!same(&mem, &again))
			fail("what cprof encodes does not decode to the same profile");
		strbuf_release(&again);
	}
	strbuf_release(&mem);
	strbuf_release(&file);
	strbuf_release(&flat);
}

/* The file read as fc says, into out; true if that worked (FILE_STREAM, LOAD_BYTES). */
static bool read_file(struct fz *f, const struct fz_memfile *m, size_t cap, enum file_check fc,
		      struct strbuf *out, struct cprof_error *err)
{
	struct instream *s;
	if (fc == LOAD_BYTES) {
		struct loaded l = { NULL, 0 };
		if (load_bytes(m->path, cap, &l, err) < 0)
			return false;
		if (l.len)
			strbuf_add(out, l.data, l.len);
		loaded_release(&l);
		return true;
	}
	if (instream_open(m->path, cap, &s, err) < 0)
		return false;
	bool ok = true;
	if (fc == FILE_STREAM) {
		ok = read_all(s, f, out, err) == 0;
	} else { /* dropped after one peek: the producer thread must stop */
		const uint8_t *d;
		(void)instream_peek(s, peek_size(f), &d, err);
	}
	instream_close(s);
	return ok;
}

/* The memory stream, the file and what the target compressed agree. */
static void check_reads(struct fz *f, const struct input *in, size_t cap)
{
	const struct fz_memfile *m = NULL;
	struct strbuf mem = STRBUF_INIT, file = STRBUF_INIT;
	struct cprof_error e_mem = { "" }, e_file = { "" };
	struct instream *s = instream_memory((const uint8_t *)in->bytes.buf, in->bytes.len, cap);
	bool ok_mem = read_all(s, f, &mem, &e_mem) == 0;
	instream_close(s);
	unsigned pick = fz_below(f, 32);
	enum file_check fc = pick < MEMORY_ONLY ? (enum file_check)pick : MEMORY_ONLY;
	if (getenv("CPROF_FUZZ_VERBOSE")) {
		static const char *const names[] = { "file stream", "load_bytes", "file decode",
						     "file dropped", "memory only" };
		fprintf(stderr, "fuzz-load: %zu bytes, cap %zu, %s\n", in->bytes.len, cap,
			names[fc]);
	}
	struct fz_memfile file_m = { -1, "" };
	if (fc != MEMORY_ONLY) {
		fz_memfile_init(&file_m, (const uint8_t *)in->bytes.buf, in->bytes.len);
		m = &file_m;
	}
	if (fc == FILE_STREAM || fc == LOAD_BYTES) {
		bool ok_file = read_file(f, m, cap, fc, &file, &e_file);
		if (ok_mem != ok_file || (ok_mem && !same(&mem, &file)))
			fail("the memory stream and the file (stream or load_bytes) disagree");
		if (!ok_mem && strcmp(e_mem.msg, e_file.msg) != 0)
			fail("the memory stream and the file (stream or load_bytes) fail "
			     "differently");
	} else if (fc == FILE_DROPPED) {
		read_file(f, m, cap, fc, &file, &e_file);
	}
	if (in->known) {
		bool expect = !in->garbage && in->plain.len <= cap;
		if (ok_mem != expect || (ok_mem && !same(&mem, &in->plain)))
			fail("the stream does not give back what was compressed");
	}
	check_decode(in, cap, m, fc, &mem, ok_mem);
	if (m)
		fz_memfile_release(&file_m);
	strbuf_release(&mem);
	strbuf_release(&file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	fz_init(&f, data, size);
	struct input in = { STRBUF_INIT, STRBUF_INIT, false, false };
	make_input(&f, &in);
	size_t cap = pick_cap(&f, &in);
	check_reads(&f, &in, cap);
	strbuf_release(&in.bytes);
	strbuf_release(&in.plain);
	return 0;
}
