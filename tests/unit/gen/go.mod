module cprof/tests/unit/gen

go 1.19
