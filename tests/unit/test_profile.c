/* model/profile: a deep copy; a view with scaled values; stacks stored as varints (every encoded length, equal stacks sharing one
 * index, the set growing past many stacks), read back by profile_stack. */
#include <stdlib.h>
#include <string.h>

#include "model/profile.h"
#include "tap.h"
#include "util/xalloc.h"

/* Stack number k of a family of n: depth 1..40, values of every varint length. */
static uint32_t make_stack(uint32_t k, uint32_t *out)
{
	static const uint32_t widths[] = { 0x7f, 0x3fff, 0x1fffff, 0xfffffff, UINT32_MAX - 1 };
	uint64_t x = k * 0x9e3779b97f4a7c15ull + 1;
	uint32_t depth = 1 + k % 40;
	for (uint32_t i = 0; i < depth; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		out[i] = (uint32_t)(x >> 32) % widths[(x >> 20) % 5];
	}
	return depth;
}

/* profile_view_scaled: every value times the ratio, truncated toward zero as Go's int64();
 * the profile itself untouched. */
static void test_view_scaled(void)
{
	struct profile *p = profile_new();
	static const int64_t values[] = { 7, -7, 1000, 0, 3, -1 };
	p->n_types = 2;
	p->n_samples = 3;
	p->values = xmalloc(sizeof(values));
	memcpy(p->values, values, sizeof(values));
	struct profile view;
	profile_view_scaled(&view, p, 0.5);
	static const int64_t want[] = { 3, -3, 500, 0, 1, 0 };
	tap_ok(view.values != p->values && memcmp(view.values, want, sizeof(want)) == 0,
	       "view: values times 0.5, truncated toward zero");
	tap_ok(memcmp(p->values, values, sizeof(values)) == 0, "view: the profile's own unchanged");
	tap_ok(view.n_samples == 3 && view.n_types == 2 && view.strs.count == p->strs.count,
	       "view: the rest is the profile's");
	profile_view_release(&view);
	tap_ok(view.values == NULL, "view released");
	profile_free(p);
}

/* profile_copy: equal strings, ids, stacks and values, in memory of its own (changing the
 * copy leaves the original as it was). */
static void test_copy(void)
{
	struct profile *p = profile_new();
	uint32_t name = strtab_intern(&p->strs, "main.f", 6);
	strtab_intern(&p->strs, "a\0b", 3); /* a NUL inside a string is a byte like others */
	XGROW(p->types, p->cap_types, 1);
	p->types[p->n_types++] = (struct value_type){ name, 0 };
	XGROW(p->functions, p->cap_functions, 1);
	p->functions[p->n_functions++] = (struct function){ .id = 9, .name = name };
	struct stack_set set;
	stack_set_init(&set, 0);
	static const uint32_t locs[] = { 0, 300, 70000 };
	uint32_t st = profile_add_stack(p, &set, locs, 3);
	stack_set_release(&set);
	XGROW(p->samples, p->cap_samples, 1);
	p->samples[p->n_samples++] = (struct sample){ .stack = st };
	XGROW(p->values, p->cap_values, 1);
	p->values[0] = 42;
	p->duration_nanos = 5;

	struct profile *c = profile_copy(p);
	tap_ok(c->strs.count == p->strs.count && c->strs.len[2] == 3 &&
		       memcmp(profile_str(c, 2), "a\0b", 3) == 0 &&
		       strcmp(profile_str(c, c->functions[0].name), "main.f") == 0,
	       "copy: every string under the same id");
	struct stack_buf buf = { 0 };
	tap_ok(c->n_samples == 1 && c->values[0] == 42 && c->duration_nanos == 5 &&
		       c->functions[0].id == 9 &&
		       memcmp(profile_stack(c, c->samples[0].stack, &buf), locs, sizeof(locs)) == 0,
	       "copy: samples, values, stacks and header alike");
	c->values[0] = 1;
	c->functions[0].id = 1;
	tap_ok(p->values[0] == 42 && p->functions[0].id == 9 && c->values != p->values,
	       "copy: changing the copy leaves the original");
	stack_buf_release(&buf);
	profile_free(c);
	profile_free(p);
}

int main(void)
{
	test_view_scaled();
	test_copy();
	struct profile *p = profile_new();
	struct stack_set set;
	stack_set_init(&set, 0);
	struct stack_buf buf = { 0 };

	/* Indexes at each varint length's edges (frames are stored as index + 1) decode to
	 * themselves. */
	static const uint32_t edges[] = { 0,         1,         126,           127,
					  16382,     16383,     2097150,       2097151,
					  268435454, 268435455, UINT32_MAX - 1 };
	uint32_t n_edges = sizeof(edges) / sizeof(edges[0]);
	uint32_t e = profile_add_stack(p, &set, edges, n_edges);
	tap_int(p->stacks[e].depth, n_edges, "edge values: depth");
	tap_mem(profile_stack(p, e, &buf), n_edges * sizeof(uint32_t), edges,
		n_edges * sizeof(uint32_t), "edge values: every varint length reads back");
	tap_int(p->n_stack_bytes, 1 + 1 + 1 + 2 + 2 + 3 + 3 + 4 + 4 + 5 + 5,
		"edge values: encoded in 1 to 5 bytes each");
	/* Given encoded (as a sample's packed location ids are), the same stack is found. */
	static const uint8_t packed[] = { 0x01, 0x02, 0x7f, 0x80, 0x01, 0xff, 0x7f, 0x80,
					  0x80, 0x01, 0xff, 0xff, 0x7f, 0x80, 0x80, 0x80,
					  0x01, 0xff, 0xff, 0xff, 0x7f, 0x80, 0x80, 0x80,
					  0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f };
	tap_int(profile_add_encoded_stack(p, &set, packed, sizeof(packed), n_edges), e,
		"the same stack given encoded is the same stack");

	/* The empty stack is a stack of its own, shared too. */
	uint32_t none = profile_add_stack(p, &set, edges, 0);
	tap_ok(none != e && profile_add_stack(p, &set, NULL, 0) == none,
	       "the empty stack is shared");
	tap_ok(profile_stack(p, none, &buf) != NULL, "an empty stack reads as a non-NULL array");

	/* A stack and its prefix, and two stacks whose bytes share a prefix, stay apart. */
	uint32_t a[] = { 128, 1 }, b[] = { 128 }, c[] = { 0, 1 };
	uint32_t ia = profile_add_stack(p, &set, a, 2), ib = profile_add_stack(p, &set, b, 1),
		 ic = profile_add_stack(p, &set, c, 2);
	tap_ok(ia != ib && ia != ic && ib != ic, "prefixes and look-alike bytes are distinct");

	/* Many stacks, each added twice in different orders: one index per distinct stack. So
	 * many that the encoded stacks and the set's table pass 2 MiB and move into xreserve. */
	enum { N = 300000 };
	uint32_t *first = malloc(N * sizeof(*first)), tmp[64];
	size_t before = p->n_stacks;
	for (uint32_t k = 0; k < N; k++)
		first[k] = profile_add_stack(p, &set, tmp, make_stack(k, tmp));
	size_t distinct = p->n_stacks - before;
	int same = 0, right = 0;
	for (uint32_t k = N; k-- > 0;) {
		uint32_t depth = make_stack(k, tmp);
		same += profile_add_stack(p, &set, tmp, depth) == first[k];
		right += p->stacks[first[k]].depth == depth &&
			 memcmp(profile_stack(p, first[k], &buf), tmp, depth * sizeof(*tmp)) == 0;
	}
	tap_int(p->n_stacks - before, distinct, "adding them again makes no new stacks");
	tap_int(same, N, "equal stacks get the index the first got");
	tap_int(right, N, "every stack reads back as it was added");
	tap_ok(distinct > N * 9 / 10, "distinct stacks stay distinct (%zu of %d)", distinct, N);
	/* Where the system refuses the reservation, the fallback (xgrow) was tested instead. */
	void *probe = xreserve((size_t)4 << 30);
	tap_ok(!probe || (p->stack_bytes_reserved && set.reserved > 0),
	       "stacks (%zu bytes) and the set (%zu slots) are in reservations", p->n_stack_bytes,
	       set.mask + 1);
	xunreserve(probe, (size_t)4 << 30);

	free(first);
	stack_buf_release(&buf);
	stack_set_release(&set);
	profile_free(p);
	return tap_done();
}
