package fix

import (
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of a file with New. Start == End
// inserts.
type Edit struct {
	Start, End int
	New        string
}

func (e Edit) String() string { return fmt.Sprintf("[%d,%d)→%q", e.Start, e.End, e.New) }

// Overlaps reports whether two edits touch the same bytes. Two insertions
// at one offset overlap too: their order would be a guess.
func (e Edit) Overlaps(o Edit) bool {
	if e.Start == e.End && o.Start == o.End {
		return e.Start == o.Start
	}
	return e.Start < o.End && o.Start < e.End || e.Start == o.Start
}

// Validate checks that edits are in bounds for a file of size n and do
// not overlap one another.
func Validate(n int, edits []Edit) error {
	sorted := Sorted(edits)
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return fmt.Errorf("edit %v out of bounds for %d bytes", e, n)
		}
		if i > 0 && sorted[i-1].Overlaps(e) {
			return fmt.Errorf("edits %v and %v overlap", sorted[i-1], e)
		}
	}
	return nil
}

// Sorted returns a copy of edits in file order.
func Sorted(edits []Edit) []Edit {
	s := append([]Edit(nil), edits...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start < s[j].Start
		}
		return s[i].End < s[j].End
	})
	return s
}

// Apply returns src with the edits applied. The edits must be valid for
// src (see Validate); src itself is not modified.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	if err := Validate(len(src), edits); err != nil {
		return nil, err
	}
	sorted := Sorted(edits)
	size := len(src)
	for _, e := range sorted {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}
