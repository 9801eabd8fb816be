/* Column alignment as Go's text/tabwriter computes it: widths are found per column block
 * (consecutive lines that have a cell in that column), recursively, and cells are padded on
 * the left to the block's width plus one. */
#include "report/tabwriter.h"

#include <stdbool.h>
#include <string.h>

#include "util/xalloc.h"

struct cell {
	const char *s;
	size_t len, width; /* bytes, characters */
};

struct line {
	struct cell *cells;
	size_t n;
	bool nl; /* ended with a newline */
};

struct fmt {
	struct sink *out;
	struct line *lines;
	size_t *widths;
	size_t n_widths;
};

static size_t utf8_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void write_lines(struct fmt *f, size_t line0, size_t line1)
{
	for (size_t i = line0; i < line1; i++) {
		const struct line *l = &f->lines[i];
		for (size_t j = 0; j < l->n; j++) {
			const struct cell *c = &l->cells[j];
			if (j < f->n_widths && f->widths[j] > c->width)
				sink_addchars(f->out, ' ', f->widths[j] - c->width);
			sink_add(f->out, c->s, c->len);
		}
		if (l->nl)
			sink_addch(f->out, '\n');
	}
}

/* Go's Writer.format: align column len(widths) over lines [line0, line1). */
static void format(struct fmt *f, size_t line0, size_t line1)
{
	size_t column = f->n_widths;
	for (size_t at = line0; at < line1; at++) {
		if (column + 1 >= f->lines[at].n)
			continue;
		write_lines(f, line0, at);
		line0 = at;
		size_t width = 0;
		for (; at < line1; at++) {
			const struct line *l = &f->lines[at];
			if (column + 1 >= l->n)
				break;
			size_t w = l->cells[column].width + 1;
			if (w > width)
				width = w;
		}
		f->widths[f->n_widths++] = width;
		format(f, line0, at);
		f->n_widths--;
		line0 = at;
	}
	write_lines(f, line0, line1);
}

void tabwriter_init(struct tabwriter *tw, struct sink *out)
{
	tw->out = out;
	strbuf_init(&tw->text);
}

void tabwriter_add(struct tabwriter *tw, const char *s)
{
	strbuf_adds(&tw->text, s);
}

void tabwriter_add_n(struct tabwriter *tw, const char *s, size_t n)
{
	strbuf_add(&tw->text, s, n);
}

void tabwriter_flush(struct tabwriter *tw)
{
	const char *t = tw->text.buf ? tw->text.buf : "";
	size_t len = tw->text.len, n_lines = 1;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n')
			n_lines++;
	struct line *lines = xcalloc(n_lines, sizeof(*lines));
	struct cell *cells = xmalloc((len + 2) * sizeof(*cells));
	size_t n = 0, used = 0, start = 0, max_cells = 1;
	lines[0].cells = cells;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && t[i] != '\t' && t[i] != '\n')
			continue;
		if (i == len && start == len)
			break; /* nothing after the last newline */
		struct cell c = { t + start, i - start, utf8_width(t + start, i - start) };
		cells[used++] = c;
		lines[n].n++;
		start = i + 1;
		if (i == len || t[i] == '\n') {
			lines[n].nl = i < len;
			if (lines[n].n > max_cells)
				max_cells = lines[n].n;
			n++;
			if (n < n_lines)
				lines[n].cells = cells + used;
		}
	}

	/* Flush at every line without tabs, as Go's tabwriter does. */
	struct fmt f = { tw->out, lines, xmalloc((max_cells + 1) * sizeof(size_t)), 0 };
	size_t block = 0;
	for (size_t i = 0; i < n; i++)
		if (lines[i].n == 1) {
			format(&f, block, i + 1);
			block = i + 1;
		}
	format(&f, block, n);
	free(f.widths);
	free(cells);
	free(lines);
	strbuf_release(&tw->text);
}
