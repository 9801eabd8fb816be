/* Fuzz target for the -output writer (cli/output.c): slices of the payload, some repeated
 * past the sink's chunk size, are written through output_init/output_sink into a temporary
 * directory, at a destination the control bytes (see fuzz-common.h) set up: a new name, an
 * existing file with its own mode, a symbolic link (to a file, dangling, or through another
 * link), a file with a second hard link, a directory, /dev/null or /dev/full. The report is
 * then finished or discarded. Contract checks, which abort: a finished report reads back
 * exactly as written at the link's target or the file, a replaced file keeps its mode, a
 * link stays a link, a hard-linked file is written in place, a discarded report leaves the
 * old file (or no file), /dev/full fails with "No space left on device", a directory
 * fails, and no temporary file is ever left behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/output.h"
#include "fuzz-common.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum dest {
	NEW,         /* nothing at the path */
	EXISTING,    /* a regular file */
	LINK,        /* a symbolic link to a regular file */
	DANGLING,    /* a symbolic link to nothing */
	LINK_CHAIN,  /* a link to a link to a regular file */
	HARD_LINKED, /* a regular file with a second name */
	DIRECTORY,   /* a directory: the report fails */
	DEV_NULL,    /* written in place, nothing to read back */
	DEV_FULL,    /* written in place, fails once something is written */
	N_DESTS
};

static char dir[160]; /* short enough for every name made in it to fit in 256 bytes */

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "fuzz-output: %s: %s\n", what, path);
	abort();
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char path[512];
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0 && rmdir(path) < 0)
			fail("cannot clean up", path);
	}
	closedir(d);
}

static void at_exit(void)
{
	remove_dir();
	rmdir(dir);
}

/* The directory is made once per process and emptied before each run. */
static void setup_dir(void)
{
	if (!dir[0]) {
		/* $TMPDIR if set: a tmpfs such as /dev/shm makes files several times faster */
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/cprof-fuzz-output-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("fuzz-output: mkdtemp");
			abort();
		}
		atexit(at_exit);
	}
	remove_dir();
}

/* dir/name, in a buffer of the caller's. */
static const char *in_dir(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
	return buf;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchmod(fd, mode) < 0 || close(fd) < 0)
		fail("cannot set up", path);
}

/* The whole of the file at path, or false if it cannot be read. */
static bool read_file(const char *path, struct strbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[65536];
	for (ssize_t n; (n = read(fd, buf, sizeof(buf))) != 0;) {
		if (n < 0) {
			close(fd);
			return false;
		}
		strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	return true;
}

/* The destination: what -output names, and the file whose bytes the report should become
 * (NULL when none can be read back). */
struct target {
	enum dest dest;
	char path[256], file[256], other[256];
	mode_t mode;
};

static void set_up(struct fz *f, struct target *t)
{
	static const mode_t modes[] = { 0600, 0644, 0640, 0755, 0444, 0604 };
	char link2[256], out[256];
	in_dir(out, sizeof(out), "out");
	t->dest = (enum dest)fz_below(f, N_DESTS);
	t->mode = modes[fz_below(f, sizeof(modes) / sizeof(modes[0]))];
	in_dir(t->path, sizeof(t->path), fz_one_in(f, 4) ? "./out" : "out");
	in_dir(t->file, sizeof(t->file), "out");
	in_dir(t->other, sizeof(t->other), "other");
	switch (t->dest) {
	case NEW:
		break;
	case EXISTING:
		write_file(t->file, "old report\n", t->mode);
		break;
	case LINK:
	case DANGLING:
	case LINK_CHAIN:
		in_dir(t->file, sizeof(t->file), "target");
		if (t->dest != DANGLING)
			write_file(t->file, "old report\n", t->mode);
		/* relative or absolute, as a user may have made it */
		if (t->dest == LINK_CHAIN &&
		    (symlink("target", in_dir(link2, sizeof(link2), "link2")) < 0 ||
		     symlink(fz_one_in(f, 2) ? "link2" : link2, out) < 0))
			fail("cannot set up", link2);
		if (t->dest != LINK_CHAIN && symlink(fz_one_in(f, 2) ? "target" : t->file, out) < 0)
			fail("cannot set up", t->file);
		break;
	case HARD_LINKED:
		write_file(t->file, "old report\n", t->mode);
		if (link(t->file, t->other) < 0)
			fail("cannot set up", t->other);
		break;
	case DIRECTORY:
		if (mkdir(t->file, 0755) < 0)
			fail("cannot set up", t->file);
		break;
	case DEV_NULL:
	case DEV_FULL:
		snprintf(t->path, sizeof(t->path), "%s",
			 t->dest == DEV_NULL ? "/dev/null" : "/dev/full");
		t->file[0] = '\0';
		break;
	case N_DESTS:
		break;
	}
}

/* The report: slices of the payload, some repeated (up to about 256 KiB, so that the sink
 * hands over a few chunks before the end), through the sink's functions. */
static void write_report(struct fz *f, struct sink *out, struct strbuf *expect)
{
	static const size_t repeats[] = { 1, 1, 1, 2, 3, 64, 500, 2000 };
	const size_t most = (size_t)256 << 10;
	for (unsigned i = 0, n = fz_below(f, 8); i < n && expect->len < most; i++) {
		size_t off = f->size ? fz_u32(f) % f->size : 0;
		size_t len = f->size - off ? 1 + fz_u32(f) % (f->size - off) : 0;
		size_t times = repeats[fz_below(f, 8)];
		if (len && times > (most - expect->len) / len + 1)
			times = (most - expect->len) / len + 1;
		if (!len) { /* a run of one byte */
			size_t k = fz_below(f, 100000);
			sink_addchars(out, 'x', k);
			strbuf_addchars(expect, 'x', k);
			continue;
		}
		/* "%s" would end at a NUL */
		bool formatted = !memchr(f->data + off, 0, len) && fz_one_in(f, 4);
		for (size_t k = 0; k < times; k++) {
			if (formatted)
				sink_addf(out, "%.*s", (int)len, (const char *)f->data + off);
			else
				sink_add(out, f->data + off, len);
			strbuf_add(expect, f->data + off, len);
		}
	}
}

/* Only the names the destination was made of are in the directory: no temporary file. */
static void check_no_leftovers(void)
{
	DIR *d = opendir(dir);
	if (!d)
		fail("cannot read", dir);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		static const char *const known[] = { ".", "..", "out", "target", "link2", "other" };
		bool ok = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= strcmp(e->d_name, known[i]) == 0;
		if (!ok)
			fail("left behind", e->d_name);
	}
	closedir(d);
}

static void check_finished(const struct target *t, const struct strbuf *expect, int rc,
			   const struct cprof_error *err)
{
	bool must_fail = t->dest == DIRECTORY || (t->dest == DEV_FULL && expect->len > 0);
	if (rc < 0 && !must_fail)
		fail("the report failed", err->msg);
	if (rc == 0 && must_fail)
		fail("the report did not fail", t->path);
	if (t->dest == DEV_FULL && rc < 0 && !strstr(err->msg, strerror(ENOSPC)))
		fail("/dev/full failed for the wrong reason", err->msg);
	if (rc < 0 || !t->file[0])
		return;
	struct strbuf got = STRBUF_INIT;
	if (!read_file(t->file, &got) || got.len != expect->len ||
	    (got.len && memcmp(got.buf, expect->buf, got.len) != 0))
		fail("the report does not read back as written", t->file);
	strbuf_release(&got);
	struct stat st;
	if (t->dest != NEW && t->dest != DANGLING &&
	    (stat(t->file, &st) < 0 || (st.st_mode & 07777) != t->mode))
		fail("the replaced file lost its mode", t->file);
	char out[256];
	in_dir(out, sizeof(out), "out");
	if ((t->dest == LINK || t->dest == DANGLING || t->dest == LINK_CHAIN) &&
	    (lstat(out, &st) < 0 || !S_ISLNK(st.st_mode)))
		fail("the link was replaced", out);
	struct strbuf other = STRBUF_INIT;
	if (t->dest == HARD_LINKED &&
	    (!read_file(t->other, &other) || other.len != expect->len ||
	     (other.len && memcmp(other.buf, expect->buf, other.len) != 0)))
		fail("the hard-linked file was not written in place", t->other);
	strbuf_release(&other);
}

static void check_discarded(const struct target *t)
{
	struct strbuf got = STRBUF_INIT;
	bool there = t->file[0] && read_file(t->file, &got);
	if ((t->dest == NEW || t->dest == DANGLING) && there)
		fail("a discarded report left a file", t->file);
	if ((t->dest == EXISTING || t->dest == LINK || t->dest == LINK_CHAIN) &&
	    (!there || strcmp(strbuf_str(&got), "old report\n") != 0))
		fail("a discarded report harmed the old file", t->file);
	strbuf_release(&got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	fz_init(&f, data, size);
	setup_dir();
	struct target t;
	set_up(&f, &t);
	struct sink std; /* standard output: never used, as -output is set */
	sink_init_mem(&std);
	struct output o;
	output_init(&o, &std, fz_one_in(&f, 2), t.path, fz_one_in(&f, 2) ? "pb.gz" : NULL);
	struct strbuf expect = STRBUF_INIT;
	write_report(&f, output_sink(&o), &expect);
	if (fz_one_in(&f, 8)) {
		output_discard(&o);
		check_discarded(&t);
	} else {
		struct cprof_error err = { "" };
		int rc = output_finish(&o, &err);
		check_finished(&t, &expect, rc, &err);
	}
	if (std.buf.len)
		fail("the report went to standard output", t.path);
	check_no_leftovers();
	strbuf_release(&expect);
	sink_release(&std);
	return 0;
}
