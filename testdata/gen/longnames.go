// The longnames kind: a small profile.proto written by hand whose function
// names are the ones that strain call graphs: a C++ name with deep template
// arguments, a Go generic method on a long instantiation shape, a Go module
// with a major version, a Java method, a C++ name in an anonymous namespace.
// Some are tens of kilobytes long; pprof shortens and draws them all. It uses
// labels.go's protocol buffer writer and is picked in diff.go's init, so
// main.go's lines (shown by the list goldens) stay where they are.
package main

import (
	"compress/gzip"
	"os"
	"strings"
)

// nested returns depth levels of C++ template arguments around a vector of strings.
func nested(depth int) string {
	s := "std::vector<std::basic_string<char, std::char_traits<char>, std::allocator<char> > >"
	for i := 0; i < depth; i++ {
		s = "std::map<std::basic_string<char>, " + s + ", std::less<void> >"
	}
	return s
}

func runLongNames(out *os.File) error {
	st := newStrtab()
	var prof pb
	prof.msg(1, st.valueType("samples", "count"))
	prof.msg(1, st.valueType("cpu", "nanoseconds"))

	names := []string{
		"main.main",
		"example.com/engine/v3/internal/run.(*Loop).Step",
		"(anonymous namespace)::engine::Parser::parse<" + nested(300) + ">",
		"engine::detail::Holder<" + nested(200) + ">::invoke",
		"example.com/cache.(*LRU[go.shape.struct { Key string; Value " +
			strings.Repeat("map[string]", 2000) + "int }]).Get",
		"example.com/cache.(*LRU[...]).Put",
		"com.example.service.internal.RequestDispatcher.dispatch$1(Lcom/example/Request;)V",
		"runtime.memmove",
	}
	for i, n := range names {
		var m pb
		m.int(1, int64(i+1))
		m.int(2, st.id(n))
		m.int(3, st.id(n))
		m.int(4, st.id("/src/engine/"+strings.Repeat("deep/", 200)+"file.cc"))
		m.int(5, int64(10*i+1))
		prof.msg(5, &m)
	}
	for i := range names {
		var m pb
		m.int(1, int64(i+1))
		m.int(2, 1)
		m.int(3, int64(0x401000+0x100*i))
		var lm pb
		lm.int(1, int64(i+1))
		lm.int(2, int64(10*i+5))
		m.msg(4, &lm)
		prof.msg(4, &m)
	}

	sample := func(values []int64, locs ...uint64) {
		var m pb
		for _, l := range locs {
			m.varint(1 << 3)
			m.varint(l)
		}
		for _, v := range values {
			m.varint(2 << 3)
			m.varint(uint64(v))
		}
		prof.msg(2, &m)
	}
	// Leaf first: 1 main <- 2 Loop.Step <- 3 parse <- 4 invoke <- 5 LRU.Get ...
	sample([]int64{40, 400000000}, 8, 5, 4, 3, 2, 1)
	sample([]int64{25, 250000000}, 4, 3, 2, 1)
	sample([]int64{15, 150000000}, 6, 2, 1)
	sample([]int64{12, 120000000}, 7, 3, 2, 1)
	sample([]int64{8, 80000000}, 3, 2, 1)
	sample([]int64{5, 50000000}, 8, 6, 2, 1)

	var mm pb
	mm.int(1, 1)
	mm.int(2, 0x400000)
	mm.int(3, 0x500000)
	mm.int(5, st.id("/srv/bin/engine"))
	mm.int(7, 1)
	mm.int(8, 1)
	mm.int(9, 1)
	mm.int(10, 1)
	prof.msg(3, &mm)

	for _, s := range st.list {
		prof.bytes(6, []byte(s))
	}
	prof.int(9, 1764000000000000000) // time_nanos
	prof.int(10, 2000000000)         // duration_nanos: 2s
	prof.msg(11, st.valueType("cpu", "nanoseconds"))
	prof.int(12, 10000000)

	zw := gzip.NewWriter(out)
	if _, err := zw.Write(prof.b); err != nil {
		return err
	}
	return zw.Close()
}
