/* Location messages read in place. protobuf-c's unpacker would make every Line a 48-byte
 * message behind an 8-byte pointer, after a 32-byte scan record: with the model's own
 * line, some 140 bytes for a Line entry that may take two bytes of input. This reader
 * accepts and rejects exactly what protobuf-c does (tests/unit/test_location checks it
 * against protobuf-c on valid and mangled messages) but allocates nothing: a first pass
 * checks the message and counts its lines, a second hands the lines out one by one, to be
 * written straight into the model. */
#ifndef CPROF_PPROF_LOCATION_H
#define CPROF_PPROF_LOCATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A Location's fields but its lines, which it counts. */
struct location_msg {
	uint64_t id, mapping_id, address;
	bool is_folded;
	size_t n_lines;
	bool line_without_function; /* a line has function_id 0 (pprof rejects those) */
};

/* Reads the n bytes at b as a Location. Returns true with m filled in if protobuf-c would
 * unpack them, false if it would not. */
bool location_scan(const uint8_t *b, size_t n, struct location_msg *m);

struct location_line {
	uint64_t function_id;
	int64_t line, column;
};

/* The lines of a message location_scan accepted, in order. */
struct line_reader {
	const uint8_t *p, *end;
};

void line_reader_init(struct line_reader *r, const uint8_t *b, size_t n);
/* The next line into out; false after the last. */
bool line_reader_next(struct line_reader *r, struct location_line *out);

#endif
