/* Writes to standard output an uncompressed profile.proto whose traces and raw reports are
 * far larger than the profile: SAMPLES samples, each on the same DEPTH-frame stack of
 * distinct functions and told apart by a numeric label (so that no two merge), so a gzip'd
 * copy is small and traces prints SAMPLES x DEPTH lines. Encoded byte by byte. Usage: gen-wide SAMPLES DEPTH */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void varint(uint64_t v)
{
	while (v >= 0x80) {
		putchar((int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	putchar((int)v);
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* A field: key, then for a length-delimited one its length (the bytes follow). */
static void key(unsigned field, unsigned wire) { varint((uint64_t)field << 3 | wire); }

static void vfield(unsigned field, uint64_t v)
{
	key(field, 0);
	varint(v);
}

static void lfield(unsigned field, size_t len)
{
	key(field, 2);
	varint(len);
}

static void str(const char *s)
{
	lfield(6, strlen(s));
	fputs(s, stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen-wide SAMPLES DEPTH\n");
		return 2;
	}
	uint64_t samples = strtoull(argv[1], NULL, 10), depth = strtoull(argv[2], NULL, 10);
	/* Strings: 0 "", 1 "samples", 2 "count", 3 "n", then function i's name at 3 + i. */
	lfield(1, 4); /* sample_type samples/count */
	vfield(1, 1);
	vfield(2, 2);
	size_t ids = 0;
	for (uint64_t i = 1; i <= depth; i++)
		ids += varint_len(i);
	for (uint64_t s = 0; s < samples; s++) {
		size_t label = 2 + 1 + varint_len(s); /* key "n", num s */
		/* packed location ids, one value, the label */
		lfield(2, 1 + varint_len(ids) + ids + 2 + 2 + label);
		lfield(1, ids);
		for (uint64_t i = 1; i <= depth; i++)
			varint(i);
		vfield(2, 1);
		lfield(3, label);
		vfield(1, 3);
		vfield(3, s);
	}
	for (uint64_t i = 1; i <= depth; i++) { /* location i: function i, line 1 */
		size_t line = 1 + varint_len(i) + 2;
		lfield(4, 1 + varint_len(i) + 1 + varint_len(line) + line);
		vfield(1, i);
		lfield(4, line);
		vfield(1, i);
		vfield(2, 1);
	}
	for (uint64_t i = 1; i <= depth; i++) { /* function i: name and system name */
		lfield(5, 1 + varint_len(i) + 2 * (1 + varint_len(3 + i)));
		vfield(1, i);
		vfield(2, 3 + i);
		vfield(3, 3 + i);
	}
	str("");
	str("samples");
	str("count");
	str("n");
	for (uint64_t i = 1; i <= depth; i++) {
		char name[32];
		snprintf(name, sizeof(name), "main.frame%05llu", (unsigned long long)i);
		str(name);
	}
	return ferror(stdout) != 0;
}
