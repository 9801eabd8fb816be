package main

import (
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Inputs for strconv's ParseInt and ParseUint: prefixes, underscores, signs, the ends of
// the ranges, and what Go refuses.
var parseInputs = []string{
	"", "0", "1", "-1", "+1", "-0", "010", "08", "09", "0777", "00", "0x1F", "0X1f", "0x", "0x_1f",
	"0b101", "0b", "0b2", "0B11", "0o17", "0o", "0O8", "1_000", "_1", "1__0", "1_", "0_7", "0_x1",
	"-_1", "+_1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"0xffffffffffffffff", "0x10000000000000000", "0x8000000000000000", "abc", "ABC", "1e3",
	" 1", "1 ", "-", "+", "-0x10", "z", "ZZ", "0x1g", "0x_", "1_0_0", "0_0", "0__0",
}

// Inputs for math.Exp: the arguments heap unsampling gives it (-size/count/rate), the edges
// of its range (overflow, denormal results, underflow), special values, and a spread of
// random ones from a fixed seed.
func expInputs() []float64 {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 1e-300, -1e-300, 5e-324,
		-1.0 / 524288, -16.0 / 524288, -4096.0 / 4096, -65536.0 / 4096, -1e6 / 524288,
		-2.0 / 3, -0.0078125, -100, -700, -708, -708.3964185322641, -708.4, -709, -720,
		-740, -744.4, -745.1, -746, -1000, -1e300, 700, 709, 709.78, 7.09782712893384e+02,
		709.7827128933841, 710, 1e300, math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64}
	r := rand.New(rand.NewSource(13))
	for i := 0; i < 300; i++ {
		xs = append(xs, -r.Float64()*r.Float64()*50)
	}
	for i := 0; i < 100; i++ {
		xs = append(xs, r.Float64()*1500-780)
	}
	return xs
}

// cpuHasFMA says whether Go's math.Exp took its FMA path here: it does when the CPU has AVX
// and FMA (internal/cpu, which the C side asks of the same CPU).
func cpuHasFMA() bool {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "flags") {
			f := " " + line + " "
			return strings.Contains(f, " avx ") && strings.Contains(f, " fma ")
		}
	}
	return false
}

func emitGonum(w io.Writer) {
	fmt.Fprintln(w, "struct expect_parse {\n\tconst char *s;\n\tint base, int_ok, uint_ok;\n\tlong long i;\n\tunsigned long long u;\n};")
	fmt.Fprintln(w, "static const struct expect_parse expect_parse[] = {")
	for _, s := range parseInputs {
		for _, base := range []int{0, 10, 16} {
			i, ierr := strconv.ParseInt(s, base, 64)
			u, uerr := strconv.ParseUint(s, base, 64)
			if ierr != nil {
				i = 0
			}
			if uerr != nil {
				u = 0
			}
			is := fmt.Sprintf("%dLL", i)
			if i == math.MinInt64 {
				is = "-9223372036854775807LL - 1"
			}
			fmt.Fprintf(w, "\t{ %s, %d, %d, %d, %s, %dULL },\n", cstr(s), base, b2i(ierr == nil),
				b2i(uerr == nil), is, u)
		}
	}
	fmt.Fprintln(w, "};")
	// The path without FMA, from this program run again with Go's FMA use turned off.
	cmd := exec.Command(os.Args[0], "-exp")
	cmd.Env = append(os.Environ(), "GODEBUG=cpu.fma=off")
	out, err := cmd.Output()
	if err != nil {
		fail(fmt.Errorf("%s -exp with GODEBUG=cpu.fma=off: %v", os.Args[0], err))
	}
	noFMA := strings.Fields(string(out))
	xs := expInputs()
	if len(noFMA) != len(xs) {
		fail(fmt.Errorf("-exp printed %d values, want %d", len(noFMA), len(xs)))
	}
	fmt.Fprintf(w, "/* Whether math.Exp ran its FMA path (column 2) on the machine that wrote these;\n * column 3 is its path without FMA (GODEBUG=cpu.fma=off). */\n#define EXPECT_EXP_FMA %d\n", b2i(cpuHasFMA()))
	fmt.Fprintln(w, "static const unsigned long long expect_exp[][3] = {")
	for i, x := range xs {
		fmt.Fprintf(w, "\t{ 0x%016xULL, 0x%016xULL, %sULL }, /* %v */\n", math.Float64bits(x),
			math.Float64bits(math.Exp(x)), noFMA[i], x)
	}
	fmt.Fprintln(w, "};")
}

// printExp prints math.Exp of every input, as bits, for emitGonum's second run.
func printExp() {
	for _, x := range expInputs() {
		fmt.Printf("0x%016x\n", math.Float64bits(math.Exp(x)))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
