/* The memory map that follows a legacy profile's samples (/proc/self/maps lines, or pprof's
 * brief "start-end file (@offset) buildid" form, with "$name" attributes), and the steps
 * pprof runs once a legacy profile is read: mappings merged and the main binary put first
 * (massageMappings), locations kept and numbered in order of first use (remapLocationIDs),
 * functions likewise, and each location given its mapping, a fake one when none holds it
 * (remapMappingIDs). */
#include <inttypes.h>
#include <string.h>

#include "pprof/legacy_private.h"
#include "util/gonum.h"
#include "util/xalloc.h"

/* pprof's procMapsRE and briefMapsRE, spelled as pprof builds them. */
#define C_HEX "(?:0x)?([[:xdigit:]]+)"
#define C_HEX_RANGE "\\s*" C_HEX "[\\s-]?\\s*" C_HEX ":?"
#define C_PERM "(?:\\s+([-rwxp]+))?"
#define C_SPACE_HEX "(?:\\s+([[:xdigit:]]+))?"
#define C_SPACE_STRING "(?:\\s+(\\S+))?"
#define C_SPACE_AT_OFFSET "(?:\\s+\\(@([[:xdigit:]]+)\\))?"
#define HEX_PAIR "\\s+[[:xdigit:]]+:[[:xdigit:]]+"
#define SPACE_DIGITS "\\s+[[:digit:]]+"
#define PROC_MAPS_RE "^" C_HEX_RANGE C_PERM C_SPACE_HEX HEX_PAIR SPACE_DIGITS C_SPACE_STRING
#define BRIEF_MAPS_RE "^" C_HEX_RANGE C_PERM C_SPACE_STRING C_SPACE_AT_OFFSET C_SPACE_HEX

/* Steps through the names' trie allowed: pprof's replacer walks it from every "$" of every
 * line, as deep as the line follows a name, which long names and lines made to follow
 * them make quadratic. Up to this many, plus SUBSTITUTION_PER_BYTE for each byte of the
 * map so far, is linear in the input; past it, cprof gives up. */
#define SUBSTITUTION_WORK ((uint64_t)1 << 22)
#define SUBSTITUTION_PER_BYTE 64

/* "$name" attributes in a trie, as pprof's strings.Replacer keeps them: a node per prefix,
 * children in a list, the node that ends a name holding the value defined first. */
struct trie_node {
	uint32_t child, sibling; /* node indexes; 0: none (the root is no one's child) */
	uint32_t val;            /* index into mapreader.vals, or PROFILE_NONE */
	unsigned char c;
};

struct mapreader {
	struct lprof *lp;
	const struct regex *proc, *brief;
	struct trie_node *nodes; /* nodes[0] is the root, the empty prefix */
	size_t n_nodes, cap_nodes;
	struct lstr *vals; /* values, in the order their names were first defined */
	size_t n_vals, cap_vals;
	uint64_t work, bytes; /* trie steps taken, bytes of map read */
	/* Lines rewritten by substitution, which mappings and names may point into. */
	char **texts;
	size_t n_texts, cap_texts;
};

/* The child of node n for byte c, made if make, else 0 when there is none. */
static uint32_t trie_child(struct mapreader *r, uint32_t n, unsigned char c, bool make)
{
	uint32_t k;
	for (k = r->nodes[n].child; k; k = r->nodes[k].sibling) {
		r->work++;
		if (r->nodes[k].c == c)
			return k;
	}
	if (!make)
		return 0;
	XGROW(r->nodes, r->cap_nodes, r->n_nodes + 1);
	k = (uint32_t)r->n_nodes++;
	r->nodes[k] = (struct trie_node){ 0, r->nodes[n].child, PROFILE_NONE, c };
	r->nodes[n].child = k;
	return k;
}

/* pprof's removeLoggingInfo: drops a glog prefix "file:123] " (logInfoRE,
 * ^[^\[\]]+:[0-9]+]\s). */
static struct lstr remove_logging_info(struct lstr s)
{
	size_t j = 0;
	while (j < s.n && s.s[j] != '[' && s.s[j] != ']')
		j++;
	if (j == s.n || s.s[j] != ']' || j + 1 >= s.n)
		return s;
	char sp = s.s[j + 1];
	if (sp != ' ' && sp != '\t' && sp != '\n' && sp != '\f' && sp != '\r')
		return s;
	size_t d = j;
	while (d > 0 && s.s[d - 1] >= '0' && s.s[d - 1] <= '9')
		d--;
	if (d == j || d < 2 || s.s[d - 1] != ':')
		return s;
	return (struct lstr){ s.s + j + 2, s.n - j - 2 };
}

/* strings.Replacer with the attributes so far: at each position, of the names that start
 * there, the one defined first is replaced by its value. */
static int substitute(struct mapreader *r, struct lstr *line, struct cprof_error *err)
{
	r->bytes += line->n + 1;
	if (r->n_vals == 0 || !memchr(line->s, '$', line->n))
		return 0;
	char *out = xmalloc(line->n + 1), *o = out;
	size_t cap = line->n + 1;
	uint32_t dollar = r->nodes[0].child; /* every name starts with "$" */
	for (size_t i = 0; i < line->n;) {
		uint32_t best = PROFILE_NONE;
		size_t len = 0;
		for (uint32_t n = dollar, j = 1; line->s[i] == '$'; j++) {
			if (r->nodes[n].val < best) {
				best = r->nodes[n].val;
				len = j;
			}
			if (i + j == line->n)
				break;
			n = trie_child(r, n, (unsigned char)line->s[i + j], false);
			if (!n)
				break;
		}
		if (r->work > SUBSTITUTION_WORK + SUBSTITUTION_PER_BYTE * r->bytes) {
			free(out);
			return error_set(err, "memory map: substituting its $name attributes "
					      "would take too long");
		}
		size_t add = best != PROFILE_NONE ? r->vals[best].n : 1;
		if ((size_t)(o - out) + add + 1 > cap) {
			size_t used = (size_t)(o - out);
			cap = 2 * cap + add;
			out = xrealloc(out, cap);
			o = out + used;
		}
		if (best != PROFILE_NONE) {
			memcpy(o, r->vals[best].s, add);
			o += add;
			i += len;
		} else {
			*o++ = line->s[i++];
		}
	}
	XGROW(r->texts, r->cap_texts, r->n_texts + 1);
	r->texts[r->n_texts++] = out;
	*line = (struct lstr){ out, (size_t)(o - out) };
	return 0;
}

/* "$KEY" -> value, for a line "KEY=value" that is not a mapping; a name defined again
 * changes nothing, as the replacer takes the first definition. */
static void add_attr(struct mapreader *r, struct lstr line)
{
	const char *eq = memchr(line.s, '=', line.n);
	if (!eq)
		return;
	struct lstr key = lstr_trim((struct lstr){ line.s, (size_t)(eq - line.s) });
	struct lstr val = lstr_trim((struct lstr){ eq + 1, line.n - (size_t)(eq + 1 - line.s) });
	uint32_t n = trie_child(r, 0, '$', true);
	for (size_t i = 0; i < key.n; i++)
		n = trie_child(r, n, (unsigned char)key.s[i], true);
	if (r->nodes[n].val != PROFILE_NONE)
		return;
	XGROW(r->vals, r->cap_vals, r->n_vals + 1);
	r->nodes[n].val = (uint32_t)r->n_vals;
	r->vals[r->n_vals++] = val;
}

enum entry { ENTRY_MAPPING, ENTRY_SKIP, ENTRY_UNRECOGNIZED };

/* pprof's parseMappingEntry. */
static enum entry mapping_entry(struct mapreader *r, struct lstr l, struct lmap *m)
{
	struct regex_span g[7];
	struct lstr start, end, perm, file, offset, build_id = { l.s, 0 };
	if (regex_find(r->proc, l.s, l.n, g, 6)) {
		start = lstr_sub(l, &g[1]);
		end = lstr_sub(l, &g[2]);
		perm = lstr_sub(l, &g[3]);
		offset = lstr_sub(l, &g[4]);
		file = lstr_sub(l, &g[5]);
	} else if (regex_find(r->brief, l.s, l.n, g, 7)) {
		start = lstr_sub(l, &g[1]);
		end = lstr_sub(l, &g[2]);
		perm = lstr_sub(l, &g[3]);
		file = lstr_sub(l, &g[4]);
		offset = lstr_sub(l, &g[5]);
		build_id = lstr_sub(l, &g[6]);
	} else {
		return ENTRY_UNRECOGNIZED;
	}
	if (perm.n && !memchr(perm.s, 'x', perm.n))
		return ENTRY_SKIP;
	memset(m, 0, sizeof(*m));
	m->file = file;
	m->build_id = build_id;
	if (gonum_parse_uint(start.s, start.n, 16, &m->start) < 0 ||
	    gonum_parse_uint(end.s, end.n, 16, &m->limit) < 0 ||
	    (offset.n && gonum_parse_uint(offset.s, offset.n, 16, &m->offset) < 0))
		return ENTRY_UNRECOGNIZED;
	return ENTRY_MAPPING;
}

/* pprof's adjacent: m2 continues m1. */
static bool adjacent(const struct lmap *m1, const struct lmap *m2)
{
	if (m1->file.n && m2->file.n && !lstr_same(m1->file, m2->file))
		return false;
	if (m1->build_id.n && m2->build_id.n && !lstr_same(m1->build_id, m2->build_id))
		return false;
	if (m1->limit != m2->start)
		return false;
	if (m1->offset != 0 && m2->offset != 0 &&
	    m1->offset + (m1->limit - m1->start) != m2->offset)
		return false;
	return true;
}

/* pprof's libRx, ([.]so$|[.]so[._][0-9]+), on s[0..n). */
static bool is_library(const char *s, size_t n)
{
	for (size_t k = 0; k + 3 <= n; k++) {
		if (memcmp(s + k, ".so", 3) != 0)
			continue;
		if (k + 3 == n)
			return true;
		if ((s[k + 3] == '.' || s[k + 3] == '_') && k + 4 < n && s[k + 4] >= '0' &&
		    s[k + 4] <= '9')
			return true;
	}
	return false;
}

/* Whether pprof's massageMappings takes m for the main binary: its file, "(deleted)"
 * removed and trimmed, is not empty, not a library and not "[...]". */
static bool could_be_main(const struct lmap *m)
{
	char *buf = xmalloc(m->file.n + 1);
	size_t n = 0;
	for (size_t i = 0; i < m->file.n;) {
		if (m->file.n - i >= 9 && memcmp(m->file.s + i, "(deleted)", 9) == 0) {
			i += 9;
			continue;
		}
		buf[n++] = m->file.s[i++];
	}
	struct lstr f = lstr_trim((struct lstr){ buf, n });
	bool yes = f.n > 0 && !is_library(f.s, f.n) && f.s[0] != '[';
	free(buf);
	return yes;
}

/* massageMappings: adjacent pieces of one mapping merged, the main binary moved first. */
static void massage(struct lprof *lp)
{
	if (lp->n_maps > 1) {
		size_t kept = 1;
		for (size_t i = 1; i < lp->n_maps; i++) {
			struct lmap *last = &lp->maps[kept - 1], *m = &lp->maps[i];
			if (adjacent(last, m)) {
				last->limit = m->limit;
				if (m->file.n)
					last->file = m->file;
				if (m->build_id.n)
					last->build_id = m->build_id;
				continue;
			}
			lp->maps[kept++] = *m;
		}
		lp->n_maps = kept;
	}
	for (size_t i = 0; i < lp->n_maps; i++) {
		if (!could_be_main(&lp->maps[i]))
			continue;
		struct lmap t = lp->maps[0];
		lp->maps[0] = lp->maps[i];
		lp->maps[i] = t;
		break;
	}
}

/* remapLocationIDs: the locations samples use, in order of first use. */
static void remap_locations(struct lprof *lp)
{
	free(lp->order);
	lp->order = xmalloc((lp->n_locs ? lp->n_locs : 1) * sizeof(*lp->order));
	lp->n_order = 0;
	for (size_t i = 0; i < lp->n_locs; i++)
		lp->locs[i].order = PROFILE_NONE;
	for (size_t s = 0; s < lp->n_samples; s++) {
		const struct lsample *smp = &lp->samples[s];
		for (uint32_t k = 0; k < smp->n; k++) {
			struct lloc *l = &lp->locs[lp->frames[smp->first + k]];
			if (l->order != PROFILE_NONE)
				continue;
			l->order = (uint32_t)lp->n_order;
			lp->order[lp->n_order++] = lp->frames[smp->first + k];
		}
	}
}

/* remapMappingIDs. Matching is pprof's: each location against every mapping in turn. */
static int remap_mappings(struct lprof *lp, struct cprof_error *err)
{
	if (lp->n_maps > 1 && lstr_prefix(lp->maps[0].file, "/anon_hugepage") &&
	    lp->maps[0].limit == lp->maps[1].start) {
		memmove(lp->maps, lp->maps + 1, (lp->n_maps - 1) * sizeof(*lp->maps));
		lp->n_maps--;
	}
	if (lp->n_maps > 0 && lp->maps[0].start - lp->maps[0].offset == 0x400000) {
		lp->maps[0].start = 0x400000;
		lp->maps[0].offset = 0;
	}
	if ((uint64_t)lp->n_order * lp->n_maps > ((uint64_t)1 << 31))
		return error_set(err,
				 "%zu locations and %zu mappings are too many to match one by one "
				 "as pprof does",
				 lp->n_order, lp->n_maps);
	uint32_t fake = PROFILE_NONE;
	for (size_t i = 0; i < lp->n_order; i++) {
		struct lloc *l = &lp->locs[lp->order[i]];
		uint64_t a = l->addr;
		if (l->map != PROFILE_NONE || a == 0)
			continue;
		for (size_t k = 0; k < lp->n_maps && l->map == PROFILE_NONE; k++)
			if (lp->maps[k].start <= a && a < lp->maps[k].limit)
				l->map = (uint32_t)k;
		for (size_t k = 0; k < lp->n_maps && l->map == PROFILE_NONE; k++) {
			struct lmap *m = &lp->maps[k];
			if (m->offset != 0 && m->start - m->offset <= a && a < m->start) {
				m->start -= m->offset;
				m->offset = 0;
				l->map = (uint32_t)k;
			}
		}
		if (l->map != PROFILE_NONE)
			continue;
		if (fake == PROFILE_NONE) {
			XGROW(lp->maps, lp->cap_maps, lp->n_maps + 1);
			fake = (uint32_t)lp->n_maps++;
			memset(&lp->maps[fake], 0, sizeof(lp->maps[fake]));
			lp->maps[fake].limit = UINT64_MAX;
		}
		l->map = fake;
	}
	return 0;
}

int lprof_remap(struct lprof *lp, struct cprof_error *err)
{
	remap_locations(lp);
	return remap_mappings(lp, err);
}

int lprof_memory_map(struct lprof *lp, struct lscan *s, struct cprof_error *err)
{
	struct mapreader r = { .lp = lp };
	static const struct regex *_Atomic proc_maps_re;
	r.proc = regex_fixed(&proc_maps_re, PROC_MAPS_RE);
	static const struct regex *_Atomic brief_maps_re;
	r.brief = regex_fixed(&brief_maps_re, BRIEF_MAPS_RE);
	r.nodes = xmalloc(sizeof(*r.nodes));
	r.nodes[0] = (struct trie_node){ 0, 0, PROFILE_NONE, 0 };
	r.n_nodes = r.cap_nodes = 1;
	int rc = LEGACY_OK;
	while (lscan_next(s)) {
		struct lstr line = remove_logging_info(s->line);
		if (substitute(&r, &line, err) < 0) {
			rc = LEGACY_FAIL;
			break;
		}
		struct lmap m;
		switch (mapping_entry(&r, line, &m)) {
		case ENTRY_UNRECOGNIZED:
			add_attr(&r, line);
			break;
		case ENTRY_SKIP:
			break;
		case ENTRY_MAPPING:
			XGROW(lp->maps, lp->cap_maps, lp->n_maps + 1);
			lp->maps[lp->n_maps++] = m;
			break;
		}
	}
	if (rc == LEGACY_OK && s->too_long)
		rc = error_set(err, "memory map: line %zu is longer than 65535 bytes",
			       s->line_no + 1);
	free(r.nodes);
	free(r.vals);
	/* The rewritten lines live as long as the profile being built. */
	for (size_t i = 0; i < r.n_texts; i++) {
		XGROW(lp->texts, lp->cap_texts, lp->n_texts + 1);
		lp->texts[lp->n_texts++] = r.texts[i];
	}
	free(r.texts);
	if (rc != LEGACY_OK)
		return rc;
	massage(lp);
	remap_locations(lp);
	return remap_mappings(lp, err);
}

void lprof_drop_duplicate_leaf(struct lprof *lp)
{
	for (size_t s = 0; s < lp->n_samples; s++) {
		struct lsample *smp = &lp->samples[s];
		uint32_t *f = lp->frames + smp->first;
		if (smp->n > 1 && lp->locs[f[0]].addr == lp->locs[f[1]].addr + 1) {
			memmove(f + 1, f + 2, (smp->n - 2) * sizeof(*f));
			smp->n--;
		}
	}
}
