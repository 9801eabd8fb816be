/* The command-line driver: flags, then one command. A command is cprof's own (diff, merge)
 * or, in both spellings, a report; each gathers its sources and report in its own way and
 * shares loading (load_sources) and running the report (run_report). It mirrors pprof's
 * driver (parseFlags, fetchProfiles, generateReport) so the same flags mean the same. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/complete.h"
#include "cli/config.h"
#include "cli/diff.h"
#include "cli/fetched.h"
#include "cli/output.h"
#include "cli/shell.h"
#include "cli/sources.h"
#include "model/symbolize.h"
#include "pprof/encode.h"
#include "pprof/source.h"
#include "pprof/url.h"
#include "symbolize/demangle.h"
#include "symbolize/local.h"
#include "util/budget.h"
#include "util/sort.h"
#include "util/xalloc.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

/* One run of the command line: the flags, the arguments, and what the command chose. */
struct job {
	struct config_flags cf;
	struct config *g;
	struct strlist pos; /* positional arguments */
	size_t n_pos_used;  /* those taken so far */
	const char *named;  /* the report named as a subcommand (cprof top F), or NULL */
	const struct report_backend *report;
	const char *param; /* the report's regexp argument, or NULL */
	struct regex *re;
	struct select sel;
	struct sources src;
	struct profile *prof;
	struct sink *out;
	bool out_terminal;
	int64_t durations[2]; /* the sources' and the bases' (cprof diff's header) */
	double *scales;       /* -normalize's factors (cprof diff's gate), or NULL */
};

static int cmd_diff(struct job *j, struct cprof_error *err);
static int cmd_merge(struct job *j, struct cprof_error *err);

/* cprof's own subcommands, which are not reports: they pick the report and read their
 * positional arguments their own way. Any other command line runs a report (cmd_report). */
static const struct command {
	const char *name;
	const char *usage, *summary, *help;
	int (*run)(struct job *j, struct cprof_error *err);
} commands[] = {
	{ "diff", "diff [flags] BASE NEW...", "New minus base (default report: top)",
	  "Compares NEW (several are merged) with BASE: each value is NEW's minus BASE's, as\n"
	  "go tool pprof -diff_base=BASE NEW shows it. The report is top unless a report flag\n"
	  "names another (-svg, -tree, -peek=REGEXP, ...); every other flag applies too.\n"
	  "\n"
	  "  -fail-above=PCT   list the nodes that grew by more than PCT% of BASE's total and\n"
	  "                    exit 3 when there are any: a gate for CI. A growth that\n"
	  "                    could be sampling noise on a true one of PCT% (p >= 0.01 by\n"
	  "                    the samples on each side) is listed apart and passes\n"
	  "  -min_samples=N    with -fail-above: judge nothing (exit 0, saying so) unless both\n"
	  "                    profiles hold N samples or more\n",
	  cmd_diff },
	{ "merge", "merge [flags] -o OUT PROFILE...", "Merge profiles into OUT (profile.proto)",
	  "Merges the profiles, whose sample types must agree, into one gzip'd profile.proto\n"
	  "written to OUT; -base=PROFILE subtracts a profile first, and the filters (-focus,\n"
	  "-tagfocus, ...) apply to what is written.\n",
	  cmd_merge },
};

static void help(const struct config_flags *c, struct sink *out)
{
	sink_adds(out,
		  "usage: cprof REPORT [flags] [binary] PROFILE...\n"
		  "       cprof -REPORT [flags] [binary] PROFILE...\n"
		  "       cprof [flags] [binary] PROFILE...      (the interactive shell)\n"
		  "       cprof diff [flags] BASE NEW...\n"
		  "       cprof merge [flags] -o OUT PROFILE...\n"
		  "       cprof help [REPORT | diff | merge]\n"
		  "       cprof version\n"
		  "\n"
		  "Reads a pprof profile ('-' or no PROFILE with a pipe on standard input reads\n"
		  "standard input) and prints a report exactly as go tool pprof prints it.\n"
		  "Several profiles are merged; -base and -diff_base subtract base profiles. A\n"
		  "PROFILE (or base) may be a URL, fetched as pprof fetches it\n"
		  "(http://host:port/debug/pprof/heap, or host:port for 30 s of CPU with\n"
		  "-seconds=30) and saved in $PPROF_TMPDIR (default $HOME/pprof).\n"
		  "\n"
		  "Formats, gzip'd or not, told apart as pprof does: profile.proto; gperftools\n"
		  "CPU profiles (32- or 64-bit words, either byte order) and Java's; text heap\n"
		  "profiles (heap, heap_v2, heapz_v2, heapprofile, growthz, fragmentationz: Go's\n"
		  "debug=1 heap profile and go build -gcflags=-memprofile, gperftools, tcmalloc);\n"
		  "contention profiles (Go's debug=1 block and mutex, contentionz, Java's);\n"
		  "threadz; Go's debug=1 goroutine and threadcreate counts; Java heapz.\n"
		  "\n"
		  "Symbolization, as go tool pprof's (in process, ELF): bare addresses get\n"
		  "functions, files and lines from the binary given before the profile, else\n"
		  "from one found in $PPROF_BINARY_PATH (default $HOME/pprof/binaries) or at the\n"
		  "mapping's path. Go binaries through .gopclntab (one frame per address: the\n"
		  "outer function, the inlined code's line); others through DWARF's line table\n"
		  "and the enclosing subprogram's own name. Binaries that cannot be read are\n"
		  "warnings, as in pprof, and the report goes on. -symbolize=none turns it off.\n"
		  "Mangled C++ and Rust names (legacy, v0) are demangled with libiberty and\n"
		  "shortened as pprof shortens them (-symbolize=demangle=templates|full|none).\n"
		  "\n"
		  "With no report, cprof opens pprof's interactive shell on the profile: each\n"
		  "line is a report with pprof's arguments (top10, top 5 REGEXP -REGEXP -cum,\n"
		  "list REGEXP, tree > FILE, ...) or an option set for the session (focus=main,\n"
		  "nodecount=10, granularity=lines, sample_index=alloc_space, cum=true); 'o'\n"
		  "lists the options, 'help' the commands, 'quit' or end of input leaves. Flags\n"
		  "set the options first. On a terminal: line editing, history in\n"
		  "~/.cprof_history and TAB completion (libedit); a pipe is read as pprof reads\n"
		  "it, and a piped session prints what pprof prints.\n"
		  "\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		sink_addf(out, "  cprof %-31s %s\n", commands[i].usage, commands[i].summary);
	sink_adds(out, "\nReports:\n");
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		char name[64];
		snprintf(name, sizeof(name), "%s%s", b->name,
			 b->flags & REPORT_HAS_PARAM ? " REGEXP" : "");
		sink_addf(out, "  %-22s %s", name, b->summary);
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			sink_addf(out, "%s%s", k ? ", " : " (also: ", b->aliases[k]);
		if (b->aliases && b->aliases[0])
			sink_adds(out, ")");
		sink_addch(out, '\n');
	}
	sink_adds(out,
		  "\nFlags (-flag, --flag, -flag=value, -flag value; booleans -flag=false):\n");
	for (size_t i = 0; i < c->n_flags; i++) {
		const struct flag *f = &c->flags[i];
		if (!f->help || i < c->n_reports || f->type == FLAG_REFUSED)
			continue;
		char name[64];
		snprintf(name, sizeof(name), "-%s%s%s", f->name, f->arg ? "=" : "",
			 f->arg ? f->arg : "");
		sink_addf(out, "  %-22s %s", name, f->help);
		if (c->defaults[i][0])
			sink_addf(out, " (default %s)", c->defaults[i]);
		sink_addch(out, '\n');
	}
	sink_adds(out, "\npprof's flags for viewers, a web UI and disassembly answer with what to "
		       "do instead:\n ");
	size_t col = 1;
	for (size_t i = 0; i < c->n_flags; i++) {
		if (c->flags[i].type != FLAG_REFUSED)
			continue;
		if (col + 2 + strlen(c->flags[i].name) > 80) {
			sink_adds(out, "\n ");
			col = 1;
		}
		sink_addf(out, " -%s", c->flags[i].name);
		col += 2 + strlen(c->flags[i].name);
	}
	sink_adds(
		out,
		"\n\nExit status: 0 success; 1 a profile that cannot be read or fetched, is\n"
		"malformed or cannot be merged, or flags that do not fit it (a -sample_index it\n"
		"does not have, a list, peek or weblist regexp that matches no function), or more\n"
		"memory than -max_memory allows; 2 a command-line mistake (an unknown flag, a bad\n"
		"value or regexp, a missing argument); 3 cprof diff -fail-above found a node that\n"
		"grew too much. A filter that matches nothing is not an error: a line on standard\n"
		"error says so, as pprof's does.\n"
		"See cprof(1) for details.\n");
}

const char *const complete_commands[] = { "diff", "merge", "help", "version", NULL };

/* cprof help TOPIC, cprof TOPIC --help: a command's or a report's usage and what it does. */
static int help_topic(const char *topic, struct sink *out, struct cprof_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(topic, commands[i].name) == 0) {
			sink_addf(out, "usage: cprof %s\n\n%s", commands[i].usage,
				  commands[i].help);
			sink_adds(out, "\nThe flags are cprof's: see cprof --help and cprof(1).\n");
			return 0;
		}
	const struct report_backend *b = report_find(topic);
	if (!b)
		return error_set(err, "help: no command or report \"%s\" (cprof --help lists them)",
				 topic);
	bool re = b->flags & REPORT_HAS_PARAM;
	sink_addf(out,
		  "usage: cprof %s%s [flags] [binary] PROFILE...\n"
		  "       cprof -%s%s [flags] [binary] PROFILE...\n\n%s.\n",
		  b->name, re ? " REGEXP" : "", b->name, re ? "=REGEXP" : "", b->summary);
	for (size_t k = 0; b->aliases && b->aliases[k]; k++)
		sink_addf(out, "%s%s", k ? ", " : "Also named: ", b->aliases[k]);
	if (b->aliases && b->aliases[0])
		sink_addch(out, '\n');
	if (b->away_suffix)
		sink_addf(out,
			  "Bound for a terminal, it is written to profileNNN.%s instead (-output "
			  "names a file).\n",
			  b->away_suffix);
	sink_adds(out, "\nThe flags are cprof's: see cprof --help and cprof(1).\n");
	return 0;
}

/* Whether a file starts like an executable pprof could open as the binary. */
static bool is_object_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char m[4] = { 0 };
	ssize_t n = read(fd, m, 4);
	close(fd);
	if (n < 4)
		return false;
	static const unsigned char magics[][4] = {
		{ 0x7f, 'E', 'L', 'F' },    { 0xfe, 0xed, 0xfa, 0xce }, { 0xfe, 0xed, 0xfa, 0xcf },
		{ 0xce, 0xfa, 0xed, 0xfe }, { 0xcf, 0xfa, 0xed, 0xfe }, { 0xca, 0xfe, 0xba, 0xbe },
	};
	for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
		if (memcmp(m, magics[i], 4) == 0)
			return true;
	return m[0] == 'M' && m[1] == 'Z';
}

static bool is_build_id(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* The pprof spelling's report flag (-top, -list=RE), at most one, and none beside a report
 * named otherwise (the subcommand spelling, cprof merge's proto): into j->report and
 * j->param. */
static int report_flag(struct job *j, bool other, struct cprof_error *err)
{
	for (size_t r = 0; r < j->cf.n_reports; r++) {
		bool on = j->g->report_flag[r] || (j->g->report_param[r] && *j->g->report_param[r]);
		if (!on)
			continue;
		if (other || j->report)
			return error_set(err, "must set at most one output format");
		j->report = j->cf.report_of[r];
		j->param = j->g->report_param[r];
	}
	return 0;
}

/* -fail-above and -min_samples: only for cprof diff's gate, a percentage and a count. */
static int check_fail_above(struct job *j, bool diff, struct cprof_error *err)
{
	bool min_set = flags_find(j->cf.flags, j->cf.n_flags, "min_samples")->set;
	if (!flags_find(j->cf.flags, j->cf.n_flags, "fail-above")->set) {
		if (min_set)
			return error_set(err, "-min_samples is for the gate of cprof diff "
					      "-fail-above only");
		return 0;
	}
	if (!diff)
		return error_set(err, "-fail-above is for cprof diff only");
	if (!(j->g->fail_above >= 0))
		return error_set(err, "-fail-above=%g: the percentage must be 0 or more",
				 j->g->fail_above);
	if (j->g->min_samples < 0)
		return error_set(err, "-min_samples=%" PRId64 ": the count must be 0 or more",
				 j->g->min_samples);
	return 0;
}

/* The report's regexp (-list=RE or its first positional argument) and the selection
 * flags, compiled. */
static int compile_patterns(struct job *j, struct cprof_error *err)
{
	if ((j->report->flags & REPORT_HAS_PARAM) && !j->param) {
		if (j->pos.n == j->n_pos_used)
			return error_set(err, "%s needs a regexp argument", j->report->name);
		j->param = j->pos.items[j->n_pos_used++];
		if (j->pos.n == j->n_pos_used && access(j->param, F_OK) == 0)
			return error_set(err,
					 "%s needs a regexp before the profile: cprof %s REGEXP "
					 "PROFILE (\"%s\" is a file)",
					 j->report->name, j->report->name, j->param);
	}
	if (j->param && !(j->re = regex_compile(j->param, err)))
		return -1;
	return select_compile(&j->sel, &j->g->sel, err);
}

/* -base or -diff_base (not both): as in pprof, a repeated one keeps its last value and an
 * empty one is none. */
static int flag_bases(struct job *j, struct cprof_error *err)
{
	const struct strlist *b = &j->g->base, *d = &j->g->diff_base;
	const char **base = b->n && *b->items[b->n - 1] ? &b->items[b->n - 1] : NULL;
	const char **diff_base = d->n && *d->items[d->n - 1] ? &d->items[d->n - 1] : NULL;
	if (base && diff_base)
		return error_set(err, "-base and -diff_base flags cannot both be specified");
	j->src.bases = diff_base ? diff_base : base;
	j->src.n_bases = j->src.bases ? 1 : 0;
	j->src.diff_base = diff_base != NULL;
	return 0;
}

/* The -tls_* flags, when a source is a URL: a certificate comes with its key, and each
 * file opens (a command-line mistake, found before any fetch). Without URLs they are
 * ignored, as pprof ignores them. */
static int check_tls(struct job *j, struct cprof_error *err)
{
	const struct config *g = j->g;
	if (!sources_remote(&j->src))
		return 0;
	bool cert = g->tls_cert && *g->tls_cert, key = g->tls_key && *g->tls_key;
	if (cert != key)
		return error_set(err, "-%s is given without -%s: a client certificate needs both",
				 cert ? "tls_cert" : "tls_key", cert ? "tls_key" : "tls_cert");
	const char *const files[][2] = { { "tls_cert", g->tls_cert },
					 { "tls_key", g->tls_key },
					 { "tls_ca", g->tls_ca } };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!files[i][1] || !*files[i][1])
			continue;
		int fd = open(files[i][1], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return error_set(err, "-%s %s: %s", files[i][0], files[i][1],
					 strerror(errno));
		close(fd);
	}
	return 0;
}

/* The profiles: the positional arguments left, or standard input when there are none and
 * it is not a terminal. With binary, a first argument that is an executable (or a build
 * id) names the main binary, as pprof's [binary] argument. */
static int profile_args(struct job *j, bool binary, struct cprof_error *err)
{
	if (j->g->normalize && j->src.n_bases == 0)
		return error_set(err, "must have base profile to normalize by");
	j->src.build_id = j->g->buildid;
	if (binary && j->pos.n - j->n_pos_used == 1 && is_object_file(j->pos.items[j->n_pos_used]))
		return error_set(err,
				 "%s is an executable, and no profile follows it: give the profile "
				 "after the binary (cprof %s %s PROFILE)",
				 j->pos.items[j->n_pos_used], j->report ? j->report->name : "top",
				 j->pos.items[j->n_pos_used]);
	if (binary && j->pos.n - j->n_pos_used > 1) {
		const char *arg0 = j->pos.items[j->n_pos_used];
		if (is_object_file(arg0)) {
			j->src.exec_name = arg0;
			j->n_pos_used++;
		} else if (!(j->g->buildid && *j->g->buildid) && is_build_id(arg0)) {
			j->src.build_id = arg0;
			j->n_pos_used++;
		}
	}
	static const char *const stdin_name[] = { "-" };
	if (j->pos.n == j->n_pos_used) {
		if (isatty(STDIN_FILENO))
			return error_set(err, "no profile source specified (see cprof --help)");
		j->src.profiles = stdin_name;
		j->src.n_profiles = 1;
		j->src.stdin_implied = true;
	} else {
		j->src.profiles = j->pos.items + j->n_pos_used;
		j->src.n_profiles = j->pos.n - j->n_pos_used;
	}
	return check_tls(j, err);
}

/* Loads and merges the sources, then pprof's steps on the merged profile: demangling,
 * -add_comment, and saving it when a source was a URL. */
static int load_sources(struct job *j, struct cprof_error *err)
{
	j->src.max_size = j->g->max_size;
	j->src.seconds = j->g->seconds;
	j->src.timeout = j->g->timeout;
	j->src.tls_cert = j->g->tls_cert;
	j->src.tls_key = j->g->tls_key;
	j->src.tls_ca = j->g->tls_ca;
	j->src.normalize = j->g->normalize;
	/* The shell (no report yet) may run any report on the profile. */
	j->src.merge_single = !j->report || (j->report->flags & REPORT_SAMPLES) != 0;
	j->src.merge_renumbers = !j->report || (j->report->flags & REPORT_IDS) != 0;
	j->src.durations = j->durations;
	j->src.scales = &j->scales;
	/* Standard input read for want of a profile, and silent for a second: perhaps a pipe
	 * inherited from a script that no one writes to. Say what cprof waits for. */
	struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
	if (j->src.stdin_implied && poll(&in, 1, 1000) == 0)
		fprintf(stderr, "cprof: no profile named, so reading one from standard input, "
				"which has sent nothing yet\n");
	j->prof = sources_load(&j->src, err);
	if (!j->prof)
		return -1;
	struct symbolize_mode sym;
	symbolize_parse(j->g->symbolize, &sym);
	for (int i = 0; i < sym.unrecognized; i++)
		fprintf(stderr,
			"ignoring unrecognized symbolization option: %s\n"
			"expecting -symbolize=[local|fastlocal|remote|none][:force]"
			"[:demangle=[none|full|templates|default]\n",
			j->g->symbolize);
	if (!sym.off && !sym.no_local)
		symbolize_local(j->prof, sym.force, stderr);
	sym.demangle = symbolize_demangle;
	symbolize_names(j->prof, &sym);
	if (j->g->add_comment && *j->g->add_comment)
		profile_add_comment(j->prof, j->g->add_comment);
	/* As pprof: what came over the network is kept, as it will be reported. */
	if (sources_remote(&j->src))
		return fetched_save(j->prof, err);
	return 0;
}

/* The listings' source files, found and read as pprof does (and beyond: a file found
 * only by cprof's module cache or GOROOT lookup is named on standard error, once, when
 * note is set: cprof's own reports, which pprof has no output to compare with, skip it). */
static void read_sources(struct report *r, const struct config *g, bool note)
{
	if (r->n_files == 0)
		return;
	struct source_reader *sr = source_reader_new(g->source_path, g->trim_path);
	for (size_t i = 0; i < r->n_files; i++) {
		source_read(sr, &r->files[i]);
		const struct srcfile *f = &r->files[i];
		if (f->fallback && note) {
			fputs("cprof: ", stderr);
			fwrite(f->path, 1, f->path_len ? f->path_len : strlen(f->path), stderr);
			fprintf(stderr,
				": pprof would not find this file; showing %s (module cache or "
				"GOROOT)\n",
				f->fallback);
		}
	}
	source_reader_free(sr);
}

/* A report's profile, gzip'd profile.proto, with every value times rp->ratio (-divide_by,
 * as pprof's printProto). */
static int write_profile(const struct report_profile *rp, struct sink *out, struct cprof_error *err)
{
	struct strbuf buf = STRBUF_INIT;
	int rc = encode_profile_scaled(rp->prof, rp->ratio, &buf, err);
	if (rc == 0)
		sink_add(out, buf.buf, buf.len);
	strbuf_release(&buf);
	return rc;
}

/* Prepares r for b, then renders it (or encodes the profile it makes) to out; note as
 * read_sources takes it. */
static int run_report(struct report *r, const struct report_backend *b, const struct config *g,
		      bool note, struct sink *out, struct cprof_error *err)
{
	if (report_prepare(r, b, err) < 0)
		return -1;
	read_sources(r, g, note);
	if (!b->make_profile)
		return report_render(r, b, out, err);
	struct report_profile rp;
	b->make_profile(r, &rp);
	int rc = write_profile(&rp, out, err);
	report_profile_release(&rp);
	return rc;
}

/* What a composite report's runs share: the job, and each sample type's total taken
 * before the filters (pprof's total, unless -relative_percentages). */
struct sub_runs {
	struct job *j;
	const char *name;
	int64_t *totals;
};

/* report_runner's run for composite reports (html): b as the command line would run it
 * with -sample_index=sample_index, and symbol as its regexp. */
static int run_sub(void *ctx, const struct report_backend *b, int sample_index, const char *symbol,
		   struct sink *out, struct cprof_error *err)
{
	struct sub_runs *s = ctx;
	struct job *j = s->j;
	char index[24];
	snprintf(index, sizeof(index), "%d", sample_index);
	struct report_options ro;
	if (config_report_options(j->g, index, b, j->prof, s->name, &ro, err) < 0)
		return -1;
	int64_t total = j->g->sel.relative_percentages
				? graph_total(j->prof, sample_index, ro.graph.mean)
				: s->totals[sample_index];
	struct regex *re = NULL;
	if (symbol && !(re = regex_compile(symbol, err)))
		return -1;
	ro.symbol = symbol;
	ro.symbol_re = re;
	ro.active_filters = (const char *const *)j->sel.active;
	ro.n_active_filters = j->sel.n_active;
	struct report r;
	report_init(&r, j->prof, &ro, total);
	int rc = run_report(&r, b, j->g, false, out, err);
	report_release(&r);
	regex_free(re);
	return rc;
}

/* Loads the sources (checking the flags first, as pprof does): CLI_OK, or an exit status
 * with err set. */
static int load_job(struct job *j, const char **sample_index, struct cprof_error *err)
{
	if (config_check(j->g, sample_index, err) < 0)
		return CLI_USAGE;
	if (load_sources(j, err) < 0)
		return CLI_FAIL;
	const char *name = sources_name(j->src.profiles[0]);
	/* What the report needs past the budget, it needs for this profile. */
	budget_subject(name);
	if (j->prof->n_types == 0) { /* a bad profile (exit 1), not a bad sample index (2) */
		error_set(err, "%s: %s", name,
			  j->prof->n_samples ? "malformed profile: missing sample type information"
					     : "profile has no samples");
		return CLI_FAIL;
	}
	return CLI_OK;
}

/* Runs j->report on the loaded j->prof (which the filters change) to standard output or
 * -output's file. With diff, cprof diff's header comes first and its gate (-fail-above)
 * last. In the shell, binary reports always go to a file (pprof's interactive mode) and a
 * report bound for -output's file says so first. Returns an exit status. */
static int run_loaded(struct job *j, const char *sample_index, bool diff, bool shell,
		      struct cprof_error *err)
{
	const char *name = sources_name(j->src.profiles[0]);
	struct report_options ro;
	select_prepare(&j->sel, j->prof, j->g->unit);
	int fit = config_report_options(j->g, sample_index, j->report, j->prof, shell ? NULL : name,
					&ro, err);
	if (fit < 0)
		return fit == CONFIG_MISFIT ? CLI_FAIL : CLI_USAGE;
	/* As pprof: the total is taken before the filters unless -relative_percentages. */
	int64_t total = graph_total(j->prof, ro.graph.sample_index, ro.graph.mean);
	struct sub_runs subs = { j, name, NULL };
	struct report_runner runner = { run_sub, &subs };
	if (j->report->flags & REPORT_COMPOSITE) {
		subs.totals = xcalloc(j->prof->n_types, sizeof(*subs.totals));
		for (size_t t = 0; t < j->prof->n_types; t++)
			subs.totals[t] = graph_total(j->prof, (int)t, ro.graph.mean);
	}
	select_apply(&j->sel, j->prof);
	if (j->g->sel.relative_percentages)
		total = graph_total(j->prof, ro.graph.sample_index, ro.graph.mean);
	ro.symbol = j->param;
	ro.symbol_re = j->re;
	ro.active_filters = (const char *const *)j->sel.active;
	ro.n_active_filters = j->sel.n_active;
	struct report r;
	report_init(&r, j->prof, &ro, total);
	if (j->report->flags & REPORT_COMPOSITE)
		r.runner = &runner;

	bool md = j->report->flags & REPORT_MARKDOWN;
	/* The gate's nodes first, so that the report shows them however it is trimmed. */
	struct sink gate;
	sink_init_mem(&gate);
	struct diff_names regressed = { NULL, 0 };
	struct cprof_error verdict = { "" };
	if (diff && j->g->fail_above >= 0) {
		struct gate_options go = { j->g->fail_above, j->g->min_samples, j->scales };
		regressed.n = diff_gate(&r, &go, md, &gate, &regressed.names, &verdict);
		r.opt.graph.keep = diff_names_keep;
		r.opt.graph.keep_ctx = &regressed;
	}

	struct output o;
	output_init(&o, j->out, j->out_terminal || shell, j->g->output, j->report->away_suffix);
	struct sink *dst = output_sink(&o);
	if (diff)
		diff_header(dst, &r, j->src.bases[0], j->src.profiles, j->src.n_profiles,
			    j->durations, md);
	int rc = run_report(&r, j->report, j->g, true, dst, err);
	int status = CLI_OK;
	if (rc == 0 && gate.buf.len)
		sink_add(dst, gate.buf.buf, gate.buf.len);
	if (rc == 0 && regressed.n) {
		*err = verdict;
		status = CLI_REGRESSION;
	}
	for (size_t i = 0; i < regressed.n; i++)
		free(regressed.names[i]);
	free(regressed.names);
	sink_release(&gate);
	report_release(&r);
	free(subs.totals);
	if (rc < 0) {
		output_discard(&o);
		return CLI_FAIL;
	}
	if (shell && j->g->output && *j->g->output)
		fprintf(stderr, "Generating report in %s\n", j->g->output);
	return output_finish(&o, err) < 0 ? CLI_FAIL : status;
}

/* Loads the sources and runs the report: see load_job and run_loaded. */
static int report_job(struct job *j, bool diff, struct cprof_error *err)
{
	const char *sample_index;
	int status = load_job(j, &sample_index, err);
	return status != CLI_OK ? status : run_loaded(j, sample_index, diff, false, err);
}

/* The shell's report: b with the options g on a copy of the loaded profile. */
static int shell_report(void *ctx, const struct config *g, const struct report_backend *b,
			const char *param, struct cprof_error *err)
{
	struct job *j = ctx;
	struct config *flags = j->g;
	struct profile *loaded = j->prof;
	j->g = (struct config *)g;
	j->report = b;
	j->param = param;
	const char *sample_index;
	int status = CLI_USAGE;
	if (config_check(g, &sample_index, err) == 0 &&
	    (!param || (j->re = regex_compile(param, err))) &&
	    select_compile(&j->sel, &g->sel, err) == 0) {
		j->prof = profile_copy(loaded);
		status = run_loaded(j, sample_index, false, true, err);
		profile_free(j->prof);
	}
	select_release(&j->sel);
	regex_free(j->re);
	j->re = NULL;
	j->prof = loaded;
	j->g = flags;
	j->report = NULL;
	j->param = NULL;
	return status == CLI_OK ? 0 : -1;
}

/* cprof [flags] [binary] PROFILE... with no report: pprof's interactive shell on the
 * profiles, loaded once. */
static int cmd_shell(struct job *j, struct cprof_error *err)
{
	if (flag_bases(j, err) < 0 || profile_args(j, true, err) < 0)
		return CLI_USAGE;
	const char *sample_index;
	int status = load_job(j, &sample_index, err);
	if (status != CLI_OK)
		return status;
	return shell_run(&j->cf, j->prof, j->out, shell_report, j, err) < 0 ? CLI_FAIL : CLI_OK;
}

/* cprof REPORT [flags] [binary] PROFILE... and cprof -REPORT ...: pprof's command line. */
static int cmd_report(struct job *j, const char *arg1, struct cprof_error *err)
{
	if (report_flag(j, j->report != NULL, err) < 0 || check_fail_above(j, false, err) < 0)
		return CLI_USAGE;
	if (!j->report && j->pos.n > 0 &&
	    !(arg1 && arg1[0] != '-' && access(arg1, F_OK) != 0 && !url_is_url(arg1)))
		return cmd_shell(j, err);
	if (!j->report) {
		if (arg1 && arg1[0] != '-' && access(arg1, F_OK) != 0)
			error_set(err, "unknown report \"%s\" (see cprof --help for the list)",
				  arg1);
		else
			error_set(err, "no report chosen: name one, as in 'cprof top FILE' or "
				       "'cprof -top FILE'");
		return CLI_USAGE;
	}
	if (compile_patterns(j, err) < 0 || flag_bases(j, err) < 0 ||
	    profile_args(j, true, err) < 0)
		return CLI_USAGE;
	return report_job(j, false, err);
}

/* cprof diff's base: its first argument, and no -base or -diff_base beside it. */
static int diff_base_arg(struct job *j, struct cprof_error *err)
{
	if (j->src.n_bases)
		return error_set(err, "diff: the base is the first argument; -base and -diff_base "
				      "do not apply");
	if (j->pos.n - j->n_pos_used < 2)
		return error_set(err, "diff: needs a base and a new profile: cprof diff BASE NEW");
	j->src.bases = (const char *const *)j->pos.items + j->n_pos_used++;
	j->src.n_bases = 1;
	j->src.diff_base = true;
	return 0;
}

/* cprof diff [flags] BASE NEW...: NEW minus BASE (pprof's -diff_base), top unless a report
 * flag says otherwise, and the regression gate. */
static int cmd_diff(struct job *j, struct cprof_error *err)
{
	if (report_flag(j, false, err) < 0)
		return CLI_USAGE;
	if (!j->report)
		j->report = report_find("top");
	if (check_fail_above(j, true, err) < 0 || compile_patterns(j, err) < 0 ||
	    flag_bases(j, err) < 0 || diff_base_arg(j, err) < 0 || profile_args(j, false, err) < 0)
		return CLI_USAGE;
	return report_job(j, true, err);
}

/* cprof merge -o OUT PROFILE...: the profiles merged (with -base subtracted), as proto. */
static int cmd_merge(struct job *j, struct cprof_error *err)
{
	if (report_flag(j, true, err) < 0)
		return CLI_USAGE;
	j->report = report_find("proto");
	if (!j->g->output || !*j->g->output) {
		error_set(err, "merge: name the merged profile's file with -o OUT");
		return CLI_USAGE;
	}
	if (j->pos.n == 0) {
		error_set(err, "merge: no profiles to merge: cprof merge -o OUT PROFILE... "
			       "('-' reads standard input)");
		return CLI_USAGE;
	}
	if (check_fail_above(j, false, err) < 0 || compile_patterns(j, err) < 0 ||
	    flag_bases(j, err) < 0 || profile_args(j, false, err) < 0)
		return CLI_USAGE;
	return report_job(j, false, err);
}

/* Frees the job; returns status. */
static int finish(struct job *j, int status)
{
	select_release(&j->sel);
	regex_free(j->re);
	profile_free(j->prof);
	free(j->scales);
	free(j->pos.items);
	config_release(j->g);
	free(j);
	return status;
}

int cli_run(int argc, char **argv, struct sink *out, bool out_terminal, struct cprof_error *err)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->g = &j->cf.cfg;
	j->out = out;
	j->out_terminal = out_terminal;
	config_define(&j->cf);

	if (argc >= 2 && strcmp(argv[1], "__complete") == 0) {
		int rc = complete_words(&j->cf, argc - 2, argv + 2, out, err);
		struct output o;
		output_init(&o, out, false, NULL, NULL);
		return finish(j, rc < 0                       ? CLI_USAGE
				 : output_finish(&o, err) < 0 ? CLI_FAIL
							      : CLI_OK);
	}
	/* cprof help [TOPIC], cprof version: as --help and --version. */
	const char *topic = NULL;
	if (argc == 2 && strcmp(argv[1], "version") == 0)
		j->g->version = true;
	if (argc >= 2 && strcmp(argv[1], "help") == 0) {
		if (argc > 3) {
			error_set(err, "help: one topic at a time (cprof help REPORT)");
			return finish(j, CLI_USAGE);
		}
		j->g->help = true;
		topic = argc == 3 ? argv[2] : NULL;
		argc = 1;
	}
	if (j->g->version)
		argc = 1;

	/* The subcommand spellings: cprof diff B N, cprof merge -o O F..., cprof top F. */
	const struct command *cmd = NULL;
	int first = 1;
	for (size_t i = 0; argc > 1 && i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd && argc > 1 && argv[1][0] != '-')
		j->report = report_find(argv[1]);
	if (cmd || j->report)
		first = 2;

	int status = CLI_USAGE;
	if (flags_parse(j->cf.flags, j->cf.n_flags, argc - first, argv + first, &j->pos, err) < 0) {
		status = CLI_USAGE;
	} else if (j->g->help || j->g->version) {
		if (!topic && first == 2)
			topic = cmd ? cmd->name : j->report->name;
		status = CLI_OK;
		if (j->g->version)
			sink_addf(out, "cprof %s\n", CPROF_VERSION);
		else if (!topic)
			help(&j->cf, out);
		else if (help_topic(topic, out, err) < 0)
			status = CLI_USAGE;
		struct output o;
		output_init(&o, out, false, NULL, NULL);
		if (status == CLI_OK && output_finish(&o, err) < 0)
			status = CLI_FAIL;
	} else {
		uint64_t budget = j->g->max_memory;
		budget_set(budget == CONFIG_MEMORY_AUTO ? budget_default() : budget);
		status = cmd ? cmd->run(j, err) : cmd_report(j, argc > 1 ? argv[1] : NULL, err);
	}
	return finish(j, status);
}
