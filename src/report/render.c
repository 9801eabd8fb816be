/* Lays out and draws the dot report's graph with graphviz in memory (agmemread, gvLayout,
 * gvRenderData). Graphviz's warnings (font substitutions and the like) stay quiet; its
 * errors become the report's error. */
#include "report/render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <string.h>

extern const struct report_backend report_dot;

#if defined(__SANITIZE_ADDRESS__)
#define LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAK_CHECKED 1
#endif
#endif

#ifdef LEAK_CHECKED
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/* LeakSanitizer's hook: graphviz 2.43 (its plugin configuration, dot's cluster layout) and
 * fontconfig keep memory to the end of the process; only allocations made inside those
 * libraries are ignored, never cprof's own. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\n"
	       "leak:libcgraph.so\n"
	       "leak:libgvplugin_\n"
	       "leak:libfontconfig.so\n"
	       "leak:libpango\n"
	       "leak:libcairo.so\n";
}
#endif

/* Graphviz reports through a callback without context, in pieces ("Error", ": <stdin>:
 * syntax error ...\n"): gather them, and report the first line without its "Error: ". */
static char gv_message[512];

static int keep_message(char *msg)
{
	size_t n = strlen(gv_message);
	snprintf(gv_message + n, sizeof(gv_message) - n, "%s", msg);
	return 0;
}

static int gv_error(struct cprof_error *err, const char *format, const char *what)
{
	char *m = gv_message;
	if (strncmp(m, "Error", 5) == 0)
		m += 5;
	m += strspn(m, ": ");
	m[strcspn(m, "\n")] = '\0';
	return error_set(err, "%s: graphviz: %s", format, *m ? m : what);
}

/* One graphviz context for the process, never freed: graphviz 2.42's pango plugin keeps a
 * pointer to the font name it last measured, which the context owns, and compares it on
 * its next call; freeing the context and making another reads freed memory at the second
 * picture a process draws. */
static GVC_t *context(void)
{
	static GVC_t *gvc;
	if (!gvc)
		gvc = gvContext();
	return gvc;
}

int render_graph(const struct report *r, const char *format, struct strbuf *out,
		 struct cprof_error *err)
{
	struct sink dot;
	sink_init_mem(&dot);
	if (report_dot.render(r, &dot, err) < 0) {
		sink_release(&dot);
		return -1;
	}
	/* graphviz reads the text as a C string: a NUL in a name or label (the only places
	 * the dot text can hold one) is drawn as U+FFFD, as cprof's own reports show it. */
	if (memchr(dot.buf.buf, '\0', dot.buf.len)) {
		struct strbuf text = STRBUF_INIT;
		for (size_t i = 0; i < dot.buf.len; i++) {
			if (dot.buf.buf[i])
				strbuf_addch(&text, dot.buf.buf[i]);
			else
				strbuf_adds(&text, "\xef\xbf\xbd");
		}
		strbuf_release(&dot.buf);
		dot.buf = text;
	}
	gv_message[0] = '\0';
	agseterr(AGERR);
	agusererrf old = agseterrf(keep_message);
	int rc = -1;
	GVC_t *gvc = context();
	Agraph_t *g = gvc ? agmemread(strbuf_str(&dot.buf)) : NULL;
	if (!gvc) {
		gv_error(err, format, "cannot start");
	} else if (!g) {
		gv_error(err, format, "cannot read the graph");
	} else if (gvLayout(gvc, g, "dot") != 0) {
		gv_error(err, format, "layout failed");
	} else {
		char *data = NULL;
		unsigned int len = 0;
		if (gvRenderData(gvc, g, format, &data, &len) != 0 || !data) {
			gv_error(err, format, "rendering failed");
		} else {
			strbuf_add(out, data, len);
			rc = 0;
		}
		gvFreeRenderData(data);
		gvFreeLayout(gvc, g);
	}
	if (g)
		agclose(g);
	agseterrf(old);
	sink_release(&dot);
	return rc;
}

int render_graph_to(const struct report *r, const char *format, struct sink *out,
		    struct cprof_error *err)
{
	struct strbuf pic = STRBUF_INIT;
	int rc = render_graph(r, format, &pic, err);
	if (rc == 0)
		sink_add(out, pic.buf, pic.len);
	strbuf_release(&pic);
	return rc;
}
