/* cprof's entry point: runs the command line and is the only place that writes output,
 * prints errors and picks the exit status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* Writes data to path atomically: a temporary file beside it, renamed over it once
 * complete, so a failed run never leaves a half-written report. */
static int write_file(const char *path, const char *data, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return -1;
	snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	FILE *f = fdopen(fd, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;
	if (f)
		ok = (fclose(f) == 0) && ok;
	else
		close(fd);
	if (ok && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	int saved = errno;
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	struct cli_result res;
	strbuf_init(&res.out);
	res.output_path = NULL;
	struct cprof_error err = { "" };
	int status = cli_run(argc, argv, &res, &err);
	if (status != CLI_OK && status != CLI_REGRESSION) {
		fprintf(stderr, "cprof: %s\n", err.msg);
		strbuf_release(&res.out);
		return status;
	}
	if (res.output_path) {
		if (write_file(res.output_path, res.out.buf ? res.out.buf : "", res.out.len) < 0) {
			fprintf(stderr, "cprof: %s: %s\n", res.output_path, strerror(errno));
			status = CLI_FAIL;
		}
	} else if (res.out.len && (fwrite(res.out.buf, 1, res.out.len, stdout) != res.out.len ||
				   fflush(stdout) != 0 || ferror(stdout))) {
		if (errno != EPIPE) {
			fprintf(stderr, "cprof: writing standard output: %s\n", strerror(errno));
			status = CLI_FAIL;
		}
	}
	if (status == CLI_REGRESSION)
		fprintf(stderr, "cprof: %s\n", err.msg);
	strbuf_release(&res.out);
	return status;
}
