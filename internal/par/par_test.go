package par

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestForEachVisitsEachOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 4}, {10, 1}, {1000, 3}, {5, 0}} {
		seen := make([]atomic.Int32, tc.n)
		if err := ForEach(context.Background(), tc.n, tc.workers, func(i int) { seen[i].Add(1) }); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Errorf("n=%d workers=%d: item %d visited %d times", tc.n, tc.workers, i, c)
			}
		}
	}
}

func TestForEachStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int32
	err := ForEach(ctx, 1000, 2, func(i int) {
		if done.Add(1) == 10 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("want the context's error")
	}
	if d := done.Load(); d >= 1000 {
		t.Errorf("visited all %d items after cancel", d)
	}
}
