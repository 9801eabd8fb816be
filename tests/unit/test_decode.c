/* pprof/decode on hand-encoded messages: packed and unpacked repeated fields (pprof's own
 * writer mixes them) decode alike, ids map to dense indexes, duplicate strings intern
 * once, unknown fields are skipped, labels and inline lines keep their order. */
#include <stdlib.h>
#include <string.h>

#include "model/profile.h"
#include "pprof/decode.h"
#include "tap.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void byte(struct buf *o, uint8_t c)
{
	if (o->n >= sizeof(o->b))
		abort();
	o->b[o->n++] = c;
}

static void varint(struct buf *o, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		byte(o, (uint8_t)(v | 0x80));
	byte(o, (uint8_t)v);
}

static void num(struct buf *o, unsigned field, uint64_t v)
{
	varint(o, (uint64_t)field << 3);
	varint(o, v);
}

static void bytes(struct buf *o, unsigned field, const void *p, size_t n)
{
	varint(o, (uint64_t)field << 3 | 2);
	varint(o, n);
	for (size_t i = 0; i < n; i++)
		byte(o, ((const uint8_t *)p)[i]);
}

static void msg(struct buf *o, unsigned field, struct buf *m)
{
	bytes(o, field, m->b, m->n);
	m->n = 0;
}

/* A repeated varint field, packed (one length-delimited run) or one key per value. */
static void repeated(struct buf *o, unsigned field, const uint64_t *v, size_t n, int packed)
{
	if (!packed) {
		for (size_t i = 0; i < n; i++)
			num(o, field, v[i]);
		return;
	}
	struct buf run = { .n = 0 };
	for (size_t i = 0; i < n; i++)
		varint(&run, v[i]);
	msg(o, field, &run);
}

static const char *const strs[] = { "",  "samples", "count", "cpu",     "nanoseconds",
				    "f", "g",       "h",     "file.go", "k",
				    "v", "bytes",   "c1",    "c2",      "f" };
enum { S_F = 5, S_G, S_H, S_FILE, S_K, S_V, S_BYTES, S_C1, S_C2, S_F_AGAIN };

static const uint64_t L1 = 5, L2 = (uint64_t)1 << 40, L3 = 77; /* sparse location ids */

/* The same profile every time; packed selects the encoding of repeated scalars. */
static void encode(struct buf *o, int packed)
{
	struct buf m = { .n = 0 }, sub = { .n = 0 };
	o->n = 0;
	num(&m, 1, 1), num(&m, 2, 2), msg(o, 1, &m);
	num(&m, 1, 3), num(&m, 2, 4), msg(o, 1, &m);
	/* Unknown top-level fields of every wire type. */
	num(o, 100, 12345);
	bytes(o, 101, "skip me", 7);
	varint(o, 102 << 3 | 1);
	for (int i = 0; i < 8; i++)
		byte(o, 0xaa);
	varint(o, 103 << 3 | 5);
	for (int i = 0; i < 4; i++)
		byte(o, 0xbb);

	const uint64_t st1[] = { L1, L2, L3 }, st2[] = { L3 }, v1[] = { 2, 20 }, v2[] = { 1, 10 };
	repeated(&m, 1, st1, 3, packed);
	repeated(&m, 2, v1, 2, packed);
	num(&sub, 1, S_K), num(&sub, 2, S_V), msg(&m, 3, &sub);
	num(&sub, 1, S_K), num(&sub, 3, 4096), num(&sub, 4, S_BYTES), msg(&m, 3, &sub);
	num(&m, 99, 1); /* unknown field inside a sub-message */
	msg(o, 2, &m);
	repeated(&m, 1, st2, 1, packed);
	repeated(&m, 2, v2, 2, packed);
	msg(o, 2, &m);
	repeated(&m, 1, st1, 3, packed); /* the first stack again */
	repeated(&m, 2, v2, 2, packed);
	msg(o, 2, &m);

	/* L1 has two lines (g inlined into f), L2 one, L3 none (address only). */
	num(&m, 1, L1), num(&m, 3, 0x1000);
	num(&sub, 1, 2), num(&sub, 2, 7), msg(&m, 4, &sub);
	num(&sub, 1, 1), num(&sub, 2, 3), msg(&m, 4, &sub);
	msg(o, 4, &m);
	num(&m, 1, L2), num(&m, 3, 0x2000), num(&sub, 1, 3), num(&sub, 2, 9), msg(&m, 4, &sub);
	msg(o, 4, &m);
	num(&m, 1, L3), num(&m, 3, 0x3000), msg(o, 4, &m);
	num(&m, 1, 1), num(&m, 2, S_F), num(&m, 4, S_FILE), msg(o, 5, &m);
	num(&m, 1, 2), num(&m, 2, S_G), num(&m, 4, S_FILE), msg(o, 5, &m);
	num(&m, 1, 3), num(&m, 2, S_F_AGAIN), num(&m, 4, S_FILE), msg(o, 5, &m);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		bytes(o, 6, strs[i], strlen(strs[i]));
	const uint64_t comments[] = { S_C1, S_C2 };
	repeated(o, 13, comments, 2, packed);
	num(o, 12, 10000000);
}

static struct profile *decode(const struct buf *b, struct cprof_error *err)
{
	struct profile *p = profile_new();
	err->msg[0] = '\0';
	if (decode_profile(b->b, b->n, p, err) < 0) {
		tap_ok(0, "decode: %s", err->msg);
		profile_free(p);
		return NULL;
	}
	return p;
}

static void check(const struct profile *p, const char *how)
{
	tap_int(p->n_types, 2, "%s: two sample types", how);
	tap_str(profile_str(p, p->types[1].type), "cpu", "%s: type 1 is cpu", how);
	tap_int(p->n_samples, 3, "%s: three samples", how);
	tap_int(p->n_stacks, 2, "%s: two distinct stacks", how);
	tap_int(p->samples[0].stack, p->samples[2].stack, "%s: samples 0 and 2 share a stack", how);
	const struct stack *s = &p->stacks[p->samples[0].stack];
	tap_int(s->depth, 3, "%s: stack depth 3", how);
	struct stack_buf sb = { 0 };
	const uint32_t *fr = profile_stack(p, p->samples[0].stack, &sb);
	tap_ok(p->locations[fr[0]].id == L1 && p->locations[fr[1]].id == L2 &&
		       p->locations[fr[2]].id == L3,
	       "%s: frames are L1 L2 L3, leaf first", how);
	tap_int(p->locations[fr[1]].address, 0x2000, "%s: L2's address", how);
	tap_int(profile_values(p, 0)[0], 2, "%s: sample 0 value 0", how);
	tap_int(profile_values(p, 0)[1], 20, "%s: sample 0 value 1", how);
	tap_int(profile_values(p, 1)[1], 10, "%s: sample 1 value 1", how);
	const struct location *l1 = &p->locations[fr[0]];
	tap_int(l1->n_lines, 2, "%s: L1 has two lines", how);
	const struct line *ln = &p->lines[l1->first_line];
	tap_ok(ln[0].function != PROFILE_NONE &&
		       strcmp(profile_str(p, p->functions[ln[0].function].name), "g") == 0 &&
		       ln[0].line == 7,
	       "%s: L1's first line is g:7 (inlined first)", how);
	tap_ok(strcmp(profile_str(p, p->functions[ln[1].function].name), "f") == 0 &&
		       ln[1].line == 3,
	       "%s: L1's second line is f:3", how);
	tap_int(p->locations[fr[2]].n_lines, 0, "%s: L3 has no lines", how);
	stack_buf_release(&sb);
	tap_int(p->functions[0].name, p->functions[2].name,
		"%s: duplicate strings \"f\" intern to one id", how);
	tap_int(p->samples[0].n_labels, 2, "%s: sample 0 has two labels", how);
	const struct label *lb = &p->labels[p->samples[0].first_label];
	tap_ok(strcmp(profile_str(p, lb[0].key), "k") == 0 &&
		       strcmp(profile_str(p, lb[0].str), "v") == 0,
	       "%s: label k=v", how);
	tap_ok(lb[1].num == 4096 && strcmp(profile_str(p, lb[1].num_unit), "bytes") == 0,
	       "%s: numeric label 4096 bytes", how);
	tap_int(p->samples[1].n_labels, 0, "%s: sample 1 has no labels", how);
	tap_int(p->n_comments, 2, "%s: two comments", how);
	tap_ok(p->n_comments == 2 && strcmp(profile_str(p, p->comments[1]), "c2") == 0,
	       "%s: comment order", how);
	tap_int(p->period, 10000000, "%s: period", how);
}

int main(void)
{
	struct buf b;
	struct cprof_error err;
	const char *how[] = { "unpacked", "packed" };
	for (int packed = 0; packed < 2; packed++) {
		encode(&b, packed);
		struct profile *p = decode(&b, &err);
		if (p)
			check(p, how[packed]);
		profile_free(p);
	}

	/* One sample mixing both encodings for one field: the values concatenate. */
	struct buf o = { .n = 0 }, m = { .n = 0 }, run = { .n = 0 };
	num(&m, 1, 1), num(&m, 2, 2), msg(&o, 1, &m);
	varint(&run, 1), varint(&run, 2);
	msg(&m, 1, &run);
	num(&m, 1, 3);
	varint(&run, 1);
	msg(&m, 1, &run);
	num(&m, 2, 42);
	msg(&o, 2, &m);
	for (uint64_t id = 1; id <= 3; id++)
		num(&m, 1, id), msg(&o, 4, &m);
	bytes(&o, 6, "", 0), bytes(&o, 6, "a", 1), bytes(&o, 6, "b", 1);
	struct profile *p = decode(&o, &err);
	if (p) {
		const struct stack *s = &p->stacks[p->samples[0].stack];
		struct stack_buf sb = { 0 };
		const uint32_t *fr = profile_stack(p, p->samples[0].stack, &sb);
		tap_int(s->depth, 4, "mixed: packed 1 2, unpacked 3, packed 1 give four frames");
		tap_ok(s->depth == 4 && p->locations[fr[0]].id == 1 &&
			       p->locations[fr[1]].id == 2 && p->locations[fr[2]].id == 3 &&
			       p->locations[fr[3]].id == 1,
		       "mixed: in file order");
		stack_buf_release(&sb);
		tap_int(profile_values(p, 0)[0], 42, "mixed: the value");
	}
	profile_free(p);

	/* Ids in order of first use (id i + 1 at index i) until sample 1 names 5 before 3 and 4:
	 * every id still finds its own location, before and after. */
	{
		static const uint64_t stacks[][3] = {
			{ 1, 2, 0 }, { 5, 1, 0 }, { 2, 5, 3 }, { 4, 1, 0 }
		};
		o.n = 0;
		num(&m, 1, 1), num(&m, 2, 2), msg(&o, 1, &m);
		for (size_t s = 0; s < 4; s++) {
			size_t depth = stacks[s][2] ? 3 : 2;
			repeated(&m, 1, stacks[s], depth, 1);
			num(&m, 2, s + 1);
			msg(&o, 2, &m);
		}
		for (uint64_t id = 5; id >= 1; id--)
			num(&m, 1, id), num(&m, 3, 0x100 * id), msg(&o, 4, &m);
		bytes(&o, 6, "", 0), bytes(&o, 6, "a", 1), bytes(&o, 6, "b", 1);
		p = decode(&o, &err);
		int right = 0;
		for (size_t s = 0; p && s < p->n_samples; s++) {
			struct stack_buf sb = { 0 };
			const uint32_t *fr = profile_stack(p, p->samples[s].stack, &sb);
			size_t depth = p->stacks[p->samples[s].stack].depth, same = 0;
			for (size_t i = 0; i < depth; i++)
				same += p->locations[fr[i]].id == stacks[s][i] &&
					p->locations[fr[i]].address == 0x100 * stacks[s][i];
			right += same == depth && depth == (stacks[s][2] ? 3u : 2u);
			stack_buf_release(&sb);
		}
		tap_int(right, 4, "ids out of first-use order map to their locations");
		profile_free(p);
	}

	/* A location referenced before it is defined, and one never defined. */
	o.n = 0;
	num(&m, 1, 1), num(&m, 2, 2), msg(&o, 1, &m);
	num(&m, 1, 9), num(&m, 2, 1), msg(&o, 2, &m);
	bytes(&o, 6, "", 0);
	p = profile_new();
	tap_int(decode_profile(o.b, o.n, p, &err), -1, "an undefined location fails");
	tap_str(err.msg, "sample 0 refers to location id 9, which is not defined", "its message");
	profile_free(p);
	return tap_done();
}
