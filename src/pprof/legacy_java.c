/* Java's legacy profiles, as pprof's legacy_java_profile.go reads them: "--- heapz 1 ---"
 * and "--- contentionz 1 ---" text with "name = value" attributes and "V1 V2 @ IDS"
 * samples, and the symbol table ("0xID function (file:line)") that follows those and Java
 * CPU profiles' samples. Locations lose their addresses, as pprof's Aggregate leaves them. */
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/goint.h"
#include "util/gonum.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

#define ATTRIBUTE_RE "([\\w ]+)=([\\w ]+)"
#define SAMPLE_RE " *(\\d+) +(\\d+) +@ +([ x0-9a-f]*)"
#define LOCATION_RE "^\\s*0x([[:xdigit:]]+)\\s+(.*)\\s*$"
#define FILE_LINE_RE "^(.*)\\s+\\((.+):(-?[[:digit:]]+)\\)$"
#define PATH_RE "^(.*)\\s+\\((.*)\\)$"

/* javaHeapzSamplingRate: Java heapz profiles sample every 512 KiB on average. */
#define JAVA_HEAP_RATE 524288

enum kind { HEAP, CONTENTION };

/* The line of text ending at the next "\n" (without it), or false when there is none
 * (pprof reads only whole lines there). */
static bool next_line(struct lstr *rest, struct lstr *line)
{
	const char *nl = memchr(rest->s, '\n', rest->n);
	if (!nl)
		return false;
	*line = (struct lstr){ rest->s, (size_t)(nl - rest->s) };
	rest->n -= line->n + 1;
	rest->s = nl + 1;
	return true;
}

/* parseJavaHeader: attributes up to the first line that is not one. */
static int header(enum kind k, struct lstr *rest, struct lprof *lp, struct cprof_error *err)
{
	static const struct regex *_Atomic attribute_re;
	const struct regex *attr = regex_fixed(&attribute_re, ATTRIBUTE_RE);
	struct regex_span g[3];
	struct lstr line, at = *rest;
	int rc = LEGACY_OK;
	while (rc == LEGACY_OK && next_line(&at, &line)) {
		line = lstr_trim(line);
		if (line.n == 0) {
			*rest = at;
			continue;
		}
		if (!regex_find(attr, line.s, line.n, g, 3))
			break;
		struct lstr name = lstr_trim(lstr_sub(line, &g[1]));
		struct lstr value = lstr_trim(lstr_sub(line, &g[2]));
		int64_t v;
		if (lstr_eq(name, "format")) {
			if (!lstr_eq(value, "java"))
				rc = LEGACY_NOT_MINE;
		} else if (lstr_eq(name, "resolution")) {
			lp->n_types = 0;
			if (k == HEAP) {
				lprof_type(lp, LSTR("inuse_objects"), LSTR("count"));
				lprof_type(lp, LSTR("inuse_space"), value);
			} else {
				lprof_type(lp, LSTR("contentions"), LSTR("count"));
				lprof_type(lp, LSTR("delay"), value);
			}
		} else if (k == CONTENTION &&
			   (lstr_eq(name, "sampling period") || lstr_eq(name, "ms since reset"))) {
			if (gonum_parse_int(value.s, value.n, 0, &v) < 0) {
				rc = error_set(err,
					       "java profile: attribute \"%.*s\" is not an integer",
					       (int)name.n, name.s);
			} else if (lstr_eq(name, "sampling period")) {
				lp->period_type[0] = LSTR("contentions");
				lp->period_type[1] = LSTR("count");
				lp->period = v;
			} else {
				lp->duration = mul64(v, 1000 * 1000);
			}
		} else {
			error_set(err, "java profile: unknown attribute \"%.*s\"",
				  (int)(name.n > 64 ? 64 : name.n), name.s);
			rc = LEGACY_NOT_MINE;
		}
		*rest = at;
	}
	return rc;
}

/* parseJavaSamples: "V2 V1 @ IDS" lines up to the first line that is not one. */
static int samples(enum kind k, struct lstr *rest, struct lprof *lp, struct cprof_error *err)
{
	static const struct regex *_Atomic sample_re;
	const struct regex *sample = regex_fixed(&sample_re, SAMPLE_RE);
	struct regex_span g[4];
	struct addrs a = { 0 };
	struct lstr line, at = *rest;
	int rc = LEGACY_OK;
	while (rc == LEGACY_OK && next_line(&at, &line)) {
		line = lstr_trim(line);
		if (line.n && !regex_find(sample, line.s, line.n, g, 4))
			break;
		*rest = at;
		if (line.n == 0)
			continue;
		struct lstr v1 = lstr_sub(line, &g[2]), v2 = lstr_sub(line, &g[1]);
		a.n = 0;
		if (lstr_hex(lstr_sub(line, &g[3]), &a) < 0) {
			rc = error_set(err, "java profile: an address is past 64 bits");
			break;
		}
		struct lsample *s = lprof_sample_at(lp, &a, SIZE_MAX);
		if (gonum_parse_int(v1.s, v1.n, 0, &s->v[0]) < 0 ||
		    gonum_parse_int(v2.s, v2.n, 0, &s->v[1]) < 0) {
			rc = error_set(err,
				       "java profile: a sample's value is not a number Go reads");
			break;
		}
		if (k == HEAP) {
			if (s->v[0] == 0) {
				rc = error_set(err, "java profile: a heap sample's count is 0");
				break;
			}
			s->has_bytes = true;
			s->bytes = div64(s->v[1], s->v[0]);
			legacy_unsample(s->v[0], s->v[1], JAVA_HEAP_RATE, &s->v[0], &s->v[1]);
		} else if (lp->period != 0) {
			s->v[0] = mul64(s->v[0], lp->period);
			s->v[1] = mul64(s->v[1], lp->period);
		}
	}
	free(a.v);
	return rc;
}

int legacy_java(const uint8_t *data, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct lstr rest = { (const char *)data, len }, first;
	if (!next_line(&rest, &first))
		return LEGACY_NOT_MINE;
	first = lstr_trim(first);
	enum kind k;
	if (lstr_eq(first, "--- heapz 1 ---"))
		k = HEAP;
	else if (lstr_eq(first, "--- contentionz 1 ---"))
		k = CONTENTION;
	else
		return LEGACY_NOT_MINE;
	lp->period_type[0] = LSTR("");
	lp->period_type[1] = LSTR("");
	int rc = header(k, &rest, lp, err);
	if (rc == LEGACY_OK)
		rc = samples(k, &rest, lp, err);
	if (rc == LEGACY_OK && lp->n_samples && lp->n_types == 0)
		rc = error_set(err, "java profile: samples, but no \"resolution\" attribute to "
				    "give their types");
	if (rc == LEGACY_OK)
		rc = legacy_java_symbols(rest.s, rest.n, lp, err);
	if (rc == LEGACY_OK)
		legacy_java_strip_addresses(lp);
	return rc;
}

/* filepath.Base: the last element of a path. */
static struct lstr base_name(struct lstr p)
{
	if (p.n == 0)
		return LSTR(".");
	while (p.n > 0 && p.s[p.n - 1] == '/')
		p.n--;
	if (p.n == 0)
		return LSTR("/");
	size_t i = p.n;
	while (i > 0 && p.s[i - 1] != '/')
		i--;
	return (struct lstr){ p.s + i, p.n - i };
}

struct symbols {
	const struct regex *loc, *file_line, *path;
	struct hashmap by_name; /* hash of a function's name -> its index (see func_named) */
};

/* The function named name, made on first sight (pprof keeps one per name, with the file
 * of its first line). */
static uint32_t func_named(struct symbols *sy, struct lprof *lp, struct lstr name, struct lstr file)
{
	uint64_t h = hash_bytes(name.s, name.n, 0);
	uint32_t ix = hashmap_get(&sy->by_name, h);
	if (ix != HASHMAP_NONE && lstr_same(lp->funcs[ix].name, name))
		return ix;
	if (ix != HASHMAP_NONE) /* another name with the same hash: look at them all */
		for (size_t i = 0; i < lp->n_funcs; i++)
			if (lstr_same(lp->funcs[i].name, name))
				return (uint32_t)i;
	XGROW(lp->funcs, lp->cap_funcs, lp->n_funcs + 1);
	ix = (uint32_t)lp->n_funcs++;
	lp->funcs[ix] = (struct lfunc){ name, file };
	hashmap_put(&sy->by_name, h, ix);
	return ix;
}

/* One line of the symbol table: names the location it gives the id of, if a sample has
 * it. */
static int symbol(struct symbols *sy, struct lstr line, struct lprof *lp, struct cprof_error *err)
{
	struct regex_span g[4];
	if (!regex_find(sy->loc, line.s, line.n, g, 3))
		return LEGACY_OK;
	struct lstr id = lstr_sub(line, &g[1]), what = lstr_sub(line, &g[2]);
	uint64_t addr;
	if (gonum_parse_uint(id.s, id.n, 16, &addr) < 0)
		return error_set(err, "java profile: symbol id 0x%.*s is past 64 bits",
				 (int)(id.n > 32 ? 32 : id.n), id.s);
	uint32_t l = hashmap_get(&lp->by_addr, addr);
	if (l == HASHMAP_NONE)
		return LEGACY_OK;
	struct lstr name, file = { what.s, 0 };
	int64_t line_no = 0;
	if (regex_find(sy->file_line, what.s, what.n, g, 4)) {
		name = lstr_sub(what, &g[1]);
		file = lstr_sub(what, &g[2]);
		struct lstr n = lstr_sub(what, &g[3]);
		int64_t v;
		if (gonum_parse_int(n.s, n.n, 10, &v) == 0 && v > 0)
			line_no = v;
	} else if (regex_find(sy->path, what.s, what.n, g, 3)) {
		name = lstr_sub(what, &g[1]);
		file = base_name(lstr_sub(what, &g[2]));
	} else if (lstr_contains(what, "generated stub/JIT")) {
		name = LSTR("STUB");
	} else {
		name = what;
	}
	lp->locs[l].func = func_named(sy, lp, name, file);
	lp->locs[l].line = line_no;
	lp->locs[l].addr = 0;
	return LEGACY_OK;
}

int legacy_java_symbols(const char *text, size_t len, struct lprof *lp, struct cprof_error *err)
{
	struct symbols sy;
	static const struct regex *_Atomic location_re;
	sy.loc = regex_fixed(&location_re, LOCATION_RE);
	static const struct regex *_Atomic file_line_re;
	sy.file_line = regex_fixed(&file_line_re, FILE_LINE_RE);
	static const struct regex *_Atomic path_re;
	sy.path = regex_fixed(&path_re, PATH_RE);
	hashmap_init(&sy.by_name, 64);
	int rc = LEGACY_OK;
	struct lstr rest = { text, len };
	while (rc == LEGACY_OK && rest.n > 0) {
		const char *nl = memchr(rest.s, '\n', rest.n);
		size_t n = nl ? (size_t)(nl - rest.s) : rest.n;
		struct lstr line = lstr_trim((struct lstr){ rest.s, n });
		rest.s += nl ? n + 1 : n;
		rest.n -= nl ? n + 1 : n;
		if (line.n)
			rc = symbol(&sy, line, lp, err);
	}
	hashmap_release(&sy.by_name);
	if (rc != LEGACY_OK)
		return rc;
	return lprof_remap(lp, err) < 0 ? LEGACY_FAIL : LEGACY_OK;
}

void legacy_java_strip_addresses(struct lprof *lp)
{
	for (size_t i = 0; i < lp->n_locs; i++)
		lp->locs[i].addr = 0;
}
