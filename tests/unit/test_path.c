/* util/path against Go's path/filepath (expectations from tests/unit/gen). */
#include <stdlib.h>
#include <string.h>

#include "expect_path.h"
#include "tap.h"
#include "util/path.h"

int main(void)
{
	for (size_t i = 0; i < sizeof(go_paths) / sizeof(go_paths[0]); i++) {
		const char *in = go_paths[i].in;
		char *out = malloc(strlen(in) + 2);
		tap_str(path_clean(out, in), go_paths[i].clean, "Clean(\"%s\")", in);
		tap_str(path_base(out, in), go_paths[i].base, "Base(\"%s\")", in);
		free(out);
	}
	return tap_done();
}
