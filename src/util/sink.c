/* Buffered report output; see sink.h. */
#include "util/sink.h"

#include <errno.h>

#include "util/digits.h"

void sink_init_mem(struct sink *s)
{
	strbuf_init(&s->buf);
	s->write = NULL;
	s->ctx = NULL;
	s->error = 0;
}

void sink_init(struct sink *s, sink_write_fn *write, void *ctx)
{
	sink_init_mem(s);
	s->write = write;
	s->ctx = ctx;
	strbuf_grow(&s->buf, SINK_CHUNK); /* room for sink_put's copies below the chunk */
}

void sink_release(struct sink *s)
{
	strbuf_release(&s->buf);
}

static void flush(struct sink *s)
{
	if (!s->error && s->buf.len && s->write(s->ctx, s->buf.buf, s->buf.len) < 0)
		s->error = errno ? errno : EIO;
	strbuf_reset(&s->buf);
}

/* Hands a full chunk to the write function. */
static inline void check(struct sink *s)
{
	if (s->write && s->buf.len >= SINK_CHUNK)
		flush(s);
}

void sink_add(struct sink *s, const void *data, size_t n)
{
	if (s->write && n >= SINK_CHUNK) { /* big blocks (pictures) go straight through */
		flush(s);
		if (!s->error && s->write(s->ctx, data, n) < 0)
			s->error = errno ? errno : EIO;
		return;
	}
	strbuf_add(&s->buf, data, n);
	check(s);
}

char *sink_room_slow(struct sink *s, size_t n)
{
	if (s->write && s->buf.len + n >= SINK_CHUNK)
		flush(s);
	strbuf_grow(&s->buf, n);
	return s->buf.buf + s->buf.len;
}

void sink_addchars(struct sink *s, char c, size_t n)
{
	strbuf_addchars(&s->buf, c, n);
	check(s);
}

void sink_addf(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&s->buf, fmt, ap);
	va_end(ap);
	check(s);
}

void sink_add_int(struct sink *s, int64_t v, int width)
{
	char buf[64];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t w = (size_t)(digits_u64(buf + sizeof(buf), u) - buf);
	if (v < 0)
		buf[--w] = '-';
	int pad = width - (int)(sizeof(buf) - w);
	if (pad > 0 && (size_t)pad <= w) {
		w -= (size_t)pad;
		memset(buf + w, ' ', (size_t)pad);
	} else if (pad > 0) {
		sink_addchars(s, ' ', (size_t)pad);
	}
	sink_put(s, buf + w, sizeof(buf) - w);
}

void sink_addpad(struct sink *s, const char *str, int width)
{
	strbuf_addpad(&s->buf, str, width);
	check(s);
}

int sink_finish(struct sink *s)
{
	if (s->write)
		flush(s);
	if (s->error) {
		errno = s->error;
		return -1;
	}
	return 0;
}
