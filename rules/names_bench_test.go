package rules

import (
	"fmt"
	"testing"
)

// BenchmarkNear: broken-link's "did you mean" on tables of generated note
// names (as internal/vaultgen names notes), each query a distinct
// misspelled name, so near's cache never answers. ns/op is ns/query; it
// should not grow with the table.
func BenchmarkNear(b *testing.B) {
	for _, n := range []int{5000, 20000, 100000} {
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			names := genNames(1, n)
			t := tableOf(names)
			queries := misspell(2, names, 4096, t)
			i := 0
			for b.Loop() {
				if i == len(queries) {
					b.StopTimer()
					t.nearCache.Clear()
					i = 0
					b.StartTimer()
				}
				t.near(queries[i])
				i++
			}
		})
	}
}

// BenchmarkNameTable: building broken-link's name table, which a check
// does once, beside the parse, the first time a note is parsed.
func BenchmarkNameTable(b *testing.B) {
	for _, n := range []int{5000, 100000} {
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			names := genNames(1, n)
			for b.Loop() {
				tableOf(names)
			}
		})
	}
}
