/* Source files for the listings: pprof's search (openSourceFile, trimPath), then the Go
 * module cache and GOROOT. */
#include "pprof/source.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/path.h"
#include "util/xalloc.h"

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

/* Whether dir/src is a directory: dir looks like a Go tree. */
static bool has_src(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/src", dir);
	struct stat st;
	bool ok = stat(p.buf, &st) == 0 && S_ISDIR(st.st_mode);
	strbuf_release(&p);
	return ok;
}

/* The Go tree of the `go` command on $PATH, as the go command finds its own: the real
 * path of the executable, less "/bin/go". Nothing is run. */
static char *goroot_of_path(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	struct strbuf cand = STRBUF_INIT;
	char *root = NULL;
	for (const char *s = path; !root; s++) {
		size_t n = strcspn(s, ":");
		strbuf_reset(&cand);
		strbuf_add(&cand, s, n);
		strbuf_adds(&cand, n ? "/go" : "go");
		char *real = access(cand.buf, X_OK) == 0 ? realpath(cand.buf, NULL) : NULL;
		size_t len = real ? strlen(real) : 0;
		if (len > 7 && strcmp(real + len - 7, "/bin/go") == 0) {
			real[len - 7] = '\0';
			if (has_src(real))
				root = xstrdup(real);
		}
		free(real);
		s += n;
		if (!*s)
			break;
	}
	strbuf_release(&cand);
	return root;
}

/* $GOROOT, else the tree of the go on $PATH, else /usr/local/go or /usr/lib/go; found at
 * most once per reader, and never by running go (cprof runs no other program). */
static const char *goroot(struct source_reader *sr)
{
	if (!sr->goroot_done) {
		sr->goroot_done = true;
		const char *env = getenv("GOROOT");
		sr->goroot = env && *env ? xstrdup(env) : goroot_of_path();
		static const char *const usual[] = { "/usr/local/go", "/usr/lib/go" };
		for (size_t i = 0; !sr->goroot && i < 2; i++)
			if (has_src(usual[i]))
				sr->goroot = xstrdup(usual[i]);
	}
	return sr->goroot;
}

/* The Go release ("1.19") at s, which follows "go1." or "go/1." in a path, into out. */
static bool release_at(const char *s, char out[16])
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 8)
		return false;
	snprintf(out, 16, "1.%.*s", (int)n, s);
	return true;
}

/* The Go release a path names, if any: an element "go1.N..." (/usr/local/go1.21.3/src) or
 * "go/1.N..." (a CI tool cache: /opt/hostedtoolcache/go/1.26.5/x64/src). */
static bool path_release(const char *path, char out[16])
{
	for (const char *s = path; (s = strstr(s, "go")) != NULL; s += 2) {
		bool element = s == path || s[-1] == '/';
		if (element && strncmp(s, "go1.", 4) == 0 && release_at(s + 4, out))
			return true;
		if (element && strncmp(s, "go/1.", 5) == 0 && release_at(s + 5, out))
			return true;
	}
	return false;
}

/* The release of the Go tree at root, from its VERSION file ("go1.19.8"). */
static bool tree_release(const char *root, char out[16])
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/VERSION", root);
	FILE *f = fopen(p.buf, "r");
	strbuf_release(&p);
	char line[64] = "";
	bool ok = f && fgets(line, sizeof(line), f) && strncmp(line, "go1.", 4) == 0 &&
		  release_at(line + 4, out);
	if (f)
		fclose(f);
	return ok;
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
	/* A profile built by another Go release ran other code: its lines are not these. */
	char want[16], have[16];
	if (path_release(path, want) && tree_release(root, have) && strcmp(want, have) != 0)
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

/* A name with a NUL inside names no file (the system cannot open it): pprof's search
 * fails, an absolute name by open's error, any other after trying every directory. */
static int nul_in_path(const char *p, size_t plen, const char *search_path, struct strbuf *found)
{
	if (p[0] == '/') {
		strbuf_adds(found, "open ");
		strbuf_add(found, p, plen);
		strbuf_adds(found, ": ");
		errno_text(found, EINVAL);
	} else {
		strbuf_adds(found, "could not find file ");
		strbuf_add(found, p, plen);
		strbuf_addf(found, " on path %s", search_path);
	}
	return -1;
}

int source_find(const char *path, const char *search_path, const char *trim_path,
		struct strbuf *found)
{
	return source_find_n(path, strlen(path), search_path, trim_path, found);
}

int source_find_n(const char *path, size_t len, const char *search_path, const char *trim_path,
		  struct strbuf *found)
{
	const char *p = path_trim_n(path, len, trim_path, search_path);
	size_t plen = len - (size_t)(p - path);
	if (memchr(p, '\0', plen))
		return nul_in_path(p, plen, search_path, found);
	/* From here p is a C string: path's bytes end at len with a NUL. */
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
	size_t len = f->path_len ? f->path_len : strlen(f->path);
	struct strbuf found = STRBUF_INIT, extra = STRBUF_INIT;
	if (source_find_n(f->path, len, sr->search_path, sr->trim_path, &found) == 0) {
		read_text(f, found.buf);
	} else {
		/* Beyond pprof: the module cache, then GOROOT; the message stays pprof's. */
		const char *p = path_trim_n(f->path, len, sr->trim_path, sr->search_path);
		bool nul = memchr(p, '\0', len - (size_t)(p - f->path)) != NULL;
		if (!nul && (find_in_modcache(p, &extra) || find_in_goroot(sr, p, &extra))) {
			read_text(f, extra.buf);
			f->fallback = xstrdup(extra.buf);
		} else {
			f->error = xstrndup(found.buf, found.len);
			f->error_len = found.len;
		}
	}
	strbuf_release(&found);
	strbuf_release(&extra);
}
