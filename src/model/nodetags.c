/* Node tags as pprof's newGraph collects them (Node.addSample): every sample adds its weight
 * to the tags of each kept node on its stack (cum, once per node) and of its leaf (flat,
 * unless the leaf was dropped). */
#include "model/nodetags.h"

#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "model/labels.h"
#include "model/measure.h"
#include "util/goint.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct names {
	char **s;
	uint32_t *len;
	size_t n, cap, cap_len;
	struct hashmap map; /* hash -> index; collisions chain by rehashing */
};

static uint32_t intern(struct names *nm, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len, 0);
	for (;; h = hash_u64(h + 1)) {
		uint32_t at = hashmap_get(&nm->map, h);
		if (at == HASHMAP_NONE)
			break;
		if (nm->len[at] == len && memcmp(nm->s[at], s, len) == 0)
			return at;
	}
	XGROW(nm->s, nm->cap, nm->n + 1);
	XGROW(nm->len, nm->cap_len, nm->n + 1);
	char *c = xmalloc(len + 1);
	memcpy(c, s, len);
	c[len] = '\0';
	nm->s[nm->n] = c;
	nm->len[nm->n] = (uint32_t)len;
	hashmap_put(&nm->map, h, (uint32_t)nm->n);
	return (uint32_t)nm->n++;
}

/* Whether string id is s (a C string), every byte of it. */
static bool str_is(const struct profile *p, uint32_t id, const char *s)
{
	size_t n = strlen(s);
	return profile_str_len(p, id) == n && memcmp(profile_str(p, id), s, n) == 0;
}

static int cmp_parts(const void *a, const void *b)
{
	const struct strbuf *l = a, *r = b;
	size_t n = l->len < r->len ? l->len : r->len;
	int c = memcmp(l->buf, r->buf, n);
	return c ? c : (l->len > r->len) - (l->len < r->len);
}

/* pprof's joinLabels: "key:value" for every string label but a diff's base label, sorted
 * in Go's byte order, joined by a literal backslash-n. */
static uint32_t join_labels(struct names *nm, const struct profile *p, const struct sample *s)
{
	struct strbuf *parts = xmalloc((s->n_labels + 1) * sizeof(*parts));
	size_t n = 0;
	for (uint32_t i = 0; i < s->n_labels; i++) {
		const struct label *l = &p->labels[s->first_label + i];
		if (!l->str || str_is(p, l->key, DIFF_BASE_KEY))
			continue;
		struct strbuf sb = STRBUF_INIT;
		strbuf_add(&sb, profile_str(p, l->key), profile_str_len(p, l->key));
		strbuf_addch(&sb, ':');
		strbuf_add(&sb, profile_str(p, l->str), profile_str_len(p, l->str));
		parts[n++] = sb;
	}
	qsort(parts, n, sizeof(*parts), cmp_parts);
	struct strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&all, "\\n");
		strbuf_add(&all, parts[i].buf, parts[i].len);
		strbuf_release(&parts[i]);
	}
	free(parts);
	uint32_t id = intern(nm, strbuf_str(&all), all.len);
	strbuf_release(&all);
	return id;
}

/* A tag kind of a label set, with the numeric value it came with. */
struct set_kind {
	uint32_t kind;
	int64_t value;
};

struct building {
	struct names nm;
	struct hashmap at; /* info << 32 | kind -> tag */
	struct node_tag *tags;
	uint32_t *tag_info;
	size_t n, cap, cap_info;
	/* the tag kinds of a sample's labels: (label, name, value), while they are worked out */
	uint32_t *k_label, *k_name;
	int64_t *k_value;
	size_t n_kinds, cap_kl, cap_kn, cap_kv;
	struct hashmap kinds; /* label << 32 | name -> kind */
	uint32_t *kind_label, *kind_name;
	size_t n_all_kinds, cap_al, cap_an;
	/* Samples share label lists (the decoder stores equal ones once), so kinds are worked
	 * out once per list: first_label << 32 | n_labels -> index of its first set_kind, and
	 * the list's kinds end where the next list's begin (set_end). */
	struct hashmap sets;
	struct set_kind *set_kinds;
	uint32_t *set_start, *set_end;
	size_t n_set_kinds, cap_sk, n_sets, cap_ss, cap_se;
	const struct set_kind *cur; /* the current sample's kinds */
	size_t n_cur;
};

static uint32_t kind_of(struct building *b, uint32_t label, uint32_t name)
{
	uint64_t key = (uint64_t)label << 32 | name;
	uint32_t k = hashmap_get(&b->kinds, key);
	if (k != HASHMAP_NONE)
		return k;
	XGROW(b->kind_label, b->cap_al, b->n_all_kinds + 1);
	XGROW(b->kind_name, b->cap_an, b->n_all_kinds + 1);
	k = (uint32_t)b->n_all_kinds++;
	b->kind_label[k] = label;
	b->kind_name[k] = name;
	hashmap_put(&b->kinds, key, k);
	return k;
}

/* Adds w (and its divisor dw) to info's tags of the current sample. */
static void add(struct building *b, uint32_t info, int64_t w, int64_t dw, bool flat)
{
	for (size_t i = 0; i < b->n_cur; i++) {
		uint32_t kind = b->cur[i].kind;
		uint64_t key = (uint64_t)info << 32 | kind;
		uint32_t t = hashmap_get(&b->at, key);
		if (t == HASHMAP_NONE) {
			XGROW(b->tags, b->cap, b->n + 1);
			XGROW(b->tag_info, b->cap_info, b->n + 1);
			t = (uint32_t)b->n++;
			memset(&b->tags[t], 0, sizeof(b->tags[t]));
			b->tags[t].label = b->kind_label[kind];
			b->tags[t].name = b->kind_name[kind];
			b->tags[t].value = b->cur[i].value;
			b->tag_info[t] = info;
			hashmap_put(&b->at, key, t);
		}
		struct node_tag *tg = &b->tags[t];
		if (flat) {
			tg->flat_div = add64(tg->flat_div, dw);
			tg->flat = add64(tg->flat, w);
		} else {
			tg->cum_div = add64(tg->cum_div, dw);
			tg->cum = add64(tg->cum, w);
		}
	}
}

static void add_kind(struct building *b, uint32_t label, uint32_t name, int64_t value)
{
	XGROW(b->k_label, b->cap_kl, b->n_kinds + 1);
	XGROW(b->k_name, b->cap_kn, b->n_kinds + 1);
	XGROW(b->k_value, b->cap_kv, b->n_kinds + 1);
	b->k_label[b->n_kinds] = label;
	b->k_name[b->n_kinds] = name;
	b->k_value[b->n_kinds] = value;
	b->n_kinds++;
}

static int64_t abs_64(int64_t a)
{
	return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}

/* Points b->cur at the tag kinds of sample sa's labels, working them out on first sight of
 * its label list. */
static void sample_kinds(struct building *b, const struct profile *p, const struct sample *sa,
			 const char *unit, const char *output_unit)
{
	uint64_t key = (uint64_t)sa->first_label << 32 | sa->n_labels;
	uint32_t set = hashmap_get(&b->sets, key);
	if (set == HASHMAP_NONE) {
		b->n_kinds = 0;
		uint32_t label = join_labels(&b->nm, p, sa);
		if (label != 0)
			add_kind(b, label, NODETAGS_LABEL, 0);
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			if (!label_is_numeric(l) || !str_is(p, l->key, "bytes"))
				continue;
			char buf[MEASURE_BUF];
			const char *name =
				measure_label(buf, l->num, unit ? unit : "", output_unit);
			add_kind(b, label, intern(&b->nm, name, strlen(name)), l->num);
		}
		XGROW(b->set_kinds, b->cap_sk, b->n_set_kinds + b->n_kinds + 1);
		XGROW(b->set_start, b->cap_ss, b->n_sets + 1);
		XGROW(b->set_end, b->cap_se, b->n_sets + 1);
		set = (uint32_t)b->n_sets++;
		b->set_start[set] = (uint32_t)b->n_set_kinds;
		for (size_t i = 0; i < b->n_kinds; i++) {
			struct set_kind *k = &b->set_kinds[b->n_set_kinds++];
			k->kind = kind_of(b, b->k_label[i], b->k_name[i]);
			k->value = b->k_value[i];
		}
		b->set_end[set] = (uint32_t)b->n_set_kinds;
		hashmap_put(&b->sets, key, set);
	}
	b->cur = b->set_kinds + b->set_start[set];
	b->n_cur = b->set_end[set] - b->set_start[set];
}

/* pprof's newGraph walk: every kept node of the stack once (cum), then the leaf (flat)
 * unless it was dropped. */
static void add_graph_sample(struct building *b, const struct profile *p,
			     const struct nodetags_source *src, const struct sample *sa,
			     uint32_t *stamp, struct stack_buf *buf, uint32_t s, int64_t w,
			     int64_t dw)
{
	const uint32_t *locs = profile_stack(p, sa->stack, buf);
	uint32_t parent = UINT32_MAX;
	bool residual = false;
	for (uint32_t i = p->stacks[sa->stack].depth; i-- > 0;) {
		uint32_t lo = src->loc_off[locs[i]], hi = src->loc_off[locs[i] + 1];
		for (uint32_t k = hi; k-- > lo;) {
			uint32_t ni = src->loc_nodes[k];
			if (src->kept && !src->kept[ni]) {
				residual = true;
				continue;
			}
			if (stamp[ni] != s) {
				stamp[ni] = s;
				add(b, ni, w, dw, false);
			}
			parent = ni;
			residual = false;
		}
	}
	if (parent != UINT32_MAX && !residual)
		add(b, parent, w, dw, true);
}

/* pprof's newTree walk: every node of the sample's path (cum), then its leaf (flat). */
static void add_tree_sample(struct building *b, const struct nodetags_source *src,
			    const struct sample *sa, int64_t w, int64_t dw)
{
	uint32_t leaf = src->stack_leaf[sa->stack];
	for (uint32_t n = leaf; n != UINT32_MAX; n = src->tree_parent[n])
		add(b, n, w, dw, false);
	if (leaf != UINT32_MAX)
		add(b, leaf, w, dw, true);
}

struct node_tags *nodetags_build(const struct profile *p, int sample_index, bool mean,
				 const struct nodetags_source *src, int64_t cutoff,
				 const char *output_unit)
{
	size_t n_infos = src->n_infos;
	struct building b;
	memset(&b, 0, sizeof(b));
	hashmap_init(&b.nm.map, 64);
	hashmap_init(&b.at, 256);
	hashmap_init(&b.kinds, 64);
	hashmap_init(&b.sets, 64);
	intern(&b.nm, "", 0);

	const char **units = labels_num_units(p);
	const char *unit = NULL;
	for (size_t k = 0; k < p->strs.count; k++)
		if (units[k] && str_is(p, (uint32_t)k, "bytes"))
			unit = units[k];
	free(units);

	uint32_t *stamp = xmalloc((n_infos + 1) * sizeof(*stamp));
	memset(stamp, 0xff, (n_infos + 1) * sizeof(*stamp));
	struct stack_buf sbuf = { 0 };
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		if (sa->n_labels == 0)
			continue; /* no tags to add to */
		const int64_t *v = profile_values(p, s);
		int64_t w = v[sample_index], dw = mean ? v[0] : 0;
		if (w == 0 && dw == 0)
			continue;
		sample_kinds(&b, p, sa, unit, output_unit);
		if (b.n_cur == 0)
			continue;
		if (src->stack_leaf)
			add_tree_sample(&b, src, sa, w, dw);
		else
			add_graph_sample(&b, p, src, sa, stamp, &sbuf, (uint32_t)s, w, dw);
	}
	free(stamp);
	stack_buf_release(&sbuf);

	/* pprof's TrimLowFrequencyTags, then the tags grouped by node in creation order. */
	struct node_tags *t = xcalloc(1, sizeof(*t));
	t->off = xcalloc(n_infos + 2, sizeof(*t->off));
	for (size_t i = 0; i < b.n; i++) {
		const struct node_tag *tg = &b.tags[i];
		if (abs_64(tg->flat) >= cutoff || abs_64(tg->cum) >= cutoff)
			t->off[b.tag_info[i] + 1]++;
		else
			b.tag_info[i] = UINT32_MAX;
	}
	for (size_t i = 0; i < n_infos; i++)
		t->off[i + 1] += t->off[i];
	t->tags = xmalloc((t->off[n_infos] + 1) * sizeof(*t->tags));
	size_t *fill = xcalloc(n_infos + 1, sizeof(*fill));
	for (size_t i = 0; i < b.n; i++) {
		uint32_t info = b.tag_info[i];
		if (info != UINT32_MAX)
			t->tags[t->off[info] + fill[info]++] = b.tags[i];
	}
	free(fill);
	t->n_tags = t->off[n_infos];
	t->names = b.nm.s;
	t->name_len = b.nm.len;
	t->n_names = b.nm.n;
	t->unit = unit ? unit : "";
	hashmap_release(&b.nm.map);
	hashmap_release(&b.at);
	hashmap_release(&b.kinds);
	hashmap_release(&b.sets);
	free(b.set_kinds);
	free(b.set_start);
	free(b.set_end);
	free(b.tags);
	free(b.tag_info);
	free(b.k_label);
	free(b.k_name);
	free(b.k_value);
	free(b.kind_label);
	free(b.kind_name);
	return t;
}

void nodetags_free(struct node_tags *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_names; i++)
		free(t->names[i]);
	free(t->names);
	free(t->name_len);
	free(t->tags);
	free(t->off);
	free(t);
}

size_t nodetags_count(const struct node_tags *t, uint32_t info)
{
	size_t n = 0;
	for (size_t i = t->off[info]; i < t->off[info + 1]; i++)
		if (t->tags[i].flat != 0)
			n++;
	return n;
}
