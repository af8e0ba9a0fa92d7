package rules

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// TestMaybeDuplicateHeadings: the shortcut never hides a repeat. On
// random headings drawn from texts that differ only in case, spacing,
// punctuation and runes whose lower case is another's (İ, K), whenever
// the rule reports something, maybeDuplicateHeadings said there might be.
func TestMaybeDuplicateHeadings(t *testing.T) {
	texts := []string{"Summary", "SUMMARY", "summary!", "Q&A: Setup", "Q A setup", "İx", "ix", "\u212ax", "kx",
		"Actions", "", "#", "Ünïcode", "ünïcode", "a\xffb", "a\xfeb"}
	rng := rand.New(rand.NewPCG(1, 2))
	reported, maybes := 0, 0
	for range 20000 {
		var src strings.Builder
		hs := 1 + rng.IntN(6)
		for range hs {
			src.WriteString(strings.Repeat("#", 1+rng.IntN(3)) + " " + texts[rng.IntN(len(texts))] + "\n")
		}
		n := vault.Parse("n.md", []byte(src.String()))
		maybe := maybeDuplicateHeadings(n.Headings)
		if maybe {
			maybes++
		}
		v := vault.New([]*vault.Note{n})
		full := *DuplicateHeading
		full.Run = reportDuplicateHeadings
		want := runRules(v, n, []*Rule{&full}, Config{}, false)
		if len(want) > 0 {
			reported++
			if !maybe {
				t.Fatalf("%q: duplicate-heading reports %v, but maybeDuplicateHeadings says none", src.String(), want)
			}
		}
		if got := runRules(v, n, []*Rule{DuplicateHeading}, Config{}, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: duplicate-heading reports %v, without its shortcut %v", src.String(), got, want)
		}
	}
	if reported == 0 || maybes == 20000 {
		t.Fatalf("%d notes with repeats, %d maybes of 20000: the test says nothing", reported, maybes)
	}
}
