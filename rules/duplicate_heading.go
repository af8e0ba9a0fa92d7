package rules

import (
	"strings"

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
	n := p.Note
	type key struct {
		level int
		path  string // the parent headings' texts and this one's, as a nested subpath
	}
	first := map[key]*vault.Heading{}
	type open struct {
		level int
		text  string
	}
	var parents []open
	for i := range n.Headings {
		h := &n.Headings[i]
		text := strings.ToLower(vault.StripHeading(h.Text))
		for len(parents) > 0 && parents[len(parents)-1].level >= h.Level {
			parents = parents[:len(parents)-1]
		}
		var path strings.Builder
		for _, o := range parents {
			path.WriteString(o.text)
			path.WriteByte('#')
		}
		path.WriteString(text)
		parents = append(parents, open{h.Level, text})
		if text == "" {
			continue
		}
		k := key{h.Level, path.String()}
		f, dup := first[k]
		if !dup {
			first[k] = h
			continue
		}
		line, _ := n.Position(f.Span.Start)
		p.Reportf(h.Span, "heading %q repeats the heading on line %d under the same parent headings; no link can reach it", h.Text, line)
	}
}
