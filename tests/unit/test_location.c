/* pprof/location against protobuf-c: on random Location messages (fields in any order,
 * repeated, with unknown fields of every wire type, varints of one to ten bytes, keys and
 * lengths padded) and on those messages mangled, the reader must accept exactly what
 * protobuf-c unpacks and read every field and line as it does. */
#include <stdlib.h>
#include <string.h>

#include "pprof/location.h"
#include "profile.pb-c.h"
#include "tap.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value of a random varint length, from one byte to ten. */
static uint64_t any_value(void)
{
	unsigned bits = (unsigned)(next() % 65);
	return bits == 64 ? next() : next() & ((1ull << bits) - 1);
}

struct buf {
	uint8_t b[16384];
	size_t n;
};

/* A varint, padded now and then with continuation bytes up to pad bytes (as protobuf-c
 * reads keys and lengths of up to five bytes and values of up to ten). */
static void put_padded(struct buf *o, uint64_t v, unsigned pad)
{
	unsigned n = 0;
	do {
		o->b[o->n++] = (uint8_t)(v & 0x7f);
		v >>= 7;
		n++;
		if (v || n < pad)
			o->b[o->n - 1] |= 0x80;
	} while (v || n < pad);
}

static void put(struct buf *o, uint64_t v)
{
	put_padded(o, v, next() % 8 == 0 ? (unsigned)(next() % 6) : 0);
}

static void put_bytes(struct buf *o, const struct buf *s)
{
	put(o, s->n);
	memcpy(o->b + o->n, s->b, s->n);
	o->n += s->n;
}

/* An unknown field (or, now and then, a known one with another wire type). */
static void put_other(struct buf *o, unsigned known_max)
{
	unsigned tag =
		(unsigned)(next() % 3 ? known_max + 1 + next() % 20 : 1 + next() % known_max);
	unsigned wt = (unsigned)(next() % 4);
	wt = wt == 3 ? 5 : wt;
	put(o, tag << 3 | wt);
	switch (wt) {
	case 0:
		put(o, any_value());
		break;
	case 1:
	case 5:
		for (unsigned i = 0; i < (wt == 1 ? 8u : 4u); i++)
			o->b[o->n++] = (uint8_t)next();
		break;
	default: {
		struct buf s = { .n = next() % 6 };
		for (size_t i = 0; i < s.n; i++)
			s.b[i] = (uint8_t)next();
		put_bytes(o, &s);
	}
	}
}

static void random_line(struct buf *l)
{
	l->n = 0;
	for (int f = (int)(next() % 5); f > 0; f--) {
		unsigned what = (unsigned)(next() % 8);
		if (what < 3) {
			put(l, (what + 1) << 3);
			uint64_t v = next() % 3 ? next() % 5000 : any_value();
			put(l, what == 0 && next() % 8 == 0 ? 0 : v); /* function_id 0 too */
		} else if (what == 3) {
			put_other(l, 3);
		}
	}
}

static void random_location(struct buf *o)
{
	o->n = 0;
	for (int part = (int)(next() % 12); part >= 0 && o->n < sizeof(o->b) - 600; part--) {
		unsigned what = (unsigned)(next() % 9);
		if (what < 3) {
			put(o, (what + 1) << 3);
			put(o, next() % 3 ? next() % 100000 : any_value());
		} else if (what < 7) {
			struct buf l;
			random_line(&l);
			put(o, 4 << 3 | 2);
			put_bytes(o, &l);
		} else if (what == 7) {
			put(o, 5 << 3);
			put(o, next() % 3);
		} else {
			put_other(o, 5);
		}
	}
}

/* Whether the reader's view of the message equals protobuf-c's. */
static bool same(const uint8_t *b, size_t n, const struct location_msg *m,
		 const Perftools__Profiles__Location *pb)
{
	if (m->id != pb->id || m->mapping_id != pb->mapping_id || m->address != pb->address ||
	    m->is_folded != (bool)pb->is_folded || m->n_lines != pb->n_line)
		return false;
	struct line_reader r;
	struct location_line l;
	line_reader_init(&r, b, n);
	bool without = false;
	for (size_t i = 0; i < pb->n_line; i++) {
		if (!line_reader_next(&r, &l))
			return false;
		const Perftools__Profiles__Line *x = pb->line[i];
		if (l.function_id != x->function_id || l.line != x->line || l.column != x->column)
			return false;
		without |= x->function_id == 0;
	}
	return !line_reader_next(&r, &l) && m->line_without_function == without;
}

/* Checks one message both ways; counts agreement. */
static bool agrees(const uint8_t *b, size_t n, bool *accepted)
{
	Perftools__Profiles__Location *pb = perftools__profiles__location__unpack(NULL, n, b);
	struct location_msg m;
	bool ok = location_scan(b, n, &m);
	bool same_view = ok == (pb != NULL) && (!ok || same(b, n, &m, pb));
	*accepted = ok;
	if (pb)
		perftools__profiles__location__free_unpacked(pb, NULL);
	return same_view;
}

int main(void)
{
	struct buf o;
	int valid_agreed = 0, valid_taken = 0, mangled_agreed = 0, mangled_taken = 0;
	enum { N = 20000 };
	for (int i = 0; i < N; i++) {
		random_location(&o);
		bool taken;
		if (i % 2 == 0) {
			valid_agreed += agrees(o.b, o.n, &taken);
			valid_taken += taken;
			continue;
		}
		/* Mangle: change, drop or cut bytes. */
		size_t at = o.n ? next() % o.n : 0;
		switch (next() % 3) {
		case 0:
			if (o.n)
				o.b[at] = (uint8_t)next();
			break;
		case 1:
			if (o.n) {
				memmove(o.b + at, o.b + at + 1, o.n - at - 1);
				o.n--;
			}
			break;
		default:
			o.n = at;
		}
		mangled_agreed += agrees(o.b, o.n, &taken);
		mangled_taken += taken;
	}
	tap_int(valid_agreed, N / 2, "random messages: read as protobuf-c reads them (%d taken)",
		valid_taken);
	tap_ok(valid_taken > N / 2 / 2, "most random messages are valid (%d)", valid_taken);
	tap_int(mangled_agreed, N / 2,
		"mangled messages: refused where protobuf-c refuses them, else read alike (%d "
		"taken)",
		mangled_taken);
	tap_ok(mangled_taken > 0 && mangled_taken < N / 2, "some mangled ones are still valid");

	/* The edges, one by one. */
	static const struct {
		const char *what;
		uint8_t b[24];
		size_t n;
	} edges[] = {
		{ "a five-byte key", { 0x88, 0x80, 0x80, 0x80, 0x00, 7 }, 6 },
		{ "a six-byte key", { 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 7 }, 7 },
		{ "a key whose first byte is zero", { 0x00, 1 }, 2 },
		{ "a two-byte key for tag 0", { 0x80, 0x00, 1 }, 3 },
		{ "a ten-byte id with high bits",
		  { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
		  11 },
		{ "an eleven-byte id",
		  { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 },
		  12 },
		{ "an id as fixed64", { 0x09, 1, 2, 3, 4, 5, 6, 7, 8 }, 9 },
		{ "a line as a varint", { 0x20, 1 }, 2 },
		{ "a line with a fixed32 function id", { 0x22, 5, 0x0d, 1, 0, 0, 0 }, 7 },
		{ "is_folded as bytes", { 0x2a, 2, 0, 0x80 }, 4 },
		{ "is_folded as bytes, all zero", { 0x2a, 0x80, 0x00 }, 3 },
		{ "is_folded as fixed64", { 0x29, 0, 0, 0, 0, 0, 0, 0, 0x80 }, 9 },
		{ "a group", { 0x0b, 0x0c }, 2 },
		{ "wire type 7", { 0x0f }, 1 },
		{ "a length past INT_MAX", { 0x32, 0xff, 0xff, 0xff, 0xff, 0x0f }, 6 },
		{ "a six-byte length", { 0x22, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 7 },
		{ "a line's length past the end", { 0x22, 3, 0x08, 1 }, 4 },
		{ "an empty line", { 0x08, 3, 0x22, 0 }, 4 },
		{ "a line with an unknown group", { 0x22, 2, 0x23, 0x24 }, 4 },
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		bool taken;
		bool ok = agrees(edges[i].b, edges[i].n, &taken);
		tap_ok(ok, "%s: %s", edges[i].what,
		       taken ? "read as protobuf-c reads it" : "refused, as by protobuf-c");
	}
	return tap_done();
}
