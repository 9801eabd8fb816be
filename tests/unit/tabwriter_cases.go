//go:build ignore

// Writes tabwriter_cases.h, the expectations of test_tabwriter.c, from Go's own
// text/tabwriter configured as pprof configures it. Run from the repo root:
//
//	go run tests/unit/tabwriter_cases.go > tests/unit/tabwriter_cases.h
package main

import (
	"bytes"
	"fmt"
	"strconv"
	"text/tabwriter"
)

func main() {
	cases := []struct{ what, in string }{
		{"key line then right-aligned values", "bytes:\t Total 3.4MB\n \t1.2MB (36.37%):\t 80B\n \t543.6kB (15.54%):\t 240B\n\n"},
		{"a line without tabs ends the block", "a\tb\tc\nlonger\tx\ty\nplain\nz\tw\n"},
		{"nested column blocks", "a\tbb\tccc\td\nee\tf\n\tgggg\th\ti\n"},
		{"multi-byte characters count once", "\xc3\xa9\xc3\xa9\tx\nabc\ty\n"},
		{"unterminated last line", "a\tb\nccc\td"},
		{"empty cells", "\t\tx\n\tyy\tz\n"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.AlignRight)
		fmt.Fprint(w, c.in)
		w.Flush()
		fmt.Printf("\tcheck(%s, %s, %s);\n", strconv.Quote(c.in), strconv.Quote(b.String()), strconv.Quote(c.what))
	}
}
