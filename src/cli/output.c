/* Report destinations; see output.h. */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

int output_write_fd(void *ctx, const char *data, size_t n)
{
	int fd = *(int *)ctx;
	while (n > 0) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/* -output: a temporary file beside path, with the mode any new file would get (mkstemp
 * makes it private). */
static int open_temporary(struct output *o)
{
	size_t n = strlen(o->path) + 16;
	o->tmp = xmalloc(n);
	snprintf(o->tmp, n, "%s.tmpXXXXXX", o->path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) {
		int saved = errno;
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		errno = saved;
		return -1;
	}
	return fd;
}

/* The first free name profile001.SUFFIX, profile002.SUFFIX, ... in the current directory,
 * said on standard error. */
static int open_away(struct output *o)
{
	for (int i = 1; i < 10000; i++) {
		snprintf(o->name, sizeof(o->name), "profile%03d.%s", i, o->away);
		int fd = open(o->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0) {
			o->name[0] = '\0';
			return -1;
		}
		fprintf(stderr, "Generating report in %s\n", o->name);
		return fd;
	}
	o->name[0] = '\0';
	errno = EEXIST;
	return -1;
}

static int write_file(void *ctx, const char *data, size_t n)
{
	struct output *o = ctx;
	if (o->fd < 0)
		o->fd = o->path ? open_temporary(o) : open_away(o);
	if (o->fd < 0)
		return -1;
	return output_write_fd(&o->fd, data, n);
}

void output_init(struct output *o, struct sink *std, bool std_terminal, const char *path,
		 const char *away_suffix)
{
	memset(o, 0, sizeof(*o));
	o->std = std;
	o->fd = -1;
	o->path = path && *path ? path : NULL;
	o->away = !o->path && std_terminal ? away_suffix : NULL;
	if (o->path || o->away)
		sink_init(&o->file, write_file, o);
}

struct sink *output_sink(struct output *o)
{
	return o->path || o->away ? &o->file : o->std;
}

static void remove_file(struct output *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	else if (o->name[0])
		unlink(o->name);
	free(o->tmp);
	o->tmp = NULL;
}

int output_finish(struct output *o, struct cprof_error *err)
{
	if (!o->path && !o->away) {
		if (sink_finish(o->std) < 0 && errno != EPIPE) /* a closed pipe is no error */
			return error_set(err, "writing standard output: %s", strerror(errno));
		return 0;
	}
	int rc = sink_finish(&o->file);
	if (rc == 0 && o->fd < 0) /* nothing written: the file is still made, empty */
		rc = write_file(o, "", 0);
	if (rc == 0) {
		rc = close(o->fd);
		o->fd = -1;
	}
	if (rc == 0 && o->path)
		rc = rename(o->tmp, o->path);
	if (rc == 0) {
		free(o->tmp);
		o->tmp = NULL;
		sink_release(&o->file);
		return 0;
	}
	int saved = errno;
	remove_file(o);
	sink_release(&o->file);
	if (o->path)
		return error_set(err, "%s: %s", o->path, strerror(saved));
	return error_set(err, "profileNNN.%s: %s", o->away, strerror(saved));
}

void output_discard(struct output *o)
{
	if (!o->path && !o->away) {
		strbuf_reset(&o->std->buf);
		return;
	}
	remove_file(o);
	sink_release(&o->file);
}
