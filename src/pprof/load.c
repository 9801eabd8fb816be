/* Streaming read and inflate. A source produces bytes (a file read as is, memory, or either
 * through gunzip.h's inflater); for files a producer thread fills fixed-size blocks into a short queue while
 * the decoder reads them, so inflating overlaps decoding and memory holds only a few blocks
 * of the inflated profile. Blocks are recycled, and a peek that fits in the current block
 * points into it: only data straddling two blocks is copied, into a small window. */
#include "pprof/load.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pprof/fetch.h"
#include "pprof/gunzip.h"
#include "util/xalloc.h"

#define BLOCK (1u << 18) /* bytes per produced block */
#define QUEUE 8          /* blocks the producer may run ahead */
#define INBUF (1u << 20) /* compressed bytes read at a time */

struct source {
	int fd;              /* -1 for memory or a fetch */
	struct fetch *fetch; /* a URL's body, or NULL */
	const uint8_t *mem;
	size_t mem_len, mem_pos;
	bool gzip, in_eof, done;
	unsigned members;  /* gzip members inflated completely so far */
	struct gunzip *gz; /* when gzip */
	uint8_t *inbuf;
	uint64_t total; /* bytes produced so far */
	size_t max;
	uint64_t size; /* of the plain data, if known; else UINT64_MAX */
	struct cprof_error err;
};

struct block {
	uint8_t *data;
	size_t len;
};

struct instream {
	struct source src;
	bool threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t nonempty, nonfull;
	struct block q[QUEUE];
	size_t q_head, q_count;
	bool q_done, q_failed, q_stop;
	uint8_t *spare[QUEUE + 2]; /* consumed blocks, for the producer to fill again */
	size_t n_spare;

	/* The unread data is the window's bytes [start, end), then the current block's from
	 * cur_pos. A peek is answered from the block while the window is empty. */
	struct block cur;
	size_t cur_pos;
	uint8_t *buf;
	size_t start, end, cap;
	bool borrowed; /* buf is the caller's memory (plain memory stream) */
	bool failed;   /* a memory stream over the cap: every peek fails */
	bool eof;
	uint64_t offset; /* of buf[start] in the whole stream */
};

/* Reads compressed or plain input: from a fetch, the fd, or memory. */
static ssize_t raw_read(struct source *s, uint8_t *dst, size_t cap)
{
	if (s->fetch)
		return fetch_read(s->fetch, dst, cap, &s->err);
	if (s->fd < 0) {
		size_t n = s->mem_len - s->mem_pos < cap ? s->mem_len - s->mem_pos : cap;
		memcpy(dst, s->mem + s->mem_pos, n);
		s->mem_pos += n;
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t r = read(s->fd, dst, cap);
		if (r >= 0)
			return r;
		if (errno != EINTR) {
			error_set(&s->err, "read: %s", strerror(errno));
			return -1;
		}
	}
}

static int fill_input(struct source *s)
{
	if (gunzip_avail_in(s->gz) > 0 || s->in_eof)
		return 0;
	ssize_t r;
	if (s->fd < 0 && !s->fetch) {
		/* Memory: hand the inflater the rest directly. */
		r = (ssize_t)(s->mem_len - s->mem_pos);
		if (r > (1 << 30))
			r = 1 << 30;
		gunzip_input(s->gz, s->mem + s->mem_pos, (size_t)r);
		s->mem_pos += (size_t)r;
	} else {
		r = raw_read(s, s->inbuf, INBUF);
		if (r < 0)
			return -1;
		gunzip_input(s->gz, s->inbuf, (size_t)r);
	}
	s->in_eof = r == 0;
	return 0;
}

/* Produces up to cap bytes into dst: 0 at the end, -1 on error (s->err). */
static ssize_t source_read(struct source *s, uint8_t *dst, size_t cap)
{
	if (s->done)
		return 0;
	ssize_t n;
	if (!s->gzip) {
		n = raw_read(s, dst, cap);
		if (n == 0)
			s->done = true;
	} else {
		uint8_t *out = dst;
		size_t room = cap;
		for (;;) {
			if (fill_input(s) < 0)
				return -1;
			const char *msg = NULL;
			enum gunzip_status z = gunzip_run(s->gz, &out, &room, &msg);
			if (z == GUNZIP_MEMBER_END) {
				s->members++;
				/* gzip allows members back to back; anything else after one is an error,
				 * which the inflater reports on the next round. */
				if (fill_input(s) < 0)
					return -1;
				if (gunzip_avail_in(s->gz) == 0 && s->in_eof) {
					s->done = true;
					break;
				}
				gunzip_next_member(s->gz);
			} else if (z == GUNZIP_ERROR && s->members > 0 &&
				   gunzip_member_out(s->gz) == 0) {
				error_set(&s->err,
					  "gzip: data after member %u is not gzip (trailing "
					  "garbage?)",
					  s->members);
				return -1;
			} else if (z == GUNZIP_ERROR) {
				error_set(&s->err, "gzip: %s", msg);
				return -1;
			} else if (room > 0 && gunzip_avail_in(s->gz) == 0 && s->in_eof) {
				error_set(&s->err, "gzip: unexpected end of compressed data");
				return -1;
			}
			if (room == 0)
				break;
		}
		n = (ssize_t)(cap - room);
	}
	if (n < 0)
		return -1;
	s->total += (uint64_t)n;
	if (s->total > s->max) {
		error_set(&s->err, "%s exceeds the %zu-byte limit (raise it with -max_size)",
			  s->gzip ? "inflated data" : "data", s->max);
		return -1;
	}
	return n;
}

/* A block to fill: a recycled one if the consumer has returned any. */
static uint8_t *take_block(struct instream *s)
{
	uint8_t *b = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->n_spare)
		b = s->spare[--s->n_spare];
	pthread_mutex_unlock(&s->mu);
	return b ? b : xmalloc(BLOCK);
}

static void *producer(void *arg)
{
	struct instream *s = arg;
	for (;;) {
		struct block b = { take_block(s), 0 };
		bool end = false, failed = false;
		while (b.len < BLOCK) {
			ssize_t r = source_read(&s->src, b.data + b.len, BLOCK - b.len);
			if (r < 0) {
				failed = true;
				break;
			}
			if (r == 0) {
				end = true;
				break;
			}
			b.len += (size_t)r;
		}
		pthread_mutex_lock(&s->mu);
		while (s->q_count == QUEUE && !s->q_stop)
			pthread_cond_wait(&s->nonfull, &s->mu);
		if (s->q_stop) {
			pthread_mutex_unlock(&s->mu);
			free(b.data);
			return NULL;
		}
		if (b.len > 0) {
			s->q[(s->q_head + s->q_count) % QUEUE] = b;
			s->q_count++;
		} else {
			free(b.data);
		}
		if (end || failed) {
			s->q_done = true;
			s->q_failed = failed;
		}
		pthread_cond_signal(&s->nonempty);
		pthread_mutex_unlock(&s->mu);
		if (end || failed)
			return NULL;
	}
}

static void source_init(struct source *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->max = max;
	s->size = UINT64_MAX;
}

static int source_start_gzip(struct source *s, struct cprof_error *err)
{
	s->gzip = true;
	s->gz = gunzip_new();
	if (!s->gz)
		return error_set(err, "cannot initialise the %s inflater", gunzip_backend());
	return 0;
}

static struct instream *stream_new(size_t max)
{
	struct instream *s = xcalloc(1, sizeof(*s));
	source_init(&s->src, max);
	return s;
}

/* Starts a stream whose source reads with raw_read (a file or a fetch): sniffs the gzip
 * magic, then starts the producer thread. st describes a file (NULL for a fetch). Closes s
 * on failure. */
static int stream_start(struct instream *s, const struct stat *st, size_t max,
			struct instream **out, struct cprof_error *err)
{
	s->src.inbuf = xmalloc(INBUF);
	/* Sniff the gzip magic: read at least two bytes (or to the end). */
	size_t have = 0;
	while (have < 2) {
		ssize_t r = raw_read(&s->src, s->src.inbuf + have, INBUF - have);
		if (r < 0) {
			error_set(err, "%s", s->src.err.msg);
			instream_close(s);
			return -1;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	if (have >= 2 && s->src.inbuf[0] == 0x1f && s->src.inbuf[1] == 0x8b) {
		if (source_start_gzip(&s->src, err) < 0) {
			instream_close(s);
			return -1;
		}
		gunzip_input(s->src.gz, s->src.inbuf, have);
		s->src.in_eof = false;
	} else {
		/* Plain: what was read is the start of the window, and a regular file's size
		 * bounds what a field may claim (unless it is less than was read: /proc's files
		 * say 0). */
		if (st && S_ISREG(st->st_mode) && (uint64_t)st->st_size >= have)
			s->src.size = (uint64_t)st->st_size;
		s->cap = have > BLOCK ? have : BLOCK;
		s->buf = xmalloc(s->cap);
		memcpy(s->buf, s->src.inbuf, have);
		s->end = have;
		s->src.total = have;
		if (have > max) {
			error_set(err, "data exceeds the %zu-byte limit (raise it with -max_size)",
				  max);
			instream_close(s);
			return -1;
		}
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->nonempty, NULL);
	pthread_cond_init(&s->nonfull, NULL);
	if (pthread_create(&s->thread, NULL, producer, s) != 0) {
		error_set(err, "cannot start the reading thread");
		instream_close(s);
		return -1;
	}
	s->threaded = true;
	*out = s;
	return 0;
}

int instream_open(const char *path, size_t max, struct instream **out, struct cprof_error *err)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, "%s", strerror(errno));
	struct stat st;
	bool have_st = fstat(fd, &st) == 0;
	if (have_st && S_ISDIR(st.st_mode)) {
		if (fd != STDIN_FILENO)
			close(fd);
		return error_set(err, "is a directory, not a profile");
	}
	struct instream *s = stream_new(max);
	s->src.fd = fd;
	return stream_start(s, have_st ? &st : NULL, max, out, err);
}

int instream_open_url(const char *url, const struct fetch_options *o, size_t max,
		      struct instream **out, struct cprof_error *err)
{
	struct fetch_options capped = *o;
	if (capped.max > max)
		capped.max = max;
	struct fetch *f;
	if (fetch_open(url, &capped, &f, err) < 0)
		return -1;
	struct instream *s = stream_new(max);
	s->src.fetch = f;
	return stream_start(s, NULL, max, out, err);
}

struct instream *instream_memory(const uint8_t *data, size_t len, size_t max)
{
	struct instream *s = stream_new(max);
	s->src.mem = data;
	s->src.mem_len = len;
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b && source_start_gzip(&s->src, NULL) == 0)
		return s;
	/* Plain memory is its own window. */
	s->src.size = len;
	s->buf = (uint8_t *)data;
	s->end = s->cap = len;
	s->borrowed = true;
	s->eof = true;
	if (len > max) {
		/* Reported on the first peek, as for files. */
		s->end = s->cap = 0;
		s->failed = true;
		error_set(&s->src.err, "data exceeds the %zu-byte limit (raise it with -max_size)",
			  max);
	}
	return s;
}

/* The next block of produced bytes; false at the end or on error (then *failed). */
static bool next_block(struct instream *s, bool *failed)
{
	uint8_t *done = s->cur.data;
	s->cur.data = NULL;
	s->cur.len = s->cur_pos = 0;
	if (!s->threaded) {
		uint8_t *b = done ? done : xmalloc(BLOCK);
		ssize_t r = source_read(&s->src, b, BLOCK);
		if (r <= 0) {
			free(b);
			*failed = r < 0;
			return false;
		}
		s->cur.data = b;
		s->cur.len = (size_t)r;
		return true;
	}
	pthread_mutex_lock(&s->mu);
	if (done && s->n_spare < QUEUE + 2)
		s->spare[s->n_spare++] = done;
	else
		free(done);
	while (s->q_count == 0 && !s->q_done)
		pthread_cond_wait(&s->nonempty, &s->mu);
	bool got = s->q_count > 0;
	if (got) {
		s->cur = s->q[s->q_head];
		s->q_head = (s->q_head + 1) % QUEUE;
		s->q_count--;
		pthread_cond_signal(&s->nonfull);
	} else {
		*failed = s->q_failed;
	}
	pthread_mutex_unlock(&s->mu);
	return got;
}

ssize_t instream_peek(struct instream *s, size_t n, const uint8_t **data, struct cprof_error *err)
{
	if (s->failed)
		return error_set(err, "%s", s->src.err.msg);
	if (s->start == s->end && !s->borrowed) {
		if (s->cur_pos == s->cur.len && !s->eof) {
			bool failed = false;
			if (!next_block(s, &failed)) {
				if (failed)
					return error_set(err, "%s", s->src.err.msg);
				s->eof = true;
			}
		}
		if (s->cur.data && s->cur.len - s->cur_pos >= n) { /* no block: NULL + 0 */
			*data = s->cur.data + s->cur_pos;
			return (ssize_t)n;
		}
	}
	while (s->end - s->start < n && !s->eof) {
		if (s->cur_pos == s->cur.len) {
			bool failed = false;
			if (!next_block(s, &failed)) {
				if (failed)
					return error_set(err, "%s", s->src.err.msg);
				s->eof = true;
				break;
			}
		}
		/* Take only what the request lacks, and make room: slide the window to the front,
		 * and grow it only as far as the data really goes (a bogus length never allocates
		 * more than what arrived). */
		size_t avail = s->cur.len - s->cur_pos, lack = n - (s->end - s->start);
		if (avail > lack)
			avail = lack;
		if (s->cap - s->end < avail && s->start > 0) {
			memmove(s->buf, s->buf + s->start, s->end - s->start);
			s->end -= s->start;
			s->start = 0;
		}
		if (s->cap - s->end < avail) {
			size_t want = s->end + avail, c = s->cap ? s->cap : 4096;
			while (c < want)
				c *= 2;
			s->buf = xrealloc(s->buf, c);
			s->cap = c;
		}
		memcpy(s->buf + s->end, s->cur.data + s->cur_pos, avail);
		s->end += avail;
		s->cur_pos += avail;
	}
	size_t have = s->end - s->start;
	*data = s->buf ? s->buf + s->start : s->buf; /* NULL + 0 is undefined */
	return (ssize_t)(have < n ? have : n);
}

void instream_consume(struct instream *s, size_t n)
{
	s->offset += n;
	if (s->start == s->end && !s->borrowed) {
		s->cur_pos += n; /* the peek was answered from the block */
		return;
	}
	s->start += n;
	if (s->start == s->end && !s->borrowed)
		s->start = s->end = 0;
}

uint64_t instream_offset(const struct instream *s)
{
	return s->offset;
}

uint64_t instream_most(const struct instream *s, bool *capped)
{
	uint64_t end = s->src.max;
	*capped = true;
	if (!s->src.gzip && s->src.size <= end) {
		end = s->src.size;
		*capped = false;
	}
	return end > s->offset ? end - s->offset : 0;
}

void instream_close(struct instream *s)
{
	if (!s)
		return;
	if (s->threaded) {
		fetch_cancel(s->src.fetch); /* a producer waiting on the network stops */
		pthread_mutex_lock(&s->mu);
		s->q_stop = true;
		pthread_cond_broadcast(&s->nonfull);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
		for (size_t i = 0; i < s->q_count; i++)
			free(s->q[(s->q_head + i) % QUEUE].data);
		for (size_t i = 0; i < s->n_spare; i++)
			free(s->spare[i]);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->nonempty);
		pthread_cond_destroy(&s->nonfull);
	}
	gunzip_free(s->src.gz);
	if (s->src.fd > STDIN_FILENO)
		close(s->src.fd);
	fetch_free(s->src.fetch);
	free(s->src.inbuf);
	free(s->cur.data);
	if (!s->borrowed)
		free(s->buf);
	free(s);
}

int load_bytes(const char *path, size_t max, struct loaded *out, struct cprof_error *err)
{
	struct instream *s;
	if (instream_open(path, max, &s, err) < 0)
		return -1;
	/* Ask for everything: the window grows to hold it all. */
	size_t want = BLOCK;
	const uint8_t *data;
	ssize_t n;
	for (;;) {
		n = instream_peek(s, want, &data, err);
		if (n < 0) {
			instream_close(s);
			return -1;
		}
		if ((size_t)n < want)
			break;
		want *= 2;
	}
	out->data = xmalloc((size_t)n + 1);
	if (n) /* data is NULL when gzip inflated to nothing */
		memcpy(out->data, data, (size_t)n);
	out->len = (size_t)n;
	instream_close(s);
	return 0;
}

void loaded_release(struct loaded *l)
{
	free(l->data);
	l->data = NULL;
	l->len = 0;
}
