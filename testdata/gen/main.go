// Command words writes a real runtime/pprof profile of one kind, for
// cprof's test data. Each kind runs a small, deterministic workload with
// readable function names so reports are easy to check by eye.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// Sampling must be set before the workload allocates anything it should
// record, so it happens here rather than after flag parsing.
func init() {
	runtime.MemProfileRate = 4096
}

func main() {
	kind := flag.String("kind", "cpu", "profile kind: cpu|heap|allocs|block|mutex|goroutine|listing|labels|numlabels")
	out := flag.String("o", "", "output file (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: words -kind=cpu|heap|allocs|block|mutex|goroutine|listing|labels|numlabels -o FILE")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err != nil {
		fatal(err)
	}
	switch *kind {
	case "cpu":
		err = runCPU(f)
	case "heap", "allocs":
		err = runHeap(f, *kind)
	case "block":
		err = runBlock(f)
	case "mutex":
		err = runMutex(f)
	case "goroutine":
		err = runGoroutine(f)
	case "listing":
		err = runListing(f)
	case "labels":
		err = runLabels(f)
	case "numlabels":
		err = runNumLabels(f)
	default:
		fmt.Fprintf(os.Stderr, "words: unknown kind %q\n", *kind)
		os.Remove(*out)
		os.Exit(2)
	}
	if err != nil {
		fatal(err)
	}
	if err := f.Close(); err != nil {
		fatal(err)
	}
}

func writeProfile(f *os.File, name string) error {
	p := pprof.Lookup(name)
	if p == nil {
		return fmt.Errorf("no profile %q", name)
	}
	return p.WriteTo(f, 0)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "words:", err)
	os.Exit(1)
}
