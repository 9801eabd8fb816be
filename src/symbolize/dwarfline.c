/* Go's DWARF line table reader, as far as SeekPC needs it; see dwarfline.h. */
#include "symbolize/dwarfline.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"
#include "util/xalloc.h"

/* A cursor over bytes; any read past the end sets err and yields zeros, as Go's buf. */
struct cur {
	const uint8_t *p;
	size_t n;
	bool err, big_endian;
};

static uint64_t fixed(struct cur *c, size_t size)
{
	if (c->err || c->n < size) {
		c->err = true;
		return 0;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)c->p[c->big_endian ? size - 1 - i : i] << (8 * i);
	c->p += size;
	c->n -= size;
	return v;
}

static uint64_t uleb(struct cur *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		if (c->err || c->n == 0) {
			c->err = true;
			return 0;
		}
		uint8_t b = *c->p++;
		c->n--;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static int64_t sleb(struct cur *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	do {
		if (c->err || c->n == 0) {
			c->err = true;
			return 0;
		}
		b = *c->p++;
		c->n--;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* A NUL-terminated string at the cursor (Go's buf.string: an error without the NUL). */
static const char *cstr(struct cur *c)
{
	const uint8_t *z = c->err ? NULL : memchr(c->p, 0, c->n);
	if (!z) {
		c->err = true;
		return "";
	}
	const char *s = (const char *)c->p;
	c->n -= (size_t)(z - c->p) + 1;
	c->p = z + 1;
	return s;
}

static void skip(struct cur *c, uint64_t n)
{
	if (c->err || c->n < n) {
		c->err = true;
		return;
	}
	c->p += n;
	c->n -= n;
}

static bool is_abs(const char *p)
{
	return p[0] == '/' || p[0] == '\\';
}

/* Go's pathJoin for Unix paths: path.Join, or filename alone after an empty dirname. */
static char *join(const char *dir, const char *name)
{
	if (!*dir)
		return xstrdup(name);
	size_t nd = strlen(dir), nn = strlen(name);
	char *raw = xmalloc(nd + nn + 2), *out = xmalloc(nd + nn + 4);
	memcpy(raw, dir, nd);
	raw[nd] = '/';
	memcpy(raw + nd + 1, name, nn + 1);
	path_clean(out, *name ? raw : dir);
	free(raw);
	return out;
}

struct strlist {
	char **v;
	size_t n, cap;
};

static void push(struct strlist *l, char *s)
{
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = s;
}

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

struct table {
	const struct dwarfline_sections *s;
	bool dwarf64;
	unsigned version, addrsize;
	unsigned min_inst, max_ops, line_range, opcode_base;
	bool default_is_stmt;
	int line_base;
	uint8_t opcode_len[256];
	struct strlist dirs, files; /* files[i] NULL: none (DWARF < 5's entry 0) */
};

/* A string of a .debug_str-like section at off. */
static const char *strsec(struct cur *c, const uint8_t *sec, size_t n, bool dwarf64)
{
	uint64_t off = fixed(c, dwarf64 ? 8 : 4);
	if (c->err || off >= n || !memchr(sec + off, 0, n - off)) {
		c->err = true;
		return "";
	}
	return (const char *)sec + off;
}

/* Go's readLNCT: one DWARF 5 directory or file entry; NULL on a malformed one. */
static char *lnct_entry(struct table *t, struct cur *c, const uint64_t (*fmt)[2], size_t nfmt)
{
	const char *path = "", *dir = "";
	for (size_t i = 0; i < nfmt; i++) {
		const char *str = "";
		uint64_t val = 0;
		switch (fmt[i][1]) {
		case 0x08:
			str = cstr(c);
			break; /* string */
		case 0x0e:
			str = strsec(c, t->s->str, t->s->n_str, t->dwarf64);
			break;
		case 0x1f:
			str = strsec(c, t->s->line_str, t->s->n_line_str, t->dwarf64);
			break;
		case 0x1d:
			fixed(c, t->dwarf64 ? 8 : 4);
			break; /* strp_sup */
		case 0x1a:
			uleb(c);
			break; /* strx */
		case 0x25:
			fixed(c, 1);
			break;
		case 0x26:
			fixed(c, 2);
			break;
		case 0x27:
			fixed(c, 3);
			break;
		case 0x28:
			fixed(c, 4);
			break;
		case 0x0b:
			val = fixed(c, 1);
			break;
		case 0x05:
			val = fixed(c, 2);
			break;
		case 0x06:
			val = fixed(c, 4);
			break;
		case 0x07:
			val = fixed(c, 8);
			break;
		case 0x1e:
			skip(c, 16);
			break;
		case 0x09:
			skip(c, uleb(c));
			break; /* block */
		case 0x0f:
			val = uleb(c);
			break;
		default:
			break; /* Go reads nothing for a form it does not know */
		}
		if (c->err)
			return NULL;
		if (fmt[i][0] == 1) {
			path = str;
		} else if (fmt[i][0] == 2) {
			if (val >= t->dirs.n)
				return NULL;
			dir = t->dirs.v[val];
		}
	}
	return *dir && *path ? join(dir, path) : xstrdup(path);
}

/* DWARF 5's entry formats followed by count entries, into l. */
static bool lnct_list(struct table *t, struct cur *c, struct strlist *l)
{
	size_t nfmt = (size_t)fixed(c, 1);
	uint64_t(*fmt)[2] = xcalloc(nfmt + 1, sizeof(*fmt));
	for (size_t i = 0; i < nfmt; i++) {
		fmt[i][0] = uleb(c);
		fmt[i][1] = uleb(c);
	}
	uint64_t count = uleb(c);
	bool ok = !c->err && count <= c->n; /* each entry takes a byte at least */
	for (uint64_t i = 0; ok && i < count; i++) {
		char *e = lnct_entry(t, c, (const uint64_t(*)[2])fmt, nfmt);
		if (!e)
			ok = false;
		else
			push(l, e);
	}
	free(fmt);
	return ok;
}

/* Go's readFileEntry: false at the list's end (an empty name) or on an error. */
static bool file_entry(struct table *t, struct cur *c, bool *err)
{
	const char *name = cstr(c);
	if (c->err || !*name) {
		*err = c->err;
		return false;
	}
	uint64_t dir = uleb(c);
	char *full;
	if (!is_abs(name)) {
		if (c->err || dir >= t->dirs.n) {
			*err = true;
			return false;
		}
		full = join(t->dirs.v[dir], name);
	} else {
		full = xstrdup(name);
	}
	uleb(c);
	uleb(c);
	if (c->err) {
		free(full);
		*err = true;
		return false;
	}
	push(&t->files, full);
	return true;
}

static bool read_header(struct table *t, struct cur *c, const char *comp_dir)
{
	uint64_t len = fixed(c, 4);
	if (len == 0xffffffff) {
		t->dwarf64 = true;
		len = fixed(c, 8);
	} else if (len >= 0xfffffff0) {
		return false;
	}
	if (c->err || len > c->n)
		return false;
	c->n = len; /* the table ends here */
	t->version = (unsigned)fixed(c, 2);
	if (c->err || t->version < 2 || t->version > 5)
		return false;
	if (t->version >= 5) {
		t->addrsize = (unsigned)fixed(c, 1);
		fixed(c, 1);
	}
	uint64_t hlen = fixed(c, t->dwarf64 ? 8 : 4);
	if (c->err || hlen > c->n)
		return false;
	struct cur prog = { c->p + hlen, c->n - hlen, false, c->big_endian };
	t->min_inst = (unsigned)fixed(c, 1);
	t->max_ops = t->version >= 4 ? (unsigned)fixed(c, 1) : 1;
	t->default_is_stmt = fixed(c, 1) != 0;
	t->line_base = (int8_t)fixed(c, 1);
	t->line_range = (unsigned)fixed(c, 1);
	if (c->err || t->max_ops == 0 || t->line_range == 0)
		return false;
	t->opcode_base = (unsigned)fixed(c, 1);
	static const int known[] = { -1, 0, 1, 1, 1, -1, 0, 0, 0, -1, 0, 0, 1 };
	for (unsigned i = 1; i < t->opcode_base; i++) {
		t->opcode_len[i] = (uint8_t)fixed(c, 1);
		if (i < 13 && known[i] >= 0 && known[i] != t->opcode_len[i])
			return false;
	}
	if (c->err)
		return false;
	if (t->version < 5) {
		push(&t->dirs, xstrdup(comp_dir));
		for (;;) {
			const char *d = cstr(c);
			if (c->err)
				return false;
			if (!*d)
				break;
			push(&t->dirs, is_abs(d) ? xstrdup(d) : join(comp_dir, d));
		}
		push(&t->files, NULL);
		bool err = false;
		while (file_entry(t, c, &err))
			;
		if (err)
			return false;
	} else if (!lnct_list(t, c, &t->dirs) || !lnct_list(t, c, &t->files)) {
		return false;
	}
	*c = prog;
	return !c->err;
}

struct row {
	uint64_t address, op_index;
	int64_t line;
	uint64_t file;
	bool end_sequence;
};

static void reset(struct row *r)
{
	*r = (struct row){ .line = 1, .file = 1 };
}

static void advance(const struct table *t, struct row *r, uint64_t ops)
{
	uint64_t op = r->op_index + ops;
	r->address += t->min_inst * (op / t->max_ops);
	r->op_index = op % t->max_ops;
}

/* Go's LineReader.Next: 1 with *out the next row, 0 at the table's end, -1 on an error.
 * File indexes are resolved at the row (a later DW_LNE_define_file changes no row). */
static int next_row(struct table *t, struct cur *c, struct row *st, struct row *out,
		    const char **file)
{
	for (;;) {
		if (c->n == 0)
			return 0;
		unsigned op = (unsigned)fixed(c, 1);
		bool emit = false;
		if (op >= t->opcode_base) {
			unsigned adj = op - t->opcode_base;
			advance(t, st, adj / t->line_range);
			st->line += t->line_base + (int)(adj % t->line_range);
			emit = true;
		} else if (op == 0) {
			uint64_t len = uleb(c);
			if (c->err || len > c->n)
				return -1;
			struct cur ext = { c->p, (size_t)len, false, c->big_endian };
			unsigned sub = (unsigned)fixed(&ext, 1);
			bool end = false;
			if (sub == 1) {
				st->end_sequence = true;
				*out = *st;
				end = true;
			} else if (sub == 2) {
				if (t->addrsize != 1 && t->addrsize != 2 && t->addrsize != 4 &&
				    t->addrsize != 8)
					return -1;
				st->address = fixed(&ext, t->addrsize);
			} else if (sub == 3) {
				struct cur fc = ext;
				bool err = false;
				if (!file_entry(t, &fc, &err))
					return -1;
			} else if (sub == 4) {
				uleb(&ext);
			}
			if (ext.err)
				return -1;
			skip(c, len);
			if (end) {
				*file = out->file < t->files.n && t->files.v[out->file]
						? t->files.v[out->file]
						: "";
				reset(st);
				return 1;
			}
		} else {
			switch (op) {
			case 1:
				emit = true;
				break;
			case 2:
				advance(t, st, uleb(c));
				break;
			case 3:
				st->line += sleb(c);
				break;
			case 4:
				st->file = uleb(c);
				break;
			case 5:
				uleb(c);
				break;
			case 8:
				advance(t, st, (255 - t->opcode_base) / t->line_range);
				break;
			case 9:
				st->address += fixed(c, 2);
				break;
			case 12:
				uleb(c);
				break;
			case 6:
			case 7:
			case 10:
			case 11:
				break;
			default:
				for (unsigned i = 0; i < t->opcode_len[op]; i++)
					uleb(c);
			}
		}
		if (c->err)
			return -1;
		if (emit) {
			*out = *st;
			*file = st->file < t->files.n && t->files.v[st->file] ? t->files.v[st->file]
									      : "";
			return 1;
		}
	}
}

int dwarfline_seek_pc(const struct dwarfline_sections *s, uint64_t off, unsigned addrsize,
		      const char *comp_dir, uint64_t pc, char **file, int64_t *line)
{
	if (off >= s->n_line)
		return 0;
	struct table t = { .s = s, .addrsize = addrsize };
	struct cur c = { s->line + off, s->n_line - off, false, s->big_endian != 0 };
	int found = 0;
	if (!read_header(&t, &c, comp_dir ? comp_dir : ""))
		goto out;
	struct row st, entry, next;
	const char *efile, *nfile;
	reset(&st);
	if (next_row(&t, &c, &st, &entry, &efile) != 1 || entry.address > pc)
		goto out;
	for (;;) {
		if (next_row(&t, &c, &st, &next, &nfile) != 1)
			goto out;
		if (next.address > pc) {
			if (entry.end_sequence)
				goto out;
			*file = xstrdup(efile);
			*line = entry.line;
			found = 1;
			goto out;
		}
		entry = next;
		efile = nfile;
	}
out:
	strlist_release(&t.dirs);
	strlist_release(&t.files);
	return found;
}
