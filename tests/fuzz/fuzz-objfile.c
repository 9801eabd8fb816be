/* Fuzz target for the binary reader symbolization uses (src/symbolize/objfile.c with
 * dwarfline.c): the bytes are an executable, opened from memory as a mapping at 0 and at
 * a PIE-like start, and asked for the source positions of addresses spread over its
 * lowest executable section and of addresses the input's last bytes spell. Go's pclntab,
 * ELF headers, DWARF units, DIE trees and line programs are all read from hostile bytes
 * here. An address that hits code costs a walk of the units, the line program and the
 * DIE trees (milliseconds in a large C++ binary), so an open asks 8 of the 64 spread
 * addresses (every eighth, from a start a hash of the input picks), all 64 one run in 16;
 * one run in 32 opens the bytes as a file (a memory file), as symbolization does. The
 * replay program (FZ_REPLAY) asks every address.
 * Built with libFuzzer's main (-Dfuzz=true) or with replay.c's, which feeds it files and
 * directories. */
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-hash.h"
#include "symbolize/objfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A writable copy of the input, remade before each open (libelf may convert an image in
 * place), kept from run to run. */
static uint8_t *image;
static size_t image_cap;

static uint8_t *copy_of(const uint8_t *data, size_t size)
{
	if (size > image_cap) {
		free(image);
		image_cap = size;
		image = malloc(size);
		if (!image) {
			perror("fuzz-objfile");
			abort();
		}
	}
	if (size)
		memcpy(image, data, size);
	return image;
}

/* The executable section with the lowest address, where code starts. */
static void text_range(const uint8_t *data, size_t size, uint64_t *lo, uint64_t *hi)
{
	*lo = *hi = 0;
	elf_version(EV_CURRENT);
	Elf *e = elf_memory((char *)copy_of(data, size), size);
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

/* Opens the input as an executable loaded at start: from memory, or (as_file) from a
 * memory file by its path, as symbolization opens binaries. */
static int open_input(const uint8_t *data, size_t size, uint64_t start, bool as_file,
		      struct objfile **f)
{
	struct cprof_error err;
	if (!as_file)
		return objfile_open_memory(copy_of(data, size), size, "fuzz input", start, f, &err);
	int fd = memfd_create("fuzz-objfile", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz-objfile: memfd");
		abort();
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int rc = objfile_open(path, start, f, &err);
	close(fd); /* the objfile has its own descriptor */
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = fz_input_hash(data, size); /* which open and which addresses */
	bool all = h % 16 == 0, as_file = (h >> 4) % 32 == 0;
	unsigned phase = (unsigned)(h >> 9) % 8;
#ifdef FZ_REPLAY
	all = true;
	as_file = (h >> 4) % 2 == 0;
#endif
	uint64_t lo, hi;
	text_range(data, size, &lo, &hi);
	static const uint64_t starts[] = { 0, 0x555555554000 };
	for (size_t s = 0; s < 2; s++) {
		struct objfile *f;
		if (open_input(data, size, starts[s], as_file, &f) < 0)
			continue;
		uint64_t bias = starts[s] ? starts[s] : 0;
		for (uint64_t i = all ? 0 : phase; i < 64 && hi > lo; i += all ? 1 : 8)
			ask(f, bias + lo + (hi - lo) / 64 * i + i % 7);
		for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
			uint64_t a;
			memcpy(&a, data + size - 8 - i, 8);
			ask(f, a);
		}
		objfile_close(f);
	}
	return 0;
}
