// The legacy text kinds: the same workloads as heap, block, mutex and
// goroutine, plus threadcreate, written with runtime/pprof's debug=1 (the
// text format pprof's legacy parsers read) instead of profile.proto:
//
//	-kind=heap -debug=1          heap profile: ... @ heap/8192, then the
//	                             runtime.MemStats trailer
//	-kind=block -debug=1         --- contention: with cycles/second
//	-kind=mutex -debug=1         --- mutex: with cycles/second and sampling period
//	-kind=goroutine -debug=1     goroutine profile: total N
//	-kind=threadcreate -debug=1  threadcreate profile: total N
//
// Each workload writes its profile.proto to /dev/null as usual, and the
// debug=1 text is taken right after, while the workload's state (live
// objects, parked goroutines, counted contentions) is still there. Picked
// here, before main runs, because main.go's source lines appear in the list
// goldens and must not move.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
)

func init() {
	fs := flag.NewFlagSet("words", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kind := fs.String("kind", "", "")
	out := fs.String("o", "", "")
	debug := fs.Int("debug", 0, "")
	if fs.Parse(os.Args[1:]) != nil || *debug == 0 {
		return
	}
	if *out == "" || fs.NArg() != 0 || *debug != 1 {
		fmt.Fprintln(os.Stderr, "usage: words -kind=heap|block|mutex|goroutine|threadcreate -debug=1 -o FILE")
		os.Exit(2)
	}
	if err := runLegacy(*kind, *out); err != nil {
		fatal(err)
	}
	os.Exit(0)
}

func runLegacy(kind, out string) error {
	// As main.go's init sets it, which runs after this file's.
	runtime.MemProfileRate = 4096
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	switch kind {
	case "heap":
		err = runHeap(null, kind)
	case "block":
		err = runBlock(null)
	case "mutex":
		err = runMutex(null)
	case "goroutine":
		err = runGoroutine(null)
	case "threadcreate":
		runThreads(4)
	default:
		return fmt.Errorf("no debug=1 form for kind %q", kind)
	}
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(kind).WriteTo(f, 1); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runThreads makes the runtime start n more OS threads: each goroutine locks
// itself to a thread and holds it until all of them have one.
func runThreads(n int) {
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for i := 0; i < n; i++ {
		ready.Add(1)
		done.Add(1)
		go holdThread(&ready, &done, release)
	}
	ready.Wait()
	close(release)
	done.Wait()
}

func holdThread(ready, done *sync.WaitGroup, release <-chan struct{}) {
	defer done.Done()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ready.Done()
	<-release
}
