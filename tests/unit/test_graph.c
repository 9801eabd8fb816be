/* model/graph: the shortcuts graph_build takes for top (inline_edges_only: the final pass
 * makes only the edges into inlined nodes, walking stacks leaf first, and reuses the first
 * pass's weights) must give the nodes, weights and "(inline)" marks of the full build, on
 * random profiles with inlining, recursion, negative weights and every kind of trimming. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/graph.h"
#include "tap.h"
#include "util/xalloc.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t pick(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static uint32_t str(struct profile *p, const char *s)
{
	return strtab_intern(&p->strs, s, strlen(s));
}

/* n_fun functions; n_loc locations of one to three lines (the outermost line's function is
 * the caller, the others were inlined into it); n_samples stacks of up to 14 frames drawn
 * from few locations, so that functions repeat within a stack. */
static struct profile *random_profile(uint32_t n_fun, uint32_t n_loc, uint32_t n_samples)
{
	struct profile *p = profile_new();
	str(p, "");
	p->types = xcalloc(1, sizeof(*p->types));
	p->n_types = p->cap_types = 1;
	p->types[0] = (struct value_type){ str(p, "cpu"), str(p, "nanoseconds") };
	p->functions = xcalloc(n_fun, sizeof(*p->functions));
	for (uint32_t f = 0; f < n_fun; f++) {
		char name[32];
		snprintf(name, sizeof(name), "main.f%u", f);
		p->functions[f] = (struct function){ .id = f + 1,
						     .name = str(p, name),
						     .filename = str(p, "main.go") };
	}
	p->n_functions = p->cap_functions = n_fun;
	p->locations = xcalloc(n_loc, sizeof(*p->locations));
	p->lines = xcalloc(3 * n_loc, sizeof(*p->lines));
	for (uint32_t l = 0; l < n_loc; l++) {
		uint32_t n = pick(4) == 0 ? 1 + pick(3) : 1;
		p->locations[l] = (struct location){ .id = l + 1,
						     .mapping = PROFILE_NONE,
						     .address = 0x1000 + l,
						     .n_lines = n,
						     .first_line = (uint32_t)p->n_lines };
		for (uint32_t k = 0; k < n; k++)
			p->lines[p->n_lines++] =
				(struct line){ .function = pick(n_fun), .line = 1 + pick(50) };
	}
	p->n_locations = p->cap_locations = n_loc;
	p->cap_lines = 3 * n_loc;
	struct stack_set set;
	stack_set_init(&set, n_samples);
	p->samples = xcalloc(n_samples, sizeof(*p->samples));
	p->values = xcalloc(n_samples, sizeof(*p->values));
	p->cap_samples = p->cap_values = n_samples;
	for (uint32_t s = 0; s < n_samples; s++) {
		uint32_t locs[14], depth = 1 + pick(14);
		for (uint32_t i = 0; i < depth; i++)
			locs[i] = pick(n_loc);
		p->samples[s].stack = profile_add_stack(p, &set, locs, depth);
		p->values[s] = (int64_t)pick(1000) - (pick(10) == 0 ? 700 : 0);
		p->n_samples++;
	}
	stack_set_release(&set);
	return p;
}

/* Whether the two graphs have the same nodes, in the same order, with the same weights
 * and marks (in_direct only counts, as in top, for nodes with in_inline). */
static bool same_nodes(const struct graph *a, const struct graph *b)
{
	if (a->n_nodes != b->n_nodes || a->dropped_nodes != b->dropped_nodes)
		return false;
	for (size_t i = 0; i < a->n_nodes; i++) {
		const struct graph_node *x = &a->nodes[i], *y = &b->nodes[i];
		if (x->info != y->info || x->flat != y->flat || x->cum != y->cum ||
		    x->in_inline != y->in_inline || (x->in_inline && x->in_direct != y->in_direct))
			return false;
	}
	return true;
}

/* A call tree as wide as it gets: n leaf functions, each called once from main. dot's
 * trimming drops every leaf (each is 1/n of the total), so the root's n children leave
 * its list one by one: that must take linear time, not n^2 (minutes for this n). */
static void wide_call_tree(uint32_t n)
{
	struct profile *p = profile_new();
	str(p, "");
	p->types = xcalloc(1, sizeof(*p->types));
	p->n_types = p->cap_types = 1;
	p->types[0] = (struct value_type){ str(p, "samples"), str(p, "count") };
	p->functions = xcalloc(n + 1, sizeof(*p->functions));
	p->locations = xcalloc(n + 1, sizeof(*p->locations));
	p->lines = xcalloc(n + 1, sizeof(*p->lines));
	for (uint32_t f = 0; f <= n; f++) {
		char name[32];
		snprintf(name, sizeof(name), f == n ? "main.main" : "main.leaf%07u", f);
		p->functions[f] = (struct function){ .id = f + 1,
						     .name = str(p, name),
						     .filename = str(p, "main.go") };
		p->locations[f] = (struct location){ .id = f + 1,
						     .mapping = PROFILE_NONE,
						     .address = 0x1000 + f,
						     .n_lines = 1,
						     .first_line = f };
		p->lines[f] = (struct line){ .function = f, .line = 1 };
	}
	p->n_functions = p->cap_functions = p->n_locations = p->cap_locations = n + 1;
	p->n_lines = p->cap_lines = n + 1;
	struct stack_set set;
	stack_set_init(&set, n);
	p->samples = xcalloc(n, sizeof(*p->samples));
	p->values = xcalloc(n, sizeof(*p->values));
	p->cap_samples = p->cap_values = n;
	for (uint32_t s = 0; s < n; s++) {
		uint32_t locs[2] = { s, n };
		p->samples[s].stack = profile_add_stack(p, &set, locs, 2);
		p->values[s] = 1;
		p->n_samples++;
	}
	stack_set_release(&set);
	struct graph_options o = { .call_tree = true,
				   .visual = true,
				   .node_fraction = 0.005,
				   .edge_fraction = 0.001,
				   .node_count = 80 };
	struct graph g;
	graph_build(&g, p, &o);
	tap_ok(g.n_nodes == 1 && g.dropped_nodes == n,
	       "wide call tree: %u leaves under main.main dropped, main.main kept (%zu nodes)", n,
	       g.n_nodes);
	graph_release(&g);
	profile_free(p);
}

int main(void)
{
	int cases = 0, same = 0, marked = 0;
	for (int round = 0; round < 60; round++) {
		/* The first two are big enough for graph_build's passes to use two threads. */
		struct profile *p =
			round < 2 ? random_profile(300, 3000, 100000)
				  : random_profile(3 + pick(30), 5 + pick(60), 50 + pick(2000));
		if (round < 2)
			tap_ok(p->n_stack_bytes > 1000000, "big round %d: %zu bytes of stacks",
			       round, p->n_stack_bytes);
		for (int v = 0; v < 6; v++) {
			struct graph_options o = { .granularity = v % 3 == 2 ? GRAN_LINES
									     : GRAN_FUNCTIONS,
						   .noinlines = v == 5 };
			o.node_fraction = (double)pick(4) / 100;
			o.edge_fraction = (double)pick(4) / 100;
			o.node_count = pick(3) ? 0 : 1 + (int)pick(10);
			o.cum_sort = v % 2;
			struct graph full, fast;
			graph_build(&full, p, &o);
			o.inline_edges_only = true;
			graph_build(&fast, p, &o);
			cases++;
			same += same_nodes(&full, &fast);
			for (size_t i = 0; i < fast.n_nodes; i++)
				marked += fast.nodes[i].in_inline;
			graph_release(&full);
			graph_release(&fast);
		}
		profile_free(p);
	}
	tap_int(same, cases, "top's edges-only build gives the full build's nodes and marks");
	tap_ok(marked > 0, "some nodes are marked inlined (%d), so the marks are tested", marked);
	wide_call_tree(250000);
	return tap_done();
}
