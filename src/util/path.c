/* Lexical path cleaning as Go's filepath.Clean does it. */
#include "util/path.h"

#include <string.h>

char *path_clean(char *out, const char *path)
{
	size_t n = strlen(path);
	if (n == 0) {
		strcpy(out, ".");
		return out;
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
		} else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
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
	return out;
}

char *path_base(char *out, const char *path)
{
	size_t n = strlen(path);
	if (n == 0) {
		strcpy(out, ".");
		return out;
	}
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0) {
		strcpy(out, "/");
		return out;
	}
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	memcpy(out, path + start, n - start);
	out[n - start] = '\0';
	return out;
}
