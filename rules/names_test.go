package rules

import (
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/vault"
)

func pickWord(r *rand.Rand, ws []string) string { return ws[r.IntN(len(ws))] }

// genNames returns n distinct note names as internal/vaultgen makes them.
func genNames(seed uint64, n int) []string { return vaultgen.Titles(seed, n) }

// tableOf builds the name table of a vault holding a note of each name.
func tableOf(names []string) *nameTable {
	v := &vault.Vault{}
	for _, n := range names {
		v.Files = append(v.Files, &vault.File{Path: n + ".md"})
	}
	return buildNameTable(v)
}

// misspell returns n distinct name keys that no file of t has, as
// internal/vaultgen plants broken links: half a typo or two of one of
// names, half names of notes never written.
func misspell(seed uint64, names []string, n int, t *nameTable) []string {
	r := rand.New(rand.NewPCG(seed, 0))
	letters := []rune("abcdefghijklmnopqrstuvwxyz é")
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var s string
		if r.IntN(2) == 0 {
			s = pickWord(r, names) + " " + pickWord(r, []string{"Draft", "Notes", "Old", "v2", "Copy"})
		} else {
			rs := []rune(pickWord(r, names))
			for range 1 + r.IntN(2) {
				k := r.IntN(len(rs))
				switch r.IntN(4) {
				case 0: // delete
					rs = append(rs[:k:k], rs[k+1:]...)
				case 1: // insert
					rs = slices.Insert(slices.Clone(rs), k, letters[r.IntN(len(letters))])
				case 2: // substitute
					rs[k] = letters[r.IntN(len(letters))]
				default: // transpose
					if k+1 < len(rs) {
						rs[k], rs[k+1] = rs[k+1], rs[k]
					}
				}
				if len(rs) == 0 {
					break
				}
			}
			s = string(rs)
		}
		key := nameKey(s)
		if key == "" || seen[key] || len(t.byName[path.Base(key)]) > 0 || strings.Contains(key, "/") {
			continue
		}
		seen[key] = true
		out = append(out, key)
	}
	return out
}

// bruteCloseKeys is closeKeys by comparing base with every key.
func bruteCloseKeys(t *nameTable, base string) []keyDist {
	a := []rune(base)
	limit := min((len(a)-1)/4, 3)
	if limit <= 0 {
		return nil
	}
	rows := make([]int, 2*(len(a)+limit+1))
	var out []keyDist
	for _, k := range t.keys {
		if d := editDistance(a, []rune(k), limit, rows); d <= limit {
			out = append(out, keyDist{k, d})
		}
	}
	return out
}

func sortedKeyDists(ks []keyDist) []keyDist {
	ks = slices.Clone(ks)
	slices.SortFunc(ks, func(x, y keyDist) int { return strings.Compare(x.key, y.key) })
	return ks
}

// TestCloseKeysBruteForce: on tables small enough that no cap applies,
// closeKeys finds exactly the keys a comparison with every key finds.
func TestCloseKeysBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	// Few letters, so that names are often a few edits apart, with
	// repeated trigrams ("aaaa") and runes beyond ASCII.
	alphabet := []rune("abcab é")
	randName := func() string {
		rs := make([]rune, 1+r.IntN(16))
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(rs)
	}
	for round := range 40 {
		var names []string
		if round%2 == 0 {
			names = genNames(uint64(round), 200+r.IntN(800))
		} else {
			for range 300 + r.IntN(700) {
				names = append(names, randName())
			}
		}
		tab := tableOf(names)
		var queries []string
		if round%2 == 0 {
			queries = misspell(uint64(round), names, 200, tab)
		} else {
			for range 200 {
				queries = append(queries, nameKey(randName()))
			}
		}
		for range 50 { // names in the table find themselves
			queries = append(queries, nameKey(pickWord(r, names)))
		}
		for _, q := range queries {
			out, st := tab.closeKeysStats(q)
			if st.truncated {
				t.Fatalf("round %d: closeKeys(%q) hit a cap (%+v) on %d names", round, q, st, len(names))
			}
			got, want := sortedKeyDists(out), sortedKeyDists(bruteCloseKeys(tab, q))
			if !slices.Equal(got, want) {
				t.Fatalf("round %d: closeKeys(%q) = %v, want %v", round, q, got, want)
			}
		}
	}
}

// TestCloseKeysBounded: on tables of many similar names, where the
// postings of every trigram are long, a query takes no more than
// maxScanned steps over postings and computes no more than maxCompared
// distances, and its answer does not depend on other queries running at
// the same time.
func TestCloseKeysBounded(t *testing.T) {
	// Names as a generated vault has them: caps are rare.
	names := genNames(3, 50000)
	queries := misspell(4, names, 300, tableOf(names))
	queries = append(queries, "aaaaaaaaaaaaaaaaaaaa", strings.Repeat("e", 40), "the the the the the")
	checkBounded(t, names, queries, false)

	// Five words of ten, each trigram held by a large part of the names:
	// the rarest trigrams alone exceed the budget.
	words := strings.Fields("alpha beta gamma delta omega sigma theta kappa zeta iota")
	r := rand.New(rand.NewPCG(5, 5))
	seen := map[string]bool{}
	names = names[:0]
	for len(names) < 50000 {
		ws := make([]string, 5)
		for i := range ws {
			ws[i] = pickWord(r, words)
		}
		if n := strings.Join(ws, " "); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	checkBounded(t, names, misspell(6, names, 100, tableOf(names)), true)
}

func checkBounded(t *testing.T, names, queries []string, capped bool) {
	t.Helper()
	tab := tableOf(names)
	want := map[string][]keyDist{}
	found, truncated := 0, 0
	for _, q := range queries {
		out, st := tab.closeKeysStats(q)
		if st.scanned > maxScanned || st.compared > maxCompared {
			t.Errorf("closeKeys(%q): %+v, want scanned ≤ %d, compared ≤ %d", q, st, maxScanned, maxCompared)
		}
		if st.truncated {
			truncated++
		}
		if len(out) > 0 {
			found++
		}
		want[q] = sortedKeyDists(out)
	}
	t.Logf("%d names: %d of %d queries found a close name, %d hit a cap", len(names), found, len(queries), truncated)
	if found < len(queries)/3 { // half are typos, half far from any name
		t.Errorf("only %d of %d misspelled names found a close name", found, len(queries))
	}
	if capped && truncated == 0 {
		t.Errorf("no query hit a cap: the test no longer tests them")
	}
	// The same queries from several goroutines at once, in other orders,
	// give the same answers.
	const goroutines = 4
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*len(queries))
	for g := range goroutines {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 9))
			for _, i := range r.Perm(len(queries)) {
				q := queries[i]
				if got := sortedKeyDists(tab.closeKeys(q)); !slices.Equal(got, want[q]) {
					errs <- fmt.Sprintf("closeKeys(%q) = %v, then %v", q, want[q], got)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// levenshtein is the textbook dynamic programme.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev = cur
	}
	return prev[len(b)]
}

// TestEditDistance: the banded and the bit-parallel distance agree with
// the textbook one up to the limit, and say limit+1 beyond it.
func TestEditDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	alphabet := []rune("abcé\x00ü")
	word := func(n int) []rune {
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		return rs
	}
	var p pattern
	rows := make([]int, 2*(70+4))
	for range 100000 {
		a := word(r.IntN(66))
		b := word(max(0, len(a)+r.IntN(9)-4))
		if r.IntN(2) == 0 { // a few edits of a
			b = slices.Clone(a)
			for range r.IntN(5) {
				if k := r.IntN(len(b) + 1); k < len(b) {
					b[k] = alphabet[r.IntN(len(alphabet))]
				}
			}
		}
		limit := 1 + r.IntN(3)
		want := min(levenshtein(a, b), limit+1)
		if got := editDistance(a, b, limit, rows); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", string(a), string(b), limit, got, want)
		}
		if len(a) > 64 {
			if p.set(a) {
				t.Fatalf("pattern.set took %d runes", len(a))
			}
			continue
		}
		if !p.set(a) {
			t.Fatalf("pattern.set refused %d runes", len(a))
		}
		if got := p.distance(b, limit); got != want {
			t.Fatalf("pattern(%q).distance(%q, %d) = %d, want %d", string(a), string(b), limit, got, want)
		}
		if bs := []byte(string(b)); len(bs) == len(b) { // ASCII: closeKeys compares the bytes
			if got := patternDistance(&p, bs, limit); got != want {
				t.Fatalf("pattern(%q) distance to the bytes %q, %d = %d, want %d", string(a), bs, limit, got, want)
			}
		}
	}
}

func TestTrigrams(t *testing.T) {
	pack := func(a, b, c rune) trigram { return trigram(a)<<42 | trigram(b)<<21 | trigram(c) }
	got := trigrams(nil, []rune("aé𝄞"))
	want := []trigram{pack(0, 0, 'a'), pack(0, 'a', 'é'), pack('a', 'é', '𝄞'), pack('é', '𝄞', 0), pack('𝄞', 0, 0)}
	if !slices.Equal(got, want) {
		t.Errorf("trigrams(aé𝄞) = %x, want %x", got, want)
	}
	if got := trigrams(nil, nil); !slices.Equal(got, []trigram{0, 0}) {
		t.Errorf("trigrams of nothing = %x, want two of NULs", got)
	}
}
