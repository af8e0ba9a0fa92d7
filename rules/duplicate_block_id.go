package rules

import (
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// DuplicateBlockID flags a block id defined twice in one note.
var DuplicateBlockID = Register(&Rule{
	ID:      "duplicate-block-id",
	Summary: "the same ^block-id defined twice in one note",
	Doc: `A block id names one paragraph, list item or table so that
"[[Note#^id]]" can link to it or embed it. When two blocks of a note carry
the same id (compared ignoring case, as Obsidian matches them), every
link to it reaches the first one only, and the other block cannot be
linked at all. This often happens when a block is copied together with
its id.

Every definition after the first is reported, naming the line of the
first. There is no fix: only the writer knows which block the links mean,
and renaming an id would break the links to it.`,
	Before:   "Water boils at 100 °C. ^fact\n\nIron melts at 1538 °C. ^fact",
	After:    "Water boils at 100 °C. ^fact\n\nIron melts at 1538 °C. ^iron-melts",
	Severity: Error,
	Fix:      NoFix,
	Run:      runDuplicateBlockID,
})

func runDuplicateBlockID(p *Pass) {
	n := p.Note
	first := map[string]*vault.Block{}
	for i := range n.Blocks {
		b := &n.Blocks[i]
		key := strings.ToLower(b.ID)
		f, dup := first[key]
		if !dup {
			first[key] = b
			continue
		}
		line, _ := n.Position(f.Span.Start)
		p.Reportf(b.Span, "block id %q is already defined on line %d", "^"+b.ID, line)
	}
}
