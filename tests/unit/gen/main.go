// Command gen writes tests/unit/expect_*.h: expected values for cprof's unit tests,
// produced by Go itself (path/filepath, flag, regexp) and by `go tool pprof` (unit scaling and
// percentages, read back from -top tables of profiles this program writes). Standard
// library only. Run tests/unit/gen/regen rather than this directly.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func cstr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range []byte(s) {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var paths = []string{
	"", ".", "..", "/", "//", "///a", "a", "a/", "a//b", "a/./b", "a/../b", "a/b/..",
	"a/b/../..", "a/b/../../..", "../a", "../../a/b", "/..", "/../a", "/a/../..", "./a/./",
	"abc/def/ghi", "/abc/def/../ghi/./jkl/", "a/b/c/../../d", "..a/b", "a../b", ".../x",
	"/usr/lib/go-1.19/src/runtime/proc.go", "cprof/testdata/gen/cpu.go", "C:\\x\\y",
	"a/b/", "/a/b//", "x/..", "x/../..", "./..", "../.",
}

func emitPaths(w io.Writer) {
	fmt.Fprintln(w, "/* path/filepath.Clean and Base (Go", goVersion(), "on linux). */")
	fmt.Fprintln(w, "static const struct { const char *in, *clean, *base; } go_paths[] = {")
	for _, p := range paths {
		fmt.Fprintf(w, "\t{ %s, %s, %s },\n", cstr(p), cstr(filepath.Clean(p)), cstr(filepath.Base(p)))
	}
	fmt.Fprintln(w, "};")
}

// Flag cases: each argv is parsed by Go's flag package with flags b (bool), n (int),
// f (float), s (string); the result is the error or the values and the remaining args.
var flagArgs = [][]string{
	{},
	{"-b"}, {"--b"}, {"-b=false"}, {"-b=0"}, {"-b=F"}, {"-b=True"}, {"-b=t"}, {"-b=yes"},
	{"-b", "false"}, {"-n", "5"}, {"-n=5"}, {"--n=-7"}, {"-n", "0x1f"}, {"-n=010"},
	{"-n=0b101"}, {"-n=1e3"}, {"-n=abc"}, {"-n="}, {"-n=99999999999999999999"},
	{"-n"}, {"-f=0.5"}, {"-f", "1e-3"}, {"-f=inf"}, {"-f=x"}, {"-f=1e400"}, {"-s", "hello"},
	{"-s="}, {"-s", "-n"}, {"-x"}, {"--x=1"}, {"---b"}, {"-=b"}, {"-", "p"}, {"--", "-b"},
	{"p", "q"}, {"-b", "p", "-n", "3"}, {"-n", "3", "--", "-s", "x"}, {"-s=a=b"},
	{"-b", "-n", "2", "-f", "2.5", "-s", "z", "prof"}, {"-n", " 5"},
	{"-n=1_000"}, {"-n=_1"}, {"-n=1_"}, {"-n=1__0"}, {"-n=0x_1f"}, {"-n=0_7"}, {"-n=0x"},
	{"-n=0"}, {"-n=-0b11"}, {"-n=+5"}, {"-n=-"}, {"-n=0o17"}, {"-n=0O17"}, {"-n=08"}, {"-n=0B1"},
	{"-n=-9223372036854775808"}, {"-n=9223372036854775807"}, {"-n=9223372036854775808"},
	{"-n=-9223372036854775809"}, {"-n=0xffffffffffffffff"}, {"-n=0x7FFFFFFFFFFFFFFF"},
	{"-f=1_0"}, {"-f=0x1p-2"}, {"-f=0x1_0p0"}, {"-f=nan"}, {"-f=NaN"}, {"-f=infinity"}, {"-f=+Inf"},
	{"-f=-inf"}, {"-f=1e"}, {"-f=.5"}, {"-f=5."}, {"-f=0x10"}, {"-f=1e-400"}, {"-f=nan(1)"},
	// More spellings: bool forms, --flag with = and with a separate value, repeats (the
	// last wins), values that look like flags, names in another case, missing values.
	{"-b=1"}, {"--b=false"}, {"-b=TRUE"}, {"-b=FALSE"}, {"-b="}, {"-b", "-b=false"}, {"-B"},
	{"--s=x y"}, {"--s", "v"}, {"--f", "-2.5"}, {"-n", "-5"}, {"--n", "4", "--b=true"},
	{"-n", "1", "-n", "2"}, {"-s", "a", "-s", "b"}, {"-s", "--"}, {"-s"}, {"--s"},
	{"--", "--"}, {"-b", "--"}, {"-x=1", "-b"}, {"-n=5", "-x"}, {"--n="}, {"-f", "--"},
}

func emitFlags(w io.Writer) {
	fmt.Fprintln(w, "/* Go's flag package: flags b (bool), n (int), f (float64), s (string); err is")
	fmt.Fprintln(w, " * \"\" on success. */")
	fmt.Fprintln(w, "static const struct {\n\tconst char *argv[9];\n\tconst char *err;\n\tint b;\n\tlong long n;\n\tdouble f;\n\tconst char *s;\n\tconst char *rest[9];\n} go_flags[] = {")
	for _, args := range flagArgs {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		b := fs.Bool("b", false, "")
		n := fs.Int("n", 0, "")
		f := fs.Float64("f", 0, "")
		s := fs.String("s", "", "")
		err := fs.Parse(args)
		var av []string
		for _, a := range args {
			av = append(av, cstr(a))
		}
		av = append(av, "NULL")
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		var rest []string
		for _, a := range fs.Args() {
			rest = append(rest, cstr(a))
		}
		rest = append(rest, "NULL")
		bi := 0
		if *b {
			bi = 1
		}
		fmt.Fprintf(w, "\t{ { %s }, %s, %d, %s, %s, %s, { %s } },\n", strings.Join(av, ", "),
			cstr(msg), bi, cint(int64(*n)), fmtFloat(*f), cstr(*s), strings.Join(rest, ", "))
	}
	fmt.Fprintln(w, "};")
}

// cint spells an int64 as a C constant (MinInt64 has no literal of its own).
func cint(n int64) string {
	if n == -1<<63 {
		return "(-9223372036854775807LL - 1)"
	}
	return fmt.Sprintf("%dLL", n)
}

func fmtFloat(f float64) string {
	switch {
	case f != f:
		return "NAN"
	case f > 1e308:
		return "HUGE_VAL"
	case f < -1e308:
		return "-HUGE_VAL"
	}
	return fmt.Sprintf("%.17g", f)
}

// --- profiles for go tool pprof ---

type enc struct{ bytes.Buffer }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.WriteByte(byte(v) | 0x80)
		v >>= 7
	}
	e.WriteByte(byte(v))
}
func (e *enc) num(field int, v uint64) { e.varint(uint64(field) << 3); e.varint(v) }
func (e *enc) msg(field int, b []byte) {
	e.varint(uint64(field)<<3 | 2)
	e.varint(uint64(len(b)))
	e.Write(b)
}

// profile writes a profile with one sample type (v, unit) and one function per value,
// named fNN, each with one sample of that value.
func profile(unit string, values []int64) []byte {
	strs := []string{"", "v", unit}
	var p enc
	var vt enc
	vt.num(1, 1)
	vt.num(2, 2)
	p.msg(1, vt.Bytes())
	for i, v := range values {
		var s enc
		s.num(1, uint64(i+1))
		s.num(2, uint64(v))
		p.msg(2, s.Bytes())
	}
	for i := range values {
		var line, loc, fn enc
		line.num(1, uint64(i+1))
		loc.num(1, uint64(i+1))
		loc.msg(4, line.Bytes())
		p.msg(4, loc.Bytes())
		fn.num(1, uint64(i+1))
		fn.num(2, uint64(len(strs)))
		strs = append(strs, fmt.Sprintf("f%02d", i))
		p.msg(5, fn.Bytes())
	}
	for _, s := range strs {
		p.msg(6, []byte(s))
	}
	return p.Bytes()
}

type row struct{ flat, flatPct string }

// top runs go tool pprof -top on the profile and returns each function's flat and flat%.
func top(dir, unit, to string, values []int64) map[string]row {
	path := filepath.Join(dir, "p.pb")
	if err := os.WriteFile(path, profile(unit, values), 0o644); err != nil {
		fail(err)
	}
	cmd := exec.Command("go", "tool", "pprof", "-top", "-nodefraction=0", "-unit="+to, path)
	cmd.Env = append(os.Environ(), "HOME="+dir, "PPROF_TMPDIR="+dir, "PPROF_BINARY_PATH="+dir, "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		fail(fmt.Errorf("go tool pprof: %v: %s", err, stderr.String()))
	}
	rows := map[string]row{}
	in := false
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "      flat  flat%") {
			in = true
			continue
		}
		f := strings.Fields(l)
		if in && len(f) == 6 {
			rows[f[5]] = row{f[0], f[1]}
		}
	}
	return rows
}

var values = []int64{1, 7, 999, 1000, 1001, 1023, 1024, 1500, 1536, 9999, 999999, 1000000,
	1048576, 1234567, 123456789, 1000000000, 1073741824, 59999999999, 3600000000000,
	1099511627776, 4503599627370496, -1, -1500, -1048576, -3600000000000}

var scalings = []struct{ from, to []string }{
	{[]string{"nanoseconds", "ns", "microseconds", "milliseconds", "seconds", "Seconds", "hours"},
		[]string{"auto", "ns", "us", "ms", "s", "sec", "hrs", "hour", "bytes", "widgets"}},
	{[]string{"bytes", "B", "kilobytes", "MB", "gigabyte"},
		[]string{"auto", "b", "kb", "mb", "gb", "tb", "pb", "kilobyte", "ms", "widgets"}},
	{[]string{"count", "widgets", ""},
		[]string{"auto", "count", "sample", "unit", "ms", "widgets"}},
}

func emitMeasure(w io.Writer) {
	dir, err := os.MkdirTemp("", "cprof-unit-gen")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(w, "/* pprof's ScaledLabel(value, from, to) as go tool pprof -top -unit=TO prints a")
	fmt.Fprintln(w, " * sample of that value in a profile whose unit is FROM. */")
	fmt.Fprintln(w, "static const struct { long long value; const char *from, *to, *label; } go_labels[] = {")
	type pct struct {
		v, total int64
		s        string
	}
	var pcts []pct
	seen := map[pct]bool{}
	var total int64
	for _, v := range values {
		if v < 0 {
			total -= v
		} else {
			total += v
		}
	}
	for _, sc := range scalings {
		for _, from := range sc.from {
			for _, to := range sc.to {
				rows := top(dir, from, to, values)
				for i, v := range values {
					r, ok := rows[fmt.Sprintf("f%02d", i)]
					if !ok {
						fail(fmt.Errorf("no row for f%02d (%s -> %s)", i, from, to))
					}
					fmt.Fprintf(w, "\t{ %dLL, %s, %s, %s },\n", v, cstr(from), cstr(to), cstr(r.flat))
					p := pct{v, total, r.flatPct}
					if !seen[p] {
						seen[p] = true
						pcts = append(pcts, p)
					}
				}
			}
		}
	}
	fmt.Fprintln(w, "};")
	// Percentages of other totals: small profiles of two values.
	for _, pair := range [][2]int64{{1, 2}, {1, 999}, {1, 1999}, {1, 20000}, {9995, 5},
		{9994, 6}, {1, 1}, {3, 7}, {2, 998}, {-5, 15}, {123, 100000000}} {
		rows := top(dir, "count", "auto", pair[:])
		t := abs(pair[0]) + abs(pair[1])
		for i, v := range pair {
			p := pct{v, t, rows[fmt.Sprintf("f%02d", i)].flatPct}
			if !seen[p] {
				seen[p] = true
				pcts = append(pcts, p)
			}
		}
	}
	sort.Slice(pcts, func(i, j int) bool {
		if pcts[i].total != pcts[j].total {
			return pcts[i].total < pcts[j].total
		}
		return pcts[i].v < pcts[j].v
	})
	fmt.Fprintln(w, "/* pprof's Percentage(value, total), as the flat% column shows it (leading spaces")
	fmt.Fprintln(w, " * dropped). */")
	fmt.Fprintln(w, "static const struct { long long value, total; const char *pct; } go_percents[] = {")
	for _, p := range pcts {
		fmt.Fprintf(w, "\t{ %dLL, %dLL, %s },\n", p.v, p.total, cstr(p.s))
	}
	fmt.Fprintln(w, "};")
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		fail(errors.New("go env GOVERSION failed"))
	}
	return strings.TrimSpace(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

func write(name string, emit func(io.Writer), includes string) {
	var b bytes.Buffer
	fmt.Fprintln(&b, "/* Generated by tests/unit/gen (see its regen script); do not edit. */")
	fmt.Fprintln(&b, "/* clang-format off */")
	b.WriteString(includes)
	emit(&b)
	if err := os.WriteFile(filepath.Join(os.Args[1], name), b.Bytes(), 0o644); err != nil {
		fail(err)
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-exp" {
		printExp()
		return
	}
	if len(os.Args) != 2 {
		fail(errors.New("usage: gen OUTDIR"))
	}
	write("expect_path.h", emitPaths, "")
	write("expect_flags.h", emitFlags, "#include <math.h>\n")
	write("expect_measure.h", emitMeasure, "")
	write("expect_regexp.h", emitRegexp, "")
	write("expect_url.h", emitURL, "")
	write("expect_gonum.h", emitGonum, "")
}
