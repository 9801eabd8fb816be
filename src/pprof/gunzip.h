/* Inflating gzip streams, one member after another: with Intel's ISA-L where the build
 * found it (meson's isal option; 2.6-2.9x zlib's speed on big profiles), else with zlib.
 * Both backends take the same input the same way and fail on the same inputs; their
 * messages are zlib's words where zlib has them. */
#ifndef CPROF_PPROF_GUNZIP_H
#define CPROF_PPROF_GUNZIP_H

#include <stddef.h>
#include <stdint.h>

struct gunzip;

enum gunzip_status {
	GUNZIP_MORE,       /* the output is full, or all input was taken: call again */
	GUNZIP_MEMBER_END, /* a member ended, its check passed: gunzip_next_member */
	GUNZIP_ERROR,      /* corrupt data; the message says how */
};

/* A new inflater, or NULL when the backend cannot start. */
struct gunzip *gunzip_new(void);
void gunzip_free(struct gunzip *g);

/* Hands len bytes at in to the inflater (which must have taken all it was given). */
void gunzip_input(struct gunzip *g, const uint8_t *in, size_t len);
/* The bytes given and not yet taken. */
size_t gunzip_avail_in(const struct gunzip *g);

/* Inflates into *out, at most *room bytes, advancing both. With GUNZIP_ERROR, *msg says
 * what is wrong. */
enum gunzip_status gunzip_run(struct gunzip *g, uint8_t **out, size_t *room, const char **msg);

/* After GUNZIP_MEMBER_END: starts the next member with the input left. */
void gunzip_next_member(struct gunzip *g);
/* The bytes the current member has produced so far. */
uint64_t gunzip_member_out(const struct gunzip *g);

/* "ISA-L" or "zlib": the backend this build inflates with. */
const char *gunzip_backend(void);

#endif
