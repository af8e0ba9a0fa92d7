package rules

import (
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// DuplicateHeading flags two headings of one level with the same text.
var DuplicateHeading = Register(&Rule{
	ID:      "duplicate-heading",
	Summary: "two headings with the same text at the same level in one note",
	Doc: `"[[Note#Heading]]" finds the first heading of that name, so a second
heading with the same text at the same level cannot be linked by its name
alone. Headings are compared as Obsidian matches them: ignoring case,
spacing and the punctuation a link cannot hold ("## Q&A: Setup" and
"## Q A setup" are the same).

Every repeat after the first is reported, naming the line of the first. A
heading with no text left after that comparison is not linkable at all
and is not reported. There is no fix: renaming a heading is the
writer's choice, and a nested link ("[[Note#Part 2#Summary]]") may
already tell the two apart.`,
	Before:   "# Part 1\n## Summary\n# Part 2\n## Summary",
	After:    "# Part 1\n## Summary of part 1\n# Part 2\n## Summary of part 2",
	Severity: Info,
	Fix:      NoFix,
	Run:      runDuplicateHeading,
})

func runDuplicateHeading(p *Pass) {
	n := p.Note
	type key struct {
		level int
		text  string
	}
	first := map[key]*vault.Heading{}
	for i := range n.Headings {
		h := &n.Headings[i]
		text := strings.ToLower(vault.StripHeading(h.Text))
		if text == "" {
			continue
		}
		k := key{h.Level, text}
		f, dup := first[k]
		if !dup {
			first[k] = h
			continue
		}
		line, _ := n.Position(f.Span.Start)
		p.Reportf(h.Span, "heading %q repeats the heading on line %d; links to it reach the first", h.Text, line)
	}
}
