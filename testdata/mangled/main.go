// Command mangled writes a gzip'd profile.proto whose functions carry mangled names,
// for cprof's demangling tests:
//
//	go run testdata/mangled/main.go OUT <NAMES
//
// NAMES holds one symbol name a line. Each becomes a function (name and system name
// both the mangled name, as profilers that do not demangle write them), at its own
// address in one mapping marked as having functions, and the leaf of one sample
// whose caller is the line before's: sample i has value 10*(n-i), so reports list
// them in input order. Standard library only; the same input gives the same bytes.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
)

type buf struct{ bytes.Buffer }

func (b *buf) varint(v uint64) {
	for v >= 0x80 {
		b.WriteByte(byte(v) | 0x80)
		v >>= 7
	}
	b.WriteByte(byte(v))
}

func (b *buf) uintField(field int, v uint64) {
	b.varint(uint64(field) << 3)
	b.varint(v)
}

func (b *buf) bytesField(field int, p []byte) {
	b.varint(uint64(field)<<3 | 2)
	b.varint(uint64(len(p)))
	b.Write(p)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mangled OUT <NAMES")
		os.Exit(2)
	}
	var names []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			names = append(names, s)
		}
	}
	strs := []string{"", "samples", "count", "cpu", "nanoseconds", "mangled-demo"}
	var p buf
	vt := func(field int, typ, unit uint64) {
		var m buf
		m.uintField(1, typ)
		m.uintField(2, unit)
		p.bytesField(field, m.Bytes())
	}
	vt(1, 1, 2)
	vt(1, 3, 4)
	n := len(names)
	for i := range names {
		var s buf
		var locs, vals buf
		locs.varint(uint64(i + 1))
		if i > 0 {
			locs.varint(uint64(i))
		}
		vals.varint(uint64(n - i))
		vals.varint(uint64(10 * (n - i)))
		s.bytesField(1, locs.Bytes())
		s.bytesField(2, vals.Bytes())
		p.bytesField(2, s.Bytes())
	}
	var m buf
	m.uintField(1, 1)
	m.uintField(2, 0x400000)
	m.uintField(3, 0x400000+uint64(n+1)*0x100)
	m.uintField(5, 5)
	m.uintField(7, 1) // has_functions
	p.bytesField(3, m.Bytes())
	for i := range names {
		var l, line buf
		line.uintField(1, uint64(i+1))
		line.uintField(2, uint64(i+10))
		l.uintField(1, uint64(i+1))
		l.uintField(2, 1)
		l.uintField(3, 0x400000+uint64(i+1)*0x100)
		l.bytesField(4, line.Bytes())
		p.bytesField(4, l.Bytes())
	}
	for i, name := range names {
		var f buf
		idx := uint64(len(strs))
		strs = append(strs, name)
		f.uintField(1, uint64(i+1))
		f.uintField(2, idx)
		f.uintField(3, idx)
		p.bytesField(5, f.Bytes())
	}
	for _, s := range strs {
		p.bytesField(6, []byte(s))
	}
	vt(11, 3, 4)
	p.uintField(12, 10000000)
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(p.Bytes())
	zw.Close()
	if err := os.WriteFile(os.Args[1], out.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mangled:", err)
		os.Exit(1)
	}
}
