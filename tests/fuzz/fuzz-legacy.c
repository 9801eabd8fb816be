/* Fuzz targets for pprof's legacy formats, one per parser: built once per PARSER (a value
 * of enum legacy_parser, or READ for format detection, src/pprof/read.c, which gunzips
 * and tries profile.proto and every parser in turn, or FOLDED for cprof's folded stacks
 * parser, src/pprof/folded.c). The bytes go to that parser alone, every run; a
 * failure must say why. A profile it makes goes on through the command line (loader,
 * detection, parser, graph, reports), which costs a hundred times the parse: one run in
 * 512 with one of four reports, one in 2048 with all four (chosen by a hash of the input),
 * so that the parser has most of the time; the replay program (FZ_REPLAY) runs all four on
 * every input. Built with libFuzzer's main (-Dfuzz=true) or with replay.c's, which feeds it
 * files and directories. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fuzz-hash.h"
#include "model/profile.h"
#include "pprof/folded.h"
#include "pprof/legacy.h"
#include "pprof/load.h"
#include "pprof/read.h"

#ifndef PARSER
#error "build with -DPARSER=LEGACY_CPU (or another enum legacy_parser value, READ or FOLDED)"
#endif
#define READ (-1)
#define FOLDED (-2)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports that show what the parsers make: every address, every sample, the raw model. */
static const char *const runs[][6] = {
	{ "-raw", NULL },
	{ "-top", "-addresses", "-nodecount=10", NULL },
	{ "-traces", NULL },
	{ "-callgrind", "-sample_index=0", NULL },
};

/* Runs reports [first, last) of runs over the input. */
static void report(const uint8_t *data, size_t size, size_t first, size_t last)
{
	/* The loader reads paths; a memory file gives it one without touching the disk. */
	int fd = memfd_create("fuzz-legacy", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz-legacy: memfd");
		abort();
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (size_t r = first; r < last; r++) {
		char *argv[12] = { "cprof" };
		int argc = 1;
		for (size_t i = 0; runs[r][i]; i++)
			argv[argc++] = (char *)runs[r][i];
		argv[argc++] = "-max_size=2m";
		argv[argc++] = "-symbolize=none";
		argv[argc++] = path;
		struct sink out; /* kept in memory, never written */
		sink_init_mem(&out);
		struct cprof_error err = { "" };
		(void)cli_run(argc, argv, &out, false, &err);
		sink_release(&out);
	}
	close(fd);
}

#if PARSER == FOLDED
/* The lines of folded stacks that are not blank (space, tab, '\r'): one sample each. */
static size_t stack_lines(const uint8_t *data, size_t size)
{
	size_t n = 0;
	bool blank = true;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			n += !blank;
			blank = true;
		} else if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') {
			blank = false;
		}
	}
	return n;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cprof_error err = { "" };
	struct profile *p = NULL;
	int rc;
#if PARSER == READ
	struct instream *in = instream_memory(data, size, 2 << 20);
	p = read_profile(in, &err);
	instream_close(in);
	rc = p ? 0 : -1;
#elif PARSER == FOLDED
	p = profile_new();
	rc = folded_parse(data, size, p, &err);
	if (rc == -2 && err.msg[0]) {
		fprintf(stderr,
			"fuzz-legacy: folded stacks refused as not folded, with a message\n");
		abort();
	}
	if (rc == 0 && p->n_samples != stack_lines(data, size)) {
		fprintf(stderr, "fuzz-legacy: %zu folded samples from %zu stack lines\n",
			p->n_samples, stack_lines(data, size));
		abort();
	}
#else
	p = profile_new();
	rc = legacy_parse_one(PARSER, data, size, p, &err);
#endif
	if (rc == -1 && !err.msg[0]) {
		fprintf(stderr, "fuzz-legacy: a parser failed without saying why\n");
		abort();
	}
	profile_free(p);
	if (rc != 0)
		return 0;
	uint64_t h = fz_input_hash(data, size); /* which reports, if any */
	const size_t n_runs = sizeof(runs) / sizeof(runs[0]);
	size_t pick = (size_t)(h >> 32) % 2048;
#ifdef FZ_REPLAY
	pick = 4; /* replays (meson test) run every report on every input */
#endif
	if (pick < 4)
		report(data, size, pick % n_runs, pick % n_runs + 1);
	else if (pick == 4)
		report(data, size, 0, n_runs);
	return 0;
}
