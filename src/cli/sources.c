/* Loading and combining the command line's profiles; see sources.h. */
#include "cli/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/compact.h"
#include "model/diff.h"
#include "model/merge.h"
#include "pprof/load.h"
#include "pprof/read.h"
#include "pprof/url.h"
#include "symbolize/local.h"
#include "util/budget.h"

const char *sources_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Go's time.Duration.String of whole seconds: "30s", "1m30s", "1h0m0s". */
static void go_seconds(int64_t s, char *buf, size_t n)
{
	long long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
	if (h)
		snprintf(buf, n, "%lldh%lldm%llds", h, m, sec);
	else if (m)
		snprintf(buf, n, "%lldm%llds", m, sec);
	else
		snprintf(buf, n, "%llds", sec);
}

/* Opens path: a file, standard input, or a URL fetched as go tool pprof fetches it, with
 * its messages on standard error. */
static int open_source(const char *path, const struct sources *s, size_t max, struct instream **in,
		       struct cprof_error *err)
{
	if (s->open)
		return s->open(path, max, in, err);
	struct url_source u;
	if (!url_adjust(path, s->seconds, s->timeout, &u))
		return instream_open(path, max, in, err);
	fprintf(stderr, "Fetching profile over HTTP from %s\n", u.url);
	if (s->seconds > 0) {
		char d[64];
		go_seconds(s->seconds, d, sizeof(d));
		fprintf(stderr, "Please wait... (%s)\n", d);
	}
	/* go tool pprof's client waits for the response headers 5 s past the timeout. */
	struct fetch_options o = {
		.timeout_ms = u.timeout_ms > INT64_MAX - 5000 ? INT64_MAX : u.timeout_ms + 5000,
		.tls_cert = s->tls_cert,
		.tls_key = s->tls_key,
		.tls_ca = s->tls_ca,
		.max = max,
	};
	int rc = instream_open_url(u.url, &o, max, in, err);
	url_source_release(&u);
	return rc;
}

/* Loads the profile at path, a source or (is_base) a base. */
static struct profile *load_one(const char *path, bool is_base, const struct sources *s,
				struct cprof_error *err)
{
	struct instream *in;
	size_t max = s->max_size > SIZE_MAX ? SIZE_MAX : (size_t)s->max_size;
	budget_subject(sources_name(path));
	if (open_source(path, s, max, &in, err) < 0) {
		error_prefix(err, "%s", sources_name(path));
		return NULL;
	}
	const uint8_t *first;
	if (s->stdin_implied && strcmp(path, "-") == 0 && instream_peek(in, 1, &first, err) == 0) {
		instream_close(in);
		return error_set(err, "no profile named, and standard input is empty"), NULL;
	}
	struct profile *p = read_profile(in, err);
	instream_close(in);
	if (!p) {
		error_prefix(err, "%s", sources_name(path));
		return NULL;
	}
	/* pprof's locateBinaries */
	symbolize_locate(p, getenv("PPROF_BINARY_PATH"), stderr);
	profile_set_main_binary(p, s->exec_name, s->build_id);
	if (s->durations)
		s->durations[is_base] += p->duration_nanos;
	return p;
}

/* pprof's Merge of the profiles at paths and then, made bases, those at bases, folded in
 * one by one so that only the merged result and one input are in memory at a time. */
static struct profile *load_merged(const char *const *paths, size_t n, const char *const *bases,
				   size_t n_bases, bool paths_are_bases, const struct sources *s,
				   struct cprof_error *err)
{
	struct merge *m = merge_new();
	/* Only graph reports will see the result, and they cannot tell equal samples summed
	 * from equal samples apart while those have one sign (the report total sums
	 * magnitudes). -base is the exception, whose negated samples meet equal ones of the
	 * sources; with -diff_base a label keeps them apart, and merge_finish catches sources
	 * with negative values themselves. */
	if (!s->merge_single && !s->normalize && (n_bases == 0 || s->diff_base))
		merge_keep_apart(m);
	for (size_t i = 0; i < n + n_bases; i++) {
		bool is_base = i >= n;
		const char *path = is_base ? bases[i - n] : paths[i];
		struct profile *p = load_one(path, is_base || paths_are_bases, s, err);
		if (!p) {
			merge_free(m);
			return NULL;
		}
		if (is_base)
			diff_make_base(p, s->diff_base);
		int rc = merge_add(m, p, err);
		profile_free(p);
		if (rc < 0) {
			error_prefix(err, "%s: cannot %s %s", sources_name(path),
				     is_base ? "subtract from" : "merge with",
				     sources_name(paths[0]));
			merge_free(m);
			return NULL;
		}
	}
	return merge_finish(m);
}

bool sources_remote(const struct sources *s)
{
	for (size_t i = 0; i < s->n_profiles + s->n_bases; i++)
		if (url_is_url(i < s->n_profiles ? s->profiles[i] : s->bases[i - s->n_profiles]))
			return true;
	return false;
}

struct profile *sources_load(const struct sources *s, struct cprof_error *err)
{
	if (s->n_profiles == 1 && s->n_bases == 0) {
		/* pprof merges even a single profile: equal samples summed, zero ones dropped,
		 * comments deduplicated, ids renumbered. Reports built from the call graph
		 * cannot tell but for the comments, and traces and tags not when the merge would
		 * only renumber, so they skip the work when they can (profile_compact_needed). */
		struct profile *p = load_one(s->profiles[0], false, s, err);
		if (p && profile_compact_needed(p, s->merge_single, s->merge_renumbers)) {
			struct profile *merged = profile_compact(p);
			profile_free(p);
			p = merged;
		} else if (p) {
			profile_dedup_comments(p);
		}
		return p;
	}
	/* Graph reports' shortcut: sources and bases in one merge. The samples differ from
	 * pprof's two-level merge (sources, bases, then both) only in how equal ones are
	 * summed, which no graph report can see; -normalize, whose rounding depends on that,
	 * takes the long way. */
	if (!s->merge_single && !s->normalize)
		return load_merged(s->profiles, s->n_profiles, s->bases, s->n_bases, false, s, err);
	struct profile *p = load_merged(s->profiles, s->n_profiles, NULL, 0, false, s, err);
	if (!p || s->n_bases == 0)
		return p;
	struct profile *base = load_merged(s->bases, s->n_bases, NULL, 0, true, s, err);
	if (!base) {
		profile_free(p);
		return NULL;
	}
	if (s->normalize && diff_normalize(p, base, s->scales, err) < 0) {
		error_prefix(err, "%s: cannot normalize by %s", sources_name(s->profiles[0]),
			     sources_name(s->bases[0]));
		goto fail;
	}
	diff_make_base(base, s->diff_base);
	struct merge *m = merge_new();
	merge_add(m, p, err); /* the first source is always compatible */
	if (merge_add(m, base, err) < 0) {
		error_prefix(err, "%s: cannot subtract from %s", sources_name(s->bases[0]),
			     sources_name(s->profiles[0]));
		merge_free(m);
		goto fail;
	}
	profile_free(p);
	profile_free(base);
	return merge_finish(m);
fail:
	profile_free(p);
	profile_free(base);
	return NULL;
}
