/* cprof's entry point: runs the command line with standard output as its sink and prints
 * its one-line error, if any. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/output.h"

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	int fd = STDOUT_FILENO;
	struct sink out;
	sink_init(&out, output_write_stdout, &fd);
	struct cprof_error err = { "" };
	int status = cli_run(argc, argv, &out, isatty(fd), &err);
	sink_release(&out);
	if (status != CLI_OK)
		fprintf(stderr, "cprof: %s\n", err.msg);
	return status;
}
