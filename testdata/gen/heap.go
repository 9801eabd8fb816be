// The heap and allocs workload: allocations of different sizes from several
// call paths that share prefixes; some objects stay live, the rest become
// garbage, so in-use and allocated totals differ.
package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

type entry struct {
	key   string
	value int
	next  *entry
	pad   [40]byte
}

type record struct {
	fields []string
	id     int
	note   [200]byte
}

type index struct {
	buckets []*entry
	count   int
}

// live keeps what the workload wants to be in use when the profile is taken.
var live struct {
	idx     *index
	records []*record
	blocks  [][]byte
}

// sink defeats escape analysis for allocations that are meant to be garbage.
var sink interface{}

func runHeap(out *os.File, kind string) error {
	live.idx = buildIndex(20000)
	live.records = loadRecords(5000)
	live.blocks = cacheBlocks(64)
	runtime.GC()
	return writeProfile(out, kind)
}

func buildIndex(n int) *index {
	idx := &index{}
	for i := 0; i < n; i++ {
		if idx.count >= len(idx.buckets)*2 {
			growBuckets(idx)
		}
		e := newEntry("key"+strconv.Itoa(i), i)
		b := i % len(idx.buckets)
		e.next = idx.buckets[b]
		idx.buckets[b] = e
		idx.count++
	}
	return idx
}

func newEntry(key string, value int) *entry {
	return &entry{key: key, value: value}
}

// growBuckets doubles the bucket array; the old arrays become garbage.
func growBuckets(idx *index) {
	size := len(idx.buckets) * 2
	if size == 0 {
		size = 64
	}
	nb := make([]*entry, size)
	for _, head := range idx.buckets {
		for e := head; e != nil; {
			next := e.next
			b := e.value % size
			e.next = nb[b]
			nb[b] = e
			e = next
		}
	}
	idx.buckets = nb
}

func loadRecords(n int) []*record {
	var recs []*record
	for i := 0; i < n; i++ {
		line := "id=" + strconv.Itoa(i) + ",name=item" + strconv.Itoa(i%97) + ",size=" + strconv.Itoa(i*7)
		r := parseRecord(line, i)
		if i%2 == 0 {
			recs = append(recs, r)
		} else {
			sink = r
		}
	}
	return recs
}

func parseRecord(line string, id int) *record {
	fields := splitFields(line)
	r := newRecord(id)
	r.fields = fields[:1]
	return r
}

func splitFields(line string) []string {
	return strings.Split(line, ",")
}

func newRecord(id int) *record {
	return &record{id: id}
}

// cacheBlocks allocates large blocks and keeps every fourth one.
func cacheBlocks(n int) [][]byte {
	var kept [][]byte
	for i := 0; i < n; i++ {
		b := allocBlock(64 << 10)
		if i%4 == 0 {
			kept = append(kept, b)
		} else {
			sink = b
		}
	}
	return kept
}

func allocBlock(size int) []byte {
	b := make([]byte, size)
	b[0] = 1
	return b
}
