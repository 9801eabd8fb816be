/* Where a report's bytes go: a buffer handed to a write function whenever it holds a chunk
 * (standard output, a file), so no report is held whole, or kept whole in memory when there
 * is no write function (a picture's DOT text before graphviz reads it). The first failed
 * write is kept in error and later bytes are dropped; sink_finish tells the owner. The sink
 * owns its buffer; the write function's target belongs to whoever set the sink up. */
#ifndef CPROF_UTIL_SINK_H
#define CPROF_UTIL_SINK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/strbuf.h"

/* Writes all n bytes or returns -1 with errno set. */
typedef int sink_write_fn(void *ctx, const char *data, size_t n);

struct sink {
	struct strbuf buf;
	sink_write_fn *write; /* NULL: a memory sink */
	void *ctx;
	int error; /* errno of the first failed write, 0 while none failed */
};

#define SINK_CHUNK ((size_t)64 << 10)

/* A sink that keeps everything in s->buf. */
void sink_init_mem(struct sink *s);
/* A sink that hands its bytes to write(ctx, ...) a chunk at a time. */
void sink_init(struct sink *s, sink_write_fn *write, void *ctx);
void sink_release(struct sink *s);

void sink_add(struct sink *s, const void *data, size_t n);
/* sink_add, inlined for the short pieces of reports as long as the profile (traces, raw):
 * a copy while the buffer has room below its chunk, else sink_add. */
static inline void sink_put(struct sink *s, const void *data, size_t n)
{
	struct strbuf *b = &s->buf;
	if (s->write && b->len + n < SINK_CHUNK && b->len + n < b->cap) {
		memcpy(b->buf + b->len, data, n);
		b->len += n;
		b->buf[b->len] = '\0';
		return;
	}
	sink_add(s, data, n);
}
/* Room for n more bytes (n well below SINK_CHUNK) at the end of the buffer, for a report
 * that writes a record's pieces in place: it writes from the pointer returned, then hands
 * the end to sink_wrote. */
char *sink_room_slow(struct sink *s, size_t n);
static inline char *sink_room(struct sink *s, size_t n)
{
	struct strbuf *b = &s->buf;
	if (s->write && b->len + n < SINK_CHUNK && b->len + n < b->cap)
		return b->buf + b->len;
	return sink_room_slow(s, n);
}
static inline void sink_wrote(struct sink *s, char *end)
{
	s->buf.len = (size_t)(end - s->buf.buf);
	s->buf.buf[s->buf.len] = '\0';
}
/* A C string (its length folds to a constant for a literal), and one byte: inlined
 * too, since reports write most of their punctuation with these. */
static inline void sink_adds(struct sink *s, const char *str)
{
	sink_put(s, str, strlen(str));
}
static inline void sink_addch(struct sink *s, char c)
{
	sink_put(s, &c, 1);
}
void sink_addf(struct sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sink_addchars(struct sink *s, char c, size_t n);
/* v in decimal, right-aligned with spaces in a field of width bytes (0: no padding),
 * as printf's "%*" PRId64 without printf's cost. */
void sink_add_int(struct sink *s, int64_t v, int width);
/* str right-aligned in a field of width columns, as strbuf_addpad. */
void sink_addpad(struct sink *s, const char *str, int width);

/* Writes out what is buffered (nothing for a memory sink). Returns 0, or -1 with errno set
 * to the first failure's. */
int sink_finish(struct sink *s);

#endif
