/* What the legacy parsers (legacy*.c) share: the profile they build, shaped as pprof's
 * parsers build a Profile before legacy.c turns it into a struct profile, and Go's ways of
 * reading text (bufio.Scanner's lines, strings.TrimSpace, hexadecimal addresses).
 *
 * Every parser takes the whole input and answers as pprof's parser of the same format
 * does: it recognizes its format (LEGACY_OK, the profile filled), does not (LEGACY_NOT_MINE,
 * the next parser in pprof's order gets the input), or fails (LEGACY_FAIL, the message in
 * err; no other parser is tried). */
#ifndef CPROF_PPROF_LEGACY_PRIVATE_H
#define CPROF_PPROF_LEGACY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"
#include "util/hashmap.h"
#include "util/regex.h"

enum legacy_rc { LEGACY_OK = 0, LEGACY_FAIL = -1, LEGACY_NOT_MINE = -2 };

/* Bytes of the input (or a static string): not NUL-terminated. */
struct lstr {
	const char *s;
	size_t n;
};

#define LSTR(lit) ((struct lstr){ (lit), sizeof(lit) - 1 })

struct lloc {
	uint64_t addr;
	uint32_t map;  /* index into lprof.maps, or PROFILE_NONE */
	uint32_t func; /* Java's symbol table: index into lprof.funcs, or PROFILE_NONE */
	int64_t line;
	uint32_t order; /* position in lprof.order once remapped, else PROFILE_NONE */
};

struct lsample {
	uint32_t first, n; /* location indexes at lprof.frames[first..first+n), leaf first */
	int64_t v[4];
	int64_t bytes; /* the "bytes" numeric label, when has_bytes */
	bool has_bytes;
};

struct lmap {
	uint64_t start, limit, offset;
	struct lstr file, build_id;
};

struct lfunc {
	struct lstr name, file;
};

struct lprof {
	struct lstr types[4][2]; /* sample types: type, unit */
	size_t n_types;
	struct lstr period_type[2];
	int64_t period, duration;

	struct lloc *locs; /* in pprof's Location order */
	size_t n_locs, cap_locs;
	struct hashmap by_addr; /* a parser's address -> location index */
	uint32_t *frames;
	size_t n_frames, cap_frames;
	struct lsample *samples;
	size_t n_samples, cap_samples;
	struct lmap *maps;
	size_t n_maps, cap_maps;
	struct lfunc *funcs;
	size_t n_funcs, cap_funcs;
	uint32_t *order; /* the locations samples use, in order of first use (remap) */
	size_t n_order;
	char **texts; /* text made while parsing (substituted map lines), freed with lp */
	size_t n_texts, cap_texts;
};

/* The location of address addr, made (and put at the end of pprof's Location list) on
 * first sight. */
uint32_t lprof_loc(struct lprof *lp, uint64_t addr);
/* A new sample whose frames are the next ones lprof_frame appends. */
struct lsample *lprof_sample(struct lprof *lp);
void lprof_frame(struct lprof *lp, struct lsample *s, uint32_t loc);
void lprof_type(struct lprof *lp, struct lstr type, struct lstr unit);

/* pprof's ParseMemoryMapFromScanner after the profile's text: reads the memory map in
 * lines [from, to) of text (see struct lscan), then merges and orders the mappings and
 * renumbers locations as pprof does. LEGACY_OK or LEGACY_FAIL. */
struct lscan;
int lprof_memory_map(struct lprof *lp, struct lscan *s, struct cprof_error *err);
/* remapLocationIDs, remapFunctionIDs and remapMappingIDs, for parsers that read no map. */
int lprof_remap(struct lprof *lp, struct cprof_error *err);
/* cleanupDuplicateLocations: drops a second frame that repeats the leaf (its address + 1). */
void lprof_drop_duplicate_leaf(struct lprof *lp);

/* Go's bufio.Scanner with ScanLines over the input: lines without their "\n" (and one
 * trailing "\r"), at most 64 KiB - 1 bytes each; past that, or at the end, scan returns
 * false and the current line is empty ("token too long" is then in too_long). */
struct lscan {
	const char *p, *end;
	struct lstr line;
	bool too_long;
	size_t line_no; /* of the current line, from 1 */
};

void lscan_init(struct lscan *s, const char *data, size_t len);
bool lscan_next(struct lscan *s);

/* strings.TrimSpace (Unicode white space, as Go's unicode.IsSpace). */
struct lstr lstr_trim(struct lstr s);
bool lstr_eq(struct lstr a, const char *lit);
bool lstr_same(struct lstr a, struct lstr b);
bool lstr_prefix(struct lstr a, const char *lit);
bool lstr_contains(struct lstr a, const char *lit);
/* pprof's isSpaceOrComment: blank once trimmed, or a '#' first. */
bool lstr_blank_or_comment(struct lstr s);
/* pprof's isMemoryMapSentinel. */
bool lstr_map_sentinel(struct lstr s);
struct lstr lstr_sub(struct lstr s, const struct regex_span *g);

/* A growable list of addresses. */
struct addrs {
	uint64_t *v;
	size_t n, cap;
};

/* pprof's parseHexAddresses: appends every 0x[0-9a-f]+ of s, parsed as Go's
 * ParseUint(x, 0, 64), to a. Returns -1 on a number past 64 bits. */
int lstr_hex(struct lstr s, struct addrs *a);
/* A sample with a's addresses as its frames, each less 1 from the skip'th on (pprof's
 * adjustment of return addresses to the call; SIZE_MAX: none). */
struct lsample *lprof_sample_at(struct lprof *lp, const struct addrs *a, size_t skip);

/* The text formats' shared ending (pprof's parseAdditionalSections): past the current line,
 * skips to the memory map's sentinel line, then reads the map (lprof_memory_map). */
int lprof_additional_sections(struct lprof *lp, struct lscan *s, struct cprof_error *err);
/* LEGACY_FAIL with the message for a line past bufio.Scanner's limit, in format what. */
int lscan_too_long(const struct lscan *s, const char *what, struct cprof_error *err);

/* The parsers, in pprof's order (legacy.c tries them in turn). */
int legacy_cpu(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
int legacy_heap(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
int legacy_count(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
int legacy_thread(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
int legacy_contention(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
int legacy_java(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err);
/* Java's symbol table after a Java CPU profile's samples (legacy_cpu) or a heapz or
 * contentionz profile's (legacy_java): names the locations, then remaps as pprof does. */
int legacy_java_symbols(const char *text, size_t len, struct lprof *lp, struct cprof_error *err);
/* pprof's Aggregate(..., address=false) on a Java profile: every address becomes 0. */
void legacy_java_strip_addresses(struct lprof *lp);

/* scaleHeapSample: the value of an allocation sampled with probability 1 - exp(-size/rate),
 * with Go's math. */
void legacy_unsample(int64_t count, int64_t size, int64_t rate, int64_t *out_count,
		     int64_t *out_size);

#endif
