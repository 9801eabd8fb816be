module cprof/tests/bench/typecheck

go 1.19
