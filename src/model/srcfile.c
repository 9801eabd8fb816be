/* Source text split into lines; see srcfile.h. */
#include "model/srcfile.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void srcfile_set_text(struct srcfile *f, char *data, size_t len)
{
	f->data = data;
	if (!data)
		return;
	data[len] = '\0';
	size_t cap = 0, cap_len = 0;
	for (size_t pos = 0; pos < len;) {
		char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (end - pos + (nl ? 1 : 0) > SRCFILE_MAX_LINE)
			break;
		data[end] = '\0';
		size_t n = end - pos;
		if (n > 0 && data[end - 1] == '\r')
			data[end - 1] = '\0', n--;
		XGROW(f->lines, cap, f->n_lines + 1);
		XGROW(f->line_len, cap_len, f->n_lines + 1);
		f->line_len[f->n_lines] = (uint32_t)n;
		f->lines[f->n_lines++] = data + pos;
		pos = end + 1;
	}
}

const char *srcfile_line(const struct srcfile *f, int64_t lineno)
{
	if (lineno <= 0 || (uint64_t)lineno > f->n_lines)
		return NULL;
	return f->lines[lineno - 1];
}

size_t srcfile_line_len(const struct srcfile *f, int64_t lineno)
{
	return f->line_len[lineno - 1];
}

void srcfile_release(struct srcfile *f)
{
	free(f->line_len);
	free(f->path);
	free(f->data);
	free(f->lines);
	free(f->error);
	free(f->fallback);
	memset(f, 0, sizeof(*f));
}
