/* A DWARF line table (versions 2 to 5) looked up as Go's debug/dwarf LineReader.SeekPC
 * looks one up: rows in the table's own order (not sorted by address), so a pc before the
 * first row, in a hole, or only in a sequence placed after a higher one is not found, and
 * file names joined as Go joins them. Every read is bounds-checked. */
#ifndef CPROF_SYMBOLIZE_DWARFLINE_H
#define CPROF_SYMBOLIZE_DWARFLINE_H

#include <stddef.h>
#include <stdint.h>

struct dwarfline_sections {
	const uint8_t *line, *str, *line_str; /* .debug_line, .debug_str, .debug_line_str */
	size_t n_line, n_str, n_line_str;
	int big_endian; /* the file's byte order */
};

/* The row for pc of the table at offset off of .debug_line, in a unit whose addresses are
 * addrsize bytes and whose compilation directory is comp_dir (or ""). Returns 1 with *file
 * (malloc'd, "" when the row names no file) and *line set, 0 when Go finds no row. */
int dwarfline_seek_pc(const struct dwarfline_sections *s, uint64_t off, unsigned addrsize,
		      const char *comp_dir, uint64_t pc, char **file, int64_t *line);

#endif
