/* Writes the hostile inputs of the errors suite into a directory: hand-encoded
 * profile.proto messages (valid, broken one field at a time, or absurd) and hand-made gzip
 * streams. Everything is encoded here byte by byte (deflate included) so the output is the
 * same on every machine. Usage: gen-hostile OUTDIR */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct buf {
	uint8_t *b;
	size_t n, cap;
};

static void put(struct buf *o, const void *p, size_t n)
{
	if (o->n + n > o->cap) {
		while (o->n + n > o->cap)
			o->cap = o->cap ? o->cap * 2 : 256;
		o->b = realloc(o->b, o->cap);
		if (!o->b) {
			perror("gen-hostile");
			exit(1);
		}
	}
	if (n)
		memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void byte(struct buf *o, uint8_t c)
{
	put(o, &c, 1);
}

static void varint(struct buf *o, uint64_t v)
{
	while (v >= 0x80) {
		byte(o, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	byte(o, (uint8_t)v);
}

static void key(struct buf *o, unsigned field, unsigned wt)
{
	varint(o, (uint64_t)field << 3 | wt);
}

/* A varint field; negative int64 values take ten bytes, as protobuf encodes them. */
static void vfield(struct buf *o, unsigned field, uint64_t v)
{
	key(o, field, 0);
	varint(o, v);
}

static void lfield(struct buf *o, unsigned field, const void *p, size_t n)
{
	key(o, field, 2);
	varint(o, n);
	put(o, p, n);
}

/* Appends sub as a length-delimited field and empties it. */
static void sub(struct buf *o, unsigned field, struct buf *s)
{
	lfield(o, field, s->b, s->n);
	s->n = 0;
}

static void str(struct buf *o, const char *s)
{
	lfield(o, 6, s, strlen(s));
}

static void value_type(struct buf *o, unsigned field, uint64_t type, uint64_t unit)
{
	struct buf s = { 0 };
	vfield(&s, 1, type);
	vfield(&s, 2, unit);
	sub(o, field, &s);
	free(s.b);
}

/* A sample with unpacked location ids and values (pprof's writer packs them; both are
 * legal). */
static void sample(struct buf *o, const uint64_t *locs, size_t nl, const int64_t *vals, size_t nv)
{
	struct buf s = { 0 };
	for (size_t i = 0; i < nl; i++)
		vfield(&s, 1, locs[i]);
	for (size_t i = 0; i < nv; i++)
		vfield(&s, 2, (uint64_t)vals[i]);
	sub(o, 2, &s);
	free(s.b);
}

static void labelled_sample(struct buf *o, uint64_t loc, int64_t v0, int64_t v1, uint64_t lkey,
			    uint64_t lstr)
{
	struct buf s = { 0 }, l = { 0 };
	vfield(&s, 1, loc);
	vfield(&s, 2, (uint64_t)v0);
	vfield(&s, 2, (uint64_t)v1);
	vfield(&l, 1, lkey);
	vfield(&l, 2, lstr);
	sub(&s, 3, &l);
	sub(o, 2, &s);
	free(s.b);
	free(l.b);
}

/* A location at address, with one line (of function fid) unless fid is 0. */
static void location_at(struct buf *o, uint64_t id, uint64_t mapping_id, uint64_t address,
			uint64_t fid, int64_t line)
{
	struct buf s = { 0 }, l = { 0 };
	vfield(&s, 1, id);
	if (mapping_id)
		vfield(&s, 2, mapping_id);
	vfield(&s, 3, address);
	if (fid) {
		vfield(&l, 1, fid);
		vfield(&l, 2, (uint64_t)line);
		sub(&s, 4, &l);
	}
	sub(o, 4, &s);
	free(s.b);
	free(l.b);
}

static void location(struct buf *o, uint64_t id, uint64_t mapping_id, uint64_t fid, int64_t line)
{
	location_at(o, id, mapping_id, 0x1000 + id * 16, fid, line);
}

static void function(struct buf *o, uint64_t id, uint64_t name, uint64_t file)
{
	struct buf s = { 0 };
	vfield(&s, 1, id);
	vfield(&s, 2, name);
	vfield(&s, 3, name);
	vfield(&s, 4, file);
	sub(o, 5, &s);
	free(s.b);
}

static void mapping(struct buf *o, uint64_t id, uint64_t file)
{
	struct buf s = { 0 };
	vfield(&s, 1, id);
	vfield(&s, 2, 0x1000);
	vfield(&s, 3, 0x100000);
	vfield(&s, 5, file);
	vfield(&s, 7, 1);
	vfield(&s, 8, 1);
	vfield(&s, 9, 1);
	sub(o, 3, &s);
	free(s.b);
}

/* The string table every generated profile shares; indexes below name its entries. */
enum { S_EMPTY, S_SAMPLES, S_COUNT, S_CPU, S_NANOS, S_MAIN, S_WORK, S_FILE, S_BIN, S_KEY,
       S_VAL, N_STRS };
static const char *const strs[N_STRS] = { "", "samples", "count", "cpu", "nanoseconds",
					  "main.main", "main.work", "main.go", "/bin/prog", "k",
					  "v" };

static void strings(struct buf *o)
{
	for (size_t i = 0; i < N_STRS; i++)
		str(o, strs[i]);
}

static void header(struct buf *o)
{
	value_type(o, 1, S_SAMPLES, S_COUNT);
	value_type(o, 1, S_CPU, S_NANOS);
}

static void footer(struct buf *o)
{
	vfield(o, 9, 1700000000000000000ull); /* time_nanos */
	vfield(o, 10, 1000000000);            /* duration_nanos */
	value_type(o, 11, S_CPU, S_NANOS);
	vfield(o, 12, 10000000); /* period */
}

/* Two functions, two locations, one mapping: main.main calls main.work. */
static void objects(struct buf *o)
{
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 2, 5);
	function(o, 1, S_WORK, S_FILE);
	function(o, 2, S_MAIN, S_FILE);
}

static const uint64_t stack12[] = { 1, 2 };
static const int64_t vals[] = { 3, 30000000 };

static void valid(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* The valid profile's header, sample, mapping, locations and functions, with the strings
 * of the mapping's file and the functions' names and first file chosen by the caller, and
 * the string table; the caller adds what else it breaks, and the footer. */
static void two_functions(struct buf *o, uint64_t map_file, uint64_t name1, uint64_t file1,
			  uint64_t name2)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	mapping(o, 1, map_file);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 2, 5);
	function(o, 1, name1, file1);
	function(o, 2, name2, S_FILE);
	strings(o);
}

/* --- gzip, written by hand: stored blocks, or fixed-Huffman runs of zeros --- */

/* The gzip CRC-32, a byte at a time through a table (the bomb-shaped inputs inflate to tens
 * of megabytes). */
static uint32_t crc32_of(const uint8_t *p, size_t n, uint32_t crc)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = (crc >> 8) ^ table[(crc ^ p[i]) & 0xff];
	return ~crc;
}

static void le32(struct buf *o, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		byte(o, (uint8_t)(v >> (8 * i)));
}

static void gzip_header(struct buf *o)
{
	static const uint8_t h[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	put(o, h, sizeof(h));
}

/* One gzip member holding data in stored (uncompressed) deflate blocks. */
static void gzip_stored(struct buf *o, const uint8_t *data, size_t n)
{
	gzip_header(o);
	size_t off = 0;
	do {
		size_t len = n - off > 65535 ? 65535 : n - off;
		byte(o, off + len == n ? 1 : 0); /* BFINAL, BTYPE=00, padded to the byte */
		byte(o, (uint8_t)len);
		byte(o, (uint8_t)(len >> 8));
		byte(o, (uint8_t)~len);
		byte(o, (uint8_t)(~len >> 8));
		if (len)
			put(o, data + off, len); /* data is NULL for an empty member */
		off += len;
	} while (off < n);
	le32(o, crc32_of(data, n, 0));
	le32(o, (uint32_t)n);
}

struct bits {
	struct buf *o;
	uint32_t acc;
	int n;
};

/* Deflate packs bits LSB first; Huffman codes are sent most significant bit first. */
static void bits_put(struct bits *b, uint32_t v, int n)
{
	b->acc |= v << b->n;
	b->n += n;
	while (b->n >= 8) {
		byte(b->o, (uint8_t)b->acc);
		b->acc >>= 8;
		b->n -= 8;
	}
}

static void huff(struct bits *b, uint32_t code, int n)
{
	uint32_t r = 0;
	for (int i = 0; i < n; i++)
		r |= ((code >> i) & 1) << (n - 1 - i);
	bits_put(b, r, n);
}

/* One gzip member inflating to n zero bytes (n >= 1, n - 1 a multiple of 258): a literal 0,
 * then matches of length 258 at distance 1, in one fixed-Huffman block. */
static void gzip_zeros(struct buf *o, size_t n)
{
	gzip_header(o);
	struct bits b = { o, 0, 0 };
	bits_put(&b, 1, 1);    /* BFINAL */
	bits_put(&b, 1, 2);    /* BTYPE=01: fixed Huffman */
	huff(&b, 0x30, 8);     /* literal 0 */
	for (size_t left = n - 1; left; left -= 258) {
		huff(&b, 0xc5, 8); /* length code 285: 258 */
		huff(&b, 0, 5);    /* distance code 0: 1 */
	}
	huff(&b, 0, 7); /* end of block (256) */
	if (b.n)
		bits_put(&b, 0, 8 - b.n);
	/* The CRC of n zeros, computed in pieces. */
	static const uint8_t zeros[4096];
	uint32_t crc = 0;
	for (size_t left = n; left;) {
		size_t k = left > sizeof(zeros) ? sizeof(zeros) : left;
		crc = crc32_of(zeros, k, crc);
		left -= k;
	}
	le32(o, crc);
	le32(o, (uint32_t)n);
}

/* A stored block at the bit writer's position: its three header bits, padding to the byte,
 * then the bytes as they are (n <= 65535). */
static void stored_block(struct bits *b, int final, const uint8_t *data, size_t n)
{
	bits_put(b, (uint32_t)final, 1);
	bits_put(b, 0, 2); /* BTYPE=00 */
	if (b->n)
		bits_put(b, 0, 8 - b->n);
	bits_put(b, (uint32_t)n, 16);
	bits_put(b, (uint32_t)~n & 0xffff, 16);
	if (n)
		put(b->o, data, n);
}

/* One dynamic-Huffman block of reps matches of 258 bytes at distance dist (1 to 4, the
 * distances of codes 0 to 3, which take no extra bits). Its literal/length code holds only
 * end-of-block (256) and length 258 (285), its distance code distance 1 and dist, each code
 * one bit long: 258 bytes cost two bits, the densest deflate gets (about 1030:1). */
static void dynamic_repeats(struct bits *b, unsigned dist, size_t reps)
{
	unsigned hdist = dist < 2 ? 2 : dist; /* distance codes 0..hdist-1 */
	bits_put(b, 0, 1);         /* not the last block */
	bits_put(b, 2, 2);         /* BTYPE=10 */
	bits_put(b, 286 - 257, 5); /* HLIT: literal/length codes 0..285 */
	bits_put(b, hdist - 1, 5); /* HDIST */
	bits_put(b, 18 - 4, 4);    /* HCLEN: the first 18 code length codes of the order */
	/* The order is 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1. Code length symbol 1 gets
	 * a one-bit code, 0 (a zero length) and 18 (a run of 11-138 zeros) two bits each:
	 * canonically 1 -> 0, 0 -> 10, 18 -> 11. */
	for (int i = 0; i < 18; i++)
		bits_put(b, i == 17 ? 1 : i == 2 || i == 3 ? 2 : 0, 3);
	/* The 286 + hdist code lengths: 256 zeros, 1 (end of block), 28 zeros, 1 (length
	 * 258), then 1 for distance code 0, zeros, and 1 for code hdist - 1. Symbol 18 takes 7
	 * extra bits, the run minus 11; Huffman codes go most significant bit first. */
	huff(b, 3, 2);
	bits_put(b, 138 - 11, 7);
	huff(b, 3, 2);
	bits_put(b, 118 - 11, 7);
	huff(b, 0, 1);
	huff(b, 3, 2);
	bits_put(b, 28 - 11, 7);
	huff(b, 0, 1);
	huff(b, 0, 1);
	for (unsigned i = 1; i + 1 < hdist; i++)
		huff(b, 2, 2);
	huff(b, 0, 1);
	/* Canonical codes: 256 -> 0, 285 -> 1; distance code 0 -> 0, hdist - 1 -> 1. */
	for (size_t i = 0; i < reps; i++) {
		bits_put(b, 1, 1);
		bits_put(b, dist > 1, 1);
	}
	bits_put(b, 0, 1); /* end of block */
}

/* One gzip member inflating to pre, then reps * 258 bytes repeating pre's last dist bytes
 * (dist 1 to 4), then suf: a bomb of whatever shape the repeated bytes give, about 1030
 * times smaller than what it inflates to. */
static void gzip_periodic(struct buf *o, const struct buf *pre, unsigned dist, size_t reps,
			  const struct buf *suf)
{
	gzip_header(o);
	struct bits b = { o, 0, 0 };
	for (size_t off = 0; off < pre->n; off += 65535)
		stored_block(&b, 0, pre->b + off, pre->n - off > 65535 ? 65535 : pre->n - off);
	dynamic_repeats(&b, dist, reps);
	size_t off = 0;
	do {
		size_t len = suf->n - off > 65535 ? 65535 : suf->n - off;
		stored_block(&b, off + len == suf->n, suf->b + off, len);
		off += len;
	} while (off < suf->n);
	/* The repeated bytes continue pre's period: 258 of them, from a phase that moves on
	 * by 258 % dist each time. */
	uint8_t period[2 * 258 + 4];
	for (size_t i = 0; i < sizeof(period); i++)
		period[i] = pre->b[pre->n - dist + i % dist];
	uint32_t crc = crc32_of(pre->b, pre->n, 0);
	for (size_t i = 0; i < reps; i++)
		crc = crc32_of(period + i * 258 % dist, 258, crc);
	crc = crc32_of(suf->b, suf->n, crc);
	le32(o, crc);
	le32(o, (uint32_t)(pre->n + reps * 258 + suf->n));
}

/* --- the cases --- */

static const char *outdir;

static void emit(const char *name, const struct buf *o)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (o->n && fwrite(o->b, 1, o->n, f) != o->n) || fclose(f) != 0) {
		fprintf(stderr, "gen-hostile: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Each case builds a buffer; the table below names the files. */
typedef void (*builder)(struct buf *);

static void c_valid(struct buf *o) { valid(o); }

static void c_valid_gz(struct buf *o)
{
	struct buf p = { 0 };
	valid(&p);
	gzip_stored(o, p.b, p.n);
	free(p.b);
}

static void c_truncated_gzip(struct buf *o)
{
	c_valid_gz(o);
	o->n /= 2;
}

/* Two members: the valid profile split at an arbitrary byte (gzip allows concatenation). */
static void c_multi_member_gz(struct buf *o)
{
	struct buf p = { 0 };
	valid(&p);
	gzip_stored(o, p.b, 7);
	gzip_stored(o, p.b + 7, p.n - 7);
	free(p.b);
}

static void c_gzip_trailing_garbage(struct buf *o)
{
	c_valid_gz(o);
	put(o, "garbage!", 8);
}

static void c_gzip_bad_crc(struct buf *o)
{
	c_valid_gz(o);
	o->b[o->n - 8] ^= 0xff;
}

/* The valid profile without its mapping: pprof gives such a profile a fake mapping (id 1)
 * that every location uses, and names that one for a binary or -buildid. */
static void c_no_mappings(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	location(o, 1, 0, 1, 12);
	location(o, 2, 0, 2, 5);
	function(o, 1, S_WORK, S_FILE);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
	footer(o);
}

static void c_gzip_bomb(struct buf *o) { gzip_zeros(o, 1 + 258 * 400); } /* ~100 KB */
static void c_text(struct buf *o) { put(o, "this is not a profile\n", 22); }

static void c_random(struct buf *o)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	/* Skip values that start like gzip so the file is raw garbage for the decoder. */
	for (int i = 0; i < 4096; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		byte(o, (uint8_t)(x >> 56));
	}
	if (o->b[0] == 0x1f)
		o->b[0] = 0;
}

static void c_elf(struct buf *o)
{
	static const uint8_t h[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	put(o, h, sizeof(h));
	for (int i = 0; i < 48; i++)
		byte(o, 0);
}

static void c_empty(struct buf *o) { (void)o; }
static void c_empty_gzip(struct buf *o) { gzip_stored(o, NULL, 0); }

static void c_strindex_function_name(struct buf *o)
{
	two_functions(o, S_BIN, S_WORK, S_FILE, 99);
	footer(o);
}

static void c_strindex_negative(struct buf *o)
{
	two_functions(o, S_BIN, (uint64_t)-1, S_FILE, S_MAIN);
	footer(o);
}

static void c_strindex_huge(struct buf *o)
{
	two_functions(o, S_BIN, S_WORK, (uint64_t)1 << 62, S_MAIN);
	footer(o);
}

static void c_strindex_mapping_filename(struct buf *o)
{
	two_functions(o, N_STRS, S_WORK, S_FILE, S_MAIN);
	footer(o);
}

static void c_strindex_label_key(struct buf *o)
{
	header(o);
	labelled_sample(o, 1, 1, 100, 4000, S_VAL);
	objects(o);
	strings(o);
	footer(o);
}

static void c_strindex_sample_type(struct buf *o)
{
	value_type(o, 1, S_SAMPLES, S_COUNT);
	value_type(o, 1, S_CPU, 12345);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

static void c_strtab0_nonempty(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	str(o, "oops");
	for (size_t i = 1; i < N_STRS; i++)
		str(o, strs[i]);
	footer(o);
}

static void c_no_string_table(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	footer(o);
}

static void c_dangling_location(struct buf *o)
{
	static const uint64_t st[] = { 1, 77 };
	header(o);
	sample(o, stack12, 2, vals, 2);
	sample(o, st, 2, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

static void c_dangling_function(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 42, 5);
	function(o, 1, S_WORK, S_FILE);
	strings(o);
	footer(o);
}

static void c_dangling_mapping(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 12);
	location(o, 2, 9, 2, 5);
	function(o, 1, S_WORK, S_FILE);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
	footer(o);
}

static void c_duplicate_location(struct buf *o)
{
	valid(o);
	location(o, 2, 1, 1, 99);
}

static void c_duplicate_function(struct buf *o)
{
	valid(o);
	function(o, 1, S_MAIN, S_FILE);
}

static void c_duplicate_mapping(struct buf *o)
{
	valid(o);
	mapping(o, 1, S_BIN);
}

static void c_location_id_zero(struct buf *o)
{
	static const uint64_t st[] = { 1, 0, 2 };
	header(o);
	sample(o, st, 3, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

static void c_function_id_zero(struct buf *o)
{
	valid(o);
	function(o, 0, S_MAIN, S_FILE);
}

static void c_mapping_id_zero(struct buf *o)
{
	valid(o);
	mapping(o, 0, S_BIN);
}

static void c_location_message_id_zero(struct buf *o)
{
	valid(o);
	location(o, 0, 1, 1, 7);
}

static void c_value_count_mismatch(struct buf *o)
{
	static const int64_t one[] = { 5 };
	header(o);
	sample(o, stack12, 2, vals, 2);
	sample(o, stack12, 2, one, 1);
	objects(o);
	strings(o);
	footer(o);
}

static void c_values_vs_types(struct buf *o)
{
	static const int64_t three[] = { 1, 2, 3 };
	header(o);
	sample(o, stack12, 2, three, 3);
	objects(o);
	strings(o);
	footer(o);
}

static void c_wrong_wire_type(struct buf *o)
{
	header(o);
	vfield(o, 2, 7); /* a sample as a varint */
	objects(o);
	strings(o);
}

static void c_wrong_wire_type_nested(struct buf *o)
{
	header(o);
	struct buf s = { 0 };
	lfield(&s, 2, "\xff\xff", 2); /* packed Sample.value whose varint never ends */
	sub(o, 2, &s);
	free(s.b);
	objects(o);
	strings(o);
}

static void c_overlong_varint(struct buf *o)
{
	header(o);
	key(o, 9, 0);
	for (int i = 0; i < 11; i++)
		byte(o, 0xff);
	byte(o, 0x01);
	strings(o);
}

static void c_length_past_end(struct buf *o)
{
	header(o);
	key(o, 2, 2);
	varint(o, 1000000);
	put(o, "\x08\x01", 2);
}

static void c_truncated_profile(struct buf *o)
{
	valid(o);
	o->n -= 3;
}

static void c_wire_type_7(struct buf *o)
{
	header(o);
	byte(o, 0x0f); /* field 1, wire type 7 */
	strings(o);
}

/* The same two-frame call repeated 5,000 times: a 10,000-deep stack of two locations. */
static void c_deep_stack(struct buf *o)
{
	enum { DEPTH = 10000 };
	static uint64_t st[DEPTH];
	for (size_t i = 0; i < DEPTH; i++)
		st[i] = 1 + i % 2;
	header(o);
	sample(o, st, DEPTH, vals, 2);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* 3,000 distinct frames, each its own function: nothing repeats. */
static void c_deep_distinct(struct buf *o)
{
	enum { DEPTH = 3000 };
	static uint64_t st[DEPTH];
	header(o);
	for (size_t i = 0; i < DEPTH; i++)
		st[i] = i + 1;
	sample(o, st, DEPTH, vals, 2);
	mapping(o, 1, S_BIN);
	for (size_t i = 0; i < DEPTH; i++) {
		location(o, i + 1, 1, i + 1, (int64_t)i);
		function(o, i + 1, N_STRS + i, S_FILE);
	}
	strings(o);
	for (size_t i = 0; i < DEPTH; i++) {
		char name[32];
		snprintf(name, sizeof(name), "main.f%05zu", i);
		str(o, name);
	}
	footer(o);
}

/* A sample with packed location ids, as pprof writes them (one byte per id below 128), and
 * the label k=v (so that tags has something to show). */
static void packed_sample(struct buf *o, const uint64_t *locs, size_t nl, const int64_t *vals,
			  size_t nv)
{
	struct buf s = { 0 }, ids = { 0 }, l = { 0 };
	for (size_t i = 0; i < nl; i++)
		varint(&ids, locs[i]);
	sub(&s, 1, &ids);
	for (size_t i = 0; i < nv; i++)
		vfield(&s, 2, (uint64_t)vals[i]);
	vfield(&l, 1, S_KEY);
	vfield(&l, 2, S_VAL);
	sub(&s, 3, &l);
	sub(o, 2, &s);
	free(s.b);
	free(ids.b);
	free(l.b);
}

/* A 100,000-frame stack: main.main calls main.work, which calls itself 99,998 times (one
 * function: nearly all of a call tree's 100,000 nodes share the name callgrind numbers). */
static void c_deep_100k(struct buf *o)
{
	enum { DEPTH = 100000 };
	static uint64_t st[DEPTH];
	for (size_t i = 0; i < DEPTH; i++)
		st[i] = i == DEPTH - 1 ? 2 : 1;
	header(o);
	packed_sample(o, st, DEPTH, vals, 2);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	str(o, "100,000 frames");
	vfield(o, 13, N_STRS); /* a comment, for the comments report */
	footer(o);
}

/* A location of n lines of main.work (function 1), each inlined into the next, at lines
 * first, first + 1, ... */
static void inlined_location(struct buf *o, uint64_t id, size_t n, int64_t first)
{
	struct buf s = { 0 }, l = { 0 };
	vfield(&s, 1, id);
	vfield(&s, 2, 1);
	vfield(&s, 3, 0x1000 + id * 16);
	for (size_t i = 0; i < n; i++) {
		vfield(&l, 1, 1);
		vfield(&l, 2, (uint64_t)(first + (int64_t)i));
		sub(&s, 4, &l);
	}
	sub(o, 4, &s);
	free(s.b);
	free(l.b);
}

/* Many distinct deep stacks: 2,000 stacks of 25 locations (3 and 4, chosen by the bits of
 * j * 0x1b873593, distinct for distinct j), each location 8 inlined lines of main.work:
 * 400,000 frames, a call tree of about 250,000 nodes that callgrind numbers as one name. */
static void c_deep_many(struct buf *o)
{
	enum { STACKS = 2000, DEPTH = 25, LINES = 8 };
	uint64_t st[DEPTH];
	header(o);
	for (uint32_t j = 0; j < STACKS; j++) {
		uint32_t bits = (j * 0x1b873593u) & ((1u << DEPTH) - 1);
		for (size_t i = 0; i < DEPTH; i++)
			st[i] = 3 + (bits >> i & 1);
		const int64_t v[] = { 1 + j % 7, 1000000 * (1 + (int64_t)(j % 13)) };
		packed_sample(o, st, DEPTH, v, 2);
	}
	objects(o);
	inlined_location(o, 3, LINES, 100);
	inlined_location(o, 4, LINES, 200);
	strings(o);
	str(o, "2,000 deep stacks");
	vfield(o, 13, N_STRS);
	footer(o);
}

/* One location named again and again in one stack (direct recursion), and a cycle
 * through two locations in another. */
static void c_recursion(struct buf *o)
{
	static const uint64_t self[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2 };
	static const uint64_t cycle[] = { 1, 2, 1, 2, 1, 2, 2, 1 };
	header(o);
	sample(o, self, sizeof(self) / sizeof(self[0]), vals, 2);
	sample(o, cycle, sizeof(cycle) / sizeof(cycle[0]), vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* Values and ids at the ends of their ranges; the values' sums wrap around as in Go. */
static void c_huge_varints(struct buf *o)
{
	static const uint64_t st[] = { UINT64_MAX, 2 };
	static const int64_t big[] = { INT64_MAX, INT64_MAX };
	static const int64_t small[] = { INT64_MIN, INT64_MIN };
	header(o);
	sample(o, st, 2, big, 2);
	sample(o, st, 2, small, 2);
	mapping(o, UINT64_MAX, S_BIN);
	location(o, UINT64_MAX, UINT64_MAX, UINT64_MAX, INT64_MAX);
	location(o, 2, UINT64_MAX, 2, INT64_MIN);
	function(o, UINT64_MAX, S_WORK, S_FILE);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
	vfield(o, 9, UINT64_MAX);
	vfield(o, 10, (uint64_t)INT64_MAX);
	value_type(o, 11, S_CPU, S_NANOS);
	vfield(o, 12, (uint64_t)INT64_MIN);
}


/* One sample of INT64_MIN: negating it overflows, which Go wraps and C must not do. */
static void c_int64_min(struct buf *o)
{
	static const int64_t min[] = { 1, INT64_MIN };
	header(o);
	sample(o, stack12, 2, min, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* A count of -1 and a value of INT64_MIN: -mean divides one by the other, which overflows
 * (Go wraps; C traps). */
static void c_mean_overflow(struct buf *o)
{
	static const int64_t v[] = { -1, INT64_MIN };
	header(o);
	sample(o, stack12, 2, v, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* A sample with no locations at all (it still counts in the total). */
static void c_empty_stack(struct buf *o)
{
	header(o);
	sample(o, NULL, 0, vals, 2);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* No sample types at all: nothing for any report to show. */
static void c_no_sample_types(struct buf *o)
{
	sample(o, stack12, 2, NULL, 0);
	objects(o);
	strings(o);
	footer(o);
}

/* Every sample without locations: reports must not index an empty frames array. */
static void c_all_empty_stacks(struct buf *o)
{
	header(o);
	sample(o, NULL, 0, vals, 2);
	sample(o, NULL, 0, vals, 2);
	objects(o);
	strings(o);
	footer(o);
}

/* A drop_frames pattern that sends a backtracking matcher exponential (and, past its step
 * limit, to a wrong "no match"): the frames a41..a43 followed by 9 all match its second
 * branch, so pprof prunes every stack down to main.main. */
static void c_drop_frames_backtrack(struct buf *o)
{
	static const uint64_t st[] = { 3, 4, 5, 2 };
	char names[3][48];
	for (int i = 0; i < 3; i++) {
		memset(names[i], 'a', (size_t)(41 + i));
		names[i][41 + i] = '9';
		names[i][42 + i] = '\0';
	}
	header(o);
	sample(o, st, 4, vals, 2);
	objects(o);
	for (uint64_t i = 0; i < 3; i++) {
		location(o, 3 + i, 1, 3 + i, 7);
		function(o, 3 + i, N_STRS + 1 + i, S_FILE);
	}
	strings(o);
	str(o, "(a|aa)*b|a*9");
	for (int i = 0; i < 3; i++)
		str(o, names[i]);
	vfield(o, 7, N_STRS); /* drop_frames */
	footer(o);
}

/* Two 20,000-byte function names, "a...ab" (leaf) and "a...a", under main.main: the
 * worst case for (a+)+$, which takes a backtracking matcher exponential time and one that
 * restarts at every position (PCRE2's DFA matcher) quadratic; Go's is linear. With
 * drop_frames set to that pattern the second frame and its callee go, as in pprof. */
static void long_names(struct buf *o, bool drop)
{
	static const uint64_t st[] = { 3, 4, 2 };
	enum { LEN = 20000 };
	char *names[2];
	for (int i = 0; i < 2; i++) {
		names[i] = malloc(LEN + 2);
		memset(names[i], 'a', LEN);
		names[i][LEN] = i == 0 ? 'b' : '\0';
		names[i][LEN + 1] = '\0';
	}
	header(o);
	sample(o, st, 3, vals, 2);
	objects(o);
	for (uint64_t i = 0; i < 2; i++) {
		location(o, 3 + i, 1, 3 + i, 7);
		function(o, 3 + i, N_STRS + 1 + i, S_FILE);
	}
	strings(o);
	str(o, "(a+)+$");
	for (int i = 0; i < 2; i++) {
		str(o, names[i]);
		free(names[i]);
	}
	if (drop)
		vfield(o, 7, N_STRS); /* drop_frames */
	footer(o);
}

static void c_drop_frames_linear(struct buf *o) { long_names(o, true); }
static void c_long_names(struct buf *o) { long_names(o, false); }

/* main.work named "main.a\0b": a NUL byte inside a name, which pprof prints like any
 * other byte. */
static void c_nul_in_name(struct buf *o)
{
	two_functions(o, S_BIN, N_STRS, S_FILE, S_MAIN);
	lfield(o, 6, "main.a\0b", 8);
	footer(o);
}

/* Names callgrind must number as pprof does in a call tree: f of a.go and f of b.go are
 * each reached from two contexts (main.main, and main.main through main.x), so both groups
 * name their nodes "f [1/2]" and "f [2/2]", one string for both groups. With suffixed, b.go's
 * function is itself named "f [1/2]", a plain name that spells a suffixed one. */
static void callgrind_names(struct buf *o, bool suffixed)
{
	static const uint64_t stacks[4][3] = { { 3, 1 }, { 3, 2, 1 }, { 4, 1 }, { 4, 2, 1 } };
	static const size_t depth[4] = { 2, 3, 2, 3 };
	enum { F = N_STRS, A_GO, B_GO, X, F_SUFFIXED };
	header(o);
	for (size_t i = 0; i < 4; i++) {
		/* Weights all different: pprof orders a tree's equal nodes differently each run. */
		const int64_t v[2] = { (int64_t)i + 1, ((int64_t)i + 1) * 10000000 };
		sample(o, stacks[i], depth[i], v, 2);
	}
	mapping(o, 1, S_BIN);
	for (uint64_t i = 1; i <= 4; i++)
		location(o, i, 1, i, (int64_t)(2 + i));
	function(o, 1, S_MAIN, S_FILE);
	function(o, 2, X, S_FILE);
	function(o, 3, F, A_GO);
	function(o, 4, suffixed ? F_SUFFIXED : F, B_GO);
	strings(o);
	str(o, "f");
	str(o, "a.go");
	str(o, "b.go");
	str(o, "main.x");
	str(o, "f [1/2]");
	footer(o);
}

/* A call tree whose nodes' sort keys take more than 64 bits: weights near 2^41 with no
 * common divisor. a is reached from main and from b with the same flat weight (the most
 * significant key word ties) and different cum weights, and b's flat weight equals a's
 * too, so names and cum weights in the other word decide. Every node's weights differ
 * from every other's of its name (pprof orders equal nodes differently each run). */
static void c_tree_wide_keys(struct buf *o)
{
	enum { L_MAIN = 1, L_A, L_B, L_C };
	static const uint64_t stacks[][4] = { { L_A, L_MAIN },
					      { L_A, L_B, L_MAIN },
					      { L_C, L_A, L_B, L_MAIN },
					      { L_C, L_MAIN },
					      { L_B, L_MAIN } };
	static const size_t depth[] = { 2, 3, 4, 2, 2 };
	static const int64_t big[] = { ((int64_t)1 << 40) + 1, ((int64_t)1 << 40) + 1, 3,
				       ((int64_t)1 << 41) + 5, ((int64_t)1 << 40) + 1 };
	enum { A = N_STRS, B, C };
	header(o);
	for (size_t i = 0; i < sizeof(depth) / sizeof(depth[0]); i++) {
		const int64_t v[2] = { (int64_t)i + 1, big[i] };
		sample(o, stacks[i], depth[i], v, 2);
	}
	mapping(o, 1, S_BIN);
	for (uint64_t i = 1; i <= 4; i++)
		location(o, i, 1, i, (int64_t)(10 + i));
	function(o, L_MAIN, S_MAIN, S_FILE);
	function(o, L_A, A, S_FILE);
	function(o, L_B, B, S_FILE);
	function(o, L_C, C, S_FILE);
	strings(o);
	str(o, "main.a");
	str(o, "main.b");
	str(o, "main.c");
	footer(o);
}

/* Standard-library functions built by another Go release (1.26) than the local tree: one
 * file under a CI tool cache's go/1.26.5, one under /usr/local/go1.26.0. The files exist
 * in this machine's GOROOT, with other lines; list must not show them (pprof finds no
 * file, and neither does cprof's GOROOT fallback when the releases differ). */
static void c_other_go_release(struct buf *o)
{
	enum { READ = N_STRS, BINARY_GO, PARSE_INT, ATOI_GO };
	static const uint64_t stack[] = { 1, 2, 3 };
	static const int64_t v[] = { 3, 30000000 };
	header(o);
	sample(o, stack, 3, v, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 80);
	location(o, 2, 1, 2, 101);
	location(o, 3, 1, 3, 5);
	function(o, 1, READ, BINARY_GO);
	function(o, 2, PARSE_INT, ATOI_GO);
	function(o, 3, S_MAIN, S_FILE);
	strings(o);
	str(o, "encoding/binary.Read");
	str(o, "/opt/hostedtoolcache/go/1.26.5/x64/src/encoding/binary/binary.go");
	str(o, "strconv.ParseInt");
	str(o, "/usr/local/go1.26.0/src/strconv/atoi.go");
	footer(o);
}

/* Two frames that only a sprint tells apart: one address, one name, one file and line,
 * two functions that differ in their start lines only (9 for the one reached first, then
 * 8). main.main reaches the first through main.x and calls the second itself, with the same
 * weight, so their call-tree nodes tie on weights and on names and the sprints (which sort
 * start line 8 first) decide; no caller has two calls of one weight to one name, which
 * pprof would order differently from run to run. */
static void c_callgrind_sprint_ties(struct buf *o)
{
	enum { X = N_STRS };
	static const uint64_t stacks[2][3] = { { 1, 4, 3 }, { 2, 3 } };
	static const size_t depth[2] = { 3, 2 };
	static const int64_t v[2] = { 5, 50000000 };
	header(o);
	for (size_t i = 0; i < 2; i++)
		sample(o, stacks[i], depth[i], v, 2);
	mapping(o, 1, S_BIN);
	location_at(o, 1, 1, 0x2000, 1, 10);
	location_at(o, 2, 1, 0x2000, 2, 10);
	location(o, 3, 1, 3, 5);
	location(o, 4, 1, 4, 7);
	struct buf f = { 0 };
	for (uint64_t id = 1; id <= 2; id++) {
		vfield(&f, 1, id);
		vfield(&f, 2, S_WORK);
		vfield(&f, 3, S_WORK);
		vfield(&f, 4, S_FILE);
		vfield(&f, 5, 10 - id); /* start_line */
		sub(o, 5, &f);
	}
	free(f.b);
	function(o, 3, S_MAIN, S_FILE);
	function(o, 4, X, S_FILE);
	strings(o);
	str(o, "main.x");
	footer(o);
}

/* A caller with many callees of one name: main.main calls main.work (main.go) at twelve
 * addresses and a second main.work (same file, another start line: another function) at
 * eight, each address a leaf of its own weight, and main.work again through main.via;
 * main.idle calls main.via with a weight of 3 and main.work with one of -3, a calling
 * context of no weight (no node of the graph's) between contexts that have one. The callees' names and numbers ("main.work [i/n]") rest on
 * which of the twenty siblings comes first in node order, per function. */
static void c_callgrind_many_callees(struct buf *o)
{
	enum { L_MAIN = 1, L_VIA, L_IDLE, L_WORK = 10, N_WORK = 20 };
	enum { VIA = N_STRS, IDLE };
	header(o);
	for (uint64_t i = 0; i < N_WORK; i++) {
		const uint64_t stack[] = { L_WORK + i, L_MAIN };
		const int64_t v[] = { (int64_t)(i * 7 % 23 + 1), (int64_t)(i * 7 % 23 + 1) * 1000 };
		sample(o, stack, 2, v, 2);
	}
	const uint64_t via[] = { L_WORK + 3, L_VIA, L_MAIN }, plus[] = { L_VIA, L_IDLE, L_MAIN },
		       minus[] = { L_WORK, L_IDLE, L_MAIN };
	const int64_t v_via[] = { 40, 40000 }, v_plus[] = { 3, 3000 }, v_minus[] = { -3, -3000 };
	sample(o, via, 3, v_via, 2);
	sample(o, plus, 3, v_plus, 2);
	sample(o, minus, 3, v_minus, 2);
	mapping(o, 1, S_BIN);
	location(o, L_MAIN, 1, 1, 5);
	location(o, L_VIA, 1, 2, 20);
	location(o, L_IDLE, 1, 3, 30);
	for (uint64_t i = 0; i < N_WORK; i++)
		location(o, L_WORK + i, 1, i < 12 ? 4 : 5, 40 + (int64_t)i);
	struct buf f = { 0 };
	for (uint64_t id = 4; id <= 5; id++) {
		vfield(&f, 1, id);
		vfield(&f, 2, S_WORK);
		vfield(&f, 3, S_WORK);
		vfield(&f, 4, S_FILE);
		vfield(&f, 5, id == 4 ? 38 : 50); /* start_line */
		sub(o, 5, &f);
	}
	free(f.b);
	function(o, 1, S_MAIN, S_FILE);
	function(o, 2, VIA, S_FILE);
	function(o, 3, IDLE, S_FILE);
	strings(o);
	str(o, "main.via");
	str(o, "main.idle");
	footer(o);
}

static void c_callgrind_names(struct buf *o) { callgrind_names(o, false); }
static void c_callgrind_names_suffixed(struct buf *o) { callgrind_names(o, true); }

/* A NUL byte inside every kind of string a report prints: a function's name and file, the
 * mapping's file, a label's key and value, and a comment. */
static void c_nul_in_strings(struct buf *o)
{
	enum { NAME = N_STRS, FILE_NAME, MAP_FILE, KEY, VAL, COMMENT };
	header(o);
	sample(o, stack12, 2, vals, 2);
	labelled_sample(o, 1, 1, 10000000, KEY, VAL);
	mapping(o, 1, MAP_FILE);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 2, 5);
	function(o, 1, NAME, FILE_NAME);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
	lfield(o, 6, "main.w\0ork", 10);
	lfield(o, 6, "wo\0rk.go", 8);
	lfield(o, 6, "/bin/p\0rog", 10);
	lfield(o, 6, "k\0ey", 4);
	lfield(o, 6, "v\0al", 4);
	lfield(o, 6, "a \0comment", 10);
	vfield(o, 13, COMMENT);
	footer(o);
}

/* A sample of loc 1 called by loc 2 with labels: n of them, key[i] with string str[i], or
 * with number num[i] where str[i] is 0. */
static void sample_labels(struct buf *o, int64_t v0, int64_t v1, const uint64_t *key,
			  const uint64_t *str, const int64_t *num, size_t n)
{
	struct buf s = { 0 };
	vfield(&s, 1, 1);
	vfield(&s, 1, 2);
	vfield(&s, 2, (uint64_t)v0);
	vfield(&s, 2, (uint64_t)v1);
	for (size_t i = 0; i < n; i++) {
		struct buf l = { 0 };
		vfield(&l, 1, key[i]);
		if (str[i])
			vfield(&l, 2, str[i]);
		else
			vfield(&l, 3, (uint64_t)num[i]);
		sub(&s, 3, &l);
		free(l.b);
	}
	sub(o, 2, &s);
	free(s.b);
}

/* Labels whose keys hold a NUL, as the graph's tags (dot's label boxes) group and sort
 * them: "a\0b" sorts before "a" with its ':' (Go's byte order), "pprof::base\0x" is not the
 * diff base's key that pprof removes (but "pprof::base" is), and a numeric "bytes\0x" is
 * not the "bytes" label. */
static void c_nul_in_labels(struct buf *o)
{
	enum { AB = N_STRS, A, X, Y, BASE_NUL, BASE, TRUE, BYTES_NUL, BYTES };
	static const uint64_t k1[] = { AB, A }, s1[] = { X, Y }, k2[] = { BASE_NUL }, s2[] = { TRUE },
			      k3[] = { BASE, A }, s3[] = { TRUE, X }, k4[] = { BYTES_NUL, BYTES },
			      s4[] = { 0, 0 };
	static const int64_t n4[] = { 1024, 2048 };
	header(o);
	sample_labels(o, 1, 10000000, k1, s1, NULL, 2);
	sample_labels(o, 2, 20000000, k2, s2, NULL, 1);
	sample_labels(o, 3, 30000000, k3, s3, NULL, 2);
	sample_labels(o, 4, 40000000, k4, s4, n4, 2);
	objects(o);
	strings(o);
	static const char ab[] = "a\0b", base_nul[] = "pprof::base\0x", bytes_nul[] = "bytes\0x";
	lfield(o, 6, ab, sizeof(ab) - 1);
	str(o, "a");
	str(o, "x");
	str(o, "y");
	lfield(o, 6, base_nul, sizeof(base_nul) - 1);
	str(o, "pprof::base");
	str(o, "true");
	lfield(o, 6, bytes_nul, sizeof(bytes_nul) - 1);
	str(o, "bytes");
	footer(o);
}

/* Numeric labels whose key "t\0x" holds a NUL and comes in two units: pprof's note on
 * mixed units names the key whole, and "t" (in one unit) is another key. One key clashes,
 * so the note is one line (pprof lists clashing keys in a random order). */
static void c_nul_in_unit_keys(struct buf *o)
{
	enum { TX = N_STRS, T, MS, S, NS };
	static const struct {
		uint64_t key, unit;
		int64_t num;
	} l[] = { { TX, MS, 3 }, { T, NS, 5 }, { TX, S, 2 }, { T, NS, 7 } };
	header(o);
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		struct buf s = { 0 }, b = { 0 };
		vfield(&s, 1, 1);
		vfield(&s, 2, 1);
		vfield(&s, 2, 10000000 * (int64_t)(i + 1));
		vfield(&b, 1, l[i].key);
		vfield(&b, 3, (uint64_t)l[i].num);
		vfield(&b, 4, l[i].unit);
		sub(&s, 3, &b);
		sub(o, 2, &s);
		free(b.b);
		free(s.b);
	}
	objects(o);
	strings(o);
	static const char tx[] = "t\0x";
	lfield(o, 6, tx, sizeof(tx) - 1);
	str(o, "t");
	str(o, "ms");
	str(o, "s");
	str(o, "ns");
	footer(o);
}

/* A NUL inside source file names, as list searches -source_path=testdata/gen for them:
 * "main.go\0.orig" (whose bytes before the NUL name a file there), "/dev/null\0main.go"
 * (absolute: open refuses it) and "x\0/gen/main.go" (pprof's guessed trim finds "/gen/"
 * after the NUL, and what follows is a file there). */
static void c_nul_in_file(struct buf *o)
{
	enum { MID = N_STRS, ORIG, DEV, GEN };
	static const uint64_t stack[] = { 1, 3, 2 };
	header(o);
	sample(o, stack, 3, vals, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 2, 5);
	location(o, 3, 1, 3, 7);
	function(o, 1, S_WORK, ORIG);
	function(o, 2, S_MAIN, GEN);
	function(o, 3, MID, DEV);
	strings(o);
	str(o, "main.mid");
	static const char orig[] = "main.go\0.orig", dev[] = "/dev/null\0main.go",
			  gen[] = "x\0/gen/main.go";
	lfield(o, 6, orig, sizeof(orig) - 1);
	lfield(o, 6, dev, sizeof(dev) - 1);
	lfield(o, 6, gen, sizeof(gen) - 1);
	footer(o);
}

/* A source file with a NUL inside lines (one ends in "\r\n"), and a profile whose functions
 * are on those lines, for list -source_path=tests/errors/inputs. */
static void c_nul_source(struct buf *o)
{
	static const char src[] = "package main\n\nfunc work() { s := \"a\0b\" }\r\n"
				  "\x00\n"
				  "func main() { work() } // \0\n";
	put(o, src, sizeof(src) - 1);
}

static void c_nul_in_source(struct buf *o)
{
	enum { SOURCE = N_STRS };
	header(o);
	sample(o, stack12, 2, vals, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 3);
	location(o, 2, 1, 2, 5);
	function(o, 1, S_WORK, SOURCE);
	function(o, 2, S_MAIN, SOURCE);
	strings(o);
	str(o, "nul-source.go");
	footer(o);
}

/* No period type (pprof's raw still prints an empty one). */
static void c_no_period_type(struct buf *o)
{
	header(o);
	sample(o, stack12, 2, vals, 2);
	objects(o);
	strings(o);
	vfield(o, 9, 1700000000000000000ull); /* time_nanos */
	vfield(o, 10, 1000000000);            /* duration_nanos */
	vfield(o, 12, 10000000);              /* period */
}

/* Nothing for a header to show: no mapping, a sample type with an empty name, no time,
 * duration or comments (pprof's traces then starts with an empty line). */
static void c_no_header_labels(struct buf *o)
{
	static const int64_t one[] = { 7 };
	value_type(o, 1, S_EMPTY, S_COUNT);
	sample(o, stack12, 2, one, 1);
	location(o, 1, 0, 1, 12);
	location(o, 2, 0, 2, 5);
	function(o, 1, S_WORK, S_FILE);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
}

/* main.work starts at line 100 of a file that does not exist, but its sample is at line 12
 * (as a package's variable initialisers are): pprof's list reads no line of the file, so
 * it reports no error for it. */
static void c_lines_before_start(struct buf *o)
{
	struct buf f = { 0 };
	header(o);
	sample(o, stack12, 2, vals, 2);
	mapping(o, 1, S_BIN);
	location(o, 1, 1, 1, 12);
	location(o, 2, 1, 2, 5);
	vfield(&f, 1, 1);
	vfield(&f, 2, S_WORK);
	vfield(&f, 3, S_WORK);
	vfield(&f, 4, S_FILE);
	vfield(&f, 5, 100); /* start_line */
	sub(o, 5, &f);
	free(f.b);
	function(o, 2, S_MAIN, S_FILE);
	strings(o);
	footer(o);
}

/* Location 3 (the leaf of a sample) with about 20 million empty Line entries: two bytes
 * each (22 00: no function, line or column), 40 MB inflated from a 39 KB file. pprof
 * refuses the profile (a line must name a function), as cprof must, without first
 * spending memory on every line. */
static void c_many_empty_lines(struct buf *o)
{
	enum { REPS = 155000 }; /* each 258 bytes: 129 more lines */
	static const uint64_t st[] = { 3, 1, 2 };
	struct buf pre = { 0 }, loc = { 0 }, suf = { 0 };
	header(&pre);
	sample(&pre, st, 3, vals, 2);
	sample(&pre, stack12, 2, vals, 2);
	objects(&pre);
	strings(&pre);
	footer(&pre);
	vfield(&loc, 1, 3);
	vfield(&loc, 2, 1);
	vfield(&loc, 3, 0x1030);
	size_t lines = 1 + 129 * (size_t)REPS + 1; /* one before the repeats, one after */
	key(&pre, 4, 2);
	varint(&pre, loc.n + 2 * lines);
	put(&pre, loc.b, loc.n);
	put(&pre, "\x22\x00", 2);
	put(&suf, "\x22\x00", 2);
	gzip_periodic(o, &pre, 2, REPS, &suf);
	free(pre.b);
	free(loc.b);
	free(suf.b);
}

/* The same location with 2,000,017 Line entries of main.work (function 1, line 0), each
 * inlined into the next: four bytes each, 8 MB inflated from an 8 KB file, valid. */
static void c_many_lines(struct buf *o)
{
	enum { REPS = 31008 }; /* each two repeats: 258 more lines */
	static const uint64_t st[] = { 3, 1, 2 };
	struct buf pre = { 0 }, loc = { 0 }, suf = { 0 };
	header(&pre);
	sample(&pre, st, 3, vals, 2);
	sample(&pre, stack12, 2, vals, 2);
	objects(&pre);
	strings(&pre);
	footer(&pre);
	vfield(&loc, 1, 3);
	vfield(&loc, 2, 1);
	vfield(&loc, 3, 0x1030);
	size_t lines = 1 + 129 * (size_t)(REPS / 2);
	key(&pre, 4, 2);
	varint(&pre, loc.n + 4 * lines);
	put(&pre, loc.b, loc.n);
	put(&pre, "\x22\x02\x08\x01", 4);
	gzip_periodic(o, &pre, 4, REPS, &suf);
	free(pre.b);
	free(loc.b);
}

/* A string bomb: string_table[0], which must be empty, is 64 MiB of zeros (the rest of
 * the profile is valid), from a 64 KB file. */
static void c_string_bomb(struct buf *o)
{
	enum { REPS = 260098 }; /* 1 + 258 * REPS: about 64 MiB */
	struct buf pre = { 0 }, suf = { 0 };
	header(&pre);
	sample(&pre, stack12, 2, vals, 2);
	objects(&pre);
	footer(&pre);
	key(&pre, 6, 2);
	varint(&pre, 1 + 258 * (uint64_t)REPS);
	byte(&pre, 0);
	for (size_t i = 1; i < N_STRS; i++)
		str(&suf, strs[i]);
	gzip_periodic(o, &pre, 1, REPS, &suf);
	free(pre.b);
	free(suf.b);
}

/* A string whose length says 3 GiB, more than the default 2 GiB cap, followed by about
 * 64 MiB of zeros (then the data ends). */
static void c_huge_length(struct buf *o)
{
	enum { REPS = 260098 };
	struct buf pre = { 0 }, suf = { 0 };
	valid(&pre);
	key(&pre, 6, 2);
	varint(&pre, (uint64_t)3 << 30);
	byte(&pre, 0);
	gzip_periodic(o, &pre, 1, REPS, &suf);
	free(pre.b);
}

/* Names with Markdown's and a table's specials: "main.a|b" and "`main.c`*". */
static void c_markdown_names(struct buf *o)
{
	two_functions(o, S_BIN, N_STRS, S_FILE, N_STRS + 1);
	str(o, "main.a|b");
	str(o, "`main.c`*");
	footer(o);
}

/* --- legacy formats: pprof's older text and binary profiles, valid at their edges or
 * broken one way each --- */

static void text(struct buf *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Folded stacks (cprof reads them too): one broken line each, after a good one. */
static void c_folded_empty_frame(struct buf *o) { text(o, "main;work 3\n\nmain;;leaf 2\n"); }
static void c_folded_no_count(struct buf *o) { text(o, "main;work 3\nmain;leaf\n"); }
static void c_folded_big_count(struct buf *o) { text(o, "main;work 9223372036854775808\n"); }
static void c_folded_control(struct buf *o) { text(o, "main;work 3\r\nmain;le\001af 2\r\n"); }
static void c_folded_two_counts(struct buf *o) { text(o, "main;work 3\nmain;work;leaf 10 12\n"); }

/* Folded stacks that must simply work: a line of 20,000 frames (about 100 KB, past the
 * legacy parsers' 64 KiB lines), CRLF ends, blanks and names with spaces. */
static void c_folded_deep(struct buf *o)
{
	text(o, "  \r\nperf-1234;[unknown];operator new(unsigned long) 7\r\n");
	for (int i = 0; i < 20000; i++) {
		char f[16];
		snprintf(f, sizeof(f), "%sf%d", i ? ";" : "", i % 1000);
		text(o, f);
	}
	text(o, " 5\r\nperf-1234;main 1");
}

/* A CPU profile's word: size bytes (4 or 8), big- or little-endian. */
static void cpu_word(struct buf *o, uint64_t v, int size, bool big)
{
	for (int i = 0; i < size; i++)
		byte(o, (uint8_t)(v >> 8 * (big ? size - 1 - i : i)));
}

/* A gperftools CPU profile: header (period 10000 us; java: third word 1), samples with a
 * signal-handler frame second from the leaf in all but one, a leaf that repeats as its
 * caller plus one, the end marker, then a memory map: a /anon_hugepage mapping before the
 * main binary (dropped), the main binary in two adjacent pieces mapped at an offset
 * (merged, then moved to 0x400000), a deleted library and a non-executable line. */
static void cpu_profile(struct buf *o, int size, bool big, bool java)
{
	static const uint64_t stacks[][6] = {
		{ 3, 4, 0x401234, 0x7f0000001111, 0x401500, 0x401600 },
		{ 2, 3, 0x401240, 0x7f0000001111, 0x401600 },
		{ 5, 4, 0x401301, 0x401300, 0x401500, 0x401600 },
		{ 1, 4, 0x7f0000200010, 0x7f0000001111, 0x401700, 0x401600 },
		{ 4, 3, 0x401234, 0x7f0000001111, 0x401500 },
	};
	uint64_t head[] = { 0, 3, java ? 1 : 0, 10000, 0 };
	for (size_t i = 0; i < 5; i++)
		cpu_word(o, head[i], size, big);
	for (size_t s = 0; s < sizeof(stacks) / sizeof(stacks[0]); s++)
		for (uint64_t i = 0; i < 2 + stacks[s][1]; i++)
			cpu_word(o, stacks[s][i], size, big);
	cpu_word(o, 0, size, big);
	cpu_word(o, 1, size, big);
	cpu_word(o, 0, size, big);
	if (java) {
		text(o, "0x401234 com.example.Server.handle (Server.java:42)\n"
			"0x7f0000001111 GC\n"
			"0x401500 com.example.Server.run (Server.java:-1)\n"
			"0x401600 java.lang.Thread.run (Thread.java:829)\n"
			"0x401240 libjvm.so (/usr/lib/jvm/lib/server/libjvm.so)\n"
			"0x401301 generated stub/JIT code\n"
			"0x401300 com.example.Server.handle (Other.java:7)\n"
			"0x7f0000200010 java.util.HashMap<K,V>.get (HashMap.java:556)\n"
			"0x401700 Interpreter\n"
			"0x999999 com.example.Unused.never (Unused.java:1)\n");
		return;
	}
	text(o, "00400000-00401000 r-xp 00000000 00:00 0          /anon_hugepage (deleted)\n"
		"00401000-00401400 r-xp 00001000 08:01 1234       /opt/app/server\n"
		"00401400-00402000 r-xp 00001400 08:01 1234       /opt/app/server\n"
		"00602000-00603000 rw-p 00002000 08:01 1234       /opt/app/server\n"
		"7f0000000000-7f0000100000 r-xp 00000000 08:01 99 /lib/libc.so.6 (deleted)\n");
}

static void c_legacy_cpu_32le(struct buf *o)
{
	cpu_profile(o, 4, false, false);
}
static void c_legacy_cpu_32be(struct buf *o)
{
	cpu_profile(o, 4, true, false);
}
static void c_legacy_cpu_64be(struct buf *o)
{
	cpu_profile(o, 8, true, false);
}
static void c_legacy_java_cpu(struct buf *o)
{
	cpu_profile(o, 8, false, true);
}

/* heapz_v2 with allocation values (unsampled at 524288 bytes), a sample whose in-use
 * count is negative, comments, CRLF line ends, then a brief memory map with a glog
 * prefix and a $name attribute. */
static void c_legacy_heapz_v2(struct buf *o)
{
	text(o, "heap profile:  12:  1048576 [ 40:  4194304] @ heapz_v2/524288\r\n"
		"     4:   262144 [    10:   655360] @ 0x401235 0x401501 0x401601\r\n"
		"# a comment\r\n"
		"     8:   786432 [    20:  1966080] @ 0x401241 0x401601\r\n"
		"    -1:     -512 [     6:  1572864] @ 0x401235 0x401501 0x401601\r\n"
		"     0:        0 [     4:      128] @ 0x7f0000001112\r\n"
		"\r\n"
		"--- Memory map: ---\r\n"
		"bin=/opt/app/server\r\n"
		"mapper.cc:77] 0x400000-0x402000 $bin (@1000) 0a1b2c3d\r\n"
		"7f0000000000 7f0000100000 /lib/libc.so.6\r\n");
}

/* heap_v2 without allocation values: objects and space. */
static void c_legacy_heap_v2(struct buf *o)
{
	text(o, "heap profile:   3:    98304 [   3:    98304] @ heap_v2/4096\n"
		"1: 65536 [1: 65536] @ 0x401235 0x401501\n"
		"2: 32768 [2: 32768] @ 0x401241 0x401501\n");
}

static void c_legacy_fragmentationz(struct buf *o)
{
	text(o, "heap profile:   2:     8192 [   2:     8192] @ fragmentationz\n"
		"1: 4096 [1: 4096] @ 0x401235\n"
		"1: 4096 [1: 4096] @ 0x401241 0x401235\n");
}

/* A C++ contentionz profile: attributes, two samples scaled by the sampling period and
 * the clock rate, a memory map. */
static void c_legacy_contentionz(struct buf *o)
{
	text(o, "--- contentionz 1 ---\n"
		"cycles/second = 3000000000\n"
		"sampling period = 100\n"
		"ms since reset = 60000\n"
		"discarded samples = 0\n"
		"123456789 7 @ 0x401235 0x401501 0x401601\n"
		"      42 1 @ 0x401241 0x401601\n"
		"--- Memory map: ---\n"
		"00401000-00402000 r-xp 00000000 08:01 1234 /opt/app/server\n");
}

/* threadz: threads with stacks, one "same as previous", one with no stack trace, a map. */
static void c_legacy_threadz(struct buf *o)
{
	text(o, "--- threadz 1 ---\n"
		"# threads by stack\n"
		"--- Thread 7f00aa (name: worker/11) stack: ---\n"
		"  PC: 0x401235\n"
		"  0x401501 0x401601\n"
		"--- Thread 7f00ab (name: worker/12) stack: ---\n"
		"  same as previous thread\n"
		"--- Thread 7f00ac (name: main/1) stack: ---\n"
		"  0x401241\n"
		"  0x401240\n"
		"  0x401601\n"
		"---- no stack trace for thread 7f00ad ----\n"
		"--- Memory map: ---\n"
		"00401000-00402000 r-xp 00000000 08:01 1234 /opt/app/server\n");
}

static void c_legacy_java_heapz(struct buf *o)
{
	text(o, "--- heapz 1 ---\n"
		"format = java\n"
		"resolution = bytes\n"
		" 1048576 4 @ 0x100 0x200 0x300\n"
		" 4096 1 @ 0x400 0x300\n"
		"0x100 java.util.Arrays.copyOf (Arrays.java:3537)\n"
		"0x200 java.lang.StringBuilder.append (StringBuilder.java:141)\n"
		"0x300 com.example.Main.main (Main.java:10)\n"
		"0x400 java.lang.Object.<init> (Object.java)\n");
}

static void c_legacy_java_contentionz(struct buf *o)
{
	text(o, "--- contentionz 1 ---\n"
		"format = java\n"
		"resolution = microseconds\n"
		"sampling period = 10\n"
		"ms since reset = 5000\n"
		" 300 3 @ 0x10 0x20\n"
		" 50 1 @ 0x30 0x20\n"
		"0x10 java.lang.Object.wait (Native Method)\n"
		"0x20 com.example.Queue.take (Queue.java:88)\n"
		"0x30 com.example.Queue.put (Queue.java:61)\n");
}

/* A goroutine profile, gzip'd: comments before the header, a count in octal (Go's
 * ParseInt with base 0), blank lines. */
static void c_legacy_goroutine_gz(struct buf *o)
{
	static const char t[] = "# goroutines\n"
				"\n"
				"goroutine profile: total 11\n"
				"010 @ 0x401235 0x401501 0x401601\n"
				"#\t0x401234\tmain.wait+0x14\t/src/main.go:12\n"
				"\n"
				"3 @ 0x401241 0x401601\n";
	gzip_stored(o, (const uint8_t *)t, sizeof(t) - 1);
}

/* Broken ones: each fails one way. */
static void c_legacy_cpu_absurd_depth(struct buf *o)
{
	uint64_t w[] = { 0, 3, 0, 10000, 0, 1, (uint64_t)1 << 60, 0x401234 };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		cpu_word(o, w[i], 8, false);
}

static void c_legacy_cpu_truncated(struct buf *o)
{
	cpu_profile(o, 8, false, false);
	o->n = 5 * 8 + 2 * 8 + 3; /* inside the first sample's first address */
}

static void c_legacy_heap_huge_address(struct buf *o)
{
	text(o, "heap profile: 1: 64 [1: 64] @ heap_v2/524288\n"
		"1: 64 [1: 64] @ 0x401235 0x1ffffffffffffffff\n");
}

static void c_legacy_heap_huge_count(struct buf *o)
{
	text(o, "heap profile: 1: 64 [1: 64] @ heap_v2/524288\n"
		"99999999999999999999: 64 [1: 64] @ 0x401235\n");
}

static void c_legacy_heap_zero_count(struct buf *o)
{
	text(o, "heap profile: 1: 64 [1: 64] @ heap_v2/524288\n"
		"0: 4096 [1: 4096] @ 0x401235\n");
}

static void c_legacy_heap_unknown_kind(struct buf *o)
{
	text(o, "heap profile: 1: 64 [1: 64] @ heap_foo/1\n1: 64 [1: 64] @ 0x401235\n");
}

/* A sample line of 70,000 bytes: past bufio.Scanner's 64 KiB, which pprof cannot read. */
static void c_legacy_long_line(struct buf *o)
{
	text(o, "heap profile: 1: 64 [1: 64] @ heap_v2/524288\n1: 64 [1: 64] @");
	for (int i = 0; i < 7000; i++)
		text(o, " 0x4012345");
	text(o, "\n");
}

/* A header, then 64 MiB with no end of line (gzip'd: 64 KB). */
static void c_legacy_no_end(struct buf *o)
{
	enum { REPS = 260098 }; /* 1 + 258 * REPS: about 64 MiB */
	struct buf pre = { 0 }, suf = { 0 };
	text(&pre, "goroutine profile: total 1\n1 @ 0x401235f");
	gzip_periodic(o, &pre, 1, REPS, &suf);
	free(pre.b);
}

static void c_legacy_contention_bad_sample(struct buf *o)
{
	text(o, "--- contention:\ncycles/second=2000000000\n1000 1 @ 0x401235\nnot a sample\n");
}

static void c_legacy_goroutine_bad_count(struct buf *o)
{
	text(o, "goroutine profile: total 9\n09 @ 0x401235\n");
}

static void c_legacy_java_no_resolution(struct buf *o)
{
	text(o, "--- heapz 1 ---\nformat = java\n 4096 1 @ 0x100\n0x100 Foo.bar (Foo.java:1)\n");
}

/* A $name attribute 30,000 "$"s long, then a line of 65,017 "$"s: from each of them the
 * replacer follows that name for up to 30,000 bytes (pprof takes a minute; cprof gives
 * up past a bound). gzip'd: 30 KB. */
static void c_legacy_map_attributes(struct buf *o)
{
	struct buf pre = { 0 }, suf = { 0 };
	text(&pre, "heap profile: 1: 64 [1: 64] @ heap_v2/524288\n1: 64 [1: 64] @ 0x401235\n"
		   "MAPPED_LIBRARIES:\n");
	for (int i = 0; i < 30000; i++)
		byte(&pre, '$');
	text(&pre, "x=/bin/x\n$");
	text(&suf, "\n");
	gzip_periodic(o, &pre, 1, 252, &suf);
	free(pre.b);
	free(suf.b);
}

static const struct {
	const char *name;
	builder build;
} cases[] = {
	{ "valid.pb", c_valid },
	{ "valid.pb.gz", c_valid_gz },
	{ "no-mappings.pb", c_no_mappings },
	{ "multi-member.pb.gz", c_multi_member_gz },
	{ "truncated-gzip.pb.gz", c_truncated_gzip },
	{ "gzip-trailing-garbage.pb.gz", c_gzip_trailing_garbage },
	{ "gzip-bad-crc.pb.gz", c_gzip_bad_crc },
	{ "gzip-bomb-100k.gz", c_gzip_bomb },
	{ "text.txt", c_text },
	{ "random.bin", c_random },
	{ "elf.bin", c_elf },
	{ "folded-empty-frame.txt", c_folded_empty_frame },
	{ "folded-no-count.txt", c_folded_no_count },
	{ "folded-big-count.txt", c_folded_big_count },
	{ "folded-control.txt", c_folded_control },
	{ "folded-two-counts.txt", c_folded_two_counts },
	{ "folded-deep.txt", c_folded_deep },
	{ "empty.pb", c_empty },
	{ "empty.gz", c_empty_gzip },
	{ "strindex-function-name.pb", c_strindex_function_name },
	{ "strindex-negative.pb", c_strindex_negative },
	{ "strindex-huge.pb", c_strindex_huge },
	{ "strindex-mapping-filename.pb", c_strindex_mapping_filename },
	{ "strindex-label-key.pb", c_strindex_label_key },
	{ "strindex-sample-type.pb", c_strindex_sample_type },
	{ "strtab0-nonempty.pb", c_strtab0_nonempty },
	{ "no-string-table.pb", c_no_string_table },
	{ "dangling-location.pb", c_dangling_location },
	{ "dangling-function.pb", c_dangling_function },
	{ "dangling-mapping.pb", c_dangling_mapping },
	{ "duplicate-location.pb", c_duplicate_location },
	{ "duplicate-function.pb", c_duplicate_function },
	{ "duplicate-mapping.pb", c_duplicate_mapping },
	{ "location-id-zero.pb", c_location_id_zero },
	{ "function-id-zero.pb", c_function_id_zero },
	{ "mapping-id-zero.pb", c_mapping_id_zero },
	{ "location-message-id-zero.pb", c_location_message_id_zero },
	{ "value-count-mismatch.pb", c_value_count_mismatch },
	{ "values-vs-types.pb", c_values_vs_types },
	{ "wrong-wire-type.pb", c_wrong_wire_type },
	{ "wrong-wire-type-nested.pb", c_wrong_wire_type_nested },
	{ "overlong-varint.pb", c_overlong_varint },
	{ "length-past-end.pb", c_length_past_end },
	{ "truncated-profile.pb", c_truncated_profile },
	{ "wire-type-7.pb", c_wire_type_7 },
	{ "deep-stack.pb", c_deep_stack },
	{ "deep-distinct.pb", c_deep_distinct },
	{ "deep-100k.pb", c_deep_100k },
	{ "deep-many.pb", c_deep_many },
	{ "recursion.pb", c_recursion },
	{ "huge-varints.pb", c_huge_varints },
	{ "int64-min.pb", c_int64_min },
	{ "empty-stack.pb", c_empty_stack },
	{ "mean-overflow.pb", c_mean_overflow },
	{ "no-sample-types.pb", c_no_sample_types },
	{ "all-empty-stacks.pb", c_all_empty_stacks },
	{ "drop-frames-backtrack.pb", c_drop_frames_backtrack },
	{ "drop-frames-linear.pb", c_drop_frames_linear },
	{ "long-names.pb", c_long_names },
	{ "nul-in-name.pb", c_nul_in_name },
	{ "nul-in-strings.pb", c_nul_in_strings },
	{ "nul-in-file.pb", c_nul_in_file },
	{ "nul-in-labels.pb", c_nul_in_labels },
	{ "nul-in-unit-keys.pb", c_nul_in_unit_keys },
	{ "nul-source.go", c_nul_source },
	{ "nul-in-source.pb", c_nul_in_source },
	{ "callgrind-names.pb", c_callgrind_names },
	{ "callgrind-names-suffixed.pb", c_callgrind_names_suffixed },
	{ "callgrind-sprint-ties.pb", c_callgrind_sprint_ties },
	{ "callgrind-many-callees.pb", c_callgrind_many_callees },
	{ "tree-wide-keys.pb", c_tree_wide_keys },
	{ "other-go-release.pb", c_other_go_release },
	{ "no-period-type.pb", c_no_period_type },
	{ "no-header-labels.pb", c_no_header_labels },
	{ "lines-before-start.pb", c_lines_before_start },
	{ "markdown-names.pb", c_markdown_names },
	{ "many-empty-lines.pb.gz", c_many_empty_lines },
	{ "many-lines.pb.gz", c_many_lines },
	{ "string-bomb.pb.gz", c_string_bomb },
	{ "huge-length.pb.gz", c_huge_length },
	{ "legacy-cpu-32le.prof", c_legacy_cpu_32le },
	{ "legacy-cpu-32be.prof", c_legacy_cpu_32be },
	{ "legacy-cpu-64be.prof", c_legacy_cpu_64be },
	{ "legacy-java-cpu.prof", c_legacy_java_cpu },
	{ "legacy-heapz-v2.txt", c_legacy_heapz_v2 },
	{ "legacy-heap-v2.txt", c_legacy_heap_v2 },
	{ "legacy-fragmentationz.txt", c_legacy_fragmentationz },
	{ "legacy-contentionz.txt", c_legacy_contentionz },
	{ "legacy-threadz.txt", c_legacy_threadz },
	{ "legacy-java-heapz.txt", c_legacy_java_heapz },
	{ "legacy-java-contentionz.txt", c_legacy_java_contentionz },
	{ "legacy-goroutine.txt.gz", c_legacy_goroutine_gz },
	{ "legacy-cpu-absurd-depth.prof", c_legacy_cpu_absurd_depth },
	{ "legacy-cpu-truncated.prof", c_legacy_cpu_truncated },
	{ "legacy-heap-huge-address.txt", c_legacy_heap_huge_address },
	{ "legacy-heap-huge-count.txt", c_legacy_heap_huge_count },
	{ "legacy-heap-zero-count.txt", c_legacy_heap_zero_count },
	{ "legacy-heap-unknown-kind.txt", c_legacy_heap_unknown_kind },
	{ "legacy-long-line.txt", c_legacy_long_line },
	{ "legacy-no-end.txt.gz", c_legacy_no_end },
	{ "legacy-contention-bad-sample.txt", c_legacy_contention_bad_sample },
	{ "legacy-goroutine-bad-count.txt", c_legacy_goroutine_bad_count },
	{ "legacy-java-no-resolution.txt", c_legacy_java_no_resolution },
	{ "legacy-map-attributes.txt.gz", c_legacy_map_attributes },
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-hostile OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "gen-hostile: %s: %s\n", outdir, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf o = { 0 };
		cases[i].build(&o);
		emit(cases[i].name, &o);
		free(o.b);
	}
	return 0;
}
