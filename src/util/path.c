/* Lexical path cleaning as Go's filepath.Clean does it. */
#include "util/path.h"

#include <string.h>

char *path_clean(char *out, const char *path)
{
	path_clean_n(out, path, strlen(path));
	return out;
}

size_t path_clean_n(char *out, const char *path, size_t n)
{
	if (n == 0) {
		strcpy(out, ".");
		return 1;
	}
	int rooted = path[0] == '/';
	size_t r = 0, w = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && r + 1 < n && path[r + 1] == '.' &&
			   (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && path[r] != '/'; r++)
				out[w++] = path[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return w;
}

size_t path_base_n(char *out, const char *path, size_t n)
{
	if (n == 0) {
		strcpy(out, ".");
		return 1;
	}
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0) {
		strcpy(out, "/");
		return 1;
	}
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	memcpy(out, path + start, n - start);
	out[n - start] = '\0';
	return n - start;
}

char *path_base(char *out, const char *path)
{
	path_base_n(out, path, strlen(path));
	return out;
}

/* Whether path starts with the n bytes of prefix followed by '/' (added when missing, so
 * an empty prefix is "/"): the length to strip, or 0. */
static size_t has_dir_prefix(const char *path, const char *prefix, size_t n)
{
	if (n > 0 && prefix[n - 1] == '/')
		return strncmp(path, prefix, n) == 0 ? n : 0;
	if (strncmp(path, prefix, n) != 0 || path[n] != '/')
		return 0;
	return n + 1;
}

/* Where "/" + base + "/" occurs in the len bytes of path: the byte after it, or NULL. */
static const char *find_dir(const char *path, size_t len, const char *base, size_t blen)
{
	const char *end = path + len;
	for (const char *f = memchr(path, '/', len); f;
	     f = memchr(f + 1, '/', (size_t)(end - f - 1)))
		if ((size_t)(end - f - 1) > blen && memcmp(f + 1, base, blen) == 0 &&
		    f[1 + blen] == '/')
			return f + blen + 2;
	return NULL;
}

const char *path_trim(const char *path, const char *trim, const char *search_path)
{
	return path_trim_n(path, strlen(path), trim, search_path);
}

const char *path_trim_n(const char *path, size_t len, const char *trim, const char *search_path)
{
	/* The prefixes hold no NUL, so strncmp compares them with every byte they cover. */
	/* Lists are split as Go's filepath.SplitList: "" is no entry, "a:" is "a" and "". */
	if ((!trim || !*trim) && search_path && *search_path) {
		for (const char *s = search_path;; s++) {
			size_t n = strcspn(s, ":");
			/* Go's filepath.Base of the entry. */
			size_t end = n;
			while (end > 0 && s[end - 1] == '/')
				end--;
			size_t start = end;
			while (start > 0 && s[start - 1] != '/')
				start--;
			const char *base = s + start, *found;
			size_t blen = end - start;
			if (n == 0)
				base = ".", blen = 1;
			else if (end == 0)
				base = "/", blen = 1;
			if ((found = find_dir(path, len, base, blen)) != NULL)
				return found;
			s += n;
			if (!*s)
				break;
		}
	}
	if (trim && *trim) {
		for (const char *t = trim;; t++) {
			size_t n = strcspn(t, ":");
			size_t k = has_dir_prefix(path, t, n);
			if (k)
				return path + k;
			t += n;
			if (!*t)
				break;
		}
	}
	static const char *const cwd[] = { "/proc/self/cwd/./", "/proc/self/cwd/" };
	for (size_t i = 0; i < 2; i++)
		if (strncmp(path, cwd[i], strlen(cwd[i])) == 0)
			return path + strlen(cwd[i]);
	return path;
}
