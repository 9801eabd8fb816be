// The listing workload: a CPU profile whose functions are meant to be read
// line by line (cprof list / weblist). main.scoreItems is hot on a few
// lines, main.weight and main.clamp are inlined into it, main.checksum is
// kept out of line, and sort.Sort puts weight on standard-library source.
// make-profiles builds it twice, with and without -trimpath, so the
// profiles name this file both as a module path and as an absolute path.
package main

import (
	"os"
	"runtime/pprof"
	"sort"
	"time"
)

// item is one record to score and sort.
type item struct {
	key   uint64
	score int64
}

type byScore []item

func (s byScore) Len() int           { return len(s) }
func (s byScore) Less(i, j int) bool { return s[i].score < s[j].score }
func (s byScore) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// weight is small enough to be inlined into scoreItems.
func weight(k uint64) int64 {
	return int64(k>>17) ^ int64(k&0xffff)
}

// clamp is inlined too.
func clamp(v, lo, hi int64) int64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// checksum stays a real call so the listing shows a call line's cum.
//
//go:noinline
func checksum(items []item) uint64 {
	var sum uint64
	for i := range items {
		sum = sum*31 + uint64(items[i].score)
	}
	return sum
}

// scoreItems fills in every item's score from its key.
func scoreItems(items []item, rounds int) uint64 {
	var total uint64
	for r := 0; r < rounds; r++ {
		for i := range items {
			k := items[i].key*6364136223846793005 + uint64(r)
			w := weight(k)
			items[i].score = clamp(w, -1<<20, 1<<20)
		}
		total += checksum(items)
	}
	return total
}

func runListing(out *os.File) error {
	items := make([]item, 1<<16)
	gen := rng{state: 7}
	for i := range items {
		items[i].key = uint64(gen.next())<<32 | uint64(gen.next())
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	var sum uint64
	for start := time.Now(); time.Since(start) < 2*time.Second; {
		sum += scoreItems(items, 40)
		sort.Sort(byScore(items))
	}
	pprof.StopCPUProfile()
	if sum == 0 {
		panic("no work done")
	}
	return nil
}
