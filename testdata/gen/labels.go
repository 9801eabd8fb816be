// Two kinds for the label-aware reports (traces, tags, raw, callgrind):
//
//   - labels: a real CPU profile in which several goroutines run under
//     pprof.Do with string labels, through recursion and inlined calls.
//   - numlabels: a small profile.proto written by hand, byte by byte, since
//     the Go runtime never writes numeric labels with units; it also holds
//     what pprof treats specially (comments, folded and line-less locations,
//     duplicate and zero samples, empty labels, system names).
package main

import (
	"compress/gzip"
	"context"
	"os"
	"runtime/pprof"
	"sync"
)

func runLabels(out *os.File) error {
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, job := range []struct {
		worker, stage string
		n             int
	}{
		{"fib", "compute", 35},
		{"fib", "verify", 33},
		{"hash", "compute", 90},
		{"sieve", "compute", 20000000},
	} {
		job := job
		wg.Add(1)
		go func() {
			defer wg.Done()
			labels := pprof.Labels("worker", job.worker, "stage", job.stage)
			pprof.Do(context.Background(), labels, func(context.Context) {
				runJob(job.worker, job.n)
			})
		}()
	}
	wg.Wait()
	pprof.StopCPUProfile()
	return nil
}

var labelSink uint64

func runJob(worker string, n int) {
	for round := 0; round < 4; round++ {
		switch worker {
		case "fib":
			labelSink += fib(n)
		case "hash":
			labelSink += hashRounds(n)
		case "sieve":
			labelSink += uint64(sieve(n))
		}
	}
}

// fib is recursive on purpose: the profile holds deep self-recursion.
func fib(n int) uint64 {
	if n < 2 {
		return uint64(n)
	}
	return fib(n-1) + fib(n-2)
}

// hashRounds calls step, which is small enough to be inlined.
func hashRounds(rounds int) uint64 {
	var h uint64 = 14695981039346656037
	for r := 0; r < rounds; r++ {
		for i := 0; i < 1<<20; i++ {
			h = step(h, byte(i))
		}
	}
	return h
}

func step(h uint64, c byte) uint64 {
	return (h ^ uint64(c)) * 1099511628211
}

func sieve(n int) int {
	composite := make([]bool, n+1)
	count := 0
	for i := 2; i <= n; i++ {
		if composite[i] {
			continue
		}
		count++
		for j := i * 2; j <= n; j += i {
			composite[j] = true
		}
	}
	return count
}

// pb is a minimal protocol buffer writer: enough for profile.proto.
type pb struct{ b []byte }

func (p *pb) varint(v uint64) {
	for v >= 0x80 {
		p.b = append(p.b, byte(v)|0x80)
		v >>= 7
	}
	p.b = append(p.b, byte(v))
}

func (p *pb) int(field int, v int64) {
	if v == 0 {
		return
	}
	p.varint(uint64(field) << 3)
	p.varint(uint64(v))
}

func (p *pb) bytes(field int, b []byte) {
	p.varint(uint64(field)<<3 | 2)
	p.varint(uint64(len(b)))
	p.b = append(p.b, b...)
}

func (p *pb) msg(field int, m *pb) { p.bytes(field, m.b) }

// strtab interns strings for the hand-written profile.
type strtab struct {
	ids  map[string]int64
	list []string
}

func (t *strtab) id(s string) int64 {
	if id, ok := t.ids[s]; ok {
		return id
	}
	t.ids[s] = int64(len(t.list))
	t.list = append(t.list, s)
	return t.ids[s]
}

// newStrtab is a string table holding "" as string 0, as the format wants.
func newStrtab() *strtab {
	t := &strtab{ids: map[string]int64{}}
	t.id("")
	return t
}

// valueType encodes a ValueType message of the table's strings.
func (t *strtab) valueType(typ, unit string) *pb {
	var m pb
	m.int(1, t.id(typ))
	m.int(2, t.id(unit))
	return &m
}

func runNumLabels(out *os.File) error {
	st := newStrtab()
	var prof pb
	prof.msg(1, st.valueType("requests", "count"))
	prof.msg(1, st.valueType("latency", "nanoseconds"))

	type label struct {
		key, str string
		num      int64
		unit     string
	}
	sample := func(locs []uint64, values []int64, labels ...label) {
		var m pb
		for _, l := range locs {
			m.varint(1 << 3)
			m.varint(l)
		}
		for _, v := range values {
			m.varint(2 << 3)
			m.varint(uint64(v))
		}
		for _, l := range labels {
			var lm pb
			lm.int(1, st.id(l.key))
			if l.str != "" {
				lm.int(2, st.id(l.str))
			}
			lm.int(3, l.num)
			if l.unit != "" {
				lm.int(4, st.id(l.unit))
			}
			m.msg(3, &lm)
		}
		prof.msg(2, &m)
	}
	str := func(k, v string) label { return label{key: k, str: v} }
	num := func(k string, v int64, unit string) label { return label{key: k, num: v, unit: unit} }

	// Locations (leaf first in samples): 1 handle <- 2 serve <- 3 main;
	// 4 query (with inlined 5's lines) <- 2; 6 has no lines; 7 is folded.
	sample([]uint64{1, 2, 3}, []int64{3, 3000000},
		str("handler", "GET /users"), num("request_size", 2048, "bytes"),
		num("response_size", 512, "bytes"), num("queue", 4, ""))
	sample([]uint64{4, 2, 3}, []int64{5, 25000000},
		str("handler", "GET /users"), str("db", "primary"),
		num("request_size", 64, "bytes"), num("latency_budget", 30, "milliseconds"))
	sample([]uint64{4, 2, 3}, []int64{2, 9000000},
		str("handler", "POST /users"), str("db", "primary"), str("db", "replica"),
		num("request_size", 1<<20, "bytes"), num("request_size", 4096, "bytes"))
	sample([]uint64{6, 2, 3}, []int64{1, 700000},
		str("handler", "POST /users"), num("alignment", 16, ""), num("bytes", 300, ""))
	// The same stack and labels as the first sample: pprof adds them up.
	sample([]uint64{1, 2, 3}, []int64{2, 1000000},
		str("handler", "GET /users"), num("request_size", 2048, "bytes"),
		num("response_size", 512, "bytes"), num("queue", 4, ""))
	// All values zero: pprof drops the sample.
	sample([]uint64{7, 3}, []int64{0, 0}, str("handler", "HEAD /"))
	// An empty label (no value, number or unit) is dropped; a unit with a zero
	// number is kept.
	sample([]uint64{7, 3}, []int64{4, 120000},
		label{key: "empty"}, num("retries", 0, "count"), num("timeout", 250, "milliseconds"),
		num("timeout", 1, "seconds"))

	mapping := func(id uint64, start, limit, offset uint64, file, buildID string) {
		var m pb
		m.int(1, int64(id))
		m.int(2, int64(start))
		m.int(3, int64(limit))
		m.int(4, int64(offset))
		m.int(5, st.id(file))
		m.int(6, st.id(buildID))
		m.int(7, 1)
		m.int(8, 1)
		m.int(9, 1)
		m.int(10, 1)
		prof.msg(3, &m)
	}
	mapping(1, 0x400000, 0x4a0000, 0, "/srv/bin/api", "4f1e2d3c")
	mapping(2, 0x7f0000000000, 0x7f0000020000, 0, "/lib/x86_64-linux-gnu/libc.so.6", "")

	location := func(id, mappingID, addr uint64, folded bool, lines ...[2]int64) {
		var m pb
		m.int(1, int64(id))
		m.int(2, int64(mappingID))
		m.int(3, int64(addr))
		for _, l := range lines {
			var lm pb
			lm.int(1, l[0])
			lm.int(2, l[1])
			m.msg(4, &lm)
		}
		if folded {
			m.int(5, 1)
		}
		prof.msg(4, &m)
	}
	location(1, 1, 0x401200, false, [2]int64{1, 42})
	location(2, 1, 0x402340, false, [2]int64{2, 17})
	location(3, 1, 0x403000, false, [2]int64{3, 9})
	location(4, 1, 0x404410, false, [2]int64{5, 88}, [2]int64{4, 120})
	location(6, 2, 0x7f0000001a2b, false)
	location(7, 1, 0x405000, true, [2]int64{6, 7})

	function := func(id int64, name, system, file string, start int64) {
		var m pb
		m.int(1, id)
		m.int(2, st.id(name))
		m.int(3, st.id(system))
		m.int(4, st.id(file))
		m.int(5, start)
		prof.msg(5, &m)
	}
	function(1, "api.(*Server).handle", "api.(*Server).handle", "/src/api/server.go", 40)
	function(2, "api.serve", "api.serve", "/src/api/serve.go", 10)
	function(3, "main.main", "main.main", "/src/cmd/api/main.go", 5)
	function(4, "db.Query", "_ZN2db5QueryEv", "/src/db/query.go", 100)
	function(5, "db.encode", "db.encode", "/src/db/encode.go", 80)
	function(6, "api.ping", "api.ping", "/src/api/ping.go", 3)

	comments := []int64{st.id("build: release 1.2.3"), st.id("# hidden from headers"),
		st.id("build: release 1.2.3"), st.id("host: test-01")}
	period := st.valueType("requests", "count")
	dflt := st.id("latency")

	for _, s := range st.list {
		prof.bytes(6, []byte(s))
	}
	prof.int(9, 1764000000123456789) // time_nanos
	prof.int(10, 61500000000)        // duration_nanos: 1m1.5s
	prof.msg(11, period)
	prof.int(12, 1)
	var cm pb
	for _, c := range comments {
		cm.varint(uint64(c))
	}
	prof.bytes(13, cm.b)
	prof.int(14, dflt)

	zw := gzip.NewWriter(out)
	if _, err := zw.Write(prof.b); err != nil {
		return err
	}
	return zw.Close()
}
