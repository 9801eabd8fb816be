/* A growable byte buffer, always NUL-terminated. The strbuf owns buf; strbuf_release frees it. */
#ifndef CPROF_UTIL_STRBUF_H
#define CPROF_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len, cap;
};

/* (clang-format 14 takes a macro body in braces for a block.) */
/* clang-format off */
#define STRBUF_INIT { NULL, 0, 0 }
/* clang-format on */

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Appends n bytes at data; data may be NULL when n is 0 (another empty strbuf's buf). */
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
/* Appends c n times. */
void strbuf_addchars(struct strbuf *sb, char c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends v in decimal (printf's %" PRIu64 " and %" PRId64 ", without printf's cost). */
void strbuf_add_u64(struct strbuf *sb, uint64_t v);
void strbuf_add_i64(struct strbuf *sb, int64_t v);
/* Appends v as 16 lower-case hex digits (%016" PRIx64 "). */
void strbuf_add_hex16(struct strbuf *sb, uint64_t v);
/* Appends s right-aligned (padded with spaces on the left) in a field of width columns,
 * counting UTF-8 characters as Go's fmt does for %*s. */
void strbuf_addpad(struct strbuf *sb, const char *s, int width);
/* strbuf_addpad of the len bytes at s. */
void strbuf_addpad_n(struct strbuf *sb, const char *s, size_t len, int width);
/* The buffer's contents as a NUL-terminated string; "" for an empty buffer. */
const char *strbuf_str(const struct strbuf *sb);

#endif
