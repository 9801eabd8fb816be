// Command setframes copies a gzip'd profile.proto, setting its drop_frames and
// keep_frames fields (which runtime/pprof never writes), for cprof's test data:
//
//	go run testdata/setframes/main.go IN OUT DROP_FRAMES [KEEP_FRAMES]
//
// The two regexps are appended to the string table; every other field is
// copied byte for byte. Standard library only.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 4 || len(os.Args) > 5 {
		fmt.Fprintln(os.Stderr, "usage: setframes IN OUT DROP_FRAMES [KEEP_FRAMES]")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3:]); err != nil {
		fmt.Fprintln(os.Stderr, "setframes:", err)
		os.Exit(1)
	}
}

func run(in, out string, frames []string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	// Count the string table's entries (field 6) among the top-level fields.
	strings := 0
	for b := data; len(b) > 0; {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return fmt.Errorf("%s: bad field key", in)
		}
		b = b[n:]
		switch key & 7 {
		case 0:
			_, n = binary.Uvarint(b)
			if n <= 0 {
				return fmt.Errorf("%s: bad varint", in)
			}
			b = b[n:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return fmt.Errorf("%s: bad length", in)
			}
			b = b[n+int(l):]
		default:
			return fmt.Errorf("%s: unexpected wire type %d", in, key&7)
		}
		if key>>3 == 6 {
			strings++
		}
	}
	var buf bytes.Buffer
	buf.Write(data)
	for i, s := range frames {
		buf.Write(binary.AppendUvarint(nil, 6<<3|2))
		buf.Write(binary.AppendUvarint(nil, uint64(len(s))))
		buf.WriteString(s)
		buf.Write(binary.AppendUvarint(nil, uint64(7+i)<<3))
		buf.Write(binary.AppendUvarint(nil, uint64(strings+i)))
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, z.Bytes(), 0o644)
}
