/* The completion scripts' words; see complete.h. */
#include "cli/complete.h"

#include <string.h>

#include "cli/sources.h"
#include "pprof/load.h"

static void commands(const char *const *cmds, struct sink *out)
{
	for (size_t i = 0; cmds[i]; i++)
		sink_addf(out, "%s\n", cmds[i]);
	for (size_t i = 0; report_backends[i]; i++) {
		const struct report_backend *b = report_backends[i];
		sink_addf(out, "%s\n", b->name);
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			sink_addf(out, "%s\n", b->aliases[k]);
	}
}

static void flags(const struct config_flags *cf, struct sink *out)
{
	for (size_t i = 0; i < cf->n_flags; i++) {
		const struct flag *f = &cf->flags[i];
		if (f->type == FLAG_REFUSED)
			continue;
		sink_addf(out, "-%s%s\n", f->name, f->type == FLAG_BOOL ? "" : "=");
	}
}

/* The sample types of the profile at path; nothing when it cannot be read. */
static void sample_types(const char *path, struct sink *out)
{
	const char *const paths[] = { path };
	struct sources src = { .profiles = paths, .n_profiles = 1, .max_size = LOAD_DEFAULT_MAX };
	struct cprof_error quiet = { "" };
	struct profile *p = sources_load(&src, &quiet);
	if (!p)
		return;
	for (size_t i = 0; i < p->n_types; i++)
		sink_addf(out, "%s\n", profile_str(p, p->types[i].type));
	profile_free(p);
}

int complete_words(const struct config_flags *cf, int argc, char **argv, struct sink *out,
		   struct cprof_error *err)
{
	const char *kind = argc > 0 ? argv[0] : "";
	if (strcmp(kind, "commands") == 0 && argc == 1)
		commands(complete_commands, out);
	else if (strcmp(kind, "flags") == 0 && argc == 1)
		flags(cf, out);
	else if (strcmp(kind, "sample_types") == 0 && argc == 2)
		sample_types(argv[1], out);
	else
		return error_set(err, "__complete: want commands, flags or sample_types PROFILE");
	return 0;
}
