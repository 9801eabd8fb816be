/* Folded stacks as input (see folded.h): each distinct frame name becomes one function and
 * one location without an address (in one mapping that names no file), each line one sample of its count, its stack leaf
 * first as in profile.proto. Lines repeating a stack stay separate samples that share
 * the stack; reports add them up. */
#include "pprof/folded.h"

#include <string.h>

#include "util/hashmap.h"
#include "util/xalloc.h"

enum shape {
	LINE_OK,
	LINE_BLANK,
	LINE_NO_COUNT,    /* no space and decimal count at its end */
	LINE_CONTROL,     /* a control character */
	LINE_BIG_COUNT,   /* a count past 2^63 - 1 */
	LINE_EMPTY_FRAME, /* ";;", or ';' first or last */
	LINE_TWO_COUNTS,  /* FlameGraph's differential format: FRAMES COUNT COUNT */
};

struct fline {
	const char *stack; /* the frames, root first, ';'-separated */
	size_t n;
	int64_t count;
};

/* Space, tab, and the '\r' of a CRLF line end. */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The shape of the n bytes at s, a line without its end; for LINE_OK, its parts in *out. */
static enum shape line_shape(const char *s, size_t n, struct fline *out)
{
	while (n && blank(s[n - 1]))
		n--;
	while (n && blank(*s))
		s++, n--;
	if (n == 0)
		return LINE_BLANK;
	/* A NUL is a byte of a name (the folded report writes one as it is); other control
	 * characters mean this is not folded text. */
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\0') || s[i] == 0x7f)
			return LINE_CONTROL;
	size_t d = n;
	while (d && s[d - 1] >= '0' && s[d - 1] <= '9')
		d--;
	if (d == n || d == 0 || !blank(s[d - 1]))
		return LINE_NO_COUNT;
	int64_t count = 0;
	for (size_t i = d; i < n; i++) {
		int digit = s[i] - '0';
		if (count > (INT64_MAX - digit) / 10)
			return LINE_BIG_COUNT;
		count = count * 10 + digit;
	}
	while (blank(s[d - 1])) /* stops at s[0], no blank once trimmed */
		d--;
	if (s[0] == ';' || s[d - 1] == ';' || memmem(s, d, ";;", 2))
		return LINE_EMPTY_FRAME;
	/* A last frame that ends in a blank and digits is a second count, not a name. */
	size_t k = d;
	while (k && s[k - 1] >= '0' && s[k - 1] <= '9')
		k--;
	if (k < d && k > 0 && blank(s[k - 1]))
		return LINE_TWO_COUNTS;
	*out = (struct fline){ s, d, count };
	return LINE_OK;
}

static int malformed(struct cprof_error *err, size_t line_no, enum shape shape)
{
	static const char *const why[] = {
		[LINE_NO_COUNT] = "does not end in a space and a count (FRAME;FRAME;... COUNT)",
		[LINE_CONTROL] = "holds a control character",
		[LINE_BIG_COUNT] = "has a count past 2^63-1",
		[LINE_EMPTY_FRAME] = "has an empty frame (';' first, last or twice in a row)",
		[LINE_TWO_COUNTS] = "has two counts (FlameGraph's differential format, which "
				    "cprof does not read; use cprof diff on two files)",
	};
	return error_set(err, "folded stacks: line %zu %s", line_no, why[shape]);
}

/* The builder's state: the location of each frame name met so far (by string id). */
struct builder {
	struct profile *p;
	struct hashmap by_name;
	struct stack_set stacks;
	struct stack_buf buf;
};

static uint32_t frame_location(struct builder *b, const char *name, size_t n)
{
	struct profile *p = b->p;
	uint32_t id = strtab_intern(&p->strs, name, n);
	uint32_t ix = hashmap_get(&b->by_name, id);
	if (ix != HASHMAP_NONE)
		return ix;
	ix = (uint32_t)p->n_locations;
	XGROW(p->functions, p->cap_functions, p->n_functions + 1);
	p->functions[p->n_functions] =
		(struct function){ .id = p->n_functions + 1, .name = id, .system_name = id };
	XGROW(p->lines, p->cap_lines, p->n_lines + 1);
	p->lines[p->n_lines] = (struct line){ .function = (uint32_t)p->n_functions };
	XGROW(p->locations, p->cap_locations, p->n_locations + 1);
	p->locations[ix] = (struct location){
		.id = ix + 1, .mapping = 0, .first_line = (uint32_t)p->n_lines, .n_lines = 1
	};
	p->n_functions++;
	p->n_lines++;
	p->n_locations++;
	hashmap_put(&b->by_name, id, ix);
	return ix;
}

static int add_sample(struct builder *b, const struct fline *l, struct cprof_error *err)
{
	struct profile *p = b->p;
	size_t depth = 1;
	for (size_t i = 0; i < l->n; i++)
		depth += l->stack[i] == ';';
	if (p->n_stack_bytes + STACK_ROOM(depth) > UINT32_MAX || p->n_samples >= UINT32_MAX - 1)
		return error_set(err, "profile too large (over 4 GiB of stacks)");
	if (depth >= b->buf.cap)
		stack_buf_grow(&b->buf, depth);
	/* Root first in the text, leaf first in the profile. */
	size_t k = depth;
	for (const char *s = l->stack, *end = l->stack + l->n; s < end;) {
		const char *semi = memchr(s, ';', (size_t)(end - s));
		const char *e = semi ? semi : end;
		b->buf.locs[--k] = frame_location(b, s, (size_t)(e - s));
		s = e + 1;
	}
	XGROW(p->samples, p->cap_samples, p->n_samples + 1);
	XGROW(p->values, p->cap_values, p->n_samples + 1);
	p->samples[p->n_samples] = (struct sample){
		.stack = profile_add_stack(p, &b->stacks, b->buf.locs, (uint32_t)depth),
		.first_label = (uint32_t)p->n_labels,
	};
	p->values[p->n_samples] = l->count;
	p->n_samples++;
	return 0;
}

bool folded_sniff(const uint8_t *head, size_t n)
{
	const char *s = (const char *)head, *nl = memchr(s, '\n', n);
	struct fline l;
	return line_shape(s, nl ? (size_t)(nl - s) : n, &l) == LINE_OK;
}

int folded_parse(const uint8_t *data, size_t len, struct profile *p, struct cprof_error *err)
{
	const char *s = (const char *)data, *end = s + len;
	size_t line_no = 0;
	bool first = true;
	struct builder b = { .p = p };
	int rc = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		line_no++;
		struct fline l;
		enum shape shape = line_shape(s, (size_t)(e - s), &l);
		s = nl ? nl + 1 : end;
		if (shape == LINE_BLANK)
			continue;
		if (first) {
			if (shape == LINE_NO_COUNT || shape == LINE_CONTROL)
				return -2;
			first = false;
			hashmap_init(&b.by_name, 256);
			stack_set_init(&b.stacks, 256);
			XGROW(p->types, p->cap_types, 1);
			p->types[0] = (struct value_type){ strtab_intern(&p->strs, "samples", 7),
							   strtab_intern(&p->strs, "count", 5) };
			p->n_types = 1;
			p->period_type = p->types[0];
			p->period = 1;
			/* One mapping, said to have its functions: the names are all there
			 * is, so there is nothing to symbolize and no binary to look for. */
			XGROW(p->mappings, p->cap_mappings, 1);
			p->mappings[0] = (struct mapping){ .id = 1, .has_functions = true };
			p->n_mappings = 1;
		}
		if (shape != LINE_OK) {
			rc = malformed(err, line_no, shape);
			break;
		}
		if (add_sample(&b, &l, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (first)
		return -2;
	hashmap_release(&b.by_name);
	stack_set_release(&b.stacks);
	stack_buf_release(&b.buf);
	return rc;
}
