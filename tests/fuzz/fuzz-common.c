/* The fuzz targets' shared helpers; see fuzz-common.h. */
#include "fuzz-common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/diff.h"
#include "cli/flags.h"
#include "cli/select.h"
#include "model/compact.h"
#include "model/symbolize.h"
#include "pprof/decode.h"
#include "pprof/encode.h"
#include "pprof/load.h"
#include "symbolize/demangle.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void fz_init(struct fz *f, const uint8_t *data, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->data = data;
	f->size = size;
	const size_t m = sizeof(FZ_MAGIC) - 1;
	if (size > m && memcmp(data + size - m, FZ_MAGIC, m) == 0) {
		size_t n = data[size - m - 1];
		if (n + m + 1 <= size) {
			f->size = size - m - 1 - n;
			f->ctl = data + f->size;
			f->n_ctl = n;
			return;
		}
	}
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3u;
	f->rng = h;
}

unsigned fz_byte(struct fz *f)
{
	if (f->ctl)
		return f->pos < f->n_ctl ? f->ctl[f->pos++] : 0;
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15u); /* splitmix64 */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return (unsigned)((z ^ (z >> 31)) & 0xff);
}

uint32_t fz_u32(struct fz *f)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | fz_byte(f);
	return v;
}

unsigned fz_below(struct fz *f, unsigned n)
{
	/* One byte when it is enough, so that a mutated byte changes one choice. */
	return n <= 256 ? fz_byte(f) % n : fz_u32(f) % n;
}

bool fz_one_in(struct fz *f, unsigned n)
{
	return fz_below(f, n) == 0;
}

void fz_str(struct fz *f, char *buf, size_t cap)
{
	static const char alphabet[] = "ab.*+?|()[]^$\\{}019=:,-kmgbs%_ ";
	size_t len = fz_byte(f), n = 0;
	if (!f->ctl)
		len %= 9;
	while (n < len && n + 1 < cap) {
		unsigned c = fz_byte(f);
		if (!f->ctl)
			c = (unsigned char)alphabet[c % (sizeof(alphabet) - 1)];
		if (c == 0)
			break;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
}

void fz_memfile_init(struct fz_memfile *m, const uint8_t *data, size_t n)
{
	m->fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (m->fd < 0) {
		perror("fuzz: memfd_create");
		abort();
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(m->fd, data + done, n - done);
		if (w <= 0) {
			perror("fuzz: writing a memory file");
			abort();
		}
		done += (size_t)w;
	}
	snprintf(m->path, sizeof(m->path), "/proc/self/fd/%d", m->fd);
}

void fz_memfile_release(struct fz_memfile *m)
{
	close(m->fd);
	m->fd = -1;
}

struct profile *fz_load(const uint8_t *data, size_t n, size_t max)
{
	struct instream *in = instream_memory(data, n, max);
	struct profile *p = profile_new();
	struct cprof_error err = { "" };
	int rc = decode_stream(in, p, &err);
	instream_close(in);
	if (rc < 0) {
		profile_free(p);
		return NULL;
	}
	profile_set_main_binary(p, NULL, NULL);
	return p;
}

/* What the targets inflate at most. An input of 8 KB can inflate to megabytes of one
 * location with millions of lines, whose call tree is millions of nodes: linear, but over
 * the 10-second limit in a sanitized build. 1 MiB keeps every path (the cap's error too)
 * and such inputs within a second. */
#define FZ_MAX_INFLATED ((size_t)1 << 20)

struct profile *fz_load_single(const uint8_t *data, size_t n, const struct report_backend *b)
{
	struct profile *p = fz_load(data, n, FZ_MAX_INFLATED);
	/* As the command line decides (sources_load). */
	if (p && profile_compact_needed(p, (b->flags & REPORT_SAMPLES) != 0,
					(b->flags & REPORT_IDS) != 0)) {
		struct profile *merged = profile_compact(p);
		profile_free(p);
		p = merged;
	} else if (p) {
		profile_dedup_comments(p);
	}
	return p;
}

/* A string of p chosen by f (never one with a NUL: flags are C strings). */
static const char *some_string(struct fz *f, const struct profile *p)
{
	if (p->strs.count <= 1)
		return "";
	uint32_t id = 1 + fz_u32(f) % (uint32_t)(p->strs.count - 1);
	const char *s = strtab_get(&p->strs, id);
	return strlen(s) == p->strs.len[id] ? s : "";
}

/* A label key of p (or any string when it has no labels). */
static const char *some_label_key(struct fz *f, const struct profile *p)
{
	if (p->n_labels == 0)
		return some_string(f, p);
	return profile_str(p, p->labels[fz_u32(f) % p->n_labels].key);
}

/* Appends s to b as Go's regexp.QuoteMeta would, so that it matches itself. */
static void add_quoted(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s))
			strbuf_addch(b, '\\');
		strbuf_addch(b, *s);
	}
}

static void add_piece(struct fz *f, const struct profile *p, struct strbuf *b)
{
	static const char *const words[] = {
		".",           ".*",          "main",   "runtime\\.", "^$",      "a|b",
		"[",           "(",           "\\",     "x{2,3}",     "\\pL",    "(?i)RUN",
		"\\d+",        "[^/]",        "\\.go",  "(?s).",      "\\b",     "a{1001}",
		"[[:alpha:]]", "\\x{10FFFF}", "(?U)a+", "$^",         "\\Q.\\E", "é",
	};
	const char *s = some_string(f, p);
	/* Mostly names quoted or plain, which compile; raw bytes and names with their
	 * parentheses, which often do not, now and then. */
	switch (fz_below(f, 16)) {
	case 0: {
		char raw[64];
		fz_str(f, raw, sizeof(raw));
		strbuf_adds(b, raw);
		break;
	}
	case 1:
	case 2:
		strbuf_adds(b, words[fz_below(f, COUNT(words))]);
		break;
	case 3:
		strbuf_adds(b, s);
		break;
	case 4:
		strbuf_add(b, s, fz_below(f, (unsigned)strlen(s) + 1));
		break;
	case 5:
	case 6:
	case 7: { /* a part of a name */
		char *part = xstrndup(s, fz_below(f, (unsigned)strlen(s) + 1));
		add_quoted(b, part);
		free(part);
		break;
	}
	default:
		add_quoted(b, s);
		break;
	}
}

void fz_pattern(struct fz *f, const struct profile *p, char *buf, size_t cap)
{
	struct strbuf b = STRBUF_INIT;
	unsigned shape = fz_byte(f);
	if (shape & 1)
		strbuf_adds(&b, "^");
	if (shape & 2)
		strbuf_adds(&b, "(?i)");
	add_piece(f, p, &b);
	if (shape & 4) {
		strbuf_adds(&b, "|");
		add_piece(f, p, &b);
	}
	if (shape & 8)
		strbuf_adds(&b, "$");
	snprintf(buf, cap, "%s", strbuf_str(&b));
	strbuf_release(&b);
}

/* A number with a unit, as tag ranges are written. */
static void add_amount(struct fz *f, const struct profile *p, struct strbuf *b)
{
	static const char *const numbers[] = { "0",     "1",    "64",
					       "100",   "1.5",  "-1",
					       "1e3",   "0x10", "9223372036854775807",
					       "1e400", "" };
	static const char *const units[] = { "",    "b",   "kb",   "mb",    "gb", "tb",     "ms",
					     "s",   "ns",  "us",   "m",     "h",  "hrs",    "B",
					     "KiB", "kib", "byte", "bytes", "%",  "seconds" };
	if (fz_one_in(f, 4))
		strbuf_addf(b, "%u", fz_u32(f));
	else
		strbuf_adds(b, numbers[fz_below(f, COUNT(numbers))]);
	unsigned u = fz_below(f, COUNT(units) + 1);
	if (u < COUNT(units))
		strbuf_adds(b, units[u]);
	else if (p->n_labels) /* a unit the profile's labels use */
		strbuf_adds(b, profile_str(p, p->labels[fz_u32(f) % p->n_labels].num_unit));
}

void fz_tag_filter(struct fz *f, const struct profile *p, char *buf, size_t cap)
{
	struct strbuf b = STRBUF_INIT;
	if (fz_one_in(f, 2))
		strbuf_addf(&b, "%s=", some_label_key(f, p));
	switch (fz_below(f, 4)) {
	case 0: /* lo:hi */
		add_amount(f, p, &b);
		strbuf_addch(&b, ':');
		add_amount(f, p, &b);
		break;
	case 1: /* lo: or :hi or a single value */
		if (fz_one_in(f, 2))
			strbuf_addch(&b, ':');
		add_amount(f, p, &b);
		if (fz_one_in(f, 3))
			strbuf_addch(&b, ':');
		break;
	default: /* regexps, comma-separated */
		for (unsigned i = 0, n = 1 + fz_below(f, 3); i < n; i++) {
			char re[128];
			fz_pattern(f, p, re, sizeof(re));
			strbuf_addf(&b, "%s%s", i ? "," : "", re);
		}
		break;
	}
	snprintf(buf, cap, "%s", strbuf_str(&b));
	strbuf_release(&b);
}

void fz_args_add(struct fz_args *a, const char *fmt, ...)
{
	if (a->argc == (int)COUNT(a->argv))
		return;
	struct strbuf b = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	a->argv[a->argc++] = xstrdup(strbuf_str(&b));
	strbuf_release(&b);
}

void fz_args_release(struct fz_args *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
	a->argc = 0;
}

/* Adds "-name=value" with value one of values (NULL: the flag is left out). */
static void add_choice(struct fz *f, struct fz_args *a, const char *name, const char *const *values,
		       size_t n)
{
	const char *v = values[fz_below(f, (unsigned)n)];
	if (v)
		fz_args_add(a, "-%s=%s", name, v);
}

static void sample_flags(struct fz *f, const struct profile *p, struct fz_args *a)
{
	static const char *const shortcuts[] = { "-inuse_space",   "-inuse_objects", "-alloc_space",
						 "-alloc_objects", "-total_delay",   "-contentions",
						 "-mean_delay" };
	switch (fz_below(f, 16)) {
	case 0: /* now and then one past the end */
		fz_args_add(a, "-sample_index=%u", fz_below(f, (unsigned)p->n_types + 1));
		break;
	case 1:
		if (p->n_types)
			fz_args_add(a, "-sample_index=%s",
				    profile_str(p,
						p->types[fz_below(f, (unsigned)p->n_types)].type));
		break;
	case 2:
		fz_args_add(a, "%s", shortcuts[fz_below(f, COUNT(shortcuts))]);
		if (fz_one_in(f, 4))
			fz_args_add(a, "%s", shortcuts[fz_below(f, COUNT(shortcuts))]);
		break;
	case 3:
		if (fz_one_in(f, 8)) {
			char s[32];
			fz_str(f, s, sizeof(s));
			fz_args_add(a, "-sample_index=%s", s);
		}
		break;
	default:
		break;
	}
}

void fz_shape_flags(struct fz *f, const struct profile *p, struct fz_args *a)
{
	static const char *const grans[] = { "-functions", "-filefunctions", "-files", "-lines",
					     "-addresses" };
	static const char *const counts[] = { NULL, NULL, "0", "1", "3", "10", "80", "-5" };
	static const char *const fractions[] = { NULL, NULL, NULL, "0",   "0.01",  "0.2",
						 "1",  "2",  "-1", "NaN", "1e-300" };
	static const char *const units[] = { NULL, NULL, NULL, "minimum", "auto",  "ms", "s",
					     "kb", "mb", "B",  "ns",      "hours", "%",  "" };
	static const char *const divisors[] = { NULL, NULL,    NULL,  NULL,   NULL, "2", "0.001",
						"-3", "1e300", "NaN", "+Inf", "7",  "1", "0" };
	static const char *const symbolize[] = { NULL,
						 NULL,
						 "none",
						 "demangle=full",
						 "demangle=templates",
						 "demangle=none",
						 "force",
						 "local:force:demangle=full",
						 "fastlocal:bogus" };
	static const char *const bools[] = { "-noinlines",      "-cum",
					     "-flat",           "-mean",
					     "-compact_labels", "-call_tree",
					     "-drop_negative",  "-trim=false" };
	unsigned g = fz_below(f, 2 * COUNT(grans));
	if (g < COUNT(grans))
		fz_args_add(a, "%s", grans[g]);
	if (fz_one_in(f, 32)) /* two: pprof's "conflicting options" */
		fz_args_add(a, "%s", grans[fz_below(f, COUNT(grans))]);
	for (size_t i = 0; i < COUNT(bools); i++)
		if (fz_one_in(f, 5))
			fz_args_add(a, "%s", bools[i]);
	add_choice(f, a, "nodecount", counts, COUNT(counts));
	if (fz_one_in(f, 8))
		fz_args_add(a, "-nodecount=%u", fz_byte(f));
	add_choice(f, a, "nodefraction", fractions, COUNT(fractions));
	add_choice(f, a, "edgefraction", fractions, COUNT(fractions));
	add_choice(f, a, "unit", units, COUNT(units));
	add_choice(f, a, "divide_by", divisors, COUNT(divisors));
	add_choice(f, a, "symbolize", symbolize, COUNT(symbolize));
	sample_flags(f, p, a);
	if (fz_one_in(f, 16)) {
		char s[64];
		fz_str(f, s, sizeof(s));
		fz_args_add(a, "-add_comment=%s", s);
	}
	if (fz_one_in(f, 16))
		fz_args_add(a, "-trim_path=%s", some_string(f, p));
}

void fz_select_flags(struct fz *f, const struct profile *p, unsigned one_in, struct fz_args *a)
{
	static const char *const res[] = { "focus",     "ignore",     "hide",    "show",
					   "show_from", "prune_from", "tagshow", "taghide" };
	static const char *const tags[] = { "tagfocus", "tagignore" };
	char buf[512];
	for (size_t i = 0; i < COUNT(res); i++)
		if (fz_one_in(f, one_in)) {
			fz_pattern(f, p, buf, sizeof(buf));
			fz_args_add(a, "-%s=%s", res[i], buf);
		}
	for (size_t i = 0; i < COUNT(tags); i++)
		if (fz_one_in(f, one_in)) {
			fz_tag_filter(f, p, buf, sizeof(buf));
			fz_args_add(a, "-%s=%s", tags[i], buf);
		}
	if (fz_one_in(f, one_in))
		fz_args_add(a, "-tagroot=%s", some_label_key(f, p));
	if (fz_one_in(f, one_in))
		fz_args_add(a, "-tagleaf=%s,%s", some_label_key(f, p), some_label_key(f, p));
	if (fz_one_in(f, one_in))
		fz_args_add(a, "-relative_percentages");
}

static bool is_picture(const struct report_backend *b)
{
	return b->needs.visual && strcmp(b->name, "dot") != 0;
}

const struct report_backend *fz_backend(struct fz *f, unsigned pictures_one_in)
{
	const struct report_backend *text[64], *pictures[16];
	size_t n_text = 0, n_pictures = 0;
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		/* html runs the others through the command line's driver, which fz_run_report
		 * does not build; leaving it out also keeps the choices the corpus was made
		 * with. */
		if (b->flags & REPORT_COMPOSITE)
			continue;
		if (is_picture(b) && n_pictures < COUNT(pictures))
			pictures[n_pictures++] = b;
		else if (!is_picture(b) && n_text < COUNT(text))
			text[n_text++] = b;
	}
	if (n_pictures && fz_one_in(f, pictures_one_in))
		return pictures[fz_below(f, (unsigned)n_pictures)];
	return text[fz_below(f, (unsigned)n_text)];
}

/* The listings' source files: some text (lines made up from the choices), or pprof's "not
 * found" message, as pprof/source.c would leave them; the disk is never read. */
static void fill_sources(struct report *r, struct fz *f, bool sources)
{
	for (size_t i = 0; i < r->n_files; i++) {
		struct srcfile *sf = &r->files[i];
		if (!sources || fz_one_in(f, 3)) {
			sf->error = xstrdup("could not find file on path");
			continue;
		}
		struct strbuf text = STRBUF_INIT;
		unsigned lines = fz_below(f, 200);
		for (unsigned k = 1; k <= lines; k++)
			strbuf_addf(&text, "\tline %u%s", k, fz_one_in(f, 16) ? "\r\n" : "\n");
		if (fz_one_in(f, 4))
			strbuf_adds(&text, "no final newline");
		/* The file takes the buffer, which has room for the NUL it writes. */
		srcfile_set_text(sf, text.buf ? text.buf : xcalloc(1, 1), text.len);
	}
}

/* cli.c's write_profile, and a check on it: what cprof writes, cprof reads back. */
static int write_profile(const struct report_profile *rp, struct sink *out, struct cprof_error *err)
{
	struct strbuf buf = STRBUF_INIT;
	int rc = encode_profile_scaled(rp->prof, rp->ratio, &buf, err);
	if (rc == 0) {
		struct profile *back = fz_load((const uint8_t *)buf.buf, buf.len, SIZE_MAX);
		if (!back) {
			fprintf(stderr, "fuzz: cprof cannot read the profile it wrote\n");
			abort();
		}
		profile_free(back);
		sink_add(out, buf.buf, buf.len);
	}
	strbuf_release(&buf);
	return rc;
}

/* report_render, and when twice is set (and the report has no listing, which rendering
 * fills) once more: a report is the same bytes every time, as pprof's are. out is a memory
 * sink. */
static int render_twice(struct report *rep, const struct report_backend *b, struct sink *out,
			struct cprof_error *err, bool twice)
{
	size_t start = out->buf.len;
	int rc = report_render(rep, b, out, err);
	if (rc < 0 || !twice || rep->listing)
		return rc;
	struct sink again;
	sink_init_mem(&again);
	struct cprof_error err2 = { "" };
	if (report_render(rep, b, &again, &err2) < 0 || again.buf.len != out->buf.len - start ||
	    (again.buf.len && memcmp(again.buf.buf, out->buf.buf + start, again.buf.len) != 0)) {
		fprintf(stderr, "fuzz: the %s report differs when rendered again\n", b->name);
		abort();
	}
	sink_release(&again);
	return rc;
}

/* report_job from "the report options" on, once the selection is compiled. */
static int run(struct profile *p, const struct fz_report *r, struct config *g, struct select *sel,
	       const struct regex *re, struct sink *out, struct fz *f)
{
	struct cprof_error err = { "" };
	struct symbolize_mode sym;
	symbolize_parse(g->symbolize, &sym);
	sym.demangle = symbolize_demangle;
	symbolize_names(p, &sym);
	if (g->add_comment && *g->add_comment)
		profile_add_comment(p, g->add_comment);
	if (p->n_types == 0)
		return CLI_FAIL;
	select_prepare(sel, p, g->unit);
	if (is_picture(r->b)) { /* keep graphviz's layout fast: a few nodes, no call tree */
		if (g->nodecount < 0 || g->nodecount > 12)
			g->nodecount = 12;
		g->trim = true;
		g->call_tree = false;
	}
	struct report_options ro;
	const char *si;
	if (config_check(g, &si, &err) < 0 ||
	    config_report_options(g, si, r->b, p, "fuzz", &ro, &err) < 0)
		return CLI_USAGE;
	int64_t total = graph_total(p, ro.graph.sample_index, ro.graph.mean);
	select_apply(sel, p);
	if (g->sel.relative_percentages)
		total = graph_total(p, ro.graph.sample_index, ro.graph.mean);
	ro.symbol = r->param;
	ro.symbol_re = re;
	ro.active_filters = (const char *const *)sel->active;
	ro.n_active_filters = sel->n_active;
	struct report rep;
	report_init(&rep, p, &ro, total);
	bool md = r->b->flags & REPORT_MARKDOWN;
	struct diff_names regressed = { NULL, 0 };
	struct sink gate;
	sink_init_mem(&gate);
	if (r->diff && g->fail_above >= 0) {
		struct cprof_error verdict = { "" };
		struct gate_options go = { g->fail_above, g->min_samples, NULL };
		regressed.n = diff_gate(&rep, &go, md, &gate, &regressed.names, &verdict);
		rep.opt.graph.keep = diff_names_keep;
		rep.opt.graph.keep_ctx = &regressed;
	}
	if (r->diff) {
		const char *news[] = { "new" };
		const int64_t durations[2] = { 0, 0 };
		diff_header(out, &rep, "base", news, 1, durations, md);
	}
	int rc = report_prepare(&rep, r->b, &err);
	if (rc == 0) {
		fill_sources(&rep, f, r->sources);
		if (r->b->make_profile) {
			struct report_profile rp;
			r->b->make_profile(&rep, &rp);
			rc = write_profile(&rp, out, &err);
			report_profile_release(&rp);
		} else {
			rc = render_twice(&rep, r->b, out, &err, fz_one_in(f, 4));
		}
	}
	int status = rc < 0 ? CLI_FAIL : CLI_OK;
	if (rc == 0 && gate.buf.len)
		sink_add(out, gate.buf.buf, gate.buf.len);
	if (rc == 0 && regressed.n)
		status = CLI_REGRESSION;
	for (size_t i = 0; i < regressed.n; i++)
		free(regressed.names[i]);
	free(regressed.names);
	sink_release(&gate);
	report_release(&rep);
	return status;
}

/* For triage (CPROF_FUZZ_VERBOSE set): the run as a command line, before it runs. */
static void show_run(const struct fz_report *r, const struct fz_args *a)
{
	fprintf(stderr, "fuzz: cprof -%s%s", r->b->name, r->param ? "=" : "");
	if (r->param)
		fprintf(stderr, "'%s'", r->param);
	for (int i = 0; i < a->argc; i++)
		fprintf(stderr, " '%s'", a->argv[i]);
	fprintf(stderr, "%s\n", r->diff ? " (cprof diff)" : "");
}

int fz_run_report(struct profile *p, const struct fz_report *r, struct fz_args *a, struct sink *out,
		  struct fz *f)
{
	struct config_flags *cf = xcalloc(1, sizeof(*cf));
	config_define(cf);
	struct config *g = &cf->cfg;
	struct strlist pos = { 0 };
	struct select sel;
	memset(&sel, 0, sizeof(sel));
	struct regex *re = NULL;
	struct cprof_error err = { "" };
	int status = CLI_USAGE;
	bool verbose = getenv("CPROF_FUZZ_VERBOSE") != NULL;
	if (verbose)
		show_run(r, a);
	if (flags_parse(cf->flags, cf->n_flags, a->argc, a->argv, &pos, &err) == 0 &&
	    (!r->param || (re = regex_compile(r->param, &err)) != NULL) &&
	    select_compile(&sel, &g->sel, &err) == 0)
		status = run(p, r, g, &sel, re, out, f);
	if (verbose)
		fprintf(stderr, "fuzz: exit %d%s%s\n", status, err.msg[0] ? ": " : "", err.msg);
	select_release(&sel);
	regex_free(re);
	free(pos.items);
	config_release(g);
	free(cf);
	return status;
}
