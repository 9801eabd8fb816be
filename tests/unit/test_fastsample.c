/* pprof/fastsample against protobuf-c: on random Sample messages in every encoding a writer
 * may use (packed or not, fields in any order and repeated, labels with repeated keys), and
 * on those messages mangled, whatever the fast path accepts must be exactly what protobuf-c
 * unpacks; and it must accept the common shapes, or it would be no fast path. */
#include <stdlib.h>
#include <string.h>

#include "pprof/fastsample.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A value of a random varint length, from one byte to ten (negative as int64). */
static uint64_t any_value(void)
{
	unsigned bits = (unsigned)(next() % 65);
	return bits == 64 ? next() : next() & ((1ull << bits) - 1);
}

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void put(struct buf *o, uint64_t v)
{
	do {
		o->b[o->n++] = (uint8_t)(v | (v >= 0x80 ? 0x80 : 0));
		v >>= 7;
	} while (v);
}

/* Appends field num with the count values at v, packed or one key each. */
static void put_repeated(struct buf *o, unsigned num, const uint64_t *v, size_t count, bool packed)
{
	if (!packed) {
		for (size_t i = 0; i < count; i++) {
			put(o, num << 3);
			put(o, v[i]);
		}
		return;
	}
	struct buf run = { .n = 0 };
	for (size_t i = 0; i < count; i++)
		put(&run, v[i]);
	put(o, num << 3 | 2);
	put(o, run.n);
	memcpy(o->b + o->n, run.b, run.n);
	o->n += run.n;
}

/* Returns how the location ids went: the number of fields, packed runs counting one and
 * ids one by one two each (so exactly 1 is one packed run). */
static int random_sample(struct buf *o)
{
	int loc_fields = 0;
	o->n = 0;
	for (int part = (int)(next() % 7); part >= 0; part--) {
		uint64_t v[40];
		size_t count = next() % 40;
		for (size_t i = 0; i < count; i++)
			v[i] = next() % 4 ? next() % 200000 : any_value();
		unsigned what = (unsigned)(next() % 3);
		if (what < 2) {
			bool packed = next() % 4 != 0;
			put_repeated(o, what + 1, v, count, packed);
			if (what == 0)
				loc_fields += packed ? 1 : 2 * (int)count;
			continue;
		}
		struct buf l = { .n = 0 };
		for (int f = (int)(next() % 6); f > 0; f--) {
			put(&l, (next() % 4 + 1) << 3);
			put(&l, next() % 3 ? next() % 1000 : any_value());
		}
		put(o, 3 << 3 | 2);
		put(o, l.n);
		memcpy(o->b + o->n, l.b, l.n);
		o->n += l.n;
	}
	return loc_fields;
}

/* Whether f's location run holds exactly f's ids, each a canonical varint (no final zero
 * byte after the first), so that equal stacks have equal bytes. */
static bool run_matches(const struct fastsample *f)
{
	const uint8_t *p = f->loc_run, *end = p + f->loc_run_len;
	size_t i = 0;
	while (p < end) {
		uint64_t v = 0;
		const uint8_t *start = p;
		for (unsigned shift = 0;; shift += 7) {
			v |= (uint64_t)(*p & 0x7f) << shift;
			if (!(*p++ & 0x80))
				break;
		}
		if (p - start > 1 && p[-1] == 0)
			return false;
		if (i >= f->m.n_location_id || f->m.location_id[i++] != v)
			return false;
	}
	return i == f->m.n_location_id;
}

static bool same(const Perftools__Profiles__Sample *a, const Perftools__Profiles__Sample *b)
{
	if (a->n_location_id != b->n_location_id || a->n_value != b->n_value ||
	    a->n_label != b->n_label)
		return false;
	if (a->n_location_id &&
	    memcmp(a->location_id, b->location_id, a->n_location_id * sizeof(uint64_t)) != 0)
		return false;
	if (a->n_value && memcmp(a->value, b->value, a->n_value * sizeof(int64_t)) != 0)
		return false;
	for (size_t i = 0; i < a->n_label; i++) {
		const Perftools__Profiles__Label *x = a->label[i], *y = b->label[i];
		if (x->key != y->key || x->str != y->str || x->num != y->num ||
		    x->num_unit != y->num_unit)
			return false;
	}
	return true;
}

int main(void)
{
	struct fastsample f = { 0 };
	struct buf o;
	int accepted = 0, agreed = 0, mangled = 0, mangled_agreed = 0, short_ones = 0;
	int runs = 0, runs_right = 0, runs_missed = 0;
	enum { N = 20000 };
	for (int i = 0; i < N; i++) {
		int loc_fields = random_sample(&o);
		if (i % 2) {
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
		}
		Perftools__Profiles__Sample *m =
			perftools__profiles__sample__unpack(NULL, o.n, o.b);
		bool fast = fastsample_parse(&f, o.b, o.n);
		if (i % 2 == 0) {
			accepted += fast;
			agreed += fast && m && same(&f.m, m);
			if (fast && f.loc_run) {
				runs++;
				runs_right += loc_fields == 1 && run_matches(&f);
			}
			runs_missed += fast && !f.loc_run && loc_fields == 1;
			/* Messages whose every varint is short, the common case, are always taken. */
			bool all_short = true;
			for (size_t k = 0; k < o.n; k++)
				if (k + 9 <= o.n &&
				    (o.b[k] & o.b[k + 1] & o.b[k + 2] & o.b[k + 3] & o.b[k + 4] &
				     o.b[k + 5] & o.b[k + 6] & o.b[k + 7] & o.b[k + 8] & 0x80))
					all_short = false;
			if (all_short)
				short_ones += !fast;
		} else if (fast) {
			mangled++;
			mangled_agreed += m && same(&f.m, m) && (!f.loc_run || run_matches(&f));
		}
		if (m)
			perftools__profiles__sample__free_unpacked(m, NULL);
	}
	tap_ok(accepted > N / 2 * 7 / 10, "the fast path takes most valid messages (%d of %d)",
	       accepted, N / 2);
	tap_int(agreed, accepted, "every valid message it takes reads as protobuf-c reads it");
	tap_int(short_ones, 0, "it takes every valid message without long varints");
	tap_int(runs_right, runs, "a location run is kept only when it is all the ids (%d)", runs);
	tap_int(runs_missed, 0, "and always then (the generator writes canonical varints)");
	tap_ok(mangled > 0, "it takes some mangled messages that are still valid (%d)", mangled);
	/* Keys and lengths padded to five bytes are read as protobuf-c reads them; six bytes
	 * are more than protobuf-c reads, so the fast path must decline them too. */
	static const uint8_t key5[] = { 0x8a, 0x80, 0x80, 0x80, 0x00, 1, 7 };
	static const uint8_t key6[] = { 0x8a, 0x80, 0x80, 0x80, 0x80, 0x00, 1, 7 };
	static const uint8_t len5[] = { 0x0a, 0x81, 0x80, 0x80, 0x80, 0x00, 7 };
	static const uint8_t len6[] = { 0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 7 };
	const uint8_t *padded[] = { key5, key6, len5, len6 };
	size_t padded_n[] = { sizeof(key5), sizeof(key6), sizeof(len5), sizeof(len6) };
	for (int i = 0; i < 4; i++) {
		Perftools__Profiles__Sample *m =
			perftools__profiles__sample__unpack(NULL, padded_n[i], padded[i]);
		bool fast = fastsample_parse(&f, padded[i], padded_n[i]);
		tap_ok(fast == (m != NULL) && (!m || same(&f.m, m)),
		       "padded %s of %d bytes: protobuf-c %s it, the fast path alike",
		       i < 2 ? "key" : "length", 5 + i % 2, m ? "reads" : "refuses");
		if (m)
			perftools__profiles__sample__free_unpacked(m, NULL);
	}

	/* Id 1 written in two bytes (0x81 0x00): the same id, but not the bytes a stack of it
	 * has, so the run must not be reused. */
	static const uint8_t long_one[] = { 1 << 3 | 2, 3, 0x81, 0x00, 0x02 };
	bool took = fastsample_parse(&f, long_one, sizeof(long_one));
	tap_ok(took && f.m.n_location_id == 2 && f.m.location_id[0] == 1 && !f.loc_run,
	       "a non-canonical id is read, and its run not kept");
	tap_int(mangled_agreed, mangled,
		"and reads each as protobuf-c reads it, keeping only canonical location runs");
	fastsample_free(&f);
	return tap_done();
}
