/* raw: the profile as text, as pprof's Profile.String() dumps it: header, samples with their
 * labels, locations with their lines, mappings. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/labels.h"
#include "report/report.h"
#include "util/digits.h"
#include "util/xalloc.h"

/* Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (no '.' when zero),
 * written backwards ending at *w; returns v / 10^prec. */
static uint64_t frac(char *buf, size_t *w, uint64_t v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

static void uint_back(char *buf, size_t *w, uint64_t v)
{
	*w = (size_t)(digits_u64(buf + *w, v) - buf);
}

/* Go's time.Duration.String(), e.g. "1m2.5s", "10ms", "1.5µs". */
static void go_duration(char out[40], int64_t d)
{
	char buf[40];
	size_t w = sizeof(buf);
	buf[--w] = '\0';
	bool neg = d < 0;
	uint64_t u = neg ? 0 - (uint64_t)d : (uint64_t)d;
	if (u < 1000000000) {
		int prec = 0;
		buf[--w] = 's';
		if (u == 0) {
			strcpy(out, "0s");
			return;
		} else if (u < 1000) {
			buf[--w] = 'n';
		} else if (u < 1000000) {
			prec = 3;
			w -= 2;
			memcpy(buf + w, "\xc2\xb5", 2); /* µ */
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		u = frac(buf, &w, u, prec);
		uint_back(buf, &w, u);
	} else {
		buf[--w] = 's';
		u = frac(buf, &w, u, 9);
		uint_back(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			uint_back(buf, &w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				uint_back(buf, &w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	strcpy(out, buf + w);
}

/* fmt's "%.4v": at most 4 characters (UTF-8 aware). */
static void add_runes(struct sink *out, const char *s, int max)
{
	const char *e = s;
	for (int n = 0; *e && n < max; n++) {
		e++;
		while ((*e & 0xc0) == 0x80)
			e++;
	}
	sink_add(out, s, (size_t)(e - s));
}

/* Go's time.Time.String() in the local zone: "2006-01-02 15:04:05.999999999 -0700 MST". */
static void go_time(struct sink *out, int64_t nanos)
{
	int64_t secs = nanos / 1000000000, ns = nanos % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		secs--;
	}
	time_t t = (time_t)secs;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		sink_addf(out, "%" PRId64, nanos);
		return;
	}
	sink_addf(out, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (ns) {
		char buf[16];
		size_t w = sizeof(buf);
		buf[--w] = '\0';
		frac(buf, &w, (uint64_t)ns, 9);
		sink_adds(out, buf + w);
	}
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	sink_addf(out, " %c%02ld%02ld", sign, off / 3600, off / 60 % 60);
	if (tm.tm_zone && *tm.tm_zone)
		sink_addf(out, " %s", tm.tm_zone);
	else
		sink_addf(out, " %c%02ld%02ld", sign, off / 3600, off / 60 % 60);
}

/* A profile string, every byte of it. */
static void add_str(struct sink *out, const struct profile *p, uint32_t id)
{
	sink_add(out, profile_str(p, id), profile_str_len(p, id));
}

static int cmp_items(const void *a, const void *b)
{
	const struct strbuf *x = a, *y = b;
	int c = memcmp(x->buf, y->buf, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* One sample's labels as "key:[v1 v2]" entries, sorted, space-separated. */
static void add_labels(struct sink *out, const struct profile *p, const struct sample *s,
		       bool numeric, struct labels_buf *lb)
{
	size_t n = labels_group(p, s, numeric, lb);
	if (n == 0)
		return;
	struct strbuf *items = xmalloc(n * sizeof(*items));
	for (size_t k = 0; k < n; k++) {
		const struct label_group *g = &lb->groups[k];
		struct strbuf sb = STRBUF_INIT;
		strbuf_add(&sb, profile_str(p, g->key), profile_str_len(p, g->key));
		strbuf_adds(&sb, ":[");
		for (uint32_t i = 0; i < g->n; i++) {
			const struct label *l = &p->labels[s->first_label + lb->at[g->first + i]];
			if (i)
				strbuf_addch(&sb, ' ');
			if (!numeric) {
				strbuf_add(&sb, profile_str(p, l->str), profile_str_len(p, l->str));
			} else if (g->has_units) {
				strbuf_addf(&sb, "%" PRId64 " ", l->num);
				strbuf_add(&sb, profile_str(p, l->num_unit),
					   profile_str_len(p, l->num_unit));
			} else {
				strbuf_addf(&sb, "%" PRId64, l->num);
			}
		}
		strbuf_addch(&sb, ']');
		items[k] = sb;
	}
	qsort(items, n, sizeof(*items), cmp_items);
	sink_adds(out, "\n                ");
	for (size_t k = 0; k < n; k++) {
		if (k)
			sink_addch(out, ' ');
		sink_add(out, items[k].buf, items[k].len);
		strbuf_release(&items[k]);
	}
	free(items);
}

static void add_location(struct sink *out, const struct profile *p, const struct location *l)
{
	struct strbuf head = STRBUF_INIT;
	strbuf_addf(&head, "%6" PRIu64 ": 0x%" PRIx64 " ", l->id, l->address);
	if (l->mapping != PROFILE_NONE)
		strbuf_addf(&head, "M=%" PRIu64 " ", p->mappings[l->mapping].id);
	if (l->is_folded)
		strbuf_adds(&head, "[F] ");
	if (l->n_lines == 0)
		sink_adds(out, head.buf);
	for (uint32_t k = 0; k < l->n_lines; k++) {
		const struct line *ln = &p->lines[l->first_line + k];
		if (k)
			sink_addch(out, '\n');
		sink_adds(out, k == 0 ? head.buf : "             ");
		if (ln->function == PROFILE_NONE) {
			sink_adds(out, "??");
			continue;
		}
		const struct function *f = &p->functions[ln->function];
		add_str(out, p, f->name);
		sink_addch(out, ' ');
		add_str(out, p, f->filename);
		sink_addf(out, ":%" PRId64 " s=%" PRId64, ln->line, f->start_line);
		if (f->name != f->system_name) {
			sink_addch(out, '(');
			add_str(out, p, f->system_name);
			sink_addch(out, ')');
		}
	}
	strbuf_release(&head);
}

static int raw_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	for (size_t i = 0; i < p->n_comments; i++) {
		sink_adds(out, "Comment: ");
		add_str(out, p, p->comments[i]);
		sink_addch(out, '\n');
	}
	/* pprof gives every profile a period type, empty when it has none. */
	sink_adds(out, "PeriodType: ");
	add_str(out, p, p->period_type.type);
	sink_addch(out, ' ');
	add_str(out, p, p->period_type.unit);
	sink_addch(out, '\n');
	sink_addf(out, "Period: %" PRId64 "\n", p->period);
	if (p->time_nanos) {
		sink_adds(out, "Time: ");
		go_time(out, p->time_nanos);
		sink_addch(out, '\n');
	}
	if (p->duration_nanos) {
		char d[40];
		go_duration(d, p->duration_nanos);
		sink_adds(out, "Duration: ");
		add_runes(out, d, 4);
		sink_addch(out, '\n');
	}
	sink_adds(out, "Samples:\n");
	for (size_t i = 0; i < p->n_types; i++) {
		/* Strings are interned: equal strings have equal ids. */
		if (i)
			sink_addch(out, ' ');
		add_str(out, p, p->types[i].type);
		sink_addch(out, '/');
		add_str(out, p, p->types[i].unit);
		if (p->types[i].type == p->default_sample_type)
			sink_adds(out, "[dflt]");
	}
	sink_addch(out, '\n');
	struct labels_buf lb = { 0 };
	struct stack_buf sb = { 0 };
	/* Each location's "ID " once, copied for every frame that names it. */
	struct strbuf ids = STRBUF_INIT;
	size_t *id_off = xmalloc((p->n_locations + 1) * sizeof(*id_off));
	for (size_t i = 0; i < p->n_locations; i++) {
		id_off[i] = ids.len;
		strbuf_addf(&ids, "%" PRIu64 " ", p->locations[i].id);
	}
	id_off[p->n_locations] = ids.len;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		const int64_t *v = profile_values(p, s);
		for (size_t i = 0; i < p->n_types; i++) {
			sink_addch(out, ' ');
			sink_add_int(out, v[i], 10);
		}
		sink_put(out, ": ", 2);
		const uint32_t *stack = profile_stack(p, sa->stack, &sb);
		for (uint32_t i = 0; i < p->stacks[sa->stack].depth; i++)
			sink_put(out, ids.buf + id_off[stack[i]],
				 id_off[stack[i] + 1] - id_off[stack[i]]);
		add_labels(out, p, sa, false, &lb);
		add_labels(out, p, sa, true, &lb);
		sink_addch(out, '\n');
	}
	strbuf_release(&ids);
	free(id_off);
	labels_buf_release(&lb);
	stack_buf_release(&sb);
	sink_adds(out, "Locations\n");
	for (size_t i = 0; i < p->n_locations; i++) {
		add_location(out, p, &p->locations[i]);
		sink_addch(out, '\n');
	}
	sink_adds(out, "Mappings\n");
	for (size_t i = 0; i < p->n_mappings; i++) {
		const struct mapping *m = &p->mappings[i];
		sink_addf(out, "%" PRIu64 ": 0x%" PRIx64 "/0x%" PRIx64 "/0x%" PRIx64 " ", m->id,
			  m->start, m->limit, m->offset);
		add_str(out, p, m->file);
		sink_addch(out, ' ');
		add_str(out, p, m->build_id);
		sink_addf(out, " %s%s%s%s\n", m->has_functions ? "[FN]" : "",
			  m->has_filenames ? "[FL]" : "", m->has_line_numbers ? "[LN]" : "",
			  m->has_inline_frames ? "[IN]" : "");
	}
	return 0;
}

const struct report_backend report_raw = {
	.name = "raw",
	.summary = "Everything the profile holds, dumped as text",
	.flags = REPORT_ADDRESSES | REPORT_SAMPLES | REPORT_IDS,
	.render = raw_render,
};
