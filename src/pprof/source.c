/* Source files for the listings: pprof's search (openSourceFile, trimPath), then the Go
 * module cache and GOROOT. */
#include "pprof/source.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/path.h"
#include "util/xalloc.h"

extern char **environ;

/* Bigger files are not source code; reading stops there. */
#define MAX_FILE (256u << 20)

struct source_reader {
	char *search_path, *trim_path;
	char *goroot; /* resolved once, when first needed */
	bool goroot_done;
};

struct source_reader *source_reader_new(const char *search_path, const char *trim_path)
{
	struct source_reader *sr = xcalloc(1, sizeof(*sr));
	if (search_path && *search_path) {
		sr->search_path = xstrdup(search_path);
	} else {
		char *cwd = getcwd(NULL, 0);
		sr->search_path = cwd ? cwd : xstrdup(".");
	}
	sr->trim_path = xstrdup(trim_path ? trim_path : "");
	return sr;
}

void source_reader_free(struct source_reader *sr)
{
	if (!sr)
		return;
	free(sr->search_path);
	free(sr->trim_path);
	free(sr->goroot);
	free(sr);
}

static bool can_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Go's filepath.Join(dir, rel) into out. */
static void join(struct strbuf *out, const char *dir, const char *rel)
{
	struct strbuf raw = STRBUF_INIT;
	if (*dir) {
		strbuf_adds(&raw, dir);
		if (*rel)
			strbuf_addch(&raw, '/');
	}
	strbuf_adds(&raw, rel);
	strbuf_reset(out);
	if (raw.len) {
		strbuf_grow(out, raw.len + 2);
		path_clean(out->buf, raw.buf);
		out->len = strlen(out->buf);
	}
	strbuf_release(&raw);
}

/* Go's filepath.Dir, in place. */
static void dir_of(struct strbuf *p)
{
	size_t i = p->len;
	while (i > 0 && p->buf[i - 1] != '/')
		i--;
	char *head = xstrndup(p->buf ? p->buf : "", i);
	strbuf_reset(p);
	strbuf_grow(p, i + 2);
	path_clean(p->buf, head);
	p->len = strlen(p->buf);
	free(head);
}

/* Go's syscall error strings are glibc's with a lower-case first letter. */
static void errno_text(struct strbuf *out, int e)
{
	const char *s = strerror(e);
	strbuf_addch(out, (char)tolower((unsigned char)s[0]));
	strbuf_adds(out, s + 1);
}

void source_escape_module(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z') {
			strbuf_addch(out, '!');
			strbuf_addch(out, (char)(s[i] - 'A' + 'a'));
		} else {
			strbuf_addch(out, s[i]);
		}
	}
}

/* Runs `go env GOROOT` (no shell) and returns its answer, or NULL. */
static char *go_env_goroot(void)
{
	int pfd[2];
	if (pipe(pfd) < 0)
		return NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	char *argv[] = { "go", "env", "GOROOT", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "go", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return NULL;
	}
	char buf[4096];
	size_t len = 0;
	for (;;) {
		ssize_t n = read(pfd[0], buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	close(pfd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || len == 0 || buf[0] != '/')
		return NULL;
	return xstrdup(buf);
}

/* $GOROOT, else `go env GOROOT`; asked at most once per reader. */
static const char *goroot(struct source_reader *sr)
{
	if (!sr->goroot_done) {
		sr->goroot_done = true;
		const char *env = getenv("GOROOT");
		sr->goroot = env && *env ? xstrdup(env) : go_env_goroot();
	}
	return sr->goroot;
}

/* $GOMODCACHE, else the first $GOPATH entry's pkg/mod, else $HOME/go/pkg/mod. */
static bool gomodcache(struct strbuf *out)
{
	const char *env = getenv("GOMODCACHE");
	if (env && *env) {
		strbuf_adds(out, env);
		return true;
	}
	env = getenv("GOPATH");
	if (env && *env) {
		strbuf_add(out, env, strcspn(env, ":"));
		strbuf_adds(out, "/pkg/mod");
		return true;
	}
	env = getenv("HOME");
	if (env && *env) {
		strbuf_adds(out, env);
		strbuf_adds(out, "/go/pkg/mod");
		return true;
	}
	return false;
}

/* The module cache: "module@version/file" (as -trimpath writes it, unescaped) is looked up
 * escaped; an absolute path is tried by each of its suffixes that starts before the
 * "@version" element (one of them is what follows the build machine's cache root). */
static bool find_in_modcache(const char *path, struct strbuf *found)
{
	const char *at = strchr(path, '@');
	if (!at)
		return false;
	const char *elem_end = at + strcspn(at, "/");
	if (!*elem_end)
		return false; /* no file below the module */
	struct strbuf cache = STRBUF_INIT, cand = STRBUF_INIT;
	bool ok = false;
	if (gomodcache(&cache)) {
		if (path[0] != '/') {
			strbuf_add(&cand, cache.buf, cache.len);
			strbuf_addch(&cand, '/');
			source_escape_module(&cand, path, (size_t)(elem_end - path));
			strbuf_adds(&cand, elem_end);
			ok = can_open(cand.buf);
		} else {
			for (const char *s = path; s && s < at && !ok; s = strchr(s + 1, '/')) {
				strbuf_reset(&cand);
				strbuf_add(&cand, cache.buf, cache.len);
				strbuf_adds(&cand, s);
				ok = can_open(cand.buf);
			}
		}
	}
	if (ok) {
		strbuf_reset(found);
		strbuf_add(found, cand.buf, cand.len);
	}
	strbuf_release(&cache);
	strbuf_release(&cand);
	return ok;
}

/* Whether a relative path's first element looks like a standard library package (Go's
 * rule: module paths outside the standard library have a dot there). */
static bool std_like(const char *rel)
{
	size_t n = strcspn(rel, "/");
	return n > 0 && rel[n] == '/' && memchr(rel, '.', n) == NULL;
}

/* $GOROOT/src: a standard-library path as -trimpath writes it ("runtime/proc.go"), or
 * what follows any "/src/" of another machine's GOROOT. */
static bool find_in_goroot(struct source_reader *sr, const char *path, struct strbuf *found)
{
	const char *rels[64];
	size_t n = 0;
	if (path[0] != '/') {
		if (std_like(path))
			rels[n++] = path;
	} else {
		for (const char *s = strstr(path, "/src/"); s && n < 64; s = strstr(s + 1, "/src/"))
			if (std_like(s + 5))
				rels[n++] = s + 5;
	}
	if (n == 0)
		return false;
	const char *root = goroot(sr);
	if (!root)
		return false;
	struct strbuf cand = STRBUF_INIT;
	bool ok = false;
	for (size_t i = 0; i < n && !ok; i++) {
		strbuf_reset(&cand);
		strbuf_adds(&cand, root);
		strbuf_adds(&cand, "/src/");
		strbuf_adds(&cand, rels[i]);
		ok = can_open(cand.buf);
	}
	if (ok) {
		strbuf_reset(found);
		strbuf_add(found, cand.buf, cand.len);
	}
	strbuf_release(&cand);
	return ok;
}

int source_find(const char *path, const char *search_path, const char *trim_path,
		struct strbuf *found)
{
	const char *p = path_trim(path, trim_path, search_path);
	if (p[0] == '/') {
		if (can_open(p)) {
			strbuf_adds(found, p);
			return 0;
		}
		int e = errno;
		strbuf_addf(found, "open %s: ", p);
		errno_text(found, e);
		return -1;
	}
	struct strbuf dir = STRBUF_INIT, cand = STRBUF_INIT, prev = STRBUF_INIT;
	int rc = -1;
	/* Each entry of the search path (split as Go's filepath.SplitList), then its
	 * parents up to the root. */
	for (const char *s = search_path; *search_path && rc < 0; s++) {
		size_t n = strcspn(s, ":");
		strbuf_reset(&dir);
		strbuf_add(&dir, s, n);
		for (;;) {
			join(&cand, dir.buf ? dir.buf : "", p);
			if (cand.len && can_open(cand.buf)) {
				strbuf_add(found, cand.buf, cand.len);
				rc = 0;
				break;
			}
			strbuf_reset(&prev);
			strbuf_add(&prev, dir.buf ? dir.buf : "", dir.len);
			dir_of(&dir);
			if (strcmp(prev.buf ? prev.buf : "", dir.buf) == 0)
				break;
		}
		s += n;
		if (!*s)
			break;
	}
	if (rc < 0)
		strbuf_addf(found, "could not find file %s on path %s", p, search_path);
	strbuf_release(&dir);
	strbuf_release(&cand);
	strbuf_release(&prev);
	return rc;
}

/* Reads the whole file name into f (at most MAX_FILE bytes). Errors while reading leave
 * the lines read so far, as pprof does. */
static void read_text(struct srcfile *f, const char *name)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		XGROW(data, cap, len + 65536 + 1);
		ssize_t n = read(fd, data + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len >= MAX_FILE)
			break;
	}
	close(fd);
	srcfile_set_text(f, data, len);
}

void source_read(struct source_reader *sr, struct srcfile *f)
{
	struct strbuf found = STRBUF_INIT, extra = STRBUF_INIT;
	if (source_find(f->path, sr->search_path, sr->trim_path, &found) == 0) {
		read_text(f, found.buf);
	} else {
		/* Beyond pprof: the module cache, then GOROOT; the message stays pprof's. */
		const char *p = path_trim(f->path, sr->trim_path, sr->search_path);
		if (find_in_modcache(p, &extra) || find_in_goroot(sr, p, &extra))
			read_text(f, extra.buf);
		else
			f->error = xstrdup(found.buf);
	}
	strbuf_release(&found);
	strbuf_release(&extra);
}
