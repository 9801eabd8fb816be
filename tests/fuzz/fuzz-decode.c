/* Fuzz target for the whole pipeline a profile goes through: the bytes are decoded from
 * memory, and if that works they are loaded (gzip or not, through the same reader as
 * files), decoded, and reported by cprof's top under a few flag sets, exactly as the
 * command line would run them. Built with libFuzzer's main (-Dfuzz=true) or with
 * replay.c's, which feeds it files and directories. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/profile.h"
#include "pprof/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Flag sets that reach different parts of the graph and report code. */
static const char *const runs[][8] = {
	{ "-top", NULL },
	{ "-top", "-cum", "-lines", "-nodecount=5", NULL },
	{ "-top", "-addresses", "-mean", "-unit=auto", "-sample_index=0", NULL },
	{ "-top", "-files", "-noinlines", "-divide_by=3", "-nodefraction=0.1", NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Decoding from memory first is cheap (no thread, no file); only a profile that decodes
	 * goes on through the command line, so most mutants cost one decode. */
	struct profile *p = profile_new();
	struct cprof_error derr = { "" };
	int decoded = decode_profile(data, size, p, &derr);
	profile_free(p);
	if (decoded < 0)
		return 0;

	/* The loader reads paths; a memory file gives it one without touching the disk. */
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz-decode: memfd");
		abort();
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		char *argv[16] = { "cprof" };
		int argc = 1;
		for (size_t i = 0; runs[r][i]; i++)
			argv[argc++] = (char *)runs[r][i];
		/* Bombs fail fast instead of exhausting memory, and an 8 KB input inflating to
		 * megabytes of one location's lines stays within the timeout (fuzz-common.c's
		 * FZ_MAX_INFLATED says why). */
		argv[argc++] = "-max_size=1m";
		argv[argc++] = path;
		struct sink out; /* kept in memory, never written */
		sink_init_mem(&out);
		struct cprof_error err = { "" };
		int status = cli_run(argc, argv, &out, false, &err);
		sink_release(&out);
		(void)status;
	}
	close(fd);
	return 0;
}
