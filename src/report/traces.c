/* traces: every sample's call stack, leaf first, with its labels and value, as pprof's
 * printTraces shows them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "report/report.h"
#include "util/goint.h"
#include "util/xalloc.h"

static const char separator[] =
	"-----------+-------------------------------------------------------\n";

static int cmp_lines(const void *a, const void *b)
{
	const struct strbuf *x = a, *y = b;
	int c = memcmp(x->buf, y->buf, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The sample's labels of one kind, one "%10s:  v1 v2" line per key, lines sorted. */
static void add_labels(struct sink *out, const struct report *r, const struct sample *s,
		       bool numeric, struct labels_buf *lb, const char **units)
{
	const struct profile *p = r->prof;
	size_t n = labels_group(p, s, numeric, lb);
	if (n == 0)
		return;
	struct strbuf *lines = xmalloc(n * sizeof(*lines));
	for (size_t k = 0; k < n; k++) {
		const struct label_group *g = &lb->groups[k];
		struct strbuf sb = STRBUF_INIT;
		strbuf_addpad_n(&sb, profile_str(p, g->key), profile_str_len(p, g->key), 10);
		strbuf_adds(&sb, ": ");
		for (uint32_t i = 0; i < g->n; i++) {
			const struct label *l = &p->labels[s->first_label + lb->at[g->first + i]];
			strbuf_addch(&sb, ' ');
			if (numeric) {
				char buf[MEASURE_BUF];
				strbuf_adds(&sb, measure_label(buf, l->num, units[l->key], "auto"));
			} else {
				strbuf_add(&sb, profile_str(p, l->str), profile_str_len(p, l->str));
			}
		}
		strbuf_addch(&sb, '\n');
		lines[k] = sb;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	for (size_t k = 0; k < n; k++) {
		sink_add(out, lines[k].buf, lines[k].len);
		strbuf_release(&lines[k]);
	}
	free(lines);
}

/* Each location's frame lines as they are printed below a sample's first: the value
 * column blank, then "   name" and " (inline)" on all but the last. A sample then costs
 * one copy per frame; its first line puts the value over the blank column. */
struct frame_text {
	struct strbuf text;
	size_t *off; /* location i's lines: text.buf + off[i], off[i + 1] - off[i] bytes */
};

enum { VALUE_WIDTH = 10 };

static void frame_text_build(struct frame_text *ft, const struct graph_locations *gl,
			     size_t n_locations)
{
	strbuf_init(&ft->text);
	ft->off = xmalloc((n_locations + 1) * sizeof(*ft->off));
	for (size_t loc = 0; loc < n_locations; loc++) {
		ft->off[loc] = ft->text.len;
		uint32_t lo = gl->loc_off[loc], hi = gl->loc_off[loc + 1];
		for (uint32_t k = lo; k < hi; k++) {
			uint32_t info = gl->loc_nodes[k];
			strbuf_addchars(&ft->text, ' ', VALUE_WIDTH + 3);
			strbuf_add(&ft->text, gl->names[info], gl->name_len[info]);
			strbuf_adds(&ft->text, k != hi - 1 ? " (inline)\n" : "\n");
		}
	}
	ft->off[n_locations] = ft->text.len;
}

static void frame_text_release(struct frame_text *ft)
{
	strbuf_release(&ft->text);
	free(ft->off);
}

static int traces_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	if (report_profile_labels(r, out) == 0)
		sink_addch(out, '\n'); /* pprof prints its labels joined, then a newline */
	const struct graph_locations *gl = r->locations;
	const char **units = labels_num_units(p);
	struct labels_buf lb = { 0 };
	struct stack_buf sb = { 0 };
	struct frame_text ft;
	frame_text_build(&ft, gl, p->n_locations);

	struct strbuf last_text = STRBUF_INIT;
	int64_t last = 0;
	bool have_last = false;

	int si = r->opt.graph.sample_index;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		const uint32_t *stack = profile_stack(p, sa->stack, &sb);
		uint32_t depth = p->stacks[sa->stack].depth, i = 0;
		while (i < depth && ft.off[stack[i]] == ft.off[stack[i] + 1])
			i++; /* leading frames with no line to print */
		if (i == depth)
			continue;
		sink_put(out, separator, sizeof(separator) - 1);
		add_labels(out, r, sa, false, &lb, units);
		add_labels(out, r, sa, true, &lb, units);
		const int64_t *v = profile_values(p, s);
		int64_t val = v[si], d = r->opt.graph.mean ? v[0] : 0;
		if (d != 0)
			val = div64(val, d); /* MinInt64 / -1 wraps, as in Go, where C traps */
		/* Most samples repeat the last one's value: format it once. */
		if (!have_last || val != last) {
			char buf[MEASURE_BUF];
			strbuf_reset(&last_text);
			strbuf_addpad(&last_text, report_value(r, buf, val), VALUE_WIDTH);
			last = val;
			have_last = true;
		}
		sink_put(out, last_text.buf, last_text.len);
		const char *text = ft.text.buf + ft.off[stack[i]] + VALUE_WIDTH;
		sink_put(out, text, ft.off[stack[i] + 1] - ft.off[stack[i]] - VALUE_WIDTH);
		for (i++; i < depth; i++)
			sink_put(out, ft.text.buf + ft.off[stack[i]],
				 ft.off[stack[i] + 1] - ft.off[stack[i]]);
	}
	sink_adds(out, separator);
	frame_text_release(&ft);
	strbuf_release(&last_text);
	labels_buf_release(&lb);
	stack_buf_release(&sb);
	free(units);
	return 0;
}

const struct report_backend report_traces = {
	.name = "traces",
	.summary = "Every sample: its stack, leaf first, labels and value",
	.flags = REPORT_SAMPLES,
	.needs = { .input = REPORT_INPUT_LOCATIONS },
	.render = traces_render,
};
