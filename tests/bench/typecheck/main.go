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
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	out := flag.String("o", "", "output profile (required)")
	seconds := flag.Float64("seconds", 60, "how long to keep type-checking")
	workers := flag.Int("workers", 2, "goroutines type-checking side by side")
	hz := flag.Int("hz", 100, "samples per second (over 100: the profile still says 10ms a sample)")
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
	if *hz != 100 {
		// Set before StartCPUProfile, whose own setting to 100 Hz then fails with a
		// warning on standard error: a profile of a longer run in less time.
		runtime.SetCPUProfileRate(*hz)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var checked, spans atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			check(pkgs, deadline, &checked, &spans)
		}()
	}
	wg.Wait()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "typecheck:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "typecheck: %d imports checked\n", checked.Load())
}

// check type-checks pkgs from source, over and over, until the deadline.
func check(pkgs []string, deadline time.Time, checked, spans *atomic.Int64) {
	for time.Now().Before(deadline) {
		// A fresh importer each round: every package is checked again from source.
		imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
		for _, p := range pkgs {
			if !time.Now().Before(deadline) {
				return
			}
			// Labelled as tracing profilers label requests (a span id per import,
			// and the package): the same stacks recur under many labels, which
			// makes the profile a megabyte or more, as such profiles are.
			span := strconv.FormatInt(spans.Add(1), 10)
			pprof.Do(context.Background(), pprof.Labels("package", p, "span", span), func(context.Context) {
				if _, err := imp.Import(p); err == nil {
					checked.Add(1)
				}
			})
		}
	}
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
