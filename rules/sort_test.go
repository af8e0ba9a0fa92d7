package rules_test

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// TestSort: diagnostics come out by path, line, column, rule and message,
// and those equal in all five keep their order (told apart by Span here).
func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	for range 200 {
		ds := make([]rules.Diagnostic, rng.IntN(300))
		for i := range ds {
			ds[i] = rules.Diagnostic{Path: pick("a.md", "b.md", "a/b.md", "B.md"), Line: 1 + rng.IntN(3), Column: 1 + rng.IntN(3),
				Rule: pick("broken-link", "link-spacing"), Message: pick("x", "y"), Span: vault.Span{Start: i}}
		}
		want := make([]rules.Diagnostic, len(ds))
		copy(want, ds)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := &want[i], &want[j]
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			if a.Column != b.Column {
				return a.Column < b.Column
			}
			if a.Rule != b.Rule {
				return a.Rule < b.Rule
			}
			return a.Message < b.Message
		})
		rules.Sort(ds)
		if !reflect.DeepEqual(ds, want) {
			t.Fatalf("Sort gives\n%v\nwant\n%v", ds, want)
		}
	}
}
