/* What the fuzz targets share: splitting an input into a payload (a profile, or bytes to
 * write) and a control stream of choices (which report, which flags, where to split),
 * building flags and regexps from those choices, and running a report exactly as the
 * command line does after loading. Everything a target allocates through these helpers is
 * its own and freed by the matching _release. */
#ifndef CPROF_TESTS_FUZZ_COMMON_H
#define CPROF_TESTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/config.h"
#include "model/profile.h"
#include "report/report.h"
#include "util/error.h"

/* An input ends in a control trailer when its last bytes are CTL_MAGIC: then the byte
 * before the magic is n and the n bytes before that are the control stream; the rest is
 * the payload:   payload | control[n] | n | "cpfz"
 * Any other input is all payload, and its choices come from a generator seeded with a hash
 * of it, so that plain profiles (the seeds, testdata/) still get varied flags. */
#define FZ_MAGIC "cpfz"

struct fz {
	const uint8_t *data; /* the payload */
	size_t size;
	const uint8_t *ctl; /* the explicit control stream, or NULL */
	size_t n_ctl, pos;
	uint64_t rng; /* the generator, when there is no trailer */
};

void fz_init(struct fz *f, const uint8_t *data, size_t size);
/* The next choice byte: from the trailer (0 once it is used up) or the generator. */
unsigned fz_byte(struct fz *f);
uint32_t fz_u32(struct fz *f);
/* A choice in [0, n) (n >= 1). */
unsigned fz_below(struct fz *f, unsigned n);
/* True about once in n. */
bool fz_one_in(struct fz *f, unsigned n);
/* A short string (at most cap - 1 bytes, NUL-terminated, no NUL inside): bytes of the
 * trailer, or from the generator drawn from characters regexps and ranges are made of. */
void fz_str(struct fz *f, char *buf, size_t cap);

/* A memory file holding n bytes at data, named by path (/proc/self/fd/N); fd is closed by
 * fz_memfile_release. Aborts if the system cannot make one. */
struct fz_memfile {
	int fd;
	char path[64];
};
void fz_memfile_init(struct fz_memfile *m, const uint8_t *data, size_t n);
void fz_memfile_release(struct fz_memfile *m);

/* A profile from n bytes (gzip'd or not) as the command line loads one from a file:
 * streamed, capped at max, decoded, its main binary named. NULL if it does not load. */
struct profile *fz_load(const uint8_t *data, size_t n, size_t max);
/* The same with -max_size=16m, made ready for report b as sources_load leaves a single
 * profile: compacted for the reports that show samples one by one, else only its comments
 * deduplicated. */
struct profile *fz_load_single(const uint8_t *data, size_t n, const struct report_backend *b);

/* A regexp for the profile's names: one of its strings (a function or file name, a label
 * key or value), quoted or not, partial or anchored, or alternatives; sometimes raw bytes
 * of the control stream. Written to buf (cap bytes). */
void fz_pattern(struct fz *f, const struct profile *p, char *buf, size_t cap);
/* A tag filter value: "[key=]range" with units ("bytes=1kb:2mb", ":64", "100ms:") or
 * "[key=]regexp,regexp". */
void fz_tag_filter(struct fz *f, const struct profile *p, char *buf, size_t cap);

/* Command-line words, each owned (freed by fz_args_release). */
struct fz_args {
	char *argv[64];
	int argc;
};
void fz_args_add(struct fz_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fz_args_release(struct fz_args *a);

/* Adds the flags that shape a report (granularity, sorting, trimming, units, sample index,
 * -mean, -divide_by, -call_tree, -symbolize, ...), some of each, chosen by f. */
void fz_shape_flags(struct fz *f, const struct profile *p, struct fz_args *a);
/* Adds selection flags (-focus ... -taghide, -tagroot/-tagleaf, -relative_percentages);
 * each is set about once in one_in. */
void fz_select_flags(struct fz *f, const struct profile *p, unsigned one_in, struct fz_args *a);

/* A report backend chosen by f: every one of the registry, the graphviz pictures (svg,
 * png, pdf, ps, gif) only about once in pictures_one_in (they lay the graph out, which
 * takes milliseconds). */
const struct report_backend *fz_backend(struct fz *f, unsigned pictures_one_in);

/* What a run of a report needs beside the profile. */
struct fz_report {
	const struct report_backend *b;
	const char *param; /* list/weblist/peek's regexp, or NULL */
	bool diff;         /* cprof diff: the -fail-above gate runs after the report */
	bool sources;      /* give listed source files some text (else "not found") */
};

/* Parses a's flags as the command line does (unknown ones or bad values are the usage
 * errors they are, and end the run), applies them to p (which the filters change) and
 * renders r.b into out as cli.c's report_job does: profile symbolization and comments,
 * select_prepare, report options, totals, filters, report_prepare, the source files, the
 * report or its encoded profile, the diff gate. Pictures (graphviz) get at most 12 nodes
 * and no call tree, to keep the layout fast. Checks, which abort: a report rendered twice
 * gives the same bytes (now and then), and a profile cprof encodes (proto, topproto) loads
 * back. Returns the exit status cli_run would. */
int fz_run_report(struct profile *p, const struct fz_report *r, struct fz_args *a, struct sink *out,
		  struct fz *f);

#endif
