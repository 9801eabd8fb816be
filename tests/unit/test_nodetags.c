/* model/nodetags: node tags as pprof's graph collects them, on a small profile built in
 * memory: string label sets (joined and sorted as pprof joins them), numeric "bytes" tags
 * under their label set, cum once per node and flat on the leaf, no flat when the leaf is
 * dropped, the cutoff, the count of flat tags, and call trees. */
#include <stdlib.h>
#include <string.h>

#include "model/nodetags.h"
#include "model/profile.h"
#include "tap.h"
#include "util/xalloc.h"

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

static void add_label(struct profile *p, const char *key, const char *value, int64_t num,
		      const char *unit)
{
	XGROW(p->labels, p->cap_labels, p->n_labels + 1);
	struct label *l = &p->labels[p->n_labels++];
	l->key = str(p, key);
	l->str = value ? str(p, value) : 0;
	l->num = num;
	l->num_unit = unit ? str(p, unit) : 0;
}

/* A sample of value v on stack st whose labels are the last n added. */
static void add_sample(struct profile *p, uint32_t st, int64_t v, uint32_t n)
{
	XGROW(p->samples, p->cap_samples, p->n_samples + 1);
	XGROW(p->values, p->cap_values, p->n_samples + 1);
	struct sample *s = &p->samples[p->n_samples];
	s->stack = st;
	s->first_label = (uint32_t)p->n_labels - n;
	s->n_labels = n;
	p->values[p->n_samples++] = v;
}

/* The tag of info with labels string label and numeric name (NULL: the label tag). */
static const struct node_tag *find(const struct node_tags *t, uint32_t info, const char *label,
				   const char *name)
{
	for (size_t i = t->off[info]; i < t->off[info + 1]; i++) {
		const struct node_tag *tg = &t->tags[i];
		if (strcmp(t->names[tg->label], label) != 0)
			continue;
		if (name ? tg->name != NODETAGS_LABEL && strcmp(t->names[tg->name], name) == 0
			 : tg->name == NODETAGS_LABEL)
			return tg;
	}
	return NULL;
}

static void check(const struct node_tags *t, uint32_t info, const char *label, const char *name,
		  int64_t flat, int64_t cum, const char *what)
{
	const struct node_tag *tg = find(t, info, label, name);
	tap_ok(tg != NULL, "%s: present", what);
	tap_int(tg ? tg->flat : -1, flat, "%s: flat", what);
	tap_int(tg ? tg->cum : -1, cum, "%s: cum", what);
}

int main(void)
{
	struct profile *p = profile_new();
	XGROW(p->types, p->cap_types, 1);
	memset(p->types, 0, sizeof(*p->types));
	p->types[0].type = str(p, "cpu");
	p->types[0].unit = str(p, "nanoseconds");
	p->n_types = 1;
	/* Locations 0 main, 1 f, 2 g; one node per location (info = location). */
	struct stack_set dedup;
	stack_set_init(&dedup, 8);
	const uint32_t gfm[] = { 2, 1, 0 }, fm[] = { 1, 0 }, gm[] = { 2, 0 };
	uint32_t s_gfm = profile_add_stack(p, &dedup, gfm, 3);
	uint32_t s_fm = profile_add_stack(p, &dedup, fm, 2);
	uint32_t s_gm = profile_add_stack(p, &dedup, gm, 2);
	stack_set_release(&dedup);
	const uint32_t loc_off[] = { 0, 1, 2, 3 }, loc_nodes[] = { 0, 1, 2 };

	add_label(p, "worker", "b", 0, NULL);
	add_label(p, "stage", "x", 0, NULL);
	add_label(p, "bytes", NULL, 64, "bytes");
	add_sample(p, s_gfm, 10, 3);
	add_label(p, "stage", "x", 0, NULL);
	add_label(p, "worker", "b", 0, NULL);
	add_sample(p, s_fm, 5, 2);
	add_sample(p, s_gm, 3, 0);
	add_label(p, "bytes", NULL, 2048, "bytes");
	add_sample(p, s_gfm, 2, 1);

	const char *ls = "stage:x\\nworker:b";
	struct nodetags_source src = { .loc_off = loc_off, .loc_nodes = loc_nodes, .n_infos = 3 };
	struct node_tags *t = nodetags_build(p, 0, false, &src, 0, "minimum");
	tap_str(t->unit, "bytes", "numeric tags are in the bytes label's unit");
	check(t, 0, ls, NULL, 0, 15, "main's label set (both orders join the same)");
	check(t, 1, ls, NULL, 5, 15, "f's label set");
	check(t, 2, ls, NULL, 10, 10, "g's label set");
	check(t, 2, ls, "64B", 10, 10, "g's 64B under the label set");
	check(t, 0, "", "2kB", 0, 2, "main's 2kB, without labels");
	check(t, 2, "", "2kB", 2, 2, "g's 2kB");
	tap_ok(find(t, 1, "", NULL) == NULL, "no label tag without labels");
	tap_int((int64_t)nodetags_count(t, 2), 3, "g has three flat tags");
	tap_int((int64_t)nodetags_count(t, 0), 0, "main has none");
	nodetags_free(t);

	/* g left out of the graph: stacks through it lose their flat weight. */
	const uint8_t kept[] = { 1, 1, 0 };
	src.kept = kept;
	t = nodetags_build(p, 0, false, &src, 0, "minimum");
	check(t, 1, ls, NULL, 5, 15, "f keeps only its own flat when g is dropped");
	check(t, 1, ls, "64B", 0, 10, "f's 64B has no flat");
	tap_int((int64_t)(t->off[3] - t->off[2]), 0, "g has no tags");
	nodetags_free(t);

	/* The cutoff drops tags lighter than it in both flat and cum. */
	src.kept = NULL;
	t = nodetags_build(p, 0, false, &src, 3, "minimum");
	tap_ok(find(t, 2, "", "2kB") == NULL, "2kB (weight 2) is under a cutoff of 3");
	tap_ok(find(t, 2, ls, "64B") != NULL, "64B (weight 10) is not");
	nodetags_free(t);

	/* A call tree: 0 main, 1 main>f, 2 main>f>g, 3 main>g. */
	const uint32_t leaf[] = { 2, 1, 3 }, parent[] = { UINT32_MAX, 0, 1, 0 };
	struct nodetags_source tree = { .stack_leaf = leaf, .tree_parent = parent, .n_infos = 4 };
	t = nodetags_build(p, 0, false, &tree, 0, "minimum");
	check(t, 2, ls, NULL, 10, 10, "tree: main>f>g's label set");
	check(t, 1, ls, NULL, 5, 15, "tree: main>f's label set");
	check(t, 0, "", "2kB", 0, 2, "tree: main's 2kB");
	tap_int((int64_t)(t->off[4] - t->off[3]), 0, "tree: main>g (no labels) has no tags");
	nodetags_free(t);

	profile_free(p);
	return tap_done();
}
