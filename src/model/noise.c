/* Sample counts per node and the noise test of cprof diff's gate; see noise.h. */
#include "model/noise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/diff.h"
#include "util/xalloc.h"

/* The sample type of the unit that is prefer itself, else the one whose name shares the
 * longest start with prefer's (inuse_objects goes with inuse_space, not alloc_space), else
 * the first; -1 when none has the unit. */
static int find_unit(const struct profile *p, int prefer, const char *unit)
{
	const char *want = prefer >= 0 && (size_t)prefer < p->n_types
				   ? profile_str(p, p->types[prefer].type)
				   : "";
	int best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < p->n_types; i++) {
		if (strcmp(profile_str(p, p->types[i].unit), unit) != 0)
			continue;
		if ((int)i == prefer)
			return prefer;
		const char *name = profile_str(p, p->types[i].type);
		size_t len = 0;
		while (want[len] && want[len] == name[len])
			len++;
		if (best < 0 || len > best_len) {
			best = (int)i;
			best_len = len;
		}
	}
	return best;
}

bool noise_measure_find(const struct profile *p, int sample_index, struct noise_measure *m)
{
	if (p->period > 0 && p->period_type.unit != STRTAB_NONE) {
		const char *unit = profile_str(p, p->period_type.unit);
		int i = *unit ? find_unit(p, sample_index, unit) : -1;
		if (i >= 0) {
			*m = (struct noise_measure){ i, (double)p->period };
			return true;
		}
	}
	int i = find_unit(p, sample_index, "count");
	if (i < 0)
		return false;
	*m = (struct noise_measure){ i, 1.0 };
	return true;
}

void noise_counts_build(struct noise_counts *c, const struct profile *p,
			const struct graph_options *o, const struct noise_measure *m)
{
	struct graph_locations gl;
	graph_locations_build(&gl, p, o);
	size_t n = gl.n_infos;
	memset(c, 0, sizeof(*c));
	c->n_infos = n;
	double *all = xcalloc(4 * n + 1, sizeof(*all));
	c->base_flat = all;
	c->new_flat = all + n;
	c->base_cum = all + 2 * n;
	c->new_cum = all + 3 * n;
	/* seen[info] = 1 + the last sample that counted info's cum, to count it once. */
	size_t *seen = xcalloc(n + 1, sizeof(*seen));
	struct diff_base db = diff_base_find(p);
	struct stack_buf sb = { 0 };
	for (size_t s = 0; s < p->n_samples; s++) {
		double v = fabs((double)profile_values(p, s)[m->index]) / m->per_sample;
		bool base = diff_base_sample(p, &db, &p->samples[s]);
		*(base ? &c->base_total : &c->new_total) += v;
		const struct stack *st = &p->stacks[p->samples[s].stack];
		const uint32_t *locs = profile_stack(p, p->samples[s].stack, &sb);
		bool leaf = true;
		for (uint32_t f = 0; f < st->depth; f++) {
			for (uint32_t k = gl.loc_off[locs[f]]; k < gl.loc_off[locs[f] + 1]; k++) {
				uint32_t info = gl.loc_nodes[k];
				if (leaf)
					(base ? c->base_flat : c->new_flat)[info] += v;
				leaf = false;
				if (seen[info] == s + 1)
					continue;
				seen[info] = s + 1;
				(base ? c->base_cum : c->new_cum)[info] += v;
			}
		}
	}
	stack_buf_release(&sb);
	free(seen);
	graph_locations_release(&gl);
}

void noise_counts_release(struct noise_counts *c)
{
	free(c->base_flat);
	memset(c, 0, sizeof(*c));
}

double noise_p_above(double base, double grown, double scale, double limit)
{
	double d = scale * grown - base, var = scale * scale * grown + base;
	if (var <= 0)
		return d > limit ? 0 : 1;
	return 0.5 * erfc((d - limit) / sqrt(2 * var));
}
