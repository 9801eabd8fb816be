/* A fast path for the message a profile has most of: Sample. protobuf-c's generic unpacker
 * took a third of the time to load a big profile; this parser reads the shapes writers
 * produce (location ids and values, packed or not, and labels) straight into the view
 * protobuf-c would give, and declines everything else, which protobuf-c then parses. */
#ifndef CPROF_PPROF_FASTSAMPLE_H
#define CPROF_PPROF_FASTSAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.pb-c.h"

/* Reusable arrays behind the parsed view; zero-initialise, release with fastsample_free. */
struct fastsample {
	Perftools__Profiles__Sample m;
	/* When the location ids came as one packed run of canonical varints (as writers put
	 * them), that run: the ids' encoding, which is the stack's when ids are indexes + 1. */
	const uint8_t *loc_run;
	size_t loc_run_len;
	uint64_t *locs;
	int64_t *values;
	Perftools__Profiles__Label *labels, **label_ptrs;
	size_t cap_locs, cap_values, cap_labels, cap_label_ptrs;
};

/* Parses the n bytes at b into f->m as protobuf-c would, or returns false for any input it
 * does not handle (unknown fields, other wire types, ten-byte varints, malformed data). */
bool fastsample_parse(struct fastsample *f, const uint8_t *b, size_t n);
void fastsample_free(struct fastsample *f);

#endif
