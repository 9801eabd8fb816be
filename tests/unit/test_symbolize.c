/* model/symbolize: pprof's simplification of demangled names and its -symbolize modes. TAP. */
#include <stdlib.h>

#include "model/profile.h"
#include "model/symbolize.h"
#include "tap.h"

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
	return tap_done();
}
