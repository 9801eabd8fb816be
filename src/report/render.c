/* Lays out and draws the dot report's graph with graphviz in memory (agread, gvLayout,
 * gvRenderData). Graphviz's warnings (font substitutions and the like) stay quiet; its
 * errors become the report's error. */
#include "report/render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

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

/* Graphviz names an object whose name starts with '%' (a legend titled "%k1") by a number
 * from a counter its default ID discipline keeps for the whole process, and prints that
 * number ("%3") in the picture: the second picture a process draws (the shell, html's
 * panels) would differ from the first, and from pprof's, whose dot program draws one
 * graph. This discipline is graphviz's own but for a counter per graph, each starting
 * where the process's counter stood before its first graph (first_id). */
struct ids {
	void *inner; /* AgIdDisc's state */
	IDTYPE next;
};

static IDTYPE first_id;

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
	struct ids *s = xmalloc(sizeof(*s));
	s->inner = AgIdDisc.open(g, disc);
	s->next = first_id;
	return s;
}

static long ids_map(void *state, int type, char *str, IDTYPE *id, int create)
{
	struct ids *s = state;
	if (str || !create)
		return AgIdDisc.map(s->inner, type, str, id, create);
	*id = s->next;
	s->next += 2;
	return 1;
}

static long ids_alloc(void *state, int type, IDTYPE id)
{
	return AgIdDisc.alloc(((struct ids *)state)->inner, type, id);
}

static void ids_free(void *state, int type, IDTYPE id)
{
	AgIdDisc.free(((struct ids *)state)->inner, type, id);
}

static char *ids_print(void *state, int type, IDTYPE id)
{
	return AgIdDisc.print(((struct ids *)state)->inner, type, id);
}

static void ids_close(void *state)
{
	AgIdDisc.close(((struct ids *)state)->inner);
	free(state);
}

static void ids_register(void *state, int type, void *obj)
{
	AgIdDisc.idregister(((struct ids *)state)->inner, type, obj);
}

static Agiddisc_t ids_disc = { ids_open,  ids_map,   ids_alloc,   ids_free,
			       ids_print, ids_close, ids_register };

/* agmemread's reader: a line at a time (as far as the newline, or bufsize bytes). */
struct text_reader {
	const char *text;
	size_t len, at;
};

static int read_line(void *chan, char *buf, int bufsize)
{
	struct text_reader *t = chan;
	size_t n = 0;
	while (t->at < t->len && n < (size_t)bufsize) {
		char c = buf[n++] = t->text[t->at++];
		if (c == '\n')
			break;
	}
	return (int)n;
}

/* agmemread of text, but with the ID discipline above. */
static Agraph_t *read_graph(const char *text, size_t len)
{
	if (!first_id) /* the number graphviz would give the first such name: read it once */
		AgIdDisc.map(NULL, AGNODE, NULL, &first_id, 1);
	/* The graph keeps pointers to its disciplines: they must outlive the call. */
	static Agiodisc_t io;
	io = (Agiodisc_t){ read_line, AgIoDisc.putstr, AgIoDisc.flush };
	Agdisc_t disc = { &AgMemDisc, &ids_disc, &io };
	struct text_reader t = { text, len, 0 };
	return agread(&t, &disc);
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
	Agraph_t *g = gvc ? read_graph(strbuf_str(&dot.buf), dot.buf.len) : NULL;
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
