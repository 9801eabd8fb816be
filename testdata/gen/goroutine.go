// The goroutine workload: goroutines parked in distinct places (channel
// receive and send, select, mutex, WaitGroup, Cond, sleep), some places
// holding several goroutines, captured while they wait.
package main

import (
	"os"
	"sync"
	"time"
)

func runGoroutine(out *os.File) error {
	var started sync.WaitGroup
	jobs := make(chan int)
	results := make(chan int)
	quit := make(chan struct{})
	var mu sync.Mutex
	var never sync.WaitGroup
	never.Add(1)
	cond := sync.NewCond(&sync.Mutex{})

	spawn := func(n int, f func()) {
		for i := 0; i < n; i++ {
			started.Add(1)
			go func() {
				started.Done()
				f()
			}()
		}
	}
	spawn(3, func() { waitForJob(jobs) })
	spawn(2, func() { sendResult(results, 1) })
	spawn(1, func() { serveRequests(jobs, quit) })
	spawn(1, func() { awaitShutdown(&never) })
	spawn(1, func() { waitForSignal(cond) })
	spawn(1, func() { nap() })
	mu.Lock()
	spawn(2, func() { lockedOut(&mu) })
	started.Wait()
	// Give every goroutine time to reach its parking point.
	time.Sleep(200 * time.Millisecond)
	return writeProfile(out, "goroutine")
}

func waitForJob(jobs <-chan int) {
	<-jobs
}

func sendResult(results chan<- int, v int) {
	results <- v
}

func serveRequests(jobs <-chan int, quit <-chan struct{}) {
	for {
		select {
		case <-jobs:
		case <-quit:
			return
		}
	}
}

func awaitShutdown(wg *sync.WaitGroup) {
	wg.Wait()
}

func waitForSignal(cond *sync.Cond) {
	cond.L.Lock()
	cond.Wait()
	cond.L.Unlock()
}

func nap() {
	time.Sleep(time.Hour)
}

func lockedOut(mu *sync.Mutex) {
	mu.Lock()
	mu.Unlock()
}
