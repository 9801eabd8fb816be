/* folded: cprof's own report, the stacks in the folded format of Brendan Gregg's FlameGraph
 * (which flamegraph.pl, inferno and speedscope read): one line per distinct stack, its
 * frames from the root down joined by ';', a space and the summed value of the chosen sample
 * type, as an integer; lines in byte order. The frames are the names traces prints at the
 * same granularity, inlined ones included; a ';' inside a name would split it, so it is
 * written ':'. Samples whose frames all went (filters) are left out, as traces does. The
 * values add up to the total top reports for the same flags. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/goint.h"
#include "util/hashmap.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* The distinct stacks met so far and their summed values. */
struct folds {
	struct hashmap index; /* hash of the line -> its index */
	char **lines;         /* each a stack's text, NUL-terminated */
	size_t *lens;
	int64_t *values;
	size_t n, cap;
};

/* Adds v to the stack whose text is s[0..n), new or not. */
static void fold(struct folds *f, const char *s, size_t n, int64_t v)
{
	uint64_t h = hash_bytes(s, n, 0);
	for (;;) {
		uint32_t ix = hashmap_get(&f->index, h);
		if (ix == HASHMAP_NONE)
			break;
		if (f->lens[ix] == n && memcmp(f->lines[ix], s, n) == 0) {
			f->values[ix] = add64(f->values[ix], v);
			return;
		}
		h = hash_u64(h + 1);
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->lines = xrealloc(f->lines, f->cap * sizeof(*f->lines));
		f->lens = xrealloc(f->lens, f->cap * sizeof(*f->lens));
		f->values = xrealloc(f->values, f->cap * sizeof(*f->values));
	}
	f->lines[f->n] = xstrndup(s, n);
	f->lens[f->n] = n;
	f->values[f->n] = v;
	hashmap_put(&f->index, h, (uint32_t)f->n);
	f->n++;
}

/* Appends the n bytes of name to sb (a NUL as it is), with each ';' written ':'. */
static void add_frame(struct strbuf *sb, const char *name, size_t n)
{
	if (sb->len)
		strbuf_addch(sb, ';');
	for (size_t i = 0; i < n; i++)
		strbuf_addch(sb, name[i] == ';' ? ':' : name[i]);
}

/* Sample s's frames from the root down into sb (empty when none is left). */
static void stack_text(const struct report *r, size_t s, struct stack_buf *stb, struct strbuf *sb)
{
	const struct profile *p = r->prof;
	const struct graph_locations *gl = r->locations;
	const struct sample *sa = &p->samples[s];
	const uint32_t *stack = profile_stack(p, sa->stack, stb);
	strbuf_reset(sb);
	/* traces lists each location's frames (inlined first) from the leaf: read that list
	 * backwards. */
	for (uint32_t i = p->stacks[sa->stack].depth; i-- > 0;) {
		uint32_t lo = gl->loc_off[stack[i]], hi = gl->loc_off[stack[i] + 1];
		for (uint32_t k = hi; k-- > lo;) {
			uint32_t info = gl->loc_nodes[k];
			add_frame(sb, gl->names[info], gl->name_len[info]);
		}
	}
}

/* Whether every value of sample s is 0. */
static bool all_zero(const struct profile *p, size_t s)
{
	const int64_t *v = profile_values(p, s);
	for (size_t t = 0; t < p->n_types; t++)
		if (v[t] != 0)
			return false;
	return true;
}

static int cmp_index(const void *a, const void *b, void *ctx)
{
	const struct folds *f = ctx;
	size_t l = *(const size_t *)a, r = *(const size_t *)b;
	size_t n = f->lens[l] < f->lens[r] ? f->lens[l] : f->lens[r];
	int c = memcmp(f->lines[l], f->lines[r], n);
	return c ? c : (f->lens[l] > f->lens[r]) - (f->lens[l] < f->lens[r]);
}

static int folded_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	int si = r->opt.graph.sample_index;
	struct folds f = { 0 };
	hashmap_init(&f.index, 1024);
	struct stack_buf stb = { 0 };
	struct strbuf sb = STRBUF_INIT;
	for (size_t s = 0; s < p->n_samples; s++) {
		if (all_zero(p, s)) /* pprof's merge drops these: traces never shows them */
			continue;
		stack_text(r, s, &stb, &sb);
		if (sb.len == 0)
			continue;
		const int64_t *v = profile_values(p, s);
		int64_t val = v[si], d = r->opt.graph.mean ? v[0] : 0;
		if (d != 0)
			val = div64(val, d);
		fold(&f, sb.buf, sb.len, val);
	}
	size_t *order = xmalloc((f.n + 1) * sizeof(*order));
	for (size_t i = 0; i < f.n; i++)
		order[i] = i;
	sort_r(order, f.n, sizeof(*order), cmp_index, &f);
	for (size_t i = 0; i < f.n; i++) {
		size_t k = order[i];
		double scaled = (double)f.values[k] * r->opt.ratio;
		sink_add(out, f.lines[k], f.lens[k]);
		sink_addf(out, " %" PRId64 "\n",
			  r->opt.ratio == 1 ? f.values[k] : f2i(round(scaled)));
		free(f.lines[k]);
	}
	free(order);
	free(f.lines);
	free(f.lens);
	free(f.values);
	hashmap_release(&f.index);
	strbuf_release(&sb);
	stack_buf_release(&stb);
	return 0;
}

const struct report_backend report_folded = {
	.name = "folded",
	.summary = "Each distinct stack, root first and ';'-joined, with its summed value: "
		   "FlameGraph's folded format",
	.needs = { .input = REPORT_INPUT_LOCATIONS },
	.render = folded_render,
};
