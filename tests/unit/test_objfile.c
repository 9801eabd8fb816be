/* objfile_open_memory against objfile_open: the same executable read from memory answers
 * every address as read from its file, at 0 and at a PIE-like start; bytes that are not
 * ELF fail with Go's words and the image's name. The executable is the argument (the
 * gperftools program's binary in testdata, C++ with DWARF 5). */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize/objfile.h"
#include "tap.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *b = malloc(len > 0 ? (size_t)len : 1);
	*n = b && len > 0 ? fread(b, 1, (size_t)len, fp) : 0;
	fclose(fp);
	return b;
}

/* The largest executable section's addresses (.text). */
static void text_range(char *image, size_t n, uint64_t *lo, uint64_t *hi)
{
	*lo = *hi = 0;
	elf_version(EV_CURRENT);
	Elf *e = elf_memory(image, n);
	for (Elf_Scn *s = e ? elf_nextscn(e, NULL) : NULL; s; s = elf_nextscn(e, s)) {
		GElf_Shdr sh;
		if (gelf_getshdr(s, &sh) && (sh.sh_flags & SHF_EXECINSTR) &&
		    sh.sh_size > *hi - *lo) {
			*lo = sh.sh_addr;
			*hi = sh.sh_addr + sh.sh_size;
		}
	}
	elf_end(e);
}

/* Asks the file and the image loaded at start for 200 addresses over [lo, hi) (link
 * addresses); returns how many the file knows. */
static int compare(const char *path, char *image, size_t n, uint64_t start, uint64_t lo,
		   uint64_t hi)
{
	struct objfile *a = NULL, *b = NULL;
	struct cprof_error err = { "" };
	tap_ok(objfile_open(path, start, &a, &err) == 0, "the file opens at %#llx: %s",
	       (unsigned long long)start, err.msg);
	tap_ok(objfile_open_memory(image, n, "image", start, &b, &err) == 0,
	       "the image opens at %#llx: %s", (unsigned long long)start, err.msg);
	if (!a || !b) {
		objfile_close(a);
		objfile_close(b);
		return 0;
	}
	int found = 0, same = 0, asked = 0;
	for (uint64_t i = 0; i < 200 && hi > lo; i++, asked++) {
		uint64_t addr = start + lo + (hi - lo) / 200 * i;
		struct objframe fa, fb;
		int ra = objfile_source_line(a, addr, &fa), rb = objfile_source_line(b, addr, &fb);
		found += ra == 1;
		same += ra == rb &&
			(ra != 1 || (strcmp(fa.func, fb.func) == 0 &&
				     strcmp(fa.file, fb.file) == 0 && fa.line == fb.line));
	}
	tap_int(same, asked, "the image answers as the file at %#llx", (unsigned long long)start);
	objfile_close(a);
	objfile_close(b);
	return found;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_objfile EXECUTABLE\n");
		return 2;
	}
	size_t n = 0;
	char *image = slurp(argv[1], &n);
	tap_ok(image && n > 0, "read %s", argv[1]);
	if (!image || n == 0)
		return tap_done();
	uint64_t lo, hi;
	char *copy = malloc(n);
	memcpy(copy, image, n);
	text_range(copy, n, &lo, &hi);
	tap_ok(hi > lo, "it has code");
	int found = compare(argv[1], image, n, 0, lo, hi);
	tap_ok(found > 100, "the file knows %d of 200 addresses in its code", found);
	memcpy(image, copy, n); /* libelf may have converted the image in place */
	compare(argv[1], image, n, 0x555555554000, lo, hi);
	free(copy);

	static char junk[] = "not an executable";
	struct objfile *f = NULL;
	struct cprof_error err = { "" };
	tap_int(objfile_open_memory(junk, sizeof(junk), "junk", 0, &f, &err), -1,
		"bytes that are not ELF fail");
	tap_str(err.msg, "open junk: unrecognized object file", "with Go's words");
	tap_int(objfile_open_memory(junk, 0, "nothing", 0, &f, &err), -1, "no bytes fail");
	free(image);
	return tap_done();
}
