/* gzip inflation over ISA-L or zlib; see gunzip.h. */
#include "pprof/gunzip.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#ifdef CPROF_HAVE_ISAL
#include <isa-l/igzip_lib.h>

struct gunzip {
	struct inflate_state st;
	uint64_t member_out;
	uint8_t magic[2];    /* the member's first two bytes, checked here (see gunzip_run) */
	unsigned magic_seen; /* how many of them have come */
};

static void start_member(struct gunzip *g)
{
	uint8_t *in = g->st.next_in;
	uint32_t avail = g->st.avail_in;
	isal_inflate_reset(&g->st);
	g->st.crc_flag = ISAL_GZIP; /* parse the header, verify the trailer */
	g->st.next_in = in;
	g->st.avail_in = avail;
	g->member_out = 0;
	g->magic_seen = 0;
}

struct gunzip *gunzip_new(void)
{
	/* The state holds its history and tables: some 45 kB, so on the heap. */
	struct gunzip *g = xcalloc(1, sizeof(*g));
	isal_inflate_init(&g->st);
	start_member(g);
	return g;
}

void gunzip_input(struct gunzip *g, const uint8_t *in, size_t len)
{
	g->st.next_in = (uint8_t *)in;
	g->st.avail_in = (uint32_t)len;
}

size_t gunzip_avail_in(const struct gunzip *g)
{
	return g->st.avail_in;
}

/* zlib's words for the same faults, so that both builds say the same. */
static const char *isal_message(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK:
		return "invalid block type";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	case ISAL_NEED_DICT:
		return "need dictionary";
	default:
		return "corrupt compressed data";
	}
}

enum gunzip_status gunzip_run(struct gunzip *g, uint8_t **out, size_t *room, const char **msg)
{
	/* ISA-L waits for a whole header before it looks at one; zlib checks the magic as soon
	 * as its two bytes have come, so a short tail that is not gzip is a bad header, not a
	 * truncated one. Do as zlib does. */
	for (uint32_t i = 0; g->magic_seen < 2 && i < g->st.avail_in; i++)
		g->magic[g->magic_seen++] = g->st.next_in[i];
	if (g->magic_seen == 2 && g->member_out == 0 &&
	    (g->magic[0] != 0x1f || g->magic[1] != 0x8b)) {
		*msg = "incorrect header check";
		return GUNZIP_ERROR;
	}
	/* avail_out is 32 bits: a bigger room is filled a piece at a time. */
	uint32_t cap = *room > UINT32_MAX ? UINT32_MAX : (uint32_t)*room;
	g->st.next_out = *out;
	g->st.avail_out = cap;
	int rc = isal_inflate(&g->st);
	size_t made = cap - g->st.avail_out;
	*out += made;
	*room -= made;
	g->member_out += made;
	if (rc != ISAL_DECOMP_OK && rc != ISAL_END_INPUT && rc != ISAL_OUT_OVERFLOW) {
		*msg = isal_message(rc);
		return GUNZIP_ERROR;
	}
	return g->st.block_state == ISAL_BLOCK_FINISH ? GUNZIP_MEMBER_END : GUNZIP_MORE;
}

void gunzip_next_member(struct gunzip *g)
{
	start_member(g);
}

uint64_t gunzip_member_out(const struct gunzip *g)
{
	return g->member_out;
}

const char *gunzip_backend(void)
{
	return "ISA-L";
}

#else
#include <zlib.h>

struct gunzip {
	z_stream zs;
	bool broken; /* a reset failed: every run reports it */
};

struct gunzip *gunzip_new(void)
{
	struct gunzip *g = xcalloc(1, sizeof(*g));
	if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK) { /* 16: a gzip wrapper */
		free(g);
		return NULL;
	}
	return g;
}

void gunzip_input(struct gunzip *g, const uint8_t *in, size_t len)
{
	g->zs.next_in = (Bytef *)in;
	g->zs.avail_in = (uInt)len;
}

size_t gunzip_avail_in(const struct gunzip *g)
{
	return g->zs.avail_in;
}

enum gunzip_status gunzip_run(struct gunzip *g, uint8_t **out, size_t *room, const char **msg)
{
	uInt cap = *room > UINT32_MAX ? UINT32_MAX : (uInt)*room;
	g->zs.next_out = *out;
	g->zs.avail_out = cap;
	int rc = g->broken ? Z_STREAM_ERROR : inflate(&g->zs, Z_NO_FLUSH);
	size_t made = cap - g->zs.avail_out;
	*out += made;
	*room -= made;
	if (rc == Z_STREAM_END)
		return GUNZIP_MEMBER_END;
	if (rc == Z_OK || rc == Z_BUF_ERROR) /* Z_BUF_ERROR: no progress without input */
		return GUNZIP_MORE;
	*msg = g->zs.msg ? g->zs.msg : "corrupt compressed data";
	return GUNZIP_ERROR;
}

void gunzip_next_member(struct gunzip *g)
{
	g->broken = inflateReset(&g->zs) != Z_OK;
}

uint64_t gunzip_member_out(const struct gunzip *g)
{
	return g->zs.total_out;
}

const char *gunzip_backend(void)
{
	return "zlib";
}
#endif

void gunzip_free(struct gunzip *g)
{
	if (!g)
		return;
#ifndef CPROF_HAVE_ISAL
	inflateEnd(&g->zs);
#endif
	free(g);
}
