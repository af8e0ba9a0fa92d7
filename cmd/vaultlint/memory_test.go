package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		bytes     int64
		streaming bool
		env       map[string]string
		want      int64
	}{
		{bytes: 0, want: 64 << 20},
		{bytes: 1 << 20, want: 64 << 20}, // small vault: the floor
		{bytes: 27 << 20, want: 27<<20*4 + 8<<20},
		{bytes: 538 << 20, want: 538<<20*4 + 8<<20},
		{bytes: 1 << 20, streaming: true, want: 64 << 20},
		{bytes: 28 << 20, streaming: true, want: 70<<20 + 8<<20},
		{bytes: 538 << 20, streaming: true, want: 1345<<20 + 8<<20},
		{bytes: 27 << 20, env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: 0},
		{bytes: 27 << 20, env: map[string]string{"GOGC": "off"}, want: 0},
		{bytes: 27 << 20, env: map[string]string{"GOGC": "100"}, want: 0},
		{bytes: 1 << 62, want: 0}, // would overflow
	} {
		env := func(k string) string { return tc.env[k] }
		if got := memoryLimit(tc.bytes, tc.streaming, env); got != tc.want {
			t.Errorf("memoryLimit(%d, %v, %v) = %d, want %d", tc.bytes, tc.streaming, tc.env, got, tc.want)
		}
	}
}

// TestFollowLiveHeap: once the live heap passes half the limit, the limit
// rises to twice the live heap after the next collection, so that a run
// keeping more than its Markdown does not collect without end.
func TestFollowLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const limit = 16 << 20
	debug.SetMemoryLimit(limit)
	followLiveHeap(limit)
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 1<<20)) // 64 MiB live: 4 times the limit
	}
	deadline := time.Now().Add(10 * time.Second)
	for debug.SetMemoryLimit(-1) < 2*64<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the memory limit is %d with 64 MiB live: not raised", debug.SetMemoryLimit(-1))
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(keep)

	// A lower limit set for the next run holds while the live heap stays
	// under half of it (keep is dead from here on; what else is live
	// depends on the tests run before).
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	lower := 2*int64(sample[0].Value.Uint64()) + 32<<20
	followLiveHeap(lower)
	debug.SetMemoryLimit(lower)
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != lower {
		t.Errorf("the memory limit is %d with little live: want %d", got, lower)
	}
}
