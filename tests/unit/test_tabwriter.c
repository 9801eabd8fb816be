/* report/tabwriter: Go's text/tabwriter alignment (minwidth 0, padding 1, AlignRight). The
 * expectations were printed by Go 1.19's text/tabwriter for the same input. TAP output. */
#include <stdio.h>
#include <string.h>

#include "report/tabwriter.h"

static int n_test, n_fail;

static void check(const char *in, const char *want, const char *what)
{
	struct sink out;
	sink_init_mem(&out);
	struct tabwriter tw;
	tabwriter_init(&tw, &out);
	tabwriter_add(&tw, in);
	tabwriter_flush(&tw);
	int good = strcmp(strbuf_str(&out.buf), want) == 0;
	n_test++;
	if (!good) {
		n_fail++;
		printf("# got:\n# [%s]\n# want:\n# [%s]\n", strbuf_str(&out.buf), want);
	}
	printf("%s %d - %s\n", good ? "ok" : "not ok", n_test, what);
	sink_release(&out);
}

int main(void)
{
#include "tabwriter_cases.h"
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
