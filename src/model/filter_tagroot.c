/* Tag roots and leaves (pprof's -tagroot/-tagleaf): pseudo frames named by a sample's label
 * values, put at the root or the leaf of its stack. */
#include "model/filter.h"

#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "model/measure.h"
#include "util/hashmap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The keys of a comma-separated list, empty ones dropped. */
static size_t split_keys(const char *list, char ***out)
{
	size_t n = 0;
	*out = NULL;
	if (!list)
		return 0;
	for (const char *s = list;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		if (len) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n++] = xstrndup(s, len);
		}
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

static void free_keys(char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

struct label_locs {
	struct hashmap locs; /* (name, file) string ids -> location index */
	uint64_t next_loc, next_func;
};

/* The pseudo location of function (name, file), made once. */
static uint32_t label_loc(struct profile *p, struct label_locs *ll, uint32_t name, uint32_t file)
{
	uint64_t key = hash_u64(((uint64_t)name << 32) | file);
	uint32_t found = hashmap_get(&ll->locs, key);
	if (found != HASHMAP_NONE)
		return found;
	XGROW(p->functions, p->cap_functions, p->n_functions + 1);
	uint32_t f = (uint32_t)p->n_functions++;
	p->functions[f] =
		(struct function){ .id = ll->next_func++, .name = name, .filename = file };
	XGROW(p->lines, p->cap_lines, p->n_lines + 1);
	uint32_t ln = (uint32_t)p->n_lines++;
	p->lines[ln] = (struct line){ .function = f };
	XGROW(p->locations, p->cap_locations, p->n_locations + 1);
	uint32_t l = (uint32_t)p->n_locations++;
	p->locations[l] = (struct location){
		.id = ll->next_loc++, .mapping = PROFILE_NONE, .first_line = ln, .n_lines = 1
	};
	hashmap_put(&ll->locs, key, l);
	return l;
}

/* pprof's formatLabelValues joined by ",": the sample's string values of key, then its
 * numbers, each in its own unit scaled to unit (or bare when the key has no units). */
static uint32_t label_values(struct profile *p, const struct sample *s, const char *key,
			     const char *unit, bool *any)
{
	struct strbuf b = STRBUF_INIT;
	size_t n = 0;
	uint32_t key_id = strtab_find(&p->strs, key, strlen(key));
	for (int numeric = 0; numeric < 2 && key_id != STRTAB_NONE; numeric++) {
		bool units = numeric && labels_key_has_units(p, s, key_id);
		for (uint32_t i = 0; i < s->n_labels; i++) {
			const struct label *l = &p->labels[s->first_label + i];
			if (l->key != key_id || !label_kept(l) ||
			    label_is_numeric(l) != (numeric != 0))
				continue;
			if (n++)
				strbuf_addch(&b, ',');
			if (!numeric) {
				strbuf_adds(&b, profile_str(p, l->str));
				continue;
			}
			char v[MEASURE_BUF];
			if (units)
				measure_label(v, l->num, profile_str(p, l->num_unit), unit);
			else
				measure_label(v, l->num, "", "");
			strbuf_adds(&b, v);
		}
	}
	*any = n > 0;
	uint32_t id = strtab_intern(&p->strs, strbuf_str(&b), b.len);
	strbuf_release(&b);
	return id;
}

void filter_tag_roots(struct profile *p, const char *roots, const char *leaves, const char *unit,
		      bool *root_match, bool *leaf_match)
{
	char **rk, **lk;
	size_t nr = split_keys(roots, &rk), nlf = split_keys(leaves, &lk);
	*root_match = *leaf_match = false;
	if (nr == 0 && nlf == 0) {
		free_keys(rk, nr);
		free_keys(lk, nlf);
		return;
	}
	struct label_locs ll = { .next_loc = 1, .next_func = 1 };
	hashmap_init(&ll.locs, 64);
	for (size_t i = 0; i < p->n_locations; i++)
		if (p->locations[i].id >= ll.next_loc)
			ll.next_loc = p->locations[i].id + 1;
	for (size_t i = 0; i < p->n_functions; i++)
		if (p->functions[i].id >= ll.next_func)
			ll.next_func = p->functions[i].id + 1;

	/* Every sample gets a stack of its own making, deduplicated again. */
	struct profile old = { 0 };
	profile_move_stacks(p, &old);
	XGROW(p->stacks, p->cap_stacks, old.n_stacks + 1);
	struct stack_buf in = { 0 };
	struct stack_set dedup;
	stack_set_init(&dedup, p->n_samples + 16);
	uint32_t *buf = NULL;
	size_t cap = 0;
	uint32_t *root_locs = xmalloc((nr + 1) * sizeof(*root_locs));
	for (size_t s = 0; s < p->n_samples; s++) {
		struct sample *sa = &p->samples[s];
		const struct stack *st = &old.stacks[sa->stack];
		uint32_t depth = 0;
		bool any;
		for (size_t i = 0; i < nr; i++) {
			const char *k = rk[nr - 1 - i];
			uint32_t name = label_values(p, sa, k, unit, &any);
			*root_match |= any;
			root_locs[i] =
				label_loc(p, &ll, name, strtab_intern(&p->strs, k, strlen(k)));
		}
		XGROW(buf, cap, nlf + st->depth + nr);
		for (size_t i = 0; i < nlf; i++) {
			const char *k = lk[nlf - 1 - i];
			uint32_t name = label_values(p, sa, k, unit, &any);
			*leaf_match |= any;
			buf[depth++] =
				label_loc(p, &ll, name, strtab_intern(&p->strs, k, strlen(k)));
		}
		if (st->depth)
			memcpy(buf + depth, profile_stack(&old, sa->stack, &in),
			       st->depth * sizeof(*buf));
		depth += st->depth;
		if (nr)
			memcpy(buf + depth, root_locs, nr * sizeof(*buf));
		depth += (uint32_t)nr;
		sa->stack = profile_add_stack(p, &dedup, buf, depth);
	}
	stack_set_release(&dedup);
	stack_buf_release(&in);
	hashmap_release(&ll.locs);
	free(buf);
	free(root_locs);
	profile_drop_stacks(&old);
	free_keys(rk, nr);
	free_keys(lk, nlf);
}
