/* pprof's legacy formats, everything its parser reads besides profile.proto: gperftools'
 * binary CPU profiles (32- or 64-bit words, either byte order) and Java's, text heap
 * profiles (heap, heap_v2, heapz_v2, heapprofile, growthz, fragmentationz, Go's debug=1),
 * contention profiles (C++ contentionz, Go's block and mutex), threadz, Go's goroutine and
 * threadcreate counts, and Java's heapz and contentionz, each with the memory map or
 * symbol table that follows it. The profile comes out as pprof's parser makes it. */
#ifndef CPROF_PPROF_LEGACY_H
#define CPROF_PPROF_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"

/* What the first bytes of an input say (legacy_sniff). */
enum legacy_guess {
	LEGACY_NO,    /* no legacy parser can take it */
	LEGACY_MAYBE, /* bytes, but with a legacy header's words somewhere */
	LEGACY_LIKELY /* text, or a CPU profile's header */
};

/* Looks at the first n bytes of an input (all of it, or at least 64 KiB). */
enum legacy_guess legacy_sniff(const uint8_t *head, size_t n);

/* pprof's legacy parsers, in the order it tries them. */
enum legacy_parser {
	LEGACY_CPU,        /* gperftools' and Java's binary CPU profiles */
	LEGACY_HEAP,       /* text heap, growthz and fragmentationz profiles */
	LEGACY_COUNT,      /* Go's goroutine and threadcreate counts */
	LEGACY_THREAD,     /* threadz */
	LEGACY_CONTENTION, /* contentionz, Go's block and mutex */
	LEGACY_JAVA,       /* Java heapz and contentionz */
	LEGACY_N_PARSERS
};

/* Runs one parser alone (its fuzz target's way in), with legacy_parse's returns. */
int legacy_parse_one(enum legacy_parser which, const uint8_t *data, size_t len, struct profile *p,
		     struct cprof_error *err);

/* Tries pprof's legacy parsers on the len bytes at data, in pprof's order, into p (new,
 * from profile_new). Returns 0 when one took it; -1 when one recognized its format and
 * found it malformed (why in err); -2 when none recognized it (err then says why the
 * closest one gave up, or is empty). After an error p is only fit for profile_free. */
int legacy_parse(const uint8_t *data, size_t len, struct profile *p, struct cprof_error *err);

#endif
