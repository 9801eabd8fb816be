/* cprof's entry point: runs the command line and is the only place that writes output,
 * prints errors and picks the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

/* Writes all of data to fd and closes it; -1 (errno set) if anything failed. */
static int write_all(int fd, const char *data, size_t len)
{
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		return -1;
	}
	int ok = fwrite(data, 1, len, f) == len;
	int saved = errno;
	if (fclose(f) != 0)
		return -1;
	errno = saved;
	return ok ? 0 : -1;
}

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
	/* mkstemp makes the file private; a report gets the mode any new file would. */
	mode_t mask = umask(0);
	umask(mask);
	int rc = fchmod(fd, 0666 & ~mask);
	if (rc < 0)
		close(fd);
	else
		rc = write_all(fd, data, len);
	if (rc == 0 && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	int saved = errno;
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

/* As pprof does for binary reports bound for a terminal: the output goes to the first free
 * name profile001.SUFFIX, profile002.SUFFIX, ... in the current directory, which is said on
 * standard error. Returns 0, or -1 with errno set and nothing left behind. */
static int write_away(const char *suffix, const char *data, size_t len)
{
	char name[64];
	for (int i = 1; i < 10000; i++) {
		snprintf(name, sizeof(name), "profile%03d.%s", i, suffix);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -1;
		fprintf(stderr, "Generating report in %s\n", name);
		if (write_all(fd, data, len) == 0)
			return 0;
		int saved = errno;
		unlink(name);
		errno = saved;
		return -1;
	}
	errno = EEXIST;
	return -1;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	struct cli_result res;
	strbuf_init(&res.out);
	res.output_path = NULL;
	res.away_suffix = NULL;
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
	} else if (res.away_suffix && isatty(STDOUT_FILENO)) {
		if (write_away(res.away_suffix, res.out.buf ? res.out.buf : "", res.out.len) < 0) {
			fprintf(stderr, "cprof: profileNNN.%s: %s\n", res.away_suffix, strerror(errno));
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
