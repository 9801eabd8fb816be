// wordfreq: a small C++ program profiled by gperftools for cprof's test data
// (see testdata/README.md). It builds a pseudo-random text, counts its words
// in a hash table, sorts them by count and keeps the most frequent in a
// cache: a few functions with readable names, some inlined, some not.
//
//	wordfreq cpu FILE     CPU profile (libprofiler's binary format)
//	wordfreq heap PREFIX  heap profile dumped by the heap profiler
//	                      (PREFIX.0001.heap, "@ heapprofile")
//	wordfreq growth FILE  tcmalloc's heap growth stacks ("@ growth")
#include <gperftools/heap-profiler.h>
#include <gperftools/malloc_extension.h>
#include <gperftools/profiler.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

struct Lcg {
	uint64_t x;
	uint64_t next()
	{
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		return x >> 33;
	}
};

__attribute__((noinline)) std::string make_text(size_t words, uint64_t seed)
{
	static const char *const syllables[] = { "ka", "lo", "mi", "ne", "ru", "ta", "vo", "zen" };
	Lcg r{ seed };
	std::string text;
	for (size_t i = 0; i < words; i++) {
		int n = 1 + static_cast<int>(r.next() % 3);
		for (int k = 0; k < n; k++)
			text += syllables[r.next() % 8];
		text += (r.next() % 10 == 0) ? '\n' : ' ';
	}
	return text;
}

__attribute__((noinline)) uint64_t hash_word(const char *s, size_t n, int rounds)
{
	uint64_t h = 1469598103934665603ULL;
	for (int k = 0; k < rounds; k++)
		for (size_t i = 0; i < n; i++)
			h = (h ^ static_cast<unsigned char>(s[i])) * 1099511628211ULL;
	return h;
}

using Counts = std::unordered_map<std::string, std::pair<uint64_t, long>>;

__attribute__((noinline)) void count_words(const std::string &text, int rounds, Counts *counts)
{
	size_t i = 0;
	while (i < text.size()) {
		size_t j = text.find_first_of(" \n", i);
		if (j == std::string::npos)
			j = text.size();
		if (j > i) {
			std::string w = text.substr(i, j - i);
			auto &e = (*counts)[w];
			e.first = hash_word(w.data(), w.size(), rounds);
			e.second++;
		}
		i = j + 1;
	}
}

__attribute__((noinline)) std::vector<std::pair<long, std::string>> rank_words(const Counts &counts)
{
	std::vector<std::pair<long, std::string>> v;
	for (const auto &kv : counts)
		v.emplace_back(-kv.second.second, kv.first);
	std::sort(v.begin(), v.end());
	return v;
}

std::vector<std::string *> cache;
std::vector<Counts *> kept;

__attribute__((noinline)) void fill_cache(const std::vector<std::pair<long, std::string>> &ranked,
					  size_t keep)
{
	for (size_t i = 0; i < ranked.size() && i < keep; i++)
		cache.push_back(new std::string(ranked[i].second + "/" + std::to_string(ranked[i].first)));
}

__attribute__((noinline)) uint64_t run(int passes, int rounds)
{
	uint64_t sum = 0;
	for (int p = 0; p < passes; p++) {
		std::string text = make_text(200000, 7 + static_cast<uint64_t>(p));
		Counts *counts = new Counts;
		count_words(text, rounds, counts);
		auto ranked = rank_words(*counts);
		fill_cache(ranked, 64);
		sum += ranked.size();
		if (p % 2 == 0)
			kept.push_back(counts); // stays in use until the profile is taken
		else
			delete counts;
	}
	return sum;
}

bool write_file(const char *path, const std::string &s)
{
	std::ofstream f(path, std::ios::binary);
	f << s;
	return static_cast<bool>(f);
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: wordfreq cpu|heap|growth FILE\n");
		return 2;
	}
	std::string kind = argv[1];
	uint64_t sum = 0;
	if (kind == "cpu") {
		if (!ProfilerStart(argv[2]))
			return 1;
		sum = run(12, 60);
		ProfilerStop();
	} else if (kind == "heap") {
		HeapProfilerStart(argv[2]);
		sum = run(3, 1);
		HeapProfilerDump("end");
		HeapProfilerStop();
	} else if (kind == "growth") {
		sum = run(3, 1);
		std::string s;
		MallocExtension::instance()->GetHeapGrowthStacks(&s);
		if (!write_file(argv[2], s))
			return 1;
	} else {
		std::fprintf(stderr, "wordfreq: unknown kind %s\n", argv[1]);
		return 2;
	}
	std::printf("%llu words\n", static_cast<unsigned long long>(sum));
	return 0;
}
