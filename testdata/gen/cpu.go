// The CPU workload: the profiling-workshop word count. It reads a generated
// text one byte at a time through an unbuffered *os.File, so every byte is
// a read system call and the syscall path dominates the profile.
package main

import (
	"bufio"
	"io"
	"os"
	"runtime/pprof"
)

// textBytes is the size of the generated input.
const textBytes = 5 << 18

var vocabulary = []string{
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
	"profile", "sample", "stack", "frame", "function", "inline", "mapping",
	"location", "cumulative", "flat", "goroutine", "mutex", "a", "of", "to",
}

// rng is a tiny linear congruential generator so the text is identical on
// every run and every Go version.
type rng struct{ state uint64 }

func (r *rng) next() uint32 {
	r.state = r.state*6364136223846793005 + 1442695040888963407
	return uint32(r.state >> 33)
}

func writeText(w io.Writer, size int) error {
	bw := bufio.NewWriter(w)
	r := rng{state: 42}
	n := 0
	for n < size {
		word := vocabulary[r.next()%uint32(len(vocabulary))]
		bw.WriteString(word)
		sep := byte(' ')
		switch r.next() % 16 {
		case 0:
			sep = '\n'
		case 1:
			sep = '\t'
		}
		bw.WriteByte(sep)
		n += len(word) + 1
	}
	return bw.Flush()
}

func runCPU(out *os.File) error {
	tmp, err := os.CreateTemp("", "words-*.txt")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeText(tmp, textBytes); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	words, hashes := countWords(tmp)
	rankWords(hashes, 32)
	pprof.StopCPUProfile()
	tmp.Close()
	if words == 0 || len(hashes) != words {
		panic("word count mismatch")
	}
	return nil
}

// readByte deliberately makes one system call per byte.
func readByte(r io.Reader) (byte, error) {
	var b [1]byte
	_, err := r.Read(b[:])
	return b[0], err
}

// isSpace is small enough to be inlined into countWords.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r'
}

// mix folds one byte into an FNV-1a style hash; it is inlined too.
func mix(h uint64, c byte) uint64 {
	return (h ^ uint64(c)) * 1099511628211
}

// countWords returns the number of words and one hash per word.
func countWords(r io.Reader) (int, []uint64) {
	words := 0
	var hashes []uint64
	var h uint64
	cur := 0
	for {
		c, err := readByte(r)
		if err != nil {
			break
		}
		if isSpace(c) {
			if cur > 0 {
				words++
				hashes = append(hashes, h)
			}
			cur, h = 0, 14695981039346656037
		} else {
			cur++
			h = mix(h, c)
		}
	}
	if cur > 0 {
		words++
		hashes = append(hashes, h)
	}
	return words, hashes
}

// rankWords sorts the hashes under several rotations of the key; the merge
// sort is recursive so the profile holds recursion.
func rankWords(hashes []uint64, rounds int) {
	keys := make([]uint64, len(hashes))
	buf := make([]uint64, len(hashes))
	for r := 0; r < rounds; r++ {
		for i, h := range hashes {
			keys[i] = h<<uint(r*7) | h>>uint(64-r*7)
		}
		mergeSort(keys, buf)
	}
}

func mergeSort(a, buf []uint64) {
	if len(a) < 2 {
		return
	}
	mid := len(a) / 2
	mergeSort(a[:mid], buf[:mid])
	mergeSort(a[mid:], buf[mid:])
	merge(a, mid, buf)
}

func merge(a []uint64, mid int, buf []uint64) {
	i, j, k := 0, mid, 0
	for i < mid && j < len(a) {
		if a[j] < a[i] {
			buf[k] = a[j]
			j++
		} else {
			buf[k] = a[i]
			i++
		}
		k++
	}
	k += copy(buf[k:], a[i:mid])
	copy(buf[k:], a[j:])
	copy(a, buf[:len(a)])
}
