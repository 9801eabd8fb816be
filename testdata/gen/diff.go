// The diff kinds: one small request-handling program in two versions, as if
// profiled before and after a code change, for cprof's diff and merge tests.
//
//	-kind=diffbase  the old version: encodes replies with main.encodeOld
//	-kind=diffnew   the new version: main.encodeNew replaces main.encodeOld,
//	                main.hashKey does four times the work (it grew) and
//	                main.render half (it shrank); main.parseRequest and
//	                main.handle are unchanged.
//	-kind=diffms    written by hand: a profile of the same handler as a
//	                profiler that counts CPU time in milliseconds would write
//	                it (runtime/pprof always writes nanoseconds), to merge and
//	                diff across units.
//
// Both run the same number of requests, so the common code's weight only
// moves by scheduling noise.
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

var diffSink uint64

type version struct {
	hashRounds, renderRounds int
	newEncoder               bool
}

func parseRequest(id int) []byte {
	buf := make([]byte, 64)
	x := uint64(id)*2862933555777941757 + 3037000493
	for i := range buf {
		x = x*6364136223846793005 + 1442695040888963407
		buf[i] = byte('a' + x>>59)
	}
	for r := 0; r < 200; r++ {
		for i := 1; i < len(buf); i++ {
			buf[i] ^= buf[i-1] >> 1
		}
	}
	return buf
}

//go:noinline
func hashKey(buf []byte, rounds int) uint64 {
	h := uint64(14695981039346656037)
	for r := 0; r < rounds; r++ {
		for _, b := range buf {
			h ^= uint64(b)
			h *= 1099511628211
		}
	}
	return h
}

//go:noinline
func render(h uint64, rounds int) uint64 {
	s := h
	for r := 0; r < rounds; r++ {
		s = s*2862933555777941757 + uint64(r)
		s ^= s >> 29
	}
	return s
}

//go:noinline
func encodeOld(s uint64) uint64 {
	out := s
	for i := 0; i < 30000; i++ {
		out = (out << 7) | (out >> 57)
		out += uint64(i)
	}
	return out
}

//go:noinline
func encodeNew(s uint64) uint64 {
	out := s
	for i := 0; i < 12000; i++ {
		out ^= out << 13
		out ^= out >> 7
		out ^= out << 17
	}
	return out
}

//go:noinline
func handle(id int, v version) uint64 {
	buf := parseRequest(id)
	h := hashKey(buf, v.hashRounds)
	s := render(h, v.renderRounds)
	if v.newEncoder {
		return encodeNew(s)
	}
	return encodeOld(s)
}

func runDiff(out *os.File, kind string) error {
	v := version{hashRounds: 150, renderRounds: 60000}
	if kind == "diffnew" {
		v = version{hashRounds: 600, renderRounds: 30000, newEncoder: true}
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	for id := 0; id < 6000; id++ {
		diffSink += handle(id, v)
	}
	pprof.StopCPUProfile()
	return nil
}

// The hand-written and diff kinds are picked here, before main runs: main.go's
// source lines appear in the list goldens, so main's switch is left as it was.
func init() {
	fs := flag.NewFlagSet("words", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kind := fs.String("kind", "", "")
	out := fs.String("o", "", "")
	if fs.Parse(os.Args[1:]) != nil ||
		(!baseKind(*kind) && *kind != "diffnew" && *kind != "diffms" && *kind != "longnames") {
		return
	}
	if *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: words -kind=diffbase|diffrerunN|diffnew|diffms|longnames -o FILE")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fatal(err)
	}
	switch *kind {
	case "diffms":
		err = runDiffMs(f)
	case "longnames":
		err = runLongNames(f)
	default:
		err = runDiff(f, *kind)
	}
	if err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
	os.Exit(0)
}

// runDiffMs writes the diffms profile: samples/count and cpu/milliseconds,
// period 10ms, with the handler's function names so that its nodes merge
// with the diff pair's.
func runDiffMs(out *os.File) error {
	st := newStrtab()
	var prof pb
	prof.msg(1, st.valueType("samples", "count"))
	prof.msg(1, st.valueType("cpu", "milliseconds"))

	sample := func(locs []uint64, values ...int64) {
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
	// Locations: 1 render, 2 hashKey, 3 encodeOld, 4 handle, 5 main.
	sample([]uint64{1, 4, 5}, 30, 300)
	sample([]uint64{2, 4, 5}, 5, 50)
	sample([]uint64{3, 4, 5}, 12, 120)
	sample([]uint64{4, 5}, 1, 10)

	var mm pb
	mm.int(1, 1)
	mm.int(2, 0x400000)
	mm.int(3, 0x4a0000)
	mm.int(5, st.id("words"))
	mm.int(7, 1)
	mm.int(8, 1)
	mm.int(9, 1)
	prof.msg(3, &mm)

	names := []string{"main.render", "main.hashKey", "main.encodeOld", "main.handle", "main.main"}
	for i, name := range names {
		id := int64(i + 1)
		var lm pb
		lm.int(1, id)
		lm.int(2, 60+10*id)
		var m pb
		m.int(1, id)
		m.int(2, 1)
		m.int(3, 0x401000+0x100*id)
		m.msg(4, &lm)
		prof.msg(4, &m)
		var fm pb
		fm.int(1, id)
		fm.int(2, st.id(name))
		fm.int(3, st.id(name))
		fm.int(4, st.id("cprof/testdata/gen/diff.go"))
		fm.int(5, 50+10*id)
		prof.msg(5, &fm)
	}
	period := st.valueType("cpu", "milliseconds")
	for _, s := range st.list {
		prof.bytes(6, []byte(s))
	}
	prof.int(9, 1764400000000000000) // time_nanos
	prof.int(10, 2000000000)         // duration_nanos: 2s
	prof.msg(11, period)
	prof.int(12, 10)

	zw := gzip.NewWriter(out)
	if _, err := zw.Write(prof.b); err != nil {
		return err
	}
	return zw.Close()
}

// baseKind reports whether kind runs the old version: diffbase, or diffrerunN (N a
// digit), the same benchmark run again, for the gate's noise tests: a rerun differs
// from diffbase by sampling noise alone. (Kept at the end of the file: the list
// goldens show this file's earlier lines.)
func baseKind(kind string) bool {
	n := len("diffrerun")
	return kind == "diffbase" || (len(kind) == n+1 && kind[:n] == "diffrerun" &&
		kind[n] >= '0' && kind[n] <= '9')
}
