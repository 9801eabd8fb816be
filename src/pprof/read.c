/* Format detection: which of pprof's formats an input is, decided as pprof decides it
 * (profile.proto first, then the legacy parsers in turn) without reading a profile.proto
 * into memory whole. The input's first 64 KiB tell which way to go: a profile.proto is
 * decoded as it streams in; text, a CPU profile's header, or bytes that are not
 * profile.proto but hold a legacy header's words are read whole, then tried as
 * profile.proto and as each legacy format in pprof's order, and last, when none of those
 * took it, as folded stacks (which pprof does not read): so folded stacks never take an
 * input that pprof reads. */
#include "pprof/read.h"

#include "pprof/decode.h"
#include "pprof/folded.h"
#include "pprof/legacy.h"
#include "pprof/load.h"

/* Enough for the first line of any text format (bufio.Scanner's limit) and more. */
#define HEAD (64 * 1024 + 2)

static const char not_a_profile[] =
	"not a profile: neither profile.proto (gzip'd or not) nor a legacy pprof format";

/* The whole input, in the stream's window: grown until it holds everything. */
static int read_all(struct instream *in, const uint8_t **data, size_t *len, struct cprof_error *err)
{
	size_t want = 1 << 20;
	for (;;) {
		ssize_t n = instream_peek(in, want, data, err);
		if (n < 0)
			return -1;
		if ((size_t)n < want) {
			*len = (size_t)n;
			return 0;
		}
		want *= 2;
	}
}

/* Legacy formats and profile.proto on the whole input, in pprof's order, then folded
 * stacks. */
static struct profile *read_whole(struct instream *in, struct cprof_error *err)
{
	const uint8_t *data;
	size_t len;
	if (read_all(in, &data, &len, err) < 0)
		return NULL;
	struct profile *p = profile_new();
	struct decode_info info;
	if (decode_profile_info(data, len, p, err, &info) == 0)
		return p;
	profile_free(p);
	struct cprof_error proto_err = *err;
	p = profile_new();
	int rc = legacy_parse(data, len, p, err);
	if (rc == 0)
		return p;
	profile_free(p);
	if (rc == -2) {
		struct cprof_error legacy_err = *err;
		p = profile_new();
		rc = folded_parse(data, len, p, err);
		if (rc == 0)
			return p;
		profile_free(p);
		if (rc == -2)
			*err = legacy_err;
	}
	if (rc == -2 && !err->msg[0]) {
		if (info.not_proto && info.messages == 0)
			error_set(err, "%s", not_a_profile);
		else
			*err = proto_err;
	}
	return NULL;
}

struct profile *read_profile(struct instream *in, struct cprof_error *err)
{
	const uint8_t *head;
	ssize_t n = instream_peek(in, HEAD, &head, err);
	if (n < 0)
		return NULL;
	if (n == 0)
		return error_set(err, "empty profile"), NULL;
	enum legacy_guess guess = legacy_sniff(head, (size_t)n);
	/* Folded stacks with a control character early on (an error to report by its line)
	 * are no text to legacy_sniff. */
	if (guess == LEGACY_LIKELY ||
	    (guess == LEGACY_MAYBE && !decode_plausible(head, (size_t)n)) ||
	    folded_sniff(head, (size_t)n))
		return read_whole(in, err);
	struct profile *p = profile_new();
	struct decode_info info;
	if (decode_stream_info(in, p, err, &info) == 0)
		return p;
	profile_free(p);
	if (info.not_proto && info.messages == 0)
		error_set(err, "%s", not_a_profile);
	return NULL;
}
