/* The command line's flags and what they mean for a report: every flag with its default in
 * one table (which --help prints, defaults included), and pprof's reportOptions and
 * applyCommandOverrides turning flags into a report's options. */
#ifndef CPROF_CLI_CONFIG_H
#define CPROF_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/flags.h"
#include "cli/select.h"
#include "model/profile.h"
#include "report/report.h"
#include "util/error.h"

#define MAX_FLAGS 128
#define MAX_REPORTS 64 /* report names and aliases */

/* -max_memory's default: budget_default(), from the machine's memory. */
#define CONFIG_MEMORY_AUTO UINT64_MAX

/* Every flag's value. */
struct config {
	bool help, version;
	const char *output, *unit, *sample_index, *trim_path, *source_path, *add_comment, *buildid,
		*symbolize;
	int64_t nodecount; /* < 0: the report's own default */
	double nodefraction, edgefraction, divide_by;
	bool cum, flat, functions, filefunctions, files, lines, addresses, noinlines, mean, trim,
		compact_labels, drop_negative, call_tree, normalize;
	struct strlist base, diff_base;
	double fail_above;   /* cprof diff's gate, in percent of the base total; < 0: off */
	int64_t min_samples; /* the gate judges nothing below this many samples a side */
	bool icicle;         /* flame: the root on top */
	double minwidth;     /* flame: the narrowest box drawn, in percent of the total */
	bool inuse_space, inuse_objects, alloc_space, alloc_objects, total_delay, contentions,
		mean_delay;
	uint64_t max_size;
	uint64_t max_memory;                     /* CONFIG_MEMORY_AUTO: budget_default() */
	int64_t seconds, timeout;                /* for URLs; <= 0: unset */
	const char *tls_cert, *tls_key, *tls_ca; /* for https URLs */
	struct select_flags sel;                 /* -focus, -ignore, ..., -relative_percentages */
	bool report_flag[MAX_REPORTS];           /* -top, -text, ...: one per backend (and alias) */
	const char *report_param[MAX_REPORTS];   /* -list=RE, ...: backends that take a regexp */
};

/* The flags, bound to a config. */
struct config_flags {
	struct config cfg;
	struct flag flags[MAX_FLAGS];
	char defaults[MAX_FLAGS][24]; /* each flag's default as --help shows it ("" for none) */
	size_t n_flags;
	/* The report flags (the first n_reports flags), parallel to cfg.report_flag and
	 * cfg.report_param. */
	const struct report_backend *report_of[MAX_REPORTS];
	size_t n_reports;
};

/* Defines every flag with pprof's default (its defaultConfig) and notes the defaults. */
void config_define(struct config_flags *cf);
/* Frees what parsing the flags allocated. */
void config_release(struct config *g);

/* The checks pprof's parseFlags makes before it reads any profile (so before what reading
 * one prints): -1 with err set for conflicting sort orders (-cum and -flat) or
 * granularities; else 0, with *sample_index the -sample_index that the legacy shortcuts
 * (-total_delay, -inuse_space, ...) leave, each one ignored named on standard error, as
 * pprof does. */
int config_check(const struct config *g, const char **sample_index, struct cprof_error *err);

/* pprof's reportOptions and applyCommandOverrides: o for report b on profile p (named
 * src in messages; NULL: not named, as in the shell), with sample_index as config_check made it. Returns 0; CONFIG_USAGE
 * with err set for a command-line mistake (-divide_by=0); CONFIG_MISFIT when the flags do
 * not fit the profile (a -sample_index it does not have: exit status 1, as in pprof). */
enum { CONFIG_USAGE = -1, CONFIG_MISFIT = -2 };
int config_report_options(const struct config *g, const char *sample_index,
			  const struct report_backend *b, const struct profile *p, const char *src,
			  struct report_options *o, struct cprof_error *err);

#endif
