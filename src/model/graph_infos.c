/* Node identity: the node infos each location has under the granularity (pprof's
 * Aggregate and CreateNodes), their printable names, and graph_locations_build. */
#include "model/graph_private.h"

#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"
#include "util/path.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static uint64_t info_hash(const struct node_info *i)
{
	uint64_t h = hash_u64(i->name ^ ((uint64_t)i->file << 32));
	h = hash_u64(h ^ i->address);
	h = hash_u64(h ^ (uint64_t)i->lineno ^ ((uint64_t)i->start_line << 40));
	return hash_u64(h ^ i->objfile ^ ((uint64_t)i->orig_name << 32));
}

static bool info_eq(const struct node_info *a, const struct node_info *b)
{
	return a->name == b->name && a->orig_name == b->orig_name && a->file == b->file &&
	       a->objfile == b->objfile && a->address == b->address &&
	       a->start_line == b->start_line && a->lineno == b->lineno;
}

/* Adds pprof's printable name of info i to sb. */
static void add_printable_name(struct strbuf *sb, const struct profile *p,
			       const struct node_info *i)
{
	const char *name = profile_str(p, i->name), *file = profile_str(p, i->file);
	size_t name_len = profile_str_len(p, i->name), file_len = profile_str_len(p, i->file);
	size_t start = sb->len;
	strbuf_grow(sb, 16 + 1 + name_len + 1 + file_len + 21); /* all but "[objfile]" */
	if (i->address)
		strbuf_add_hex16(sb, i->address);
	if (name_len) {
		if (sb->len > start)
			strbuf_addch(sb, ' ');
		strbuf_add(sb, name, name_len);
	}
	/* Then what says where: file:line, else the file, else (with no name either) the
	 * object file's base name or "<unknown>". */
	const char *objfile = profile_str(p, i->objfile);
	if (i->lineno != 0 || file_len || (!name_len)) {
		if (sb->len > start)
			strbuf_addch(sb, ' ');
		if (i->lineno != 0 || file_len) {
			strbuf_add(sb, file, file_len);
			if (i->lineno != 0) {
				strbuf_addch(sb, ':');
				strbuf_add_i64(sb, i->lineno);
			}
		} else if (*objfile) {
			char *base = xmalloc(strlen(objfile) + 2);
			strbuf_addf(sb, "[%s]", path_base(base, objfile));
			free(base);
		} else {
			strbuf_adds(sb, "<unknown>");
		}
	}
}

/* The printable names of the n infos, end to end in one block (returned), each
 * NUL-terminated: names[i] and len[i]. */
static char *printable_names(const struct profile *p, const struct node_info *infos, size_t n,
			     char **names, uint32_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_grow(&sb, n * 48);
	size_t *at = xmalloc((n + 1) * sizeof(*at));
	for (size_t i = 0; i < n; i++) {
		at[i] = sb.len;
		add_printable_name(&sb, p, &infos[i]);
		len[i] = (uint32_t)(sb.len - at[i]);
		strbuf_addch(&sb, '\0');
	}
	char *bytes = sb.buf; /* the block is the caller's */
	for (size_t i = 0; i < n; i++)
		names[i] = bytes + at[i];
	free(at);
	return bytes;
}

const char *graph_sprint_info(struct builder *b, uint32_t ix, size_t *len)
{
	if (b->sprint_of)
		ix = b->sprint_of[ix];
	if (!b->sprints[ix]) {
		const struct profile *p = b->p;
		const struct node_info *i = &b->sprint_infos[ix];
		struct strbuf sb = STRBUF_INIT;
		/* One allocation: the strings and four numbers of at most 20 digits. */
		strbuf_grow(&sb, profile_str_len(p, i->name) + profile_str_len(p, i->orig_name) +
					 profile_str_len(p, i->file) +
					 profile_str_len(p, i->objfile) + 4 * 21 + 8);
		strbuf_addch(&sb, '{');
		strbuf_add(&sb, profile_str(p, i->name), profile_str_len(p, i->name));
		strbuf_addch(&sb, ' ');
		strbuf_add(&sb, profile_str(p, i->orig_name), profile_str_len(p, i->orig_name));
		strbuf_addch(&sb, ' ');
		strbuf_add_u64(&sb, i->address);
		strbuf_addch(&sb, ' ');
		strbuf_add(&sb, profile_str(p, i->file), profile_str_len(p, i->file));
		strbuf_addch(&sb, ' ');
		strbuf_add_i64(&sb, i->start_line);
		strbuf_addch(&sb, ' ');
		strbuf_add_i64(&sb, i->lineno);
		strbuf_addch(&sb, ' ');
		strbuf_add(&sb, profile_str(p, i->objfile), profile_str_len(p, i->objfile));
		strbuf_addch(&sb, '}');
		b->sprints[ix] = sb.buf;
		b->sprint_len[ix] = (uint32_t)sb.len;
	}
	*len = b->sprint_len[ix];
	return b->sprints[ix];
}

int graph_sprint_cmp(struct builder *b, uint32_t a, uint32_t c)
{
	size_t an, cn;
	const char *as = graph_sprint_info(b, a, &an), *cs = graph_sprint_info(b, c, &cn);
	return as == cs ? 0 : graph_bytes_cmp(as, an, cs, cn);
}

/* What of a frame the granularity keeps in its node info. */
struct kept_fields {
	bool inlines, function, filename, linenumber, address;
};

static struct kept_fields kept_fields(const struct graph_options *o)
{
	struct kept_fields k = { .inlines = !o->noinlines,
				 .function = true,
				 .filename = true,
				 .linenumber = true,
				 .address = true };
	switch (o->granularity) {
	case GRAN_ADDRESSES:
		break; /* with inlines pprof aggregates nothing at all */
	case GRAN_LINES:
		k.address = false;
		break;
	case GRAN_FILES:
		k.function = k.linenumber = k.address = false;
		break;
	case GRAN_FUNCTIONS:
		k.filename = k.linenumber = k.address = false;
		break;
	case GRAN_FILEFUNCTIONS:
		k.linenumber = k.address = false;
		break;
	}
	return k;
}

/* Per function: the cleaned, trimmed file name id, computed once (all 0 unless
 * filename). */
static uint32_t *function_files(struct profile *p, const struct graph_options *o, bool filename)
{
	uint32_t *fun_file = xmalloc((p->n_functions + 1) * sizeof(*fun_file));
	char *tmp = NULL;
	size_t tmpcap = 0;
	for (size_t f = 0; f < p->n_functions; f++) {
		const char *name = profile_str(p, p->functions[f].filename);
		size_t len = profile_str_len(p, p->functions[f].filename);
		if (!filename || !len) {
			fun_file[f] = 0;
			continue;
		}
		const char *t = o->raw_paths ? name
					     : path_trim_n(name, len, o->trim_path, o->source_path);
		size_t tlen = len - (size_t)(t - name);
		if (!tlen) {
			fun_file[f] = 0;
			continue;
		}
		XGROW(tmp, tmpcap, tlen + 2);
		fun_file[f] = strtab_intern(&p->strs, tmp, path_clean_n(tmp, t, tlen));
	}
	free(tmp);
	return fun_file;
}

/* graph_make_infos's state while it gives the locations their nodes. */
struct infos_state {
	struct builder *b;
	struct kept_fields k;
	const uint32_t *fun_file; /* per function: see function_files */
	struct hashmap map;       /* info_hash -> info index */
	size_t cap_infos;
};

/* The node info of location l's line ln (NULL for a location without lines); objfile is
 * the location's binary. */
static struct node_info line_info(const struct infos_state *s, const struct location *l,
				  const struct line *ln, uint32_t objfile)
{
	struct node_info ni;
	memset(&ni, 0, sizeof(ni));
	ni.address = s->k.address ? l->address : 0;
	if (!ln || ln->function == PROFILE_NONE) {
		ni.objfile = objfile;
	} else {
		const struct function *fn = &s->b->p->functions[ln->function];
		ni.lineno = s->k.linenumber ? ln->line : 0;
		ni.name = s->k.function ? fn->name : 0;
		ni.file = s->fun_file[ln->function];
		if (s->b->o->obj_names || ni.name == 0) {
			ni.objfile = objfile;
			ni.start_line = fn->start_line;
		}
	}
	return ni;
}

/* The index of ni among the graph's infos, where it is added if new. */
static uint32_t intern_info(struct infos_state *s, const struct node_info *ni)
{
	struct graph *g = s->b->g;
	uint64_t h = info_hash(ni);
	uint32_t ix;
	/* Probe on the hash; on a collision with a different info, rehash. */
	for (;;) {
		ix = hashmap_get(&s->map, h);
		if (ix == HASHMAP_NONE || info_eq(&g->infos[ix], ni))
			break;
		h = hash_u64(h + 1);
	}
	if (ix == HASHMAP_NONE) {
		XGROW(g->infos, s->cap_infos, g->n_infos + 1);
		ix = (uint32_t)g->n_infos++;
		g->infos[ix] = *ni;
		hashmap_put(&s->map, h, ix);
	}
	return ix;
}

/* Fills b->loc_off and b->loc_nodes: each location's node infos, innermost line first. */
static void location_nodes(struct infos_state *s)
{
	struct builder *b = s->b;
	const struct profile *p = b->p;
	size_t cap_nodes = 0, n_nodes = 0;
	b->loc_off = xmalloc((p->n_locations + 1) * sizeof(*b->loc_off));
	for (size_t li = 0; li < p->n_locations; li++) {
		const struct location *l = &p->locations[li];
		b->loc_off[li] = (uint32_t)n_nodes;
		uint32_t first = 0, n = l->n_lines;
		if (!s->k.inlines && n > 1) {
			first = n - 1;
			n = 1;
		}
		uint32_t objfile = 0;
		if (l->mapping != PROFILE_NONE)
			objfile = p->mappings[l->mapping].file;
		XGROW(b->loc_nodes, cap_nodes, n_nodes + (n ? n : 1));
		for (uint32_t k = 0; k < (n ? n : 1); k++) {
			const struct line *ln = n ? &p->lines[l->first_line + first + k] : NULL;
			struct node_info ni = line_info(s, l, ln, objfile);
			b->loc_nodes[n_nodes++] = intern_info(s, &ni);
		}
	}
	b->loc_off[p->n_locations] = (uint32_t)n_nodes;
}

void graph_make_infos(struct builder *b)
{
	struct profile *p = (struct profile *)b->p; /* only its strtab grows */
	const struct graph_options *o = b->o;
	struct graph *g = b->g;
	struct infos_state s = { .b = b, .k = kept_fields(o) };
	uint32_t *fun_file = function_files(p, o, s.k.filename);
	s.fun_file = fun_file;
	hashmap_init(&s.map, p->n_functions + 16);
	location_nodes(&s);
	hashmap_release(&s.map);
	/* Most locations have one node: the passes find it with one lookup. */
	b->loc_one = xmalloc((p->n_locations + 1) * sizeof(*b->loc_one));
	for (size_t li = 0; li < p->n_locations; li++) {
		uint32_t lo = b->loc_off[li], n = b->loc_off[li + 1] - lo;
		b->loc_one[li] = n == 1 ? b->loc_nodes[lo] : LOC_MULTI;
	}
	free(fun_file);

	if (o->inline_edges_only) {
		/* An edge is inlined when it leads to a location's inner line. */
		b->edge_dst = xcalloc(g->n_infos + 1, 1);
		for (size_t li = 0; li < p->n_locations; li++)
			for (uint32_t k = b->loc_off[li]; k + 1 < b->loc_off[li + 1]; k++)
				b->edge_dst[b->loc_nodes[k]] = 1;
	}

	b->sprints = xcalloc(g->n_infos + 1, sizeof(*b->sprints));
	b->sprint_len = xmalloc((g->n_infos + 1) * sizeof(*b->sprint_len));
	b->sprint_infos = g->infos;
	b->n_sprints = g->n_infos;
}

void graph_make_names(struct builder *b)
{
	struct graph *g = b->g;
	g->names = xmalloc((g->n_infos + 1) * sizeof(*g->names));
	g->name_len = xmalloc((g->n_infos + 1) * sizeof(*g->name_len));
	g->name_bytes = printable_names(b->p, g->infos, g->n_infos, g->names, g->name_len);
}

void graph_locations_build(struct graph_locations *gl, const struct profile *p,
			   const struct graph_options *o)
{
	struct graph g;
	memset(&g, 0, sizeof(g));
	g.prof = p;
	struct builder b = { .p = p, .o = o, .g = &g };
	graph_make_infos(&b);
	graph_make_names(&b);
	free(b.sprints);
	free(b.sprint_len);
	free(b.edge_dst);
	free(b.loc_one);
	gl->infos = g.infos;
	gl->names = g.names;
	gl->name_len = g.name_len;
	gl->name_bytes = g.name_bytes;
	gl->n_infos = g.n_infos;
	gl->loc_off = b.loc_off;
	gl->loc_nodes = b.loc_nodes;
}

void graph_locations_release(struct graph_locations *gl)
{
	free(gl->name_bytes);
	free(gl->names);
	free(gl->name_len);
	free(gl->infos);
	free(gl->loc_off);
	free(gl->loc_nodes);
	memset(gl, 0, sizeof(*gl));
}
