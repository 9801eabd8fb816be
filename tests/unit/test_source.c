/* Unit tests for pprof/source and model/srcfile: pprof's search (trim prefixes, search path entries and
 * their parents), the module cache and GOROOT fallbacks (on fake trees made here), and
 * line splitting. Every expected file is one this test wrote, with its own contents. */
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pprof/source.h"
#include "tap.h"
#include "util/path.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char root[256];

static char *at(const char *rel)
{
	static char bufs[8][1024];
	static int k;
	char *b = bufs[k++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", root, rel);
	return b;
}

/* mkdir -p for the directory part of path, then writes data. */
static void put(const char *path, const char *data, size_t n)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *s = dir + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(dir, 0755);
			*s = '/';
		}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

static void puts_file(const char *path, const char *s)
{
	put(path, s, strlen(s));
}

/* The files the tests read, released at the end. */
static struct srcfile files[64];
static size_t n_files;

/* path read by sr, as a listing has it read. */
static const struct srcfile *read_file(struct source_reader *sr, const char *path)
{
	if (n_files == sizeof(files) / sizeof(files[0])) {
		printf("Bail out! more than %zu files read\n", n_files);
		exit(1);
	}
	struct srcfile *f = &files[n_files++];
	f->path = xstrdup(path);
	source_read(sr, f);
	return f;
}

static const char *source_line(struct source_reader *sr, const char *path, int64_t lineno)
{
	return srcfile_line(read_file(sr, path), lineno);
}

static const char *source_error(struct source_reader *sr, const char *path)
{
	return read_file(sr, path)->error;
}

/* The first line of the file the reader finds for path, or NULL. */
static const char *first_line(const char *search, const char *trim, const char *path)
{
	static char out[256];
	struct source_reader *sr = source_reader_new(search, trim);
	const char *l = source_line(sr, path, 1);
	snprintf(out, sizeof(out), "%s", l ? l : "");
	source_reader_free(sr);
	return l ? out : NULL;
}

static int is(const char *got, const char *want)
{
	return got && strcmp(got, want) == 0;
}

static void test_trim(void)
{
	tap_ok(is(path_trim("/proc/self/cwd/./a/b.go", NULL, NULL), "a/b.go"),
	       "trim /proc/self/cwd/./");
	tap_ok(is(path_trim("/proc/self/cwd/a/b.go", "", ""), "a/b.go"), "trim /proc/self/cwd/");
	tap_ok(is(path_trim("/r/x/a.go", "/q:/r/x", "/s/x"), "a.go"), "second trim prefix");
	tap_ok(is(path_trim("/r/x/a.go", "/r/x/", NULL), "a.go"), "trim prefix with its slash");
	tap_ok(is(path_trim("/r/xy/a.go", "/r/x", NULL), "/r/xy/a.go"),
	       "trim prefix is a directory");
	tap_ok(is(path_trim("/build/proj/x/a.go", NULL, "/q:/home/me/proj"), "x/a.go"),
	       "guessed from a search path entry's base name");
	tap_ok(is(path_trim("/build/proj/x/a.go", "/none", "/home/me/proj"), "/build/proj/x/a.go"),
	       "no guess once -trim_path is set");
	static const char nul[] = "/b\0/proj/x/a.go";
	tap_ok(is(path_trim_n(nul, sizeof(nul) - 1, NULL, "/home/me/proj"), "x/a.go"),
	       "guessed past a NUL in the name");
	tap_ok(path_trim_n(nul, 2, NULL, "/home/me/proj") == nul,
	       "nothing guessed from bytes past the length");
}

static void test_pprof_search(void)
{
	puts_file(at("ws/x/y.go"), "package y // ws\n");
	puts_file(at("other/x/y.go"), "package y // other\n");
	mkdir(at("ws/a"), 0755);
	mkdir(at("ws/a/b"), 0755);
	mkdir(at("empty"), 0755);

	tap_ok(is(first_line(at("ws/a/b"), NULL, "x/y.go"), "package y // ws"),
	       "relative path found in a parent of the search path");
	char sp[2048];
	snprintf(sp, sizeof(sp), "%s:%s", at("empty"), at("other"));
	tap_ok(is(first_line(sp, NULL, "x/y.go"), "package y // other"),
	       "second search path entry");
	snprintf(sp, sizeof(sp), "%s:%s", at("other"), at("ws"));
	tap_ok(is(first_line(sp, NULL, "x/y.go"), "package y // other"), "first entry wins");
	tap_ok(is(first_line(at("ws"), "/remote/build", "/remote/build/x/y.go"), "package y // ws"),
	       "-trim_path makes an absolute path relative");
	tap_ok(is(first_line(at("ws"), NULL, "/remote/ws/x/y.go"), "package y // ws"),
	       "search path base name guessed in an absolute path");
	tap_ok(is(first_line(at("empty"), NULL, at("ws/x/y.go")), "package y // ws"),
	       "absolute path opened as is");

	struct strbuf sb = STRBUF_INIT;
	tap_ok(source_find("x/none.go", "/nowhere:/else", NULL, &sb) == -1 &&
		       is(strbuf_str(&sb), "could not find file x/none.go on path /nowhere:/else"),
	       "relative not found: pprof's message (%s)", strbuf_str(&sb));
	strbuf_reset(&sb);
	tap_ok(source_find("/nowhere/none.go", "/x", "", &sb) == -1 &&
		       is(strbuf_str(&sb), "open /nowhere/none.go: no such file or directory"),
	       "absolute not found: Go's open error (%s)", strbuf_str(&sb));
	/* A NUL in the name: the bytes before it name a file that exists, but no file has
	 * the whole name, and the message quotes every byte. */
	static const char rel[] = "x/y.go\0z", abs_want[] = "open /etc/passwd\0z: invalid argument";
	char want[256];
	int wn = snprintf(want, sizeof(want), "could not find file x/y.go%cz on path %s", '\0',
			  at("ws"));
	strbuf_reset(&sb);
	tap_ok(source_find_n(rel, sizeof(rel) - 1, at("ws"), NULL, &sb) == -1 &&
		       sb.len == (size_t)wn && memcmp(sb.buf, want, sb.len) == 0,
	       "a relative name with a NUL is not found");
	strbuf_reset(&sb);
	tap_ok(source_find_n("/etc/passwd\0z", 13, "/x", NULL, &sb) == -1 &&
		       sb.len == sizeof(abs_want) - 1 && memcmp(sb.buf, abs_want, sb.len) == 0,
	       "an absolute name with a NUL: open's invalid argument");
	strbuf_release(&sb);
}

static void test_lines(void)
{
	puts_file(at("lines/crlf.go"), "one\r\ntwo\r\n\r\nlast");
	struct source_reader *sr = source_reader_new(at("lines"), NULL);
	tap_ok(is(source_line(sr, "crlf.go", 1), "one") &&
		       is(source_line(sr, "crlf.go", 2), "two") &&
		       is(source_line(sr, "crlf.go", 3), "") &&
		       is(source_line(sr, "crlf.go", 4), "last"),
	       "lines split at \\n, \\r dropped, last line without newline kept");
	tap_ok(!source_line(sr, "crlf.go", 0) && !source_line(sr, "crlf.go", 5) &&
		       !source_error(sr, "crlf.go"),
	       "line 0 and past the end are absent, not errors");
	tap_ok(!source_line(sr, "missing.go", 1) && source_error(sr, "missing.go") != NULL,
	       "a missing file is an error");
	mkdir(at("lines/dir.go"), 0755);
	tap_ok(!source_line(sr, "dir.go", 1) && !source_error(sr, "dir.go"),
	       "a directory opens but has no lines (as Go's os.Open and Scanner)");
	source_reader_free(sr);

	/* Go's Scanner stops at a line longer than 64 KiB, keeping the lines before it. */
	size_t n = 70000;
	char *big = xmalloc(n + 64);
	memcpy(big, "first\n", 6);
	memset(big + 6, 'x', n);
	memcpy(big + 6 + n, "\nafter\n", 7);
	put(at("lines/long.go"), big, n + 13);
	free(big);
	sr = source_reader_new(at("lines"), NULL);
	tap_ok(is(source_line(sr, "long.go", 1), "first") && !source_line(sr, "long.go", 2) &&
		       !source_line(sr, "long.go", 3),
	       "reading stops at a line over 64 KiB");
	source_reader_free(sr);
}

static void test_modcache(void)
{
	puts_file(at("mod/github.com/!foo/bar@v1.2.3/pkg/x.go"), "package x // modcache\n");
	puts_file(at("gopath/pkg/mod/golang.org/x/t@v0.1.0/a.go"), "package a // gopath\n");
	puts_file(at("home/go/pkg/mod/example.com/!m@v1.0.0-!r!c1/m.go"), "package m // home\n");
	setenv("GOROOT", at("nogoroot"), 1);

	setenv("GOMODCACHE", at("mod"), 1);
	tap_ok(is(first_line(at("empty"), NULL, "github.com/Foo/bar@v1.2.3/pkg/x.go"),
		  "package x // modcache"),
	       "-trimpath module path is escaped into $GOMODCACHE");
	tap_ok(is(first_line(at("empty"), NULL,
			     "/home/bob/go/pkg/mod/github.com/!foo/bar@v1.2.3/pkg/x.go"),
		  "package x // modcache"),
	       "another machine's module cache path");
	tap_ok(is(first_line(at("empty"), NULL, "/ci/cache/github.com/!foo/bar@v1.2.3/pkg/x.go"),
		  "package x // modcache"),
	       "another machine's custom cache root");
	tap_ok(!first_line(at("empty"), NULL, "github.com/Foo/bar@v9.9.9/pkg/x.go"),
	       "another version is not found");

	unsetenv("GOMODCACHE");
	char gp[2048];
	snprintf(gp, sizeof(gp), "%s:%s", at("gopath"), at("unused"));
	setenv("GOPATH", gp, 1);
	tap_ok(is(first_line(at("empty"), NULL, "golang.org/x/t@v0.1.0/a.go"),
		  "package a // gopath"),
	       "default cache: first $GOPATH entry's pkg/mod");
	unsetenv("GOPATH");
	setenv("HOME", at("home"), 1);
	tap_ok(is(first_line(at("empty"), NULL, "example.com/M@v1.0.0-RC1/m.go"),
		  "package m // home"),
	       "default cache: $HOME/go/pkg/mod, version escaped too");
	struct strbuf sb = STRBUF_INIT;
	source_escape_module(&sb, "github.com/BurntSushi/TOML@v1.0.0-RC", 36);
	tap_ok(is(strbuf_str(&sb), "github.com/!burnt!sushi/!t!o!m!l@v1.0.0-!r!c"), "escaping (%s)",
	       strbuf_str(&sb));
	strbuf_release(&sb);
}

static void test_goroot(void)
{
	puts_file(at("goroot/src/runtime/fake.go"), "package runtime // goroot\n");
	puts_file(at("ws/runtime/local.go"), "package runtime // local\n");
	setenv("GOROOT", at("goroot"), 1);
	tap_ok(is(first_line(at("empty"), NULL, "runtime/fake.go"), "package runtime // goroot"),
	       "-trimpath standard library path found in $GOROOT/src");
	tap_ok(is(first_line(at("empty"), NULL, "/usr/local/go/src/runtime/fake.go"),
		  "package runtime // goroot"),
	       "another machine's GOROOT");
	tap_ok(is(first_line(at("empty"), NULL, "/home/u/src/go/src/runtime/fake.go"),
		  "package runtime // goroot"),
	       "another machine's GOROOT under a src directory");
	tap_ok(!first_line(at("empty"), NULL, "example.com/runtime/fake.go"),
	       "a path with a dot in its first element is not standard library");

	/* A profile built by another Go release: its GOROOT lines are not this tree's. */
	puts_file(at("goroot/VERSION"), "go1.19.8\ntime 2023-04-04\n");
	tap_ok(!first_line(at("empty"), NULL,
			   "/opt/hostedtoolcache/go/1.26.5/x64/src/runtime/fake.go"),
	       "a tool cache path of Go 1.26 is not looked for in a Go 1.19 tree");
	tap_ok(!first_line(at("empty"), NULL, "/usr/local/go1.21.3/src/runtime/fake.go"),
	       "a go1.21.3 tree's path is not looked for in a Go 1.19 tree");
	tap_ok(is(first_line(at("empty"), NULL, "/usr/local/go1.19.2/src/runtime/fake.go"),
		  "package runtime // goroot"),
	       "another patch release of the same Go release is");
	tap_ok(is(first_line(at("empty"), NULL, "/home/u/go/1.19.1/x64/src/runtime/fake.go"),
		  "package runtime // goroot"),
	       "a tool cache path of the same release is");
	struct srcfile f = { .path = xstrdup("runtime/fake.go") };
	struct source_reader *sr = source_reader_new(at("empty"), NULL);
	source_read(sr, &f);
	tap_ok(f.fallback && strcmp(f.fallback, at("goroot/src/runtime/fake.go")) == 0,
	       "a file found only in GOROOT is marked as a fallback (%s)",
	       f.fallback ? f.fallback : "none");
	srcfile_release(&f);
	f = (struct srcfile){ .path = xstrdup("runtime/local.go") };
	source_reader_free(sr);
	sr = source_reader_new(at("ws"), NULL);
	source_read(sr, &f);
	tap_ok(f.lines && !f.fallback, "a file pprof's search finds is not");
	srcfile_release(&f);
	source_reader_free(sr);

	/* Without $GOROOT: the tree of the go on $PATH (its real path less /bin/go), which is
	 * never run. */
	unsetenv("GOROOT");
	char script[2048];
	snprintf(script, sizeof(script), "#!/bin/sh\n: >%s\n", at("go-was-run"));
	puts_file(at("gotree/bin/go"), script);
	chmod(at("gotree/bin/go"), 0755);
	puts_file(at("gotree/src/runtime/fake.go"), "package runtime // gotree\n");
	mkdir(at("bin"), 0755);
	symlink("../gotree/bin/go", at("bin/go"));
	const char *old = getenv("PATH");
	char *saved = xstrdup(old ? old : "/usr/bin:/bin");
	setenv("PATH", at("bin"), 1);
	tap_ok(is(first_line(at("empty"), NULL, "runtime/fake.go"), "package runtime // gotree") &&
		       access(at("go-was-run"), F_OK) != 0,
	       "GOROOT is the tree of the go on $PATH, found without running it");
	setenv("PATH", at("nothing"), 1);
	bool usual = access("/usr/local/go/src", F_OK) == 0 || access("/usr/lib/go/src", F_OK) == 0;
	tap_ok(usual || !first_line(at("empty"), NULL, "runtime/fake.go"),
	       "no go and no usual tree: not found");
	setenv("PATH", saved, 1);
	free(saved);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	snprintf(root, sizeof(root), "%s/cprof-source-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_trim();
	test_pprof_search();
	test_lines();
	test_modcache();
	test_goroot();
	for (size_t i = 0; i < n_files; i++)
		srcfile_release(&files[i]);
	if (nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		printf("# could not remove %s\n", root);
	return tap_done();
}
