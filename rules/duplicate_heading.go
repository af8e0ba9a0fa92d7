package rules

import (
	"strings"
	"unicode"

	"github.com/vaultlint/vaultlint/vault"
)

// DuplicateHeading flags two headings that no link can tell apart.
var DuplicateHeading = Register(&Rule{
	ID:      "duplicate-heading",
	Summary: "two headings with the same text at the same level in one note",
	Doc: `"[[Note#Heading]]" finds the first heading of that name. A repeated
heading under a different parent can still be linked with a nested subpath
("[[Monsters#Goblin#Actions]]" and "[[Monsters#Orc#Actions]]"), the way
reference notes repeat "Actions" or "Summary" under each entry, so that is
fine. What is reported is a heading with the same text, at the same level,
under the same chain of parent headings as an earlier one: no link of any
form reaches it. Headings are compared as Obsidian matches them: ignoring
case, spacing and the punctuation a link cannot hold ("## Q&A: Setup" and
"## Q A setup" are the same).

Every such repeat is reported, naming the line of the first. A heading
with no text left after that comparison is not linkable at all and is not
reported. There is no fix: renaming a heading is the writer's choice.`,
	Before:   "# Part 1\n## Summary\n## Summary",
	After:    "# Part 1\n## Summary\n## Summary, continued",
	Severity: Info,
	Fix:      NoFix,
	Run:      runDuplicateHeading,
})

func runDuplicateHeading(p *Pass) {
	if maybeDuplicateHeadings(p.Note.Headings) {
		reportDuplicateHeadings(p)
	}
}

func reportDuplicateHeadings(p *Pass) {
	n := p.Note
	// A heading's path is its open parents' texts and its own, as a
	// nested subpath would name it ("a#b#c"). Each distinct path gets a
	// number, from its parent's number and its own text, so paths are
	// compared without being spelled out (texts hold no '#': StripHeading
	// removes it, so a path has one spelling).
	type step struct {
		parent int // the parent path's number, -1 for none
		text   string
	}
	paths := map[step]int{}
	type key struct {
		level int
		path  int
	}
	first := map[key]*vault.Heading{}
	type open struct {
		level int
		path  int
	}
	var parents []open
	for i := range n.Headings {
		h := &n.Headings[i]
		text := strings.ToLower(vault.StripHeading(h.Text))
		for len(parents) > 0 && parents[len(parents)-1].level >= h.Level {
			parents = parents[:len(parents)-1]
		}
		st := step{parent: -1, text: text}
		if len(parents) > 0 {
			st.parent = parents[len(parents)-1].path
		}
		id, ok := paths[st]
		if !ok {
			id = len(paths)
			paths[st] = id
		}
		parents = append(parents, open{h.Level, id})
		if text == "" {
			continue
		}
		k := key{h.Level, id}
		f, dup := first[k]
		if !dup {
			first[k] = h
			continue
		}
		line, _ := n.Position(f.Span.Start)
		p.Reportf(h.Span, "heading %q repeats the heading on line %d under the same parent headings; no link can reach it", h.Text, line)
	}
}

// maybeDuplicateHeadings reports whether two headings have the same level
// and the same text as runDuplicateHeading compares them, which a repeat
// needs. It compares a hash of the lower-cased text, so that most notes,
// whose headings all differ, cost no allocation and no map.
func maybeDuplicateHeadings(hs []vault.Heading) bool {
	if len(hs) < 2 {
		return false
	}
	if len(hs) > 64 {
		return true // the pairs would cost more than the maps
	}
	var buf [32]uint64
	sums := buf[:0]
	for i := range hs {
		h := uint64(hs[i].Level)
		for _, r := range vault.StripHeading(hs[i].Text) {
			h = (h ^ uint64(unicode.ToLower(r))) * 1099511628211 // FNV-1a over runes
		}
		for _, s := range sums {
			if s == h {
				return true
			}
		}
		sums = append(sums, h)
	}
	return false
}
