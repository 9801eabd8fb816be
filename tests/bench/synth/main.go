// Command synth writes a large synthetic, but realistically shaped, CPU
// profile in pprof's profile.proto format (gzip-compressed) for benchmarking
// cprof against `go tool pprof`.
//
// The protobuf is encoded by hand and samples are streamed straight into the
// gzip writer, so memory use is bounded by the size of the call graph (the
// functions and locations), not by the number of samples.
//
// Usage:
//
//	go run . -size=medium -o /tmp/medium.pb.gz
//	go run . -samples 100000 -functions 20000 -depth 60 -seed 7 -o x.pb.gz
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// ---------------------------------------------------------------------------
// Deterministic random numbers (splitmix64).

type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	return int(((r.next() >> 32) * uint64(n)) >> 32)
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

func (r *rng) pick(list []string) string { return list[r.intn(len(list))] }

// ---------------------------------------------------------------------------
// Protobuf encoding helpers.

const (
	wtVarint = 0
	wtBytes  = 2
)

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func appendTag(b []byte, field int, wt int) []byte {
	return appendVarint(b, uint64(field)<<3|uint64(wt))
}

// appendUint writes a varint field; zero values are omitted (proto3).
func appendUint(b []byte, field int, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = appendTag(b, field, wtVarint)
	return appendVarint(b, v)
}

func appendBool(b []byte, field int, v bool) []byte {
	if !v {
		return b
	}
	return appendUint(b, field, 1)
}

func appendBytes(b []byte, field int, data []byte) []byte {
	b = appendTag(b, field, wtBytes)
	b = appendVarint(b, uint64(len(data)))
	return append(b, data...)
}

// appendPacked writes a packed repeated varint field.
func appendPacked(b []byte, field int, vals []uint64) []byte {
	n := 0
	for _, v := range vals {
		n += varintLen(v)
	}
	b = appendTag(b, field, wtBytes)
	b = appendVarint(b, uint64(n))
	for _, v := range vals {
		b = appendVarint(b, v)
	}
	return b
}

// ---------------------------------------------------------------------------
// String table.

type strtab struct {
	ids  map[string]int64
	list []string
}

func newStrtab() *strtab {
	t := &strtab{ids: map[string]int64{}}
	t.id("")
	return t
}

func (t *strtab) id(s string) int64 {
	if id, ok := t.ids[s]; ok {
		return id
	}
	id := int64(len(t.list))
	t.ids[s] = id
	t.list = append(t.list, s)
	return id
}

// ---------------------------------------------------------------------------
// Call graph model.

type function struct {
	name      string
	file      string
	startLine int64
	native    bool // lives in the shared-library mapping
	tail      bool // runtime/native helper: walked with stop probabilities
	stopP     float64
	pkg       int // index into packages (-1 for runtime/native)

	calls  []int32  // call-site locations (callee set)
	cum    []uint32 // cumulative weights for calls
	leaves []int32  // leaf locations (samples land here)
	tails  []int32  // call sites into runtime helpers, taken when a stack ends

	nextOff uint64
	addr    uint64
	outID   uint64
}

type line struct {
	fn   int32
	line int64
}

type location struct {
	fn     int32
	callee int32 // -1 for leaf locations
	off    uint64
	lines  []line // innermost first, the containing function last
	outID  uint64
}

type gen struct {
	r       *rng
	funcs   []function
	locs    []location
	pkgs    []pkgInfo
	helpers [][]int32 // inlinable helpers per package
	byName  map[string]int32

	nativeFuncs []int32
	tailHeads   []int32
	tailHeadCum []uint32
	root        int32
	gcLocs      []int32
	mstart      int32
}

type pkgInfo struct {
	path  string
	dir   string
	name  string
	types []string
}

func (g *gen) addFunc(f function) int32 {
	if _, dup := g.byName[f.name]; dup {
		// Closures get numbered like the Go compiler does.
		for i := 1; ; i++ {
			n := fmt.Sprintf("%s.func%d", f.name, i)
			if _, dup := g.byName[n]; !dup {
				f.name = n
				break
			}
		}
	}
	if f.startLine == 0 {
		f.startLine = int64(10 + g.r.intn(1500))
	}
	id := int32(len(g.funcs))
	g.funcs = append(g.funcs, f)
	g.byName[f.name] = id
	return id
}

// newLoc creates a location in function fn calling callee (or a leaf when
// callee < 0), with the given inlined helpers (outermost first).
func (g *gen) newLoc(fn, callee int32, inl []int32) int32 {
	f := &g.funcs[fn]
	f.nextOff += uint64(5 + g.r.intn(60))
	l := location{fn: fn, callee: callee, off: f.nextOff}
	for i := len(inl) - 1; i >= 0; i-- {
		h := &g.funcs[inl[i]]
		l.lines = append(l.lines, line{inl[i], h.startLine + int64(1+g.r.intn(12))})
	}
	l.lines = append(l.lines, line{fn, f.startLine + int64(1+g.r.intn(120))})
	id := int32(len(g.locs))
	g.locs = append(g.locs, l)
	return id
}

// inlineFor picks 0-2 inlined helpers for a location in fn.
func (g *gen) inlineFor(fn int32, p float64) []int32 {
	if !g.r.chance(p) {
		return nil
	}
	pool := g.helpers[len(g.helpers)-1] // global pool
	if pk := g.funcs[fn].pkg; pk >= 0 && len(g.helpers[pk]) > 0 && g.r.chance(0.7) {
		pool = g.helpers[pk]
	}
	if len(pool) == 0 {
		return nil
	}
	out := []int32{pool[g.r.intn(len(pool))]}
	if g.r.chance(0.3) {
		h := pool[g.r.intn(len(pool))]
		if h != out[0] {
			out = append(out, h)
		}
	}
	return out
}

// finalize computes Zipf-like cumulative weights for a function's calls,
// after a deterministic shuffle.
func (g *gen) finalize(fn int32, selfLoc int32) {
	f := &g.funcs[fn]
	c := f.calls
	for i := len(c) - 1; i > 0; i-- {
		j := g.r.intn(i + 1)
		c[i], c[j] = c[j], c[i]
	}
	if selfLoc >= 0 {
		for i, l := range c {
			if l == selfLoc {
				j := g.r.intn(min(3, len(c)))
				c[i], c[j] = c[j], c[i]
				break
			}
		}
	}
	f.cum = make([]uint32, len(c))
	var total float64
	w := make([]float64, len(c))
	for i := range c {
		w[i] = (0.5 + g.r.float()) / math.Pow(float64(i+1), 1.3)
		total += w[i]
	}
	acc := 0.0
	for i := range c {
		acc += w[i]
		f.cum[i] = uint32(acc / total * float64(math.MaxUint32))
	}
	if len(c) > 0 {
		f.cum[len(c)-1] = math.MaxUint32
	}
}

func pickCum(r *rng, cum []uint32) int {
	x := uint32(r.next() >> 32)
	for i, c := range cum {
		if x <= c {
			return i
		}
	}
	return len(cum) - 1
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// ---------------------------------------------------------------------------
// Names.

var (
	deps = []string{
		"google.golang.org/grpc@v1.56.2",
		"github.com/cockroachdb/pebble@v0.0.0-20230720154706-692f3b61a3c4",
		"go.uber.org/zap@v1.24.0",
		"github.com/prometheus/client_golang@v1.16.0",
		"k8s.io/apimachinery@v0.27.3",
		"google.golang.org/protobuf@v1.31.0",
		"golang.org/x/net@v0.12.0",
		"github.com/jackc/pgx/v5@v5.4.2",
		"github.com/klauspost/compress@v1.16.7",
		"github.com/dgraph-io/ristretto@v0.1.1",
		"go.opentelemetry.io/otel/sdk@v1.16.0",
		"github.com/apache/arrow/go/v13@v13.0.0",
		"github.com/json-iterator/go@v1.1.12",
		"github.com/aws/aws-sdk-go-v2/service/s3@v1.37.0",
	}
	stdPkgs = []string{
		"net/http", "encoding/json", "bytes", "strings", "strconv", "sort",
		"reflect", "compress/flate", "crypto/tls", "crypto/sha256", "io",
		"bufio", "fmt", "context", "time", "internal/poll", "os",
		"math/big", "encoding/binary", "net", "sync", "regexp",
		"text/template", "hash/crc32", "container/heap", "net/textproto",
		"vendor/golang.org/x/net/http2/hpack", "crypto/aes", "unicode/utf8",
	}
	segs = []string{
		"internal", "pkg", "api", "storage", "index", "query", "planner",
		"exec", "cache", "rpc", "codec", "wire", "metrics", "trace",
		"auth", "session", "scheduler", "worker", "pool", "btree", "lsm",
		"wal", "compaction", "raft", "transport", "server", "client",
		"encoding", "proto", "colexec", "sql", "kv", "txn", "catalog",
		"ingest", "replication", "gossip", "admission", "batcheval",
		"spanset", "rowenc", "parser", "optimizer", "memo", "norm",
		"stats", "telemetry", "util", "hlc", "retry", "stop", "syncutil",
	}
	typeWords = []string{
		"Server", "Handler", "Tree", "Node", "Index", "Cache", "Reader",
		"Writer", "Encoder", "Decoder", "Pool", "Conn", "Session", "Txn",
		"Batch", "Iterator", "Planner", "Executor", "Store", "Shard",
		"Segment", "Bucket", "Buffer", "Queue", "Scheduler", "Worker",
		"Manager", "Client", "Stream", "Replica", "Range", "Span",
		"Table", "Column", "Row", "Schema", "Filter", "Builder", "Factory",
		"Registry", "Tracker", "Limiter", "Controller", "Resolver",
		"Allocator", "Compactor", "Memtable", "Block", "Footer", "Level",
		"Version", "Snapshot", "Cursor", "Merger", "Sorter", "Hasher",
		"Frame", "Header", "Message", "Codec", "Dialer", "Listener",
	}
	typePrefixes = []string{
		"", "", "", "", "batch", "mem", "disk", "remote", "local", "hash",
		"sorted", "lazy", "sync", "async", "raw", "composite", "indexed",
	}
	verbs = []string{
		"Get", "Put", "Insert", "Delete", "Scan", "Seek", "Next", "Flush",
		"Compact", "Encode", "Decode", "Marshal", "Unmarshal", "Serve",
		"Handle", "Process", "Apply", "Commit", "Rollback", "Lookup",
		"Resolve", "Validate", "Merge", "Split", "Read", "Write",
		"WriteTo", "ReadFrom", "Close", "Open", "Run", "Dispatch",
		"Evaluate", "Visit", "Walk", "Hash", "Compare", "Append", "Grow",
		"Reset", "Init", "Load", "Store", "Send", "Recv", "Poll", "Wait",
		"Acquire", "Release", "Build", "Plan", "Optimize", "Execute",
	}
	nouns = []string{
		"", "", "", "Batch", "Key", "Value", "Row", "Rows", "Block",
		"Entry", "Entries", "Range", "Span", "Frame", "Header", "Chunk",
		"Page", "Record", "Request", "Response", "Stream", "Index",
		"Columns", "Tuple", "Bytes", "String", "Int64", "Locked", "Once",
		"Internal", "Slow", "Fast", "Async", "WithContext",
	}
	shapes = []string{
		"go.shape.string", "go.shape.int64", "go.shape.*uint8",
		"go.shape.struct { Key []uint8; Value []uint8 }",
		"go.shape.interface { Len() int; Less(int, int) bool; Swap(int, int) }",
		"go.shape.uint64", "go.shape.[]uint8", "go.shape.float64",
	}
)

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (g *gen) typeName() string {
	p := g.r.pick(typePrefixes)
	t := g.r.pick(typeWords)
	if p == "" {
		return t
	}
	if g.r.chance(0.5) {
		return p + t // unexported type
	}
	return strings.ToUpper(p[:1]) + p[1:] + t
}

func (g *gen) methodName() string {
	m := g.r.pick(verbs) + g.r.pick(nouns)
	if g.r.chance(0.25) {
		m = lowerFirst(m)
	}
	return m
}

func (g *gen) makePackages(n int) {
	for i := 0; i < n; i++ {
		var p pkgInfo
		switch x := g.r.float(); {
		case x < 0.15 && i < 4*len(stdPkgs):
			std := stdPkgs[i%len(stdPkgs)]
			p.path = std
			p.dir = "/usr/local/go/src/" + std
		case x < 0.55:
			d := g.r.pick(deps)
			mod, _, _ := strings.Cut(d, "@")
			sub := g.r.pick(segs)
			if g.r.chance(0.5) {
				sub += "/" + g.r.pick(segs)
			}
			p.path = mod + "/" + sub
			p.dir = "/root/go/pkg/mod/" + d + "/" + sub
		default:
			sub := g.r.pick(segs) + "/" + g.r.pick(segs)
			if g.r.chance(0.6) {
				sub += "/" + g.r.pick(segs)
			}
			p.path = "github.com/acme/platform/" + sub
			p.dir = "/build/src/github.com/acme/platform/" + sub
		}
		p.name = p.path[strings.LastIndexByte(p.path, '/')+1:]
		for k := 2 + g.r.intn(8); k > 0; k-- {
			p.types = append(p.types, g.typeName())
		}
		g.pkgs = append(g.pkgs, p)
	}
}

// goFuncName returns a function name and the file it lives in.
func (g *gen) goFuncName(pk int) (string, string) {
	p := &g.pkgs[pk]
	t := p.types[g.r.intn(len(p.types))]
	file := strings.ToLower(t) + ".go"
	switch g.r.intn(8) {
	case 0:
		file = p.name + ".go"
	case 1:
		file = strings.ToLower(t) + "_" + strings.ToLower(g.r.pick(verbs)) + ".go"
	}
	var name string
	switch x := g.r.float(); {
	case x < 0.33:
		name = p.path + "." + g.methodName()
	case x < 0.70:
		name = p.path + ".(*" + t + ")." + g.methodName()
	case x < 0.80:
		name = p.path + "." + t + "." + g.methodName()
	case x < 0.88:
		name = p.path + ".(*" + t + ")." + g.methodName() + fmt.Sprintf(".func%d", 1+g.r.intn(4))
		if g.r.chance(0.3) {
			name += fmt.Sprintf(".%d", 1+g.r.intn(3))
		}
	case x < 0.96:
		// Generic instantiation.
		args := g.r.pick(shapes)
		if g.r.chance(0.6) {
			args += "," + g.r.pick(shapes)
		}
		if g.r.chance(0.5) {
			name = p.path + ".(*" + t + "[" + args + "])." + g.methodName()
		} else {
			name = p.path + "." + g.methodName() + "[" + args + "]"
		}
	default:
		// Long autogenerated names.
		name = p.path + ".(*" + t + ")." + g.methodName() + "." + "func" +
			fmt.Sprint(1+g.r.intn(3)) + ".(" + g.pkgs[g.r.intn(len(g.pkgs))].path +
			"." + g.typeName() + ")." + g.methodName() + "-fm"
		file = "zz_generated." + strings.ToLower(t) + ".go"
	}
	return name, p.dir + "/" + file
}

var (
	cppNS = []string{
		"arrow::compute::internal", "absl::lts_20230125::container_internal",
		"rocksdb", "google::protobuf::internal", "simdjson::haswell",
		"tensorflow::grappler", "duckdb", "folly::detail", "zstd::internal",
	}
	cppClasses = []string{
		"HashTable", "BlockBasedTable", "MemTableRep", "ArraySpan",
		"SortIndexer", "raw_hash_set", "DBImpl", "Arena", "Parser",
		"ExpressionExecutor", "ColumnDataCollection", "PhysicalHashJoin",
		"ConcurrentHashMap", "FSE_Decoder", "RepeatedPtrField",
	}
	cppMethods = []string{
		"Find", "Insert", "Get", "Seek", "Next", "Resize", "Rehash",
		"Execute", "Sink", "Combine", "Finalize", "Parse", "Allocate",
		"DecodeBlock", "CompressBlock", "operator()", "emplace_back",
		"_M_realloc_insert", "find_or_prepare_insert", "drop_deletes_without_resize",
	}
	cppTypes = []string{
		"int", "long", "unsigned long", "char", "double", "bool",
		"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
		"std::basic_string_view<char, std::char_traits<char> >",
		"rocksdb::Slice", "arrow::Status", "duckdb::Vector", "std::shared_ptr<arrow::DataType>",
	}
	cppTemplates = []string{"std::vector", "std::pair", "std::unique_ptr", "std::function", "absl::flat_hash_map", "std::tuple", "std::allocator"}
)

func (g *gen) cppType(depth int) string {
	if depth > 2 || g.r.chance(0.45) {
		return g.r.pick(cppTypes)
	}
	t := g.r.pick(cppTemplates)
	n := 1 + g.r.intn(2)
	args := make([]string, n)
	for i := range args {
		args[i] = g.cppType(depth + 1)
	}
	a := strings.Join(args, ", ")
	if strings.HasSuffix(a, ">") {
		a += " "
	}
	return t + "<" + a + ">"
}

func (g *gen) cppName() (string, string) {
	ns := g.r.pick(cppNS)
	cl := g.r.pick(cppClasses)
	m := g.r.pick(cppMethods)
	var name string
	if g.r.chance(0.5) {
		name = ns + "::" + cl + "<" + g.cppType(0) + ">::" + m
	} else {
		name = ns + "::" + cl + "::" + m
	}
	if g.r.chance(0.6) {
		name += "(" + g.cppType(1) + " const&, " + g.r.pick(cppTypes) + ")"
	}
	if g.r.chance(0.2) {
		name += " const"
	}
	file := "/opt/src/" + strings.ReplaceAll(ns, "::", "/") + "/" + strings.ToLower(cl) + ".cc"
	if g.r.chance(0.3) {
		file = "/usr/include/c++/12/bits/stl_vector.h"
	}
	return name, file
}

// ---------------------------------------------------------------------------
// Runtime helpers ("tails"): fixed, Go-runtime-like call chains that stacks
// end in.

type tailDef struct {
	name, file string
	calls      []string
	stopP      float64
	headW      float64 // weight as a tail head (0: not a head)
}

var tailDefs = []tailDef{
	{"runtime.newobject", "malloc.go", []string{"runtime.mallocgc"}, 0.05, 8},
	{"runtime.makeslice", "slice.go", []string{"runtime.mallocgc"}, 0.05, 4},
	{"runtime.growslice", "slice.go", []string{"runtime.mallocgc", "runtime.memmove"}, 0.1, 5},
	{"runtime.convTstring", "iface.go", []string{"runtime.mallocgc"}, 0.1, 1},
	{"runtime.concatstrings", "string.go", []string{"runtime.rawstringtmp", "runtime.memmove"}, 0.1, 1},
	{"runtime.rawstringtmp", "string.go", []string{"runtime.rawstring"}, 0.05, 0},
	{"runtime.rawstring", "string.go", []string{"runtime.mallocgc"}, 0.05, 0},
	{"runtime.mallocgc", "malloc.go", []string{"runtime.(*mcache).nextFree", "runtime.memclrNoHeapPointers", "runtime.heapBitsSetType", "runtime.gcAssistAlloc", "runtime.profilealloc"}, 0.5, 0},
	{"runtime.(*mcache).nextFree", "malloc.go", []string{"runtime.(*mcache).refill"}, 0.3, 0},
	{"runtime.(*mcache).refill", "mcache.go", []string{"runtime.(*mcentral).cacheSpan"}, 0.2, 0},
	{"runtime.(*mcentral).cacheSpan", "mcentral.go", []string{"runtime.(*mcentral).grow", "runtime.(*spanSet).pop"}, 0.4, 0},
	{"runtime.(*mcentral).grow", "mcentral.go", []string{"runtime.(*mheap).alloc"}, 0.3, 0},
	{"runtime.(*mheap).alloc", "mheap.go", []string{"runtime.systemstack"}, 0.1, 0},
	{"runtime.(*spanSet).pop", "mspanset.go", nil, 1, 0},
	{"runtime.profilealloc", "malloc.go", []string{"runtime.mProf_Malloc"}, 0.1, 0},
	{"runtime.mProf_Malloc", "mprof.go", []string{"runtime.callers"}, 0.3, 0},
	{"runtime.callers", "traceback.go", []string{"runtime.gentraceback"}, 0.1, 0},
	{"runtime.gentraceback", "traceback.go", []string{"runtime.funcspdelta", "runtime.findfunc"}, 0.5, 0},
	{"runtime.funcspdelta", "symtab.go", []string{"runtime.pcvalue"}, 0.2, 0},
	{"runtime.pcvalue", "symtab.go", []string{"runtime.step"}, 0.6, 0},
	{"runtime.step", "symtab.go", nil, 1, 0},
	{"runtime.findfunc", "symtab.go", nil, 1, 0},
	{"runtime.memclrNoHeapPointers", "memclr_amd64.s", nil, 1, 1},
	{"runtime.heapBitsSetType", "mbitmap.go", nil, 1, 0},
	{"runtime.gcAssistAlloc", "mgcmark.go", []string{"runtime.systemstack"}, 0.1, 0},
	{"runtime.systemstack", "asm_amd64.s", []string{"runtime.gcAssistAlloc.func1", "runtime.(*mheap).alloc.func1", "runtime.gcBgMarkWorker.func2"}, 0, 0},
	{"runtime.gcAssistAlloc.func1", "mgcmark.go", []string{"runtime.gcAssistAlloc1"}, 0, 0},
	{"runtime.gcAssistAlloc1", "mgcmark.go", []string{"runtime.gcDrainN"}, 0.05, 0},
	{"runtime.gcDrainN", "mgcmark.go", []string{"runtime.scanobject", "runtime.markroot"}, 0.1, 0},
	{"runtime.(*mheap).alloc.func1", "mheap.go", []string{"runtime.(*mheap).allocSpan"}, 0.1, 0},
	{"runtime.(*mheap).allocSpan", "mheap.go", []string{"runtime.(*pageAlloc).alloc", "runtime.(*mheap).initSpan"}, 0.4, 0},
	{"runtime.(*pageAlloc).alloc", "mpagealloc.go", nil, 1, 0},
	{"runtime.(*mheap).initSpan", "mheap.go", nil, 1, 0},
	{"runtime.gcBgMarkWorker", "mgc.go", []string{"runtime.systemstack"}, 0.02, 0},
	{"runtime.gcBgMarkWorker.func2", "mgc.go", []string{"runtime.gcDrain"}, 0.02, 0},
	{"runtime.gcDrain", "mgcmark.go", []string{"runtime.scanobject", "runtime.markroot", "runtime.(*gcWork).balance"}, 0.1, 0},
	{"runtime.markroot", "mgcmark.go", []string{"runtime.scanstack", "runtime.markrootBlock"}, 0.2, 0},
	{"runtime.scanstack", "mgcmark.go", []string{"runtime.gentraceback", "runtime.scanframeworker"}, 0.2, 0},
	{"runtime.scanframeworker", "mgcmark.go", []string{"runtime.scanblock"}, 0.3, 0},
	{"runtime.markrootBlock", "mgcmark.go", []string{"runtime.scanblock"}, 0.1, 0},
	{"runtime.scanblock", "mgcmark.go", []string{"runtime.findObject", "runtime.greyobject"}, 0.5, 0},
	{"runtime.scanobject", "mgcmark.go", []string{"runtime.findObject", "runtime.greyobject", "runtime.(*gcWork).putFast"}, 0.55, 0},
	{"runtime.findObject", "mbitmap.go", nil, 1, 0},
	{"runtime.greyobject", "mgcmark.go", []string{"runtime.(*gcWork).put"}, 0.7, 0},
	{"runtime.(*gcWork).put", "mgcwork.go", nil, 1, 0},
	{"runtime.(*gcWork).putFast", "mgcwork.go", nil, 1, 0},
	{"runtime.(*gcWork).balance", "mgcwork.go", nil, 1, 0},
	{"runtime.bgsweep", "mgcsweep.go", []string{"runtime.sweepone", "runtime.goparkunlock"}, 0.05, 0},
	{"runtime.sweepone", "mgcsweep.go", []string{"runtime.(*sweepLocked).sweep"}, 0.1, 0},
	{"runtime.(*sweepLocked).sweep", "mgcsweep.go", []string{"runtime.(*mheap).freeSpan"}, 0.8, 0},
	{"runtime.(*mheap).freeSpan", "mheap.go", []string{"runtime.lock2"}, 0.5, 0},
	{"runtime.mapaccess2_faststr", "map_faststr.go", []string{"runtime.memequal", "runtime.aeshashbody"}, 0.5, 6},
	{"runtime.mapaccess1_faststr", "map_faststr.go", []string{"runtime.memequal", "runtime.aeshashbody"}, 0.5, 4},
	{"runtime.mapaccess2", "map.go", []string{"runtime.memhash", "runtime.efaceeq"}, 0.5, 2},
	{"runtime.mapassign_faststr", "map_faststr.go", []string{"runtime.growWork_faststr", "runtime.hashGrow", "runtime.aeshashbody", "runtime.newobject"}, 0.5, 3},
	{"runtime.growWork_faststr", "map_faststr.go", []string{"runtime.evacuate_faststr"}, 0.05, 0},
	{"runtime.evacuate_faststr", "map_faststr.go", []string{"runtime.typedmemmove", "runtime.memmove"}, 0.5, 0},
	{"runtime.hashGrow", "map.go", []string{"runtime.makeBucketArray"}, 0.2, 0},
	{"runtime.makeBucketArray", "map.go", []string{"runtime.newarray"}, 0.2, 0},
	{"runtime.newarray", "malloc.go", []string{"runtime.mallocgc"}, 0.05, 0},
	{"runtime.mapiternext", "map.go", nil, 1, 3},
	{"runtime.memequal", "memequal_amd64.s", nil, 1, 0},
	{"runtime.memhash", "hash64.go", []string{"runtime.aeshashbody"}, 0.3, 0},
	{"runtime.efaceeq", "alg.go", nil, 1, 0},
	{"runtime.aeshashbody", "asm_amd64.s", nil, 1, 0},
	{"runtime.memmove", "memmove_amd64.s", nil, 1, 6},
	{"runtime.typedmemmove", "mbarrier.go", []string{"runtime.memmove", "runtime.bulkBarrierPreWrite"}, 0.3, 2},
	{"runtime.bulkBarrierPreWrite", "mbitmap.go", []string{"runtime.wbBufFlush"}, 0.8, 0},
	{"runtime.wbBufFlush", "mwbbuf.go", []string{"runtime.systemstack"}, 0.3, 0},
	{"runtime.assertE2I2", "iface.go", []string{"runtime.getitab"}, 0.3, 2},
	{"runtime.getitab", "iface.go", nil, 1, 0},
	{"indexbytebody", "indexbyte_amd64.s", nil, 1, 2},
	{"cmpbody", "compare_amd64.s", nil, 1, 2},
	{"runtime.chansend1", "chan.go", []string{"runtime.chansend"}, 0, 1},
	{"runtime.chansend", "chan.go", []string{"runtime.lock2", "runtime.send", "runtime.gopark"}, 0.3, 0},
	{"runtime.send", "chan.go", []string{"runtime.goready"}, 0.3, 0},
	{"runtime.goready", "proc.go", []string{"runtime.systemstack"}, 0, 0},
	{"runtime.chanrecv1", "chan.go", []string{"runtime.chanrecv"}, 0, 1},
	{"runtime.chanrecv2", "chan.go", []string{"runtime.chanrecv"}, 0, 1},
	{"runtime.chanrecv", "chan.go", []string{"runtime.lock2", "runtime.gopark"}, 0.3, 0},
	{"runtime.selectgo", "select.go", []string{"runtime.sellock", "runtime.gopark", "runtime.selunlock"}, 0.4, 2},
	{"runtime.sellock", "select.go", []string{"runtime.lock2"}, 0.4, 0},
	{"runtime.selunlock", "select.go", []string{"runtime.unlock2"}, 0.4, 0},
	{"runtime.gopark", "proc.go", []string{"runtime.mcall"}, 0, 0},
	{"runtime.goparkunlock", "proc.go", []string{"runtime.gopark"}, 0, 0},
	{"runtime.mcall", "asm_amd64.s", []string{"runtime.park_m"}, 0, 0},
	{"runtime.park_m", "proc.go", []string{"runtime.schedule"}, 0.05, 0},
	{"runtime.schedule", "proc.go", []string{"runtime.findRunnable", "runtime.execute"}, 0.1, 0},
	{"runtime.execute", "proc.go", nil, 1, 0},
	{"runtime.findRunnable", "proc.go", []string{"runtime.netpoll", "runtime.stopm", "runtime.runqgrab", "runtime.(*randomEnum).next"}, 0.2, 0},
	{"runtime.netpoll", "netpoll_epoll.go", []string{"runtime.epollwait"}, 0.1, 0},
	{"runtime.epollwait", "sys_linux_amd64.s", nil, 1, 0},
	{"runtime.runqgrab", "proc.go", []string{"runtime.usleep"}, 0.6, 0},
	{"runtime.usleep", "sys_linux_amd64.s", nil, 1, 0},
	{"runtime.(*randomEnum).next", "proc.go", nil, 1, 0},
	{"runtime.stopm", "proc.go", []string{"runtime.mPark"}, 0.1, 0},
	{"runtime.mPark", "proc.go", []string{"runtime.notesleep"}, 0, 0},
	{"runtime.notesleep", "lock_futex.go", []string{"runtime.futexsleep"}, 0.1, 0},
	{"runtime.futexsleep", "os_linux.go", []string{"runtime.futex"}, 0, 0},
	{"runtime.futex", "sys_linux_amd64.s", nil, 1, 0},
	{"runtime.lock2", "lock_futex.go", []string{"runtime.procyield", "runtime.futexsleep", "runtime.osyield"}, 0.5, 1},
	{"runtime.unlock2", "lock_futex.go", []string{"runtime.futexwakeup"}, 0.7, 0},
	{"runtime.futexwakeup", "os_linux.go", []string{"runtime.futex"}, 0, 0},
	{"runtime.procyield", "asm_amd64.s", nil, 1, 0},
	{"runtime.osyield", "sys_linux_amd64.s", nil, 1, 0},
	{"sync.(*Mutex).Lock", "/usr/local/go/src/sync/mutex.go", []string{"sync.(*Mutex).lockSlow"}, 0.3, 3},
	{"sync.(*Mutex).lockSlow", "/usr/local/go/src/sync/mutex.go", []string{"sync.runtime_SemacquireMutex", "runtime.procyield"}, 0.3, 0},
	{"sync.runtime_SemacquireMutex", "sema.go", []string{"runtime.semacquire1"}, 0, 0},
	{"runtime.semacquire1", "sema.go", []string{"runtime.goparkunlock", "runtime.lock2"}, 0.2, 0},
	{"sync.(*Mutex).Unlock", "/usr/local/go/src/sync/mutex.go", []string{"sync.(*Mutex).unlockSlow"}, 0.5, 2},
	{"sync.(*Mutex).unlockSlow", "/usr/local/go/src/sync/mutex.go", []string{"sync.runtime_Semrelease"}, 0.2, 0},
	{"sync.runtime_Semrelease", "sema.go", []string{"runtime.semrelease1"}, 0, 0},
	{"runtime.semrelease1", "sema.go", []string{"runtime.readyWithTime", "runtime.unlock2"}, 0.3, 0},
	{"runtime.readyWithTime", "sema.go", []string{"runtime.goready"}, 0.1, 0},
	{"syscall.Write", "/usr/local/go/src/syscall/syscall_unix.go", []string{"syscall.write"}, 0, 3},
	{"syscall.Read", "/usr/local/go/src/syscall/syscall_unix.go", []string{"syscall.read"}, 0, 3},
	{"syscall.write", "/usr/local/go/src/syscall/zsyscall_linux_amd64.go", []string{"syscall.Syscall"}, 0, 0},
	{"syscall.read", "/usr/local/go/src/syscall/zsyscall_linux_amd64.go", []string{"syscall.Syscall"}, 0, 0},
	{"syscall.Syscall", "/usr/local/go/src/syscall/syscall_linux.go", []string{"runtime/internal/syscall.Syscall6", "runtime.exitsyscall", "runtime.entersyscall"}, 0.05, 0},
	{"runtime/internal/syscall.Syscall6", "/usr/local/go/src/runtime/internal/syscall/asm_linux_amd64.s", nil, 1, 0},
	{"runtime.exitsyscall", "proc.go", nil, 1, 0},
	{"runtime.entersyscall", "proc.go", nil, 1, 0},
	{"runtime.nanotime", "time_nofake.go", []string{"runtime.nanotime1"}, 0, 1},
	{"runtime.nanotime1", "vdso_linux_amd64.s", nil, 1, 0},
	{"runtime.cgocall", "cgocall.go", []string{"runtime.asmcgocall"}, 0, 1.5},
	{"runtime.asmcgocall", "asm_amd64.s", nil, 0.02, 0}, // calls native entries
	{"runtime.mstart", "asm_amd64.s", []string{"runtime.mstart0"}, 0, 0},
	{"runtime.mstart0", "proc.go", []string{"runtime.mstart1"}, 0, 0},
	{"runtime.mstart1", "proc.go", []string{"runtime.schedule"}, 0, 0},
	{"runtime.goexit", "asm_amd64.s", nil, 0, 0},
}

// runtime inlinable helpers used as inlined frames in runtime tails.
var runtimeInline = []string{
	"runtime.nextFreeFast", "runtime.(*mspan).base", "runtime.add",
	"runtime.heapBits.next", "runtime.spanOf", "runtime.(*gcWork).tryGetFast",
	"runtime.markBits.isMarked", "runtime.bucketShift", "runtime.(*bmap).overflow",
	"runtime.readUnaligned64", "runtime.(*guintptr).cas", "runtime.atomicstorep",
}

// ---------------------------------------------------------------------------
// Graph construction.

func build(r *rng, nFuncs, depth int) *gen {
	g := &gen{r: r, byName: map[string]int32{}}

	// Runtime helpers.
	rtInline := []int32{}
	for _, n := range runtimeInline {
		rtInline = append(rtInline, g.addFunc(function{name: n, file: "/usr/local/go/src/runtime/x.go", pkg: -1, tail: true}))
	}
	for _, n := range rtInline {
		f := &g.funcs[n]
		switch {
		case strings.Contains(f.name, "mspan") || strings.Contains(f.name, "heapBits") || strings.Contains(f.name, "spanOf"):
			f.file = "/usr/local/go/src/runtime/mbitmap.go"
		case strings.Contains(f.name, "bmap") || strings.Contains(f.name, "bucket"):
			f.file = "/usr/local/go/src/runtime/map.go"
		case strings.Contains(f.name, "gcWork"):
			f.file = "/usr/local/go/src/runtime/mgcwork.go"
		case strings.Contains(f.name, "nextFree"):
			f.file = "/usr/local/go/src/runtime/malloc.go"
		default:
			f.file = "/usr/local/go/src/runtime/stubs.go"
		}
	}
	tailIdx := make([]int32, len(tailDefs))
	for i, d := range tailDefs {
		file := d.file
		if !strings.HasPrefix(file, "/") {
			dir := "/usr/local/go/src/runtime/"
			if strings.HasSuffix(file, "indexbyte_amd64.s") || strings.HasSuffix(file, "compare_amd64.s") || strings.HasSuffix(file, "memequal_amd64.s") {
				dir = "/usr/local/go/src/internal/bytealg/"
			}
			file = dir + file
		}
		tailIdx[i] = g.addFunc(function{name: d.name, file: file, pkg: -1, tail: true, stopP: d.stopP})
	}
	for i, d := range tailDefs {
		fn := tailIdx[i]
		for _, c := range d.calls {
			callee := g.byName[c]
			var inl []int32
			if r.chance(0.1) {
				inl = []int32{rtInline[r.intn(len(rtInline))]}
			}
			g.funcs[fn].calls = append(g.funcs[fn].calls, g.newLoc(fn, callee, inl))
		}
		for k := 1 + r.intn(3); k > 0; k-- {
			var inl []int32
			if r.chance(0.25) {
				inl = []int32{rtInline[r.intn(len(rtInline))]}
			}
			g.funcs[fn].leaves = append(g.funcs[fn].leaves, g.newLoc(fn, -1, inl))
		}
		if d.headW > 0 {
			g.tailHeads = append(g.tailHeads, fn)
		}
	}
	{
		var acc float64
		var tot float64
		for _, d := range tailDefs {
			tot += d.headW
		}
		for _, d := range tailDefs {
			if d.headW > 0 {
				acc += d.headW
				g.tailHeadCum = append(g.tailHeadCum, uint32(acc/tot*math.MaxUint32))
			}
		}
		g.tailHeadCum[len(g.tailHeadCum)-1] = math.MaxUint32
	}
	g.root = g.byName["runtime.goexit"]
	g.mstart = g.byName["runtime.mstart"]

	// Native (cgo) functions: a small acyclic graph below runtime.asmcgocall.
	nNative := max(40, nFuncs/40)
	for i := 0; i < nNative; i++ {
		name, file := g.cppName()
		g.nativeFuncs = append(g.nativeFuncs, g.addFunc(function{name: name, file: file, pkg: -1, native: true, tail: true, stopP: 0.35}))
	}
	for i, fn := range g.nativeFuncs {
		if i+1 < len(g.nativeFuncs) {
			for k := r.intn(4); k > 0; k-- {
				callee := g.nativeFuncs[i+1+r.intn(min(len(g.nativeFuncs)-i-1, 50))]
				g.funcs[fn].calls = append(g.funcs[fn].calls, g.newLoc(fn, callee, nil))
			}
		}
		for k := 1 + r.intn(3); k > 0; k-- {
			g.funcs[fn].leaves = append(g.funcs[fn].leaves, g.newLoc(fn, -1, nil))
		}
		g.finalize(fn, -1)
	}
	asm := g.byName["runtime.asmcgocall"]
	for k := 0; k < 12; k++ {
		callee := g.nativeFuncs[r.intn(len(g.nativeFuncs)/4+1)]
		g.funcs[asm].calls = append(g.funcs[asm].calls, g.newLoc(asm, callee, nil))
	}
	for _, fn := range tailIdx {
		g.finalize(fn, -1)
	}

	// Go packages and functions.
	remaining := nFuncs - len(g.funcs)
	if remaining < 100 {
		remaining = 100
	}
	nHelpers := remaining * 15 / 100
	nRegular := remaining - nHelpers
	nPkgs := max(8, remaining/30)
	g.makePackages(nPkgs)
	g.helpers = make([][]int32, nPkgs+1)
	for i := 0; i < nHelpers; i++ {
		pk := r.intn(nPkgs)
		p := &g.pkgs[pk]
		t := p.types[r.intn(len(p.types))]
		var name string
		switch r.intn(4) {
		case 0:
			name = p.path + "." + lowerFirst(r.pick(verbs)) + r.pick(nouns)
		case 1:
			name = p.path + "." + t + "." + r.pick(verbs) + r.pick(nouns)
		default:
			name = p.path + ".(*" + t + ")." + lowerFirst(r.pick(verbs)) + r.pick(nouns)
		}
		fn := g.addFunc(function{name: name, file: p.dir + "/" + strings.ToLower(t) + ".go", pkg: pk})
		g.helpers[pk] = append(g.helpers[pk], fn)
		g.helpers[nPkgs] = append(g.helpers[nPkgs], fn)
	}

	// Levels: level 0 is runtime.goexit; levels 1..depth hold regular funcs.
	nLevels := depth
	weights := make([]float64, nLevels+1)
	var wsum float64
	for l := 1; l <= nLevels; l++ {
		weights[l] = math.Pow(float64(min(l, 10)), 1.5)
		wsum += weights[l]
	}
	levels := make([][]int32, nLevels+1)
	levels[0] = []int32{g.root}
	entryNames := []string{
		"net/http.(*conn).serve",
		"google.golang.org/grpc.(*Server).serveStreams.func1.2",
		"github.com/acme/platform/internal/server.(*Server).Start.func3",
		"main.main",
	}
	for l := 1; l <= nLevels; l++ {
		n := int(float64(nRegular)*weights[l]/wsum + 0.5)
		if n < 2 {
			n = 2
		}
		for i := 0; i < n; i++ {
			var f function
			if l == 1 && i < len(entryNames) {
				f = function{name: entryNames[i], pkg: r.intn(nPkgs)}
				switch {
				case strings.HasPrefix(f.name, "net/http"):
					f.file = "/usr/local/go/src/net/http/server.go"
				case strings.HasPrefix(f.name, "google"):
					f.file = "/root/go/pkg/mod/google.golang.org/grpc@v1.56.2/server.go"
				case strings.HasPrefix(f.name, "main"):
					f.file = "/build/src/github.com/acme/platform/cmd/server/main.go"
				default:
					f.file = "/build/src/github.com/acme/platform/internal/server/server.go"
				}
			} else {
				pk := r.intn(nPkgs)
				name, file := g.goFuncName(pk)
				f = function{name: name, file: file, pkg: pk}
			}
			levels[l] = append(levels[l], g.addFunc(f))
		}
	}

	self := make([]int32, len(g.funcs))
	for i := range self {
		self[i] = -1
	}
	call := func(from, to int32) {
		g.funcs[from].calls = append(g.funcs[from].calls, g.newLoc(from, to, g.inlineFor(from, 0.15)))
	}
	// goexit calls the entries plus GC background workers.
	for _, e := range levels[1] {
		call(g.root, e)
	}
	// GC background workers are reached from goexit too, but with small
	// fixed probabilities (see walk).
	g.gcLocs = []int32{
		g.newLoc(g.root, g.byName["runtime.gcBgMarkWorker"], nil),
		g.newLoc(g.root, g.byName["runtime.bgsweep"], nil),
	}
	for l := 1; l < nLevels; l++ {
		cur, nxt := levels[l], levels[l+1]
		// Every function of the next level gets a caller.
		for _, c := range nxt {
			call(cur[r.intn(len(cur))], c)
		}
		for _, f := range cur {
			want := 2 + r.intn(3)
			if r.chance(0.2) {
				want += r.intn(6)
			}
			for len(g.funcs[f].calls) < want {
				tgt := nxt
				if l+2 <= nLevels && r.chance(0.1) {
					tgt = levels[l+2]
				}
				call(f, tgt[r.intn(len(tgt))])
			}
			// Recursion.
			if r.chance(0.03) {
				loc := g.newLoc(f, f, nil)
				g.funcs[f].calls = append(g.funcs[f].calls, loc)
				self[f] = loc
			}
			if r.chance(0.01) {
				// Mutual recursion: one of f's callees calls f back.
				cs := g.funcs[f].calls
				b := g.locs[cs[r.intn(len(cs))]].callee
				if b != f {
					call(b, f)
				}
			}
		}
	}
	// Leaves and runtime tails for every regular function.
	for l := 1; l <= nLevels; l++ {
		for _, f := range levels[l] {
			for k := 1 + r.intn(3); k > 0; k-- {
				g.funcs[f].leaves = append(g.funcs[f].leaves, g.newLoc(f, -1, g.inlineFor(f, 0.25)))
			}
			for k := r.intn(4); k > 0; k-- {
				head := g.tailHeads[pickCum(r, g.tailHeadCum)]
				g.funcs[f].tails = append(g.funcs[f].tails, g.newLoc(f, head, g.inlineFor(f, 0.1)))
			}
		}
	}
	g.finalize(g.root, -1)
	for l := 1; l <= nLevels; l++ {
		for _, f := range levels[l] {
			g.finalize(f, self[f])
		}
	}
	// Helpers get a leaf location of their own too (for completeness).
	for _, h := range g.helpers[nPkgs] {
		g.funcs[h].leaves = append(g.funcs[h].leaves, g.newLoc(h, -1, nil))
	}

	// Addresses.
	addr := uint64(mainStart + 0x1000)
	naddr := uint64(nativeStart + 0x2000)
	for i := range g.funcs {
		f := &g.funcs[i]
		size := (f.nextOff + 32 + 15) &^ 15
		if f.native {
			f.addr = naddr
			naddr += size
		} else {
			f.addr = addr
			addr += size
		}
	}
	mainLimit = (addr + 0xfff) &^ 0xfff
	nativeLimit = (naddr + 0xfff) &^ 0xfff
	return g
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

const (
	mainStart   = 0x400000
	nativeStart = 0x7f3a1c000000
)

var mainLimit, nativeLimit uint64

// ---------------------------------------------------------------------------
// Sampling.

// walk appends a root-first stack of location indices to st.
func (g *gen) walk(st []int32, target int) []int32 {
	r := g.r
	var f int32
	if r.chance(0.01) {
		f = g.mstart
	} else {
		f = g.root
		if x := r.float(); x < 0.05 {
			st = append(st, g.gcLocs[0])
			f = g.locs[g.gcLocs[0]].callee
		} else if x < 0.07 {
			st = append(st, g.gcLocs[1])
			f = g.locs[g.gcLocs[1]].callee
		}
	}
	for len(st) < 300 {
		fn := &g.funcs[f]
		var l int32
		if fn.tail {
			if len(fn.calls) == 0 || r.chance(fn.stopP) {
				if len(fn.leaves) == 0 {
					return st
				}
				return append(st, fn.leaves[r.intn(len(fn.leaves))])
			}
			l = fn.calls[pickCum(r, fn.cum)]
		} else if len(st) >= target || len(fn.calls) == 0 {
			if len(fn.tails) > 0 && r.chance(0.45) {
				l = fn.tails[r.intn(len(fn.tails))]
			} else {
				return append(st, fn.leaves[r.intn(len(fn.leaves))])
			}
		} else {
			l = fn.calls[pickCum(r, fn.cum)]
		}
		st = append(st, l)
		f = g.locs[l].callee
	}
	return st
}

// ---------------------------------------------------------------------------
// Main.

type preset struct{ samples, functions, depth int }

var presets = map[string]preset{
	"small":  {30000, 6000, 60},
	"medium": {255000, 25000, 60},
	"large":  {1180000, 50000, 60},
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func main() {
	var (
		out       = flag.String("o", "", "output file (required)")
		size      = flag.String("size", "", "preset: small, medium or large (overrides -samples/-functions/-depth)")
		samples   = flag.Int("samples", 100000, "number of samples")
		functions = flag.Int("functions", 20000, "approximate number of functions")
		depth     = flag.Int("depth", 60, "maximum stack depth (stacks are depth/3..depth frames, plus runtime tails)")
		seed      = flag.Uint64("seed", 1, "random seed")
		level     = flag.Int("level", gzip.DefaultCompression, "gzip compression level")
		quiet     = flag.Bool("q", false, "do not print statistics")
	)
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "synth: -o FILE is required")
		flag.Usage()
		os.Exit(2)
	}
	if *size != "" {
		p, ok := presets[*size]
		if !ok {
			fmt.Fprintf(os.Stderr, "synth: unknown -size %q (want small, medium or large)\n", *size)
			os.Exit(2)
		}
		*samples, *functions, *depth = p.samples, p.functions, p.depth
	}
	if *depth < 6 {
		*depth = 6
	}
	start := time.Now()
	if err := run(*out, *samples, *functions, *depth, *seed, *level, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "synth: took %.1fs\n", time.Since(start).Seconds())
	}
}

func run(out string, nSamples, nFuncs, depth int, seed uint64, level int, quiet bool) error {
	r := &rng{s: seed*0x2545f4914f6cdd1d + 12345}
	g := build(r, nFuncs, depth)

	file, err := os.Create(out)
	if err != nil {
		return err
	}
	defer file.Close()
	fileCount := &countingWriter{w: file}
	fbuf := bufio.NewWriterSize(fileCount, 1<<20)
	zw, err := gzip.NewWriterLevel(fbuf, level)
	if err != nil {
		return err
	}
	raw := &countingWriter{w: zw}
	w := bufio.NewWriterSize(raw, 1<<20)

	st := newStrtab()
	sSamples, sCount := st.id("samples"), st.id("count")
	sCPU, sNS := st.id("cpu"), st.id("nanoseconds")
	sHandler, sGoroutine, sBytes := st.id("handler"), st.id("goroutine"), st.id("bytes")
	handlers := []int64{}
	for _, h := range []string{
		"/api/v1/query", "/api/v1/query_range", "/api/v1/users/{id}", "/api/v1/orders",
		"/api/v1/orders/{id}/items", "/healthz", "/metrics", "/debug/pprof/profile",
		"/platform.Storage/Get", "/platform.Storage/Put", "/platform.Storage/Scan",
		"/platform.Admin/Compact", "/graphql", "/v2/objects/{bucket}/{key}",
	} {
		handlers = append(handlers, st.id(h))
	}
	goroutines := []int64{}
	for _, h := range []string{"conn-handler", "compactor", "flusher", "replicator", "gc-worker", "scheduler", "ingest"} {
		goroutines = append(goroutines, st.id(h))
	}
	sComment := st.id(fmt.Sprintf("synthetic profile from cprof tests/bench/synth (seed=%d samples=%d functions=%d depth=%d)", seed, nSamples, nFuncs, depth))

	var buf, body, lab []byte
	flush := func() error {
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}

	// sample_type
	for _, vt := range [][2]int64{{sSamples, sCount}, {sCPU, sNS}} {
		body = appendUint(body[:0], 1, uint64(vt[0]))
		body = appendUint(body, 2, uint64(vt[1]))
		buf = appendBytes(buf, 1, body)
	}

	const period = 10000000
	var nextLoc uint64 = 1
	var order []int32
	var stack []int32
	ids := make([]uint64, 0, 512)
	var totalCount, totalFrames int64
	for i := 0; i < nSamples; i++ {
		// Stack depth: triangular between depth/3 and depth-4.
		lo, hi := depth/3, depth-4
		if hi <= lo {
			hi = lo + 1
		}
		target := lo + (r.intn(hi-lo+1)+r.intn(hi-lo+1))/2
		stack = g.walk(stack[:0], target)
		ids = ids[:0]
		for j := len(stack) - 1; j >= 0; j-- {
			l := &g.locs[stack[j]]
			if l.outID == 0 {
				l.outID = nextLoc
				nextLoc++
				order = append(order, stack[j])
			}
			ids = append(ids, l.outID)
		}
		totalFrames += int64(len(ids))
		count := uint64(1)
		if r.chance(0.2) {
			count += uint64(1 + r.intn(4))
			if r.chance(0.1) {
				count += uint64(r.intn(40))
			}
		}
		totalCount += int64(count)
		body = appendPacked(body[:0], 1, ids)
		body = appendPacked(body, 2, []uint64{count, count * period})
		if r.chance(0.35) {
			lab = appendUint(lab[:0], 1, uint64(sHandler))
			lab = appendUint(lab, 2, uint64(handlers[r.intn(len(handlers))]))
			body = appendBytes(body, 3, lab)
			if r.chance(0.5) {
				lab = appendUint(lab[:0], 1, uint64(sGoroutine))
				lab = appendUint(lab, 2, uint64(goroutines[r.intn(len(goroutines))]))
				body = appendBytes(body, 3, lab)
			}
		}
		if r.chance(0.08) {
			lab = appendUint(lab[:0], 1, uint64(sBytes))
			lab = appendUint(lab, 3, uint64(1)<<uint(6+r.intn(16))+uint64(r.intn(4096)))
			lab = appendUint(lab, 4, uint64(sBytes))
			body = appendBytes(body, 3, lab)
		}
		buf = appendBytes(buf, 2, body)
		if len(buf) > 64<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}

	// Mappings.
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[r.intn(16)]
		}
		return string(b)
	}
	for _, m := range []struct {
		id                uint64
		start, limit, off uint64
		file, build       string
	}{
		{1, mainStart, mainLimit, 0, "/usr/local/bin/platform-server", hex(40)},
		{2, nativeStart, nativeLimit, 0x2000, "/opt/platform/lib/libnative.so", hex(40)},
	} {
		body = appendUint(body[:0], 1, m.id)
		body = appendUint(body, 2, m.start)
		body = appendUint(body, 3, m.limit)
		body = appendUint(body, 4, m.off)
		body = appendUint(body, 5, uint64(st.id(m.file)))
		body = appendUint(body, 6, uint64(st.id(m.build)))
		body = appendBool(body, 7, true)
		body = appendBool(body, 8, true)
		body = appendBool(body, 9, true)
		body = appendBool(body, 10, true)
		buf = appendBytes(buf, 3, body)
	}

	// Locations, in order of first use.
	var nextFn uint64 = 1
	var fnOrder []int32
	nInlined := 0
	for _, li := range order {
		l := &g.locs[li]
		f := &g.funcs[l.fn]
		mapping := uint64(1)
		if f.native {
			mapping = 2
		}
		body = appendUint(body[:0], 1, l.outID)
		body = appendUint(body, 2, mapping)
		body = appendUint(body, 3, f.addr+l.off)
		if len(l.lines) > 1 {
			nInlined++
		}
		for _, ln := range l.lines {
			lf := &g.funcs[ln.fn]
			if lf.outID == 0 {
				lf.outID = nextFn
				nextFn++
				fnOrder = append(fnOrder, ln.fn)
			}
			lab = appendUint(lab[:0], 1, lf.outID)
			lab = appendUint(lab, 2, uint64(ln.line))
			body = appendBytes(body, 4, lab)
		}
		buf = appendBytes(buf, 4, body)
		if len(buf) > 64<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}

	// Functions.
	for _, fi := range fnOrder {
		f := &g.funcs[fi]
		name := uint64(st.id(f.name))
		body = appendUint(body[:0], 1, f.outID)
		body = appendUint(body, 2, name)
		body = appendUint(body, 3, name)
		body = appendUint(body, 4, uint64(st.id(f.file)))
		body = appendUint(body, 5, uint64(f.startLine))
		buf = appendBytes(buf, 5, body)
		if len(buf) > 64<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}

	// String table (string_table[0] == "").
	for _, s := range st.list {
		buf = appendTag(buf, 6, wtBytes)
		buf = appendVarint(buf, uint64(len(s)))
		buf = append(buf, s...)
		if len(buf) > 64<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
	}

	// Scalars: time_nanos, duration_nanos, period_type, period, comment.
	// Pretend the profile was collected on 8 busy cores.
	duration := totalCount * period / 8
	if duration < 1e9 {
		duration = 1e9
	}
	buf = appendUint(buf, 9, uint64(time.Date(2023, 7, 21, 10, 30, 0, 0, time.UTC).UnixNano()+int64(seed)*1e9))
	buf = appendUint(buf, 10, uint64(duration))
	body = appendUint(body[:0], 1, uint64(sCPU))
	body = appendUint(body, 2, uint64(sNS))
	buf = appendBytes(buf, 11, body)
	buf = appendUint(buf, 12, period)
	buf = appendPacked(buf, 13, []uint64{uint64(sComment)})
	if err := flush(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := fbuf.Flush(); err != nil {
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(os.Stderr, "synth: %s: %d samples (avg %.1f frames), %d locations (%d inlined), %d functions, %d strings; raw %.1f MB, gzip %.1f MB\n",
			out, nSamples, float64(totalFrames)/float64(max(nSamples, 1)), len(order), nInlined, len(fnOrder), len(st.list),
			float64(raw.n)/1e6, float64(fileCount.n)/1e6)
	}
	return nil
}
