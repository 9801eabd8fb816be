// The block workload: goroutines that wait on channels, a select, a
// sync.WaitGroup and a sync.Cond. Waits last as long as the other side's
// busy loop, not a timer, so the profile's shape is stable.
package main

import (
	"os"
	"runtime"
	"sync"
)

// spin burns CPU for a deterministic amount of work.
func spin(n int) uint64 {
	x := uint64(n)
	for i := 0; i < n; i++ {
		x = x*2862933555777941757 + 3037000493
	}
	return x
}

var spinSink uint64

func runBlock(out *os.File) error {
	runtime.SetBlockProfileRate(1)
	runPipeline(200)
	runFanIn(200)
	runWorkers(4)
	runCondQueue(100)
	return writeProfile(out, "block")
}

// runPipeline: the consumer is slow, so the producer blocks on send;
// then the producer is slow, so the consumer blocks on receive.
func runPipeline(n int) {
	ch := make(chan int)
	done := make(chan uint64)
	go consume(ch, n, done)
	produce(ch, n)
	spinSink += receiveResult(done)
}

func produce(ch chan<- int, n int) {
	for i := 0; i < n; i++ {
		if i >= n/2 {
			spinSink += spin(20000)
		}
		ch <- i
	}
	close(ch)
}

func consume(ch <-chan int, n int, done chan<- uint64) {
	var acc uint64
	i := 0
	for v := range ch {
		if i < n/2 {
			acc += spin(20000)
		}
		acc += uint64(v)
		i++
	}
	done <- acc
}

func receiveResult(done <-chan uint64) uint64 {
	return <-done
}

func runFanIn(n int) {
	a := make(chan int)
	b := make(chan int)
	go emit(a, n, 10000)
	go emit(b, n, 30000)
	spinSink += uint64(fanIn(a, b, 2*n))
}

func emit(ch chan<- int, n, work int) {
	for i := 0; i < n; i++ {
		spinSink += spin(work)
		ch <- i
	}
}

func fanIn(a, b <-chan int, n int) int {
	sum := 0
	for i := 0; i < n; i++ {
		select {
		case v := <-a:
			sum += v
		case v := <-b:
			sum += v
		}
	}
	return sum
}

func runWorkers(n int) {
	var wg sync.WaitGroup
	results := make([]uint64, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go worker(&wg, &results[i], (i+1)*2000000)
	}
	waitWorkers(&wg)
	for _, r := range results {
		spinSink += r
	}
}

func worker(wg *sync.WaitGroup, result *uint64, work int) {
	defer wg.Done()
	*result = spin(work)
}

func waitWorkers(wg *sync.WaitGroup) {
	wg.Wait()
}

// runCondQueue: a consumer waits on a sync.Cond for items a slow producer adds.
func runCondQueue(n int) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	var queue []int
	done := make(chan struct{})
	go func() {
		takeItems(&mu, cond, &queue, n)
		close(done)
	}()
	for i := 0; i < n; i++ {
		spinSink += spin(20000)
		mu.Lock()
		queue = append(queue, i)
		mu.Unlock()
		cond.Signal()
	}
	<-done
}

func takeItems(mu *sync.Mutex, cond *sync.Cond, queue *[]int, n int) {
	got := 0
	mu.Lock()
	for got < n {
		for len(*queue) == 0 {
			cond.Wait()
		}
		got += len(*queue)
		*queue = (*queue)[:0]
	}
	mu.Unlock()
}
