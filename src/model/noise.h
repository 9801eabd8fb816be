/* Sampling noise, for cprof diff's gate: how many samples stand behind a node's values on
 * each side of a diff, and how likely a growth of that size is from sampling alone.
 *
 * A profiler samples: a CPU profile takes one sample per period of CPU time, a heap profile
 * one per period of allocated bytes, both in effect at random. The samples that land in a
 * node are then close to a Poisson count, whose variance is its mean. The gate asks whether
 * a node's growth, new - base in samples, is above its threshold by more than those
 * variances explain: a one-sided test (normal approximation) at NOISE_LEVEL of the
 * hypothesis that the true growth is the threshold or less. */
#ifndef CPROF_MODEL_NOISE_H
#define CPROF_MODEL_NOISE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/graph.h"
#include "model/profile.h"

/* The test's level: a growth whose p-value is at or above it is taken for noise. */
#define NOISE_LEVEL 0.01

/* How a sample's values give its number of samples: values[index] / per_sample, in
 * absolute value. */
struct noise_measure {
	int index;
	double per_sample;
};

/* Finds p's sample counts, preferring the weight of sample_index: a value of the period's
 * unit divided by the period (cpu/nanoseconds by 10ms, alloc_space/bytes by 512kB: the
 * number of sampling events), else a value whose unit is "count". False when p has neither
 * (the gate then cannot tell noise). */
bool noise_measure_find(const struct profile *p, int sample_index, struct noise_measure *m);

/* The samples behind each node of a diff (a profile whose base samples carry the label
 * pprof::base=true), by node info index of graph_build(p, o): flat (the node is the leaf)
 * and cum (the node is on the stack, once per sample), base and new apart. */
struct noise_counts {
	double *base_flat, *new_flat, *base_cum, *new_cum; /* n_infos each */
	size_t n_infos;
	double base_total, new_total; /* samples on each side */
};
void noise_counts_build(struct noise_counts *c, const struct profile *p,
			const struct graph_options *o, const struct noise_measure *m);
void noise_counts_release(struct noise_counts *c);

/* The p-value of a growth past a limit: base and grown samples (grown before scale, the
 * factor -normalize applied to the new side), limit in samples; the chance that a node
 * whose true growth is the limit shows as much as scale * grown - base, taking each count
 * for a Poisson one with its own variance. */
double noise_p_above(double base, double grown, double scale, double limit);

#endif
