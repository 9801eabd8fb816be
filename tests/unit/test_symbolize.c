/* model/symbolize: pprof's simplification of demangled names, its -symbolize modes and when
 * it finds no main binary. TAP. */
#include <stdlib.h>

#include "model/profile.h"
#include "model/symbolize.h"
#include "symbolize/local.h"
#include "tap.h"
#include "util/xalloc.h"

static void removes(const char *in, char open, char close, const char *want)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	symbolize_remove_matching(buf, open, close);
	tap_str(buf, want, "%s without %c%c", in, open, close);
}

/* The name a function with system name sys (and name name, NULL for the same) gets. */
static void simplifies(const char *mode, const char *name, const char *sys, const char *want)
{
	struct profile *p = profile_new();
	p->functions = calloc(1, sizeof(*p->functions));
	p->n_functions = p->cap_functions = 1;
	p->functions[0].system_name = strtab_intern(&p->strs, sys, strlen(sys));
	p->functions[0].name = name ? strtab_intern(&p->strs, name, strlen(name))
				    : p->functions[0].system_name;
	struct symbolize_mode m;
	symbolize_parse(mode, &m);
	symbolize_names(p, &m);
	tap_str(profile_str(p, p->functions[0].name), want, "-symbolize=%s: %s / %s",
		mode ? mode : "", name ? name : "(same)", sys);
	profile_free(p);
}

/* Two mappings without files, a location in each; sample 0 (values v0) on the location of
 * mapping 0, sample 1 (value 1) on the other's. */
static struct profile *two_mappings(int64_t v0)
{
	struct profile *p = profile_new();
	p->types = xcalloc(1, sizeof(*p->types));
	p->n_types = p->cap_types = 1;
	p->mappings = xcalloc(2, sizeof(*p->mappings));
	p->mappings[0].id = 1;
	p->mappings[1].id = 2;
	p->n_mappings = p->cap_mappings = 2;
	p->locations = xcalloc(2, sizeof(*p->locations));
	p->locations[0] = (struct location){ .id = 1, .mapping = 0 };
	p->locations[1] = (struct location){ .id = 2, .mapping = 1 };
	p->n_locations = p->cap_locations = 2;
	struct stack_set set;
	stack_set_init(&set, 2);
	p->samples = xcalloc(2, sizeof(*p->samples));
	p->values = xcalloc(2, sizeof(*p->values));
	p->cap_samples = p->cap_values = 2;
	for (uint32_t s = 0; s < 2; s++) {
		p->samples[s].stack = profile_add_stack(p, &set, &s, 1);
		p->n_samples++;
	}
	stack_set_release(&set);
	p->values[0] = v0;
	p->values[1] = 1;
	return p;
}

/* Whether local symbolization, run as the CLI runs it for mode, says the main binary's
 * file is missing. */
static bool says_main_missing(struct profile *p, const struct symbolize_mode *m)
{
	if (m->off || m->no_local)
		return false;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	symbolize_local(p, m->force, f);
	fclose(f);
	bool said = strstr(buf, "Main binary filename not available.\n") != NULL;
	free(buf);
	return said;
}

static void main_missing(const char *mode, int64_t v0, bool has_functions, bool want)
{
	struct profile *p = two_mappings(v0);
	p->mappings[0].has_functions = has_functions;
	struct symbolize_mode m;
	symbolize_parse(mode, &m);
	tap_ok(says_main_missing(p, &m) == want, "-symbolize=%s, main binary's sample %lld%s: %s",
	       mode ? mode : "", (long long)v0, has_functions ? ", has_functions" : "",
	       want ? "no main binary" : "nothing said");
	profile_free(p);
}

int main(void)
{
	removes("f(int)", '(', ')', "f");
	removes("a<b<c>>::d<e>", '<', '>', "a::d");
	removes("(anonymous namespace)::x::y(int, char)", '(', ')', "::x::y");
	removes("x(a)b)c(d)", '(', ')', "xb)c(d)"); /* a close with no open stops it */
	removes("x(a(b)", '(', ')', "x(a(b)");      /* an open never closed stays */
	removes("plain", '(', ')', "plain");

	simplifies(NULL, NULL, "std::vector<int>::push_back(int const&)", "std::vector::push_back");
	simplifies(NULL, NULL, "core::ptr::drop_in_place<alloc::vec::Vec<u8>>",
		   "core::ptr::drop_in_place");
	simplifies(NULL, NULL, "main.(*T).Method", "main.(*T).Method"); /* no C++ look */
	simplifies(NULL, NULL, "pkg.(*List[...]).Push", "pkg.(*List[...]).Push");
	simplifies(NULL, NULL, "pkg.Map[...].func1", "pkg.Map[...].func1");
	simplifies(NULL, NULL, "com.example.Foo.<init>(I)V", "com.example.Foo.<init>(I)V");
	simplifies(NULL, "", "a::b(int)", "a::b");        /* an empty name takes the system one */
	simplifies(NULL, "nice", "a::b(int)", "nice");    /* demangled on its own: kept */
	simplifies("force", "nice", "a::b(int)", "a::b"); /* unless forced */
	simplifies("demangle=templates", NULL, "a<int>::b(int)", "a<int>::b");
	simplifies("demangle=full", NULL, "a<int>::b(int)", "a<int>::b(int)");
	simplifies("demangle=none", "nice", "a<int>::b(int)", "a<int>::b(int)");
	simplifies("none", NULL, "a<int>::b(int)", "a<int>::b(int)");
	simplifies("LOCAL:Demangle=Default", NULL, "a<int>::b(int)", "a::b");

	struct symbolize_mode m;
	symbolize_parse("bogus:force:alsobad", &m);
	tap_ok(m.unrecognized == 2 && m.force,
	       "two unrecognized parts are counted, force still read");
	symbolize_parse("none:bogus", &m);
	tap_ok(m.off && m.unrecognized == 0, "none stops reading the mode, as pprof does");

	main_missing(NULL, 5, false, true);
	main_missing(NULL, 0, false,
		     false);                /* only a zero sample uses it: pprof's merge drops it */
	main_missing(NULL, 5, true, false); /* symbolized already */
	main_missing("force", 5, true, true);
	main_missing("none", 5, false, false);
	main_missing("remote", 5, false, false);
	main_missing("remote:local", 5, false, true); /* the last one counts */
	main_missing("fastlocal", 5, false, true);
	struct profile *p = two_mappings(5);
	p->mappings[0].file = strtab_intern(&p->strs, "/bin/x", 6);
	symbolize_parse(NULL, &m);
	tap_ok(!says_main_missing(p, &m), "a main binary with a file: nothing said");
	profile_free(p);
	return tap_done();
}
