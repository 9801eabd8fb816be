/* pprof's locateBinaries and doLocalSymbolize over cprof's model; see local.h. */
#include "symbolize/local.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "symbolize/objfile.h"
#include "util/hashmap.h"
#include "util/path.h"
#include "util/xalloc.h"

/* filepath.Join(a, b, c) for Unix paths: the non-empty parts joined by '/', cleaned. */
static char *join3(const char *a, const char *b, const char *c)
{
	const char *parts[] = { a, b, c };
	size_t n = 0;
	for (size_t i = 0; i < 3; i++)
		n += parts[i] ? strlen(parts[i]) + 1 : 0;
	char *raw = xmalloc(n + 1), *out = xmalloc(n + 3);
	size_t len = 0;
	for (size_t i = 0; i < 3; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (len)
			raw[len++] = '/';
		memcpy(raw + len, parts[i], strlen(parts[i]));
		len += strlen(parts[i]);
	}
	raw[len] = '\0';
	if (len)
		path_clean(out, raw);
	else
		out[0] = '\0';
	free(raw);
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* filepath.Glob of everything in dir: the directory's entries (Go's * matches a leading
 * dot too), sorted. */
static char **glob_dir(const char *dir, size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **out = NULL;
	size_t cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		XGROW(out, cap, *n + 1);
		out[(*n)++] = join3(dir, e->d_name, NULL);
	}
	closedir(d);
	if (*n)
		qsort(out, *n, sizeof(*out), cmp_str);
	return out;
}

/* Tries the candidates for mapping m in one directory; true once one is taken. */
static bool try_dir(struct profile *p, struct mapping *m, const char *dir, FILE *warn)
{
	const char *file = profile_str(p, m->file), *bid = profile_str(p, m->build_id);
	char *base = NULL;
	if (*file) {
		base = xmalloc(strlen(file) + 2);
		path_base(base, file);
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	if (*bid) {
		size_t ng;
		char *bdir = join3(dir, bid, NULL);
		char **g = glob_dir(bdir, &ng);
		free(bdir);
		XGROW(names, cap, ng + 2);
		names[n++] = join3(dir, bid, base ? base : "");
		for (size_t i = 0; i < ng; i++)
			names[n++] = g[i];
		free(g);
		names[n++] = join3(dir, file, bid);
	}
	if (*file) {
		XGROW(names, cap, n + 2);
		names[n++] = join3(dir, base, NULL);
		names[n++] = join3(dir, file, NULL);
	}
	bool taken = false;
	for (size_t i = 0; i < n && !taken; i++) {
		struct objfile *f;
		struct cprof_error err;
		if (objfile_open(names[i], 0, &f, &err) < 0)
			continue;
		objfile_close(f);
		if (*bid) /* the object tool reads no build id: always a mismatch */
			fprintf(warn, "Ignoring local file %s: build-id mismatch (%s != )\n",
				names[i], bid);
		else
			m->file = strtab_intern(&p->strs, names[i], strlen(names[i])), taken = true;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(base);
	return taken;
}

void symbolize_locate(struct profile *p, const char *search, FILE *warn)
{
	char *path;
	if (search && *search) {
		path = xstrdup(search);
	} else {
		const char *home = getenv("HOME");
		path = join3(home ? home : "", "pprof", "binaries");
	}
	for (size_t i = 0; i < p->n_mappings; i++) {
		/* filepath.SplitList: an empty list is no directory at all. */
		for (char *dir = path, *end; *path; dir = end + 1) {
			end = strchr(dir, ':');
			char save = end ? *end : '\0';
			if (end)
				*end = '\0';
			bool taken = try_dir(p, &p->mappings[i], dir, warn);
			if (end)
				*end = save;
			if (taken || !end)
				break;
		}
	}
	free(path);
}

/* Which mappings (*used) and locations (*locs) samples with a nonzero value use: pprof's
 * merge keeps only such samples, and its symbolizer sees only the locations they use. */
static bool *used_mappings(const struct profile *p, bool **used_locs)
{
	bool *used = xcalloc(p->n_mappings + 1, sizeof(*used));
	bool *ul = *used_locs = xcalloc(p->n_locations + 1, sizeof(*ul));
	/* The stacks of samples with a value, each walked once however many samples share it. */
	bool *stacks = xcalloc(p->n_stacks + 1, sizeof(*stacks));
	for (size_t s = 0; s < p->n_samples; s++) {
		const int64_t *v = profile_values(p, s);
		bool zero = true;
		for (size_t t = 0; t < p->n_types && zero; t++)
			zero = v[t] == 0;
		if (!zero)
			stacks[p->samples[s].stack] = true;
	}
	struct stack_buf b = { 0 };
	for (uint32_t st = 0; st < p->n_stacks; st++) {
		if (!stacks[st])
			continue;
		const uint32_t *locs = profile_stack(p, st, &b);
		for (uint32_t d = 0; d < p->stacks[st].depth; d++) {
			ul[locs[d]] = true;
			uint32_t m = p->locations[locs[d]].mapping;
			if (m < p->n_mappings)
				used[m] = true;
		}
	}
	stack_buf_release(&b);
	free(stacks);
	return used;
}

/* pprof's Mapping.Unsymbolizable: "[vdso]"-like names, linux-vdso, /dev/dri/. */
static bool unsymbolizable(const char *file)
{
	char *base = xmalloc(strlen(file) + 2);
	path_base(base, file);
	bool r = base[0] == '[' || strncmp(base, "linux-vdso", 10) == 0 ||
		 strncmp(file, "/dev/dri/", 9) == 0;
	free(base);
	return r;
}

/* A source URL (pprof skips those when they have no build id). */
static bool is_http_url(const char *file)
{
	const char *colon = strchr(file, ':');
	if (!colon || colon == file)
		return false;
	for (const char *c = file; c < colon; c++)
		if (!(((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z') ||
		      (c > file &&
		       ((*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.'))))
			return false;
	for (const char *c = file; c + 4 <= colon; c++)
		if (strncasecmp(c, "http", 4) == 0)
			return true;
	return false;
}

/* Whether mapping m lacks symbols and could get them (or a warning that it cannot): one
 * with a file that pprof never opens gets neither. */
static bool wants_symbols(const struct profile *p, const struct mapping *m)
{
	if (m->has_functions || m->has_filenames || m->has_line_numbers)
		return false;
	const char *file = profile_str(p, m->file);
	return !*file ||
	       !(unsymbolizable(file) || (!*profile_str(p, m->build_id) && is_http_url(file)));
}

static void symbolize_location(struct profile *p, struct location *l, struct objfile *f,
			       struct hashmap *funcs)
{
	struct objframe fr;
	if (objfile_source_line(f, l->address, &fr) <= 0)
		return;
	struct mapping *m = &p->mappings[l->mapping];
	m->has_functions |= *fr.func != '\0';
	m->has_filenames |= *fr.file != '\0';
	m->has_line_numbers |= fr.line != 0;
	m->has_inline_frames = true;
	uint32_t name = strtab_intern(&p->strs, fr.func, strlen(fr.func));
	uint32_t file = strtab_intern(&p->strs, fr.file, strlen(fr.file));
	uint64_t key = (uint64_t)name << 32 | file;
	uint32_t fi = hashmap_get(funcs, key);
	if (fi == HASHMAP_NONE) {
		fi = (uint32_t)p->n_functions;
		XGROW(p->functions, p->cap_functions, p->n_functions + 1);
		p->functions[fi] = (struct function){
			.id = fi + 1, .name = name, .system_name = name, .filename = file
		};
		p->n_functions++;
		hashmap_put(funcs, key, fi);
	}
	XGROW(p->lines, p->cap_lines, p->n_lines + 1);
	p->lines[p->n_lines] = (struct line){ .function = fi, .line = fr.line };
	l->first_line = (uint32_t)p->n_lines++;
	l->n_lines = 1;
	l->is_folded = false;
}

void symbolize_local(struct profile *p, bool force, FILE *warn)
{
	if (p->n_mappings == 0)
		return;
	/* Nothing to do (and nothing to warn about) unless some mapping lacks symbols and
	 * could be opened or warned about: the common case (Go's [vdso] and [vsyscall] lack
	 * them, but are never opened) then costs no walk over the samples. */
	bool candidate = false;
	for (size_t i = 0; i < p->n_mappings && !candidate; i++)
		candidate = force || wants_symbols(p, &p->mappings[i]);
	if (!candidate)
		return;
	bool *used_locs;
	bool *used = used_mappings(p, &used_locs);
	struct objfile **seg = xcalloc(p->n_mappings, sizeof(*seg));
	bool missing = false, any = false;
	for (size_t i = 0; i < p->n_mappings; i++) {
		struct mapping *m = &p->mappings[i];
		if (!used[i])
			continue;
		if (!force && !wants_symbols(p, m))
			continue;
		const char *file = profile_str(p, m->file), *bid = profile_str(p, m->build_id);
		if (!*file) {
			if (i == 0)
				fprintf(warn, "Main binary filename not available.\n");
			else
				missing = true;
			continue;
		}
		if (unsymbolizable(file) || (!*bid && is_http_url(file)))
			continue;
		struct cprof_error err;
		if (objfile_open(file, m->start, &seg[i], &err) < 0) {
			char *base = xmalloc(strlen(file) + 2);
			path_base(base, file);
			fprintf(warn, "Local symbolization failed for %s%s%s%s: %s\n", base,
				*bid ? " (build ID " : "", bid, *bid ? ")" : "", err.msg);
			free(base);
			missing = true;
			continue;
		}
		any = true;
	}
	if (missing)
		fprintf(warn, "Some binary filenames not available. Symbolization may be "
			      "incomplete.\nTry setting PPROF_BINARY_PATH to the search path for "
			      "local binaries.\n");
	if (any) {
		struct hashmap funcs;
		hashmap_init(&funcs, 64);
		for (size_t i = 0; i < p->n_locations; i++) {
			struct location *l = &p->locations[i];
			if (used_locs[i] && l->mapping < p->n_mappings && seg[l->mapping])
				symbolize_location(p, l, seg[l->mapping], &funcs);
		}
		hashmap_release(&funcs);
	}
	for (size_t i = 0; i < p->n_mappings; i++)
		objfile_close(seg[i]);
	free(seg);
	free(used);
	free(used_locs);
}
