module cprof/tests/bench/synth

go 1.19
