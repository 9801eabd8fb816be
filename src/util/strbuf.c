/* Growable output buffer used by every report backend. */
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/digits.h"
#include "util/xalloc.h"

void strbuf_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	/* len + extra + 1 must not wrap to a size already held: SIZE_MAX is out of memory. */
	size_t need = extra < SIZE_MAX - sb->len ? sb->len + extra + 1 : SIZE_MAX;
	XGROW(sb->buf, sb->cap, need);
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	if (n) /* an empty strbuf's buf is NULL, and memcpy from NULL is undefined */
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void strbuf_add_u64(struct strbuf *sb, uint64_t v)
{
	char b[20], *s = digits_u64(b + sizeof(b), v);
	strbuf_add(sb, s, (size_t)(b + sizeof(b) - s));
}

void strbuf_add_i64(struct strbuf *sb, int64_t v)
{
	if (v < 0)
		strbuf_addch(sb, '-');
	strbuf_add_u64(sb, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void strbuf_add_hex16(struct strbuf *sb, uint64_t v)
{
	char b[16];
	for (int k = 15; k >= 0; k--, v >>= 4)
		b[k] = "0123456789abcdef"[v & 15];
	strbuf_add(sb, b, sizeof(b));
}

void strbuf_addchars(struct strbuf *sb, char c, size_t n)
{
	strbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, sb->buf ? sb->cap - sb->len : 0, fmt,
			  cp);
	va_end(cp);
	if (n < 0)
		return;
	if (!sb->buf || (size_t)n >= sb->cap - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

static size_t utf8_width(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

void strbuf_addpad_n(struct strbuf *sb, const char *s, size_t len, int width)
{
	size_t w = utf8_width(s, len);
	if (width > 0 && w < (size_t)width)
		strbuf_addchars(sb, ' ', (size_t)width - w);
	strbuf_add(sb, s, len);
}

void strbuf_addpad(struct strbuf *sb, const char *s, int width)
{
	strbuf_addpad_n(sb, s, strlen(s), width);
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
