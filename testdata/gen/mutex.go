// The mutex workload: a sync.Mutex and a sync.RWMutex contended by
// goroutines that reach them through different call paths.
package main

import (
	"os"
	"runtime"
	"sync"
)

type counters struct {
	mu   sync.Mutex
	hits map[int]int
	log  []int
}

type table struct {
	mu   sync.RWMutex
	rows map[int]uint64
}

func runMutex(out *os.File) error {
	runtime.SetMutexProfileFraction(1)
	c := &counters{hits: make(map[int]int)}
	t := &table{rows: make(map[int]uint64)}
	// The two locks are contended one after the other so neither phase
	// starves the other of CPUs.
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(2)
		go func(g int) {
			defer wg.Done()
			countHits(c, g, 2000)
		}(g)
		go func(g int) {
			defer wg.Done()
			appendLog(c, g, 1000)
		}(g)
	}
	wg.Wait()
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			if g < 2 {
				updateRows(t, 400)
			} else {
				readRows(t, 1000)
			}
		}(g)
	}
	wg.Wait()
	return writeProfile(out, "mutex")
}

func countHits(c *counters, g, n int) {
	for i := 0; i < n; i++ {
		incrementCounter(c, (g*n+i)%64)
	}
}

func incrementCounter(c *counters, k int) {
	c.mu.Lock()
	c.hits[k]++
	spinSink += spin(500)
	c.mu.Unlock()
}

func appendLog(c *counters, g, n int) {
	for i := 0; i < n; i++ {
		c.mu.Lock()
		c.log = append(c.log, g*n+i)
		spinSink += spin(2000)
		c.mu.Unlock()
	}
}

func updateRows(t *table, n int) {
	for i := 0; i < n; i++ {
		t.mu.Lock()
		t.rows[i%128] = spin(4000)
		t.mu.Unlock()
	}
}

func readRows(t *table, n int) {
	var sum uint64
	for i := 0; i < n; i++ {
		t.mu.RLock()
		sum += t.rows[i%128] + spin(2000)
		t.mu.RUnlock()
	}
	spinSink += sum
}
