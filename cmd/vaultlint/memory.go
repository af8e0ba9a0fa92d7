package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// memoryLimit is the soft limit on the Go heap for a run that parses
// notes of this many bytes, or 0 to leave the runtime's settings alone.
// A streaming run (check, which lets each note's source go once the
// note's own rules ran: rules.Checker) keeps about as much as the
// Markdown; a run that keeps every note whole (fix, the cache) about
// twice as much.
//
// Parsing makes garbage many times what it keeps. Left to GOGC=100, the
// heap grows to twice the live data before each collection, and the
// collector runs often while the live data is still small. Instead a run
// turns GOGC off and sets a soft limit, so that the collector runs only
// when the heap nears it: 2.5 times the Markdown for a streaming run, 4
// times for the others. On the 5,000-note vault of docs/performance.md a
// streaming check then peaks at 2.8 times the Markdown; at 100,000 notes
// it collects 6 times where GOGC=300 under the same limit collected 14,
// for 5% less CPU. For a run that keeps every note, a limit of 3.5 times
// cost 13% more CPU than 4. The limit never goes under 64 MiB, where the
// runtime's own footprint dominates, and rises with the live heap
// (followLiveHeap). GOGC or GOMEMLIMIT in the environment leave it all to
// the user.
func memoryLimit(noteBytes int64, streaming bool, env func(string) string) int64 {
	const floor = 64 << 20
	if env("GOMEMLIMIT") != "" || env("GOGC") != "" {
		return 0 // the user has chosen
	}
	if noteBytes < 0 || float64(noteBytes) > math.MaxInt64/8 {
		return 0
	}
	limit := noteBytes * 4
	if streaming {
		limit = noteBytes * 5 / 2
	}
	return max(limit+8<<20, floor)
}

// limitMemory returns a vault.Options.BeforeParse that sets the garbage
// collector up for a run over the notes it is told of.
func limitMemory(streaming bool) func(notes int, noteBytes int64) {
	return func(_ int, noteBytes int64) {
		if limit := memoryLimit(noteBytes, streaming, os.Getenv); limit > 0 {
			debug.SetMemoryLimit(limit)
			debug.SetGCPercent(-1)
			followLiveHeap(limit)
		}
	}
}

// liveHeap follows the live heap after each collection.
var liveHeap struct {
	once  sync.Once
	mu    sync.Mutex
	limit int64 // the limit set, or raised to
}

// followLiveHeap keeps the memory limit at least twice the live heap, as
// GOGC=100 would: what a run keeps is not always about the Markdown (a
// vault with millions of problems keeps millions of diagnostics), and a
// limit under the live heap makes the collector run without end. With
// the limit at 2.5 times the Markdown, a vault of 94 MB of links to
// missing headings took 45 s to check where GOGC=100 took 18 s.
func followLiveHeap(limit int64) {
	liveHeap.mu.Lock()
	liveHeap.limit = limit
	liveHeap.mu.Unlock()
	liveHeap.once.Do(func() { afterNextGC(raiseLimit) })
}

// raiseLimit raises the memory limit to twice the heap the last
// collection found live, if that is more.
func raiseLimit() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := sample[0].Value.Uint64()
	if live > math.MaxInt64/4 {
		return
	}
	liveHeap.mu.Lock()
	defer liveHeap.mu.Unlock()
	if want := 2 * int64(live); want > liveHeap.limit {
		liveHeap.limit = want
		debug.SetMemoryLimit(want)
	}
}

// afterNextGC calls fn after every collection from the next on: the
// runtime runs an unreachable object's cleanup after the collection that
// finds it, and each call leaves another such object behind.
func afterNextGC(fn func()) {
	type sentinel struct {
		_ *int // a pointer: objects without them may share a block and never be found unreachable
		_ [16]byte
	}
	runtime.AddCleanup(&sentinel{}, func(struct{}) {
		fn()
		afterNextGC(fn)
	}, struct{}{})
}
