/* pprof's demangling heuristics for names that are already demangled; see symbolize.h. */
#include "model/symbolize.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void symbolize_parse(const char *mode, struct symbolize_mode *m)
{
	memset(m, 0, sizeof(*m));
	m->no_params = m->no_templates = true;
	if (!mode)
		return;
	char *lower = xstrdup(mode);
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (char *part = lower, *next; part; part = next) {
		next = strchr(part, ':');
		if (next)
			*next++ = '\0';
		const char *d = strncmp(part, "demangle=", 9) == 0 ? part + 9 : part;
		if (!strcmp(part, "local") || !strcmp(part, "fastlocal") ||
		    !strcmp(part, "remote")) {
			m->no_local = !strcmp(part, "remote");
		} else if (!*part || !strcmp(d, "default")) {
			continue;
		} else if (!strcmp(part, "none") || !strcmp(part, "no")) {
			m->off = true; /* pprof stops reading the mode here */
			break;
		} else if (!strcmp(part, "force")) {
			m->force = true;
		} else if (!strcmp(d, "full") || !strcmp(d, "none") || !strcmp(d, "templates")) {
			/* templates drops parameters, full keeps them (and drops only clone
			 * suffixes), none keeps everything. */
			m->no_params = !strcmp(d, "templates");
			m->no_templates = false;
			m->clones = !strcmp(d, "none");
			m->force = true;
		} else {
			m->unrecognized++;
		}
	}
	free(lower);
}

char *symbolize_remove_matching(char *s, char open, char close)
{
	size_t nesting = 0, first = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == open) {
			if (nesting++ == 0)
				first = i;
		} else if (s[i] == close) {
			if (nesting == 0)
				return s; /* a close with no open: pprof gives up here */
			if (--nesting == 0) {
				memmove(s + first, s + i + 1, strlen(s + i + 1) + 1);
				i = first - 1; /* wraps at 0; the loop's i++ brings it back */
			}
		}
	}
	return s;
}

/* pprof's looksLikeDemangledCPlusPlus: "::", "<", ">", "[" or "]", except Java's
 * "class.<init>" and Go's "pkg.(*T[...]).Method". */
static bool looks_like_cplusplus(const char *name)
{
	if (strstr(name, ".<") || strstr(name, "])."))
		return false;
	return strpbrk(name, "<>[]") || strstr(name, "::");
}

void symbolize_names(struct profile *p, const struct symbolize_mode *m)
{
	if (m->off)
		return;
	char *buf = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < p->n_functions; i++) {
		struct function *f = &p->functions[i];
		if (m->force && f->name != 0 && f->system_name != 0)
			f->name = f->system_name;
		if (f->name != 0 && f->name != f->system_name)
			continue; /* demangled on its own already */
		const char *sys = profile_str(p, f->system_name);
		char *dm = m->demangle ? m->demangle(sys, m) : NULL;
		if (dm && strcmp(dm, sys) != 0) {
			f->name = strtab_intern(&p->strs, dm, strlen(dm));
			free(dm);
			continue;
		}
		free(dm);
		if (!looks_like_cplusplus(sys) || !(m->no_params || m->no_templates)) {
			f->name = f->system_name;
			continue;
		}
		size_t n = p->strs.len[f->system_name];
		XGROW(buf, cap, n + 1);
		memcpy(buf, sys, n + 1);
		if (m->no_params)
			symbolize_remove_matching(buf, '(', ')');
		if (m->no_templates)
			symbolize_remove_matching(buf, '<', '>');
		f->name = strtab_intern(&p->strs, buf, strlen(buf));
	}
	free(buf);
}
