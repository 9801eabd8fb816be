/* Location messages read in place (see location.h). The rules below are protobuf-c's
 * (1.4): a key is at most five bytes and its first byte may not be all zero but for the
 * continuation bit; a varint at most ten bytes, the bits past 64 dropped; a length at most
 * five bytes and INT_MAX; wire types 3, 4, 6 and 7 are refused; unknown fields of the
 * other wire types are skipped; a known field with the wrong wire type fails the whole
 * message, but for the bool is_folded, which protobuf-c reads from any wire type (true if
 * any of its bytes, length prefix included, has a low bit set). A field repeated
 * overrides the earlier one. Where protobuf-c refuses a message for having more than
 * 134 million fields (its scan records run out), this reader does not: pprof accepts
 * such a message. */
#include "pprof/location.h"

#include <limits.h>

enum { WT_VARINT = 0, WT_64BIT = 1, WT_LEN = 2, WT_32BIT = 5 };

/* One field: its tag and wire type, and where its value lies. */
struct field {
	uint32_t tag;
	unsigned wt;
	const uint8_t *val;  /* the value: the varint, the fixed bytes, or the length prefix */
	const uint8_t *data; /* for WT_LEN, the bytes after the prefix */
	size_t len;          /* the value's bytes (WT_LEN: the prefix's and the data's) */
};

/* The next field at *pp, checked as protobuf-c's scan checks it; false if malformed. */
static bool next_field(const uint8_t **pp, const uint8_t *end, struct field *f)
{
	const uint8_t *p = *pp;
	size_t rem = (size_t)(end - p);
	if ((p[0] & 0xf8) == 0)
		return false;
	f->wt = p[0] & 7;
	uint32_t tag = (p[0] & 0x7f) >> 3;
	size_t used = 0;
	if (!(p[0] & 0x80)) {
		used = 1;
	} else {
		size_t max = rem > 5 ? 5 : rem;
		unsigned shift = 4;
		for (size_t i = 1; i < max; i++) {
			tag |= (uint32_t)(p[i] & 0x7f) << shift;
			shift += 7;
			if (!(p[i] & 0x80)) {
				used = i + 1;
				break;
			}
		}
		if (!used)
			return false;
	}
	f->tag = tag;
	p += used;
	rem -= used;
	f->val = f->data = p;
	switch (f->wt) {
	case WT_VARINT: {
		size_t max = rem < 10 ? rem : 10, i = 0;
		while (i < max && (p[i] & 0x80))
			i++;
		if (i == max)
			return false;
		f->len = i + 1;
		break;
	}
	case WT_64BIT:
		if (rem < 8)
			return false;
		f->len = 8;
		break;
	case WT_32BIT:
		if (rem < 4)
			return false;
		f->len = 4;
		break;
	case WT_LEN: {
		size_t max = rem < 5 ? rem : 5, i = 0;
		uint64_t v = 0;
		for (; i < max; i++) {
			v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
			if (!(p[i] & 0x80))
				break;
		}
		if (i == max || v > INT_MAX || i + 1 + v > rem)
			return false;
		f->data = p + i + 1;
		f->len = i + 1 + (size_t)v;
		break;
	}
	default:
		return false;
	}
	*pp = p + f->len;
	return true;
}

/* A varint value next_field has measured. */
static uint64_t varint_value(const struct field *f)
{
	uint64_t v = 0;
	for (size_t i = 0; i < f->len; i++)
		v |= (uint64_t)(f->val[i] & 0x7f) << (7 * i);
	return v;
}

/* A Line message; false if protobuf-c would not unpack it. */
static bool scan_line(const uint8_t *p, const uint8_t *end, struct location_line *out)
{
	*out = (struct location_line){ 0, 0, 0 };
	while (p < end) {
		struct field f;
		if (!next_field(&p, end, &f))
			return false;
		if (f.tag < 1 || f.tag > 3)
			continue;
		if (f.wt != WT_VARINT)
			return false;
		uint64_t v = varint_value(&f);
		if (f.tag == 1)
			out->function_id = v;
		else if (f.tag == 2)
			out->line = (int64_t)v;
		else
			out->column = (int64_t)v;
	}
	return true;
}

bool location_scan(const uint8_t *b, size_t n, struct location_msg *m)
{
	*m = (struct location_msg){ 0 };
	const uint8_t *p = b, *end = b + n;
	while (p < end) {
		struct field f;
		if (!next_field(&p, end, &f))
			return false;
		switch (f.tag) {
		case 1:
		case 2:
		case 3: {
			if (f.wt != WT_VARINT)
				return false;
			uint64_t v = varint_value(&f);
			if (f.tag == 1)
				m->id = v;
			else if (f.tag == 2)
				m->mapping_id = v;
			else
				m->address = v;
			break;
		}
		case 4: {
			struct location_line l;
			if (f.wt != WT_LEN || !scan_line(f.data, f.val + f.len, &l))
				return false;
			m->n_lines++;
			if (l.function_id == 0)
				m->line_without_function = true;
			break;
		}
		case 5:
			m->is_folded = false;
			for (size_t i = 0; i < f.len; i++)
				if (f.val[i] & 0x7f)
					m->is_folded = true;
			break;
		default:
			break;
		}
	}
	return true;
}

void line_reader_init(struct line_reader *r, const uint8_t *b, size_t n)
{
	r->p = b;
	r->end = b + n;
}

bool line_reader_next(struct line_reader *r, struct location_line *out)
{
	while (r->p < r->end) {
		struct field f;
		if (!next_field(&r->p, r->end, &f))
			return false; /* not after location_scan */
		if (f.tag == 4)
			return scan_line(f.data, f.val + f.len, out);
	}
	return false;
}
