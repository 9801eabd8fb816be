module cprof/testdata/gen

go 1.19
