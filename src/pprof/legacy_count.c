/* Go's count profiles ("goroutine profile: total N", "threadcreate profile: total N", then
 * "COUNT @ ADDRS" lines) and threadz profiles ("--- threadz N ---", then one "--- Thread
 * ID (name: NAME/N) stack: ---" block of addresses per thread), as pprof's parseGoCount
 * and parseThread read them. */
#include <stdio.h>
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/gonum.h"
#include "util/xalloc.h"

#define THREADZ_START_RE "--- threadz \\d+ ---"
#define THREAD_START_RE "--- Thread ([[:xdigit:]]+) \\(name: (.*)/(\\d+)\\) stack: ---"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Go's \s: what \S is not. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* countStartRE, \A(\S+) profile: total \d+\z: the profile's type, or an empty string. */
static struct lstr count_header(struct lstr line)
{
	static const char mid[] = " profile: total ";
	size_t i = 0, k = sizeof(mid) - 1;
	while (i < line.n && !is_space(line.s[i]))
		i++;
	if (i == 0 || line.n - i <= k || memcmp(line.s + i, mid, k) != 0)
		return (struct lstr){ line.s, 0 };
	for (size_t j = i + k; j < line.n; j++)
		if (!is_digit(line.s[j]))
			return (struct lstr){ line.s, 0 };
	return (struct lstr){ line.s, i };
}

/* countRE, \A(\d+) @(( 0x[0-9a-f]+)+)\z: the count's digits in *n and the addresses'
 * part in *addrs, or false. */
static bool count_sample(struct lstr line, struct lstr *n, struct lstr *addrs)
{
	size_t i = 0;
	while (i < line.n && is_digit(line.s[i]))
		i++;
	if (i == 0 || line.n - i < 2 || line.s[i] != ' ' || line.s[i + 1] != '@')
		return false;
	*n = (struct lstr){ line.s, i };
	*addrs = (struct lstr){ line.s + i + 2, line.n - i - 2 };
	size_t j = i + 2;
	if (j == line.n)
		return false;
	while (j < line.n) {
		if (line.n - j < 4 || memcmp(line.s + j, " 0x", 3) != 0)
			return false;
		j += 3;
		size_t h = j;
		while (j < line.n &&
		       (is_digit(line.s[j]) || (line.s[j] >= 'a' && line.s[j] <= 'f')))
			j++;
		if (j == h)
			return false;
	}
	return true;
}

/* "N @" and nothing after: Go's way of writing threads it has no stack for. */
static bool no_stack(struct lstr line)
{
	size_t i = 0;
	while (i < line.n && is_digit(line.s[i]))
		i++;
	if (i == 0 || line.n - i < 2 || memcmp(line.s + i, " @", 2) != 0)
		return false;
	return lstr_trim((struct lstr){ line.s + i + 2, line.n - i - 2 }).n == 0;
}

int legacy_count(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct lscan s;
	lscan_init(&s, (const char *)data, len);
	while (lscan_next(&s) && lstr_blank_or_comment(s.line))
		;
	if (s.too_long)
		return lscan_too_long(&s, "profile", err);
	struct lstr type = count_header(s.line);
	if (type.n == 0)
		return LEGACY_NOT_MINE;
	lp->period_type[0] = type;
	lp->period_type[1] = LSTR("count");
	lp->period = 1;
	lprof_type(lp, type, LSTR("count"));
	struct addrs a = { 0 };
	int rc = LEGACY_OK;
	while (lscan_next(&s)) {
		if (lstr_blank_or_comment(s.line))
			continue;
		if (lstr_prefix(s.line, "---"))
			break;
		struct lstr n, hex;
		int64_t v;
		a.n = 0;
		if (!count_sample(s.line, &n, &hex) || gonum_parse_int(n.s, n.n, 0, &v) < 0 ||
		    lstr_hex(hex, &a) < 0) {
			int tn = (int)(type.n > 64 ? 64 : type.n);
			if (no_stack(s.line))
				rc = error_set(
					err,
					"%.*s profile: line %zu is a sample with no stack, "
					"which pprof's parser refuses (and the file with it)",
					tn, type.s, s.line_no);
			else
				rc = error_set(err,
					       "%.*s profile: line %zu is not a sample (\"COUNT @ "
					       "ADDRESSES\", the count a number Go reads, the "
					       "addresses 64 bits)",
					       tn, type.s, s.line_no);
			break;
		}
		lprof_sample_at(lp, &a, 0)->v[0] = v;
	}
	free(a.v);
	if (rc != LEGACY_OK)
		return rc;
	if (s.too_long) {
		char what[96];
		snprintf(what, sizeof(what), "%.*s profile", (int)(type.n > 64 ? 64 : type.n),
			 type.s);
		return lscan_too_long(&s, what, err);
	}
	return lprof_additional_sections(lp, &s, err);
}

struct thread {
	const struct regex *start;
	struct addrs addrs;
	bool same; /* the block said "same as previous thread" */
};

/* pprof's parseThreadSample: the addresses of one thread's block, up to the next "---"
 * line; *line is left at the last line read, trimmed. */
static int thread_block(struct thread *t, struct lscan *s, struct lstr *line,
			struct cprof_error *err)
{
	t->addrs.n = 0;
	t->same = false;
	*line = (struct lstr){ s->end, 0 };
	while (lscan_next(s)) {
		*line = lstr_trim(s->line);
		if (line->n == 0)
			continue;
		if (lstr_prefix(*line, "---"))
			break;
		if (lstr_contains(*line, "same as previous thread")) {
			t->same = true;
			continue;
		}
		if (lstr_hex(*line, &t->addrs) < 0)
			return error_set(err,
					 "threadz profile: line %zu: an address is past 64 bits",
					 s->line_no);
	}
	if (s->too_long)
		return lscan_too_long(s, "threadz profile", err);
	return LEGACY_OK;
}

static int threads(struct thread *t, struct lscan *s, struct lstr line, struct lprof *lp,
		   struct cprof_error *err)
{
	struct regex_span g[1];
	while (!lstr_map_sentinel(line)) {
		if (lstr_prefix(line, "---- no stack trace for"))
			break;
		if (!regex_find(t->start, line.s, line.n, g, 1)) {
			error_set(err,
				  "threadz profile: line %zu is not \"--- Thread ID (name: NAME/N) "
				  "stack: ---\"",
				  s->line_no);
			return LEGACY_NOT_MINE;
		}
		if (thread_block(t, s, &line, err) != LEGACY_OK)
			return LEGACY_FAIL;
		if (t->same || t->addrs.n == 0) {
			if (lp->n_samples)
				lp->samples[lp->n_samples - 1].v[0]++;
			continue;
		}
		lprof_sample_at(lp, &t->addrs, 1)->v[0] = 1;
	}
	return LEGACY_OK;
}

int legacy_thread(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct lscan s;
	lscan_init(&s, (const char *)data, len);
	while (lscan_next(&s) && lstr_blank_or_comment(s.line))
		;
	struct lstr line = s.line;
	struct thread t = { 0 };
	static const struct regex *_Atomic thread_start_re;
	t.start = regex_fixed(&thread_start_re, THREAD_START_RE);
	static const struct regex *_Atomic threadz_start_re;
	const struct regex *threadz = regex_fixed(&threadz_start_re, THREADZ_START_RE);
	struct regex_span g[1];
	int rc = LEGACY_OK;
	if (regex_find(threadz, line.s, line.n, g, 1)) {
		/* Past the header's comments, to the first thread (the last line read stays
		 * current at the end of the input). */
		while (lscan_next(&s)) {
			line = s.line;
			if (lstr_map_sentinel(line) || lstr_prefix(line, "-"))
				break;
		}
	} else if (!regex_find(t.start, line.s, line.n, g, 1)) {
		rc = LEGACY_NOT_MINE;
	}
	if (rc == LEGACY_OK) {
		lp->period_type[0] = LSTR("thread");
		lp->period_type[1] = LSTR("count");
		lp->period = 1;
		lprof_type(lp, LSTR("thread"), LSTR("count"));
		rc = threads(&t, &s, line, lp, err);
	}
	free(t.addrs.v);
	if (rc != LEGACY_OK)
		return rc;
	if (lprof_additional_sections(lp, &s, err) != LEGACY_OK)
		return LEGACY_FAIL;
	lprof_drop_duplicate_leaf(lp);
	return LEGACY_OK;
}
