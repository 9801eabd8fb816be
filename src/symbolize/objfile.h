/* An executable opened for symbolization the way go tool pprof's own object tool reads one
 * (cmd/pprof, not binutils): Go's pclntab for Go code, else the DWARF line table and the
 * enclosing subprogram's name, one frame per address, through libelf and libdw. The
 * objfile owns the file's mapping and every string it returns. */
#ifndef CPROF_SYMBOLIZE_OBJFILE_H
#define CPROF_SYMBOLIZE_OBJFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct objfile;

/* One source position: func and file are "" when unknown (never NULL), valid until
 * objfile_close. */
struct objframe {
	const char *func, *file;
	int64_t line;
};

/* Opens the ELF file at path. Errors read as Go's objfile.Open words them ("open PATH: no
 * such file or directory", "open PATH: unrecognized object file"). When start is nonzero,
 * addresses are taken relative to a load at start of the first executable segment. */
int objfile_open(const char *path, uint64_t start, struct objfile **out, struct cprof_error *err);

/* The same over the n bytes of an ELF image in memory (borrowed: it must outlive the
 * objfile, and libelf may rewrite it in place, so it must be writable), with errors naming
 * it name. For tests that read executables they make (the fuzz target). */
int objfile_open_memory(void *image, size_t n, const char *name, uint64_t start,
			struct objfile **out, struct cprof_error *err);

/* The source position of addr: 1 with *fr filled, 0 when the file knows nothing of it. */
int objfile_source_line(struct objfile *f, uint64_t addr, struct objframe *fr);

void objfile_close(struct objfile *f);

#endif
