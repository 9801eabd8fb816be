/* tags: every label key with the values it takes and the weight of the samples carrying
 * each, as pprof's printTags shows them (numeric values formatted in their unit). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/labels.h"
#include "report/report.h"
#include "report/tabwriter.h"
#include "util/xalloc.h"

/* A label of a sample: key and value are byte strings of key_len and value_len bytes. */
struct tag {
	const char *key;
	char *value;
	size_t key_len, value_len;
	int64_t weight;
};

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static int cmp_keys(const struct tag *l, const struct tag *r)
{
	return cmp_bytes(l->key, l->key_len, r->key, r->key_len);
}

static int cmp_values(const struct tag *l, const struct tag *r)
{
	return cmp_bytes(l->value, l->value_len, r->value, r->value_len);
}

static int cmp_key_value(const void *a, const void *b)
{
	const struct tag *l = a, *r = b;
	int c = cmp_keys(l, r);
	return c ? c : cmp_values(l, r);
}

/* pprof's SortTags(flat): heavier first, then by name. */
static int cmp_weight(const void *a, const void *b)
{
	const struct tag *l = a, *r = b;
	if (l->weight != r->weight) {
		int64_t lw = abs64(l->weight), rw = abs64(r->weight);
		if (lw != rw)
			return lw > rw ? -1 : 1;
	}
	return cmp_values(l, r);
}

static void add_scaled(struct tabwriter *tw, const struct report *r, int64_t v)
{
	char unit[16], buf[MEASURE_BUF + 16];
	double f = measure_scale(v, r->opt.sample_unit, r->opt.output_unit, unit);
	snprintf(buf, sizeof(buf), "%.1f%s", f, unit);
	tabwriter_add(tw, buf);
}

static int tags_render(const struct report *r, struct sink *out, struct cprof_error *err)
{
	(void)err;
	const struct profile *p = r->prof;
	const char **units = labels_num_units(p);
	struct tag *tags = NULL;
	size_t n = 0, cap = 0;
	int si = r->opt.graph.sample_index;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		int64_t w = profile_values(p, s)[si];
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			if (!label_kept(l))
				continue;
			XGROW(tags, cap, n + 1);
			tags[n].key = profile_str(p, l->key);
			tags[n].key_len = profile_str_len(p, l->key);
			if (label_is_numeric(l)) {
				char buf[MEASURE_BUF];
				tags[n].value = xstrdup(measure_label(buf, l->num, units[l->key],
								      r->opt.output_unit));
				tags[n].value_len = strlen(tags[n].value);
			} else {
				tags[n].value_len = profile_str_len(p, l->str);
				tags[n].value = xmalloc(tags[n].value_len + 1);
				memcpy(tags[n].value, profile_str(p, l->str),
				       tags[n].value_len + 1);
			}
			tags[n].weight = w;
			n++;
		}
	}
	free(units);

	/* Sum equal (key, value) pairs, then print key by key. */
	if (n > 0)
		qsort(tags, n, sizeof(*tags), cmp_key_value);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && cmp_key_value(&tags[m - 1], &tags[i]) == 0) {
			tags[m - 1].weight = add64(tags[m - 1].weight, tags[i].weight);
			free(tags[i].value);
			continue;
		}
		tags[m++] = tags[i];
	}
	struct tabwriter tw;
	tabwriter_init(&tw, out);
	for (size_t k = 0; k < m;) {
		size_t end = k;
		int64_t total = 0;
		while (end < m && cmp_keys(&tags[end], &tags[k]) == 0)
			total = add64(total, tags[end++].weight);
		qsort(tags + k, end - k, sizeof(*tags), cmp_weight);
		tabwriter_add_n(&tw, tags[k].key, tags[k].key_len);
		tabwriter_add(&tw, ":\t Total ");
		add_scaled(&tw, r, total);
		tabwriter_add(&tw, "\n");
		for (size_t i = k; i < end; i++) {
			tabwriter_add(&tw, " \t");
			add_scaled(&tw, r, tags[i].weight);
			if (total > 0) {
				char pct[MEASURE_BUF];
				tabwriter_add(&tw, " (");
				tabwriter_add(&tw, measure_percent(pct, tags[i].weight, total));
				tabwriter_add(&tw, ")");
			}
			tabwriter_add(&tw, ":\t ");
			tabwriter_add_n(&tw, tags[i].value, tags[i].value_len);
			tabwriter_add(&tw, "\n");
			free(tags[i].value);
		}
		tabwriter_add(&tw, "\n");
		k = end;
	}
	tabwriter_flush(&tw);
	free(tags);
	return 0;
}

const struct report_backend report_tags = {
	.name = "tags",
	.summary = "Each label key with its values and their shares of the total",
	.flags = REPORT_SAMPLES,
	.render = tags_render,
};
