/* Fuzz target for combining profiles: the payload is cut into up to three pieces (or used
 * whole), each served from memory (one run in 16: written to a memory file and read as a
 * file, by the stream's producer thread), and the control bytes (see fuzz-common.h) give
 * them roles: sources merged (cprof top A B), a -base or -diff_base (with -normalize now
 * and then), or cprof diff BASE NEW with its -fail-above gate. sources_load combines them
 * as the command line does and a report chosen like fuzz-report's is rendered. Contract
 * check, which aborts: a profile minus itself (-base) has no samples left, when its values
 * are exact as doubles (pprof's ScaleN negates in float64). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/sources.h"
#include "fuzz-common.h"
#include "pprof/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum mode { MERGE, BASE, DIFF_BASE, CPROF_DIFF };

/* The pieces: piece i is the payload's bytes [at[i], at[i + 1]), named names[i]: "piece
 * I", served from memory by open_piece, or the path of files[i], a memory file. */
struct pieces {
	struct fz_memfile files[3];
	const char *names[3];
	size_t at[4];
	size_t n;
	bool files_made;
};

/* The run's pieces, for open_piece. */
static const uint8_t *run_data;
static const struct pieces *run_pieces;

/* sources_load's opener for pieces in memory: "piece I" is piece I. */
static int open_piece(const char *path, size_t max, struct instream **in, struct cprof_error *err)
{
	(void)err;
	size_t i = (size_t)(path[strlen(path) - 1] - '0');
	const size_t *at = run_pieces->at;
	*in = instream_memory(run_data + at[i], at[i + 1] - at[i], max);
	return 0;
}

static void cut(struct fz *f, struct pieces *pc)
{
	size_t *at = pc->at;
	at[0] = 0;
	pc->n = 1 + fz_below(f, 3);
	for (size_t i = 1; i < pc->n; i++)
		at[i] = fz_u32(f) % (f->size + 1);
	at[pc->n] = f->size;
	for (size_t i = 1; i < pc->n; i++) /* in order */
		for (size_t k = i + 1; k < pc->n; k++)
			if (at[k] < at[i]) {
				size_t t = at[i];
				at[i] = at[k];
				at[k] = t;
			}
	static const char *const names[] = { "piece 0", "piece 1", "piece 2" };
	for (size_t i = 0; i < pc->n; i++)
		pc->names[i] = names[i];
	pc->files_made = false;
}

/* The pieces as memory files, read through the file stream. */
static void make_files(const struct fz *f, struct pieces *pc)
{
	for (size_t i = 0; i < pc->n; i++) {
		fz_memfile_init(&pc->files[i], f->data + pc->at[i], pc->at[i + 1] - pc->at[i]);
		pc->names[i] = pc->files[i].path;
	}
	pc->files_made = true;
}

/* For triage (CPROF_FUZZ_VERBOSE set): the pieces and what each is. */
static void show_roles(const struct pieces *pc, const struct sources *s, const unsigned *piece,
		       unsigned base_piece)
{
	static const char *const modes[] = { "merge", "-base", "-diff_base", "cprof diff" };
	fprintf(stderr, "fuzz-merge: %zu piece(s) of", pc->n);
	for (size_t i = 0; i < pc->n; i++)
		fprintf(stderr, " %zu", pc->at[i + 1] - pc->at[i]);
	fprintf(stderr, " bytes; sources:");
	for (size_t i = 0; i < s->n_profiles; i++)
		fprintf(stderr, " %u", piece[i]);
	fprintf(stderr, "; %s", modes[s->n_bases ? (s->diff_base ? 2 : 1) : 0]);
	if (s->n_bases)
		fprintf(stderr, " %u%s", base_piece, s->normalize ? " -normalize" : "");
	fprintf(stderr, "%s; %s\n", s->merge_single ? " (samples report)" : "",
		pc->files_made ? "files" : "memory");
}

/* Whether every value of the profile in n bytes at data is exact as a double (at most
 * 2^53 in magnitude): pprof negates a base with ScaleN, in float64, so a larger value minus
 * itself may leave a few units behind (9222510019738599423 leaves -1), in pprof as in cprof. */
static bool negates_exactly(const uint8_t *data, size_t n)
{
	struct profile *p = fz_load(data, n, (size_t)16 << 20);
	bool exact = p != NULL;
	for (size_t i = 0; exact && i < p->n_samples * p->n_types; i++)
		exact = p->values[i] >= -(INT64_C(1) << 53) && p->values[i] <= INT64_C(1) << 53;
	profile_free(p);
	return exact;
}

/* A profile minus itself (-base) keeps no sample, when its values negate exactly. */
static void check_self_difference(const struct fz *f, const struct pieces *pc, unsigned piece,
				  const struct profile *p)
{
	const uint8_t *data = f->data + pc->at[piece];
	size_t n = pc->at[piece + 1] - pc->at[piece];
	if (p->n_samples == 0 || !negates_exactly(data, n))
		return;
	fprintf(stderr, "fuzz-merge: piece %u minus itself (-base) has %zu samples\n", piece,
		p->n_samples);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	fz_init(&f, data, size);
	struct pieces pc;
	cut(&f, &pc);
	enum mode mode = (enum mode)fz_below(&f, 4);
	struct fz_report r = { .b = fz_backend(&f, 64), .diff = mode == CPROF_DIFF };
	const char *paths[3], *base;
	unsigned piece[3], base_piece = fz_below(&f, (unsigned)pc.n);
	size_t n_src = mode == MERGE ? 2 + fz_below(&f, 2) : 1 + (fz_one_in(&f, 4) ? 1 : 0);
	for (size_t i = 0; i < n_src; i++) {
		piece[i] = fz_below(&f, (unsigned)pc.n);
	}
	struct sources s = {
		.profiles = paths,
		.n_profiles = n_src,
		.bases = mode == MERGE ? NULL : &base,
		.n_bases = mode == MERGE ? 0 : 1,
		.diff_base = mode == DIFF_BASE || mode == CPROF_DIFF,
		.normalize = mode != MERGE && fz_one_in(&f, 4),
		.merge_single = (r.b->flags & REPORT_SAMPLES) != 0,
		.build_id = fz_one_in(&f, 8) ? "0123abcd" : NULL,
		.max_size = (uint64_t)16 << 20,
	};
	/* Files cost a thread and a megabyte or more per piece: one run in 16. */
	if (fz_one_in(&f, 16))
		make_files(&f, &pc);
	else
		s.open = open_piece;
	for (size_t i = 0; i < n_src; i++)
		paths[i] = pc.names[piece[i]];
	base = pc.names[base_piece];
	run_data = f.data;
	run_pieces = &pc;
	if (getenv("CPROF_FUZZ_VERBOSE"))
		show_roles(&pc, &s, piece, base_piece);
	struct cprof_error err = { "" };
	struct profile *p = sources_load(&s, &err);
	if (p && mode == BASE && !s.normalize && n_src == 1 && piece[0] == base_piece)
		check_self_difference(&f, &pc, base_piece, p);
	if (p) {
		char param[512];
		if (r.b->flags & REPORT_HAS_PARAM) {
			fz_pattern(&f, p, param, sizeof(param));
			r.param = param;
		}
		struct fz_args a = { .argc = 0 };
		fz_shape_flags(&f, p, &a);
		fz_select_flags(&f, p, 32, &a);
		if (mode == CPROF_DIFF && fz_one_in(&f, 2))
			fz_args_add(&a, "-fail-above=%u", fz_below(&f, 50));
		struct sink out; /* kept in memory, never written */
		sink_init_mem(&out);
		fz_run_report(p, &r, &a, &out, &f);
		sink_release(&out);
		fz_args_release(&a);
		profile_free(p);
	}
	for (size_t i = 0; pc.files_made && i < pc.n; i++)
		fz_memfile_release(&pc.files[i]);
	return 0;
}
