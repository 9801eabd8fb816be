// The gate kinds: diffbase's request handler run for longer, unchanged or with a
// regression of about 9% of its total, to measure how long a benchmark must run
// before cprof diff's gate tells a regression from sampling noise
// (testdata/gen/gate-power runs them; nothing in testdata is made from them).
//
//	-kind=gatesame -scale=N  diffbase's handler, N times as many requests
//	-kind=gategrow -scale=N  the same with main.hashKey doing 2.25 times its
//	                         work: about 9% more of the total (hashKey
//	                         holds about 7% of it on an idle machine)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

func init() {
	fs := flag.NewFlagSet("words", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kind := fs.String("kind", "", "")
	out := fs.String("o", "", "")
	scale := fs.Int("scale", 1, "")
	if fs.Parse(os.Args[1:]) != nil || (*kind != "gatesame" && *kind != "gategrow") {
		return
	}
	if *out == "" || fs.NArg() != 0 || *scale < 1 {
		fmt.Fprintln(os.Stderr, "usage: words -kind=gatesame|gategrow -scale=N -o FILE")
		os.Exit(2)
	}
	v := version{hashRounds: 150, renderRounds: 60000}
	if *kind == "gategrow" {
		v.hashRounds = 338
	}
	f, err := os.Create(*out)
	if err != nil {
		fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fatal(err)
	}
	for id := 0; id < 6000**scale; id++ {
		diffSink += handle(id, v)
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fatal(err)
	}
	os.Exit(0)
}
