/* Report destinations; see output.h. */
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/budget.h"
#include "util/sort.h"
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

int output_write_stdout(void *ctx, const char *data, size_t n)
{
	if (output_write_fd(ctx, data, n) == 0)
		return 0;
	if (errno == EPIPE)
		exit(0);
	return -1;
}

/* A temporary name, while one exists, to remove if a signal ends cprof. The handlers are
 * installed only for signals whose action is the default (a SIGHUP ignored under nohup stays
 * ignored). */
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
static char pending[4096];
static volatile sig_atomic_t have_pending;
static struct sigaction saved[ARRAY_SIZE(caught)];
static bool installed[ARRAY_SIZE(caught)];

static void on_signal(int sig)
{
	if (have_pending)
		unlink(pending);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The same when cprof exits for lack of memory (its budget, or out of memory). */
static void drop_pending(void)
{
	if (have_pending)
		unlink(pending);
	have_pending = 0;
}

static void guard(const char *name)
{
	if (strlen(name) >= sizeof(pending))
		return;
	strcpy(pending, name);
	have_pending = 1;
	budget_on_exit(drop_pending);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(caught); i++) {
		struct sigaction old;
		installed[i] = sigaction(caught[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
			       sigaction(caught[i], &sa, &saved[i]) == 0;
	}
}

static void unguard(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(caught); i++)
		if (installed[i])
			sigaction(caught[i], &saved[i], NULL);
	have_pending = 0;
}

/* The length of path's directory part, its final "/" included (0: none). */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) + 1 : 0;
}

/* Whether path names something under /proc once its directories are resolved: a magic link
 * such as /dev/stdout's /proc/self/fd/1, whose "target" is no file to replace. */
static bool under_proc(const char *path)
{
	size_t n = dir_len(path);
	char *dir = xmalloc(n + 2);
	memcpy(dir, path, n);
	strcpy(dir + n, ".");
	char *real = realpath(dir, NULL);
	bool proc = real && (strcmp(real, "/proc") == 0 || strncmp(real, "/proc/", 6) == 0);
	free(real);
	free(dir);
	return proc;
}

/* Follows path's symbolic links to what writing it would reach. Returns that path (the
 * caller frees it), or NULL with errno set (ELOOP); sets *magic if a step leads into /proc. */
static char *follow_links(const char *path, bool *magic)
{
	char *cur = xstrdup(path);
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		if (under_proc(cur))
			*magic = true;
		if (*magic || lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return cur;
		/* st_size may be 0 (some file systems): read up to PATH_MAX. A link gone meanwhile
		 * leaves the path as it stands, for open to judge. */
		char *link = xmalloc(PATH_MAX + 1);
		ssize_t n = readlink(cur, link, PATH_MAX + 1);
		if (n < 0 || n > PATH_MAX) {
			free(link);
			return cur;
		}
		link[n] = '\0';
		size_t keep = link[0] == '/' ? 0 : dir_len(cur);
		char *next = xmalloc(keep + (size_t)n + 1);
		memcpy(next, cur, keep);
		memcpy(next + keep, link, (size_t)n + 1);
		free(link);
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

/* Writing the destination itself, as pprof does. */
static int open_in_place(struct output *o)
{
	o->in_place = true;
	return open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
}

/* A new name in target's directory for a file to be renamed over it: short, so that a
 * target of the longest valid name still has one. */
static char *temp_name(const struct output *o)
{
	size_t n = dir_len(o->target);
	char *name = xmalloc(n + sizeof(".cprof-XXXXXX"));
	memcpy(name, o->target, n);
	strcpy(name + n, ".cprof-XXXXXX");
	return name;
}

/* The new file: unnamed in target's directory where the system can (it then vanishes with
 * the process however it ends), else under a temporary name. Gets the mode a new file gets. */
static int open_new(struct output *o)
{
	size_t n = dir_len(o->target);
	char *dir = xmalloc(n + 2);
	memcpy(dir, o->target, n);
	strcpy(dir + n, ".");
	int fd = -1;
#ifdef O_TMPFILE
	if (access("/proc/self/fd", X_OK) == 0) /* linkat names the file through /proc */
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT) {
		free(dir);
		return -1;
	}
#endif
	free(dir);
	if (fd >= 0)
		return fd;
	o->tmp = temp_name(o);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	guard(o->tmp);
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		unguard();
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return -1;
	}
	return fd;
}

/* Gives fd the replaced file's owner (where cprof may) and mode. */
static int keep_attributes(const struct output *o, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if ((st.st_uid != o->uid || st.st_gid != o->gid) && fchown(fd, o->uid, o->gid) < 0)
		return -1;
	return fchmod(fd, o->mode);
}

static void drop_new(struct output *o, int fd)
{
	close(fd);
	if (o->tmp) {
		unlink(o->tmp);
		unguard();
		free(o->tmp);
		o->tmp = NULL;
	}
}

/* -output's file: see output.h for which paths are replaced and which written in place. */
static int open_output(struct output *o)
{
	bool magic = false;
	o->target = follow_links(o->path, &magic);
	if (!o->target)
		return -1;
	struct stat st;
	if (magic)
		return open_in_place(o);
	if (stat(o->target, &st) == 0) {
		if (!S_ISREG(st.st_mode) || st.st_nlink > 1)
			return open_in_place(o);
		o->exists = true;
		o->mode = st.st_mode & 07777;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
	} else if (errno != ENOENT) {
		return -1;
	}
	int fd = open_new(o);
	/* A file cprof may write but not replace (its directory is not writable) is written. */
	if (fd < 0 && o->exists && (errno == EACCES || errno == EPERM || errno == EROFS))
		return open_in_place(o);
	if (fd >= 0 && o->exists && keep_attributes(o, fd) < 0) {
		drop_new(o, fd);
		return open_in_place(o);
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
		o->fd = o->path ? open_output(o) : open_away(o);
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

/* Names the finished unnamed file: target itself when it is new, else a temporary name to
 * be renamed over it (linkat cannot replace). */
static int name_unnamed(struct output *o)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	if (!o->exists) {
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->target, AT_SYMLINK_FOLLOW) == 0) {
			o->linked_new = true;
			return 0;
		}
		if (errno != EEXIST) /* made meanwhile: replace it as any other */
			return -1;
	}
	for (int tries = 0; tries < 100; tries++) {
		char *name = temp_name(o);
		/* mkstemp's letters without its file: make one, take its name, remove it. */
		int fd = mkstemp(name);
		if (fd < 0) {
			free(name);
			return -1;
		}
		close(fd);
		unlink(name);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
			o->tmp = name;
			guard(name);
			return 0;
		}
		free(name);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static void remove_file(struct output *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp) {
		unlink(o->tmp);
		unguard();
	} else if (o->linked_new) {
		unlink(o->target);
	} else if (o->name[0]) {
		unlink(o->name);
	}
	free(o->tmp);
	o->tmp = NULL;
	free(o->target);
	o->target = NULL;
}

/* Puts -output's finished file in place (nothing to do when it was written in place). */
static int put_in_place(struct output *o)
{
	if (o->path && !o->in_place && !o->tmp && name_unnamed(o) < 0)
		return -1;
	int rc = close(o->fd);
	o->fd = -1;
	if (rc == 0 && o->tmp)
		rc = rename(o->tmp, o->target);
	return rc;
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
	if (rc == 0)
		rc = put_in_place(o);
	if (rc == 0) {
		if (o->tmp)
			unguard();
		free(o->tmp);
		o->tmp = NULL;
		free(o->target);
		o->target = NULL;
		sink_release(&o->file);
		return 0;
	}
	int saved_errno = errno;
	remove_file(o);
	sink_release(&o->file);
	if (o->path)
		return error_set(err, "%s: %s", o->path, strerror(saved_errno));
	return error_set(err, "profileNNN.%s: %s", o->away, strerror(saved_errno));
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
