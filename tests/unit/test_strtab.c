/* model/strtab: interning, id 0 is "", embedded NULs, growth, lookups. */
#include <stdio.h>
#include <string.h>

#include "model/strtab.h"
#include "tap.h"

int main(void)
{
	struct strtab t;
	strtab_init(&t);
	tap_int(t.count, 1, "a new table holds one string");
	tap_str(strtab_get(&t, 0), "", "id 0 is the empty string");
	tap_int(strtab_intern(&t, "", 0), 0, "interning \"\" gives 0");
	uint32_t a = strtab_intern(&t, "main.main", 9);
	tap_int(a, 1, "the first new string gets id 1");
	tap_int(strtab_intern(&t, "main.main", 9), a, "the same string gets the same id");
	tap_int(strtab_intern(&t, "main.mainX", 9), a, "only n bytes count");
	tap_int(strtab_find(&t, "main.main", 9), a, "find finds it");
	tap_int(strtab_find(&t, "main", 4), STRTAB_NONE, "find of a prefix fails");
	uint32_t z1 = strtab_intern(&t, "a\0b", 3), z2 = strtab_intern(&t, "a\0c", 3);
	tap_ok(z1 != z2, "strings differing after a NUL are distinct");
	tap_int(t.len[z1], 3, "length includes the NUL");
	tap_mem(strtab_get(&t, z1), 4, "a\0b", 4, "bytes and terminator kept");
	uint32_t zz = strtab_intern(&t, "a", 1);
	tap_ok(zz != z1, "\"a\" differs from \"a\\0b\"");

	/* Growth: pointers handed out earlier must survive rehashing. */
	const char *first = strtab_get(&t, a);
	char buf[32];
	int bad = 0;
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(buf, sizeof(buf), "s%d", i);
		if (strtab_intern(&t, buf, (size_t)n) != (uint32_t)(5 + i))
			bad++;
	}
	tap_int(bad, 0, "50000 new strings get consecutive ids");
	bad = 0;
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(buf, sizeof(buf), "s%d", i);
		if (strtab_find(&t, buf, (size_t)n) != (uint32_t)(5 + i) ||
		    strcmp(strtab_get(&t, (uint32_t)(5 + i)), buf) != 0)
			bad++;
	}
	tap_int(bad, 0, "all found again, with their bytes");
	tap_ok(first == strtab_get(&t, a), "an early string's pointer is stable");
	tap_str(first, "main.main", "and still holds its bytes");
	strtab_release(&t);
	return tap_done();
}
