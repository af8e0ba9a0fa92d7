package move

import (
	"fmt"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// verify builds the vault as the plan leaves it (every note at its new
// path, the rewritten ones parsed again) and resolves every link once
// more.
// A link that resolved must reach the same file, renamed, and the same
// heading or block; one that did not may only come to resolve (Revived).
// Anything else is a Conflict: the planner got something wrong or met a
// case it cannot handle, such as a heading whose text holds a rewritten
// link, and the move must not happen.
func (pl *planner) verify() {
	changed := map[string][]byte{}
	for _, c := range pl.p.Changes {
		changed[c.Path] = c.After
	}
	var notes []*vault.Note
	after := map[*vault.Note]*vault.Note{}
	for _, n := range pl.v.Notes {
		var m *vault.Note
		if s, ok := changed[n.Path]; ok {
			m = vault.Parse(pl.newPath(n.Path), s)
		} else {
			// Same bytes, same parse: a copy under the new path saves
			// parsing the whole vault again (vault.New takes the copy for
			// its own and leaves n to the vault it came from).
			c := *n
			c.Path = pl.newPath(n.Path)
			m = &c
		}
		after[n] = m
		notes = append(notes, m)
	}
	var others []string
	for _, f := range pl.v.Files {
		if f.Note == nil {
			others = append(others, pl.newPath(f.Path))
		}
	}
	v3 := vault.New(notes, others...)
	v3.App = pl.v.App

	reported := map[LinkRef]bool{}
	for _, c := range pl.p.Conflicts {
		reported[c.LinkRef] = true
	}
	for _, n := range pl.v.Notes {
		m := after[n]
		if len(m.Links) != len(n.Links) {
			pl.p.Conflicts = append(pl.p.Conflicts, Conflict{LinkRef{Note: n.Path, Line: 1, Column: 1},
				fmt.Sprintf("rewriting its links would change how the note reads: %d links instead of %d", len(m.Links), len(n.Links))})
			continue
		}
		for i := range n.Links {
			l := &n.Links[i]
			if l.External {
				continue
			}
			ref := pl.ref(n, l)
			if reported[ref] {
				continue
			}
			r0 := pl.before[n][i]
			r3 := v3.Resolve(m, &m.Links[i])
			switch {
			case r0.File == nil && r3.File != nil:
				pl.p.Revived = append(pl.p.Revived, Revived{ref, r3.File.Path})
			case r0.File == nil:
			case r3.File == nil:
				pl.conflictRef(ref, "would resolve to nothing instead of %s", r0.File.Path)
			case r3.File.Path != pl.newPath(r0.File.Path):
				pl.conflictRef(ref, "would point at %s instead of %s", r3.File.Path, pl.newPath(r0.File.Path))
			case subpathKey(n, r0) != subpathKey(m, r3):
				pl.conflictRef(ref, "would no longer reach the same heading or block of %s", r3.File.Path)
			}
		}
	}
}

func (pl *planner) conflictRef(ref LinkRef, format string, args ...any) {
	pl.p.Conflicts = append(pl.p.Conflicts, Conflict{ref, fmt.Sprintf(format, args...)})
}

// subpathKey names what a link's subpath found: nothing to check, a
// block by id, a heading by its place among the target's headings (text
// alone would not tell two "## Notes" apart), or missing.
func subpathKey(from *vault.Note, r vault.Resolution) string {
	if !r.SubpathChecked {
		return ""
	}
	if r.Block != nil {
		return "^" + strings.ToLower(r.Block.ID)
	}
	if r.Heading != nil {
		t := from
		if r.File != nil && r.File.Note != nil {
			t = r.File.Note
		}
		for i := range t.Headings {
			if &t.Headings[i] == r.Heading {
				return fmt.Sprintf("#%d", i)
			}
		}
		return "#?"
	}
	return "missing"
}
