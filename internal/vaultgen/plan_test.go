package vaultgen

import (
	"strings"
	"testing"
)

// TestPlanPaths: no two notes share a path, and only the planted
// case conflicts share one when case is ignored: a collision would
// silently write one note over another.
func TestPlanPaths(t *testing.T) {
	for seed := range uint64(30) {
		g := plan(Options{Notes: 400, Seed: seed, Defects: true, DefectsPerRule: 8}.withDefaults())
		exact := map[string]bool{}
		folded := map[string]int{}
		for _, n := range g.notes {
			if exact[n.path] {
				t.Fatalf("seed %d: two notes at %s", seed, n.path)
			}
			exact[n.path] = true
			folded[strings.ToLower(n.path)]++
		}
		conflicts := 0
		for _, c := range folded {
			if c > 1 {
				conflicts += c - 1
			}
		}
		if conflicts != g.caseConflicts {
			t.Fatalf("seed %d: %d paths collide ignoring case, %d planted", seed, conflicts, g.caseConflicts)
		}
	}
}

// TestLinkPath checks the generator's own resolver on the cases of
// links.md's table.
func TestLinkPath(t *testing.T) {
	g := &gen{byName: map[string][]*notePlan{}}
	add := func(p string) *notePlan {
		n := &notePlan{path: p + ".md"}
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			n.dir, n.name = p[:i], p[i+1:]
		} else {
			n.name = p
		}
		g.byName[strings.ToLower(n.name)] = append(g.byName[strings.ToLower(n.name)], n)
		return n
	}
	zz, ab, q, zq, xy := add("zzzz/Note"), add("a/b/Note"), add("q"), add("zzzz/q2"), add("x/y")
	for _, c := range []struct {
		from, to *notePlan
		want     string
	}{
		{zq, zz, "Note"},      // same folder (17b)
		{q, zz, "zzzz/Note"},  // bare "Note" would fall back to the shortest path
		{xy, ab, "b/Note"},    // shortest unique trailing part
		{q, q, "q"},           // unique name
		{ab, ab, "Note"},      // own folder
		{zq, ab, "b/Note"},    // another folder
		{xy, zz, "zzzz/Note"}, // exact path beats nothing shorter
	} {
		if got := g.linkPath(c.from, c.to); got != c.want {
			t.Errorf("from %s to %s: %q, want %q", c.from.path, c.to.path, got, c.want)
		}
	}
	if got := relPath("a/b", "a/c/N.md"); got != "../c/N.md" {
		t.Errorf("relPath: %q", got)
	}
	if got := relPath("", "a/N.md"); got != "./a/N.md" {
		t.Errorf("relPath: %q", got)
	}
	if got := relPath("a", "N.md"); got != "../N.md" {
		t.Errorf("relPath: %q", got)
	}
}
