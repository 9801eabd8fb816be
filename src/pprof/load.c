/* Streaming read and inflate: the compressed input is never held whole in memory. */
#include "pprof/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "util/xalloc.h"

#define CHUNK (1 << 20)

struct out {
	uint8_t *buf;
	size_t len, cap, max;
};

/* Makes room for at least one more byte; the buffer may reach max + 1 bytes so that going
 * past the limit is seen rather than guessed. */
static int grow(struct out *o, struct cprof_error *err)
{
	if (o->len < o->cap)
		return 0;
	if (o->len > o->max)
		return error_set(err, "inflated data exceeds the %zu-byte limit (raise it with -max_size)",
				 o->max);
	size_t n = o->cap ? o->cap * 2 : CHUNK;
	if (n > o->max + 1)
		n = o->max + 1;
	o->buf = xrealloc(o->buf, n);
	o->cap = n;
	return 0;
}

static ssize_t read_some(int fd, uint8_t *buf, size_t n, struct cprof_error *err)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR) {
			error_set(err, "read: %s", strerror(errno));
			return -1;
		}
	}
}

/* Inflates one or more gzip members; the first have bytes are already in in[]. */
static int inflate_fd(int fd, uint8_t *in, size_t have, struct out *o, struct cprof_error *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return error_set(err, "cannot initialise zlib");
	int rc = 0, eof = 0;
	zs.next_in = in;
	zs.avail_in = (uInt)have;
	for (;;) {
		if (zs.avail_in == 0 && !eof) {
			ssize_t r = read_some(fd, in, CHUNK, err);
			if (r < 0) {
				rc = -1;
				break;
			}
			eof = r == 0;
			zs.next_in = in;
			zs.avail_in = (uInt)r;
		}
		if (grow(o, err) < 0) {
			rc = -1;
			break;
		}
		size_t room = o->cap - o->len;
		zs.next_out = o->buf + o->len;
		zs.avail_out = room > (1u << 30) ? (1u << 30) : (uInt)room;
		uInt before = zs.avail_out;
		int z = inflate(&zs, Z_NO_FLUSH);
		o->len += before - zs.avail_out;
		if (o->len > o->max) {
			rc = error_set(err, "inflated data exceeds the %zu-byte limit (raise it with -max_size)",
				       o->max);
			break;
		}
		if (z == Z_STREAM_END) {
			if (zs.avail_in == 0 && !eof) {
				ssize_t r = read_some(fd, in, CHUNK, err);
				if (r < 0) {
					rc = -1;
					break;
				}
				eof = r == 0;
				zs.next_in = in;
				zs.avail_in = (uInt)r;
			}
			if (zs.avail_in == 0)
				break;
			/* gzip allows several members back to back. */
			inflateReset(&zs);
			continue;
		}
		if (z == Z_BUF_ERROR && zs.avail_in == 0 && eof) {
			rc = error_set(err, "gzip: unexpected end of compressed data");
			break;
		}
		if (z != Z_OK && z != Z_BUF_ERROR) {
			rc = error_set(err, "gzip: %s", zs.msg ? zs.msg : "corrupt compressed data");
			break;
		}
	}
	inflateEnd(&zs);
	return rc;
}

int load_bytes(const char *path, size_t max, struct loaded *out, struct cprof_error *err)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, "%s", strerror(errno));
	struct out o = { NULL, 0, 0, max };
	uint8_t *in = xmalloc(CHUNK);
	int rc = 0;
	ssize_t have = 0;
	/* Read at least two bytes (or to EOF) to sniff the gzip magic. */
	while (have < 2) {
		ssize_t r = read_some(fd, in + have, CHUNK - (size_t)have, err);
		if (r < 0) {
			rc = -1;
			goto done;
		}
		if (r == 0)
			break;
		have += r;
	}
	if (have >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		rc = inflate_fd(fd, in, (size_t)have, &o, err);
		goto done;
	}
	for (;;) {
		for (size_t done = 0; done < (size_t)have;) {
			if (grow(&o, err) < 0) {
				rc = -1;
				goto done;
			}
			size_t n = o.cap - o.len < (size_t)have - done ? o.cap - o.len : (size_t)have - done;
			memcpy(o.buf + o.len, in + done, n);
			o.len += n;
			done += n;
		}
		if (o.len > o.max) {
			rc = error_set(&*err, "data exceeds the %zu-byte limit (raise it with -max_size)", o.max);
			break;
		}
		have = read_some(fd, in, CHUNK, err);
		if (have < 0) {
			rc = -1;
			break;
		}
		if (have == 0)
			break;
	}
done:
	free(in);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc < 0) {
		free(o.buf);
		return -1;
	}
	out->data = o.buf;
	out->len = o.len;
	return 0;
}

void loaded_release(struct loaded *l)
{
	free(l->data);
	l->data = NULL;
	l->len = 0;
}
