// The diff kinds: one small request-handling program in two versions, as if
// profiled before and after a code change, for cprof's diff and merge tests.
//
//	-kind=diffbase  the old version: encodes replies with main.encodeOld
//	-kind=diffnew   the new version: main.encodeNew replaces main.encodeOld,
//	                main.hashKey does four times the work (it grew) and
//	                main.render half (it shrank); main.parseRequest and
//	                main.handle are unchanged.
//
// Both run the same number of requests, so the common code's weight only
// moves by scheduling noise.
package main

import (
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

// The diff kinds are picked here, before main runs: main.go's source lines
// appear in the list goldens, so main's switch is left as it was.
func init() {
	fs := flag.NewFlagSet("words", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kind := fs.String("kind", "", "")
	out := fs.String("o", "", "")
	if fs.Parse(os.Args[1:]) != nil || (*kind != "diffbase" && *kind != "diffnew") {
		return
	}
	if *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: words -kind=diffbase|diffnew -o FILE")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fatal(err)
	}
	if err := runDiff(f, *kind); err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
	os.Exit(0)
}
