/* Saving a profile made from fetched sources where go tool pprof saves it; see fetched.h.
 * The directory is chosen, made and the file named as pprof's setTmpDir and newTempFile
 * do, and their messages are pprof's, errno included in Go's words. */
#include "cli/fetched.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pprof/encode.h"
#include "util/path.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* An errno as Go's syscall.Errno words it: strerror's text, first letter lowered. */
static void go_errno(struct strbuf *msg, int e)
{
	const char *s = strerror(e);
	strbuf_addch(msg, (char)tolower((unsigned char)s[0]));
	strbuf_adds(msg, s + 1);
}

/* Go's os.MkdirAll(path, 0755): 0, or -1 with its error ("mkdir P: not a directory") in
 * msg. */
static int mkdir_all(const char *path, struct strbuf *msg)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		strbuf_addf(msg, "mkdir %s: ", path);
		go_errno(msg, ENOTDIR);
		return -1;
	}
	size_t i = strlen(path);
	while (i > 0 && path[i - 1] == '/')
		i--;
	size_t j = i;
	while (j > 0 && path[j - 1] != '/')
		j--;
	if (j > 1) {
		char *parent = xstrndup(path, j - 1);
		int rc = mkdir_all(parent, msg);
		free(parent);
		if (rc < 0)
			return -1;
	}
	if (mkdir(path, 0755) == 0)
		return 0;
	int e = errno;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	strbuf_addf(msg, "mkdir %s: ", path);
	go_errno(msg, e);
	return -1;
}

/* Go's filepath.Join(dir, name). */
static char *join(const char *dir, const char *name)
{
	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "%s/%s", dir, name);
	char *out = xmalloc(s.len + 2);
	path_clean(out, s.buf);
	strbuf_release(&s);
	return out;
}

/* pprof's setTmpDir: $PPROF_TMPDIR, $HOME/pprof, then os.TempDir() ($TMPDIR or /tmp), the
 * first that MkdirAll accepts; NULL if none does. */
static char *pick_dir(void)
{
	const char *env = getenv("PPROF_TMPDIR"), *home = getenv("HOME"), *tmp = getenv("TMPDIR");
	char *dirs[3];
	size_t n = 0;
	if (env && *env)
		dirs[n++] = xstrdup(env);
	if (home && *home)
		dirs[n++] = join(home, "pprof");
	dirs[n++] = xstrdup(tmp && *tmp ? tmp : "/tmp");
	char *chosen = NULL;
	for (size_t i = 0; i < n; i++) {
		struct strbuf msg = STRBUF_INIT;
		if (!chosen && mkdir_all(dirs[i], &msg) == 0) {
			chosen = dirs[i];
			continue;
		}
		if (!chosen)
			fprintf(stderr, "Could not use temp dir %s: %s\n", dirs[i], msg.buf);
		strbuf_release(&msg);
		free(dirs[i]);
	}
	return chosen;
}

/* pprof's name for the saved profile, up to its number: "pprof.", the main binary's base
 * name and each sample type, each followed by a dot. */
static void name_prefix(const struct profile *p, struct strbuf *out)
{
	strbuf_adds(out, "pprof.");
	const char *file = p->n_mappings ? profile_str(p, p->mappings[0].file) : "";
	if (*file) {
		char *base = xmalloc(strlen(file) + 2);
		strbuf_addf(out, "%s.", path_base(base, file));
		free(base);
	}
	for (size_t i = 0; i < p->n_types; i++)
		strbuf_addf(out, "%s.", profile_str(p, p->types[i].type));
}

/* Writes all of data to the new file fd at path; on failure removes it and says why. */
static int write_file(int fd, const char *path, const struct strbuf *data, struct strbuf *msg)
{
	size_t done = 0;
	while (done < data->len) {
		ssize_t w = write(fd, data->buf + done, data->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			strbuf_addf(msg, "write %s: ", path);
			go_errno(msg, w < 0 ? errno : ENOSPC);
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t)w;
	}
	if (close(fd) < 0) {
		strbuf_addf(msg, "close %s: ", path);
		go_errno(msg, errno);
		unlink(path);
		return -1;
	}
	return 0;
}

/* pprof's newTempFile and Write: the first free PREFIXNNN.pb.gz in dir. */
static int save_in(const char *dir, const struct profile *p, struct strbuf *msg)
{
	struct strbuf data = STRBUF_INIT, prefix = STRBUF_INIT;
	struct cprof_error err;
	int rc = -1;
	if (encode_profile(p, &data, &err) < 0) {
		strbuf_adds(msg, err.msg);
		goto out;
	}
	name_prefix(p, &prefix);
	for (int i = 1; i < 10000; i++) {
		struct strbuf name = STRBUF_INIT;
		strbuf_addf(&name, "%s%03d.pb.gz", prefix.buf, i);
		char *path = join(dir, name.buf);
		strbuf_release(&name);
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST) {
			free(path);
			continue;
		}
		if (fd < 0) {
			strbuf_addf(msg, "open %s: ", path);
			go_errno(msg, errno);
		} else if (write_file(fd, path, &data, msg) == 0) {
			fprintf(stderr, "Saved profile in %s\n", path);
			rc = 0;
		}
		free(path);
		goto out;
	}
	strbuf_addf(msg, "could not create file of the form %s%03d.pb.gz", prefix.buf, 1);
out:
	strbuf_release(&data);
	strbuf_release(&prefix);
	return rc;
}

int fetched_save(const struct profile *p, struct cprof_error *err)
{
	char *dir = pick_dir();
	if (!dir)
		return error_set(err, "failed to identify temp dir");
	struct strbuf msg = STRBUF_INIT;
	if (save_in(dir, p, &msg) < 0)
		fprintf(stderr, "Could not save profile: %s\n", msg.buf);
	strbuf_release(&msg);
	free(dir);
	return 0;
}
