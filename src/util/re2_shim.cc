// util/re2_shim.h over RE2: no C++ type or exception crosses into C.
#include "util/re2_shim.h"

#include <re2/re2.h>

#include <cstring>
#include <new>

struct re2_shim {
	RE2 re;
	explicit re2_shim(const re2::StringPiece &p, const RE2::Options &o) : re(p, o)
	{
	}
};

static enum re2_shim_error shim_error(RE2::ErrorCode c)
{
	switch (c) {
	case RE2::NoError:
		return RE2_SHIM_OK;
	case RE2::ErrorBadEscape:
		return RE2_SHIM_BAD_ESCAPE;
	case RE2::ErrorBadCharClass:
		return RE2_SHIM_BAD_CLASS;
	case RE2::ErrorBadCharRange:
		return RE2_SHIM_BAD_RANGE;
	case RE2::ErrorMissingBracket:
		return RE2_SHIM_MISSING_BRACKET;
	case RE2::ErrorMissingParen:
		return RE2_SHIM_MISSING_PAREN;
	case RE2::ErrorUnexpectedParen:
		return RE2_SHIM_UNEXPECTED_PAREN;
	case RE2::ErrorTrailingBackslash:
		return RE2_SHIM_TRAILING_BACKSLASH;
	case RE2::ErrorRepeatArgument:
		return RE2_SHIM_REPEAT_ARGUMENT;
	case RE2::ErrorRepeatSize:
		return RE2_SHIM_REPEAT_SIZE;
	case RE2::ErrorRepeatOp:
		return RE2_SHIM_REPEAT_OP;
	case RE2::ErrorBadPerlOp:
		return RE2_SHIM_BAD_PERL_OP;
	case RE2::ErrorBadUTF8:
		return RE2_SHIM_BAD_UTF8;
	case RE2::ErrorBadNamedCapture:
		return RE2_SHIM_BAD_NAMED_CAPTURE;
	case RE2::ErrorPatternTooLarge:
		return RE2_SHIM_TOO_LARGE;
	default:
		return RE2_SHIM_INTERNAL;
	}
}

static struct re2_shim *compile(const char *pattern, size_t n, const RE2::Options &o,
				enum re2_shim_error *why, char *arg, size_t arg_size)
{
	struct re2_shim *s = nullptr;
	try {
		s = new re2_shim(re2::StringPiece(pattern, n), o);
	} catch (const std::bad_alloc &) {
		*why = RE2_SHIM_NO_MEMORY;
		if (arg_size)
			arg[0] = '\0';
		return nullptr;
	}
	if (s->re.ok()) {
		*why = RE2_SHIM_OK;
		return s;
	}
	*why = shim_error(s->re.error_code());
	if (arg_size) {
		const std::string &a = s->re.error_arg();
		size_t k = a.size() < arg_size - 1 ? a.size() : arg_size - 1;
		memcpy(arg, a.data(), k);
		arg[k] = '\0';
	}
	delete s;
	return nullptr;
}

extern "C" struct re2_shim *re2_shim_compile(const char *pattern, size_t n,
					     enum re2_shim_error *why, char *arg, size_t arg_size)
{
	RE2::Options o;
	o.set_log_errors(false);
	o.set_never_capture(true);
	return compile(pattern, n, o, why, arg, arg_size);
}

extern "C" struct re2_shim *re2_shim_compile_bytes(const char *pattern, size_t n,
						   enum re2_shim_error *why, char *arg,
						   size_t arg_size)
{
	RE2::Options o;
	o.set_log_errors(false);
	o.set_encoding(RE2::Options::EncodingLatin1);
	return compile(pattern, n, o, why, arg, arg_size);
}

extern "C" int re2_shim_find(const struct re2_shim *re, const char *s, size_t n, long *spans,
			     int n_groups)
{
	re2::StringPiece groups[16];
	if (n_groups < 1 || n_groups > 16)
		return 0;
	re2::StringPiece text(s, n);
	try {
		if (!re->re.Match(text, 0, n, RE2::UNANCHORED, groups, n_groups))
			return 0;
	} catch (const std::bad_alloc &) {
		return -1;
	}
	for (int i = 0; i < n_groups; i++) {
		if (groups[i].data() == nullptr) {
			spans[2 * i] = spans[2 * i + 1] = -1;
			continue;
		}
		spans[2 * i] = groups[i].data() - s;
		spans[2 * i + 1] = spans[2 * i] + static_cast<long>(groups[i].size());
	}
	return 1;
}

extern "C" int re2_shim_match(const struct re2_shim *re, const char *s, size_t n)
{
	try {
		return RE2::PartialMatch(re2::StringPiece(s, n), re->re);
	} catch (const std::bad_alloc &) {
		return -1;
	}
}

extern "C" void re2_shim_free(struct re2_shim *re)
{
	delete re;
}
