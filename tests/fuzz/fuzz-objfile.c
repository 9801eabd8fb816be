/* Fuzz target for the binary reader symbolization uses (src/symbolize/objfile.c with
 * dwarfline.c): the bytes are an executable, opened as a mapping at 0 and at a PIE-like
 * start, and asked for the source positions of addresses spread over its .text and of
 * addresses the input's last bytes spell. Go's pclntab, ELF headers, DWARF units, DIE
 * trees and line programs are all read from hostile bytes here. Built with libFuzzer's
 * main (-Dfuzz=true) or with replay.c's, which feeds it files and directories. */
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbolize/objfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The executable section with the lowest address, where code starts. */
static void text_range(int fd, uint64_t *lo, uint64_t *hi)
{
	*lo = *hi = 0;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	for (Elf_Scn *s = e ? elf_nextscn(e, NULL) : NULL; s; s = elf_nextscn(e, s)) {
		GElf_Shdr sh;
		if (gelf_getshdr(s, &sh) && (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size &&
		    (*hi == 0 || sh.sh_addr < *lo)) {
			*lo = sh.sh_addr;
			*hi = sh.sh_addr + sh.sh_size;
		}
	}
	elf_end(e);
}

static void ask(struct objfile *f, uint64_t addr)
{
	struct objframe fr;
	if (objfile_source_line(f, addr, &fr) == 1) {
		/* Touch every byte returned: the sanitizers check the strings are whole. */
		volatile size_t n = strlen(fr.func) + strlen(fr.file);
		(void)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-objfile", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz-objfile: memfd");
		abort();
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	uint64_t lo, hi;
	text_range(fd, &lo, &hi);
	static const uint64_t starts[] = { 0, 0x555555554000 };
	for (size_t s = 0; s < 2; s++) {
		struct objfile *f;
		struct cprof_error err;
		if (objfile_open(path, starts[s], &f, &err) < 0)
			continue;
		uint64_t bias = starts[s] ? starts[s] : 0;
		for (uint64_t i = 0; i < 64 && hi > lo; i++)
			ask(f, bias + lo + (hi - lo) / 64 * i + i % 7);
		for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
			uint64_t a;
			memcpy(&a, data + size - 8 - i, 8);
			ask(f, a);
		}
		objfile_close(f);
	}
	close(fd);
	return 0;
}
