/* cli/flags against Go's flag package (expectations from tests/unit/gen), plus cprof's
 * one documented difference: flags may follow positional arguments; list flags; and
 * through cli_run, a flag mistake being exit status 2. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "expect_flags.h"
#include "tap.h"
#include "util/sink.h"

struct vals {
	bool b;
	int64_t n;
	double f;
	const char *s;
	uint64_t size;
};

static int parse(struct vals *v, char **argv, int argc, struct strlist *pos,
		 struct cprof_error *err)
{
	memset(v, 0, sizeof(*v));
	v->s = "";
	struct flag flags[] = {
		{ "b", FLAG_BOOL, &v->b, NULL, "", false },
		{ "n", FLAG_INT, &v->n, "n", "", false },
		{ "f", FLAG_FLOAT, &v->f, "f", "", false },
		{ "s", FLAG_STRING, &v->s, "s", "", false },
		{ "size", FLAG_SIZE, &v->size, "bytes", "", false },
	};
	memset(pos, 0, sizeof(*pos));
	err->msg[0] = '\0';
	return flags_parse(flags, sizeof(flags) / sizeof(flags[0]), argc, argv, pos, err);
}

/* Go stops at the first positional argument; cprof keeps parsing flags after it. */
static bool go_stops_early(char *const *argv)
{
	bool seen_pos = false;
	for (size_t i = 0; argv[i]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			seen_pos = true;
		else if (seen_pos)
			return true;
	}
	return false;
}

/* A list flag collects every value, in order, whatever the spelling; set records which
 * flags were given. */
static void test_list(void)
{
	struct strlist l = { 0 }, pos = { 0 };
	bool b = false;
	int64_t n = 0;
	struct flag flags[] = {
		{ "l", FLAG_LIST, &l, "v", "", false },
		{ "b", FLAG_BOOL, &b, NULL, "", false },
		{ "n", FLAG_INT, &n, "n", "", false },
	};
	char *argv[] = { "-l", "a", "p", "-l=b", "--l", "-c", "--l=", "-b=false" };
	struct cprof_error err = { "" };
	int rc = flags_parse(flags, 3, 8, argv, &pos, &err);
	tap_int(rc, 0, "list: parses (%s)", err.msg);
	const char *want[] = { "a", "b", "-c", "" };
	bool same = l.n == 4;
	for (size_t i = 0; same && i < 4; i++)
		same = strcmp(l.items[i], want[i]) == 0;
	tap_ok(same, "list: -l a, -l=b, --l -c, --l= give [a b -c \"\"] (%zu values)", l.n);
	tap_ok(pos.n == 1 && strcmp(pos.items[0], "p") == 0, "list: p is positional");
	tap_ok(flags[0].set && flags[1].set && !flags[2].set,
	       "set: l and b (even as false) were given, n was not");
	tap_ok(flags_find(flags, 3, "n") == &flags[2] && flags_find(flags, 3, "N") == NULL &&
		       flags_find(flags, 3, "") == NULL,
	       "flags_find: exact names only");
	free(l.items);
	free(pos.items);
}

/* Through cli_run: a command-line mistake is exit status 2 with Go's message, in both
 * spellings, before any file is opened (the profile named does not exist). */
static void test_cli_usage(void)
{
	static const struct {
		const char *argv[6];
		const char *msg;
	} cases[] = {
		{ { "cprof", "-top", "-no_such_flag", "none.pb", NULL },
		  "flag provided but not defined: -no_such_flag" },
		{ { "cprof", "top", "--no_such_flag=1", "none.pb", NULL },
		  "flag provided but not defined: -no_such_flag" },
		{ { "cprof", "-TOP", "none.pb", NULL }, "flag provided but not defined: -TOP" },
		{ { "cprof", "-top", "none.pb", "-nodecount", NULL },
		  "flag needs an argument: -nodecount" },
		{ { "cprof", "top", "-nodecount=ten", "none.pb", NULL },
		  "invalid value \"ten\" for flag -nodecount: parse error" },
		{ { "cprof", "-top=yes", "none.pb", NULL },
		  "invalid boolean value \"yes\" for -top: parse error" },
		{ { "cprof", "---top", "none.pb", NULL }, "bad flag syntax: ---top" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[6];
		int argc = 0;
		char desc[128] = "";
		for (; cases[i].argv[argc]; argc++) {
			argv[argc] = (char *)cases[i].argv[argc];
			size_t used = strlen(desc);
			if (argc)
				snprintf(desc + used, sizeof(desc) - used, " %s", argv[argc]);
		}
		argv[argc] = NULL;
		struct sink out;
		sink_init_mem(&out);
		struct cprof_error err = { "" };
		int status = cli_run(argc, argv, &out, false, &err);
		tap_int(status, 2, "cprof%s: exit status 2", desc);
		tap_str(err.msg, cases[i].msg, "cprof%s: message", desc);
		tap_int((int64_t)out.buf.len, 0, "cprof%s: no output", desc);
		sink_release(&out);
	}
}

int main(void)
{
	test_list();
	test_cli_usage();

	for (size_t i = 0; i < sizeof(go_flags) / sizeof(go_flags[0]); i++) {
		char *argv[9];
		int argc = 0;
		char desc[256] = "";
		for (; go_flags[i].argv[argc]; argc++) {
			argv[argc] = (char *)go_flags[i].argv[argc];
			snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc), " %s",
				 argv[argc]);
		}
		argv[argc] = NULL;
		if (go_stops_early(argv))
			continue;
		struct vals v;
		struct strlist pos;
		struct cprof_error err;
		int rc = parse(&v, argv, argc, &pos, &err);
		if (*go_flags[i].err) {
			tap_int(rc, -1, "[%s ] fails", desc);
			tap_str(err.msg, go_flags[i].err, "[%s ] message", desc);
			free(pos.items);
			continue;
		}
		tap_int(rc, 0, "[%s ] parses", desc);
		tap_int(v.b, go_flags[i].b, "[%s ] b", desc);
		tap_int(v.n, go_flags[i].n, "[%s ] n", desc);
		tap_ok(isnan(go_flags[i].f) ? isnan(v.f) : v.f == go_flags[i].f,
		       "[%s ] f = %g (want %g)", desc, v.f, go_flags[i].f);
		tap_str(v.s, go_flags[i].s, "[%s ] s", desc);
		size_t nrest = 0;
		while (go_flags[i].rest[nrest])
			nrest++;
		bool same = pos.n == nrest;
		for (size_t k = 0; same && k < nrest; k++)
			same = strcmp(pos.items[k], go_flags[i].rest[k]) == 0;
		tap_ok(same, "[%s ] positional arguments", desc);
		free(pos.items);
	}

	/* cprof's own rules. */
	struct vals v;
	struct strlist pos;
	struct cprof_error err;
	char *inter[] = { "-b", "prof", "-n", "3", "--", "-s" };
	tap_int(parse(&v, inter, 6, &pos, &err), 0, "flags after a positional argument");
	tap_ok(v.b && v.n == 3 && pos.n == 2 && strcmp(pos.items[0], "prof") == 0 &&
		       strcmp(pos.items[1], "-s") == 0,
	       "-n 3 after prof is a flag, -s after -- is not");
	free(pos.items);
	static const struct {
		const char *arg;
		uint64_t want;
		const char *err;
	} sizes[] = {
		{ "-size=64k", 64 << 10, NULL },
		{ "-size=64K", 64 << 10, NULL },
		{ "-size=2G", (uint64_t)2 << 30, NULL },
		{ "-size=3mb", 3 << 20, NULL },
		{ "-size=100", 100, NULL },
		{ "-size=1t", (uint64_t)1 << 40, NULL },
		{ "-size=0", 0, NULL },
		{ "-size=16777216T", 0,
		  "invalid value \"16777216T\" for flag -size: value out of range" },
		{ "-size=-1", 0, "invalid value \"-1\" for flag -size: parse error" },
		{ "-size=1x", 0, "invalid value \"1x\" for flag -size: parse error" },
		{ "-size=k", 0, "invalid value \"k\" for flag -size: parse error" },
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *argv[] = { (char *)sizes[i].arg };
		int rc = parse(&v, argv, 1, &pos, &err);
		if (sizes[i].err)
			tap_str(rc < 0 ? err.msg : "(parsed)", sizes[i].err, "%s", sizes[i].arg);
		else
			tap_ok(rc == 0 && v.size == sizes[i].want, "%s = %llu", sizes[i].arg,
			       (unsigned long long)v.size);
		free(pos.items);
	}
	char *longname[] = {
		"-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1"
	};
	tap_int(parse(&v, longname, 1, &pos, &err), -1, "an over-long flag name is unknown");
	free(pos.items);
	return tap_done();
}
