// Package par runs a loop body over many items on a few goroutines.
package par

import (
	"context"
	"sync"
	"sync/atomic"
)

// ForEach calls fn(i) for every i in [0, n) on at most workers goroutines
// (at least one), and returns ctx's error if ctx ends first (some items
// are then skipped).
//
// A goroutine per item, as errgroup.Go gives, starts each item on a fresh
// small stack that parsing a note then grows, copying it several times;
// a few long-lived workers grow theirs once.
func ForEach(ctx context.Context, n, workers int, fn func(i int)) error {
	workers = max(1, min(workers, n))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
