/* util/budget: the count follows malloc's family (cprof's own interposed functions, or a
 * sanitizer's hooks), budget_allows and budget_charge weigh against the budget, sizes
 * print as the message shows them, and the default is half of the machine's memory at
 * most. (Passing the budget exits: the errors suite's budget-* cases check that.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/budget.h"

/* MemTotal from /proc/meminfo, in bytes; 0 if unreadable. */
static uint64_t mem_total(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	char line[256];
	unsigned long long kb = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

int main(void)
{
	/* The count: a block of 64 MiB is counted while it is held, and no longer after. */
	enum { BIG = 64 << 20 };
	uint64_t before = budget_used();
	char *volatile p = malloc(BIG);
	memset(p, 1, BIG);
	uint64_t during = budget_used();
	p = realloc(p, 2 * BIG);
	uint64_t grown = budget_used();
	free(p);
	uint64_t after = budget_used();
	tap_ok(during >= before + BIG, "malloc is counted (%llu -> %llu)",
	       (unsigned long long)before, (unsigned long long)during);
	tap_ok(grown >= during + BIG, "realloc counts the growth");
	tap_ok(after < during && after < before + BIG / 64, "free gives it back (%llu)",
	       (unsigned long long)after);
	char *volatile z = calloc(BIG / 8, 8);
	tap_ok(budget_used() >= after + BIG, "calloc is counted");
	free(z);

	/* Weighing against a budget. */
	tap_ok(budget_allows(UINT64_MAX / 2), "no budget allows anything");
	budget_set(budget_used() + 1000);
	tap_ok(budget_allows(1000) && !budget_allows(1001),
	       "a budget allows up to what is left of it");
	budget_charge(600);
	tap_ok(budget_allows(400) && !budget_allows(401), "budget_charge counts mapped memory");
	budget_charge(-600);
	tap_ok(budget_allows(1000), "and gives it back");
	budget_set((uint64_t)2 << 30);
	tap_int((int64_t)budget_get(), (int64_t)2 << 30, "budget_get says the budget");
	struct cprof_error err;
	tap_int(budget_error(&err), -1, "budget_error returns -1");
	tap_str(err.msg, "needs more than the 2.0 GiB memory budget (-max_memory)",
		"with the budget's message");
	budget_set(0);

	/* Sizes as the message shows them: whole units and a truncated tenth. */
	static const struct {
		uint64_t bytes;
		const char *want;
	} sizes[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 1024, "1.0 KiB" },
		{ 1536, "1.5 KiB" },
		{ (1 << 20) - 1, "1023.9 KiB" },
		{ 64 << 20, "64.0 MiB" },
		{ (uint64_t)3 << 29, "1.5 GiB" },
		{ (uint64_t)12 << 40, "12.0 TiB" },
		{ UINT64_MAX, "15.9 EiB" },
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char buf[32];
		budget_format(sizes[i].bytes, buf, sizeof(buf));
		tap_str(buf, sizes[i].want, "budget_format(%llu)",
			(unsigned long long)sizes[i].bytes);
	}

	/* The default: half of the physical memory, or less under a cgroup limit. */
	uint64_t def = budget_default(), total = mem_total();
	tap_ok(def > 0 && (total == 0 || def <= total / 2 + 4096),
	       "the default budget is at most half of MemTotal (%llu of %llu)",
	       (unsigned long long)def, (unsigned long long)total);
	return tap_done();
}
