/* md: cprof's own report, top as Markdown for pull requests and CI summaries: the header
 * lines as a list, then the nodes as a GitHub pipe table (flat, flat%, sum%, cum, cum%,
 * name), 20 rows unless -nodecount says otherwise. Values and percentages are top's, to
 * the byte; text is escaped so that no name or filter turns into markup. */
#include <stdbool.h>
#include <string.h>

#include "report/report.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, UTF-8 */

void report_md_text(struct sink *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			sink_adds(out, REPLACEMENT);
			continue;
		}
		if (strchr("\\`*_[]<>#|~!", s[i]))
			sink_addch(out, '\\');
		sink_addch(out, s[i]);
	}
}

void report_md_code(struct sink *out, const char *name, size_t n)
{
	size_t run = 0, longest = 0;
	for (size_t i = 0; i < n; i++) {
		run = name[i] == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	/* A backtick at either end needs a space at both, which the span then drops. */
	bool pad = n && (name[0] == '`' || name[n - 1] == '`');
	sink_addchars(out, '`', longest + 1);
	if (pad)
		sink_addch(out, ' ');
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '\0') {
			sink_adds(out, REPLACEMENT);
			continue;
		}
		if (name[i] == '|')
			sink_addch(out, '\\');
		sink_addch(out, name[i]);
	}
	if (pad)
		sink_addch(out, ' ');
	sink_addchars(out, '`', longest + 1);
}

/* top's header lines, each a list item. */
static void add_header(const struct report *r, struct sink *out)
{
	struct sink legend;
	sink_init_mem(&legend);
	report_legend(r, r->graph, false, &legend);
	const char *s = strbuf_str(&legend.buf), *all_end = s + legend.buf.len;
	for (const char *end; s < all_end; s = end < all_end ? end + 1 : end) {
		end = memchr(s, '\n', (size_t)(all_end - s));
		if (!end)
			end = all_end;
		size_t n = (size_t)(end - s);
		while (n && *s == ' ') { /* an active filter's indent */
			s++;
			n--;
		}
		sink_adds(out, "- ");
		report_md_text(out, s, n);
		sink_addch(out, '\n');
	}
	sink_release(&legend);
}

static int md_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct graph *g = r->graph;
	add_header(r, out);
	sink_adds(out, "\n| flat | flat% | sum% | cum | cum% | name |\n"
		       "|---:|---:|---:|---:|---:|:---|\n");
	int64_t flat_sum = 0;
	char f[MEASURE_BUF], fp[MEASURE_BUF], sp[MEASURE_BUF], c[MEASURE_BUF], cp[MEASURE_BUF];
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		int64_t flat = graph_flat(n), cum = graph_cum(n);
		flat_sum = add64(flat_sum, flat);
		sink_addf(out, "| %s | %s | %s | %s | %s | ", report_value(r, f, flat),
			  report_percent(fp, flat, r->total),
			  report_percent(sp, flat_sum, r->total), report_value(r, c, cum),
			  report_percent(cp, cum, r->total));
		report_md_code(out, g->names[n->info], g->name_len[n->info]);
		sink_adds(out, report_inline_mark(n));
		sink_adds(out, " |\n");
	}
	return 0;
}

const struct report_backend report_md = {
	.name = "md",
	.summary = "top as Markdown: the header as a list, the nodes as a pipe table",
	.flags = REPORT_TEXT_COUNT | REPORT_MARKDOWN,
	.default_nodecount = 20,
	.needs = { .input = REPORT_INPUT_GRAPH, .inline_edges_only = true },
	.render = md_render,
};
