/* topproto: the top table as a profile (gzip'd profile.proto, which the command line
 * encodes): one sample per node of the trimmed graph with its cum and flat values in the
 * report's unit, as pprof's printTopProto builds it. */
#include <string.h>

#include "report/report.h"
#include "util/hashmap.h"
#include "util/xalloc.h"

static uint32_t intern(struct profile *q, const struct profile *p, uint32_t id)
{
	return strtab_intern(&q->strs, profile_str(p, id), p->strs.len[id]);
}

static void topproto_make(const struct report *r, struct report_profile *out)
{
	const struct profile *p = r->prof;
	const struct graph *g = r->graph;

	struct profile *q = profile_new();
	uint32_t unit = strtab_intern(&q->strs, r->opt.output_unit, strlen(r->opt.output_unit));
	q->n_types = q->cap_types = 2;
	q->types = xmalloc(2 * sizeof(*q->types));
	q->types[0] = (struct value_type){ strtab_intern(&q->strs, "cum", 3), unit };
	q->types[1] = (struct value_type){ strtab_intern(&q->strs, "flat", 4), unit };
	q->time_nanos = p->time_nanos;
	q->duration_nanos = p->duration_nanos;
	q->period_type.type = intern(q, p, p->period_type.type);
	q->period_type.unit = intern(q, p, p->period_type.unit);
	q->period = p->period;

	/* One function per distinct (name, system name, file, start line), as pprof's
	 * functionMap; one location and one sample per node. */
	struct hashmap funcs;
	struct stack_set stacks;
	hashmap_init(&funcs, g->n_nodes + 16);
	stack_set_init(&stacks, g->n_nodes + 16);
	q->samples = xcalloc(g->n_nodes + 1, sizeof(*q->samples));
	q->cap_samples = g->n_nodes + 1;
	q->values = xmalloc((2 * g->n_nodes + 2) * sizeof(*q->values));
	q->cap_values = 2 * g->n_nodes + 2;
	q->locations = xcalloc(g->n_nodes + 1, sizeof(*q->locations));
	q->cap_locations = g->n_nodes + 1;
	q->lines = xcalloc(g->n_nodes + 1, sizeof(*q->lines));
	q->cap_lines = g->n_nodes + 1;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct graph_node *n = &g->nodes[i];
		const struct node_info *ni = &g->infos[n->info];
		uint32_t name = intern(q, p, ni->name), sys = intern(q, p, ni->orig_name),
			 file = intern(q, p, ni->file);
		uint64_t h = hash_u64(hash_u64((uint64_t)name << 32 | sys) ^
				      ((uint64_t)file << 32) ^ (uint64_t)ni->start_line);
		uint32_t f;
		for (;;) {
			f = hashmap_get(&funcs, h);
			if (f == HASHMAP_NONE)
				break;
			const struct function *o = &q->functions[f];
			if (o->name == name && o->system_name == sys && o->filename == file &&
			    o->start_line == ni->start_line)
				break;
			h = hash_u64(h + 1);
		}
		if (f == HASHMAP_NONE) {
			XGROW(q->functions, q->cap_functions, q->n_functions + 1);
			f = (uint32_t)q->n_functions++;
			q->functions[f] = (struct function){ .id = f + 1,
							     .name = name,
							     .system_name = sys,
							     .filename = file,
							     .start_line = ni->start_line };
			hashmap_put(&funcs, h, f);
		}
		struct location *l = &q->locations[q->n_locations++];
		l->id = i + 1;
		l->mapping = PROFILE_NONE;
		l->address = ni->address;
		l->first_line = (uint32_t)q->n_lines;
		l->n_lines = 1;
		q->lines[q->n_lines++] = (struct line){ .function = f, .line = ni->lineno };

		char u[16];
		uint32_t loc = (uint32_t)i;
		struct sample *s = &q->samples[q->n_samples];
		s->stack = profile_add_stack(q, &stacks, &loc, 1);
		q->values[2 * q->n_samples] =
			f2i(measure_scale(graph_cum(n), r->opt.sample_unit, r->opt.output_unit, u));
		q->values[2 * q->n_samples + 1] = f2i(
			measure_scale(graph_flat(n), r->opt.sample_unit, r->opt.output_unit, u));
		q->n_samples++;
	}
	hashmap_release(&funcs);
	stack_set_release(&stacks);
	*out = (struct report_profile){ .prof = q, .ratio = 1, .owned = q };
}

const struct report_backend report_topproto = {
	.name = "topproto",
	.summary = "The top table as a gzip'd profile.proto, a sample per node",
	.flags = REPORT_TEXT_COUNT,
	.away_suffix = "pb.gz",
	.needs = { .input = REPORT_INPUT_GRAPH },
	.make_profile = topproto_make,
};
