/* pprof/url against go tool pprof's adjustURL on Go's net/url (expectations from
 * tests/unit/gen). */
#include "expect_url.h"
#include "pprof/url.h"
#include "tap.h"

int main(void)
{
	for (size_t i = 0; i < sizeof(go_urls) / sizeof(go_urls[0]); i++) {
		struct url_source u = { NULL, 0 };
		bool is = url_adjust(go_urls[i].source, go_urls[i].seconds, go_urls[i].timeout, &u);
		tap_ok(is == (go_urls[i].is_url != 0), "\"%s\" is%s a URL", go_urls[i].source,
		       go_urls[i].is_url ? "" : " not");
		tap_ok(url_is_url(go_urls[i].source) == is, "url_is_url(\"%s\")",
		       go_urls[i].source);
		if (!is || !go_urls[i].is_url)
			continue;
		tap_str(u.url, go_urls[i].url, "\"%s\" -seconds=%d -timeout=%d: the URL",
			go_urls[i].source, go_urls[i].seconds, go_urls[i].timeout);
		tap_ok(u.timeout_ms == go_urls[i].timeout_ms,
		       "\"%s\" -seconds=%d -timeout=%d: timeout %lld ms, want %lld",
		       go_urls[i].source, go_urls[i].seconds, go_urls[i].timeout,
		       (long long)u.timeout_ms, go_urls[i].timeout_ms);
		url_source_release(&u);
	}
	return tap_done();
}
