// Command typecheck makes a real CPU profile of real call-tree shape for scripts/bench:
// it type-checks the standard library from source with go/types, over and over, while
// the CPU profiler samples it. Type checking recurses deeply through the
// checker and the parser, so stacks share long prefixes and branch often, as in a
// service's profile, unlike the bench's synthetic random walks.
//
//	go run . -seconds 60 -o /tmp/typecheck.pb.gz
package main

import (
	"context"
	"flag"
	"fmt"
	"go/build"
	"go/importer"
	"go/token"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "output profile (required)")
	seconds := flag.Float64("seconds", 60, "how long to keep type-checking")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "typecheck: -o is required")
		os.Exit(2)
	}
	pkgs, err := stdPackages()
	if err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	checked, spans := 0, 0
	for round := 0; time.Now().Before(deadline); round++ {
		// A fresh importer each round: every package is checked again from source.
		imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
		for _, p := range pkgs {
			if !time.Now().Before(deadline) {
				break
			}
			// Labelled as tracing profilers label requests (a span id per import,
			// and the package): the same stacks recur under many labels, which
			// makes the profile a megabyte or more, as such profiles are.
			span := strconv.Itoa(spans)
			spans++
			pprof.Do(context.Background(), pprof.Labels("package", p, "span", span), func(context.Context) {
				if _, err := imp.Import(p); err == nil {
					checked++
				}
			})
		}
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "typecheck: %d imports checked\n", checked)
}

// stdPackages lists GOROOT's importable packages, sorted, without commands,
// internal, vendored and testdata directories.
func stdPackages() ([]string, error) {
	// Debian's GOROOT/src is a symbolic link, which WalkDir would not enter.
	src, err := filepath.EvalSymlinks(filepath.Join(build.Default.GOROOT, "src"))
	if err != nil {
		return nil, err
	}
	var pkgs []string
	err = filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		base := d.Name()
		if rel == "cmd" || base == "testdata" || base == "vendor" {
			return filepath.SkipDir
		}
		if rel == "." {
			return nil
		}
		if p, err := build.Default.ImportDir(path, 0); err == nil && p.Name != "main" {
			pkgs = append(pkgs, strings.ReplaceAll(rel, string(filepath.Separator), "/"))
		}
		return nil
	})
	sort.Strings(pkgs)
	return pkgs, err
}
